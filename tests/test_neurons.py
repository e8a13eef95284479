"""Tests of course_utils.neurons against analytic results and hand calculations.

Units: ms, mV, pA, nS, pF, Hz.

Which test catches which broken physics:

- sign flip in the leak (g_L (V - E_L)):  test_passive_euler_matches_analytic
  (V runs away from E_L instead of relaxing) and test_fi_curve_matches_analytic.
- dropped dt (V += dV/dt instead of dt * dV/dt) or a factor 1000:
  test_passive_euler_matches_analytic (wrong amplitude / time constant),
  test_euler_converges_with_order_one.
- no reset: test_reset_and_refractory_hold_voltage (V after a spike is not the
  reset value) and test_fi_curve_matches_analytic (far too many spikes).
- no refractory period: test_refractory_period_caps_rate (ISI = 1 dt instead
  of t_ref + dt) and test_reset_and_refractory_hold_voltage.
- wrong step order (spike labelled at the wrong step):
  test_refractory_period_caps_rate (exact ISIs of both orders), and
  tests/test_neurons_brian2.py against Brian2.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import warnings

import numpy as np
import pytest
from scipy.optimize import brentq

from course_utils.inputs import step_current, time_grid
from course_utils.neurons import (
    input_resistance,
    lif_firing_rate,
    lif_rheobase,
    membrane_time_constant,
    passive_step_response,
    simulate_adex,
    simulate_lif,
    simulate_passive,
)

HAVE_NUMBA = importlib.util.find_spec("numba") is not None
BACKENDS = [
    "numpy",
    pytest.param("numba", marks=pytest.mark.skipif(not HAVE_NUMBA, reason="numba not installed")),
]

# A typical cortical point neuron: tau = 200 pF / 10 nS = 20 ms,
# R = 0.1 GOhm = 100 MOhm, rheobase = 10 nS * 20 mV = 200 pA.
CELL = dict(membrane_capacitance=200.0, leak_conductance=10.0, leak_reversal=-70.0)
LIF = dict(CELL, threshold=-50.0, reset=-65.0, refractory_period=2.0)
TAU = 20.0


def test_derived_quantities_by_hand():
    assert membrane_time_constant(200.0, 10.0) == pytest.approx(20.0)  # pF / nS = ms
    assert input_resistance(10.0) == pytest.approx(0.1)  # 1 / nS = GOhm
    assert lif_rheobase(leak_conductance=10.0, leak_reversal=-70.0, threshold=-50.0) == (
        pytest.approx(200.0)
    )
    # Hand calculation for 300 pA: V_inf = -70 + 300 / 10 = -40 mV,
    # ISI = 2 + 20 ln((-40 + 65) / (-40 + 50)) = 2 + 20 ln 2.5 = 20.3258 ms.
    rate = lif_firing_rate(300.0, **LIF)
    assert rate == pytest.approx(1000.0 / (2.0 + 20.0 * np.log(2.5)), rel=1e-12)
    assert rate == pytest.approx(49.1985, abs=1e-3)
    rates = lif_firing_rate(np.array([0.0, 150.0, 200.0, 300.0]), **LIF)
    np.testing.assert_array_equal(rates[:3], 0.0)  # at and below rheobase
    assert rates[3] == pytest.approx(rate)


def test_passive_step_response_formula():
    time = np.array([0.0, 5.0, 10.0, 10.0 + TAU, 1e4])
    v = passive_step_response(time, amplitude=100.0, onset=10.0, **CELL)
    # Before the onset: rest. One tau after: 1 - 1/e of I R = 10 mV. Much later: 10 mV.
    np.testing.assert_allclose(v, [-70.0, -70.0, -70.0, -70.0 + 10.0 * (1 - np.exp(-1)), -60.0])


@pytest.mark.parametrize("backend", BACKENDS)
def test_passive_euler_matches_analytic(backend):
    dt, duration, onset, amplitude = 0.1, 150.0, 20.0, 100.0
    time = time_grid(duration, dt)
    current = step_current(time, amplitude, onset, duration + 1.0)
    result = simulate_passive(duration=duration, dt=dt, current=current, backend=backend, **CELL)
    exact = passive_step_response(time, amplitude=amplitude, onset=onset, **CELL)
    error = np.max(np.abs(result.voltage[0] - exact))
    # Euler multiplies the deviation by (1 - dt/tau) per step instead of
    # exp(-dt/tau); to first order the largest error is
    # (I R) * dt / (2 e tau) = 10 * 0.1 / (2 e 20) = 0.0092 mV, at t - onset = tau.
    leading_order = amplitude / CELL["leak_conductance"] * dt / (2 * np.e * TAU)
    assert 0.8 * leading_order < error < 1.2 * leading_order
    assert result.spike_counts.tolist() == [0]


@pytest.mark.parametrize("backend", BACKENDS)
def test_passive_exponential_euler_is_exact_for_a_step(backend):
    dt, duration, onset, amplitude = 0.1, 150.0, 20.0, -50.0
    time = time_grid(duration, dt)
    current = step_current(time, amplitude, onset, duration + 1.0)
    result = simulate_passive(
        duration=duration,
        dt=dt,
        current=current,
        method="exponential_euler",
        backend=backend,
        **CELL,
    )
    exact = passive_step_response(time, amplitude=amplitude, onset=onset, **CELL)
    np.testing.assert_allclose(result.voltage[0], exact, rtol=0, atol=1e-10)


def test_euler_converges_with_order_one():
    duration, amplitude = 60.0, 100.0
    errors = []
    for dt in (0.2, 0.1, 0.05):
        time = time_grid(duration, dt)
        result = simulate_passive(duration=duration, dt=dt, bias_current=amplitude, **CELL)
        exact = passive_step_response(time, amplitude=amplitude, **CELL)
        errors.append(np.max(np.abs(result.voltage[0] - exact)))
    ratios = np.array(errors[:-1]) / np.array(errors[1:])
    # First order: halving dt halves the error.
    assert np.all((ratios > 1.8) & (ratios < 2.2)), ratios


@pytest.mark.parametrize("step_order", ["textbook", "brian2"])
def test_fi_curve_matches_analytic(step_order):
    currents = np.array([220.0, 300.0, 500.0, 1000.0])  # pA, all above 200 pA rheobase
    dt, duration = 0.005, 1000.0
    result = simulate_lif(
        duration=duration, dt=dt, bias_current=currents, step_order=step_order, **LIF
    )
    # Rate from the mean ISI, (n - 1) / (t_last - t_first): no counting error
    # at the ends of the run, only the dt grid (dt / ISI < 0.03 % here).
    measured = np.array([1000.0 * (len(t) - 1) / (t[-1] - t[0]) for t in result.spike_times])
    expected = lif_firing_rate(currents, **LIF)
    assert result.spike_counts.min() >= 20
    np.testing.assert_allclose(measured, expected, rtol=0.01)
    # The count-based rate agrees too, within one spike per run.
    np.testing.assert_allclose(result.firing_rates, expected, atol=1000.0 / duration)


def test_refractory_period_caps_rate():
    # 1e6 pA moves V by dt * I / C = 500 mV in one step: every step that is
    # allowed to integrate crosses threshold. So the ISI is exactly
    # t_ref + dt in the textbook order (held t_ref, then one step) and t_ref
    # in Brian2's order (the spike is labelled one step earlier).
    dt = 0.1
    for step_order, isi in (("textbook", 2.1), ("brian2", 2.0)):
        result = simulate_lif(duration=100.0, dt=dt, bias_current=1e6, step_order=step_order, **LIF)
        intervals = np.diff(result.spike_times[0])
        np.testing.assert_allclose(intervals, isi, atol=1e-9)
        assert result.firing_rates[0] <= 1000.0 / LIF["refractory_period"] + 1000.0 / 100.0


@pytest.mark.parametrize("backend", BACKENDS)
def test_reset_and_refractory_hold_voltage(backend):
    dt = 0.1
    n_refractory = 20  # 2 ms / 0.1 ms
    for step_order in ("textbook", "brian2"):
        result = simulate_lif(
            duration=200.0,
            dt=dt,
            bias_current=400.0,
            step_order=step_order,
            backend=backend,
            **LIF,
        )
        v = result.voltage[0]
        steps = np.round(result.spike_times[0] / dt).astype(int)
        assert steps.size >= 3
        assert np.all(v < LIF["threshold"])  # recorded V never shows the crossing
        for s in steps[:-1]:
            # Textbook: V(t_spike) = reset, held for 2 ms, then integrating.
            # Brian2 order: the spike is labelled one step before V = reset.
            first = s if step_order == "textbook" else s + 1
            held = v[first : s + n_refractory + 1]
            np.testing.assert_array_equal(held, LIF["reset"])
            assert v[s + n_refractory + 1] > LIF["reset"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_rheobase_threshold_of_firing(backend):
    rheobase = lif_rheobase(leak_conductance=10.0, leak_reversal=-70.0, threshold=-50.0)
    # Below: V_inf = -50.02 mV never reaches -50 (Euler's fixed point is exact
    # and it approaches it monotonically for dt < tau). Above: V_inf = -49.8 mV,
    # reached after 20 ln(20.2 / 0.2) = 92 ms < 300 ms.
    result = simulate_lif(
        duration=300.0,
        dt=0.1,
        bias_current=[rheobase * 0.999, rheobase * 1.01],
        backend=backend,
        **LIF,
    )
    assert result.spike_counts[0] == 0
    assert result.spike_counts[1] >= 1
    assert result.spike_times[1][0] == pytest.approx(20.0 * np.log(20.2 / 0.2), abs=1.0)


def test_result_layout():
    result = simulate_lif(
        duration=10.0, dt=0.3, bias_current=[0.0, 50.0], initial_voltage=[-60.0, -55.0], **LIF
    )
    assert result.n_steps == 33  # round(10 / 0.3), not 34
    np.testing.assert_array_equal(result.time, np.arange(33) * 0.3)
    assert result.voltage.shape == (2, 33)
    np.testing.assert_array_equal(result.voltage[:, 0], [-60.0, -55.0])
    assert result.n_neurons == 2
    assert result.duration == pytest.approx(9.9)
    quiet = simulate_lif(duration=10.0, dt=0.1, record_voltage=False, **LIF)
    assert quiet.voltage is None
    assert quiet.spike_counts.tolist() == [0]


def test_population_equals_single_runs():
    rng = np.random.default_rng(3)
    currents = rng.uniform(150.0, 600.0, size=5)
    thresholds = rng.uniform(-55.0, -45.0, size=5)
    population = simulate_lif(
        duration=100.0,
        dt=0.1,
        bias_current=currents,
        **dict(LIF, threshold=thresholds),
    )
    for i in range(5):
        single = simulate_lif(
            duration=100.0,
            dt=0.1,
            bias_current=currents[i],
            **dict(LIF, threshold=thresholds[i]),
        )
        np.testing.assert_array_equal(population.spike_times[i], single.spike_times[0])
        np.testing.assert_array_equal(population.voltage[i], single.voltage[0])


def test_conductance_input_drives_towards_reversal():
    # A constant conductance g_e with E_e = 0 mV and no current gives the
    # steady state (g_L E_L + g_e E_e) / (g_L + g_e) = (10 * -70) / 20 = -35 mV
    # with time constant C / (g_L + g_e) = 10 ms.
    dt, duration = 0.1, 100.0
    n = round(duration / dt)
    result = simulate_passive(
        duration=duration,
        dt=dt,
        excitatory_conductance=np.full(n, 10.0),
        method="exponential_euler",
        **CELL,
    )
    exact = -35.0 - 35.0 * np.exp(-result.time / 10.0)
    np.testing.assert_allclose(result.voltage[0], exact, atol=1e-10)
    inhibited = simulate_passive(
        duration=duration,
        dt=dt,
        inhibitory_conductance=np.full(n, 10.0),
        initial_voltage=-50.0,
        **CELL,
    )
    assert inhibited.voltage[0, -1] == pytest.approx(-70.0, abs=0.01)  # both at -70


@pytest.mark.skipif(not HAVE_NUMBA, reason="numba not installed")
@pytest.mark.parametrize("method", ["euler", "exponential_euler"])
@pytest.mark.parametrize("step_order", ["textbook", "brian2"])
@pytest.mark.parametrize("kind", ["bias", "shared", "per_neuron", "conductance"])
def test_numpy_and_numba_agree(kind, step_order, method):
    rng = np.random.default_rng(11)
    n_neurons, dt, duration = 6, 0.1, 200.0
    n_steps = round(duration / dt)
    params = dict(
        membrane_capacitance=rng.uniform(100.0, 300.0, n_neurons),
        leak_conductance=rng.uniform(5.0, 20.0, n_neurons),
        leak_reversal=-70.0,
        threshold=rng.uniform(-55.0, -45.0, n_neurons),
        reset=-65.0,
        refractory_period=rng.uniform(0.0, 5.0, n_neurons),
        bias_current=rng.uniform(100.0, 500.0, n_neurons),
    )
    if kind == "shared":
        params["current"] = rng.normal(0.0, 200.0, n_steps)
    elif kind == "per_neuron":
        params["current"] = rng.normal(0.0, 200.0, (n_neurons, n_steps))
    elif kind == "conductance":
        params["excitatory_conductance"] = rng.uniform(0.0, 20.0, (n_neurons, n_steps))
        params["inhibitory_conductance"] = rng.uniform(0.0, 20.0, n_steps)
    runs = [
        simulate_lif(
            duration=duration,
            dt=dt,
            step_order=step_order,
            method=method,
            backend=backend,
            **params,
        )
        for backend in ("numpy", "numba")
    ]
    assert sum(runs[0].spike_counts) > 10
    for a, b in zip(runs[0].spike_times, runs[1].spike_times, strict=True):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(runs[0].voltage, runs[1].voltage, rtol=0, atol=1e-9)


@pytest.mark.skipif(not HAVE_NUMBA, reason="numba not installed")
def test_numpy_and_numba_agree_on_a_large_population():
    # More neurons than one chunk of the compiled kernel (256), so the
    # parallel path runs; per-neuron time courses and voltage recording.
    rng = np.random.default_rng(5)
    n_neurons, dt, duration = 600, 0.1, 50.0
    params = dict(
        LIF,
        bias_current=rng.uniform(150.0, 800.0, n_neurons),
        current=rng.normal(0.0, 100.0, (n_neurons, round(duration / dt))),
        threshold=np.where(np.arange(n_neurons) % 7 == 0, np.inf, -50.0),
    )
    numpy_run, numba_run = (
        simulate_lif(duration=duration, dt=dt, backend=b, **params) for b in ("numpy", "numba")
    )
    assert numpy_run.spike_counts[::7].sum() == 0  # infinite threshold: never spikes
    assert numpy_run.spike_counts.sum() > 1000
    for a, b in zip(numpy_run.spike_times, numba_run.spike_times, strict=True):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(numpy_run.voltage, numba_run.voltage, rtol=0, atol=1e-9)


ADEX = dict(
    # Brette & Gerstner (2005), Table 1 (regular spiking).
    membrane_capacitance=281.0,
    leak_conductance=30.0,
    leak_reversal=-70.6,
    slope_factor=2.0,
    rheobase_threshold=-50.4,
    spike_cutoff=20.0,
    reset=-70.6,
    adaptation_coupling=4.0,
    spike_adaptation=80.5,
    adaptation_time_constant=144.0,
)


def test_adex_subthreshold_steady_state():
    # Fixed point of the AdEx equations with w = a (V - E_L), solved
    # independently with scipy's brentq.
    current = 300.0

    def dvdt(v):
        p = ADEX
        return (
            -p["leak_conductance"] * (v - p["leak_reversal"])
            + p["leak_conductance"]
            * p["slope_factor"]
            * np.exp((v - p["rheobase_threshold"]) / p["slope_factor"])
            - p["adaptation_coupling"] * (v - p["leak_reversal"])
            + current
        )

    v_fixed = brentq(dvdt, -70.6, -55.0)
    result = simulate_adex(duration=2000.0, dt=0.1, bias_current=current, **ADEX)
    assert result.spike_counts[0] == 0
    assert result.voltage[0, -1] == pytest.approx(v_fixed, abs=1e-3)
    assert result.traces["adaptation"][0, -1] == pytest.approx(
        ADEX["adaptation_coupling"] * (v_fixed - ADEX["leak_reversal"]), abs=1e-3
    )


def test_adex_adapts_and_spike_increments_w():
    result = simulate_adex(duration=500.0, dt=0.05, bias_current=1000.0, **ADEX)
    intervals = np.diff(result.spike_times[0])
    assert len(intervals) >= 5
    assert intervals[-1] > 1.5 * intervals[0]  # spike-frequency adaptation
    # Without adaptation (a = b = 0) the ISIs are regular (within one step).
    plain = simulate_adex(
        duration=500.0,
        dt=0.05,
        bias_current=1000.0,
        **dict(ADEX, adaptation_coupling=0.0, spike_adaptation=0.0),
    )
    plain_intervals = np.diff(plain.spike_times[0])
    assert np.ptp(plain_intervals) <= 0.05 + 1e-9
    # At each spike (textbook order: recorded at the spike step) w jumps by b
    # on top of one Euler step of its own dynamics.
    w = result.traces["adaptation"][0]
    v = result.voltage[0]
    s = int(round(result.spike_times[0][0] / 0.05))
    expected = w[s - 1] + 0.05 * (4.0 * (v[s - 1] + 70.6) - w[s - 1]) / 144.0 + 80.5
    assert w[s] == pytest.approx(expected, rel=1e-12)
    assert v[s] == ADEX["reset"]


def test_adex_exponential_cannot_overflow():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise"):
            result = simulate_adex(
                duration=50.0,
                dt=0.5,
                bias_current=1e5,
                backend="numpy",
                **dict(ADEX, slope_factor=0.1),
            )
    assert result.spike_counts[0] > 0
    assert np.all(np.isfinite(result.voltage))


@pytest.mark.skipif(not HAVE_NUMBA, reason="numba not installed")
def test_adex_numpy_and_numba_agree():
    currents = np.zeros((4, 4000))
    currents[:, 1000:3000] = np.array([200.0, 500.0, 800.0, 1500.0])[:, None]
    runs = [
        simulate_adex(duration=400.0, dt=0.1, current=currents, backend=b, **ADEX)
        for b in ("numpy", "numba")
    ]
    assert runs[0].spike_counts.sum() > 10
    for a, b in zip(runs[0].spike_times, runs[1].spike_times, strict=True):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(runs[0].voltage, runs[1].voltage, atol=1e-9)
    np.testing.assert_allclose(
        runs[0].traces["adaptation"], runs[1].traces["adaptation"], atol=1e-9
    )


# --------------------------------------------------------------------------
# Friendly errors
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "error", "match"),
    [
        (dict(dt=0.0), ValueError, "dt"),
        (dict(dt=-0.1), ValueError, "dt"),
        (dict(dt=20.0), ValueError, "dt"),  # longer than the run
        (dict(dt=float("nan")), ValueError, "dt"),
        (dict(leak_conductance=float("nan")), ValueError, "leak_conductance"),
        (dict(leak_conductance=0.0), ValueError, "leak_conductance"),
        (dict(membrane_capacitance=-1.0), ValueError, "membrane_capacitance"),
        (dict(current=np.full(100, np.nan)), ValueError, "current"),
        (dict(current=np.zeros(99)), ValueError, "current.*100 steps"),
        (dict(current=np.zeros((3, 100)), bias_current=np.zeros(4)), ValueError, "bias_current: 4"),
        (dict(bias_current=np.zeros(3), leak_reversal=np.zeros(4)), ValueError, "leak_reversal: 4"),
        (dict(reset=-40.0), ValueError, "reset"),
        (dict(refractory_period=-1.0), ValueError, "refractory_period"),
        (dict(step_order="brain2"), ValueError, "step_order.*'textbook', 'brian2'"),
        (dict(method="rk4"), ValueError, "method.*'euler', 'exponential_euler'"),
        (dict(backend="cuda"), ValueError, "backend.*'numpy'"),
        (dict(excitatory_conductance=-np.ones(100)), ValueError, "excitatory_conductance"),
        (dict(threshold="high"), TypeError, "threshold"),
    ],
)
def test_errors_name_the_argument(changes, error, match):
    kwargs = dict(LIF, duration=10.0, dt=0.1)
    kwargs.update(changes)
    with pytest.raises(error, match=match):
        simulate_lif(**kwargs)


def test_adex_errors_name_the_argument():
    with pytest.raises(ValueError, match="slope_factor"):
        simulate_adex(duration=10.0, dt=0.1, **dict(ADEX, slope_factor=0.0))
    with pytest.raises(ValueError, match="reset"):
        simulate_adex(duration=10.0, dt=0.1, **dict(ADEX, reset=30.0))
    with pytest.raises(ValueError, match="adaptation_time_constant"):
        simulate_adex(duration=10.0, dt=0.1, **dict(ADEX, adaptation_time_constant=-1.0))


def test_unstable_euler_warns_but_runs():
    # tau = 20 pF / 10 nS = 2 ms, dt = 5 ms > 2 tau: Euler multiplies the
    # deviation from rest by (1 - dt / tau) = -1.5 per step.
    with pytest.warns(RuntimeWarning, match="unstable"):
        result = simulate_passive(
            duration=50.0,
            dt=5.0,
            membrane_capacitance=20.0,
            leak_conductance=10.0,
            leak_reversal=-70.0,
            initial_voltage=-60.0,
        )
    np.testing.assert_allclose(result.voltage[0] + 70.0, 10.0 * (-1.5) ** np.arange(10))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        simulate_passive(
            duration=50.0,
            dt=5.0,
            membrane_capacitance=20.0,
            leak_conductance=10.0,
            leak_reversal=-70.0,
            method="exponential_euler",
        )


def test_analytic_errors_name_the_argument():
    with pytest.raises(ValueError, match="leak_conductance"):
        membrane_time_constant(200.0, 0.0)
    with pytest.raises(ValueError, match="reset"):
        lif_firing_rate(300.0, **dict(LIF, reset=-40.0))
    with pytest.raises(ValueError, match="time"):
        passive_step_response([0.0, np.nan], amplitude=1.0, **CELL)


def test_import_does_no_work():
    code = (
        "import sys, course_utils.neurons\n"
        "heavy = [m for m in ('numba', 'brian2') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_works_without_numba():
    # sys.modules["numba"] = None makes `import numba` fail, as if it were
    # not installed: "auto" falls back to numpy, "numba" says what to do.
    code = (
        "import sys\n"
        "sys.modules['numba'] = None\n"
        "import pytest\n"
        "from course_utils.neurons import simulate_lif\n"
        "kw = dict(duration=50.0, dt=0.1, membrane_capacitance=200.0,\n"
        "          leak_conductance=10.0, leak_reversal=-70.0, bias_current=400.0)\n"
        "assert simulate_lif(**kw).spike_counts[0] > 0\n"
        "with pytest.raises(ImportError, match='numba'):\n"
        "    simulate_lif(backend='numba', **kw)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_lesson4_integration_explorer_answers():
    # Lesson 4, section 5 explorer: Euler's error halves with dt, and at
    # dt = tau = 20 ms Euler's first step lands on the steady state -55 mV
    # while the exact membrane is at -58.7 mV (error 3.7 mV).
    from course_utils.neurons import passive_step_response, simulate_passive

    cell = dict(membrane_capacitance=200.0, leak_conductance=10.0, leak_reversal=-65.0)

    def euler_error(dt):
        run = simulate_passive(duration=60.0 + dt, dt=dt, bias_current=100.0, method="euler",
                               backend="numpy", **cell)
        exact = passive_step_response(run.time, amplitude=100.0, **cell)
        return run, np.max(np.abs(run.voltage[0] - exact))

    errors = [euler_error(dt)[1] for dt in (2.0, 1.0, 0.5)]
    assert errors[0] == pytest.approx(0.19, abs=0.005)
    assert errors[1] == pytest.approx(errors[0] / 2, rel=0.05)
    assert errors[2] == pytest.approx(errors[1] / 2, rel=0.05)
    run, error = euler_error(20.0)
    assert run.voltage[0, 1] == pytest.approx(-55.0, abs=1e-12)
    assert error == pytest.approx(3.68, abs=0.01)


def test_auto_backend_does_not_compile_for_a_lessons_small_first_run(tmp_path):
    """A lesson's first simulation (one neuron, 1 s at 0.1 ms) must not wait seconds for
    numba to compile from an empty cache: backend="auto" runs numpy there, and numba
    once the run is large enough to repay compiling (same numbers either way)."""
    import subprocess
    import sys

    probe = (
        "from course_utils.neurons import simulate_lif, kernels, solver\n"
        "r = simulate_lif(duration=1000.0, dt=0.1, membrane_capacitance=200.0,\n"
        "                 leak_conductance=10.0, leak_reversal=-70.0, current=300.0)\n"
        "print(len(r.spike_times[0]), kernels.kernel_ready('lif', False),\n"
        "      kernels.kernel_ready('lif', True),\n"
        "      solver.numba_pays('lif', False, 1, 10_000),\n"
        "      solver.numba_pays('lif', True, 5_000, 10_000))\n"
    )
    env = dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path))
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         env=env, timeout=300, check=True).stdout.split()
    # 300 pA, V_inf = -40 mV: the first spike after 20 ln(30/10) ms (from rest), then
    # one every t_ref + 20 ln(25/10) ms (from the -65 mV reset)
    first, period = 20.0 * np.log(3.0), 2.0 + 20.0 * np.log(2.5)
    expected = 1 + int((1000.0 - first) // period)
    assert out == [str(expected), "False", "False", "False", "True"]


def test_a_background_compile_leaves_kernels_the_lesson_loads_without_compiling(tmp_path):
    """compile_in_background compiles each model's serial and parallel kernels in another
    process into numba's disk cache. Whatever way a lesson then calls a solver (one neuron
    or many, numbers or arrays, a current or none, voltage recorded or not), its process
    loads the kernels from the cache (numba's cache hits) and never compiles (no misses):
    a read-only argument, say, would make numba compile a second version."""
    pytest.importorskip("numba")
    probe = """
import numpy as np
from course_utils.neurons import background, kernels
from course_utils.neurons import simulate_adex, simulate_izhikevich, simulate_lif
background.compile_in_background("lif", "adex", "izhikevich")
for model in ("lif", "adex", "izhikevich"):
    assert background.wait_until_cached(model)
from course_utils.neurons import solver
# backend="auto": even a tiny run now takes the cached kernel
print("auto", solver.numba_pays("adex", False, 1, 10))
cell = dict(membrane_capacitance=200.0, leak_conductance=10.0, leak_reversal=-70.0)
adex = dict(cell, slope_factor=2.0, rheobase_threshold=-50.0, reset=-58.0,
            adaptation_coupling=2.0, spike_adaptation=60.0, adaptation_time_constant=100.0)
izhikevich = dict(membrane_capacitance=100.0, recovery_rate=0.02, recovery_sensitivity=0.2,
                  reset=-65.0, recovery_jump=8.0)
for simulate, parameters in ((simulate_lif, cell), (simulate_adex, adex),
                             (simulate_izhikevich, izhikevich)):
    for n in (1, 3, 700):
        for record in (True, False):
            simulate(duration=100.0, dt=0.1, bias_current=np.linspace(0, 500, n),
                     record_voltage=record, backend="numba", **parameters)
            per_neuron = {"refractory_period": np.ones(n)} if simulate is simulate_lif else {}
            simulate(duration=100.0, dt=0.1, current=np.ones((n, 1000)), record_voltage=record,
                     backend="numba", **parameters, **per_neuron)
    simulate(duration=100.0, dt=0.1, current=300.0, backend="numba", **parameters)
for name, pair in sorted(kernels._KERNELS.items()):
    for kernel in pair:
        print(name, sum(kernel.stats.cache_hits.values()), sum(kernel.stats.cache_misses.values()))
"""
    env = dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path))
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         env=env, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    auto, *rows = [line.split() for line in out.stdout.splitlines()]
    assert auto == ["auto", "True"]
    assert [row[0] for row in rows] == ["adex", "adex", "izhikevich", "izhikevich", "lif", "lif"]
    assert all(row[1:] == ["1", "0"] for row in rows), out.stdout


def test_compile_in_background_names_the_models_it_knows():
    from course_utils.neurons import compile_in_background

    with pytest.raises(ValueError, match="'lif', 'adex', 'izhikevich', but got 'hodgkin_huxley'"):
        compile_in_background("hodgkin_huxley")
    with pytest.raises(ValueError, match="variant must be one of 'parallel', 'serial'"):
        compile_in_background("lif:fast")
    with pytest.raises(TypeError, match="model names such as 'lif'"):
        compile_in_background(["lif"])


def test_compile_in_background_expands_models_into_kernels_in_order():
    from course_utils.neurons.background import _expand

    assert _expand("lif") == ["lif:serial", "lif:parallel"]  # LIF runs <= 256 neurons serially
    assert _expand("adex") == ["adex:parallel", "adex:serial"]  # fits run AdEx in parallel
    assert _expand("izhikevich:serial") == ["izhikevich:serial"]


@pytest.mark.parametrize("backend", ["numpy", "numba"])
def test_a_constant_conductance_is_a_conductance_at_every_step(backend):
    """excitatory_conductance=5.0 means 5 nS throughout, exactly as an array of 5 nS does.
    (It used to crash the numpy loop and be silently ignored by the compiled kernel.) With a
    constant 5 nS of AMPA (0 mV) the membrane settles at (g_L E_L + g_e E_e) / (g_L + g_e)."""
    if backend == "numba":
        pytest.importorskip("numba")
    cell = dict(duration=300.0, dt=0.1, membrane_capacitance=200.0, leak_conductance=10.0,
                leak_reversal=-70.0, threshold=np.inf, reset=0.0, backend=backend)
    constant = simulate_lif(excitatory_conductance=5.0, **cell)
    array = simulate_lif(excitatory_conductance=np.full(3000, 5.0), **cell)
    np.testing.assert_array_equal(constant.voltage, array.voltage)
    assert constant.voltage[0, -1] == pytest.approx((10.0 * -70.0 + 5.0 * 0.0) / 15.0, abs=1e-3)

"""Tests of course_utils.networks: E-I networks and STDP.

Units: ms, mV, pA, nS, pF, Hz.

Where each expected value comes from:

- synaptic transmission order: a hand calculation of two Euler steps of the
  target neuron (a spike in step k changes the target's V first in step k + 1);
- a neuron without synaptic input: the analytic LIF interval
  t_ref + tau ln((V_inf - V_reset) / (V_inf - V_th)), and neurons.simulate_lif
  with Brian2's step order (tested against Brian2 in test_neurons_brian2.py);
- external drive: Campbell's theorem, mean g_e = N * rate * w * tau;
- connectivity: the binomial distribution of the number of synapses;
- STDP: the window formula W(s) for every pre-post pair, and the drift
  r_pre r_post (A+ tau+ - A- tau-) for independent Poisson trains;
- correlated trains: thinning a shared Poisson train gives correlation c.

Which test catches which broken physics: a flipped leak or a dropped dt
breaks test_unconnected_neurons_fire_at_the_analytic_rate; synaptic jumps
applied in the same step, or to the wrong conductance, break
test_a_spike_reaches_its_targets_in_the_next_step; a rate conversion error
(Hz vs 1/ms) breaks test_external_drive_gives_campbells_mean_conductance; a
sign error in the STDP traces breaks the pair tests.
"""

from __future__ import annotations

import numpy as np
import pytest

from course_utils.networks import (
    STDPRule,
    correlated_spike_trains,
    random_connections,
    simulate_ei_network,
    simulate_stdp,
    stdp_mean_drift,
    stdp_update,
    stdp_window,
)
from course_utils.neurons import simulate_lif

CELL = dict(membrane_capacitance=200.0, leak_conductance=10.0, leak_reversal=-70.0)
TAU = 20.0  # ms = 200 pF / 10 nS

# The E-I network of the lesson: 400 E + 100 I, p = 0.1, AMPA-sized excitatory
# synapses, external Poisson drive that alone keeps V just below threshold.
LESSON_NETWORK = dict(
    n_excitatory=400,
    n_inhibitory=100,
    connection_probability=0.1,
    excitatory_weight=0.5,
    inhibitory_weight=4.0,
    external_rate=5.0,
    n_external=300,
    external_weight=0.5,
    duration=1000.0,
    dt=0.1,
)


# ---------------------------------------------------------------------------
# Connectivity
# ---------------------------------------------------------------------------


def test_random_connections_have_the_binomial_count_and_no_autapses():
    n, p = 300, 0.1
    pre, post = random_connections(n, p, np.random.default_rng(0))
    assert not np.any(pre == post)
    pairs = n * (n - 1)
    # Binomial(pairs, p): mean 8970, sd 90; allow 5 sd.
    assert abs(pre.size - pairs * p) < 5 * np.sqrt(pairs * p * (1 - p))
    # Each (pre, post) pair at most once.
    assert np.unique(pre * n + post).size == pre.size
    again = random_connections(n, p, np.random.default_rng(0))
    np.testing.assert_array_equal(again[0], pre)
    np.testing.assert_array_equal(again[1], post)


def test_connection_probability_extremes():
    pre, post = random_connections(5, 1.0, np.random.default_rng(1))
    assert pre.size == 5 * 4  # all-to-all without autapses
    pre, _ = random_connections(5, 0.0, np.random.default_rng(1))
    assert pre.size == 0


# ---------------------------------------------------------------------------
# E-I network
# ---------------------------------------------------------------------------


def test_a_spike_reaches_its_targets_in_the_next_step():
    """Neurons 0 (E) and 1 (I) fire in step 0; neuron 2 feels them from step 1."""
    dt, w_e, w_i, c = 0.1, 0.5, 2.0, 200.0
    # Started 0.1 mV below threshold with 1000 pA, neurons 0 and 1 cross it in
    # their first step: -50.1 + 0.1 / 200 * (10 * (-70 + 50.1) + 1000) = -49.6995 mV.
    result = simulate_ei_network(
        n_excitatory=2,
        n_inhibitory=1,
        connection_probability=0.0,
        connections=([0, 2], [1, 1]),  # 0 -> 1 (excitatory), 2 -> 1 (inhibitory)
        excitatory_weight=w_e,
        inhibitory_weight=w_i,
        duration=1.0,
        dt=dt,
        rng=np.random.default_rng(0),
        bias_current=[1000.0, 0.0, 1000.0],
        initial_voltage=[-50.1, -70.0, -50.1],
        record=[1],
        **CELL,
    )
    # Brian2 labels the spike with the start of the step in which V crossed.
    assert result.spike_times[0][0] == 0.0
    assert result.spike_times[2][0] == 0.0
    v = result.traces["voltage"][0]
    g_e = result.traces["excitatory_conductance"][0]
    g_i = result.traces["inhibitory_conductance"][0]
    # Step 0: the target integrates with g = 0, so V(dt) is still E_L.
    assert v[0] == -70.0 and v[1] == -70.0
    assert g_e[0] == 0.0 and g_i[0] == 0.0
    assert g_e[1] == pytest.approx(w_e) and g_i[1] == pytest.approx(w_i)
    # Step 1: one Euler step with the new conductances, from V = E_L = -70 mV:
    # dV = dt / C * (w_e (0 - (-70)) + w_i (-75 - (-70))) = 0.1/200 * (35 - 10) = 0.0125 mV.
    assert v[2] == pytest.approx(-70.0 + dt / c * (w_e * 70.0 + w_i * -5.0), abs=1e-12)
    # The conductances then decay by one Euler step each (tau_e = 5 ms, tau_i = 10 ms).
    assert g_e[2] == pytest.approx(w_e * (1 - dt / 5.0))
    assert g_i[2] == pytest.approx(w_i * (1 - dt / 10.0))


@pytest.mark.parametrize("method", ["euler", "exponential_euler"])
def test_unconnected_neurons_fire_at_the_analytic_rate(method):
    dt, t_ref = 0.01, 2.0
    currents = np.array([150.0, 250.0, 400.0])  # pA; rheobase = 10 nS * 20 mV = 200 pA
    result = simulate_ei_network(
        n_excitatory=3,
        n_inhibitory=0,
        connection_probability=0.0,
        excitatory_weight=0.0,
        inhibitory_weight=0.0,
        duration=300.0,
        dt=dt,
        rng=np.random.default_rng(0),
        bias_current=currents,
        initial_voltage=-65.0,
        refractory_period=t_ref,
        method=method,
        **CELL,
    )
    assert result.spike_times[0].size == 0  # below rheobase: never fires
    for i in (1, 2):
        v_inf = -70.0 + currents[i] / 10.0
        interval = t_ref + TAU * np.log((v_inf + 65.0) / (v_inf + 50.0))
        isi = np.diff(result.spike_times[i])
        # Spikes sit on the grid and Brian2's order shortens the hold by one
        # step: every ISI is within 2 dt of the continuous-time value.
        np.testing.assert_allclose(isi, interval, atol=2 * dt)
        assert np.std(isi) < dt  # regular firing, CV ~ 0


def test_unconnected_network_matches_simulate_lif_in_brian2_order():
    dt = 0.1
    currents = np.linspace(210.0, 600.0, 8)
    common = dict(
        duration=200.0, dt=dt, threshold=-50.0, reset=-65.0, refractory_period=2.0, **CELL
    )
    network = simulate_ei_network(
        n_excitatory=8,
        n_inhibitory=0,
        connection_probability=0.0,
        excitatory_weight=0.0,
        inhibitory_weight=0.0,
        rng=np.random.default_rng(0),
        bias_current=currents,
        initial_voltage=-70.0,
        **common,
    )
    single = simulate_lif(bias_current=currents, step_order="brian2", backend="numpy", **common)
    for mine, theirs in zip(network.spike_times, single.spike_times, strict=True):
        np.testing.assert_allclose(mine, theirs, atol=1e-9)


def test_external_drive_gives_campbells_mean_conductance():
    n_external, rate, weight, tau = 200, 8.0, 0.5, 5.0
    result = simulate_ei_network(
        n_excitatory=20,
        n_inhibitory=0,
        connection_probability=0.0,
        excitatory_weight=0.0,
        inhibitory_weight=0.0,
        external_rate=rate,
        n_external=n_external,
        external_weight=weight,
        threshold=1000.0,
        reset=-70.0,  # no spikes
        duration=2000.0,
        dt=0.1,
        rng=np.random.default_rng(3),
        record=np.arange(20),
        **CELL,
    )
    g = result.traces["excitatory_conductance"][:, 500:]  # after 10 tau
    # Campbell: mean = N * rate * w * tau = 200 * 8 Hz * 0.5 nS * 5 ms / 1000 = 4 nS.
    expected = n_external * rate * weight * tau / 1000.0
    assert g.mean() == pytest.approx(expected, rel=0.03)
    # ... and the membrane sits at the steady state of the mean conductances.
    v_mean = (10.0 * -70.0 + expected * 0.0) / (10.0 + expected)
    assert result.traces["voltage"][:, 500:].mean() == pytest.approx(v_mean, abs=0.3)


def test_excitatory_network_rate_rises_with_the_weight():
    rates = []
    for weight in (0.0, 0.1, 0.2):
        result = simulate_ei_network(
            n_excitatory=100,
            n_inhibitory=0,
            connection_probability=0.1,
            excitatory_weight=weight,
            inhibitory_weight=0.0,
            external_rate=5.0,
            n_external=300,
            duration=500.0,
            dt=0.1,
            rng=np.random.default_rng(7),
        )
        rates.append(result.firing_rates.mean())
    assert rates[0] > 0.5  # the external drive alone makes some spikes
    assert rates[0] < rates[1] < rates[2]


def test_inhibition_lowers_the_rate():
    common = dict(LESSON_NETWORK, duration=500.0)
    without = simulate_ei_network(
        **dict(common, inhibitory_weight=0.0), rng=np.random.default_rng(11)
    )
    with_inhibition = simulate_ei_network(**common, rng=np.random.default_rng(11))
    assert with_inhibition.firing_rates.mean() < 0.5 * without.firing_rates.mean()


def test_lesson_network_is_asynchronous_irregular_and_deterministic():
    first = simulate_ei_network(**LESSON_NETWORK, rng=np.random.default_rng(2024))
    again = simulate_ei_network(**LESSON_NETWORK, rng=np.random.default_rng(2024))
    other = simulate_ei_network(**LESSON_NETWORK, rng=np.random.default_rng(2025))
    for a, b in zip(first.spike_times, again.spike_times, strict=True):
        np.testing.assert_array_equal(a, b)
    assert any(
        a.size != b.size or np.any(a != b)
        for a, b in zip(first.spike_times, other.spike_times, strict=True)
    )
    rates = first.firing_rates
    # Inhibition-dominated random networks fire at a few Hz, irregularly
    # (Brunel 2000): mean E rate 1-30 Hz, mean CV 0.5-1.5.
    assert 1.0 < rates[:400].mean() < 30.0
    assert 1.0 < rates[400:].mean() < 50.0
    cv = first.cv_isi()
    assert 0.5 < np.nanmean(cv[:400]) < 1.5
    assert first.excitatory_spike_times[0] is first.spike_times[0]
    assert len(first.inhibitory_spike_times) == 100
    assert first.parameters["excitatory_weight"] == 0.5


def test_network_rejects_bad_arguments_by_name():
    base = dict(LESSON_NETWORK, duration=10.0, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="excitatory_weight"):
        simulate_ei_network(**dict(base, excitatory_weight=-1.0))
    with pytest.raises(ValueError, match="connection_probability"):
        simulate_ei_network(**dict(base, connection_probability=1.5))
    with pytest.raises(TypeError, match="rng"):
        simulate_ei_network(**dict(base, rng=42))
    with pytest.raises(ValueError, match="dt"):
        simulate_ei_network(**dict(base, dt=0.0))
    with pytest.raises(ValueError, match="bias_current"):
        simulate_ei_network(**dict(base, bias_current=[1.0, 2.0]))


# ---------------------------------------------------------------------------
# STDP
# ---------------------------------------------------------------------------

RULE = dict(potentiation=0.01, depression=0.012, potentiation_time=20.0, depression_time=15.0)


def test_stdp_window_by_hand():
    # Pre 10 ms before post: A+ exp(-10/20); post 10 ms before pre: -A- exp(-10/15).
    assert stdp_window(10.0, **RULE) == pytest.approx(0.01 * np.exp(-0.5))
    assert stdp_window(-10.0, **RULE) == pytest.approx(-0.012 * np.exp(-10 / 15))
    assert stdp_window(0.0, **RULE) == pytest.approx(0.01)


def pairing_protocol(lag_steps, dt, n_steps, weights=0.5, **bounds):
    """One synapse per lag: pre at step 400, post at step 400 + lag."""
    lag_steps = np.asarray(lag_steps)
    w = np.full(lag_steps.size, weights)
    x, y = np.zeros(lag_steps.size), np.zeros(lag_steps.size)
    limits = dict(max_weight=1.0, min_weight=0.0) | bounds
    for k in range(n_steps):
        pre = np.full(lag_steps.size, k == 400)
        post = k == 400 + lag_steps
        w, x, y = stdp_update(w, x, y, pre, post, dt=dt, **RULE, **limits)
    return w


def test_one_pair_changes_the_weight_by_exactly_the_window():
    dt = 0.1
    lags = np.arange(-300, 301, 25)  # steps: -30 .. 30 ms
    w = pairing_protocol(lags, dt, 800)
    expected = stdp_window(lags * dt, **RULE)
    np.testing.assert_allclose(w - 0.5, expected, rtol=1e-12)
    assert np.all(w[lags > 0] > 0.5)  # pre before post potentiates
    assert np.all(w[lags < 0] < 0.5)  # post before pre depresses


def test_pairs_add_up_and_weights_stay_in_bounds():
    dt = 0.1
    w, x, y = np.array([0.5]), np.zeros(1), np.zeros(1)
    # pre at 0 ms, post at 5 ms, pre at 12 ms: W(5) + W(-7), all-to-all.
    for k in range(200):
        w, x, y = stdp_update(w, x, y, [k in (0, 120)], [k == 50], dt=dt, **RULE, max_weight=1.0)
    expected = stdp_window(5.0, **RULE) + stdp_window(-7.0, **RULE)
    assert w[0] - 0.5 == pytest.approx(expected, rel=1e-12)

    rng = np.random.default_rng(5)
    w = rng.uniform(0.0, 1.0, 50)
    x, y = np.zeros(50), 0.0
    for _ in range(2000):
        w, x, y = stdp_update(
            w,
            x,
            y,
            rng.random(50) < 0.05,
            rng.random() < 0.05,
            dt=1.0,
            potentiation=0.3,
            depression=0.3,
            max_weight=1.0,
        )
        assert w.min() >= 0.0 and w.max() <= 1.0


def test_independent_poisson_pairs_drift_as_the_window_area_predicts():
    dt, duration, rate = 1.0, 20_000.0, 20.0
    n_synapses = 400
    rng = np.random.default_rng(8)
    # Weights are conductances (never negative): start far above 0 and far
    # below the upper bound, so that no bound is ever reached (sd ~ 0.2 nS).
    start = 100.0
    w = np.full(n_synapses, start)
    x, y = np.zeros(n_synapses), np.zeros(n_synapses)
    p = rate * dt / 1000.0
    steps = int(duration / dt)
    pre_all = rng.random((steps, n_synapses)) < p
    post_all = rng.random((steps, n_synapses)) < p
    for k in range(steps):
        w, x, y = stdp_update(
            w, x, y, pre_all[k], post_all[k], dt=dt, **RULE, max_weight=1e9, min_weight=0.0
        )  # in effect unbounded
    # Continuous time: <dw/dt> = r_pre r_post (A+ tau+ - A- tau-)
    # = 20 Hz * 20 Hz * (0.01 * 20 - 0.012 * 15) nS ms / 1000 = 0.008 nS/s.
    drift = stdp_mean_drift(rate, rate, **RULE)
    assert drift == pytest.approx(400 * (0.01 * 20 - 0.012 * 15) / 1000)
    # On a grid the integral of W becomes a sum over lags k dt (geometric
    # series); lag 0 counts as potentiation, which adds ~ (A+ + A-) dt / 2.
    a_plus, a_minus, tau_plus, tau_minus = 0.01, 0.012, 20.0, 15.0
    area = a_plus * dt / (1 - np.exp(-dt / tau_plus)) - a_minus * dt * np.exp(-dt / tau_minus) / (
        1 - np.exp(-dt / tau_minus)
    )
    discrete_drift = rate * rate * area / 1000.0  # 0.0124 nS/s at dt = 1 ms
    measured = (w.mean() - start) / (duration / 1000.0)
    # Each synapse's change is a sum of ~ 20 Hz * 20 Hz * 20 s * 35 ms = 280
    # pair terms of ~0.01 nS with random signs: sd ~ 0.2 nS, so the mean of
    # 400 synapses over 20 s is good to ~0.0005 nS/s; allow 4 sd.
    assert measured == pytest.approx(discrete_drift, abs=0.002)
    assert abs(measured - drift) > 0.002  # the grid correction is visible at dt = 1 ms


def test_simulate_stdp_weight_changes_are_the_sum_of_window_terms():
    dt, duration = 0.1, 3000.0
    rng = np.random.default_rng(12)
    # Spikes on the time grid, so that pair intervals are exact multiples of dt.
    trains = [
        np.unique(np.round(t / dt)) * dt
        for t in correlated_spike_trains(30, 20.0, 0.3, duration, rng)
    ]
    rule = dict(potentiation=1e-4, depression=1.2e-4, potentiation_time=20.0, depression_time=20.0)
    result = simulate_stdp(
        input_spike_trains=trains,
        initial_weights=1.5,
        duration=duration,
        dt=dt,
        max_weight=100.0,
        **rule,
    )
    assert result.post_spike_times.size > 20
    post = result.post_spike_times
    expected = np.array(
        [stdp_window((post[:, None] - train[None, :]).ravel(), **rule).sum() for train in trains]
    )
    np.testing.assert_allclose(result.final_weights - 1.5, expected, rtol=1e-9, atol=1e-12)


def test_correlated_inputs_win_the_competition():
    rng = np.random.default_rng(21)
    duration = 10_000.0
    correlated = correlated_spike_trains(50, 10.0, 0.2, duration, rng)
    independent = correlated_spike_trains(50, 10.0, 0.0, duration, rng)
    result = simulate_stdp(
        input_spike_trains=correlated + independent,
        initial_weights=0.5,
        duration=duration,
        dt=0.1,
        potentiation=0.005,
        depression=0.006,
        max_weight=1.0,
    )
    final = result.final_weights
    assert final.min() >= 0.0 and final.max() <= 1.0
    assert final[:50].mean() > 0.5 > final[50:].mean()
    assert final[:50].min() > final[50:].max()
    assert result.weights.shape == (100, 100)  # sampled every 100 ms
    np.testing.assert_array_equal(result.weights[0], 0.5)


def test_no_plasticity_keeps_the_weights():
    rng = np.random.default_rng(4)
    trains = correlated_spike_trains(20, 10.0, 0.0, 1000.0, rng)
    result = simulate_stdp(
        input_spike_trains=trains,
        initial_weights=0.7,
        duration=1000.0,
        dt=0.1,
        potentiation=0.0,
        depression=0.0,
        max_weight=1.0,
    )
    np.testing.assert_array_equal(result.final_weights, 0.7)


def test_correlated_trains_have_the_requested_rate_and_correlation():
    rng = np.random.default_rng(9)
    rate, c, duration = 20.0, 0.3, 50_000.0
    trains = correlated_spike_trains(40, rate, c, duration, rng)
    counts = np.array([np.histogram(t, bins=np.arange(0, duration + 1, 100.0))[0] for t in trains])
    # The trains share the mother train (3333 +- 58 spikes here), so their
    # mean rate scatters by ~2 %: allow 3 sd.
    assert counts.sum(axis=1).mean() / duration * 1000 == pytest.approx(rate, rel=0.06)
    corr = np.corrcoef(counts)
    off_diagonal = corr[~np.eye(40, dtype=bool)]
    # Thinning: cov = c * rate * T, var = rate * T, so the correlation is c.
    assert off_diagonal.mean() == pytest.approx(c, abs=0.02)
    independent = correlated_spike_trains(40, rate, 0.0, duration, rng)
    counts = np.array(
        [np.histogram(t, bins=np.arange(0, duration + 1, 100.0))[0] for t in independent]
    )
    assert np.corrcoef(counts)[~np.eye(40, dtype=bool)].mean() == pytest.approx(0.0, abs=0.02)


def test_stdp_rejects_bad_arguments_by_name():
    with pytest.raises(ValueError, match="pre_spiked"):
        stdp_update(
            [0.5, 0.5],
            [0, 0],
            0.0,
            [True],
            False,
            dt=0.1,
            potentiation=0.01,
            depression=0.01,
            max_weight=1.0,
        )
    with pytest.raises(ValueError, match="potentiation"):
        stdp_window(1.0, potentiation=-0.1, depression=0.1)
    with pytest.raises(TypeError, match="input_spike_trains"):
        simulate_stdp(
            input_spike_trains=np.array([1.0, 2.0]),
            initial_weights=0.5,
            duration=10.0,
            dt=0.1,
            potentiation=0.01,
            depression=0.01,
            max_weight=1.0,
        )


@pytest.mark.parametrize(("bound", "value"), [("min_weight", -0.1), ("max_weight", -0.5)])
def test_stdp_update_and_simulate_stdp_refuse_negative_weight_bounds(bound, value):
    # A weight is a conductance (nS): a negative bound is a sign slip, refused
    # the same way by the one-step rule and by the simulation.
    limits = {"min_weight": -1.0, "max_weight": 1.0} | {bound: value}
    with pytest.raises(ValueError, match=bound):
        stdp_update([0.5], [0.0], 0.0, [True], False, dt=0.1, **RULE, **limits)
    with pytest.raises(ValueError, match=bound):
        simulate_stdp(input_spike_trains=[np.array([1.0])], initial_weights=0.5,
                      duration=10.0, dt=0.1, **RULE, **limits)


def test_stdp_functions_share_one_rule():
    # Every STDP function validates A+, A-, tau+ and tau- through STDPRule.
    rule = STDPRule(potentiation=0.01, depression=0.012, depression_time=15.0)
    assert (rule.potentiation_time, rule.depression_time) == (20.0, 15.0)
    decay_plus, decay_minus = rule.trace_decays(0.1)
    assert decay_plus == pytest.approx(np.exp(-0.1 / 20.0))
    assert decay_minus == pytest.approx(np.exp(-0.1 / 15.0))
    for bad, name in (({"depression": -0.1}, "depression"),
                      ({"potentiation_time": 0.0}, "potentiation_time")):
        arguments = RULE | bad
        with pytest.raises(ValueError, match=name):
            STDPRule(**arguments)
        with pytest.raises(ValueError, match=name):
            stdp_mean_drift(10.0, 10.0, **arguments)
        with pytest.raises(ValueError, match=name):
            stdp_update([0.5], [0.0], 0.0, [True], False, dt=0.1, max_weight=1.0, **arguments)

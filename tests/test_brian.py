"""course_utils.brian: the Brian2 model builders.

References:
- the LIF: the analytic step response (course_utils.neurons.passive_step_response,
  itself tested against the formula) for method="exact" and
  "exponential_euler", which are exact for a constant current, and the
  analytic LIF firing rate; the course solver in Brian2's order checks only
  the wrapper's plumbing (time-varying current, per-neuron parameters),
  since tests/test_neurons_brian2.py already compares the two models;
- Hodgkin-Huxley: published facts about the 1952 model at 6.3 degC with the
  Dayan & Abbott (2001) parameters: rest at -65 mV with gates m = 0.0529,
  h = 0.5961, n = 0.3177; a spike peaks near +40 mV; no repetitive firing
  below I1 ~ 6.3 uA/cm^2, repetitive firing above the Hopf current
  I2 ~ 9.8 uA/cm^2 at 50-150 Hz (Rinzel & Miller 1980, Math. Biosci. 49:27;
  Izhikevich 2007, Dynamical Systems in Neuroscience, ch. 7); no repetitive
  firing far above ~160 uA/cm^2 (depolarisation block). With the default
  2,500 um^2 of membrane, 1 uA/cm^2 is 25 pA;
- the E-I network: the course solver on the same synapses (statistics only,
  since the random input differs).

Brian2 runs on the numpy target, with short runs.
"""

from __future__ import annotations

import numpy as np
import pytest
from brian_reference import run_brian_ei_network

from course_utils import brian
from course_utils.analysis import cv_of_isi, firing_rate
from course_utils.neurons import lif_firing_rate, passive_step_response, simulate_lif

brian2 = pytest.importorskip("brian2")

pytestmark = pytest.mark.filterwarnings("ignore:.*deprecated.*:DeprecationWarning")

NEURON = dict(
    membrane_capacitance=200.0,
    leak_conductance=10.0,
    leak_reversal=-65.0,
    threshold=-50.0,
    reset=-65.0,
    refractory_period=2.0,
)
UA_PER_CM2 = 25.0  # pA on the default 2,500 um^2 = 2.5e-5 cm^2 of membrane


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


def test_importing_the_module_does_not_import_brian2():
    import subprocess
    import sys

    code = "import sys, course_utils.brian; print('brian2' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_codegen_target_is_restored():
    from brian2 import prefs

    before = prefs.codegen.target
    with brian.codegen_target("numpy"):
        assert prefs.codegen.target == "numpy"
    assert prefs.codegen.target == before
    with pytest.raises(ValueError, match="target"):
        with brian.codegen_target("fortran"):
            pass


def test_spike_steps_tolerates_rounding_but_not_another_grid():
    np.testing.assert_array_equal(
        brian.spike_steps([13.8, 13.799999999999999, 0.3], 0.1), [138, 138, 3]
    )
    with pytest.raises(ValueError, match="different dt"):
        brian.spike_steps([10.05], 0.1)


# --------------------------------------------------------------------------
# LIF
# --------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["exact", "exponential_euler"])
def test_lif_step_response_is_exact_for_a_constant_current(method):
    result = brian.run_brian_lif(duration=100.0, dt=0.5, current=100.0, method=method, **NEURON)
    expected = passive_step_response(
        result.time,
        amplitude=100.0,
        membrane_capacitance=200.0,
        leak_conductance=10.0,
        leak_reversal=-65.0,
    )
    np.testing.assert_allclose(result.voltage[0], expected, rtol=0, atol=1e-9)
    assert result.voltage[0, 0] == -65.0  # starts at E_L, not at Brian2's 0 V
    assert result.spike_times[0].size == 0


def test_lif_euler_error_is_first_order():
    """Halving dt halves forward Euler's largest error (to within 10 %)."""
    errors = []
    for dt in (0.4, 0.2):
        result = brian.run_brian_lif(duration=60.0, dt=dt, current=100.0, **NEURON)
        exact = passive_step_response(
            result.time,
            amplitude=100.0,
            membrane_capacitance=200.0,
            leak_conductance=10.0,
            leak_reversal=-65.0,
        )
        errors.append(np.max(np.abs(result.voltage[0] - exact)))
    assert 1.8 < errors[0] / errors[1] < 2.2


def test_lif_rates_approach_the_analytic_f_i_curve():
    """One NeuronGroup, many currents: rates within one step per interval of theory."""
    currents = np.array([0.0, 140.0, 200.0, 300.0, 500.0])
    dt = 0.01
    result = brian.run_brian_lif(
        duration=500.0, dt=dt, bias_current=currents, method="exact", record_voltage=False, **NEURON
    )
    expected = lif_firing_rate(currents, **NEURON)
    measured = np.array([firing_rate(t, 0.0, 500.0) for t in result.spike_times])
    assert measured[0] == 0.0 and measured[1] == 0.0  # below rheobase (150 pA)
    # Each interval is rounded up to the grid: at most 1 dt longer.
    slowest = 1000.0 / (1000.0 / np.maximum(expected[2:], 1e-9) + dt)
    for rate, low, high in zip(measured[2:], slowest, expected[2:], strict=True):
        # the count over 500 ms can be one spike off either way
        assert low - 2.0 <= rate <= high + 2.0


def test_lif_wrapper_matches_the_course_solver_with_time_varying_input():
    rng = np.random.default_rng(5)
    dt, duration = 0.1, 150.0
    n_steps = round(duration / dt)
    current = 250.0 + rng.normal(0.0, 80.0, (2, n_steps))
    params = dict(
        NEURON, leak_reversal=np.array([-65.0, -70.0]), initial_voltage=np.array([-60.0, -70.0])
    )
    ours = brian.run_brian_lif(duration=duration, dt=dt, current=current, **params)
    course = simulate_lif(
        duration=duration, dt=dt, current=current, step_order="brian2", backend="numpy", **params
    )
    for a, b in zip(ours.spike_times, course.spike_times, strict=True):
        assert a.size >= 3
        np.testing.assert_array_equal(brian.spike_steps(a, dt), brian.spike_steps(b, dt))
    np.testing.assert_allclose(ours.voltage, course.voltage, rtol=0, atol=1e-9)


def test_lif_validation_messages_name_the_argument():
    with pytest.raises(ValueError, match="exact"):
        brian.run_brian_lif(duration=10.0, dt=0.1, current=np.zeros(100), method="exact", **NEURON)
    with pytest.raises(ValueError, match="current has 50 samples"):
        brian.run_brian_lif(duration=10.0, dt=0.1, current=np.zeros(50), **NEURON)
    with pytest.raises(ValueError, match="reset must be below threshold"):
        brian.run_brian_lif(duration=10.0, dt=0.1, **dict(NEURON, reset=-40.0))
    with pytest.raises(ValueError, match="same number of neurons"):
        brian.run_brian_lif(
            duration=10.0,
            dt=0.1,
            bias_current=[1.0, 2.0],
            **dict(NEURON, threshold=[-50.0, -50.0, -50.0]),
        )
    with pytest.raises(ValueError, match="method"):
        brian.run_brian_lif(duration=10.0, dt=0.1, method="rk4", **NEURON)
    with pytest.raises(ValueError, match="dt"):
        brian.run_brian_lif(duration=10.0, dt=-0.1, **NEURON)


# --------------------------------------------------------------------------
# Hodgkin-Huxley
# --------------------------------------------------------------------------


def test_hh_steady_state_at_rest_matches_the_published_values():
    m, h, n = brian.hh_steady_state(-65.0)
    assert m == pytest.approx(0.0529, abs=5e-4)
    assert h == pytest.approx(0.5961, abs=5e-4)
    assert n == pytest.approx(0.3177, abs=5e-4)
    # continuous through the removable singularities of alpha_m and alpha_n
    near = brian.hh_steady_state(np.array([-40.0 - 1e-9, -40.0, -55.0, -55.0 + 1e-9]))
    assert np.all(np.isfinite(near))
    np.testing.assert_allclose(near[0][0], near[0][1], rtol=1e-6)
    np.testing.assert_allclose(near[2][2], near[2][3], rtol=1e-6)


def test_hh_parameters_scale_with_area():
    default = brian.HodgkinHuxleyParameters()
    assert brian.HodgkinHuxleyParameters.for_area(2500.0) == default
    # 1 uF/cm^2 on 1e4 um^2 = 1e-4 cm^2 is 100 pF; 120 mS/cm^2 is 12 uS
    big = brian.HodgkinHuxleyParameters.for_area(10_000.0)
    assert big.membrane_capacitance == pytest.approx(100.0)
    assert big.sodium_conductance == pytest.approx(12_000.0)
    with pytest.raises(ValueError, match="membrane_capacitance"):
        brian.HodgkinHuxleyParameters(membrane_capacitance=-1.0)


def test_hh_rests_at_minus_65_mv_and_fires_for_a_strong_step():
    dt, duration = 0.025, 100.0
    time = np.arange(round(duration / dt)) * dt
    current = np.where(time >= 20.0, 10.0 * UA_PER_CM2, 0.0)
    result = brian.run_brian_hh(duration=duration, dt=dt, current=current, bias_current=[0.0, 0.0])
    assert result.voltage.shape == (2, time.size)
    quiet = result.voltage[0, time < 20.0]
    assert np.max(np.abs(quiet + 65.0)) < 0.1  # rest -65 mV
    assert result.spike_times[0].size and result.spike_times[0][0] >= 20.0
    peak = result.voltage[0].max()
    assert 30.0 < peak < 50.0  # overshoot to about +40 mV, below E_Na = 50 mV
    assert set(result.traces) == {"m", "h", "n"}
    assert result.traces["m"][0, 0] == pytest.approx(0.0529, abs=5e-4)


def test_hh_f_i_curve_is_type_ii_with_depolarisation_block():
    currents = np.array([5.0, 12.0, 400.0]) * UA_PER_CM2
    result = brian.run_brian_hh(duration=250.0, bias_current=currents, record_voltage=False)
    late = [firing_rate(t, 100.0, 250.0) for t in result.spike_times]
    assert late[0] == 0.0  # below I1: at most a transient spike, no repetitive firing
    assert 50.0 <= late[1] <= 150.0  # above I2: repetitive firing, never slowly
    assert late[2] == 0.0  # depolarisation block


def test_hh_validation():
    with pytest.raises(ValueError, match="0/0"):
        brian.run_brian_hh(duration=1.0, initial_voltage=-40.0)
    with pytest.raises(TypeError, match="HodgkinHuxleyParameters"):
        brian.run_brian_hh(duration=1.0, parameters={"membrane_capacitance": 1.0})
    with pytest.raises(ValueError, match="method"):
        brian.run_brian_hh(duration=1.0, method="exact")


# --------------------------------------------------------------------------
# E-I network
# --------------------------------------------------------------------------


def test_ei_network_statistics_match_the_course_solver():
    from course_utils.networks import simulate_ei_network

    params = dict(
        n_excitatory=160,
        n_inhibitory=40,
        connection_probability=0.1,
        excitatory_weight=0.5,
        inhibitory_weight=4.0,
        duration=500.0,
        dt=0.1,
        external_rate=10.0,
        n_external=200,
        external_weight=0.5,
    )
    course = simulate_ei_network(**params, rng=np.random.default_rng(1))
    ours = run_brian_ei_network(course, rng=np.random.default_rng(2), record=[0])
    np.testing.assert_array_equal(ours.pre, course.pre)
    assert ours.traces["voltage"].shape == (1, course.time.size)
    rate_brian, rate_course = ours.firing_rates.mean(), course.firing_rates.mean()
    assert rate_course > 2.0  # the network is active
    # Different random input, same statistics: mean rates within 20 %, mean
    # CVs within 0.15 (seed-to-seed spread of either solver is ~5 % and ~0.03).
    assert abs(rate_brian - rate_course) < 0.2 * rate_course
    cv_brian = np.nanmean([cv_of_isi(t) for t in ours.spike_times])
    assert abs(cv_brian - np.nanmean(course.cv_isi())) < 0.15


def test_ei_network_leaves_numpy_global_random_state_alone():
    from course_utils.networks import simulate_ei_network

    course = simulate_ei_network(
        n_excitatory=8,
        n_inhibitory=2,
        connection_probability=0.2,
        excitatory_weight=0.5,
        inhibitory_weight=2.0,
        duration=20.0,
        dt=0.1,
        rng=np.random.default_rng(0),
        external_rate=10.0,
        n_external=100,
    )
    np.random.seed(123)  # noqa: NPY002 - checking that Brian2 does not disturb it
    expected = np.random.random()  # noqa: NPY002
    np.random.seed(123)  # noqa: NPY002
    run_brian_ei_network(course, rng=np.random.default_rng(1))
    assert np.random.random() == expected  # noqa: NPY002
    with pytest.raises(TypeError, match="simulate_ei_network"):
        run_brian_ei_network({"spike_times": []}, rng=np.random.default_rng(1))


def test_lesson_lif_runs_five_generated_programs_per_step():
    """Lesson 4, section 3: the LIF with a StateMonitor and a SpikeMonitor.

    Six objects in the schedule; the group itself runs no code, the other
    five each run one generated program per step (not "~20").
    """
    from brian2 import Network, NeuronGroup, SpikeMonitor, StateMonitor, ms, mV, nS, pF, prefs

    previous = prefs.codegen.target
    prefs.codegen.target = "numpy"
    try:
        group = NeuronGroup(
            1, brian.lif_equations(), threshold="v >= V_th", reset="v = V_reset",
            refractory=2 * ms, method="euler",
            namespace=dict(C_m=200 * pF, g_L=10 * nS, E_L=-65 * mV, V_th=-50 * mV,
                           V_reset=-65 * mV),
        )
        network = Network(group, StateMonitor(group, "v", record=0), SpikeMonitor(group))
        network.run(0.1 * ms)
        objects = network.sorted_objects
        programs = [code for scheduled in objects for code in scheduled._code_objects]
    finally:
        prefs.codegen.target = previous
    assert len(objects) == 6
    assert len(programs) == 5
    assert [o.when for o in objects] == ["start", "start", "groups", "thresholds",
                                         "thresholds", "resets"]


def test_lesson_explorer_rheobase_premise():
    # Lesson 4's explorer answer: spikes appear just above g_L (V_th - E_L) = 150 pA.
    below = simulate_lif(duration=1000.0, dt=0.1, current=149.0, backend="numpy", **NEURON)
    above = simulate_lif(duration=1000.0, dt=0.1, current=155.0, backend="numpy", **NEURON)
    assert below.spike_counts[0] == 0
    assert above.spike_counts[0] > 0

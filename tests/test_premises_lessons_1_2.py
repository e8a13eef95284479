"""The numbers that lessons 1 and 2 state in their prose and Think questions,
recomputed with the course's own code (issue 21: think premises must be true).

Each test names the lesson section whose claim it checks. Expected values are
the ones printed in the lesson text; the computations use course_utils, so a
change in the physics that made a sentence false fails here.
"""

from __future__ import annotations

import numpy as np
import pytest

from course_utils import inputs, neurons, synapses
from course_utils.simulator import CurrentInput, PassiveNeuron, Simulator, SynapticInput


def peak_epsp(peak_conductance, dt=0.1):
    """Peak depolarisation (mV) of the standard cell after one AMPA event (lesson 2's input)."""
    simulator = Simulator(dt=dt)
    neuron = simulator.add(PassiveNeuron())
    neuron.add_input(SynapticInput([10.0], synapses.AMPA, peak_conductance=peak_conductance))
    simulator.run(100.0)
    return simulator.recorded_voltage(neuron).max() + 70.0


def test_lesson1_s2_one_ampa_event_is_half_a_millivolt_and_50_ns_is_36():
    assert peak_epsp(0.5) == pytest.approx(0.56, abs=0.005)
    assert peak_epsp(50.0) == pytest.approx(36.0, abs=0.5)
    assert peak_epsp(50.0) > 20.0  # "far past the firing threshold, ~20 mV above rest"


def test_lesson1_s5_dual_exponential_epsp_is_0_63_mV():
    """Lesson 3's AMPA shape on the standard cell, integrated finely."""
    dt = 0.01
    time = inputs.time_grid(100.0, dt)
    g = synapses.conductance_analytical(time, [10.0], 0.5, 5.0, "dual_exponential", 0.2)
    v, peak = -70.0, -70.0
    for conductance in g:
        v += dt / 200.0 * (10.0 * (-70.0 - v) + conductance * (0.0 - v))
        peak = max(peak, v)
    assert peak + 70.0 == pytest.approx(0.63, abs=0.005)
    assert synapses.kernel_area(5.0, "dual_exponential", 0.2) / 5.0 == pytest.approx(1.14,
                                                                                      abs=0.01)


def test_lesson1_think_refractory_fraction_of_short_intervals():
    """4% of the intervals at 20 Hz, a third at 200 Hz are below 2 ms."""
    rng = np.random.default_rng(0)
    slow = np.diff(synapses.poisson_spike_train(20.0, 5_000_000.0, rng))  # 100,000 intervals
    fast = np.diff(synapses.poisson_spike_train(200.0, 100_000.0, rng))
    assert np.mean(slow < 2.0) == pytest.approx(0.04, abs=0.005)
    assert np.mean(fast < 2.0) == pytest.approx(1 / 3, abs=0.02)


def test_lesson1_think_euler_factor_at_7_and_12_ms():
    assert synapses.decay_factor(7.0, 5.0, "euler") == pytest.approx(-0.4)
    assert synapses.decay_factor(12.0, 5.0, "euler") == pytest.approx(-1.4)
    for dt in (7.0, 12.0):
        assert 0.0 < synapses.decay_factor(dt, 5.0, "exact") < 1.0


def test_lesson1_think_immature_gaba_excites_at_rest_and_inhibits_above():
    assert synapses.synaptic_current(1.0, -70.0, -55.0) > 0
    assert synapses.synaptic_current(1.0, -50.0, -55.0) < 0


def test_lesson1_s6_shunting_numbers():
    depolarisation = [2 * 70.0 / (10.0 + 2.0 + g_i) for g_i in (0.0, 10.0, 30.0)]
    assert np.round(depolarisation, 1).tolist() == [11.7, 6.4, 3.3]
    assert synapses.synaptic_current(10.0, -70.0, -70.0) == 0.0
    assert synapses.synaptic_current(1.0, -70.0, synapses.GABA_A.reversal_potential) == -5.0


def test_lesson1_s3_snapping_error_is_1_5_spikes_per_ms_g_max_dt():
    """The 1.5 of the snapping estimate (1 for the early sample, 0.5 for the shift)."""
    rng = np.random.default_rng(7)
    spikes = synapses.poisson_spike_train(20.0, 20_000.0, rng)
    for dt in (0.05, 0.1, 0.2):
        grid = inputs.time_grid(20_000.0, dt)
        analytical = synapses.conductance_analytical(grid, spikes, 0.5, 5.0)
        stepped = synapses.conductance_numerical(grid, spikes, 0.5, 5.0, method="exact")
        predicted = 1.5 * spikes.size / 20_000.0 * 0.5 * dt
        assert np.abs(stepped - analytical).mean() == pytest.approx(predicted, rel=0.1)


def test_lesson1_think_high_conductance_state():
    """5000 AMPA inputs at 2 Hz: 25 nS on average, relative fluctuations of 10%."""
    rng = np.random.default_rng(3)
    time = inputs.time_grid(1050.0, 0.1)
    trains = synapses.poisson_population(5000, 2.0, 1050.0, rng)
    g = synapses.total_conductance(time, trains, synapses.AMPA, shape="exponential")[500:]
    assert g.mean() == pytest.approx(25.0, rel=0.05)
    assert g.std() / g.mean() == pytest.approx(0.10, abs=0.015)


def dead_time_poisson(rate, duration, dead_time, rng):
    """Independent of the lesson's hidden solution: a loop over intervals."""
    times, t = [], 0.0
    free_mean = 1000.0 / rate - dead_time
    while True:
        t += dead_time + rng.exponential(free_mean)
        if t >= duration:
            return np.array(times)
        times.append(t)


@pytest.mark.parametrize(("rate", "cv"), [(20.0, 0.96), (200.0, 0.6)])
def test_lesson1_challenge_dead_time_cv_and_fano(rate, cv):
    rng = np.random.default_rng(1)
    intervals = np.diff(dead_time_poisson(rate, 200_000.0, 2.0, rng))
    assert intervals.std() / intervals.mean() == pytest.approx(cv, abs=0.02)
    counts = np.array([dead_time_poisson(rate, 1000.0, 2.0, rng).size for _ in range(2000)])
    assert counts.var(ddof=1) / counts.mean() == pytest.approx(cv**2, abs=0.07)


def test_lesson2_s2_ball_and_stick_is_not_electrotonically_compact():
    r_m, r_i, diameter = 20e3, 100.0, 4e-4  # Ohm cm^2, Ohm cm, cm
    length_constant = np.sqrt(r_m * diameter / (4 * r_i)) * 1e4  # um
    assert length_constant == pytest.approx(1414, abs=1)
    assert 1500.0 / length_constant == pytest.approx(1.06, abs=0.01)


def test_lesson2_think_doubling_every_length():
    from course_utils.simulator import ball_and_stick_area

    small, big = ball_and_stick_area(20.0, 1500.0, 4.0), ball_and_stick_area(40.0, 3000.0, 8.0)
    assert big / small == pytest.approx(4.0)
    resistance_small = 20e3 / (small * 1e-8) / 1e9  # GOhm: r_m / A
    resistance_big = 20e3 / (big * 1e-8) / 1e9
    assert 10.0 * resistance_small == pytest.approx(1.0, rel=0.01)  # ~1 mV for 10 pA
    assert 10.0 * resistance_big == pytest.approx(0.25, rel=0.01)


def charging_error(leak_conductance, dt=0.1, amplitude=100.0):
    simulator = Simulator(dt=dt)
    neuron = simulator.add(PassiveNeuron(leak_conductance=leak_conductance))
    neuron.add_input(CurrentInput(amplitude))
    simulator.run(100.0)
    exact = neurons.passive_step_response(simulator.recorded_time, amplitude=amplitude,
                                          membrane_capacitance=200.0,
                                          leak_conductance=leak_conductance, leak_reversal=-70.0)
    return np.abs(simulator.recorded_voltage(neuron) - exact).max()


def test_lesson2_think_high_conductance_only_the_relative_error_grows_tenfold():
    rest, busy = charging_error(10.0), charging_error(100.0)
    relative_rest, relative_busy = rest / 10.0, busy / 1.0  # R I = 10 mV and 1 mV
    assert relative_busy / relative_rest == pytest.approx(10.0, rel=0.05)
    assert busy / rest == pytest.approx(1.0, rel=0.05)
    # Unstable from dt = 2 tau = 4 ms on: Euler's factor reaches -1 there.
    assert 1.0 - 4.0 / (200.0 / 100.0) == -1.0


def test_lesson2_think_recorded_cell():
    capacitance = 41.0 / 0.115  # pF: tau / R
    area = capacitance / 1e6 * 1e8  # um^2: c_m = 1 uF/cm^2 = 1e6 pF/cm^2
    assert capacitance == pytest.approx(357, abs=1)
    assert area == pytest.approx(36_000, rel=0.01)
    assert 41.0 / 1.0 == 41.0  # r_m = tau / c_m: ms / (uF/cm^2) = kOhm cm^2


def test_lesson2_s6_epsp_and_ipsp_at_rest_and_held():
    """0.56 mV EPSP at rest, smaller when held near -55 mV; IPSP 4x larger there."""
    results = {}
    for holding in (0.0, 150.0):
        simulator = Simulator(dt=0.1)
        neuron = simulator.add(PassiveNeuron(initial_voltage=-70.0 + 0.1 * holding))
        neuron.add_input(CurrentInput(holding))
        neuron.add_input(SynapticInput([20.0], synapses.AMPA))
        neuron.add_input(SynapticInput([120.0], synapses.GABA_A))
        simulator.run(220.0)
        time, voltage = simulator.recorded_time, simulator.recorded_voltage(neuron)
        change = voltage - voltage[0]
        results[holding] = (change[time < 100.0].max(), change[time >= 100.0].min())
    assert results[0.0][0] == pytest.approx(0.56, abs=0.01)
    assert results[150.0][0] < results[0.0][0]
    assert results[150.0][1] / results[0.0][1] == pytest.approx(4.0, rel=0.1)

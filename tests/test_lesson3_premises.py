"""The numbers Lesson 3's text, think questions and predictions rest on,
computed with the course's own code (issue 21: every numeric premise tested).

Units: ms, mV, pA, nS, pF, Hz. Expected values are worked out by hand from
the analytic LIF rate f = 1000 / (t_ref + tau ln((V_inf - V_reset) / (V_inf - V_th))),
V_inf = E_L + I / g_L, for the lesson's cell (200 pF, 10 nS, -70 mV, V_th = -50 mV,
V_reset = -65 mV, t_ref = 2 ms).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from course_utils import inputs, neurons, synapses
from course_utils.simulator import CurrentInput, LIFNeuron, PerfectIntegrator, Simulator

CELL = dict(membrane_capacitance=200.0, leak_conductance=10.0, leak_reversal=-70.0)
LIF = dict(CELL, threshold=-50.0, reset=-65.0, refractory_period=2.0)


def by_hand(current, tau=20.0, t_ref=2.0):
    v_inf = -70.0 + current / 10.0
    return 1000.0 / (t_ref + tau * math.log((v_inf + 65.0) / (v_inf + 50.0)))


def steady_rate(train):
    return 1000.0 / np.mean(np.diff(train))


def test_section4_think_near_the_rheobase():
    """Think 4.1: 200.5 -> 201 pA is +0.25 % current but +13 % rate; Euler at
    dt = 0.1 ms is off by ~0.2 % at 201 pA, about as at 300 pA; a threshold
    higher by 0.05 mV changes the rate by more than 10 %."""
    assert by_hand(200.5) == pytest.approx(8.61, abs=0.005)
    assert by_hand(201.0) == pytest.approx(9.77, abs=0.005)
    assert 0.12 < by_hand(201.0) / by_hand(200.5) - 1.0 < 0.14
    np.testing.assert_allclose(neurons.lif_firing_rate(np.array([200.5, 201.0]), **LIF),
                               [by_hand(200.5), by_hand(201.0)], rtol=1e-12)
    run = neurons.simulate_lif(duration=5000.0, dt=0.1, bias_current=[201.0, 300.0],
                               record_voltage=False, **LIF)
    near, far = (steady_rate(train) for train in run.spike_times)
    assert near == pytest.approx(9.79, abs=0.01)
    assert abs(near / by_hand(201.0) - 1.0) < 0.003
    assert abs(far / by_hand(300.0) - 1.0) < 0.003
    higher_threshold = neurons.lif_firing_rate(201.0, **(LIF | {"threshold": -49.95}))
    assert higher_threshold / by_hand(201.0) - 1.0 < -0.10


def test_section4_explorer_answers():
    """Explorer answers: t_ref = 10 ms at 600 pA gives 61 Hz, below the 100 Hz
    ceiling; tau = 50 ms (C = 500 pF) at 300 pA gives ~21 Hz instead of 49 Hz."""
    assert by_hand(600.0, t_ref=10.0) == pytest.approx(61.1, abs=0.05)
    assert by_hand(300.0, tau=50.0) == pytest.approx(20.9, abs=0.05)
    assert by_hand(300.0) == pytest.approx(49.2, abs=0.05)
    slow = neurons.lif_firing_rate(300.0, **(LIF | {"membrane_capacitance": 500.0}))
    assert slow == pytest.approx(by_hand(300.0, tau=50.0), rel=1e-12)


def test_section4_prediction_rheobase_and_ceiling():
    """The predictions' answers: the simulation first fires at 200.5 pA on a
    0.5 pA grid (190-210 pA, 2 s); the rate never exceeds 1000 / t_ref."""
    from course_utils.checks.lif import _simulated_rheobase

    assert _simulated_rheobase() == 200.5
    rates = neurons.lif_firing_rate(np.array([1e4, 1e5, 1e6]), **LIF)
    assert np.all(rates < 500.0) and rates[-1] > 499.0


def test_section3_hundred_picoamperes():
    """100 pA: the LIF settles at -60 mV and never fires; the perfect integrator
    fires every 2 + 200 x 15 / 100 = 32 ms (on the 0.1 ms grid)."""
    simulator = Simulator(dt=0.1)
    leaky = simulator.add(LIFNeuron("leaky"))
    perfect = simulator.add(PerfectIntegrator("perfect"))
    for neuron in simulator.neurons:
        neuron.add_input(CurrentInput(100.0))
    simulator.run(300.0)
    assert leaky.spike_times == []
    assert simulator.recorded_voltage(leaky)[-1] == pytest.approx(-60.0, abs=0.01)
    np.testing.assert_allclose(np.diff(perfect.spike_times), 32.0, atol=0.1 + 1e-9)


def test_section5_one_epsp_and_the_volley_that_fires():
    """Section 5: one AMPA event lifts V by about 0.6 mV; 20 synchronous events
    stay below threshold, 40 make the cell fire."""
    dt, duration = 0.1, 100.0
    time = inputs.time_grid(duration, dt)
    preset = synapses.AMPA
    one = synapses.conductance_numerical(time, [10.0], preset.peak_conductance,
                                         preset.decay_time, "dual_exponential",
                                         preset.rise_time)
    g = np.array([n * one for n in (1, 20, 40)])
    free = neurons.simulate_passive(duration=duration, dt=dt, excitatory_conductance=g, **CELL)
    spiking = neurons.simulate_lif(duration=duration, dt=dt, excitatory_conductance=g, **LIF)
    assert 0.5 < free.voltage[0].max() + 70.0 < 0.7
    assert [len(train) for train in spiking.spike_times] == [0, 0, 1]


def test_section7_balanced_input_is_the_irregular_one():
    """The irregularity prediction: balanced input (mean V below threshold)
    gives a CV near 1, mean-driven input a CV near 0.3 (the lesson's rates)."""
    dt, duration = 0.1, 5000.0
    time = inputs.time_grid(duration, dt)
    rng = np.random.default_rng(5)

    def population(n, rate, preset):
        train = synapses.poisson_spike_train(n * rate, duration, rng) if rate else []
        return synapses.total_conductance(time, [train], preset)

    g_e = np.array([population(800, 2.5, synapses.AMPA), population(800, 6.5, synapses.AMPA)])
    g_i = np.array([population(200, 0.0, synapses.GABA_A),
                    population(200, 12.5, synapses.GABA_A)])
    run = neurons.simulate_lif(duration=duration, dt=dt, excitatory_conductance=g_e,
                               inhibitory_conductance=g_i,
                               inhibitory_reversal=synapses.GABA_A.reversal_potential,
                               record_voltage=False, **LIF)
    cv = [np.std(np.diff(t)) / np.mean(np.diff(t)) for t in run.spike_times]
    assert cv[0] < 0.4 and cv[1] > 0.7


def test_section8_going_further_the_membrane_is_a_low_pass_filter():
    """'Going further': a sinusoidal current moves V by almost I0 / g_L at 1 Hz
    and much less at 100 Hz; corner 1 / (2 pi tau) = 8 Hz. By hand, the
    amplitude is (I0 / g_L) / sqrt(1 + (2 pi f tau)^2): 0.992, 0.623 and
    0.079 of I0 / g_L at 1, 10 and 100 Hz for tau = 20 ms."""
    amplitude = 50.0  # pA: +-5 mV at most, far below the threshold
    for frequency, fraction in ((1.0, 0.992), (10.0, 0.623), (100.0, 0.079)):
        dt, duration = 0.05, 3000.0
        time = inputs.time_grid(duration, dt)
        current = amplitude * np.sin(2 * np.pi * frequency * time / 1000.0)
        v = neurons.simulate_passive(duration=duration, dt=dt, current=current,
                                     method="exponential_euler", **CELL).voltage[0]
        settled = v[time >= 1000.0] + 70.0  # after 50 tau
        swing = (settled.max() - settled.min()) / 2.0
        assert swing / (amplitude / 10.0) == pytest.approx(fraction, abs=0.01)
    assert 1000.0 / (2 * np.pi * 20.0) == pytest.approx(7.96, abs=0.01)


def test_interactive_f_i_caption_numbers():
    # "10 pA above the rheobase already give about 17 Hz" (lesson 3's interactive f-I figure).
    from course_utils.neurons import lif_firing_rate

    rate = lif_firing_rate(210.0, membrane_capacitance=200.0, leak_conductance=10.0,
                           leak_reversal=-70.0, threshold=-50.0, reset=-65.0,
                           refractory_period=2.0)
    assert 16.5 < float(rate) < 17.5

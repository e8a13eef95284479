"""Tests of the integrate-and-fire classes of course_utils.simulator (Lesson 3).

Units: ms, mV, pA, nS, pF, Hz.

Expected values: neurons.simulate_lif in the textbook step order (tested
against analytic rates and Brian2 in test_neurons*.py), the analytic LIF
interval, and the perfect integrator's C (V_th - V_reset) / I by hand. The
Lesson 3 checkers must accept both reference classes.
"""

from __future__ import annotations

import logging

import numpy as np
import pytest

from course_utils import synapses
from course_utils.checks import CORRECT
from course_utils.checks.lif import check_lif_neuron, check_perfect_integrator
from course_utils.neurons import simulate_lif
from course_utils.simulator import (
    CurrentInput,
    LIFNeuron,
    PassiveNeuron,
    PerfectIntegrator,
    Simulator,
    SynapticInput,
)


def test_lif_neuron_reproduces_simulate_lif_exactly():
    simulator = Simulator(dt=0.1)
    neurons = [
        simulator.add(LIFNeuron(f"n{i}", refractory_period=t_ref))
        for i, t_ref in enumerate((2.0, 5.0))
    ]
    for neuron, current in zip(neurons, (300.0, 2000.0), strict=True):
        neuron.add_input(CurrentInput(current))
    simulator.run(300.0)
    reference = simulate_lif(
        duration=300.0,
        dt=0.1,
        bias_current=[300.0, 2000.0],
        membrane_capacitance=200.0,
        leak_conductance=10.0,
        leak_reversal=-70.0,
        threshold=-50.0,
        reset=-65.0,
        refractory_period=[2.0, 5.0],
        step_order="textbook",
        backend="numpy",
    )
    for i, neuron in enumerate(neurons):
        np.testing.assert_allclose(neuron.spike_times, reference.spike_times[i], atol=1e-9)
        np.testing.assert_allclose(
            simulator.recorded_voltage(neuron), reference.voltage[i], atol=1e-9
        )
    # By hand: 300 pA -> ISI = 2 + 20 ln(25 / 10) = 20.33 ms, to within one step.
    isi = np.diff(neurons[0].spike_times)
    np.testing.assert_allclose(isi, 2.0 + 20.0 * np.log(2.5), atol=0.1)


def test_perfect_integrator_interval_by_hand():
    simulator = Simulator(dt=0.1)
    neuron = simulator.add(PerfectIntegrator("perfect", refractory_period=2.0))
    neuron.add_input(CurrentInput(100.0))
    simulator.run(300.0)
    # From rest (-70 mV): 200 pF * 20 mV / 100 pA = 40 ms; then 2 ms + 200 * 15 / 100 = 32 ms.
    assert neuron.spike_times[0] == pytest.approx(40.0, abs=0.1 + 1e-9)
    np.testing.assert_allclose(np.diff(neuron.spike_times), 32.0, atol=0.1 + 1e-9)
    assert neuron.leak_current() == 0.0


def test_reference_classes_pass_the_lesson_checks():
    assert check_lif_neuron(LIFNeuron, strict=True).status == CORRECT
    assert check_perfect_integrator(PerfectIntegrator, strict=True).status == CORRECT


def test_rerun_starts_afresh_and_passive_neighbours_are_unaffected():
    simulator = Simulator(dt=0.1)
    lif = simulator.add(LIFNeuron("lif"))
    passive = simulator.add(PassiveNeuron("passive"))
    for neuron in (lif, passive):
        neuron.add_input(CurrentInput(300.0))
    simulator.run(100.0)
    first = list(lif.spike_times)
    simulator.run(100.0)
    assert lif.spike_times == first
    # The passive neuron, stepped by the same simulator, never resets: it
    # relaxes towards E_L + I / g_L = -40 mV.
    assert simulator.recorded_voltage(passive)[-1] > -45.0


def test_synaptic_inputs_keep_advancing_during_the_refractory_period():
    simulator = Simulator(dt=0.1)
    neuron = simulator.add(LIFNeuron("driven", refractory_period=5.0))
    # 3 nS every 0.5 ms drives the neuron hard; the synapse must keep its own
    # clock while V is clamped (a stale synapse raises a ValueError).
    neuron.add_input(SynapticInput(np.arange(5.0, 200.0, 0.5), synapses.AMPA, peak_conductance=3.0))
    simulator.run(200.0)
    assert len(neuron.spike_times) > 5
    assert np.min(np.diff(neuron.spike_times)) >= 5.0 - 1e-9


def test_each_spike_is_logged_on_the_neurons_own_logger(caplog):
    simulator = Simulator(dt=0.1)
    loud = simulator.add(LIFNeuron("loud"))
    quiet = simulator.add(LIFNeuron("quiet"))
    for neuron in (loud, quiet):
        neuron.add_input(CurrentInput(400.0))
    assert loud.logger.name == "course_utils.simulator.loud"
    with caplog.at_level(logging.DEBUG, logger="course_utils.simulator.loud"):
        simulator.run(60.0)
    messages = [r.getMessage() for r in caplog.records if r.name.startswith("course_utils")]
    assert len(messages) == len(loud.spike_times) > 0
    assert all(message.startswith("loud spiked") for message in messages)


def test_reset_must_be_below_threshold():
    with pytest.raises(ValueError, match="reset_voltage"):
        LIFNeuron("bad", threshold=-50.0, reset_voltage=-40.0)
    with pytest.raises(ValueError, match="refractory_period"):
        LIFNeuron("bad", refractory_period=-1.0)


# --------------------------------------------------------------------------
# One refractory rule: whole steps, floor(t_ref / dt), as Brian2 counts them
# --------------------------------------------------------------------------

# (refractory period, dt) in ms, with floor(t_ref / dt) worked out by hand.
# None is a multiple of dt, so rounding to the nearest step would give one
# step more; in the last three t_ref / dt is n + 1/2 (in floating point a hair
# below or above), where the old nearest-step rule let rounding decide.
NOT_MULTIPLES = [
    (2.0, 0.3, 6),   # 6.67 steps: 6 steps = 1.8 ms fit, 7 = 2.1 ms do not
    (2.1, 0.2, 10),  # 10.5 steps
    (1.05, 0.1, 10),  # 10.5 steps (10.499999999999998 in floating point)
    (0.25, 0.1, 2),  # 2.5 steps (2.4999999999999996 in floating point)
]


def _held_samples(voltage, spike_indices, reset):
    """For each spike, how many recorded samples in a row sit at the reset value."""
    counts = []
    for k in spike_indices:
        n = 0
        while k + n < voltage.size and voltage[k + n] == reset:
            n += 1
        counts.append(n)
    return counts[:-1]  # the last spike may be cut off by the end of the run


@pytest.mark.parametrize(("refractory_period", "dt", "whole_steps"), NOT_MULTIPLES)
def test_refractory_period_is_floor_of_whole_steps(refractory_period, dt, whole_steps):
    simulator = Simulator(dt=dt)
    neuron = simulator.add(LIFNeuron("lif", refractory_period=refractory_period))
    neuron.add_input(CurrentInput(2000.0))  # strong: the refractory period matters
    simulator.run(150.0)
    voltage = simulator.recorded_voltage(neuron)
    spikes = np.round(np.array(neuron.spike_times) / dt).astype(int)
    assert spikes.size > 10
    # The sample at the spike time is the reset; then whole_steps more samples.
    assert set(_held_samples(voltage, spikes, -65.0)) == {whole_steps + 1}
    # A constant input gives one interval, never two that alternate.
    assert np.unique(np.diff(spikes)).size == 1

    reference = simulate_lif(
        duration=150.0, dt=dt, bias_current=2000.0, membrane_capacitance=200.0,
        leak_conductance=10.0, leak_reversal=-70.0, threshold=-50.0, reset=-65.0,
        refractory_period=refractory_period, step_order="textbook", backend="numpy",
    )
    np.testing.assert_allclose(neuron.spike_times, reference.spike_times[0], atol=1e-9)
    np.testing.assert_allclose(voltage, reference.voltage[0], atol=1e-9)


@pytest.mark.filterwarnings("ignore:.*deprecated.*:DeprecationWarning")
@pytest.mark.parametrize(("refractory_period", "dt", "whole_steps"), NOT_MULTIPLES)
def test_refractory_rule_matches_brian2(refractory_period, dt, whole_steps):
    """The teaching class against Brian2 itself (numpy target, exact spike steps).

    Brian2 labels a spike with the start of its step and counts the
    refractory period from there (see test_neurons_brian2.py): the first
    spike comes one step earlier, and with a constant current every interval
    is one step shorter. Everything else, the refractory steps included,
    must be identical.
    """
    brian2 = pytest.importorskip("brian2")
    from brian2 import NeuronGroup, SpikeMonitor, defaultclock, ms, mV, nS, pA, pF

    old_target, old_dt = brian2.prefs.codegen.target, defaultclock.dt
    brian2.start_scope()
    brian2.prefs.codegen.target = "numpy"
    try:
        defaultclock.dt = dt * ms
        group = NeuronGroup(
            1, "dv/dt = (g_L*(E_L - v) + I)/C : volt (unless refractory)",
            threshold="v >= -50*mV", reset="v = -65*mV", refractory=refractory_period * ms,
            method="euler",
            namespace=dict(g_L=10 * nS, E_L=-70 * mV, I=2000 * pA, C=200 * pF),
        )
        group.v = -70 * mV
        monitor = SpikeMonitor(group)
        brian2.run(150.0 * ms)
        theirs = np.round(np.asarray(monitor.t / ms) / dt).astype(int)
    finally:
        brian2.prefs.codegen.target = old_target
        defaultclock.dt = old_dt

    simulator = Simulator(dt=dt)
    neuron = simulator.add(LIFNeuron("lif", refractory_period=refractory_period))
    neuron.add_input(CurrentInput(2000.0))
    simulator.run(150.0)
    ours = np.round(np.array(neuron.spike_times) / dt).astype(int)
    assert theirs.size > 10
    assert ours[0] == theirs[0] + 1
    n = min(ours.size, theirs.size)
    np.testing.assert_array_equal(np.diff(ours[:n]), np.diff(theirs[:n]) + 1)

"""Tests of course_utils.simulator, the object-oriented teaching simulator.

References, all independent of the code under test:
- geometry and unit conversions: hand calculations written in each test;
- the charging curve V(t) = E_L + R I (1 - exp(-t/tau)) and the closed form
  of forward Euler for it, V_n = E_L + R I (1 - (1 - dt/tau)^n);
- the Euler error bound max|V_euler - V_exact| ~ R I dt / (2 e tau)
  (derived in test_euler_error_at_dt_0p1_is_within_the_first_order_bound);
- the vectorised solver course_utils.neurons.simulate_passive (written
  separately, itself tested against Brian2) for step currents and synapses;
- Brian2 itself for the synaptic timing convention.

Which test catches broken physics:
- flipping the sign of the leak makes V run away from E_L exponentially;
  test_charging_curve_matches_the_closed_form_of_euler fails (and
  test_broken_physics_is_caught demonstrates it);
- dropping dt makes every step as large as a 1 ms step whatever dt is, so
  the curve charges 10x too fast at dt = 0.1 ms: the closed-form test fails
  and the error no longer shrinks with dt (test_euler_error_is_first_order).
- forgetting to divide by C (or using C in uF: 1e6 too small) makes the
  update 200x (or 2e8x) too large: Euler is then unstable and the
  closed-form test fails.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from course_utils import synapses
from course_utils.neurons import simulate_passive
from course_utils.simulator import (
    CurrentInput,
    PassiveNeuron,
    PassiveParameters,
    Simulator,
    SynapticInput,
    ball_and_stick_area,
    cylinder_area,
    cylinder_volume,
    passive_parameters,
    sphere_area,
    sphere_volume,
)

# The default cell: C = 200 pF, g_L = 10 nS, E_L = -70 mV -> tau = 20 ms, R = 0.1 GOhm.
C, G_L, E_L = 200.0, 10.0, -70.0
TAU, R = C / G_L, 1.0 / G_L


def charge(dt, amplitude=100.0, duration=100.0, neuron_class=PassiveNeuron, **params):
    """Run one neuron with a step current switched on at t = 0; return (t, V)."""
    simulator = Simulator(dt=dt)
    neuron = simulator.add(neuron_class("cell", **params))
    neuron.add_input(CurrentInput(amplitude))
    simulator.run(duration)
    return simulator.recorded_time, simulator.recorded_voltage(neuron)


def exact_charging(time, amplitude=100.0, tau=TAU, resistance=R, rest=E_L):
    return rest + resistance * amplitude * (1.0 - np.exp(-time / tau))


# --------------------------------------------------------------------------
# Geometry and passive parameters
# --------------------------------------------------------------------------


def test_sphere_area_and_volume_by_hand():
    # d = 10 um: 4 pi r^2 = 4 pi 25 = 100 pi; d = 6 um: 4/3 pi r^3 = 4/3 pi 27 = 36 pi.
    assert sphere_area(10.0) == pytest.approx(100.0 * math.pi, rel=1e-12)
    assert sphere_volume(6.0) == pytest.approx(36.0 * math.pi, rel=1e-12)


def test_cylinder_area_and_volume_by_hand():
    # L = 100 um, d = 2 um (r = 1): side 2 pi r L = 200 pi; ends 2 pi r^2 = 2 pi.
    assert cylinder_area(100.0, 2.0) == pytest.approx(200.0 * math.pi, rel=1e-12)
    assert cylinder_area(100.0, 2.0, include_ends=True) == pytest.approx(202.0 * math.pi, rel=1e-12)
    # pi r^2 L = pi * 1 * 10.
    assert cylinder_volume(10.0, 2.0) == pytest.approx(10.0 * math.pi, rel=1e-12)


def test_passive_parameters_unit_conversion_by_hand():
    # 20,000 um^2 = 2e-4 cm^2. C = 1 uF/cm^2 * 2e-4 cm^2 = 2e-4 uF = 200 pF.
    # g = 2e-4 cm^2 / (20e3 Ohm cm^2) = 1e-8 S = 10 nS.
    params = passive_parameters(20_000.0)
    assert isinstance(params, PassiveParameters)
    capacitance, conductance = params
    assert capacitance == pytest.approx(200.0, rel=1e-12)
    assert conductance == pytest.approx(10.0, rel=1e-12)
    # 10,000 um^2 = 1e-4 cm^2, c_m = 0.9, r_m = 50 kOhm cm^2:
    # C = 0.9e-4 uF = 90 pF; g = 1e-4 / 5e4 S = 2e-9 S = 2 nS.
    capacitance, conductance = passive_parameters(
        10_000.0, specific_capacitance=0.9, specific_membrane_resistance=50.0
    )
    assert capacitance == pytest.approx(90.0, rel=1e-12)
    assert conductance == pytest.approx(2.0, rel=1e-12)


@pytest.mark.parametrize("area", [1_000.0, 10_000.0, 100_000.0])
def test_tau_is_rm_cm_and_input_resistance_is_rm_over_area(area):
    capacitance, conductance = passive_parameters(area)
    neuron = PassiveNeuron(membrane_capacitance=capacitance, leak_conductance=conductance)
    # tau = r_m c_m = 20e3 Ohm cm^2 * 1e-6 F/cm^2 = 0.02 s = 20 ms, whatever the area.
    assert neuron.membrane_time_constant == pytest.approx(20.0, rel=1e-12)
    # R_in = r_m / A = 20e3 Ohm cm^2 / (area * 1e-8 cm^2), in GOhm (1e9 Ohm).
    expected_gohm = 20e3 / (area * 1e-8) / 1e9
    assert neuron.input_resistance == pytest.approx(expected_gohm, rel=1e-12)


def test_model_cell_is_physiological():
    # Soma d = 20 um: pi 400; dendrite L = 1500, d = 4: pi 6000 -> 6400 pi um^2.
    area = ball_and_stick_area()
    assert area == pytest.approx(6400.0 * math.pi, rel=1e-12)
    capacitance, conductance = passive_parameters(area)
    # Whole-cell values of cortical neurons: ~100-300 pF, R_in ~ 50-300 MOhm.
    assert 100.0 < capacitance < 300.0
    assert 0.05 < 1.0 / conductance < 0.3


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: sphere_area(-1.0), "diameter"),
        (lambda: cylinder_area(-1.0, 2.0), "length"),
        (lambda: ball_and_stick_area(soma_diameter=0.0), "soma_diameter"),
        (lambda: ball_and_stick_area(dendrite_diameter=1e300), "dendrite_diameter"),
        (lambda: cylinder_volume(10.0, float("nan")), "diameter"),
        (lambda: passive_parameters(-5.0), "area"),
        (lambda: passive_parameters(100.0, specific_capacitance=0.0), "specific_capacitance"),
    ],
)
def test_geometry_errors_name_the_argument(call, name):
    with pytest.raises(ValueError, match=name):
        call()


# --------------------------------------------------------------------------
# The passive response
# --------------------------------------------------------------------------


def test_charging_curve_matches_the_closed_form_of_euler():
    # Forward Euler for C dV/dt = g_L (E_L - V) + I from V_0 = E_L has the exact
    # discrete solution V_n = E_L + R I (1 - (1 - dt/tau)^n).
    dt = 0.1
    time, voltage = charge(dt)
    n = np.arange(time.size)
    expected = E_L + R * 100.0 * (1.0 - (1.0 - dt / TAU) ** n)
    np.testing.assert_allclose(voltage, expected, rtol=0, atol=1e-10)


def test_euler_error_at_dt_0p1_is_within_the_first_order_bound():
    # (1 - h)^(t/dt) = exp(-t/tau - t dt / (2 tau^2) + O(dt^2)), so the error is
    # R I exp(-t/tau) t dt / (2 tau^2), largest at t = tau: R I dt / (2 e tau).
    # For R I = 10 mV, dt = 0.1 ms, tau = 20 ms: 0.0092 mV. Allow 5% for O(dt^2).
    dt = 0.1
    time, voltage = charge(dt, duration=200.0)
    error = np.abs(voltage - exact_charging(time))
    bound = R * 100.0 * dt / (2.0 * math.e * TAU)
    assert error.max() < 1.05 * bound
    assert error.max() > 0.9 * bound  # it is Euler, not an exact solver
    # After 10 tau the membrane sits at E_L + R I = -60 mV.
    assert voltage[-1] == pytest.approx(-60.0, abs=1e-3)


def test_euler_error_is_first_order():
    dts = np.array([0.05, 0.1, 0.2, 0.4, 0.8])
    errors = []
    for dt in dts:
        time, voltage = charge(dt)
        errors.append(np.abs(voltage - exact_charging(time)).max())
    slope = np.polyfit(np.log(dts), np.log(errors), 1)[0]
    assert 0.9 < slope < 1.1


def test_agrees_with_the_vectorised_solver_for_a_current_step():
    # An independent implementation of the same Euler scheme.
    dt, duration = 0.1, 120.0
    simulator = Simulator(dt=dt)
    neuron = simulator.add(PassiveNeuron(initial_voltage=-65.0))
    neuron.add_input(CurrentInput(amplitude=-50.0, start=20.0, stop=70.0))
    simulator.run(duration)
    time = simulator.recorded_time
    current = np.where((time >= 20.0 - 1e-9) & (time < 70.0 - 1e-9), -50.0, 0.0)
    reference = simulate_passive(
        duration=duration,
        dt=dt,
        membrane_capacitance=C,
        leak_conductance=G_L,
        leak_reversal=E_L,
        current=current,
        initial_voltage=-65.0,
        backend="numpy",
    )
    np.testing.assert_allclose(time, reference.time, rtol=0, atol=1e-12)
    np.testing.assert_allclose(
        simulator.recorded_voltage(neuron), reference.voltage[0], rtol=0, atol=1e-9
    )


def test_euler_is_unstable_for_dt_above_two_tau():
    # tau = 20 pF / 10 nS = 2 ms. The deviation from V_inf is multiplied by
    # (1 - dt/tau) per step: -1.5 at dt = 5 ms (grows, alternating sign),
    # -0.5 at dt = 3 ms (shrinks, alternating sign).
    params = dict(membrane_capacitance=20.0, leak_conductance=10.0, initial_voltage=-60.0)
    time, voltage = charge(5.0, amplitude=0.0, duration=50.0, **params)
    deviation = voltage - E_L
    np.testing.assert_allclose(deviation, 10.0 * (-1.5) ** np.arange(time.size), rtol=1e-12)
    assert abs(deviation[-1]) > 30 * abs(deviation[0])  # 1.5^9 = 38

    time, voltage = charge(3.0, amplitude=0.0, duration=30.0, **params)
    deviation = voltage - E_L
    np.testing.assert_allclose(deviation, 10.0 * (-0.5) ** np.arange(time.size), rtol=1e-12)


def test_a_blow_up_warns():
    params = dict(membrane_capacitance=20.0, leak_conductance=10.0, initial_voltage=-60.0)
    with pytest.warns(RuntimeWarning, match="blew up"):
        # (-2)^n at dt = 6 ms overflows a float after ~1024 steps.
        charge(6.0, amplitude=0.0, duration=6.0 * 1100, **params)


# --------------------------------------------------------------------------
# Time axis
# --------------------------------------------------------------------------


def test_time_axis_has_round_duration_over_dt_samples():
    # 100 / 0.3 = 333.33 -> 333 steps; np.arange(0, 100 + 0.3, 0.3) would give 334.
    simulator = Simulator(dt=0.3)
    neuron = simulator.add(PassiveNeuron())
    simulator.run(100.0)
    time = simulator.recorded_time
    assert time.shape == (333,)
    assert simulator.recorded_voltage(neuron).shape == (333,)
    np.testing.assert_array_equal(time, np.arange(333) * 0.3)
    assert np.count_nonzero(time == 0.0) == 1  # no duplicated t = 0
    assert simulator.time == pytest.approx(99.9, abs=1e-12)


def test_first_sample_is_the_initial_voltage_at_t0():
    simulator = Simulator(dt=0.1)
    neuron = simulator.add(PassiveNeuron(initial_voltage=-80.0))
    neuron.add_input(CurrentInput(100.0))
    simulator.run(1.0)
    voltage = simulator.recorded_voltage(neuron)
    assert simulator.recorded_time[0] == 0.0
    assert voltage[0] == -80.0
    # One Euler step from -80 mV: dt/C (g_L (E_L - V) + I) = 0.1/200 (10*10 + 100) = 0.1 mV.
    assert voltage[1] == pytest.approx(-79.9, abs=1e-12)


def test_continue_for_never_repeats_the_boundary():
    def build():
        simulator = Simulator(dt=0.1)
        neuron = simulator.add(PassiveNeuron())
        neuron.add_input(CurrentInput(100.0, start=30.0, stop=70.0))
        neuron.add_input(SynapticInput([45.0, 50.0, 50.05]))
        return simulator, neuron

    whole, whole_neuron = build()
    whole.run(100.0)
    pieces, pieces_neuron = build()
    pieces.run(50.0)
    pieces.continue_for(30.0)
    pieces.continue_for(20.0)
    time = pieces.recorded_time
    assert time.size == 1000
    assert np.all(np.diff(time) > 0)
    np.testing.assert_array_equal(time, whole.recorded_time)
    np.testing.assert_array_equal(
        pieces.recorded_voltage(pieces_neuron), whole.recorded_voltage(whole_neuron)
    )


def test_run_starts_again_from_scratch():
    simulator = Simulator(dt=0.1)
    neuron = simulator.add(PassiveNeuron())
    neuron.add_input(SynapticInput([5.0]))
    simulator.run(20.0)
    first = simulator.recorded_voltage(neuron)
    simulator.run(20.0)
    np.testing.assert_array_equal(simulator.recorded_voltage(neuron), first)
    assert simulator.recorded_time.size == 200


def test_simulators_are_independent_objects():
    # The opposite of a singleton: a second simulator changes nothing in the first.
    first = Simulator(dt=0.1)
    neuron = first.add(PassiveNeuron("a"))
    neuron.add_input(CurrentInput(100.0))
    first.run(10.0)
    before = first.recorded_voltage(neuron)
    second = Simulator(dt=0.5)
    assert second.neurons == [] and second.time == 0.0
    second.add(PassiveNeuron("b"))
    second.run(5.0)
    assert first.time == pytest.approx(10.0)
    assert first.neurons == [neuron]
    np.testing.assert_array_equal(first.recorded_voltage(neuron), before)


def test_two_neurons_are_recorded_separately():
    simulator = Simulator(dt=0.1)
    quiet = simulator.add(PassiveNeuron("quiet"))
    driven = simulator.add(PassiveNeuron("driven"))
    driven.add_input(CurrentInput(100.0))
    simulator.run(50.0)
    np.testing.assert_array_equal(simulator.recorded_voltage(quiet), np.full(500, E_L))
    assert simulator.recorded_voltage(driven)[-1] > -65.0


# --------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------


@pytest.mark.parametrize("dt", [0.1, 0.25, 0.3])
def test_current_step_is_half_open_and_independent_of_dt(dt):
    step = CurrentInput(amplitude=40.0, start=9.0, stop=21.0)
    time = np.arange(round(30.0 / dt)) * dt
    on = np.array([step.current(t, E_L) for t in time]) != 0.0
    # On for 9 <= t < 21: the first grid point at or after 9, up to the last before 21.
    expected = (time >= 9.0 - 1e-9) & (time < 21.0 - 1e-9)
    np.testing.assert_array_equal(on, expected)
    assert step.current(9.0, E_L) == 40.0 and step.current(21.0, E_L) == 0.0


def test_synaptic_conductance_jumps_after_the_spike_and_decays_exactly():
    # A spike at 10.0 ms (or anywhere in [10.0, 10.1)) is applied by the step
    # [10.0, 10.1): g = 0 at 10.0, g_max at 10.1, g_max exp(-m dt / tau) after.
    dt = 0.1
    for spike in (10.0, 10.05):
        synapse = SynapticInput([spike], synapses.AMPA)
        conductance = []
        for k in range(200):
            conductance.append(synapse.conductance)
            synapse.advance(k * dt, dt)
        conductance = np.array(conductance)
        assert np.all(conductance[:101] == 0.0)
        m = np.arange(200 - 101)
        np.testing.assert_allclose(conductance[101:], 0.5 * np.exp(-m * dt / 5.0), rtol=1e-12)


def test_synaptic_current_sign_convention():
    synapse = SynapticInput([0.0], synapses.GABA_A, peak_conductance=2.0)
    synapse.advance(0.0, 0.1)
    # g = 2 nS; at -60 mV: 2 * (-75 - -60) = -30 pA (outward, hyperpolarising).
    assert synapse.current(0.1, -60.0) == pytest.approx(-30.0, rel=1e-12)


def test_single_ampa_event_gives_a_physiological_epsp():
    # Small-conductance approximation (driving force ~70 mV fixed): the EPSP is
    # (g_max 70 / C) tau_m tau_s / (tau_m - tau_s) (exp(-t/tau_m) - exp(-t/tau_s)),
    # peaking at t_p = tau_m tau_s / (tau_m - tau_s) ln(tau_m / tau_s):
    # 0.175 mV/ms * 6.667 ms * (exp(-0.4621) - exp(-1.8484)) = 0.551 mV at 9.24 ms.
    simulator = Simulator(dt=0.1)
    neuron = simulator.add(PassiveNeuron())
    neuron.add_input(SynapticInput([10.0], synapses.AMPA))
    simulator.run(80.0)
    voltage = simulator.recorded_voltage(neuron)
    peak = voltage.max() - E_L
    peak_time = simulator.recorded_time[voltage.argmax()] - 10.0
    assert peak == pytest.approx(0.551, rel=0.03)
    assert peak_time == pytest.approx(9.24, abs=0.3)
    assert 0.1 < peak < 2.0  # unitary cortical EPSPs


def test_synaptic_input_agrees_with_the_vectorised_solver():
    # Conductance written by hand from the convention above: spikes at 10 and
    # 10.05 ms both act from 10.1 ms; a third spike at 30 ms acts from 30.1 ms.
    dt, duration = 0.1, 60.0
    simulator = Simulator(dt=dt)
    neuron = simulator.add(PassiveNeuron())
    neuron.add_input(SynapticInput([10.0, 10.05, 30.0], synapses.AMPA, peak_conductance=3.0))
    simulator.run(duration)
    time = simulator.recorded_time
    conductance = np.zeros_like(time)
    for weight, onset in ((2, 10.1), (1, 30.1)):
        after = time >= onset - 1e-9
        conductance[after] += weight * 3.0 * np.exp(-(time[after] - onset) / 5.0)
    reference = simulate_passive(
        duration=duration,
        dt=dt,
        membrane_capacitance=C,
        leak_conductance=G_L,
        leak_reversal=E_L,
        excitatory_conductance=conductance,
        excitatory_reversal=0.0,
        backend="numpy",
    )
    np.testing.assert_allclose(
        simulator.recorded_voltage(neuron), reference.voltage[0], rtol=0, atol=1e-9
    )


def test_inhibitory_event_hyperpolarises_from_rest():
    simulator = Simulator(dt=0.1)
    neuron = simulator.add(PassiveNeuron())
    neuron.add_input(SynapticInput([5.0], synapses.GABA_A))
    simulator.run(50.0)
    voltage = simulator.recorded_voltage(neuron)
    assert voltage.min() < E_L and voltage.max() == E_L


def test_student_written_input_without_state_works():
    class Ramp:  # only current(): no advance, no reset needed
        def current(self, time, voltage):
            return 2.0 * time  # pA

    simulator = Simulator(dt=0.1)
    neuron = simulator.add(PassiveNeuron())
    neuron.add_input(Ramp())
    simulator.run(10.0)
    assert simulator.recorded_voltage(neuron)[-1] > E_L


# --------------------------------------------------------------------------
# Friendly errors
# --------------------------------------------------------------------------


@pytest.mark.parametrize("dt", [-0.1, 0.0, float("nan")])
def test_bad_dt_is_named(dt):
    with pytest.raises(ValueError, match="dt"):
        Simulator(dt=dt)


def test_adding_something_that_is_not_a_neuron():
    simulator = Simulator()
    with pytest.raises(TypeError, match="add takes a neuron"):
        simulator.add(3.0)
    with pytest.raises(TypeError, match="class PassiveNeuron itself"):
        simulator.add(PassiveNeuron)


def test_adding_the_same_neuron_twice():
    simulator = Simulator()
    neuron = simulator.add(PassiveNeuron("twice"))
    with pytest.raises(ValueError, match="already in this simulator"):
        simulator.add(neuron)
    # A different neuron with the same name is a different neuron: allowed.
    simulator.add(PassiveNeuron("twice"))
    assert len(simulator.neurons) == 2


def test_adding_after_the_run_started_asks_for_reset():
    simulator = Simulator()
    simulator.add(PassiveNeuron())
    simulator.run(1.0)
    with pytest.raises(ValueError, match="reset"):
        simulator.add(PassiveNeuron())
    simulator.reset()
    simulator.add(PassiveNeuron())


@pytest.mark.parametrize(
    "duration, message",
    [(0.04, "shorter than one time step"), (-1.0, "duration"), (float("nan"), "duration")],
)
def test_bad_duration(duration, message):
    simulator = Simulator(dt=0.1)
    simulator.add(PassiveNeuron())
    with pytest.raises(ValueError, match=message):
        simulator.run(duration)
    with pytest.raises(ValueError, match=message):
        simulator.continue_for(duration)


def test_recording_of_a_neuron_not_in_the_simulator():
    simulator = Simulator()
    simulator.run(1.0)
    with pytest.raises(ValueError, match="not in this simulator"):
        simulator.recorded_voltage(PassiveNeuron("stranger"))


def test_neuron_parameter_errors_are_named():
    with pytest.raises(ValueError, match="membrane_capacitance"):
        PassiveNeuron(membrane_capacitance=-200.0)
    with pytest.raises(ValueError, match="leak_conductance"):
        PassiveNeuron(leak_conductance=0.0)
    with pytest.raises(TypeError, match="name"):
        PassiveNeuron(3)


def test_input_errors():
    with pytest.raises(ValueError, match="stop"):
        CurrentInput(10.0, start=20.0, stop=10.0)
    with pytest.raises(ValueError, match="sorted"):
        SynapticInput([5.0, 1.0])
    with pytest.raises(TypeError, match="SynapsePreset"):
        SynapticInput([1.0], preset="AMPA")
    neuron = PassiveNeuron()
    with pytest.raises(TypeError, match="current"):
        neuron.add_input(42.0)
    with pytest.raises(TypeError, match="class CurrentInput itself"):
        neuron.add_input(CurrentInput)
    step = neuron.add_input(CurrentInput(10.0))
    with pytest.raises(ValueError, match="twice"):
        neuron.add_input(step)


def test_one_synaptic_input_shared_by_two_neurons_is_caught():
    synapse = SynapticInput([1.0])
    simulator = Simulator()
    for name in ("a", "b"):
        simulator.add(PassiveNeuron(name)).add_input(synapse)
    with pytest.raises(ValueError, match="own input object"):
        simulator.run(1.0)


# --------------------------------------------------------------------------
# Broken physics is caught
# --------------------------------------------------------------------------


class FlippedLeak(PassiveNeuron):
    def step(self, time, dt):
        current = -self.leak_current() + self.input_current(time)  # wrong sign
        self.voltage += dt / self.membrane_capacitance * current


class NoDt(PassiveNeuron):
    def step(self, time, dt):
        current = self.leak_current() + self.input_current(time)
        self.voltage += current / self.membrane_capacitance  # dt forgotten


@pytest.mark.parametrize("broken", [FlippedLeak, NoDt])
def test_broken_physics_is_caught(broken):
    # The closed-form comparison that the real neuron passes to 1e-10 mV misses
    # by volts (flipped leak: V runs away as exp(t/tau)) or by millivolts (no dt:
    # ten times too fast at dt = 0.1 ms).
    time, voltage = charge(0.1, neuron_class=broken)
    euler = E_L + R * 100.0 * (1.0 - (1.0 - 0.1 / TAU) ** np.arange(time.size))
    assert np.abs(voltage - euler).max() > 1.0


# --------------------------------------------------------------------------
# Brian2 as the reference for the synaptic timing convention
# --------------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore:.*deprecated.*:DeprecationWarning")
def test_synaptic_input_matches_brian2():
    # Brian2: the conductance lives in its own group (method 'exact') read by the
    # cell through a linked variable; the cell integrates first (order=0), then
    # the synapse adds w after the integration step, as SynapticInput does.
    # Expected agreement: floating-point rounding only (Brian2 computes in SI).
    b2 = pytest.importorskip("brian2")
    old_target, old_dt = b2.prefs.codegen.target, b2.defaultclock.dt
    b2.start_scope()
    b2.prefs.codegen.target = "numpy"
    b2.defaultclock.dt = 0.1 * b2.ms
    try:
        conductance = b2.NeuronGroup(1, "dg/dt = -g / (5*ms) : siemens", method="exact", order=1)
        cell = b2.NeuronGroup(
            1,
            """dv/dt = (10*nS*(-70*mV - v) + g_syn*(0*mV - v)) / (200*pF) : volt
            g_syn : siemens (linked)""",
            method="euler",
        )
        cell.g_syn = b2.linked_var(conductance, "g")
        cell.v = -70 * b2.mV
        spikes = b2.SpikeGeneratorGroup(1, [0, 0], [10.0, 30.0] * b2.ms)
        synapse = b2.Synapses(spikes, conductance, on_pre="g_post += 3*nS")
        synapse.connect()
        monitor = b2.StateMonitor(cell, "v", record=0)
        b2.run(60 * b2.ms)
        brian_time, brian_voltage = monitor.t / b2.ms, monitor.v[0] / b2.mV
    finally:
        b2.prefs.codegen.target = old_target
        b2.defaultclock.dt = old_dt

    simulator = Simulator(dt=0.1)
    neuron = simulator.add(PassiveNeuron())
    neuron.add_input(SynapticInput([10.0, 30.0], synapses.AMPA, peak_conductance=3.0))
    simulator.run(60.0)
    np.testing.assert_allclose(simulator.recorded_time, brian_time, rtol=0, atol=1e-9)
    np.testing.assert_allclose(simulator.recorded_voltage(neuron), brian_voltage, rtol=0,
                               atol=1e-9)


def test_a_soma_only_cell_is_a_valid_cell():
    # dendrite_length = 0: the sphere alone, pi d^2 (20 um -> 1256.6 um^2).
    assert ball_and_stick_area(soma_diameter=20.0, dendrite_length=0.0) == pytest.approx(
        np.pi * 400.0
    )

"""Tests of the Lesson 2 checkers: each accepts a correct solution (written
here, independently of course_utils.simulator), rejects each typical mistake
it claims to catch with the specific message, and says "not attempted" for
the untouched scaffold."""

from __future__ import annotations

import math

import numpy as np
import pytest

from course_utils.checks import CORRECT, INCORRECT, NOT_ATTEMPTED
from course_utils.checks import passive as checks


def assert_rejected(feedback, *fragments):
    assert feedback.status == INCORRECT, str(feedback)
    text = " ".join(str(feedback).split())
    for fragment in fragments:
        assert fragment in text, f"{fragment!r} not in:\n{text}"


# --------------------------------------------------------------------------
# Exercise 2.1: membrane area
# --------------------------------------------------------------------------


def area_correct(soma_diameter, dendrite_length, dendrite_diameter):
    soma_radius, dendrite_radius = soma_diameter / 2, dendrite_diameter / 2
    return 4 * math.pi * soma_radius**2 + 2 * math.pi * dendrite_radius * dendrite_length


def area_stub(soma_diameter, dendrite_length, dendrite_diameter): ...


def test_area_accepts_the_correct_formula():
    assert checks.check_cell_area(area_correct, strict=True).status == CORRECT


def test_area_accepts_end_caps_with_a_remark():
    def with_caps(s, length, d):
        return area_correct(s, length, d) + 2 * math.pi * (d / 2) ** 2

    feedback = checks.check_cell_area(with_caps, strict=True)
    assert "end caps" in str(feedback)


def test_area_stub_is_not_attempted():
    assert checks.check_cell_area(area_stub).status == NOT_ATTEMPTED


@pytest.mark.parametrize(
    "wrong, fragment",
    [
        # pi r L: half the side of the cylinder (the seed's mistake).
        (lambda s, length, d: math.pi * s**2 + math.pi * length * d / 2, "half the side"),
        # pi r L + 2 pi r^2: half side plus caps.
        (
            lambda s, length, d: (
                math.pi * s**2 + math.pi * length * d / 2 + 2 * math.pi * (d / 2) ** 2
            ),
            "half there",
        ),
        # 4 pi d^2: the diameter where the radius belongs.
        (lambda s, length, d: 4 * math.pi * s**2 + math.pi * d * length, "4x too large"),
        # Sphere volume instead of its surface.
        (
            lambda s, length, d: 4 / 3 * math.pi * (s / 2) ** 3 + math.pi * d * length,
            "VOLUME of a sphere",
        ),
        # Cylinder volume instead of its side.
        (
            lambda s, length, d: math.pi * s**2 + math.pi * (d / 2) ** 2 * length,
            "VOLUME of a cylinder",
        ),
        # 2 pi r L with the diameter.
        (lambda s, length, d: math.pi * s**2 + 2 * math.pi * d * length, "2x too large"),
        # A disc for the soma.
        (lambda s, length, d: math.pi * (s / 2) ** 2 + math.pi * d * length, "flat disc"),
        # Forgot a compartment.
        (lambda s, length, d: math.pi * d * length, "soma's membrane is missing"),
        (lambda s, length, d: math.pi * s**2, "dendrite's membrane is missing"),
        # Converted to cm^2 already.
        (lambda s, length, d: area_correct(s, length, d) * 1e-8, "10^-8"),
    ],
)
def test_area_mistakes(wrong, fragment):
    assert_rejected(checks.check_cell_area(wrong), fragment)


def test_area_strict_raises_for_a_wrong_formula():
    with pytest.raises(AssertionError):
        checks.check_cell_area(lambda s, length, d: 1.0, strict=True)


# --------------------------------------------------------------------------
# Exercise 2.2: capacitance and leak conductance
# --------------------------------------------------------------------------


def parameters_correct(area, specific_capacitance, specific_membrane_resistance):
    area_cm2 = area * 1e-8  # um^2 -> cm^2
    capacitance = specific_capacitance * area_cm2 * 1e6  # uF -> pF
    resistance = specific_membrane_resistance * 1e3  # kOhm cm^2 -> Ohm cm^2
    conductance = area_cm2 / resistance * 1e9  # S -> nS
    return capacitance, conductance


def parameters_stub(area, specific_capacitance, specific_membrane_resistance): ...


def test_parameters_accept_the_correct_solution():
    feedback = checks.check_passive_parameters(parameters_correct, strict=True)
    assert feedback.status == CORRECT
    assert "200 pF" in str(feedback) and "10 nS" in str(feedback)


def test_parameters_stub_is_not_attempted():
    assert checks.check_passive_parameters(parameters_stub).status == NOT_ATTEMPTED


def scaled(c_factor=1.0, g_factor=1.0):
    def attempt(area, c_m, r_m):
        c, g = parameters_correct(area, c_m, r_m)
        return c * c_factor, g * g_factor

    return attempt


@pytest.mark.parametrize(
    "wrong, fragments",
    [
        (scaled(c_factor=1e-6), ("C is off by a factor 10^-6", "C is in uF")),
        (scaled(c_factor=1e8), ("10^8", "still in um^2")),
        (scaled(c_factor=1e4), ("10^4", "1e-4 (um -> cm)")),
        (scaled(g_factor=1e-9), ("g_L is off by a factor 10^-9", "siemens")),
        (scaled(g_factor=1e3), ("10^3", "kOhm cm^2")),
        (scaled(c_factor=3.0), ("3 times the expected",)),
    ],
)
def test_parameters_unit_slips(wrong, fragments):
    assert_rejected(checks.check_passive_parameters(wrong), *fragments)


def test_parameters_swapped():
    def swapped(area, c_m, r_m):
        c, g = parameters_correct(area, c_m, r_m)
        return g, c

    assert_rejected(checks.check_passive_parameters(swapped), "swapped")


def test_parameters_resistance_multiplied():
    def multiplied(area, c_m, r_m):
        c, _ = parameters_correct(area, c_m, r_m)
        return c, area * 1e-8 * r_m * 1e3 * 1e9

    assert_rejected(checks.check_passive_parameters(multiplied), "instead of dividing")


def test_parameters_not_proportional_to_area():
    def constant(area, c_m, r_m):
        return 200.0, 10.0

    assert_rejected(checks.check_passive_parameters(constant), "not proportional to the area")


def test_parameters_returning_none():
    def forgot_return(area, c_m, r_m):
        parameters_correct(area, c_m, r_m)

    assert_rejected(checks.check_passive_parameters(forgot_return), "returned None")


# --------------------------------------------------------------------------
# Exercise 2.3: the neuron's step
# --------------------------------------------------------------------------


class NeuronBase:
    """The scaffold's given parts; subclasses supply step (as students would)."""

    def __init__(
        self,
        name="neuron",
        *,
        membrane_capacitance=200.0,
        leak_conductance=10.0,
        leak_reversal=-70.0,
        initial_voltage=None,
    ):
        self.name = name
        self.membrane_capacitance = membrane_capacitance
        self.leak_conductance = leak_conductance
        self.leak_reversal = leak_reversal
        self.initial_voltage = leak_reversal if initial_voltage is None else initial_voltage
        self.voltage = self.initial_voltage
        self.inputs = []

    def add_input(self, source):
        self.inputs.append(source)
        return source

    def input_current(self, time):
        return sum(source.current(time, self.voltage) for source in self.inputs)

    def reset(self):
        self.voltage = self.initial_voltage


def make_neuron(update):
    class Neuron(NeuronBase):
        def step(self, time, dt):
            return update(self, time, dt)

    return Neuron


def correct_update(self, time, dt):
    leak = self.leak_conductance * (self.leak_reversal - self.voltage)
    self.voltage = self.voltage + dt * (leak + self.input_current(time)) / self.membrane_capacitance


class NeuronStub(NeuronBase):
    def step(self, time, dt): ...


def test_step_accepts_the_correct_update():
    assert checks.check_neuron_step(make_neuron(correct_update), strict=True).status == CORRECT


def test_step_stub_is_not_attempted():
    assert checks.check_neuron_step(NeuronStub).status == NOT_ATTEMPTED


def _leak(self):
    return self.leak_conductance * (self.leak_reversal - self.voltage)


@pytest.mark.parametrize(
    "update, fragment",
    [
        # Wrong sign of the leak: runaway.
        (
            lambda n, t, dt: setattr(
                n,
                "voltage",
                n.voltage + dt / n.membrane_capacitance * (-_leak(n) + n.input_current(t)),
            ),
            "wrong sign",
        ),
        # dt forgotten.
        (
            lambda n, t, dt: setattr(
                n,
                "voltage",
                n.voltage + 1.0 / n.membrane_capacitance * (_leak(n) + n.input_current(t)),
            ),
            "dt is missing",
        ),
        # No division by C.
        (
            lambda n, t, dt: setattr(
                n, "voltage", n.voltage + dt * (_leak(n) + n.input_current(t))
            ),
            "division by the capacitance",
        ),
        # Multiplied by C.
        (
            lambda n, t, dt: setattr(
                n,
                "voltage",
                n.voltage + dt * n.membrane_capacitance * 1e-4 * (_leak(n) + n.input_current(t)),
            ),
            "multiplied by C",
        ),
        # C taken in uF: 200 pF written as 200e-6 -> 1e6 too large a step.
        (
            lambda n, t, dt: setattr(
                n,
                "voltage",
                n.voltage + dt / (n.membrane_capacitance * 1e-6) * (_leak(n) + n.input_current(t)),
            ),
            "uF <-> pF",
        ),
        # Leak divided by g_L (a resistance multiplied in the wrong place).
        (
            lambda n, t, dt: setattr(
                n,
                "voltage",
                n.voltage
                + dt
                / n.membrane_capacitance
                * ((n.leak_reversal - n.voltage) / n.leak_conductance * 100 + n.input_current(t)),
            ),
            "SMALLER leak",
        ),
        # Time where dt belongs (on top of dt).
        (
            lambda n, t, dt: setattr(
                n,
                "voltage",
                n.voltage + dt * (1 + t) / n.membrane_capacitance * (_leak(n) + n.input_current(t)),
            ),
            "time is used where dt",
        ),
        # Inputs ignored.
        (
            lambda n, t, dt: setattr(
                n, "voltage", n.voltage + dt / n.membrane_capacitance * _leak(n)
            ),
            "input current is ignored",
        ),
        # Input sign flipped.
        (
            lambda n, t, dt: setattr(
                n,
                "voltage",
                n.voltage + dt / n.membrane_capacitance * (_leak(n) - n.input_current(t)),
            ),
            "sign is flipped",
        ),
    ],
)
def test_step_mistakes(update, fragment):
    assert_rejected(checks.check_neuron_step(make_neuron(update)), fragment)


def test_step_that_returns_instead_of_storing():
    def returns(self, time, dt):
        return self.voltage + dt * (_leak(self) + self.input_current(time)) / 200.0

    assert_rejected(checks.check_neuron_step(make_neuron(returns)), "did not change self.voltage")


# --------------------------------------------------------------------------
# Exercise 2.4: the simulator's run loop
# --------------------------------------------------------------------------


class SimulatorBase:
    """The scaffold's given parts; subclasses supply continue_for and run."""

    def __init__(self, dt=0.1):
        self.dt = dt
        self.neurons = []
        self.steps_done = 0
        self.recorded_time = []
        self.voltage_traces = []

    @property
    def time(self):
        return self.steps_done * self.dt

    def add(self, neuron):
        self.neurons.append(neuron)
        self.voltage_traces.append([])
        return neuron

    def recorded_voltage(self, neuron):
        return np.array(self.voltage_traces[self.neurons.index(neuron)])

    def reset(self):
        self.steps_done = 0
        self.recorded_time = []
        self.voltage_traces = [[] for _ in self.neurons]
        for neuron in self.neurons:
            neuron.reset()


class SimulatorCorrect(SimulatorBase):
    def continue_for(self, duration):
        for _ in range(round(duration / self.dt)):
            time = self.time
            self.recorded_time.append(time)
            for neuron, trace in zip(self.neurons, self.voltage_traces, strict=True):
                trace.append(neuron.voltage)
            for neuron in self.neurons:
                neuron.step(time, self.dt)
            self.steps_done += 1

    def run(self, duration):
        self.reset()
        self.continue_for(duration)


class SimulatorStub(SimulatorBase):
    def continue_for(self, duration): ...

    def run(self, duration): ...


def test_simulator_accepts_the_correct_loop():
    assert checks.check_simulator(SimulatorCorrect, strict=True).status == CORRECT


def test_simulator_stub_is_not_attempted():
    assert checks.check_simulator(SimulatorStub).status == NOT_ATTEMPTED


def test_simulator_with_only_run_missing_is_attempted():
    class OnlyLoop(SimulatorCorrect):
        def run(self, duration): ...

    assert checks.check_simulator(OnlyLoop).status == INCORRECT


class DuplicatedZero(SimulatorCorrect):
    """The seed's bug: lists start as [0] and [V0], then each step appends the
    step's start time and the voltage after the step."""

    def reset(self):
        super().reset()
        self.recorded_time = [0.0]
        self.voltage_traces = [[neuron.voltage] for neuron in self.neurons]

    def continue_for(self, duration):
        for _ in range(round(duration / self.dt)):
            time = self.time
            self.recorded_time.append(time)
            for neuron, trace in zip(self.neurons, self.voltage_traces, strict=True):
                neuron.step(time, self.dt)
                trace.append(neuron.voltage)
            self.steps_done += 1


class ArangeOvershoot(SimulatorCorrect):
    """np.arange(start, stop + dt, dt) with float steps: too many samples."""

    def continue_for(self, duration):
        start = self.time
        for time in np.arange(start, start + duration + self.dt, self.dt):
            self.recorded_time.append(time)
            for neuron, trace in zip(self.neurons, self.voltage_traces, strict=True):
                trace.append(neuron.voltage)
                neuron.step(time, self.dt)
            self.steps_done += 1


class Truncating(SimulatorCorrect):
    def continue_for(self, duration):
        n_steps = int(duration / self.dt)
        for _ in range(n_steps):
            time = self.time
            self.recorded_time.append(time)
            for neuron, trace in zip(self.neurons, self.voltage_traces, strict=True):
                trace.append(neuron.voltage)
                neuron.step(time, self.dt)
            self.steps_done += 1


class EndTimes(SimulatorCorrect):
    """Records the time after the step (and the voltage after it, consistently)."""

    def continue_for(self, duration):
        for _ in range(round(duration / self.dt)):
            for neuron in self.neurons:
                neuron.step(self.time, self.dt)
            self.steps_done += 1
            self.recorded_time.append(self.time)
            for neuron, trace in zip(self.neurons, self.voltage_traces, strict=True):
                trace.append(neuron.voltage)


class VoltageAfterStep(SimulatorCorrect):
    def continue_for(self, duration):
        for _ in range(round(duration / self.dt)):
            time = self.time
            self.recorded_time.append(time)
            for neuron, trace in zip(self.neurons, self.voltage_traces, strict=True):
                neuron.step(time, self.dt)
                trace.append(neuron.voltage)
            self.steps_done += 1


class RepeatsBoundary(SimulatorCorrect):
    """The seed's continue_for: starts again from the last recorded time."""

    def continue_for(self, duration):
        if self.recorded_time:
            self.steps_done -= 1  # "start from t_list[-1]"
            self.recorded_time.append(self.time)
            for neuron, trace in zip(self.neurons, self.voltage_traces, strict=True):
                trace.append(neuron.voltage)
            self.steps_done += 1
        super().continue_for(duration)


class RestartsClock(SimulatorCorrect):
    def continue_for(self, duration):
        if self.recorded_time:
            self.steps_done = 0
        super().continue_for(duration)


class ResetsInContinue(SimulatorCorrect):
    def continue_for(self, duration):
        for neuron in self.neurons:
            neuron.reset()
        super().continue_for(duration)


class RunWithoutReset(SimulatorCorrect):
    def run(self, duration):
        self.continue_for(duration)


class SharedLists(SimulatorCorrect):
    neurons = []  # in the class body: one list shared by every simulator

    def __init__(self, dt=0.1):
        self.dt = dt
        self.steps_done = 0
        self.recorded_time = []
        self.voltage_traces = []


@pytest.mark.parametrize(
    "wrong, fragment",
    [
        (DuplicatedZero, "t = 0 is recorded twice"),
        (ArangeOvershoot, "overshoots"),
        (Truncating, "int(6.999999999999999) = 6"),
        (EndTimes, "END of each step"),
        (VoltageAfterStep, "recorded AFTER the step"),
        (RepeatsBoundary, "boundary point twice"),
        (RestartsClock, "starts the clock again"),
        (ResetsInContinue, "continue_for resets the neurons"),
        (RunWithoutReset, "not cleared"),
        (SharedLists, "share one list"),
    ],
)
def test_simulator_mistakes(wrong, fragment):
    SharedLists.neurons.clear()
    assert_rejected(checks.check_simulator(wrong), fragment)


# --------------------------------------------------------------------------
# Exercise 2.5: sinusoidal current
# --------------------------------------------------------------------------


class SineCorrect:
    def __init__(self, amplitude, frequency, offset=0.0):
        self.amplitude, self.frequency, self.offset = amplitude, frequency, offset

    def current(self, time, voltage):
        cycles = self.frequency * time / 1000.0  # Hz * ms / 1000 = cycles
        return self.offset + self.amplitude * math.sin(2 * math.pi * cycles)


class SineStub:
    def __init__(self, amplitude, frequency, offset=0.0):
        self.amplitude, self.frequency, self.offset = amplitude, frequency, offset

    def current(self, time, voltage): ...


def test_sine_accepts_the_correct_class():
    assert checks.check_sine_current(SineCorrect, strict=True).status == CORRECT


def test_sine_stub_is_not_attempted():
    assert checks.check_sine_current(SineStub).status == NOT_ATTEMPTED


def sine_variant(formula, signature_voltage=True):
    class Variant(SineCorrect):
        if signature_voltage:

            def current(self, time, voltage):
                return formula(self, time, voltage)
        else:

            def current(self, time):
                return formula(self, time, None)

    return Variant


@pytest.mark.parametrize(
    "formula, fragment",
    [
        (
            lambda s, t, v: s.offset + s.amplitude * math.sin(2 * math.pi * s.frequency * t),
            "1000x too fast",
        ),
        (lambda s, t, v: s.offset + s.amplitude * math.sin(s.frequency * t / 1000), "2 pi"),
        (
            lambda s, t, v: s.offset + s.amplitude * math.cos(2 * math.pi * s.frequency * t / 1000),
            "cosine",
        ),
        (
            lambda s, t, v: s.amplitude * math.sin(2 * math.pi * s.frequency * t / 1000),
            "offset is missing",
        ),
        (
            lambda s, t, v: s.offset + math.sin(2 * math.pi * s.frequency * t / 1000),
            "amplitude is missing",
        ),
        (
            lambda s, t, v: (
                s.offset + s.amplitude * math.sin(2 * math.pi * s.frequency * t / 1000) + 0.1 * v
            ),
            "membrane potential",
        ),
    ],
)
def test_sine_mistakes(formula, fragment):
    assert_rejected(checks.check_sine_current(sine_variant(formula)), fragment)


def test_sine_without_voltage_argument():
    variant = sine_variant(lambda s, t, v: 0.0, signature_voltage=False)
    assert_rejected(checks.check_sine_current(variant), "current(time, voltage) failed")


# --------------------------------------------------------------------------
# Mistakes added for issue 10: each written as a student would, independently
# of the checker; and correct answers written differently, still accepted.
# --------------------------------------------------------------------------


def test_area_with_one_end_cap_is_accepted_with_a_specific_remark():
    def sealed_tip(s, length, d):
        return math.pi * s**2 + math.pi * d * length + math.pi * (d / 2) ** 2

    feedback = checks.check_cell_area(sealed_tip, strict=True)
    assert "sealed far tip" in str(feedback)


def test_area_pass_body_says_returns_none():
    def area(soma_diameter, dendrite_length, dendrite_diameter):
        pass

    assert_rejected(checks.check_cell_area(area), "returned None")


class _StepBase:
    def __init__(self, name="neuron", *, membrane_capacitance=200.0, leak_conductance=10.0,
                 leak_reversal=-70.0, initial_voltage=None):
        self.name = name
        self.membrane_capacitance = membrane_capacitance
        self.leak_conductance = leak_conductance
        self.leak_reversal = leak_reversal
        self.initial_voltage = leak_reversal if initial_voltage is None else initial_voltage
        self.voltage = self.initial_voltage
        self.inputs = []

    def add_input(self, source):
        self.inputs.append(source)
        return source

    def input_current(self, time):
        return sum(source.current(time, self.voltage) for source in self.inputs)

    def reset(self):
        self.voltage = self.initial_voltage


def test_step_input_sampled_at_end_of_step_is_caught():
    class Neuron(_StepBase):
        def step(self, time, dt):
            total = self.leak_conductance * (self.leak_reversal - self.voltage)
            total += self.input_current(time + dt)  # the student looks ahead
            self.voltage += dt * total / self.membrane_capacitance

    assert_rejected(checks.check_neuron_step(Neuron), "t + dt", "START of the step")


def test_step_input_after_leak_update_is_caught():
    class Neuron(_StepBase):
        def step(self, time, dt):
            self.voltage += dt / self.membrane_capacitance * self.leak_conductance * (
                self.leak_reversal - self.voltage)
            self.voltage += dt / self.membrane_capacitance * self.input_current(time)

    assert_rejected(checks.check_neuron_step(Neuron), "AFTER the voltage was already changed")


def test_step_pass_body_says_so():
    class Neuron(_StepBase):
        def step(self, time, dt):
            pass

    assert_rejected(checks.check_neuron_step(Neuron), "only `pass`")


def test_step_written_with_tau_and_steady_state_is_accepted():
    class Neuron(_StepBase):
        def step(self, time, dt):
            tau = self.membrane_capacitance / self.leak_conductance
            v_inf = self.leak_reversal + self.input_current(time) / self.leak_conductance
            self.voltage = self.voltage + dt / tau * (v_inf - self.voltage)

    assert checks.check_neuron_step(Neuron, strict=True).status == CORRECT


class _LoopBase:
    def __init__(self, dt=0.1):
        self.dt = dt
        self.neurons = []
        self.steps_done = 0
        self.recorded_time = []
        self.voltage_traces = []

    @property
    def time(self):
        return self.steps_done * self.dt

    def add(self, neuron):
        self.neurons.append(neuron)
        self.voltage_traces.append([])
        return neuron

    def recorded_voltage(self, neuron):
        return np.array(self.voltage_traces[self.neurons.index(neuron)])

    def reset(self):
        self.steps_done = 0
        self.recorded_time = []
        self.voltage_traces = [[] for _ in self.neurons]
        for neuron in self.neurons:
            neuron.reset()

    def run(self, duration):
        self.reset()
        self.continue_for(duration)


def test_simulator_stepping_with_the_end_time_is_caught():
    class Sim(_LoopBase):
        def continue_for(self, duration):
            for _ in range(round(duration / self.dt)):
                self.recorded_time.append(self.time)
                for neuron, trace in zip(self.neurons, self.voltage_traces, strict=True):
                    trace.append(neuron.voltage)
                self.steps_done += 1  # the clock moves first ...
                for neuron in self.neurons:
                    neuron.step(self.time, self.dt)  # ... so the neurons see the end time

    assert_rejected(checks.check_simulator(Sim), "END of each step")


def test_simulator_clock_never_advanced_is_caught():
    class Sim(_LoopBase):
        def continue_for(self, duration):
            for _ in range(round(duration / self.dt)):
                self.recorded_time.append(self.time)
                for neuron, trace in zip(self.neurons, self.voltage_traces, strict=True):
                    trace.append(neuron.voltage)
                    neuron.step(self.time, self.dt)

    assert_rejected(checks.check_simulator(Sim), "clock never advances")


def test_simulator_with_while_loop_and_own_counter_is_accepted():
    class Sim(_LoopBase):
        def continue_for(self, duration):
            remaining = round(duration / self.dt)
            while remaining > 0:
                now = self.steps_done * self.dt
                self.recorded_time.append(now)
                for index, neuron in enumerate(self.neurons):
                    self.voltage_traces[index].append(neuron.voltage)
                for neuron in self.neurons:
                    neuron.step(now, self.dt)
                self.steps_done += 1
                remaining -= 1

    assert checks.check_simulator(Sim, strict=True).status == CORRECT


# --------------------------------------------------------------------------
# Challenge: the largest dt for a 1% Euler error
# --------------------------------------------------------------------------


def test_challenge_error_formula_matches_the_course_simulator():
    """The checker's closed form against a simulation with the course's own classes."""
    from course_utils import neurons
    from course_utils.simulator import CurrentInput, PassiveNeuron, Simulator

    for dt in (0.1, 0.2125, 0.5):
        simulator = Simulator(dt=dt)
        neuron = simulator.add(PassiveNeuron(**checks.CHALLENGE_CELL))
        neuron.add_input(CurrentInput(100.0))
        simulator.run(40.0)
        exact = neurons.passive_step_response(simulator.recorded_time, amplitude=100.0,
                                              **checks.CHALLENGE_CELL)
        simulated = np.abs(simulator.recorded_voltage(neuron) - exact).max() / 4.0
        assert checks.euler_relative_error(dt) == pytest.approx(simulated, rel=1e-9)


def test_challenge_largest_dt_is_where_the_error_crosses_one_percent():
    best = checks.largest_time_step()
    assert 0.20 < best < 0.22  # first-order estimate 0.02 e tau = 0.217 ms, a bit above
    assert checks.euler_relative_error(best) < 0.01 <= checks.euler_relative_error(best * 1.01)


@pytest.mark.parametrize("answer", [0.21, 0.2, 0.18])
def test_challenge_accepts_safe_answers_close_to_the_largest(answer):
    assert checks.check_euler_time_step(answer, strict=True).passed


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [
        (0.02 * math.e * 20.0, "tau is C / g_L = 4 ms"),  # the standard cell's tau
        (0.02 * math.e * 4.0, "above 1%"),  # the first-order estimate, unchecked: 1.02%
        (0.0002, "in seconds"),
        (0.05, "smaller than it needs to be"),
        (-0.1, "must be positive"),
        ("0.2", "should be a number"),
    ],
)
def test_challenge_rejects_wrong_answers(answer, fragment):
    if isinstance(answer, str):
        answer = [answer]  # a list cannot be converted to one float
    assert_rejected(checks.check_euler_time_step(answer), fragment)


def test_challenge_untouched_is_not_attempted():
    assert checks.check_euler_time_step(...).status == NOT_ATTEMPTED

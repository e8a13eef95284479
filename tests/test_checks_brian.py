"""Tests of the Lesson 4 (Brian2) checkers.

Each checker accepts a correct solution written here (independently of
course_utils.brian, in plain Brian2), rejects each typical mistake it claims
to catch with the specific message or hint, and says "not attempted" for the
untouched scaffold. Brian2 runs on the numpy target and for at most 200 ms
of simulated time, so the file stays fast.
"""

from __future__ import annotations

import numpy as np
import pytest

from course_utils.checks import CORRECT, INCORRECT, NOT_ATTEMPTED
from course_utils.checks import brian as checks
from course_utils.neurons import passive_step_response, simulate_lif

brian2 = pytest.importorskip("brian2")
from brian2 import (  # noqa: E402
    Network,
    NeuronGroup,
    SpikeMonitor,
    StateMonitor,
    ms,
    mV,
    nA,
    nS,
    pA,
    pF,
    prefs,
    start_scope,
)

# brian2 2.9 calls pyparsing APIs that newer pyparsing deprecates: not ours.
pytestmark = pytest.mark.filterwarnings("ignore:.*deprecated.*:DeprecationWarning")

NEURON = dict(
    membrane_capacitance=200.0,
    leak_conductance=10.0,
    leak_reversal=-65.0,
    threshold=-50.0,
    reset=-65.0,
    refractory_period=2.0,
)


@pytest.fixture(autouse=True)
def numpy_target():
    previous = prefs.codegen.target
    prefs.codegen.target = "numpy"
    yield
    prefs.codegen.target = previous


def assert_rejected(feedback, *fragments):
    assert feedback.status == INCORRECT, str(feedback)
    text = " ".join(str(feedback).split())
    for fragment in fragments:
        assert fragment in text, f"{fragment!r} not in:\n{text}"


def test_lesson_constants_are_the_stated_neuron():
    assert checks.LESSON_NEURON == NEURON
    assert checks.LESSON_DT == 0.1


# --------------------------------------------------------------------------
# Exercise 4.1: the equations
# --------------------------------------------------------------------------

GOOD_EQUATIONS = """
dv/dt = (g_L*(E_L - v) + I_inj)/C_m : volt (unless refractory)
I_inj : amp
"""


def test_equations_accept_the_reference():
    assert checks.check_lif_equations(GOOD_EQUATIONS, strict=True).status == CORRECT


def test_equations_accept_an_equivalent_form():
    # tau written out as C_m/g_L, the current as a voltage drive I/g_L
    equations = """
    dv/dt = (E_L - v + I_inj/g_L)/(C_m/g_L) : volt (unless refractory)
    I_inj : amp
    """
    assert checks.check_lif_equations(equations, strict=True).status == CORRECT


def test_equations_stub_is_not_attempted():
    assert checks.check_lif_equations(...).status == NOT_ATTEMPTED


def test_equations_current_in_volts_with_conductance_form():
    equations = GOOD_EQUATIONS.replace("I_inj : amp", "I_inj : volt")
    assert_rejected(checks.check_lif_equations(equations), "declared in volts", "I_inj : amp")


def test_equations_seed_form_with_current_in_volts():
    equations = """
    dv/dt = ((E_L - v) + I_inj)/(20*ms) : volt (unless refractory)
    I_inj : volt
    """
    assert_rejected(checks.check_lif_equations(equations), "declared in volts", "I_inj : amp")


def test_equations_without_units_are_a_units_error():
    equations = GOOD_EQUATIONS.replace(": volt (unless refractory)", ": 1 (unless refractory)")
    assert_rejected(checks.check_lif_equations(equations), "units that do not match", "nS*mV = pA")


def test_equations_time_constant_without_unit_is_a_units_error():
    equations = """
    dv/dt = (E_L - v)/20 + I_inj/C_m : volt (unless refractory)
    I_inj : amp
    """
    assert_rejected(checks.check_lif_equations(equations), "units that do not match")


def test_equations_missing_unit_declaration_is_reported():
    equations = "dv/dt = (g_L*(E_L - v) + I_inj)/C_m\nI_inj : amp"
    assert_rejected(checks.check_lif_equations(equations), "could not use your code")


def test_equations_leak_sign_flipped():
    equations = GOOD_EQUATIONS.replace("g_L*(E_L - v)", "g_L*(v - E_L)")
    assert_rejected(checks.check_lif_equations(equations), "moves away from E_L", "g_L*(E_L - v)")


def test_equations_wrong_time_constant():
    equations = GOOD_EQUATIONS.replace("/C_m", "/(2*C_m)")
    assert_rejected(checks.check_lif_equations(equations), "tau = C_m/g_L")


def test_equations_without_unless_refractory():
    equations = GOOD_EQUATIONS.replace(" (unless refractory)", "")
    assert_rejected(checks.check_lif_equations(equations), "unless refractory")


def test_equations_without_current():
    assert_rejected(
        checks.check_lif_equations("dv/dt = g_L*(E_L - v)/C_m : volt (unless refractory)"),
        "no current I_inj",
    )


def test_equations_must_be_a_string():
    assert_rejected(checks.check_lif_equations(42), "should be a string")


# --------------------------------------------------------------------------
# Exercise 4.2: fix the seed's neuron
# --------------------------------------------------------------------------


def make_lif(
    *,
    initialise=True,
    negate_leak=False,
    current_unit=pA,
    equations=GOOD_EQUATIONS,
    strip_units=True,
):
    """A lif_fixed(current, leak_reversal) with the chosen mistakes."""

    def lif_fixed(current, leak_reversal):
        start_scope()
        leak = -leak_reversal if negate_leak else leak_reversal
        group = NeuronGroup(
            1,
            equations,
            threshold="v >= V_th",
            reset="v = V_reset",
            refractory=2 * ms,
            method="euler",
            namespace=dict(
                C_m=200 * pF, g_L=10 * nS, E_L=leak * mV, V_th=-50 * mV, V_reset=-65 * mV
            ),
        )
        if initialise:
            group.v = leak * mV
        group.I_inj = current * current_unit
        state = StateMonitor(group, "v", record=0)
        spikes = SpikeMonitor(group)
        Network(group, state, spikes).run(100 * ms)
        if strip_units:
            return spikes.t / ms, state.v[0] / mV
        return spikes.t, state.v[0]

    return lif_fixed


def lif_fixed_stub(current, leak_reversal):
    """Fix the seed's neuron."""
    ...


def test_fixed_lif_accepts_the_reference():
    assert checks.check_fixed_lif(make_lif(), strict=True).status == CORRECT


def test_fixed_lif_stub_is_not_attempted():
    assert checks.check_fixed_lif(lif_fixed_stub).status == NOT_ATTEMPTED


def test_fixed_lif_uninitialised_v_fires_at_zero():
    assert_rejected(
        checks.check_fixed_lif(make_lif(initialise=False)), "fires at t = 0", "group.v = E_L"
    )


def test_fixed_lif_negated_leak_reversal():
    assert_rejected(checks.check_fixed_lif(make_lif(negate_leak=True)), "not -leak_reversal")


def test_fixed_lif_current_in_nanoamps():
    assert_rejected(
        checks.check_fixed_lif(make_lif(current_unit=nA)), "far too strong", "current * pA"
    )


def test_fixed_lif_seed_equation_with_the_current_in_millivolts():
    seed_equations = """
    dv/dt = ((E_L - v) + I_inj)/(20*ms) : volt (unless refractory)
    I_inj : volt
    """
    assert_rejected(
        checks.check_fixed_lif(make_lif(equations=seed_equations, current_unit=mV)),
        "far too strong",
    )


def test_fixed_lif_current_declared_in_volts_is_a_units_error():
    equations = GOOD_EQUATIONS.replace("I_inj : amp", "I_inj : volt")
    assert_rejected(
        checks.check_fixed_lif(make_lif(equations=equations)), "units that do not match"
    )


def test_fixed_lif_returning_quantities():
    assert_rejected(checks.check_fixed_lif(make_lif(strip_units=False)), "strip")


# --------------------------------------------------------------------------
# Exercise 4.3: predict the offset
# --------------------------------------------------------------------------


def test_offset_accepts_one_and_five_steps():
    assert checks.check_offset_prediction((1, 5), strict=True).status == CORRECT


def test_offset_stub_is_not_attempted():
    assert checks.check_offset_prediction((..., ...)).status == NOT_ATTEMPTED


def test_offset_in_ms():
    assert_rejected(checks.check_offset_prediction((0.1, 0.5)), "milliseconds")


def test_offset_that_does_not_accumulate():
    assert_rejected(checks.check_offset_prediction((1, 1)), "add up")


def test_offset_with_the_wrong_sign():
    assert_rejected(checks.check_offset_prediction((-1, -5)), "late, not early")


# --------------------------------------------------------------------------
# Exercise 4.4: match the course solver to Brian2
# --------------------------------------------------------------------------


def grid_equal(a, b, dt):
    return np.array_equal(np.rint(np.asarray(a) / dt), np.rint(np.asarray(b) / dt))


def brian_reference_times():
    """The lesson's Brian2 run (300 pA, 200 ms), written out in plain Brian2."""
    start_scope()
    group = NeuronGroup(
        1,
        GOOD_EQUATIONS,
        threshold="v >= V_th",
        reset="v = V_reset",
        refractory=2 * ms,
        method="euler",
        namespace=dict(C_m=200 * pF, g_L=10 * nS, E_L=-65 * mV, V_th=-50 * mV, V_reset=-65 * mV),
    )
    group.v = -65 * mV
    group.I_inj = 300 * pA
    spikes = SpikeMonitor(group)
    Network(group, spikes).run(200 * ms)
    return np.asarray(spikes.t / ms)


def test_matched_run_accepts_the_reference():
    course = simulate_lif(duration=200.0, dt=0.1, current=300.0, step_order="brian2", **NEURON)
    identical = grid_equal(course.spike_times[0], brian_reference_times(), 0.1)
    feedback = checks.check_matched_run((course, identical), strict=True)
    assert feedback.status == CORRECT


def test_matched_run_stub_is_not_attempted():
    assert checks.check_matched_run((..., ...)).status == NOT_ATTEMPTED


def test_matched_run_textbook_order():
    course = simulate_lif(duration=200.0, dt=0.1, current=300.0, **NEURON)
    assert_rejected(
        checks.check_matched_run((course, False)), "textbook step order", "step_order='brian2'"
    )


def test_matched_run_different_dt():
    course = simulate_lif(duration=200.0, dt=0.05, current=300.0, step_order="brian2", **NEURON)
    assert_rejected(checks.check_matched_run((course, False)), "dt = 0.05 ms", "same dt")


def test_matched_run_float_equality_gives_false():
    course = simulate_lif(duration=200.0, dt=0.1, current=300.0, step_order="brian2", **NEURON)
    brian_times = brian_reference_times()
    # The mistake under test: == on float spike times.
    identical = bool(np.array_equal(course.spike_times[0], brian_times))
    assert not identical  # the float times differ in the last bit for this run
    assert_rejected(checks.check_matched_run((course, identical)), "==", "grid indices")


def test_matched_run_wrong_current():
    course = simulate_lif(duration=200.0, dt=0.1, current=250.0, step_order="brian2", **NEURON)
    assert_rejected(checks.check_matched_run((course, True)), "current=300.0")


# --------------------------------------------------------------------------
# Exercise 4.5: integration error
# --------------------------------------------------------------------------


def exact_voltage(time, amplitude, shift=0.0):
    return passive_step_response(
        time + shift,
        amplitude=amplitude,
        membrane_capacitance=200.0,
        leak_conductance=10.0,
        leak_reversal=-65.0,
    )


def integration_error(time, voltage, amplitude):
    return np.max(np.abs(voltage - exact_voltage(time, amplitude)))


def integration_error_stub(time, voltage, amplitude): ...


def test_integration_error_accepts_the_reference():
    feedback = checks.check_integration_error(integration_error, strict=True)
    assert feedback.status == CORRECT


def test_integration_error_stub_is_not_attempted():
    assert checks.check_integration_error(integration_error_stub).status == NOT_ATTEMPTED


def test_integration_error_one_step_late():
    def late(time, voltage, amplitude):
        dt = time[1] - time[0]
        return np.max(np.abs(voltage - exact_voltage(time, amplitude, dt)))

    assert_rejected(checks.check_integration_error(late), "START of step k")


def test_integration_error_without_abs():
    def signed(time, voltage, amplitude):
        return np.max(voltage - exact_voltage(time, amplitude))

    assert_rejected(checks.check_integration_error(signed), "absolute value")


def test_integration_error_mean_instead_of_max():
    def mean(time, voltage, amplitude):
        return np.mean(np.abs(voltage - exact_voltage(time, amplitude)))

    assert_rejected(checks.check_integration_error(mean), "maximum")


def test_integration_error_must_be_one_number():
    def array(time, voltage, amplitude):
        return np.abs(voltage - exact_voltage(time, amplitude))

    assert_rejected(checks.check_integration_error(array), "one number")


# --------------------------------------------------------------------------
# Wrong answers written as a student would (issue 10), and correct ones
# written differently
# --------------------------------------------------------------------------


@pytest.mark.parametrize("flag", ["(shared)", "(constant)", "(shared, constant)"])
def test_equations_accept_a_flagged_current(flag):
    # Rejected once by a ValueError inside the checker's own probe.
    equations = GOOD_EQUATIONS.replace("I_inj : amp", f"I_inj : amp {flag}")
    assert checks.check_lif_equations(equations, strict=True).status == CORRECT


def test_equations_accept_the_leak_written_as_minus():
    equations = """
    dv/dt = (-g_L*(v - E_L) + I_inj) / C_m : volt (unless refractory)
    I_inj : amp
    """
    assert checks.check_lif_equations(equations, strict=True).status == CORRECT


def test_equations_current_with_the_wrong_sign():
    equations = GOOD_EQUATIONS.replace("+ I_inj", "- I_inj")
    assert_rejected(checks.check_lif_equations(equations), "wrong sign", "+ I_inj")


def test_equations_current_defined_by_an_equation():
    equations = """
    dv/dt = (g_L*(E_L - v) + I_inj)/C_m : volt (unless refractory)
    I_inj = 300*pA : amp
    """
    assert_rejected(checks.check_lif_equations(equations), "cannot be set")


def test_fixed_lif_written_differently_is_accepted():
    # Explicit Network, the current as a shared parameter, tau-form equation.
    def lif_fixed(current, leak_reversal):
        start_scope()
        group = NeuronGroup(
            1,
            """dv/dt = (E_L - v)/tau + I/C : volt (unless refractory)
            I : amp (shared)""",
            threshold="v>=V_th", reset="v=V_reset", refractory="2*ms", method="euler",
            namespace=dict(tau=20 * ms, C=200 * pF, E_L=leak_reversal * mV,
                           V_th=-50 * mV, V_reset=-65 * mV),
        )
        group.v = "E_L"
        group.I = current * pA
        monitor = StateMonitor(group, "v", record=True)
        counter = SpikeMonitor(group)
        net = Network(group, monitor, counter)
        net.run(0.1 * brian2.second)
        return np.array(counter.t / ms), np.array(monitor.v[0] / mV)

    assert checks.check_fixed_lif(lif_fixed, strict=True).status == CORRECT


def test_fixed_lif_pass_body_returns_none():
    def lif_fixed(current, leak_reversal):
        pass

    assert_rejected(checks.check_fixed_lif(lif_fixed), "returned None", "return")


def make_variant(**group_arguments):
    def lif_fixed(current, leak_reversal):
        start_scope()
        arguments = dict(threshold="v >= V_th", reset="v = V_reset", refractory=2 * ms,
                         method="euler")
        arguments.update(group_arguments)
        group = NeuronGroup(
            1, GOOD_EQUATIONS,
            namespace=dict(C_m=200 * pF, g_L=10 * nS, E_L=leak_reversal * mV,
                           V_th=-50 * mV, V_reset=-65 * mV),
            **{k: v for k, v in arguments.items() if v is not None},
        )
        group.v = leak_reversal * mV
        group.I_inj = current * pA
        state = StateMonitor(group, "v", record=0)
        spikes = SpikeMonitor(group)
        Network(group, state, spikes).run(100 * ms)
        return spikes.t / ms, state.v[0] / mV

    return lif_fixed


def test_fixed_lif_without_refractory_period():
    assert_rejected(checks.check_fixed_lif(make_variant(refractory=None)),
                    "no refractory period", "refractory=2*ms")


def test_fixed_lif_without_method_euler():
    assert_rejected(checks.check_fixed_lif(make_variant(method=None)), "method='euler'")


def test_fixed_lif_reset_to_leak_reversal():
    assert_rejected(checks.check_fixed_lif(make_variant(reset="v = E_L")), "V_reset = -65*mV")


def test_integration_error_written_as_a_loop_is_accepted():
    def loop(time, voltage, amplitude):
        tau, worst = 20.0, 0.0
        for t, v in zip(time, voltage, strict=True):
            exact = -65.0 + amplitude / 10.0 * (1.0 - np.exp(-t / tau))
            worst = max(worst, abs(v - exact))
        return worst

    assert checks.check_integration_error(loop, strict=True).status == CORRECT


def test_integration_error_pass_body_returns_none():
    def error(time, voltage, amplitude):
        pass

    assert_rejected(checks.check_integration_error(error), "returned None")


def test_integration_error_standard_cell_leak_reversal():
    def standard_cell(time, voltage, amplitude):
        exact = passive_step_response(time, amplitude=amplitude, membrane_capacitance=200.0,
                                      leak_conductance=10.0, leak_reversal=-70.0)
        return np.max(np.abs(voltage - exact))

    assert_rejected(checks.check_integration_error(standard_cell), "E_L = -65 mV")


def test_integration_error_root_mean_square():
    def rms(time, voltage, amplitude):
        return np.sqrt(np.mean((voltage - exact_voltage(time, amplitude)) ** 2))

    assert_rejected(checks.check_integration_error(rms), "root-mean-square")


# --------------------------------------------------------------------------
# Challenge 4.6: the RS cell's threshold for repetitive firing
# --------------------------------------------------------------------------


def brian2_threshold_scan():
    """The challenge solved as a student would: one Brian2 group, 1 pA steps."""
    start_scope()
    currents = np.arange(300.0, 460.0, 1.0)
    group = NeuronGroup(
        currents.size,
        """dv/dt = 0.04*v**2/(mV*ms) + 5*v/ms + 140*mV/ms - u + I/C : volt
        du/dt = a*(b*v - u) : volt/second
        I : amp""",
        threshold="v >= 30*mV", reset="v = c; u += d", method="euler",
        namespace=dict(C=100 * pF, a=0.02 / ms, b=0.2 / ms, c=-65 * mV, d=8 * mV / ms),
    )
    group.v = -70 * mV
    group.u = 0.2 / ms * -70 * mV
    group.I = currents * pA
    spikes = SpikeMonitor(group)
    Network(group, spikes).run(600 * ms)
    trains = spikes.spike_trains()
    late = np.array([np.sum(trains[i] / ms >= 300.0) for i in range(currents.size)])
    return float(currents[np.argmax(late >= 2)])


def test_challenge_threshold_is_independent_of_the_course_solver():
    # Rest is -70 mV for b = 0.2 (0.04 v^2 + 4.8 v + 140 = 0); the Hopf
    # bifurcation of the continuous model is at I = 3.7975 mV/ms (379.75 pA),
    # so the threshold from a step lies just below it.
    threshold, onset = checks.izhikevich_repetitive_threshold()
    assert 370.0 < threshold < 379.75
    assert onset < threshold
    assert abs(brian2_threshold_scan() - threshold) <= 1.0


def test_challenge_accepts_the_brian2_scan():
    assert checks.check_izhikevich_rheobase(378.0, strict=True).status == CORRECT


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [(3.78, "mV/ms"), (0.378, "nA"), (271.0, "only once"), (400.0, "off"), (None, "None")],
)
def test_challenge_rejects(answer, fragment):
    assert_rejected(checks.check_izhikevich_rheobase(answer), fragment)


def test_challenge_stub_is_not_attempted():
    assert checks.check_izhikevich_rheobase(...).status == NOT_ATTEMPTED

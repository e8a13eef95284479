"""Checkers for Lesson 4, "Brian2".

Units: time in ms, voltage in mV, current in pA, conductance in nS,
capacitance in pF (see :mod:`course_utils`).

Each checker runs the student's Brian2 code (numpy code generation target,
short runs) and recognises the typical mistakes of that exercise: units
that do not match (Brian2's ``DimensionMismatchError``, turned into a
friendly message), a current declared in volts, v never initialised (Brian2
starts it at 0 mV, above threshold, so the neuron fires at t = 0), the sign
of E_L flipped, a current 1000x off, the textbook step order or a different
dt when matching the course solver, spike times compared with ``==`` on
floats instead of grid indices, and an integration error measured at the
wrong times or without ``abs``. The references are Brian2's spike times and
voltages, computed by the course solver in Brian2's step order (equal to
Brian2's to the last step and ~1e-13 mV, see tests/test_neurons_brian2.py,
and ten times faster to get), and the analytic solution
(:func:`course_utils.neurons.passive_step_response`). The optional
challenge (the Izhikevich RS cell's threshold for repetitive firing) is
checked against a vectorised scan with
:func:`course_utils.neurons.simulate_izhikevich` in Brian2's step order.

Each checker is a table of small named probes, one per mistake it
recognises, run in order by :func:`course_utils.checks._probes.run_probes`;
each checker's docstring lists the mistakes and the probe that catches each.
"""

from __future__ import annotations

import functools
import gc
from contextlib import contextmanager

import numpy as np

from ..brian import codegen_target, run_brian_lif, spike_steps
from ..neurons import passive_step_response, simulate_lif
from . import run_check
from ._probes import as_number, evaluator, expect, mistake, passed

__all__ = [
    "LESSON_DT",
    "LESSON_NEURON",
    "IZHIKEVICH_CAPACITANCE",
    "check_fixed_lif",
    "check_integration_error",
    "check_izhikevich_rheobase",
    "check_lif_equations",
    "check_matched_run",
    "check_offset_prediction",
    "izhikevich_repetitive_threshold",
]

LESSON_NEURON = dict(
    membrane_capacitance=200.0,  # pF
    leak_conductance=10.0,  # nS  (tau = 20 ms)
    leak_reversal=-65.0,  # mV
    threshold=-50.0,  # mV
    reset=-65.0,  # mV
    refractory_period=2.0,  # ms
)
"""The lesson's LIF neuron, in course units (the exercises state these values)."""

LESSON_DT = 0.1
"""Brian2's default time step in ms (``defaultclock.dt``), used by the exercises."""

_UNITS_HINT = (
    "every term inside dv/dt must be a voltage per time: g_L*(E_L - v) is nS*mV = pA and "
    "I_inj is pA, so (g_L*(E_L - v) + I_inj)/C_m is pA/pF = mV/ms. Declare v ': volt' "
    "and the current ': amp'."
)
_INIT_HINT = (
    "Brian2 starts every state variable at 0, so v = 0 mV, above the -50 mV threshold: "
    "the neuron fires at t = 0 with no input. Set group.v = E_L (with its unit) before run()."
)
_STRIP_HINT = (
    "return plain numbers in ms and mV: spikes.t / ms and state.v[0] / mV (dividing by the "
    "unit strips it; np.asarray of a quantity would give seconds and volts)."
)


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


@contextmanager
def _quiet_brian():
    """numpy target, and Brian2's log warnings caught rather than printed.

    Half-built groups from a failed attempt make Brian2 warn about "unused
    objects" when they are garbage collected; collect them in here.
    """
    from brian2.utils.logger import catch_logs

    with codegen_target("numpy"), catch_logs():
        try:
            yield
        finally:
            gc.collect()


def _units_error(error):
    """The DimensionMismatchError behind a Brian2 error, or None."""
    from brian2.units.fundamentalunits import DimensionMismatchError

    seen = error
    while seen is not None:
        if isinstance(seen, DimensionMismatchError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _root_message(error) -> str:
    """The innermost error message of a (possibly wrapped) Brian2 error."""
    while error.__cause__ is not None:
        error = error.__cause__
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0] if text else ''}"


def _brian_error_finding(error):
    """The mistake behind a Brian2 error: units that do not match, or any other message."""
    units = _units_error(error)
    if units is not None:
        message = str(units).strip().splitlines()
        return mistake(f"Brian2 found units that do not match: {message[-1]}", _UNITS_HINT)
    return mistake(
        f"Brian2 could not use your code: {_root_message(error)}",
        "read the message: it names the line or the identifier to fix. Equations look "
        "like 'dv/dt = (...)/C_m : volt', one per line, each ending in ': unit'.",
    )


def _has_units(value) -> bool:
    dim = getattr(value, "dim", None)
    return dim is not None and not getattr(value, "is_dimensionless", True)


def _brian_namespace():
    from brian2 import mV, nS, pF

    p = LESSON_NEURON
    return {
        "C_m": p["membrane_capacitance"] * pF,
        "g_L": p["leak_conductance"] * nS,
        "E_L": p["leak_reversal"] * mV,
        "V_th": p["threshold"] * mV,
        "V_reset": p["reset"] * mV,
    }


def _reference(current, duration, leak_reversal=None, dt=LESSON_DT):
    """The lesson neuron in Brian2's step order (course solver, numpy backend).

    ``simulate_lif(step_order="brian2")`` gives Brian2's spike times exactly
    and its voltage to ~1e-13 mV (tests/test_neurons_brian2.py), in a
    fraction of the time of a Brian2 run.
    """
    neuron = dict(LESSON_NEURON)
    if leak_reversal is not None:
        neuron["leak_reversal"] = leak_reversal
    return simulate_lif(
        duration=duration, dt=dt, current=current, step_order="brian2", backend="numpy",
        **neuron,
    )


def _reference_steps(current, duration, leak_reversal=None, dt=LESSON_DT):
    """Spike steps of the lesson neuron, as Brian2 labels them."""
    result = _reference(current, duration, leak_reversal=leak_reversal, dt=dt)
    return spike_steps(result.spike_times[0], dt)


# --------------------------------------------------------------------------
# Exercise 4.1: the LIF equations with units
# --------------------------------------------------------------------------


def _equation_groups(equations):
    """(two one-neuron groups of the student's equations, None), or (None, the mistake)."""
    import brian2 as b2
    from brian2 import ms

    try:
        groups = [
            b2.NeuronGroup(
                1, equations, threshold="v >= V_th", reset="v = V_reset",
                refractory=LESSON_NEURON["refractory_period"] * ms, method="euler",
                namespace=_brian_namespace(), dt=LESSON_DT * ms,
            )
            for _ in range(2)
        ]
    except Exception as error:  # noqa: BLE001 - Brian2 raises many kinds
        return None, _brian_error_finding(error)
    return groups, None


def _declaration_mistake(variables):
    """No current I_inj, or one declared in volts (the seed's mistake): or None."""
    from brian2 import volt

    if "I_inj" not in variables:
        return mistake(
            "there is no current I_inj: the neuron cannot be driven.",
            "add the current to dv/dt and declare it on its own line: 'I_inj : amp'.",
        )
    if variables["I_inj"].dim == volt.dim:
        return mistake(
            "I_inj is declared in volts: a current is a current (the seed's mistake).",
            "declare 'I_inj : amp', add it to g_L*(E_L - v) (also a current) and "
            "divide the sum by C_m.",
        )
    return None


def _unit_mistake(variables):
    """v not a state variable in volt, or I_inj not in amp: or None."""
    from brian2 import amp, volt

    if "v" not in variables or variables["v"].dim != volt.dim:
        return mistake(
            "the membrane potential v must be a state variable in volt.",
            "start with 'dv/dt = ... : volt'.",
        )
    if variables["I_inj"].dim != amp.dim:
        return mistake(
            f"I_inj has the unit {variables['I_inj'].dim}, not amp.",
            "declare 'I_inj : amp'.",
        )
    return None


def _start_probes(relax, driven):
    """Relax starts 5 mV above rest, driven at rest with 300 pA: None, or the mistake."""
    from brian2 import mV, pA

    rest = LESSON_NEURON["leak_reversal"]
    try:
        relax.v = (rest + 5.0) * mV
        driven.v = rest * mV
        relax.I_inj = 0.0 * pA
        driven.I_inj = 300.0 * pA
    except Exception as error:  # noqa: BLE001 - e.g. I_inj defined by an equation
        return mistake(
            f"I_inj cannot be set from outside: {_root_message(error)}",
            "declare it as a parameter on its own line, 'I_inj : amp', so that "
            "group.I_inj = 300*pA works.",
        )
    return None


def _probe_equations(equations):
    """Run the student's equations: ((relaxation trace, driven trace, driven spike steps),
    findings), or (None, the mistake).

    Two one-neuron groups, so that every legal flag on I_inj (``(shared)``,
    ``(constant)``) takes a single value: neuron "relax" starts 5 mV above
    rest with no input, neuron "driven" gets 300 pA from rest. Every Brian2
    object lives only inside this function (and the helpers it calls), so
    that a failed attempt's objects are collected (and Brian2's warnings
    about them caught) before the caller's ``_quiet_brian`` block ends.
    """
    import brian2 as b2
    from brian2 import ms, mV

    b2.start_scope()
    groups, problem = _equation_groups(equations)
    if problem is None:
        problem = _declaration_mistake(groups[0].variables)
    if problem is not None:
        return None, problem
    try:
        # Brian2 checks the units of every equation when a run starts.
        network = b2.Network(*groups)
        network.run(0 * ms)
    except Exception as error:  # noqa: BLE001
        return None, _brian_error_finding(error)
    problem = _unit_mistake(groups[0].variables) or _start_probes(*groups)
    if problem is not None:
        return None, problem
    monitors = [b2.StateMonitor(group, "v", record=0) for group in groups]
    spikes = b2.SpikeMonitor(groups[1])
    network.add(*monitors, spikes)
    try:
        network.run(100.0 * ms)
    except Exception as error:  # noqa: BLE001
        return None, _brian_error_finding(error)
    findings = (
        passed("v is in volt and I_inj in amp: Brian2 accepts the units."),
        expect(
            "unless refractory" in groups[0].equations["v"].flags,
            "v is clamped while the neuron is refractory.",
            "v keeps integrating during the refractory period.",
            "end the dv/dt line with ': volt (unless refractory)'.",
            final=False,
        ),
    )
    traces = (
        np.asarray(monitors[0].v[0] / mV),
        np.asarray(monitors[1].v[0] / mV),
        spike_steps(np.asarray(spikes.t / ms), LESSON_DT),
    )
    return traces, findings


class _EquationsCase:
    """The student's equation string and, once run, its probe traces."""

    index = round(20.0 / LESSON_DT)  # the sample 20 ms into the run

    def __init__(self, equations):
        self.equations = equations
        self.relax = self.driven_trace = self.driven_steps = None


def _equations_string(case):
    """Not a string."""
    if not isinstance(case.equations, str):
        return mistake(
            f"lif_equations should be a string, but it is a {type(case.equations).__name__}.",
            "write the equations between triple quotes: \"\"\" ... \"\"\"",
        )
    return None


def _equations_run(case):
    """Units, declarations and flags: a zero-length run, then two 100 ms probes."""
    with _quiet_brian():
        traces, findings = _probe_equations(case.equations)
    if traces is not None:
        case.relax, case.driven_trace, case.driven_steps = traces
    return findings


def _equations_leak_sign(case):
    """The leak with the wrong sign: the relaxation probe runs away from E_L."""
    rest = LESSON_NEURON["leak_reversal"]
    if abs(case.relax[case.index] - rest) > 5.0:
        return mistake(
            "with no input, v moves away from E_L instead of decaying back to it.",
            "the leak must pull v towards E_L: g_L*(E_L - v), not g_L*(v - E_L).",
        )
    return None


def _equations_time_constant(case):
    """A wrong time constant: the relaxation probe after 20 ms is not E_L + 5 mV exp(-1)."""
    rest = LESSON_NEURON["leak_reversal"]
    tau = LESSON_NEURON["membrane_capacitance"] / LESSON_NEURON["leak_conductance"]
    expected = rest + 5.0 * np.exp(-20.0 / tau)  # mV after 20 ms (Euler error ~0.01 mV)
    value = case.relax[case.index]
    return expect(
        abs(value - expected) < 0.05,
        "with no input, v decays back to E_L with tau = C_m / g_L = 20 ms.",
        f"with no input, v is {value:.2f} mV after 20 ms; with tau = C_m/g_L "
        f"= 20 ms it should be {expected:.2f} mV.",
        "use g_L and C_m from the namespace: dv/dt = (g_L*(E_L - v) + I_inj)/C_m.",
    )


def _equations_current_sign(case):
    """The current entering with a minus sign: the driven probe moves v below rest."""
    value = case.driven_trace[case.index]
    if value < LESSON_NEURON["leak_reversal"] - 1.0:
        return mistake(
            f"a current of +300 pA pulls v down, to {value:.1f} mV after "
            "20 ms: the current enters with the wrong sign.",
            "a positive injected current depolarises: + I_inj, as in "
            "C_m dv/dt = g_L (E_L - v) + I_inj.",
        )
    return None


def _equations_spike_steps(case):
    """Any other wrong term: the driven probe's spike steps against the reference's."""
    steps, reference = case.driven_steps, _reference_steps(300.0, 100.0)
    return expect(
        np.array_equal(steps, reference),
        "driven by 300 pA it fires at exactly Brian2's reference spike times.",
        f"driven by 300 pA it fires {steps.size} spikes, at steps "
        f"{steps[:4].tolist()}...; expected {reference.size}, at "
        f"{reference[:4].tolist()}...",
        "compare your equation term by term with C_m dv/dt = g_L (E_L - v) + I_inj.",
        final=False,
    )


_EQUATIONS_PROBES = (
    _equations_string,
    _equations_run,
    _equations_leak_sign,
    _equations_time_constant,
    _equations_current_sign,
    _equations_spike_steps,
)


def check_lif_equations(attempt, *, strict=False):
    """Exercise 4.1: a Brian2 equation string for the lesson's LIF neuron.

    The string must define ``v`` (volt) and a settable current ``I_inj``
    (amp), use ``C_m``, ``g_L`` and ``E_L`` from the namespace, and hold v
    still while refractory. Any legal flag on ``I_inj`` (``(shared)``,
    ``(constant)``) is accepted: each probe is a one-neuron group.

    Mistakes caught, and the probe that catches each:

    - units that do not match (e.g. ``/20`` without ``ms``, v declared
      ``: 1``): a zero-length run, where Brian2 checks every unit
      (``_equations_run``);
    - the current declared in volts (the seed's ``I : volt``): the declared
      dimension of ``I_inj`` (``_declaration_mistake``);
    - no current, or one that cannot be set (defined by an equation):
      ``I_inj`` missing, or setting ``group.I_inj = 300*pA`` fails
      (``_declaration_mistake``, ``_start_probes``);
    - the leak with the wrong sign, ``g_L*(v - E_L)``: the relaxation probe
      (5 mV above rest, no input) runs away from E_L (``_equations_leak_sign``);
    - a wrong time constant (e.g. ``/(2*C_m)``): the relaxation probe after
      20 ms is not E_L + 5 mV * exp(-1) (``_equations_time_constant``);
    - the current entering with a minus sign: the driven probe (300 pA from
      rest) moves v below rest (``_equations_current_sign``);
    - no ``(unless refractory)``: the flags of the v equation
      (``_probe_equations``);
    - any other wrong term: the driven probe's spike steps differ from the
      reference's (``_equations_spike_steps``).
    """
    return run_check("Exercise 4.1: the LIF in Brian2's equations", attempt,
                     evaluator(_EQUATIONS_PROBES, _EquationsCase), strict=strict)


# --------------------------------------------------------------------------
# Exercise 4.2: fix the seed's neuron
# --------------------------------------------------------------------------


_RETURN_HINT = "end with: return spikes.t / ms, state.v[0] / mV"


def _call_fixed_lif(function, current, leak_reversal):
    """((spike times ms, voltage mV), None) from the student's function, or (None, the mistake)."""
    with _quiet_brian():
        try:
            output = function(current, leak_reversal)
        except Exception as error:  # noqa: BLE001
            return None, _brian_error_finding(error)
    if output is None:
        return None, mistake(
            "lif_fixed returned None: the function has no return statement (or a bare one).",
            _RETURN_HINT,
        )
    if not isinstance(output, (tuple, list)) or len(output) != 2:
        return None, mistake(
            "lif_fixed should return two things: (spike times in ms, voltage in mV).",
            _RETURN_HINT,
        )
    times, voltage = output
    if _has_units(times) or _has_units(voltage):
        return None, mistake("lif_fixed returns Brian2 quantities with units.", _STRIP_HINT)
    times = np.atleast_1d(np.asarray(times, dtype=float))
    voltage = np.asarray(voltage, dtype=float).reshape(-1)
    if voltage.size != round(100.0 / LESSON_DT):
        return None, mistake(
            f"the voltage trace has {voltage.size} samples; 100 ms at dt = 0.1 ms has 1000.",
            "record v of neuron 0 every step (StateMonitor(group, 'v', record=0)) and run "
            "for 100 ms without changing defaultclock.dt.",
        )
    return (times, voltage), None


def _diagnose_fixed_lif(steps, current, leak_reversal):
    """The hint for spike steps that differ from the reference: which variant do they match?"""
    variants = (
        (dict(refractory_period=0.0),
         "there is no refractory period: pass refractory=2*ms to the NeuronGroup (and "
         "'(unless refractory)' in the equations)."),
        (dict(method="exponential_euler"),
         "without method='euler', Brian2 chooses the exact method for this linear "
         "equation: pass method='euler', as the exercise asks."),
        (dict(reset=leak_reversal),
         "the reset is -65 mV whatever E_L is: V_reset = -65*mV, not E_L."),
    )
    for change, hint in variants:
        neuron = dict(LESSON_NEURON, leak_reversal=leak_reversal)
        neuron.update(change)
        variant = simulate_lif(duration=100.0, dt=LESSON_DT, current=current,
                               step_order="brian2", backend="numpy", **neuron)
        if np.array_equal(steps, spike_steps(variant.spike_times[0], LESSON_DT)):
            return hint
    return ("use the lesson's neuron: C_m = 200 pF, g_L = 10 nS, threshold -50 mV, "
            "reset -65 mV, refractory 2 ms, method 'euler'.")


class _FixedCase:
    """The student's ``lif_fixed`` and its run without input (E_L = -65 mV)."""

    rest = LESSON_NEURON["leak_reversal"]

    def __init__(self, function):
        self.function = function
        self.times = self.voltage = None


def _fixed_is_function(case):
    """Not a function; else runs it without input."""
    if not callable(case.function):
        return mistake("lif_fixed should be a function.", None)
    quiet, problem = _call_fixed_lif(case.function, 0.0, case.rest)
    if problem is not None:
        return problem
    case.times, case.voltage = quiet
    return None


def _fixed_not_initialised(case):
    """v not initialised: the first voltage sample without input is 0 mV."""
    if abs(case.voltage[0]) < 1e-9:
        return mistake("with no input the neuron starts at 0 mV and fires at t = 0.", _INIT_HINT)
    return None


def _fixed_negated_leak_reversal(case):
    """E_L negated (the seed's slider): without input v sits at +65 mV."""
    voltage = case.voltage
    if voltage[0] > 0 or voltage[-1] > 0:
        return mistake(
            f"with no input and leak_reversal = {case.rest:g} mV, v sits at {voltage[-1]:.1f} mV.",
            "the leak reversal is negative: use E_L = leak_reversal * mV, not "
            "-leak_reversal * mV (the seed negated the slider value).",
        )
    return None


def _fixed_at_rest(case):
    """Without input v not at E_L, or spikes."""
    times, voltage = case.times, case.voltage
    if np.max(np.abs(voltage - case.rest)) > 1e-6 or times.size:
        return mistake(
            f"with no input v should stay at E_L = {case.rest:g} mV, but it goes from "
            f"{voltage[0]:.2f} to {voltage[-1]:.2f} mV"
            + (f" and fires {times.size} times." if times.size else "."),
            "start at rest (group.v = E_L) and check the leak term g_L*(E_L - v).",
        )
    return passed("with no input the neuron rests at E_L and never fires.")


def _driven_mistake(times, current, leak_reversal):
    """Too many spikes, none, or other steps than the reference's: the mistake, or None."""
    expected = _reference_steps(current, 100.0, leak_reversal=leak_reversal)
    try:
        steps = spike_steps(times, LESSON_DT)
    except ValueError:
        steps = np.rint(times / LESSON_DT).astype(np.int64)
    if steps.size > 3 * expected.size + 3:
        return mistake(
            f"{current:g} pA gives {steps.size} spikes in 100 ms instead of "
            f"{expected.size}: the current is far too strong.",
            "the current is in pA: group.I_inj = current * pA (not nA or mV).",
        )
    if steps.size == 0:
        return mistake(
            f"{current:g} pA gives no spike in 100 ms; Brian2's reference fires "
            f"{expected.size} times.",
            "is the current in amp and set in pA (group.I_inj = current * pA), and "
            "divided by C_m in dv/dt?",
        )
    if not np.array_equal(steps, expected):
        return mistake(
            f"{current:g} pA with E_L = {leak_reversal:g} mV gives spikes at "
            f"{np.round(times[:4], 2).tolist()} ms...; expected "
            f"{np.round(expected[:4] * LESSON_DT, 2).tolist()} ms...",
            _diagnose_fixed_lif(steps, current, leak_reversal),
        )
    return None


def _fixed_driven(case):
    """Initial v fixed, the current too strong or weak, a wrong variant: two driven probes."""
    for current, leak_reversal in ((300.0, -65.0), (260.0, -70.0)):
        driven, problem = _call_fixed_lif(case.function, current, leak_reversal)
        if problem is not None:
            return problem
        times, voltage = driven
        if not voltage[0] == leak_reversal:
            return mistake(
                f"with leak_reversal = {leak_reversal:g} mV the run starts at "
                f"{voltage[0]:.2f} mV instead.",
                "use the leak_reversal argument for both E_L and the initial v.",
            )
        problem = _driven_mistake(times, current, leak_reversal)
        if problem is not None:
            return problem
    return passed(
        "driven neurons fire at exactly Brian2's reference times (two currents, two E_L)."
    )


_FIXED_PROBES = (
    _fixed_is_function,
    _fixed_not_initialised,
    _fixed_negated_leak_reversal,
    _fixed_at_rest,
    _fixed_driven,
)


def check_fixed_lif(attempt, *, strict=False):
    """Exercise 4.2: ``lif_fixed(current, leak_reversal)`` without the seed's bugs.

    The function builds the lesson's LIF neuron in Brian2 with a constant
    current (pA) and leak reversal (mV), runs 100 ms at dt = 0.1 ms and
    returns (spike times in ms, voltage in mV).

    Mistakes caught, and the probe that catches each:

    - v not initialised (Brian2 starts it at 0 mV, so it fires at t = 0):
      no input, E_L = -65 mV, the first voltage sample is 0
      (``_fixed_not_initialised``);
    - E_L negated (the seed's slider): the same probe sits at +65 mV
      (``_fixed_negated_leak_reversal``); any other drift or spike without
      input (``_fixed_at_rest``);
    - the initial v fixed at -65 mV instead of ``leak_reversal``: the probe
      with E_L = -70 mV starts at -65 mV (``_fixed_driven``);
    - the current 1000x too strong (nA, or mV with the seed's equation):
      the driven probes (300 pA, E_L -65 mV; 260 pA, E_L -70 mV) fire far
      more often than the reference (``_driven_mistake``);
    - the current too weak or not divided by C_m: the driven probes stay
      silent (``_driven_mistake``);
    - no refractory period, Brian2's default method (exact) instead of
      'euler', or the reset tied to E_L: the driven spike steps equal those
      of that variant (simulated with the course solver in Brian2's order)
      (``_diagnose_fixed_lif``);
    - quantities returned with their units, None returned, a trace of the
      wrong length (another dt or duration): the return value itself
      (``_call_fixed_lif``).
    """
    return run_check("Exercise 4.2: fix the seed's neuron", attempt,
                     evaluator(_FIXED_PROBES, _FixedCase), strict=strict)


# --------------------------------------------------------------------------
# Exercise 4.3: predict the offset
# --------------------------------------------------------------------------


class _OffsetCase:
    """The student's ``(first_spike_offset, fifth_spike_offset)``."""

    def __init__(self, answer):
        self.answer = answer
        self.first = self.fifth = None


def _offset_two_numbers(case):
    """Anything but two numbers."""
    try:
        case.first, case.fifth = (float(x) for x in case.answer)
    except (TypeError, ValueError):
        return mistake(
            "give two numbers: (first_spike_offset, fifth_spike_offset), in steps.", None
        )
    return None


def _offset_in_ms(case):
    """The offsets in ms instead of steps (0.1, 0.5)."""
    if np.isclose(case.first, LESSON_DT) or np.isclose(case.fifth, 5 * LESSON_DT):
        return mistake(
            "these look like milliseconds; the question asks for steps of dt.",
            "divide by dt = 0.1 ms: an offset of 0.1 ms is 1 step.",
        )
    return None


def _offset_sign(case):
    """The wrong sign: the textbook loop as early."""
    if case.first < 0 or case.fifth < 0:
        return mistake(
            "the textbook loop is late, not early.",
            "it labels the spike at t + dt, the END of the step; Brian2 at t, its start.",
        )
    return None


def _offset_first(case):
    """Any first offset but 1 step."""
    return expect(
        case.first == 1,
        "first spike: 1 step late (labelled at the end, not the start, of the step).",
        f"first spike: {case.first:g} steps is not right.",
        "both solvers compute the same v up to the first crossing; only the label differs.",
    )


def _offset_accumulates(case):
    """An offset that does not accumulate, (1, 1): the refractory period's later start."""
    return expect(
        case.fifth == 5,
        "fifth spike: 5 steps late (each interval is also 1 step longer).",
        f"fifth spike: {case.fifth:g} steps is not right.",
        "the textbook refractory period also starts 1 step later, so with this "
        "constant current every interval is 1 step longer too: the offsets add up.",
    )


_OFFSET_PROBES = (
    _offset_two_numbers, _offset_in_ms, _offset_sign, _offset_first, _offset_accumulates,
)


def check_offset_prediction(attempt, *, strict=False):
    """Exercise 4.3: ``(first_spike_offset, fifth_spike_offset)`` in steps.

    The textbook loop labels a spike at the end of the step and starts the
    refractory period there, so its first spike is 1 step later than
    Brian2's and, for the lesson's constant current, every interval is 1
    step longer: the k-th spike is k steps late. (With a current that
    changes in time the delayed neuron integrates different input, so the
    offsets need not add up; without a refractory period only the labels
    differ and every spike is 1 step late.)

    Mistakes caught (probe function in brackets): the offsets in ms instead
    of steps (0.1, 0.5) [``_offset_in_ms``], the wrong sign (the textbook
    loop as early) [``_offset_sign``], an offset that does not accumulate
    ((1, 1): the refractory period's later start forgotten)
    [``_offset_accumulates``], any other first offset [``_offset_first``],
    and anything but two numbers [``_offset_two_numbers``].
    """
    return run_check("Exercise 4.3: predict the offset", attempt,
                     evaluator(_OFFSET_PROBES, _OffsetCase), strict=strict)


# --------------------------------------------------------------------------
# Exercise 4.4: make the course solver match Brian2
# --------------------------------------------------------------------------


class _MatchedCase:
    """The student's ``(course_run, identical)`` and Brian2's reference run."""

    def __init__(self, answer):
        self.answer = answer
        self.course = self.identical = None
        self.brian = self.expected = self.steps = None


def _matched_pair(case):
    """Not a pair, or course_run not a simulate_lif result."""
    if not isinstance(case.answer, (tuple, list)) or len(case.answer) != 2:
        return mistake("give a pair: (course_run, identical).", None)
    case.course, case.identical = case.answer
    if not hasattr(case.course, "spike_times") or not hasattr(case.course, "dt"):
        return mistake(
            "course_run should be the result of simulate_lif(...).",
            "course_run = simulate_lif(duration=200.0, dt=..., step_order=..., ...)",
        )
    return None


def _matched_dt(case):
    """Another dt: ``course_run.dt``."""
    dt = case.course.dt
    if not np.isclose(dt, LESSON_DT, rtol=0, atol=1e-12):
        return mistake(
            f"course_run used dt = {dt:g} ms, but Brian2 ran with its default "
            f"dt = {LESSON_DT:g} ms: the spikes lie on different time grids.",
            "use the same dt in both solvers (dt=0.1, or defaultclock.dt / ms).",
        )
    return passed("the same dt as Brian2 (0.1 ms).")


def _matched_step_order(case):
    """The textbook step order: its k-th spike exactly k steps after the reference's."""
    case.brian = _reference(300.0, 200.0)
    case.expected = expected = spike_steps(case.brian.spike_times[0], LESSON_DT)
    try:
        case.steps = steps = spike_steps(case.course.spike_times[0], case.course.dt)
    except ValueError as error:
        return mistake(str(error), None)
    shifted = np.arange(1, expected.size + 1)
    n = min(steps.size, expected.size)
    if n and np.array_equal(steps[:n], expected[:n] + shifted[:n]):
        return mistake(
            "every spike of course_run is late: the k-th by k steps. That is the "
            "textbook step order.",
            "pass step_order='brian2' to simulate_lif.",
        )
    return None


def _matched_duration(case):
    """Another duration: the number of steps."""
    if case.course.n_steps != case.brian.n_steps:
        return mistake(
            f"course_run has {case.course.n_steps} steps; Brian2's run has "
            f"{case.brian.n_steps} (200 ms).",
            "use duration=200.0.",
        )
    return None


def _matched_spikes(case):
    """Another current or neuron: the spike steps."""
    steps, expected = case.steps, case.expected
    if not np.array_equal(steps, expected):
        return mistake(
            f"course_run fires {steps.size} spikes, first at {steps[:3].tolist()} steps; "
            f"Brian2 fires {expected.size}, first at {expected[:3].tolist()}.",
            "use the same neuron (**neuron) and current=300.0 (pA) as the Brian2 run.",
        )
    return None


def _matched_voltage(case):
    """Another initial voltage or method: the voltage trace, beyond 1e-9 mV."""
    voltage_error = float(np.max(np.abs(case.course.voltage - case.brian.voltage)))
    return expect(
        voltage_error < 1e-9,
        "every spike on the same step as Brian2, and the voltage equal to rounding "
        f"({voltage_error:.0e} mV).",
        f"the voltage differs by up to {voltage_error:.3g} mV.",
        "use the same initial voltage and method ('euler') as the Brian2 run.",
        final=False,
    )


def _matched_identical(case):
    """``identical`` computed with ``==`` on float times (False), or not a bool."""
    identical = case.identical
    if identical is Ellipsis:
        return mistake("identical is still ...", "compute it from the two spike trains.")
    if not isinstance(identical, (bool, np.bool_)):
        return mistake(
            f"identical should be True or False, not a {type(identical).__name__}.",
            "np.array_equal(...) returns one boolean for the whole train.",
        )
    if not identical:
        return mistake(
            "identical is False, but every spike is on the same grid step: the spike "
            "times differ only in the last bit (13.8 vs 13.799999999999999).",
            "never compare float times with ==: compare grid indices, "
            "np.array_equal(spike_steps(a, dt), spike_steps(b, dt)).",
        )
    return passed("identical is True: compared on grid indices.")


_MATCHED_PROBES = (
    _matched_pair,
    _matched_dt,
    _matched_step_order,
    _matched_duration,
    _matched_spikes,
    _matched_voltage,
    _matched_identical,
)


def check_matched_run(attempt, *, strict=False):
    """Exercise 4.4: ``(course_run, identical)``.

    ``course_run`` is a :func:`course_utils.neurons.simulate_lif` result that
    reproduces Brian2's run of the lesson neuron with 300 pA for 200 ms at
    Brian2's default dt; ``identical`` says whether the spikes agree, tested
    on grid indices.

    Mistakes caught, and how (probe function in brackets): a different dt
    (``course_run.dt``) [``_matched_dt``]; the textbook step order (its
    k-th spike exactly k steps after the reference's)
    [``_matched_step_order``]; another duration (the number of steps)
    [``_matched_duration``]; another current or neuron (the spike steps)
    [``_matched_spikes``]; another initial voltage or method (the voltage
    trace, beyond 1e-9 mV) [``_matched_voltage``]; ``identical`` computed
    with ``==`` on float times (False, although the steps agree), or not a
    bool [``_matched_identical``]; not a pair of a simulate_lif result and
    a bool [``_matched_pair``].
    """
    return run_check("Exercise 4.4: match the course solver to Brian2", attempt,
                     evaluator(_MATCHED_PROBES, _MatchedCase), strict=strict)


# --------------------------------------------------------------------------
# Exercise 4.5: integration error
# --------------------------------------------------------------------------


def _exact_voltage(time, amplitude):
    """The lesson neuron's analytic response (mV) to ``amplitude`` pA from rest at t = 0."""
    return passive_step_response(
        time, amplitude=amplitude,
        membrane_capacitance=LESSON_NEURON["membrane_capacitance"],
        leak_conductance=LESSON_NEURON["leak_conductance"],
        leak_reversal=LESSON_NEURON["leak_reversal"],
    )


_LEAK_REVERSAL_HINT = (
    "the lesson's neuron rests at E_L = -65 mV: pass leak_reversal=-65.0 to passive_step_response."
)


class _IntegrationCase:
    """The student's ``integration_error`` and its answers on three Brian2 runs."""

    runs = (("euler", 100.0), ("euler", -100.0), ("exact", 100.0))

    def __init__(self, function):
        self.function = function
        self.answers = []  # (method, amplitude in pA, true largest error in mV, answer)


def _integration_answers(case):
    """None (no return), an array, a Brian2 quantity: the return values on the three runs."""
    for method, amplitude in case.runs:
        result = run_brian_lif(
            duration=60.0, dt=0.5, current=amplitude, method=method, **LESSON_NEURON
        )
        time, voltage = result.time.copy(), result.voltage[0].copy()
        truth = float(np.max(np.abs(voltage - _exact_voltage(time, amplitude))))
        answer = case.function(time, voltage, amplitude)
        if _has_units(answer):
            return mistake("integration_error returns a Brian2 quantity.", _STRIP_HINT)
        answer, problem = as_number(answer, "one number, the largest error in mV")
        if problem is not None:
            return problem
        case.answers.append((method, amplitude, truth, answer))
    return None


def _integration_standard_cell(case):
    """The exact solution for the standard cell's E_L = -70 mV: the 'exact' run shows 5 mV."""
    error = case.answers[2][3]
    if error > 1e-6 and abs(error - 5.0) < 0.5:
        return mistake(
            f"for method='exact' you find an error of {error:.3g} mV, about 5 mV: "
            "the exact solution is computed for E_L = -70 mV.",
            _LEAK_REVERSAL_HINT,
        )
    return None


def _integration_one_step_late(case):
    """The exact solution one step late (at t + dt): the 'exact' run far above rounding."""
    error = case.answers[2][3]
    if error > 1e-6:
        return mistake(
            f"for method='exact' you find an error of {error:.3g} mV, but the "
            "exact method matches the analytic solution to rounding (~1e-14 mV).",
            "voltage[k] is V at time[k], the START of step k: evaluate the analytic "
            "solution at time, not at time + dt.",
        )
    return None


def _euler_error_mistake(amplitude, truth, answer):
    """No ``abs``, E_L = -70 mV, a mean or RMS, or else: the mistake in an Euler run's error."""
    if amplitude < 0 and answer <= 1e-12:
        return mistake(
            f"with a negative current ({amplitude:g} pA) your error is {answer:.3g} mV; "
            f"it should be {truth:.4f} mV.",
            "take the absolute value before the maximum: np.max(np.abs(v - v_exact)).",
        )
    if abs(answer - truth - 5.0) < 0.5:
        return mistake(
            f"your error is {answer:.3f} mV, about 5 mV more than the true "
            f"{truth:.4f} mV: the exact solution is computed for E_L = -70 mV.",
            _LEAK_REVERSAL_HINT,
        )
    if answer < truth:
        return mistake(
            f"your error ({answer:.4f} mV) is smaller than the largest error "
            f"({truth:.4f} mV) for Euler at dt = 0.5 ms.",
            "the question asks for the maximum of |V - V_exact| over the run, not a "
            "mean or a root-mean-square.",
        )
    return mistake(
        f"your error is {answer:.4f} mV; the largest |V - V_exact| is {truth:.4f} mV.",
        "compare voltage with passive_step_response(time, ...) for the lesson "
        "neuron.",
    )


def _integration_euler(case):
    """The two Euler runs (+100 and -100 pA) against their true largest error."""
    for _method, amplitude, truth, answer in case.answers[:2]:
        if not np.isclose(answer, truth, rtol=1e-6, atol=1e-12):
            return _euler_error_mistake(amplitude, truth, answer)
    return passed(
        f"Euler at dt = 0.5 ms: max error {case.answers[0][2]:.4f} mV; the exact method: "
        f"{case.answers[2][3]:.0e} mV."
    )


_INTEGRATION_PROBES = (
    _integration_answers,
    _integration_standard_cell,
    _integration_one_step_late,
    _integration_euler,
)


def check_integration_error(attempt, *, strict=False):
    """Exercise 4.5: ``integration_error(time, voltage, amplitude)`` in mV.

    ``time`` (ms) and ``voltage`` (mV) are a recorded subthreshold run of
    the lesson neuron starting at rest, with a constant current
    ``amplitude`` (pA) from t = 0; the function returns the largest
    |V_simulated - V_exact| over the run.

    Mistakes caught, and the probe that catches each (Brian2 runs of 60 ms
    at dt = 0.5 ms: Euler with +100 and -100 pA, exact with +100 pA):

    - the exact solution evaluated one step late (at t + dt): the 'exact'
      run shows an error far above rounding (``_integration_one_step_late``);
    - no ``abs``: the -100 pA run gives an error <= 0 (``_integration_euler``,
      named by ``_euler_error_mistake``, as the next two);
    - a mean or RMS instead of the maximum: smaller than the true maximum;
    - the exact solution for the standard cell's E_L = -70 mV: 5 mV too much
      (for the 'exact' run: ``_integration_standard_cell``);
    - None (no return), an array, a Brian2 quantity: the return value
      (``_integration_answers``).
    """
    return run_check("Exercise 4.5: integration error", attempt,
                     evaluator(_INTEGRATION_PROBES, _IntegrationCase), strict=strict)


# --------------------------------------------------------------------------
# Challenge 4.6: the Izhikevich RS cell's threshold for repetitive firing
# --------------------------------------------------------------------------

IZHIKEVICH_CAPACITANCE = 100.0
"""pF: the lesson's scale from pA to Izhikevich's mV/ms (I = 10 mV/ms is 1000 pA)."""

_CHALLENGE_RUN = dict(duration=600.0, dt=LESSON_DT, late_from=300.0)


@functools.cache
def izhikevich_repetitive_threshold(resolution=0.1):
    """The smallest constant current (pA) at which the lesson's RS cell fires repetitively.

    The challenge's definition: a constant current from t = 0, the cell at
    rest at t = 0, 600 ms at dt = 0.1 ms in Brian2's step order; "repetitive"
    means at least two spikes in [300, 600) ms. Currents on a grid of
    ``resolution`` pA, all in one vectorised run of the course solver.

    Returns
    -------
    (float, float)
        The threshold for repetitive firing, and the smallest current that
        gives any spike at all (an onset spike), both in pA.
    """
    from ..neurons import IZHIKEVICH_CELL_TYPES, simulate_izhikevich

    currents = np.arange(0.0, 1000.0, resolution)
    result = simulate_izhikevich(
        duration=_CHALLENGE_RUN["duration"], dt=_CHALLENGE_RUN["dt"],
        membrane_capacitance=IZHIKEVICH_CAPACITANCE, bias_current=currents,
        step_order="brian2", backend="numpy", record_voltage=False,
        **IZHIKEVICH_CELL_TYPES["RS"],
    )
    late = np.array([np.sum(t >= _CHALLENGE_RUN["late_from"]) for t in result.spike_times])
    counts = result.spike_counts
    return float(currents[np.argmax(late >= 2)]), float(currents[np.argmax(counts > 0)])


class _RheobaseCase:
    """The student's current (pA) and the thresholds it is compared with."""

    def __init__(self, answer):
        self.answer = answer
        self.value = self.threshold = self.onset = None


def _rheobase_number(case):
    """Anything but one number; else finds the thresholds."""
    case.value, problem = as_number(case.answer, "one current in pA")
    if problem is not None:
        return problem
    case.threshold, case.onset = izhikevich_repetitive_threshold()
    return None


def _rheobase_paper_units(case):
    """The paper's units, mV/ms (about 100x too small: threshold / C)."""
    if abs(case.value - case.threshold / IZHIKEVICH_CAPACITANCE) < 0.05:
        return mistake(
            f"{case.value:g} is the threshold in the paper's units (mV/ms), not in pA.",
            f"the course's current is I = C x (paper's I), with C = "
            f"{IZHIKEVICH_CAPACITANCE:g} pF.",
        )
    return None


def _rheobase_nanoampere(case):
    """nA (1000x too small)."""
    if abs(case.value * 1000.0 - case.threshold) < 5.0:
        return mistake(f"{case.value:g} looks like nA; the answer is asked in pA.",
                       "multiply by 1000.")
    return None


def _rheobase_onset_spike(case):
    """The threshold for a single onset spike instead of repetitive firing."""
    if abs(case.value - case.onset) < 3.0:
        return mistake(
            f"at {case.value:g} pA the cell fires only once, at the onset of the current, "
            "and then rests.",
            "the question asks for repetitive firing: at least two spikes in the "
            "second half of the run, [300, 600) ms.",
        )
    return None


def _rheobase_threshold(case):
    """A current far off: the difference is reported."""
    value, threshold = case.value, case.threshold
    if abs(value - threshold) <= 1.5:
        return passed(
            f"{value:g} pA: repetitive firing starts at {threshold:.1f} pA (to 0.1 pA); "
            f"a single onset spike already from {case.onset:.1f} pA."
        )
    direction = "fires repetitively already" if value > threshold else "does not yet fire"
    return mistake(
        f"{value:g} pA is {abs(value - threshold):.0f} pA off: the cell "
        f"{direction} {'below' if value > threshold else 'at'} that current.",
        "scan the currents in one NeuronGroup (one neuron per current) and count "
        "each neuron's spikes in [300, 600) ms.",
    )


_RHEOBASE_PROBES = (
    _rheobase_number,
    _rheobase_paper_units,
    _rheobase_nanoampere,
    _rheobase_onset_spike,
    _rheobase_threshold,
)


def check_izhikevich_rheobase(attempt, *, strict=False):
    """Challenge 4.6: the current (pA) at which the RS Izhikevich cell starts firing repetitively.

    The answer must lie within 1.5 pA of the threshold computed by
    :func:`izhikevich_repetitive_threshold` (a 1 pA grid of currents in one
    Brian2 group finds it to 1 pA).

    Mistakes caught, and how (probe function in brackets): the answer in
    the paper's units (mV/ms, i.e. about 100x too small: it matches
    threshold / C) [``_rheobase_paper_units``], in nA (1000x too small)
    [``_rheobase_nanoampere``], the threshold for a single onset spike
    instead of repetitive firing (it matches that lower threshold)
    [``_rheobase_onset_spike``], a current far off (the difference is
    reported) [``_rheobase_threshold``], and anything but one number
    [``_rheobase_number``].
    """
    return run_check("Challenge 4.6: when does the RS cell keep firing?", attempt,
                     evaluator(_RHEOBASE_PROBES, _RheobaseCase), strict=strict)

"""Checkers for Lesson 0, "Why model a neuron?".

Units: time in ms, voltage in mV, current in pA, capacitance in pF,
resistance in GOhm. The flytrap's memory is dimensionless (touches).

The references are :mod:`course_utils.excitability` (the flytrap's leaky
memory, tested against a step-by-step integration) and
:func:`course_utils.neurons.passive_step_response` (the RC membrane, tested
against the analytic solution and Brian2). Each wrong answer the checkers
name is written out below as its own formula, so the feedback says which
mistake was made, not only that the numbers differ.

Each checker judges its probe cases one by one
(:func:`course_utils.checks._probes.case_by_case`): the first case whose
answer follows a mistake's formula names that mistake.
"""

from __future__ import annotations

import numpy as np

from .. import excitability as reference
from . import run_check
from ._probes import as_array, case_by_case, evaluator, mistake, passed

__all__ = ["check_rc_charging", "check_trap_closing_time", "check_trap_memory"]

_DECAY = 43_281.0  # ms: a 30 s window with threshold 1.5
_TOUCHES = np.array([10_000.0, 30_000.0, 70_000.0])  # ms
_TIMES = np.concatenate([np.arange(0.0, 120_001.0, 500.0), _TOUCHES])  # includes the touches


def _memory_forms(time, touches, tau):
    """Reference and typical wrong answers for the memory, each as its own formula."""
    elapsed = time[:, None] - touches[None, :]
    before = elapsed >= 0
    decayed = np.exp(-np.clip(elapsed, 0, None) / tau)
    last = np.where(before.any(axis=1),
                    np.exp(-(time - np.max(np.where(before, touches, -np.inf), axis=1)) / tau), 0)
    with np.errstate(over="ignore"):
        return {
            "ok": reference.trap_memory(time, touches, decay_time=tau),
            "future": np.sum(np.exp(-np.abs(elapsed) / tau), axis=1),
            "no mask": np.sum(np.exp(-elapsed / tau), axis=1),
            "count": np.sum(before, axis=1).astype(float),
            "last only": last,
            "strict": np.sum(np.where(elapsed > 0, decayed, 0), axis=1),
            "since zero": np.sum(before, axis=1) * np.exp(-time / tau),
            "tau in s": np.sum(np.where(before, np.exp(-np.clip(elapsed, 0, None) / (tau / 1000)),
                                        0), axis=1),
        }


_MEMORY_MISTAKES = {
    "future": ("touches that have not happened yet already count (the memory rises before "
               "the touch).", "only touches with touch_time <= t count: mask the others out."),
    "no mask": ("touches in the future count, with exp(+...) that grows without bound.",
                "only touches with touch_time <= t count: mask the others out."),
    "count": ("the memory never decays: you count touches.",
              "each touch contributes exp(-(t - touch_time) / decay_time)."),
    "last only": ("only the most recent touch counts, so earlier touches are forgotten at once.",
                  "add up the decayed contributions of ALL earlier touches."),
    "strict": ("a touch counts only after its own instant, so m(touch time) misses that touch "
               "(and the trap could never close at a touch).",
               "use touch_time <= t, not <."),
    "since zero": ("the decay runs from t = 0, not from each touch.",
                   "the time since touch k is t - touch_time[k]."),
    "tau in s": ("the memory decays 1000 times too fast: decay_time is in ms already.",
                 "no unit conversion: time, touch_times and decay_time are all in ms."),
}


def _matching_forms(values, forms):
    """The names of the forms (name -> predicted values) that ``values`` equals, in order."""
    return [name for name, predicted in forms.items()
            if np.all(np.isfinite(predicted))
            and np.allclose(values, predicted, rtol=1e-6, atol=1e-9)]


def _memory_form(trap_memory):
    """Which formula the student's memory follows: the reference or a typical mistake."""
    forms = _memory_forms(_TIMES, _TOUCHES, _DECAY)
    values, problem = as_array(trap_memory(_TIMES.copy(), _TOUCHES.copy(), _DECAY),
                               "the memory at each time", shape=_TIMES.shape)
    if problem is not None:
        return problem
    matched = _matching_forms(values, forms)
    if matched[:1] == ["ok"]:
        return (passed("each touch adds 1, which then decays with decay_time"),
                passed("only touches up to (and including) t count"))
    if matched:
        return mistake(*_MEMORY_MISTAKES[matched[0]])
    expected = forms["ok"]
    worst = int(np.argmax(np.abs(values - expected)))
    return mistake(
        f"at t = {_TIMES[worst] / 1000:g} s the memory should be {expected[worst]:.4f}, "
        f"but your function gives {values[worst]:.4g}.",
        "m(t) = sum over touches with touch_time <= t of exp(-(t - touch_time) / decay_time).",
    )


def check_trap_memory(attempt, *, strict=False):
    """Exercise 0.1: ``trap_memory(time, touch_times, decay_time)``, dimensionless.

    Probe (``_memory_form``): three touches (10, 30, 70 s) on a 0-120 s grid
    that includes the touch instants, tau = 43.3 s. Catches, each as its own
    formula in ``_memory_forms`` and named in ``_MEMORY_MISTAKES``: future
    touches counted (abs or no mask), no decay (a count), only the last
    touch, ``<`` instead of ``<=`` at the touch instant, decay measured from
    t = 0, tau taken in s; and a result of the wrong shape.
    """
    return run_check("Exercise 0.1: the flytrap's memory", attempt,
                     evaluator((_memory_form,)), strict=strict)


_CLOSING_PROBES = [
    # (touch times in ms, tau in ms, threshold, expected closing time, what the probe tests)
    ([], _DECAY, 1.5, None, "no touch"),
    ([0.0], _DECAY, 1.5, None, "one touch"),
    ([0.0, 20_000.0], _DECAY, 1.5, 20_000.0, "two touches 20 s apart"),
    ([0.0, 40_000.0], _DECAY, 1.5, None, "two touches 40 s apart"),
    ([0.0, 40_000.0, 80_000.0], _DECAY, 1.5, 80_000.0, "three touches 40 s apart"),
    ([0.0, 5_000.0, 6_000.0], _DECAY, 1.5, 5_000.0, "three quick touches"),
    ([0.0, 5_000.0], 10_000.0, 1.5, 5_000.0, "tau = 10 s, touches 5 s apart"),
    ([0.0, 8_000.0], 10_000.0, 1.5, None, "tau = 10 s, touches 8 s apart"),
    ([0.0, 40_000.0], _DECAY, 1.3, 40_000.0, "threshold 1.3, touches 40 s apart"),
]


def _describe_closing(value):
    return "stays open (None)" if value is None else f"closes at {value / 1000:g} s"


def _closing_value(value):
    """(the student's answer as None or a float, None), or (None, the mistake)."""
    if value is None:
        return None, None
    if isinstance(value, (bool, np.bool_)):
        return None, mistake(
            "your function returned True/False; it should return the closing TIME in ms "
            "(or None when the trap stays open).",
            "return touch_times[k] for the first touch k at which the memory reaches the "
            "threshold, else None.",
        )
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None, mistake(f"your function returned {type(value).__name__}; expected a "
                             "time in ms or None.", "return a float (ms) or None.")
    if np.isnan(number):
        return None, mistake("your function returned NaN for a trap that stays open.",
                             "return None when the trap stays open.")
    return number, None


def _closing_hint(label, touches, got):
    if label == "two touches 40 s apart" and got == touches[1]:
        return ("any second touch closes your trap, however late: the first touch's memory "
                "has decayed below threshold - 1 after 40 s.",
                "compare the memory at each touch with the threshold.")
    if label == "three touches 40 s apart" and got is None:
        return ("three touches 40 s apart should close the trap at the third: what is left of "
                "the first two adds up (1 + 0.40 + 0.16 = 1.55 >= 1.5). Looking only at the last "
                "interval between touches misses this.",
                "compute the leaky memory at each touch (Exercise 0.1) and compare it with the "
                "threshold.")
    if label == "three quick touches" and got == touches[-1]:
        return ("you return the LAST touch above threshold; the trap closes at the FIRST.",
                "stop at the first touch whose memory reaches the threshold.")
    if got is not None and got in range(len(touches)):
        return ("you return the index of the touch; return its time in ms.",
                "return touch_times[k], not k.")
    return None


def _judge_closing(trap_closing_time, probe):
    """None if the trap closes when it should for one of ``_CLOSING_PROBES``, else the mistake."""
    touches, tau, threshold, expected, label = probe
    got, problem = _closing_value(trap_closing_time(np.array(touches), tau, threshold))
    if problem is not None:
        return problem
    same = (got is None and expected is None) or (
        got is not None and expected is not None and abs(got - expected) < 1e-6)
    if same:
        return None
    named = _closing_hint(label, touches, got)
    if named:
        return mistake(*named)
    return mistake(
        f"{label} (tau = {tau / 1000:g} s, threshold {threshold:g}): the trap "
        f"{_describe_closing(expected)}, but yours {_describe_closing(got)}.",
        "the trap closes at the first touch at which the memory reaches the threshold.",
    )


_CLOSING = case_by_case(
    _judge_closing, _CLOSING_PROBES,
    "one touch is not enough; two within the window are",
    "memory left from earlier touches adds up (three touches 40 s apart close it)",
    "returns the time of the FIRST closing touch, or None",
)


def check_trap_closing_time(attempt, *, strict=False):
    """Exercise 0.2: ``trap_closing_time(touch_times, decay_time, threshold)`` -> ms or None.

    Probes (see ``_CLOSING_PROBES``, each judged by ``_judge_closing``): no
    touch, one touch, two touches 20 s and 40 s apart, three touches 40 s
    apart (closes only by leaky summation), three quick touches (the FIRST
    crossing), another tau and another threshold. Catches (named by
    ``_closing_hint``): "any second touch closes", "only the last interval
    matters", the last instead of the first crossing, an index instead of a
    time; True/False or NaN instead of a time or None (``_closing_value``).
    """
    return run_check("Exercise 0.2: when does the trap close?", attempt,
                     evaluator((_CLOSING,)), strict=strict)


_RC_PROBES = [  # current (pA), resistance (GOhm), capacitance (pF), rest (mV)
    (100.0, 0.1, 200.0, -70.0),
    (-50.0, 0.25, 120.0, -65.0),
    (30.0, 0.5, 80.0, -60.0),
]
_RC_TIME = np.linspace(0.0, 150.0, 301)


def _rc_forms(current, resistance, capacitance, rest):
    t = _RC_TIME
    tau, amplitude = resistance * capacitance, resistance * current
    with np.errstate(over="ignore"):
        return {
            "ok": reference.rc_charging(t, current=current, resistance=resistance,
                                        capacitance=capacitance, rest=rest),
            "no rest": amplitude * (1 - np.exp(-t / tau)),
            "R/C": rest + amplitude * (1 - np.exp(-t / (resistance / capacitance))),
            "C/R": rest + amplitude * (1 - np.exp(-t / (capacitance / resistance))),
            "I/R": rest + current / resistance * (1 - np.exp(-t / tau)),
            "decay": rest + amplitude * np.exp(-t / tau),
            "MOhm": rest + 1000 * amplitude * (1 - np.exp(-t / (1000 * tau))),
            "t*tau": rest + amplitude * (1 - np.exp(-t * tau)),
        }


_RC_MISTAKES = {
    "no rest": ("the voltage starts at 0 mV instead of at rest.",
                "add the resting voltage: V(t) = rest + R I (1 - exp(-t / (R C)))."),
    "R/C": ("the time constant should be R C (GOhm x pF = ms), not R / C.", None),
    "C/R": ("the time constant should be R C (GOhm x pF = ms), not C / R.", None),
    "I/R": ("the final step is R I (Ohm's law, GOhm x pA = mV), not I / R.", None),
    "decay": ("your voltage starts at rest + R I and decays: it should start at rest and "
              "RISE towards rest + R I.", "use (1 - exp(-t / tau))."),
    "MOhm": ("R was converted to MOhm: the step and the time constant are 1000x too large.",
             "no conversion: GOhm x pA = mV and GOhm x pF = ms."),
    "t*tau": ("the exponent should be -t / tau, not -t * tau.", None),
}


def _judge_rc(rc_charging, probe):
    """None if the voltage is right for one of ``_RC_PROBES``, else the mistake."""
    values, problem = as_array(rc_charging(_RC_TIME.copy(), *probe),
                               "the voltage in mV at each time", shape=_RC_TIME.shape)
    if problem is not None:
        return problem
    forms = _rc_forms(*probe)
    matched = _matching_forms(values, forms)
    if "ok" in matched:
        return None
    if matched:
        message, hint = _RC_MISTAKES[matched[0]]
        return mistake(message, hint or "V(t) = rest + R I (1 - exp(-t / (R C))).")
    current, resistance, capacitance, rest = probe
    expected = forms["ok"]
    return mistake(
        f"for I = {current:g} pA, R = {resistance:g} GOhm, C = {capacitance:g} pF, "
        f"rest = {rest:g} mV, V(20 ms) should be {expected[40]:.3f} mV, but yours is "
        f"{values[40]:.4g} mV.",
        "V(t) = rest + R I (1 - exp(-t / (R C))).",
    )


_RC_CHARGING = case_by_case(
    _judge_rc, _RC_PROBES,
    "starts at rest and relaxes towards rest + R I",
    "time constant R C in ms (GOhm x pF = ms)",
    "works for negative currents and other cells too",
)


def check_rc_charging(attempt, *, strict=False):
    """Exercise 0.3: ``rc_charging(time, current, resistance, capacitance, rest)`` in mV.

    Three probes (``_RC_PROBES``, each judged by ``_judge_rc``) with
    different tau (20, 30, 40 ms), steps of both signs and different rests.
    Catches, each as its own formula in ``_rc_forms`` and named in
    ``_RC_MISTAKES``: no resting voltage, tau = R/C or C/R, I/R instead of
    R I, a decay instead of a rise, R in MOhm, exp(-t tau).
    """
    return run_check("Exercise 0.3: charging the membrane", attempt,
                     evaluator((_RC_CHARGING,)), strict=strict)

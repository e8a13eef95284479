"""Checkers for Lesson 6 (optional), "Scaling up with code generation".

Units: simulated time in ms, wall-clock time in s, throughput in
neuron-steps per second. References: :mod:`course_utils.scaling`
(:func:`~course_utils.scaling.neuron_steps_per_second`,
:func:`~course_utils.scaling.break_even_duration`,
:func:`~course_utils.scaling.overall_speedup`); each typical mistake is
written out below as its own formula, so the feedback names it.

Each checker judges its probe cases one by one
(:func:`course_utils.checks._probes.case_by_case`): the first case whose
answer follows a mistake's formula names that mistake.
"""

from __future__ import annotations

import math

from .. import scaling as reference
from . import run_check
from ._probes import as_number, case_by_case, evaluator, first_match, mistake

__all__ = ["check_break_even_duration", "check_overall_speedup", "check_throughput"]


def _form_mistake(value, forms, mistakes, otherwise, hint, *, also_right=()):
    """None if ``value`` follows the form "ok", else the mistake the form it follows names.

    Parameters
    ----------
    value : float
        The student's answer.
    forms : dict
        Form name -> the number that form gives (None where it gives none);
        "ok" is the reference.
    mistakes : dict
        Form name -> what is wrong when the answer follows that form.
    otherwise : str
        What is wrong when the answer follows no named form.
    hint : str
        How to fix it.
    also_right : tuple of str, optional
        Forms that are right for this probe too.
    """
    found = first_match(value, forms)
    if found == "ok" or found in also_right:
        return None
    return mistake(mistakes.get(found, otherwise), hint)


_THROUGHPUT_PROBES = [(4000, 200.0, 0.1, 0.5), (250, 1000.0, 0.05, 2.0)]


_THROUGHPUT_MISTAKES = {
    "no steps": "you divide neurons by seconds: each neuron is updated once per "
                "time step, so multiply by the number of steps, duration / dt.",
    "duration": "you multiply by the duration in ms, not by the number of steps "
                "(duration / dt).",
    "times dt": "the number of steps is duration / dt, not duration * dt.",
    "per ms": "the wall-clock time is already in s: no division by 1000.",
    "sum": "neuron-steps are neurons TIMES steps, not neurons plus steps.",
}


def _judge_throughput(throughput, probe):
    """None if the throughput is right for one of ``_THROUGHPUT_PROBES``, else the mistake."""
    n, duration, dt, seconds = probe
    value, problem = as_number(throughput(n, duration, dt, seconds),
                               "the throughput in neuron-steps per s")
    if problem is not None:
        return problem
    steps = int(round(duration / dt))
    forms = {
        "ok": reference.neuron_steps_per_second(n, steps, seconds),
        "no steps": n / seconds,
        "duration": n * duration / seconds,
        "times dt": n * duration * dt / seconds,
        "per ms": n * steps / seconds / 1000.0,
        "sum": (n + steps) / seconds,
    }
    return _form_mistake(
        value, forms, _THROUGHPUT_MISTAKES,
        f"for {n} neurons, {duration:g} ms at dt = {dt:g} ms in {seconds:g} s the throughput "
        f"is {forms['ok']:.4g} neuron-steps/s; yours is {value:.4g}.",
        "throughput = n_neurons * (duration / dt) / seconds.",
    )


_THROUGHPUT = case_by_case(
    _judge_throughput, _THROUGHPUT_PROBES,
    "neurons x time steps (duration / dt), per second of wall-clock time",
)


def check_throughput(attempt, *, strict=False):
    """Exercise 6.1: ``throughput(n_neurons, duration, dt, seconds)`` in neuron-steps per s.

    Two probes (``_THROUGHPUT_PROBES``: different sizes, durations, steps),
    each judged by ``_judge_throughput``. Catches, each as its own formula
    named in ``_THROUGHPUT_MISTAKES``: the number of steps forgotten
    (neurons per second), duration instead of steps (dt forgotten),
    duration x dt, a result per ms instead of per s, and neurons + steps
    instead of neurons x steps.
    """
    return run_check("Exercise 6.1: neuron-steps per second", attempt,
                     evaluator((_THROUGHPUT,)), strict=strict)


_BREAK_EVEN_PROBES = [
    # compile (s), runtime rate, standalone rate (neuron-steps/s), neurons, dt (ms)
    (20.0, 4e6, 2.5e7, 4000, 0.1),
    (5.0, 1e7, 2e8, 100_000, 0.1),
    (10.0, 3e7, 2e7, 4000, 0.1),  # standalone slower per step: never pays off
]


def _break_even_forms(compile_s, r_runtime, r_standalone, n, dt):
    saving = 1 / r_runtime - 1 / r_standalone
    ok = reference.break_even_duration(compile_s, r_runtime, r_standalone, n, dt)
    return {
        "ok": ok,
        "swapped": compile_s / -saving * dt / n if saving else None,
        "neuron-steps": compile_s / saving if saving > 0 else None,
        "steps": compile_s / saving / n if saving > 0 else None,
        "seconds": compile_s / saving * dt / n / 1000 if saving > 0 else None,
        "standalone only": compile_s * r_standalone * dt / n,
    }


_NEVER_PAYS_OFF_HINT = "if 1/runtime_rate - 1/standalone_rate <= 0: return math.inf"
_BREAK_EVEN_MISTAKES = {
    "swapped": "your duration is negative: the saving per neuron-step is "
               "1/runtime_rate - 1/standalone_rate (the runtime is the slower one).",
    "neuron-steps": "you return the number of neuron-steps; convert to simulated "
                    "ms: divide by n_neurons, multiply by dt.",
    "steps": "you return time steps; multiply by dt to get ms.",
    "seconds": "the simulated time should be in ms, not s.",
    "standalone only": "both devices matter: the compile time is won back at "
                       "1/runtime_rate - 1/standalone_rate seconds per neuron-step.",
}


def _judge_break_even(break_even_duration, probe):
    """None if the duration is right for one of ``_BREAK_EVEN_PROBES``, else the mistake."""
    try:
        raw = break_even_duration(*probe)
    except ZeroDivisionError:
        raw = "ZeroDivisionError"
    forms = _break_even_forms(*probe)
    if raw == "ZeroDivisionError" or (raw is None and forms["ok"] == math.inf):
        return mistake("when the standalone program is not faster per step, compiling "
                       "never pays off: return math.inf.", _NEVER_PAYS_OFF_HINT)
    value, problem = as_number(raw, "the simulated time in ms")
    if problem is not None:
        return problem
    if forms["ok"] == math.inf and first_match(value, forms) != "ok":
        return mistake(f"with a runtime rate of {probe[1]:.3g} and a standalone rate of "
                       f"{probe[2]:.3g} neuron-steps/s, compiling never pays off, but "
                       f"you return {value:.4g}.", _NEVER_PAYS_OFF_HINT)
    return _form_mistake(
        value, forms, _BREAK_EVEN_MISTAKES,
        f"for the probe {probe} the answer is {forms['ok']:.4g} ms; yours is {value:.4g}.",
        "compile_seconds / (1/runtime_rate - 1/standalone_rate) neuron-steps, "
        "times dt / n_neurons.",
    )


_BREAK_EVEN = case_by_case(
    _judge_break_even, _BREAK_EVEN_PROBES,
    "compile time divided by the time saved per neuron-step",
    "converted to simulated ms (x dt / n_neurons)",
    "math.inf when the compiled program is not faster",
)


def check_break_even_duration(attempt, *, strict=False):
    """Exercise 6.2: ``break_even_duration(compile_seconds, runtime_rate, standalone_rate,
    n_neurons, dt)`` in simulated ms, ``inf`` when standalone never pays off.

    Three probes (``_BREAK_EVEN_PROBES``, each judged by
    ``_judge_break_even``), the last with a standalone program slower per
    step. Catches, each as its own formula in ``_break_even_forms`` named
    in ``_BREAK_EVEN_MISTAKES``: the rates swapped (a negative duration), a
    result in neuron-steps or steps instead of ms, ms divided by 1000, only
    the standalone rate used; and a negative number or an error instead of
    ``inf`` when compiling can never pay off.
    """
    return run_check("Exercise 6.2: when does compiling pay off?", attempt,
                     evaluator((_BREAK_EVEN,)), strict=strict)


_SPEEDUP_PROBES = [(184.2, 1.8, 10.0), (1.0, 9.0, 3.0), (0.0, 5.0, 4.0)]


_SPEEDUP_MISTAKES = {
    "loop only": "you return the loop's speedup; the part outside the loop does "
                 "not get faster, so the whole run speeds up much less.",
    "new time": "you return the new total time in s; the speedup is old time / "
                "new time.",
    "inverse": "your ratio is upside down: speedup = old time / new time (> 1).",
    "wrong part": "you sped up the part OUTSIDE the loop; only the loop gets faster.",
}


def _judge_speedup(overall_speedup, probe):
    """None if the speedup is right for one of ``_SPEEDUP_PROBES``, else the mistake."""
    outside, loop, factor = probe
    value, problem = as_number(overall_speedup(outside, loop, factor),
                               "the overall speedup (a ratio)")
    if problem is not None:
        return problem
    forms = {
        "ok": reference.overall_speedup(outside, loop, factor),
        "loop only": factor,
        "new time": outside + loop / factor,
        "inverse": (outside + loop / factor) / (outside + loop),
        "wrong part": (outside + loop) / (outside / factor + loop) if outside else None,
    }
    return _form_mistake(
        value, forms, _SPEEDUP_MISTAKES,
        f"for {outside:g} s outside and {loop:g} s inside the loop sped up {factor:g}x, "
        f"the answer is {forms['ok']:.4g}; yours is {value:.4g}.",
        "(outside + loop) / (outside + loop / loop_speedup).",
        # with nothing outside the loop, the loop's speedup is the whole run's
        also_right=("loop only",) if outside == 0 else (),
    )


_SPEEDUP = case_by_case(
    _judge_speedup, _SPEEDUP_PROBES,
    "only the loop gets faster (Amdahl's law)",
    "a ratio: old time / new time",
)


def check_overall_speedup(attempt, *, strict=False):
    """Exercise 6.3: ``overall_speedup(outside_loop_seconds, loop_seconds, loop_speedup)``.

    Three probes (``_SPEEDUP_PROBES``, each judged by ``_judge_speedup``),
    among them the GPU run's 184 s outside and 1.8 s inside the loop.
    Catches, each as its own formula named in ``_SPEEDUP_MISTAKES``:
    returning the loop's own speedup, the new total time instead of a
    ratio, the inverse ratio, and the speedup applied to the part outside
    the loop.
    """
    return run_check("Exercise 6.3: Amdahl's law", attempt,
                     evaluator((_SPEEDUP,)), strict=strict)

"""Checkers for Lesson 6 (optional), "Scaling up with code generation".

Units: simulated time in ms, wall-clock time in s, throughput in
neuron-steps per second. References: :mod:`course_utils.scaling`
(:func:`~course_utils.scaling.neuron_steps_per_second`,
:func:`~course_utils.scaling.break_even_duration`,
:func:`~course_utils.scaling.overall_speedup`); each typical mistake is
written out below as its own formula, so the feedback names it.
"""

from __future__ import annotations

import math

from .. import scaling as reference
from . import returned_number, run_check

__all__ = ["check_break_even_duration", "check_overall_speedup", "check_throughput"]


def _close(a, b):
    return math.isclose(a, b, rel_tol=1e-6) if math.isfinite(b) else a == b


def _match(value, forms):
    """The name of the first form the value equals, or None."""
    for name, predicted in forms.items():
        if predicted is not None and _close(value, predicted):
            return name
    return None


_THROUGHPUT_PROBES = [(4000, 200.0, 0.1, 0.5), (250, 1000.0, 0.05, 2.0)]


def check_throughput(attempt, *, strict=False):
    """Exercise 6.1: ``throughput(n_neurons, duration, dt, seconds)`` in neuron-steps per s.

    Two probes (different sizes, durations, steps). Catches: the number of
    steps forgotten (neurons per second), duration instead of steps
    (dt forgotten), duration x dt, a result per ms instead of per s, and
    neurons + steps instead of neurons x steps.
    """

    def evaluate(throughput, report):
        for n, duration, dt, seconds in _THROUGHPUT_PROBES:
            value = returned_number(throughput(n, duration, dt, seconds),
                                    "the throughput in neuron-steps per s", report)
            if value is None:
                return
            steps = int(round(duration / dt))
            forms = {
                "ok": reference.neuron_steps_per_second(n, steps, seconds),
                "no steps": n / seconds,
                "duration": n * duration / seconds,
                "times dt": n * duration * dt / seconds,
                "per ms": n * steps / seconds / 1000.0,
                "sum": (n + steps) / seconds,
            }
            found = _match(value, forms)
            if found == "ok":
                continue
            messages = {
                "no steps": "you divide neurons by seconds: each neuron is updated once per "
                            "time step, so multiply by the number of steps, duration / dt.",
                "duration": "you multiply by the duration in ms, not by the number of steps "
                            "(duration / dt).",
                "times dt": "the number of steps is duration / dt, not duration * dt.",
                "per ms": "the wall-clock time is already in s: no division by 1000.",
                "sum": "neuron-steps are neurons TIMES steps, not neurons plus steps.",
            }
            report.fail(
                messages.get(found, f"for {n} neurons, {duration:g} ms at dt = {dt:g} ms in "
                                    f"{seconds:g} s the throughput is {forms['ok']:.4g} "
                                    f"neuron-steps/s; yours is {value:.4g}."),
                "throughput = n_neurons * (duration / dt) / seconds.",
            )
            return
        report.ok("neurons x time steps (duration / dt), per second of wall-clock time")

    return run_check("Exercise 6.1: neuron-steps per second", attempt, evaluate, strict=strict)


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


def check_break_even_duration(attempt, *, strict=False):
    """Exercise 6.2: ``break_even_duration(compile_seconds, runtime_rate, standalone_rate,
    n_neurons, dt)`` in simulated ms, ``inf`` when standalone never pays off.

    Three probes, the last with a standalone program slower per step.
    Catches: the rates swapped (a negative duration), a result in
    neuron-steps or steps instead of ms, ms divided by 1000, only the
    standalone rate used, and a negative number or an error instead of
    ``inf`` when compiling can never pay off.
    """

    def evaluate(break_even_duration, report):
        for probe in _BREAK_EVEN_PROBES:
            try:
                raw = break_even_duration(*probe)
            except ZeroDivisionError:
                raw = "ZeroDivisionError"
            forms = _break_even_forms(*probe)
            if raw == "ZeroDivisionError" or (raw is None and forms["ok"] == math.inf):
                report.fail("when the standalone program is not faster per step, compiling "
                            "never pays off: return math.inf.",
                            "if 1/runtime_rate - 1/standalone_rate <= 0: return math.inf")
                return
            value = returned_number(raw, "the simulated time in ms", report)
            if value is None:
                return
            found = _match(value, forms)
            if found == "ok":
                continue
            if forms["ok"] == math.inf:
                report.fail(f"with a runtime rate of {probe[1]:.3g} and a standalone rate of "
                            f"{probe[2]:.3g} neuron-steps/s, compiling never pays off, but "
                            f"you return {value:.4g}.",
                            "if 1/runtime_rate - 1/standalone_rate <= 0: return math.inf")
                return
            messages = {
                "swapped": "your duration is negative: the saving per neuron-step is "
                           "1/runtime_rate - 1/standalone_rate (the runtime is the slower one).",
                "neuron-steps": "you return the number of neuron-steps; convert to simulated "
                                "ms: divide by n_neurons, multiply by dt.",
                "steps": "you return time steps; multiply by dt to get ms.",
                "seconds": "the simulated time should be in ms, not s.",
                "standalone only": "both devices matter: the compile time is won back at "
                                   "1/runtime_rate - 1/standalone_rate seconds per neuron-step.",
            }
            report.fail(
                messages.get(found, f"for the probe {probe} the answer is {forms['ok']:.4g} ms; "
                                    f"yours is {value:.4g}."),
                "compile_seconds / (1/runtime_rate - 1/standalone_rate) neuron-steps, "
                "times dt / n_neurons.",
            )
            return
        report.ok("compile time divided by the time saved per neuron-step")
        report.ok("converted to simulated ms (x dt / n_neurons)")
        report.ok("math.inf when the compiled program is not faster")

    return run_check("Exercise 6.2: when does compiling pay off?", attempt, evaluate,
                     strict=strict)


_SPEEDUP_PROBES = [(184.2, 1.8, 10.0), (1.0, 9.0, 3.0), (0.0, 5.0, 4.0)]


def check_overall_speedup(attempt, *, strict=False):
    """Exercise 6.3: ``overall_speedup(outside_loop_seconds, loop_seconds, loop_speedup)``.

    Three probes, among them the GPU run's 184 s outside and 1.8 s inside
    the loop. Catches: returning the loop's own speedup, the new total time
    instead of a ratio, the inverse ratio, and the speedup applied to the
    part outside the loop.
    """

    def evaluate(overall_speedup, report):
        for outside, loop, factor in _SPEEDUP_PROBES:
            value = returned_number(overall_speedup(outside, loop, factor),
                                    "the overall speedup (a ratio)", report)
            if value is None:
                return
            forms = {
                "ok": reference.overall_speedup(outside, loop, factor),
                "loop only": factor,
                "new time": outside + loop / factor,
                "inverse": (outside + loop / factor) / (outside + loop),
                "wrong part": (outside + loop) / (outside / factor + loop) if outside else None,
            }
            found = _match(value, forms)
            if found == "ok" or (found == "loop only" and outside == 0):
                continue
            messages = {
                "loop only": "you return the loop's speedup; the part outside the loop does "
                             "not get faster, so the whole run speeds up much less.",
                "new time": "you return the new total time in s; the speedup is old time / "
                            "new time.",
                "inverse": "your ratio is upside down: speedup = old time / new time (> 1).",
                "wrong part": "you sped up the part OUTSIDE the loop; only the loop gets faster.",
            }
            report.fail(
                messages.get(found, f"for {outside:g} s outside and {loop:g} s inside the loop "
                                    f"sped up {factor:g}x, the answer is {forms['ok']:.4g}; yours "
                                    f"is {value:.4g}."),
                "(outside + loop) / (outside + loop / loop_speedup).",
            )
            return
        report.ok("only the loop gets faster (Amdahl's law)")
        report.ok("a ratio: old time / new time")

    return run_check("Exercise 6.3: Amdahl's law", attempt, evaluate, strict=strict)

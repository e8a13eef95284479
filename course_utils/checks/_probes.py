"""Probes: the small named checks a checker is made of.

A checker runs a table of probes, in order, on one *case* (what the
checker learnt so far about the student's answer: the answer itself, the
values it returned on each input). Each probe looks for one thing and
returns what it found:

* ``None``: nothing to say, go on with the next probe;
* a :class:`Finding`: something right (``passed``) or a mistake
  (``mistake``), recorded in the feedback;
* a tuple of findings, recorded in order, or a generator of findings,
  each recorded as soon as it is yielded (so that what a probe found
  before the student's code raises is kept).

A mistake stops the checker (the later probes would only repeat it) unless
it is marked ``final=False``. :func:`run_probes` is the driver.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from . import Report, returned_array, returned_number


@dataclass(frozen=True)
class Finding:
    """One thing a probe found.

    Attributes
    ----------
    message : str
        What is right, or what is wrong, in the student's words.
    hint : str or None
        How to fix a mistake (None for a passed probe).
    passed : bool
        True for something right, False for a mistake.
    final : bool
        For a mistake: stop the checker after the probe that found it.
    """

    message: str
    hint: str | None = None
    passed: bool = False
    final: bool = True


def passed(message: str) -> Finding:
    """A finding that says what the attempt gets right."""
    return Finding(message, passed=True)


def mistake(message: str, hint: str | None = None, *, final: bool = True) -> Finding:
    """A finding that names a mistake and how to fix it."""
    return Finding(message, hint, passed=False, final=final)


def expect(condition, ok: str, wrong: str, hint: str | None = None, *,
           final: bool = True) -> Finding:
    """``passed(ok)`` if ``condition`` holds, else ``mistake(wrong, hint)``."""
    if condition:
        return passed(ok)
    return mistake(wrong, hint, final=final)


Probe = Callable[[object], "Finding | Iterable[Finding] | None"]


def run_probes(probes: Iterable[Probe], case, report: Report) -> bool:
    """Run ``probes`` on ``case`` in order and record their findings in ``report``.

    Parameters
    ----------
    probes : iterable of callable
        Each takes ``case`` and returns None, a :class:`Finding`, or an
        iterable (tuple or generator) of findings.
    case : object
        What the probes look at.
    report : Report
        Where the findings are recorded.

    Returns
    -------
    bool
        False if a probe found a final mistake (the later probes were not
        run), else True.
    """
    for probe in probes:
        found = probe(case)
        if found is None:
            continue
        stop = False
        for finding in (found,) if isinstance(found, Finding) else found:
            if finding.passed:
                report.ok(finding.message)
            else:
                report.fail(finding.message, finding.hint)
                stop = stop or finding.final
        if stop:
            return False
    return True


def _converted(convert, value, what, **options):
    """(converted value, None), or (None, the mistake that prevented it)."""
    scratch = Report()
    result = convert(value, what, scratch, **options)
    if result is None:
        return None, mistake(scratch.wrong[0], scratch.hints[0] if scratch.hints else None)
    return result, None


def as_array(value, what: str, shape=None, shape_hint=None):
    """The student's value as a float array: ``(array, None)`` or ``(None, mistake)``.

    See :func:`course_utils.checks.returned_array`; ``what`` says what the
    value should be (e.g. ``"the conductance at each time"``).
    """
    return _converted(returned_array, value, what, shape=shape, shape_hint=shape_hint)


def as_number(value, what: str):
    """The student's value as one float: ``(number, None)`` or ``(None, mistake)``.

    See :func:`course_utils.checks.returned_number`.
    """
    return _converted(returned_number, value, what)


def close(value: float, target: float, rel_tol: float = 1e-6) -> bool:
    """True if ``value`` equals ``target`` to ``rel_tol``; an infinite target needs equality."""
    if math.isfinite(target):
        return math.isclose(value, target, rel_tol=rel_tol)
    return value == target


def first_match(value: float, forms: dict) -> str | None:
    """The name of the first of ``forms`` (name -> predicted number or None) ``value`` equals."""
    for name, predicted in forms.items():
        if predicted is not None and close(value, predicted):
            return name
    return None


def evaluator(probes, make_case: Callable | None = None):
    """An ``evaluate(attempt, report)`` for :func:`~course_utils.checks.run_check`.

    It runs ``probes`` (see :func:`run_probes`) on ``make_case(attempt)``,
    or on the attempt itself when ``make_case`` is None.
    """

    def evaluate(attempt, report: Report) -> None:
        run_probes(probes, attempt if make_case is None else make_case(attempt), report)

    return evaluate


def case_by_case(judge: Callable, cases, *oks: str) -> Probe:
    """A probe that judges an attempt on several cases in turn.

    Parameters
    ----------
    judge : callable
        ``judge(attempt, case)`` returns a :class:`Finding` (the first
        mistake, which ends the probe) or None (the case is right).
    cases : sequence
        The cases, in the order they are tried.
    *oks : str
        What is right when every case is: one passed finding each.
    """

    def probe(attempt):
        for case in cases:
            found = judge(attempt, case)
            if found is not None:
                return found
        return tuple(passed(ok) for ok in oks)

    return probe

"""Exercise checkers: specific feedback for each exercise.

One module per lesson topic (``checks.opening``, ``checks.synapses``,
``checks.passive``, ``checks.lif``, ``checks.brian``, ``checks.recordings``,
``checks.scaling``). Every checker:

* returns a :class:`Feedback` that says what is right, what is wrong, and a
  hint for the typical mistake it recognised;
* says "not attempted yet" (and does not raise) when the student's cell
  still holds the ``...`` scaffold;
* with ``strict=True`` (used by the solution notebooks) raises
  ``AssertionError`` unless the answer is correct, so a broken solution
  fails the test run.

Checkers never print: they return the feedback, which Jupyter displays.

Inside, a checker is a table of small named probes, one per mistake it
recognises (``_probe_leak_sign``, ``_probe_missing_dt``, ...), and a short
driver: each probe returns a :class:`Finding` (a mistake with its hint, or
something right) or None, and :func:`run_probes` records them in order and
stops at the first mistake. :func:`value_finding` judges one measured number
against the values known mistakes give. Each checker's docstring lists the
mistakes it catches and the probe that catches each.

The exercise loop: in a student notebook a check cell reads
``feedback = check_name(name)`` then
``name_in_use = feedback.choose(name_reference)``. :meth:`Feedback.choose`
shows the feedback and one line saying which version the rest of the lesson
uses: the student's own when it is correct, otherwise the reference solution
(bound to its own ``*_reference`` name in the hidden cell above the check), so
a student's code is never overwritten and a wrong answer never drives the
figures that follow. Running the check again after a fix switches back.
"""

from __future__ import annotations

import ast
import dis
import html
import inspect
import math
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

CORRECT = "correct"
INCORRECT = "incorrect"
NOT_ATTEMPTED = "not attempted"


def _stub():
    ...


def is_placeholder(attempt) -> bool:
    """True if ``attempt`` is still a scaffold.

    A scaffold is ``...`` itself, a container holding ``...``, or a function
    (or a class's method) whose body is only ``...`` or ``pass``.
    """
    if attempt is Ellipsis:
        return True
    if isinstance(attempt, (tuple, list)) and any(a is Ellipsis for a in attempt):
        return True
    code = getattr(attempt, "__code__", None)
    if code is not None:
        body = _function_body(attempt)
        if body is not None:
            # ``...`` is the scaffold; a ``pass`` body is an attempt that returns None.
            return (
                len(body) == 1
                and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant)
                and body[0].value.value is Ellipsis
            )
        return _opcodes(code) == _opcodes(_stub.__code__) and code.co_names == ()
    return False


def is_pass_body(function) -> bool:
    """True if ``function``'s body (without its docstring) is a bare ``pass``.

    Unlike the ``...`` scaffold, such a body is an attempt (one that returns
    None); checkers use this to say so.

    Parameters
    ----------
    function : callable
        The student's function or method; False when its source is unknown.
    """
    body = _function_body(function)
    return bool(body) and len(body) == 1 and isinstance(body[0], ast.Pass)


def _function_body(function) -> list | None:
    """The statements of ``function``'s body without its docstring, if its source is known."""
    try:
        source = textwrap.dedent(inspect.getsource(function))
        definition = ast.parse(source).body[0]
    except (OSError, TypeError, SyntaxError, IndexError):
        return None
    if not isinstance(definition, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return None
    body = definition.body
    if (
        body
        and isinstance(body[0], ast.Expr)
        and isinstance(body[0].value, ast.Constant)
        and isinstance(body[0].value.value, str)
        and len(body) > 1
    ):
        body = body[1:]
    return body


def _opcodes(code) -> list[str]:
    # A docstring shifts constant indices but not the instructions themselves.
    return [
        (instruction.opname, instruction.argval if "CONST" in instruction.opname else None)
        for instruction in dis.get_instructions(code)
    ]


def returned_array(value, what: str, report, shape=None, shape_hint=None):
    """The student's return value as a float array, or None after recording why not.

    Parameters
    ----------
    value : object
        What the student's function returned.
    what : str
        What it should be, e.g. ``"the conductance in nS"``.
    report : Report
        Where a failure is recorded.
    shape : tuple of int, optional
        The required shape.
    shape_hint : str, optional
        Hint shown when the shape is wrong.
    """
    if value is None:
        report.fail(
            f"your function returned None instead of {what}.",
            "end the function with a return statement.",
        )
        return None
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        report.fail(
            f"your function should return {what}, but returned {type(value).__name__}.",
            "return a number or a numpy array of numbers.",
        )
        return None
    if shape is not None and array.shape != tuple(shape):
        report.fail(
            f"your function returned shape {array.shape}; expected {what} of shape "
            f"{tuple(shape)}.",
            shape_hint or "return one value per input value (work on the whole array at once).",
        )
        return None
    return array


def returned_number(value, what: str, report):
    """The student's return value as one float, or None after recording why not."""
    array = returned_array(value, what, report)
    if array is None:
        return None
    if array.size != 1:
        report.fail(
            f"your function returned {array.size} numbers (shape {array.shape}); "
            f"expected {what}.",
            "return one number, e.g. float(...), not an array.",
        )
        return None
    return float(array.ravel()[0])


@dataclass
class Report:
    """What a checker found, collected while it evaluates an attempt."""

    right: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)

    def ok(self, message: str) -> None:
        """Record something the attempt gets right."""
        self.right.append(message)

    def fail(self, message: str, hint: str | None = None) -> None:
        """Record a mistake and, optionally, a hint on how to fix it."""
        self.wrong.append(message)
        if hint and hint not in self.hints:
            self.hints.append(hint)

    def expect(self, condition: bool, ok: str, wrong: str, hint: str | None = None) -> bool:
        """Record ``ok`` if ``condition`` holds, else ``wrong`` with ``hint``."""
        if condition:
            self.ok(ok)
        else:
            self.fail(wrong, hint)
        return bool(condition)


class StopChecking(Exception):  # noqa: N818 - a signal, not an error
    """Raised inside a probe whose failure is already recorded in the report."""


@dataclass(frozen=True)
class Finding:
    """What one probe found.

    A probe is a small function that looks for one mistake (or confirms one
    property) and returns a ``Finding`` or None (nothing to say). A finding
    with ``wrong`` is a mistake, with its ``hint``; one with only ``ok`` is
    something the attempt gets right.
    """

    wrong: str | None = None
    hint: str | None = None
    ok: str | None = None

    @classmethod
    def when(cls, condition: bool, wrong: str, hint: str | None = None) -> Finding | None:
        """The mistake ``wrong`` (with ``hint``) if ``condition`` holds, else None."""
        return cls(wrong=wrong, hint=hint) if condition else None

    @classmethod
    def expect(cls, condition: bool, ok: str, wrong: str, hint: str | None = None) -> Finding:
        """``ok`` if ``condition`` holds, else the mistake ``wrong`` with ``hint``."""
        return cls(ok=ok) if condition else cls(wrong=wrong, hint=hint)

    def record(self, report: Report) -> bool:
        """Record the finding in ``report``; False if it is a mistake."""
        if self.wrong is not None:
            report.fail(self.wrong, self.hint)
            return False
        if self.ok is not None:
            report.ok(self.ok)
        return True


def run_probes(probes, subject, report: Report) -> bool:
    """Run ``probes`` on ``subject`` in order and record what they find.

    Parameters
    ----------
    probes : sequence of callable
        ``probe(subject) -> Finding | None``. A probe that has recorded a
        failure itself (e.g. the student's code returned something unusable)
        raises :class:`StopChecking`.
    subject : object
        What the probes examine (usually the student's code, or an object
        that runs it once per measurement and remembers the results).
    report : Report
        Where the findings go.

    Returns
    -------
    bool
        True if no probe found a mistake; probing stops at the first one.
    """
    try:
        for probe in probes:
            finding = probe(subject)
            if finding is not None and not finding.record(report):
                return False
    except StopChecking:
        return False
    return True


def first_finding(probes, *arguments) -> Finding | None:
    """The finding of the first of ``probes`` that has one.

    Parameters
    ----------
    probes : sequence of callable
        ``probe(*arguments) -> Finding | None``, tried in order.
    *arguments
        What every probe is given.

    Returns
    -------
    Finding or None
        None when no probe has anything to say.
    """
    for probe in probes:
        finding = probe(*arguments)
        if finding is not None:
            return finding
    return None


def _relatively_close(value: float, target: float) -> bool:
    return math.isclose(value, target, rel_tol=1e-9)


def value_finding(
    value: float,
    expected: float,
    ok: str,
    wrong: str,
    hint: str | None = None,
    *,
    mistakes=(),
    close: Callable[[float, float], bool] = _relatively_close,
) -> Finding:
    """The finding for one measured number: a known mistake, right, or wrong.

    Parameters
    ----------
    value : float
        What the student's code gave (in the unit of ``expected``).
    expected : float
        The right value.
    ok, wrong, hint : str
        The finding when ``value`` is (``ok``) or is not (``wrong``, ``hint``)
        close to ``expected``.
    mistakes : sequence of (float, str, str or None)
        ``(mistaken_value, message, hint)``: the value a known mistake gives
        and what to say about it; tried first, in order.
    close : callable, optional
        ``close(value, target) -> bool``; by default equal to a relative
        1e-9 (``math.isclose(value, target, rel_tol=1e-9)``).
    """
    for mistaken, message, mistake_hint in mistakes:
        if close(value, mistaken):
            return Finding(wrong=message, hint=mistake_hint)
    return Finding.expect(close(value, expected), ok, wrong, hint)


def expect_value(report: Report, value: float, expected: float, ok: str, wrong: str,
                 hint: str | None = None, *, mistakes=(),
                 close: Callable[[float, float], bool] = _relatively_close) -> bool:
    """Record :func:`value_finding` in ``report``.

    Parameters
    ----------
    report : Report
        Where the finding goes.
    value, expected, ok, wrong, hint, mistakes, close
        As for :func:`value_finding` (``value`` and ``expected`` in the same
        unit).

    Returns
    -------
    bool
        False if ``value`` is a known mistake or not close to ``expected``.
    """
    return value_finding(value, expected, ok, wrong, hint, mistakes=mistakes,
                         close=close).record(report)


@dataclass
class Feedback:
    """The result of checking one exercise.

    Attributes
    ----------
    exercise : str
        Exercise title.
    status : str
        ``"correct"``, ``"incorrect"`` or ``"not attempted"``.
    right, wrong, hints : list of str
        What is right, what is wrong, and how to fix it.
    attempt : object
        What was checked (the student's function, class or value).
    in_use : str
        After :meth:`choose`, the line saying which version the lesson uses.
    """

    exercise: str
    status: str
    right: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)
    attempt: object = field(default=None, repr=False, compare=False)
    in_use: str = ""

    @property
    def passed(self) -> bool:
        """True when the attempt is correct."""
        return self.status == CORRECT

    def choose(self, reference):
        """Show this feedback and return the version the rest of the lesson uses.

        Parameters
        ----------
        reference : object
            The reference solution (a function, class, value, or a tuple of
            them matching the checked tuple).

        Returns
        -------
        object
            The student's attempt when it is correct, otherwise ``reference``.
        """
        mine = _describe(self.attempt, "")
        mine = f"your {mine}" if mine else "your answer"
        theirs = _describe(reference, "")
        theirs = f"the reference solution, {theirs}" if theirs else "the reference solution"
        if self.passed:
            self.in_use = f"The rest of this lesson uses {mine}."
            chosen = self.attempt
        elif self.status == NOT_ATTEMPTED:
            self.in_use = (
                f"Until you write yours, the rest of this lesson uses "
                f"{theirs} (hidden cell above). Write yours, run it, then run "
                "this check again to use your own."
            )
            chosen = reference
        else:
            self.in_use = (
                f"So that later cells stay right, the rest of this lesson uses "
                f"{theirs} (hidden cell above), not {mine}. Fix yours and run "
                "this check again to switch back to your own."
            )
            chosen = reference
        _show(self)
        return chosen

    def _lines(self) -> list[tuple[str, str]]:
        """(kind, text) pairs: the title, then each finding, then the in-use line."""
        if self.status == NOT_ATTEMPTED:
            lines = [(
                "title",
                f"[not attempted yet] {self.exercise}: replace the ... in the exercise cell "
                "with your code, run it, then run this check again.",
            )]
        else:
            title = "[correct]" if self.passed else "[not quite]"
            lines = [("title", f"{title} {self.exercise}")]
            lines += [("right", message) for message in self.right]
            lines += [("wrong", message) for message in self.wrong]
            lines += [("hint", hint) for hint in self.hints]
        if self.in_use:
            lines.append(("in_use", self.in_use))
        return lines

    def __str__(self) -> str:
        prefixes = {"title": "", "right": "  + ", "wrong": "  - ", "hint": "  hint: ",
                    "in_use": "  -> "}
        out = []
        for kind, text in self._lines():
            prefix = prefixes[kind]
            # Wrap at word boundaries so no terminal breaks a word in two.
            out.append(textwrap.fill(
                text, width=88, initial_indent=prefix,
                subsequent_indent=" " * len(prefix) if prefix else "    ",
                break_long_words=False, break_on_hyphens=False,
            ))
        return "\n".join(out)

    def __repr__(self) -> str:
        return str(self)

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(str(self))

    def _repr_html_(self) -> str:
        colour = {CORRECT: "#1a7f37", INCORRECT: "#b35900", NOT_ATTEMPTED: "#57606a"}
        border = colour[self.status]
        symbols = {"right": "&#10003;", "wrong": "&#10007;", "hint": "hint:", "in_use": "&#8594;"}
        items = []
        for kind, text in self._lines():
            if kind == "title":
                continue
            items.append(
                f'<li class="fn-{kind}" style="list-style:none;margin:2px 0;">'
                f'<span aria-hidden="true" style="display:inline-block;min-width:2.5em;">'
                f"{symbols[kind]}</span> {html.escape(text)}</li>"
            )
        title = html.escape(self._lines()[0][1])
        return (
            f'<div class="first-neuron-feedback" role="status" style="border-left:4px solid '
            f"{border};padding:6px 10px;margin:4px 0;font-family:sans-serif;font-size:14px;"
            f'line-height:1.4;overflow-wrap:normal;word-break:normal;white-space:normal;">'
            f'<strong style="color:{border};">{title}</strong>'
            f'<ul style="margin:4px 0 0 0;padding:0;">{"".join(items)}</ul></div>'
        )


def _describe(thing, fallback: str) -> str:
    """A name for a function, class or tuple of them, in backquotes."""
    if isinstance(thing, tuple):
        names = [getattr(t, "__name__", None) for t in thing]
        if all(names):
            return " and ".join(f"`{n}`" for n in names)
        return fallback
    name = getattr(thing, "__name__", None)
    return f"`{name}`" if name else fallback


def _show(feedback: Feedback) -> None:
    """Display the feedback in a notebook (HTML with a text fallback), else print it."""
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # pragma: no cover - IPython is always installed with Jupyter
        print(feedback)
        return
    if get_ipython() is None:
        print(feedback)
    else:
        display(feedback)


def run_check(
    exercise: str,
    attempt,
    evaluate: Callable[[object, Report], None],
    *,
    strict: bool = False,
) -> Feedback:
    """Check ``attempt`` with ``evaluate`` and return the feedback.

    Parameters
    ----------
    exercise : str
        Exercise title shown in the feedback.
    attempt : object
        The student's answer (a value, a function, a class or a tuple).
    evaluate : callable
        ``evaluate(attempt, report)`` records findings with ``report.ok``,
        ``report.fail`` and ``report.expect``.
    strict : bool, optional
        Raise ``AssertionError`` unless the attempt is correct (used by the
        solution notebooks and the tests).

    Returns
    -------
    Feedback
        Correct when nothing was recorded as wrong and something as right.
    """
    if is_placeholder(attempt):
        feedback = Feedback(exercise, NOT_ATTEMPTED, attempt=attempt)
    else:
        report = Report()
        try:
            evaluate(attempt, report)
        except Exception as error:  # noqa: BLE001 - a student's bug becomes feedback
            report.fail(
                f"running your code raised {type(error).__name__}: {error}",
                "read the error message: it names the line and the value to fix.",
            )
        passed = not report.wrong and bool(report.right)
        feedback = Feedback(
            exercise,
            CORRECT if passed else INCORRECT,
            report.right,
            report.wrong,
            report.hints,
            attempt=attempt,
        )
    if strict and not feedback.passed:
        raise AssertionError(str(feedback))
    return feedback


__all__ = [
    "CORRECT",
    "INCORRECT",
    "NOT_ATTEMPTED",
    "Feedback",
    "Finding",
    "Report",
    "StopChecking",
    "expect_value",
    "first_finding",
    "is_pass_body",
    "is_placeholder",
    "returned_array",
    "returned_number",
    "run_check",
    "run_probes",
    "value_finding",
]

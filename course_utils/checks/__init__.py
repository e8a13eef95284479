"""Exercise checkers: specific feedback for each exercise.

One module per lesson topic (``checks.synapses``, ``checks.passive``,
``checks.lif``, ``checks.brian``, ``checks.recordings``). Every checker:

* returns a :class:`Feedback` that says what is right, what is wrong, and a
  hint for the typical mistake it recognised;
* says "not attempted yet" (and does not raise) when the student's cell
  still holds the ``...`` scaffold;
* with ``strict=True`` (used by the solution notebooks) raises
  ``AssertionError`` unless the answer is correct, so a broken solution
  fails the test run.

Checkers never print: they return the feedback, which Jupyter displays.
"""

from __future__ import annotations

import dis
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
        return _opcodes(code) == _opcodes(_stub.__code__) and code.co_names == ()
    return False


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
    """

    exercise: str
    status: str
    right: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """True when the attempt is correct."""
        return self.status == CORRECT

    def __str__(self) -> str:
        if self.status == NOT_ATTEMPTED:
            return (
                f"[not attempted yet] {self.exercise}: replace the ... in the exercise "
                "cell with your code, run it, then run this check again."
            )
        title = "[correct]" if self.passed else "[not quite]"
        lines = [f"{title} {self.exercise}"]
        lines += [f"  + {message}" for message in self.right]
        lines += [f"  - {message}" for message in self.wrong]
        lines += [f"  hint: {hint}" for hint in self.hints]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(str(self))


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
        feedback = Feedback(exercise, NOT_ATTEMPTED)
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
        )
    if strict and not feedback.passed:
        raise AssertionError(str(feedback))
    return feedback


__all__ = [
    "CORRECT",
    "INCORRECT",
    "NOT_ATTEMPTED",
    "Feedback",
    "Report",
    "is_placeholder",
    "returned_array",
    "returned_number",
    "run_check",
]

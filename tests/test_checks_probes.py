"""Tests of the probe machinery the checkers are built from (course_utils.checks):
Finding, run_probes, first_finding, value_finding / expect_value, is_pass_body."""

from __future__ import annotations

import numpy as np

from course_utils.checks import (
    Finding,
    Report,
    StopChecking,
    expect_value,
    first_finding,
    is_pass_body,
    run_probes,
    value_finding,
)


def test_finding_records_a_success_or_a_mistake():
    report = Report()
    assert Finding(ok="right").record(report) is True
    assert Finding("wrong", "fix it").record(report) is False
    assert (report.right, report.wrong, report.hints) == (["right"], ["wrong"], ["fix it"])


def test_finding_when_and_expect():
    assert Finding.when(False, "wrong") is None
    assert Finding.when(True, "wrong", "hint") == Finding("wrong", "hint")
    assert Finding.expect(True, "ok", "wrong", "hint") == Finding(ok="ok")
    assert Finding.expect(False, "ok", "wrong", "hint") == Finding("wrong", "hint")


def test_run_probes_runs_in_order_and_stops_at_the_first_mistake():
    called = []

    def probe(name, finding):
        def run(subject):
            called.append((name, subject))
            return finding
        return run

    report = Report()
    passed = run_probes(
        [probe("a", None), probe("b", Finding(ok="b holds")), probe("c", Finding("c is wrong")),
         probe("d", Finding(ok="never reached"))],
        "subject",
        report,
    )
    assert passed is False
    assert called == [("a", "subject"), ("b", "subject"), ("c", "subject")]
    assert report.right == ["b holds"] and report.wrong == ["c is wrong"]


def test_run_probes_without_mistakes_passes():
    report = Report()
    assert run_probes([lambda s: None, lambda s: Finding(ok=f"{s} fine")], "x", report) is True
    assert report.right == ["x fine"] and not report.wrong


def test_a_probe_that_recorded_its_own_failure_stops_the_rest():
    def measures_and_fails(subject):
        report.fail("could not measure", "hint")
        raise StopChecking

    def later(subject):
        raise AssertionError("must not run after StopChecking")

    report = Report()
    assert run_probes([measures_and_fails, later], None, report) is False
    assert report.wrong == ["could not measure"]


def test_first_finding_passes_the_arguments_and_returns_the_first_one():
    probes = [lambda a, b: None, lambda a, b: Finding(f"{a + b}"), lambda a, b: Finding("late")]
    assert first_finding(probes, 1, 2) == Finding("3")
    assert first_finding([lambda: None]) is None


def test_value_finding_names_a_known_mistake_before_judging():
    mistakes = [(0.0, "ignored", "add it"), (-0.05, "sign flipped", "plus, not minus")]
    assert value_finding(0.05, 0.05, "ok", "wrong", mistakes=mistakes) == Finding(ok="ok")
    assert value_finding(-0.05, 0.05, "ok", "wrong", mistakes=mistakes) == Finding(
        "sign flipped", "plus, not minus")
    assert value_finding(0.0, 0.05, "ok", "wrong", mistakes=mistakes).wrong == "ignored"
    assert value_finding(0.07, 0.05, "ok", "wrong", "h", mistakes=mistakes) == Finding("wrong", "h")


def test_value_finding_is_relative_by_default_and_takes_another_closeness():
    # Relative 1e-9: a tiny nonzero number is not 0, and 1e-10 relative is equal.
    assert value_finding(1e-15, 0.0, "ok", "wrong").wrong == "wrong"
    assert value_finding(0.05 * (1 + 1e-10), 0.05, "ok", "wrong").ok == "ok"
    assert value_finding(0.05 * (1 + 1e-6), 0.05, "ok", "wrong").wrong == "wrong"
    # np.isclose's absolute 1e-8 accepts what the default rejects.
    loose = value_finding(1e-9, 0.0, "ok", "wrong", close=lambda a, b: np.isclose(a, b))
    assert loose.ok == "ok"


def test_expect_value_records_in_the_report():
    report = Report()
    assert expect_value(report, 0.98, 0.98, "euler ok", "wrong",
                        mistakes=[(0.9802, "exact factor", "use 1 - dt/tau")]) is True
    assert expect_value(report, 0.9802, 0.98, "euler ok", "wrong",
                        mistakes=[(0.9802, "exact factor", "use 1 - dt/tau")]) is False
    assert report.right == ["euler ok"] and report.wrong == ["exact factor"]
    assert report.hints == ["use 1 - dt/tau"]


def only_pass(x):
    pass


def only_pass_with_docstring(x):
    """Does nothing yet."""
    pass


def scaffold(x): ...


def returns_none(x):
    return None


def test_is_pass_body_tells_a_pass_body_from_the_scaffold_and_real_code():
    assert is_pass_body(only_pass)
    assert is_pass_body(only_pass_with_docstring)
    assert not is_pass_body(scaffold)
    assert not is_pass_body(returns_none)
    assert not is_pass_body(len)  # no Python source

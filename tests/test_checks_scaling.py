"""Checkers of Lesson 6: wrong answers a student might write are rejected with the right
feedback; correct answers written differently are accepted."""

import math

import pytest

from course_utils.checks.scaling import (
    check_break_even_duration,
    check_overall_speedup,
    check_throughput,
)


def throughput_ok(n_neurons, duration, dt, seconds):
    return n_neurons * round(duration / dt) / seconds


def throughput_ok_too(n_neurons, duration, dt, seconds):
    steps_per_second = (duration / dt) / seconds
    return float(steps_per_second * n_neurons)


@pytest.mark.parametrize("answer", [throughput_ok, throughput_ok_too])
def test_throughput_accepts(answer):
    assert check_throughput(answer).passed


@pytest.mark.parametrize("answer, phrase", [
    (lambda n, duration, dt, s: n / s, "number of steps"),
    (lambda n, duration, dt, s: n * duration / s, "duration in ms"),
    (lambda n, duration, dt, s: n * duration * dt / s, "not duration * dt"),
    (lambda n, duration, dt, s: n * duration / dt / s / 1000, "no division by 1000"),
    (lambda n, duration, dt, s: (n + duration / dt) / s, "TIMES"),
])
def test_throughput_names_the_mistake(answer, phrase):
    feedback = check_throughput(answer)
    assert not feedback.passed
    assert phrase in str(feedback)


def break_even_ok(compile_seconds, runtime_rate, standalone_rate, n_neurons, dt):
    saving = 1 / runtime_rate - 1 / standalone_rate
    if saving <= 0:
        return math.inf
    return compile_seconds / saving / n_neurons * dt


def break_even_by_times(compile_seconds, runtime_rate, standalone_rate, n_neurons, dt):
    # Another correct route: seconds per simulated ms on each device.
    runtime_per_ms = n_neurons / dt / runtime_rate
    standalone_per_ms = n_neurons / dt / standalone_rate
    if standalone_per_ms >= runtime_per_ms:
        return float("inf")
    return compile_seconds / (runtime_per_ms - standalone_per_ms)


def break_even_swapped(compile_seconds, runtime_rate, standalone_rate, n_neurons, dt):
    saving = 1 / standalone_rate - 1 / runtime_rate
    return compile_seconds / saving / n_neurons * dt


def break_even_steps(compile_seconds, runtime_rate, standalone_rate, n_neurons, dt):
    saving = 1 / runtime_rate - 1 / standalone_rate
    return math.inf if saving <= 0 else compile_seconds / saving


def break_even_no_inf(compile_seconds, runtime_rate, standalone_rate, n_neurons, dt):
    return compile_seconds / (1 / runtime_rate - 1 / standalone_rate) / n_neurons * dt


def break_even_in_seconds(compile_seconds, runtime_rate, standalone_rate, n_neurons, dt):
    ms = break_even_ok(compile_seconds, runtime_rate, standalone_rate, n_neurons, dt)
    return ms / 1000


@pytest.mark.parametrize("answer", [break_even_ok, break_even_by_times])
def test_break_even_accepts(answer):
    assert check_break_even_duration(answer).passed


@pytest.mark.parametrize("answer, phrase", [
    (break_even_swapped, "negative"),
    (break_even_steps, "neuron-steps"),
    (break_even_no_inf, "math.inf"),
    (break_even_in_seconds, "not s"),
])
def test_break_even_names_the_mistake(answer, phrase):
    feedback = check_break_even_duration(answer)
    assert not feedback.passed
    assert phrase in str(feedback)


def speedup_ok(outside, loop, loop_speedup):
    return (outside + loop) / (outside + loop / loop_speedup)


def speedup_by_fractions(outside, loop, loop_speedup):
    parallel = loop / (outside + loop)
    return 1 / ((1 - parallel) + parallel / loop_speedup)


@pytest.mark.parametrize("answer", [speedup_ok, speedup_by_fractions])
def test_speedup_accepts(answer):
    assert check_overall_speedup(answer).passed


@pytest.mark.parametrize("answer, phrase", [
    (lambda outside, loop, k: k, "loop's speedup"),
    (lambda outside, loop, k: outside + loop / k, "new total time"),
    (lambda outside, loop, k: (outside + loop / k) / (outside + loop), "upside down"),
    (lambda outside, loop, k: (outside + loop) / (outside / k + loop), "OUTSIDE"),
])
def test_speedup_names_the_mistake(answer, phrase):
    feedback = check_overall_speedup(answer)
    assert not feedback.passed
    assert phrase in str(feedback)

"""Checkers of Lesson 0: wrong answers a student might write are rejected with the right
feedback; correct answers written differently are accepted."""

import math

import numpy as np
import pytest

from course_utils.checks.opening import (
    check_rc_charging,
    check_trap_closing_time,
    check_trap_memory,
)

# ---------------------------------------------------------------- Exercise 0.1


def memory_vectorised(time, touch_times, decay_time):
    elapsed = np.asarray(time)[:, None] - np.asarray(touch_times)[None, :]
    return np.where(elapsed >= 0, np.exp(-np.maximum(elapsed, 0) / decay_time), 0).sum(axis=1)


def memory_loop(time, touch_times, decay_time):
    result = []
    for t in time:
        total = 0.0
        for touch in touch_times:
            if touch <= t:
                total += math.exp(-(t - touch) / decay_time)
        result.append(total)
    return result  # a list is fine


def memory_future(time, touch_times, decay_time):
    return np.array([sum(math.exp(-abs(t - k) / decay_time) for k in touch_times) for t in time])


def memory_count(time, touch_times, decay_time):
    return np.array([sum(1.0 for k in touch_times if k <= t) for t in time])


def memory_last(time, touch_times, decay_time):
    out = []
    for t in time:
        past = [k for k in touch_times if k <= t]
        out.append(math.exp(-(t - past[-1]) / decay_time) if past else 0.0)
    return np.array(out)


def memory_strict(time, touch_times, decay_time):
    return np.array([sum(math.exp(-(t - k) / decay_time) for k in touch_times if k < t)
                     for t in time])


def memory_seconds(time, touch_times, decay_time):
    return memory_vectorised(time, touch_times, decay_time / 1000)


def memory_scalar(time, touch_times, decay_time):
    return float(np.sum(memory_vectorised(time, touch_times, decay_time)))


@pytest.mark.parametrize("answer", [memory_vectorised, memory_loop])
def test_memory_accepts_correct_answers(answer):
    assert check_trap_memory(answer).passed


@pytest.mark.parametrize("answer, phrase", [
    (memory_future, "not happened yet"),
    (memory_count, "never decays"),
    (memory_last, "most recent"),
    (memory_strict, "own instant"),
    (memory_seconds, "1000 times too fast"),
    (memory_scalar, "shape"),
])
def test_memory_names_the_mistake(answer, phrase):
    feedback = check_trap_memory(answer)
    assert not feedback.passed
    assert phrase in str(feedback)
    with pytest.raises(AssertionError):
        check_trap_memory(answer, strict=True)


def test_memory_scaffold_is_not_attempted():
    def trap_memory(time, touch_times, decay_time):
        ...

    assert check_trap_memory(trap_memory).status == "not attempted"


# ---------------------------------------------------------------- Exercise 0.2


def closing_reference(touch_times, decay_time, threshold):
    memory = memory_vectorised(touch_times, touch_times, decay_time) if len(touch_times) else []
    for touch, m in zip(touch_times, memory, strict=True):
        if m >= threshold:
            return float(touch)
    return None


def closing_by_steps(touch_times, decay_time, threshold):
    # A different, correct way: walk from touch to touch, decaying the memory between them.
    memory, previous = 0.0, None
    for touch in touch_times:
        if previous is not None:
            memory *= math.exp(-(touch - previous) / decay_time)
        memory += 1.0
        previous = touch
        if memory >= threshold:
            return touch
    return None


def closing_any_second(touch_times, decay_time, threshold):
    return float(touch_times[1]) if len(touch_times) >= 2 else None


def closing_last_interval(touch_times, decay_time, threshold):
    window = decay_time * math.log(1 / (threshold - 1))
    for a, b in zip(touch_times[:-1], touch_times[1:], strict=True):
        if b - a <= window:
            return float(b)
    return None


def closing_last_crossing(touch_times, decay_time, threshold):
    memory = memory_vectorised(touch_times, touch_times, decay_time) if len(touch_times) else []
    above = [t for t, m in zip(touch_times, memory, strict=True) if m >= threshold]
    return float(above[-1]) if above else None


def closing_index(touch_times, decay_time, threshold):
    memory = memory_vectorised(touch_times, touch_times, decay_time) if len(touch_times) else []
    above = [k for k, m in enumerate(memory) if m >= threshold]
    return above[0] if above else None


def closing_bool(touch_times, decay_time, threshold):
    return closing_reference(touch_times, decay_time, threshold) is not None


def closing_nan(touch_times, decay_time, threshold):
    found = closing_reference(touch_times, decay_time, threshold)
    return np.nan if found is None else found


@pytest.mark.parametrize("answer", [closing_reference, closing_by_steps])
def test_closing_accepts_correct_answers(answer):
    assert check_trap_closing_time(answer).passed


@pytest.mark.parametrize("answer, phrase", [
    (closing_any_second, "any second touch"),
    (closing_last_interval, "last interval"),
    (closing_last_crossing, "FIRST"),
    (closing_index, "index"),
    (closing_bool, "True/False"),
    (closing_nan, "NaN"),
])
def test_closing_names_the_mistake(answer, phrase):
    feedback = check_trap_closing_time(answer)
    assert not feedback.passed
    assert phrase in str(feedback)


# ---------------------------------------------------------------- Exercise 0.3


def rc_reference(time, current, resistance, capacitance, rest):
    tau = resistance * capacitance
    return rest + current * resistance * (1 - np.exp(-np.asarray(time) / tau))


def rc_with_conductance(time, current, resistance, capacitance, rest):
    g_leak = 1 / resistance  # nS
    v_inf = rest + current / g_leak
    return v_inf + (rest - v_inf) * np.exp(-np.asarray(time) * g_leak / capacitance)


def rc_no_rest(time, current, resistance, capacitance, rest):
    return current * resistance * (1 - np.exp(-np.asarray(time) / (resistance * capacitance)))


def rc_tau_r_over_c(time, current, resistance, capacitance, rest):
    wrong_tau = resistance / capacitance
    return rest + current * resistance * (1 - np.exp(-np.asarray(time) / wrong_tau))


def rc_i_over_r(time, current, resistance, capacitance, rest):
    tau = resistance * capacitance
    return rest + current / resistance * (1 - np.exp(-np.asarray(time) / tau))


def rc_decay(time, current, resistance, capacitance, rest):
    return rest + current * resistance * np.exp(-np.asarray(time) / (resistance * capacitance))


def rc_megaohm(time, current, resistance, capacitance, rest):
    r = resistance * 1000  # "MOhm"
    return rest + current * r * (1 - np.exp(-np.asarray(time) / (r * capacitance)))


@pytest.mark.parametrize("answer", [rc_reference, rc_with_conductance])
def test_rc_accepts_correct_answers(answer):
    assert check_rc_charging(answer).passed


@pytest.mark.parametrize("answer, phrase", [
    (rc_no_rest, "starts at 0 mV"),
    (rc_tau_r_over_c, "not R / C"),
    (rc_i_over_r, "not I / R"),
    (rc_decay, "RISE"),
    (rc_megaohm, "MOhm"),
])
def test_rc_names_the_mistake(answer, phrase):
    feedback = check_rc_charging(answer)
    assert not feedback.passed
    assert phrase in str(feedback)

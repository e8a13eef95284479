"""The flytrap's leaky memory, the RC membrane and the drawn tree (course_utils.excitability,
course_utils.diagrams)."""

import math

import numpy as np
import pytest

from course_utils import diagrams, excitability

WINDOW = 30_000.0  # ms


def euler_memory(touch_times, decay_time, duration, dt):
    """dm/dt = -m / tau with a jump of 1 at each touch, integrated step by step."""
    n_steps = int(round(duration / dt))
    touch_steps = set(int(round(t / dt)) for t in touch_times)
    memory, m = np.zeros(n_steps + 1), 0.0
    for k in range(n_steps + 1):
        if k in touch_steps:
            m += 1.0
        memory[k] = m
        m -= dt * m / decay_time
    return memory


def test_memory_agrees_with_a_step_by_step_integration():
    touches, tau, dt = [5_000.0, 12_000.0, 40_000.0], 20_000.0, 1.0
    time = np.arange(0.0, 60_001.0, dt)
    exact = excitability.trap_memory(time, touches, decay_time=tau)
    euler = euler_memory(touches, tau, 60_000.0, dt)
    assert np.max(np.abs(exact - euler)) < 1e-3  # Euler's error ~ dt / tau per jump


def test_memory_jumps_at_a_touch_and_halves_after_tau_ln2():
    tau = 10_000.0
    m = excitability.trap_memory([0.0, 1.0, tau * math.log(2)], [0.0], decay_time=tau)
    assert m[0] == 1.0
    assert m[2] == pytest.approx(0.5)
    assert excitability.trap_memory([-1.0], [0.0], decay_time=tau)[0] == 0.0


def test_decay_time_reproduces_the_window():
    tau = excitability.decay_time_for_window(WINDOW, threshold=1.5)
    assert tau == pytest.approx(WINDOW / math.log(2))
    assert excitability.closing_window(decay_time=tau, threshold=1.5) == pytest.approx(WINDOW)
    closes = excitability.trap_closing_time([0.0, WINDOW - 1.0], decay_time=tau, threshold=1.5)
    stays_open = excitability.trap_closing_time([0.0, WINDOW + 1.0], decay_time=tau,
                                                threshold=1.5)
    assert closes == WINDOW - 1.0
    assert stays_open is None


def test_slow_touches_add_up():
    tau = excitability.decay_time_for_window(WINDOW, threshold=1.5)
    touches = [0.0, 40_000.0, 80_000.0]
    # By hand: 1 + exp(-40/43.28) + exp(-80/43.28) = 1.554 >= 1.5 at the third touch.
    assert 1 + math.exp(-40_000 / tau) + math.exp(-80_000 / tau) > 1.5
    assert excitability.trap_closing_time(touches, decay_time=tau, threshold=1.5) == 80_000.0
    assert excitability.trap_closing_time([0.0], decay_time=tau, threshold=1.5) is None
    assert excitability.trap_closing_time([], decay_time=tau, threshold=1.5) is None


def test_rc_charging_by_hand():
    # R = 0.1 GOhm, C = 200 pF: tau = 20 ms; R I = 0.1 * 100 = 10 mV.
    v = excitability.rc_charging(np.array([-5.0, 0.0, 20.0, 1e6]), current=100.0,
                                 resistance=0.1, capacitance=200.0, rest=-70.0)
    assert v[0] == -70.0 and v[1] == -70.0
    assert v[2] == pytest.approx(-70.0 + 10.0 * (1 - math.exp(-1)))
    assert v[3] == pytest.approx(-60.0)


@pytest.mark.parametrize("call, match", [
    (lambda: excitability.trap_memory([0.0], [3.0, 1.0], decay_time=1.0), "sorted"),
    (lambda: excitability.trap_memory([0.0], [1.0], decay_time=-1.0), "decay_time"),
    (lambda: excitability.closing_window(decay_time=1.0, threshold=0.5), "threshold"),
    (lambda: excitability.rc_charging([0.0], current=1.0, resistance=0.0, capacitance=1.0,
                                      rest=0.0), "resistance"),
])
def test_friendly_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_tree_follows_rall_and_its_length_adds_up():
    depth, trunk, ratio = 5, 100.0, 0.75
    segments = diagrams.branching_tree(np.random.default_rng(1), depth=depth,
                                       trunk_length=trunk, length_ratio=ratio)
    assert segments.shape == (2**depth - 1, 5)
    diameters = np.unique(np.round(segments[:, 4], 9))[::-1]
    for parent, daughter in zip(diameters[:-1], diameters[1:], strict=True):
        assert parent**1.5 == pytest.approx(2 * daughter**1.5)
    stats = diagrams.tree_statistics(segments)
    expected_length = sum(trunk * ratio**g * 2**g for g in range(depth))
    assert stats["total_length"] == pytest.approx(expected_length)
    assert 0 < stats["covered_fraction"] < 1
    again = diagrams.branching_tree(np.random.default_rng(1), depth=depth, trunk_length=trunk,
                                    length_ratio=ratio)
    assert np.array_equal(segments, again)


def test_three_touches_close_up_to_the_spacing_quoted_in_lesson_0():
    # 1 + x + x^2 = 1.5 with x = exp(-d / tau): x = (sqrt(3) - 1) / 2.
    tau = excitability.decay_time_for_window(WINDOW, threshold=1.5)
    spacing = tau * math.log(2 / (math.sqrt(3) - 1))
    assert spacing / 1000 == pytest.approx(43.5, abs=0.05)
    for d, closes in ((spacing - 50.0, True), (spacing + 50.0, False)):
        closing = excitability.trap_closing_time([0.0, d, 2 * d], decay_time=tau, threshold=1.5)
        assert (closing == 2 * d) if closes else closing is None

"""Tests of course_utils.inputs: time grids and injected current waveforms.

Units: ms, pA.

Which test catches which broken behaviour:

- ``np.arange(0, T + dt, dt)`` style grids (one or two steps too many, the
  seed's 335 steps for T = 100 ms, dt = 0.3 ms): test_time_grid_step_counts.
- closed intervals or dt-dependent edges (a step one sample longer at some
  dt): test_step_current_is_half_open, test_step_duration_is_independent_of_dt.
- white noise without the 1/sqrt(dt) scaling (its effect vanishing as dt
  shrinks): test_white_noise_std_scales_as_one_over_sqrt_dt.
- an Euler-discretised OU process (stationary std depending on dt):
  test_ou_stationary_std_is_independent_of_dt.
"""

from __future__ import annotations

import numpy as np
import pytest

from course_utils import inputs

# --------------------------------------------------------------------------
# Time grid
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("duration", "dt", "n_steps"),
    [
        (100.0, 0.3, 333),  # 100 / 0.3 = 333.3: the run ends at 99.9 ms
        (1.0, 0.1, 10),  # 1 / 0.1 = 10.000000000000002 in floating point
        (100.0, 0.1, 1000),
        (0.7, 0.7, 1),
        (10.0, 0.35, 29),  # 28.57 rounds to 29
    ],
)
def test_time_grid_step_counts(duration, dt, n_steps):
    time = inputs.time_grid(duration, dt)
    assert inputs.number_of_steps(duration, dt) == n_steps
    assert time.size == n_steps
    assert time[0] == 0.0
    # Each sample is k * dt, computed by multiplication (no accumulated drift).
    np.testing.assert_array_equal(time, np.arange(n_steps) * dt)


def test_time_grid_does_not_repeat_or_overshoot():
    # The seed's np.arange(0, 100 + 0.3, 0.3) has 335 points and ends past 100 ms.
    time = inputs.time_grid(100.0, 0.3)
    assert np.all(np.diff(time) > 0)
    assert time[-1] < 100.0


@pytest.mark.parametrize(
    ("duration", "dt", "error", "name"),
    [
        (100.0, -0.1, ValueError, "dt"),
        (100.0, 0.0, ValueError, "dt"),
        (100.0, np.nan, ValueError, "dt"),
        (-5.0, 0.1, ValueError, "duration"),
        (1.0, 2.0, ValueError, "dt"),
        ("100", 0.1, TypeError, "duration"),
        (100.0, ..., TypeError, "dt"),
    ],
)
def test_time_grid_rejects_bad_input(duration, dt, error, name):
    with pytest.raises(error, match=name):
        inputs.time_grid(duration, dt)


# --------------------------------------------------------------------------
# Deterministic waveforms
# --------------------------------------------------------------------------


def test_step_current_is_half_open():
    time = inputs.time_grid(30.0, 0.1)
    current = inputs.step_current(time, 50.0, 10.0, 20.0)
    # On at exactly 10 ms (time[100] is 10.000000000000002), off at exactly 20 ms.
    assert current[100] == 50.0 and current[99] == 0.0
    assert current[199] == 50.0 and current[200] == 0.0
    assert set(np.unique(current)) == {0.0, 50.0}


@pytest.mark.parametrize("dt", [0.1, 0.3, 0.7])
def test_step_duration_is_independent_of_dt(dt):
    # 21 and 42 ms are multiples of 0.1, 0.3 and 0.7 ms.
    time = inputs.time_grid(63.0, dt)
    current = inputs.step_current(time, -30.0, 21.0, 42.0)
    on_duration = np.count_nonzero(current) * dt
    assert on_duration == pytest.approx(21.0, abs=1e-9)
    assert current[time < 21.0 - dt / 2].max() == 0.0
    # The first sample that is on is the one at 21 ms.
    assert time[np.flatnonzero(current)[0]] == pytest.approx(21.0)


def test_step_current_rejects_bad_input():
    time = inputs.time_grid(10.0, 0.1)
    with pytest.raises(ValueError, match="stop"):
        inputs.step_current(time, 10.0, 5.0, 5.0)
    with pytest.raises(ValueError, match="amplitude"):
        inputs.step_current(time, np.nan, 1.0, 5.0)
    with pytest.raises(ValueError, match="time.*increasing"):
        inputs.step_current(time[::-1], 10.0, 1.0, 5.0)
    with pytest.raises(ValueError, match="time.*NaN"):
        inputs.step_current([0.0, np.nan], 10.0, 1.0, 5.0)


def test_step_current_open_ended():
    time = inputs.time_grid(10.0, 0.5)
    current = inputs.step_current(time, 5.0, 2.0, np.inf)
    assert np.count_nonzero(current) == 16  # 2.0, 2.5, ..., 9.5


def test_pulse_train_by_hand():
    time = inputs.time_grid(100.0, 0.1)
    # 3 pulses of 5 ms every 20 ms from 10 ms: on in [10,15), [30,35), [50,55).
    current = inputs.pulse_train(time, 100.0, 10.0, 5.0, 20.0, 3)
    on = current > 0
    # Sample k is at k * 0.1 ms: pulses cover samples 100-149, 300-349, 500-549.
    expected = np.zeros(time.size, dtype=bool)
    for first in (100, 300, 500):
        expected[first : first + 50] = True
    np.testing.assert_array_equal(on, expected)
    assert np.count_nonzero(on) * 0.1 == pytest.approx(15.0)
    with pytest.raises(ValueError, match="pulse_duration"):
        inputs.pulse_train(time, 100.0, 10.0, 20.0, 20.0, 3)
    with pytest.raises(ValueError, match="n_pulses"):
        inputs.pulse_train(time, 100.0, 10.0, 5.0, 20.0, 0)


def test_ramp_current_by_hand():
    time = inputs.time_grid(50.0, 0.5)
    current = inputs.ramp_current(time, 0.0, 100.0, 10.0, 30.0)
    # Linear from 0 pA at 10 ms to (extrapolated) 100 pA at 30 ms: 5 pA/ms.
    assert current[time == 10.0][0] == pytest.approx(0.0)
    assert current[time == 20.0][0] == pytest.approx(50.0)
    assert current[time == 29.5][0] == pytest.approx(97.5)
    assert current[time == 30.0][0] == 0.0
    assert current[time < 10.0].max() == 0.0


# --------------------------------------------------------------------------
# Noise
# --------------------------------------------------------------------------


def test_white_noise_std_scales_as_one_over_sqrt_dt():
    """Per-sample std = std / sqrt(dt), so that the voltage noise is dt-free.

    50 000 samples: the sample std has a relative standard error of
    1/sqrt(2 n) = 0.3%; tolerance 2% (about 6 standard errors).
    """
    std = 20.0
    for dt, seed in [(0.1, 0), (0.4, 1), (1.0, 2)]:
        time = inputs.time_grid(50_000 * dt, dt)
        noise = inputs.white_noise_current(time, 5.0, std, np.random.default_rng(seed))
        assert noise.std() == pytest.approx(std / np.sqrt(dt), rel=0.02)
        # Mean: standard error (std/sqrt(dt))/sqrt(n) <= 0.3 pA; tolerance 1.5 pA.
        assert noise.mean() == pytest.approx(5.0, abs=1.5)


def test_white_noise_is_reproducible_and_needs_a_generator():
    time = inputs.time_grid(10.0, 0.1)
    first = inputs.white_noise_current(time, 0.0, 1.0, np.random.default_rng(3))
    again = inputs.white_noise_current(time, 0.0, 1.0, np.random.default_rng(3))
    np.testing.assert_array_equal(first, again)
    with pytest.raises(TypeError, match="rng.*Generator"):
        inputs.white_noise_current(time, 0.0, 1.0, 3)
    with pytest.raises(ValueError, match="std"):
        inputs.white_noise_current(time, 0.0, -1.0, np.random.default_rng(3))
    # A one-step grid is a valid run, but its step must be given.
    with pytest.raises(ValueError, match="time has a single point.*pass dt"):
        inputs.white_noise_current([0.0], 0.0, 1.0, np.random.default_rng(3))
    one_step = inputs.white_noise_current([0.0], 0.0, 1.0, np.random.default_rng(3), dt=0.25)
    assert one_step.shape == (1,) and np.isfinite(one_step).all()


@pytest.mark.parametrize(
    ("dt", "duration", "tolerance"), [(0.1, 40_000.0, 0.035), (1.0, 200_000.0, 0.02)]
)
def test_ou_stationary_std_and_correlation_are_exact_for_any_dt(dt, duration, tolerance):
    """Stationary std and autocorrelation of the exact OU update.

    Correlation time tau = 5 ms. The std must be 15 pA whatever dt is; over
    40 s its relative standard error is ~0.8% (measured over 20 seeds),
    tolerance 5%. The autocorrelation at lag tau must be exp(-1) = 0.368
    (hand formula); its standard error is ~0.0075 over 40 s and ~0.0043 over
    200 s (measured over 20 seeds), tolerances 0.035 and 0.02 (~5 standard
    errors). An Euler-discretised decay (1 - dt/tau per step) gives
    0.8**5 = 0.328 at dt = 1 ms and fails.
    """
    tau, std, mean = 5.0, 15.0, -10.0
    time = inputs.time_grid(duration, dt)
    current = inputs.ornstein_uhlenbeck_current(time, mean, std, tau, np.random.default_rng(11))
    assert current.std() == pytest.approx(std, rel=0.05)
    # Mean: standard error ~ std * sqrt(2 tau / T) = 0.24 pA over 40 s; tolerance 1.2 pA.
    assert current.mean() == pytest.approx(mean, abs=1.2)
    centred = current - current.mean()
    lag = int(round(tau / dt))
    correlation = np.dot(centred[:-lag], centred[lag:]) / np.dot(centred, centred)
    assert correlation == pytest.approx(np.exp(-1.0), abs=tolerance)


def test_ou_starts_from_the_stationary_distribution():
    # Over 2000 seeds, the first sample has std 15 pA (standard error 1.6%);
    # starting at the mean would give 0. Tolerance 8%.
    time = inputs.time_grid(1.0, 0.1)
    first = [
        inputs.ornstein_uhlenbeck_current(time, 0.0, 15.0, 5.0, np.random.default_rng(s))[0]
        for s in range(2000)
    ]
    assert np.std(first) == pytest.approx(15.0, rel=0.08)


def test_ou_rejects_bad_input():
    time = inputs.time_grid(10.0, 0.1)
    with pytest.raises(ValueError, match="correlation_time"):
        inputs.ornstein_uhlenbeck_current(time, 0.0, 1.0, 0.0, np.random.default_rng(0))
    with pytest.raises(TypeError, match="rng"):
        inputs.ornstein_uhlenbeck_current(time, 0.0, 1.0, 5.0, np.random.RandomState(0))

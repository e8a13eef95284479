"""Injected current waveforms on a time grid.

Units: time in ms, current in pA (see :mod:`course_utils`).

Every waveform is sampled on the grid returned by :func:`time_grid`, which
holds the START time of each simulation step. Time intervals are half-open,
``[start, stop)``: a step from 10 ms to 20 ms is on at 10 ms and off at
20 ms, whatever dt is.
"""

from __future__ import annotations

import numpy as np

from ._validation import (
    MAX_STEPS,
    as_array,
    as_float,
    as_int,
    check_dt,
    check_rng,
    check_size,
    check_steps,
)

# pulse_train draws each pulse with one pass over the grid; beyond this many
# pulses on the grid (a period far shorter than dt) it refuses instead.
_MAX_PULSES = 1_000_000

# Comparisons against grid points allow this fraction of a step, so that
# 0.1 * 100 == 10.000000000000002 still counts as "at 10 ms".
_GRID_TOLERANCE = 1e-9


def number_of_steps(duration, dt) -> int:
    """Number of simulation steps of size ``dt`` in ``duration``.

    Parameters
    ----------
    duration : float
        Length of the run in ms (> 0).
    dt : float
        Time step in ms (> 0, at most ``duration``).

    Returns
    -------
    int
        ``round(duration / dt)``: 100 ms at 0.3 ms gives 333 steps, not the
        334 or 335 that ``np.arange(0, duration + dt, dt)`` can give.
    """
    duration = as_float("duration", duration, unit="ms", positive=True)
    dt = check_dt(dt)
    if dt > duration:
        raise ValueError(
            f"dt ({dt:g} ms) is longer than the run (duration = {duration:g} ms): "
            "make dt smaller or the run longer."
        )
    check_steps(duration, dt, MAX_STEPS)
    return int(round(duration / dt))


def time_grid(duration, dt) -> np.ndarray:
    """Start times of the simulation steps, in ms.

    Parameters
    ----------
    duration : float
        Length of the run in ms (> 0).
    dt : float
        Time step in ms (> 0).

    Returns
    -------
    numpy.ndarray
        ``np.arange(n) * dt`` with ``n = round(duration / dt)``. The first
        value is 0 ms and appears once; the run ends at ``n * dt``.
    """
    n_steps = number_of_steps(duration, dt)
    return np.arange(n_steps) * check_dt(dt)


def _check_time(time) -> np.ndarray:
    time = as_array("time", time, unit="ms", ndim=1, allow_empty=False)
    if time.size > 1 and not (np.diff(time) > 0).all():
        raise ValueError("time must be strictly increasing: build it with time_grid().")
    return time


def _window(time: np.ndarray, start: float, stop: float) -> np.ndarray:
    dt = time[1] - time[0] if time.size > 1 else 1.0
    tolerance = _GRID_TOLERANCE * dt
    return (time >= start - tolerance) & (time < stop - tolerance)


def _check_interval(start, stop) -> tuple[float, float]:
    start = as_float("start", start, unit="ms")
    stop = as_float("stop", stop, unit="ms", allow_inf=True)
    if stop <= start:
        raise ValueError(
            f"stop ({stop:g} ms) must be later than start ({start:g} ms)."
        )
    return start, stop


def step_current(time, amplitude, start, stop) -> np.ndarray:
    """A current step: ``amplitude`` during ``[start, stop)``, zero elsewhere.

    Parameters
    ----------
    time : array_like
        Time grid in ms, from :func:`time_grid`.
    amplitude : float
        Step height in pA (may be negative).
    start, stop : float
        Step onset and offset in ms; the current is on for
        ``start <= t < stop``.

    Returns
    -------
    numpy.ndarray
        Current in pA, same shape as ``time``.
    """
    time = _check_time(time)
    amplitude = as_float("amplitude", amplitude, unit="pA")
    start, stop = _check_interval(start, stop)
    return np.where(_window(time, start, stop), amplitude, 0.0)


def pulse_train(time, amplitude, start, pulse_duration, period, n_pulses) -> np.ndarray:
    """A train of ``n_pulses`` rectangular current pulses.

    Parameters
    ----------
    time : array_like
        Time grid in ms.
    amplitude : float
        Pulse height in pA.
    start : float
        Onset of the first pulse in ms.
    pulse_duration : float
        Length of each pulse in ms (> 0, shorter than ``period``).
    period : float
        Time from one pulse onset to the next in ms (> 0).
    n_pulses : int
        Number of pulses (>= 1).

    Returns
    -------
    numpy.ndarray
        Current in pA; pulse k is on during
        ``[start + k*period, start + k*period + pulse_duration)``.
    """
    time = _check_time(time)
    amplitude = as_float("amplitude", amplitude, unit="pA")
    start = as_float("start", start, unit="ms")
    pulse_duration = as_float("pulse_duration", pulse_duration, unit="ms", positive=True)
    period = as_float("period", period, unit="ms", positive=True)
    n_pulses = as_int("n_pulses", n_pulses, minimum=1)
    if pulse_duration >= period:
        raise ValueError(
            f"pulse_duration ({pulse_duration:g} ms) must be shorter than period "
            f"({period:g} ms), otherwise the pulses merge into one step."
        )
    current = np.zeros_like(time)
    # Only pulses that can overlap the grid are drawn: n_pulses = 10**12 costs nothing.
    first = max(0, int(np.floor((time[0] - start - pulse_duration) / period)))
    last = min(n_pulses, max(0, int(np.floor((time[-1] - start) / period)) + 2))
    check_size(
        f"pulse_train with period = {period:g} ms on this time grid", last - first,
        _MAX_PULSES, "Use a longer period.", unit="pulses",
    )
    for k in range(first, last):
        onset = start + k * period
        current[_window(time, onset, onset + pulse_duration)] = amplitude
    return current


def ramp_current(time, start_amplitude, stop_amplitude, start, stop) -> np.ndarray:
    """A linear current ramp during ``[start, stop)``, zero elsewhere.

    Parameters
    ----------
    time : array_like
        Time grid in ms.
    start_amplitude, stop_amplitude : float
        Current at ``start`` and (extrapolated) at ``stop``, in pA.
    start, stop : float
        Ramp onset and offset in ms.

    Returns
    -------
    numpy.ndarray
        Current in pA.
    """
    time = _check_time(time)
    start_amplitude = as_float("start_amplitude", start_amplitude, unit="pA")
    stop_amplitude = as_float("stop_amplitude", stop_amplitude, unit="pA")
    start, stop = _check_interval(start, stop)
    slope = (stop_amplitude - start_amplitude) / (stop - start)
    ramp = start_amplitude + slope * (time - start)
    return np.where(_window(time, start, stop), ramp, 0.0)


def grid_step(time, dt=None) -> float:
    """The step of a uniform time grid in ms: ``time[1] - time[0]``, or ``dt`` if given.

    A one-point grid (``time_grid(0.1, 0.1)``) is a valid one-step run, but
    its step cannot be read from it: pass ``dt`` then.

    Parameters
    ----------
    time : array_like
        Uniform time grid in ms (e.g. from :func:`time_grid`).
    dt : float, optional
        The step in ms, if known.

    Returns
    -------
    float
        The step in ms.
    """
    time = _check_time(time)
    if dt is not None:
        dt = check_dt(dt)
        if time.size > 1 and not np.isclose(time[1] - time[0], dt, rtol=1e-6):
            raise ValueError(
                f"dt ({dt:g} ms) differs from the step of time ({time[1] - time[0]:g} ms): "
                "leave dt out, or build time with time_grid(duration, dt)."
            )
        return dt
    if time.size < 2:
        raise ValueError(
            "time has a single point (a one-step run), so its step cannot be read from it: "
            "pass dt (ms) too."
        )
    return float(time[1] - time[0])


def white_noise_current(time, mean, std, rng, dt=None) -> np.ndarray:
    """Gaussian white-noise current for an Euler simulation with step dt.

    Parameters
    ----------
    time : array_like
        Time grid in ms (uniform spacing dt).
    mean : float
        Mean current in pA.
    std : float
        Standard deviation of the current sampled once per step, in pA, at
        ``dt = 1 ms``. Each sample is scaled by ``1 / sqrt(dt)`` so that the
        noise's effect on the voltage (its diffusion) does not depend on dt.
    rng : numpy.random.Generator
        Seeded generator, e.g. ``np.random.default_rng(1)``.
    dt : float, optional
        Time step in ms; read from ``time`` unless it has a single point.

    Returns
    -------
    numpy.ndarray
        Current in pA.

    Notes
    -----
    With Euler, ``V += dt * I / C``. For white noise of intensity sigma the
    voltage increment must have variance proportional to ``dt``, so the
    current sample must have variance proportional to ``1 / dt``.
    Forgetting the ``sqrt(dt)`` makes the noise vanish as dt shrinks.
    """
    time = _check_time(time)
    dt = grid_step(time, dt)
    mean = as_float("mean", mean, unit="pA")
    std = as_float("std", std, unit="pA", nonnegative=True)
    rng = check_rng(rng)
    return mean + std / np.sqrt(dt) * rng.standard_normal(time.size)


def ornstein_uhlenbeck_current(time, mean, std, correlation_time, rng) -> np.ndarray:
    """Ornstein-Uhlenbeck (coloured) noise current, updated exactly.

    Parameters
    ----------
    time : array_like
        Time grid in ms (uniform spacing dt).
    mean : float
        Mean current in pA.
    std : float
        Stationary standard deviation in pA (independent of dt).
    correlation_time : float
        Correlation time in ms (> 0).
    rng : numpy.random.Generator
        Seeded generator.

    Returns
    -------
    numpy.ndarray
        Current in pA, starting from a draw of the stationary distribution.

    Notes
    -----
    Uses the exact update ``x[k+1] = mean + (x[k] - mean) * a + std *
    sqrt(1 - a**2) * xi`` with ``a = exp(-dt / correlation_time)``, which
    keeps the stationary std exact for any dt (Gillespie 1996).
    """
    time = _check_time(time)
    mean = as_float("mean", mean, unit="pA")
    std = as_float("std", std, unit="pA", nonnegative=True)
    correlation_time = as_float("correlation_time", correlation_time, unit="ms", positive=True)
    rng = check_rng(rng)
    # A one-point grid has no step, and needs none: its only value is the first draw.
    dt = float(time[1] - time[0]) if time.size > 1 else 0.0
    decay = np.exp(-dt / correlation_time)
    kicks = std * np.sqrt(1.0 - decay**2) * rng.standard_normal(time.size)
    current = np.empty_like(time)
    current[0] = mean + std * rng.standard_normal()
    for k in range(1, time.size):
        current[k] = mean + (current[k - 1] - mean) * decay + kicks[k]
    return current

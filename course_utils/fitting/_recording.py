"""Preparing a recording for the model solvers.

The model's time step, the split into training and held-out sweeps, the
voltage and command at the model's time points, and the spikes of each
sweep. Units: ms, mV, pA.
"""

from __future__ import annotations

import numpy as np

from .._validation import as_int, check_dt, check_size
from ..data import Recording

# The models' time step: at most 1 ms (spikes last ~1 ms and are compared within
# +-4 ms), at least 0.01 ms (a fit then already takes ten times as long as at 0.1 ms).
_DT_RANGE = (0.01, 1.0)


def model_dt(dt) -> float:
    """The time step of a fit or simulation of a recording, in ms."""
    dt = check_dt(dt)
    low, high = _DT_RANGE
    if not low <= dt <= high:
        raise ValueError(
            f"dt must be between {low:g} and {high:g} ms for fitting a recording (spikes "
            f"last about 1 ms), but got {dt:g} ms."
        )
    return dt


def check_recording(recording) -> Recording:
    """``recording`` if it is a :class:`~course_utils.data.Recording`, else a TypeError."""
    if not isinstance(recording, Recording):
        raise TypeError(
            "recording must be a Recording (from load_recording or recording_from_arrays), "
            f"but got {type(recording).__name__}."
        )
    return recording


def split_sweeps(recording, *, test_every=2, offset=1) -> tuple[Recording, Recording]:
    """Split a recording into training and held-out (test) sweeps.

    Parameters
    ----------
    recording : Recording
    test_every : int, optional
        Every ``test_every``-th sweep is held out (default 2: alternate
        sweeps, so both halves span the whole current range).
    offset : int, optional
        Position of the first held-out sweep (default 1).

    Returns
    -------
    train, test : Recording
        Sweeps keep their original ``index``.
    """
    check_recording(recording)
    test_every = as_int("test_every", test_every, minimum=2)
    offset = as_int("offset", offset, minimum=0, maximum=test_every - 1)
    positions = np.arange(recording.n_sweeps)
    held_out = (positions - offset) % test_every == 0
    if held_out.all() or not held_out.any():
        raise ValueError(
            f"Splitting {recording.n_sweeps} sweeps with test_every={test_every}, "
            f"offset={offset} leaves one side empty."
        )
    return recording.select(positions[~held_out]), recording.select(positions[held_out])


def repeated_steps(recording):
    """(test step, repeat) pairs of each sweep, or None if the protocol plays no repeat.

    The repeat is a later step of the same duration whose amplitude equals
    the test step's in every sweep (step E of the course's protocol).
    """
    tests = check_recording(recording).test_steps()
    first = recording.sweeps[0]
    k_test = first.steps.index(tests[0])
    for k in range(k_test + 1, len(first.steps)):
        pairs = [(s.steps[k_test], s.steps[k]) for s in recording.sweeps]
        if all(
            abs(a.amplitude - b.amplitude) < 1e-6 and abs(a.duration - b.duration) < 1.0
            for a, b in pairs
        ):
            return pairs
    return None


def command_at(sweep, times: np.ndarray, sample_dt: float) -> np.ndarray:
    """The recorded command (pA) of ``sweep`` at ``times`` (ms), sampled every ``sample_dt`` ms.

    The command is piecewise constant: each time takes the sample at or
    before it (the last sample beyond the sweep's end).
    """
    index = np.minimum(np.floor(times / sample_dt + 1e-6).astype(int), sweep.time.size - 1)
    return sweep.command[index]


def resample_recording(recording, dt):
    """Voltage and command of every sweep at a model's time points.

    Parameters
    ----------
    recording : Recording
        The sweeps (their own sampling interval ``recording.dt``, ms).
    dt : float
        The model's time step in ms; the grid is ``0, dt, 2 dt, ...`` up to
        (not including) the end of a sweep, at least two points.

    Returns
    -------
    grid : numpy.ndarray
        The model's time points in ms, shape ``(n_steps,)``.
    voltage : numpy.ndarray
        The recorded voltage in mV, linearly interpolated at ``grid``,
        shape ``(n_sweeps, n_steps)``.
    command : numpy.ndarray
        The injected current in pA at ``grid``, shape ``(n_sweeps, n_steps)``:
        the recorded sample at or before each point (the command is
        piecewise constant, so it is not interpolated across a step's edge).
    """
    recording = check_recording(recording)
    dt = check_dt(dt)
    n_steps = recording.sweep_duration / dt
    if n_steps < 2:
        raise ValueError(
            f"dt ({dt:g} ms) must be at most half a sweep ({recording.sweep_duration:g} ms) "
            "so that the model's grid has at least two points."
        )
    check_size(
        f"Resampling {recording.n_sweeps} sweeps of {recording.sweep_duration:g} ms at "
        f"dt = {dt:g} ms", recording.n_sweeps * n_steps, advice="Use a larger dt."
    )
    grid = np.arange(int(np.floor(n_steps + 1e-9))) * dt
    voltage = np.array([np.interp(grid, s.time, s.voltage) for s in recording.sweeps])
    command = np.array([command_at(s, grid, recording.dt) for s in recording.sweeps])
    return grid, voltage, command


def sweep_detections(recording: Recording):
    """:func:`course_utils.analysis.detect_spikes` of each whole sweep."""
    from ..analysis import detect_spikes

    return [detect_spikes(s.time, s.voltage) for s in recording.sweeps]


def excluded_sweeps(recording: Recording, detections=None) -> set:
    """Sweeps whose test step goes into depolarisation block or has failed spikes."""
    excluded = set()
    for sweep, step, found in zip(
        recording.sweeps,
        recording.test_steps(),
        detections or sweep_detections(recording),
        strict=True,
    ):
        failed = step.contains(found.failed_times).any()
        blocked = any(a < step.stop and b > step.start for a, b in found.block)
        if failed or blocked:
            excluded.add(sweep.index)
    return excluded

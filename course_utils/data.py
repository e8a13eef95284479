"""Loading current-clamp recordings (Axon ABF files) into plain arrays.

Units: time in ms, voltage in mV, current in pA, sampling rate in Hz (see
:mod:`course_utils`). Files are read with `pyABF <https://pypi.org/project/pyabf/>`_;
this module only checks them and turns them into small dataclasses.

A current-clamp protocol injects a sequence of current *steps* into the cell
and records its membrane potential. Where the steps come from:

1. the file's **epoch table** (the stimulus the amplifier was told to play,
   which pyABF exposes as ``abf.sweepEpochs`` / ``abf.sweepC``); or
2. if the file has no epoch table but **records the injected current on a
   second channel** (units pA or nA), the steps are found in that channel as
   segments of constant current.

Every step is a :class:`StepWindow` ``(start, stop, amplitude)``: a half-open
time interval ``[start, stop)`` in ms and the injected current in pA relative
to the holding current. All sweeps of a recording carry the same list of
steps (a step whose current is 0 pA in some sweep is kept, with amplitude 0),
so the k-th step means the same epoch in every sweep.

Two steps matter for analysis: the **test step** (the first step whose
amplitude changes from sweep to sweep: the f-I series) and the
**hyperpolarising step** (a negative step, used for input resistance, time
constant and sag). Many protocols, like the course's example recording,
play the test step twice or add a fixed hyperpolarising step, so counting
spikes over a whole sweep counts the wrong thing: always count inside a
window (see :mod:`course_utils.analysis`).
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from ._validation import as_array, as_float, as_int, check_dt
from .parameters import validate

EXAMPLE_RECORDING = "171116sh_0018.abf"
"""File name of the course's example recording (in the repository's data/)."""

_VOLTAGE_UNITS = {"mV": 1.0, "V": 1000.0, "uV": 1e-3, "µV": 1e-3}
_CURRENT_UNITS = {"pA": 1.0, "nA": 1000.0, "fA": 1e-3, "uA": 1e6, "µA": 1e6}
_ABF_SIGNATURES = (b"ABF ", b"ABF2")


class RecordingError(ValueError):
    """A file cannot be used as a current-clamp recording.

    The message names the file and says what is wrong with it.
    """


@dataclass(frozen=True)
class StepWindow:
    """One current step of a protocol.

    Attributes
    ----------
    start, stop : float
        The step is on during ``[start, stop)``, in ms from the start of
        the sweep.
    amplitude : float
        Injected current during the step in pA, relative to the holding
        current (positive = depolarising). May be 0 in some sweeps.
    label : str
        Name of the epoch: the epoch letter of the file's epoch table
        (``"B"``) or ``"step 1"``, ``"step 2"``... for steps found in a
        command channel.
    """

    start: float
    stop: float
    amplitude: float
    label: str = ""

    def __post_init__(self):
        start = as_float("start", self.start, unit="ms")
        stop = as_float("stop", self.stop, unit="ms")
        as_float("amplitude", self.amplitude, unit="pA")
        if not isinstance(self.label, str):
            raise TypeError(f"label must be a str, but got {self.label!r}.")
        if stop <= start:
            raise ValueError(f"stop ({stop:g} ms) must be later than start ({start:g} ms).")

    @property
    def duration(self) -> float:
        """Length of the step in ms."""
        return self.stop - self.start

    def contains(self, times) -> np.ndarray:
        """Boolean mask: which of ``times`` (ms) lie in ``[start, stop)``."""
        times = np.asarray(times, dtype=float)
        return (times >= self.start) & (times < self.stop)


@dataclass
class Sweep:
    """One sweep of a current-clamp recording.

    Attributes
    ----------
    index : int
        Sweep number, starting at 0.
    time : numpy.ndarray
        Sample times in ms, starting at 0.
    voltage : numpy.ndarray
        Membrane potential in mV.
    command : numpy.ndarray
        Injected current in pA (holding current included).
    steps : tuple of StepWindow
        The protocol's current steps in this sweep, in time order.
    holding_current : float
        Current injected outside the steps, in pA.
    """

    index: int
    time: np.ndarray
    voltage: np.ndarray
    command: np.ndarray
    steps: tuple[StepWindow, ...] = ()
    holding_current: float = 0.0

    def __post_init__(self):
        as_int("index", self.index, minimum=0)
        time = as_array("time", self.time, unit="ms", ndim=1)
        if time.size < 2:
            raise ValueError(f"time must have at least 2 samples, but has {time.size}.")
        for name, unit in (("voltage", "mV"), ("command", "pA")):
            values = as_array(name, getattr(self, name), unit=unit, ndim=1)
            if values.shape != time.shape:
                raise ValueError(
                    f"{name} has {values.size} samples but time has {time.size}: "
                    "give one value per sample."
                )
        if not isinstance(self.steps, (tuple, list)) or not all(
            isinstance(step, StepWindow) for step in self.steps
        ):
            raise TypeError(f"steps must be a tuple of StepWindow, but got {self.steps!r}.")
        as_float("holding_current", self.holding_current, unit="pA")

    @property
    def dt(self) -> float:
        """Sampling interval in ms."""
        return float(self.time[1] - self.time[0]) if self.time.size > 1 else float("nan")

    @property
    def duration(self) -> float:
        """Length of the sweep in ms (number of samples times dt)."""
        return self.time.size * self.dt

    def step(self, label: str) -> StepWindow:
        """The step called ``label`` (e.g. ``"B"``)."""
        for step in self.steps:
            if step.label == label:
                return step
        labels = ", ".join(repr(s.label) for s in self.steps) or "none"
        raise ValueError(f"Sweep {self.index} has no step labelled {label!r}; its steps: {labels}.")


@dataclass
class Recording:
    """A current-clamp recording: sweeps plus what the file says about them.

    Attributes
    ----------
    file_name : str
        Name of the file the recording was loaded from.
    sampling_rate : float
        Samples per second per channel, in Hz.
    dt : float
        Sampling interval in ms (``1000 / sampling_rate``).
    protocol : str
        Name of the acquisition protocol (``"None"`` if the file has none).
    clamp_mode : str
        ``"current clamp"`` (the only mode :func:`load_recording` accepts).
    stimulus_source : str
        Where the steps come from: ``"epoch table"``, ``"command channel"``,
        ``"arrays"`` or ``"none"`` (no information about the stimulus).
    sweeps : list of Sweep
        The sweeps, in recording order.
    path : str
        Full path of the file (empty for recordings built from arrays).
    """

    file_name: str
    sampling_rate: float
    dt: float
    protocol: str
    clamp_mode: str
    stimulus_source: str
    sweeps: list[Sweep] = field(default_factory=list)
    path: str = ""

    def __post_init__(self):
        for name in ("file_name", "protocol", "clamp_mode", "stimulus_source", "path"):
            if not isinstance(getattr(self, name), str):
                raise TypeError(f"{name} must be a str, but got {getattr(self, name)!r}.")
        as_float("sampling_rate", self.sampling_rate, unit="Hz", positive=True)
        check_dt(self.dt)
        if not isinstance(self.sweeps, list) or not all(
            isinstance(sweep, Sweep) for sweep in self.sweeps
        ):
            raise TypeError(
                f"sweeps must be a list of Sweep, but got {type(self.sweeps).__name__}."
            )

    @property
    def n_sweeps(self) -> int:
        """Number of sweeps."""
        return len(self.sweeps)

    @property
    def sweep_duration(self) -> float:
        """Length of one sweep in ms."""
        return self.sweeps[0].duration if self.sweeps else 0.0

    def __repr__(self) -> str:
        return (
            f"Recording({self.file_name!r}: {self.n_sweeps} sweeps x "
            f"{self.sweep_duration:g} ms at {self.sampling_rate / 1000:g} kHz, "
            f"{self.clamp_mode}, protocol {self.protocol!r}, "
            f"steps from {self.stimulus_source})"
        )

    def _require_steps(self, what: str) -> None:
        counts = {len(sweep.steps) for sweep in self.sweeps}
        if len(counts) > 1:
            raise RecordingError(
                f"{self.file_name}: the sweeps have different numbers of steps "
                f"({sorted(counts)}), so the k-th step is not the same epoch in every "
                "sweep. Give every sweep the same list of steps (amplitude 0 where a "
                "step is off)."
            )
        if not any(sweep.steps for sweep in self.sweeps):
            if self.stimulus_source in ("command channel", "arrays"):
                reason = (
                    "the injected current never changes (a gap-free recording, or "
                    "spontaneous activity at a constant current): there are no current "
                    "steps to measure responses to. Use a step protocol."
                )
            else:
                reason = (
                    "the file has no stimulus information (no epoch table and no "
                    "recorded current channel). Build the recording with "
                    "recording_from_arrays(..., command=...) or pass the step windows "
                    "yourself."
                )
            raise RecordingError(f"{self.file_name}: cannot find {what}: {reason}")

    def test_steps(self) -> list[StepWindow]:
        """The test step of every sweep (one StepWindow per sweep).

        The test step is the first step whose amplitude changes from sweep
        to sweep (the f-I series). In a one-sweep recording, or if no step
        changes, it is the first step.
        """
        self._require_steps("the test step")
        n_steps = len(self.sweeps[0].steps)
        for k in range(n_steps):
            amplitudes = [sweep.steps[k].amplitude for sweep in self.sweeps]
            if np.ptp(amplitudes) > 0:
                return [sweep.steps[k] for sweep in self.sweeps]
        return [sweep.steps[0] for sweep in self.sweeps]

    def hyperpolarising_steps(self) -> list[StepWindow | None]:
        """The hyperpolarising step of every sweep (None where there is none).

        Preferably a step that is negative in every sweep (a fixed test
        pulse, e.g. epoch D of the example recording); otherwise, sweep by
        sweep, the first step with a negative amplitude.
        """
        self._require_steps("a hyperpolarising step")
        n_steps = len(self.sweeps[0].steps)
        for k in range(n_steps):
            if all(sweep.steps[k].amplitude < 0 for sweep in self.sweeps):
                return [sweep.steps[k] for sweep in self.sweeps]
        chosen: list[StepWindow | None] = []
        for sweep in self.sweeps:
            negative = [s for s in sweep.steps if s.amplitude < 0]
            chosen.append(negative[0] if negative else None)
        return chosen

    def select(self, indices) -> Recording:
        """A recording with only the sweeps at positions ``indices``.

        Sweeps keep their original ``index``, so results can be traced back.
        """
        positions = [as_int("indices[...]", i, minimum=0) for i in np.atleast_1d(indices)]
        for position in positions:
            if position >= self.n_sweeps:
                raise ValueError(
                    f"indices contains {position}, but the recording has only "
                    f"{self.n_sweeps} sweeps (0 to {self.n_sweeps - 1})."
                )
        return replace(self, sweeps=[self.sweeps[p] for p in positions])


# --------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------


def example_recording_path() -> Path:
    """Path of the course's example recording, ``data/171116sh_0018.abf``.

    Looks in the repository's ``data/`` folder (next to ``course_utils``)
    and in the current working directory's ``data/``.
    """
    candidates = [
        Path(__file__).resolve().parent.parent / "data" / EXAMPLE_RECORDING,
        Path.cwd() / "data" / EXAMPLE_RECORDING,
        Path.cwd().parent / "data" / EXAMPLE_RECORDING,
    ]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    searched = "\n  ".join(str(c) for c in candidates)
    raise FileNotFoundError(
        f"Cannot find the example recording {EXAMPLE_RECORDING}. Looked in:\n  {searched}"
    )


def _describe_non_abf(head: bytes) -> str:
    if not head:
        return "it is empty (0 bytes)"
    if head.startswith(b"\x89PNG"):
        return "it is a PNG image"
    if head.startswith(b"\xff\xd8\xff"):
        return "it is a JPEG image"
    if head.startswith(b"%PDF"):
        return "it is a PDF document"
    if head.startswith(b"PK\x03\x04"):
        return "it is a ZIP archive"
    if head.startswith(b"ATF"):
        return "it is an Axon Text File (ATF), not a binary ABF"
    try:
        text = head[:40].decode("utf-8")
    except UnicodeDecodeError:
        return f"it starts with the bytes {head[:4]!r} instead of 'ABF ' or 'ABF2'"
    first_line = text.splitlines()[0] if text.splitlines() else text
    return f"it looks like a text file (it starts with {first_line!r})"


def _check_path(path) -> Path:
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(
            f"path must be a file name (str or pathlib.Path), but got "
            f"{type(path).__name__}: {path!r}."
        )
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(
            f"No file {str(path)!r} (looked relative to {os.getcwd()!r}). "
            "Check the spelling and the folder."
        )
    if path.is_dir():
        raise RecordingError(f"{path}: is a folder, not an ABF file.")
    with open(path, "rb") as handle:
        head = handle.read(64)
    if head[:4] not in _ABF_SIGNATURES:
        raise RecordingError(
            f"{path.name}: is not an Axon Binary File (ABF): {_describe_non_abf(head)}."
        )
    return path


def _open_abf(path: Path):
    import pyabf  # imported here: no work at import time

    try:
        abf = pyabf.ABF(str(path), loadData=False)
    except Exception as error:  # any failure inside pyabf means a damaged header
        raise RecordingError(
            f"{path.name}: pyABF cannot read the file header; the file is damaged "
            f"or truncated ({type(error).__name__}: {error})."
        ) from None
    size = path.stat().st_size
    expected = abf.dataByteStart + abf.dataPointCount * abf.dataPointByteSize
    if size < expected:
        raise RecordingError(
            f"{path.name}: the file is truncated: its header announces "
            f"{abf.dataPointCount} samples ({expected} bytes in all) but the file "
            f"has only {size} bytes. Copy the file again from its source."
        )
    if abf.sweepCount < 1 or abf.sweepPointCount < 2:
        raise RecordingError(f"{path.name}: the file holds no data.")
    try:
        # pyABF's public API: the first setSweep reads and scales the data section
        abf.setSweep(0)
    except Exception as error:
        raise RecordingError(
            f"{path.name}: pyABF cannot read the data section ({type(error).__name__}: {error})."
        ) from None
    return abf


def _clean_unit(unit) -> str:
    if isinstance(unit, bytes):
        unit = unit.decode("latin-1", errors="ignore")
    return str(unit or "").strip().replace("\x00", "")


def _classify_channels(abf, name: str) -> tuple[int, int | None]:
    """Index of the voltage channel and of a current channel (or None)."""
    units = [_clean_unit(u) for u in abf.adcUnits]
    voltage_channels = [i for i, u in enumerate(units) if u in _VOLTAGE_UNITS]
    current_channels = [i for i, u in enumerate(units) if u in _CURRENT_UNITS]
    dac_units = [_clean_unit(u) for u in abf.dacUnits]
    listing = ", ".join(f"channel {i}: {u or '?'}" for i, u in enumerate(units))
    if not voltage_channels:
        command_units = {u for u in dac_units[: len(units)] if u}
        if current_channels and command_units and command_units <= set(_CURRENT_UNITS):
            # the amplifier injected current (current clamp) but no channel is in mV
            raise RecordingError(
                f"{name}: no channel is labelled as a voltage ({listing}), yet the "
                f"command is a current ({', '.join(sorted(command_units))}), as in current "
                "clamp: the voltage channel's units are probably mislabelled in the file. "
                "If you know channel 0 holds the membrane potential in mV, load it with "
                "pyabf and pass the arrays to recording_from_arrays."
            )
        if current_channels:
            raise RecordingError(
                f"{name}: is a voltage-clamp recording (it records current: {listing}); "
                "this analysis needs a current-clamp recording, which records the "
                "membrane potential in mV."
            )
        raise RecordingError(
            f"{name}: no channel records a membrane potential (units {listing}); "
            "expected a channel in mV."
        )
    voltage_channel = voltage_channels[0]
    command_unit = dac_units[voltage_channel] if voltage_channel < len(dac_units) else ""
    if command_unit in _VOLTAGE_UNITS and current_channels:
        raise RecordingError(
            f"{name}: is a voltage-clamp recording (the command is in {command_unit} "
            f"and the file records current: {listing}); this analysis needs a "
            "current-clamp recording."
        )
    return voltage_channel, (current_channels[0] if current_channels else None)


def _played_epoch_table(abf, channel: int):
    """pyABF's epoch table of ``channel`` if it is sane and was played, else None."""
    import pyabf.waveform

    try:
        table = pyabf.waveform.EpochTable(abf, channel)
    except Exception:  # a damaged or absent table: fall back to the channels
        return None
    epochs = table.epochs
    waveforms = table.epochWaveformsBySweep
    if not epochs or any(len(w.levels) != len(epochs) + 2 for w in waveforms):
        return None
    # Files written by simple tools leave the table blank or fill it with
    # unrelated bytes: accept it only if every epoch fits inside the sweep.
    for waveform in waveforms:
        levels = np.asarray(waveform.levels, dtype=float)
        if (
            not np.isfinite(levels).all()
            or (np.abs(levels) > 1e6).any()
            or any(p2 < p1 for p1, p2 in zip(waveform.p1s, waveform.p2s, strict=True))
            or waveform.p2s[-2] > abf.sweepPointCount
        ):
            return None
    # pyABF lists the epochs of a disabled waveform too; sweepC tells whether
    # the amplifier actually played them.
    abf.setSweep(0, channel=channel)
    if np.allclose(abf.sweepC, table.holdingLevel):
        return None
    return table


def _epoch_table_steps(abf, channel: int) -> tuple[list[tuple[StepWindow, ...]], list[float]]:
    """Step windows per sweep from the epoch table ([] if it has none)."""
    dac_unit = _clean_unit(abf.dacUnits[channel]) if channel < len(abf.dacUnits) else ""
    if dac_unit and dac_unit not in _CURRENT_UNITS:
        return [], []
    scale = _CURRENT_UNITS.get(dac_unit, 1.0)
    table = _played_epoch_table(abf, channel)
    if table is None:
        return [], []
    epochs = table.epochs
    waveforms = table.epochWaveformsBySweep
    dt = 1000.0 / abf.dataRate
    per_sweep, holdings = [], []
    # an epoch is a step if it leaves the holding level in at least one sweep
    is_step = [False] * len(epochs)
    for waveform in waveforms:
        holding = float(waveform.levels[0])
        for k in range(len(epochs)):
            if waveform.types[k + 1] == "Step" and waveform.levels[k + 1] != holding:
                is_step[k] = True
        holdings.append(holding * scale)
    skipped = {
        epochs[k].epochLetter
        for k, w in enumerate(waveforms[0].types[1:-1])
        if w != "Step" and epochs[k].duration > 0
    }
    if skipped:
        warnings.warn(
            f"{abf.abfID}: epochs {sorted(skipped)} are not steps (ramps or trains) "
            "and are left out of the step windows.",
            stacklevel=3,
        )
    for waveform in waveforms:
        steps = []
        for k, epoch in enumerate(epochs):
            p1, p2 = waveform.p1s[k + 1], waveform.p2s[k + 1]
            if not is_step[k] or waveform.types[k + 1] != "Step" or p2 <= p1:
                continue
            amplitude = (float(waveform.levels[k + 1]) - float(waveform.levels[0])) * scale
            steps.append(StepWindow(p1 * dt, p2 * dt, amplitude, epoch.epochLetter))
        per_sweep.append(tuple(steps))
    return per_sweep, holdings


def _segment_boundaries(command: np.ndarray, tolerance: float, window: int) -> list[int]:
    """Sample indices where a piecewise-constant signal changes level.

    Compares the mean of the ``window`` samples after each index with the
    mean of the ``window`` samples before it; each run of indices where the
    two differ by more than ``tolerance`` is one edge, placed where the
    difference is largest (the middle of an edge smoothed by a filter).
    """
    n = command.size
    if n < 2 * window + 1:
        return [0, n]
    cumulative = np.concatenate([[0.0], np.cumsum(command)])
    index = np.arange(window, n - window + 1)
    before = (cumulative[index] - cumulative[index - window]) / window
    after = (cumulative[index + window] - cumulative[index]) / window
    difference = np.abs(after - before)
    above = difference > tolerance
    boundaries = [0]
    if above.any():
        edges = np.flatnonzero(np.diff(np.concatenate([[0], above.astype(int), [0]])))
        for run_start, run_stop in zip(edges[::2], edges[1::2], strict=True):
            boundaries.append(int(index[run_start + np.argmax(difference[run_start:run_stop])]))
    boundaries.append(n)
    return boundaries


def steps_from_command(command, dt, *, tolerance=None, min_duration=1.0):
    """Find current steps in recorded or simulated command currents.

    Parameters
    ----------
    command : array_like
        Injected current in pA, shape ``(n_samples,)`` for one sweep or
        ``(n_sweeps, n_samples)``.
    dt : float
        Sampling interval in ms.
    tolerance : float, optional
        Smallest change of current, in pA, that counts as a new level.
        Default: 0.5 pA, or 5 standard deviations of the noise of a
        difference of two ``min_duration`` means, whichever is larger.
    min_duration : float, optional
        Shortest segment in ms that counts as a level; level changes are
        found by comparing the mean current over ``min_duration`` before
        and after each sample, so an edge smoothed by the amplifier's
        filter is still one edge. Default 1 ms.

    Returns
    -------
    steps : list of tuple of StepWindow
        One tuple per sweep. Every sweep gets the same windows (the union of
        the level changes found in any sweep), labelled ``"step 1"``,
        ``"step 2"``...; a window is a step if its current differs from the
        holding current in at least one sweep.
    holding : list of float
        Holding current of each sweep in pA: the median current over the
        first 1/64 of the sweep (where acquisition software holds).
    """
    command = as_array("command", command, unit="pA", ndim=(1, 2), allow_empty=False)
    command = np.atleast_2d(command)
    dt = validate("dt", check_dt(dt))
    min_duration = as_float("min_duration", min_duration, unit="ms", positive=True)
    window = max(1, int(round(min_duration / dt)))
    if tolerance is None:
        tolerance = _default_tolerance(command, window)
    tolerance = as_float("tolerance", tolerance, unit="pA", positive=True)
    n_samples = command.shape[1]
    head = max(1, n_samples // 64)
    holding = [float(np.median(row[:head])) for row in command]
    bounds = _level_changes(command, holding, tolerance, window)
    levels = _segment_levels(command, holding, bounds)
    segments = list(zip(bounds[:-1], bounds[1:], strict=True))
    is_step = (np.abs(levels) > tolerance).any(axis=0)
    per_sweep = []
    for row_levels in levels:
        steps = []
        number = 0
        for (a, b), level, step_here in zip(segments, row_levels, is_step, strict=True):
            if step_here:
                number += 1
                amplitude = 0.0 if abs(level) <= tolerance else float(level)
                steps.append(StepWindow(a * dt, b * dt, amplitude, f"step {number}"))
        per_sweep.append(tuple(steps))
    return per_sweep, holding


def _default_tolerance(command: np.ndarray, window: int) -> float:
    """0.5 pA, or 5 SDs of the noise of a difference of two ``window``-sample means.

    The sample noise comes from the sample-to-sample differences (robust to
    the few edges).
    """
    noise = 0.0
    if command.shape[1] > 2:
        noise = np.median(np.abs(np.diff(command, axis=1))) / (0.6745 * np.sqrt(2))
    return max(0.5, 5.0 * float(noise) * np.sqrt(2.0 / window))


def _segment_levels(command: np.ndarray, holding, bounds) -> np.ndarray:
    """Median current (pA) of each segment ``bounds[j]:bounds[j + 1]`` of each
    sweep, relative to its holding current: (n_sweeps, n_segments)."""
    return np.array(
        [
            [np.median(row[a:b]) - h for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
            for row, h in zip(command, holding, strict=True)
        ]
    )


def _level_changes(command: np.ndarray, holding, tolerance: float, window: int) -> list[int]:
    """Sample indices ``[0, ..., n_samples]`` where the level changes in some sweep.

    The union over sweeps of :func:`_segment_boundaries`; boundaries closer
    than ``window`` samples are one edge, and a boundary that changes the
    level in no sweep (noise) is dropped.
    """
    n_samples = command.shape[1]
    found = sorted({b for row in command for b in _segment_boundaries(row, tolerance, window)})
    # boundaries within a few samples of each other are the same edge
    merged: list[int] = []
    for b in found:
        if merged and b - merged[-1] < window and b != n_samples:
            continue
        merged.append(b)
    if merged[-1] != n_samples:
        merged.append(n_samples)
    levels = _segment_levels(command, holding, merged)
    return (
        [0]
        + [
            merged[j]
            for j in range(1, len(merged) - 1)
            if (np.abs(levels[:, j] - levels[:, j - 1]) > tolerance).any()
        ]
        + [n_samples]
    )


def load_recording(path) -> Recording:
    """Load a current-clamp recording from an ABF file.

    Parameters
    ----------
    path : str or pathlib.Path
        The ``.abf`` file (ABF1 or ABF2).

    Returns
    -------
    Recording
        Sweeps with time (ms), voltage (mV), command current (pA) and step
        windows. See the module docstring for where the steps come from.

    Raises
    ------
    FileNotFoundError
        If there is no such file.
    RecordingError
        If the file is not an ABF file, is truncated or damaged, holds no
        membrane potential, or is a voltage-clamp recording. The message
        names the file and the problem.
    """
    path = _check_path(path)
    name = path.name
    abf = _open_abf(path)
    voltage_channel, current_channel = _classify_channels(abf, name)
    voltage_scale = _VOLTAGE_UNITS[_clean_unit(abf.adcUnits[voltage_channel])]
    dt = 1000.0 / abf.dataRate
    n_samples = abf.sweepPointCount
    # sample k is at k * dt ms, computed exactly as the step windows' edges are
    time = np.arange(n_samples) * dt

    voltages, commands = [], []
    for s in range(abf.sweepCount):
        abf.setSweep(s, channel=voltage_channel)
        voltages.append(np.asarray(abf.sweepY, dtype=float) * voltage_scale)
        if current_channel is not None:
            abf.setSweep(s, channel=current_channel)
            unit = _clean_unit(abf.adcUnits[current_channel])
            commands.append(np.asarray(abf.sweepY, dtype=float) * _CURRENT_UNITS[unit])

    steps, holdings = _epoch_table_steps(abf, voltage_channel)
    if steps:
        source = "epoch table"
        commands = []
        dac_unit = _clean_unit(abf.dacUnits[voltage_channel]) or "pA"
        for s in range(abf.sweepCount):
            abf.setSweep(s, channel=voltage_channel)
            commands.append(np.asarray(abf.sweepC, dtype=float) * _CURRENT_UNITS[dac_unit])
    elif current_channel is not None:
        source = "command channel"
        steps, holdings = steps_from_command(np.array(commands), dt)
    else:
        source = "none"
        steps = [()] * abf.sweepCount
        holdings = [0.0] * abf.sweepCount
        commands = [np.zeros(n_samples) for _ in range(abf.sweepCount)]

    sweeps = [
        Sweep(
            index=s,
            time=time.copy(),
            voltage=voltages[s],
            command=commands[s],
            steps=steps[s],
            holding_current=holdings[s],
        )
        for s in range(abf.sweepCount)
    ]
    return Recording(
        file_name=name,
        sampling_rate=float(abf.dataRate),
        dt=dt,
        protocol=str(abf.protocol),
        clamp_mode="current clamp",
        stimulus_source=source,
        sweeps=sweeps,
        path=str(path.resolve()),
    )


def _steps_per_sweep(steps, n_sweeps: int) -> list[tuple[StepWindow, ...]]:
    """``steps`` of :func:`recording_from_arrays` as one tuple of StepWindow per sweep."""
    if not isinstance(steps, (list, tuple)):
        raise TypeError(
            "steps must be a list of StepWindow (one list for all sweeps, or one per "
            f"sweep), but got {type(steps).__name__}."
        )
    steps = list(steps)
    if steps and isinstance(steps[0], StepWindow):
        per_sweep = [tuple(steps)] * n_sweeps
    else:
        per_sweep = [tuple(s) for s in steps]
    if len(per_sweep) != n_sweeps:
        raise ValueError(
            f"steps has {len(per_sweep)} entries for {n_sweeps} sweeps: give one "
            "list of StepWindow for all sweeps or one per sweep."
        )
    for sweep_steps in per_sweep:
        for step in sweep_steps:
            if not isinstance(step, StepWindow):
                raise TypeError(f"steps must hold StepWindow objects, got {step!r}.")
    return per_sweep


def _command_of_steps(per_sweep, n_samples: int, dt: float) -> np.ndarray:
    """The command (pA) the steps make, 0 pA outside them: (n_sweeps, n_samples)."""
    time = np.arange(n_samples) * dt
    command = np.zeros((len(per_sweep), n_samples))
    for row, sweep_steps in zip(command, per_sweep, strict=True):
        for step in sweep_steps:
            row[step.contains(time)] += step.amplitude
    return command


def recording_from_arrays(
    voltage, dt, *, command=None, steps=None, name="simulated", protocol="None"
) -> Recording:
    """Build a :class:`Recording` from arrays (e.g. a simulation).

    Parameters
    ----------
    voltage : array_like
        Membrane potential in mV, shape ``(n_samples,)`` or
        ``(n_sweeps, n_samples)``.
    dt : float
        Sampling interval in ms.
    command : array_like, optional
        Injected current in pA, same shape as ``voltage``; the steps are
        found in it with :func:`steps_from_command`.
    steps : sequence of StepWindow, optional
        The steps, if known: one sequence used for every sweep, or one
        sequence per sweep. Give ``command`` or ``steps`` (or neither, for a
        recording without stimulus information).
    name : str, optional
        Name shown in messages.
    protocol : str, optional
        Protocol name.

    Returns
    -------
    Recording
    """
    voltage = np.atleast_2d(as_array("voltage", voltage, unit="mV", ndim=(1, 2), allow_empty=False))
    dt = validate("dt", check_dt(dt))
    n_sweeps, n_samples = voltage.shape
    if n_samples < 2:
        raise ValueError("voltage must have at least 2 samples per sweep.")
    holdings = [0.0] * n_sweeps
    if command is not None:
        command = np.atleast_2d(as_array("command", command, unit="pA", ndim=(1, 2)))
        if command.shape != voltage.shape:
            raise ValueError(
                f"command has shape {command.shape} but voltage has shape "
                f"{voltage.shape}: give one current sample per voltage sample."
            )
    if steps is not None:
        per_sweep = _steps_per_sweep(steps, n_sweeps)
        source = "arrays"
        if command is None:
            command = _command_of_steps(per_sweep, n_samples, dt)
    elif command is not None:
        per_sweep, holdings = steps_from_command(command, dt)
        source = "arrays"
    else:
        per_sweep = [()] * n_sweeps
        command = np.zeros_like(voltage)
        source = "none"
    time = np.arange(n_samples) * dt
    sweeps = [
        Sweep(s, time.copy(), voltage[s].copy(), command[s].copy(), per_sweep[s], holdings[s])
        for s in range(n_sweeps)
    ]
    return Recording(
        file_name=str(name),
        sampling_rate=1000.0 / dt,
        dt=dt,
        protocol=str(protocol),
        clamp_mode="current clamp",
        stimulus_source=source,
        sweeps=sweeps,
    )


__all__ = [
    "EXAMPLE_RECORDING",
    "Recording",
    "RecordingError",
    "StepWindow",
    "Sweep",
    "example_recording_path",
    "load_recording",
    "recording_from_arrays",
    "steps_from_command",
]

"""Spikes of a recorded trace as a patch-clamper accepts them: candidates,
spike threshold, amplitude and half-width, failed spikes and depolarisation
block. Units: ms, mV, mV/ms.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validation import as_float, check_window
from ._traces import check_trace, crossing_indices, interpolate_crossing, running_mean

_NAN = float("nan")


DEFAULT_DVDT_THRESHOLD = 20.0
"""dV/dt (mV/ms) whose crossing marks the spike threshold."""


DETECTION_THRESHOLD = -20.0
"""Minimum peak (mV) of a recorded spike, whose crossing times it (eFEL's default)."""


DEFAULT_MIN_AMPLITUDE = 20.0
"""Smallest peak - spike-threshold amplitude (mV) of an accepted spike."""


DEFAULT_BLOCK_DURATION = 50.0
"""ms without a spike, above the last spike's threshold, that count as depolarisation block."""


FAILED_PROMINENCE = 5.0
"""Prominence (mV) of a bump inside a block that counts as one failed spike."""


@dataclass(frozen=True)
class SpikeShapes:
    """Shape of every spike in a trace (arrays, one value per spike).

    Attributes
    ----------
    times : numpy.ndarray
        Detection times in ms: the upward crossing of the detection
        threshold, linearly interpolated.
    peak_times, peak_voltages : numpy.ndarray
        Time (ms) and voltage (mV) of each peak (the highest sample).
    threshold_times, threshold_voltages : numpy.ndarray
        Spike threshold: where dV/dt last crosses ``dvdt_threshold`` before
        the steepest point of the upstroke (ms, mV). NaN if dV/dt never
        drops below it.
    amplitudes : numpy.ndarray
        ``peak_voltages - threshold_voltages`` in mV.
    half_widths : numpy.ndarray
        Width at half amplitude in ms.
    dvdt_threshold : float
        The dV/dt criterion used, in mV/ms.
    """

    times: np.ndarray
    peak_times: np.ndarray
    peak_voltages: np.ndarray
    threshold_times: np.ndarray
    threshold_voltages: np.ndarray
    amplitudes: np.ndarray
    half_widths: np.ndarray
    dvdt_threshold: float

    def __len__(self) -> int:
        return int(self.times.size)


@dataclass(frozen=True)
class SpikeDetection:
    """Accepted spikes, failed spikes and depolarisation block in a trace.

    Attributes
    ----------
    shapes : SpikeShapes
        The accepted spikes (their times are ``shapes.times``, ms).
    failed_times, failed_peaks : numpy.ndarray
        Peak time (ms) and peak voltage (mV) of every failed spike: a
        candidate that reached the detection threshold but missed the
        amplitude criterion, or a bump of at least
        :data:`FAILED_PROMINENCE` mV during a depolarisation block. They are
        not counted as spikes.
    block : tuple of (float, float)
        Intervals (ms) in which the membrane stayed above a spike's
        threshold for longer than ``block_duration`` after its peak:
        depolarisation block.
    criteria : dict
        The criteria used (mV, mV/ms, ms), for reports.
    """

    shapes: SpikeShapes
    failed_times: np.ndarray
    failed_peaks: np.ndarray
    block: tuple
    criteria: dict

    @property
    def times(self) -> np.ndarray:
        """Detection times of the accepted spikes, ms."""
        return self.shapes.times

    def __len__(self) -> int:
        return len(self.shapes)

    @property
    def blocked_duration(self) -> float:
        """Total time spent in depolarisation block, ms."""
        return float(sum(stop - start for start, stop in self.block))

    def within(self, start: float, stop: float) -> SpikeDetection:
        """The same detection restricted to ``[start, stop)`` (ms)."""
        s = self.shapes
        keep = (s.times >= start) & (s.times < stop)
        shapes = SpikeShapes(
            s.times[keep],
            s.peak_times[keep],
            s.peak_voltages[keep],
            s.threshold_times[keep],
            s.threshold_voltages[keep],
            s.amplitudes[keep],
            s.half_widths[keep],
            s.dvdt_threshold,
        )
        failed = (self.failed_times >= start) & (self.failed_times < stop)
        block = tuple(
            (max(a, start), min(b, stop)) for a, b in self.block if a < stop and b > start
        )
        return SpikeDetection(
            shapes, self.failed_times[failed], self.failed_peaks[failed], block, self.criteria
        )

    def describe(self) -> str:
        """One line: spikes counted, failed spikes and block, in words."""
        text = f"{len(self)} spike{'s' if len(self) != 1 else ''}"
        if self.block:
            spans = ", ".join(f"{a:.0f}-{b:.0f} ms" for a, b in self.block)
            text += f"; depolarisation block at {spans}"
        if self.failed_times.size:
            text += (
                f"; {self.failed_times.size} failed spike(s) (peaks of "
                f"{self.failed_peaks.min():.0f} to {self.failed_peaks.max():.0f} mV) not counted"
            )
        return text


def _candidates(dvdt: np.ndarray, criterion: float):
    """(start, peak_end) index pairs: dV/dt rises through ``criterion``, then turns negative.

    The detector re-arms only once dV/dt has fallen below 0 (the peak):
    this hysteresis keeps a noisy upstroke from making two candidates.
    """
    ups = np.flatnonzero((dvdt[:-1] < criterion) & (dvdt[1:] >= criterion)) + 1
    falling = np.flatnonzero(dvdt < 0)
    events, end = [], 0
    for up in ups:
        if up < end:
            continue
        k = np.searchsorted(falling, up)
        end = int(falling[k]) if k < falling.size else dvdt.size - 1
        events.append((int(up), end))
    return events


def _spike_threshold(time, voltage, dvdt, start, peak, criterion):
    """(index before the crossing, time, voltage) of the spike threshold, or NaNs."""
    steepest = start + int(np.argmax(dvdt[start : peak + 1]))
    slow = np.flatnonzero(dvdt[start:steepest] < criterion)
    if not slow.size:
        return -1, _NAN, _NAN
    j = start + int(slow[-1])
    onset_time = interpolate_crossing(time, dvdt, j + 1, criterion)
    fraction = (onset_time - time[j]) / (time[j + 1] - time[j])
    return j, onset_time, float(voltage[j] + fraction * (voltage[j + 1] - voltage[j]))


def _half_width(time, voltage, j, peak, onset_voltage):
    """Width (ms) at half the amplitude above ``onset_voltage``; NaN if not found."""
    if not np.isfinite(onset_voltage) or j < 0:
        return _NAN
    level = (onset_voltage + voltage[peak]) / 2
    rising = np.flatnonzero(voltage[j + 1 : peak + 1] < level)
    falling = np.flatnonzero(voltage[peak:] < level)
    if not falling.size:
        return _NAN
    r = j + 1 + (int(rising[-1]) if rising.size else -1)
    f = peak + int(falling[0])
    return interpolate_crossing(time, voltage, f, level) - interpolate_crossing(
        time, voltage, r + 1, level
    )


def _voltage_events(voltage: np.ndarray, threshold: float, rearm_level: float):
    """(start, end) indices of upward crossings of ``threshold``, with hysteresis.

    An event ends at the first later sample below ``rearm_level``; crossings
    before that belong to the same event, so noise around the threshold
    never makes two.
    """
    ups = crossing_indices(voltage, threshold)
    rearm = np.flatnonzero(voltage < rearm_level)
    events, end = [], 0
    for up in ups:
        if up < end:
            continue
        k = np.searchsorted(rearm, up)
        end = int(rearm[k]) if k < rearm.size else voltage.size
        events.append((int(up), end))
    return events


def _accepted_spikes(time, voltage, dvdt, threshold, dvdt_threshold, min_amplitude):
    """Rows (detection, peak time, peak V, threshold time, threshold V, amplitude,
    half-width, peak index) of the candidates that pass the criteria."""
    rows, previous_end, previous_peak = [], 0, -1
    for up, end in _candidates(dvdt, dvdt_threshold):
        peak = up + int(np.argmax(voltage[up : end + 1]))
        j, onset_time, onset_voltage = _spike_threshold(
            time, voltage, dvdt, previous_end, peak, dvdt_threshold
        )
        previous_end = end
        amplitude = float(voltage[peak]) - onset_voltage
        if voltage[peak] < threshold or not amplitude >= min_amplitude:
            continue
        below = np.flatnonzero(voltage[: peak + 1] < threshold)
        if below.size and below[-1] > previous_peak:
            detection = interpolate_crossing(time, voltage, int(below[-1]) + 1, threshold)
        else:
            # the voltage stayed above threshold since the last spike (a shallow
            # trough at a high rate): time this spike at its own threshold
            detection = onset_time if np.isfinite(onset_time) else float(time[peak])
        previous_peak = peak
        half = _half_width(time, voltage, j, peak, onset_voltage)
        rows.append(
            (detection, time[peak], voltage[peak], onset_time, onset_voltage, amplitude, half, peak)
        )
    return rows


def _block_intervals(time, voltage, rows, block_duration):
    """(start, stop) ms after each spike while V (5 ms running mean) stays above
    that spike's threshold, with no next spike, for longer than ``block_duration``."""
    block = []
    dt = float(np.median(np.diff(time))) if time.size > 1 else 1.0
    # a 5 ms running mean: the brief dips between failed spikes do not end a block
    smooth = running_mean(voltage, max(1, int(round(5.0 / dt))))
    for k, row in enumerate(rows):
        peak, onset_voltage = int(row[7]), row[4]
        next_time = rows[k + 1][3] if k + 1 < len(rows) else np.inf
        below = np.flatnonzero(smooth[peak:] < onset_voltage) if np.isfinite(onset_voltage) else []
        down_time = float(time[peak + int(below[0])]) if len(below) else float(time[-1])
        stop = min(down_time, next_time) if np.isfinite(next_time) else down_time
        if stop - row[1] > block_duration and down_time <= next_time:
            block.append((float(row[1]), down_time))
    return block


def _failed_spikes(time, voltage, threshold, peaks, block) -> np.ndarray:
    """(peak time ms, peak mV) rows of the failed spikes, sorted: upward crossings
    of ``threshold`` (re-armed :data:`FAILED_PROMINENCE` below it) holding none
    of the accepted ``peaks`` (indices), and bumps of that prominence in a block."""
    from scipy.signal import find_peaks

    failed = []
    for up, end in _voltage_events(voltage, threshold, threshold - FAILED_PROMINENCE):
        if not ((peaks >= up) & (peaks <= end)).any():
            top = up + int(np.argmax(voltage[up:end]))
            failed.append((float(time[top]), float(voltage[top])))
    for start, stop in block:
        a, b = int(np.searchsorted(time, start)) + 1, int(np.searchsorted(time, stop))
        bumps, _ = find_peaks(voltage[a:b], prominence=FAILED_PROMINENCE)
        failed.extend((float(time[a + k]), float(voltage[a + k])) for k in bumps)
    return np.array(sorted(set(failed)), dtype=float).reshape(-1, 2)


def detect_spikes(
    time,
    voltage,
    *,
    threshold=DETECTION_THRESHOLD,
    dvdt_threshold=DEFAULT_DVDT_THRESHOLD,
    min_amplitude=DEFAULT_MIN_AMPLITUDE,
    block_duration=DEFAULT_BLOCK_DURATION,
    window=None,
) -> SpikeDetection:
    """Action potentials of a recorded trace, by the criteria of a patch-clamper.

    1. **Candidate**: dV/dt rises through ``dvdt_threshold``; its peak is
       the highest sample before dV/dt turns negative. The detector
       re-arms only after that (hysteresis), so a noisy upstroke makes one
       candidate.
    2. **Accepted spike**: the peak reaches ``threshold`` (a minimum peak
       voltage, like eFEL's ``Threshold``) and the amplitude, peak minus
       spike threshold (where dV/dt crossed the criterion), is at least
       ``min_amplitude``. Its time is the upward crossing of ``threshold``,
       linearly interpolated (or, if the voltage has not fallen below
       ``threshold`` since the last spike, the time of its spike threshold).
    3. **Depolarisation block**: after a spike the voltage (its 5 ms
       running mean) stays above that spike's threshold, with no further
       spike, for longer than ``block_duration``.
    4. **Failed spikes**, reported and never counted: every upward crossing
       of ``threshold`` (re-armed 5 mV below it) that holds no accepted
       spike (too small, or too slow a rise), and every bump of at least
       :data:`FAILED_PROMINENCE` mV during a block.

    Parameters
    ----------
    time, voltage : array_like
        The trace (ms, mV).
    threshold : float, optional
        Minimum peak voltage and the level whose crossing times a spike, in
        mV (default -20 mV, eFEL's ``Threshold``).
    dvdt_threshold : float, optional
        dV/dt in mV/ms: starts a candidate and marks the spike threshold
        (default 20 mV/ms).
    min_amplitude : float, optional
        Smallest amplitude (peak - spike threshold) of a spike in mV
        (default 20 mV).
    block_duration : float, optional
        ms without a spike, above the last spike's threshold, that mean
        depolarisation block (default 50 ms).
    window : (start, stop) or StepWindow, optional
        Keep only what happens in ``[start, stop)`` (ms).

    Returns
    -------
    SpikeDetection
        Accepted spikes with their shapes (see the module docstring),
        failed spikes and block intervals.
    """
    time, voltage = check_trace(time, voltage)
    threshold = as_float("threshold", threshold, unit="mV")
    dvdt_threshold = as_float("dvdt_threshold", dvdt_threshold, unit="mV/ms", positive=True)
    min_amplitude = as_float("min_amplitude", min_amplitude, unit="mV", nonnegative=True)
    block_duration = as_float("block_duration", block_duration, unit="ms", positive=True)
    window = check_window(window)
    if voltage.size < 3:
        rows = []
    else:
        dvdt = np.gradient(voltage, time)
        rows = _accepted_spikes(time, voltage, dvdt, threshold, dvdt_threshold, min_amplitude)
    block = _block_intervals(time, voltage, rows, block_duration)
    peaks = np.array([int(row[7]) for row in rows], dtype=int)
    failed_table = _failed_spikes(time, voltage, threshold, peaks, block)
    table = np.array([row[:7] for row in rows], dtype=float).reshape(-1, 7)
    shapes = SpikeShapes(*(table[:, c].copy() for c in range(7)), dvdt_threshold=dvdt_threshold)
    criteria = {
        "threshold": threshold,
        "dvdt_threshold": dvdt_threshold,
        "min_amplitude": min_amplitude,
        "block_duration": block_duration,
    }
    found = SpikeDetection(
        shapes, failed_table[:, 0].copy(), failed_table[:, 1].copy(), tuple(block), criteria
    )
    return found if window is None else found.within(*window)


def spike_shapes(
    time,
    voltage,
    *,
    threshold=DETECTION_THRESHOLD,
    dvdt_threshold=DEFAULT_DVDT_THRESHOLD,
    window=None,
) -> SpikeShapes:
    """Threshold, amplitude and half-width of every accepted spike in a trace.

    The spikes of :func:`detect_spikes` (with its default hysteresis,
    minimum amplitude and block criterion); failed spikes are left out.

    Parameters
    ----------
    time, voltage : array_like
        The trace (ms, mV).
    threshold : float, optional
        Detection threshold in mV (default -20 mV).
    dvdt_threshold : float, optional
        dV/dt in mV/ms that marks the spike threshold (default 20 mV/ms).
    window : (start, stop) or StepWindow, optional
        Keep only spikes detected in ``[start, stop)`` (ms).

    Returns
    -------
    SpikeShapes
        See the module docstring for the definitions. Empty arrays if there
        is no spike.
    """
    return detect_spikes(
        time, voltage, threshold=threshold, dvdt_threshold=dvdt_threshold, window=window
    ).shapes

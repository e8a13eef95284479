"""Spike detection, rates, intervals, f-I curves and electrophysiology features.

Units: time in ms, voltage in mV, current in pA, resistance in GOhm
(= mV / pA), rate in Hz (see :mod:`course_utils`). Spike counts per ms are
turned into Hz by multiplying by 1000, and every function that does so says
it. Time windows are half-open, ``[start, stop)``.

Definitions used by the features (the tests compare them with eFEL's):

spike (recordings: :func:`detect_spikes`)
    A fast (dV/dt >= 20 mV/ms), tall (peak - spike threshold >= 20 mV)
    event whose peak reaches -20 mV; its time is the upward crossing of
    -20 mV, linearly interpolated. Smaller or slower events are **failed
    spikes**, reported, never counted; a membrane stuck above its spike
    threshold for 50 ms after a spike is in **depolarisation block**.
    :func:`spike_times_from_trace` is the bare upward crossing of a level
    (default 0 mV), for simulated traces and Exercise 5.1.
spike threshold
    Searching backwards from the steepest point of the upstroke, the last
    upward crossing of ``dvdt_threshold`` (default 20 mV/ms) by dV/dt, with
    the voltage linearly interpolated between the two samples around the
    crossing. dV/dt is the central difference (``numpy.gradient``).
AP amplitude
    Peak voltage minus spike-threshold voltage, in mV.
half-width
    Time between the upward and the downward crossing of the voltage half
    way between threshold and peak, each linearly interpolated, in ms.
ISI CV
    Standard deviation (``ddof=1``) of the interspike intervals divided by
    their mean; needs at least 2 intervals.
adaptation index
    The mean, over consecutive pairs of intervals, of
    ``(ISI[i+1] - ISI[i]) / (ISI[i+1] + ISI[i])``, every interval used
    (``adaptation_index``); ``adaptation_index_efel`` first skips the
    spikes eFEL skips by default (10 % of them, at most 2). Positive when
    firing slows down. Needs at least 4 spikes, like eFEL.
baseline, steady state
    Mean voltage over ``baseline_duration`` (default 100 ms) before a step,
    and over the last 10 % of the step (eFEL's ``steady_state_voltage_stimend``).
input resistance
    (steady state - baseline) / step amplitude, in GOhm (mV / pA).
membrane time constant
    ``scipy.optimize.curve_fit`` of ``V(t) = V_inf + dV exp(-(t - onset) / tau)``
    from ``fit_delay`` (0.5 ms) after the onset of a step to the time of
    the largest deflection of the 1-ms smoothed voltage (the sag peak in a
    cell with sag, the end of the step in a passive cell).
sag
    For a hyperpolarising step, ``sag_amplitude = steady state - minimum``
    (mV, positive when the voltage recovers), where the minimum is taken on
    the voltage smoothed with a ``smoothing`` (1 ms) running mean so that
    noise does not deepen it; ``sag_ratio = sag_amplitude / (baseline -
    minimum)`` (eFEL's ``sag_ratio1``). 0 means no sag.

A sweep without spikes gives 0 Hz for rates and NaN for every spike-shape or
interval feature; nothing raises for lack of spikes.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field, fields

import numpy as np

from .._validation import as_array, as_float, as_int, check_spike_times, check_window
from ..data import Recording, StepWindow, Sweep
from ..parameters import validate

DEFAULT_SPIKE_THRESHOLD = 0.0
"""Voltage (mV) of the bare crossing count of :func:`spike_times_from_trace`."""

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

_NAN = float("nan")


# --------------------------------------------------------------------------
# Argument checks
# --------------------------------------------------------------------------


def _check_trace(time, voltage) -> tuple[np.ndarray, np.ndarray]:
    time = as_array("time", time, unit="ms", ndim=1, allow_empty=False)
    voltage = as_array("voltage", voltage, unit="mV", ndim=1, allow_empty=False)
    if time.size != voltage.size:
        raise ValueError(
            f"time has {time.size} samples but voltage has {voltage.size}: "
            "give one time per voltage sample."
        )
    if time.size > 1 and not (np.diff(time) > 0).all():
        raise ValueError("time must be strictly increasing (ms).")
    return time, voltage


def _check_times(name, spike_times) -> np.ndarray:
    return check_spike_times(name, spike_times)


# --------------------------------------------------------------------------
# Spike detection, rates and intervals
# --------------------------------------------------------------------------


def _crossing_indices(voltage: np.ndarray, threshold: float) -> np.ndarray:
    """Index of the first sample at or above threshold of each upward crossing."""
    above = voltage >= threshold
    return np.flatnonzero(~above[:-1] & above[1:]) + 1


def _interpolate_crossing(time, values, index, level) -> float:
    """Time at which ``values`` crosses ``level`` between index-1 and index."""
    v0, v1 = values[index - 1], values[index]
    fraction = 0.0 if v1 == v0 else (level - v0) / (v1 - v0)
    return float(time[index - 1] + fraction * (time[index] - time[index - 1]))


def spike_times_from_trace(time, voltage, threshold=DEFAULT_SPIKE_THRESHOLD, window=None):
    """Spike times of a voltage trace: its upward crossings of a threshold.

    Parameters
    ----------
    time : array_like
        Sample times in ms, strictly increasing.
    voltage : array_like
        Membrane potential in mV, one value per sample.
    threshold : float, optional
        Voltage in mV whose upward crossing counts as a spike (default 0 mV,
        which real and Hodgkin-Huxley spikes overshoot and subthreshold
        noise never reaches).
    window : (start, stop) or StepWindow, optional
        Keep only spikes in ``[start, stop)`` (ms).

    Returns
    -------
    numpy.ndarray
        Spike times in ms: each crossing time linearly interpolated between
        the last sample below and the first sample at or above threshold. A
        trace that starts above threshold does not count a spike at its
        start.
    """
    time, voltage = _check_trace(time, voltage)
    threshold = as_float("threshold", threshold, unit="mV")
    window = check_window(window)
    indices = _crossing_indices(voltage, threshold)
    times = np.array([_interpolate_crossing(time, voltage, i, threshold) for i in indices])
    if window is not None:
        times = times[(times >= window[0]) & (times < window[1])]
    return times


def firing_rate(spike_times, start, stop) -> float:
    """Mean firing rate in a time window, in Hz.

    Parameters
    ----------
    spike_times : array_like
        Spike times in ms.
    start, stop : float
        The window ``[start, stop)`` in ms.

    Returns
    -------
    float
        Number of spikes in the window divided by its length in ms, times
        1000 (spikes per ms -> Hz). 0 Hz if there is no spike.
    """
    times = as_array("spike_times", spike_times, unit="ms", ndim=1)
    start, stop = check_window((start, stop), name="(start, stop)")
    count = np.count_nonzero((times >= start) & (times < stop))
    return count / (stop - start) * 1000.0


def interspike_intervals(spike_times) -> np.ndarray:
    """Intervals between consecutive spikes, in ms (empty for < 2 spikes)."""
    times = _check_times("spike_times", spike_times)
    return np.diff(times)


def cv_of_isi(spike_times) -> float:
    """Coefficient of variation of the interspike intervals.

    Parameters
    ----------
    spike_times : array_like
        Sorted spike times in ms.

    Returns
    -------
    float
        ``std(ISI, ddof=1) / mean(ISI)`` (dimensionless): 0 for a regular
        train, about 1 for a Poisson train. NaN if there are fewer than 2
        intervals (3 spikes): one interval has no spread to measure.
    """
    intervals = interspike_intervals(spike_times)
    if intervals.size < 2:
        return _NAN
    return float(np.std(intervals, ddof=1) / np.mean(intervals))


def adaptation_index(spike_times, *, skip=0) -> float:
    """Spike-frequency adaptation index, every interval used (no spike skipped).

    Parameters
    ----------
    spike_times : array_like
        Sorted spike times in ms.
    skip : int, optional
        Leave out the first ``skip`` spikes (default 0).

    Returns
    -------
    float
        Mean over consecutive interval pairs of
        ``(ISI[i+1] - ISI[i]) / (ISI[i+1] + ISI[i])``, between -1 and 1:
        0 for a regular train, positive when the intervals grow (the cell
        adapts). NaN with fewer than 4 spikes left (eFEL's minimum).
        This is eFEL's ``adaptation_index`` formula with ``spike_skipf = 0``;
        :func:`adaptation_index_efel` applies eFEL's default skipping.
    """
    times = _check_times("spike_times", spike_times)
    if not isinstance(skip, (int, np.integer)) or skip < 0:
        raise ValueError(f"skip must be a whole number >= 0, but got {skip!r}.")
    intervals = np.diff(times[int(skip) :])
    if intervals.size < 3:
        return _NAN
    pairs = (intervals[1:] - intervals[:-1]) / (intervals[1:] + intervals[:-1])
    return float(np.mean(pairs))


def efel_spike_skip(n_spikes: int, fraction=0.1, maximum=2) -> int:
    """Spikes eFEL's ``adaptation_index`` skips by default.

    ``min(maximum, round(fraction * n_spikes))`` with halves rounded up
    (eFEL's ``spike_skipf = 0.1``, ``max_spike_skip = 2``): 0 spikes skipped
    for 1-4 spikes, 1 for 5-14, 2 from 15 on.
    """
    n_spikes = as_int("n_spikes", n_spikes, minimum=0)
    fraction = as_float("fraction", fraction, nonnegative=True)
    if fraction > 1:
        raise ValueError(f"fraction is a share of the spikes: at most 1, but got {fraction:g}.")
    maximum = as_int("maximum", maximum, minimum=0)
    return int(min(maximum, np.floor(fraction * n_spikes + 0.5)))


def adaptation_index_efel(spike_times) -> float:
    """Adaptation index as eFEL computes it by default (the first spikes skipped).

    :func:`adaptation_index` after leaving out :func:`efel_spike_skip`
    spikes: the first interval, often much shorter than the rest, then no
    longer dominates. On the course's sweep 15 this gives 0.071 where
    :func:`adaptation_index` gives 0.120: always say which one you report.
    """
    times = _check_times("spike_times", spike_times)
    return adaptation_index(times, skip=efel_spike_skip(times.size))


@dataclass(frozen=True)
class FICurve:
    """A firing rate - input current curve.

    Unpacks as ``current, rate = fi_curve(...)``.

    Attributes
    ----------
    current : numpy.ndarray
        Injected current of each point in pA.
    rate : numpy.ndarray
        Firing rate in Hz (spike count in the window / window length in ms
        * 1000).
    spike_count : numpy.ndarray
        Spikes counted in each window.
    window_duration : numpy.ndarray
        Length of each counting window in ms.
    """

    current: np.ndarray
    rate: np.ndarray
    spike_count: np.ndarray
    window_duration: np.ndarray

    def __iter__(self):
        yield self.current
        yield self.rate


def fi_curve(source, currents=None, *, window=None, threshold=DETECTION_THRESHOLD) -> FICurve:
    """Firing rate against injected current.

    Parameters
    ----------
    source : Recording, SimulationResult or list of arrays
        * a :class:`~course_utils.data.Recording`: one point per sweep, the
          current is the test step's amplitude and the spikes of
          :func:`detect_spikes` are counted inside the test step only (not
          over the whole sweep; failed spikes are not counted);
        * a simulation result (anything with a ``spike_times`` list, e.g.
          :class:`course_utils.neurons.SimulationResult`): one point per
          neuron;
        * a list of spike-time arrays (ms), one per current.
    currents : array_like, optional
        Current of each neuron / spike train in pA (required unless
        ``source`` is a Recording).
    window : (start, stop), optional
        Counting window in ms for simulations and spike-time lists. Default
        for a simulation: the whole run; required for a list.
    threshold : float, optional
        Detection threshold of :func:`detect_spikes` in mV (recordings only).

    Returns
    -------
    FICurve
    """
    if isinstance(source, Recording):
        if currents is not None or window is not None:
            raise TypeError(
                "For a Recording, currents and windows come from the test steps: "
                "do not pass currents or window."
            )
        steps = source.test_steps()
        counts = np.array(
            [
                len(detect_spikes(sweep.time, sweep.voltage, threshold=threshold, window=step))
                for sweep, step in zip(source.sweeps, steps, strict=True)
            ]
        )
        durations = np.array([step.duration for step in steps])
        amplitudes = np.array([step.amplitude for step in steps])
        return FICurve(amplitudes, counts / durations * 1000.0, counts, durations)

    if hasattr(source, "spike_times") and not isinstance(source, (list, tuple)):
        trains = list(source.spike_times)
        if window is None:
            window = (0.0, float(source.duration))
    elif isinstance(source, (list, tuple)):
        trains = list(source)
        if window is None:
            raise TypeError(
                "source is a list of spike trains, so window=(start, stop) in ms is required."
            )
    else:
        raise TypeError(
            "source must be a Recording, a simulation result or a list of spike-time "
            f"arrays, but got {type(source).__name__}."
        )
    if currents is None:
        raise TypeError("currents (pA, one per spike train) is required.")
    currents = as_array("currents", currents, unit="pA", ndim=1)
    if currents.size != len(trains):
        raise ValueError(
            f"currents has {currents.size} values for {len(trains)} spike trains: "
            "give one current per neuron."
        )
    start, stop = check_window(window)
    counts = np.array(
        [np.count_nonzero((np.asarray(t) >= start) & (np.asarray(t) < stop)) for t in trains]
    )
    durations = np.full(len(trains), stop - start)
    return FICurve(currents, counts / durations * 1000.0, counts, durations)


# --------------------------------------------------------------------------
# Spike detection a patch-clamper accepts, and spike shape
# --------------------------------------------------------------------------


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
    onset_time = _interpolate_crossing(time, dvdt, j + 1, criterion)
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
    return _interpolate_crossing(time, voltage, f, level) - _interpolate_crossing(
        time, voltage, r + 1, level
    )


def _voltage_events(voltage: np.ndarray, threshold: float, rearm_level: float):
    """(start, end) indices of upward crossings of ``threshold``, with hysteresis.

    An event ends at the first later sample below ``rearm_level``; crossings
    before that belong to the same event, so noise around the threshold
    never makes two.
    """
    ups = _crossing_indices(voltage, threshold)
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
            detection = _interpolate_crossing(time, voltage, int(below[-1]) + 1, threshold)
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
    smooth = _running_mean(voltage, max(1, int(round(5.0 / dt))))
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
    time, voltage = _check_trace(time, voltage)
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


# --------------------------------------------------------------------------
# Responses to current steps
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class StepResponse:
    """Passive response of the membrane to one current step.

    Attributes
    ----------
    amplitude : float
        Step current in pA.
    baseline : float
        Mean voltage before the step, mV.
    steady_state : float
        Mean voltage over the last 10 % of the step, mV.
    input_resistance : float
        ``(steady_state - baseline) / amplitude`` in GOhm (mV / pA); NaN for
        a 0 pA step.
    membrane_time_constant : float
        Fitted time constant in ms (NaN if the fit fails).
    peak_deflection : float
        Voltage at the largest deflection (minimum for a hyperpolarising
        step) of the smoothed trace, mV.
    sag_amplitude : float
        ``steady_state - peak_deflection`` in mV for hyperpolarising steps;
        NaN for depolarising ones.
    sag_ratio : float
        ``sag_amplitude / (baseline - peak_deflection)``; NaN for
        depolarising steps.
    fit : dict
        ``v_inf`` (mV), ``delta_v`` (mV), ``tau`` (ms), ``start``, ``stop``
        (ms): the exponential and the interval it was fitted on.
    """

    amplitude: float
    baseline: float
    steady_state: float
    input_resistance: float
    membrane_time_constant: float
    peak_deflection: float
    sag_amplitude: float
    sag_ratio: float
    fit: dict = field(default_factory=dict)


def _exponential(t, v_inf, delta_v, tau):
    return v_inf + delta_v * np.exp(-t / tau)


def _running_mean(values: np.ndarray, width: int) -> np.ndarray:
    if width <= 1:
        return values
    kernel = np.ones(width) / width
    padded = np.pad(values, (width // 2, width - 1 - width // 2), mode="edge")
    return np.convolve(padded, kernel, mode="valid")


def fit_time_constant(time, voltage, onset, stop) -> dict:
    """Fit ``V(t) = v_inf + delta_v * exp(-(t - onset) / tau)`` on ``[onset, stop)``.

    Parameters
    ----------
    time, voltage : array_like
        The trace (ms, mV).
    onset, stop : float
        Fit interval in ms; ``t`` is measured from ``onset``.

    Returns
    -------
    dict
        ``v_inf`` (mV), ``delta_v`` (mV), ``tau`` (ms), ``start``, ``stop``
        (ms). All NaN if there are fewer than 10 samples or
        ``scipy.optimize.curve_fit`` does not converge.
    """
    from scipy.optimize import curve_fit

    time, voltage = _check_trace(time, voltage)
    onset, stop = check_window((onset, stop), name="(onset, stop)")
    if onset >= time[-1] or stop <= time[0]:
        raise ValueError(
            f"The fit interval (onset, stop) = ({onset:g}, {stop:g}) ms lies outside the trace, "
            f"which covers {time[0]:g}-{time[-1]:g} ms."
        )
    mask = (time >= onset) & (time < stop)
    result = {"v_inf": _NAN, "delta_v": _NAN, "tau": _NAN, "start": onset, "stop": stop}
    if np.count_nonzero(mask) < 10:
        return result
    t = time[mask] - onset
    v = voltage[mask]
    span = t[-1] - t[0] if t[-1] > t[0] else 1.0
    guess = (v[-1], v[0] - v[-1], span / 3)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            params, _ = curve_fit(
                _exponential,
                t,
                v,
                p0=guess,
                bounds=([-np.inf, -np.inf, 1e-3], [np.inf, np.inf, 100 * span]),
            )
    except (RuntimeError, ValueError):
        return result
    result.update(v_inf=float(params[0]), delta_v=float(params[1]), tau=float(params[2]))
    return result


def _check_step_options(time, step, baseline_duration, smoothing, fit_delay):
    """The checked ``(dt, baseline_duration, smoothing, fit_delay)`` of
    :func:`step_response` (ms), dt being the trace's median sampling interval."""
    if not isinstance(step, StepWindow):
        raise TypeError(f"step must be a StepWindow, but got {type(step).__name__}.")
    if step.amplitude == 0:
        raise ValueError(
            "step has amplitude 0 pA: without current there is no response to measure "
            "(R = change in V / I). Pass a step with a non-zero amplitude."
        )
    baseline_duration = as_float("baseline_duration", baseline_duration, unit="ms", positive=True)
    smoothing = as_float("smoothing", smoothing, unit="ms", nonnegative=True)
    fit_delay = as_float("fit_delay", fit_delay, unit="ms", nonnegative=True)
    dt = float(np.median(np.diff(time))) if time.size > 1 else 1.0
    if baseline_duration < dt:
        raise ValueError(
            f"baseline_duration ({baseline_duration:g} ms) must cover at least one sample "
            f"(dt = {dt:g} ms)."
        )
    for name, value in (("smoothing", smoothing), ("fit_delay", fit_delay)):
        if value >= step.duration:
            raise ValueError(
                f"{name} ({value:g} ms) must be shorter than the step ({step.duration:g} ms)."
            )
    return dt, baseline_duration, smoothing, fit_delay


def _onset_exponential(time, voltage, step, fit_stop, fit_delay, dt) -> dict:
    """:func:`fit_time_constant` from ``fit_delay`` after the step's onset to
    ``fit_stop`` (ms), the exponential referred back to the onset; NaNs if
    that interval holds fewer than ten samples."""
    fit = {"v_inf": _NAN, "delta_v": _NAN, "tau": _NAN, "start": _NAN, "stop": _NAN}
    if step.amplitude != 0 and fit_stop > step.start + fit_delay + 10 * dt:
        fit = fit_time_constant(time, voltage, step.start + fit_delay, fit_stop)
        if np.isfinite(fit["tau"]):
            # refer the fitted exponential to the step onset
            fit["delta_v"] *= np.exp(fit_delay / fit["tau"])
            fit["start"] = step.start
    return fit


def step_response(
    time,
    voltage,
    step,
    *,
    baseline_duration=100.0,
    smoothing=1.0,
    fit_delay=0.5,
) -> StepResponse:
    """Input resistance, time constant and sag from the response to one step.

    Parameters
    ----------
    time, voltage : array_like
        The trace (ms, mV).
    step : StepWindow
        The current step (start, stop in ms; amplitude in pA).
    baseline_duration : float, optional
        The baseline is the mean voltage over this many ms before the
        step (default 100 ms), clipped at the start of the trace.
    smoothing : float, optional
        Width in ms of the running mean applied before taking the peak
        deflection (default 1 ms; 0 uses the raw samples).
    fit_delay : float, optional
        The exponential fit starts this many ms after the onset, skipping
        the electrode's own fast transient (default 0.5 ms).

    Returns
    -------
    StepResponse
        See the module docstring for the definitions.
    """
    time, voltage = _check_trace(time, voltage)
    dt, baseline_duration, smoothing, fit_delay = _check_step_options(
        time, step, baseline_duration, smoothing, fit_delay
    )
    before = (time >= step.start - baseline_duration) & (time < step.start)
    during = step.contains(time)
    late = (time >= step.stop - 0.1 * step.duration) & (time < step.stop)
    if not before.any() or not during.any():
        raise ValueError(
            f"The step ({step.start:g}-{step.stop:g} ms) needs samples before and during "
            f"it, but the trace covers {time[0]:g}-{time[-1]:g} ms."
        )
    baseline = float(voltage[before].mean())
    steady = float(voltage[late].mean())
    resistance = (steady - baseline) / step.amplitude if step.amplitude != 0 else _NAN

    smooth = _running_mean(voltage, max(1, int(round(smoothing / dt))))
    inside = np.flatnonzero(during)
    sign = -1.0 if step.amplitude < 0 else 1.0
    extreme = int(inside[np.argmax(sign * smooth[inside])])
    peak = float(smooth[extreme])
    if step.amplitude < 0:
        sag = steady - peak
        sag_ratio = sag / (baseline - peak) if baseline != peak else _NAN
    else:
        sag = sag_ratio = _NAN
    fit = _onset_exponential(time, voltage, step, float(time[extreme]) + dt, fit_delay, dt)
    return StepResponse(
        amplitude=float(step.amplitude),
        baseline=baseline,
        steady_state=steady,
        input_resistance=float(resistance),
        membrane_time_constant=float(fit["tau"]),
        peak_deflection=peak,
        sag_amplitude=float(sag),
        sag_ratio=float(sag_ratio),
        fit=fit,
    )


# --------------------------------------------------------------------------
# Feature table
# --------------------------------------------------------------------------


@dataclass
class SweepFeatures:
    """Features of one sweep (units in the field comments).

    Spike features come from the test step only (:func:`detect_spikes`);
    passive features from the hyperpolarising step (NaN if the sweep has
    none). ``passive_clean`` says whether that step and the 150 ms before
    it are free of spikes and failed spikes (only then do the passive
    features describe the resting membrane).
    """

    sweep: int
    step_current: float  # pA, test step amplitude
    step_start: float  # ms
    step_stop: float  # ms
    resting_potential: float  # mV, mean baseline before the first step (eFEL voltage_base)
    baseline_noise: float  # mV, robust SD (1.4826 MAD) of the baseline
    spike_count: int  # accepted spikes inside the test step
    failed_spike_count: int  # failed spikes inside the test step (not counted)
    block_duration: float  # ms of depolarisation block inside the test step
    firing_rate: float  # Hz, spike_count / step duration * 1000
    first_spike_latency: float  # ms from step onset, NaN without spikes
    isi_cv: float  # dimensionless
    adaptation_index: float  # dimensionless, every interval
    adaptation_index_efel: float  # dimensionless, eFEL's default spike skipping
    ap_threshold: float  # mV, first spike in the step
    ap_amplitude: float  # mV, first spike
    ap_half_width: float  # ms, first spike
    passive_clean: bool  # hyperpolarising step free of spikes
    input_resistance: float  # GOhm
    membrane_time_constant: float  # ms
    sag_amplitude: float  # mV
    sag_ratio: float  # dimensionless
    spike_times: np.ndarray = field(default_factory=lambda: np.empty(0))  # ms
    spike_thresholds: np.ndarray = field(default_factory=lambda: np.empty(0))  # mV
    spike_amplitudes: np.ndarray = field(default_factory=lambda: np.empty(0))  # mV
    spike_half_widths: np.ndarray = field(default_factory=lambda: np.empty(0))  # ms


@dataclass
class CellFeatures:
    """Summary features of the cell (units in the field comments).

    * passive features (input resistance, time constant, sag): median over
      the sweeps whose hyperpolarising step is spike-free (``passive_clean``)
      and whose test step evoked no spike, because spikes leave a slow
      after-hyperpolarisation that shifts the baseline of later steps; if
      there are none, over every ``passive_clean`` sweep; NaN if no
      hyperpolarising step is spike-free;
    * rheobase: the smallest test-step current that evoked a spike. With
      steps of size dI, the true rheobase lies in (rheobase - dI, rheobase];
    * spike shape: the first spike of the rheobase sweep;
    * adaptation index and ISI CV: the sweep with the largest current that
      is not in depolarisation block;
    * f-I slope: least-squares slope of rate against current over the
      sweeps with spikes and without block;
    * ``block_sweeps``: sweeps whose test step goes into depolarisation block.
    """

    resting_potential: float  # mV
    baseline_noise: float  # mV
    input_resistance: float  # GOhm
    membrane_time_constant: float  # ms
    sag_amplitude: float  # mV
    sag_ratio: float  # dimensionless
    rheobase: float  # pA
    fi_slope: float  # Hz/pA
    max_firing_rate: float  # Hz
    ap_threshold: float  # mV
    ap_amplitude: float  # mV
    ap_half_width: float  # ms
    adaptation_index: float  # dimensionless, every interval
    adaptation_index_efel: float  # dimensionless, eFEL's default skipping
    isi_cv: float  # dimensionless
    block_sweeps: list = field(default_factory=list)  # sweep indices


@dataclass
class FeatureTable:
    """Per-sweep features, the cell summary and the f-I curve of a recording."""

    file_name: str
    sweeps: list[SweepFeatures]
    cell: CellFeatures
    fi: FICurve

    def column(self, name: str) -> np.ndarray:
        """One scalar feature of every sweep as an array."""
        names = [f.name for f in fields(SweepFeatures)]
        if name not in names:
            raise ValueError(f"No feature {name!r}; choose one of {', '.join(names)}.")
        return np.array([getattr(s, name) for s in self.sweeps])

    def as_dict(self) -> dict[str, np.ndarray]:
        """The scalar per-sweep features as a dict of arrays (a table)."""
        return {
            f.name: self.column(f.name)
            for f in fields(SweepFeatures)
            if not f.name.startswith("spike_") or f.name == "spike_count"
        }

    def summary(self) -> str:
        """The cell features as text (input resistance also in MOhm)."""
        c = self.cell
        block = ", ".join(str(s) for s in c.block_sweeps) or "none"
        lines = [
            f"{self.file_name}: {len(self.sweeps)} sweeps",
            f"  resting potential      {c.resting_potential:8.2f} mV",
            f"  baseline noise (SD)    {c.baseline_noise:8.2f} mV",
            f"  input resistance       {c.input_resistance:8.4f} GOhm "
            f"({c.input_resistance * 1000:.0f} MOhm)",
            f"  membrane time constant {c.membrane_time_constant:8.2f} ms",
            f"  sag                    {c.sag_amplitude:8.2f} mV (ratio {c.sag_ratio:.3f})",
            f"  rheobase               {c.rheobase:8.1f} pA",
            f"  f-I slope              {c.fi_slope:8.3f} Hz/pA",
            f"  max firing rate        {c.max_firing_rate:8.1f} Hz",
            f"  AP threshold           {c.ap_threshold:8.2f} mV",
            f"  AP amplitude           {c.ap_amplitude:8.2f} mV",
            f"  AP half-width          {c.ap_half_width:8.3f} ms",
            f"  adaptation index       {c.adaptation_index:8.3f} (every interval; "
            f"{c.adaptation_index_efel:.3f} with eFEL's first-spike skip)",
            f"  ISI CV                 {c.isi_cv:8.3f}",
            f"  sweeps in depolarisation block: {block}",
        ]
        return "\n".join(lines)


def _first(values: np.ndarray) -> float:
    return float(values[0]) if values.size else _NAN


def _baseline_window(sweep: Sweep, onset: float, duration: float) -> np.ndarray:
    mask = (sweep.time >= onset - duration) & (sweep.time < onset)
    return sweep.voltage[mask] if mask.any() else sweep.voltage


def _robust_sd(values: np.ndarray) -> float:
    """Noise SD in mV: 1.4826 x the median absolute deviation from a straight line.

    The line removes a slow drift; the median ignores spikes. For Gaussian
    noise this is its standard deviation.
    """
    if values.size < 3:
        return _NAN
    x = np.arange(values.size, dtype=float)
    residual = values - np.polyval(np.polyfit(x, values, 1), x)
    return float(1.4826 * np.median(np.abs(residual - np.median(residual))))


def _passive_row(sweep, hyper, detection, baseline_duration):
    """(clean, StepResponse or None) for the hyperpolarising step of a sweep."""
    if hyper is None:
        return False, None
    response = step_response(sweep.time, sweep.voltage, hyper, baseline_duration=baseline_duration)
    start, stop = hyper.start - baseline_duration - 50.0, hyper.stop
    events = np.concatenate([detection.times, detection.failed_times])
    clean = not ((events >= start) & (events < stop)).any()
    return clean, response


def _sweep_features(sweep, test, hyper, options) -> SweepFeatures:
    threshold, dvdt_threshold, baseline_duration = options
    whole = detect_spikes(
        sweep.time, sweep.voltage, threshold=threshold, dvdt_threshold=dvdt_threshold
    )
    inside = whole.within(test.start, test.stop)
    shapes, times = inside.shapes, inside.times
    baseline = _baseline_window(sweep, min(s.start for s in sweep.steps), baseline_duration)
    clean, response = _passive_row(sweep, hyper, whole, baseline_duration)
    return SweepFeatures(
        sweep=sweep.index,
        step_current=test.amplitude,
        step_start=test.start,
        step_stop=test.stop,
        resting_potential=float(np.mean(baseline)) if baseline.size else _NAN,
        baseline_noise=_robust_sd(baseline),
        spike_count=len(inside),
        failed_spike_count=int(inside.failed_times.size),
        block_duration=inside.blocked_duration,
        firing_rate=len(inside) / test.duration * 1000.0,
        first_spike_latency=_first(times) - test.start if times.size else _NAN,
        isi_cv=cv_of_isi(times),
        adaptation_index=adaptation_index(times),
        adaptation_index_efel=adaptation_index_efel(times),
        ap_threshold=_first(shapes.threshold_voltages),
        ap_amplitude=_first(shapes.amplitudes),
        ap_half_width=_first(shapes.half_widths),
        passive_clean=clean,
        input_resistance=response.input_resistance if response else _NAN,
        membrane_time_constant=response.membrane_time_constant if response else _NAN,
        sag_amplitude=response.sag_amplitude if response else _NAN,
        sag_ratio=response.sag_ratio if response else _NAN,
        spike_times=times,
        spike_thresholds=shapes.threshold_voltages,
        spike_amplitudes=shapes.amplitudes,
        spike_half_widths=shapes.half_widths,
    )


def extract_features(
    recording,
    *,
    threshold=DETECTION_THRESHOLD,
    dvdt_threshold=DEFAULT_DVDT_THRESHOLD,
    baseline_duration=100.0,
) -> FeatureTable:
    """Electrophysiology features of every sweep and of the cell.

    Parameters
    ----------
    recording : Recording
        A current-clamp step recording (see :func:`course_utils.data.load_recording`).
    threshold : float, optional
        Detection threshold of :func:`detect_spikes` in mV (default -20 mV).
    dvdt_threshold : float, optional
        dV/dt criterion of the spike threshold in mV/ms (default 20 mV/ms).
    baseline_duration : float, optional
        Length in ms of the baseline window before each step (default 100).

    Returns
    -------
    FeatureTable
        ``.sweeps`` (one :class:`SweepFeatures` each), ``.cell``
        (:class:`CellFeatures`), ``.fi`` (the f-I curve of the test step)
        and ``.as_dict()`` for a table of arrays.
    """
    if not isinstance(recording, Recording):
        raise TypeError(
            "recording must be a Recording (from load_recording or "
            f"recording_from_arrays), but got {type(recording).__name__}."
        )
    threshold = validate("threshold", threshold)
    dvdt_threshold = validate("dvdt_threshold", dvdt_threshold)
    baseline_duration = as_float("baseline_duration", baseline_duration, unit="ms", positive=True)
    if baseline_duration < 2 * recording.dt:
        raise ValueError(
            f"baseline_duration ({baseline_duration:g} ms) must cover at least two samples "
            f"(2 x dt = {2 * recording.dt:g} ms) to measure a baseline."
        )
    options = (threshold, dvdt_threshold, baseline_duration)
    rows = [
        _sweep_features(sweep, test, hyper, options)
        for sweep, test, hyper in zip(
            recording.sweeps, recording.test_steps(), recording.hyperpolarising_steps(), strict=True
        )
    ]
    counts = np.array([r.spike_count for r in rows])
    fi = FICurve(
        np.array([r.step_current for r in rows]),
        np.array([r.firing_rate for r in rows]),
        counts,
        np.array([r.step_stop - r.step_start for r in rows]),
    )
    return FeatureTable(recording.file_name, rows, _summarise(rows, fi), fi)


def _nanmedian(values) -> float:
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    return float(np.median(values)) if values.size else _NAN


def _summarise(rows: list[SweepFeatures], fi: FICurve) -> CellFeatures:
    clean = [r for r in rows if r.passive_clean]
    passive = [r for r in clean if r.spike_count == 0 and r.failed_spike_count == 0] or clean
    healthy = [r for r in rows if r.block_duration == 0]
    spiking = sorted((r for r in healthy if r.spike_count > 0), key=lambda r: r.step_current)
    rheobase_row = spiking[0] if spiking else None
    strongest = max(healthy or rows, key=lambda r: r.step_current)
    use = np.array([r.spike_count > 0 and r.block_duration == 0 for r in rows])
    if np.count_nonzero(use) >= 2 and np.ptp(fi.current[use]) > 0:
        slope = float(np.polyfit(fi.current[use], fi.rate[use], 1)[0])
    else:
        slope = _NAN
    return CellFeatures(
        resting_potential=_nanmedian([r.resting_potential for r in rows]),
        baseline_noise=_nanmedian([r.baseline_noise for r in rows]),
        input_resistance=_nanmedian([r.input_resistance for r in passive]),
        membrane_time_constant=_nanmedian([r.membrane_time_constant for r in passive]),
        sag_amplitude=_nanmedian([r.sag_amplitude for r in passive]),
        sag_ratio=_nanmedian([r.sag_ratio for r in passive]),
        rheobase=rheobase_row.step_current if rheobase_row else _NAN,
        fi_slope=slope,
        max_firing_rate=float(fi.rate.max()) if fi.rate.size else _NAN,
        ap_threshold=rheobase_row.ap_threshold if rheobase_row else _NAN,
        ap_amplitude=rheobase_row.ap_amplitude if rheobase_row else _NAN,
        ap_half_width=rheobase_row.ap_half_width if rheobase_row else _NAN,
        adaptation_index=strongest.adaptation_index,
        adaptation_index_efel=strongest.adaptation_index_efel,
        isi_cv=strongest.isi_cv,
        block_sweeps=[r.sweep for r in rows if r.block_duration > 0],
    )


# --------------------------------------------------------------------------
# Is the recording something the course's models can describe?
# --------------------------------------------------------------------------

PLAUSIBLE_REST = (-110.0, -35.0)
"""Resting potentials (mV) the models accept."""

PLAUSIBLE_RESISTANCE = (0.01, 5.0)
"""Input resistances (GOhm) the models accept (10 MOhm to 5 GOhm)."""

NOISE_LIMITS = (2.0, 5.0)
"""Baseline noise SD (mV): above the first a warning, above the second a refusal."""


@dataclass
class Plausibility:
    """What a recording is, and whether the course's models can describe it.

    Attributes
    ----------
    file_name : str
    resting_potential : float
        mV, median baseline before the first step.
    input_resistance : float
        GOhm, from spike-free hyperpolarising steps.
    spike_amplitude : float
        mV, median amplitude of the first spike of each test step with spikes.
    noise : float
        mV, median baseline noise SD.
    block_sweeps, failed_sweeps : list of int
        Sweeps whose test step goes into depolarisation block / has failed spikes.
    problems : list of str
        Why no model can be fitted (empty if the membrane can be fitted).
    spiking_problems : list of str
        Why no spiking model can be fitted (on top of ``problems``).
    warnings : list of str
        What a fit will leave out or what to keep in mind.
    """

    file_name: str
    resting_potential: float
    input_resistance: float
    spike_amplitude: float
    noise: float
    block_sweeps: list
    failed_sweeps: list
    problems: list
    spiking_problems: list
    warnings: list

    @property
    def ok(self) -> bool:
        """True if the passive membrane and the spiking models can be fitted."""
        return not (self.problems or self.spiking_problems)

    def summary(self) -> str:
        """A short report: the four numbers, then every problem and warning."""
        lines = [
            f"{self.file_name}: resting potential {self.resting_potential:.1f} mV, "
            f"input resistance {self.input_resistance * 1000:.0f} MOhm, "
            f"spike amplitude {self.spike_amplitude:.0f} mV, noise {self.noise:.2f} mV",
        ]
        lines += [f"  REFUSED: {p}" for p in self.problems + self.spiking_problems]
        lines += [f"  note: {w}" for w in self.warnings]
        if self.ok:
            lines.append("  plausible: the passive, LIF and AdEx fits can run.")
        return "\n".join(lines)

    def require(self, *, spiking: bool) -> None:
        """Raise :class:`~course_utils.data.RecordingError` with every problem.

        Parameters
        ----------
        spiking : bool
            Also require what a spiking fit needs (spikes in the test steps).
        """
        from ..data import RecordingError

        problems = self.problems + (self.spiking_problems if spiking else [])
        if problems:
            raise RecordingError(
                f"{self.file_name}: the course's models cannot describe this recording:\n- "
                + "\n- ".join(problems)
            )


def assess_recording(recording, features=None) -> Plausibility:
    """Resting potential, input resistance, spike height and noise, judged.

    Parameters
    ----------
    recording : Recording
    features : FeatureTable, optional
        From :func:`extract_features` (computed if not given).

    Returns
    -------
    Plausibility
        ``problems`` name each measurement outside what the course's point
        models can describe (resting potential outside -110 to -35 mV,
        input resistance outside 10 MOhm-5 GOhm or not measurable, noise
        above 5 mV) and say what to do; ``spiking_problems`` say why no
        spiking model can be fitted (no spike in any test step).
    """
    if features is None:
        features = extract_features(recording)
    if not isinstance(features, FeatureTable):
        raise TypeError(
            "features must be a FeatureTable from extract_features(recording), "
            f"but got {type(features).__name__}."
        )
    cell, rows = features.cell, features.sweeps
    amplitudes = [r.ap_amplitude for r in rows if r.spike_count > 0]
    report = Plausibility(
        file_name=features.file_name,
        resting_potential=cell.resting_potential,
        input_resistance=cell.input_resistance,
        spike_amplitude=_nanmedian(amplitudes),
        noise=cell.baseline_noise,
        block_sweeps=list(cell.block_sweeps),
        failed_sweeps=[r.sweep for r in rows if r.failed_spike_count and not r.block_duration],
        problems=[],
        spiking_problems=[],
        warnings=[],
    )
    _judge(report)
    return report


def _judge(report: Plausibility) -> None:
    rest, resistance, noise = report.resting_potential, report.input_resistance, report.noise
    low, high = PLAUSIBLE_REST
    if not np.isfinite(rest) or not low <= rest <= high:
        report.problems.append(
            f"the resting potential is {rest:.1f} mV; a healthy neuron rests between about "
            f"-90 and -50 mV, and the models accept {low:g} to {high:g} mV. Near 0 mV the "
            "electrode is usually outside the cell or the seal has broken; a value 1000x "
            "off means the voltage channel's units are wrong. Choose another recording."
        )
    low, high = PLAUSIBLE_RESISTANCE
    if not np.isfinite(resistance):
        report.problems.append(
            "the input resistance cannot be measured: no hyperpolarising step is free of "
            "spikes. Use a protocol with a negative current step during which the cell is quiet."
        )
    elif resistance <= 0:
        report.problems.append(
            f"the input resistance comes out negative ({resistance * 1000:.0f} MOhm): the "
            "voltage moves against the injected current, so the current's sign or channel "
            "is wrong. Check the protocol before fitting."
        )
    elif not low <= resistance <= high:
        report.problems.append(
            f"the input resistance is {resistance * 1000:.0f} MOhm, outside the "
            f"{low * 1000:.0f} MOhm-{high:g} GOhm of whole-cell neurons: check the units of "
            "the current and voltage channels, or choose another recording."
        )
    if np.isfinite(noise) and noise > NOISE_LIMITS[1]:
        report.problems.append(
            f"the baseline noise is {noise:.1f} mV (SD), too much for the fits: filter the "
            "recording or choose a quieter one."
        )
    elif np.isfinite(noise) and noise > NOISE_LIMITS[0]:
        report.warnings.append(
            f"the baseline is noisy ({noise:.1f} mV SD) or drifts: spontaneous activity? "
            "The passive fit uses only spike-free windows."
        )
    if not np.isfinite(report.spike_amplitude):
        report.spiking_problems.append(
            "no test step evokes an action potential (an event at least 20 mV tall that "
            "rises faster than 20 mV/ms and peaks above -20 mV), so there is nothing to fit "
            "a spiking model to; the passive membrane can still be fitted."
        )
    elif report.spike_amplitude < 40.0:
        report.warnings.append(
            f"the spikes are small ({report.spike_amplitude:.0f} mV from threshold to peak): "
            "a poor seal, a high series resistance or heavy filtering?"
        )
    if report.block_sweeps:
        report.warnings.append(
            f"sweeps {report.block_sweeps} go into depolarisation block (the membrane stays "
            "depolarised and spikes fail): the point models cannot do that, so these sweeps "
            "are left out of the spiking fits and scores."
        )
    if report.failed_sweeps:
        report.warnings.append(
            f"sweeps {report.failed_sweeps} have failed spikes (too small or too slow to "
            "count): left out of the spiking fits and scores."
        )


__all__ = [
    "DEFAULT_DVDT_THRESHOLD",
    "DEFAULT_SPIKE_THRESHOLD",
    "CellFeatures",
    "FICurve",
    "FeatureTable",
    "SpikeShapes",
    "StepResponse",
    "SweepFeatures",
    "DETECTION_THRESHOLD",
    "Plausibility",
    "assess_recording",
    "SpikeDetection",
    "adaptation_index",
    "adaptation_index_efel",
    "cv_of_isi",
    "detect_spikes",
    "efel_spike_skip",
    "extract_features",
    "fi_curve",
    "firing_rate",
    "fit_time_constant",
    "interspike_intervals",
    "spike_shapes",
    "spike_times_from_trace",
    "step_response",
]

"""Spike trains: crossing times of a simulated trace, rates, interspike
intervals, their CV, the adaptation index, f-I curves.

Units: time in ms, rate in Hz (spikes per ms x 1000), current in pA.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validation import as_array, as_float, as_int, check_spike_times, check_window
from ..data import Recording
from ._spikes import DETECTION_THRESHOLD, detect_spikes
from ._traces import check_trace, crossing_indices, interpolate_crossing

_NAN = float("nan")


DEFAULT_SPIKE_THRESHOLD = 0.0
"""Voltage (mV) of the bare crossing count of :func:`spike_times_from_trace`."""


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
    time, voltage = check_trace(time, voltage)
    threshold = as_float("threshold", threshold, unit="mV")
    window = check_window(window)
    indices = crossing_indices(voltage, threshold)
    times = np.array([interpolate_crossing(time, voltage, i, threshold) for i in indices])
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
    times = check_spike_times("spike_times", spike_times)
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
    times = check_spike_times("spike_times", spike_times)
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
    times = check_spike_times("spike_times", spike_times)
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

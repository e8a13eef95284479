"""Spike detection, rates, intervals, f-I curves and electrophysiology features.

Units: time in ms, voltage in mV, current in pA, resistance in GOhm
(= mV / pA), rate in Hz (see :mod:`course_utils`). Spike counts per ms are
turned into Hz by multiplying by 1000, and every function that does so says
it. Time windows are half-open, ``[start, stop)``.

Definitions used by the features (the tests compare them with eFEL's):

spike
    An upward crossing of ``threshold`` (default 0 mV). Its time is the
    crossing time, linearly interpolated between the two samples around it.
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
    ``(ISI[i+1] - ISI[i]) / (ISI[i+1] + ISI[i])``: eFEL's ``adaptation_index``
    formula without its spike skipping. Positive when firing slows down.
    Needs at least 4 spikes, like eFEL.
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

from ._validation import as_array, as_float, check_spike_times
from .data import Recording, StepWindow, Sweep

DEFAULT_SPIKE_THRESHOLD = 0.0
"""Voltage (mV) whose upward crossing counts as a spike."""

DEFAULT_DVDT_THRESHOLD = 20.0
"""dV/dt (mV/ms) whose crossing marks the spike threshold."""

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


def _check_window(window, name="window") -> tuple[float, float] | None:
    if window is None:
        return None
    if isinstance(window, StepWindow):
        return window.start, window.stop
    try:
        start, stop = window
    except (TypeError, ValueError):
        raise TypeError(
            f"{name} must be a (start, stop) pair in ms or a StepWindow, but got {window!r}."
        ) from None
    start = as_float(f"{name} start", start, unit="ms")
    stop = as_float(f"{name} stop", stop, unit="ms")
    if not stop > start:
        raise ValueError(f"{name} must end after it starts, but got ({start:g}, {stop:g}) ms.")
    return start, stop


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
    window = _check_window(window)
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
    start, stop = _check_window((start, stop), name="(start, stop)")
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


def adaptation_index(spike_times) -> float:
    """Spike-frequency adaptation index (eFEL's formula, no spike skipping).

    Parameters
    ----------
    spike_times : array_like
        Sorted spike times in ms.

    Returns
    -------
    float
        Mean over consecutive interval pairs of
        ``(ISI[i+1] - ISI[i]) / (ISI[i+1] + ISI[i])``, between -1 and 1:
        0 for a regular train, positive when the intervals grow (the cell
        adapts). NaN with fewer than 4 spikes (eFEL's minimum).
    """
    intervals = interspike_intervals(spike_times)
    if intervals.size < 3:
        return _NAN
    pairs = (intervals[1:] - intervals[:-1]) / (intervals[1:] + intervals[:-1])
    return float(np.mean(pairs))


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


def fi_curve(source, currents=None, *, window=None, threshold=DEFAULT_SPIKE_THRESHOLD) -> FICurve:
    """Firing rate against injected current.

    Parameters
    ----------
    source : Recording, SimulationResult or list of arrays
        * a :class:`~course_utils.data.Recording`: one point per sweep, the
          current is the test step's amplitude and spikes are counted inside
          the test step only (not over the whole sweep);
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
        Spike threshold in mV (recordings only).

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
                spike_times_from_trace(sweep.time, sweep.voltage, threshold, window=step).size
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
            raise TypeError("window=(start, stop) in ms is required for a list of spike trains.")
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
    start, stop = _check_window(window)
    counts = np.array(
        [np.count_nonzero((np.asarray(t) >= start) & (np.asarray(t) < stop)) for t in trains]
    )
    durations = np.full(len(trains), stop - start)
    return FICurve(currents, counts / durations * 1000.0, counts, durations)


# --------------------------------------------------------------------------
# Spike shape
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class SpikeShapes:
    """Shape of every spike in a trace (arrays, one value per spike).

    Attributes
    ----------
    times : numpy.ndarray
        Threshold-crossing (detection) times in ms.
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


def spike_shapes(
    time,
    voltage,
    *,
    threshold=DEFAULT_SPIKE_THRESHOLD,
    dvdt_threshold=DEFAULT_DVDT_THRESHOLD,
    window=None,
) -> SpikeShapes:
    """Threshold, amplitude and half-width of every spike in a trace.

    Parameters
    ----------
    time, voltage : array_like
        The trace (ms, mV).
    threshold : float, optional
        Detection threshold in mV (default 0 mV).
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
    time, voltage = _check_trace(time, voltage)
    threshold = as_float("threshold", threshold, unit="mV")
    dvdt_threshold = as_float("dvdt_threshold", dvdt_threshold, unit="mV/ms", positive=True)
    window = _check_window(window)
    n = voltage.size
    ups = _crossing_indices(voltage, threshold)
    below = voltage < threshold
    rows = []
    dvdt = np.gradient(voltage, time) if n > 1 else np.zeros(1)
    previous_down = 0
    for k, up in enumerate(ups):
        later_below = np.flatnonzero(below[up:])
        down = int(up + later_below[0]) if later_below.size else n
        peak = int(up + np.argmax(voltage[up:down]))
        detection = _interpolate_crossing(time, voltage, up, threshold)
        # spike threshold: the last sub-criterion dV/dt before the steepest
        # point of the upstroke (not before the peak: dV/dt falls again
        # near the rounded top of the spike)
        steepest = previous_down + int(np.argmax(dvdt[previous_down : peak + 1]))
        slow = np.flatnonzero(dvdt[previous_down:steepest] < dvdt_threshold)
        if slow.size:
            j = previous_down + int(slow[-1])
            onset_time = _interpolate_crossing(time, dvdt, j + 1, dvdt_threshold)
            fraction = (onset_time - time[j]) / (time[j + 1] - time[j])
            onset_voltage = float(voltage[j] + fraction * (voltage[j + 1] - voltage[j]))
        else:
            j, onset_time, onset_voltage = -1, _NAN, _NAN
        amplitude = float(voltage[peak] - onset_voltage)
        half_width = _NAN
        if np.isfinite(amplitude):
            level = onset_voltage + amplitude / 2
            rising = np.flatnonzero(voltage[j + 1 : peak + 1] < level)
            next_up = ups[k + 1] if k + 1 < len(ups) else n
            falling = np.flatnonzero(voltage[peak:next_up] < level)
            if falling.size:
                r = j + 1 + (int(rising[-1]) if rising.size else -1)
                f = peak + int(falling[0])
                t_rise = _interpolate_crossing(time, voltage, r + 1, level)
                t_fall = _interpolate_crossing(time, voltage, f, level)
                half_width = t_fall - t_rise
        rows.append(
            (
                detection,
                float(time[peak]),
                float(voltage[peak]),
                onset_time,
                onset_voltage,
                amplitude,
                half_width,
            )
        )
        previous_down = down
    table = np.array(rows, dtype=float).reshape(-1, 7)
    if window is not None:
        table = table[(table[:, 0] >= window[0]) & (table[:, 0] < window[1])]
    return SpikeShapes(*(table[:, c].copy() for c in range(7)), dvdt_threshold=dvdt_threshold)


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
    onset, stop = _check_window((onset, stop), name="(onset, stop)")
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
    if not isinstance(step, StepWindow):
        raise TypeError(f"step must be a StepWindow, but got {type(step).__name__}.")
    baseline_duration = as_float("baseline_duration", baseline_duration, unit="ms", positive=True)
    smoothing = as_float("smoothing", smoothing, unit="ms", nonnegative=True)
    fit_delay = as_float("fit_delay", fit_delay, unit="ms", nonnegative=True)
    dt = float(np.median(np.diff(time))) if time.size > 1 else 1.0

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

    fit = {"v_inf": _NAN, "delta_v": _NAN, "tau": _NAN, "start": _NAN, "stop": _NAN}
    fit_stop = float(time[extreme]) + dt
    if step.amplitude != 0 and fit_stop > step.start + fit_delay + 10 * dt:
        fit = fit_time_constant(time, voltage, step.start + fit_delay, fit_stop)
        if np.isfinite(fit["tau"]):
            # refer the fitted exponential to the step onset
            fit["delta_v"] *= np.exp(fit_delay / fit["tau"])
            fit["start"] = step.start
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

    Spike features come from the test step only; passive features from the
    hyperpolarising step (NaN if the sweep has none).
    """

    sweep: int
    step_current: float  # pA, test step amplitude
    step_start: float  # ms
    step_stop: float  # ms
    resting_potential: float  # mV, baseline before the first step
    spike_count: int  # spikes inside the test step
    firing_rate: float  # Hz, spike_count / step duration * 1000
    first_spike_latency: float  # ms from step onset, NaN without spikes
    isi_cv: float  # dimensionless
    adaptation_index: float  # dimensionless
    ap_threshold: float  # mV, first spike in the step
    ap_amplitude: float  # mV, first spike
    ap_half_width: float  # ms, first spike
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
      the sweeps whose test step evoked no spike, because spikes leave a
      slow after-hyperpolarisation that shifts the baseline of later steps
      (all sweeps if every test step made spikes);
    * rheobase: the smallest test-step current that evoked a spike. With
      steps of size dI, the true rheobase lies in (rheobase - dI, rheobase];
    * spike shape: the first spike of the rheobase sweep;
    * adaptation index and ISI CV: the sweep with the largest current;
    * f-I slope: least-squares slope of rate against current over the
      sweeps with spikes.
    """

    resting_potential: float  # mV
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
    adaptation_index: float  # dimensionless
    isi_cv: float  # dimensionless


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
        lines = [
            f"{self.file_name}: {len(self.sweeps)} sweeps",
            f"  resting potential      {c.resting_potential:8.2f} mV",
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
            f"  adaptation index       {c.adaptation_index:8.3f}",
            f"  ISI CV                 {c.isi_cv:8.3f}",
        ]
        return "\n".join(lines)


def _first(values: np.ndarray) -> float:
    return float(values[0]) if values.size else _NAN


def _baseline_before(sweep: Sweep, onset: float, duration: float) -> float:
    mask = (sweep.time >= onset - duration) & (sweep.time < onset)
    if not mask.any():
        return float(np.median(sweep.voltage))
    return float(sweep.voltage[mask].mean())


def extract_features(
    recording,
    *,
    threshold=DEFAULT_SPIKE_THRESHOLD,
    dvdt_threshold=DEFAULT_DVDT_THRESHOLD,
    baseline_duration=100.0,
) -> FeatureTable:
    """Electrophysiology features of every sweep and of the cell.

    Parameters
    ----------
    recording : Recording
        A current-clamp step recording (see :func:`course_utils.data.load_recording`).
    threshold : float, optional
        Spike detection threshold in mV (default 0 mV).
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
    tests = recording.test_steps()
    hypers = recording.hyperpolarising_steps()
    rows = []
    for sweep, test, hyper in zip(recording.sweeps, tests, hypers, strict=True):
        shapes = spike_shapes(
            sweep.time,
            sweep.voltage,
            threshold=threshold,
            dvdt_threshold=dvdt_threshold,
            window=test,
        )
        times = shapes.times
        first_step = min(s.start for s in sweep.steps)
        if hyper is not None:
            response = step_response(
                sweep.time, sweep.voltage, hyper, baseline_duration=baseline_duration
            )
        else:
            response = None
        rows.append(
            SweepFeatures(
                sweep=sweep.index,
                step_current=test.amplitude,
                step_start=test.start,
                step_stop=test.stop,
                resting_potential=_baseline_before(sweep, first_step, baseline_duration),
                spike_count=len(shapes),
                firing_rate=len(shapes) / test.duration * 1000.0,
                first_spike_latency=_first(times) - test.start if times.size else _NAN,
                isi_cv=cv_of_isi(times),
                adaptation_index=adaptation_index(times),
                ap_threshold=_first(shapes.threshold_voltages),
                ap_amplitude=_first(shapes.amplitudes),
                ap_half_width=_first(shapes.half_widths),
                input_resistance=response.input_resistance if response else _NAN,
                membrane_time_constant=response.membrane_time_constant if response else _NAN,
                sag_amplitude=response.sag_amplitude if response else _NAN,
                sag_ratio=response.sag_ratio if response else _NAN,
                spike_times=times,
                spike_thresholds=shapes.threshold_voltages,
                spike_amplitudes=shapes.amplitudes,
                spike_half_widths=shapes.half_widths,
            )
        )
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
    quiet = [r for r in rows if r.spike_count == 0] or rows
    spiking = sorted((r for r in rows if r.spike_count > 0), key=lambda r: r.step_current)
    rheobase_row = spiking[0] if spiking else None
    strongest = max(rows, key=lambda r: r.step_current)
    with_spikes = fi.spike_count > 0
    if np.count_nonzero(with_spikes) >= 2 and np.ptp(fi.current[with_spikes]) > 0:
        slope = float(np.polyfit(fi.current[with_spikes], fi.rate[with_spikes], 1)[0])
    else:
        slope = _NAN
    return CellFeatures(
        resting_potential=_nanmedian([r.resting_potential for r in rows]),
        input_resistance=_nanmedian([r.input_resistance for r in quiet]),
        membrane_time_constant=_nanmedian([r.membrane_time_constant for r in quiet]),
        sag_amplitude=_nanmedian([r.sag_amplitude for r in quiet]),
        sag_ratio=_nanmedian([r.sag_ratio for r in quiet]),
        rheobase=rheobase_row.step_current if rheobase_row else _NAN,
        fi_slope=slope,
        max_firing_rate=float(fi.rate.max()) if fi.rate.size else _NAN,
        ap_threshold=rheobase_row.ap_threshold if rheobase_row else _NAN,
        ap_amplitude=rheobase_row.ap_amplitude if rheobase_row else _NAN,
        ap_half_width=rheobase_row.ap_half_width if rheobase_row else _NAN,
        adaptation_index=strongest.adaptation_index,
        isi_cv=strongest.isi_cv,
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
    "adaptation_index",
    "cv_of_isi",
    "extract_features",
    "fi_curve",
    "firing_rate",
    "fit_time_constant",
    "interspike_intervals",
    "spike_shapes",
    "spike_times_from_trace",
    "step_response",
]

"""Fitting point-neuron models to a current-clamp recording, and scoring them.

Units: time in ms, voltage in mV, current in pA, conductance in nS,
capacitance in pF, resistance in GOhm, rate in Hz (see :mod:`course_utils`).

The fits run the course's own vectorised solvers
(:func:`course_utils.neurons.simulate_lif` and
:func:`~course_utils.neurons.simulate_adex`): every candidate parameter set
and every sweep is one "neuron" of a single call, so a whole search round
is one simulation.

Procedure
---------
0. :func:`course_utils.analysis.assess_recording` - refuses, with a message
   a student can act on, a recording the models cannot describe (resting
   potential, input resistance, noise, no spikes).
1. :func:`fit_passive` - the subthreshold membrane: C, g_L, E_L, a slow
   sag current (a, tau_w) and the electrode's series resistance R_s (see
   :class:`PassiveFit`), by ``scipy.optimize.least_squares`` on spike-free
   windows around hyperpolarising steps (so cells with spontaneous or
   rebound spikes fit too). ``sag=False`` fits a plain RC membrane,
   ``C dV/dt = g_L (E_L - V) + I(t)``.
2. :func:`fit_lif` - threshold, reset and refractory period of a LIF neuron
   with the membrane of step 1, by a grid search and a finer grid around
   the best point.
3. :func:`fit_adex` - the spiking AdEx parameters (V_T, Delta_T, V_reset,
   b; C, g_L, E_L, a, tau_w from step 1) by a cross-entropy search (a
   Sobol round, then rounds drawn around the best candidates) and a
   compass-search polish.

The spiking fits simulate the test step only (of the sweeps where it is
>= 0 pA and that neither go into depolarisation block nor have failed
spikes, which no point model makes): before the step the cell sits at rest
with no injected current,
so the model starts at V = E_L (and w = 0) at the step onset, with the
step current as a constant. Their loss
is ``f-I RMS error / 10 Hz + timing error``, where the timing error of a
sweep pairs the k-th model spike with the k-th data spike and averages
``min(|difference|, 20 ms) / 20 ms`` (unpaired spikes count 1), then is
averaged over sweeps. It changes smoothly with the parameters, unlike the
coincidence factor, which is kept for scoring.

Scores (:func:`score_model`, on held-out sweeps, full sweeps with the
recorded command):

* f-I error: RMS over sweeps of model rate - data rate in the test step, Hz;
* coincidence factor Gamma, coincidences pooled over the sweeps whose test
  step has data spikes (:func:`pooled_coincidence_factor`), beside the
  cell's own repeatability (the same pooled Gamma between the test step
  and its repeat in the same sweep, steps B and E) and with 95 % bootstrap
  intervals over sweeps;
* subthreshold voltage RMSE in mV over the whole sweep, leaving out
  ``[-2, +10] ms`` around every data or model spike.

Every fit reports in ``at_bounds`` the parameters that ended on an edge of
their search range.

Time step: the fits and scores run at ``dt = 0.1 ms`` by default; the
recording (0.05 ms here) is read at the model's time points.
"""

from __future__ import annotations

import time as _time
from dataclasses import dataclass, field

import numpy as np

from .._validation import (
    as_array,
    as_bool,
    as_float,
    as_int,
    check_dt,
    check_rng,
)
from ..data import Recording, RecordingError

DEFAULT_DELTA = 4.0
"""Coincidence window of the Gamma factor in ms (+- Delta)."""

RATE_SCALE = 10.0
"""Rate error (Hz) that costs as much as the largest spike-timing error in the loss."""

TIMING_CAP = 20.0
"""Spike-time differences (ms) above this count as this much in the loss."""

SPIKE_MASK = (-2.0, 10.0)
"""Interval around each spike (ms) left out of the subthreshold RMSE."""

SPIKE_THRESHOLD = 0.0
"""Data spikes: upward crossings of this voltage (mV). AdEx spike cutoff."""

_MEMBRANE_KWARGS = (
    "membrane_capacitance",
    "leak_conductance",
    "leak_reversal",
    "adaptation_coupling",
    "adaptation_time_constant",
    "spike_cutoff",
)


# --------------------------------------------------------------------------
# Spike-train similarity
# --------------------------------------------------------------------------


def _count_coincidences(data: np.ndarray, model: np.ndarray, delta: float) -> int:
    """Number of data spikes paired with a model spike within +-delta (one-to-one)."""
    count, j = 0, 0
    for t in data:
        while j < model.size and model[j] < t - delta:
            j += 1
        if j < model.size and model[j] <= t + delta:
            count += 1
            j += 1
    return count


# The models' time step: at most 1 ms (spikes last ~1 ms and are compared within
# +-4 ms), at least 0.01 ms (a fit then already takes ten times as long as at 0.1 ms).
_DT_RANGE = (0.01, 1.0)


def _model_dt(dt) -> float:
    """The time step of a fit or simulation of a recording, in ms."""
    dt = check_dt(dt)
    low, high = _DT_RANGE
    if not low <= dt <= high:
        raise ValueError(
            f"dt must be between {low:g} and {high:g} ms for fitting a recording (spikes "
            f"last about 1 ms), but got {dt:g} ms."
        )
    return dt


def _spike_train(name, spike_times) -> np.ndarray:
    """Spike times in ms (1-D, finite; any origin, e.g. relative to a step), sorted."""
    if np.ndim(spike_times) == 0 and not isinstance(spike_times, (list, tuple)):
        raise TypeError(
            f"{name} must be a 1-D array of spike times in ms, but got {spike_times!r}."
        )
    return np.sort(as_array(name, spike_times, unit="ms", ndim=1))


def _check_delta(delta, window_length):
    """The coincidence precision in ms: positive and shorter than half the window."""
    delta = as_float("delta", delta, unit="ms", positive=True)
    if not delta < window_length / 2:
        raise ValueError(
            f"delta ({delta:g} ms) must be shorter than half the window ({window_length:g} ms): "
            "otherwise every spike coincides by chance."
        )
    return delta


def coincidence_factor(data_spikes, model_spikes, window, delta=DEFAULT_DELTA) -> float:
    """Coincidence factor Gamma between a data and a model spike train.

    Jolivet et al. (2008), J. Neurosci. Methods 169:417-424 (after Kistler
    et al. 1997):

        Gamma = (N_coinc - <N_coinc>) / (0.5 (N_data + N_model)) / (1 - 2 nu Delta)

    with N_coinc the number of data spikes that have a model spike within
    +-Delta (each model spike used once), <N_coinc> = 2 nu Delta N_data the
    number expected by chance from a Poisson train with the model's rate
    nu = N_model / T, and 1 - 2 nu Delta the normalisation that makes
    Gamma = 1 for identical trains. Gamma ~ 0 for independent trains.

    Parameters
    ----------
    data_spikes, model_spikes : array_like
        Spike times in ms, 1-D and finite (only those in ``window`` are
        used; they are sorted here if they are not).
    window : (start, stop) or StepWindow
        The interval ``[start, stop)`` in ms, of length T.
    delta : float, optional
        Coincidence precision Delta in ms (default 4 ms).

    Returns
    -------
    float
        Gamma (at most 1). NaN if both trains are empty in the window (no
        spikes to compare) or if 2 nu Delta >= 1 (the model fires so fast
        that chance coincidences are certain).

    Notes
    -----
    This is Jolivet et al.'s convention (the model's rate, one-to-one
    matching). brian2modelfitting's ``GammaFactor`` uses the data's rate and
    nearest-spike matching (and minimises ``1 + 2|dr|/r_data - Gamma``):
    both are defensible; the numbers differ, so say which one you report.
    """
    from ..analysis import _check_window

    if window is None:
        raise TypeError("window must be a (start, stop) pair in ms or a StepWindow, not None.")
    start, stop = _check_window(window)
    delta = _check_delta(delta, stop - start)
    data = _spike_train("data_spikes", data_spikes)
    model = _spike_train("model_spikes", model_spikes)
    data = data[(data >= start) & (data < stop)]
    model = model[(model >= start) & (model < stop)]
    n_data, n_model = data.size, model.size
    if n_data + n_model == 0:
        return float("nan")
    rate = n_model / (stop - start)  # spikes per ms
    normalisation = 1.0 - 2.0 * rate * delta
    if normalisation <= 0:
        return float("nan")
    coincidences = _count_coincidences(data, model, delta)
    expected = 2.0 * rate * delta * n_data
    return float((coincidences - expected) / (0.5 * (n_data + n_model)) / normalisation)


def _gamma_terms(data, model, window, delta):
    """(numerator, denominator) of one sweep's Gamma, so sweeps can be pooled."""
    start, stop = window
    data = np.sort(np.asarray(data, dtype=float).ravel())
    model = np.sort(np.asarray(model, dtype=float).ravel())
    data = data[(data >= start) & (data < stop)]
    model = model[(model >= start) & (model < stop)]
    rate = model.size / (stop - start)  # spikes per ms
    chance = 2.0 * rate * delta
    numerator = _count_coincidences(data, model, delta) - chance * data.size
    return numerator, 0.5 * (data.size + model.size) * (1.0 - chance)


def pooled_coincidence_factor(data_trains, model_trains, windows, delta=DEFAULT_DELTA) -> float:
    """Gamma with coincidences pooled over sweeps.

    ``sum_k (N_coinc,k - 2 nu_k Delta N_data,k) / sum_k 0.5 (N_data,k +
    N_model,k)(1 - 2 nu_k Delta)``: each sweep's terms of
    :func:`coincidence_factor`, added before dividing, so a sweep with one
    spike weighs one spike, not a whole sweep. 1 for identical trains.

    Parameters
    ----------
    data_trains, model_trains : sequence of array_like
        Spike times in ms, one array per sweep.
    windows : sequence of (start, stop)
        The window of each sweep, ms.
    delta : float, optional
        Coincidence precision in ms (default 4).

    Returns
    -------
    float
        NaN if no sweep has a spike or the denominator is not positive.
    """
    from ..analysis import _check_window

    for name, given in (("data_trains", data_trains), ("model_trains", model_trains),
                        ("windows", windows)):
        if not isinstance(given, (list, tuple)):
            raise TypeError(
                f"{name} must be a list with one entry per sweep, but got {type(given).__name__}."
            )
    if not len(data_trains) == len(model_trains) == len(windows):
        raise ValueError(
            f"data_trains, model_trains and windows must have one entry per sweep each, but "
            f"have {len(data_trains)}, {len(model_trains)} and {len(windows)}."
        )
    windows = [_check_window(w, f"windows[{k}]") for k, w in enumerate(windows)]
    data_trains = [_spike_train(f"data_trains[{k}]", t) for k, t in enumerate(data_trains)]
    model_trains = [_spike_train(f"model_trains[{k}]", t) for k, t in enumerate(model_trains)]
    shortest = min((stop - start for start, stop in windows), default=np.inf)
    delta = _check_delta(delta, shortest)
    numerator = denominator = 0.0
    for data, model, window in zip(data_trains, model_trains, windows, strict=True):
        top, bottom = _gamma_terms(data, model, window, delta)
        numerator += top
        denominator += bottom
    return float(numerator / denominator) if denominator > 0 else float("nan")


N_BOOTSTRAP = 1000
"""Resamples of the sweeps for the bootstrap intervals of Gamma."""


def _pooled_with_bootstrap(model_terms: np.ndarray, own_terms: np.ndarray, rng):
    """Pooled Gamma (model), pooled Gamma (cell vs itself), and 95 % intervals.

    ``*_terms`` hold one (numerator, denominator) row per sweep. The sweeps
    are resampled with replacement :data:`N_BOOTSTRAP` times; the same
    resample serves both Gammas, so their ratio's interval is consistent.
    Returns ``gamma, intrinsic, (gamma_interval, intrinsic_interval,
    ratio_interval)``, NaN where undefined (fewer than 2 sweeps, or a
    denominator that is not positive).
    """

    def pooled(terms, rows=None):
        chosen = terms if rows is None else terms[rows]
        top, bottom = chosen[..., 0].sum(axis=-1), chosen[..., 1].sum(axis=-1)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(bottom > 0, top / np.where(bottom > 0, bottom, 1.0), np.nan)

    n = len(model_terms)
    gamma = float(pooled(model_terms)) if n else float("nan")
    intrinsic = float(pooled(own_terms)) if n else float("nan")
    nan_pair = (float("nan"), float("nan"))
    if n < 2:
        return gamma, intrinsic, (nan_pair, nan_pair, nan_pair)
    rows = rng.integers(0, n, size=(N_BOOTSTRAP, n))
    model, own = pooled(model_terms, rows), pooled(own_terms, rows)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(own > 0, model / np.where(own > 0, own, 1.0), np.nan)

    def interval(values):
        values = values[np.isfinite(values)]
        if values.size < N_BOOTSTRAP // 2:
            return nan_pair
        low, high = np.percentile(values, [2.5, 97.5])
        return (float(low), float(high))

    return gamma, intrinsic, (interval(model), interval(own), interval(ratio))


def repeated_steps(recording):
    """(test step, repeat) pairs of each sweep, or None if the protocol plays no repeat.

    The repeat is a later step of the same duration whose amplitude equals
    the test step's in every sweep (step E of the course's protocol).
    """
    tests = _check_recording(recording).test_steps()
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


# --------------------------------------------------------------------------
# Preparing a recording for the solvers
# --------------------------------------------------------------------------


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
    _check_recording(recording)
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


def _check_recording(recording) -> Recording:
    if not isinstance(recording, Recording):
        raise TypeError(
            "recording must be a Recording (from load_recording or recording_from_arrays), "
            f"but got {type(recording).__name__}."
        )
    return recording


def _model_grid(recording: Recording, dt: float) -> np.ndarray:
    n_steps = int(np.floor(recording.sweep_duration / dt + 1e-9))
    return np.arange(n_steps) * dt


def _resample(recording: Recording, dt: float):
    """Voltage and command of every sweep at the model's time points."""
    grid = _model_grid(recording, dt)
    voltage = np.array([np.interp(grid, s.time, s.voltage) for s in recording.sweeps])
    # the command is piecewise constant: take the sample at or before each point
    index = np.minimum(
        np.floor(grid / recording.dt + 1e-6).astype(int), recording.sweeps[0].time.size - 1
    )
    command = np.array([s.command[index] for s in recording.sweeps])
    return grid, voltage, command


def _detections(recording: Recording):
    """:func:`course_utils.analysis.detect_spikes` of each whole sweep."""
    from ..analysis import detect_spikes

    return [detect_spikes(s.time, s.voltage) for s in recording.sweeps]


def _data_spikes(recording: Recording, detections=None) -> list[np.ndarray]:
    """Accepted spikes of each sweep, ms."""
    return [d.times for d in (detections or _detections(recording))]


def _excluded_sweeps(recording: Recording, detections=None) -> set:
    """Sweeps whose test step goes into depolarisation block or has failed spikes."""
    excluded = set()
    for sweep, step, found in zip(
        recording.sweeps,
        recording.test_steps(),
        detections or _detections(recording),
        strict=True,
    ):
        failed = step.contains(found.failed_times).any()
        blocked = any(a < step.stop and b > step.start for a, b in found.block)
        if failed or blocked:
            excluded.add(sweep.index)
    return excluded


# --------------------------------------------------------------------------
# Passive membrane
# --------------------------------------------------------------------------


@dataclass
class PassiveFit:
    """A subthreshold membrane model fitted to spike-free step responses.

    The model (the subthreshold part of the AdEx model, linear):

        C dV/dt = g_L (E_L - V) - w + I(t),   tau_w dw/dt = a (V - E_L) - w,
        recorded voltage = V + R_s I(t).

    ``w`` is a slow current that opposes a change of V (with a > 0 it
    makes the sag of the example cell: the voltage first follows the fast
    conductance g_L, then relaxes towards the steady state set by g_L + a).
    ``R_s`` is the uncompensated series (electrode) resistance: the
    instantaneous jump of the recorded voltage at a step's edges. With
    ``sag=False`` a = 0 (a plain RC membrane); with
    ``series_resistance=False`` R_s = 0.

    Attributes
    ----------
    membrane_capacitance : float
        C in pF.
    leak_conductance : float
        g_L in nS.
    leak_reversal : float
        E_L in mV.
    sag_conductance : float
        a in nS.
    sag_time_constant : float
        tau_w in ms.
    series_resistance : float
        R_s in GOhm.
    rmse : float
        Root-mean-square difference between model and data, mV.
    sweeps : list of int
        Indices of the sweeps used.
    elapsed : float
        Wall-clock time of the fit in s.
    windows : list of (int, str)
        The (sweep index, step label) of every spike-free window fitted.
    at_bounds : list of str
        Parameters that ended on a bound of the search, with their values
        (empty if none): such a value says "at least" or "at most", not
        "equal".
    note : str
        What the fit decided on its own (e.g. no measurable sag).
    apparent_time_constant, measured_time_constant : float
        tau in ms of the model's and of the data's responses in the fitted
        windows, both measured as a direct measurement would
        (:func:`course_utils.analysis.step_response`: one exponential from
        the onset to the largest deflection; median over windows). With a
        sag current, C / g_L is longer than this apparent tau: the sag
        current starts to act while the membrane charges.
    """

    membrane_capacitance: float
    leak_conductance: float
    leak_reversal: float
    sag_conductance: float
    sag_time_constant: float
    series_resistance: float
    rmse: float
    sweeps: list[int]
    elapsed: float = 0.0
    windows: list = field(default_factory=list)
    at_bounds: list = field(default_factory=list)
    note: str = ""
    apparent_time_constant: float = float("nan")
    measured_time_constant: float = float("nan")

    @property
    def membrane_time_constant(self) -> float:
        """tau = C / g_L in ms (pF / nS = ms): the fast charging time."""
        return self.membrane_capacitance / self.leak_conductance

    @property
    def steady_state_conductance(self) -> float:
        """g_L + a in nS: the conductance seen at the end of a long step."""
        return self.leak_conductance + self.sag_conductance

    @property
    def input_resistance(self) -> float:
        """Steady-state input resistance 1 / (g_L + a) in GOhm."""
        return 1.0 / self.steady_state_conductance

    def lif_membrane(self) -> dict:
        """C, g and E_L for a LIF model (which has no sag).

        The conductance is the steady-state one, g_L + a, so that the LIF
        has the cell's steady-state input resistance (what sets the firing
        rate during a long step).
        """
        return {
            "membrane_capacitance": self.membrane_capacitance,
            "leak_conductance": self.steady_state_conductance,
            "leak_reversal": self.leak_reversal,
        }

    def adex_membrane(self) -> dict:
        """C, g_L, E_L, a and tau_w for an AdEx model."""
        return {
            "membrane_capacitance": self.membrane_capacitance,
            "leak_conductance": self.leak_conductance,
            "leak_reversal": self.leak_reversal,
            "adaptation_coupling": self.sag_conductance,
            "adaptation_time_constant": self.sag_time_constant,
        }


# the exponential spike term of simulate_adex, switched off: exp((V - 1e3) / 1) = 0
_LINEAR = {"slope_factor": 1.0, "rheobase_threshold": 1e3, "spike_cutoff": 2e3, "reset": 0.0}

PASSIVE_LOOKBACKS = (1000.0, 300.0, 100.0)
"""Spike-free time (ms) required before a passive window, tried in this order."""

_PASSIVE_BOUNDS = {  # name: (low, high, unit) of the passive search
    "membrane_capacitance": (5.0, 5000.0, "pF"),
    "leak_conductance": (0.1, 500.0, "nS"),
    "sag_conductance": (1e-3, 200.0, "nS"),
    "sag_time_constant": (5.0, 5000.0, "ms"),
    "series_resistance": (0.0, 0.2, "GOhm"),
}


@dataclass
class _Windows:
    """Spike-free stretches around hyperpolarising steps, each with the
    :data:`PASSIVE_HISTORY` before it, padded to one length."""

    current: np.ndarray  # (n, n_steps) pA, relative to the current before the step
    voltage: np.ndarray  # (n, n_steps) mV, recorded
    baseline: np.ndarray  # (n,) mV, mean voltage before the onset
    mask: np.ndarray  # (n, n_steps) bool, samples inside the window
    labels: list  # (sweep index, step label)
    lookback: float  # ms
    before: np.ndarray  # (n, n_steps) bool, the 50 ms before the onset
    onsets: list  # ms from the start of each row to the step onset


def _spike_events(recording: Recording) -> list[np.ndarray]:
    """Times (ms) of every spike and failed spike of each sweep."""
    from ..analysis import detect_spikes

    events = []
    for sweep in recording.sweeps:
        found = detect_spikes(sweep.time, sweep.voltage)
        events.append(np.sort(np.concatenate([found.times, found.failed_times])))
    return events


def _passive_windows(recording: Recording, dt: float, lookback: float):
    """Windows ``[onset - 50, stop)`` ms of every hyperpolarising step that
    starts from the holding current, with no spike from ``lookback`` ms before
    the window to its end (cut 5 ms before a spike that comes after the
    onset + 100 ms)."""
    events = _spike_events(recording)
    chosen = []
    for sweep, times in zip(recording.sweeps, events, strict=True):
        for step in sweep.steps:
            if step.amplitude >= 0:
                continue
            start = step.start - 50.0
            stop = min(step.stop, sweep.duration)
            later = times[times >= step.start]
            if later.size:
                stop = min(stop, float(later[0]) - 5.0)
            before = times[(times >= start - lookback) & (times < step.start)]
            if start < 0 or before.size or stop < step.start + 100.0:
                continue
            # the step must start from the holding current (not follow another step)
            if any(
                other.amplitude != 0 and other.start < step.start and other.stop > start
                for other in sweep.steps
            ):
                continue
            chosen.append((sweep, step, start, stop))
    return chosen


PASSIVE_HISTORY = 500.0
"""ms of command simulated before each passive window, so that the slow sag
current left by an earlier step in the sweep is in the model too."""


def _window_arrays(recording: Recording, dt: float) -> _Windows | None:
    for lookback in PASSIVE_LOOKBACKS:
        chosen = _passive_windows(recording, dt, lookback)
        if len(chosen) >= 2 or (chosen and lookback == PASSIVE_LOOKBACKS[-1]):
            break
    if not chosen:
        return None
    origins = [max(0.0, start - PASSIVE_HISTORY) for _, _, start, _ in chosen]
    n_steps = int(max(stop - o for (_, _, _, stop), o in zip(chosen, origins, strict=True)) / dt)
    grid = np.arange(n_steps) * dt
    shape = (len(chosen), n_steps)
    current, voltage = np.zeros(shape), np.zeros(shape)
    mask, before = np.zeros(shape, dtype=bool), np.zeros(shape, dtype=bool)
    baseline, onsets = np.zeros(len(chosen)), []
    for k, ((sweep, step, start, stop), origin) in enumerate(zip(chosen, origins, strict=True)):
        t = origin + grid
        index = np.minimum(np.floor(t / recording.dt + 1e-6).astype(int), sweep.time.size - 1)
        current[k] = sweep.command[index] - sweep.holding_current
        voltage[k] = np.interp(t, sweep.time, sweep.voltage)
        mask[k] = (t >= start) & (t < stop)
        before[k] = (t >= start) & (t < step.start)
        baseline[k] = float(np.mean(voltage[k][before[k]]))
        onsets.append(step.start - origin)
    labels = [(sweep.index, step.label) for sweep, step, _, _ in chosen]
    return _Windows(current, voltage, baseline, mask, labels, lookback, before, onsets)


def _bound_report(values: dict, bounds: dict, rtol=0.01) -> list[str]:
    """Names of parameters within ``rtol`` of the width of their range from a bound."""
    hits = []
    for name, (low, high, unit) in bounds.items():
        if name not in values:
            continue
        value = values[name]
        if low > 0 and high / low > 50:  # searched on a log scale
            span = np.log(high / low)
            near = min(abs(np.log(value / low)), abs(np.log(high / value))) < rtol * span
        else:
            near = min(abs(value - low), abs(high - value)) < rtol * (high - low)
        if near:
            side = "lower" if abs(value - low) < abs(high - value) else "upper"
            edge = low if side == "lower" else high
            hits.append(f"{name} = {value:.4g} {unit} (on its {side} bound {edge:g})")
    return hits


def fit_passive(recording, *, dt=0.1, sag=True, series_resistance=True) -> PassiveFit:
    """Fit the subthreshold membrane (C, g_L; sag; series resistance) to spike-free windows.

    Parameters
    ----------
    recording : Recording
        Sweeps with their command current.
    dt : float, optional
        Time step of the model in ms (default 0.1).
    sag : bool, optional
        Fit the slow sag current (a, tau_w); False fits a plain RC membrane.
        If the fitted a ends on its lower bound (no measurable sag), the
        RC membrane is fitted instead and a = 0 is reported.
    series_resistance : bool, optional
        Fit the series resistance R_s.

    Returns
    -------
    PassiveFit
        With ``at_bounds`` naming any parameter that ended on a search
        bound, and ``windows`` the (sweep, step) pairs used.

    Raises
    ------
    RecordingError
        If no hyperpolarising step has a spike-free window.

    Notes
    -----
    Uses every hyperpolarising step (negative current, starting from the
    holding current) whose window ``[onset - 50 ms, stop)`` is free of
    spikes and failed spikes,
    and has been for 1000 ms before (else 300, else 100 ms: the longest
    that leaves at least two windows), cut 5 ms before any spike that
    comes later than 100 ms after the onset (a rebound spike). So cells
    with spontaneous or rebound spikes can be fitted. Each window is
    simulated on its own from rest, with the step's current relative to
    the current before it, and compared with the recorded voltage minus its
    mean over the 50 ms before the onset: the model fits the *response* to
    the step, whatever the baseline drift. E_L is the median of those
    baselines. Least squares with ``scipy.optimize.least_squares``; each
    Jacobian is one ``simulate_adex`` call (spike term switched off) with a
    neuron per window and parameter perturbation. Search bounds:
    C 5-5000 pF, g_L 0.1-500 nS, a 0.001-200 nS, tau_w 5-5000 ms,
    R_s 0-0.2 GOhm.

    A plain RC fit to a cell with sag is a compromise that shortens tau.
    """
    from ..analysis import assess_recording

    started = _time.perf_counter()
    recording = _check_recording(recording)
    dt = _model_dt(dt)
    sag = as_bool("sag", sag)
    series_resistance = as_bool("series_resistance", series_resistance)
    assess_recording(recording).require(spiking=False)
    windows = _window_arrays(recording, dt)
    if windows is None:
        raise RecordingError(
            f"{recording.file_name}: no hyperpolarising step has a spike-free stretch "
            "(from 100 ms before the step to 100 ms into it), so the passive membrane "
            "cannot be measured. Use a recording with a negative current step during "
            "which the cell does not fire."
        )
    fit = _least_squares_passive(windows, dt, sag, series_resistance)
    if sag and fit["sag_conductance"] <= _PASSIVE_BOUNDS["sag_conductance"][0] * 1.5:
        fit = _least_squares_passive(windows, dt, False, series_resistance)
        fit["note"] = "no measurable sag: the sag current a ended on its lower bound, so a = 0"
    names = ["membrane_capacitance", "leak_conductance"]
    names += ["sag_conductance", "sag_time_constant"] if fit["sag_conductance"] > 0 else []
    names += ["series_resistance"] if series_resistance else []
    at_bounds = _bound_report({n: fit[n] for n in names}, _PASSIVE_BOUNDS)
    data_tau, model_tau = _apparent_time_constants(windows, fit["response"], dt)
    deflection = np.median(
        [
            np.abs(v[m] - b).max()
            for v, m, b in zip(windows.voltage, windows.mask, windows.baseline, strict=True)
        ]
    )
    if fit["rmse"] > 0.1 * deflection:
        fit["note"] = (fit.get("note", "") + "; " if fit.get("note") else "") + (
            f"the RMS error ({fit['rmse']:.1f} mV) exceeds 10 % of the typical deflection "
            f"({deflection:.0f} mV): the responses differ from window to window more than a "
            "linear membrane allows (a nonlinear or drifting cell); read the passive "
            "parameters as rough"
        )
    return PassiveFit(
        membrane_capacitance=fit["membrane_capacitance"],
        leak_conductance=fit["leak_conductance"],
        leak_reversal=float(np.median(windows.baseline)),
        sag_conductance=fit["sag_conductance"],
        sag_time_constant=fit["sag_time_constant"],
        series_resistance=fit["series_resistance"],
        rmse=fit["rmse"],
        sweeps=sorted({s for s, _ in windows.labels}),
        elapsed=_time.perf_counter() - started,
        windows=windows.labels,
        at_bounds=at_bounds,
        note=fit.get("note", ""),
        apparent_time_constant=model_tau,
        measured_time_constant=data_tau,
    )


def _least_squares_passive(windows: _Windows, dt: float, sag: bool, series: bool) -> dict:
    """Least-squares fit of the linear membrane to the step responses."""
    from scipy.optimize import least_squares

    from ..neurons import simulate_adex

    n_windows, n_steps = windows.voltage.shape
    target = (windows.voltage - windows.baseline[:, None])[windows.mask]
    # starting point from the responses: R from the last 50 ms, tau ~ 20 ms
    step_current = windows.current.min(axis=1)
    late = np.array(
        [
            v[m][-int(50 / dt) :].mean()
            for v, m in zip(windows.voltage - windows.baseline[:, None], windows.mask, strict=True)
        ]
    )
    resistance = float(np.median(late / np.where(step_current < 0, step_current, -1.0)))
    if not (np.isfinite(resistance) and 0.005 < resistance < 10.0):
        resistance = 0.1
    bounds = _PASSIVE_BOUNDS
    names = ["log_c", "log_g"]
    x0 = [np.log(20.0 / resistance), np.log(1.0 / resistance)]
    low = [np.log(bounds["membrane_capacitance"][0]), np.log(bounds["leak_conductance"][0])]
    high = [np.log(bounds["membrane_capacitance"][1]), np.log(bounds["leak_conductance"][1])]
    if sag:
        names += ["log_a", "log_tau_w"]
        x0 += [np.log(0.2 / resistance), np.log(100.0)]
        low += [np.log(bounds["sag_conductance"][0]), np.log(bounds["sag_time_constant"][0])]
        high += [np.log(bounds["sag_conductance"][1]), np.log(bounds["sag_time_constant"][1])]
    if series:
        names += ["series"]
        x0 += [0.005]
        low += [bounds["series_resistance"][0]]
        high += [bounds["series_resistance"][1]]
    x0, low, high = np.array(x0), np.array(low), np.array(high)
    x0 = np.clip(x0, low + 1e-6, high - 1e-6)
    kind = np.array(names)
    steps = np.where(kind == "series", 1e-5, 1e-4)

    def unpack(points):
        column = {name: np.atleast_2d(points)[:, i] for i, name in enumerate(names)}
        zeros = np.zeros(len(np.atleast_2d(points)))
        return (
            np.exp(column["log_c"]),
            np.exp(column["log_g"]),
            np.exp(column["log_a"]) if sag else zeros,
            np.exp(column["log_tau_w"]) if sag else zeros + 100.0,
            column["series"] if series else zeros,
        )

    def simulate(points):
        c, g, a, tau_w, r_s = unpack(points)
        n_points = c.size
        result = simulate_adex(
            duration=n_steps * dt,
            dt=dt,
            membrane_capacitance=np.repeat(c, n_windows),
            leak_conductance=np.repeat(g, n_windows),
            leak_reversal=0.0,
            adaptation_coupling=np.repeat(a, n_windows),
            adaptation_time_constant=np.repeat(tau_w, n_windows),
            spike_adaptation=0.0,
            current=np.tile(windows.current, (n_points, 1)),
            initial_voltage=np.zeros(n_points * n_windows),
            **_LINEAR,
        )
        response = result.voltage.reshape(n_points, n_windows, n_steps)
        response = response + r_s[:, None, None] * windows.current[None]
        # compare deflections: each run minus its own mean before the onset
        offsets = np.array(
            [[r[b].mean() for r, b in zip(run, windows.before, strict=True)] for run in response]
        )
        return response - offsets[:, :, None]

    cache: dict[bytes, np.ndarray] = {}

    def evaluate(x):
        key = x.tobytes()
        if key not in cache:
            cache.clear()
            cache[key] = simulate(np.vstack([x, x + np.diag(steps)]))[:, windows.mask]
        return cache[key]

    def residuals(x):
        return evaluate(x)[0] - target

    def jacobian(x):
        runs = evaluate(x)
        return np.stack([(runs[k + 1] - runs[0]) / steps[k] for k in range(len(names))], axis=1)

    scale = np.where(kind == "series", 0.01, 1.0)
    solution = least_squares(residuals, x0, jac=jacobian, bounds=(low, high), x_scale=scale)
    c, g, a, tau_w, r_s = (float(v[0]) for v in unpack(solution.x))
    return {
        "membrane_capacitance": c,
        "leak_conductance": g,
        "sag_conductance": a,
        "sag_time_constant": tau_w,
        "series_resistance": r_s,
        "rmse": float(np.sqrt(np.mean(solution.fun**2))),
        "response": simulate(solution.x[None])[0],
    }


def _apparent_time_constants(windows: _Windows, response: np.ndarray, dt: float):
    """Median tau (ms) of the data's and the model's step responses, both
    measured by :func:`course_utils.analysis.step_response` (exponential
    from the onset to the largest deflection): the number a direct
    measurement of the recording gives, for the data and for the model."""
    from ..analysis import step_response
    from ..data import StepWindow

    data, model = [], []
    time = np.arange(windows.voltage.shape[1]) * dt
    for k in range(windows.voltage.shape[0]):
        stop = float(time[windows.mask[k]][-1]) + dt
        onset = windows.onsets[k]
        step = StepWindow(onset, stop, float(windows.current[k][int((onset + 10.0) / dt)]))
        keep = windows.mask[k]
        for trace, out in ((windows.voltage[k], data), (windows.baseline[k] + response[k], model)):
            tau = step_response(time[keep], trace[keep], step, baseline_duration=50.0)
            out.append(tau.membrane_time_constant)
    return float(np.nanmedian(data)), float(np.nanmedian(model))


# --------------------------------------------------------------------------
# Spiking models: shared machinery
# --------------------------------------------------------------------------


@dataclass
class Scores:
    """How well a model reproduces a set of sweeps.

    Attributes
    ----------
    fi_rms : float
        RMS difference of the test-step firing rates, Hz.
    gamma : float
        Coincidence factor with coincidences pooled over the scored sweeps
        (:func:`pooled_coincidence_factor`, test step, +-4 ms).
    gamma_interval : (float, float)
        95 % bootstrap interval of ``gamma`` over sweeps (1000 resamples);
        (NaN, NaN) with fewer than two sweeps, or when most resamples have
        no Gamma. The same holds for the intervals below.
    gamma_intrinsic : float
        The cell's own repeatability: pooled Gamma between the two plays of
        the same current in each sweep (test step and its repeat), the
        ceiling a model can reach on these sweeps. NaN without a repeat.
    gamma_intrinsic_interval : (float, float)
        Its 95 % bootstrap interval.
    gamma_relative : float
        ``gamma / gamma_intrinsic`` (Jolivet et al. 2008's normalisation).
    gamma_relative_interval : (float, float)
        Its 95 % bootstrap interval (both Gammas resampled together).
    subthreshold_rmse : float
        RMS voltage difference over the whole sweeps, spikes masked, mV.
    data_rates, model_rates : numpy.ndarray
        Test-step firing rates of each sweep, Hz.
    gammas : numpy.ndarray
        Gamma of each sweep (NaN where the data has no spike in the test
        step or the sweep is left out).
    sweeps : list of int
        Indices of the scored sweeps.
    excluded : list of int
        Sweeps left out of the rates and Gamma: depolarisation block or
        failed spikes in the test step.
    """

    fi_rms: float
    gamma: float
    subthreshold_rmse: float
    data_rates: np.ndarray
    model_rates: np.ndarray
    gammas: np.ndarray
    sweeps: list[int]
    gamma_interval: tuple = (float("nan"), float("nan"))
    gamma_intrinsic: float = float("nan")
    gamma_intrinsic_interval: tuple = (float("nan"), float("nan"))
    gamma_relative: float = float("nan")
    gamma_relative_interval: tuple = (float("nan"), float("nan"))
    excluded: list = field(default_factory=list)

    def gamma_text(self) -> str:
        """Gamma beside its ceiling and their uncertainties, in one line."""
        g, (gl, gh) = self.gamma, self.gamma_interval
        text = f"Gamma {g:.2f} [{gl:.2f}, {gh:.2f}]"
        il, ih = self.gamma_intrinsic_interval
        if np.isfinite(self.gamma_intrinsic) and il > 0:
            rl, rh = self.gamma_relative_interval
            text += (
                f" vs the cell's own repeatability {self.gamma_intrinsic:.2f} [{il:.2f}, {ih:.2f}]"
                f": {self.gamma_relative:.0%} of the ceiling [{rl:.0%}, {rh:.0%}]"
            )
        elif np.isfinite(self.gamma_intrinsic):
            text += (
                f" vs the cell's own repeatability {self.gamma_intrinsic:.2f} [{il:.2f}, "
                f"{ih:.2f}]: the cell does not repeat its own spike times, so spike timing "
                "cannot be scored on these sweeps"
            )
        else:
            text += " (no repeated step: the ceiling is unknown)"
        return text + " (95 % bootstrap over sweeps)"


@dataclass
class ModelFit:
    """A fitted spiking model.

    Attributes
    ----------
    model : str
        ``"lif"``, ``"adex"`` or ``"izhikevich"``.
    parameters : dict
        Keyword arguments for ``simulate_lif`` / ``simulate_adex`` /
        ``simulate_izhikevich`` (units as there: pF, nS, mV, ms, pA).
    loss : float
        Best training loss (f-I RMS / 10 Hz + timing error, see the module docstring).
    train_scores : Scores
        Scores on the training sweeps.
    n_candidates : int
        Parameter sets simulated.
    elapsed : float
        Wall-clock time in s.
    sweeps : list of int
        Training sweep indices.
    at_bounds : list of str
        Parameters that ended on a bound of the search, with their values:
        the fit wanted to go further, so the value is a limit, not an
        estimate.
    derived : dict
        Quantities the parameters imply but do not show (Izhikevich:
        :func:`izhikevich_properties`); empty for LIF and AdEx.
    """

    model: str
    parameters: dict
    loss: float
    train_scores: Scores
    n_candidates: int
    elapsed: float
    sweeps: list[int] = field(default_factory=list)
    at_bounds: list = field(default_factory=list)
    derived: dict = field(default_factory=dict)


@dataclass
class _StepData:
    """The test step of each training sweep, in the form the searches use."""

    amplitudes: np.ndarray  # pA
    durations: np.ndarray  # ms
    data_rates: np.ndarray  # Hz
    data_spikes: list  # ms from step onset
    duration: float  # ms, longest step


def _step_data(recording: Recording) -> _StepData:
    """Test steps of the sweeps a spiking fit uses.

    Sweeps whose test step is negative are left out: no candidate spikes
    there unless it also fires at 0 pA, which the 0 pA sweep (if any) and
    the positive ones already penalise. So are sweeps in depolarisation
    block or with failed spikes: no point model can reproduce those.
    """
    steps = recording.test_steps()
    detections = _detections(recording)
    excluded = _excluded_sweeps(recording, detections)
    chosen = [
        k
        for k, step in enumerate(steps)
        if step.amplitude >= 0 and recording.sweeps[k].index not in excluded
    ]
    spikes = []
    for k in chosen:
        times, step = detections[k].times, steps[k]
        spikes.append(times[step.contains(times)] - step.start)
    if not any(t.size for t in spikes):
        raise RecordingError(
            f"{recording.file_name}: no usable sweep has spikes in its test step (sweeps in "
            "depolarisation block or with failed spikes are left out), so there is nothing "
            "to fit a spiking model to. Choose a recording whose steps evoke spikes."
        )
    durations = np.array([steps[k].duration for k in chosen])
    counts = np.array([t.size for t in spikes])
    return _StepData(
        amplitudes=np.array([steps[k].amplitude for k in chosen]),
        durations=durations,
        data_rates=counts / durations * 1000.0,
        data_spikes=spikes,
        duration=float(durations.max()),
    )


def _timing_error(data: np.ndarray, model: np.ndarray) -> float:
    """Mean |difference| of the k-th data and k-th model spike times, capped, in [0, 1].

    Spikes are paired in order; unpaired spikes count as the cap. Unlike
    Gamma this changes smoothly with the parameters, which guides a search.
    """
    n = max(data.size, model.size)
    if n == 0:
        return 0.0
    paired = min(data.size, model.size)
    errors = np.minimum(np.abs(data[:paired] - model[:paired]), TIMING_CAP)
    return float((errors.sum() + (n - paired) * TIMING_CAP) / (n * TIMING_CAP))


def _loss_of_trains(trains, data: _StepData, n_candidates: int) -> np.ndarray:
    """Loss of each candidate from its model spike trains (candidate-major)."""
    n_sweeps = data.amplitudes.size
    losses = np.empty(n_candidates)
    for c in range(n_candidates):
        rows = [
            r[r < d]
            for r, d in zip(trains[c * n_sweeps : (c + 1) * n_sweeps], data.durations, strict=True)
        ]
        rates = np.array([r.size for r in rows]) / data.durations * 1000.0
        fi_rms = np.sqrt(np.mean((rates - data.data_rates) ** 2))
        timing = np.mean([_timing_error(d, r) for d, r in zip(data.data_spikes, rows, strict=True)])
        losses[c] = fi_rms / RATE_SCALE + timing
    return losses


MODELS = ("lif", "adex", "izhikevich")
"""The spiking models the fits, :func:`simulate_sweeps` and :func:`score_model` know."""


def _simulator(model):
    """The course solver of ``model`` (one of :data:`MODELS`)."""
    from ..neurons import simulate_adex, simulate_izhikevich, simulate_lif

    solvers = {"lif": simulate_lif, "adex": simulate_adex, "izhikevich": simulate_izhikevich}
    if not isinstance(model, str) or model not in solvers:
        raise ValueError(f"model must be 'lif', 'adex' or 'izhikevich', but got {model!r}.")
    return solvers[model]


def _run_candidates(model: str, table: dict, data: _StepData, dt: float):
    """Simulate every candidate (rows of ``table``) on every step; return spike trains."""
    n_candidates = len(next(iter(table.values())))
    n_sweeps = data.amplitudes.size
    per_neuron = {
        name: np.repeat(np.asarray(v, dtype=float), n_sweeps) for name, v in table.items()
    }
    bias = np.tile(data.amplitudes, n_candidates)
    result = _simulator(model)(
        duration=data.duration, dt=dt, bias_current=bias, record_voltage=False, **per_neuron
    )
    return result.spike_times, n_candidates


def _check_parameters(parameters, simulate):
    """A dict of keyword arguments of ``simulate`` (the model's parameters)."""
    import inspect

    if not isinstance(parameters, dict):
        raise TypeError(
            "parameters must be a dict of the model's parameters (e.g. fit.parameters), "
            f"but got {type(parameters).__name__}."
        )
    accepted = set(inspect.signature(simulate).parameters) - {"duration", "dt", "current"}
    unknown = sorted(set(parameters) - accepted)
    if unknown:
        raise TypeError(
            f"parameters has keys the model does not take: {', '.join(map(repr, unknown))}; "
            f"it takes {', '.join(sorted(accepted))}."
        )


def _progress(total, description, enabled):
    from tqdm.auto import tqdm

    enabled = as_bool("progress", enabled)
    return tqdm(total=total, desc=description, disable=not enabled, leave=False)


# --------------------------------------------------------------------------
# LIF
# --------------------------------------------------------------------------


_LIF_GAPS = (2.0, 4.0, 6.0, 9.0, 12.0, 16.0, 20.0, 25.0, 30.0, 40.0, 50.0)
"""Threshold - reset values (mV) of the LIF's coarse grid."""

_LIF_REFRACTORY = (0.0, 2.0, 4.0, 8.0, 15.0, 25.0, 40.0, 60.0, 100.0)
"""Refractory periods (ms) of the LIF's coarse grid."""


def fit_lif(recording, *, passive=None, dt=0.1, progress=False) -> ModelFit:
    """Fit a LIF neuron's threshold, reset and refractory period.

    Parameters
    ----------
    recording : Recording
        Training sweeps (use :func:`split_sweeps` to keep some for testing).
    passive : PassiveFit, optional
        The membrane (C, g_L, E_L); fitted with :func:`fit_passive` if not
        given.
    dt : float, optional
        Time step in ms (default 0.1).
    progress : bool, optional
        Show a progress bar.

    Returns
    -------
    ModelFit
        ``parameters`` are keyword arguments for ``simulate_lif``.

    Notes
    -----
    The membrane is the passive fit's C, E_L and steady-state conductance
    g_L + a (a LIF has no sag). Grid 1: threshold 1-39 mV above E_L (2 mV
    steps) x threshold - reset in {2, 4, ..., 40, 50} mV x refractory
    period in {0, 2, 4, 8, 15, 25, 40, 60, 100} ms (1980 candidates), wide
    enough that a real cell's values lie inside; ``at_bounds`` names any
    that ends on an edge anyway. Grid 2:
    +-1 mV around the best threshold in 0.2 mV steps, the reset gap +-3 mV
    in 0.5 mV steps, the refractory period +-2 ms in 0.5 ms steps.
    Each grid is one simulation of candidates x sweeps neurons.
    """
    started = _time.perf_counter()
    recording = _check_recording(recording)
    dt = _model_dt(dt)
    bar = _progress(3, "LIF fit", progress)
    passive = _check_passive(passive, recording, dt)
    bar.update()
    data = _step_data(recording)
    membrane = passive.lif_membrane()
    rest = passive.leak_reversal

    def search(offsets, gaps, refractory):
        grid = np.array(np.meshgrid(offsets, gaps, refractory, indexing="ij")).reshape(3, -1)
        table = {name: np.full(grid.shape[1], value) for name, value in membrane.items()}
        table["threshold"] = rest + grid[0]
        table["reset"] = rest + grid[0] - grid[1]
        table["refractory_period"] = grid[2]
        trains, n = _run_candidates("lif", table, data, dt)
        losses = _loss_of_trains(trains, data, n)
        best = int(np.argmin(losses))
        return grid[:, best], float(losses[best]), n

    coarse, _, n1 = search(
        np.arange(1.0, 41.0, 2.0),
        np.array(_LIF_GAPS),
        np.array(_LIF_REFRACTORY),
    )
    bar.update()
    fine, loss, n2 = search(
        coarse[0] + np.arange(-1.0, 1.01, 0.2),
        np.clip(coarse[1] + np.arange(-3.0, 3.01, 0.5), 0.5, None),
        np.clip(coarse[2] + np.arange(-2.0, 2.01, 0.5), 0.0, None),
    )
    bar.update()
    bar.close()
    parameters = dict(membrane)
    parameters.update(
        threshold=float(rest + fine[0]),
        reset=float(rest + fine[0] - fine[1]),
        refractory_period=float(fine[2]),
    )
    searched = {
        "threshold - E_L": (1.0, 40.0, "mV"),
        "threshold - reset": (_LIF_GAPS[0], _LIF_GAPS[-1] + 3.0, "mV"),
        "refractory_period": (0.0, _LIF_REFRACTORY[-1] + 2.0, "ms"),
    }
    at_bounds = _bound_report(
        {"threshold - E_L": fine[0], "threshold - reset": fine[1], "refractory_period": fine[2]},
        searched,
        rtol=0.01,
    )
    return ModelFit(
        model="lif",
        parameters=parameters,
        loss=loss,
        train_scores=score_model(
            recording, "lif", parameters, dt=dt, series_resistance=passive.series_resistance
        ),
        n_candidates=n1 + n2,
        elapsed=_time.perf_counter() - started,
        sweeps=[s.index for s in recording.sweeps],
        at_bounds=at_bounds,
    )


# --------------------------------------------------------------------------
# AdEx
# --------------------------------------------------------------------------

ELITE = 16
"""Candidates kept from each search round (AdEx, Izhikevich) to centre the next one."""

# Search boxes: (name, low, high, log scale, unit). The searches run in the
# unit cube; these map it onto the parameters.
_ADEX_BOX = (
    ("threshold_offset", 0.0, 30.0, False, "mV"),  # V_T - E_L
    ("slope_factor", 0.5, 6.0, False, "mV"),  # Delta_T
    ("reset_gap", -5.0, 30.0, False, "mV"),  # V_T - V_reset
    ("spike_adaptation", 0.5, 500.0, True, "pA"),  # b
)


def _box_values(unit_points: np.ndarray, box) -> np.ndarray:
    """Points of the unit cube -> parameter values, one column per entry of ``box``."""
    unit_points = np.atleast_2d(unit_points)
    values = np.empty_like(unit_points)
    for i, (_, low, high, log, _) in enumerate(box):
        if log:
            values[:, i] = np.exp(np.log(low) + unit_points[:, i] * (np.log(high) - np.log(low)))
        else:
            values[:, i] = low + unit_points[:, i] * (high - low)
    return values


def _box_at_bounds(point: np.ndarray, box) -> list[str]:
    """The parameters of ``box`` whose value at ``point`` (unit cube) is on an edge."""
    values = _box_values(point, box)[0]
    return [
        f"{name} = {value:.4g} {unit} (on the {'lower' if p < 0.5 else 'upper'} bound "
        f"{low if p < 0.5 else high:g} of its search range)"
        for (name, low, high, _, unit), value, p in zip(box, values, point, strict=True)
        if min(p, 1.0 - p) < 0.005
    ]


def _adex_table(unit_points: np.ndarray, passive: PassiveFit) -> dict:
    """Turn points of the unit cube into simulate_adex keyword arrays."""
    values = _box_values(unit_points, _ADEX_BOX)
    n = len(values)
    threshold = passive.leak_reversal + values[:, 0]
    table = {name: np.full(n, value) for name, value in passive.adex_membrane().items()}
    table.update(
        rheobase_threshold=threshold,
        slope_factor=values[:, 1],
        reset=threshold - values[:, 2],
        spike_adaptation=values[:, 3],
        # 0 mV, the data's spike level, unless a candidate's reset or V_T comes
        # near it (a cell resting high): the runaway is so fast there that
        # the cutoff changes spike times by well under dt
        spike_cutoff=np.maximum(
            SPIKE_THRESHOLD, np.maximum(threshold, threshold - values[:, 2]) + 10.0
        ),
    )
    return table


def _compass_search(point, loss, batch_loss, *, step=0.05, smallest=0.002, max_rounds=40):
    """Local polish in the unit cube: try +-step along every axis at once.

    Each round evaluates the 2 x n_dims neighbours in one batch (one
    simulation), moves to the best if it improves the loss, and halves the
    step otherwise.
    """
    n_dims = point.size
    evaluations = 0
    for _ in range(max_rounds):
        if step < smallest:
            break
        moves = np.vstack([np.eye(n_dims), -np.eye(n_dims)]) * step
        neighbours = np.clip(point + moves, 0.0, 1.0)
        losses = batch_loss(neighbours)
        evaluations += len(neighbours)
        best = int(np.argmin(losses))
        if losses[best] < loss:
            point, loss = neighbours[best], float(losses[best])
        else:
            step /= 2
    return point, loss, evaluations


def _check_rounds(rounds) -> tuple:
    try:
        sizes = tuple(int(size) for size in rounds)
    except (TypeError, ValueError):
        sizes = ()
    if not sizes or any(
        size < 2 or size != float(given) for size, given in zip(sizes, rounds, strict=True)
    ):
        raise ValueError(
            "rounds must be a non-empty sequence of whole numbers >= 2 (candidates per "
            f"search round), e.g. (1024, 256, 256, 256), but got {rounds!r}."
        )
    return sizes


def _cross_entropy_search(model, box, make_table, data, dt, rng, rounds, bar, centre_on_best=False):
    """Search the unit cube of ``box`` for the candidate with the smallest loss.

    Round 1 samples the whole cube with a scrambled Sobol sequence; each
    later round draws from a normal distribution with the mean and standard
    deviation (+ 0.01) of the best :data:`ELITE` candidates so far (the
    cross-entropy method). :func:`_compass_search` then polishes the best.
    ``make_table`` turns unit-cube points into keyword arrays of the
    model's simulator. Returns ``(point, loss, n_candidates)``.
    """
    from scipy.stats import qmc

    n_dims = len(box)
    all_points, all_losses = [], []
    centre, spread = None, None
    for size in rounds:
        if centre is None:
            points = qmc.Sobol(d=n_dims, scramble=True, seed=rng).random(size)
        else:
            points = np.clip(rng.normal(centre, spread, size=(size, n_dims)), 0.0, 1.0)
        trains, n = _run_candidates(model, make_table(points), data, dt)
        all_points.append(points)
        all_losses.append(_loss_of_trains(trains, data, n))
        points_so_far = np.vstack(all_points)
        elite = points_so_far[np.argsort(np.concatenate(all_losses))[:ELITE]]
        # the elite's mean, or its best point (for a loss with several valleys,
        # whose mean can fall between them)
        centre = elite[0] if centre_on_best else elite.mean(axis=0)
        spread = elite.std(axis=0) + 0.01
        bar.update()
    points_so_far = np.vstack(all_points)
    losses_so_far = np.concatenate(all_losses)
    best = int(np.argmin(losses_so_far))

    def batch_loss(points):
        trains, n = _run_candidates(model, make_table(points), data, dt)
        return _loss_of_trains(trains, data, n)

    point, loss, n_polish = _compass_search(
        points_so_far[best], float(losses_so_far[best]), batch_loss
    )
    return point, loss, int(losses_so_far.size) + n_polish


def fit_adex(
    recording, *, passive=None, dt=0.1, rng=None, rounds=(1024, 256, 256, 256), progress=True
) -> ModelFit:
    """Fit an adaptive exponential integrate-and-fire (AdEx) neuron.

    Parameters
    ----------
    recording : Recording
        Training sweeps.
    passive : PassiveFit, optional
        Gives C, g_L, E_L and the subthreshold adaptation a, tau_w (the
        sag); fitted with :func:`fit_passive` if not given.
    dt : float, optional
        Time step in ms (default 0.1).
    rng : numpy.random.Generator, optional
        Scrambles the Sobol points; default ``np.random.default_rng(0)`` so
        the fit is reproducible.
    rounds : sequence of int, optional
        Candidates per round (powers of 2 suit the Sobol sequence).
    progress : bool, optional
        Show a progress bar (one tick per round; default True, as the fit
        takes a few seconds).

    Returns
    -------
    ModelFit
        ``parameters`` are keyword arguments for ``simulate_adex``; the spike
        cutoff is 0 mV, the data's spike detection threshold.

    Notes
    -----
    The subthreshold parameters come from the passive fit (the AdEx
    equations below threshold are exactly its model), so the search is over
    the spiking ones. Round 1 samples the whole box with a scrambled Sobol
    sequence (V_T - E_L 0-30 mV, Delta_T 0.5-6 mV, V_T - V_reset -5-30 mV,
    b 0.5-500 pA log-uniform; ``at_bounds`` names any that ends on an
    edge); each later round draws from a normal distribution with the mean
    and standard deviation (+ 1 % of the box) of
    the best 16 candidates so far (the cross-entropy method). A compass
    search then polishes the best point (+-5 % of the box along each axis,
    halving the step when no neighbour is better, down to 0.2 %).
    """
    started = _time.perf_counter()
    recording = _check_recording(recording)
    dt = _model_dt(dt)
    rng = np.random.default_rng(0) if rng is None else check_rng(rng)
    rounds = _check_rounds(rounds)
    passive = _check_passive(passive, recording, dt)
    data = _step_data(recording)
    bar = _progress(len(rounds), "AdEx fit", progress)
    point, loss, n_candidates = _cross_entropy_search(
        "adex", _ADEX_BOX, lambda points: _adex_table(points, passive), data, dt, rng, rounds, bar
    )
    bar.close()
    parameters = {name: float(values[0]) for name, values in _adex_table(point, passive).items()}
    return ModelFit(
        model="adex",
        parameters=parameters,
        loss=loss,
        train_scores=score_model(
            recording, "adex", parameters, dt=dt, series_resistance=passive.series_resistance
        ),
        n_candidates=n_candidates,
        elapsed=_time.perf_counter() - started,
        sweeps=[s.index for s in recording.sweeps],
        at_bounds=_box_at_bounds(point, _ADEX_BOX),
    )


def _check_passive(passive, recording: Recording, dt: float) -> PassiveFit:
    """The given membrane fit, or :func:`fit_passive` of ``recording`` if None."""
    if passive is None:
        return fit_passive(recording, dt=dt)
    if not isinstance(passive, PassiveFit):
        raise TypeError(
            "passive must be a PassiveFit (from fit_passive) or None, "
            f"but got {type(passive).__name__}."
        )
    return passive


# --------------------------------------------------------------------------
# Izhikevich
# --------------------------------------------------------------------------

IZHIKEVICH_COEFFICIENTS = {
    "quadratic_coefficient": 0.04,
    "linear_coefficient": 5.0,
    "constant_coefficient": 140.0,
}
"""k2 (1/(mV ms)), k1 (1/ms) and k0 (mV/ms) of Izhikevich (2003): the
quadratic fitted to the spike initiation of one cortical cell, in mV and ms."""

_IZHIKEVICH_BOX = (
    ("recovery_rate", 0.002, 0.5, True, "1/ms"),  # a: 1/a from 2 to 500 ms
    ("recovery_sensitivity", -0.1, 0.26, False, "1/ms"),  # b; above 0.267 there is no rest
    ("reset - E_L", -10.0, 45.0, False, "mV"),  # c - E_L
    ("C d", 0.5, 2000.0, True, "pA"),  # the jump of the current C u at a spike
    ("rheobase", 2.0, 5000.0, True, "pA"),  # sets C, the scale of the input I / C
)


def shift_izhikevich(voltage_offset, recovery_sensitivity) -> dict:
    """Coefficients of the paper's model with its voltage axis moved by ``voltage_offset``.

    With V = V_paper + s and u = u_paper + b s, the paper's equations
    (k2, k1, k0 = 0.04, 5, 140; cutoff 30 mV) become the same equations in
    V and u with

        k1' = k1 - 2 k2 s,    k0' = k2 s^2 - k1 s + k0 + b s,    cutoff' = 30 + s

    (the reset c is given directly on the new axis). Every solution is the
    paper's, drawn s mV higher: rest, threshold and spike all move by s.

    Parameters
    ----------
    voltage_offset : float or array_like
        s in mV.
    recovery_sensitivity : float or array_like
        b in 1/ms.

    Returns
    -------
    dict
        ``quadratic_coefficient``, ``linear_coefficient``,
        ``constant_coefficient`` and ``spike_cutoff``: keyword arguments of
        :func:`course_utils.neurons.simulate_izhikevich`.
    """
    s = as_array("voltage_offset", voltage_offset, unit="mV", ndim=(0, 1))
    b = as_array("recovery_sensitivity", recovery_sensitivity, unit="1/ms", ndim=(0, 1))
    k2, k1, k0 = IZHIKEVICH_COEFFICIENTS.values()
    s, b = np.broadcast_arrays(s, b)
    return {
        "quadratic_coefficient": np.full(s.shape, k2),
        "linear_coefficient": k1 - 2.0 * k2 * s,
        "constant_coefficient": k2 * s**2 - k1 * s + k0 + b * s,
        "spike_cutoff": 30.0 + s,
    }


def izhikevich_properties(parameters) -> dict:
    """What an Izhikevich parameter set means for the membrane, in the course's units.

    Near rest the model is linear. With D = (k1 - b)^2 - 4 k2 k0 (its
    discriminant; both fixed points exist when D >= 0):

    * ``resting_potential`` (mV): the lower fixed point;
    * ``threshold_potential`` (mV): -k1 / (2 k2), where dV/dt is smallest:
      above it V runs away unless u grows first (with u frozen, the
      threshold for a fast input);
    * ``input_resistance`` (GOhm): steady-state dV / dI = 1 / (C sqrt(D));
    * ``fast_time_constant`` (ms): 1 / (sqrt(D) - b), the charging time
      with u frozen (NaN if not positive: the rest then leans on u);
    * ``rheobase`` (pA): C ((k1 - b)^2 / (4 k2) - k0), the constant current
      at which the resting state disappears (a resonator, a large a, can
      start firing below it);
    * ``voltage_offset`` (mV): s of :func:`shift_izhikevich`, if the
      coefficients are the paper's shifted (else NaN).

    None of these is a free parameter of the model: with k2 fixed, b sets
    the distance from rest to threshold, sqrt(D) / k2, and with it the time
    constant; C only scales the current.

    Parameters
    ----------
    parameters : dict
        Keyword arguments of ``simulate_izhikevich`` (``membrane_capacitance``
        and ``recovery_sensitivity`` at least; the coefficients default to
        the paper's).

    Returns
    -------
    dict of float
    """
    if not isinstance(parameters, dict):
        raise TypeError(f"parameters must be a dict, but got {type(parameters).__name__}.")
    missing = {"membrane_capacitance", "recovery_sensitivity"} - set(parameters)
    if missing:
        raise ValueError(f"parameters lacks {', '.join(sorted(missing))}.")
    values = {**IZHIKEVICH_COEFFICIENTS, **parameters}
    k2 = as_float("quadratic_coefficient", values["quadratic_coefficient"], positive=True)
    k1 = as_float("linear_coefficient", values["linear_coefficient"])
    k0 = as_float("constant_coefficient", values["constant_coefficient"])
    b = as_float("recovery_sensitivity", values["recovery_sensitivity"], unit="1/ms")
    capacitance = as_float(
        "membrane_capacitance", values["membrane_capacitance"], unit="pF", positive=True
    )
    linear = k1 - b
    discriminant = linear**2 - 4.0 * k2 * k0
    root = float(np.sqrt(discriminant)) if discriminant >= 0 else float("nan")
    offset = (IZHIKEVICH_COEFFICIENTS["linear_coefficient"] - k1) / (2.0 * k2)
    expected = shift_izhikevich(offset, b)
    shifted = k2 == IZHIKEVICH_COEFFICIENTS["quadratic_coefficient"] and np.isclose(
        float(expected["constant_coefficient"]), k0, rtol=1e-9, atol=1e-9
    )
    return {
        "resting_potential": (-linear - root) / (2.0 * k2),
        "threshold_potential": -k1 / (2.0 * k2),
        "input_resistance": 1.0 / (capacitance * root) if root > 0 else float("nan"),
        "fast_time_constant": 1.0 / (root - b) if root > b else float("nan"),
        "rheobase": capacitance * (linear**2 / (4.0 * k2) - k0),
        "voltage_offset": float(offset) if shifted else float("nan"),
    }


def _izhikevich_table(unit_points: np.ndarray, rest: float, match_rest: bool) -> dict:
    """Turn points of the unit cube into simulate_izhikevich keyword arrays."""
    from ..neurons import izhikevich_resting_potential

    a, b, reset_gap, jump_current, rheobase = _box_values(unit_points, _IZHIKEVICH_BOX).T
    k2, k1, k0 = IZHIKEVICH_COEFFICIENTS.values()
    # searched as the steady-state rheobase C ((k1 - b)^2 / (4 k2) - k0), which
    # the data pin down, rather than C, which trades off against b
    capacitance = rheobase / ((k1 - b) ** 2 / (4.0 * k2) - k0)
    offset = rest - izhikevich_resting_potential(b) if match_rest else np.zeros_like(b)
    table = {
        "membrane_capacitance": capacitance,
        "recovery_rate": a,
        "recovery_sensitivity": b,
        "reset": rest + reset_gap,
        # searched as the current C d (pA), which does not change with the
        # input scale C, like AdEx's b
        "recovery_jump": jump_current / capacitance,
    }
    table.update(shift_izhikevich(offset, b))
    return table


def fit_izhikevich(
    recording,
    *,
    passive=None,
    dt=0.1,
    rng=None,
    rounds=(1024, 256, 256, 256),
    match_rest=True,
    progress=True,
) -> ModelFit:
    """Fit an Izhikevich (2003) neuron: a, b, c, d and the input scale C.

    The model (:func:`course_utils.neurons.simulate_izhikevich`)::

        dV/dt = 0.04 V^2 + 5 V + 140 - u + I / C,   du/dt = a (b V - u)
        if V >= 30 mV: V := c, u := u + d

    Parameters
    ----------
    recording : Recording
        Training sweeps.
    passive : PassiveFit, optional
        Only its resting potential E_L is used; fitted with
        :func:`fit_passive` if not given.
    dt : float, optional
        Time step in ms (default 0.1).
    rng : numpy.random.Generator, optional
        Scrambles the Sobol points; default ``np.random.default_rng(0)``.
    rounds : sequence of int, optional
        Candidates per search round, as in :func:`fit_adex`.
    match_rest : bool, optional
        Move the model's voltage axis by s = E_L - (the paper's rest for
        this b) so that every candidate rests at the cell's E_L (default
        True; see Notes). False fits the paper's equations unchanged.
    progress : bool, optional
        Show a progress bar (one tick per round).

    Returns
    -------
    ModelFit
        ``parameters`` are keyword arguments for ``simulate_izhikevich``
        (the shifted coefficients and cutoff included); ``derived`` holds
        :func:`izhikevich_properties` (the offset s, rest, input
        resistance, fast time constant, rheobase).

    Notes
    -----
    The quadratic is written for V in mV and t in ms and its coefficients
    are fixed: with b = 0.2 the paper's cell rests at -70 mV with its
    threshold 20 mV above. A cell resting elsewhere (here about -62 mV)
    would force b to place the rest, so by default the voltage axis is
    moved (:func:`shift_izhikevich`); that is the only change to the
    paper's model, and the shift is reported in ``derived``. The curvature
    0.04 /(mV ms) stays, so the model's time scale near rest
    (``fast_time_constant``) is not fitted to the cell's membrane.

    The loss is the one of the other spiking fits (f-I RMS / 10 Hz + timing
    error, test steps from rest), minimised by the search of
    :func:`fit_adex` over a 0.002-0.5 /ms (log), b -0.1-0.26 /ms (above
    0.267 the model has no resting state), c - E_L -10-45 mV, C d (the jump
    of the current C u at a spike, like AdEx's b) 0.5-2000 pA (log) and,
    instead of C, the steady-state rheobase C ((5 - b)^2 / 0.16 - 140)
    2-5000 pA (log), which the data pin down while C trades off against b;
    ``at_bounds`` names any parameter that ends on an edge.
    """
    started = _time.perf_counter()
    recording = _check_recording(recording)
    dt = check_dt(dt)
    rng = np.random.default_rng(0) if rng is None else check_rng(rng)
    rounds = _check_rounds(rounds)
    if not isinstance(match_rest, bool):
        raise TypeError(f"match_rest must be True or False, but got {match_rest!r}.")
    passive = _check_passive(passive, recording, dt)
    data = _step_data(recording)
    rest = passive.leak_reversal

    def make_table(points):
        return _izhikevich_table(points, rest, match_rest)

    bar = _progress(len(rounds), "Izhikevich fit", progress)
    point, loss, n_candidates = _cross_entropy_search(
        "izhikevich", _IZHIKEVICH_BOX, make_table, data, dt, rng, rounds, bar, centre_on_best=True
    )
    bar.close()
    parameters = {name: float(values[0]) for name, values in make_table(point).items()}
    return ModelFit(
        model="izhikevich",
        parameters=parameters,
        loss=loss,
        train_scores=score_model(
            recording, "izhikevich", parameters, dt=dt,
            series_resistance=passive.series_resistance,
        ),
        n_candidates=n_candidates,
        elapsed=_time.perf_counter() - started,
        sweeps=[s.index for s in recording.sweeps],
        at_bounds=_box_at_bounds(point, _IZHIKEVICH_BOX),
        derived=izhikevich_properties(parameters),
    )


# --------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------


def simulate_sweeps(recording, model, parameters, *, dt=0.1, series_resistance=0.0):
    """Simulate a model on every sweep of a recording, with its command current.

    Parameters
    ----------
    recording : Recording
    model : {"lif", "adex", "izhikevich"}
    parameters : dict
        Keyword arguments of ``simulate_lif`` / ``simulate_adex`` /
        ``simulate_izhikevich``.
    dt : float, optional
        Time step in ms (default 0.1).
    series_resistance : float, optional
        R_s in GOhm: ``predicted`` adds R_s I(t) to the membrane potential,
        as the recording does (default 0).

    Returns
    -------
    result : SimulationResult
        One neuron per sweep, started at rest (E_L).
    predicted : numpy.ndarray
        The voltage the electrode would record, ``result.voltage + R_s I``
        (n_sweeps, n_steps), mV.
    data_voltage : numpy.ndarray
        The recorded voltage at the model's time points (n_sweeps, n_steps).
    """
    recording = _check_recording(recording)
    dt = _model_dt(dt)
    simulate = _simulator(model)
    _check_parameters(parameters, simulate)
    grid, voltage, command = _resample(recording, dt)
    series_resistance = as_float("series_resistance", series_resistance, unit="GOhm")
    result = simulate(duration=grid.size * dt, dt=dt, current=command, **parameters)
    return result, result.voltage + series_resistance * command, voltage


def score_model(
    recording, model, parameters, *, dt=0.1, delta=DEFAULT_DELTA, series_resistance=0.0, rng=None
) -> Scores:
    """f-I error, coincidence factor (with its ceiling) and subthreshold RMSE.

    Parameters
    ----------
    recording : Recording
        The sweeps to score (e.g. the held-out half from :func:`split_sweeps`).
    model : {"lif", "adex", "izhikevich"}
    parameters : dict
        Keyword arguments of ``simulate_lif`` / ``simulate_adex`` /
        ``simulate_izhikevich``.
    dt : float, optional
        Time step in ms (default 0.1).
    delta : float, optional
        Coincidence window of Gamma in ms (default 4).
    series_resistance : float, optional
        R_s in GOhm added to the model voltage as in the recording (see
        :class:`PassiveFit`); default 0.
    rng : numpy.random.Generator, optional
        For the bootstrap (default ``np.random.default_rng(0)``).

    Returns
    -------
    Scores
        See the module docstring for the definitions. Sweeps whose test
        step goes into depolarisation block or has failed spikes are left
        out of the rates and Gamma (``Scores.excluded``).

    Notes
    -----
    The protocol's steps are constant currents. After the first spike or
    two, a cell's spike times under a constant current drift from trial to
    trial, so even the cell against itself reaches a Gamma well below 1:
    compare a model with ``gamma_intrinsic``, not with 1. Fluctuating
    currents (Jolivet et al. 2008) make timing reproducible and Gamma far
    more informative.
    """
    rng = np.random.default_rng(0) if rng is None else check_rng(rng)
    delta = as_float("delta", delta, unit="ms", positive=True)
    if delta < _model_dt(dt):
        raise ValueError(
            f"delta ({delta:g} ms) must be at least the model's time step dt ({dt:g} ms): "
            "spike times are only known to one step."
        )
    result, predicted, data_voltage = simulate_sweeps(
        recording, model, parameters, dt=dt, series_resistance=series_resistance
    )
    detections = _detections(recording)
    data_spikes = _data_spikes(recording, detections)
    excluded = _excluded_sweeps(recording, detections)
    steps = recording.test_steps()
    repeats = repeated_steps(recording)
    data_rates, model_rates, gammas, used = [], [], [], []
    mask = np.ones(data_voltage.shape, dtype=bool)
    grid = result.time
    for k, step in enumerate(steps):
        window = (step.start, step.stop)
        in_data = step.contains(data_spikes[k])
        in_model = step.contains(result.spike_times[k])
        data_rates.append(np.count_nonzero(in_data) / step.duration * 1000.0)
        model_rates.append(np.count_nonzero(in_model) / step.duration * 1000.0)
        if in_data.any() and recording.sweeps[k].index not in excluded:
            used.append(k)
            gammas.append(
                pooled_coincidence_factor(
                    [data_spikes[k]], [result.spike_times[k]], [window], delta
                )
            )
        else:
            gammas.append(np.nan)
        for spike in np.concatenate([data_spikes[k], result.spike_times[k]]):
            mask[k, (grid >= spike + SPIKE_MASK[0]) & (grid < spike + SPIKE_MASK[1])] = False
    data_rates, model_rates = np.array(data_rates), np.array(model_rates)
    kept = np.array([s.index not in excluded for s in recording.sweeps])
    mask[~kept] = False  # block and failed spikes: no point model describes those sweeps

    # each used sweep's (numerator, denominator) of Gamma, model vs data and
    # the cell's repeat vs itself: pooling and the bootstrap only add them up
    model_terms = np.array(
        [
            _gamma_terms(
                data_spikes[k], result.spike_times[k], (steps[k].start, steps[k].stop), delta
            )
            for k in used
        ]
    ).reshape(-1, 2)
    if repeats is not None:
        own_terms = np.array(
            [
                _gamma_terms(
                    data_spikes[k] - repeats[k][0].start,
                    data_spikes[k] - repeats[k][1].start,
                    (0.0, repeats[k][0].duration),
                    delta,
                )
                for k in used
            ]
        ).reshape(-1, 2)
    else:
        own_terms = np.full((len(used), 2), np.nan)
    gamma, intrinsic, intervals = _pooled_with_bootstrap(model_terms, own_terms, rng)
    difference = (predicted - data_voltage)[mask]
    if difference.size == 0:
        difference = np.array([np.nan])
    return Scores(
        fi_rms=float(np.sqrt(np.mean((model_rates[kept] - data_rates[kept]) ** 2)))
        if kept.any()
        else float("nan"),
        gamma=gamma,
        subthreshold_rmse=float(np.sqrt(np.mean(difference**2))),
        data_rates=data_rates,
        model_rates=model_rates,
        gammas=np.array(gammas, dtype=float),
        sweeps=[s.index for s in recording.sweeps],
        gamma_interval=intervals[0],
        gamma_intrinsic=intrinsic,
        gamma_intrinsic_interval=intervals[1],
        gamma_relative=gamma / intrinsic if intrinsic > 0 else float("nan"),
        gamma_relative_interval=intervals[2],
        excluded=sorted(excluded),
    )


# --------------------------------------------------------------------------
# Everything at once
# --------------------------------------------------------------------------


@dataclass
class FitReport:
    """Passive, LIF, AdEx and Izhikevich fits of a recording, scored on held-out sweeps.

    Attributes
    ----------
    passive : PassiveFit
    lif, adex, izhikevich : ModelFit
    lif_test, adex_test, izhikevich_test : Scores
        Scores on the held-out sweeps.
    train_sweeps, test_sweeps : list of int
    timings : dict
        Wall-clock seconds: ``"warm_up"`` (loading the compiled solvers),
        ``"passive"``, ``"lif"``, ``"adex"``, ``"izhikevich"``, ``"scoring"``,
        ``"total"``.
    """

    passive: PassiveFit
    lif: ModelFit
    adex: ModelFit
    izhikevich: ModelFit
    lif_test: Scores
    adex_test: Scores
    izhikevich_test: Scores
    train_sweeps: list[int]
    test_sweeps: list[int]
    timings: dict

    def summary(self) -> str:
        """The fits and held-out scores as text."""
        p = self.passive
        lines = [
            f"membrane: C = {p.membrane_capacitance:.1f} pF, g_L = {p.leak_conductance:.2f} nS, "
            f"E_L = {p.leak_reversal:.2f} mV, tau = {p.membrane_time_constant:.1f} ms; "
            f"sag a = {p.sag_conductance:.2f} nS, tau_w = {p.sag_time_constant:.0f} ms; "
            f"steady-state R_in = {p.input_resistance * 1000:.0f} MOhm; "
            f"R_s = {p.series_resistance * 1000:.1f} MOhm; RMSE {p.rmse:.2f} mV",
            f"  apparent tau of the model's step responses {p.apparent_time_constant:.1f} ms, "
            f"of the data's {p.measured_time_constant:.1f} ms (same method)",
        ]
        if p.at_bounds:
            lines.append("  on a search bound: " + "; ".join(p.at_bounds))
        if p.note:
            lines.append(f"  {p.note}")
        for name, fit, test in (
            ("LIF", self.lif, self.lif_test),
            ("AdEx", self.adex, self.adex_test),
            ("Izhikevich", self.izhikevich, self.izhikevich_test),
        ):
            shown = {k: round(v, 3) for k, v in fit.parameters.items() if k not in _MEMBRANE_KWARGS}
            lines.append(f"{name}: {shown}")
            if fit.at_bounds:
                lines.append("  on a search bound: " + "; ".join(fit.at_bounds))
            lines.append(
                f"  held-out: f-I RMS {test.fi_rms:.2f} Hz, "
                f"subthreshold RMSE {test.subthreshold_rmse:.2f} mV"
            )
            lines.append(f"  held-out: {test.gamma_text()}")
        t = self.timings
        lines.append("time: " + ", ".join(f"{k} {v:.2f} s" for k, v in t.items()))
        return "\n".join(lines)


def _warm_up(dt: float) -> None:
    """Run the solver variants the fits use once on a tiny problem.

    The first call of a compiled (numba) kernel in a Python session loads
    it from the disk cache or compiles it; doing that here keeps it out of
    the timings of the fits.
    """
    from ..neurons import simulate_adex, simulate_izhikevich, simulate_lif

    membrane = {"membrane_capacitance": 100.0, "leak_conductance": 10.0, "leak_reversal": -65.0}
    adex = {
        "slope_factor": 2.0,
        "rheobase_threshold": -50.0,
        "reset": -60.0,
        "adaptation_coupling": 1.0,
        "spike_adaptation": 10.0,
        "adaptation_time_constant": 100.0,
    }
    tiny = {"duration": 10 * dt, "dt": dt}
    simulate_lif(bias_current=np.zeros(2), record_voltage=False, **membrane, **tiny)
    simulate_lif(current=np.zeros((2, 10)), **membrane, **tiny)
    simulate_adex(bias_current=np.zeros(2), record_voltage=False, **membrane, **adex, **tiny)
    simulate_adex(
        current=np.zeros((2, 10)), initial_voltage=np.zeros(2) - 65.0, **membrane, **adex, **tiny
    )
    izhikevich = {"membrane_capacitance": 100.0, "recovery_rate": 0.02, "reset": -65.0}
    izhikevich.update(recovery_sensitivity=0.2, recovery_jump=8.0)
    simulate_izhikevich(bias_current=np.zeros(2), record_voltage=False, **izhikevich, **tiny)
    simulate_izhikevich(current=np.zeros((2, 10)), **izhikevich, **tiny)


def fit_all(recording, *, dt=0.1, rng=None, progress=True) -> FitReport:
    """Fit passive, LIF, AdEx and Izhikevich models to alternate sweeps; score on the others.

    Parameters
    ----------
    recording : Recording
        A current-clamp step recording.
    dt : float, optional
        Model time step in ms (default 0.1: the 20 kHz recording is read at
        every second sample).
    rng : numpy.random.Generator, optional
        For the AdEx search, then the Izhikevich search (default: each its
        own ``np.random.default_rng(0)``, as in lesson 5).
    progress : bool, optional
        Show a progress bar over the stages.

    Returns
    -------
    FitReport
        With ``timings`` in seconds (the course's benchmark reads
        ``timings["total"]``).
    """
    recording = _check_recording(recording)
    dt = _model_dt(dt)
    timings = {}
    started = _time.perf_counter()
    bar = _progress(6, "fitting", progress)
    mark = _time.perf_counter()
    _warm_up(dt)
    timings["warm_up"] = _time.perf_counter() - mark
    bar.update()
    train, test = split_sweeps(recording)
    mark = _time.perf_counter()
    passive = fit_passive(train, dt=dt)
    timings["passive"] = _time.perf_counter() - mark
    bar.update()
    mark = _time.perf_counter()
    lif = fit_lif(train, passive=passive, dt=dt)
    timings["lif"] = _time.perf_counter() - mark
    bar.update()
    mark = _time.perf_counter()
    adex = fit_adex(train, passive=passive, dt=dt, rng=rng, progress=False)
    timings["adex"] = _time.perf_counter() - mark
    bar.update()
    mark = _time.perf_counter()
    izhikevich = fit_izhikevich(train, passive=passive, dt=dt, rng=rng, progress=False)
    timings["izhikevich"] = _time.perf_counter() - mark
    bar.update()
    mark = _time.perf_counter()
    r_s = passive.series_resistance
    lif_test = score_model(test, "lif", lif.parameters, dt=dt, series_resistance=r_s)
    adex_test = score_model(test, "adex", adex.parameters, dt=dt, series_resistance=r_s)
    izhikevich_test = score_model(
        test, "izhikevich", izhikevich.parameters, dt=dt, series_resistance=r_s
    )
    timings["scoring"] = _time.perf_counter() - mark
    bar.update()
    bar.close()
    timings["total"] = _time.perf_counter() - started
    return FitReport(
        passive=passive,
        lif=lif,
        adex=adex,
        izhikevich=izhikevich,
        lif_test=lif_test,
        adex_test=adex_test,
        izhikevich_test=izhikevich_test,
        train_sweeps=[s.index for s in train.sweeps],
        test_sweeps=[s.index for s in test.sweeps],
        timings=timings,
    )


__all__ = [
    "DEFAULT_DELTA",
    "FitReport",
    "IZHIKEVICH_COEFFICIENTS",
    "MODELS",
    "ModelFit",
    "PassiveFit",
    "Scores",
    "coincidence_factor",
    "fit_adex",
    "fit_all",
    "fit_izhikevich",
    "fit_lif",
    "fit_passive",
    "izhikevich_properties",
    "score_model",
    "shift_izhikevich",
    "simulate_sweeps",
    "split_sweeps",
]

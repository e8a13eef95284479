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
1. :func:`fit_passive` - the subthreshold membrane: C, g_L, E_L, a slow
   sag current (a, tau_w) and the electrode's series resistance R_s (see
   :class:`PassiveFit`), by ``scipy.optimize.least_squares`` on the sweeps
   without spikes (whole sweeps, with the recorded command). ``sag=False``
   fits a plain RC membrane, ``C dV/dt = g_L (E_L - V) + I(t)``.
2. :func:`fit_lif` - threshold, reset and refractory period of a LIF neuron
   with the membrane of step 1, by a grid search and a finer grid around
   the best point.
3. :func:`fit_adex` - the spiking AdEx parameters (V_T, Delta_T, V_reset,
   b; C, g_L, E_L, a, tau_w from step 1) by a cross-entropy search (a
   Sobol round, then rounds drawn around the best candidates) and a
   compass-search polish.

The spiking fits simulate the test step only (of the sweeps where it is
>= 0 pA): before the step the cell sits at rest with no injected current,
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
* coincidence factor Gamma (:func:`coincidence_factor`), mean over the
  sweeps whose test step has data spikes;
* subthreshold voltage RMSE in mV over the whole sweep, leaving out
  ``[-2, +10] ms`` around every data or model spike.

Time step: the fits and scores run at ``dt = 0.1 ms`` by default; the
recording (0.05 ms here) is read at the model's time points.
"""

from __future__ import annotations

import time as _time
from dataclasses import dataclass, field

import numpy as np

from ._validation import as_float, check_dt, check_rng
from .analysis import spike_times_from_trace
from .data import Recording, RecordingError

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
        Spike times in ms (only those in ``window`` are used).
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
    """
    from .analysis import _check_window

    start, stop = _check_window(window)
    delta = as_float("delta", delta, unit="ms", positive=True)
    data = np.sort(np.asarray(data_spikes, dtype=float).ravel())
    model = np.sort(np.asarray(model_spikes, dtype=float).ravel())
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
    if not isinstance(test_every, int) or test_every < 2:
        raise ValueError(f"test_every must be a whole number >= 2, but got {test_every!r}.")
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


def _data_spikes(recording: Recording) -> list[np.ndarray]:
    return [spike_times_from_trace(s.time, s.voltage, SPIKE_THRESHOLD) for s in recording.sweeps]


# --------------------------------------------------------------------------
# Passive membrane
# --------------------------------------------------------------------------


@dataclass
class PassiveFit:
    """A subthreshold membrane model fitted to the sweeps without spikes.

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


def fit_passive(recording, *, dt=0.1, sag=True, series_resistance=True) -> PassiveFit:
    """Fit the subthreshold membrane (C, g_L, E_L; sag; series resistance).

    Parameters
    ----------
    recording : Recording
        Sweeps with their command current. Sweeps with any spike (0 mV
        crossing) are left out.
    dt : float, optional
        Time step of the model in ms (default 0.1).
    sag : bool, optional
        Fit the slow sag current (a, tau_w); False fits a plain RC membrane.
    series_resistance : bool, optional
        Fit the series resistance R_s.

    Returns
    -------
    PassiveFit

    Notes
    -----
    Minimises the squared difference between the recorded voltage and the
    model driven by the recorded command (whole sweeps), with
    ``scipy.optimize.least_squares``. The model is run with
    ``simulate_adex`` with the spike term switched off (V_T = 1000 mV) and
    no spike-triggered adaptation: exactly the equations of
    :class:`PassiveFit`. Each Jacobian evaluation simulates the base point
    and all its perturbations in one call (one neuron per parameter set and
    sweep). Start: g_L = 1 / R_in, C = tau g_L from
    :func:`course_utils.analysis.extract_features`.

    A plain RC fit to a cell with sag is a compromise that shortens tau
    (for the example cell ~17 ms against ~40 ms with the sag term).
    """
    from scipy.optimize import least_squares

    from .analysis import extract_features
    from .neurons import simulate_adex

    started = _time.perf_counter()
    recording = _check_recording(recording)
    dt = check_dt(dt)
    spikes = _data_spikes(recording)
    quiet = [i for i, s in enumerate(spikes) if s.size == 0]
    if not quiet:
        raise RecordingError(
            f"{recording.file_name}: every sweep has spikes; fit_passive needs at least "
            "one sweep without spikes."
        )
    subset = recording.select(quiet)
    grid, voltage, command = _resample(subset, dt)
    n_sweeps, n_steps = voltage.shape
    duration = n_steps * dt

    features = extract_features(subset)
    resistance = features.cell.input_resistance
    tau = features.cell.membrane_time_constant
    if not (np.isfinite(resistance) and resistance > 0):
        resistance = 0.1
    if not (np.isfinite(tau) and tau > 0):
        tau = 20.0
    rest = float(np.median(voltage[:, : max(1, int(50 / dt))]))

    # free parameters: log C, log g_L, E_L, then optionally log a, log tau_w, R_s
    names = ["log_c", "log_g", "rest"]
    x0 = [np.log(tau / resistance), np.log(1.0 / resistance), rest]
    low = [np.log(5.0), np.log(0.1), -120.0]
    high = [np.log(5000.0), np.log(500.0), 0.0]
    if sag:
        names += ["log_a", "log_tau_w"]
        x0 += [np.log(0.2 / resistance), np.log(100.0)]
        low += [np.log(1e-3), np.log(5.0)]
        high += [np.log(200.0), np.log(5000.0)]
    if series_resistance:
        names += ["series"]
        x0 += [0.005]
        low += [0.0]
        high += [0.2]
    x0, low, high = np.array(x0), np.array(low), np.array(high)
    x0 = np.clip(x0, low + 1e-6, high - 1e-6)
    kind = np.array(names)
    steps = np.where(kind == "series", 1e-5, np.where(kind == "rest", 1e-3, 1e-4))

    def unpack(points):
        points = np.atleast_2d(points)
        column = {name: points[:, i] for i, name in enumerate(names)}
        zeros = np.zeros(len(points))
        return (
            np.exp(column["log_c"]),
            np.exp(column["log_g"]),
            column["rest"],
            np.exp(column["log_a"]) if sag else zeros,
            np.exp(column["log_tau_w"]) if sag else zeros + 100.0,
            column["series"] if series_resistance else zeros,
        )

    def simulate(points):
        """Recorded voltage predicted for parameter rows: (n_points, n_sweeps, n_steps)."""
        c, g, e, a, tau_w, r_s = unpack(points)
        n_points = c.size
        result = simulate_adex(
            duration=duration,
            dt=dt,
            membrane_capacitance=np.repeat(c, n_sweeps),
            leak_conductance=np.repeat(g, n_sweeps),
            leak_reversal=np.repeat(e, n_sweeps),
            adaptation_coupling=np.repeat(a, n_sweeps),
            adaptation_time_constant=np.repeat(tau_w, n_sweeps),
            spike_adaptation=0.0,
            current=np.tile(command, (n_points, 1)),
            initial_voltage=np.repeat(e, n_sweeps),
            **_LINEAR,
        )
        membrane = result.voltage.reshape(n_points, n_sweeps, n_steps)
        return membrane + r_s[:, None, None] * command[None]

    cache: dict[bytes, np.ndarray] = {}

    def evaluate(x):
        key = x.tobytes()
        if key not in cache:
            cache.clear()
            cache[key] = simulate(np.vstack([x, x + np.diag(steps)]))
        return cache[key]

    def residuals(x):
        return (evaluate(x)[0] - voltage).ravel()

    def jacobian(x):
        runs = evaluate(x)
        return np.stack(
            [((runs[k + 1] - runs[0]) / steps[k]).ravel() for k in range(len(names))], axis=1
        )

    scale = np.where(kind == "rest", 10.0, np.where(kind == "series", 0.01, 1.0))
    solution = least_squares(residuals, x0, jac=jacobian, bounds=(low, high), x_scale=scale)
    c, g, e, a, tau_w, r_s = (float(v[0]) for v in unpack(solution.x))
    return PassiveFit(
        membrane_capacitance=c,
        leak_conductance=g,
        leak_reversal=e,
        sag_conductance=a,
        sag_time_constant=tau_w,
        series_resistance=r_s,
        rmse=float(np.sqrt(np.mean(solution.fun**2))),
        sweeps=[s.index for s in subset.sweeps],
        elapsed=_time.perf_counter() - started,
    )


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
        Mean coincidence factor over sweeps whose test step has data spikes
        (NaN if none has).
    subthreshold_rmse : float
        RMS voltage difference over the whole sweeps, spikes masked, mV.
    data_rates, model_rates : numpy.ndarray
        Test-step firing rates of each sweep, Hz.
    gammas : numpy.ndarray
        Gamma of each sweep (NaN where the data has no spike in the test
        step; 0 where the model fires too fast for Gamma to be defined).
    sweeps : list of int
        Indices of the scored sweeps.
    """

    fi_rms: float
    gamma: float
    subthreshold_rmse: float
    data_rates: np.ndarray
    model_rates: np.ndarray
    gammas: np.ndarray
    sweeps: list[int]


@dataclass
class ModelFit:
    """A fitted spiking model.

    Attributes
    ----------
    model : str
        ``"lif"`` or ``"adex"``.
    parameters : dict
        Keyword arguments for ``simulate_lif`` / ``simulate_adex`` (units as
        there: pF, nS, mV, ms, pA).
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
    """

    model: str
    parameters: dict
    loss: float
    train_scores: Scores
    n_candidates: int
    elapsed: float
    sweeps: list[int] = field(default_factory=list)


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
    the positive ones already penalise.
    """
    steps = recording.test_steps()
    chosen = [k for k, step in enumerate(steps) if step.amplitude >= 0]
    spikes = []
    for k in chosen:
        sweep, step = recording.sweeps[k], steps[k]
        times = spike_times_from_trace(sweep.time, sweep.voltage, SPIKE_THRESHOLD, window=step)
        spikes.append(times - step.start)
    if not any(t.size for t in spikes):
        raise RecordingError(
            f"{recording.file_name}: no sweep has spikes in its test step, so there is "
            "nothing to fit a spiking model to."
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


def _run_candidates(model: str, table: dict, data: _StepData, dt: float):
    """Simulate every candidate (rows of ``table``) on every step; return spike trains."""
    from .neurons import simulate_adex, simulate_lif

    n_candidates = len(next(iter(table.values())))
    n_sweeps = data.amplitudes.size
    per_neuron = {
        name: np.repeat(np.asarray(v, dtype=float), n_sweeps) for name, v in table.items()
    }
    bias = np.tile(data.amplitudes, n_candidates)
    simulate = simulate_lif if model == "lif" else simulate_adex
    result = simulate(
        duration=data.duration, dt=dt, bias_current=bias, record_voltage=False, **per_neuron
    )
    return result.spike_times, n_candidates


def _progress(total, description, enabled):
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=description, disable=not enabled, leave=False)


# --------------------------------------------------------------------------
# LIF
# --------------------------------------------------------------------------


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
    g_L + a (a LIF has no sag). Grid 1: threshold 1-30 mV above E_L (1 mV
    steps) x threshold - reset in {2, 4, 6, 9, 12, 16, 20, 25, 30} mV x
    refractory period in {0, 2, 4, 8, 15, 25} ms (1620 candidates). Grid 2:
    +-1 mV around the best threshold in 0.2 mV steps, the reset gap +-3 mV
    in 0.5 mV steps, the refractory period +-2 ms in 0.5 ms steps.
    Each grid is one simulation of candidates x sweeps neurons.
    """
    started = _time.perf_counter()
    recording = _check_recording(recording)
    dt = check_dt(dt)
    bar = _progress(3, "LIF fit", progress)
    if passive is None:
        passive = fit_passive(recording, dt=dt)
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
        np.arange(1.0, 31.0, 1.0),
        np.array([2.0, 4.0, 6.0, 9.0, 12.0, 16.0, 20.0, 25.0, 30.0]),
        np.array([0.0, 2.0, 4.0, 8.0, 15.0, 25.0]),
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
    )


# --------------------------------------------------------------------------
# AdEx
# --------------------------------------------------------------------------

# Search box: (name, low, high, log scale)
ELITE = 16
"""Candidates kept from each AdEx search round to centre the next one."""

_ADEX_BOX = (
    ("threshold_offset", 2.0, 30.0, False),  # V_T - E_L, mV
    ("slope_factor", 0.5, 6.0, False),  # Delta_T, mV
    ("reset_gap", -5.0, 25.0, False),  # V_T - V_reset, mV
    ("spike_adaptation", 0.5, 200.0, True),  # b, pA
)


def _adex_table(unit_points: np.ndarray, box: np.ndarray, passive: PassiveFit) -> dict:
    """Turn points of the unit cube into simulate_adex keyword arrays."""
    unit_points = np.atleast_2d(unit_points)
    low, high = box[:, 0], box[:, 1]
    values = np.empty_like(unit_points)
    for i, entry in enumerate(_ADEX_BOX):
        if entry[3]:
            values[:, i] = np.exp(
                np.log(low[i]) + unit_points[:, i] * (np.log(high[i]) - np.log(low[i]))
            )
        else:
            values[:, i] = low[i] + unit_points[:, i] * (high[i] - low[i])
    n = len(values)
    threshold = passive.leak_reversal + values[:, 0]
    table = {name: np.full(n, value) for name, value in passive.adex_membrane().items()}
    table.update(
        rheobase_threshold=threshold,
        slope_factor=values[:, 1],
        reset=threshold - values[:, 2],
        spike_adaptation=values[:, 3],
        spike_cutoff=np.full(n, SPIKE_THRESHOLD),
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
    sequence (V_T - E_L 2-30 mV, Delta_T 0.5-6 mV, V_T - V_reset -5-25 mV,
    b 0.5-200 pA log-uniform); each later round draws from a normal
    distribution with the mean and standard deviation (+ 1 % of the box) of
    the best 16 candidates so far (the cross-entropy method). A compass
    search then polishes the best point (+-5 % of the box along each axis,
    halving the step when no neighbour is better, down to 0.2 %).
    """
    from scipy.stats import qmc

    started = _time.perf_counter()
    recording = _check_recording(recording)
    dt = check_dt(dt)
    rng = np.random.default_rng(0) if rng is None else check_rng(rng)
    if passive is None:
        passive = fit_passive(recording, dt=dt)
    data = _step_data(recording)
    full_box = np.array([[entry[1], entry[2]] for entry in _ADEX_BOX])
    n_dims = len(_ADEX_BOX)
    all_points, all_losses = [], []
    centre, spread = None, None
    bar = _progress(len(rounds), "AdEx fit", progress)
    for size in rounds:
        if centre is None:
            points = qmc.Sobol(d=n_dims, scramble=True, seed=rng).random(int(size))
        else:
            points = np.clip(rng.normal(centre, spread, size=(int(size), n_dims)), 0.0, 1.0)
        table = _adex_table(points, full_box, passive)
        trains, n = _run_candidates("adex", table, data, dt)
        all_points.append(points)
        all_losses.append(_loss_of_trains(trains, data, n))
        points_so_far = np.vstack(all_points)
        losses_so_far = np.concatenate(all_losses)
        elite = points_so_far[np.argsort(losses_so_far)[:ELITE]]
        centre = elite.mean(axis=0)
        spread = elite.std(axis=0) + 0.01
        bar.update()
    bar.close()
    points_so_far = np.vstack(all_points)
    losses_so_far = np.concatenate(all_losses)
    best = int(np.argmin(losses_so_far))

    def batch_loss(points):
        trains, n = _run_candidates("adex", _adex_table(points, full_box, passive), data, dt)
        return _loss_of_trains(trains, data, n)

    point, loss, n_polish = _compass_search(
        points_so_far[best], float(losses_so_far[best]), batch_loss
    )
    table = _adex_table(point, full_box, passive)
    parameters = {name: float(values[0]) for name, values in table.items()}
    return ModelFit(
        model="adex",
        parameters=parameters,
        loss=loss,
        train_scores=score_model(
            recording, "adex", parameters, dt=dt, series_resistance=passive.series_resistance
        ),
        n_candidates=int(losses_so_far.size) + n_polish,
        elapsed=_time.perf_counter() - started,
        sweeps=[s.index for s in recording.sweeps],
    )


# --------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------


def simulate_sweeps(recording, model, parameters, *, dt=0.1, series_resistance=0.0):
    """Simulate a model on every sweep of a recording, with its command current.

    Parameters
    ----------
    recording : Recording
    model : {"lif", "adex"}
    parameters : dict
        Keyword arguments of ``simulate_lif`` / ``simulate_adex``.
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
    from .neurons import simulate_adex, simulate_lif

    recording = _check_recording(recording)
    dt = check_dt(dt)
    if model not in ("lif", "adex"):
        raise ValueError(f"model must be 'lif' or 'adex', but got {model!r}.")
    grid, voltage, command = _resample(recording, dt)
    simulate = simulate_lif if model == "lif" else simulate_adex
    series_resistance = as_float("series_resistance", series_resistance, unit="GOhm")
    result = simulate(duration=grid.size * dt, dt=dt, current=command, **parameters)
    return result, result.voltage + series_resistance * command, voltage


def score_model(
    recording, model, parameters, *, dt=0.1, delta=DEFAULT_DELTA, series_resistance=0.0
) -> Scores:
    """f-I error, coincidence factor and subthreshold RMSE of a model on some sweeps.

    Parameters
    ----------
    recording : Recording
        The sweeps to score (e.g. the held-out half from :func:`split_sweeps`).
    model : {"lif", "adex"}
    parameters : dict
        Keyword arguments of ``simulate_lif`` / ``simulate_adex``.
    dt : float, optional
        Time step in ms (default 0.1).
    delta : float, optional
        Coincidence window of Gamma in ms (default 4).
    series_resistance : float, optional
        R_s in GOhm added to the model voltage as in the recording (see
        :class:`PassiveFit`); default 0.

    Returns
    -------
    Scores
        See the module docstring for the definitions.
    """
    result, predicted, data_voltage = simulate_sweeps(
        recording, model, parameters, dt=dt, series_resistance=series_resistance
    )
    data_spikes = _data_spikes(recording)
    steps = recording.test_steps()
    data_rates, model_rates, gammas = [], [], []
    mask = np.ones(data_voltage.shape, dtype=bool)
    grid = result.time
    for k, step in enumerate(steps):
        in_data = step.contains(data_spikes[k])
        in_model = step.contains(result.spike_times[k])
        data_rates.append(np.count_nonzero(in_data) / step.duration * 1000.0)
        model_rates.append(np.count_nonzero(in_model) / step.duration * 1000.0)
        if in_data.any():
            gamma_k = coincidence_factor(data_spikes[k], result.spike_times[k], step, delta)
            # NaN here means the model fires too fast for Gamma (2 nu Delta >= 1)
            gammas.append(0.0 if np.isnan(gamma_k) else gamma_k)
        else:
            gammas.append(np.nan)
        for spike in np.concatenate([data_spikes[k], result.spike_times[k]]):
            mask[k, (grid >= spike + SPIKE_MASK[0]) & (grid < spike + SPIKE_MASK[1])] = False
    data_rates, model_rates = np.array(data_rates), np.array(model_rates)
    gammas = np.array(gammas, dtype=float)
    difference = (predicted - data_voltage)[mask]
    scored = gammas[np.isfinite(gammas)]
    gamma = float(scored.mean()) if scored.size else float("nan")
    return Scores(
        fi_rms=float(np.sqrt(np.mean((model_rates - data_rates) ** 2))),
        gamma=gamma,
        subthreshold_rmse=float(np.sqrt(np.mean(difference**2))),
        data_rates=data_rates,
        model_rates=model_rates,
        gammas=gammas,
        sweeps=[s.index for s in recording.sweeps],
    )


# --------------------------------------------------------------------------
# Everything at once
# --------------------------------------------------------------------------


@dataclass
class FitReport:
    """Passive, LIF and AdEx fits of a recording, scored on held-out sweeps.

    Attributes
    ----------
    passive : PassiveFit
    lif, adex : ModelFit
    lif_test, adex_test : Scores
        Scores on the held-out sweeps.
    train_sweeps, test_sweeps : list of int
    timings : dict
        Wall-clock seconds: ``"warm_up"`` (loading the compiled solvers),
        ``"passive"``, ``"lif"``, ``"adex"``, ``"scoring"``, ``"total"``.
    """

    passive: PassiveFit
    lif: ModelFit
    adex: ModelFit
    lif_test: Scores
    adex_test: Scores
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
        ]
        for name, fit, test in (
            ("LIF", self.lif, self.lif_test),
            ("AdEx", self.adex, self.adex_test),
        ):
            shown = {k: round(v, 3) for k, v in fit.parameters.items() if k not in _MEMBRANE_KWARGS}
            lines.append(f"{name}: {shown}")
            lines.append(
                f"  held-out: f-I RMS {test.fi_rms:.2f} Hz, Gamma {test.gamma:.3f}, "
                f"subthreshold RMSE {test.subthreshold_rmse:.2f} mV"
            )
        t = self.timings
        lines.append("time: " + ", ".join(f"{k} {v:.2f} s" for k, v in t.items()))
        return "\n".join(lines)


def _warm_up(dt: float) -> None:
    """Run the solver variants the fits use once on a tiny problem.

    The first call of a compiled (numba) kernel in a Python session loads
    it from the disk cache or compiles it; doing that here keeps it out of
    the timings of the fits.
    """
    from .neurons import simulate_adex, simulate_lif

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


def fit_all(recording, *, dt=0.1, rng=None, progress=True) -> FitReport:
    """Fit passive, LIF and AdEx models to alternate sweeps; score on the others.

    Parameters
    ----------
    recording : Recording
        A current-clamp step recording.
    dt : float, optional
        Model time step in ms (default 0.1: the 20 kHz recording is read at
        every second sample).
    rng : numpy.random.Generator, optional
        For the AdEx search (default ``np.random.default_rng(0)``).
    progress : bool, optional
        Show a progress bar over the stages.

    Returns
    -------
    FitReport
        With ``timings`` in seconds (the course's benchmark reads
        ``timings["total"]``).
    """
    recording = _check_recording(recording)
    dt = check_dt(dt)
    timings = {}
    started = _time.perf_counter()
    bar = _progress(5, "fitting", progress)
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
    r_s = passive.series_resistance
    lif_test = score_model(test, "lif", lif.parameters, dt=dt, series_resistance=r_s)
    adex_test = score_model(test, "adex", adex.parameters, dt=dt, series_resistance=r_s)
    timings["scoring"] = _time.perf_counter() - mark
    bar.update()
    bar.close()
    timings["total"] = _time.perf_counter() - started
    return FitReport(
        passive=passive,
        lif=lif,
        adex=adex,
        lif_test=lif_test,
        adex_test=adex_test,
        train_sweeps=[s.index for s in train.sweeps],
        test_sweeps=[s.index for s in test.sweeps],
        timings=timings,
    )


__all__ = [
    "DEFAULT_DELTA",
    "FitReport",
    "ModelFit",
    "PassiveFit",
    "Scores",
    "coincidence_factor",
    "fit_adex",
    "fit_all",
    "fit_lif",
    "fit_passive",
    "score_model",
    "simulate_sweeps",
    "split_sweeps",
]

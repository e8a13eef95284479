"""The subthreshold membrane: C, g_L, E_L, a sag current and the series
resistance, fitted to spike-free windows around hyperpolarising steps.

Units: ms, mV, pA, nS, pF, GOhm.
"""

from __future__ import annotations

import time as _time
from dataclasses import dataclass, field

import numpy as np

from .._validation import as_bool
from ..data import Recording, RecordingError
from ._recording import check_recording, command_at, model_dt, sweep_detections
from ._search import bound_report


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
    return [
        np.sort(np.concatenate([found.times, found.failed_times]))
        for found in sweep_detections(recording)
    ]


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
        current[k] = command_at(sweep, t, recording.dt) - sweep.holding_current
        voltage[k] = np.interp(t, sweep.time, sweep.voltage)
        mask[k] = (t >= start) & (t < stop)
        before[k] = (t >= start) & (t < step.start)
        baseline[k] = float(np.mean(voltage[k][before[k]]))
        onsets.append(step.start - origin)
    labels = [(sweep.index, step.label) for sweep, step, _, _ in chosen]
    return _Windows(current, voltage, baseline, mask, labels, lookback, before, onsets)


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
    recording = check_recording(recording)
    dt = model_dt(dt)
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
    at_bounds = bound_report({n: fit[n] for n in names}, _PASSIVE_BOUNDS)
    data_tau, model_tau = _apparent_time_constants(windows, fit["response"], dt)
    notes = [fit.get("note", ""), _rough_fit_note(windows, fit["rmse"])]
    fit["note"] = "; ".join(note for note in notes if note)
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
        note=fit["note"],
        apparent_time_constant=model_tau,
        measured_time_constant=data_tau,
    )


def _rough_fit_note(windows: _Windows, rmse: float) -> str:
    """A warning if the RMS error (mV) exceeds 10 % of the median largest
    deflection of the windows (else "")."""
    deflection = np.median(
        [
            np.abs(v[m] - b).max()
            for v, m, b in zip(windows.voltage, windows.mask, windows.baseline, strict=True)
        ]
    )
    if not rmse > 0.1 * deflection:
        return ""
    return (
        f"the RMS error ({rmse:.1f} mV) exceeds 10 % of the typical deflection "
        f"({deflection:.0f} mV): the responses differ from window to window more than a "
        "linear membrane allows (a nonlinear or drifting cell); read the passive "
        "parameters as rough"
    )


def _initial_resistance(windows: _Windows, dt: float) -> float:
    """A first guess of the input resistance in GOhm, to start the search from.

    The mean deflection over the last 50 ms of each window divided by its
    step current, median over windows; 0.1 GOhm if that is not plausible.
    """
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
    return resistance


def _search_space(resistance: float, sag: bool, series: bool):
    """``(names, start, low, high)`` of the least-squares search.

    C, g_L, a and tau_w are searched as their logarithms (``log_c`` ...),
    R_s (``series``, GOhm) as itself. The start has tau ~ 20 ms and the
    guessed input resistance, a tenth of the leak as sag, tau_w 100 ms and
    R_s 5 MOhm, moved just inside the bounds.
    """
    rows = [  # name, start, entry of _PASSIVE_BOUNDS, map of the bounds
        ("log_c", np.log(20.0 / resistance), "membrane_capacitance", np.log),
        ("log_g", np.log(1.0 / resistance), "leak_conductance", np.log),
    ]
    if sag:
        rows += [
            ("log_a", np.log(0.2 / resistance), "sag_conductance", np.log),
            ("log_tau_w", np.log(100.0), "sag_time_constant", np.log),
        ]
    if series:
        rows += [("series", 0.005, "series_resistance", float)]
    low = np.array([to(_PASSIVE_BOUNDS[key][0]) for _, _, key, to in rows])
    high = np.array([to(_PASSIVE_BOUNDS[key][1]) for _, _, key, to in rows])
    start = np.clip(np.array([x for _, x, _, _ in rows]), low + 1e-6, high - 1e-6)
    return [name for name, _, _, _ in rows], start, low, high


def _membrane_values(points, names):
    """C (pF), g_L (nS), a (nS), tau_w (ms), R_s (GOhm) of each search point (rows)."""
    points = np.atleast_2d(points)
    column = {name: points[:, i] for i, name in enumerate(names)}
    zeros = np.zeros(len(points))
    sag = "log_a" in column
    return (
        np.exp(column["log_c"]),
        np.exp(column["log_g"]),
        np.exp(column["log_a"]) if sag else zeros,
        np.exp(column["log_tau_w"]) if sag else zeros + 100.0,
        column["series"] if "series" in column else zeros,
    )


def _window_responses(points, names, windows: _Windows, dt: float) -> np.ndarray:
    """Model deflections (mV) of every window for every search point: one
    ``simulate_adex`` call (spike term off), shape ``(n_points, n_windows, n_steps)``."""
    from ..neurons import simulate_adex

    n_windows, n_steps = windows.voltage.shape
    c, g, a, tau_w, r_s = _membrane_values(points, names)
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


def _least_squares_passive(windows: _Windows, dt: float, sag: bool, series: bool) -> dict:
    """Least-squares fit of the linear membrane to the step responses.

    Each evaluation simulates the point and its forward-difference
    neighbours in one call, so the residuals and the Jacobian at a point
    share that call (cached).
    """
    from scipy.optimize import least_squares

    target = (windows.voltage - windows.baseline[:, None])[windows.mask]
    names, x0, low, high = _search_space(_initial_resistance(windows, dt), sag, series)
    kind = np.array(names)
    steps = np.where(kind == "series", 1e-5, 1e-4)
    cache: dict[bytes, np.ndarray] = {}

    def evaluate(x):
        key = x.tobytes()
        if key not in cache:
            cache.clear()
            runs = _window_responses(np.vstack([x, x + np.diag(steps)]), names, windows, dt)
            cache[key] = runs[:, windows.mask]
        return cache[key]

    def residuals(x):
        return evaluate(x)[0] - target

    def jacobian(x):
        runs = evaluate(x)
        return np.stack([(runs[k + 1] - runs[0]) / steps[k] for k in range(len(names))], axis=1)

    scale = np.where(kind == "series", 0.01, 1.0)
    solution = least_squares(residuals, x0, jac=jacobian, bounds=(low, high), x_scale=scale)
    c, g, a, tau_w, r_s = (float(v[0]) for v in _membrane_values(solution.x, names))
    return {
        "membrane_capacitance": c,
        "leak_conductance": g,
        "sag_conductance": a,
        "sag_time_constant": tau_w,
        "series_resistance": r_s,
        "rmse": float(np.sqrt(np.mean(solution.fun**2))),
        "response": _window_responses(solution.x[None], names, windows, dt)[0],
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


def check_passive(passive, recording: Recording, dt: float) -> PassiveFit:
    """The given membrane fit, or :func:`fit_passive` of ``recording`` if None."""
    if passive is None:
        return fit_passive(recording, dt=dt)
    if not isinstance(passive, PassiveFit):
        raise TypeError(
            "passive must be a PassiveFit (from fit_passive) or None, "
            f"but got {type(passive).__name__}."
        )
    return passive

"""The passive response to one current step: input resistance, membrane
time constant (an exponential fit) and sag. Units: ms, mV, pA, GOhm.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np

from .._validation import as_float, check_window
from ..data import StepWindow
from ._traces import check_trace, running_mean

_NAN = float("nan")


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

    time, voltage = check_trace(time, voltage)
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
    time, voltage = check_trace(time, voltage)
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

    smooth = running_mean(voltage, max(1, int(round(smoothing / dt))))
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

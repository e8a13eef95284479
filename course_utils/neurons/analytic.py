"""Analytic results for the passive membrane and the LIF neuron.

The exact formulas the solvers are tested against: the membrane time
constant, the input resistance, the step response of a passive membrane,
the LIF rheobase and its exact f-I curve.

Units: time in ms, voltage in mV, current in pA, conductance in nS,
capacitance in pF, resistance in GOhm, rate in Hz (see :mod:`course_utils`).
"""

from __future__ import annotations

import numpy as np

from .._arguments import number_or_array
from .._validation import as_array, as_float
from ..parameters import validate

__all__ = [
    "input_resistance",
    "lif_firing_rate",
    "lif_rheobase",
    "membrane_time_constant",
    "passive_step_response",
]


def membrane_time_constant(membrane_capacitance, leak_conductance):
    """Membrane time constant tau = C / g_L.

    Parameters
    ----------
    membrane_capacitance : float or array_like
        C in pF (> 0).
    leak_conductance : float or array_like
        g_L in nS (> 0).

    Returns
    -------
    float or numpy.ndarray
        tau in ms (pF / nS = ms).
    """
    capacitance = number_or_array(
        "membrane_capacitance", membrane_capacitance, unit="pF", positive=True
    )
    conductance = number_or_array("leak_conductance", leak_conductance, unit="nS", positive=True)
    return capacitance / conductance


def input_resistance(leak_conductance):
    """Input resistance R = 1 / g_L of a passive membrane.

    Parameters
    ----------
    leak_conductance : float or array_like
        g_L in nS (> 0).

    Returns
    -------
    float or numpy.ndarray
        R in GOhm (1 / nS = GOhm; 0.1 GOhm = 100 MOhm).
    """
    conductance = number_or_array("leak_conductance", leak_conductance, unit="nS", positive=True)
    return 1.0 / conductance


def passive_step_response(
    time, *, amplitude, membrane_capacitance, leak_conductance, leak_reversal, onset=0.0
):
    """Exact voltage of a passive membrane after a current step.

    V(t) = E_L for t < onset and
    V(t) = E_L + (I / g_L) (1 - exp(-(t - onset) / tau)) for t >= onset,
    with tau = C / g_L, for a membrane at rest (V = E_L) before the onset.

    Parameters
    ----------
    time : array_like
        Times in ms.
    amplitude : float
        Step amplitude I in pA (may be negative).
    membrane_capacitance : float
        C in pF (> 0).
    leak_conductance : float
        g_L in nS (> 0).
    leak_reversal : float
        E_L in mV.
    onset : float, optional
        Step onset in ms (default 0).

    Returns
    -------
    numpy.ndarray
        Membrane potential in mV, same shape as ``time``.
    """
    time = as_array("time", time, unit="ms")
    amplitude = number_or_array("amplitude", amplitude, unit="pA")
    tau = membrane_time_constant(membrane_capacitance, leak_conductance)
    conductance = number_or_array("leak_conductance", leak_conductance, unit="nS", positive=True)
    rest = number_or_array("leak_reversal", leak_reversal, unit="mV")
    onset = as_float("onset", onset, unit="ms")
    arguments = {"time": time, "amplitude": amplitude, "membrane_capacitance": tau,
                 "leak_conductance": conductance, "leak_reversal": rest}
    try:
        np.broadcast_shapes(*(np.shape(value) for value in arguments.values()))
    except ValueError:
        shapes = ", ".join(f"{name} {np.shape(value)}" for name, value in arguments.items())
        raise ValueError(
            f"These arguments must be single numbers or arrays that broadcast together, "
            f"but their shapes are {shapes}."
        ) from None
    elapsed = np.maximum(time - onset, 0.0)
    return rest + amplitude / conductance * (1.0 - np.exp(-elapsed / tau))


def lif_rheobase(*, leak_conductance, leak_reversal, threshold):
    """Smallest constant current that makes a LIF neuron fire.

    I_rh = g_L (V_th - E_L): the current whose steady state V = E_L + I / g_L
    just reaches the threshold.

    Parameters
    ----------
    leak_conductance : float or array_like
        g_L in nS (> 0).
    leak_reversal : float or array_like
        E_L in mV.
    threshold : float or array_like
        V_th in mV.

    Returns
    -------
    float or numpy.ndarray
        Rheobase in pA.
    """
    conductance = number_or_array("leak_conductance", leak_conductance, unit="nS", positive=True)
    rest = number_or_array("leak_reversal", leak_reversal, unit="mV")
    threshold = number_or_array("threshold", threshold, unit="mV")
    return conductance * (threshold - rest)


def lif_firing_rate(
    current,
    *,
    membrane_capacitance,
    leak_conductance,
    leak_reversal,
    threshold,
    reset,
    refractory_period,
):
    """Exact firing rate of a LIF neuron for a constant current (f-I curve).

    Between spikes V relaxes from the reset towards V_inf = E_L + R I, so
    the time to reach threshold is tau ln((V_inf - V_reset) / (V_inf - V_th)).
    Above rheobase (V_inf > V_th)

        rate = 1000 / (t_ref + tau ln((R I + E_L - V_reset) / (R I + E_L - V_th)))

    in Hz (the 1000 converts 1 / ms to 1 / s); at or below rheobase the rate
    is 0. This is the continuous-time result that a simulation approaches as
    dt -> 0.

    Parameters
    ----------
    current : float or array_like
        Constant injected current(s) I in pA.
    membrane_capacitance : float
        C in pF (> 0).
    leak_conductance : float
        g_L in nS (> 0).
    leak_reversal, threshold, reset : float
        E_L, V_th, V_reset in mV (reset < threshold).
    refractory_period : float
        t_ref in ms (>= 0).

    Returns
    -------
    float or numpy.ndarray
        Firing rate in Hz, same shape as ``current``.
    """
    current = number_or_array("current", current, unit="pA")
    capacitance = validate("membrane_capacitance", membrane_capacitance)
    conductance = validate("leak_conductance", leak_conductance)
    tau = capacitance / conductance
    rest = validate("leak_reversal", leak_reversal)
    threshold = validate("threshold", threshold)
    reset = validate("reset", reset)
    refractory_period = validate("refractory_period", refractory_period)
    if reset >= threshold:
        raise ValueError(
            f"reset ({reset:g} mV) must be below threshold ({threshold:g} mV)."
        )
    steady_state = rest + np.asarray(current, dtype=float) / conductance
    above = steady_state > threshold
    # Evaluate the logarithm only where it is defined; 0 Hz elsewhere.
    safe = np.where(above, steady_state, threshold + 1.0)
    interval = refractory_period + tau * np.log((safe - reset) / (safe - threshold))
    rate = np.where(above, 1000.0 / interval, 0.0)
    return float(rate) if np.ndim(current) == 0 else rate

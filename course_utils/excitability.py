"""Excitable cells beyond neurons: the Venus flytrap's memory, and the RC membrane.

Units: time in ms, voltage in mV, current in pA, capacitance in pF,
resistance in GOhm (see :mod:`course_utils`). The flytrap's "memory" is
dimensionless: it is counted in touches (one touch adds ``jump``, 1 by
default).

The Venus flytrap (*Dionaea muscipula*) closes only when its trigger hairs
are touched twice within about 20-30 s (Hedrich & Neher 2018, Trends Plant
Sci 23:220; Böhm et al. 2016, Curr Biol 26:286; Suda et al. 2020, Nature
Plants 6:1219). Each touch fires an action potential; Suda et al. saw the
calcium concentration in the trap rise with each one and decay between them,
and the trap close when it crossed a threshold. The simplest model of that
is a **leaky integrator with a threshold**, the leaky integrate-and-fire
neuron in disguise:

    dm/dt = -m / tau + jump * sum_k delta(t - t_k),    close when m >= threshold.

Between touches ``m`` decays exponentially, so after touches at ``t_k``

    m(t) = jump * sum_{t_k <= t} exp(-(t - t_k) / tau),

and two touches ``d`` apart close the trap when ``jump (1 + exp(-d/tau)) >=
threshold``, that is when ``d <= tau ln(jump / (threshold - jump))``
(:func:`closing_window`). The model has one free number once the threshold
is fixed: :func:`decay_time_for_window` chooses tau so that the model
reproduces a measured window. It is a model of the *logic*, not of the
chemistry: the real calcium signal has its own shape and time course.
"""

from __future__ import annotations

import math

import numpy as np

from ._validation import as_array, as_float
from .neurons import passive_step_response

__all__ = [
    "closing_window",
    "decay_time_for_window",
    "rc_charging",
    "trap_closing_time",
    "trap_memory",
]


def _touches(touch_times) -> np.ndarray:
    touches = as_array("touch_times", touch_times, unit="ms", ndim=1)
    if touches.size > 1 and np.any(np.diff(touches) < 0):
        raise ValueError("touch_times must be sorted from first to last (ms).")
    return touches


def _memory_parameters(decay_time, threshold, jump):
    decay_time = as_float("decay_time", decay_time, unit="ms", positive=True)
    jump = as_float("jump", jump, positive=True)
    threshold = as_float("threshold", threshold, positive=True)
    return decay_time, threshold, jump


def trap_memory(time, touch_times, *, decay_time, jump=1.0):
    """The flytrap's memory m(t): each touch adds ``jump``, which then decays.

    Parameters
    ----------
    time : array_like
        Times in ms at which to evaluate m.
    touch_times : array_like
        Times of the touches in ms (1-D, sorted). A touch at exactly ``t``
        counts at ``t``.
    decay_time : float
        Decay time constant tau in ms (> 0).
    jump : float, optional
        Increase of m per touch (dimensionless, > 0).

    Returns
    -------
    numpy.ndarray
        m at each time, same shape as ``time`` (dimensionless).
    """
    time = as_array("time", time, unit="ms")
    touches = _touches(touch_times)
    decay_time = as_float("decay_time", decay_time, unit="ms", positive=True)
    jump = as_float("jump", jump, positive=True)
    elapsed = time[..., np.newaxis] - touches  # one column per touch
    # Clip before exp: a future touch would give exp(+large) and overflow.
    contributions = np.where(elapsed >= 0, np.exp(-np.clip(elapsed, 0, None) / decay_time), 0.0)
    return jump * contributions.sum(axis=-1)


def trap_closing_time(touch_times, *, decay_time, threshold, jump=1.0):
    """Time of the touch that closes the trap, or None if it stays open.

    m is largest just after a touch, so the trap can only close at a touch:
    the first touch after which m >= threshold.

    Parameters
    ----------
    touch_times : array_like
        Times of the touches in ms (1-D, sorted).
    decay_time : float
        Decay time constant tau in ms (> 0).
    threshold : float
        Closing threshold for m (dimensionless, > 0).
    jump : float, optional
        Increase of m per touch (dimensionless, > 0).

    Returns
    -------
    float or None
        The closing time in ms.
    """
    touches = _touches(touch_times)
    decay_time, threshold, jump = _memory_parameters(decay_time, threshold, jump)
    if touches.size == 0:
        return None
    memory = trap_memory(touches, touches, decay_time=decay_time, jump=jump)
    closing = np.flatnonzero(memory >= threshold)
    return float(touches[closing[0]]) if closing.size else None


def closing_window(*, decay_time, threshold, jump=1.0):
    """Longest interval between two touches that still closes the trap, in ms.

    Two touches ``d`` apart give m = jump (1 + exp(-d / tau)) at the second
    one, so they close the trap when d <= tau ln(jump / (threshold - jump)).

    Parameters
    ----------
    decay_time : float
        tau in ms (> 0).
    threshold : float
        Closing threshold, with jump < threshold <= 2 jump (otherwise one
        touch is enough, or two never are).
    jump : float, optional
        Increase of m per touch (> 0).

    Returns
    -------
    float
        The window in ms.
    """
    decay_time, threshold, jump = _memory_parameters(decay_time, threshold, jump)
    if not jump < threshold <= 2 * jump:
        raise ValueError(
            f"threshold must lie between one touch (jump = {jump:g}) and two touches "
            f"(2 * jump = {2 * jump:g}), exclusive of one, but got {threshold:g}: otherwise one "
            "touch already closes the trap, or two never do."
        )
    return decay_time * math.log(jump / (threshold - jump))


def decay_time_for_window(window, *, threshold, jump=1.0):
    """The decay time tau (ms) for which two touches ``window`` ms apart just close the trap.

    Parameters
    ----------
    window : float
        Measured window in ms (> 0).
    threshold : float
        Closing threshold, with jump < threshold < 2 jump.
    jump : float, optional
        Increase of m per touch (> 0).
    """
    window = as_float("window", window, unit="ms", positive=True)
    tau_for_one_ms = closing_window(decay_time=1.0, threshold=threshold, jump=jump)
    if tau_for_one_ms == 0:
        raise ValueError("with threshold = 2 * jump only simultaneous touches close the trap.")
    return window / tau_for_one_ms


def rc_charging(time, *, current, resistance, capacitance, rest):
    """Voltage of an RC membrane (at rest until t = 0) charged by a constant current.

    V(t) = rest + R I (1 - exp(-t / (R C))) for t >= 0, and rest before.

    Parameters
    ----------
    time : array_like
        Times in ms.
    current : float
        I in pA.
    resistance : float
        R in GOhm (> 0); GOhm x pA = mV.
    capacitance : float
        C in pF (> 0); GOhm x pF = ms.
    rest : float
        Resting voltage in mV.

    Returns
    -------
    numpy.ndarray
        V in mV, same shape as ``time``.
    """
    current = as_float("current", current, unit="pA")
    resistance = as_float("resistance", resistance, unit="GOhm", positive=True)
    if not 1e-5 <= resistance <= 1e4:
        raise ValueError(
            f"resistance must be between 1e-05 and 1e+04 GOhm (10 kOhm to 10 TOhm), but got "
            f"{resistance:g} GOhm. Check its unit: the course uses GOhm."
        )
    capacitance = as_float("capacitance", capacitance, unit="pF", positive=True)
    rest = as_float("rest", rest, unit="mV")
    # The same membrane as Lesson 2's, written with R = 1 / g_L.
    return passive_step_response(
        time, amplitude=current, membrane_capacitance=capacitance,
        leak_conductance=1.0 / resistance, leak_reversal=rest,
    )

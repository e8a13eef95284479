"""Argument handling shared by the solvers (neurons, networks, Brian2 runners).

Every solver takes its parameters as a number or a 1-D array with one value
per neuron, counts the neurons, holds a refractory period for whole steps
and returns one array of spike times per neuron. Those steps are written
once here, so that each solver refuses a bad value with the same message
and counts steps by the same rule. Units, signs and bounds come from the
declarations in :data:`course_utils.parameters.PARAMETERS`.

Units: time in ms, voltage in mV, current in pA, conductance in nS,
capacitance in pF (see :mod:`course_utils`).
"""

from __future__ import annotations

import numpy as np

from ._validation import MAX_ELEMENTS, as_array, as_float, check_size
from .parameters import PARAMETERS, check_bounds

__all__ = [
    "INTEGRATION_METHODS",
    "NEVER",
    "broadcast_parameters",
    "broadcast_to_neurons",
    "check_below",
    "check_recording",
    "count_neurons",
    "neuron_count",
    "number_or_array",
    "per_neuron",
    "per_neuron_array",
    "refractory_steps",
    "spike_lists",
    "time_course",
]

INTEGRATION_METHODS = ("euler", "exponential_euler")
"""Valid values of ``method``: Brian2's 'euler' and 'exponential_euler' updates."""

NEVER = -(2**62)
"""Step of the last spike of a neuron that never spiked.

Far enough in the past that no refractory period reaches the first step
(Brian2 uses lastspike = -1e4 s for the same purpose)."""


def _declaration(name, kind, unit):
    """(unit, sign, declared) of a parameter: from PARAMETERS, or ``unit`` if undeclared."""
    key = name if kind is None else kind
    if key in PARAMETERS:
        spec = PARAMETERS[key]
        return spec.unit, spec.sign, True
    if unit is None:
        raise ValueError(
            f"{key!r} is not declared in course_utils.parameters.PARAMETERS: "
            "declare it there, or pass its unit."
        )
    return unit, "", False


def per_neuron(name, value, *, kind=None, unit=None, allow_inf=False):
    """A per-neuron parameter: a float, or a 1-D array with one value per neuron.

    Parameters
    ----------
    name : str
        The argument's name, used in messages.
    value : float or array_like
        One number, or a 1-D array with one value per neuron.
    kind : str, optional
        Key of :data:`~course_utils.parameters.PARAMETERS` when it differs
        from ``name``. A declared parameter is checked for its sign and
        declared range, and quoted in its declared unit.
    unit : str, optional
        Unit of an undeclared parameter (no range is checked then).
    allow_inf : bool, optional
        Accept ``+inf`` (a threshold of ``np.inf``: never spike).

    Returns
    -------
    float or numpy.ndarray
        A float for a number, else a 1-D float array (not empty).
    """
    unit, sign, declared = _declaration(name, kind, unit)
    signs = {"positive": sign == "positive", "nonnegative": sign == "nonnegative"}
    if np.ndim(value) == 0 and not isinstance(value, (list, tuple)):
        checked = as_float(name, value, unit=unit, allow_inf=allow_inf, **signs)
    else:
        checked = _per_neuron_array(name, value, unit=unit, allow_inf=allow_inf, **signs)
    if declared:
        check_bounds(name, checked, kind, allow_inf=allow_inf)
    return checked


def _per_neuron_array(name, value, *, unit, positive, nonnegative, allow_inf):
    if allow_inf:
        # as_array refuses infinities, but +inf ("never") is allowed here:
        # validate a copy with the infinities replaced, return the original.
        try:
            raw = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            raw = None  # as_array below raises the friendly error
        if raw is not None:
            as_array(
                name, np.where(np.isposinf(raw), 0.0, raw), unit=unit, ndim=1,
                allow_empty=False,
            )
            return raw
    return as_array(
        name, value, unit=unit, ndim=1, positive=positive, nonnegative=nonnegative,
        allow_empty=False,
    )


def number_or_array(name, value, *, unit, positive=False, nonnegative=False):
    """A float, or a float array of any shape (for formulas that broadcast).

    A parameter declared in :data:`~course_utils.parameters.PARAMETERS` is
    also checked against its declared range.

    Parameters
    ----------
    name : str
        The argument's name, used in messages.
    value : float or array_like
        Numbers in ``unit``.
    unit : str
        Unit quoted in messages.
    positive, nonnegative : bool, optional
        Require every value ``> 0`` or ``>= 0``.

    Returns
    -------
    float or numpy.ndarray
    """
    if np.ndim(value) == 0 and not isinstance(value, (list, tuple)):
        checked = as_float(name, value, unit=unit, positive=positive, nonnegative=nonnegative)
    else:
        checked = as_array(
            name, value, unit=unit, positive=positive, nonnegative=nonnegative, allow_empty=False
        )
    return check_bounds(name, checked) if name in PARAMETERS else checked


def neuron_count(value) -> int:
    """Number of neurons (rows) ``value`` holds: 1 for None or a number."""
    if value is None or np.ndim(value) == 0:
        return 1
    return int(np.shape(value)[0])


def count_neurons(sizes: dict[str, int]) -> int:
    """The common number of neurons of several arguments, where a size of 1 broadcasts.

    Parameters
    ----------
    sizes : dict of str to int
        Argument name -> its number of neurons (see :func:`neuron_count`).

    Returns
    -------
    int
        The number of neurons, or 1 if every argument is a single value.
    """
    distinct = {size for size in sizes.values() if size != 1}
    if len(distinct) > 1:
        listing = ", ".join(f"{name}: {size}" for name, size in sizes.items() if size != 1)
        raise ValueError(
            "Per-neuron arguments must all have the same number of neurons "
            f"(or be single numbers), but got {listing}."
        )
    return distinct.pop() if distinct else 1


def broadcast_to_neurons(value, n_neurons) -> np.ndarray:
    """A fresh, writable, contiguous (n_neurons,) float array of ``value``.

    Parameters
    ----------
    value : float or numpy.ndarray
        One number, or one value per neuron (already validated).
    n_neurons : int
        Number of neurons.
    """
    if isinstance(value, float):
        return np.full(n_neurons, value)
    return np.array(np.broadcast_to(np.asarray(value, dtype=float), (n_neurons,)))


def broadcast_parameters(values: dict) -> tuple[dict, int]:
    """Count the neurons of several per-neuron parameters and broadcast them all.

    Parameters
    ----------
    values : dict of str to float or numpy.ndarray
        Validated parameters (see :func:`per_neuron`), by name.

    Returns
    -------
    tuple
        ``(arrays, n_neurons)``: each parameter as a fresh (n_neurons,) float
        array, and the number of neurons.
    """
    n_neurons = count_neurons({name: neuron_count(value) for name, value in values.items()})
    return {name: broadcast_to_neurons(value, n_neurons) for name, value in values.items()}, (
        n_neurons
    )


def per_neuron_array(name, value, n_neurons, *, kind=None, unit=None,
                     what="neurons in the network") -> np.ndarray:
    """:func:`per_neuron` for a known number of neurons: always a (n_neurons,) array.

    Parameters
    ----------
    name, value, kind, unit
        As in :func:`per_neuron`.
    n_neurons : int
        The number of neurons (or inputs) ``value`` must have if it is an array.
    what : str, optional
        What the values belong to, for the message (default "neurons in the network").

    Returns
    -------
    numpy.ndarray
        Shape (n_neurons,), float.
    """
    checked = per_neuron(name, value, kind=kind, unit=unit)
    if isinstance(checked, np.ndarray) and checked.shape[0] != n_neurons:
        raise ValueError(
            f"{name} has {checked.shape[0]} values, but there are {n_neurons} {what}: "
            "give one number, or one value each."
        )
    return broadcast_to_neurons(checked, n_neurons)


def refractory_steps(refractory_period, dt, n_neurons=None):
    """Refractory period in whole steps, ``floor(t_ref / dt + 1e-3)``, as Brian2 counts it.

    A period that is not a multiple of dt is rounded down; the 1e-3 keeps
    floating-point quotients such as 0.3 / 0.1 = 2.9999999999999996 from
    losing a step.

    Parameters
    ----------
    refractory_period : float or numpy.ndarray
        t_ref in ms (>= 0, validated).
    dt : float
        Time step in ms.
    n_neurons : int, optional
        Return a fresh, writable, contiguous int64 array of this many neurons
        (always writable: a compiled kernel is specialised on it, and a
        read-only array for one neuron would need a second compile).

    Returns
    -------
    int or numpy.ndarray
        An int for a single period without ``n_neurons``, else int64 steps.
    """
    steps = np.floor(np.asarray(refractory_period, dtype=float) / dt + 1e-3).astype(np.int64)
    if n_neurons is not None:
        return np.array(np.broadcast_to(steps, (n_neurons,)))
    return int(steps) if steps.ndim == 0 else steps


def spike_lists(step_chunks, neuron_chunks, n_neurons, dt) -> list[np.ndarray]:
    """Per-neuron sorted spike-time arrays (ms) from (step, neuron) chunks.

    Parameters
    ----------
    step_chunks, neuron_chunks : list of numpy.ndarray
        Pairs of int arrays collected in time order: the step of each spike
        and the neuron that fired it.
    n_neurons : int
        Number of neurons (one array each, empty if it never fired).
    dt : float
        Time step in ms.

    Returns
    -------
    list of numpy.ndarray
        Spike times in ms, one array per neuron.
    """
    if not step_chunks:
        return [np.empty(0) for _ in range(n_neurons)]
    steps = np.concatenate(step_chunks)
    neurons = np.concatenate(neuron_chunks)
    order = np.argsort(neurons, kind="stable")  # steps are already in time order
    boundaries = np.searchsorted(neurons[order], np.arange(1, n_neurons))
    return [chunk * dt for chunk in np.split(steps[order], boundaries)]


def time_course(name, value, n_steps, *, unit):
    """An input sampled on the time grid: None, a float, or a (rows, n_steps) array.

    A 1-D array of length n_steps is shared by all neurons (rows = 1); a 2-D
    array has one row per neuron (or a single row).

    Parameters
    ----------
    name : str
        The argument's name, used in messages.
    value : None, float or array_like
        The input, in ``unit``.
    n_steps : int
        Number of time steps of the run.
    unit : str
        Unit quoted in messages.
    """
    if value is None:
        return None
    if np.ndim(value) == 0 and not isinstance(value, (list, tuple)):
        return as_float(name, value, unit=unit)
    array = as_array(name, value, unit=unit, ndim=(1, 2))
    if array.ndim == 1:
        if array.shape[0] != n_steps:
            hint = (
                " For one constant current per neuron use bias_current instead."
                if name == "current"
                else ""
            )
            raise ValueError(
                f"{name} has {array.shape[0]} samples, but the run has {n_steps} steps "
                f"(round(duration / dt)): give one value per time step, "
                f"for example on the grid time_grid(duration, dt).{hint}"
            )
        return array[np.newaxis, :]
    if array.shape[1] != n_steps:
        raise ValueError(
            f"{name} has shape {array.shape}, but the run has {n_steps} steps: "
            f"give an array of shape (n_neurons, {n_steps})."
        )
    return np.ascontiguousarray(array)


def check_below(lower_name, lower, upper_name, upper, unit="mV"):
    """Raise unless ``lower < upper`` for every neuron (e.g. reset below threshold)."""
    bad = np.asarray(lower) >= np.asarray(upper)
    if np.any(bad):
        index = "" if np.ndim(bad) == 0 else f" (first at neuron {int(np.argmax(bad))})"
        raise ValueError(
            f"{lower_name} must be below {upper_name}{index}, but got "
            f"{lower_name} = {np.max(lower):g} {unit} and {upper_name} = {np.min(upper):g} {unit}."
        )


def check_recording(n_neurons, n_steps, record, n_traces=1):
    """Refuse, before allocating, recorded traces larger than the course's memory budget."""
    if record:
        check_size(
            f"Recording {n_traces} trace(s) of {n_neurons} neuron(s) over {n_steps} steps "
            "(duration / dt)", n_traces * n_neurons * n_steps, MAX_ELEMENTS,
            "Use record_voltage=False, fewer neurons, a shorter duration or a larger dt.",
        )

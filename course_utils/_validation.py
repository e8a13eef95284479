"""Argument validation shared by every public function.

Each helper raises ``TypeError`` for a value of the wrong kind and
``ValueError`` for a value of the right kind but a wrong size, sign or
content. The message always names the argument and says what to fix, so a
student sees the cause of the problem in one line instead of a traceback
from deep inside numpy.
"""

from __future__ import annotations

import numbers

import numpy as np

MAX_ELEMENTS = 100_000_000
"""Largest array (number of values) any course function will allocate: 0.8 GB of floats.

A run, grid, population or figure larger than this is refused at once, with
the size it would need, instead of exhausting memory or running for hours.
"""

MAX_STEPS = 20_000_000
"""Most time steps any course run may take (2e7: 33 minutes of neuron time at 0.1 ms).

A compiled loop needs about a second per 2e7 steps, and the time axis and a
recorded voltage 160 MB each per neuron.
"""


MAX_LOOP_STEPS = 1_000_000
"""Most time steps of a solver that steps in a Python loop: 10-20 microseconds each,
so up to about half a minute (100 s of neuron time at dt = 0.1 ms)."""

MAX_NEURON_STEPS = 10_000_000_000
"""Most neuron-steps (neurons x time steps) of one network run: minutes of numpy work."""

MAX_SPIKES = 50_000_000
"""Most spikes a spike-train generator may draw (0.4 GB of spike times)."""

MAX_TRAINS = 1_000_000
"""Most spike trains (or neurons) in one population, network or list of trains."""


def describe_value(value) -> str:
    """A short repr of ``value`` and its type, for error messages (``'a' (type str)``)."""
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{text} (type {type(value).__name__})"


def as_float(
    name: str,
    value,
    *,
    unit: str = "",
    positive: bool = False,
    nonnegative: bool = False,
    allow_inf: bool = False,
) -> float:
    """Return ``value`` as a finite float, or raise a clear error.

    Parameters
    ----------
    name : str
        The argument's name, used in the message.
    value : number
        The value to check.
    unit : str, optional
        The unit the value should be in, quoted in the message.
    positive, nonnegative : bool, optional
        Require ``value > 0`` or ``value >= 0``.
    allow_inf : bool, optional
        Accept ``+inf`` (for example "no threshold").
    """
    in_unit = f" in {unit}" if unit else ""
    if value is Ellipsis:
        raise TypeError(
            f"{name} is still '...': replace the ... with a number{in_unit}."
        )
    if isinstance(value, (complex, np.complexfloating)) or (
        isinstance(value, np.ndarray) and np.iscomplexobj(value)
    ):
        raise TypeError(f"{name} must be a real number{in_unit}, but got {describe_value(value)}.")
    if isinstance(value, (bool, np.bool_)) or not isinstance(
        value, (numbers.Real, np.ndarray)
    ):
        raise TypeError(
            f"{name} must be a number{in_unit}, but got {describe_value(value)}."
        )
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "iuf":
            raise TypeError(f"{name} must be a number{in_unit}, but got {describe_value(value)}.")
        if value.ndim != 0:
            raise TypeError(
                f"{name} must be a single number{in_unit}, "
                f"but got an array of shape {value.shape}."
            )
        value = value.item()
    value = float(value)
    if np.isnan(value):
        raise ValueError(f"{name} is NaN: give a real number{in_unit}.")
    if np.isinf(value) and not (allow_inf and value > 0):
        raise ValueError(f"{name} is infinite: give a finite number{in_unit}.")
    if positive and not value > 0:
        raise ValueError(
            f"{name} must be greater than zero{in_unit}, but got {value:g}."
        )
    if nonnegative and value < 0:
        raise ValueError(f"{name} must not be negative{in_unit}, but got {value:g}.")
    return value


def as_int(name: str, value, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """Return ``value`` as an int, or raise a clear error.

    numpy integer scalars (``np.int64(3)``) are accepted like Python ints.
    """
    if value is Ellipsis:
        raise TypeError(f"{name} is still '...': replace the ... with a whole number.")
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iu":
        value = value.item()
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a whole number, but got {describe_value(value)}.")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, but got {value}.")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be at most {maximum:,}, but got {value:,}.")
    return value


def as_bool(name: str, value) -> bool:
    """Return ``value`` as a bool (True/False, numpy bools, 0 or 1), or raise a clear error."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, numbers.Integral) and int(value) in (0, 1):
        return bool(value)
    raise TypeError(f"{name} must be True or False, but got {describe_value(value)}.")


def check_choice(name: str, value, valid):
    """Return ``value`` if it is one of ``valid`` (strings), or raise naming ``name``."""
    listing = ", ".join(repr(v) for v in valid)
    if not isinstance(value, str):
        raise TypeError(f"{name} must be one of {listing}, but got {describe_value(value)}.")
    if value not in valid:
        raise ValueError(f"{name} must be one of {listing}, but got {value!r}.")
    return value


def as_array(
    name: str,
    value,
    *,
    unit: str = "",
    ndim: int | tuple[int, ...] | None = None,
    nonnegative: bool = False,
    positive: bool = False,
    allow_empty: bool = True,
    allow_nan: bool = False,
) -> np.ndarray:
    """Return ``value`` as a float array, or raise a clear error.

    Parameters
    ----------
    name : str
        The argument's name, used in the message.
    value : array_like
        Numbers (a list, tuple or numpy array).
    unit : str, optional
        The unit the values should be in, quoted in the message.
    ndim : int or tuple of int, optional
        Allowed numbers of dimensions.
    nonnegative, positive : bool, optional
        Require every element ``>= 0`` or ``> 0``.
    allow_empty : bool, optional
        Accept an array with no elements.
    allow_nan : bool, optional
        Accept NaN elements (never infinite ones).
    """
    in_unit = f" in {unit}" if unit else ""
    if value is Ellipsis:
        raise TypeError(
            f"{name} is still '...': replace the ... with an array of numbers{in_unit}."
        )
    if isinstance(value, (str, bytes, dict, set)) or value is None:
        raise TypeError(
            f"{name} must be an array of numbers{in_unit}, but got {describe_value(value)}."
        )
    if np.iscomplexobj(value):
        raise TypeError(
            f"{name} must hold real numbers{in_unit}, but got complex values: "
            "take .real (or np.abs) first if that is what you mean."
        )
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError, OverflowError):
        raise TypeError(
            f"{name} must be an array of numbers{in_unit}, but got {describe_value(value)}."
        ) from None
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if array.ndim not in allowed:
            wanted = " or ".join(f"{d}-D" for d in allowed)
            raise ValueError(
                f"{name} must be a {wanted} array, but got shape {array.shape}."
            )
    if not allow_empty and array.size == 0:
        raise ValueError(f"{name} is empty: give at least one value{in_unit}.")
    bad = np.isinf(array) if allow_nan else ~np.isfinite(array)
    if bad.any():
        kind = "infinite" if allow_nan else "NaN or infinite"
        if array.ndim == 0:
            raise ValueError(f"{name} is {kind}: give a finite number{in_unit}.")
        index = np.argwhere(bad)[0]
        where = tuple(int(i) for i in index) if array.ndim > 1 else int(index[0])
        raise ValueError(
            f"{name} contains a {kind} value at index {where}: "
            f"every value must be a finite number{in_unit}."
        )
    finite = array[np.isfinite(array)]
    if positive and (finite <= 0).any():
        raise ValueError(f"{name} must be greater than zero{in_unit} everywhere.")
    if nonnegative and (finite < 0).any():
        raise ValueError(
            f"{name} must not contain negative values{in_unit}, "
            f"but its smallest value is {finite.min():g}."
        )
    return array


SMALLEST_DT = 1e-9
"""Smallest time step (ms) anything accepts: below it, 1 / dt is no longer a number."""

LARGEST_DT = 1e4
"""Largest time step (ms) anything accepts (10 s): beyond it, a time axis may overflow."""


def check_dt(dt, name: str = "dt") -> float:
    """Validate a time step in ms and return it as a float."""
    dt = as_float(name, dt, unit="ms", positive=True)
    if not SMALLEST_DT <= dt <= LARGEST_DT:
        raise ValueError(
            f"{name} must be between {SMALLEST_DT:g} and {LARGEST_DT:g} ms, but got {dt:g} ms. "
            "Check its unit: the course uses ms."
        )
    return dt


def check_window(window, name: str = "window") -> tuple[float, float] | None:
    """Validate a time window and return it as ``(start, stop)`` in ms.

    Parameters
    ----------
    window : (start, stop), StepWindow or None
        A half-open interval ``[start, stop)`` in ms: a pair of numbers or a
        :class:`course_utils.data.StepWindow` (its ``start`` and ``stop``).
    name : str, optional
        The argument's name, used in the message.

    Returns
    -------
    (float, float) or None
        ``(start, stop)`` in ms with ``stop > start``; None if ``window`` is
        None (callers for which the window is optional read that as "all").

    Raises
    ------
    TypeError
        If ``window`` is not a pair of numbers or a StepWindow.
    ValueError
        If it does not end after it starts, or a bound is not finite.
    """
    from .data import StepWindow  # data imports this module at import time

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


def check_same_length(**arrays) -> int:
    """Raise unless every given 1-D array has the same length; return it."""
    lengths = {name: len(array) for name, array in arrays.items()}
    if len(set(lengths.values())) > 1:
        listing = ", ".join(f"{name} has {n}" for name, n in lengths.items())
        raise ValueError(
            f"These arrays must have the same length, but {listing} elements."
        )
    return next(iter(lengths.values()))


def check_rng(rng, name: str = "rng") -> np.random.Generator:
    """Require a seeded ``numpy.random.Generator``."""
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"{name} must be a numpy.random.Generator, for example "
            f"np.random.default_rng(42), but got {describe_value(rng)}. "
            "A seeded generator makes every run give the same numbers."
        )
    return rng


def check_spike_times(
    name: str, spike_times, duration: float | None = None, end: str = "duration",
    require_sorted: bool = True,
) -> np.ndarray:
    """Validate spike times in ms: 1-D, finite, >= 0, sorted, inside the run.

    Parameters
    ----------
    name : str
        The argument's name, used in the message.
    spike_times : array_like
        Spike times in ms.
    duration : float, optional
        End of the run in ms; every spike must come before it.
    end : str, optional
        How the caller's arguments set the end of the run (named in the
        message), e.g. ``"duration"`` or ``"n_steps * dt"``.
    require_sorted : bool, optional
        Refuse times out of order (default). Off where the order does not
        matter (converting each time to a step index).
    """
    if isinstance(spike_times, numbers.Number) or (
        isinstance(spike_times, np.ndarray) and spike_times.ndim == 0
    ):
        raise TypeError(
            f"{name} must be a 1-D array of spike times in ms, but got "
            f"{describe_value(spike_times)}: for one spike write [t]."
        )
    times = as_array(name, spike_times, unit="ms", ndim=1)
    if (times < 0).any():
        raise ValueError(
            f"{name} contains a negative time ({times.min():g} ms): "
            "spike times are in ms from the start of the run."
        )
    if duration is not None and (times >= duration).any():
        raise ValueError(
            f"{name} contains a time ({times.max():g} ms) at or after the end of "
            f"the run ({end} = {duration:g} ms): drop it or make the run longer."
        )
    if require_sorted and (np.diff(times) < 0).any():
        raise ValueError(f"{name} must be sorted in increasing order: use np.sort first.")
    return times


def check_size(
    what: str, count, limit: int = MAX_ELEMENTS, advice: str = "", unit: str = "values"
) -> int:
    """Refuse, before allocating anything, a size larger than ``limit``.

    Parameters
    ----------
    what : str
        What would be allocated, naming the arguments that set its size, e.g.
        ``"A run of duration = 1e+12 ms at dt = 0.1 ms"``.
    count : float
        How many values (or steps) it would hold (may be astronomically
        large, or inf).
    limit : int
        The largest count allowed.
    advice : str, optional
        What to change, e.g. ``"Use a shorter duration or a larger dt."``.
    unit : str, optional
        What is counted: ``"values"`` (8-byte floats) or ``"time steps"``.

    Returns
    -------
    int
        ``count`` as an int.
    """
    count = float(count)
    if not np.isfinite(count) or count > limit:
        memory = (
            f" ({count * 8 / 1e9:.3g} GB of memory at 8 bytes each)"
            if np.isfinite(count) else ""
        )
        raise ValueError(
            f"{what} would need {count:.3g} {unit}{memory}; the course allows at most "
            f"{limit:.3g}. {advice}".strip()
        )
    return int(count)


def check_steps(duration, dt, limit: int = MAX_STEPS, what: str = "A run",
                advice: str = "Use a shorter duration or a larger dt.") -> None:
    """Refuse a run of more than ``limit`` steps, naming ``duration`` and ``dt`` (ms).

    ``limit`` is :data:`MAX_STEPS` for compiled loops and :data:`MAX_LOOP_STEPS`
    for solvers that step in Python.
    """
    check_size(
        f"{what} of duration = {float(duration):g} ms at dt = {float(dt):g} ms",
        float(duration) / float(dt), limit, advice, unit="time steps",
    )


def check_converged(values, suspects: str, what: str = "the membrane potential") -> None:
    """Refuse a simulated trace that became NaN or infinite, naming the suspect arguments.

    A run diverges when a parameter is far outside a physiological range or
    dt is too large for the model; a NaN trace handed back silently would be
    plotted as an empty figure or averaged into NaN scores.

    Parameters
    ----------
    values : numpy.ndarray or None
        The simulated trace, steps along the last axis (None: not recorded).
    suspects : str
        The caller's arguments that can cause it, e.g. ``"bias_current, current or dt"``.
    what : str, optional
        What the trace is, for the message.
    """
    if values is None:
        return
    bad = ~np.isfinite(values)
    if bad.any():
        step = int(np.argwhere(bad)[0][-1])
        raise ValueError(
            f"The simulation diverged: {what} became NaN or infinite at step {step}. "
            f"Check {suspects}: one of them is far outside a physiological range "
            "(or in the wrong unit), or dt is too large for the model."
        )

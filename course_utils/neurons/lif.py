"""Point-neuron solvers and the analytic results to check them against.

Units: time in ms, voltage in mV, current in pA, conductance in nS,
capacitance in pF, resistance in GOhm, rate in Hz (see :mod:`course_utils`).

Models
------
- :func:`simulate_lif` - leaky integrate-and-fire neuron, with injected
  current and optional excitatory / inhibitory synaptic conductances,

      C dV/dt = g_L (E_L - V) + g_e(t) (E_e - V) + g_i(t) (E_i - V) + I(t).

  When V reaches the threshold, a spike is recorded, V is set to the reset
  value and held there for the refractory period.
- :func:`simulate_passive` - the same membrane without threshold.
- :func:`simulate_adex` - adaptive exponential integrate-and-fire neuron
  (Brette & Gerstner 2005).
- :func:`simulate_izhikevich` - Izhikevich's (2003) quadratic model with a
  recovery variable, with his published cell types in
  :data:`IZHIKEVICH_CELL_TYPES`.

Every parameter is a number or a 1-D array with one value per neuron; the
arrays broadcast together, so 10,000 neurons with different constant
currents are one call (``bias_current=np.linspace(...)``), with no
(neurons x steps) input array.

Step order
----------
A time-stepped integrate-and-fire model has to decide at which time a spike
"happens" and when the refractory period starts. Two conventions are
implemented and the lessons compare them:

``step_order="textbook"``
    Integrate V(t) -> V(t + dt); if V(t + dt) >= threshold, the spike time
    is t + dt, V(t + dt) is set to the reset value and the refractory
    period starts at t + dt.
``step_order="brian2"``
    Brian2's default schedule (StateMonitor records v(t); refractory
    neurons do not integrate; integrate t -> t + dt; threshold test on the
    new v, but the spike is labelled with t, the START of the step; reset;
    ``lastspike = t``). This reproduces Brian2's spike times exactly. Its
    first spike comes 1 dt earlier than in the textbook order and, for a
    constant input and a refractory period of at least one step, every
    inter-spike interval is 1 dt shorter.

In both orders the refractory period is counted in whole steps the way
Brian2 counts it, ``int(refractory_period / dt + 1e-3)`` (a period that is
not a multiple of dt is rounded down), so no floating-point drift can add or
remove a step.

Backends
--------
``backend="numpy"`` loops over time steps in Python and is vectorised over
neurons. ``backend="numba"`` runs a compiled kernel: neurons in chunks of
256, chunks in parallel threads, the neurons of a chunk vectorised. It is
compiled on first use and cached on disk (a later process loads it in
~0.3 s), never at import time. ``backend="auto"`` (the default) uses numba
if it is installed and numpy otherwise. Both backends perform the same
floating-point operations in the same order (no fastmath), so they agree to
rounding (~1e-13 mV) and give identical spike times.
"""

from __future__ import annotations

import functools
import warnings
from dataclasses import dataclass, field

import numpy as np

from .._validation import (
    MAX_ELEMENTS,
    MAX_LOOP_STEPS,
    as_array,
    as_bool,
    as_float,
    check_choice,
    check_converged,
    check_dt,
    check_size,
    check_steps,
)
from ..inputs import number_of_steps
from ..parameters import PARAMETERS, check_bounds, validate

__all__ = [
    "IZHIKEVICH_CELL_NAMES",
    "IZHIKEVICH_CELL_TYPES",
    "SimulationResult",
    "input_resistance",
    "izhikevich_resting_potential",
    "lif_firing_rate",
    "lif_rheobase",
    "membrane_time_constant",
    "passive_step_response",
    "simulate_adex",
    "simulate_izhikevich",
    "simulate_lif",
    "simulate_passive",
]

STEP_ORDERS = ("textbook", "brian2")
"""Valid values of ``step_order``."""
METHODS = ("euler", "exponential_euler")
"""Valid values of ``method`` for :func:`simulate_lif`."""
BACKENDS = ("auto", "numpy", "numba")
"""Valid values of ``backend``."""

# "Never spiked": far enough in the past that no refractory period reaches
# the first step (Brian2 uses lastspike = -1e4 s for the same purpose).
_NEVER = -(2**62)

# Largest exponent allowed in the AdEx spike term. exp(300) ~ 2e130 cannot
# overflow, and a membrane that far above V_T has a derivative so large
# that the next step crosses any sensible spike cutoff whether or not the
# exponent is clipped, so the clip changes no spike time.
_ADEX_EXPONENT_CAP = 300.0

# Spike buffers of the compiled kernels hold at most this many entries
# before we fall back to a first guess and a rerun on overflow.
_MAX_SPIKE_BUFFER = 20_000_000

# Neurons per parallel task of the compiled kernels: small enough that a
# chunk's state stays in the L1 cache, large enough to keep the CPU busy.
_NEURONS_PER_CHUNK = 256


# ---------------------------------------------------------------------------
# Result
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SimulationResult:
    """The outcome of one simulation run.

    Attributes
    ----------
    time : numpy.ndarray
        Shape (n_steps,), ms: the start time of every step,
        ``np.arange(n_steps) * dt``.
    voltage : numpy.ndarray or None
        Shape (n_neurons, n_steps), mV: the membrane potential at the START
        of every step (``voltage[:, 0]`` is the initial voltage), like
        Brian2's StateMonitor. ``None`` if the run was made with
        ``record_voltage=False``.
    spike_times : list of numpy.ndarray
        One sorted array of spike times in ms per neuron. Every spike time
        is a point of ``time``.
    dt : float
        Time step in ms.
    traces : dict of str to numpy.ndarray
        Further state variables, shape (n_neurons, n_steps), recorded like
        ``voltage`` (for example ``"adaptation"`` in pA for the AdEx model).
    """

    time: np.ndarray
    voltage: np.ndarray | None
    spike_times: list[np.ndarray]
    dt: float
    traces: dict[str, np.ndarray] = field(default_factory=dict)

    def __post_init__(self):
        # Checked once here so that a result built by hand (a student's own
        # solver, a test) cannot carry NaN or mismatched shapes into an analysis.
        time = as_array("time", self.time, unit="ms", ndim=1)
        check_dt(self.dt)
        if isinstance(self.spike_times, np.ndarray) or not isinstance(
            self.spike_times, (list, tuple)
        ):
            raise TypeError(
                "spike_times must be a list with one array of spike times (ms) per neuron, "
                f"but got {type(self.spike_times).__name__}."
            )
        if not isinstance(self.traces, dict):
            raise TypeError(
                f"traces must be a dict of name -> array, but got {type(self.traces).__name__}."
            )
        shape = (len(self.spike_times), time.size)
        recorded = {} if self.voltage is None else {"voltage": self.voltage}
        recorded.update({f"traces[{name!r}]": value for name, value in self.traces.items()})
        for name, value in recorded.items():
            array = as_array(name, value, ndim=2)
            if array.shape != shape:
                raise ValueError(
                    f"{name} has shape {array.shape}, but spike_times has "
                    f"{len(self.spike_times)} neuron(s) and time {time.size} points: "
                    f"it needs shape {shape}."
                )

    @property
    def n_neurons(self) -> int:
        """Number of simulated neurons."""
        return len(self.spike_times)

    @property
    def n_steps(self) -> int:
        """Number of time steps (and of recorded samples)."""
        return len(self.time)

    @property
    def duration(self) -> float:
        """Length of the run in ms, ``n_steps * dt``."""
        return self.n_steps * self.dt

    @property
    def spike_counts(self) -> np.ndarray:
        """Number of spikes of each neuron, shape (n_neurons,), int."""
        return np.array([len(times) for times in self.spike_times], dtype=int)

    @property
    def firing_rates(self) -> np.ndarray:
        """Mean firing rate of each neuron over the run, in Hz.

        Spike count divided by the duration in ms, times 1000 (ms -> s).
        """
        return self.spike_counts / self.duration * 1000.0


# ---------------------------------------------------------------------------
# Analytic references
# ---------------------------------------------------------------------------


def _number_or_array(name, value, *, unit, positive=False, nonnegative=False):
    """A float, or a float array for array input (broadcasting is numpy's)."""
    if np.ndim(value) == 0 and not isinstance(value, (list, tuple)):
        checked = as_float(name, value, unit=unit, positive=positive, nonnegative=nonnegative)
    else:
        checked = as_array(
            name, value, unit=unit, positive=positive, nonnegative=nonnegative, allow_empty=False
        )
    return check_bounds(name, checked) if name in PARAMETERS else checked


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
    capacitance = _number_or_array(
        "membrane_capacitance", membrane_capacitance, unit="pF", positive=True
    )
    conductance = _number_or_array("leak_conductance", leak_conductance, unit="nS", positive=True)
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
    conductance = _number_or_array("leak_conductance", leak_conductance, unit="nS", positive=True)
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
    amplitude = _number_or_array("amplitude", amplitude, unit="pA")
    tau = membrane_time_constant(membrane_capacitance, leak_conductance)
    conductance = _number_or_array("leak_conductance", leak_conductance, unit="nS", positive=True)
    rest = _number_or_array("leak_reversal", leak_reversal, unit="mV")
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
    conductance = _number_or_array("leak_conductance", leak_conductance, unit="nS", positive=True)
    rest = _number_or_array("leak_reversal", leak_reversal, unit="mV")
    threshold = _number_or_array("threshold", threshold, unit="mV")
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
    current = _number_or_array("current", current, unit="pA")
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


# ---------------------------------------------------------------------------
# Argument handling shared by the solvers
# ---------------------------------------------------------------------------


_choice = check_choice


def _parameter(name, value, *, unit, positive=False, nonnegative=False, allow_inf=False):
    """A per-neuron parameter: a float, or a 1-D array with one value per neuron.

    A parameter declared in :data:`course_utils.parameters.PARAMETERS` is also
    checked against its declared range.
    """
    checked = _parameter_values(
        name, value, unit=unit, positive=positive, nonnegative=nonnegative, allow_inf=allow_inf
    )
    if name in PARAMETERS:
        check_bounds(name, checked, allow_inf=allow_inf)
    return checked


def _parameter_values(name, value, *, unit, positive, nonnegative, allow_inf):
    if np.ndim(value) == 0 and not isinstance(value, (list, tuple)):
        return as_float(
            name, value, unit=unit, positive=positive, nonnegative=nonnegative,
            allow_inf=allow_inf,
        )
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


def _time_course(name, value, n_steps, *, unit):
    """An input sampled on the time grid: None, a float, or a (rows, n_steps) array.

    A 1-D array of length n_steps is shared by all neurons (rows = 1); a 2-D
    array has one row per neuron (or a single row).
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


def _count_neurons(sizes: dict[str, int]) -> int:
    """The common number of neurons, where a size of 1 broadcasts."""
    distinct = {size for size in sizes.values() if size != 1}
    if len(distinct) > 1:
        listing = ", ".join(f"{name}: {size}" for name, size in sizes.items() if size != 1)
        raise ValueError(
            "Per-neuron arguments must all have the same number of neurons "
            f"(or be single numbers), but got {listing}."
        )
    return distinct.pop() if distinct else 1


def _size(value) -> int:
    if value is None or np.ndim(value) == 0:
        return 1
    return int(np.shape(value)[0])


def _per_neuron(value, n_neurons) -> np.ndarray:
    """A fresh, writable, contiguous (n_neurons,) float array (one kernel signature)."""
    if isinstance(value, float):
        return np.full(n_neurons, value)
    return np.array(np.broadcast_to(np.asarray(value, dtype=float), (n_neurons,)))


def _refractory_steps(refractory_period, dt, n_neurons) -> np.ndarray:
    """Refractory period in whole steps, counted as Brian2's ``timestep`` does."""
    period = np.asarray(refractory_period, dtype=float)
    steps = np.floor(period / dt + 1e-3).astype(np.int64)
    return np.ascontiguousarray(np.broadcast_to(steps, (n_neurons,)))


def _check_loop(backend, duration, dt):
    """The numpy backend steps in a Python loop: refuse runs that would take hours."""
    if backend == "numpy":
        check_steps(
            duration, dt, MAX_LOOP_STEPS, "A run with backend='numpy'",
            "The numpy backend steps in Python: use a shorter duration, a larger dt, "
            "or backend='numba'.",
        )


def _check_recording(n_neurons, n_steps, record, n_traces=1):
    """Refuse, before allocating, recorded traces larger than the course's memory budget."""
    if record:
        check_size(
            f"Recording {n_traces} trace(s) of {n_neurons} neuron(s) over {n_steps} steps "
            "(duration / dt)", n_traces * n_neurons * n_steps, MAX_ELEMENTS,
            "Use record_voltage=False, fewer neurons, a shorter duration or a larger dt.",
        )


def _check_below(lower_name, lower, upper_name, upper, unit="mV"):
    bad = np.asarray(lower) >= np.asarray(upper)
    if np.any(bad):
        index = "" if np.ndim(bad) == 0 else f" (first at neuron {int(np.argmax(bad))})"
        raise ValueError(
            f"{lower_name} must be below {upper_name}{index}, but got "
            f"{lower_name} = {np.max(lower):g} {unit} and {upper_name} = {np.min(upper):g} {unit}."
        )


def _resolve_backend(backend) -> str:
    _choice("backend", backend, BACKENDS)
    if backend == "numba" and not _numba_available():
        raise ImportError(
            "backend='numba' needs the numba package, which is not installed: "
            "install it (pip install numba) or use backend='numpy'."
        )
    if backend == "auto":
        return "numba" if _numba_available() else "numpy"
    return backend


@functools.cache
def _numba_available() -> bool:
    try:
        import numba  # noqa: F401
    except ImportError:
        return False
    return True


def _as_grid_input(value, n_steps):
    """(array, has_it) for a kernel: a (rows, n_steps) array or a dummy."""
    if isinstance(value, np.ndarray):
        return value, True
    return np.zeros((1, 1)), False


def _spike_list(steps, neurons, n_neurons, dt):
    """Per-neuron sorted spike-time arrays from parallel (step, neuron) arrays."""
    order = np.argsort(neurons, kind="stable")
    steps = steps[order]
    boundaries = np.searchsorted(neurons[order], np.arange(1, n_neurons))
    return [chunk * dt for chunk in np.split(steps, boundaries)]


def _spike_chunks_to_list(spike_steps, spike_neurons, n_neurons, dt):
    """Per-neuron spike times from the (steps, neurons) chunks a numpy loop collected."""
    if not spike_steps:
        return [np.empty(0) for _ in range(n_neurons)]
    return _spike_list(np.concatenate(spike_steps), np.concatenate(spike_neurons), n_neurons, dt)


def _spike_buffer_size(n_steps, refractory_steps, n_neurons):
    """Capacity that cannot overflow: consecutive spikes are >= max(ref, 1) steps apart."""
    minimum_interval = max(int(refractory_steps.min()), 1) if refractory_steps.size else 1
    bound = n_steps // minimum_interval + 1
    if bound * n_neurons <= _MAX_SPIKE_BUFFER:
        return bound
    return max(1, min(bound, _MAX_SPIKE_BUFFER // n_neurons))


def _buffer_to_list(buffer, counts, dt):
    """Per-neuron spike-time arrays (ms) from a (neurons, capacity) buffer of steps."""
    stored = np.arange(buffer.shape[1]) < counts[:, np.newaxis]
    # One compact array and slices of it: far cheaper than one new array
    # per neuron when there are thousands of neurons.
    times = buffer[stored] * dt
    ends = np.cumsum(counts).tolist()
    starts = [0, *ends[:-1]]
    return [times[a:b] for a, b in zip(starts, ends, strict=True)]


# ---------------------------------------------------------------------------
# LIF
# ---------------------------------------------------------------------------


def simulate_lif(
    *,
    duration,
    dt,
    membrane_capacitance,
    leak_conductance,
    leak_reversal,
    threshold=-50.0,
    reset=-65.0,
    refractory_period=2.0,
    current=0.0,
    bias_current=0.0,
    excitatory_conductance=None,
    excitatory_reversal=0.0,
    inhibitory_conductance=None,
    inhibitory_reversal=-70.0,
    initial_voltage=None,
    step_order="textbook",
    method="euler",
    record_voltage=True,
    backend="auto",
) -> SimulationResult:
    """Simulate one or many leaky integrate-and-fire neurons.

    C dV/dt = g_L (E_L - V) + g_e(t) (E_e - V) + g_i(t) (E_i - V) + I(t)

    with I(t) = bias_current + current(t). When V >= threshold a spike is
    recorded, V is set to ``reset`` and held there for ``refractory_period``
    (see the module docstring for the two step orders). The inputs are
    taken as constant over each step, at their value at the step's start.

    Parameters
    ----------
    duration : float
        Length of the run in ms; the run has ``round(duration / dt)`` steps.
    dt : float
        Time step in ms (> 0, at most ``duration``).
    membrane_capacitance : float or array_like
        C in pF (> 0), one value or one per neuron.
    leak_conductance : float or array_like
        g_L in nS (> 0).
    leak_reversal : float or array_like
        E_L in mV (the resting potential).
    threshold : float or array_like, optional
        Spike threshold in mV (default -50). ``np.inf`` gives a passive
        membrane that never spikes.
    reset : float or array_like, optional
        Reset potential in mV (default -65), below ``threshold``.
    refractory_period : float or array_like, optional
        Time in ms (>= 0, default 2) during which V is held at ``reset``
        after a spike; counted in whole steps, rounded down.
    current : float or array_like, optional
        Injected current in pA: a number, an array of shape (n_steps,)
        shared by all neurons, or one of shape (n_neurons, n_steps).
    bias_current : float or array_like, optional
        Constant current in pA, one value or one per neuron (n_neurons,).
        Added to ``current``.
    excitatory_conductance, inhibitory_conductance : array_like, optional
        Synaptic conductances g_e(t), g_i(t) in nS, shape (n_steps,) or
        (n_neurons, n_steps). Default: none.
    excitatory_reversal, inhibitory_reversal : float or array_like, optional
        E_e and E_i in mV (defaults 0 and -70).
    initial_voltage : float or array_like, optional
        V at t = 0 in mV. Default: ``leak_reversal``.
    step_order : {"textbook", "brian2"}, optional
        When the spike is labelled and refractoriness starts (module
        docstring). "brian2" reproduces Brian2's default schedule exactly.
    method : {"euler", "exponential_euler"}, optional
        "euler": forward Euler, V += dt * dV/dt, exactly Brian2's 'euler'
        (first-order accurate; unstable for dt > 2 tau, which triggers a
        RuntimeWarning). "exponential_euler": V relaxes exactly towards its
        steady state V_inf = (sum of g E + I) / (sum of g) with time
        constant C / (sum of g), i.e. exact for inputs that are constant
        over a step; the same update as Brian2's 'exponential_euler' for
        this equation.
    record_voltage : bool, optional
        Record V at every step (default True). With False,
        ``result.voltage`` is None, which saves memory for large networks.
    backend : {"auto", "numpy", "numba"}, optional
        "auto" uses numba if it is installed, else numpy.

    Returns
    -------
    SimulationResult
        ``time`` (ms), ``voltage`` (n_neurons, n_steps) in mV,
        ``spike_times`` (one array in ms per neuron).

    Notes
    -----
    With ``step_order="textbook"`` a threshold crossing in the very last
    step would give a spike at t = duration, outside the run [0, duration);
    it is not reported.
    """
    dt = check_dt(dt)
    n_steps = number_of_steps(duration, dt)
    step_order = _choice("step_order", step_order, STEP_ORDERS)
    method = _choice("method", method, METHODS)
    backend = _resolve_backend(backend)
    _check_loop(backend, duration, dt)

    capacitance = _parameter("membrane_capacitance", membrane_capacitance, unit="pF", positive=True)
    g_leak = _parameter("leak_conductance", leak_conductance, unit="nS", positive=True)
    e_leak = _parameter("leak_reversal", leak_reversal, unit="mV")
    threshold = _parameter("threshold", threshold, unit="mV", allow_inf=True)
    reset = _parameter("reset", reset, unit="mV")
    refractory = _parameter("refractory_period", refractory_period, unit="ms", nonnegative=True)
    bias = _parameter("bias_current", bias_current, unit="pA")
    e_exc = _parameter("excitatory_reversal", excitatory_reversal, unit="mV")
    e_inh = _parameter("inhibitory_reversal", inhibitory_reversal, unit="mV")
    v_start = e_leak if initial_voltage is None else _parameter(
        "initial_voltage", initial_voltage, unit="mV"
    )
    current = _time_course("current", current, n_steps, unit="pA")
    g_exc = _time_course("excitatory_conductance", excitatory_conductance, n_steps, unit="nS")
    g_inh = _time_course("inhibitory_conductance", inhibitory_conductance, n_steps, unit="nS")
    for name, value in (("excitatory_conductance", g_exc), ("inhibitory_conductance", g_inh)):
        if value is not None and np.any(np.asarray(value) < 0):
            raise ValueError(
                f"{name} must not be negative (it is a conductance in nS), "
                f"but its smallest value is {np.min(value):g}."
            )
    _check_below("reset", reset, "threshold", threshold)

    sizes = {
        "membrane_capacitance": _size(capacitance),
        "leak_conductance": _size(g_leak),
        "leak_reversal": _size(e_leak),
        "threshold": _size(threshold),
        "reset": _size(reset),
        "refractory_period": _size(refractory),
        "bias_current": _size(bias),
        "excitatory_reversal": _size(e_exc),
        "inhibitory_reversal": _size(e_inh),
        "initial_voltage": _size(v_start),
        "current (rows)": _size(current),
        "excitatory_conductance (rows)": _size(g_exc),
        "inhibitory_conductance (rows)": _size(g_inh),
    }
    n_neurons = _count_neurons(sizes)
    record_voltage = as_bool("record_voltage", record_voltage)
    _check_recording(n_neurons, n_steps, record_voltage)

    # A constant `current` is just more bias.
    if current is not None and np.ndim(current) == 0:
        bias = bias + current
        current = None

    if method == "euler":
        total = np.asarray(g_leak, dtype=float)
        for g in (g_exc, g_inh):
            if g is not None and np.ndim(g) == 2:
                total = total + g.max(axis=1)
        fastest = float(np.min(np.asarray(capacitance) / total))
        if dt > 2.0 * fastest:
            warnings.warn(
                f"dt = {dt:g} ms is more than twice the membrane time constant "
                f"({fastest:g} ms): forward Euler is unstable here and the voltage "
                "will oscillate and blow up. Use a smaller dt or method='exponential_euler'.",
                RuntimeWarning,
                stacklevel=2,
            )

    args = dict(
        v0=_per_neuron(v_start, n_neurons),
        capacitance=_per_neuron(capacitance, n_neurons),
        g_leak=_per_neuron(g_leak, n_neurons),
        e_leak=_per_neuron(e_leak, n_neurons),
        threshold=_per_neuron(threshold, n_neurons),
        reset=_per_neuron(reset, n_neurons),
        refractory_steps=_refractory_steps(refractory, dt, n_neurons),
        bias=_per_neuron(bias, n_neurons),
        current=current,
        g_exc=g_exc,
        e_exc=_per_neuron(e_exc, n_neurons),
        g_inh=g_inh,
        e_inh=_per_neuron(e_inh, n_neurons),
    )
    run = _lif_numba if backend == "numba" else _lif_numpy
    voltage, spike_times = run(
        **args,
        n_steps=n_steps,
        dt=dt,
        brian2_order=step_order == "brian2",
        exponential=method == "exponential_euler",
        record=record_voltage,
    )
    check_converged(voltage, "current, bias_current, the conductances, initial_voltage and dt")
    time = np.arange(n_steps) * dt
    return SimulationResult(time=time, voltage=voltage, spike_times=spike_times, dt=dt)


def simulate_passive(
    *,
    duration,
    dt,
    membrane_capacitance,
    leak_conductance,
    leak_reversal,
    current=0.0,
    bias_current=0.0,
    excitatory_conductance=None,
    excitatory_reversal=0.0,
    inhibitory_conductance=None,
    inhibitory_reversal=-70.0,
    initial_voltage=None,
    method="euler",
    record_voltage=True,
    backend="auto",
) -> SimulationResult:
    """Simulate a passive membrane (a LIF neuron without threshold).

    C dV/dt = g_L (E_L - V) + g_e(t) (E_e - V) + g_i(t) (E_i - V) + I(t).
    Arguments and units as in :func:`simulate_lif`; ``spike_times`` is a
    list of empty arrays.
    """
    return simulate_lif(
        duration=duration,
        dt=dt,
        membrane_capacitance=membrane_capacitance,
        leak_conductance=leak_conductance,
        leak_reversal=leak_reversal,
        threshold=np.inf,
        reset=0.0,
        refractory_period=0.0,
        current=current,
        bias_current=bias_current,
        excitatory_conductance=excitatory_conductance,
        excitatory_reversal=excitatory_reversal,
        inhibitory_conductance=inhibitory_conductance,
        inhibitory_reversal=inhibitory_reversal,
        initial_voltage=initial_voltage,
        method=method,
        record_voltage=record_voltage,
        backend=backend,
    )


def _lif_numpy(
    *, v0, capacitance, g_leak, e_leak, threshold, reset, refractory_steps, bias,
    current, g_exc, e_exc, g_inh, e_inh, n_steps, dt, brian2_order, exponential, record,
):
    n_neurons = v0.shape[0]
    v = v0.copy()
    last_spike = np.full(n_neurons, _NEVER, dtype=np.int64)
    voltage = np.empty((n_neurons, n_steps)) if record else None
    has_threshold = np.isfinite(threshold)
    conductance_based = g_exc is not None or g_inh is not None
    if exponential and not conductance_based:
        decay = np.exp(-dt * g_leak / capacitance)
    spike_steps, spike_neurons = [], []
    for k in range(n_steps):
        if record:
            voltage[:, k] = v
        drive = bias if current is None else bias + current[:, k]
        # The textbook order stores the spike at step k + 1, Brian2's at k;
        # either way a neuron integrates once k - last_spike >= refractory.
        active = (k - last_spike) >= refractory_steps
        if conductance_based:
            ge = 0.0 if g_exc is None else g_exc[:, k]
            gi = 0.0 if g_inh is None else g_inh[:, k]
            if exponential:
                total = g_leak + ge + gi
                v_inf = (g_leak * e_leak + ge * e_exc + gi * e_inh + drive) / total
                new = v_inf + (v - v_inf) * np.exp(-dt * total / capacitance)
            else:
                new = v + dt * (
                    drive + g_leak * (e_leak - v) + ge * (e_exc - v) + gi * (e_inh - v)
                ) / capacitance
        elif exponential:
            v_inf = e_leak + drive / g_leak
            new = v_inf + (v - v_inf) * decay
        else:
            new = v + dt * (drive + g_leak * (e_leak - v)) / capacitance
        v = np.where(active, new, v)
        spiked = active & has_threshold & (v >= threshold)
        if spiked.any():
            index = np.flatnonzero(spiked)
            step = k if brian2_order else k + 1
            v[index] = reset[index]
            last_spike[index] = step
            if step < n_steps:
                spike_steps.append(np.full(index.size, step, dtype=np.int64))
                spike_neurons.append(index)
    spike_times = _spike_chunks_to_list(spike_steps, spike_neurons, n_neurons, dt)
    return voltage, spike_times


_KERNELS: dict[str, object] = {}
"""Compiled numba kernels, built on first use (never at import time)."""


def _numba_kernels(name, build):
    """(serial, parallel) compiled versions of a kernel, built once per process.

    Both come from the same source: the serial one loops with ``range``, the
    parallel one with ``numba.prange``. A single chunk of work runs serially,
    because starting the thread pool costs more than a small run (and much
    more when another process keeps the other cores busy). numba caches the
    machine code on disk (``cache=True``), so a new process loads it in a
    fraction of a second instead of compiling it again.
    """
    if name not in _KERNELS:
        import numba

        _KERNELS[name] = tuple(
            numba.njit(parallel=parallel, cache=True, error_model="numpy")(
                build(numba.prange if parallel else range)
            )
            for parallel in (False, True)
        )
    return _KERNELS[name]


# error_model="numpy" (above): x / 0 gives inf instead of raising, which
# lets the compiler vectorise divisions (the parameters are validated
# before any kernel runs).


def _lif_source(loop):
    # `loop` (range or prange) and `chunk` are the kernel's only closure
    # variables: numba's cache key includes them, so they must pickle the
    # same way in every process (a compiled function would not).
    chunk = _NEURONS_PER_CHUNK

    def lif_kernel(
        v0, capacitance, g_leak, e_leak, threshold, reset, refractory_steps, bias,
        current, has_current, g_exc, has_exc, e_exc, g_inh, has_inh, e_inh,
        n_steps, dt, brian2_order, exponential, record, voltage, spike_buffer, spike_counts,
    ):
        # Neurons are split in chunks that run in parallel. Inside a chunk
        # the time loop is outside and the neuron loop inside: the neurons
        # are independent, so the CPU overlaps (and vectorises) their
        # updates instead of waiting for each V to be ready.
        n_neurons = v0.shape[0]
        capacity = spike_buffer.shape[1]
        conductance_based = has_exc or has_inh
        # Missing inputs are (1, 1) arrays of zeros, read as a shared row.
        shared_current = current.shape[0] == 1
        shared_exc = g_exc.shape[0] == 1
        shared_inh = g_inh.shape[0] == 1
        n_chunks = (n_neurons + chunk - 1) // chunk
        for c in loop(n_chunks):
            start = c * chunk
            stop = min(start + chunk, n_neurons)
            size = stop - start
            v = v0[start:stop].copy()
            # Views on this chunk (suffix _c), indexed by j = neuron - start.
            capacitance_c = capacitance[start:stop]
            g_leak_c = g_leak[start:stop]
            e_leak_c = e_leak[start:stop]
            threshold_c = threshold[start:stop]
            reset_c = reset[start:stop]
            refractory_steps_c = refractory_steps[start:stop]
            bias_c = bias[start:stop]
            e_exc_c = e_exc[start:stop]
            e_inh_c = e_inh[start:stop]
            last_spike = np.full(size, _NEVER, dtype=np.int64)
            count = np.zeros(size, dtype=np.int64)
            new = np.empty(size)
            decay = np.exp(-dt * g_leak_c / capacitance_c)
            for k in range(n_steps):
                if record:
                    for j in range(size):
                        voltage[start + j, k] = v[j]
                shared_drive = current[0, k] if has_current and shared_current else 0.0
                ge_shared = g_exc[0, k] if has_exc and shared_exc else 0.0
                gi_shared = g_inh[0, k] if has_inh and shared_inh else 0.0
                step = k if brian2_order else k + 1
                # Two passes over the chunk, each a simple loop without branches
                # that the compiler can vectorise: the candidate new V of every
                # neuron, then refractoriness, threshold and reset.
                if conductance_based:
                    for j in range(size):
                        i = start + j
                        vj = v[j]
                        drive = bias_c[j] + (shared_drive if shared_current else current[i, k])
                        ge = ge_shared if shared_exc else g_exc[i, k]
                        gi = gi_shared if shared_inh else g_inh[i, k]
                        if exponential:
                            total = g_leak_c[j] + ge + gi
                            v_inf = (
                                g_leak_c[j] * e_leak_c[j] + ge * e_exc_c[j] + gi * e_inh_c[j]
                                + drive
                            ) / total
                            new[j] = v_inf + (vj - v_inf) * np.exp(
                                -dt * total / capacitance_c[j]
                            )
                        else:
                            new[j] = vj + dt * (
                                drive + g_leak_c[j] * (e_leak_c[j] - vj) + ge * (e_exc_c[j] - vj)
                                + gi * (e_inh_c[j] - vj)
                            ) / capacitance_c[j]
                elif has_current and not shared_current:
                    if exponential:
                        for j in range(size):
                            i = start + j
                            v_inf = e_leak_c[j] + (bias_c[j] + current[i, k]) / g_leak_c[j]
                            new[j] = v_inf + (v[j] - v_inf) * decay[j]
                    else:
                        for j in range(size):
                            i = start + j
                            new[j] = v[j] + dt * (
                                bias_c[j] + current[i, k] + g_leak_c[j] * (e_leak_c[j] - v[j])
                            ) / capacitance_c[j]
                elif has_current:
                    if exponential:
                        for j in range(size):
                            v_inf = e_leak_c[j] + (bias_c[j] + shared_drive) / g_leak_c[j]
                            new[j] = v_inf + (v[j] - v_inf) * decay[j]
                    else:
                        for j in range(size):
                            new[j] = v[j] + dt * (
                                bias_c[j] + shared_drive + g_leak_c[j] * (e_leak_c[j] - v[j])
                            ) / capacitance_c[j]
                elif exponential:
                    for j in range(size):
                        v_inf = e_leak_c[j] + bias_c[j] / g_leak_c[j]
                        new[j] = v_inf + (v[j] - v_inf) * decay[j]
                else:
                    for j in range(size):
                        new[j] = v[j] + dt * (
                            bias_c[j] + g_leak_c[j] * (e_leak_c[j] - v[j])
                        ) / capacitance_c[j]
                n_spiking = 0
                for j in range(size):
                    # Load everything first: the compiler turns the conditionals
                    # into vector selects only when no load depends on them.
                    new_j, old_j, last_j = new[j], v[j], last_spike[j]
                    refractory_j, threshold_j, reset_j = (
                        refractory_steps_c[j], threshold_c[j], reset_c[j],
                    )
                    # Refractory neurons keep V (= reset, below threshold).
                    vj = new_j if k - last_j >= refractory_j else old_j
                    # threshold is NaN for "never spikes": the test is False.
                    spikes = vj >= threshold_j
                    v[j] = reset_j if spikes else vj
                    last_spike[j] = step if spikes else last_j
                    n_spiking += np.int64(spikes)
                if n_spiking > 0 and step < n_steps:
                    for j in range(size):
                        if last_spike[j] == step:
                            if count[j] < capacity:
                                spike_buffer[start + j, count[j]] = step
                            count[j] += 1
            spike_counts[start:stop] = count

    return lif_kernel


def _lif_numba(
    *, v0, capacitance, g_leak, e_leak, threshold, reset, refractory_steps, bias,
    current, g_exc, e_exc, g_inh, e_inh, n_steps, dt, brian2_order, exponential, record,
):
    serial_kernel, parallel_kernel = _numba_kernels("lif", _lif_source)
    n_neurons = v0.shape[0]
    current, has_current = _as_grid_input(current, n_steps)
    g_exc, has_exc = _as_grid_input(g_exc, n_steps)
    g_inh, has_inh = _as_grid_input(g_inh, n_steps)
    voltage = np.empty((n_neurons, n_steps)) if record else np.empty((1, 1))
    capacity = _spike_buffer_size(n_steps, refractory_steps, n_neurons)
    # A NaN threshold makes `v >= threshold` False: "never spikes".
    threshold = np.where(np.isinf(threshold), np.nan, threshold)
    args = (
        v0, capacitance, g_leak, e_leak, threshold, reset, refractory_steps, bias,
        current, has_current, g_exc, has_exc, e_exc, g_inh, has_inh, e_inh,
        n_steps, dt, brian2_order, exponential, record, voltage,
    )
    while True:
        spike_buffer = np.empty((n_neurons, capacity), dtype=np.int64)
        spike_counts = np.zeros(n_neurons, dtype=np.int64)
        kernel = serial_kernel if n_neurons <= _NEURONS_PER_CHUNK else parallel_kernel
        kernel(*args, spike_buffer, spike_counts)
        most = int(spike_counts.max()) if n_neurons else 0
        if most <= capacity:
            break
        capacity = most
    return (voltage if record else None), _buffer_to_list(spike_buffer, spike_counts, dt)


# ---------------------------------------------------------------------------
# AdEx
# ---------------------------------------------------------------------------


def simulate_adex(
    *,
    duration,
    dt,
    membrane_capacitance,
    leak_conductance,
    leak_reversal,
    slope_factor,
    rheobase_threshold,
    reset,
    adaptation_coupling,
    spike_adaptation,
    adaptation_time_constant,
    spike_cutoff=0.0,
    refractory_period=0.0,
    current=0.0,
    bias_current=0.0,
    initial_voltage=None,
    initial_adaptation=0.0,
    step_order="textbook",
    record_voltage=True,
    backend="auto",
) -> SimulationResult:
    """Simulate adaptive exponential integrate-and-fire neurons.

    The model of Brette & Gerstner (2005), J. Neurophysiol. 94:3637-3642,
    "Adaptive exponential integrate-and-fire model as an effective
    description of neuronal activity":

        C dV/dt = -g_L (V - E_L) + g_L Delta_T exp((V - V_T) / Delta_T) - w + I
        tau_w dw/dt = a (V - E_L) - w

    When V >= V_peak (``spike_cutoff``) a spike is recorded, V := V_reset
    and w := w + b. Integrated with forward Euler (both variables from their
    values at the start of the step, as Brian2's 'euler'). During the
    refractory period V is held at the reset value while w keeps evolving
    (as in Brian2 with ``(unless refractory)`` on v only). The exponent is
    clipped at 300 so that exp cannot overflow; this changes no spike time
    (see the source).

    Parameters
    ----------
    duration, dt : float
        Length of the run and time step, in ms.
    membrane_capacitance : float or array_like
        C in pF (> 0).
    leak_conductance : float or array_like
        g_L in nS (> 0).
    leak_reversal : float or array_like
        E_L in mV.
    slope_factor : float or array_like
        Delta_T in mV (> 0): sharpness of spike initiation.
    rheobase_threshold : float or array_like
        V_T in mV: where the exponential term takes over.
    reset : float or array_like
        V_reset in mV (below ``spike_cutoff``).
    adaptation_coupling : float or array_like
        a in nS: subthreshold adaptation.
    spike_adaptation : float or array_like
        b in pA: increment of w at each spike.
    adaptation_time_constant : float or array_like
        tau_w in ms (> 0).
    spike_cutoff : float or array_like, optional
        V_peak in mV (default 0): the spike is detected here.
    refractory_period : float or array_like, optional
        In ms (default 0), whole steps rounded down.
    current, bias_current : optional
        Injected current in pA, as in :func:`simulate_lif`.
    initial_voltage : float or array_like, optional
        V at t = 0 in mV (default ``leak_reversal``).
    initial_adaptation : float or array_like, optional
        w at t = 0 in pA (default 0).
    step_order : {"textbook", "brian2"}, optional
        As in :func:`simulate_lif`.
    record_voltage : bool, optional
        Record V and w at every step (default True).
    backend : {"auto", "numpy", "numba"}, optional
        As in :func:`simulate_lif`.

    Returns
    -------
    SimulationResult
        With ``traces["adaptation"]``, w in pA, shape (n_neurons, n_steps)
        (absent when ``record_voltage=False``).
    """
    dt = check_dt(dt)
    n_steps = number_of_steps(duration, dt)
    step_order = _choice("step_order", step_order, STEP_ORDERS)
    backend = _resolve_backend(backend)
    _check_loop(backend, duration, dt)

    params = {
        "membrane_capacitance": _parameter(
            "membrane_capacitance", membrane_capacitance, unit="pF", positive=True
        ),
        "leak_conductance": _parameter(
            "leak_conductance", leak_conductance, unit="nS", positive=True
        ),
        "leak_reversal": _parameter("leak_reversal", leak_reversal, unit="mV"),
        "slope_factor": _parameter("slope_factor", slope_factor, unit="mV", positive=True),
        "rheobase_threshold": _parameter("rheobase_threshold", rheobase_threshold, unit="mV"),
        "spike_cutoff": _parameter("spike_cutoff", spike_cutoff, unit="mV"),
        "reset": _parameter("reset", reset, unit="mV"),
        "adaptation_coupling": _parameter("adaptation_coupling", adaptation_coupling, unit="nS"),
        "spike_adaptation": _parameter("spike_adaptation", spike_adaptation, unit="pA"),
        "adaptation_time_constant": _parameter(
            "adaptation_time_constant", adaptation_time_constant, unit="ms", positive=True
        ),
        "refractory_period": _parameter(
            "refractory_period", refractory_period, unit="ms", nonnegative=True
        ),
        "bias_current": _parameter("bias_current", bias_current, unit="pA"),
        "initial_adaptation": _parameter("initial_adaptation", initial_adaptation, unit="pA"),
    }
    params["initial_voltage"] = (
        params["leak_reversal"]
        if initial_voltage is None
        else _parameter("initial_voltage", initial_voltage, unit="mV")
    )
    current = _time_course("current", current, n_steps, unit="pA")
    _check_below("reset", params["reset"], "spike_cutoff", params["spike_cutoff"])
    sizes = {name: _size(value) for name, value in params.items()}
    sizes["current (rows)"] = _size(current)
    n_neurons = _count_neurons(sizes)
    if current is not None and np.ndim(current) == 0:
        params["bias_current"] = params["bias_current"] + current
        current = None

    per = {name: _per_neuron(value, n_neurons) for name, value in params.items()}
    refractory_steps = _refractory_steps(params["refractory_period"], dt, n_neurons)
    record = as_bool("record_voltage", record_voltage)
    _check_recording(n_neurons, n_steps, record, n_traces=2)
    if backend == "numba":
        serial_kernel, parallel_kernel = _numba_kernels("adex", _adex_source)
        # Parallel over neurons only when there is enough work to pay for
        # starting the thread pool.
        enough_work = n_neurons > 1 and n_neurons * n_steps >= 200_000
        kernel = parallel_kernel if enough_work else serial_kernel
        grid_current, has_current = _as_grid_input(current, n_steps)
        shape = (n_neurons, n_steps) if record else (1, 1)
        voltage, adaptation = np.empty(shape), np.empty(shape)
        capacity = _spike_buffer_size(n_steps, refractory_steps, n_neurons)
        while True:
            spike_buffer = np.empty((n_neurons, capacity), dtype=np.int64)
            spike_counts = np.zeros(n_neurons, dtype=np.int64)
            kernel(
                per["initial_voltage"], per["initial_adaptation"],
                per["membrane_capacitance"], per["leak_conductance"], per["leak_reversal"],
                per["slope_factor"], per["rheobase_threshold"], per["spike_cutoff"],
                per["reset"], per["adaptation_coupling"], per["spike_adaptation"],
                per["adaptation_time_constant"], refractory_steps, per["bias_current"],
                grid_current, has_current, n_steps, dt, step_order == "brian2", record,
                voltage, adaptation, spike_buffer, spike_counts,
            )
            most = int(spike_counts.max()) if n_neurons else 0
            if most <= capacity:
                break
            capacity = most
        spike_times = _buffer_to_list(spike_buffer, spike_counts, dt)
    else:
        voltage, adaptation, spike_times = _adex_numpy(
            per, refractory_steps, current, n_steps, dt, step_order == "brian2", record
        )
    traces = {"adaptation": adaptation} if record else {}
    if record:
        suspects = ("slope_factor, adaptation_coupling, spike_adaptation, "
                    "adaptation_time_constant, current, bias_current and dt")
        check_converged(voltage, suspects)
        check_converged(adaptation, suspects, what="the adaptation current")
    return SimulationResult(
        time=np.arange(n_steps) * dt,
        voltage=voltage if record else None,
        spike_times=spike_times,
        dt=dt,
        traces=traces,
    )


def _adex_numpy(per, refractory_steps, current, n_steps, dt, brian2_order, record):
    v = per["initial_voltage"].copy()
    w = per["initial_adaptation"].copy()
    c, gl, el = per["membrane_capacitance"], per["leak_conductance"], per["leak_reversal"]
    delta_t, v_t = per["slope_factor"], per["rheobase_threshold"]
    cutoff, reset = per["spike_cutoff"], per["reset"]
    a, b = per["adaptation_coupling"], per["spike_adaptation"]
    tau_w = per["adaptation_time_constant"]
    bias = per["bias_current"]
    n_neurons = v.shape[0]
    last_spike = np.full(n_neurons, _NEVER, dtype=np.int64)
    voltage = np.empty((n_neurons, n_steps)) if record else None
    adaptation = np.empty((n_neurons, n_steps)) if record else None
    spike_steps, spike_neurons = [], []
    for k in range(n_steps):
        if record:
            voltage[:, k] = v
            adaptation[:, k] = w
        drive = bias if current is None else bias + current[:, k]
        active = (k - last_spike) >= refractory_steps
        exponent = np.minimum((v - v_t) / delta_t, _ADEX_EXPONENT_CAP)
        new_v = v + dt * (gl * delta_t * np.exp(exponent) + drive + gl * (el - v) - w) / c
        w = w + dt * (a * (v - el) - w) / tau_w
        v = np.where(active, new_v, v)
        spiked = active & (v >= cutoff)
        if spiked.any():
            index = np.flatnonzero(spiked)
            step = k if brian2_order else k + 1
            v[index] = reset[index]
            w[index] += b[index]
            last_spike[index] = step
            if step < n_steps:
                spike_steps.append(np.full(index.size, step, dtype=np.int64))
                spike_neurons.append(index)
    spike_times = _spike_chunks_to_list(spike_steps, spike_neurons, n_neurons, dt)
    return voltage, adaptation, spike_times


def _adex_source(loop):
    # Closure variables must pickle identically in every process (see
    # _lif_source): a range/prange class and a float.
    cap = _ADEX_EXPONENT_CAP

    def adex_kernel(
        v0, w0, capacitance, g_leak, e_leak, slope_factor, v_t, cutoff, reset,
        coupling, increment, tau_w, refractory_steps, bias, current, has_current,
        n_steps, dt, brian2_order, record, voltage, adaptation, spike_buffer, spike_counts,
    ):
        n_neurons = v0.shape[0]
        capacity = spike_buffer.shape[1]
        for i in loop(n_neurons):
            v = v0[i]
            w = w0[i]
            last_spike = _NEVER
            count = 0
            row = min(np.int64(i), np.int64(current.shape[0] - 1))
            for k in range(n_steps):
                if record:
                    voltage[i, k] = v
                    adaptation[i, k] = w
                drive = bias[i]
                if has_current:
                    drive = bias[i] + current[row, k]
                exponent = min((v - v_t[i]) / slope_factor[i], cap)
                new_v = v + dt * (
                    g_leak[i] * slope_factor[i] * np.exp(exponent)
                    + drive + g_leak[i] * (e_leak[i] - v) - w
                ) / capacitance[i]
                w = w + dt * (coupling[i] * (v - e_leak[i]) - w) / tau_w[i]
                if k - last_spike < refractory_steps[i]:
                    continue
                v = new_v
                if v >= cutoff[i]:
                    step = k if brian2_order else k + 1
                    v = reset[i]
                    w += increment[i]
                    last_spike = step
                    if step < n_steps:
                        if count < capacity:
                            spike_buffer[i, count] = step
                        count += 1
            spike_counts[i] = count

    return adex_kernel


# ---------------------------------------------------------------------------
# Izhikevich
# ---------------------------------------------------------------------------

IZHIKEVICH_CELL_TYPES = {
    "RS": dict(recovery_rate=0.02, recovery_sensitivity=0.2, reset=-65.0, recovery_jump=8.0),
    "IB": dict(recovery_rate=0.02, recovery_sensitivity=0.2, reset=-55.0, recovery_jump=4.0),
    "CH": dict(recovery_rate=0.02, recovery_sensitivity=0.2, reset=-50.0, recovery_jump=2.0),
    "FS": dict(recovery_rate=0.1, recovery_sensitivity=0.2, reset=-65.0, recovery_jump=2.0),
    "LTS": dict(recovery_rate=0.02, recovery_sensitivity=0.25, reset=-65.0, recovery_jump=2.0),
    "TC": dict(recovery_rate=0.02, recovery_sensitivity=0.25, reset=-65.0, recovery_jump=0.05),
    "RZ": dict(recovery_rate=0.1, recovery_sensitivity=0.26, reset=-65.0, recovery_jump=2.0),
}
"""The parameter sets (a, b, c, d) of Izhikevich (2003), Fig. 2.

Keys: regular spiking (RS), intrinsically bursting (IB), chattering (CH),
fast spiking (FS), low-threshold spiking (LTS), thalamo-cortical (TC) and
resonator (RZ). ``recovery_rate`` is a (1/ms), ``recovery_sensitivity`` b
(1/ms), ``reset`` c (mV), ``recovery_jump`` d (mV/ms).
"""

IZHIKEVICH_CELL_NAMES = {
    "RS": "regular spiking",
    "IB": "intrinsically bursting",
    "CH": "chattering",
    "FS": "fast spiking",
    "LTS": "low-threshold spiking",
    "TC": "thalamo-cortical",
    "RZ": "resonator",
}
"""Plain names of the keys of :data:`IZHIKEVICH_CELL_TYPES`."""


def izhikevich_resting_potential(
    recovery_sensitivity, *, quadratic_coefficient=0.04, linear_coefficient=5.0,
    constant_coefficient=140.0, bias=0.0,
):
    """The lower fixed point of the Izhikevich model, in mV (NaN where there is none).

    At a fixed point u = b v and 0 = k2 v^2 + (k1 - b) v + k0 + I/C; of its
    two roots the lower one is the resting state (the upper one is the
    threshold-like saddle). Without a real root the neuron has no resting
    state: it fires tonically with no input.

    Parameters
    ----------
    recovery_sensitivity : float or array_like
        b in 1/ms.
    quadratic_coefficient, linear_coefficient, constant_coefficient : float, optional
        k2 in 1/(mV ms), k1 in 1/ms and k0 in mV/ms (defaults: the paper's
        0.04, 5 and 140).
    bias : float or array_like, optional
        A constant input I/C in mV/ms (default 0).

    Returns
    -------
    float or numpy.ndarray
        The resting potential in mV, NaN where the model has none.
    """
    b = check_bounds("recovery_sensitivity", _number_or_array(
        "recovery_sensitivity", recovery_sensitivity, unit="1/ms"
    ))
    # Each may be one value per neuron (a fit shifts every candidate's voltage axis).
    quadratic_coefficient = check_bounds("quadratic_coefficient", _number_or_array(
        "quadratic_coefficient", quadratic_coefficient, unit="1/(mV ms)"
    ))
    linear_coefficient = check_bounds("linear_coefficient", _number_or_array(
        "linear_coefficient", linear_coefficient, unit="1/ms"
    ))
    constant_coefficient = check_bounds("constant_coefficient", _number_or_array(
        "constant_coefficient", constant_coefficient, unit="mV/ms"
    ))
    bias = check_bounds("bias", _number_or_array("bias", bias, unit="mV/ms"),
                        kind="constant_coefficient")
    linear = linear_coefficient - b
    discriminant = linear**2 - 4.0 * quadratic_coefficient * (constant_coefficient + bias)
    with np.errstate(invalid="ignore"):
        rest = (-linear - np.sqrt(discriminant)) / (2.0 * quadratic_coefficient)
    rest = np.where(discriminant >= 0, rest, np.nan)
    return float(rest) if rest.ndim == 0 else rest


def simulate_izhikevich(
    *,
    duration,
    dt,
    membrane_capacitance,
    recovery_rate,
    recovery_sensitivity,
    reset,
    recovery_jump,
    spike_cutoff=30.0,
    quadratic_coefficient=0.04,
    linear_coefficient=5.0,
    constant_coefficient=140.0,
    current=0.0,
    bias_current=0.0,
    initial_voltage=None,
    initial_recovery=None,
    step_order="textbook",
    record_voltage=True,
    backend="auto",
) -> SimulationResult:
    """Simulate Izhikevich neurons (Izhikevich 2003, IEEE Trans. Neural Netw. 14:1569).

    The model, with the input written in the course's units::

        dV/dt = k2 V^2 + k1 V + k0 - u + I / C
        du/dt = a (b V - u)

    with k2 = 0.04 /(mV ms), k1 = 5 /ms, k0 = 140 mV/ms (the paper's fit to
    the spike initiation of a cortical neuron). When V >= V_peak
    (``spike_cutoff``, 30 mV) a spike is recorded, V := c and u := u + d.

    **How pA map onto the paper's I.** The paper's equation is written for V
    in mV and t in ms, so its input I is a rate of change of voltage, in
    mV/ms, with no capacitance. Here the injected current is in pA and is
    divided by ``membrane_capacitance`` C in pF (pA/pF = mV/ms): the paper's
    I = 10 is 1000 pA for C = 100 pF. C is a free scale, not a measured
    capacitance: the paper does not fix it, and only I / C matters.

    **What the parameters mean.** V is the membrane potential in mV; the
    reset c is a voltage; the peak 30 mV is where the spike is cut, not a
    threshold (the threshold is not a parameter: it emerges from the
    quadratic term and u). u (mV/ms; C u is a current in pA) lumps together
    the slow currents that oppose depolarisation (K+ activation, Na+
    inactivation): a (1/ms) is its rate, 1/a its time constant, b (1/ms)
    its sensitivity to V, d (mV/ms) its jump per spike. None of them is a
    conductance or reversal potential of a real channel, the model has no
    leak conductance or input resistance as separate parameters, and its
    spike is a reset, not a shape: V at 30 mV has no meaning beyond "spike".

    Integrated with forward Euler (both variables from their values at the
    start of the step, as Brian2's 'euler'). At dt = 0.1 ms the intervals are
    within 1 ms of the dt -> 0 limit for the published cell types. This is
    not the paper's own scheme (1 ms steps, V in two half steps, u from the
    new V), which is much coarser: it fires fewer spikes (a chattering cell
    about half as many), with the same patterns (tests/test_izhikevich.py).

    Parameters
    ----------
    duration, dt : float
        Length of the run and time step, in ms.
    membrane_capacitance : float or array_like
        C in pF (> 0): the scale that turns the current in pA into the
        paper's input I in mV/ms.
    recovery_rate : float or array_like
        a in 1/ms (> 0).
    recovery_sensitivity : float or array_like
        b in 1/ms.
    reset : float or array_like
        c in mV (below ``spike_cutoff``).
    recovery_jump : float or array_like
        d in mV/ms: increment of u at each spike.
    spike_cutoff : float or array_like, optional
        V_peak in mV (default 30).
    quadratic_coefficient, linear_coefficient, constant_coefficient : optional
        k2 in 1/(mV ms) (> 0), k1 in 1/ms, k0 in mV/ms (defaults 0.04, 5, 140).
    current, bias_current : optional
        Injected current in pA, as in :func:`simulate_lif`.
    initial_voltage : float or array_like, optional
        V at t = 0 in mV (default: the resting potential,
        :func:`izhikevich_resting_potential`, or ``reset`` where there is none).
    initial_recovery : float or array_like, optional
        u at t = 0 in mV/ms (default b * V(0), u on its nullcline).
    step_order : {"textbook", "brian2"}, optional
        As in :func:`simulate_lif`.
    record_voltage : bool, optional
        Record V and u at every step (default True).
    backend : {"auto", "numpy", "numba"}, optional
        As in :func:`simulate_lif`.

    Returns
    -------
    SimulationResult
        With ``traces["recovery"]``, u in mV/ms, shape (n_neurons, n_steps)
        (absent when ``record_voltage=False``).
    """
    dt = check_dt(dt)
    n_steps = number_of_steps(duration, dt)
    step_order = _choice("step_order", step_order, STEP_ORDERS)
    backend = _resolve_backend(backend)
    _check_loop(backend, duration, dt)
    params = {
        "membrane_capacitance": _parameter(
            "membrane_capacitance", membrane_capacitance, unit="pF", positive=True
        ),
        "recovery_rate": _parameter("recovery_rate", recovery_rate, unit="1/ms", positive=True),
        "recovery_sensitivity": _parameter(
            "recovery_sensitivity", recovery_sensitivity, unit="1/ms"
        ),
        "reset": _parameter("reset", reset, unit="mV"),
        "recovery_jump": _parameter("recovery_jump", recovery_jump, unit="mV/ms"),
        "spike_cutoff": _parameter("spike_cutoff", spike_cutoff, unit="mV"),
        "quadratic_coefficient": _parameter(
            "quadratic_coefficient", quadratic_coefficient, unit="1/(mV ms)", positive=True
        ),
        "linear_coefficient": _parameter("linear_coefficient", linear_coefficient, unit="1/ms"),
        "constant_coefficient": _parameter(
            "constant_coefficient", constant_coefficient, unit="mV/ms"
        ),
        "bias_current": _parameter("bias_current", bias_current, unit="pA"),
    }
    sizes = {name: _size(value) for name, value in params.items()}
    sizes["initial_voltage"] = _size(initial_voltage)
    sizes["initial_recovery"] = _size(initial_recovery)
    current = _time_course("current", current, n_steps, unit="pA")
    sizes["current (rows)"] = _size(current)
    n_neurons = _count_neurons(sizes)
    if initial_voltage is None:
        rest = izhikevich_resting_potential(
            params["recovery_sensitivity"],
            quadratic_coefficient=params["quadratic_coefficient"],
            linear_coefficient=params["linear_coefficient"],
            constant_coefficient=params["constant_coefficient"],
        )
        params["initial_voltage"] = np.where(np.isnan(rest), params["reset"], rest)
        if np.ndim(params["initial_voltage"]) == 0:
            params["initial_voltage"] = float(params["initial_voltage"])
    else:
        params["initial_voltage"] = _parameter("initial_voltage", initial_voltage, unit="mV")
    params["initial_recovery"] = (
        params["recovery_sensitivity"] * params["initial_voltage"]
        if initial_recovery is None
        else _parameter("initial_recovery", initial_recovery, unit="mV/ms")
    )
    _check_below("reset", params["reset"], "spike_cutoff", params["spike_cutoff"])
    if current is not None and np.ndim(current) == 0:
        params["bias_current"] = params["bias_current"] + current
        current = None
    per = {name: _per_neuron(value, n_neurons) for name, value in params.items()}
    record = as_bool("record_voltage", record_voltage)
    _check_recording(n_neurons, n_steps, record, n_traces=2)
    brian2_order = step_order == "brian2"
    if backend == "numba":
        voltage, recovery, spike_times = _izhikevich_numba(
            per, current, n_neurons, n_steps, dt, brian2_order, record
        )
    else:
        voltage, recovery, spike_times = _izhikevich_numpy(
            per, current, n_steps, dt, brian2_order, record
        )
    if record:
        suspects = ("quadratic_coefficient, linear_coefficient, constant_coefficient, "
                    "recovery_rate, recovery_sensitivity, recovery_jump, current, "
                    "bias_current and dt")
        check_converged(voltage, suspects)
        check_converged(recovery, suspects, what="the recovery variable")
    return SimulationResult(
        time=np.arange(n_steps) * dt,
        voltage=voltage if record else None,
        spike_times=spike_times,
        dt=dt,
        traces={"recovery": recovery} if record else {},
    )


def _izhikevich_numpy(per, current, n_steps, dt, brian2_order, record):
    v = per["initial_voltage"].copy()
    u = per["initial_recovery"].copy()
    k2, k1 = per["quadratic_coefficient"], per["linear_coefficient"]
    k0, capacitance = per["constant_coefficient"], per["membrane_capacitance"]
    a, b = per["recovery_rate"], per["recovery_sensitivity"]
    reset, jump, cutoff = per["reset"], per["recovery_jump"], per["spike_cutoff"]
    bias = per["bias_current"]
    n_neurons = v.shape[0]
    voltage = np.empty((n_neurons, n_steps)) if record else None
    recovery = np.empty((n_neurons, n_steps)) if record else None
    spike_steps, spike_neurons = [], []
    for k in range(n_steps):
        if record:
            voltage[:, k] = v
            recovery[:, k] = u
        drive = bias if current is None else bias + current[:, k]
        new_v = v + dt * (k2 * v * v + k1 * v + k0 - u + drive / capacitance)
        u = u + dt * (a * (b * v - u))
        v = new_v
        spiked = v >= cutoff
        if spiked.any():
            index = np.flatnonzero(spiked)
            step = k if brian2_order else k + 1
            v[index] = reset[index]
            u[index] += jump[index]
            if step < n_steps:
                spike_steps.append(np.full(index.size, step, dtype=np.int64))
                spike_neurons.append(index)
    spike_times = _spike_chunks_to_list(spike_steps, spike_neurons, n_neurons, dt)
    return voltage, recovery, spike_times


def _izhikevich_numba(per, current, n_neurons, n_steps, dt, brian2_order, record):
    serial_kernel, parallel_kernel = _numba_kernels("izhikevich", _izhikevich_source)
    enough_work = n_neurons > 1 and n_neurons * n_steps >= 200_000
    kernel = parallel_kernel if enough_work else serial_kernel
    grid_current, has_current = _as_grid_input(current, n_steps)
    shape = (n_neurons, n_steps) if record else (1, 1)
    voltage, recovery = np.empty(shape), np.empty(shape)
    # No refractory period: a spike per step at most.
    capacity = _spike_buffer_size(n_steps, np.zeros(n_neurons, dtype=np.int64), n_neurons)
    while True:
        spike_buffer = np.empty((n_neurons, capacity), dtype=np.int64)
        spike_counts = np.zeros(n_neurons, dtype=np.int64)
        kernel(
            per["initial_voltage"], per["initial_recovery"], per["quadratic_coefficient"],
            per["linear_coefficient"], per["constant_coefficient"],
            per["membrane_capacitance"], per["recovery_rate"], per["recovery_sensitivity"],
            per["reset"], per["recovery_jump"], per["spike_cutoff"], per["bias_current"],
            grid_current, has_current, n_steps, dt, brian2_order, record,
            voltage, recovery, spike_buffer, spike_counts,
        )
        most = int(spike_counts.max()) if n_neurons else 0
        if most <= capacity:
            break
        capacity = most
    return voltage, recovery, _buffer_to_list(spike_buffer, spike_counts, dt)


def _izhikevich_source(loop):
    # Only `loop` is a closure variable (see _lif_source for why).
    def izhikevich_kernel(
        v0, u0, k2, k1, k0, capacitance, a, b, reset, jump, cutoff, bias, current,
        has_current, n_steps, dt, brian2_order, record, voltage, recovery, spike_buffer,
        spike_counts,
    ):
        n_neurons = v0.shape[0]
        capacity = spike_buffer.shape[1]
        for i in loop(n_neurons):
            v = v0[i]
            u = u0[i]
            count = 0
            row = min(np.int64(i), np.int64(current.shape[0] - 1))
            for k in range(n_steps):
                if record:
                    voltage[i, k] = v
                    recovery[i, k] = u
                drive = bias[i]
                if has_current:
                    drive = bias[i] + current[row, k]
                new_v = v + dt * (k2[i] * v * v + k1[i] * v + k0[i] - u + drive / capacitance[i])
                u = u + dt * (a[i] * (b[i] * v - u))
                v = new_v
                if v >= cutoff[i]:
                    step = k if brian2_order else k + 1
                    v = reset[i]
                    u += jump[i]
                    if step < n_steps:
                        if count < capacity:
                            spike_buffer[i, count] = step
                        count += 1
            spike_counts[i] = count

    return izhikevich_kernel

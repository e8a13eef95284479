"""The path every point-neuron solver takes, written once.

:func:`start` checks the time grid, the step order and the backend;
:func:`population` counts the neurons and turns every parameter into one
array per neuron; :func:`run` calls the model's numpy loop or its compiled
kernel (through :func:`course_utils.neurons.kernels.run_kernel`, which holds
the spike-buffer retry) and returns a :class:`SimulationResult` whose traces
are checked for divergence. A model supplies a :class:`Solver`: its two
implementations and what it records.

Units: time in ms, voltage in mV, current in pA (see :mod:`course_utils`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .._arguments import (
    INTEGRATION_METHODS,
    broadcast_to_neurons,
    check_recording,
    count_neurons,
    neuron_count,
    per_neuron,
    refractory_steps,
    spike_lists,
)
from .._validation import (
    MAX_LOOP_STEPS,
    as_bool,
    check_choice,
    check_converged,
    check_dt,
    check_steps,
)
from ..inputs import number_of_steps
from . import background
from .kernels import grid_input, kernel_ready, numba_available, run_kernel
from .result import SimulationResult

STEP_ORDERS = ("textbook", "brian2")
"""Valid values of ``step_order``."""
BACKENDS = ("auto", "numpy", "numba")
"""Valid values of ``backend``."""

SMALL_RUN_SECONDS = 0.3
"""With ``backend="auto"``, a run whose numpy loop would take less than this
(estimated) uses numpy unless the numba kernel is already compiled in this
process: compiling a kernel from an empty cache takes seconds, far longer than
the small runs a lesson starts with. Both backends give the same numbers."""

TINY_RUN_SECONDS = 0.05
"""A run whose numpy loop is estimated below this never waits for a background compile."""

NUMPY_SECONDS = (5e-6, 5e-8)
"""Cost of the numpy loop, seconds per step and per neuron-step: on the
development machine ~5 us per step (``make benchmark``: 47.5 ms for 10,000
steps of one neuron) and 5-50 ns per neuron-step, the upper end when the
voltage is recorded; the upper end is used."""

PARALLEL_WORK = 200_000
"""Neuron-steps below which a kernel runs serially: starting the thread pool
costs more than such a small run (and much more when another process keeps
the other cores busy)."""


@dataclass(frozen=True)
class Grid:
    """The time grid and the choices made before any parameter is read.

    Attributes
    ----------
    dt : float
        Time step in ms.
    n_steps : int
        Number of steps, ``round(duration / dt)``.
    brian2_order : bool
        Spikes labelled with the start of their step (Brian2's schedule).
    backend : {"numpy", "numba", "auto"}
        The backend; "auto" only where numba is installed (:func:`run`
        chooses by the size of the run).
    """

    dt: float
    n_steps: int
    brian2_order: bool
    backend: str


@dataclass(frozen=True)
class Population:
    """Validated parameters and inputs, one value per neuron.

    Attributes
    ----------
    per : dict of str to numpy.ndarray
        Each parameter as a fresh (n_neurons,) float array.
    inputs : dict of str to numpy.ndarray or None
        Time courses, (rows, n_steps) arrays with 1 or n_neurons rows, or None.
    n_neurons : int
        Number of neurons.
    refractory_steps : numpy.ndarray
        Refractory period in whole steps, (n_neurons,) int64 (0 without one).
    record : bool
        Record the state variables at every step.
    """

    per: dict
    inputs: dict
    n_neurons: int
    refractory_steps: np.ndarray
    record: bool


@dataclass(frozen=True)
class Solver:
    """What a model gives the shared path.

    Attributes
    ----------
    kernel : str
        Name of the compiled kernel (cache key).
    source : callable
        ``source(loop)``: the kernel's source builder (:mod:`.kernels`).
    kernel_inputs : tuple of str
        The kernel's leading arguments, by name: a per-neuron parameter,
        ``"refractory_steps"``, an input's name (its (rows, n_steps) array)
        or ``"has_"`` and an input's name. ``n_steps, dt, brian2_order``,
        the options of :func:`run` and ``record`` follow.
    numpy_loop : callable
        ``(cells, grid, **options) -> (traces or None, spike_times)``.
    traces : tuple of (str, str)
        Recorded state variables after the voltage: (key of
        ``SimulationResult.traces``, what it is for messages).
    suspects : str
        Arguments named when a trace diverges.
    parallel_tasks : callable, optional
        ``n_neurons -> int``: independent tasks of the parallel kernel
        (default: one per neuron).
    compiled_values : callable, optional
        ``per -> per``: the per-neuron arrays as the kernel reads them.
    """

    kernel: str
    source: Callable
    kernel_inputs: tuple
    numpy_loop: Callable
    traces: tuple
    suspects: str
    parallel_tasks: Callable = lambda n_neurons: n_neurons
    compiled_values: Callable = lambda per: per


def resolve_backend(backend) -> str:
    """"numpy", "numba", or "auto" where numba is installed (else "numpy")."""
    check_choice("backend", backend, BACKENDS)
    if backend == "numba" and not numba_available():
        raise ImportError(
            "backend='numba' needs the numba package, which is not installed: "
            "install it (pip install numba) or use backend='numpy'."
        )
    if backend == "auto":
        return "auto" if numba_available() else "numpy"
    return backend


def start(duration, dt, step_order, backend, method=None) -> Grid:
    """Check the grid, step order, integration ``method`` (if any) and backend."""
    dt = check_dt(dt)
    n_steps = number_of_steps(duration, dt)
    check_choice("step_order", step_order, STEP_ORDERS)
    if method is not None:
        check_choice("method", method, INTEGRATION_METHODS)
    backend = resolve_backend(backend)
    if backend == "numpy":
        # The numpy backend steps in a Python loop: refuse runs that would take hours.
        check_steps(
            duration, dt, MAX_LOOP_STEPS, "A run with backend='numpy'",
            "The numpy backend steps in Python: use a shorter duration, a larger dt, "
            "or backend='numba'.",
        )
    return Grid(dt, n_steps, step_order == "brian2", backend)


DERIVED = ("initial_voltage", "initial_recovery")
"""Parameters whose None means "derived from the others" (the model's rest)."""


def parameters(arguments: dict, names, allow_inf=()) -> dict:
    """The per-neuron parameters ``names`` of a call, validated (None kept for DERIVED).

    Each goes through :func:`course_utils._arguments.per_neuron`: unit, sign
    and range from :data:`course_utils.parameters.PARAMETERS`.

    Parameters
    ----------
    arguments : dict
        The solver's arguments by name (its ``locals()`` on entry).
    names : tuple of str
        The model's per-neuron parameters, in the order they are checked.
    allow_inf : tuple of str, optional
        Parameters that may be ``+inf`` (a threshold: never spike).

    Returns
    -------
    dict of str to float or numpy.ndarray or None
    """
    return {
        name: None if arguments[name] is None and name in DERIVED
        else per_neuron(name, arguments[name], allow_inf=name in allow_inf)
        for name in names
    }


def population(values, inputs, grid, record_voltage, *, n_traces=1, complete=None):
    """Count the neurons and give every parameter one value per neuron.

    Parameters
    ----------
    values : dict
        Validated parameters (floats or 1-D arrays; None for one that
        ``complete`` derives).
    inputs : dict
        Time courses from :func:`course_utils._arguments.time_course`; a
        constant ``"current"`` is added to ``values["bias_current"]``.
    grid : Grid
        From :func:`start`.
    record_voltage : bool
        Record the state variables.
    n_traces : int, optional
        Number of recorded variables, for the memory check.
    complete : callable, optional
        ``values -> values`` filling in defaults that depend on other
        parameters, once the neurons are counted.

    Returns
    -------
    Population
    """
    sizes = {name: neuron_count(value) for name, value in values.items()}
    sizes.update({f"{name} (rows)": neuron_count(value) for name, value in inputs.items()})
    n_neurons = count_neurons(sizes)
    record = as_bool("record_voltage", record_voltage)
    check_recording(n_neurons, grid.n_steps, record, n_traces)
    values = dict(values) if complete is None else complete(dict(values))
    inputs = dict(inputs)
    current = inputs.get("current")
    if current is not None and np.ndim(current) == 0:
        # A constant `current` is just more bias.
        values["bias_current"] = values["bias_current"] + current
        inputs["current"] = None
    for name, value in inputs.items():
        if value is not None and np.ndim(value) == 0:
            # Any other constant input (a conductance) is the same at every step.
            inputs[name] = np.full((1, grid.n_steps), float(value))
    per = {name: broadcast_to_neurons(value, n_neurons) for name, value in values.items()}
    refractory = refractory_steps(values.get("refractory_period", 0.0), grid.dt, n_neurons)
    return Population(per, inputs, n_neurons, refractory, record)


def run(solver: Solver, grid: Grid, cells: Population, **options) -> SimulationResult:
    """Simulate with the grid's backend and return the checked result."""
    # Parallel only when there is enough work to pay for the thread pool.
    parallel = (solver.parallel_tasks(cells.n_neurons) > 1
                and cells.n_neurons * grid.n_steps >= PARALLEL_WORK)
    backend = grid.backend
    if backend == "auto":
        pays = numba_pays(solver.kernel, parallel, cells.n_neurons, grid.n_steps)
        backend = "numba" if pays else "numpy"
    if backend == "numba":
        traces, spike_times = run_kernel(
            solver.kernel, solver.source, _kernel_arguments(solver, cells, grid, options),
            n_neurons=cells.n_neurons, n_steps=grid.n_steps, dt=grid.dt,
            record=cells.record, n_traces=1 + len(solver.traces),
            refractory_steps=cells.refractory_steps, parallel=parallel,
        )
    else:
        traces, spike_times = solver.numpy_loop(cells, grid, **options)
    recorded = {}
    if traces is not None:
        check_converged(traces[0], solver.suspects)
        for (key, what), trace in zip(solver.traces, traces[1:], strict=True):
            check_converged(trace, solver.suspects, what=what)
            recorded[key] = trace
    return SimulationResult(
        time=np.arange(grid.n_steps) * grid.dt,
        voltage=None if traces is None else traces[0],
        spike_times=spike_times,
        dt=grid.dt,
        traces=recorded,
    )


def kernel_available(kernel, parallel) -> bool:
    """Whether that kernel runs without compiling: compiled in this process, or
    cached by :func:`~course_utils.neurons.compile_in_background`."""
    return kernel_ready(kernel, parallel) or background.done(kernel, parallel)


def numba_pays(kernel, parallel, n_neurons, n_steps) -> bool:
    """Whether ``backend="auto"`` runs the compiled kernel.

    It does when the (serial or parallel) version this run needs is compiled
    in this process, or :func:`~course_utils.neurons.compile_in_background`
    has cached it (the run loads it in a fraction of a second) or is
    compiling it and the run is not tiny (a fit's many runs are better off
    waiting for it), or the numpy loop would take longer than
    :data:`SMALL_RUN_SECONDS`.
    """
    per_step, per_neuron_step = NUMPY_SECONDS
    estimate = n_steps * (per_step + n_neurons * per_neuron_step)
    ready = kernel_available(kernel, parallel)
    worth_waiting = background.in_progress(kernel, parallel) and estimate > TINY_RUN_SECONDS
    return ready or worth_waiting or estimate > SMALL_RUN_SECONDS


def _kernel_arguments(solver, cells, grid, options) -> tuple:
    """The compiled kernel's arguments, in the order ``solver.kernel_inputs`` names."""
    values = dict(solver.compiled_values(cells.per), refractory_steps=cells.refractory_steps)
    for name, value in cells.inputs.items():
        values[name], values[f"has_{name}"] = grid_input(value)
    leading = tuple(values[name] for name in solver.kernel_inputs)
    return (*leading, grid.n_steps, grid.dt, grid.brian2_order, *options.values(), cells.record)


class SpikeCollector:
    """The spikes a numpy time loop finds, step by step.

    Parameters
    ----------
    grid : Grid
        The run's grid (spikes at or after ``n_steps`` are not reported).
    n_neurons : int
        Number of neurons.
    """

    def __init__(self, grid, n_neurons):
        self.grid = grid
        self.n_neurons = n_neurons
        self.steps, self.neurons = [], []

    def step_of(self, k) -> int:
        """The step a spike found while integrating step ``k`` is labelled with."""
        return k if self.grid.brian2_order else k + 1

    def add(self, index, step) -> None:
        """Record that the neurons ``index`` spiked at ``step``."""
        if step < self.grid.n_steps:
            self.steps.append(np.full(index.size, step, dtype=np.int64))
            self.neurons.append(index)

    def spike_times(self) -> list[np.ndarray]:
        """One sorted array of spike times in ms per neuron."""
        return spike_lists(self.steps, self.neurons, self.n_neurons, self.grid.dt)


def empty_traces(cells, grid, n_traces):
    """(n_neurons, n_steps) arrays to record into, or None without recording."""
    if not cells.record:
        return None
    return [np.empty((cells.n_neurons, grid.n_steps)) for _ in range(n_traces)]

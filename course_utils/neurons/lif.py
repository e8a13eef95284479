"""The leaky integrate-and-fire neuron: :func:`simulate_lif` and :func:`simulate_passive`.

Units: time in ms, voltage in mV, current in pA, conductance in nS,
capacitance in pF (see :mod:`course_utils`).

    C dV/dt = g_L (E_L - V) + g_e(t) (E_e - V) + g_i(t) (E_i - V) + I(t).

When V reaches the threshold, a spike is recorded, V is set to the reset
value and held there for the refractory period. The step orders and
backends are described in :mod:`course_utils.neurons`.
"""

from __future__ import annotations

import warnings

import numpy as np

from .._arguments import NEVER, check_below, time_course
from ..parameters import LIF_DEFAULTS, check_bounds
from . import solver
from .kernels import NEURONS_PER_CHUNK, lif_source
from .result import SimulationResult

__all__ = ["PARAMETER_NAMES", "simulate_lif", "simulate_passive"]

PARAMETER_NAMES = (
    "membrane_capacitance", "leak_conductance", "leak_reversal", "threshold", "reset",
    "refractory_period", "bias_current", "excitatory_reversal", "inhibitory_reversal",
    "initial_voltage",
)
"""The per-neuron parameters of :func:`simulate_lif` (declared in
:data:`course_utils.parameters.PARAMETERS`)."""


def simulate_lif(
    *,
    duration,
    dt,
    membrane_capacitance,
    leak_conductance,
    leak_reversal,
    threshold=LIF_DEFAULTS["threshold"],
    reset=LIF_DEFAULTS["reset"],
    refractory_period=LIF_DEFAULTS["refractory_period"],
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
        "auto" uses numba if it is installed and the run is large enough
        to repay compiling (or it is compiled already), else numpy: the
        numbers are the same.

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
    arguments = locals()  # before any other name is bound
    grid = solver.start(duration, dt, step_order, backend, method=method)
    values = solver.parameters(arguments, PARAMETER_NAMES, allow_inf=("threshold",))
    if values["initial_voltage"] is None:
        values["initial_voltage"] = values["leak_reversal"]
    inputs = {
        "current": time_course("current", current, grid.n_steps, unit="pA"),
        "excitatory_conductance": time_course(
            "excitatory_conductance", excitatory_conductance, grid.n_steps, unit="nS"
        ),
        "inhibitory_conductance": time_course(
            "inhibitory_conductance", inhibitory_conductance, grid.n_steps, unit="nS"
        ),
    }
    for name in ("excitatory_conductance", "inhibitory_conductance"):
        if inputs[name] is not None and np.any(np.asarray(inputs[name]) < 0):
            raise ValueError(
                f"{name} must not be negative (it is a conductance in nS), "
                f"but its smallest value is {np.min(inputs[name]):g}."
            )
        if inputs[name] is not None:
            check_bounds(name, inputs[name], "synaptic_conductance")
    check_below("reset", values["reset"], "threshold", values["threshold"])
    cells = solver.population(values, inputs, grid, record_voltage)
    if method == "euler":
        _warn_if_unstable(values, inputs, grid.dt)
    return solver.run(LIF_SOLVER, grid, cells, exponential=method == "exponential_euler")


def _warn_if_unstable(values, inputs, dt):
    """Forward Euler blows up for dt > 2 tau: warn with the fastest time constant."""
    total = np.asarray(values["leak_conductance"], dtype=float)
    for name in ("excitatory_conductance", "inhibitory_conductance"):
        g = inputs[name]
        if g is not None:
            total = total + (g.max(axis=1) if np.ndim(g) == 2 else g)
    fastest = float(np.min(np.asarray(values["membrane_capacitance"]) / total))
    if dt > 2.0 * fastest:
        warnings.warn(
            f"dt = {dt:g} ms is more than twice the membrane time constant "
            f"({fastest:g} ms): forward Euler is unstable here and the voltage "
            "will oscillate and blow up. Use a smaller dt or method='exponential_euler'.",
            RuntimeWarning,
            stacklevel=3,
        )


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
    arguments = locals()  # every argument, passed on unchanged
    return simulate_lif(threshold=np.inf, reset=0.0, refractory_period=0.0, **arguments)


def _lif_numpy(cells, grid, *, exponential):
    """The numpy backend: a Python loop over steps, vectorised over neurons."""
    p = cells.per
    capacitance, g_leak = p["membrane_capacitance"], p["leak_conductance"]
    e_leak, threshold, reset = p["leak_reversal"], p["threshold"], p["reset"]
    bias = p["bias_current"]
    e_exc, e_inh = p["excitatory_reversal"], p["inhibitory_reversal"]
    current = cells.inputs["current"]
    g_exc = cells.inputs["excitatory_conductance"]
    g_inh = cells.inputs["inhibitory_conductance"]
    dt, n_neurons = grid.dt, cells.n_neurons
    v = p["initial_voltage"].copy()
    last_spike = np.full(n_neurons, NEVER, dtype=np.int64)
    traces = solver.empty_traces(cells, grid, 1)
    has_threshold = np.isfinite(threshold)
    conductance_based = g_exc is not None or g_inh is not None
    if exponential and not conductance_based:
        decay = np.exp(-dt * g_leak / capacitance)
    spikes = solver.SpikeCollector(grid, n_neurons)
    for k in range(grid.n_steps):
        if traces is not None:
            traces[0][:, k] = v
        drive = bias if current is None else bias + current[:, k]
        # The textbook order stores the spike at step k + 1, Brian2's at k;
        # either way a neuron integrates once k - last_spike >= refractory.
        active = (k - last_spike) >= cells.refractory_steps
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
            v[index] = reset[index]
            last_spike[index] = spikes.step_of(k)
            spikes.add(index, spikes.step_of(k))
    return traces, spikes.spike_times()


LIF_SOLVER = solver.Solver(
    kernel="lif",
    source=lif_source,
    kernel_inputs=(
        "initial_voltage", "membrane_capacitance", "leak_conductance", "leak_reversal",
        "threshold", "reset", "refractory_steps", "bias_current", "current", "has_current",
        "excitatory_conductance", "has_excitatory_conductance", "excitatory_reversal",
        "inhibitory_conductance", "has_inhibitory_conductance", "inhibitory_reversal",
    ),
    # A NaN threshold makes the kernel's `v >= threshold` False: "never spikes".
    compiled_values=lambda per: dict(
        per, threshold=np.where(np.isinf(per["threshold"]), np.nan, per["threshold"])
    ),
    numpy_loop=_lif_numpy,
    traces=(),
    suspects="current, bias_current, the conductances, initial_voltage and dt",
    # The kernel runs neurons in chunks: one parallel task per chunk.
    parallel_tasks=lambda n_neurons: -(-n_neurons // NEURONS_PER_CHUNK),
)
"""How :func:`simulate_lif` runs (see :mod:`.solver`)."""

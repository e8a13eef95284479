"""The adaptive exponential integrate-and-fire neuron: :func:`simulate_adex`.

Brette & Gerstner (2005). Units: time in ms, voltage in mV, current in pA,
conductance in nS, capacitance in pF (see :mod:`course_utils`).
"""

from __future__ import annotations

import numpy as np

from .._arguments import NEVER, check_below, time_course
from . import solver
from .kernels import ADEX_EXPONENT_CAP, adex_source
from .result import SimulationResult

__all__ = ["PARAMETER_NAMES", "simulate_adex"]

PARAMETER_NAMES = (
    "membrane_capacitance", "leak_conductance", "leak_reversal", "slope_factor",
    "rheobase_threshold", "spike_cutoff", "reset", "adaptation_coupling", "spike_adaptation",
    "adaptation_time_constant", "refractory_period", "bias_current", "initial_adaptation",
    "initial_voltage",
)
"""The per-neuron parameters of :func:`simulate_adex` (declared in
:data:`course_utils.parameters.PARAMETERS`)."""


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
    arguments = locals()  # before any other name is bound
    grid = solver.start(duration, dt, step_order, backend)
    values = solver.parameters(arguments, PARAMETER_NAMES)
    if values["initial_voltage"] is None:
        values["initial_voltage"] = values["leak_reversal"]
    inputs = {"current": time_course("current", current, grid.n_steps, unit="pA")}
    check_below("reset", values["reset"], "spike_cutoff", values["spike_cutoff"])
    cells = solver.population(values, inputs, grid, record_voltage, n_traces=2)
    return solver.run(ADEX_SOLVER, grid, cells)


def _adex_numpy(cells, grid):
    """The numpy backend: a Python loop over steps, vectorised over neurons."""
    p = cells.per
    c, gl, el = p["membrane_capacitance"], p["leak_conductance"], p["leak_reversal"]
    delta_t, v_t = p["slope_factor"], p["rheobase_threshold"]
    cutoff, reset = p["spike_cutoff"], p["reset"]
    a, b = p["adaptation_coupling"], p["spike_adaptation"]
    tau_w, bias = p["adaptation_time_constant"], p["bias_current"]
    current, dt = cells.inputs["current"], grid.dt
    v = p["initial_voltage"].copy()
    w = p["initial_adaptation"].copy()
    last_spike = np.full(cells.n_neurons, NEVER, dtype=np.int64)
    traces = solver.empty_traces(cells, grid, 2)
    spikes = solver.SpikeCollector(grid, cells.n_neurons)
    for k in range(grid.n_steps):
        if traces is not None:
            traces[0][:, k] = v
            traces[1][:, k] = w
        drive = bias if current is None else bias + current[:, k]
        active = (k - last_spike) >= cells.refractory_steps
        exponent = np.minimum((v - v_t) / delta_t, ADEX_EXPONENT_CAP)
        new_v = v + dt * (gl * delta_t * np.exp(exponent) + drive + gl * (el - v) - w) / c
        w = w + dt * (a * (v - el) - w) / tau_w
        v = np.where(active, new_v, v)
        spiked = active & (v >= cutoff)
        if spiked.any():
            index = np.flatnonzero(spiked)
            v[index] = reset[index]
            w[index] += b[index]
            last_spike[index] = spikes.step_of(k)
            spikes.add(index, spikes.step_of(k))
    return traces, spikes.spike_times()


ADEX_SOLVER = solver.Solver(
    kernel="adex",
    source=adex_source,
    kernel_inputs=(
        "initial_voltage", "initial_adaptation", "membrane_capacitance", "leak_conductance",
        "leak_reversal", "slope_factor", "rheobase_threshold", "spike_cutoff", "reset",
        "adaptation_coupling", "spike_adaptation", "adaptation_time_constant",
        "refractory_steps", "bias_current", "current", "has_current",
    ),
    numpy_loop=_adex_numpy,
    traces=(("adaptation", "the adaptation current"),),
    suspects=(
        "slope_factor, adaptation_coupling, spike_adaptation, "
        "adaptation_time_constant, current, bias_current and dt"
    ),
)
"""How :func:`simulate_adex` runs (see :mod:`.solver`)."""

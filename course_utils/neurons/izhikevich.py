"""Izhikevich's (2003) quadratic model: :func:`simulate_izhikevich` and its cell types.

Units: time in ms, voltage in mV, current in pA, capacitance in pF; the
model's own coefficients in 1/ms, 1/(mV ms) and mV/ms (see
:func:`simulate_izhikevich`).
"""

from __future__ import annotations

import numpy as np

from .._arguments import check_below, number_or_array, time_course
from ..parameters import check_bounds
from . import solver
from .kernels import izhikevich_source
from .result import SimulationResult

__all__ = [
    "IZHIKEVICH_CELL_NAMES",
    "IZHIKEVICH_CELL_TYPES",
    "PARAMETER_NAMES",
    "izhikevich_resting_potential",
    "simulate_izhikevich",
]

PARAMETER_NAMES = (
    "membrane_capacitance", "recovery_rate", "recovery_sensitivity", "reset", "recovery_jump",
    "spike_cutoff", "quadratic_coefficient", "linear_coefficient", "constant_coefficient",
    "bias_current", "initial_voltage", "initial_recovery",
)
"""The per-neuron parameters of :func:`simulate_izhikevich` (declared in
:data:`course_utils.parameters.PARAMETERS`)."""

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
    b = check_bounds("recovery_sensitivity", number_or_array(
        "recovery_sensitivity", recovery_sensitivity, unit="1/ms"
    ))
    # Each may be one value per neuron (a fit shifts every candidate's voltage axis).
    quadratic_coefficient = check_bounds("quadratic_coefficient", number_or_array(
        "quadratic_coefficient", quadratic_coefficient, unit="1/(mV ms)"
    ))
    linear_coefficient = check_bounds("linear_coefficient", number_or_array(
        "linear_coefficient", linear_coefficient, unit="1/ms"
    ))
    constant_coefficient = check_bounds("constant_coefficient", number_or_array(
        "constant_coefficient", constant_coefficient, unit="mV/ms"
    ))
    bias = check_bounds("bias", number_or_array("bias", bias, unit="mV/ms"),
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
    arguments = locals()  # before any other name is bound
    grid = solver.start(duration, dt, step_order, backend)
    values = solver.parameters(arguments, PARAMETER_NAMES)
    inputs = {"current": time_course("current", current, grid.n_steps, unit="pA")}
    cells = solver.population(
        values, inputs, grid, record_voltage, n_traces=2, complete=_resting_start
    )
    return solver.run(IZHIKEVICH_SOLVER, grid, cells)


def _resting_start(values):
    """Default V(0) (the resting potential, else the reset) and u(0) = b V(0)."""
    if values["initial_voltage"] is None:
        rest = izhikevich_resting_potential(
            values["recovery_sensitivity"],
            quadratic_coefficient=values["quadratic_coefficient"],
            linear_coefficient=values["linear_coefficient"],
            constant_coefficient=values["constant_coefficient"],
        )
        start = np.where(np.isnan(rest), values["reset"], rest)
        values["initial_voltage"] = float(start) if np.ndim(start) == 0 else start
    if values["initial_recovery"] is None:
        values["initial_recovery"] = values["recovery_sensitivity"] * values["initial_voltage"]
    check_below("reset", values["reset"], "spike_cutoff", values["spike_cutoff"])
    return values


def _izhikevich_numpy(cells, grid):
    """The numpy backend: a Python loop over steps, vectorised over neurons."""
    p = cells.per
    k2, k1, k0 = p["quadratic_coefficient"], p["linear_coefficient"], p["constant_coefficient"]
    a, b, capacitance = p["recovery_rate"], p["recovery_sensitivity"], p["membrane_capacitance"]
    reset, jump, cutoff = p["reset"], p["recovery_jump"], p["spike_cutoff"]
    bias, current, dt = p["bias_current"], cells.inputs["current"], grid.dt
    v = p["initial_voltage"].copy()
    u = p["initial_recovery"].copy()
    traces = solver.empty_traces(cells, grid, 2)
    spikes = solver.SpikeCollector(grid, cells.n_neurons)
    for k in range(grid.n_steps):
        if traces is not None:
            traces[0][:, k] = v
            traces[1][:, k] = u
        drive = bias if current is None else bias + current[:, k]
        new_v = v + dt * (k2 * v * v + k1 * v + k0 - u + drive / capacitance)
        u = u + dt * (a * (b * v - u))
        v = new_v
        spiked = v >= cutoff
        if spiked.any():
            index = np.flatnonzero(spiked)
            v[index] = reset[index]
            u[index] += jump[index]
            spikes.add(index, spikes.step_of(k))
    return traces, spikes.spike_times()


IZHIKEVICH_SOLVER = solver.Solver(
    kernel="izhikevich",
    source=izhikevich_source,
    kernel_inputs=(
        "initial_voltage", "initial_recovery", "quadratic_coefficient", "linear_coefficient",
        "constant_coefficient", "membrane_capacitance", "recovery_rate",
        "recovery_sensitivity", "reset", "recovery_jump", "spike_cutoff", "bias_current",
        "current", "has_current",
    ),
    numpy_loop=_izhikevich_numpy,
    traces=(("recovery", "the recovery variable"),),
    suspects=(
        "quadratic_coefficient, linear_coefficient, constant_coefficient, "
        "recovery_rate, recovery_sensitivity, recovery_jump, current, "
        "bias_current and dt"
    ),
)
"""How :func:`simulate_izhikevich` runs (see :mod:`.solver`)."""

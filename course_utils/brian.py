"""Brian2 versions of the course's models, returning plain numbers in course units.

Units: time in ms, voltage in mV, current in pA, conductance in nS,
capacitance in pF, rate in Hz (see :mod:`course_utils`). Brian2 works with
quantities that carry units (``200*pF``); the functions here take plain
numbers in the course's units, attach Brian2's units, run Brian2 and strip
the units again, so their results can be compared number for number with
the course's own solvers in :mod:`course_utils.neurons`.

Models
------
- :func:`run_brian_lif` - the leaky integrate-and-fire neuron of
  :func:`course_utils.neurons.simulate_lif` written as Brian2 equations
  (:func:`lif_equations`);
- :func:`run_brian_hh` - the Hodgkin-Huxley model of the squid giant axon
  (:class:`HodgkinHuxleyParameters`, :func:`hh_equations`);
- :func:`run_brian_ei_network` - the excitatory-inhibitory network of
  :func:`course_utils.networks.simulate_ei_network`, rebuilt in Brian2 from
  a course result (same parameters and synapses, Brian2's own random input).

Every run builds its own :class:`brian2.Network` after ``start_scope()``,
passes ``dt`` to each object (``defaultclock.dt`` is never changed) and
gives every group an explicit namespace, so nothing from the calling
notebook leaks into the model. Brian2 is imported inside the functions:
importing this module costs nothing.

Code generation
---------------
Brian2 translates the equations into code for a *target*: ``"numpy"``
(vectorised Python, no compiler, starts in a fraction of a second) or
``"cython"`` (compiled C; the first run of a new model compiles for ~15 s on
a small machine and is cached in ``~/.cython/brian_extensions``). The
functions here use ``"numpy"`` by default and restore Brian2's preference
afterwards (:func:`codegen_target`).
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from ._validation import (
    MAX_LOOP_STEPS,
    as_array,
    as_bool,
    as_float,
    check_choice,
    check_converged,
    check_dt,
    check_spike_times,
    check_steps,
)
from .inputs import number_of_steps
from .networks import NetworkResult
from .neurons import SimulationResult
from .parameters import check_bounds, validate

__all__ = [
    "HodgkinHuxleyParameters",
    "codegen_target",
    "hh_equations",
    "hh_steady_state",
    "lif_equations",
    "ei_network_equations",
    "run_brian_ei_network",
    "run_brian_hh",
    "run_brian_lif",
    "spike_steps",
]

CODEGEN_TARGETS = ("numpy", "cython")
"""Code generation targets the course uses (Brian2 has more)."""
LIF_METHODS = ("euler", "exponential_euler", "exact")
"""Brian2 integration methods offered by :func:`run_brian_lif`."""
HH_METHODS = ("exponential_euler", "euler", "rk2", "rk4")
"""Brian2 integration methods offered by :func:`run_brian_hh`."""


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


@contextmanager
def codegen_target(target="numpy"):
    """Use a Brian2 code generation target inside a ``with`` block.

    Parameters
    ----------
    target : {"numpy", "cython"}
        "numpy" runs vectorised numpy code (no compiler, fast start);
        "cython" compiles C code on first use (slow start, cached, faster
        per step for large networks).

    Examples
    --------
    >>> with codegen_target("numpy"):          # doctest: +SKIP
    ...     result = run_brian_lif(...)
    """
    check_choice("target", target, CODEGEN_TARGETS)
    from brian2 import prefs

    previous = prefs.codegen.target
    prefs.codegen.target = target
    try:
        yield
    finally:
        prefs.codegen.target = previous


def spike_steps(spike_times, dt) -> np.ndarray:
    """Grid indices of spike times: the safe way to compare spikes of two solvers.

    ``13.8`` from one solver and ``13.799999999999999`` from another are
    the same spike (step 138 at dt = 0.1 ms), but ``==`` on the floats says
    they differ. Compare ``spike_steps(a, dt) == spike_steps(b, dt)``
    instead.

    Parameters
    ----------
    spike_times : array_like
        Spike times in ms (1-D), on the grid ``k * dt``.
    dt : float
        Time step in ms (> 0).

    Returns
    -------
    numpy.ndarray of int
        ``round(spike_times / dt)``.

    Raises
    ------
    ValueError
        If a time is further than 1e-6 of a step from the grid: such a
        time was not made by a simulation with this ``dt``.
    """
    dt = check_dt(dt)
    times = check_spike_times("spike_times", spike_times, require_sorted=False)
    steps = np.rint(times / dt)
    off_grid = np.abs(times / dt - steps) > 1e-6
    if off_grid.any():
        bad = float(times[np.argmax(off_grid)])
        raise ValueError(
            f"spike_times contains {bad:g} ms, which is not a multiple of dt = {dt:g} ms: "
            "were these spikes simulated with a different dt?"
        )
    return steps.astype(np.int64)


_choice = check_choice


def _check_loop_steps(duration, dt):
    """Brian2's runtime mode runs every step from Python: refuse runs that take hours."""
    check_steps(duration, dt, MAX_LOOP_STEPS, "A Brian2 run")


def _per_neuron(name, value, *, unit, positive=False, nonnegative=False) -> np.ndarray:
    """A number or a 1-D array (one value per neuron) as a 1-D float array."""
    if np.ndim(value) == 0 and not isinstance(value, (list, tuple)):
        number = as_float(name, value, unit=unit, positive=positive, nonnegative=nonnegative)
        return np.array([number])
    return as_array(
        name, value, unit=unit, ndim=1, positive=positive, nonnegative=nonnegative,
        allow_empty=False,
    )


def _broadcast(parameters: dict[str, np.ndarray]) -> tuple[dict[str, np.ndarray], int]:
    """Broadcast per-neuron arrays of length 1 or n to length n."""
    sizes = {name: values.size for name, values in parameters.items()}
    distinct = {size for size in sizes.values() if size != 1}
    if len(distinct) > 1:
        listing = ", ".join(f"{name}: {size}" for name, size in sizes.items() if size != 1)
        raise ValueError(
            "Per-neuron arguments must all have the same number of neurons "
            f"(or be single numbers), but got {listing}."
        )
    n_neurons = distinct.pop() if distinct else 1
    return {name: np.broadcast_to(v, (n_neurons,)).copy() for name, v in parameters.items()}, (
        n_neurons
    )


def _stimulus(current, n_steps, n_neurons):
    """(constant part, time course or None) of an injected current in pA.

    The time course is a (n_steps, n_neurons) array for a Brian2 TimedArray.
    """
    if np.ndim(current) == 0 and not isinstance(current, (list, tuple)):
        return as_float("current", current, unit="pA"), None
    array = as_array("current", current, unit="pA", ndim=(1, 2))
    if array.shape[-1] != n_steps:
        raise ValueError(
            f"current has {array.shape[-1]} samples per neuron, but the run has {n_steps} "
            "steps (round(duration / dt)): give one value per time step, for example "
            "on the grid time_grid(duration, dt). For one constant current per neuron "
            "use bias_current."
        )
    if array.ndim == 2 and array.shape[0] not in (1, n_neurons):
        raise ValueError(
            f"current has {array.shape[0]} rows, but there are {n_neurons} neurons: "
            f"give shape ({n_steps},) or ({n_neurons}, {n_steps})."
        )
    return 0.0, np.ascontiguousarray(np.broadcast_to(np.atleast_2d(array), (n_neurons, n_steps)).T)


def _result(time_ms, voltage, spike_monitor, n_neurons, dt, traces=None):
    """A SimulationResult from Brian2 monitors (already converted to course units)."""
    from brian2 import ms

    trains = spike_monitor.spike_trains()
    spike_times = [np.asarray(trains[i] / ms, dtype=float) for i in range(n_neurons)]
    return SimulationResult(
        time=np.asarray(time_ms, dtype=float),
        voltage=voltage,
        spike_times=spike_times,
        dt=dt,
        traces=traces or {},
    )


# ---------------------------------------------------------------------------
# Leaky integrate-and-fire
# ---------------------------------------------------------------------------


def lif_equations(time_varying_current=False) -> str:
    """Brian2 equations of the course's LIF neuron.

    ``C_m dv/dt = g_L (E_L - v) + I_inj``: v in volt, the current in amp,
    and the parameters as per-neuron constants with their units, so that one
    NeuronGroup can hold neurons with different parameters. The refractory
    clamp is ``(unless refractory)``: v does not change while the neuron is
    refractory.

    Parameters
    ----------
    time_varying_current : bool, optional
        If False (default), ``I_inj`` is a per-neuron constant that can be
        set (``group.I_inj = 300*pA``). If True, ``I_inj = I_bias +
        I_stim(t, i)`` where ``I_stim`` is a Brian2 ``TimedArray`` supplied
        in the namespace.

    Returns
    -------
    str
        The equation string.
    """
    if as_bool("time_varying_current", time_varying_current):
        current = "I_inj = I_bias + I_stim(t, i) : amp\nI_bias : amp (constant)"
    else:
        current = "I_inj : amp"
    return f"""
dv/dt = (g_L*(E_L - v) + I_inj)/C_m : volt (unless refractory)
{current}
C_m : farad (constant)
g_L : siemens (constant)
E_L : volt (constant)
V_th : volt (constant)
V_reset : volt (constant)
t_ref : second (constant)
"""


def run_brian_lif(
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
    initial_voltage=None,
    method="euler",
    record_voltage=True,
    target="numpy",
) -> SimulationResult:
    """Simulate LIF neurons with Brian2; the same model as ``simulate_lif``.

    C dV/dt = g_L (E_L - V) + I(t), spike when V >= threshold, then V is set
    to ``reset`` and held there for ``refractory_period``. Brian2's default
    schedule decides the step order: the spike is labelled with the start
    time of the step in which V crossed the threshold, which is what
    ``simulate_lif(step_order="brian2")`` reproduces.

    Parameters
    ----------
    duration : float
        Length of the run in ms; ``round(duration / dt)`` steps.
    dt : float
        Time step in ms (> 0).
    membrane_capacitance : float or array_like
        C in pF (> 0), one value or one per neuron.
    leak_conductance : float or array_like
        g_L in nS (> 0).
    leak_reversal : float or array_like
        E_L in mV.
    threshold, reset : float or array_like, optional
        Spike threshold and reset in mV (defaults -50 and -65).
    refractory_period : float or array_like, optional
        In ms (>= 0, default 2).
    current : float or array_like, optional
        Injected current in pA: a number, a (n_steps,) time course shared by
        all neurons, or (n_neurons, n_steps). A time course is read at the
        start of each step (a Brian2 TimedArray with the same dt).
    bias_current : float or array_like, optional
        Constant current in pA, one value or one per neuron; added to
        ``current``.
    initial_voltage : float or array_like, optional
        V at t = 0 in mV; default ``leak_reversal``. (Brian2's own default
        is 0 mV, above any threshold: the neuron would fire at t = 0.)
    method : {"euler", "exponential_euler", "exact"}, optional
        Brian2 integration method. "exact" needs a current that is constant
        in time.
    record_voltage : bool, optional
        Record V at the start of every step (default True).
    target : {"numpy", "cython"}, optional
        Brian2 code generation target (default "numpy": no compilation).

    Returns
    -------
    SimulationResult
        ``time`` (ms), ``voltage`` (n_neurons, n_steps) in mV or None,
        ``spike_times`` (ms, one array per neuron, as Brian2 reports them:
        compare them with :func:`spike_steps`, not ``==``).
    """
    dt = check_dt(dt)
    n_steps = number_of_steps(duration, dt)
    _check_loop_steps(duration, dt)
    method = _choice("method", method, LIF_METHODS)
    record_voltage = as_bool("record_voltage", record_voltage)
    check_choice("target", target, CODEGEN_TARGETS)
    parameters = {
        "membrane_capacitance": _per_neuron(
            "membrane_capacitance", membrane_capacitance, unit="pF", positive=True
        ),
        "leak_conductance": _per_neuron(
            "leak_conductance", leak_conductance, unit="nS", positive=True
        ),
        "leak_reversal": _per_neuron("leak_reversal", leak_reversal, unit="mV"),
        "threshold": _per_neuron("threshold", threshold, unit="mV"),
        "reset": _per_neuron("reset", reset, unit="mV"),
        "refractory_period": _per_neuron(
            "refractory_period", refractory_period, unit="ms", nonnegative=True
        ),
        "bias_current": _per_neuron("bias_current", bias_current, unit="pA"),
    }
    if initial_voltage is not None:
        parameters["initial_voltage"] = _per_neuron("initial_voltage", initial_voltage, unit="mV")
    parameters, n_neurons = _broadcast(parameters)
    if np.any(parameters["reset"] >= parameters["threshold"]):
        raise ValueError("reset must be below threshold (both in mV) for every neuron.")
    constant, time_course = _stimulus(current, n_steps, n_neurons)
    if method == "exact" and time_course is not None:
        raise ValueError(
            "method='exact' solves the equation analytically, which Brian2 can only do "
            "for a current that is constant in time: give current as a number (or "
            "bias_current), or use method='exponential_euler'."
        )

    import brian2 as b2
    from brian2 import ms, mV, nS, pA, pF

    with codegen_target(target):
        b2.start_scope()
        namespace = {}
        if time_course is not None:
            namespace["I_stim"] = b2.TimedArray(time_course * pA, dt=dt * ms)
        group = b2.NeuronGroup(
            n_neurons,
            lif_equations(time_varying_current=time_course is not None),
            threshold="v >= V_th",
            reset="v = V_reset",
            refractory="t_ref",
            method=method,
            namespace=namespace,
            dt=dt * ms,
            name="lif",
        )
        group.C_m = parameters["membrane_capacitance"] * pF
        group.g_L = parameters["leak_conductance"] * nS
        group.E_L = parameters["leak_reversal"] * mV
        group.V_th = parameters["threshold"] * mV
        group.V_reset = parameters["reset"] * mV
        group.t_ref = parameters["refractory_period"] * ms
        bias = (parameters["bias_current"] + constant) * pA
        if time_course is None:
            group.I_inj = bias
        else:
            group.I_bias = bias
        group.v = parameters.get("initial_voltage", parameters["leak_reversal"]) * mV
        spikes = b2.SpikeMonitor(group)
        objects = [group, spikes]
        if record_voltage:
            state = b2.StateMonitor(group, "v", record=True)
            objects.append(state)
        b2.Network(*objects).run(n_steps * dt * ms)
        voltage = np.asarray(state.v / mV) if record_voltage else None
        return _result(np.arange(n_steps) * dt, voltage, spikes, n_neurons, dt)


# ---------------------------------------------------------------------------
# Hodgkin-Huxley
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class HodgkinHuxleyParameters:
    """Parameters of the Hodgkin-Huxley model of the squid giant axon.

    Hodgkin & Huxley (1952), J. Physiol. 117:500-544, in the modern sign
    convention (rest near -65 mV) as given by Dayan & Abbott (2001),
    *Theoretical Neuroscience*, section 5.6: specific capacitance
    1 uF/cm^2, conductance densities 120 (Na), 36 (K) and 0.3 (leak)
    mS/cm^2, reversal potentials 50, -77 and -54.387 mV, rate functions
    for 6.3 degC.

    The course's units are totals, not densities. The defaults are those
    densities on 2,500 um^2 of membrane (a sphere of about 28 um diameter,
    the size of a small soma): C = 25 pF, and 1 uA/cm^2 of the literature
    is 25 pA here. Its rheobase (about 160 pA) is then close to that of
    the course's standard LIF neuron (150 pA), so both can be driven by
    the same current. :meth:`for_area` scales to another membrane area.

    Attributes
    ----------
    membrane_capacitance : float
        pF.
    sodium_conductance, potassium_conductance, leak_conductance : float
        Maximal conductances in nS.
    sodium_reversal, potassium_reversal, leak_reversal : float
        Reversal potentials in mV.
    """

    membrane_capacitance: float = 25.0
    sodium_conductance: float = 3_000.0
    potassium_conductance: float = 900.0
    leak_conductance: float = 7.5
    sodium_reversal: float = 50.0
    potassium_reversal: float = -77.0
    leak_reversal: float = -54.387

    def __post_init__(self):
        validate("membrane_capacitance", self.membrane_capacitance)
        validate("leak_conductance", self.leak_conductance)
        # Zero is a real experiment: tetrodotoxin blocks the sodium channels
        # (sodium_conductance=0), tetraethylammonium the potassium ones.
        for name in ("sodium_conductance", "potassium_conductance"):
            validate(name, getattr(self, name), kind="ion_conductance")
        for name in ("sodium_reversal", "potassium_reversal", "leak_reversal"):
            validate(name, getattr(self, name), kind="reversal_potential")

    @classmethod
    def for_area(cls, membrane_area):
        """The squid-axon densities on ``membrane_area`` um^2 of membrane.

        1 uF/cm^2 = 0.01 pF/um^2 and 1 mS/cm^2 = 0.01 nS/um^2.
        """
        area = validate("membrane_area", membrane_area)
        return cls(
            membrane_capacitance=0.01 * area,
            sodium_conductance=1.2 * area,
            potassium_conductance=0.36 * area,
            leak_conductance=0.003 * area,
        )


def hh_equations() -> str:
    """Brian2 equations of the Hodgkin-Huxley model (Dayan & Abbott 2001, 5.6).

    v in volt; the gating variables m, h, n are dimensionless; the rate
    functions alpha and beta are in Hz (1/ms in the formulas). alpha_m and
    alpha_n have a removable 0/0 at v = -40 and -55 mV exactly; Brian2's
    ``exprel`` would remove it but makes the numpy target ~3x slower, and a
    simulated v never lands on those values exactly (an initial voltage
    there is refused by :func:`run_brian_hh`).
    """
    return """
dv/dt = (g_L*(E_L - v) + g_Na*m**3*h*(E_Na - v) + g_K*n**4*(E_K - v) + I_inj)/C_m : volt
dm/dt = alpha_m*(1 - m) - beta_m*m : 1
dh/dt = alpha_h*(1 - h) - beta_h*h : 1
dn/dt = alpha_n*(1 - n) - beta_n*n : 1
alpha_m = 0.1/mV*(v + 40*mV)/(1 - exp(-(v + 40*mV)/(10*mV)))/ms : Hz
beta_m = 4*exp(-(v + 65*mV)/(18*mV))/ms : Hz
alpha_h = 0.07*exp(-(v + 65*mV)/(20*mV))/ms : Hz
beta_h = 1/(1 + exp(-(v + 35*mV)/(10*mV)))/ms : Hz
alpha_n = 0.01/mV*(v + 55*mV)/(1 - exp(-(v + 55*mV)/(10*mV)))/ms : Hz
beta_n = 0.125*exp(-(v + 65*mV)/(80*mV))/ms : Hz
"""


def hh_steady_state(voltage):
    """Steady-state gating variables of the HH model at a fixed voltage.

    x_inf = alpha_x / (alpha_x + beta_x) for x = m, h, n, with the rate
    functions of :func:`hh_equations`.

    Parameters
    ----------
    voltage : float or array_like
        Membrane potential in mV.

    Returns
    -------
    (m_inf, h_inf, n_inf) : tuple of float or numpy.ndarray
        Dimensionless, between 0 and 1.
    """
    scalar = np.ndim(voltage) == 0
    v = np.atleast_1d(as_array("voltage", voltage, unit="mV"))
    check_bounds("voltage", v, kind="membrane_potential")

    def ratio(x):
        # x / (1 - exp(-x)), continuous at x = 0 where it equals 1.
        safe = np.where(x == 0.0, 1.0, x)
        return np.where(x == 0.0, 1.0, safe / -np.expm1(-safe))

    alpha_m = ratio((v + 40.0) / 10.0)
    beta_m = 4.0 * np.exp(-(v + 65.0) / 18.0)
    alpha_h = 0.07 * np.exp(-(v + 65.0) / 20.0)
    beta_h = 1.0 / (1.0 + np.exp(-(v + 35.0) / 10.0))
    alpha_n = 0.1 * ratio((v + 55.0) / 10.0)
    beta_n = 0.125 * np.exp(-(v + 65.0) / 80.0)
    gates = tuple(a / (a + b) for a, b in ((alpha_m, beta_m), (alpha_h, beta_h),
                                            (alpha_n, beta_n)))
    return tuple(float(g[0]) for g in gates) if scalar else gates


def run_brian_hh(
    *,
    duration,
    dt=0.025,
    current=0.0,
    bias_current=0.0,
    parameters=None,
    initial_voltage=-65.0,
    spike_detection=-20.0,
    method="exponential_euler",
    record_voltage=True,
    target="numpy",
) -> SimulationResult:
    """Simulate Hodgkin-Huxley neurons with Brian2.

    Parameters
    ----------
    duration : float
        Length of the run in ms.
    dt : float, optional
        Time step in ms (default 0.025; spikes last ~1 ms, so keep
        dt <= 0.05 ms).
    current : float or array_like, optional
        Injected current in pA: a number, a (n_steps,) time course shared by
        all neurons, or (n_neurons, n_steps).
    bias_current : float or array_like, optional
        Constant current in pA, one value or one per neuron (a whole f-I
        curve is one run with ``bias_current=np.arange(...)``).
    parameters : HodgkinHuxleyParameters, optional
        Default: the squid-axon membrane on 2,500 um^2 (25 pF).
    initial_voltage : float, optional
        V at t = 0 in mV (default -65, the rest); the gates start at their
        steady state for this voltage (:func:`hh_steady_state`).
    spike_detection : float, optional
        A spike is an upward crossing of this voltage in mV (default -20).
        The model has no threshold: this only counts spikes, it does not
        reset anything.
    method : {"exponential_euler", "euler", "rk2", "rk4"}, optional
        Brian2 integration method (default "exponential_euler", stable for
        the stiff gating equations).
    record_voltage : bool, optional
        Record V (and m, h, n in ``traces``) at every step (default True).
    target : {"numpy", "cython"}, optional
        Brian2 code generation target.

    Returns
    -------
    SimulationResult
        ``voltage`` in mV, ``traces`` "m", "h", "n" (dimensionless),
        ``spike_times`` in ms (the step in which V crossed
        ``spike_detection``).
    """
    dt = check_dt(dt)
    n_steps = number_of_steps(duration, dt)
    _check_loop_steps(duration, dt)
    method = _choice("method", method, HH_METHODS)
    record_voltage = as_bool("record_voltage", record_voltage)
    check_choice("target", target, CODEGEN_TARGETS)
    if parameters is None:
        parameters = HodgkinHuxleyParameters()
    if not isinstance(parameters, HodgkinHuxleyParameters):
        raise TypeError(
            "parameters must be a HodgkinHuxleyParameters, for example "
            f"HodgkinHuxleyParameters(membrane_capacitance=200.0), not {type(parameters).__name__}."
        )
    v_start = validate("initial_voltage", initial_voltage)
    if v_start in (-40.0, -55.0):
        raise ValueError(
            f"initial_voltage = {v_start:g} mV is exactly where a rate function is 0/0: "
            f"use {v_start + 0.001:g} mV instead."
        )
    detection = as_float("spike_detection", spike_detection, unit="mV")
    bias, n_neurons = _broadcast(
        {"bias_current": _per_neuron("bias_current", bias_current, unit="pA")}
    )
    constant, time_course = _stimulus(current, n_steps, n_neurons)

    import brian2 as b2
    from brian2 import ms, mV, nS, pA, pF

    p = parameters
    namespace = {
        "C_m": p.membrane_capacitance * pF,
        "g_Na": p.sodium_conductance * nS,
        "g_K": p.potassium_conductance * nS,
        "g_L": p.leak_conductance * nS,
        "E_Na": p.sodium_reversal * mV,
        "E_K": p.potassium_reversal * mV,
        "E_L": p.leak_reversal * mV,
        "V_detect": detection * mV,
    }
    if time_course is None:
        current_equation = "I_inj : amp (constant)"
    else:
        current_equation = "I_inj = I_bias + I_stim(t, i) : amp\nI_bias : amp (constant)"
    with codegen_target(target):
        b2.start_scope()
        if time_course is not None:
            namespace["I_stim"] = b2.TimedArray(time_course * pA, dt=dt * ms)
        group = b2.NeuronGroup(
            n_neurons,
            hh_equations() + current_equation,
            # The model makes its own spikes; threshold and refractoriness
            # only count each upward crossing once.
            threshold="v > V_detect",
            refractory="v > V_detect",
            method=method,
            namespace=namespace,
            dt=dt * ms,
            name="hh",
        )
        m_inf, h_inf, n_inf = hh_steady_state(v_start)
        group.v = v_start * mV
        group.m, group.h, group.n = m_inf, h_inf, n_inf
        total = (bias["bias_current"] + constant) * pA
        if time_course is None:
            group.I_inj = total
        else:
            group.I_bias = total
        spikes = b2.SpikeMonitor(group)
        objects = [group, spikes]
        if record_voltage:
            state = b2.StateMonitor(group, ["v", "m", "h", "n"], record=True)
            objects.append(state)
        b2.Network(*objects).run(n_steps * dt * ms)
        voltage, traces = None, {}
        if record_voltage:
            voltage = np.asarray(state.v / mV)
            traces = {name: np.asarray(getattr(state, name)) for name in ("m", "h", "n")}
            check_converged(voltage, "bias_current, current, initial_voltage, parameters and dt")
        return _result(np.arange(n_steps) * dt, voltage, spikes, n_neurons, dt, traces)


# ---------------------------------------------------------------------------
# Excitatory-inhibitory network
# ---------------------------------------------------------------------------


def ei_network_equations() -> str:
    """Brian2 equations of the conductance-based E-I network neurons.

    The LIF membrane with an excitatory and an inhibitory conductance that
    decay exponentially; spikes make them jump (``on_pre='ge_post += w_e'``).
    The conductances keep decaying while v is clamped after a spike.
    """
    return """
dv/dt = (g_L*(E_L - v) + g_e*(E_e - v) + g_i*(E_i - v) + I_bias)/C_m : volt (unless refractory)
dg_e/dt = -g_e/tau_e : siemens
dg_i/dt = -g_i/tau_i : siemens
C_m : farad (constant)
g_L : siemens (constant)
E_L : volt (constant)
V_th : volt (constant)
V_reset : volt (constant)
I_bias : amp (constant)
"""


def run_brian_ei_network(network, *, rng, record=(), target="numpy") -> NetworkResult:
    """Rebuild a course E-I network in Brian2 and run it.

    Takes the parameters and the recurrent synapses of a
    :func:`course_utils.networks.simulate_ei_network` result, so both
    simulators run the same network: the same neurons, the same (pre, post)
    pairs, the same weights, dt and step order. The random parts are drawn
    afresh - the initial voltages from ``rng`` and the external Poisson input
    by Brian2's ``PoissonInput`` - so the two runs agree in their statistics
    (rates, CVs), not spike by spike.

    Parameters
    ----------
    network : NetworkResult
        A result of :func:`course_utils.networks.simulate_ei_network`.
    rng : numpy.random.Generator
        Draws the initial voltages (uniform in [reset, threshold) mV) and the
        seed of Brian2's random number generator. Brian2 draws from numpy's
        global generator; its state is saved and restored around the run.
    record : sequence of int, optional
        Neurons whose v (mV), g_e and g_i (nS) are recorded every step.
    target : {"numpy", "cython"}, optional
        Brian2 code generation target.

    Returns
    -------
    NetworkResult
        Spike trains from Brian2's SpikeMonitor (ms); ``pre``, ``post`` and
        ``parameters`` of the input network; ``traces`` as in
        :func:`~course_utils.networks.simulate_ei_network`.
    """
    from ._validation import check_rng

    if not isinstance(network, NetworkResult):
        raise TypeError(
            "network must be the result of simulate_ei_network(...), "
            f"not {type(network).__name__}."
        )
    rng = check_rng(rng)
    p = network.parameters
    n_neurons, n_excitatory = network.n_neurons, network.n_excitatory
    record = np.asarray(record, dtype=np.int64).reshape(-1)
    if record.size and (record.min() < 0 or record.max() >= n_neurons):
        raise ValueError(f"record holds neuron indices, which must be in 0 .. {n_neurons - 1}.")
    dt = network.dt
    n_steps = network.time.size
    reset = np.broadcast_to(p["reset"], (n_neurons,))
    threshold = np.broadcast_to(p["threshold"], (n_neurons,))
    initial_voltage = rng.uniform(reset, threshold)
    brian_seed = int(rng.integers(2**31 - 1))

    import brian2 as b2
    from brian2 import Hz, ms, mV, nS, pA, pF

    namespace = {
        "E_e": p["excitatory_reversal"] * mV,
        "E_i": p["inhibitory_reversal"] * mV,
        "tau_e": p["excitatory_decay_time"] * ms,
        "tau_i": p["inhibitory_decay_time"] * ms,
        "w_e": p["excitatory_weight"] * nS,
        "w_i": p["inhibitory_weight"] * nS,
    }
    device = b2.get_device()
    saved_random_state = device.get_random_state()
    try:
        with codegen_target(target):
            b2.start_scope()
            b2.seed(brian_seed)
            neurons = b2.NeuronGroup(
                n_neurons, ei_network_equations(), threshold="v >= V_th", reset="v = V_reset",
                refractory=p["refractory_period"] * ms, method=p["method"],
                namespace=namespace, dt=dt * ms, name="neurons",
            )
            neurons.C_m = p["membrane_capacitance"] * pF
            neurons.g_L = p["leak_conductance"] * nS
            neurons.E_L = p["leak_reversal"] * mV
            neurons.V_th = threshold * mV
            neurons.V_reset = reset * mV
            neurons.I_bias = p["bias_current"] * pA
            neurons.v = initial_voltage * mV
            objects = [neurons]
            from_excitatory = network.pre < n_excitatory
            for name, on_pre, chosen in (
                ("excitatory", "g_e_post += w_e", from_excitatory),
                ("inhibitory", "g_i_post += w_i", ~from_excitatory),
            ):
                synapses = b2.Synapses(
                    neurons, neurons, on_pre=on_pre, namespace=namespace, dt=dt * ms,
                    name=f"{name}_synapses",
                )
                synapses.connect(i=network.pre[chosen], j=network.post[chosen])
                objects.append(synapses)
            if p["n_external"] > 0 and p["external_rate"] > 0:
                objects.append(
                    b2.PoissonInput(
                        neurons, "g_e", N=p["n_external"], rate=p["external_rate"] * Hz,
                        weight=p["external_weight"] * nS,
                    )
                )
            spikes = b2.SpikeMonitor(neurons)
            objects.append(spikes)
            if record.size:
                state = b2.StateMonitor(neurons, ["v", "g_e", "g_i"], record=record)
                objects.append(state)
            b2.Network(*objects).run(n_steps * dt * ms)
            trains = spikes.spike_trains()
            spike_times = [np.asarray(trains[i] / ms, dtype=float) for i in range(n_neurons)]
            traces = {}
            if record.size:
                traces = {
                    "voltage": np.asarray(state.v / mV),
                    "excitatory_conductance": np.asarray(state.g_e / nS),
                    "inhibitory_conductance": np.asarray(state.g_i / nS),
                }
    finally:
        device.set_random_state(saved_random_state)
    return NetworkResult(
        spike_times=spike_times,
        n_excitatory=n_excitatory,
        n_inhibitory=network.n_inhibitory,
        duration=network.duration,
        dt=dt,
        pre=network.pre,
        post=network.post,
        parameters=dict(p),
        recorded=record,
        time=np.arange(n_steps) * dt,
        traces=traces,
    )

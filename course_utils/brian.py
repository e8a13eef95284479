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
  (:class:`HodgkinHuxleyParameters`, :func:`hh_equations`).

The excitatory-inhibitory network of
:func:`course_utils.networks.simulate_ei_network` has no function here:
lesson 4 writes its Brian2 version in the notebook, where students read it,
and the tests keep their own copy (``tests/brian_reference.py``).

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

from ._arguments import broadcast_parameters, per_neuron
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
from .neurons import SimulationResult
from .parameters import check_bounds, validate

__all__ = [
    "HodgkinHuxleyParameters",
    "codegen_target",
    "hh_equations",
    "hh_steady_state",
    "lif_equations",
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


def _check_loop_steps(duration, dt):
    """Brian2's runtime mode runs every step from Python: refuse runs that take hours."""
    check_steps(duration, dt, MAX_LOOP_STEPS, "A Brian2 run")


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


def _run_settings(duration, dt, method, methods, record_voltage, target):
    """(dt in ms, number of steps, method, record_voltage), checked, for any Brian2 run."""
    dt = check_dt(dt)
    n_steps = number_of_steps(duration, dt)
    _check_loop_steps(duration, dt)
    method = check_choice("method", method, methods)
    record_voltage = as_bool("record_voltage", record_voltage)
    check_choice("target", target, CODEGEN_TARGETS)
    return dt, n_steps, method, record_voltage


_TIME_VARYING_CURRENT = "I_inj = I_bias + I_stim(t, i) : amp\nI_bias : amp (constant)"
"""Equations of an injected current with a constant part and a TimedArray ``I_stim``."""


def _current_namespace(time_course, dt) -> dict:
    """``{"I_stim": TimedArray}`` for a (n_steps, n_neurons) time course in pA, else ``{}``."""
    if time_course is None:
        return {}
    import brian2 as b2
    from brian2 import ms, pA

    return {"I_stim": b2.TimedArray(time_course * pA, dt=dt * ms)}


def _set_current(group, constant_current, time_course):
    """Set the constant part of the injected current (pA): I_inj, or I_bias beside I_stim."""
    from brian2 import pA

    if time_course is None:
        group.I_inj = constant_current * pA
    else:
        group.I_bias = constant_current * pA


def _run_group(group, n_steps, dt, recorded_variables):
    """Run ``group`` for ``n_steps`` steps of ``dt`` ms: (SpikeMonitor, StateMonitor or None)."""
    import brian2 as b2
    from brian2 import ms

    spikes = b2.SpikeMonitor(group)
    objects = [group, spikes]
    state = None
    if recorded_variables is not None:
        state = b2.StateMonitor(group, recorded_variables, record=True)
        objects.append(state)
    b2.Network(*objects).run(n_steps * dt * ms)
    return spikes, state


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
        current = _TIME_VARYING_CURRENT
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
    dt, n_steps, method, record_voltage = _run_settings(
        duration, dt, method, LIF_METHODS, record_voltage, target
    )
    parameters, n_neurons = _lif_parameters(
        membrane_capacitance=membrane_capacitance, leak_conductance=leak_conductance,
        leak_reversal=leak_reversal, threshold=threshold, reset=reset,
        refractory_period=refractory_period, bias_current=bias_current,
        initial_voltage=initial_voltage,
    )
    constant, time_course = _stimulus(current, n_steps, n_neurons)
    if method == "exact" and time_course is not None:
        raise ValueError(
            "method='exact' solves the equation analytically, which Brian2 can only do "
            "for a current that is constant in time: give current as a number (or "
            "bias_current), or use method='exponential_euler'."
        )

    import brian2 as b2
    from brian2 import ms, mV, nS, pF

    with codegen_target(target):
        b2.start_scope()
        group = b2.NeuronGroup(
            n_neurons,
            lif_equations(time_varying_current=time_course is not None),
            threshold="v >= V_th",
            reset="v = V_reset",
            refractory="t_ref",
            method=method,
            namespace=_current_namespace(time_course, dt),
            dt=dt * ms,
            name="lif",
        )
        group.C_m = parameters["membrane_capacitance"] * pF
        group.g_L = parameters["leak_conductance"] * nS
        group.E_L = parameters["leak_reversal"] * mV
        group.V_th = parameters["threshold"] * mV
        group.V_reset = parameters["reset"] * mV
        group.t_ref = parameters["refractory_period"] * ms
        _set_current(group, parameters["bias_current"] + constant, time_course)
        group.v = parameters.get("initial_voltage", parameters["leak_reversal"]) * mV
        spikes, state = _run_group(group, n_steps, dt, "v" if record_voltage else None)
        voltage = np.asarray(state.v / mV) if record_voltage else None
        return _result(np.arange(n_steps) * dt, voltage, spikes, n_neurons, dt)


def _lif_parameters(*, initial_voltage, **arguments) -> tuple[dict[str, np.ndarray], int]:
    """The LIF arguments of :func:`run_brian_lif` as per-neuron arrays, and the neuron count."""
    names = ("membrane_capacitance", "leak_conductance", "leak_reversal", "threshold", "reset",
             "refractory_period", "bias_current")
    parameters = {name: np.atleast_1d(per_neuron(name, arguments[name])) for name in names}
    if initial_voltage is not None:
        start = per_neuron("initial_voltage", initial_voltage)
        parameters["initial_voltage"] = np.atleast_1d(start)
    parameters, n_neurons = broadcast_parameters(parameters)
    if np.any(parameters["reset"] >= parameters["threshold"]):
        raise ValueError("reset must be below threshold (both in mV) for every neuron.")
    return parameters, n_neurons


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
    dt, n_steps, method, record_voltage = _run_settings(
        duration, dt, method, HH_METHODS, record_voltage, target
    )
    parameters = _hh_parameters(parameters)
    v_start = validate("initial_voltage", initial_voltage)
    if v_start in (-40.0, -55.0):
        raise ValueError(
            f"initial_voltage = {v_start:g} mV is exactly where a rate function is 0/0: "
            f"use {v_start + 0.001:g} mV instead."
        )
    detection = as_float("spike_detection", spike_detection, unit="mV")
    bias, n_neurons = broadcast_parameters(
        {"bias_current": np.atleast_1d(per_neuron("bias_current", bias_current))}
    )
    constant, time_course = _stimulus(current, n_steps, n_neurons)

    import brian2 as b2
    from brian2 import ms, mV

    namespace = _hh_namespace(parameters, detection)
    current_equation = "I_inj : amp (constant)" if time_course is None else _TIME_VARYING_CURRENT
    with codegen_target(target):
        b2.start_scope()
        group = b2.NeuronGroup(
            n_neurons,
            hh_equations() + current_equation,
            # The model makes its own spikes; threshold and refractoriness
            # only count each upward crossing once.
            threshold="v > V_detect",
            refractory="v > V_detect",
            method=method,
            namespace=namespace | _current_namespace(time_course, dt),
            dt=dt * ms,
            name="hh",
        )
        m_inf, h_inf, n_inf = hh_steady_state(v_start)
        group.v = v_start * mV
        group.m, group.h, group.n = m_inf, h_inf, n_inf
        _set_current(group, bias["bias_current"] + constant, time_course)
        recorded = ["v", "m", "h", "n"] if record_voltage else None
        spikes, state = _run_group(group, n_steps, dt, recorded)
        voltage, traces = None, {}
        if record_voltage:
            voltage = np.asarray(state.v / mV)
            traces = {name: np.asarray(getattr(state, name)) for name in ("m", "h", "n")}
            check_converged(voltage, "bias_current, current, initial_voltage, parameters and dt")
        return _result(np.arange(n_steps) * dt, voltage, spikes, n_neurons, dt, traces)


def _hh_parameters(parameters) -> HodgkinHuxleyParameters:
    """``parameters``, or the default squid-axon membrane if None; refuses anything else."""
    if parameters is None:
        return HodgkinHuxleyParameters()
    if not isinstance(parameters, HodgkinHuxleyParameters):
        raise TypeError(
            "parameters must be a HodgkinHuxleyParameters, for example "
            f"HodgkinHuxleyParameters(membrane_capacitance=200.0), not {type(parameters).__name__}."
        )
    return parameters


def _hh_namespace(p, detection) -> dict:
    """The HH constants with Brian2 units, by their names in :func:`hh_equations`."""
    from brian2 import mV, nS, pF

    return {
        "C_m": p.membrane_capacitance * pF,
        "g_Na": p.sodium_conductance * nS,
        "g_K": p.potassium_conductance * nS,
        "g_L": p.leak_conductance * nS,
        "E_Na": p.sodium_reversal * mV,
        "E_K": p.potassium_reversal * mV,
        "E_L": p.leak_reversal * mV,
        "V_detect": detection * mV,
    }

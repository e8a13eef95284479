"""Networks of leaky integrate-and-fire neurons, and spike-timing-dependent plasticity.

Units: time in ms, voltage in mV, current in pA, conductance and synaptic
weights in nS, capacitance in pF, rates in Hz (see :mod:`course_utils`).

Contents
--------
- :func:`random_connections` - sparse random connectivity as (pre, post) index arrays.
- :func:`simulate_ei_network` - a network of excitatory and inhibitory
  conductance-based LIF neurons with external Poisson drive, vectorised over
  neurons (one numpy step per time step).
- :class:`STDPRule` - the STDP parameters (A+, A-, tau+, tau-), declared once.
- :func:`stdp_window`, :func:`stdp_update` - pair-based additive STDP with
  bounded weights: the window and one time step of its online (trace) form.
- :func:`simulate_stdp` - one LIF neuron whose input synapses learn by STDP.
- :func:`correlated_spike_trains` - Poisson trains that share spikes.

Step order
----------
Every solver here follows Brian2's default schedule, so that lesson 4 can
rebuild the same network in Brian2 and compare rates and CVs. In step k
(time t = k dt):

1. the state at t is recorded;
2. neurons that are not refractory integrate V from t to t + dt (forward
   Euler by default); every synaptic conductance decays for one step;
3. a neuron with V >= threshold spikes; the spike is labelled t = k dt;
4. each spike raises the conductance of its targets by the weight, and the
   external Poisson events of this step are added: the jump is in the
   conductance at the START of step k + 1, so it first acts on V in step
   k + 1 (no synaptic delay beyond that one step);
5. V of the neurons that spiked is set to the reset value; it is held there
   while ``k' - k < floor(refractory_period / dt)`` (whole steps, as Brian2 counts them).

The Brian2 equivalent of :func:`simulate_ei_network` is::

    dv/dt = (g_L*(E_L - v) + ge*(E_e - v) + gi*(E_i - v) + I)/C : volt (unless refractory)
    dge/dt = -ge/tau_e : siemens
    dgi/dt = -gi/tau_i : siemens
    threshold='v >= V_th', reset='v = V_reset', refractory=t_ref, method='euler'

with ``Synapses(..., on_pre='ge_post += w_e')`` on the same (pre, post)
pairs and ``PoissonInput(group, 'ge', n_external, external_rate, external_weight)``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np

from ._arguments import INTEGRATION_METHODS as METHODS
from ._arguments import NEVER, per_neuron_array, spike_lists
from ._arguments import refractory_steps as whole_refractory_steps
from ._validation import (
    MAX_ELEMENTS,
    MAX_LOOP_STEPS,
    MAX_NEURON_STEPS,
    MAX_SPIKES,
    MAX_TRAINS,
    as_array,
    as_bool,
    as_float,
    as_int,
    check_choice,
    check_dt,
    check_rng,
    check_size,
    check_spike_times,
    check_steps,
)
from .analysis import cv_of_isi
from .inputs import number_of_steps
from .parameters import LIF_DEFAULTS, STANDARD_CELL, validate
from .synapses import AMPA, GABA_A, check_spike_trains

__all__ = [
    "NetworkResult",
    "STDPResult",
    "STDPRule",
    "correlated_spike_trains",
    "random_connections",
    "simulate_ei_network",
    "simulate_stdp",
    "stdp_mean_drift",
    "stdp_update",
    "stdp_window",
]

# ---------------------------------------------------------------------------
# Small shared helpers
# ---------------------------------------------------------------------------


def _check_loop_steps(duration, dt):
    """These solvers step in a Python loop: refuse runs that would take far too long."""
    check_steps(duration, dt, MAX_LOOP_STEPS, advice="This solver steps in Python: "
                "use a shorter duration or a larger dt.")


def _neuron_indices(name, value) -> np.ndarray:
    """Neuron indices (an int, or a sequence of ints) as a 1-D int64 array."""
    if isinstance(value, (str, bytes, dict, set)) or value is None:
        raise TypeError(f"{name} must hold neuron indices (whole numbers), but got {value!r}.")
    array = np.asarray(value)
    if array.dtype.kind == "b" or (array.size and array.dtype.kind not in "iu"):
        raise TypeError(
            f"{name} must hold neuron indices (whole numbers), for example [0, 5], "
            f"but got {value!r}."
        )
    return array.astype(np.int64).reshape(-1)


def _probability(name, value) -> float:
    value = as_float(name, value)
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} is a probability: it must be between 0 and 1, got {value:g}.")
    return value


# ---------------------------------------------------------------------------
# Connectivity
# ---------------------------------------------------------------------------


def random_connections(n_neurons, connection_probability, rng, *, allow_autapses=False):
    """Random sparse connectivity: each ordered pair is connected with probability p.

    Parameters
    ----------
    n_neurons : int
        Number of neurons (>= 1); indices 0 .. n_neurons - 1.
    connection_probability : float
        Probability p in [0, 1] that neuron i sends a synapse to neuron j,
        independently for every ordered pair.
    rng : numpy.random.Generator
        Seeded generator. It draws one row of ``n_neurons`` uniform numbers
        per presynaptic neuron, in order.
    allow_autapses : bool, optional
        Allow a neuron to connect to itself (default False).

    Returns
    -------
    pre, post : numpy.ndarray of int
        Presynaptic and postsynaptic index of every synapse, sorted by
        ``pre`` then ``post``. Brian2: ``synapses.connect(i=pre, j=post)``.
    """
    n_neurons = as_int("n_neurons", n_neurons, minimum=1)
    probability = _probability("connection_probability", connection_probability)
    rng = check_rng(rng)
    allow_autapses = as_bool("allow_autapses", allow_autapses)
    check_size(
        f"Connecting n_neurons = {n_neurons} (one draw per ordered pair)",
        float(n_neurons) ** 2, MAX_ELEMENTS, "Use fewer neurons.", unit="random draws",
    )
    pre, post = [], []
    for source in range(n_neurons):
        targets = np.flatnonzero(rng.random(n_neurons) < probability)
        if not allow_autapses:
            targets = targets[targets != source]
        pre.append(np.full(targets.size, source, dtype=np.int64))
        post.append(targets.astype(np.int64))
    return np.concatenate(pre), np.concatenate(post)


def _target_lists(pre, post, n_neurons):
    """CSR-style lookup: targets of neuron i are post[start[i]:start[i + 1]]."""
    order = np.lexsort((post, pre))
    pre, post = pre[order], post[order]
    start = np.searchsorted(pre, np.arange(n_neurons + 1))
    return post, start


def _targets_of(spikers, post_sorted, start):
    """Concatenated targets of the neurons in ``spikers`` (with repeats)."""
    if spikers.size == 1:
        i = spikers[0]
        return post_sorted[start[i] : start[i + 1]]
    return np.concatenate([post_sorted[start[i] : start[i + 1]] for i in spikers])


# ---------------------------------------------------------------------------
# E-I network
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class NetworkResult:
    """The outcome of :func:`simulate_ei_network`.

    Attributes
    ----------
    spike_times : list of numpy.ndarray
        One sorted array of spike times (ms) per neuron; neurons
        ``0 .. n_excitatory - 1`` are excitatory, the rest inhibitory.
    n_excitatory, n_inhibitory : int
        Population sizes.
    duration, dt : float
        Run length and time step in ms.
    pre, post : numpy.ndarray of int
        The recurrent synapses, as index arrays (see :func:`random_connections`).
    parameters : dict
        Every parameter used, with units in the key names' docstring of
        :func:`simulate_ei_network` (for rebuilding the network elsewhere).
    recorded : numpy.ndarray of int
        Indices of the neurons whose state was recorded.
    time : numpy.ndarray
        Start time of every step in ms, shape (n_steps,).
    traces : dict of str to numpy.ndarray
        ``"voltage"`` (mV), ``"excitatory_conductance"`` and
        ``"inhibitory_conductance"`` (nS) of the recorded neurons at the start
        of every step, shape (len(recorded), n_steps).
    """

    spike_times: list[np.ndarray]
    n_excitatory: int
    n_inhibitory: int
    duration: float
    dt: float
    pre: np.ndarray
    post: np.ndarray
    parameters: dict
    recorded: np.ndarray
    time: np.ndarray
    traces: dict = field(default_factory=dict)

    def __post_init__(self):
        as_int("n_excitatory", self.n_excitatory, minimum=0)
        as_int("n_inhibitory", self.n_inhibitory, minimum=0)
        as_float("duration", self.duration, unit="ms", positive=True)
        check_dt(self.dt)
        as_array("time", self.time, unit="ms", ndim=1)
        for name in ("pre", "post", "recorded"):
            _neuron_indices(name, getattr(self, name))
        for name in ("parameters", "traces"):
            if not isinstance(getattr(self, name), dict):
                raise TypeError(f"{name} must be a dict, but got {getattr(self, name)!r}.")
        if not isinstance(self.spike_times, (list, tuple)):
            raise TypeError(
                "spike_times must be a list with one array of spike times (ms) per neuron, "
                f"but got {type(self.spike_times).__name__}."
            )
        if len(self.spike_times) != self.n_excitatory + self.n_inhibitory:
            raise ValueError(
                f"spike_times has {len(self.spike_times)} trains, but n_excitatory + "
                f"n_inhibitory = {self.n_excitatory + self.n_inhibitory}."
            )

    @property
    def n_neurons(self) -> int:
        """Total number of neurons."""
        return self.n_excitatory + self.n_inhibitory

    @property
    def excitatory_spike_times(self) -> list[np.ndarray]:
        """Spike trains (ms) of the excitatory neurons."""
        return self.spike_times[: self.n_excitatory]

    @property
    def inhibitory_spike_times(self) -> list[np.ndarray]:
        """Spike trains (ms) of the inhibitory neurons."""
        return self.spike_times[self.n_excitatory :]

    @property
    def firing_rates(self) -> np.ndarray:
        """Mean rate of every neuron in Hz (spike count / duration in ms * 1000)."""
        counts = np.array([times.size for times in self.spike_times], dtype=float)
        return counts / self.duration * 1000.0

    def cv_isi(self) -> np.ndarray:
        """CV of the inter-spike intervals of every neuron (:func:`analysis.cv_of_isi`).

        Dimensionless; NaN for a neuron with fewer than 3 spikes.
        """
        return np.array([cv_of_isi(times) for times in self.spike_times])


def simulate_ei_network(
    *,
    n_excitatory,
    n_inhibitory,
    connection_probability,
    excitatory_weight,
    inhibitory_weight,
    duration,
    dt,
    rng,
    external_rate=0.0,
    n_external=0,
    external_weight=AMPA.peak_conductance,
    bias_current=0.0,
    membrane_capacitance=STANDARD_CELL["membrane_capacitance"],
    leak_conductance=STANDARD_CELL["leak_conductance"],
    leak_reversal=STANDARD_CELL["leak_reversal"],
    threshold=LIF_DEFAULTS["threshold"],
    reset=LIF_DEFAULTS["reset"],
    refractory_period=LIF_DEFAULTS["refractory_period"],
    excitatory_reversal=AMPA.reversal_potential,
    inhibitory_reversal=GABA_A.reversal_potential,
    excitatory_decay_time=AMPA.decay_time,
    inhibitory_decay_time=GABA_A.decay_time,
    initial_voltage=None,
    connections=None,
    record=(),
    method="euler",
) -> NetworkResult:
    """Simulate a network of excitatory and inhibitory conductance-based LIF neurons.

    Every neuron obeys

        C dV/dt = g_L (E_L - V) + g_e (E_e - V) + g_i (E_i - V) + I_bias,
        dg_e/dt = -g_e / tau_e,   dg_i/dt = -g_i / tau_i,

    with threshold, reset and an absolute refractory period. A spike of an
    excitatory (inhibitory) neuron raises g_e (g_i) of each of its targets by
    ``excitatory_weight`` (``inhibitory_weight``). Each neuron also receives
    ``n_external`` independent Poisson inputs at ``external_rate`` onto g_e.
    The step order is Brian2's (module docstring).

    Parameters
    ----------
    n_excitatory, n_inhibitory : int
        Population sizes (>= 0 each, at least one neuron in all). Neurons
        ``0 .. n_excitatory - 1`` are excitatory.
    connection_probability : float
        Probability of a synapse from any neuron to any other (no autapses),
        see :func:`random_connections`. Ignored if ``connections`` is given.
    excitatory_weight, inhibitory_weight : float
        Conductance jump per spike, nS (>= 0).
    duration : float
        Run length in ms; ``round(duration / dt)`` steps.
    dt : float
        Time step in ms.
    rng : numpy.random.Generator
        Seeded generator, used in this order: connectivity, initial voltages
        (if ``initial_voltage`` is None), then the external input of every step.
    external_rate : float, optional
        Rate of each external Poisson input in Hz (default 0).
    n_external : int, optional
        Number of external inputs per neuron (default 0). The number of
        external events per neuron and step is Binomial(n_external,
        external_rate * dt / 1000), as in Brian2's ``PoissonInput``.
    external_weight : float, optional
        Conductance jump per external event onto g_e, nS (default: the AMPA
        preset, 0.5 nS).
    bias_current : float or array_like, optional
        Constant injected current in pA, one value or one per neuron.
    membrane_capacitance : float or array_like, optional
        C in pF (default 200).
    leak_conductance : float or array_like, optional
        g_L in nS (default 10; tau = 20 ms).
    leak_reversal : float or array_like, optional
        E_L in mV (default -70).
    threshold, reset : float or array_like, optional
        V_th and V_reset in mV (defaults -50 and -65).
    refractory_period : float, optional
        t_ref in ms (default 2), in whole steps rounded down.
    excitatory_reversal, inhibitory_reversal : float, optional
        E_e and E_i in mV (defaults: AMPA 0, GABA_A -75).
    excitatory_decay_time, inhibitory_decay_time : float, optional
        tau_e and tau_i in ms (defaults: AMPA 5, GABA_A 10).
    initial_voltage : float or array_like, optional
        V at t = 0 in mV. Default: uniform in [reset, threshold) from ``rng``,
        so that the neurons do not all start in step.
    connections : tuple of two arrays, optional
        ``(pre, post)`` index arrays of the recurrent synapses, e.g. from
        :func:`random_connections` or written by hand; overrides
        ``connection_probability``.
    record : sequence of int, optional
        Indices of neurons whose V, g_e and g_i are recorded (default none).
    method : {"euler", "exponential_euler"}, optional
        "euler" (Brian2's 'euler', the method Brian2 picks for these
        equations): every variable takes one forward Euler step from the
        state at t. "exponential_euler": V relaxes exactly towards its
        steady state for the conductances at t, and g decays by exp(-dt/tau).

    Returns
    -------
    NetworkResult
        Spike trains, connectivity, parameters and recorded traces.
    """
    n_excitatory, n_inhibitory, n_neurons = _population_sizes(n_excitatory, n_inhibitory)
    dt, n_steps, duration = _network_run_length(duration, dt, n_neurons)
    rng = check_rng(rng)
    check_choice("method", method, METHODS)
    synapses = _synapse_parameters(
        dt,
        excitatory_weight=excitatory_weight,
        inhibitory_weight=inhibitory_weight,
        external_weight=external_weight,
        external_rate=external_rate,
        n_external=n_external,
        excitatory_reversal=excitatory_reversal,
        inhibitory_reversal=inhibitory_reversal,
        excitatory_decay_time=excitatory_decay_time,
        inhibitory_decay_time=inhibitory_decay_time,
    )
    cells = _cell_parameters(
        n_neurons,
        membrane_capacitance=membrane_capacitance,
        leak_conductance=leak_conductance,
        leak_reversal=leak_reversal,
        threshold=threshold,
        reset=reset,
        bias_current=bias_current,
        refractory_period=refractory_period,
    )
    record = _recorded_neurons(record, n_neurons)
    pre, post, probability = _recurrent_synapses(connections, connection_probability,
                                                 n_neurons, rng)
    v = _initial_voltages(initial_voltage, cells, n_neurons, rng)
    parameters = dict(
        n_excitatory=n_excitatory, n_inhibitory=n_inhibitory,
        connection_probability=probability, duration=duration, dt=dt, method=method,
        **synapses, **cells,
    )
    spike_times, traces = _run_ei_network(parameters, pre, post, v, record, n_steps, rng)
    return NetworkResult(
        spike_times=spike_times,
        n_excitatory=n_excitatory,
        n_inhibitory=n_inhibitory,
        duration=n_steps * dt,
        dt=dt,
        pre=pre,
        post=post,
        parameters=parameters,
        recorded=record,
        time=np.arange(n_steps) * dt,
        traces=traces,
    )


# The steps of simulate_ei_network: arguments, connectivity, the loop.


def _population_sizes(n_excitatory, n_inhibitory) -> tuple[int, int, int]:
    """Validated population sizes and their sum (the network needs one neuron at least)."""
    n_excitatory = as_int("n_excitatory", n_excitatory, minimum=0, maximum=MAX_TRAINS)
    n_inhibitory = as_int("n_inhibitory", n_inhibitory, minimum=0, maximum=MAX_TRAINS)
    n_neurons = n_excitatory + n_inhibitory
    if n_neurons == 0:
        raise ValueError("The network needs at least one neuron: n_excitatory + n_inhibitory >= 1.")
    return n_excitatory, n_inhibitory, n_neurons


def _network_run_length(duration, dt, n_neurons) -> tuple[float, int, float]:
    """dt (ms), number of steps and duration (ms); refuses runs far too long to loop over."""
    dt = check_dt(dt)
    n_steps = number_of_steps(duration, dt)
    _check_loop_steps(duration, dt)
    duration = as_float("duration", duration, unit="ms", positive=True)
    check_size(
        f"A network of n_excitatory + n_inhibitory = {n_neurons} neurons over "
        f"duration / dt = {n_steps} steps", float(n_neurons) * n_steps, MAX_NEURON_STEPS,
        "Use fewer neurons, a shorter duration or a larger dt.", unit="neuron-steps",
    )
    return dt, n_steps, duration


def _synapse_parameters(dt, *, excitatory_weight, inhibitory_weight, external_weight,
                        external_rate, n_external, **conductances) -> dict:
    """Validated weights (nS), external drive (Hz, count), E (mV) and tau (ms), by name."""
    w_exc = as_float("excitatory_weight", excitatory_weight, unit="nS", nonnegative=True)
    w_inh = as_float("inhibitory_weight", inhibitory_weight, unit="nS", nonnegative=True)
    w_ext = as_float("external_weight", external_weight, unit="nS", nonnegative=True)
    external_rate = as_float("external_rate", external_rate, unit="Hz", nonnegative=True)
    n_external = as_int("n_external", n_external, minimum=0)
    if external_rate * dt / 1000.0 > 1.0:  # Hz * ms / 1000 = events per step
        raise ValueError(
            f"external_rate * dt = {external_rate:g} Hz * {dt:g} ms is more than one event "
            "per step per input: lower the rate or dt."
        )
    return dict(
        excitatory_weight=w_exc, inhibitory_weight=w_inh, external_rate=external_rate,
        n_external=n_external, external_weight=w_ext, **_conductance_parameters(**conductances),
    )


def _cell_parameters(n_neurons, *, membrane_capacitance, leak_conductance, leak_reversal,
                     threshold, reset, bias_current, refractory_period) -> dict:
    """Validated neuron parameters, one value per neuron (pF, nS, mV, pA); t_ref in ms."""
    cells = dict(
        bias_current=per_neuron_array("bias_current", bias_current, n_neurons, unit="pA"),
        membrane_capacitance=per_neuron_array("membrane_capacitance", membrane_capacitance,
                                              n_neurons),
        leak_conductance=per_neuron_array("leak_conductance", leak_conductance, n_neurons),
        leak_reversal=per_neuron_array("leak_reversal", leak_reversal, n_neurons, unit="mV"),
        threshold=per_neuron_array("threshold", threshold, n_neurons, unit="mV"),
        reset=per_neuron_array("reset", reset, n_neurons, unit="mV"),
    )
    if np.any(cells["reset"] >= cells["threshold"]):
        raise ValueError("reset must be below threshold for every neuron.")
    cells["refractory_period"] = validate("refractory_period", refractory_period)
    return cells


def _conductance_parameters(*, excitatory_reversal, inhibitory_reversal,
                            excitatory_decay_time, inhibitory_decay_time) -> dict:
    """Validated reversal potentials (mV) and decay times (ms) of g_e and g_i."""
    return dict(
        excitatory_reversal=as_float("excitatory_reversal", excitatory_reversal, unit="mV"),
        inhibitory_reversal=as_float("inhibitory_reversal", inhibitory_reversal, unit="mV"),
        excitatory_decay_time=as_float("excitatory_decay_time", excitatory_decay_time,
                                       unit="ms", positive=True),
        inhibitory_decay_time=as_float("inhibitory_decay_time", inhibitory_decay_time,
                                       unit="ms", positive=True),
    )


def _recorded_neurons(record, n_neurons) -> np.ndarray:
    """The indices in ``record``, checked to name neurons of the network."""
    record = _neuron_indices("record", record)
    if record.size and (record.min() < 0 or record.max() >= n_neurons):
        raise ValueError(f"record holds neuron indices, which must be in 0 .. {n_neurons - 1}.")
    return record


def _recurrent_synapses(connections, connection_probability, n_neurons, rng):
    """(pre, post, probability): drawn from ``rng``, or ``connections`` checked (no probability)."""
    if connections is None:
        probability = _probability("connection_probability", connection_probability)
        pre, post = random_connections(n_neurons, probability, rng)
        return pre, post, probability
    if not isinstance(connections, (tuple, list)) or len(connections) != 2:
        raise TypeError("connections must be a pair (pre, post) of index arrays.")
    pre = np.asarray(connections[0], dtype=np.int64).reshape(-1)
    post = np.asarray(connections[1], dtype=np.int64).reshape(-1)
    if pre.shape != post.shape:
        raise ValueError("connections: pre and post must have the same length.")
    if pre.size and (min(pre.min(), post.min()) < 0 or max(pre.max(), post.max()) >= n_neurons):
        raise ValueError(
            f"connections hold neuron indices, which must be in 0 .. {n_neurons - 1}."
        )
    return pre, post, None


def _initial_voltages(initial_voltage, cells, n_neurons, rng) -> np.ndarray:
    """V at t = 0 in mV: given, or uniform in [reset, threshold) from ``rng``."""
    if initial_voltage is None:
        return rng.uniform(cells["reset"], cells["threshold"])
    return per_neuron_array("initial_voltage", initial_voltage, n_neurons, unit="mV").copy()


_TRACES = ("voltage", "excitatory_conductance", "inhibitory_conductance")
"""Names of the recorded traces, in the order (V, g_e, g_i)."""


def _run_ei_network(p, pre, post, v, record, n_steps, rng):
    """Step the network in the module docstring's order: (spike trains in ms, traces)."""
    n_neurons, dt = v.size, p["dt"]
    targets = _target_lists(pre, post, n_neurons)
    decay_exc, decay_inh = _conductance_decays(p)
    refractory_steps = whole_refractory_steps(p["refractory_period"], dt)
    external_probability = p["external_rate"] * dt / 1000.0  # events per step
    g_exc, g_inh = np.zeros(n_neurons), np.zeros(n_neurons)
    last_spike = np.full(n_neurons, NEVER, dtype=np.int64)
    traces = {name: np.empty((record.size, n_steps)) for name in _TRACES}
    spike_steps, spike_neurons = [], []
    dt_over_c = dt / p["membrane_capacitance"]

    for k in range(n_steps):
        if record.size:
            for name, state in zip(_TRACES, (v, g_exc, g_inh), strict=True):
                traces[name][:, k] = state[record]
        active = (k - last_spike) >= refractory_steps
        v = np.where(active, _membrane_update(p, v, g_exc, g_inh, dt_over_c), v)
        g_exc *= decay_exc
        g_inh *= decay_inh
        spikers = np.flatnonzero(active & (v >= p["threshold"]))
        if spikers.size:
            spike_steps.append(np.full(spikers.size, k, dtype=np.int64))
            spike_neurons.append(spikers)
            last_spike[spikers] = k
            _deliver_spikes(spikers, p, targets, g_exc, g_inh)
        if p["n_external"] and external_probability > 0:
            g_exc += p["external_weight"] * rng.binomial(
                p["n_external"], external_probability, size=n_neurons
            )
        if spikers.size:
            v[spikers] = p["reset"][spikers]
    spike_times = spike_lists(spike_steps, spike_neurons, n_neurons, dt)
    return spike_times, (traces if record.size else {})


def _conductance_decays(p) -> tuple[float, float]:
    """Factors by which g_e and g_i decay in one step (Euler, or exact for exponential_euler)."""
    dt = p["dt"]
    tau_exc, tau_inh = p["excitatory_decay_time"], p["inhibitory_decay_time"]
    if p["method"] == "euler":
        return 1.0 - dt / tau_exc, 1.0 - dt / tau_inh
    return np.exp(-dt / tau_exc), np.exp(-dt / tau_inh)


def _membrane_update(p, v, g_exc, g_inh, dt_over_c) -> np.ndarray:
    """V (mV) after one step from the state at t, by ``p["method"]``."""
    g_leak, e_leak, bias = p["leak_conductance"], p["leak_reversal"], p["bias_current"]
    e_exc, e_inh = p["excitatory_reversal"], p["inhibitory_reversal"]
    if p["method"] == "euler":
        return v + dt_over_c * (
            g_leak * (e_leak - v) + g_exc * (e_exc - v) + g_inh * (e_inh - v) + bias
        )
    total = g_leak + g_exc + g_inh
    v_inf = (g_leak * e_leak + g_exc * e_exc + g_inh * e_inh + bias) / total
    return v_inf + (v - v_inf) * np.exp(-dt_over_c * total)


def _deliver_spikes(spikers, p, targets, g_exc, g_inh):
    """Raise g_e (g_i) of the targets of excitatory (inhibitory) spikers, in place."""
    post_sorted, start = targets
    from_excitatory = spikers < p["n_excitatory"]
    for senders, weight, conductance in (
        (spikers[from_excitatory], p["excitatory_weight"], g_exc),
        (spikers[~from_excitatory], p["inhibitory_weight"], g_inh),
    ):
        if senders.size and weight > 0:
            hits = np.bincount(_targets_of(senders, post_sorted, start), minlength=g_exc.size)
            conductance += weight * hits


# ---------------------------------------------------------------------------
# Spike-timing-dependent plasticity
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class STDPRule:
    """The parameters of pair-based additive STDP, declared and validated once.

    Every STDP function here (:func:`stdp_window`, :func:`stdp_mean_drift`,
    :func:`stdp_update`, :func:`simulate_stdp`) takes these four arguments
    and checks them by building this rule, so a value is refused the same
    way wherever it is passed.

    Attributes
    ----------
    potentiation, depression : float
        A+ and A- in nS (>= 0): the weight change of a pair at s = 0+ and s = 0-.
    potentiation_time, depression_time : float
        tau+ and tau- in ms (> 0; default 20 each).
    """

    potentiation: float
    depression: float
    potentiation_time: float = 20.0
    depression_time: float = 20.0

    def __post_init__(self):
        checked = {
            "potentiation": validate("potentiation", self.potentiation, kind="stdp_amplitude"),
            "depression": validate("depression", self.depression, kind="stdp_amplitude"),
            "potentiation_time": as_float("potentiation_time", self.potentiation_time,
                                          unit="ms", positive=True),
            "depression_time": as_float("depression_time", self.depression_time,
                                        unit="ms", positive=True),
        }
        for name, value in checked.items():
            object.__setattr__(self, name, value)

    def trace_decays(self, dt) -> tuple[float, float]:
        """Factors exp(-dt / tau+) and exp(-dt / tau-) by which the traces decay per step.

        Parameters
        ----------
        dt : float
            Time step in ms.

        Returns
        -------
        tuple of float
            Dimensionless, between 0 and 1.
        """
        dt = check_dt(dt)
        return np.exp(-dt / self.potentiation_time), np.exp(-dt / self.depression_time)


def _weight_bounds(min_weight, max_weight) -> tuple[float, float]:
    """Validated bounds of plastic weights: 0 <= min_weight <= max_weight, in nS.

    A weight is a conductance, which cannot be negative, so neither bound
    may be.

    Parameters
    ----------
    min_weight, max_weight : float
        Lower and upper bound in nS.

    Returns
    -------
    tuple of float
        ``(min_weight, max_weight)`` in nS.
    """
    w_max = as_float("max_weight", max_weight, unit="nS", nonnegative=True)
    w_min = as_float("min_weight", min_weight, unit="nS", nonnegative=True)
    if w_min > w_max:
        raise ValueError(f"min_weight ({w_min:g} nS) must not exceed max_weight ({w_max:g} nS).")
    return w_min, w_max


def stdp_window(
    time_difference,
    *,
    potentiation,
    depression,
    potentiation_time=20.0,
    depression_time=20.0,
):
    """Weight change caused by one pre-post spike pair (the STDP window).

    W(s) = A+ exp(-s / tau+)   for s >= 0 (pre before, or with, post),
    W(s) = -A- exp(s / tau-)   for s < 0 (post before pre),

    with s = t_post - t_pre (Bi & Poo 1998; Song, Miller & Abbott 2000).

    Parameters
    ----------
    time_difference : float or array_like
        s = t_post - t_pre in ms.
    potentiation, depression : float
        A+ and A- in nS (>= 0): the change for a pair at s = 0+ and s = 0-.
    potentiation_time, depression_time : float, optional
        tau+ and tau- in ms (default 20 each).

    Returns
    -------
    float or numpy.ndarray
        Weight change in nS, same shape as ``time_difference``.
    """
    rule = STDPRule(potentiation, depression, potentiation_time, depression_time)
    s = as_array("time_difference", time_difference, unit="ms")
    change = np.where(
        s >= 0,
        rule.potentiation * np.exp(-np.abs(s) / rule.potentiation_time),
        -rule.depression * np.exp(-np.abs(s) / rule.depression_time),
    )
    return float(change) if change.ndim == 0 else change


def stdp_mean_drift(
    pre_rate,
    post_rate,
    *,
    potentiation,
    depression,
    potentiation_time=20.0,
    depression_time=20.0,
):
    """Expected rate of weight change for independent Poisson pre and post spikes.

    For uncorrelated trains every pair is equally likely at every s, so
    <dw/dt> = r_pre r_post * integral of W(s) ds = r_pre r_post (A+ tau+ - A- tau-).

    Parameters
    ----------
    pre_rate, post_rate : float
        Rates in Hz.
    potentiation, depression : float
        A+ and A- in nS.
    potentiation_time, depression_time : float, optional
        tau+ and tau- in ms.

    Returns
    -------
    float
        Drift in nS per second (rates in 1/s times the window area in nS ms,
        divided by 1000 ms/s).

    Notes
    -----
    This is the continuous-time value. On a time grid with step dt the
    integral becomes a sum over lags k dt, and the lag-0 bin (counted as
    potentiation by :func:`stdp_update`) adds about (A+ + A-) dt / 2 to the
    area: use dt much smaller than tau+ and tau-.
    """
    pre_rate = as_float("pre_rate", pre_rate, unit="Hz", nonnegative=True)
    post_rate = as_float("post_rate", post_rate, unit="Hz", nonnegative=True)
    rule = STDPRule(potentiation, depression, potentiation_time, depression_time)
    area = (rule.potentiation * rule.potentiation_time
            - rule.depression * rule.depression_time)  # nS ms
    return pre_rate * post_rate * area / 1000.0


def _stdp_step(weights, pre_trace, post_trace, pre_spiked, post_spiked, rule, decays, bounds):
    """One unvalidated STDP step; see :func:`stdp_update`."""
    decay_plus, decay_minus = decays
    w_min, w_max = bounds
    pre_trace = pre_trace * decay_plus + rule.potentiation * pre_spiked
    post_trace = post_trace * decay_minus
    # A presynaptic spike reads the depression trace left by earlier post spikes ...
    weights = np.clip(weights - post_trace * pre_spiked, w_min, w_max)
    # ... then a postsynaptic spike reads the potentiation trace, including a
    # pre spike of this same step (so s = 0 counts as potentiation).
    post_trace = post_trace + rule.depression * post_spiked
    weights = np.clip(weights + pre_trace * post_spiked, w_min, w_max)
    return weights, pre_trace, post_trace


def stdp_update(
    weights,
    pre_trace,
    post_trace,
    pre_spiked,
    post_spiked,
    *,
    dt,
    potentiation,
    depression,
    potentiation_time=20.0,
    depression_time=20.0,
    max_weight,
    min_weight=0.0,
):
    """One time step of additive pair-based STDP, computed with traces.

    Each synapse keeps a potentiation trace x (jumps by A+ at every pre
    spike, decays with tau+) and sees a depression trace y of its
    postsynaptic neuron (jumps by A- at every post spike, decays with tau-).
    In one step: both traces decay by exp(-dt / tau); at a pre spike
    x += A+ and w -= y; at a post spike y += A- and w += x; w is clipped to
    [min_weight, max_weight] after each change. Without clipping, the total
    change of a pair of spikes s = t_post - t_pre apart (on the time grid)
    is exactly :func:`stdp_window` (s), and every pair of spikes adds up
    ("all-to-all" interaction), like Brian2's event-driven STDP example.

    Parameters
    ----------
    weights : array_like
        Current weights in nS, shape (n_synapses,).
    pre_trace : array_like
        Potentiation traces x in nS, shape (n_synapses,) (start with zeros).
    post_trace : float or array_like
        Depression trace(s) y in nS: one number for a single postsynaptic
        neuron, or one per synapse (start with zeros).
    pre_spiked : array_like of bool
        Which presynaptic neurons spiked in this step, shape (n_synapses,).
    post_spiked : bool or array_like of bool
        Whether the postsynaptic neuron (or each synapse's) spiked.
    dt : float
        Time step in ms.
    potentiation, depression : float
        A+ and A- in nS (>= 0).
    potentiation_time, depression_time : float, optional
        tau+ and tau- in ms (default 20 each).
    max_weight : float
        Upper bound of the weights in nS (>= min_weight).
    min_weight : float, optional
        Lower bound in nS (>= 0, default 0): a weight is a conductance.

    Returns
    -------
    weights, pre_trace, post_trace : numpy.ndarray
        The updated values (new arrays; the inputs are not changed).
    """
    weights, pre_trace, post_trace, pre_spiked, post_spiked = _synapse_state(
        weights, pre_trace, post_trace, pre_spiked, post_spiked
    )
    settings = (potentiation, depression, potentiation_time, depression_time, min_weight,
                max_weight, dt)
    try:
        rule, decays, bounds = _step_settings(*settings)
    except TypeError as error:  # unhashable (an array, say): validate without the memo
        if "unhashable" not in str(error):
            raise
        rule, decays, bounds = _step_settings.__wrapped__(*settings)
    return _stdp_step(weights, pre_trace, post_trace, pre_spiked, post_spiked,
                      rule, decays, bounds)


@functools.lru_cache(maxsize=64, typed=True)
def _step_settings(potentiation, depression, potentiation_time, depression_time, min_weight,
                   max_weight, dt):
    """(rule, trace decays, weight bounds) of :func:`stdp_update`, validated once.

    A lesson calls stdp_update every step, 100,000 times with the same
    settings: validating them each time cost half of its run time.
    """
    dt = check_dt(dt)
    rule = STDPRule(potentiation, depression, potentiation_time, depression_time)
    return rule, rule.trace_decays(dt), _weight_bounds(min_weight, max_weight)


def _synapse_state(weights, pre_trace, post_trace, pre_spiked, post_spiked):
    """The arguments of :func:`stdp_update` as arrays of matching shapes."""
    weights = as_array("weights", weights, unit="nS", ndim=1)
    pre_trace = as_array("pre_trace", pre_trace, unit="nS", ndim=1)
    post_trace = as_array("post_trace", post_trace, unit="nS", ndim=(0, 1))
    pre_spiked = np.asarray(pre_spiked, dtype=bool)
    post_spiked = np.asarray(post_spiked, dtype=bool)
    for name, array in (("pre_trace", pre_trace), ("pre_spiked", pre_spiked)):
        if array.shape != weights.shape:
            raise ValueError(
                f"{name} has shape {array.shape} but weights has {weights.shape}: "
                "give one value per synapse."
            )
    for name, array in (("post_trace", post_trace), ("post_spiked", post_spiked)):
        if array.ndim and array.shape != weights.shape:
            raise ValueError(
                f"{name} must be one value (a single postsynaptic neuron) or one per "
                f"synapse, shape {weights.shape}, but has shape {array.shape}."
            )
    return weights, pre_trace, post_trace, pre_spiked, post_spiked


@dataclass(frozen=True)
class STDPResult:
    """The outcome of :func:`simulate_stdp`.

    Attributes
    ----------
    sample_times : numpy.ndarray
        Times in ms at which the weights were sampled (start of a step).
    weights : numpy.ndarray
        Weights in nS, shape (n_samples, n_inputs).
    final_weights : numpy.ndarray
        Weights at the end of the run in nS, shape (n_inputs,).
    post_spike_times : numpy.ndarray
        Spike times of the postsynaptic neuron in ms.
    duration, dt : float
        Run length and step in ms.
    """

    sample_times: np.ndarray
    weights: np.ndarray
    final_weights: np.ndarray
    post_spike_times: np.ndarray
    duration: float
    dt: float

    def __post_init__(self):
        as_float("duration", self.duration, unit="ms", positive=True)
        check_dt(self.dt)
        as_array("sample_times", self.sample_times, unit="ms", ndim=1)
        as_array("weights", self.weights, unit="nS", ndim=2)
        as_array("final_weights", self.final_weights, unit="nS", ndim=1)
        check_spike_times("post_spike_times", self.post_spike_times, self.duration)

    @property
    def post_rate(self) -> float:
        """Firing rate of the postsynaptic neuron in Hz."""
        return self.post_spike_times.size / self.duration * 1000.0


def simulate_stdp(
    *,
    input_spike_trains,
    initial_weights,
    duration,
    dt,
    potentiation,
    depression,
    max_weight,
    potentiation_time=20.0,
    depression_time=20.0,
    min_weight=0.0,
    membrane_capacitance=STANDARD_CELL["membrane_capacitance"],
    leak_conductance=STANDARD_CELL["leak_conductance"],
    leak_reversal=STANDARD_CELL["leak_reversal"],
    threshold=LIF_DEFAULTS["threshold"],
    reset=LIF_DEFAULTS["reset"],
    refractory_period=LIF_DEFAULTS["refractory_period"],
    excitatory_reversal=AMPA.reversal_potential,
    excitatory_decay_time=AMPA.decay_time,
    sample_interval=100.0,
) -> STDPResult:
    """One LIF neuron whose excitatory input synapses learn by STDP.

    Input j's spikes raise the neuron's excitatory conductance g_e by its
    weight w_j (nS); g_e decays exponentially. The weights change by
    :func:`stdp_update` (traces, all-to-all pairs, bounded). Step order as in
    the module docstring (Brian2's), with the STDP updates in step 4; Euler
    integration.

    Parameters
    ----------
    input_spike_trains : sequence of array_like
        Spike times in ms in [0, duration), one array per input synapse.
    initial_weights : float or array_like
        Starting weights in nS, one number or one per input.
    duration, dt : float
        Run length and time step in ms.
    potentiation, depression : float
        A+ and A- in nS.
    max_weight : float
        Upper weight bound in nS (>= min_weight).
    potentiation_time, depression_time : float, optional
        tau+ and tau- in ms (default 20 each).
    min_weight : float, optional
        Lower weight bound in nS (>= 0, default 0).
    membrane_capacitance, leak_conductance, leak_reversal, threshold, reset, refractory_period
        The LIF neuron: pF, nS, mV, mV, mV, ms (defaults 200, 10, -70, -50, -65, 2).
    excitatory_reversal, excitatory_decay_time : float, optional
        E_e in mV and tau_e in ms (defaults: the AMPA preset, 0 mV and 5 ms).
    sample_interval : float, optional
        Weights are sampled every this many ms (default 100), starting at 0.

    Returns
    -------
    STDPResult
    """
    dt = check_dt(dt)
    n_steps = number_of_steps(duration, dt)
    _check_loop_steps(duration, dt)
    run_length = n_steps * dt
    trains = check_spike_trains("input_spike_trains", input_spike_trains, duration=run_length)
    if not trains:
        raise ValueError("input_spike_trains is empty: give at least one input train.")
    weights = per_neuron_array(
        "initial_weights", initial_weights, len(trains), unit="nS", what="input trains"
    )
    rule = STDPRule(potentiation, depression, potentiation_time, depression_time)
    bounds = _weight_bounds(min_weight, max_weight)
    cell = _stdp_cell(
        membrane_capacitance=membrane_capacitance, leak_conductance=leak_conductance,
        leak_reversal=leak_reversal, threshold=threshold, reset=reset,
        refractory_period=refractory_period, excitatory_reversal=excitatory_reversal,
        excitatory_decay_time=excitatory_decay_time,
    )
    sample_interval = as_float("sample_interval", sample_interval, unit="ms", positive=True)
    sample_every = max(1, int(round(sample_interval / dt)))
    sources, bounds_of_step = _input_events(trains, dt, n_steps)
    samples, sample_times, weights, post_spikes = _run_stdp(
        np.clip(weights, *bounds), sources, bounds_of_step, n_steps, dt, cell, rule, bounds,
        sample_every,
    )
    return STDPResult(
        sample_times=np.array(sample_times),
        weights=np.array(samples),
        final_weights=weights,
        post_spike_times=np.array(post_spikes),
        duration=run_length,
        dt=dt,
    )


# The steps of simulate_stdp: the neuron's parameters, the input events, the loop.


def _stdp_cell(*, membrane_capacitance, leak_conductance, leak_reversal, threshold, reset,
               refractory_period, excitatory_reversal, excitatory_decay_time) -> dict:
    """The validated LIF neuron of :func:`simulate_stdp` (pF, nS, mV, mV, mV, ms, mV, ms)."""
    cell = {
        name: validate(name, value) for name, value in (
            ("membrane_capacitance", membrane_capacitance),
            ("leak_conductance", leak_conductance),
            ("leak_reversal", leak_reversal),
            ("threshold", threshold),
            ("reset", reset),
        )
    }
    if cell["reset"] >= cell["threshold"]:
        raise ValueError(
            f"reset ({cell['reset']:g} mV) must be below threshold ({cell['threshold']:g} mV)."
        )
    cell["refractory_period"] = validate("refractory_period", refractory_period)
    cell["excitatory_reversal"] = as_float("excitatory_reversal", excitatory_reversal, unit="mV")
    cell["excitatory_decay_time"] = as_float("excitatory_decay_time", excitatory_decay_time,
                                             unit="ms", positive=True)
    return cell


def _input_events(trains, dt, n_steps) -> tuple[np.ndarray, np.ndarray]:
    """Input events sorted by step: those of step k are ``sources[bounds[k]:bounds[k + 1]]``."""
    steps = np.concatenate([np.floor(t / dt + 1e-9).astype(np.int64) for t in trains])
    sources = np.concatenate([np.full(t.size, j, dtype=np.int64) for j, t in enumerate(trains)])
    order = np.argsort(steps, kind="stable")
    steps, sources = steps[order], sources[order]
    return sources, np.searchsorted(steps, np.arange(n_steps + 1))


def _run_stdp(weights, sources, bounds_of_step, n_steps, dt, cell, rule, bounds, sample_every):
    """Step neuron and synapses: (weight samples, sample times, final weights, spike times)."""
    capacitance, g_leak = cell["membrane_capacitance"], cell["leak_conductance"]
    e_leak, e_exc = cell["leak_reversal"], cell["excitatory_reversal"]
    decays = rule.trace_decays(dt)
    decay_exc = 1.0 - dt / cell["excitatory_decay_time"]
    refractory_steps = whole_refractory_steps(cell["refractory_period"], dt)
    n_inputs = weights.size
    v, g_exc, last_spike = e_leak, 0.0, NEVER
    pre_trace, post_trace = np.zeros(n_inputs), 0.0
    samples, sample_times, post_spikes = [], [], []
    no_pre = np.zeros(n_inputs, dtype=bool)

    for k in range(n_steps):
        if k % sample_every == 0:
            samples.append(weights.copy())
            sample_times.append(k * dt)
        if k - last_spike >= refractory_steps:
            v = v + dt / capacitance * (g_leak * (e_leak - v) + g_exc * (e_exc - v))
            post_spiked = v >= cell["threshold"]
        else:
            post_spiked = False
        g_exc *= decay_exc
        arriving = sources[bounds_of_step[k] : bounds_of_step[k + 1]]
        pre_spiked = no_pre
        if arriving.size:
            pre_spiked = np.zeros(n_inputs, dtype=bool)
            pre_spiked[arriving] = True
            # A synapse can carry two spikes in one step only if dt is coarse;
            # each adds its conductance.
            g_exc += weights[arriving].sum()
        if arriving.size or post_spiked:
            weights, pre_trace, post_trace = _stdp_step(
                weights, pre_trace, post_trace, pre_spiked, post_spiked, rule, decays, bounds
            )
        else:
            pre_trace *= decays[0]
            post_trace *= decays[1]
        if post_spiked:
            post_spikes.append(k * dt)
            last_spike = k
            v = cell["reset"]
    return samples, sample_times, weights, post_spikes


def correlated_spike_trains(n_trains, rate, correlation, duration, rng):
    """Poisson spike trains with a given pairwise correlation.

    Every train copies each spike of one shared "mother" Poisson train
    (rate ``rate / correlation``) with probability ``correlation``, so each
    train is itself Poisson at ``rate`` and two trains share a fraction
    ``correlation`` of their spikes (Kuhn, Aertsen & Rotter 2003).
    ``correlation = 0`` gives independent trains.

    Parameters
    ----------
    n_trains : int
        Number of trains (>= 1).
    rate : float
        Rate of each train in Hz (>= 0).
    correlation : float
        Pairwise spike-count correlation c in [0, 1].
    duration : float
        Run length in ms.
    rng : numpy.random.Generator
        Seeded generator.

    Returns
    -------
    list of numpy.ndarray
        Sorted spike times in ms in [0, duration), one array per train.
    """
    n_trains = as_int("n_trains", n_trains, minimum=1)
    rate = as_float("rate", rate, unit="Hz", nonnegative=True)
    correlation = _probability("correlation", correlation)
    duration = as_float("duration", duration, unit="ms", positive=True)
    rng = check_rng(rng)
    check_size(
        f"n_trains = {n_trains} trains at rate = {rate:g} Hz for duration = {duration:g} ms",
        n_trains * rate * duration / 1000.0, MAX_SPIKES,
        "Use fewer trains, a lower rate or a shorter duration.", unit="spikes on average",
    )
    if correlation > 0.0:
        check_size(
            f"n_trains = {n_trains} trains drawing from a mother train at rate / correlation"
            f" = {rate / correlation:g} Hz for duration = {duration:g} ms",
            n_trains * rate / correlation * duration / 1000.0, MAX_ELEMENTS,
            "Use a larger correlation, fewer trains, a lower rate or a shorter duration.",
            unit="random draws",
        )
    if correlation == 0.0:
        counts = rng.poisson(rate * duration / 1000.0, size=n_trains)
        return [np.sort(rng.uniform(0.0, duration, size=n)) for n in counts]
    mother_rate = rate / correlation
    n_mother = rng.poisson(mother_rate * duration / 1000.0)
    mother = np.sort(rng.uniform(0.0, duration, size=n_mother))
    keep = rng.random((n_trains, mother.size)) < correlation
    return [mother[row] for row in keep]

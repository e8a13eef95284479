"""A Brian2 rebuild of :func:`course_utils.networks.simulate_ei_network`, for the tests.

The tests check the course's network solver against Brian2 with it (same
neurons, synapses, weights, dt and step order; Brian2's own random input, so
the two agree in rates and CVs, not spike by spike). Lesson 4 builds the same
network inline, in front of the student, so this is not library code.

Units as in :mod:`course_utils`: ms, mV, pA, nS, pF, Hz.
"""

from __future__ import annotations

import numpy as np

from course_utils._validation import check_rng
from course_utils.brian import codegen_target
from course_utils.networks import NetworkResult


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

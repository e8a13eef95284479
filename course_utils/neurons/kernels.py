"""Compiled (numba) kernels of the solvers, and the one loop that runs them.

numba is imported on the first call of a compiled solver, never at import
time. Each kernel is built from a source function ``*_source(loop)`` twice,
serial (``loop=range``) and parallel (``loop=numba.prange``), and cached on
disk. :func:`run_kernel` is the single place that allocates the recorded
traces and the spike buffer, picks the serial or parallel kernel and reruns
it with a larger buffer if a neuron fired more spikes than the first guess
could hold. Every kernel takes its arguments in the same order at the end:
``..., n_steps, dt, brian2_order, record, *traces, spike_buffer,
spike_counts``.

Units: time in ms, voltage in mV, current in pA (see :mod:`course_utils`).
"""

from __future__ import annotations

import functools

import numpy as np

from .._arguments import NEVER as _NEVER

MAX_SPIKE_BUFFER = 20_000_000
"""Spike buffers of the compiled kernels hold at most this many entries
before we fall back to a first guess and a rerun on overflow."""

NEURONS_PER_CHUNK = 256
"""Neurons per parallel task of the chunked LIF kernel: small enough that a
chunk's state stays in the L1 cache, large enough to keep the CPU busy."""

ADEX_EXPONENT_CAP = 300.0
"""Largest exponent allowed in the AdEx spike term.

exp(300) ~ 2e130 cannot overflow, and a membrane that far above V_T has a
derivative so large that the next step crosses any sensible spike cutoff
whether or not the exponent is clipped, so the clip changes no spike time."""


_KERNELS: dict[str, object] = {}
"""Compiled numba kernels, built on first use (never at import time)."""


@functools.cache
def numba_available() -> bool:
    """Whether numba can be imported (checked once, on first use)."""
    try:
        import numba  # noqa: F401
    except ImportError:
        return False
    return True


def compiled(name, build):
    """(serial, parallel) compiled versions of a kernel, built once per process.

    Both come from the same source: the serial one loops with ``range``, the
    parallel one with ``numba.prange``. numba caches the machine code on
    disk (``cache=True``), so a new process loads it in a fraction of a
    second instead of compiling it again.
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


def kernel_ready(name, parallel) -> bool:
    """Whether the serial or parallel kernel ``name`` is compiled (or loaded from
    the disk cache) in this process."""
    kernels = _KERNELS.get(name)
    return kernels is not None and bool(kernels[int(parallel)].signatures)


# error_model="numpy" (above): x / 0 gives inf instead of raising, which
# lets the compiler vectorise divisions (the parameters are validated
# before any kernel runs).


def grid_input(value):
    """(array, has_it) for a kernel: a (rows, n_steps) array, or a (1, 1) dummy."""
    if isinstance(value, np.ndarray):
        return value, True
    return np.zeros((1, 1)), False


def spike_buffer_size(n_steps, refractory_steps, n_neurons):
    """Capacity that cannot overflow: consecutive spikes are >= max(ref, 1) steps apart."""
    minimum_interval = max(int(refractory_steps.min()), 1) if refractory_steps.size else 1
    bound = n_steps // minimum_interval + 1
    if bound * n_neurons <= MAX_SPIKE_BUFFER:
        return bound
    return max(1, min(bound, MAX_SPIKE_BUFFER // n_neurons))


def buffer_to_list(buffer, counts, dt):
    """Per-neuron spike-time arrays (ms) from a (neurons, capacity) buffer of steps."""
    stored = np.arange(buffer.shape[1]) < counts[:, np.newaxis]
    # One compact array and slices of it: far cheaper than one new array
    # per neuron when there are thousands of neurons.
    times = buffer[stored] * dt
    ends = np.cumsum(counts).tolist()
    starts = [0, *ends[:-1]]
    return [times[a:b] for a, b in zip(starts, ends, strict=True)]


def run_kernel(name, build, arguments, *, n_neurons, n_steps, dt, record, n_traces,
               refractory_steps, parallel):
    """Run a compiled kernel; return (recorded traces or None, spike times).

    Parameters
    ----------
    name : str
        Cache key of the kernel.
    build : callable
        Its source builder, ``build(loop) -> function``.
    arguments : tuple
        The kernel's arguments up to and including ``record``.
    n_neurons, n_steps : int
        Size of the run.
    dt : float
        Time step in ms.
    record : bool
        Record the traces (else they are (1, 1) dummies).
    n_traces : int
        Number of recorded state variables (voltage first).
    refractory_steps : numpy.ndarray
        Per-neuron refractory period in steps, which bounds the spike count.
    parallel : bool
        Run the parallel version (enough independent work to share out).

    Returns
    -------
    tuple
        ``(traces, spike_times)``: a list of (n_neurons, n_steps) arrays in
        mV (voltage) and the model's units, or None without ``record``; one
        array of spike times in ms per neuron.
    """
    from .background import wait_for

    # A background compile of this kernel is further along than starting
    # again here would be: wait for it, then load its result from the cache.
    wait_for(name, parallel)
    serial_kernel, parallel_kernel = compiled(name, build)
    kernel = parallel_kernel if parallel else serial_kernel
    shape = (n_neurons, n_steps) if record else (1, 1)
    traces = [np.empty(shape) for _ in range(n_traces)]
    capacity = spike_buffer_size(n_steps, refractory_steps, n_neurons)
    while True:
        spike_buffer = np.empty((n_neurons, capacity), dtype=np.int64)
        spike_counts = np.zeros(n_neurons, dtype=np.int64)
        kernel(*arguments, *traces, spike_buffer, spike_counts)
        most = int(spike_counts.max()) if n_neurons else 0
        if most <= capacity:
            break
        capacity = most  # rerun with room for every spike
    return (traces if record else None), buffer_to_list(spike_buffer, spike_counts, dt)


# ---------------------------------------------------------------------------
# Kernel sources
# ---------------------------------------------------------------------------


def lif_source(loop):
    # `loop` (range or prange) and `chunk` are the kernel's only closure
    # variables: numba's cache key includes them, so they must pickle the
    # same way in every process (a compiled function would not).
    chunk = NEURONS_PER_CHUNK

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


def adex_source(loop):
    # Closure variables must pickle identically in every process (see
    # lif_source): a range/prange class and a float.
    cap = ADEX_EXPONENT_CAP

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


def izhikevich_source(loop):
    # Only `loop` is a closure variable (see lif_source for why).
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

"""Scaling up: one network, written once, run by Brian2 in three ways.

Units: time in ms (wall-clock timings in s, and say so), voltage in mV,
current in pA, conductance in nS, capacitance in pF, rate in Hz (see
:mod:`course_utils`).

The network is the Vogels-Abbott conductance-based (COBA) benchmark
network of Brette et al. (2007, benchmark 1): 80 % excitatory and 20 %
inhibitory leaky integrate-and-fire neurons with exponentially decaying
synaptic conductances (6 nS excitatory, 67 nS inhibitory). Two changes make
it a fair *scaling* benchmark:

* every neuron receives on average 80 inputs (connection probability
  ``80 / N``), as in the original 4000-neuron network (p = 0.02). So the work
  per neuron does not grow with the size of the network;
* a constant bias current (200 pA, i.e. 20 mV across the 0.1 GOhm leak)
  keeps the network active at every size, as in the BrainPy benchmark
  suite's version, instead of the original's brief kick-start.

:func:`run_coba` runs it with

* ``device="runtime"``: Brian2's default mode. Python runs the time loop and
  calls generated code (here numpy code) for every object on every step;
* ``device="cpp_standalone"``: Brian2 writes a whole C++ program (the
  network, the loop and all), compiles it once and runs it without Python,
  optionally on several OpenMP threads;
* ``device="cuda_standalone"`` (needs the ``brian2cuda`` package and an
  NVIDIA GPU): the same, in CUDA.

and reports where the wall-clock time went (:class:`ScalingResult`).
Brian2 is imported inside the functions: importing this module costs
nothing.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass

from ._validation import as_float, as_int, check_dt

__all__ = [
    "COBA",
    "DEVICES",
    "CobaParameters",
    "ScalingResult",
    "coba_equations",
    "neuron_steps_per_second",
    "run_coba",
]

DEVICES = ("runtime", "cpp_standalone", "cuda_standalone")
"""Ways :func:`run_coba` can run the network."""


@dataclass(frozen=True)
class CobaParameters:
    """Parameters of the COBA benchmark network, in course units."""

    membrane_capacitance: float = 200.0  # pF
    leak_conductance: float = 10.0  # nS (tau = 20 ms)
    leak_reversal: float = -60.0  # mV
    threshold: float = -50.0  # mV
    reset: float = -60.0  # mV
    refractory_period: float = 5.0  # ms
    excitatory_reversal: float = 0.0  # mV
    inhibitory_reversal: float = -80.0  # mV
    excitatory_decay_time: float = 5.0  # ms
    inhibitory_decay_time: float = 10.0  # ms
    excitatory_weight: float = 6.0  # nS
    inhibitory_weight: float = 67.0  # nS
    bias_current: float = 200.0  # pA
    inputs_per_neuron: float = 80.0  # mean number of synapses onto each neuron
    excitatory_fraction: float = 0.8


COBA = CobaParameters()
"""The benchmark's parameters."""


@dataclass(frozen=True)
class ScalingResult:
    """Where the wall-clock time of one run went (all times in s).

    Attributes
    ----------
    device : str
        ``"runtime"``, ``"cpp_standalone"`` or ``"cuda_standalone"``.
    n_neurons, n_synapses, n_steps : int
        Size of the run.
    threads : int
        OpenMP threads (standalone C++), else 1.
    total_s : float
        Wall-clock time of the whole run, from the first Brian2 object to
        the last result read back.
    codegen_s : float
        Python: building the objects and generating the code (for the
        runtime device: building the objects and creating the synapses).
    compile_s : float
        Compiling the generated C++/CUDA program (0 for the runtime device,
        and small when an unchanged program is rebuilt).
    outside_loop_s : float
        Inside the compiled program but outside the time loop: allocating the
        arrays, creating the synapses, copying them to the GPU and back, and
        writing every array (the synapses too) to disk at the end (0 for
        the runtime device).
    simulate_s : float
        The time loop itself.
    spike_count : int
        Spikes fired by all neurons together.
    duration : float
        Simulated time in ms.
    """

    device: str
    n_neurons: int
    n_synapses: int
    n_steps: int
    threads: int
    total_s: float
    codegen_s: float
    compile_s: float
    outside_loop_s: float
    simulate_s: float
    spike_count: int
    duration: float

    @property
    def neuron_steps_per_s(self) -> float:
        """Throughput of the time loop: neurons x time steps / simulate_s."""
        return neuron_steps_per_second(self.n_neurons, self.n_steps, self.simulate_s)

    @property
    def mean_rate(self) -> float:
        """Mean firing rate of all neurons in Hz."""
        return self.spike_count / self.n_neurons / (self.duration / 1000.0)

    def as_dict(self) -> dict:
        """The fields and the two derived numbers, e.g. to print or save as JSON."""
        return asdict(self) | {
            "neuron_steps_per_s": self.neuron_steps_per_s,
            "mean_rate": self.mean_rate,
        }


def neuron_steps_per_second(n_neurons, n_steps, seconds) -> float:
    """Neuron-steps per second of wall-clock time.

    Parameters
    ----------
    n_neurons : int
        Neurons simulated.
    n_steps : int
        Time steps simulated.
    seconds : float
        Wall-clock time in s (> 0).
    """
    n_neurons = as_int("n_neurons", n_neurons, minimum=1)
    n_steps = as_int("n_steps", n_steps, minimum=1)
    seconds = as_float("seconds", seconds, unit="s", positive=True)
    return n_neurons * n_steps / seconds


def coba_equations() -> str:
    """Brian2 equations of one COBA neuron (constants come from the namespace)."""
    return """
    dv/dt = (g_L*(E_L - v) + g_e*(E_e - v) + g_i*(E_i - v) + I_bias) / C_m : volt (unless refractory)
    dg_e/dt = -g_e / tau_e : siemens
    dg_i/dt = -g_i / tau_i : siemens
    """


def _namespace(p: CobaParameters) -> dict:
    from brian2 import ms, mV, nS, pA, pF

    return {
        "C_m": p.membrane_capacitance * pF, "g_L": p.leak_conductance * nS,
        "E_L": p.leak_reversal * mV, "V_th": p.threshold * mV, "V_reset": p.reset * mV,
        "E_e": p.excitatory_reversal * mV, "E_i": p.inhibitory_reversal * mV,
        "tau_e": p.excitatory_decay_time * ms, "tau_i": p.inhibitory_decay_time * ms,
        "w_e": p.excitatory_weight * nS, "w_i": p.inhibitory_weight * nS,
        "I_bias": p.bias_current * pA,
    }


def _build_network(n_neurons, p: CobaParameters, dt):
    """The Brian2 objects: (network, synapse groups, spike monitor).

    ``dt`` in ms, or None for Brian2's default clock (brian2cuda 1.0b1 needs
    the synapses on the default clock: its generated code refers to it).
    """
    import brian2 as b2

    namespace = _namespace(p)
    clock = {} if dt is None else {"dt": dt * b2.ms}
    neurons = b2.NeuronGroup(
        n_neurons, coba_equations(), threshold="v > V_th", reset="v = V_reset",
        refractory=p.refractory_period * b2.ms, method="exponential_euler",
        namespace=namespace, name="coba_neurons", **clock,
    )
    # Start anywhere between reset and threshold, so the neurons don't fire in lockstep.
    neurons.v = "V_reset + rand() * (V_th - V_reset)"
    n_excitatory = int(round(p.excitatory_fraction * n_neurons))
    probability = min(1.0, p.inputs_per_neuron / n_neurons)
    synapses = []
    for name, source, on_pre in (
        ("excitatory", neurons[:n_excitatory], "g_e_post += w_e"),
        ("inhibitory", neurons[n_excitatory:], "g_i_post += w_i"),
    ):
        group = b2.Synapses(source, neurons, on_pre=on_pre, namespace=namespace,
                            name=f"coba_{name}", **clock)
        group.connect(p=probability)
        synapses.append(group)
    spikes = b2.SpikeMonitor(neurons, record=False, name="coba_spikes")  # counts only
    return b2.Network(neurons, *synapses, spikes), synapses, spikes


def run_coba(n_neurons, duration, *, device="runtime", directory=None, threads=1, dt=0.1,
             seed=1, parameters=COBA) -> ScalingResult:
    """Run the COBA network once and measure where the time goes.

    Parameters
    ----------
    n_neurons : int
        Network size (>= 100).
    duration : float
        Simulated time in ms (> 0).
    device : {"runtime", "cpp_standalone", "cuda_standalone"}
        How Brian2 runs it (see the module docstring).
    directory : str or path, optional
        Standalone devices: where the generated program is written and
        compiled. Reusing a directory skips recompiling an unchanged program
        (default: a new temporary directory, always compiled from scratch).
    threads : int, optional
        OpenMP threads of the C++ program (``cpp_standalone`` only).
    dt : float, optional
        Time step in ms.
    seed : int, optional
        Seed of Brian2's random numbers (initial voltages, synapses).
    parameters : CobaParameters, optional
        The network's parameters.

    Returns
    -------
    ScalingResult
    """
    n_neurons = as_int("n_neurons", n_neurons, minimum=100)
    duration = as_float("duration", duration, unit="ms", positive=True)
    dt = check_dt(dt)
    threads = as_int("threads", threads, minimum=1)
    seed = as_int("seed", seed, minimum=0)
    if device not in DEVICES:
        raise ValueError(f"device must be one of {DEVICES}, but got {device!r}.")
    if device == "runtime":
        return _run_runtime(n_neurons, duration, dt, seed, parameters)
    return _run_standalone(device, n_neurons, duration, dt, seed, parameters, directory,
                           threads)


def _run_runtime(n_neurons, duration, dt, seed, parameters):
    import brian2 as b2

    from .brian import codegen_target

    device = b2.get_device()
    saved_random_state = device.get_random_state()  # Brian2 draws from numpy's global RNG
    try:
        with codegen_target("numpy"):
            start = time.perf_counter()
            b2.start_scope()
            b2.seed(seed)
            network, synapses, spikes = _build_network(n_neurons, parameters, dt)
            built = time.perf_counter()
            network.run(duration * b2.ms)
            end = time.perf_counter()
    finally:
        device.set_random_state(saved_random_state)
    return ScalingResult(
        device="runtime", n_neurons=n_neurons, n_synapses=sum(len(s) for s in synapses),
        n_steps=int(round(duration / dt)), threads=1, total_s=end - start,
        codegen_s=built - start, compile_s=0.0, outside_loop_s=0.0, simulate_s=end - built,
        spike_count=int(spikes.num_spikes), duration=duration,
    )


def _run_standalone(device_name, n_neurons, duration, dt, seed, parameters, directory, threads):
    import gc
    import tempfile
    from pathlib import Path

    from brian2.utils.filelock import FileLock

    if device_name == "cuda_standalone":
        import brian2cuda  # noqa: F401 - registers the cuda_standalone device
    if directory is None:
        directory = tempfile.mkdtemp(prefix="first_neuron_standalone_")
    directory = Path(directory)
    directory.parent.mkdir(parents=True, exist_ok=True)
    # Brian2 names the generated files after its objects and adds _1, _2 to a name
    # still in use: collect the last run's objects so that an unchanged network
    # gets the same file names, and make (not the compiler) has nothing to do.
    gc.collect()
    # Two processes (say, two notebooks under test) must not build in one folder at once.
    with FileLock(str(directory) + ".lock"):
        return _build_and_run(device_name, n_neurons, duration, dt, seed, parameters,
                              directory, threads)


def _build_and_run(device_name, n_neurons, duration, dt, seed, parameters, directory, threads):
    import brian2 as b2
    from brian2.devices.device import reset_device

    previous_threads = b2.prefs.devices.cpp_standalone.openmp_threads
    b2.prefs.devices.cpp_standalone.openmp_threads = (
        threads if device_name == "cpp_standalone" else 0)
    b2.set_device(device_name, directory=str(directory), build_on_run=True, with_output=False)
    device = b2.get_device()
    try:
        start = time.perf_counter()
        b2.start_scope()
        b2.seed(seed)
        b2.defaultclock.dt = dt * b2.ms  # a fresh standalone device has its own clock
        network, synapses, spikes = _build_network(n_neurons, parameters, None)
        network.run(duration * b2.ms)  # generate code, compile, run the program
        end = time.perf_counter()
        compile_s = sum(t or 0.0 for t in device.timers["compile"].values())
        binary_s = device.timers["run_binary"]
        simulate_s = device._last_run_time  # the time loop, measured inside the program
        n_synapses = sum(int(s.N[:]) for s in synapses)
        spike_count = int(spikes.num_spikes)
    finally:
        device.reinit()  # forget this program, so another one can be built
        reset_device()  # back to the runtime device
        b2.prefs.devices.cpp_standalone.openmp_threads = previous_threads
    total_s = end - start
    return ScalingResult(
        device=device_name, n_neurons=n_neurons, n_synapses=n_synapses,
        n_steps=int(round(duration / dt)), threads=threads if device_name == "cpp_standalone"
        else 1, total_s=total_s, codegen_s=total_s - compile_s - binary_s, compile_s=compile_s,
        outside_loop_s=binary_s - simulate_s, simulate_s=simulate_s, spike_count=spike_count,
        duration=duration,
    )

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

import dataclasses
import math
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass

from ._validation import as_float, as_int, check_dt

__all__ = [
    "COBA",
    "DEVICES",
    "CobaParameters",
    "ScalingResult",
    "break_even_duration",
    "build_coba_network",
    "build_directory",
    "coba_equations",
    "cuda_available",
    "neuron_steps_per_second",
    "overall_speedup",
    "rates_for_drives",
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

    def __post_init__(self):
        positive = {"membrane_capacitance", "leak_conductance", "refractory_period",
                    "excitatory_decay_time", "inhibitory_decay_time", "inputs_per_neuron"}
        for field in dataclasses.fields(self):
            value = as_float(field.name, getattr(self, field.name),
                             positive=field.name in positive,
                             nonnegative=field.name.endswith("weight"))
            object.__setattr__(self, field.name, value)
        if not 0 < self.excitatory_fraction < 1:
            raise ValueError("excitatory_fraction must lie between 0 and 1, but got "
                             f"{self.excitatory_fraction:g}.")
        if self.reset >= self.threshold:
            raise ValueError(f"reset ({self.reset:g} mV) must lie below threshold "
                             f"({self.threshold:g} mV).")


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


def build_directory(name):
    """A folder for a compiled standalone program, shared by every process on this machine.

    Lesson 6 and its tests build the same programs; building them in the same
    folder (one per Brian2 version) means only the first run compiles
    (:func:`run_coba` locks the folder while it builds, so two processes
    never build in it at once).

    Parameters
    ----------
    name : str
        Folder name, e.g. ``"coba_4000"``.
    """
    import tempfile
    from importlib.metadata import version
    from pathlib import Path

    # Another Brian2 version generates other code: keep its programs apart, or two
    # environments sharing a machine (the course's tests do) would recompile in turns.
    brian = f"brian2-{version('brian2')}"
    return Path(tempfile.gettempdir()) / "first_neuron_standalone" / brian / str(name)


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
    dv/dt = (g_L*(E_L - v) + g_e*(E_e - v) + g_i*(E_i - v) + I_bias) / C_m
            : volt (unless refractory)
    dg_e/dt = -g_e / tau_e : siemens
    dg_i/dt = -g_i / tau_i : siemens
    I_bias : amp (constant)
    """


def _namespace(p: CobaParameters) -> dict:
    from brian2 import ms, mV, nS, pF

    return {
        "C_m": p.membrane_capacitance * pF, "g_L": p.leak_conductance * nS,
        "E_L": p.leak_reversal * mV, "V_th": p.threshold * mV, "V_reset": p.reset * mV,
        "E_e": p.excitatory_reversal * mV, "E_i": p.inhibitory_reversal * mV,
        "tau_e": p.excitatory_decay_time * ms, "tau_i": p.inhibitory_decay_time * ms,
        "w_e": p.excitatory_weight * nS, "w_i": p.inhibitory_weight * nS,
    }


def build_coba_network(n_neurons, p: CobaParameters = COBA, dt=None):
    """The Brian2 objects of the COBA network, for whichever device is active.

    Parameters
    ----------
    n_neurons : int
        Network size; 80 % excitatory.
    p : CobaParameters, optional
        The parameters.
    dt : float, optional
        Time step in ms, or None for Brian2's default clock (brian2cuda
        1.0b1 needs the synapses on the default clock: its generated code
        refers to it).

    Returns
    -------
    (brian2.Network, brian2.NeuronGroup, list of brian2.Synapses, brian2.SpikeMonitor)
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
    # A variable, not a constant, so that a compiled program can be rerun with
    # another drive (run_args) without compiling again.
    neurons.I_bias = p.bias_current * b2.pA
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
    return b2.Network(neurons, *synapses, spikes), neurons, synapses, spikes


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
        OpenMP threads of the C++ program (``cpp_standalone`` only; 1 means
        plain C++ without OpenMP).
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
            network, _, synapses, spikes = build_coba_network(n_neurons, parameters, dt)
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


@contextmanager
def _standalone_preferences(threads):
    """Brian2's standalone preferences for one build, restored afterwards.

    ``threads`` OpenMP threads (1: plain C++ without OpenMP, no thread start-up),
    and ``make -j<cores>`` instead of Brian2's unlimited ``make -j``, which on a
    small machine starts a compiler for every file at once.
    """
    import os

    import brian2 as b2

    standalone = b2.prefs.devices.cpp_standalone
    previous = standalone.openmp_threads, standalone.extra_make_args_unix
    standalone.openmp_threads = threads if threads > 1 else 0
    standalone.extra_make_args_unix = [f"-j{os.cpu_count() or 1}"]
    try:
        yield
    finally:
        standalone.openmp_threads, standalone.extra_make_args_unix = previous


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

    with _standalone_preferences(threads if device_name == "cpp_standalone" else 1):
        b2.set_device(device_name, directory=str(directory), build_on_run=True,
                      with_output=False)
        device = b2.get_device()
        return _timed_run(device, device_name, n_neurons, duration, dt, seed, parameters,
                          threads)


def _timed_run(device, device_name, n_neurons, duration, dt, seed, parameters, threads):
    import brian2 as b2
    from brian2.devices.device import reset_device

    try:
        start = time.perf_counter()
        b2.start_scope()
        b2.seed(seed)
        b2.defaultclock.dt = dt * b2.ms  # a fresh standalone device has its own clock
        network, _, synapses, spikes = build_coba_network(n_neurons, parameters, None)
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
    total_s = end - start
    return ScalingResult(
        device=device_name, n_neurons=n_neurons, n_synapses=n_synapses,
        n_steps=int(round(duration / dt)), threads=threads if device_name == "cpp_standalone"
        else 1, total_s=total_s, codegen_s=total_s - compile_s - binary_s, compile_s=compile_s,
        outside_loop_s=binary_s - simulate_s, simulate_s=simulate_s, spike_count=spike_count,
        duration=duration,
    )


def rates_for_drives(n_neurons, duration, drives, *, directory, threads=1, dt=0.1, seed=1,
                     parameters=COBA):
    """Compile the C++ program once, then rerun it with other bias currents (``run_args``).

    Brian2 writes the values set in Python (such as ``I_bias``) into the
    compiled program; ``device.run(run_args={neurons.I_bias: ...})`` replaces
    them when the program starts, so a parameter sweep needs one compilation,
    not one per value.

    Parameters
    ----------
    n_neurons : int
        Network size (>= 100).
    duration : float
        Simulated time per run, in ms.
    drives : sequence of float
        Bias currents in pA, one run each.
    directory : str or path
        Where the program is built (reused: an unchanged program is not recompiled).
    threads : int, optional
        OpenMP threads.
    dt : float, optional
        Time step in ms.
    seed : int, optional
        Seed of Brian2's random numbers.
    parameters : CobaParameters, optional
        The network's parameters (``bias_current`` is replaced by each drive).

    Returns
    -------
    (numpy.ndarray, float, list of float)
        Mean rate in Hz for each drive; compile time in s; wall-clock time of
        each run in s.
    """
    import gc
    from contextlib import ExitStack
    from pathlib import Path

    import brian2 as b2
    import numpy as np
    from brian2.devices.device import reset_device
    from brian2.utils.filelock import FileLock

    n_neurons = as_int("n_neurons", n_neurons, minimum=100)
    duration = as_float("duration", duration, unit="ms", positive=True)
    drives = [as_float("drive", d, unit="pA") for d in drives]
    directory = Path(directory)
    directory.parent.mkdir(parents=True, exist_ok=True)
    gc.collect()  # see _run_standalone: stable file names, nothing to recompile
    with FileLock(str(directory) + ".lock"), ExitStack() as stack:
        stack.enter_context(_standalone_preferences(as_int("threads", threads, minimum=1)))
        b2.set_device("cpp_standalone", directory=str(directory), build_on_run=False)
        device = b2.get_device()
        try:
            b2.start_scope()
            b2.seed(as_int("seed", seed, minimum=0))
            b2.defaultclock.dt = check_dt(dt) * b2.ms
            network, neurons, _, spikes = build_coba_network(n_neurons, parameters, None)
            network.run(duration * b2.ms)  # only recorded: nothing runs yet
            device.build(directory=str(directory), run=False, with_output=False)
            compile_s = sum(t or 0.0 for t in device.timers["compile"].values())
            rates, run_times = [], []
            for drive in drives:
                start = time.perf_counter()
                device.run(run_args={neurons.I_bias: drive * b2.pA}, with_output=False)
                run_times.append(time.perf_counter() - start)
                rates.append(int(spikes.num_spikes) / n_neurons / (duration / 1000.0))
        finally:
            device.reinit()
            reset_device()
    return np.array(rates), compile_s, run_times


def cuda_available() -> tuple[bool, str]:
    """Whether Brian2CUDA can run here, and why not if it can't.

    Looks for the ``brian2cuda`` package, the CUDA compiler ``nvcc`` and a GPU
    (``nvidia-smi -L``), without importing Brian2CUDA.
    """
    import importlib.util
    import shutil
    import subprocess

    if importlib.util.find_spec("brian2cuda") is None:
        return False, "the brian2cuda package is not installed"
    if shutil.which("nvcc") is None:
        return False, "the CUDA compiler nvcc is not on the PATH"
    smi = shutil.which("nvidia-smi")
    if smi is None:
        return False, "nvidia-smi is missing: no NVIDIA driver"
    listing = subprocess.run([smi, "-L"], capture_output=True, text=True, timeout=30)
    if listing.returncode != 0 or "GPU" not in listing.stdout:
        return False, "nvidia-smi lists no GPU"
    return True, listing.stdout.strip().splitlines()[0]


def break_even_duration(compile_seconds, runtime_rate, standalone_rate, n_neurons, dt):
    """Simulated time (ms) beyond which compiling first pays off.

    Runtime needs W / r_runtime seconds for W neuron-steps; standalone needs
    compile + W / r_standalone. They are equal at W = compile / (1/r_runtime -
    1/r_standalone) neuron-steps, i.e. at W dt / n_neurons ms of simulated time.

    Parameters
    ----------
    compile_seconds : float
        Compilation time in s (>= 0).
    runtime_rate, standalone_rate : float
        Throughputs in neuron-steps per s (> 0).
    n_neurons : int
        Network size.
    dt : float
        Time step in ms.

    Returns
    -------
    float
        Simulated ms; ``inf`` if standalone is not faster per step.
    """
    compile_seconds = as_float("compile_seconds", compile_seconds, unit="s", nonnegative=True)
    runtime_rate = as_float("runtime_rate", runtime_rate, positive=True)
    standalone_rate = as_float("standalone_rate", standalone_rate, positive=True)
    n_neurons = as_int("n_neurons", n_neurons, minimum=1)
    dt = check_dt(dt)
    saving_per_step = 1.0 / runtime_rate - 1.0 / standalone_rate  # s per neuron-step
    if saving_per_step <= 0:
        return math.inf
    return compile_seconds / saving_per_step * dt / n_neurons


def overall_speedup(outside_loop_seconds, loop_seconds, loop_speedup):
    """Amdahl's law: how much faster the whole run gets when only the loop gets faster.

    Parameters
    ----------
    outside_loop_seconds : float
        Time that does not speed up (compiling, building synapses, writing), s.
    loop_seconds : float
        Time of the part that speeds up, s.
    loop_speedup : float
        Factor by which that part gets faster (> 0).

    Returns
    -------
    float
        (outside + loop) / (outside + loop / loop_speedup).
    """
    outside = as_float("outside_loop_seconds", outside_loop_seconds, unit="s", nonnegative=True)
    loop = as_float("loop_seconds", loop_seconds, unit="s", nonnegative=True)
    factor = as_float("loop_speedup", loop_speedup, positive=True)
    if outside + loop == 0:
        raise ValueError("outside_loop_seconds and loop_seconds are both 0: nothing to speed up.")
    return (outside + loop) / (outside + loop / factor)

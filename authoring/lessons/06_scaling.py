# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Lesson 6 (optional): Scaling up, from Python to C++ and GPUs
#
# Lesson 4 wrote neurons and networks as equations in Brian2, which turns
# them into program code and runs it: **code generation**, writing the
# program from the equations instead of by hand. So far a few thousand neurons were plenty.
# This lesson asks what it takes to simulate a network a hundred or a
# thousand times larger, and where the time goes when you try: in Python,
# in the compiler, in building the synapses, or in the simulation itself.
#
# **You will understand**
#
# - why a simulator's speed is counted in *neuron-steps per second*, and
#   why small networks waste most of it;
# - what Brian2's **runtime** mode and its **C++ standalone** mode do
#   differently, and when compiling first pays off;
# - how to rerun a compiled simulation with new parameters without
#   compiling again;
# - what a GPU adds, and why a faster simulation loop can leave the whole
#   run almost as slow as before (Amdahl's law).
#
# **Programming goals:** timing the phases of a program separately; Brian2
# devices (`set_device`, `device.build`, `device.run(run_args=...)`,
# `device.reinit()`, `device.activate()`).
#
# **Time:** about 45 minutes; one cell compiles C++ and takes up to a
# minute the first time (say so to the room and start it early).
# **Prerequisites:** Lessons 3 (networks) and 4 (Brian2).
#
# *Optional:* nothing later builds on this lesson.

# %% [markdown]
# ## 1. One network, written once
#
# Our test network is the *conductance-based* (COBA) network of Vogels &
# Abbott (2005), in the form used to compare simulators by Brette et al.
# (2007): 80 % excitatory and 20 % inhibitory leaky integrate-and-fire
# neurons ($C$ = 200 pF, $g_L$ = 10 nS) whose synapses open conductances
# of 6 nS (excitatory, decaying in 5 ms) and 67 nS (inhibitory, 10 ms).
# Two changes make it a fair test at any size: every neuron receives on
# average 80 synapses, as in the original 4000-neuron network (so the work
# per neuron stays the same as the network grows), and a constant bias
# current of 200 pA keeps it active.
#
# The network is written once, in `course_utils.scaling`, without saying
# how it will be run:

# %% [markdown] tags=["notes"]
# (5 min) Show the equations and the building function; point out that
# nothing in them says "Python", "C++" or "GPU". Define a neuron-step.

# %%
import inspect
import math

import numpy as np

from course_utils import scaling
from course_utils.checks.scaling import (
    check_break_even_duration,
    check_overall_speedup,
    check_throughput,
)
from course_utils.plotting import COLORS, describe, label_axes, new_figure, style

print(scaling.coba_equations())
print(inspect.getsource(scaling.build_coba_network))

# %% [markdown]
# A simulation with $N$ neurons that runs for $T$ ms in steps of
# $\Delta t$ updates every neuron $T/\Delta t$ times: $N\,T/\Delta t$
# **neuron-steps**. Dividing by the wall-clock seconds it took gives a
# speed that we can compare between networks of different size and
# between simulators. (The synapses cost work too; here each neuron has 80
# of them, whatever the size, so neuron-steps are a fair unit.)
#
# ### Exercise 6.1: neuron-steps per second
#
# Write `throughput(n_neurons, duration, dt, seconds)`: neuron-steps per
# second of wall-clock time, for `duration` and `dt` in ms and `seconds`
# in s.

# %% tags=["exercise"] minutes=3
def throughput(n_neurons, duration, dt, seconds):
    """Neuron-steps per second of wall-clock time."""
    ...


# %% tags=["solution"]
def throughput(n_neurons, duration, dt, seconds):
    """Neuron-steps per second of wall-clock time."""
    n_steps = round(duration / dt)
    return n_neurons * n_steps / seconds


# %% tags=["check"]
check_throughput(throughput)

# %% [markdown]
# ## 2. Runtime mode: Python between every step
#
# In its default **runtime** mode, Brian2 generates code for each part of
# the model (integrate the equations, check the
# [threshold](../glossary.md#threshold), reset, deliver
# spikes through the synapses) and Python calls these pieces, one after the
# other, on every time step. Here the generated code is numpy code, which
# needs no compiler.

# %% [markdown] tags=["notes"]
# (8 min) Ask for the prediction first. Then run: the small network is
# dominated by the fixed cost of each step, so its neuron-steps/s is low;
# the larger ones amortise it.

# %% [markdown] tags=["predict"]
# **Predict.** We run 100 ms (1000 steps) of networks of 500, 2000 and
# 8000 neurons. The largest has 16 times more work. Will it take 16 times
# longer than the smallest?

# %%
# NBVAL_IGNORE_OUTPUT
SIZES = [500, 2000, 8000]
DURATION = 100.0  # ms
runtime_runs = [scaling.run_coba(n, DURATION, device="runtime") for n in SIZES]
print("device    neurons   synapses   loop (s)   neuron-steps/s   mean rate (Hz)")
for run in runtime_runs:
    print(f"runtime {run.n_neurons:9d} {run.n_synapses:10d} {run.simulate_s:9.2f} "
          f"{throughput_in_use(run.n_neurons, DURATION, 0.1, run.simulate_s):16.3g} "
          f"{run.mean_rate:14.1f}")

# %% [markdown]
# Sixteen times the work takes far less than sixteen times as long: every
# step has a fixed cost (Python calling each piece of generated code)
# that does not depend on the size. Large networks spread it over more
# neurons. (Your numbers depend on your machine and on what else it is
# doing: timings are never exactly the same twice.)

# %% [markdown]
# ## 3. C++ standalone: compile once, run without Python
#
# In **standalone** mode Brian2 does not run anything while your Python
# code builds the network. It writes one complete C++ program (the
# network, the time loop, everything), compiles it, and runs it. No
# Python is involved between steps. You switch it on *before* building
# the network:
#
# ```python
# from brian2 import set_device, prefs, device
# set_device("cpp_standalone", directory="coba_program")  # builds at the first run()
# prefs.devices.cpp_standalone.openmp_threads = 4          # spread steps over 4 cores
# ...build the network...
# run(100 * ms)            # writes the C++ code, compiles it, runs it
# device.reinit()          # forget this program ...
# device.activate()        # ... and start recording a new one
# ```
#
# What changes for you:
#
# - **compile once**: the first run pays for the compiler; a later run of
#   an unchanged program in the same `directory` skips it (`make` sees that
#   nothing changed);
# - **no Python between steps**: a `network_operation` (Python code
#   called during the run) is not possible, and variables can be read only
#   after the run;
# - one program per script: to build a second network in the same Python
#   session, call `device.reinit()` and `device.activate()` (and set
#   `defaultclock.dt` again);
# - **OpenMP threads**: `openmp_threads` spreads the work of each step over
#   several processor cores.
#
# `scaling.run_coba(..., device="cpp_standalone")` does exactly this and
# times each phase: generating the code (Python), compiling, the program's
# work outside the time loop (creating the synapses, writing the results to
# disk) and the loop itself.

# %% [markdown] tags=["notes"]
# (12 min) Start the next cell now: it compiles two C++ programs, up to a
# minute on a laptop (the second time it runs in seconds: the programs are
# kept). While it runs, go through the list above.

# %% [markdown] tags=["predict"]
# **Predict.** Including the compiler, will C++ beat Python for 100 ms of a
# 2000-neuron network? And for the time loop alone?
#
# *The next cell is the one slow cell of the course: the first time, it
# compiles two C++ programs (up to a minute on a laptop; a second run takes
# seconds, as the programs are kept). Start it, then make your prediction
# while it works.*

# %%
# NBVAL_IGNORE_OUTPUT
# OpenMP threads. 1 means plain C++; on your own computer try the number of its cores
# (the course's test machine has 2 cores shared by two test workers, where threads
# would only wait for each other).
THREADS = 1
cpp_runs = [scaling.run_coba(n, DURATION, device="cpp_standalone", threads=THREADS,
                             directory=scaling.build_directory(f"coba_{n}"))
            for n in SIZES[1:]]
print("device           neurons  total (s)  codegen  compile  outside loop  loop  "
      "neuron-steps/s")
for run in runtime_runs[1:] + cpp_runs:
    print(f"{run.device:15s} {run.n_neurons:8d} {run.total_s:10.2f} {run.codegen_s:8.2f} "
          f"{run.compile_s:8.2f} {run.outside_loop_s:13.2f} {run.simulate_s:5.2f} "
          f"{throughput_in_use(run.n_neurons, DURATION, 0.1, run.simulate_s):15.3g}")

# %%
# NBVAL_IGNORE_OUTPUT
# Each phase a colour and a hatch: the hatch tells them apart without colour.
phases = [("codegen_s", "Python: build and generate", "data", ""),
          ("compile_s", "compile", "accent", "//"),
          ("outside_loop_s", "program, outside the loop", "reference", ".."),
          ("simulate_s", "time loop", "model", "xx")]
runs = runtime_runs[1:] + cpp_runs
labels = [f"{r.device.replace('_standalone', '')}\n{r.n_neurons} neurons" for r in runs]
figure, ax = new_figure(figsize=(7.0, 3.2))
bottom = np.zeros(len(runs))
for field, name, meaning, hatch in phases:
    seconds = np.array([getattr(r, field) for r in runs])
    ax.bar(labels, seconds, bottom=bottom, label=name, color=COLORS[meaning], hatch=hatch,
           edgecolor="white")
    bottom += seconds
ax.legend(loc="upper left")
label_axes(ax, "", "wall-clock time (s)", "Where the time goes, 100 ms of the COBA network")
describe(figure, "Stacked bars of wall-clock time, split into Python code generation, compiling, "
         "the C++ program outside its loop and the time loop, for runtime and C++ runs at 2000 "
         "and 8000 neurons: the C++ time loops are the shortest parts.")

# %% [markdown]
# The C++ time loop is faster; whether the *whole* run is faster depends
# on how long you simulate, because compiling costs the same for 100 ms as
# for an hour of simulated time. Run the two cells above again: the
# programs are already compiled, and the compile bars shrink to almost
# nothing.
#
# ### Exercise 6.2: when does compiling pay off?
#
# Write `break_even_duration(compile_seconds, runtime_rate,
# standalone_rate, n_neurons, dt)`: the simulated time (ms) beyond which
# compiling first is faster overall. Runtime needs $W/r_\text{runtime}$
# seconds for $W$ neuron-steps; standalone needs
# $t_\text{compile} + W/r_\text{standalone}$. Return `math.inf` when the
# compiled loop is not faster per step (compiling never pays off).

# %% tags=["exercise"] minutes=6
def break_even_duration(compile_seconds, runtime_rate, standalone_rate, n_neurons, dt):
    """Simulated ms beyond which compiling first is faster overall."""
    ...


# %% tags=["solution"]
def break_even_duration(compile_seconds, runtime_rate, standalone_rate, n_neurons, dt):
    """Simulated ms beyond which compiling first is faster overall."""
    saving = 1.0 / runtime_rate - 1.0 / standalone_rate  # s saved per neuron-step
    if saving <= 0:
        return math.inf
    neuron_steps = compile_seconds / saving
    return neuron_steps / n_neurons * dt


# %% tags=["check"]
check_break_even_duration(break_even_duration)

# %%
# NBVAL_IGNORE_OUTPUT
first_cpp, same_runtime = cpp_runs[0], runtime_runs[1]  # both 2000 neurons
# The extra fixed cost of standalone: everything but the loop, beyond what runtime needs.
extra = ((first_cpp.total_s - first_cpp.simulate_s)
         - (same_runtime.total_s - same_runtime.simulate_s))
when = break_even_duration_in_use(max(extra, 0.0), same_runtime.neuron_steps_per_s,
                                  first_cpp.neuron_steps_per_s, first_cpp.n_neurons, 0.1)
if math.isfinite(when):
    print(f"{first_cpp.n_neurons} neurons: {extra:.1f} s of extra fixed cost is won back "
          f"after {when / 1000:.3g} s of simulated time")
else:
    print("here the compiled loop was not faster: compiling never pays off")

# %% [markdown]
# ### Rerun without recompiling: `run_args`
#
# Every value set in Python (here the bias current `I_bias`) is written
# into the compiled program. To try another value you would change the
# code and compile again, unless you build without running and pass new
# values when the program starts:
#
# ```python
# set_device("cpp_standalone", directory="coba_program", build_on_run=False)
# ...build the network...
# run(100 * ms)                        # only recorded
# device.build(run=False)              # write and compile, don't run
# for drive in [100, 150, 200, 300]:
#     device.run(run_args={neurons.I_bias: drive * pA})   # no compiler
#     ...read the results...
# ```
#
# `scaling.rates_for_drives` does that: a virtual experiment on the whole
# network, one compilation, four runs.

# %%
# NBVAL_IGNORE_OUTPUT
drives = [100.0, 150.0, 200.0, 300.0]  # pA
network_rates, compile_s, run_times = scaling.rates_for_drives(
    2000, DURATION, drives, threads=THREADS, directory=scaling.build_directory("coba_2000"))
print(f"compiled once ({compile_s:.1f} s; close to 0 if this program was built before), "
      f"then {len(drives)} runs of {np.mean(run_times):.2f} s each")
figure, ax = new_figure(figsize=(5.5, 3.0))
ax.plot(drives, network_rates, **style("model", markers=True))
label_axes(ax, "bias current (pA)", "mean rate (Hz)", "Network rate against drive, one compile")
describe(figure, "Mean firing rate of the 2000-neuron network for bias currents of 100 to "
         "300 pA: silent at 100 pA, about 20 Hz from 150 pA on, barely rising after that.")
for drive, rate in zip(drives, network_rates, strict=True):
    print(f"{drive:5.0f} pA: {rate:5.1f} Hz")

# %% [markdown]
# At 100 pA the free membrane settles at $-60 + 100/10 = -50$ mV, exactly
# the threshold, which it approaches but never crosses: the network stays
# silent. Above it, the rate hardly depends on the drive: more drive means
# more excitatory spikes, but also more inhibitory ones, which take most of
# it back. The network *balances* itself (Lesson 3's Project (a) met this).

# %% [markdown]
# ## 4. On a GPU: Brian2CUDA
#
# **Brian2CUDA** (Alevi et al. 2022) is a third device,
# `set_device("cuda_standalone")`: the same program, with the time loop
# running on an NVIDIA graphics card (GPU), which updates thousands of
# neurons at once. The next cell runs it if this machine has a GPU and the
# `brian2cuda` package, and otherwise says why it skips.

# %% [markdown] tags=["notes"]
# (12 min) Most rooms have no GPU: the cell says so. Spend the time on the
# measured numbers below and on Exercise 6.3: the 216 s run whose loop took
# 1.8 s is the whole story of Amdahl's law.

# %%
available, reason = scaling.cuda_available()
if available:
    gpu_run = scaling.run_coba(400_000, 100.0, device="cuda_standalone",
                               directory=scaling.build_directory("coba_cuda_400000"))
    print(gpu_run.as_dict())
else:
    print(f"Skipping the GPU run: {reason}. The measured numbers below are from a GPU machine.")

# %% [markdown]
# **Measured elsewhere** (the same network; neuron-steps/s of the time
# loop; whole program in wall-clock seconds):
#
# - **C++ standalone, 16 OpenMP threads**, 400,000 neurons (32 M synapses),
#   1 s simulated: **2.1 × 10⁸** neuron-steps/s; whole run 23.8 s (0.5 s
#   generating code, 2.4 s compiling, 2.2 s outside the loop, 18.8 s loop).
#   Measured for this lesson on 28 Nov 2026 on the 16-core host of an H200
#   GPU machine, brian2 2.10.1, with `benchmarks/scaling_devices.py`.
# - **C++ standalone, 16 threads**, 0.4 M and 2 M neurons: 1.9 × 10⁸
#   neuron-steps/s (reported in the course's issue tracker).
# - **Brian2CUDA 1.0b1 on one H200 GPU** (same report): **4.7 × 10⁹**
#   neuron-steps/s at 400,000 neurons and **1.1 × 10¹⁰** at 2,000,000
#   (160 M synapses, 1 s simulated); that whole run took **216 s**, of
#   which about 30 s compiling and 1.8 s in the loop.
#
# The GPU's loop is 20-50 times faster than sixteen CPU cores, and yet the
# 2-million-neuron run took 216 s, of which the loop was less than 1 %.
# Where did the other ~184 s go? Not into the compiler (30 s). The C++
# program needed 2.2 s outside its loop for 0.4 M neurons (creating 32 M
# synapses and writing 540 MB of results), so five times more synapses
# should cost roughly ten seconds on the host, not three minutes. Reading
# the code that Brian2CUDA 1.0b1 generates points to its preparation of the
# synapses before the loop: for a network without synaptic delays (ours),
# it groups the synapses by presynaptic neuron on the host, in one thread,
# and then copies the synapse list of *each presynaptic neuron* to the GPU
# with its own `cudaMemcpy` call: 2 million small copies for 2 million
# neurons. Each such call waits for the GPU and costs microseconds at best
# (far more on a virtualised machine), so the copies alone can take from
# tens of seconds to minutes. Its program
# prints how long preparing each synapse group took ("initialisation
# took"), and `benchmarks/scaling_devices.py` keeps those lines. We could
# not confirm the explanation with a measurement: on 28 Nov 2026 our first
# GPU run failed to compile (below) and no GPU was available for a second
# one. Treat it as a hypothesis to test: if it is right, the time outside
# the loop grows in proportion to the number of neurons, not of synapses.
#
# Two practical lessons from that attempt: Brian2CUDA 1.0b1 needs brian2
# 2.10.1 exactly, and with CUDA 13 its generated code compiles only as
# C++17 (its makefile template and Brian2's default compiler flags both
# say `-std=c++11`); and its generated synapse code refers to Brian2's
# default clock, so every object must run on `defaultclock` (giving the
# synapses their own `dt` fails with "identifier defaultclock is
# undefined"). `course_utils.scaling` does this for you.

# %% [markdown]
# ### Exercise 6.3: Amdahl's law
#
# Write `overall_speedup(outside_loop_seconds, loop_seconds, loop_speedup)`:
# how many times faster the whole run gets when only the loop becomes
# `loop_speedup` times faster (Amdahl 1967).

# %% tags=["exercise"] minutes=4
def overall_speedup(outside_loop_seconds, loop_seconds, loop_speedup):
    """Speedup of the whole run when only the loop speeds up."""
    ...


# %% tags=["solution"]
def overall_speedup(outside_loop_seconds, loop_seconds, loop_speedup):
    """Speedup of the whole run when only the loop speeds up."""
    before = outside_loop_seconds + loop_seconds
    after = outside_loop_seconds + loop_seconds / loop_speedup
    return before / after


# %% tags=["check"]
check_overall_speedup(overall_speedup)

# %%
outside, loop = 216.0 - 1.8, 1.8  # s, the 2 M-neuron GPU run
for factor in (10.0, 1000.0):
    print(f"a {factor:g}x faster loop makes the whole run "
          f"{overall_speedup_in_use(outside, loop, factor):.4f}x faster")
print(f"halving the time outside the loop instead: {(outside + loop) / (outside / 2 + loop):.2f}x "
      "faster")

# %% [markdown]
# For that run, no GPU in the world could make it more than 0.8 % faster;
# halving the preparation would make it almost twice as fast. Measure
# before you optimise, and measure the phases separately.
#
# ### Think
#
# You want to simulate (a) 1000 neurons for 2 s, forty times with different
# parameters; (b) 100,000 neurons for 10 minutes of biological time;
# (c) 2 million neurons for 1 s. Which device would you choose for each,
# and what would you measure first?

# %% [markdown] tags=["answer"]
# **Answer.** (a) One compiled standalone program, rerun forty times with
# `run_args`: 1000 neurons x 20,000 steps is 2 × 10⁷ neuron-steps, 2-20 s
# per run in runtime mode at the 10⁶-10⁷ neuron-steps/s measured above for
# small networks, so forty runs take minutes; compiled once, each run's loop
# takes about a second. (For one or two runs, runtime mode is simpler.) (b) C++
# standalone with OpenMP: 100,000 x 6 × 10⁶ steps = 6 × 10¹¹ neuron-steps,
# about an hour at 2 × 10⁸ per second, where a 10 s compile is nothing; a
# GPU would cut the loop to minutes, and here the loop dominates, so it is
# worth it. (c) For 1 s of 2 million neurons the GPU's loop takes seconds
# but the preparation minutes: measure the phases first (compile, synapse
# creation, loop); a 16-core C++ run takes about 2 × 10⁶ x 10⁴ / (2 × 10⁸)
# = 100 s of loop plus its own preparation, so it may well be as fast.

# %% [markdown]
# ## Summary
#
# - Count simulator speed in **neuron-steps per second**; small networks
#   pay a fixed cost per step (in runtime mode, Python's).
# - **Runtime** mode: Python drives every step; no compiler, immediate
#   results, Python code can run during the simulation.
# - **C++ standalone**: one compiled program, no Python between steps,
#   OpenMP threads; compile once (`directory` kept), rebuild with
#   `device.reinit()` / `device.activate()`, rerun with new values via
#   `device.run(run_args={...})`.
# - Compiling pays off beyond a break-even duration:
#   $t_\text{compile} / (1/r_\text{runtime} - 1/r_\text{standalone})$
#   neuron-steps.
# - **Brian2CUDA** runs the loop on a GPU, 10⁹-10¹⁰ neuron-steps/s, but a
#   whole run is only as fast as its slowest phase (Amdahl's law):
#   measure each phase.

# %% [markdown] tags=["notes"]
# (3 min) Recap with the stacked-bar figure on screen.

# %% [markdown]
# ## Further reading
#
# - Brian2 documentation, "Computational methods and efficiency" (runtime
#   and standalone modes, `run_args`, OpenMP):
#   <https://brian2.readthedocs.io/en/stable/user/computation.html>.
# - M. Stimberg, R. Brette, D. F. M. Goodman (2019), Brian 2, an intuitive
#   and efficient neural simulator. *eLife* 8:e47314.
# - D. Alevi, M. Stimberg, H. Sprekeler, K. Obermayer, M. Augustin (2022),
#   Brian2CUDA: flexible and efficient simulation of spiking neural
#   network models on GPUs. *Frontiers in Neuroinformatics* 16:883700.
# - R. Brette et al. (2007), Simulation of networks of spiking neurons: a
#   review of tools and strategies. *Journal of Computational Neuroscience*
#   23:349-398 (benchmark 1 is this lesson's network).
# - T. P. Vogels, L. F. Abbott (2005), Signal propagation and logic gating
#   in networks of integrate-and-fire neurons. *Journal of Neuroscience*
#   25:10786-10795.
# - G. M. Amdahl (1967), Validity of the single processor approach to
#   achieving large scale computing capabilities. *AFIPS Conference
#   Proceedings* 30:483-485.
# - *Neuronal Dynamics* (Gerstner et al. 2014), chapter 12 (networks):
#   <https://neuronaldynamics.epfl.ch/online/>.

# %% [markdown] tags=["notes"]
# (1 min) The Brian2 computation page is the one to read before scaling
# up a real model.

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
# # Lesson 4: Brian2
#
# So far you wrote every simulation loop yourself. [Brian2](https://briansimulator.org)
# turns that around: you write the **equations, with their units**, and
# Brian2 writes the loop. In this lesson you rebuild the LIF neuron of
# Lesson 3 in Brian2, put it side by side with the course's own solver until
# the two agree to the last bit, and then use Brian2 for models that are
# tedious by hand: a Hodgkin-Huxley neuron with real spikes, and
# Izhikevich's two-variable neuron with its bursting and chattering cells.
#
# **What you will understand about neurons**
#
# - why two simulators that compute the same
#   [membrane potential](../glossary.md#membrane-potential) can still
#   disagree about *when* a spike happened, and how to compare spike times
#   across simulators;
# - how the integration method and the time step set the error of a
#   simulated membrane potential;
# - what a LIF neuron cannot do that a Hodgkin-Huxley neuron does: a spike
#   with a shape, a [threshold](../glossary.md#threshold) that moves, a jump in the [f-I
#   curve](../glossary.md#f-i-curve), a
#   [depolarisation block](../glossary.md#depolarisation-block);
# - how two variables and four numbers (Izhikevich's a, b, c, d) give
#   regular spiking, bursting, chattering and fast-spiking cells, and what
#   those numbers do and do not mean physically;
# - (optional) why networks are compared by their statistics, not spike by
#   spike.
#
# **Programming goals**
#
# - write a model as Brian2 equations with units, set its initial state,
#   run it and read its monitors back into plain numbers;
# - recognise and fix the classic Brian2 mistakes: no initial value, a
#   current declared in volts, a sign flipped on its way in from a slider;
# - put many neurons with different parameters in one `NeuronGroup` and
#   run them at once;
# - know what [code generation](../glossary.md#code-generation), compilation
#   and caching cost on a first run.
#
# **Time.** The core path (sections 1-7) takes about 90 minutes; the
# estimate assumes you did Lessons 2 and 3, spend about 5 minutes on each
# scaffolded exercise and 2-3 minutes on each explorer, and that cells run
# in a few seconds as they do on a laptop. "Time so far" markers follow each
# section. Optional: section 8 (a network, ~20 min), the challenge (~15
# min) and the two projects (~45 min). **Prerequisites:** Lesson 2 (the
# passive membrane) and Lesson 3 (the LIF neuron and the E-I network).
#
# **Where Brian2 comes from.** Brian was written by Dan Goodman and Romain
# Brette (2008) so that a model could be written the way it is printed in
# a paper; Brian2 (Stimberg, Brette & Goodman 2019, *eLife* 8:e47314) added
# code generation for several targets, from numpy to C++ and, with
# Brian2CUDA, graphics cards.

# %% [markdown]
# ## Units and imports

# %% [markdown] tags=["notes"]
# (3 min) Brian2 carries units with every number; the course works in plain
# numbers in ms, mV, pA. Show the two conversions (multiply going in, divide
# coming out) and the DimensionMismatchError: unit mistakes become errors.

# %% [markdown]
# The course works in plain numbers: ms, mV, pA, nS, pF. Brian2 works with
# **quantities**: a number and a unit together, `200*pF`. We convert at the
# border: multiply by the unit going in (`300 * pA`), divide by it coming out
# (`monitor.v / mV`). Dividing strips the unit and gives plain numbers in
# that unit.
#
# Brian2 turns your equations into code for a **target** (the language the
# generated program is written in). We use the `"numpy"` target: nothing to
# compile, so the first run starts quickly.

# %%
import time

import numpy as np
from brian2 import (
    DimensionMismatchError,
    Hz,
    Network,
    NeuronGroup,
    PoissonInput,
    PopulationRateMonitor,
    SpikeMonitor,
    StateMonitor,
    Synapses,
    TimedArray,
    defaultclock,
    ms,
    mV,
    nS,
    pA,
    pF,
    prefs,
    run,
    seed,
    start_scope,
)
from scipy import stats

prefs.codegen.target = "numpy"

from course_utils.analysis import cv_of_isi, firing_rate, interspike_intervals, spike_shapes
from course_utils.brian import (
    hh_equations,
    run_brian_hh,
    run_brian_lif,
    spike_steps,
)
from course_utils.checks.brian import (
    check_fixed_lif,
    check_integration_error,
    check_izhikevich_rheobase,
    check_lif_equations,
    check_matched_run,
    check_offset_prediction,
)
from course_utils.inputs import step_current, time_grid
from course_utils.interactive import show, trace_figure
from course_utils.networks import simulate_ei_network
from course_utils.neurons import (
    IZHIKEVICH_CELL_NAMES,
    IZHIKEVICH_CELL_TYPES,
    izhikevich_resting_potential,
    lif_firing_rate,
    lif_rheobase,
    passive_step_response,
    simulate_adex,
    simulate_izhikevich,
    simulate_lif,
)
from course_utils.plotting import (
    COLORS,
    describe,
    label_axes,
    new_figure,
    plot_voltage,
    raster,
    style,
)
from course_utils.widgets import brian_lif_explorer, integration_explorer, izhikevich_explorer

# %% [markdown]
# ### Units are checked
#
# Every quantity carries its dimension, and Brian2 refuses to add apples and
# pears. That is the whole point: a unit mistake becomes an error message
# instead of a silently wrong figure.

# %%
g_leak, e_leak, v_now = 10 * nS, -65 * mV, -70 * mV
leak_current = g_leak * (e_leak - v_now)  # nS * mV: Brian2 knows this is a current
print("g_L (E_L - V) =", leak_current, f"= {float(leak_current / pA):.1f} pA")
print("tau = C / g_L =", 200 * pF / g_leak)
try:
    10 * mV + 5 * pA
except DimensionMismatchError as error:
    print("Brian2 says:", error)

# %% [markdown]
# ## 1. The LIF neuron in Brian2

# %% [markdown] tags=["notes"]
# (12 min) The equation string: one line per variable, each ending in its
# unit; parameters; the `(unless refractory)` flag; the namespace. Exercise
# 4.1 (5 min). Then run it: initial state, monitors, run; point at v(0) in
# the figure.

# %% [markdown]
# The LIF neuron of Lesson 3:
#
# $$C_m \frac{dv}{dt} = g_L (E_L - v) + I_\text{inj}, \qquad
# v \ge V_\text{th} \Rightarrow \text{spike},\; v \leftarrow V_\text{reset},\;
# \text{hold for } t_\text{ref}.$$
#
# Brian2 reads equations from a string, one per line, each ending in
# `: unit`, the unit of the variable that line defines. Lesson 1's synaptic
# conductance, for example, is
#
# ```
# dg/dt = -g/tau_syn : siemens
# ```
#
# A line like `I_inj : amp` (no `d/dt`) declares a **parameter**: a
# variable of each neuron that stays as you set it. A flag in brackets
# after the unit changes how a variable is treated: `(unless refractory)`
# keeps it still during the [refractory period](../glossary.md#refractory-period) (the time after
# a spike in
# which the neuron cannot fire again). Constants such as `C_m`
# are not declared in the string; they come with their units from a
# `namespace` dictionary.

# %% [markdown]
# ### Exercise 4.1: the equations, with units
#
# Write the LIF neuron as a string `lif_equations`: the membrane potential
# `v` in volt, held still while the neuron is refractory, and a current
# `I_inj` in amp that we can set. Use the names `C_m`, `g_L` and `E_L` for
# the constants.

# %% tags=["exercise"] minutes=5
lif_equations = ...

# %% tags=["solution"]
lif_equations = """
dv/dt = (g_L*(E_L - v) + I_inj)/C_m : volt (unless refractory)
I_inj : amp
"""

# %% tags=["check"]
check_lif_equations(lif_equations)

# %% [markdown]
# ### Running it
#
# A `NeuronGroup` takes the equations, and threshold and reset as strings
# too. Being explicit about the `namespace` means no stray notebook
# variable can leak into the model. Then: **set the initial state**, set
# the current, attach monitors, run.

# %%
neuron = dict(
    membrane_capacitance=200.0,  # pF
    leak_conductance=10.0,  # nS  -> tau = 20 ms
    leak_reversal=-65.0,  # mV
    threshold=-50.0,  # mV
    reset=-65.0,  # mV
    refractory_period=2.0,  # ms
)
namespace = dict(C_m=200 * pF, g_L=10 * nS, E_L=-65 * mV, V_th=-50 * mV, V_reset=-65 * mV)

start_scope()  # forget Brian2 objects from earlier cells
group = NeuronGroup(1, lif_equations_in_use, threshold="v >= V_th", reset="v = V_reset",
                    refractory=2 * ms, method="euler", namespace=namespace)
group.v = -65 * mV  # the initial state: at rest (Brian2 would start at 0 mV!)
group.I_inj = 300 * pA  # a current, in amp units
voltage_monitor = StateMonitor(group, "v", record=0)
spike_monitor = SpikeMonitor(group)
run(200 * ms)

print("dt =", defaultclock.dt, "| spikes:", spike_monitor.num_spikes)
print("first spike times (ms):", np.round(spike_monitor.t[:3] / ms, 2))

# %%
figure, ax = new_figure()
plot_voltage(ax, voltage_monitor.t / ms, voltage_monitor.v[0] / mV,
             spike_times=spike_monitor.t / ms, **style("model"))
ax.axhline(-50.0, lw=1.0, **style("reference"), label="threshold -50 mV")
ax.legend(loc="lower right")
label_axes(ax, "time (ms)", "membrane potential (mV)", "LIF neuron in Brian2, 300 pA")
describe(figure, "The membrane potential starts at rest (-65 mV), charges towards the "
         "-50 mV threshold (dotted), is reset and charges again: "
         f"{spike_monitor.num_spikes} regularly spaced spikes in 200 ms, drawn in as vertical "
         "strokes.")

# %% [markdown]
# `StateMonitor` records v at the **start** of every step, like the course
# solvers: the first sample is the initial value, at t = 0. The spikes are
# drawn in by `plot_voltage` (a drawing convention); the model itself only
# resets. `run()` used Brian2's default time step, `defaultclock.dt`
# = 0.1 ms: we never change it, and pass `dt` explicitly where we want
# another one.
#
# *Time so far: about 15 minutes.*

# %% [markdown]
# ## 2. Spot the bug

# %% [markdown] tags=["notes"]
# (12 min) The seed notebook's neuron. Ask for the prediction first (it has
# no input: how many spikes?), then run, then the three bugs. Exercise 4.2
# (7 min).

# %% [markdown]
# The notebook this course grew from had a Brian2 LIF neuron with a slider
# for each parameter. Here it is again, rewritten but with its three bugs
# intact. It is called with a current in pA and a leak reversal in mV.

# %%
def seed_style_lif(current, leak_reversal):
    """The old notebook's neuron, bugs included. current in pA, leak_reversal in mV."""
    start_scope()
    equations = """
    dv/dt = ((E_L - v) + I)/tau : volt
    I : volt
    """
    buggy = NeuronGroup(1, equations, threshold="v > -50*mV", reset="v = -70*mV",
                        method="euler", namespace=dict(tau=20 * ms, E_L=-leak_reversal * mV))
    buggy.I = current * mV
    state = StateMonitor(buggy, "v", record=0)
    spikes = SpikeMonitor(buggy)
    run(100 * ms)
    return spikes.t / ms, state.v[0] / mV


# %% [markdown] tags=["predict"]
# **Predict.** Read the code above. It will be run with **no input**
# (current 0 pA) and a leak reversal of −65 mV. How many spikes will it
# fire in 100 ms? Write your guess in `predicted_spikes` before you run the
# next cell.

# %%
predicted_spikes = None  # your guess: a whole number

# %%
buggy_spikes, buggy_voltage = seed_style_lif(0.0, -65.0)
print(f"no input: {buggy_spikes.size} spikes in 100 ms, the first at t = {buggy_spikes[0]} ms")
print(f"v starts at {buggy_voltage[0]:.1f} mV; after each reset it climbs again, "
      f"every {np.mean(np.diff(buggy_spikes)):.1f} ms")
if predicted_spikes is None:
    print("(no prediction written: fill in predicted_spikes and run again)")
else:
    print(f"you predicted {predicted_spikes}; it fired {buggy_spikes.size} times")

# %% [markdown]
# It fires at t = 0 and then again and again, with no input. Three bugs:
#
# 1. **v is never initialised.** Brian2 starts every variable at 0, so v
#    starts at 0 mV, far above threshold: a spike at t = 0.
# 2. **E_L is negated.** The slider said "E_leak = 65" and the code used
#    `-e_leak`; called with the real value −65 mV, E_L becomes +65 mV.
# 3. **The current is a voltage.** `I : volt` and `current * mV`: "300 pA"
#    becomes a 300 mV drive. A current is a current: declare it in amp and
#    divide by the capacitance.

# %% [markdown]
# ### Exercise 4.2: fix it
#
# Write `lif_fixed(current, leak_reversal)`: the lesson's neuron (`neuron`
# above: 200 pF, 10 nS, threshold −50 mV, reset −65 mV, refractory 2 ms,
# `method="euler"`), the current in pA, E_L = `leak_reversal` mV. Start at
# rest, run 100 ms with Brian2's default dt, and return
# `(spike times in ms, voltage in mV)` as plain numbers. Reuse your
# `lif_equations`.

# %% tags=["exercise"] minutes=7
def lif_fixed(current, leak_reversal):
    """The seed's neuron without its bugs. current in pA, leak_reversal in mV."""
    ...


# %% tags=["solution"]
def lif_fixed(current, leak_reversal):
    """The seed's neuron without its bugs. current in pA, leak_reversal in mV."""
    start_scope()
    fixed = NeuronGroup(
        1, lif_equations, threshold="v >= V_th", reset="v = V_reset", refractory=2 * ms,
        method="euler",
        namespace=dict(C_m=200 * pF, g_L=10 * nS, E_L=leak_reversal * mV, V_th=-50 * mV,
                       V_reset=-65 * mV),
    )
    fixed.v = leak_reversal * mV  # start at rest
    fixed.I_inj = current * pA  # a current, in pA
    state = StateMonitor(fixed, "v", record=0)
    spikes = SpikeMonitor(fixed)
    run(100 * ms)
    return spikes.t / ms, state.v[0] / mV


# %% tags=["check"]
check_fixed_lif(lif_fixed)

# %%
figure, (ax_bug, ax_fix) = new_figure(1, 2, figsize=(8.0, 3.0), sharey=True)
time_axis = np.arange(buggy_voltage.size) * 0.1
plot_voltage(ax_bug, time_axis, buggy_voltage, spike_times=buggy_spikes,
             **style("excitatory"))
label_axes(ax_bug, "time (ms)", "membrane potential (mV)", "seed-style, no input")
fixed_spikes, fixed_voltage = lif_fixed_in_use(0.0, -65.0)
plot_voltage(ax_fix, time_axis, fixed_voltage, **style("model"), label="0 pA")
fixed_spikes, fixed_voltage = lif_fixed_in_use(300.0, -65.0)
plot_voltage(ax_fix, time_axis, fixed_voltage, spike_times=fixed_spikes,
             **style("reference"), label="300 pA")
ax_fix.legend(loc="center right")
label_axes(ax_fix, "time (ms)", "", "fixed")
describe(figure, "Left: the seed's neuron fires from t = 0 and keeps firing with no input. "
         "Right: the fixed neuron rests at -65 mV with no input (solid) and fires regularly "
         "with 300 pA (dotted).")

# %% [markdown]
# *Time so far: about 27 minutes.*

# %% [markdown]
# ## 3. The price of a first run

# %% [markdown] tags=["notes"]
# (8 min) What run() does: parse, check units, sympy, generate code, (compile),
# cache. The timing cell; the object count (6 objects, 5 programs per step).
# Then the explorer (3 min) with its questions.

# %% [markdown]
# What happens when you call `run()`: Brian2 parses the equation strings,
# checks their units, applies the integration method symbolically (with
# sympy, a Python library for algebra), and **generates code** for the
# target, one small program per task (integrate, threshold, reset,
# monitors). With the `"numpy"` target that code is vectorised Python and
# runs at once. With the `"cython"` target it is C code that must be
# **compiled** first: on this course's 2-core test machine that took 14-16 s
# for a new model, with an empty cache. The compiled modules are **cached**
# on disk (`~/.cython/brian_extensions`), so the same model starts in well
# under a second the next time, even after a restart.
#
# Even on the numpy target the first run of a model pays for parsing and
# sympy. The timings below vary from machine to machine (so their output is
# not checked): a brand-new model (Hodgkin-Huxley, section 6) for 1 ms,
# twice; then the LIF for 1 ms and for 500 ms, which separates Brian2's
# fixed cost per run from its cost per step; then the course's numpy loop.

# %%
# NBVAL_IGNORE_OUTPUT
for attempt in ("new model (HH), first run", "HH again"):
    start = time.perf_counter()
    run_brian_hh(duration=1.0)
    print(f"{attempt:28s} 1 ms: {time.perf_counter() - start:.2f} s")
for duration in (1.0, 500.0):
    start = time.perf_counter()
    run_brian_lif(duration=duration, dt=0.1, current=300.0, **neuron)
    print(f"{'Brian2 LIF':28s} {duration:g} ms: {time.perf_counter() - start:.2f} s")
start = time.perf_counter()
simulate_lif(duration=500.0, dt=0.1, current=300.0, backend="numpy", **neuron)
print(f"{'course LIF (numpy loop)':28s} 500 ms: {time.perf_counter() - start:.3f} s")
# Set TRY_CYTHON = True to watch the compiler at work (about 15 s the first
# time, then much less; needs a C compiler).
TRY_CYTHON = False
if TRY_CYTHON:
    for attempt in ("cython, first run", "cython, cached"):
        start = time.perf_counter()
        run_brian_lif(duration=500.0, dt=0.1, current=300.0, target="cython", **neuron)
        print(f"{attempt:28s} 500 ms: {time.perf_counter() - start:.2f} s")

# %% [markdown]
# What runs in each step? We rebuild section 1's neuron with its two
# monitors in a `Network` and list the objects in the order Brian2's
# **schedule** runs them in every step:

# %%
start_scope()
counted = NeuronGroup(1, lif_equations_in_use, threshold="v >= V_th", reset="v = V_reset",
                      refractory=2 * ms, method="euler", namespace=namespace)
counted.v = -65 * mV
counted_network = Network(counted, StateMonitor(counted, "v", record=0), SpikeMonitor(counted))
counted_network.run(0.1 * ms)  # one step: enough to build the schedule
for scheduled in counted_network.sorted_objects:
    print(f"  {scheduled.when:10s} {scheduled.name}")
print(f"{len(counted_network.sorted_objects)} objects")

# %% [markdown]
# Six objects; the group itself only holds the variables, so **five small
# generated programs** run in every step: record v, integrate, test the
# threshold, record spikes, reset. For one neuron the course's loop wins
# easily: Brian2 spends a few tenths of a second setting up each run and
# ~20-50 µs per step on the numpy target, a few µs for each of those five
# programs. Brian2's strengths are elsewhere: the equations with units, and
# large networks: the overhead is per object, not per neuron, so 10,000
# neurons in one group take only a few times longer than one, and the
# cython or C++ targets run the generated code at compiled speed
# ([Lesson 6 (optional): scaling up](06_scaling.ipynb) takes this further).

# %% [markdown]
# ### Explore
#
# The sliders set the step current, the membrane time constant (C = τ g_L
# with g_L = 10 nS), the leak reversal E_L and the threshold V_th. A Brian2
# run takes a few tenths of a second: too slow to follow a slider smoothly.
# So the sliders redraw with the course's solver in Brian2's step order
# (section 4 shows it gives the same result), and the button runs Brian2
# itself on the current settings and draws its trace dashed on top. The
# line under the figure gives the spike count, the rate and the
# **rheobase**, the smallest constant current that makes the neuron fire.
#
# 1. Set E_L above the threshold (for example E_L = −55 mV, V_th = −60 mV).
#    What happens with no current, and what sets the rate then?
# 2. With the defaults, find the current at which spikes just appear. How
#    does it compare with the rheobase g_L (V_th − E_L) printed under the
#    figure?
# 3. Press the button after changing τ. Does Brian2 agree with the course
#    solver, spike for spike?

# %% tags=["explorer"]
brian_lif_explorer()

# %% [markdown] tags=["answer"]
# **Answers.** (1) The neuron fires with no input at all: the leak itself
# pulls v above threshold. Each interval is the refractory period plus the
# time to climb from the reset (−65 mV) past the threshold, so τ sets the
# rate. (2) Spikes appear just above g_L (V_th − E_L) = 10 nS × 15 mV =
# 150 pA; at exactly the rheobase v only approaches the threshold. (3) Yes:
# the label reports the same grid steps and a voltage difference of
# ~1e-13 mV, at every setting.
#
# *Time so far: about 35 minutes.*

# %% [markdown]
# ## 4. Brian2 and a textbook loop, side by side

# %% [markdown] tags=["notes"]
# (15 min) Same neuron, same dt, two solvers, spikes one step apart. The
# schedule table. Exercise 4.3 is a prediction (3 min): let them argue
# about the refractory period before the reveal. Exercise 4.4 (5 min): match
# the two; compare grid indices, never floats with ==.

# %% [markdown]
# Run the same neuron, same current, same dt = 0.1 ms, through Brian2 and
# through the course's `simulate_lif` in its default **textbook** step
# order. (`backend="numpy"` skips numba's one-off compilation, which a run
# this short does not need.)

# %%
brian_run = run_brian_lif(duration=200.0, dt=0.1, current=300.0, **neuron)
textbook = simulate_lif(duration=200.0, dt=0.1, current=300.0, backend="numpy", **neuron)
brian_steps = spike_steps(brian_run.spike_times[0], 0.1)
textbook_steps = spike_steps(textbook.spike_times[0], 0.1)
print("Brian2 spike steps:  ", brian_steps[:5])
print("textbook spike steps:", textbook_steps[:5])

# %% [markdown]
# The textbook loop fires **one step later**. Both compute exactly the same
# v up to the first crossing; they differ in *bookkeeping*. In every step
# Brian2 runs, in this order (its default **schedule**):
#
# | slot | what happens in the step from t to t + dt |
# | --- | --- |
# | `start` | `StateMonitor` records v(t) |
# | `groups` | non-refractory neurons integrate v(t) → v(t + dt) |
# | `thresholds` | v(t + dt) ≥ V_th? Then a spike, **labelled t**, the start of the step |
# | `synapses` | spikes are delivered to targets |
# | `resets` | v ← V_reset; refractory from `lastspike = t` |
#
# The textbook loop integrates to v(t + dt), sees the crossing, and labels
# the spike **t + dt**, the moment it found it, starting the refractory
# period there.

# %% [markdown]
# ### Exercise 4.3: predict the offset
#
# The first textbook spike is 1 step late. With this constant 300 pA
# current, how many steps late is the **fifth**? Think about when each
# solver's refractory period ends, then answer `(first, fifth)` in steps.

# %% tags=["exercise"] minutes=3
offsets = (..., ...)

# %% tags=["solution"]
offsets = (1, 5)

# %% tags=["check"]
check_offset_prediction(offsets)

# %%
print("textbook - Brian2, in steps:", (textbook_steps - brian_steps[: textbook_steps.size])[:8])

figure, ax = new_figure()
window = (brian_run.time > 12.5) & (brian_run.time < 16.5)
ax.plot(brian_run.time[window], brian_run.voltage[0][window], ms=4,
        **style("reference", markers=True), label="Brian2")
ax.plot(textbook.time[window], textbook.voltage[0][window], ms=3,
        **style("model", markers=True), label="textbook loop")
for name, step, meaning in (("Brian2", brian_steps[0], "reference"),
                            ("textbook", textbook_steps[0], "model")):
    ax.axvline(step * 0.1, color=COLORS[meaning], ls="--" if name == "Brian2" else "-.",
               lw=1.2, label=f"{name} spike label: {step * 0.1:.1f} ms")
ax.axhline(-50, lw=0.8, **style("excitatory"), label="threshold")
ax.legend(loc="center right")
label_axes(ax, "time (ms)", "membrane potential (mV)",
           "first spike: the same crossing, labelled one step apart")
describe(figure, "Around the first spike both solvers record the same voltage samples "
         "(diamonds and circles on top of each other); only the spike label differs, "
         f"{brian_steps[0] * 0.1:.1f} ms for Brian2 (dashed) and "
         f"{textbook_steps[0] * 0.1:.1f} ms for the textbook loop (dash-dotted).")

# %% [markdown]
# The figure above shows the first spike only. Below are the whole 200 ms
# of both runs, interactive: drag over any spike to zoom into it
# (double-click to zoom out) and hover to read the time and the voltage of
# each sample. Zoom into the fifth spike: how far apart are the two traces
# there?

# %%
offset_figure = trace_figure(
    brian_run.time,
    {"Brian2": brian_run.voltage[0], "textbook loop": textbook.voltage[0]},
    "Brian2 and the textbook loop, 300 pA for 200 ms",
)
show(offset_figure, "Both solvers fire regularly; zoomed in, each textbook spike comes one "
     "step later than the previous one did, so the fifth is five steps (0.5 ms) behind.")

# %% [markdown]
# The recorded voltages are identical through the crossing and the reset.
# Only the labels differ, and with them the end of the refractory period:
# Brian2 counts 2 ms from 13.8 ms and lets v move again at 15.8 ms, the
# textbook loop one step later. From there on the textbook neuron is one
# step behind, and with this constant current each spike adds another
# step. (With a current that changes in time, the delayed neuron meets
# different input after each refractory period, so the offsets no longer
# simply add up; without a refractory period nothing is delayed and every
# spike is exactly one step late. Section 7 shows that case.)

# %% [markdown]
# ### Exercise 4.4: make them agree
#
# Run the course solver so that it reproduces `brian_run` (300 pA, 200 ms)
# exactly: same `dt`, and the step order `step_order="brian2"`. Then set
# `identical` to whether the two spike trains are the same, comparing them
# with `spike_steps` (grid indices), not `==` on the float times.

# %% tags=["exercise"] minutes=5
course_run = ...
identical = ...

# %% tags=["solution"]
course_run = simulate_lif(duration=200.0, dt=0.1, current=300.0, step_order="brian2",
                          backend="numpy", **neuron)
identical = np.array_equal(spike_steps(course_run.spike_times[0], 0.1),
                           spike_steps(brian_run.spike_times[0], 0.1))

# %% tags=["check"]
check_matched_run((course_run, identical))

# %%
voltage_difference = np.max(np.abs(course_run_in_use.voltage - brian_run.voltage))
print(f"same spike steps: {identical_in_use}")
print(f"max |V_course - V_Brian2| = {voltage_difference:.1e} mV")
print("float == on the spike times:",
      np.array_equal(course_run_in_use.spike_times[0], brian_run.spike_times[0]))
differ = np.flatnonzero(course_run_in_use.spike_times[0] != brian_run.spike_times[0])
if differ.size:
    first = differ[0]
    print(f"for example spike {first}: {course_run_in_use.spike_times[0][first]:.17g} ms "
          f"(course) vs {brian_run.spike_times[0][first]:.17g} ms (Brian2)")

# %% [markdown]
# The two solvers agree to rounding error: Brian2 computes in volts, amperes
# and farads, the course in mV, pA and pF, so the last bits differ. That is
# also why `==` on float spike times can say `False` for the very same
# spike: compare **grid indices** (`spike_steps`), or times with a tolerance
# much smaller than dt.

# %% [markdown]
# ### Think
#
# Brian2 labels a spike with the start of the step in which v crossed the
# threshold, the textbook loop with its end. Which label is right?

# %% [markdown] tags=["answer"]
# **Answer.** Neither: the true crossing lies somewhere inside the step, in
# (t, t + dt]. Both labels are within one dt of it, one early, one late, so
# both converge as dt → 0; interpolating v between t and t + dt would
# estimate the crossing better than either. What matters is to know which
# convention a simulator uses before comparing spike times across
# simulators, and that the offsets can accumulate: with a refractory period
# and a constant current the k-th textbook spike is k steps behind.
#
# *Time so far: about 50 minutes.*

# %% [markdown]
# ## 5. Integration methods

# %% [markdown] tags=["notes"]
# (10 min) Three methods on a step response with a known answer. Prediction
# first (error ratio when dt halves), Exercise 4.5 (5 min), then one run with
# 21 groups and the log-log plot.

# %% [markdown]
# Brian2 can integrate the same equations with different methods:
#
# - `euler`: $v \leftarrow v + \Delta t\, f(v)$, first order: its error is
#   proportional to dt;
# - `exponential_euler`: treats each equation as linear in its own variable
#   over one step and solves that exactly;
# - `exact`: solves a linear equation analytically (Brian2 does the algebra
#   with sympy).
#
# We test them on a subthreshold step response, 100 pA from rest, where the
# exact answer is known (Lesson 2):
# $V(t) = E_L + \frac{I}{g_L}\left(1 - e^{-t/\tau}\right)$.

# %% [markdown] tags=["predict"]
# **Predict.** Euler's largest error at dt = 0.1 ms, divided by its largest
# error at dt = 0.05 ms: about how much? And for the exact method? Write
# your guess for Euler in `predicted_error_ratio`.

# %%
predicted_error_ratio = None  # your guess: a number

# %% [markdown]
# ### Exercise 4.5: the integration error
#
# Write `integration_error(time, voltage, amplitude)` that returns the
# largest $|V_\text{simulated} - V_\text{exact}|$ in mV of a run of the
# lesson's neuron from rest, with a current `amplitude` (pA) switched on at
# t = 0. `voltage[k]` is v at `time[k]`. `passive_step_response(time,
# amplitude=..., membrane_capacitance=..., leak_conductance=...,
# leak_reversal=...)` gives the exact solution.

# %% tags=["exercise"] minutes=5
def integration_error(time, voltage, amplitude):
    """Largest |V - V_exact| in mV (time in ms, voltage in mV, amplitude in pA)."""
    ...


# %% tags=["solution"]
def integration_error(time, voltage, amplitude):
    """Largest |V - V_exact| in mV (time in ms, voltage in mV, amplitude in pA)."""
    exact = passive_step_response(
        time, amplitude=amplitude, membrane_capacitance=200.0, leak_conductance=10.0,
        leak_reversal=-65.0,
    )
    return np.max(np.abs(voltage - exact))


# %% tags=["check"]
check_integration_error(integration_error)

# %% [markdown]
# ### Every method, every dt, one run
#
# Each `NeuronGroup` can have its **own** clock (`dt=`), so 3 methods × 7
# time steps are 21 groups in one network and one `run`.

# %%
passive_model = """
dv/dt = (g_L*(E_L - v) + I_inj)/C_m : volt
I_inj : amp
"""
methods = ["euler", "exponential_euler", "exact"]
time_steps = [0.025, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0]  # ms

start_scope()
monitors = {}
for method in methods:
    for dt in time_steps:
        cell = NeuronGroup(1, passive_model, method=method, dt=dt * ms, namespace=namespace)
        cell.v = -65 * mV
        cell.I_inj = 100 * pA
        monitors[method, dt] = StateMonitor(cell, "v", record=0)
network = Network([m.source for m in monitors.values()], list(monitors.values()))
network.run(60 * ms)

errors = {
    key: integration_error_in_use(m.t / ms, m.v[0] / mV, 100.0) for key, m in monitors.items()
}
print("  dt (ms)   euler (mV)   exp. euler (mV)   exact (mV)")
for dt in time_steps:
    print(f"  {dt:6.3f}   {errors['euler', dt]:10.2e}   {errors['exponential_euler', dt]:15.2e}"
          f"   {errors['exact', dt]:10.2e}")
measured_ratio = errors["euler", 0.1] / errors["euler", 0.05]
print(f"Euler's error at 0.1 ms / at 0.05 ms: {measured_ratio:.2f}")
if predicted_error_ratio is not None:
    print(f"you predicted {predicted_error_ratio}")

# %%
figure, ax = new_figure(figsize=(5.5, 3.6))
meanings = {"euler": "model", "exponential_euler": "excitatory", "exact": "inhibitory"}
for method in methods:
    ax.loglog(time_steps, [errors[method, dt] for dt in time_steps],
              **style(meanings[method], markers=True), label=method)
# a slope-1 guide, drawn 3x above the Euler points so that both stay visible
reference = 3 * errors["euler", time_steps[0]] * np.array(time_steps) / time_steps[0]
ax.loglog(time_steps, reference, **style("reference"), label="slope 1 (∝ dt)")
ax.legend()
label_axes(ax, "time step dt (ms)", "max |V - V_exact| (mV)", "error of a 100 pA step response")
exact_errors = [errors[m, dt] for m in ("exponential_euler", "exact") for dt in time_steps]
describe(figure, "On log-log axes Euler's error falls on a line of slope 1 (it halves when dt "
         f"halves), from {errors['euler', 2.0]:.2g} mV at 2 ms down to "
         f"{errors['euler', 0.025]:.1g} mV at 0.025 ms; exponential Euler and exact stay at "
         f"the rounding level, {min(exact_errors):.0e} to {max(exact_errors):.0e} mV, at "
         "every dt.")

# %% [markdown]
# Euler's error halves when dt halves: first order. Exponential Euler and
# exact are at the level of double-precision rounding at *every* dt: for a
# linear equation with a current that is constant over each step, both are
# exact. Their tiny errors (printed in the table) grow as dt shrinks,
# because 2,400 steps each add a little rounding where 30 steps add less:
# up to a few 1e-12 mV at dt = 0.025 ms. That stops being true for a
# current that changes within a step, or for nonlinear equations like
# Hodgkin-Huxley's, where exponential Euler is an approximation (a good
# one) and `exact` is not available at all.

# %% [markdown]
# ### Explore
#
# One slider: the time step, for both methods, on the same 100 pA step
# response (the exact solution is the dotted line). The line under the
# figure gives each method's largest error.
#
# 1. Start at dt = 2 ms and halve it a few times. What happens to Euler's
#    largest error, and where in time does it occur?
# 2. Set dt = 20 ms, the membrane time constant. Where does Euler's first
#    step land, and why is that both right and wrong?

# %% tags=["explorer"]
integration_explorer()

# %% [markdown] tags=["answer"]
# **Answers.** (1) It halves each time (0.19, 0.094, 0.047 mV): first
# order. It is largest early, where v curves most, and shrinks as v
# approaches its steady state. (2) Euler's first step goes from −65 mV
# straight to −55 mV, the steady state E_L + I/g_L, because
# dt · (E_L + I/g_L − v)/τ with dt = τ covers the whole distance at once; it
# then stays there. The final value is right, the path is wrong: at
# t = 20 ms the true membrane has reached only −58.7 mV, an error of
# 3.7 mV. Exponential Euler is exact at any dt here.
#
# *Time so far: about 63 minutes.*

# %% [markdown]
# ## 6. Beyond the LIF: Hodgkin-Huxley

# %% [markdown] tags=["notes"]
# (12 min) History in two sentences; the same step into HH and LIF; the
# table of measured differences; the [f-I curves](../glossary.md#f-i-curve) (type II jump, shrinking
# spikes, depolarisation block). The think question leads to section 7.

# %% [markdown]
# The LIF neuron draws its spikes in by hand. The Hodgkin-Huxley model
# (Hodgkin & Huxley 1952, *J. Physiol.* 117:500) makes them from a sodium
# and a potassium conductance with voltage-dependent gates m, h, n. We use
# the squid-axon parameters in their modern form (Dayan & Abbott 2001,
# *Theoretical Neuroscience*, section 5.6) on 2,500 µm² of membrane (a
# 28 µm soma): C = 25 pF, and 1 µA/cm² of the literature is 25 pA here.
#
# **History and scope.** Hodgkin and Huxley measured these currents in the
# squid giant axon with a voltage clamp (an amplifier that holds the
# membrane at a chosen voltage and records the current needed) and wrote
# the equations that reproduced its
# [action potential](../glossary.md#action-potential), which earned them
# the 1963 Nobel Prize. The model captures spike shape, threshold and
# refractoriness from channel kinetics; it has two channel types, four
# variables and stiff dynamics (a small dt), and cortical neurons have many
# more channel types, so its squid parameters do not fit them
# quantitatively.

# %%
print(hh_equations())

# %% [markdown]
# ### The same current into both
#
# A 300 pA step from 20 ms into the HH neuron and into the lesson's LIF
# neuron (both in Brian2, dt = 0.025 ms: HH spikes last about a millisecond).

# %%
hh_dt = 0.025
step_time = time_grid(150.0, hh_dt)
step = step_current(step_time, 300.0, 20.0, 150.0)
hh = run_brian_hh(duration=150.0, dt=hh_dt, current=step)
lif = run_brian_lif(duration=150.0, dt=hh_dt, current=step, **neuron)

figure, ax = new_figure(figsize=(7.0, 3.4))
ax.plot(hh.time, hh.voltage[0], **style("excitatory"), label="Hodgkin-Huxley")
plot_voltage(ax, lif.time, lif.voltage[0], spike_times=lif.spike_times[0],
             **style("reference"), label="LIF (spikes drawn in)")
ax.legend(loc="upper right")
label_axes(ax, "time (ms)", "membrane potential (mV)", "300 pA step from 20 ms")
describe(figure, "The Hodgkin-Huxley neuron (solid) makes spikes of its own that overshoot "
         f"0 mV, {hh.spike_times[0].size} in the 130 ms step; the LIF neuron (dotted) only "
         f"charges and resets, {lif.spike_times[0].size} times, its spikes drawn in as "
         "strokes.")

# %% [markdown]
# ### Measured, not just shown
#
# `spike_shapes` (Lesson 5 uses it on a real neuron) finds each spike's
# threshold (where dV/dt first exceeds 20 mV/ms), amplitude (peak − threshold)
# and half-width. An f-I curve for each model is **one** Brian2 run: one
# neuron per current in a single `NeuronGroup`. Rates are counted in
# [100, 300) ms, after the onset transient.

# %%
shapes = spike_shapes(hh.time, hh.voltage[0])
lif_shapes = spike_shapes(lif.time, lif.voltage[0])
currents = np.concatenate([np.arange(0.0, 400.0, 10.0), np.arange(400.0, 5001.0, 200.0)])
hh_fi = run_brian_hh(duration=300.0, dt=hh_dt, bias_current=currents)
lif_fi = run_brian_lif(duration=300.0, dt=hh_dt, bias_current=currents, record_voltage=False,
                       **neuron)
hh_rates = np.array([firing_rate(t, 100.0, 300.0) for t in hh_fi.spike_times])
lif_rates = np.array([firing_rate(t, 100.0, 300.0) for t in lif_fi.spike_times])
# The HH voltage range in the last 100 ms: spike peaks and troughs, or a steady state.
late = hh_fi.voltage[:, hh_fi.time >= 200.0]
hh_peak, hh_trough = late.max(axis=1), late.min(axis=1)

hh_onset = np.argmax(hh_rates > 0)
lif_onset = np.argmax(lif_rates > 0)
lif_theory = lif_rheobase(leak_conductance=10.0, leak_reversal=-65.0, threshold=-50.0)
fastest = np.argmax(hh_rates)
no_overshoot = currents[(currents > currents[fastest]) & (hh_rates == 0)][0]
steady = currents[(currents > currents[fastest]) & (hh_peak - hh_trough < 1.0)][0]
shortest = {
    name: min(interspike_intervals(t).min() for t in fi.spike_times if t.size > 2)
    for name, fi in (("HH", hh_fi), ("LIF", lif_fi))
}
table = [
    ("spike amplitude (mV)", f"{shapes.amplitudes[0]:.0f}",
     "none" if len(lif_shapes) == 0 else "?"),
    ("spike half-width (ms)", f"{shapes.half_widths[0]:.2f}", "0 (a reset)"),
    ("threshold, 1st spike (mV)", f"{shapes.threshold_voltages[0]:.1f}", "-50.0 (fixed)"),
    ("threshold, later spikes (mV)", f"{np.mean(shapes.threshold_voltages[1:]):.1f}",
     "-50.0 (fixed)"),
    ("rheobase (pA)", f"{currents[hh_onset]:.0f}", f"{currents[lif_onset]:.0f} "
     f"(theory {lif_theory:.0f})"),
    ("first nonzero rate (Hz)", f"{hh_rates[hh_onset]:.0f}", f"{lif_rates[lif_onset]:.0f}"),
    ("shortest ISI (ms)", f"{shortest['HH']:.1f}", f"{shortest['LIF']:.1f}"),
    ("highest rate (Hz)", f"{hh_rates[fastest]:.0f}", f"{lif_rates.max():.0f}"),
    ("spike peak at the highest rate (mV)", f"{hh_peak[fastest]:.0f}", "none"),
    ("rate at 5000 pA (Hz)", f"{hh_rates[-1]:.0f}", f"{lif_rates[-1]:.0f}"),
]
print(f"  {'':36s} {'HH':>6s}   {'LIF':s}")
for name, hh_value, lif_value in table:
    print(f"  {name:36s} {hh_value:>6s}   {lif_value}")
print(f"HH: from {no_overshoot:.0f} pA the oscillation no longer reaches -20 mV; "
      f"from {steady:.0f} pA there is none (depolarisation block)")
near_rheobase = lif_firing_rate(1.001 * lif_theory, **neuron)
print(f"LIF just above its rheobase (+0.1 %): {near_rheobase:.1f} Hz (theory)")

# %%
figure, (ax_f, ax_v) = new_figure(1, 2, figsize=(8.0, 3.4))
ax_f.plot(currents, hh_rates, ms=3, **style("excitatory", markers=True), label="Hodgkin-Huxley")
ax_f.plot(currents, lif_rates, ms=3, **style("model", markers=True), label="LIF (Brian2)")
fine = np.linspace(0.0, currents[-1], 1001)
ax_f.plot(fine, lif_firing_rate(fine, **neuron), **style("reference"), label="LIF theory")
ax_f.legend()
label_axes(ax_f, "injected current (pA)", "firing rate (Hz)", "f-I curves (spikes above -20 mV)")
ax_v.fill_between(currents, hh_trough, hh_peak, color=COLORS["excitatory"], alpha=0.3,
                  hatch="//", label="HH: trough to peak")
ax_v.axhline(-20.0, lw=1, **style("reference"), label="spike detection")
ax_v.axhline(-50.0, lw=1, **style("inhibitory"), label="LIF threshold")
ax_v.legend(loc="upper right")
label_axes(ax_v, "injected current (pA)", "V in [200, 300) ms (mV)", "how big are the spikes?")
describe(figure, "Left: the HH rate jumps from 0 to about "
         f"{hh_rates[hh_onset]:.0f} Hz at {currents[hh_onset]:.0f} pA, peaks and falls back "
         "to 0, while the LIF rate rises from 0 at its rheobase towards 500 Hz, on its "
         "theory curve. Right: the HH voltage range shrinks as the current grows, until the "
         "oscillation stops (depolarisation block).")

# %% [markdown]
# What the numbers say:
#
# - **Spike shape.** The HH spike is a ~90 mV, ~1.3 ms event made by the
#   sodium and potassium currents; the LIF has no spike shape at all, only
#   a reset.
# - **Threshold.** The HH threshold is not a parameter: it moves. Later
#   spikes start ~4 mV higher than the first, because sodium channels have
#   not fully recovered from inactivation (h) and potassium channels are
#   still partly open (n). The LIF threshold is fixed at −50 mV.
# - **f-I onset.** At its [rheobase](../glossary.md#rheobase) the HH
#   neuron jumps from silence to ~50 Hz (a "type II" neuron, Hodgkin 1948);
#   the LIF starts from zero (its rate → 0 at rheobase) and rises
#   continuously ("type I").
# - **Refractoriness and block.** The LIF's only limit is its 2 ms
#   refractory period: it fires faster and faster, towards 500 Hz. HH
#   recovery takes ≥ 7 ms between spikes, and the more current, the
#   **smaller** the spikes (right panel): sodium channels stay partly
#   inactivated. Above ~2.5 nA the oscillation no longer reaches −20 mV,
#   and above ~3.9 nA (154 µA/cm², the classic result for this model) it
#   stops altogether: **depolarisation block** (the membrane held so
#   depolarised that sodium channels stay inactivated and no spike can
#   start). Where a "spike" ends on the way there depends on the detection
#   level: an honest f-I curve says which one it used.

# %% [markdown]
# ### Think
#
# Could any choice of the four LIF parameters (C, g_L, E_L, V_th) give an
# f-I curve that jumps at rheobase, or one that drops to zero at high
# current? What would you have to add?

# %% [markdown] tags=["answer"]
# **Answer.** No. For any LIF parameters the rate is 0 up to the rheobase
# $g_L (V_\text{th} - E_L)$, starts from 0 there and grows monotonically
# with the current, towards $1/t_\text{ref}$. A jump needs dynamics with a
# second variable that can make the resting state lose stability through
# oscillation (resonance: a subthreshold current that opposes changes in
# v, like HH's potassium gate n); the AdEx model's [adaptation](../glossary.md#adaptation) current w
# with $a > 0$ can do this, and so can Izhikevich's
# [recovery variable](../glossary.md#recovery-variable) u in the next
# section. A drop to zero needs something that disables spiking
# at high voltage, like sodium inactivation h. Lesson 5 fits an AdEx
# neuron to a real recording.
#
# *Time so far: about 73 minutes.*

# %% [markdown]

# %% [markdown]
# ## 7. Firing patterns: Izhikevich's model

# %% [markdown] tags=["notes"]
# (15 min) History and the pA-to-mV/ms mapping; what a, b, c, d mean and
# what they don't. Prediction (which parameters make a chattering cell?),
# then five published cell types in one NeuronGroup; the course solver
# gives the same spike steps. The explorer (3 min) with its questions. The
# challenge is optional.

# %% [markdown]
# Cortical neurons do not all fire alike. Under the same steady current,
# **regular-spiking** cells (most pyramidal cells) fire a few quick spikes
# and then slow down (**adaptation**); **intrinsically bursting** cells
# start with a **burst** (a group of spikes a few ms apart) and continue
# with single spikes; **chattering** cells repeat bursts; **fast-spiking**
# interneurons fire fast and steadily; **low-threshold spiking**
# interneurons fire at smaller currents and adapt. A LIF neuron can do none
# of this: it has no memory beyond v.
#
# **History and scope.** Izhikevich (2003, *IEEE Trans. Neural Netw.*
# 14:1569) looked for the cheapest model that still makes all of these
# patterns. He kept the quadratic spike initiation of a neuron near its
# threshold (the quadratic integrate-and-fire neuron of Ermentrout & Kopell
# 1986), fitted it to the spike initiation of a cortical neuron, and added
# one slow **recovery variable** u that opposes depolarisation:
#
# $$\frac{dv}{dt} = 0.04\,v^2 + 5\,v + 140 - u + \frac{I}{C}, \qquad
# \frac{du}{dt} = a\,(b\,v - u), \qquad
# v \ge 30\text{ mV} \Rightarrow v \leftarrow c,\; u \leftarrow u + d.$$
#
# The equation is written for v in mV and t in ms, so every term, and the
# input, is in **mV/ms**: the paper's input I has no capacitance. We feed
# it a current in pA divided by a capacitance C in pF (pA/pF = mV/ms), with
# C = 100 pF: the paper's I = 10 becomes 1000 pA. C is a **scale, not a
# measured capacitance**: only I / C enters. In the paper's words, a sets
# the time scale of u (1/a = 50 ms for a = 0.02 /ms), b how strongly u
# follows v below threshold, c the reset and d the jump of u at each spike.
# What they do **not** mean: u is no single channel's current (it lumps
# potassium activation and sodium inactivation, in mV/ms); no parameter is a
# conductance, a [reversal potential](../glossary.md#reversal-potential) or an
# input resistance you could measure; 30 mV is where the spike is cut, not a
# threshold (the threshold emerges from the quadratic term and u); and 0.04, 5 and 140 fix the
# voltage scale of one cortical cell, so rest (−70 mV for b = 0.2) and
# threshold cannot be moved without changing them. Brette and Gerstner's
# AdEx model (2005), which Lesson 5 fits, took the other road: a leak
# conductance and reversal you can measure, and an exponential spike
# initiation. The course's solver is
# `simulate_izhikevich(duration, dt, membrane_capacitance, recovery_rate=a,
# recovery_sensitivity=b, reset=c, recovery_jump=d, current=...)`.
#
# The published parameter sets (the paper's Fig. 2):

# %%
print(f"  {'cell type':26s} {'a (1/ms)':>9s} {'b (1/ms)':>9s} {'c (mV)':>7s} {'d (mV/ms)':>9s}")
for key, p in IZHIKEVICH_CELL_TYPES.items():
    print(f"  {IZHIKEVICH_CELL_NAMES[key] + ' (' + key + ')':26s} {p['recovery_rate']:9.2f} "
          f"{p['recovery_sensitivity']:9.2f} {p['reset']:7.0f} {p['recovery_jump']:9.2f}")

# %% [markdown] tags=["predict"]
# **Predict.** The regular-spiking (RS) and chattering (CH) cells differ in
# two of the four numbers. Which two, and in which direction would you
# change them to turn a regularly spiking cell into one that fires bursts?
# Think about what a reset close to the threshold and a small jump of u do
# after a spike, then write the letters in `predicted_burst_parameters`
# (for example `"ab"`).

# %%
predicted_burst_parameters = None  # your guess: two of "a", "b", "c", "d"

# %% [markdown]
# ### Five cell types, one `NeuronGroup`
#
# One group holds one neuron per cell type, each with its own a, b, c, d
# (declared `(constant)` per neuron). The same 1000 pA step (the paper's
# I = 10) from 20 ms drives all five, through a `TimedArray`. Every
# neuron starts at its resting state, the lower root of
# 0.04 v² + (5 − b) v + 140 = 0, with u = b v.

# %%
izhikevich_model = """
dv/dt = 0.04/(mV*ms)*v**2 + 5/ms*v + 140*mV/ms - u + I_step(t)/C_m : volt
du/dt = a*(b*v - u) : volt/second
a : 1/second (constant)
b : 1/second (constant)
c : volt (constant)
d : volt/second (constant)
"""
cell_types = ["RS", "IB", "CH", "FS", "LTS"]
izh_dt, izh_duration = 0.1, 320.0
izh_step = step_current(time_grid(izh_duration, izh_dt), 1000.0, 20.0, izh_duration)
izh = {key: np.array([IZHIKEVICH_CELL_TYPES[cell][key] for cell in cell_types])
       for key in IZHIKEVICH_CELL_TYPES["RS"]}
rest = izhikevich_resting_potential(izh["recovery_sensitivity"])

start_scope()
cells = NeuronGroup(len(cell_types), izhikevich_model, threshold="v >= 30*mV",
                    reset="v = c; u += d", method="euler",
                    namespace=dict(C_m=100 * pF, I_step=TimedArray(izh_step * pA, dt=izh_dt * ms)))
cells.a = izh["recovery_rate"] / ms
cells.b = izh["recovery_sensitivity"] / ms
cells.c = izh["reset"] * mV
cells.d = izh["recovery_jump"] * mV / ms
cells.v = rest * mV
cells.u = izh["recovery_sensitivity"] * rest * mV / ms
cells_voltage = StateMonitor(cells, "v", record=True)
cells_spikes = SpikeMonitor(cells)
run(izh_duration * ms)

course_cells = simulate_izhikevich(
    duration=izh_duration, dt=izh_dt, membrane_capacitance=100.0, current=izh_step,
    step_order="brian2", backend="numpy", **izh,
)
brian_trains = cells_spikes.spike_trains()
print(f"  {'cell':4s} {'spikes':>6s} {'groups':>6s} {'largest':>7s}  first intervals (ms)"
      "         last (ms)  same steps as simulate_izhikevich")
for i, cell in enumerate(cell_types):
    train = np.asarray(brian_trains[i] / ms)
    intervals = np.diff(train)
    # groups of spikes separated by pauses of 10 ms or more (a lone spike is a group of 1)
    groups = np.split(train, np.flatnonzero(intervals >= 10.0) + 1)
    same = np.array_equal(spike_steps(train, izh_dt),
                          spike_steps(course_cells.spike_times[i], izh_dt))
    print(f"  {cell:4s} {train.size:6d} {len(groups):6d} {max(g.size for g in groups):7d}  "
          f"{np.round(intervals[:5], 1)!s:28s} {intervals[-1]:6.1f}     {same}")

# %%
figure, axes = new_figure(len(cell_types), 1, figsize=(7.0, 7.5), sharex=True)
for i, (ax, cell) in enumerate(zip(axes, cell_types, strict=True)):
    trace = np.asarray(cells_voltage.v[i] / mV).copy()
    # draw each spike up to the 30 mV cut, at the sample where it was detected
    trace[spike_steps(np.asarray(brian_trains[i] / ms), izh_dt)] = 30.0
    ax.plot(cells_voltage.t / ms, trace, lw=0.9, **style("model"))
    ax.set_ylim(-85.0, 40.0)
    ax.set_yticks([-80, 0, 30])
    label_axes(ax, "time (ms)" if i == len(cell_types) - 1 else "", "V (mV)",
               f"{IZHIKEVICH_CELL_NAMES[cell]} ({cell}): {brian_trains[i].size} spikes")
figure.suptitle("Izhikevich (2003): five cell types, the same 1000 pA step from 20 ms")
describe(figure, "Five voltage traces under the same step: regular spiking starts fast and "
         "slows down; intrinsically bursting fires a burst then single spikes; chattering "
         "repeats short bursts; fast spiking fires fast and steadily; low-threshold spiking "
         "starts fast and slows down gradually.")

# %%
letters = dict(a="recovery_rate", b="recovery_sensitivity", c="reset", d="recovery_jump")
burst_parameters = sorted(letter for letter, name in letters.items()
                          if IZHIKEVICH_CELL_TYPES["RS"][name] != IZHIKEVICH_CELL_TYPES["CH"][name])
print(f"RS -> CH changes {burst_parameters}: c from -65 to -50 mV, d from 8 to 2 mV/ms")
if predicted_burst_parameters is not None:
    print(f"you predicted {sorted(set(predicted_burst_parameters))}")

# %% [markdown]
# In the table, a "group" is a run of spikes separated from the next by a
# pause of 10 ms or more: RS fires only lone spikes, IB one group of three
# and then lone spikes, CH repeated groups (bursts), FS one long unbroken
# train. Brian2 and the course solver agree spike for spike, in Brian2's
# step order. The patterns are those the paper describes: RS adapts, IB fires one
# burst and then single spikes, CH repeats bursts, FS fires above 100 Hz
# with hardly any change after its first few spikes, LTS adapts gradually.
# (The tests in `tests/test_izhikevich.py` check each of these properties
# against the paper's descriptions, and `tests/test_neurons_brian2.py` the
# solver against Brian2 for all seven published types.)
#
# Why bursts? After a spike, v restarts from c. With the RS reset (−65 mV)
# the neuron must climb all the way back; with the CH reset (−50 mV) it is
# already near the threshold region, so the next spike follows within a
# few ms. Each spike adds d to u; with a small d (2 instead of 8) it takes
# several spikes before u is large enough to stop the climb: a burst. Then
# u decays with 1/a = 50 ms, and the cycle repeats.
#
# A word on numerics: Izhikevich's own code stepped 1 ms at a time (v in
# two half steps). That coarse scheme fires markedly fewer spikes than the
# equations do (a chattering cell about half as many), with the same
# patterns; at dt = 0.1 ms forward Euler is within about 1 ms of its
# dt → 0 limit. So compare patterns with the paper, not spike counts.
#
# One more difference from the LIF of section 4: Izhikevich's model has no
# refractory period, so the textbook step order labels every spike exactly
# one step later than Brian2 and the offsets do **not** add up.

# %% [markdown]
# ### Explore
#
# The sliders set a, b, c, d and the step current (pA, with C = 100 pF);
# they start at the RS values. The line under the figure gives the spike
# count, the first intervals and the number of groups of spikes separated
# by pauses of 10 ms or more.
#
# 1. Turn RS into IB: set c = −55 mV and d = 4 mV/ms. What do the first
#    spikes do, and the rest?
# 2. From CH (c = −50 mV, d = 2 mV/ms), raise a from 0.02 to 0.1 /ms.
#    What happens to the bursts, and why?
# 3. With RS, lower the current to 300 pA; then raise b to 0.25 /ms (LTS).
#    Which one fires repeatedly, and what does that say about b?

# %% tags=["explorer"]
izhikevich_explorer()

# %% [markdown] tags=["answer"]
# **Answers.** (1) A burst of three spikes, then single spikes about 32 ms
# apart: the higher reset makes the first spikes come fast until u has
# grown; after that every spike is followed by a long climb. (2) The
# bursts shrink and disappear into a steady train: with a five times faster
# recovery, u follows each spike and decays within ~10 ms, so there is no
# slow build-up to end a burst and no long pause. (3) RS fires once at the
# onset and then rests; with b = 0.25 /ms the cell fires repeatedly. A
# larger b moves the resting state up (from −70 to −64 mV) and changes how
# u follows v below threshold, so less current is needed: the "low
# threshold" of LTS cells.

# %% [markdown] tags=["optional"]
# ### Challenge 4.6 (optional): when does the RS cell keep firing?
#
# A current step from rest makes the RS cell fire once at the onset well
# before it fires repeatedly. Find the smallest constant current, to 1 pA,
# at which it **keeps firing**: at least two spikes in the second half of
# a 600 ms run, [300, 600) ms, with the current on from t = 0, the cell
# starting at rest, C = 100 pF and Brian2's default dt. Use Brian2. Store
# the current in pA in `repetitive_threshold`.

# %% tags=["exercise"] minutes=15
repetitive_threshold = ...

# %% tags=["solution"]
start_scope()
scan_currents = np.arange(300.0, 460.0, 1.0)  # pA: one neuron per current
scan = NeuronGroup(
    scan_currents.size,
    """dv/dt = 0.04/(mV*ms)*v**2 + 5/ms*v + 140*mV/ms - u + I_inj/C_m : volt
    du/dt = a*(b*v - u) : volt/second
    I_inj : amp (constant)""",
    threshold="v >= 30*mV", reset="v = c; u += d", method="euler",
    namespace=dict(C_m=100 * pF, a=0.02 / ms, b=0.2 / ms, c=-65 * mV, d=8 * mV / ms),
)
scan.v = -70 * mV  # rest for b = 0.2 /ms
scan.u = 0.2 / ms * -70 * mV
scan.I_inj = scan_currents * pA
scan_spikes = SpikeMonitor(scan)
run(600 * ms)
trains = scan_spikes.spike_trains().values()
late = np.array([np.sum(t >= 300 * ms) for t in trains])
repetitive_threshold = float(scan_currents[np.argmax(late >= 2)])
print(f"repetitive firing from {repetitive_threshold:.0f} pA")

# %% tags=["check"]
check_izhikevich_rheobase(repetitive_threshold)

# %% [markdown]
# *Time so far: about 88 minutes: the end of the core path.*

# %% [markdown]
# ## 8. A network in Brian2 (optional)

# %% [markdown] tags=["notes"]
# (20 min, optional) The same E-I network as Lesson 3, written in Brian2 on
# the same synapses. The point: compare statistics against the spread of
# two seeds of one solver, not spike trains.

# %% [markdown] tags=["optional"]
# ### The course solver first
#
# Lesson 3's excitatory-inhibitory network: 400 excitatory and 100
# inhibitory conductance-based LIF neurons, 10 % random connectivity, and
# 300 external Poisson inputs at 5 Hz per neuron, with the same parameters
# and seed as in Lesson 3. First the course solver:

# %%
network_parameters = dict(
    n_excitatory=400, n_inhibitory=100, connection_probability=0.1,
    excitatory_weight=0.5, inhibitory_weight=4.0,  # nS per spike
    external_rate=5.0, n_external=300, external_weight=0.5,  # Hz, inputs, nS
    duration=1000.0, dt=0.1,
)
course_network = simulate_ei_network(**network_parameters, rng=np.random.default_rng(2024))
p = course_network.parameters
print(f"{course_network.pre.size} synapses; E_L = {p['leak_reversal'][0]} mV, "
      f"tau_e = {p['excitatory_decay_time']} ms, tau_i = {p['inhibitory_decay_time']} ms, "
      f"E_i = {p['inhibitory_reversal']} mV")

# %% [markdown]
# ### The same network, in Brian2's words
#
# One `NeuronGroup` holds all 500 neurons, with two conductances that
# decay exponentially. Two `Synapses` objects make the conductances jump
# when a presynaptic neuron spikes (`on_pre`), on **the same (pre, post)
# pairs** as the course network. `PoissonInput` adds the external drive.
# Monitors record spikes, a few voltages and the population rate. Brian2
# draws its random numbers from numpy's global generator, the one thing the
# course's own functions never use; `seed(2)` makes them reproducible.

# %%
network_model = """
dv/dt = (g_L*(E_L - v) + g_e*(E_e - v) + g_i*(E_i - v))/C_m : volt (unless refractory)
dg_e/dt = -g_e/tau_e : siemens
dg_i/dt = -g_i/tau_i : siemens
"""
network_namespace = dict(
    C_m=200 * pF, g_L=10 * nS, E_L=p["leak_reversal"][0] * mV, E_e=p["excitatory_reversal"] * mV,
    E_i=p["inhibitory_reversal"] * mV, tau_e=p["excitatory_decay_time"] * ms,
    tau_i=p["inhibitory_decay_time"] * ms, V_th=-50 * mV, V_reset=-65 * mV,
    w_e=0.5 * nS, w_i=4.0 * nS,
)
start_scope()
seed(2)  # Brian2's random numbers (the Poisson input) come from numpy's global generator
neurons = NeuronGroup(500, network_model, threshold="v >= V_th", reset="v = V_reset",
                      refractory=2 * ms, method="euler", namespace=network_namespace)
neurons.v = np.random.default_rng(3).uniform(-65.0, -50.0, 500) * mV  # [reset, threshold)
from_e = course_network.pre < 400  # neurons 0-399 are excitatory
excitation = Synapses(neurons, neurons, on_pre="g_e_post += w_e", namespace=network_namespace)
excitation.connect(i=course_network.pre[from_e], j=course_network.post[from_e])
inhibition = Synapses(neurons, neurons, on_pre="g_i_post += w_i", namespace=network_namespace)
inhibition.connect(i=course_network.pre[~from_e], j=course_network.post[~from_e])
drive = PoissonInput(neurons, "g_e", N=300, rate=5 * Hz, weight=0.5 * nS)
network_spikes = SpikeMonitor(neurons)
network_voltage = StateMonitor(neurons, "v", record=[0, 450])
population_rate = PopulationRateMonitor(neurons)
run(1000 * ms)
print(f"Brian2: {network_spikes.num_spikes} spikes; course solver: "
      f"{sum(t.size for t in course_network.spike_times)} spikes")

# %% [markdown]
# ### Same statistics, not the same spikes
#
# The random draws differ (initial voltages, Poisson input), so the two
# runs cannot agree spike by spike. They should agree **statistically**. To
# know what "agree" means, we also rerun the course solver on the same
# synapses with a different seed: the difference between two course runs
# is the yardstick for the difference between Brian2 and the course.

# %%
rerun = simulate_ei_network(**network_parameters, rng=np.random.default_rng(7),
                            connections=(course_network.pre, course_network.post))
brian_trains = [t / ms for t in network_spikes.spike_trains().values()]
brian_rates = np.array([t.size for t in brian_trains]) / 1.0  # spikes in 1 s = Hz
brian_cvs = np.array([cv_of_isi(t) for t in brian_trains])


def summary(rates, cvs):
    return (rates[:400].mean(), rates[400:].mean(), np.nanmean(cvs[:400]), np.nanmean(cvs[400:]))


rows = {
    "course (seed 2024)": summary(course_network.firing_rates, course_network.cv_isi()),
    "course (seed 7)": summary(rerun.firing_rates, rerun.cv_isi()),
    "Brian2": summary(brian_rates, brian_cvs),
}
print(f"  {'':18s} E rate (Hz)  I rate (Hz)   CV E   CV I")
for name, (rate_e, rate_i, cv_e, cv_i) in rows.items():
    print(f"  {name:18s} {rate_e:10.2f}  {rate_i:10.2f}   {cv_e:5.2f}  {cv_i:5.2f}")
ks = stats.ks_2samp(course_network.firing_rates, brian_rates)
print(f"KS test, per-neuron rates course vs Brian2: D = {ks.statistic:.3f}, p = {ks.pvalue:.2f}")
reference_rate = rows["course (seed 2024)"][0]
rate_gap = abs(rows["Brian2"][0] - reference_rate) / reference_rate
seed_gap = abs(rows["course (seed 7)"][0] - reference_rate) / reference_rate
print(f"E rates differ by {100 * rate_gap:.1f} % (Brian2 vs course) "
      f"and {100 * seed_gap:.1f} % (course vs course); within 10 %: {rate_gap < 0.10}")

# %%
figure, (ax_r, ax_b, ax_p) = new_figure(3, 1, figsize=(7.0, 6.0), sharex=True)
raster(ax_r, course_network.spike_times[350:450], color=COLORS["model"])
ax_r.set_ylabel("neuron")
ax_r.set_title("course solver: neurons 350-449 (rows 0-49 excitatory, 50-99 inhibitory)")
raster(ax_b, brian_trains[350:450], color=COLORS["reference"])
ax_b.set_title("Brian2: the same neurons")
bins = np.arange(0.0, 1001.0, 5.0)
counts, _ = np.histogram(np.concatenate(course_network.spike_times), bins)
per_neuron_per_second = counts / 500 / (5.0 / 1000.0)  # 500 neurons, 5 ms bins -> Hz
ax_p.plot(bins[:-1], per_neuron_per_second, **style("model"), label="course (5 ms bins)")
# A flat window of 5.1 ms: 51 steps of 0.1 ms, an odd number, so that it is
# centred on each step (Brian2 widens a 5 ms window to 5.1 ms, with a log message).
ax_p.plot(population_rate.t / ms,
          population_rate.smooth_rate(window="flat", width=5.1 * ms) / Hz,
          **style("reference"), label="Brian2 (5.1 ms window)")
ax_p.legend(loc="upper right")
label_axes(ax_p, "time (ms)", "population rate (Hz)")
describe(figure, "Top two panels: spike rasters of the same 100 neurons in the course solver "
         "and in Brian2, irregular in both, with different individual spikes. Bottom: the "
         "population rates of the two runs fluctuate around the same mean.")

# %% [markdown]
# ### Think
#
# Suppose you gave Brian2 exactly the course solver's Poisson input and
# initial voltages. Would the two networks then produce the same spikes for
# the whole second?

# %% [markdown] tags=["answer"]
# **Answer.** For a while, yes: the single-neuron comparison showed the
# same spikes and voltages equal to ~1e-13 mV. But a recurrent network of
# this kind is chaotic: a tiny difference in one voltage eventually moves
# one spike by one step, that spike changes its targets' conductances, and
# the difference spreads through the network. After some tens of ms the
# spike trains decorrelate, while the statistics (rates, CVs) stay the
# same. That is why network simulators are compared statistically.
#
# *Optional section: about 20 minutes.*

# %% [markdown]

# %% [markdown]
# ## Summary

# %% [markdown] tags=["notes"]
# (3 min) Read the bullets; point at the parameter table: what each model
# adds, and what Lesson 5 will fit.

# %% [markdown]
# - Brian2 models are equations with units: `dv/dt = (g_L*(E_L - v) + I_inj)/C_m : volt`.
#   Multiply by a unit going in, divide by it coming out. Unit mistakes
#   become `DimensionMismatchError`s instead of wrong figures.
# - Set the initial state (Brian2 starts at 0, i.e. v = 0 mV), declare
#   currents in amp, and pass values with their real sign.
# - The first run of a model pays for parsing, sympy and code generation,
#   and on the cython target a compilation (~15 s here), cached on disk.
#   Then Brian2 runs a few generated programs per step (five for the
#   lesson's LIF with two monitors). For one neuron, Brian2 is never the
#   fast option; its value is correctness and scale.
# - Brian2 labels a spike with the start of the step, a textbook loop with
#   its end: 1 step later; with a refractory period and a constant current
#   the k-th spike is k steps later. In Brian2's order the course solver
#   reproduces Brian2 exactly (voltage to ~1e-13 mV). Compare spikes by
#   grid index, never `==` on floats.
# - Euler's error ∝ dt; exponential Euler and exact are exact for a linear
#   membrane with a stepwise-constant current (rounding only, up to a few
#   1e-12 mV).
# - Hodgkin-Huxley makes real spikes (~90 mV, ~1.3 ms), has a moving
#   threshold, a type II f-I jump, a ≥ 7 ms recovery, spikes that shrink
#   with current and a depolarisation block: none of which a LIF can do.
# - Izhikevich's two variables and four numbers give regular spiking,
#   bursting, chattering, fast and low-threshold spiking; its parameters
#   describe dynamics, not measurable channels.
# - (Optional) Networks are compared by statistics: rates and CVs of Brian2
#   and the course solver agree as well as two seeds of the same solver.
#
# How many numbers does each model need? (The passive membrane's three are
# the ones Lesson 2 measured.)
#
# | model | passive membrane | spiking and adaptation | fixed by the model |
# | --- | --- | --- | --- |
# | LIF | C, g_L, E_L (3) | V_th, V_reset, t_ref (3) | none |
# | AdEx | C, g_L, E_L (3) | Δ_T, V_T, V_peak, V_reset, a, b, τ_w (7) | none (t_ref optional) |
# | Izhikevich | none (C only scales I) | a, b, c, d (4) | 0.04, 5, 140; 30 mV cut |
#
# A fit need not search all of them. In Lesson 5, `fit_passive` measures
# six numbers from the recording (C, g_L, E_L, the sag's a and τ_w, and
# the amplifier's [series resistance](../glossary.md#series-resistance)), which both spiking fits
# inherit;
# `fit_lif` then searches the LIF's 3 spiking parameters, and `fit_adex` 4
# of AdEx's 7 (V_T, Δ_T, V_reset, b), taking a and τ_w from the sag and
# fixing V_peak at 0 mV.
#
# **Next: Lesson 5.** A real neuron, recorded: we fit passive, LIF and AdEx
# models to it and measure what each gets wrong.

# %% [markdown]
# ## Further reading

# %% [markdown] tags=["notes"]
# (1 min) Where to go next; Lesson 6 for speed.

# %% [markdown]
# - W. Gerstner, W. M. Kistler, R. Naud and L. Paninski (2014), *Neuronal
#   Dynamics*, free online: the LIF model,
#   [chapter 1.3](https://neuronaldynamics.epfl.ch/online/Ch1.S3.html);
#   Hodgkin-Huxley, [chapter 2.2](https://neuronaldynamics.epfl.ch/online/Ch2.S2.html);
#   the quadratic integrate-and-fire model,
#   [chapter 5.3](https://neuronaldynamics.epfl.ch/online/Ch5.S3.html);
#   AdEx and firing patterns, [chapter 6.1](https://neuronaldynamics.epfl.ch/online/Ch6.S1.html),
#   and its Brian2 exercise on
#   [AdEx firing
#   patterns](https://neuronaldynamics-exercises.readthedocs.io/en/latest/exercises/adex-model.html).
# - The Brian2 documentation:
#   [equations](https://brian2.readthedocs.io/en/stable/user/equations.html),
#   [running a simulation and the
#   schedule](https://brian2.readthedocs.io/en/stable/user/running.html),
#   and its [tutorials](https://brian2.readthedocs.io/en/stable/resources/tutorials/index.html).
# - Neuromatch Academy, [Biological neuron models, tutorial
#   1](https://compneuro.neuromatch.io/tutorials/W2D3_BiologicalNeuronModels/student/W2D3_Tutorial1.html)
#   (the LIF neuron, with explorers).
# - [Lesson 6 (optional): scaling up](06_scaling.ipynb): the same kind of
#   network compiled to C++ with `cpp_standalone`, and on a GPU.
# - Papers cited: A. L. Hodgkin and A. F. Huxley (1952), *J. Physiol.*
#   117:500-544; G. B. Ermentrout and N. Kopell (1986), *SIAM J. Appl. Math.*
#   46:233-253; N. Fourcaud-Trocmé et al. (2003), *J. Neurosci.*
#   23:11628-11640; E. M. Izhikevich (2003), Simple model of spiking
#   neurons, *IEEE Trans. Neural Netw.* 14:1569-1572; E. M. Izhikevich
#   (2004), Which model to use for cortical spiking neurons?, *IEEE Trans.
#   Neural Netw.* 15:1063-1070; R. Brette and W. Gerstner (2005), *J.
#   Neurophysiol.* 94:3637-3642; D. Goodman and R. Brette (2008), *Front.
#   Neuroinform.* 2:5; M. Stimberg, R. Brette and D. F. M. Goodman (2019),
#   *eLife* 8:e47314.

# %% [markdown]
# ## Projects

# %% [markdown] tags=["notes"]
# (45 min, optional) Two projects for after class: AdEx in Brian2 against
# simulate_adex, and a parameter sweep in one NeuronGroup.

# %% [markdown] tags=["optional"]
# ### Two projects
#
# 1. **Adaptation in Brian2.** Write the adaptive exponential
#    integrate-and-fire (AdEx) model (Brette & Gerstner 2005) in Brian2: two
#    equations (v and the adaptation current w), a reset that also does
#    `w += b`. Drive it with a 1 nA step and compare its spike times with
#    the course's `simulate_adex(..., step_order="brian2")`.
# 2. **A parameter sweep in one group.** Put 200 LIF neurons in one
#    `NeuronGroup` with per-neuron parameters (`tau : second (constant)`),
#    10 values of τ × 20 currents, run once, and draw the firing rate as a
#    map. Compare with `lif_firing_rate`.

# %% tags=["student-only"]
# Your projects here.

# %% [markdown] tags=["solution-only"]
# ### Project 1: AdEx in Brian2
#
# Parameters of Brette & Gerstner (2005), Table 1 (a regular-spiking
# cortical neuron), with a 1 nA step. **History and scope.** Brette and
# Gerstner built AdEx from two pieces: the exponential spike initiation of
# Fourcaud-Trocmé et al. (2003), which approximates the sodium current's
# onset, and one adaptation current w. Its passive parameters (C, g_L,
# E_L) are measurable; it predicts the spike times of detailed models well
# under noisy input, but like the LIF it has no spike shape.

# %% tags=["solution-only"]
adex = dict(
    membrane_capacitance=281.0, leak_conductance=30.0, leak_reversal=-70.6,
    slope_factor=2.0, rheobase_threshold=-50.4, spike_cutoff=20.0, reset=-70.6,
    adaptation_coupling=4.0, spike_adaptation=80.5, adaptation_time_constant=144.0,
)
adex_time = time_grid(400.0, 0.1)
adex_current = step_current(adex_time, 1000.0, 50.0, 350.0)

start_scope()
adex_model = """
dv/dt = (g_L*(E_L - v) + g_L*Delta_T*exp((v - V_T)/Delta_T) - w + I_inj(t))/C_m : volt
dw/dt = (a*(v - E_L) - w)/tau_w : amp
"""
adex_namespace = dict(
    C_m=281 * pF, g_L=30 * nS, E_L=-70.6 * mV, Delta_T=2 * mV, V_T=-50.4 * mV,
    a=4 * nS, tau_w=144 * ms, b=80.5 * pA, V_peak=20 * mV, V_reset=-70.6 * mV,
    I_inj=TimedArray(adex_current * pA, dt=0.1 * ms),
)
adex_group = NeuronGroup(1, adex_model, threshold="v >= V_peak", reset="v = V_reset; w += b",
                         method="euler", namespace=adex_namespace)
adex_group.v = -70.6 * mV
adex_state = StateMonitor(adex_group, ["v", "w"], record=0)
adex_spikes = SpikeMonitor(adex_group)
run(400 * ms)

course_adex = simulate_adex(duration=400.0, dt=0.1, current=adex_current, step_order="brian2",
                            backend="numpy", **adex)
same = np.array_equal(spike_steps(adex_spikes.t / ms, 0.1),
                      spike_steps(course_adex.spike_times[0], 0.1))
print(f"{adex_spikes.num_spikes} spikes; same steps as simulate_adex: {same}")
print("intervals (ms):", np.round(np.diff(adex_spikes.t / ms), 1))

# %% tags=["solution-only"]
figure, (ax_v, ax_w) = new_figure(2, 1, figsize=(7.0, 4.5), sharex=True)
ax_v.plot(adex_state.t / ms, adex_state.v[0] / mV, **style("model"), label="Brian2")
ax_v.plot(course_adex.time, course_adex.voltage[0], **style("reference"),
          label="simulate_adex")
ax_v.legend(loc="upper right")
label_axes(ax_v, "", "V (mV)", "AdEx: the intervals grow as w builds up")
ax_w.plot(adex_state.t / ms, adex_state.w[0] / pA, **style("inhibitory"))
label_axes(ax_w, "time (ms)", "w (pA)")
describe(figure, "Top: the AdEx voltage in Brian2 (solid) and simulate_adex (dotted, on top of "
         "it) during the 1 nA step; the intervals between spikes grow. Bottom: the "
         "adaptation current w jumps at each spike and builds up.")

# %% [markdown] tags=["solution-only"]
# ### Project 2: a parameter sweep in one NeuronGroup

# %% tags=["solution-only"]
sweep_taus = np.linspace(5.0, 50.0, 10)  # ms
sweep_currents = np.linspace(0.0, 500.0, 20)  # pA
tau_grid, current_grid = np.meshgrid(sweep_taus, sweep_currents, indexing="ij")

start_scope()
sweep_model = """
dv/dt = (E_L - v)/tau + I_inj/(g_L*tau) : volt (unless refractory)
tau : second (constant)
I_inj : amp (constant)
"""
sweep = NeuronGroup(tau_grid.size, sweep_model, threshold="v >= V_th", reset="v = V_reset",
                    refractory=2 * ms, method="exact", namespace=namespace)
sweep.v = -65 * mV
sweep.tau = tau_grid.ravel() * ms
sweep.I_inj = current_grid.ravel() * pA
sweep_spikes = SpikeMonitor(sweep)
run(500 * ms)

sweep_rates = (sweep_spikes.count[:] / 0.5).reshape(tau_grid.shape)  # spikes / 0.5 s = Hz
theory = np.array([
    lif_firing_rate(current_grid[k], **dict(neuron, membrane_capacitance=10.0 * tau))
    for k, tau in enumerate(sweep_taus)
])
print(f"largest |Brian2 - theory|: {np.max(np.abs(sweep_rates - theory)):.1f} Hz "
      "(a count over 500 ms resolves 2 Hz; dt rounds every interval up)")

figure, ax = new_figure(figsize=(5.5, 3.6))
image = ax.pcolormesh(sweep_currents, sweep_taus, sweep_rates, shading="nearest")
figure.colorbar(image, ax=ax, label="firing rate (Hz)")
label_axes(ax, "injected current (pA)", "membrane time constant τ (ms)",
           "200 LIF neurons, one NeuronGroup, one run")
describe(figure, "Firing rate as a colour map over current and time constant: zero below "
         "the rheobase of 150 pA whatever tau, then rising with the current, faster for a "
         "short time constant.")

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
# # Lesson 3: Leaky integrate-and-fire
#
# The passive membrane of Lesson 2 adds up its input and leaks it away,
# but it never *fires*. Real neurons turn their input into spikes
# ([action potentials](../glossary.md#action-potential)). The simplest model
# that does, the **leaky integrate-and-fire neuron** (LIF neuron, see the
# [glossary](../glossary.md#leaky-integrate-and-fire-neuron)), adds three
# rules to the passive membrane: a [threshold](../glossary.md#threshold), a reset and
# a [refractory period](../glossary.md#refractory-period).
# With it you will ask the classic questions: how does the firing rate
# depend on the input, what do excitation, inhibition and noise do, and why
# are the spike trains of cortical neurons so irregular?
#
# **What you will understand about neurons**
#
# - why a leaky cell needs a minimum current to fire (the
#   [rheobase](../glossary.md#rheobase)), how its firing rate grows with the
#   current (the [f-I curve](../glossary.md#f-i-curve)), and why the rate
#   cannot exceed 1 / (refractory period);
# - that a single synapse moves the membrane by well under a millivolt, so a
#   neuron fires when many inputs add up, and how inhibition shifts that;
# - why noise must be scaled with the time step, and why balanced
#   excitation and inhibition make spike trains as irregular as in cortex;
# - (challenge) how an experimenter finds a neuron's parameters from its
#   responses to injected currents.
#
# **Programming goals**
#
# - extend a class by [inheritance](../glossary.md#inheritance) and let one
#   simulator step any neuron type ([polymorphism](../glossary.md#polymorphism));
# - store spikes as **events** (a list of times) and draw them only when plotting;
# - use `logging` instead of `print`;
# - compute a formula for a whole array at once with `np.where`, without warnings.
#
# **Time.** Core path about **90 minutes**, marked through the lesson
# ("time so far"), assuming you run every cell, read at a normal pace and
# write the exercises yourself (someone new to Python classes should add
# ~20 min to §1). The sections marked *optional* (about 40 min) and the two
# projects (2-3 h each) are for later. **Prerequisites:** Lessons 1
# (synapses) and 2 (the passive membrane and the `Simulator`).

# %% [markdown]
# ## Units and imports

# %% [markdown] tags=["notes"]
# (2 min) Same unit system as before; the standard cell of Lesson 2. Point
# out that dt I / C comes out in mV with no conversion factor.

# %% [markdown]
# As always: time in **ms**, voltage in **mV**, current in **pA**,
# conductance in **nS**, capacitance in **pF**, rates in **Hz**. So
# $\Delta t \, I / C$ is in mV (ms × pA / pF) and $g\,(E - V)$ in pA.
#
# Our model cell is the one from Lesson 2: $C$ = 200 pF, $g_L$ = 10 nS, so
# $\tau = C/g_L$ = 20 ms and $R = 1/g_L$ = 0.1 GΩ = 100 MΩ, resting at
# $E_L$ = −70 mV.

# %%
import inspect
import logging
import sys

import numpy as np
from scipy import integrate
from scipy.optimize import curve_fit

from course_utils import analysis, inputs, networks, neurons, synapses
from course_utils.checks.lif import (
    check_cv_isi,
    check_irregularity_prediction,
    check_lif_neuron,
    check_lif_rate,
    check_mystery_estimates,
    check_perfect_integrator,
    check_rate_predictions,
    check_white_noise,
)
from course_utils.interactive import show, trace_figure
from course_utils.mystery import MysteryNeuron
from course_utils.parameters import LIF_DEFAULTS, STANDARD_CELL
from course_utils.plotting import (
    COLORS,
    describe,
    label_axes,
    new_figure,
    plot_voltage,
    raster,
    style,
)
from course_utils.simulator import CurrentInput, PassiveNeuron, Simulator
from course_utils.widgets import lif_explorer, noisy_lif_explorer

CELL = dict(STANDARD_CELL)  # 200 pF, 10 nS, -70 mV
LIF = CELL | LIF_DEFAULTS  # threshold -50 mV, reset -65 mV, refractory period 2 ms

# The fast simulator (numba) compiles on the other core while you read, so
# the large runs later in this lesson start at once.
neurons.compile_in_background("lif")

# %% [markdown]
# ## 1. Integrate, fire, reset

# %% [markdown] tags=["notes"]
# (25 min, with exercise 3.1) The three rules, a word of history, then
# inheritance. Stress that a spike is an event (a time), not a voltage
# sample. Exercise 3.1 takes most of the time: let students struggle with
# the order (integrate first, then test the threshold).

# %% [markdown]
# Below threshold, the LIF neuron *is* the passive membrane:
#
# $$C \frac{dV}{dt} = g_L\,(E_L - V) + I(t).$$
#
# On top of that come three rules:
#
# 1. **Threshold.** When the
#    [membrane potential](../glossary.md#membrane-potential) $V$ reaches the threshold
#    $V_\text{th}$ (−50 mV), the neuron fires. We write down the **time** of
#    the spike, $t_k$.
# 2. **Reset.** $V$ jumps to the **reset potential** $V_\text{reset}$ (−65 mV).
# 3. **Refractory period.** For a short time after a spike, $t_\text{ref}$
#    (2 ms), $V$ stays at $V_\text{reset}$: the neuron cannot fire again at
#    once, as a real neuron cannot while its sodium channels recover.
#
# The action potential itself (its ~1 ms of sodium and potassium currents)
# is not modelled at all. A spike is an **event**: the output of the model
# is the list of spike times $\{t_k\}$. If you want a figure that looks
# like a recording, *draw* a vertical line at each $t_k$; never write a
# spike shape into the voltage. That would mix a drawing convention into
# the data (the mean voltage, the spike count and every later analysis
# would depend on it).
#
# **A little history, and what the model leaves out.** Louis Lapicque (1907)
# described a frog's nerve as a capacitor with a leak that "fires" once it
# is charged to a threshold, half a century before Hodgkin and Huxley
# explained how an action potential works (Brunel & van Rossum 2007 retell
# the story). The model captures what happens *between* spikes, the
# integration of input by an RC membrane, and so it predicts firing rates
# and the timing of spikes under many inputs surprisingly well. It leaves
# out the spike's shape, **adaptation** (real neurons slow down during a
# long current step; Lesson 5 measures that in a real cell), bursting, and
# a threshold that depends on how fast $V$ rises. Lesson 5 adds an
# exponential spike onset and adaptation (the AdEx model of Brette &
# Gerstner, 2005).

# %% [markdown]
# ### Inheritance: a LIF neuron *is a* passive neuron
#
# In Lesson 2 you wrote `PassiveNeuron` (`course_utils.simulator` holds the
# reference version). Its `step` method does one Euler step of the
# membrane equation, asking `self.leak_current()` and
# `self.input_current(time)` for the currents, and then moves every input
# with a state of its own (a synapse's conductance) one step on:

# %%
print(inspect.getsource(PassiveNeuron.step))
print(inspect.getsource(PassiveNeuron.leak_current))

# %% [markdown]
# A LIF neuron does everything a passive neuron does, plus the three rules.
# So we don't copy the passive neuron's code: we **inherit** it,
# `class LIFNeuron(PassiveNeuron)`. The new class gets every attribute and
# method of the old one; it only adds what is new (threshold, reset value,
# refractory period, the list of spike times) and **overrides** `step`.
# Inside the new `step`, `super().step(time, dt)` runs the parent's
# version: the membrane integration you already tested.
#
# The `Simulator` calls `neuron.step(time, dt)` for every neuron without
# asking what kind of neuron it is. Python picks the `step` of the object's
# own class: **polymorphism**. A passive neuron and a LIF neuron can run
# side by side in one simulation.
#
# The `__init__` and `reset` below are written for you: `reset` is called
# by `Simulator.run` before every run, so a second run starts with no old
# spikes.

# %% [markdown]
# ### Exercise 3.1: the LIF step
#
# Write `step(self, time, dt)`. It advances the neuron from `time` to
# `time + dt` (ms) and applies the three rules:
#
# - **Integrate** with `super().step(time, dt)` in *every* step, refractory
#   or not: it also moves the inputs on (a synapse's conductance keeps
#   decaying while the neuron is refractory).
# - **Threshold.** If $V$ has reached the threshold at the end of the step,
#   it crossed it *during* the step: the course labels that spike with the
#   end of the step, `time + dt`. Append that time to `self.spike_times`,
#   announce it with `self.logger.debug(...)` and reset $V$.
# - **Refractory period.** `self.refractory_until` holds the time (ms) at
#   which the current refractory period ends: at a spike, set it to the
#   spike time plus `self.refractory_period`. A step is refractory when it
#   *ends* no later than that, `time + dt <= self.refractory_until`
#   (add `dt / 1000` on the right as slack: `0.1 * 120` is
#   `12.000000000000002`, not `12.0`). So the period lasts the whole steps
#   that fit into it, floor(t_ref / dt) of them, the rule Brian2 uses too.
#   In a refractory step, $V$ ends at the reset value, and no spike can happen.
#
# Think about the order: you must know whether a step is refractory before
# anything changes.

# %% tags=["exercise"] minutes=15
lesson_logger = logging.getLogger("lesson3")


class LIFNeuron(PassiveNeuron):
    """Leaky integrate-and-fire neuron: a passive neuron + threshold, reset, refractoriness."""

    def __init__(self, name="LIF", *, threshold=-50.0, reset_voltage=-65.0,
                 refractory_period=2.0, **kwargs):
        super().__init__(name, **kwargs)  # C, g_L, E_L, initial voltage, inputs
        self.threshold = threshold  # mV
        self.reset_voltage = reset_voltage  # mV
        self.refractory_period = refractory_period  # ms
        self.logger = lesson_logger.getChild(name)  # one logger per neuron
        self.spike_times = []  # ms
        self.refractory_until = -np.inf  # ms: not refractory at the start

    def reset(self):
        """Back to the start of a run: initial voltage, no spikes, not refractory."""
        super().reset()
        self.spike_times = []
        self.refractory_until = -np.inf

    def step(self, time, dt):
        """Advance from time to time + dt (ms): integrate, then threshold and reset."""
        ...


# %% tags=["solution"]
lesson_logger = logging.getLogger("lesson3")


class LIFNeuron(PassiveNeuron):
    """Leaky integrate-and-fire neuron: a passive neuron + threshold, reset, refractoriness."""

    def __init__(self, name="LIF", *, threshold=-50.0, reset_voltage=-65.0,
                 refractory_period=2.0, **kwargs):
        super().__init__(name, **kwargs)  # C, g_L, E_L, initial voltage, inputs
        self.threshold = threshold  # mV
        self.reset_voltage = reset_voltage  # mV
        self.refractory_period = refractory_period  # ms
        self.logger = lesson_logger.getChild(name)  # one logger per neuron
        self.spike_times = []  # ms
        self.refractory_until = -np.inf  # ms: not refractory at the start

    def reset(self):
        """Back to the start of a run: initial voltage, no spikes, not refractory."""
        super().reset()
        self.spike_times = []
        self.refractory_until = -np.inf

    def step(self, time, dt):
        """Advance from time to time + dt (ms): integrate, then threshold and reset."""
        # Refractory if this step ENDS inside the refractory period: whole steps only.
        # (dt / 1000 of slack: 0.1 * 120 is 12.000000000000002, not 12.0.)
        refractory = time + dt <= self.refractory_until + dt / 1000
        super().step(time, dt)  # the passive membrane and the inputs, inherited
        if refractory:
            self.voltage = self.reset_voltage
        elif self.voltage >= self.threshold:
            spike_time = time + dt  # V crossed the threshold during this step
            self.spike_times.append(spike_time)
            self.logger.debug("%s spiked at t = %.1f ms", self.name, spike_time)
            self.voltage = self.reset_voltage
            self.refractory_until = spike_time + self.refractory_period


# %% tags=["check"]
check_lif_neuron(LIFNeuron)

# %% [markdown]
# ### Polymorphism at work
#
# One simulator, two kinds of neuron, the same current step (300 pA from 20
# to 180 ms). The simulator does not know, or care, which is which.

# %%
simulator = Simulator(dt=0.1)
passive = simulator.add(PassiveNeuron("passive"))
lif = simulator.add(LIFNeuron_in_use("LIF"))
for neuron in simulator.neurons:
    neuron.add_input(CurrentInput(300.0, start=20.0, stop=180.0))
simulator.run(200.0)

time = simulator.recorded_time
v_lif = simulator.recorded_voltage(lif)
figure, ax = new_figure(figsize=(7.0, 3.2))
plot_voltage(ax, time, simulator.recorded_voltage(passive), label="passive",
             **{**style("data"), "linestyle": "--"})
plot_voltage(ax, time, v_lif, spike_times=lif.spike_times, label="LIF", **style("model"))
ax.axhline(-50.0, lw=1.0, label="threshold", **style("reference"))
ax.legend(loc="upper right", fontsize=9)
label_axes(ax, "time (ms)", "membrane potential (mV)",
           "300 pA: the passive membrane settles at -40 mV, the LIF neuron fires")
print(f"{len(lif.spike_times)} spikes, the first at {lif.spike_times[0]:.1f} ms")
print(f"highest recorded voltage of the LIF neuron: {v_lif.max():.2f} mV (below threshold)")
describe(figure, "Membrane potential during a 300 pA step from 20 to 180 ms. The passive "
         "membrane (grey, dashed) rises to a plateau at -40 mV; the LIF neuron (black, "
         "spikes drawn as vertical lines) climbs to the dotted threshold at -50 mV, "
         "resets to -65 mV and "
         "climbs again, firing regularly.")

# %% [markdown]
# The vertical lines are drawn by `plot_voltage(..., spike_times=...)`; the
# recorded voltage never goes above −50 mV.
#
# Lesson 2's Simulator steps one neuron at a time in Python: clear, but
# slow. For large runs the course has a **vectorised** solver,
# `neurons.simulate_lif`, that steps many neurons at once with numpy (or
# numba). It uses the same equation, the same step order and the same
# refractory rule, so the spike times must agree:

# %%
vectorised = neurons.simulate_lif(
    duration=200.0, dt=0.1, current=inputs.step_current(time, 300.0, 20.0, 180.0), **LIF
)
difference = np.max(np.abs(vectorised.spike_times[0] - np.array(lif.spike_times)))
print(f"same number of spikes: {len(vectorised.spike_times[0]) == len(lif.spike_times)}; "
      f"largest difference in spike time: {difference:.1e} ms")

# %% [markdown]
# *Time so far: about 28 minutes.*

# %% [markdown]
# ## 2. Logging instead of `print`

# %% [markdown] tags=["notes"]
# (5 min) A programming aside: loggers are silent by default and can be
# switched on per neuron. Run the cell, show that only "loud" speaks.

# %% [markdown]
# Your `step` announces every spike with `self.logger.debug(...)`. Nothing
# appeared above, and that is the point: log messages are **off** until you
# ask for them, and you can ask for them per module, or even per neuron,
# without touching the code. `print` can do neither.
#
# Two lines turn logging on: `basicConfig` says where messages go and how
# they look; `setLevel` says which logger should speak. Each neuron has its
# own logger, `lesson3.<name>`, so we can listen to just one of them.

# %%
logging.basicConfig(format="%(name)s | %(levelname)s | %(message)s", stream=sys.stdout,
                    force=True)

simulator = Simulator(dt=0.1)
quiet = simulator.add(LIFNeuron_in_use("quiet"))
loud = simulator.add(LIFNeuron_in_use("loud"))
for neuron in simulator.neurons:
    neuron.add_input(CurrentInput(400.0))
loud.logger.setLevel(logging.DEBUG)  # only this neuron reports its spikes
simulator.run(60.0)
loud.logger.setLevel(logging.NOTSET)  # back to the default: silent
print(f"quiet fired {len(quiet.spike_times)} times too, without a word")

# %% [markdown]
# `logging.getLogger("lesson3").setLevel(logging.DEBUG)` would switch on
# every neuron at once (loggers form a tree by their dotted names). The
# course's own reference classes, `course_utils.simulator.LIFNeuron` and
# `PerfectIntegrator`, log the same way under `course_utils.simulator.<name>`.
# Levels, from chatty to alarming: `debug`, `info`, `warning`, `error`.
#
# *Time so far: about 33 minutes.*

# %% [markdown]
# ## 3. Without a leak

# %% [markdown] tags=["notes"]
# (7 min, with exercise 3.2) Remove the leak: one overridden method. Ask
# the room first: will the LIF neuron fire at 100 pA? Will the perfect
# integrator? Then run.

# %% [markdown]
# Remove the leak and you get the **perfect integrator**,
# $C\,dV/dt = I$: it adds up every bit of input and never forgets. From
# the reset it reaches threshold after $C\,(V_\text{th} - V_\text{reset})/I$,
# so it fires at
#
# $$f = \frac{1000}{t_\text{ref} + C\,(V_\text{th}-V_\text{reset})/I}\ \text{Hz}
# \quad\approx\quad \frac{1000\,I}{C\,(V_\text{th}-V_\text{reset})}\ \text{for small } I:$$
#
# linear in $I$ for small currents, and **any** positive current makes it
# fire, however weak.
#
# ### Exercise 3.2: one method is enough
#
# `PassiveNeuron.step` asks `self.leak_current()` for the leak. Write
# `PerfectIntegrator(LIFNeuron)` so that it has no leak. Threshold, reset,
# refractoriness, logging: all inherited.

# %% tags=["exercise"] minutes=3
class PerfectIntegrator(LIFNeuron):
    """An integrate-and-fire neuron without a leak: C dV/dt = I."""

    def leak_current(self):
        ...


# %% tags=["solution"]
class PerfectIntegrator(LIFNeuron):
    """An integrate-and-fire neuron without a leak: C dV/dt = I."""

    def leak_current(self):
        return 0.0  # pA: no leak at all


# %% tags=["check"]
check_perfect_integrator(PerfectIntegrator)

# %% [markdown] tags=["predict"]
# **Predict** before you run the next cell: with a constant 100 pA, will
# the LIF neuron fire? Will the perfect integrator? (Hint: where would the
# passive membrane settle with 100 pA?)

# %%
simulator = Simulator(dt=0.1)
leaky = simulator.add(LIFNeuron_in_use("leaky"))
perfect = simulator.add(PerfectIntegrator_in_use("perfect"))
for neuron in simulator.neurons:
    neuron.add_input(CurrentInput(100.0))
simulator.run(150.0)

figure, ax = new_figure(figsize=(7.0, 3.0))
# Grey solid against black dashed: lightness is never the only cue.
for neuron, meaning, line in ((leaky, "data", "-"), (perfect, "model", "--")):
    plot_voltage(ax, simulator.recorded_time, simulator.recorded_voltage(neuron),
                 spike_times=neuron.spike_times, label=neuron.name,
                 **{**style(meaning), "linestyle": line})
ax.legend(loc="upper left", fontsize=9, framealpha=1.0)
label_axes(ax, "time (ms)", "membrane potential (mV)",
           "100 pA: the leak wins in the LIF neuron, never in the perfect integrator")
print("LIF spikes:", leaky.spike_times)
print("perfect integrator spikes (ms):", np.round(perfect.spike_times, 1))
describe(figure, "Membrane potential with a constant 100 pA. The LIF neuron (grey, solid) settles "
         "at -60 mV, below the -50 mV threshold, and never fires; the perfect integrator "
         "(black, dashed) climbs in straight lines and fires every 32 ms.")

# %% [markdown]
# With 100 pA the leaky membrane settles at $E_L + I/g_L$ = −60 mV: the leak
# current, $g_L(V - E_L)$, grows until it cancels the input before $V$ gets
# to the threshold. The perfect integrator has no leak to stop it.
#
# *Time so far: about 40 minutes.*

# %% [markdown]
# ## 4. The f-I curve

# %% [markdown] tags=["notes"]
# (20 min, with the prediction and exercise 3.3) Predictions first: give
# the room 3 minutes to compute the weakest current that fires and the
# highest possible rate. Then derive the rate formula together, let them
# code it, and compare with the simulation. The explorer closes the section.

# %% [markdown]
# How does the firing rate depend on a constant input current $I$? Its graph
# is the neuron's **f-I curve** (frequency against current), the first thing
# an experimenter measures on a new cell.
#
# ### Predict: the weakest current, and the fastest rate
#
# Reason it out before reading on (the passive membrane of Lesson 2 is all
# you need):
#
# 1. What is the smallest constant current, in pA, that makes our cell fire
#    at all, however long you wait? (This current has a name: the
#    **rheobase**.)
# 2. However strong the current, the rate cannot grow forever. What is the
#    highest rate, in Hz?

# %% [markdown] tags=["predict"]
# Write your two numbers into the next cell, then run the check: it
# compares them with a simulation.

# %% tags=["exercise"] minutes=3
prediction = dict(
    rheobase=...,  # pA
    max_rate=...,  # Hz
)

# %% tags=["solution"]
prediction = dict(
    # With a constant I, V settles at V_inf = E_L + I / g_L (Lesson 2); the cell
    # fires only if V_inf > V_th: I > g_L (V_th - E_L) = 10 nS x 20 mV = 200 pA.
    rheobase=10.0 * (-50.0 - -70.0),  # pA
    # Each interval lasts at least the refractory period: f < 1000 / t_ref.
    max_rate=1000.0 / 2.0,  # Hz
)

# %% tags=["check"]
check_rate_predictions(prediction)

# %% [markdown]
# ### The rate, exactly
#
# Here is the reasoning. After a spike, $V$ starts at $V_\text{reset}$ and
# relaxes towards the passive steady state $V_\infty = E_L + I/g_L$:
#
# $$V(t) = V_\infty + (V_\text{reset} - V_\infty)\, e^{-t/\tau}.$$
#
# It reaches the threshold only if $V_\infty > V_\text{th}$, that is above
# the **rheobase** $I_\text{rh} = g_L\,(V_\text{th} - E_L)$ = 10 nS × 20 mV
# = 200 pA. Setting $V(T) = V_\text{th}$ gives the time to climb,
# $T = \tau \ln \frac{V_\infty - V_\text{reset}}{V_\infty - V_\text{th}}$,
# and one interval between spikes, the **inter-spike interval** (ISI), is
# $t_\text{ref} + T$. The firing rate is its inverse:
#
# $$f(I) = \frac{1000}{t_\text{ref} + \tau \ln \dfrac{V_\infty - V_\text{reset}}
# {V_\infty - V_\text{th}}}\ \text{Hz}
# \qquad \text{if } V_\infty > V_\text{th}, \text{ else } 0.$$
#
# Just above the rheobase, $V$ crawls towards the threshold and the rate
# rises from 0 with an infinitely steep slope; at large currents the climb
# takes no time and the rate approaches $1000/t_\text{ref}$.
#
# ### Exercise 3.3: the LIF rate
#
# Write `lif_rate(current, membrane_capacitance, leak_conductance,
# leak_reversal, threshold, reset, refractory_period)` returning the rate in
# Hz for an **array** of currents (pA), using the formula above.
#
# Two numpy points. An `if` cannot decide for a whole array at once;
# `np.where(condition, a, b)` picks `a` where the condition holds and `b`
# elsewhere. But `np.where` computes `a` *everywhere*, also where the cell
# does not fire, and there the logarithm of a negative number (or a division
# by zero) makes numpy print a `RuntimeWarning`. The result is still right,
# but don't teach yourself to ignore warnings. Either silence them on
# purpose for those lines,
#
# ```python
# with np.errstate(divide="ignore", invalid="ignore"):
#     ...
# ```
#
# or give the logarithm a harmless argument where the cell does not fire
# (e.g. replace $V_\infty$ by $V_\text{th} + 1$ mV there) and set those
# rates to 0 afterwards. And remember the factor 1000 (ms → s).

# %% tags=["exercise"] minutes=10
def lif_rate(current, membrane_capacitance, leak_conductance, leak_reversal, threshold,
             reset, refractory_period):
    """Firing rate (Hz) of a LIF neuron for constant current(s) in pA."""
    ...


# %% tags=["solution"]
def lif_rate(current, membrane_capacitance, leak_conductance, leak_reversal, threshold,
             reset, refractory_period):
    """Firing rate (Hz) of a LIF neuron for constant current(s) in pA."""
    tau = membrane_capacitance / leak_conductance  # pF / nS = ms
    v_inf = leak_reversal + np.asarray(current, dtype=float) / leak_conductance  # mV
    fires = v_inf > threshold
    # A harmless argument where the cell does not fire: no log of a negative number.
    safe = np.where(fires, v_inf, threshold + 1.0)
    interval = refractory_period + tau * np.log((safe - reset) / (safe - threshold))  # ms
    return np.where(fires, 1000.0 / interval, 0.0)


# %% tags=["check"]
check_lif_rate(lif_rate)

# %% [markdown]
# ### Simulation against theory, all currents at once
#
# `simulate_lif` takes one current per neuron through `bias_current`, so a
# whole f-I curve is **one call**: 121 independent neurons, each with its own
# current. We measure each rate from the ISIs (the first spike, which starts
# from rest rather than from the reset, is not part of the steady rhythm).

# %%
currents = np.linspace(0.0, 600.0, 121)  # pA


def steady_rate(spike_times):
    """Rate in Hz from the mean inter-spike interval (0 Hz with fewer than two spikes)."""
    intervals = analysis.interspike_intervals(spike_times)
    return 1000.0 / intervals.mean() if intervals.size else 0.0


result = neurons.simulate_lif(duration=1000.0, dt=0.1, bias_current=currents,
                              record_voltage=False, **LIF)
simulated = np.array([steady_rate(train) for train in result.spike_times])
rheobase = neurons.lif_rheobase(leak_conductance=10.0, leak_reversal=-70.0, threshold=-50.0)
perfect_rate = 1000.0 / (2.0 + 200.0 * 15.0 / currents[1:])  # Hz, t_ref + C dV / I

figure, ax = new_figure(figsize=(6.5, 3.6))
ax.plot(currents, lif_rate_in_use(currents, **LIF), label="LIF, exact", **style("model"))
ax.plot(currents[::4], simulated[::4], ms=5, label="LIF, simulated (dt = 0.1 ms)",
        **(style("excitatory", markers=True) | {"linestyle": "none"}))
ax.plot(currents[1:], perfect_rate, label="perfect integrator",
        **(style("data") | {"linestyle": "--"}))
ax.axvline(rheobase, lw=1.0, label=f"rheobase {rheobase:.0f} pA", **style("reference"))
ax.legend(loc="upper left", fontsize=9)
label_axes(ax, "injected current I (pA)", "firing rate (Hz)", "f-I curves")
largest = np.max(np.abs(simulated - lif_rate_in_use(currents, **LIF)))
print(f"largest difference simulation - theory: {largest:.2f} Hz")
describe(figure, "Firing rate against injected current. The exact LIF curve (black line) is "
         "zero up to the 200 pA rheobase (dotted vertical line), then rises steeply and bends "
         "over; the simulated rates (triangles) lie on it. The perfect integrator (grey "
         "dashed) fires at any current and grows almost linearly.")

# %% [markdown]
# The same two curves, interactive: hover over the LIF curve to read the rate
# at any current, and drag a box just right of the rheobase to zoom into the
# steep start. How much current above the rheobase takes the neuron from
# 0 to 20 Hz?

# %%
show(
    trace_figure(
        currents,
        {"LIF, exact": lif_rate_in_use(currents, **LIF), "LIF, simulated": simulated},
        "f-I curve of the standard LIF neuron",
        xlabel="injected current I (pA)", ylabel="firing rate (Hz)",
    ),
    "The rate is zero up to the 200 pA rheobase, then rises steeply: 10 pA above the "
    "rheobase already give about 17 Hz.",
)

# %% [markdown]
# ### Explore the f-I curve
#
# The explorer below simulates one neuron with a current step and draws
# its f-I curve; the line under the figure repeats its numbers in words.
# Try these:
#
# 1. Which sliders move the rheobase, and which only change how fast the
#    rate grows above it?
# 2. Set the refractory period to 10 ms and push the current up: where does
#    the rate level off?
# 3. Make the membrane time constant 50 ms (C grows, since $g_L$ is fixed)
#    at 300 pA: faster or slower firing, and why?

# %% tags=["explorer"]
lif_explorer()

# %% [markdown] tags=["answer"]
# **Answers.**
# 1. The rheobase $g_L(V_\text{th} - E_L)$ moves with the resting potential
#    and the threshold only ($g_L$ is fixed here). The time constant and
#    the refractory period change the curve above the rheobase, not where
#    it starts.
# 2. Towards $1000/t_\text{ref}$ = 100 Hz; but at 600 pA the climb still
#    takes about 6 ms, so the rate is well below that (61 Hz), and it
#    creeps towards 100 Hz only as the current grows much further.
# 3. Slower: with $\tau$ = 50 ms the climb $\tau\ln(\dots)$ takes 2.5 times
#    longer (a larger capacitance needs more charge per mV), so the rate at
#    300 pA drops from 49 Hz to about 21 Hz; the rheobase stays at 200 pA.

# %% [markdown] tags=["optional"]
# ### A smaller time step, a smaller error (optional, 5 min)
#
# The simulation is a little off, and it is off in a systematic way:
# forward Euler makes an error proportional to $\Delta t$ in every step, and
# a spike can only happen on the time grid, up to one $\Delta t$ after the
# true crossing. Both errors shrink with $\Delta t$. Let's measure it:

# %%
dts = np.array([0.5, 0.2, 0.1, 0.05, 0.02, 0.01])  # ms
exact = lif_rate_in_use(currents, **LIF)
errors = []
for dt in dts:
    run = neurons.simulate_lif(duration=1000.0, dt=dt, bias_current=currents,
                               record_voltage=False, **LIF)
    rates = np.array([steady_rate(train) for train in run.spike_times])
    errors.append(np.mean(np.abs(rates - exact)[exact > 0]))
errors = np.array(errors)

figure, ax = new_figure(figsize=(5.0, 3.4))
ax.loglog(dts, errors, label="simulation", **style("model", markers=True))
ax.loglog(dts, errors[2] * dts / dts[2], label="proportional to dt", **style("reference"))
ax.legend(fontsize=9)
label_axes(ax, "time step dt (ms)", "mean |rate error| (Hz)", "Euler: first order")
for dt, error in zip(dts, errors, strict=True):
    print(f"dt = {dt:5.2f} ms: mean error {error:.3f} Hz")
describe(figure, "Mean rate error of the simulation against the time step, on log-log axes. "
         "The measured errors (circles) follow the dotted line of slope one: ten times "
         "smaller dt, ten times smaller error.")

# %% [markdown]
# Halve $\Delta t$, halve the error: a **first-order** method. Good enough
# for most questions at $\Delta t$ = 0.1 ms, and now you know how to check.

# %% [markdown]
# ### Think
#
# 1. Near the rheobase the rate is extremely sensitive to the current: from
#    200.5 to 201 pA (0.25 % more) the exact rate goes from 8.6 to 9.8 Hz,
#    13 % more. Yet a simulation with $\Delta t$ = 0.1 ms is off by only
#    about 0.2 % there (9.79 instead of 9.77 Hz at 201 pA), about as much
#    as at 300 pA (0.1 %). Why is this region so sensitive to the current,
#    and why does the simulation's error not grow there?
# 2. An old course notebook drew each spike by setting $V$ = 0 mV for one
#    step and counted spikes as the samples with $V \ge 0$. Name two things
#    that go wrong.

# %% [markdown] tags=["answer"]
# **Answers.**
# 1. Near the rheobase $V_\infty$ is just above $V_\text{th}$, so the
#    membrane approaches the threshold ever more slowly: the climb time
#    $\tau\ln\frac{V_\infty - V_\text{reset}}{V_\infty - V_\text{th}}$ blows
#    up as $V_\infty \to V_\text{th}$, and a tiny change of $I$ changes it a
#    lot. Forward Euler, though, has the same steady state as the exact
#    equation and relaxes with a slightly wrong time constant, an error of
#    about $\Delta t/(2\tau)$ = 0.25 % in every climb whatever the current;
#    and the grid's error, at most one step per interval, is tiny against a
#    100 ms interval. What *is* fragile near the rheobase is the model
#    itself: an error of half a pA in the current, or a twentieth of a mV
#    in the threshold, or a little noise, changes the rate by 10 % or more.
# 2. (a) The one-step "spike" adds a step to every inter-spike interval, so
#    the rate depends on $\Delta t$; (b) the voltage trace now contains
#    values that never happened in the model, so its mean, its variance or a
#    fit to data are wrong; (c) counting samples with $V \ge 0$ fails as soon
#    as a spike lasts more or less than one sample (a change of $\Delta t$,
#    resampling, a different plot convention). Keep the data (spike times,
#    voltage) and the drawing apart.
#
# *Time so far: about 60 minutes.*

# %% [markdown]
# ## 5. Synaptic input

# %% [markdown] tags=["notes"]
# (10 min) From electrodes to synapses. One synapse: about 0.6 mV.
# Ask the room how many coincident inputs reach threshold before running.
# The input-output curve: inhibition shifts it. The timing part is optional.

# %% [markdown]
# Neurons are not driven by electrodes but by thousands of synapses. With
# the AMPA preset of Lesson 1 (`synapses.AMPA`), one synaptic event is tiny.
# An **EPSP** (excitatory postsynaptic potential) is the small depolarisation
# it causes: how far it lifts $V$ above rest.

# %% [markdown] tags=["predict"]
# **Predict:** the threshold is 20 mV above rest. If one event lifts $V$ by
# about 0.6 mV, how many *synchronous* events does it take to make the
# neuron fire: 20, 40 or 60?

# %%
dt, duration = 0.1, 100.0
time = inputs.time_grid(duration, dt)


def volley(time, n_events, preset, at):
    """Conductance (nS) on the grid `time` of n synchronous events at `at` (ms)."""
    return n_events * synapses.conductance_numerical(
        time, [at], preset.peak_conductance, preset.decay_time, "dual_exponential",
        preset.rise_time)


sizes = np.array([1, 10, 20, 40, 60])
g_exc = np.array([volley(time, n, synapses.AMPA, 10.0) for n in sizes])
free = neurons.simulate_passive(duration=duration, dt=dt, excitatory_conductance=g_exc, **CELL)
spiking = neurons.simulate_lif(duration=duration, dt=dt, excitatory_conductance=g_exc, **LIF)
for n, v, train in zip(sizes, free.voltage, spiking.spike_times, strict=True):
    print(f"{n:3d} synchronous AMPA events: peak depolarisation {v.max() + 70:5.2f} mV "
          f"(without threshold); the LIF neuron fires {len(train)} spike(s)")

# %% [markdown]
# One event moves the membrane by about 0.6 mV, like a unitary cortical
# EPSP. 20 mV / 0.6 mV would suggest some 33 events, but 20 give only
# 11 mV and it takes about 40 to reach the threshold: as $V$ rises, each
# event's [driving force](../glossary.md#driving-force) $E_e - V$ shrinks, so large EPSPs add up
# less than
# linearly. A neuron fires when **many** inputs add up.
#
# ### Input-output curves: excitation and inhibition
#
# 200 excitatory synapses, each a Poisson train at a rate between 0 and
# 20 Hz. Because the synapse ODE is linear, 200 Poisson inputs at
# $\nu$ Hz are one Poisson train at $200\,\nu$ Hz into one conductance
# (Lesson 1). Then we add 50 inhibitory (GABA$_A$) synapses at 5 or 10 Hz.
# Each row of the conductance arrays is one neuron: one simulation per
# inhibition level.

# %%
dt, duration = 0.1, 2000.0
time = inputs.time_grid(duration, dt)
rng = np.random.default_rng(3)
n_exc, n_inh = 200, 50
input_rates = np.arange(0.0, 21.0, 2.0)  # Hz per excitatory synapse


def population_conductance(time, n_synapses, rate, preset, rng):
    """Total conductance (nS) on the grid `time` of n independent Poisson synapses at `rate` Hz."""
    duration = time[-1] + (time[1] - time[0])  # ms
    train = synapses.poisson_spike_train(n_synapses * rate, duration, rng) if rate else []
    return synapses.total_conductance(time, [train], preset)


g_exc = np.array([population_conductance(time, n_exc, rate, synapses.AMPA, rng)
                  for rate in input_rates])
figure, ax = new_figure(figsize=(6.0, 3.6))
label_axes(ax, "rate of each of the 200 excitatory inputs (Hz)", "output rate (Hz)",
           "Inhibition shifts the input-output curve")
levels = ((0.0, "excitatory"), (5.0, "accent"), (10.0, "inhibitory"))
output_rates = {}
for inh_rate, meaning in levels:
    g_inh = np.array([population_conductance(time, n_inh, inh_rate, synapses.GABA_A, rng)
                      for _ in input_rates])
    run = neurons.simulate_lif(duration=duration, dt=dt, excitatory_conductance=g_exc,
                               inhibitory_conductance=g_inh,
                               inhibitory_reversal=synapses.GABA_A.reversal_potential,
                               record_voltage=False, **LIF)
    ax.plot(input_rates, run.firing_rates, label=f"+ {n_inh} inhibitory at {inh_rate:g} Hz",
            **style(meaning, markers=True))
    output_rates[inh_rate] = run.firing_rates
ax.legend(fontsize=9)
for inh_rate, rates in output_rates.items():
    print(f"inhibition {inh_rate:4.1f} Hz: output rates {np.round(rates, 1)}")
describe(figure, "Output rate against the rate of each of 200 excitatory inputs, for three "
         "levels of inhibition (no inhibition: triangles, solid; 5 Hz: crosses, dash-dot; "
         "10 Hz: downward triangles, dashed). More inhibition moves the curve to the right: "
         "more excitation is needed for the same output.")

# %% [markdown]
# Inhibition mostly **shifts** the curve to the right: the cell needs more
# excitation to reach the same rate. Notice the smooth, gradual start: the
# synaptic input fluctuates, so the cell fires occasionally even when the
# *mean* input is below threshold (compare the sharp rheobase of the
# constant current).

# %% [markdown] tags=["optional"]
# ### Timing: inhibition before or after excitation (optional, 5 min)
#
# A volley of 20 AMPA events at 50 ms, and a volley of 10 GABA$_A$ events
# arriving $\Delta$ ms later ($\Delta < 0$: inhibition first). The cell is
# held at −60 mV by 100 pA, so inhibition (reversal −75 mV) has a driving
# force. No threshold here: we look at the EPSP's size.

# %%
dt, duration = 0.1, 150.0
time = inputs.time_grid(duration, dt)
offsets = np.arange(-20.0, 20.1, 2.5)  # ms, GABA time minus AMPA time
g_exc = volley(time, 20, synapses.AMPA, 50.0)
g_inh = np.array([volley(time, 10, synapses.GABA_A, 50.0 + offset) for offset in offsets])
common = dict(duration=duration, dt=dt, bias_current=100.0, initial_voltage=-60.0,
              excitatory_conductance=g_exc,
              inhibitory_reversal=synapses.GABA_A.reversal_potential, **CELL)
alone = neurons.simulate_passive(**common).voltage[0]
paired = neurons.simulate_passive(inhibitory_conductance=g_inh, **common).voltage
window = (time >= 50.0) & (time < 100.0)
peaks = paired[:, window].max(axis=1) + 60.0

figure, (ax_v, ax_p) = new_figure(1, 2, figsize=(8.5, 3.4))
ax_v.plot(time, alone, label="EPSP alone", **style("excitatory"))
for offset, meaning in ((-5.0, "inhibitory"), (0.0, "accent"), (5.0, "reference")):
    row = int(np.argmin(np.abs(offsets - offset)))
    ax_v.plot(time, paired[row], lw=1.2, label=f"GABA at {offset:+g} ms", **style(meaning))
ax_v.legend(fontsize=9)
label_axes(ax_v, "time (ms)", "V (mV)", "EPSP with and without inhibition")
ax_p.plot(offsets, peaks, label="with GABA", **style("inhibitory", markers=True))
ax_p.axhline(alone[window].max() + 60.0, label="no GABA", **style("excitatory"))
ax_p.legend(fontsize=9)
label_axes(ax_p, "GABA time - AMPA time (ms)", "peak EPSP (mV)", "Timing matters")
print(f"EPSP alone: {alone[window].max() + 60:.2f} mV; smallest with inhibition: "
      f"{peaks.min():.2f} mV at {offsets[np.argmin(peaks)]:+g} ms")
describe(figure, "Left: the EPSP of 20 AMPA events alone (solid) and with 10 GABA_A events "
         "arriving 5 ms before (dashed), together (dash-dot) or 5 ms after (dotted). Right: "
         "the peak EPSP against the GABA delay: smallest when inhibition comes a little "
         "before or with excitation, back to the no-GABA line when it comes late.")

# %% [markdown]
# Inhibition that arrives a little **before** (or together with) excitation
# cuts the EPSP most: its conductance is up when the EPSP rises. The later
# it comes, the less it can do, and once it arrives after the EPSP's peak
# (about 8 ms after the AMPA volley here) it cannot touch it. Feed-forward
# inhibition that trails excitation by a few ms opens exactly such a short
# window, in which excitation can make the cell fire: it makes neurons
# precise coincidence detectors.
#
# *Time so far (core path): about 70 minutes.*

# %% [markdown]
# ## 6. Noise

# %% [markdown] tags=["notes"]
# (8 min, with exercise 3.4) Why sigma / sqrt(dt): the variance of a random
# walk grows with time. Show the wrong scaling fading as dt shrinks.
# Coloured noise is optional.

# %% [markdown]
# Part of a neuron's input looks like noise. The simplest model is
# **white noise**: a current that is independent from one instant to the
# next. On a grid, one draws one random number per step. But how big?
#
# In one Euler step a noise current sample $I_k$ kicks the voltage by
# $\Delta t\,I_k/C$. For a diffusion (a random walk) the *variance* of
# the kicks must grow in proportion to $\Delta t$, so that 10 small steps
# add up to the same spread as one big one. That needs current samples with
# standard deviation $\sigma/\sqrt{\Delta t}$:
#
# $$I_k = \mu + \frac{\sigma}{\sqrt{\Delta t}}\,\xi_k,\qquad \xi_k \sim \mathcal N(0, 1).$$
#
# Here $\sigma$ (in pA at $\Delta t$ = 1 ms) is the noise amplitude. Then
# the voltage of a passive cell fluctuates with standard deviation
# $\sigma_V = \frac{\sigma}{C}\sqrt{\tau/2}$, whatever $\Delta t$.
#
# ### Exercise 3.4: white noise
#
# Write `white_noise(n_steps, dt, std, rng)`: `n_steps` samples (pA) with
# mean 0 and standard deviation `std / sqrt(dt)`, drawn from `rng` (a numpy
# random generator, so the noise is the same every time you run the lesson).

# %% tags=["exercise"] minutes=3
def white_noise(n_steps, dt, std, rng):
    """White-noise current samples (pA) for steps of dt (ms); std in pA at dt = 1 ms."""
    ...


# %% tags=["solution"]
def white_noise(n_steps, dt, std, rng):
    """White-noise current samples (pA) for steps of dt (ms); std in pA at dt = 1 ms."""
    return std / np.sqrt(dt) * rng.standard_normal(n_steps)


# %% tags=["check"]
check_white_noise(white_noise)

# %% [markdown]
# ### What the wrong scaling does
#
# Drive a passive cell (no threshold) with noise of $\sigma$ = 100 pA at
# five time steps, once with your scaling and once *without* the
# $1/\sqrt{\Delta t}$.

# %%
sigma, duration = 100.0, 3000.0
dts = np.array([0.4, 0.2, 0.1, 0.05, 0.025])
expected_sd = sigma / 200.0 * np.sqrt(20.0 / 2.0)  # mV: (sigma / C) sqrt(tau / 2)
rng = np.random.default_rng(7)
right, wrong = [], []
for dt in dts:
    n_steps = inputs.number_of_steps(duration, dt)
    noise = white_noise_in_use(n_steps, dt, sigma, rng)
    for scaled, results in ((noise, right), (noise * np.sqrt(dt), wrong)):
        v = neurons.simulate_passive(duration=duration, dt=dt, current=scaled, **CELL).voltage[0]
        results.append(v[int(100.0 / dt):].std())  # skip the first 100 ms (5 tau)

figure, ax = new_figure(figsize=(5.5, 3.4))
ax.plot(dts, right, label="std / sqrt(dt)  (right)", **style("model", markers=True))
ax.plot(dts, wrong, label="std  (wrong)", **style("excitatory", markers=True))
ax.axhline(expected_sd, label="theory", **style("reference"))
ax.set_xscale("log")
ax.set_xticks(dts, [f"{dt:g}" for dt in dts])
ax.minorticks_off()
ax.legend(fontsize=9)
label_axes(ax, "time step dt (ms)", "sd of V (mV)", "Only the right scaling is dt-free")
for dt, r, w in zip(dts, right, wrong, strict=True):
    print(f"dt = {dt:5.3f} ms: sd of V {r:.2f} mV (right), {w:.2f} mV (wrong)")
describe(figure, "Standard deviation of the membrane potential against the time step. With "
         "samples scaled by 1/sqrt(dt) (circles) it stays on the dotted theory line at "
         "1.58 mV; without the scaling (triangles) it shrinks as dt shrinks.")

# %% [markdown]
# Without the $\sqrt{\Delta t}$ the "same" noise fades away as you refine
# the grid, and every result depends on a numerical choice. (The course's
# `inputs.white_noise_current(time, mean, std, rng)` does the scaling for
# you.)

# %% [markdown] tags=["optional"]
# ### Coloured noise: Ornstein-Uhlenbeck (optional, 5 min)
#
# Real input noise is filtered by synapses: it has a **correlation time**,
# over which it remembers its past. The Ornstein-Uhlenbeck (OU) current
# relaxes to its mean with time constant $\tau_c$ and has a fixed standard
# deviation, independent of $\Delta t$ (`inputs.ornstein_uhlenbeck_current`
# updates it exactly). With a mean of 180 pA the LIF neuron would never
# fire; the fluctuations make it fire, irregularly.

# %%
dt, duration = 0.1, 2000.0
time = inputs.time_grid(duration, dt)
rng = np.random.default_rng(11)
ou = inputs.ornstein_uhlenbeck_current(time, mean=180.0, std=60.0, correlation_time=5.0, rng=rng)
noisy = neurons.simulate_lif(duration=duration, dt=dt, current=ou, **LIF)

figure, (ax_i, ax_v) = new_figure(2, 1, sharex=True, figsize=(7.0, 4.4))
ax_i.plot(time, ou, lw=0.6, label="OU current", **style("data"))
ax_i.axhline(rheobase, lw=1.2, label="rheobase", **style("reference"))
ax_i.legend(loc="upper right", fontsize=9)
label_axes(ax_i, "", "current (pA)", "Fluctuations make the cell fire below the rheobase")
plot_voltage(ax_v, time, noisy.voltage[0], spike_times=noisy.spike_times[0], lw=0.8,
             **style("model"))
ax_v.set_xlim(0.0, 500.0)
print(f"mean current {ou.mean():.0f} pA (below the rheobase), "
      f"{noisy.firing_rates[0]:.1f} Hz output")
describe(figure, "Top: an Ornstein-Uhlenbeck current fluctuating around 180 pA, mostly below "
         "the dotted 200 pA rheobase. Bottom: the LIF neuron's membrane potential over the "
         "first 500 ms; it fires at irregular times, when the current stays high for a while.")

# %% [markdown]
# *Time so far (core path): about 78 minutes.*

# %% [markdown]
# ## 7. Regular or irregular?

# %% [markdown] tags=["notes"]
# (12 min, with the prediction and exercise 3.5) The CV. Before the big
# simulation, ask which input will give the more irregular spike train.
# Then the balanced state: mean below threshold, spikes from fluctuations.

# %% [markdown]
# The **coefficient of variation** of the inter-spike intervals,
# $\text{CV} = \text{sd(ISI)}/\text{mean(ISI)}$, measures irregularity:
# 0 for a clock, 1 for a Poisson process (whose intervals follow an
# exponential distribution: each moment is as likely to bring a spike as
# any other). Cortical neurons in living animals fire with CVs near 1.
#
# ### Exercise 3.5: the CV
#
# Write `cv_isi(spike_times)`. (Either `np.std` or `np.std(..., ddof=1)`
# is fine; `analysis.cv_of_isi` uses `ddof=1`.)

# %% tags=["exercise"] minutes=3
def cv_isi(spike_times):
    """Coefficient of variation of the inter-spike intervals (dimensionless)."""
    ...


# %% tags=["solution"]
def cv_isi(spike_times):
    """Coefficient of variation of the inter-spike intervals (dimensionless)."""
    intervals = np.diff(spike_times)  # ms
    return np.std(intervals) / np.mean(intervals)


# %% tags=["check"]
check_cv_isi(cv_isi)

# %% [markdown]
# ### Mean-driven or fluctuation-driven
#
# Now a cortex-like input: 800 excitatory and 200 inhibitory synapses. We
# compare two ways to make the neuron fire:
#
# - **mean-driven**: excitation only, enough that the *mean* input alone
#   would hold the membrane above threshold;
# - **balanced**: much more excitation *and* inhibition, tuned so that the
#   mean membrane potential sits at −53.5 mV, *below* threshold. The
#   neuron fires only when the fluctuations carry it up.

# %% [markdown] tags=["predict"]
# **Predict:** which of the two will fire more *irregularly* (the larger
# CV)? Write `"mean-driven"` or `"balanced"`.

# %% tags=["exercise"] minutes=2
predicted_more_irregular = ...  # "mean-driven" or "balanced"

# %% tags=["solution"]
predicted_more_irregular = "balanced"  # spikes wait for chance fluctuations

# %% tags=["check"]
check_irregularity_prediction(predicted_more_irregular)

# %% [markdown]
# For the balance we need the mean conductances. Campbell's theorem
# (Lesson 1): $\bar g = N\nu\, g_\text{max} \int k(s)\, ds$, with the
# kernel area $\int k$ in ms. Without threshold the membrane would sit where
# the currents cancel:
#
# $$\bar V = \frac{g_L E_L + \bar g_e E_e + \bar g_i E_i}{g_L + \bar g_e + \bar g_i},$$
#
# which we solve for the inhibitory conductance that puts $\bar V$ at our
# target.

# %%
def kernel_area(preset):
    """Integral (ms) of the preset's dual-exponential kernel, whose peak is 1."""
    shape = dict(decay_time=preset.decay_time, shape="dual_exponential",
                 rise_time=preset.rise_time)
    area, _ = integrate.quad(lambda s: float(synapses.kernel(s, **shape)), 0.0, 300.0,
                             limit=200)
    return area


area_e, area_i = kernel_area(synapses.AMPA), kernel_area(synapses.GABA_A)
e_exc, e_inh = synapses.AMPA.reversal_potential, synapses.GABA_A.reversal_potential
n_e, n_i, target = 800, 200, -53.5

rate_e_balanced = 6.5  # Hz per excitatory synapse
g_e = n_e * rate_e_balanced / 1000.0 * synapses.AMPA.peak_conductance * area_e  # nS
# g_L (E_L - V) + g_e (E_e - V) + g_i (E_i - V) = 0 at V = target:
g_i = (10.0 * (-70.0 - target) + g_e * (e_exc - target)) / (target - e_inh)
rate_i_balanced = g_i / (n_i / 1000.0 * synapses.GABA_A.peak_conductance * area_i)  # Hz
rate_e_mean_driven = 2.5  # Hz, no inhibition
g_e_mean = n_e * rate_e_mean_driven / 1000.0 * synapses.AMPA.peak_conductance * area_e
v_mean_driven = (10.0 * -70.0 + g_e_mean * e_exc) / (10.0 + g_e_mean)
print(f"kernel areas: AMPA {area_e:.2f} ms, GABA_A {area_i:.2f} ms")
print(f"balanced: E {rate_e_balanced} Hz (g_e = {g_e:.1f} nS), "
      f"I {rate_i_balanced:.1f} Hz (g_i = {g_i:.1f} nS) -> mean V {target} mV")
print(f"mean-driven: E {rate_e_mean_driven} Hz (g_e = {g_e_mean:.1f} nS) "
      f"-> mean V {v_mean_driven:.1f} mV, above threshold")

# %% [markdown]
# Simulate both for 5 s, with and without the threshold (the free membrane
# shows the mean and the fluctuations), and compare with a constant
# current and the OU-driven neuron from above.

# %%
dt, duration = 0.1, 5000.0
time = inputs.time_grid(duration, dt)
rng = np.random.default_rng(5)
conditions = {
    "mean-driven": (rate_e_mean_driven, 0.0),
    "balanced": (rate_e_balanced, rate_i_balanced),
}
g_e_rows = np.array([population_conductance(time, n_e, e, synapses.AMPA, rng)
                     for e, _ in conditions.values()])
g_i_rows = np.array([population_conductance(time, n_i, i, synapses.GABA_A, rng)
                     for _, i in conditions.values()])
synaptic = dict(duration=duration, dt=dt, excitatory_conductance=g_e_rows,
                inhibitory_conductance=g_i_rows, inhibitory_reversal=e_inh)
free = neurons.simulate_passive(**synaptic, **CELL)
spiking = neurons.simulate_lif(**synaptic, **LIF)
constant = neurons.simulate_lif(duration=duration, dt=dt, bias_current=300.0, **LIF)

figure, axes = new_figure(2, 1, sharex=True, figsize=(7.0, 4.6))
for ax, name, row in zip(axes, conditions, range(2), strict=True):
    plot_voltage(ax, time, spiking.voltage[row], spike_times=spiking.spike_times[row], lw=0.7,
                 **style("model"))
    ax.axhline(free.voltage[row, 1000:].mean(), lw=1.2, **style("reference"))
    ax.set_title(f"{name}: dotted line = mean V without threshold", y=1.0)
    ax.set_xlim(0.0, 1000.0)
axes[0].set_xlabel("")

runs = {
    "constant 300 pA": (constant, 0),
    "OU noise, mean below rheobase": (noisy, 0),
    "mean-driven synapses": (spiking, 0),
    "balanced synapses": (spiking, 1),
}
for name, (run, row) in runs.items():
    train = run.spike_times[row]
    print(f"{name:32s} {run.firing_rates[row]:6.1f} Hz   CV = {cv_isi_in_use(train):.2f}")
for name, row in zip(conditions, range(2), strict=True):
    v = free.voltage[row, 1000:]
    print(f"{name:12s} free membrane: mean {v.mean():.1f} mV, sd {v.std():.1f} mV")
describe(figure, "One second of membrane potential under mean-driven (top) and balanced "
         "(bottom) synaptic input. Mean-driven: the mean without threshold lies above the "
         "threshold and spikes come at fairly regular intervals. Balanced: the mean lies "
         "below threshold, V fluctuates widely and spikes come at irregular times.")

# %% [markdown]
# Compare with your prediction. A constant current gives a clock (CV = 0).
# Strong mean drive through synapses is still quite regular. When
# excitation and inhibition balance
# and the mean sits below threshold, spikes are triggered by chance
# fluctuations: the intervals become nearly exponential and the CV
# approaches 1, as in cortex. Balanced input also raises the total
# conductance, which shortens the effective membrane time constant: the
# neuron becomes fast and leaky.
#
# ### Explore: mean, noise and irregularity
#
# The same cell, now driven by a current with a mean $\mu$ and white noise
# of amplitude $\sigma$ (scaled with $1/\sqrt{\Delta t}$ as in exercise
# 3.4; the noise sample is fixed, so only what you change changes). The
# bottom panel collects the intervals of 2 s of firing; the line under the
# figure gives the rate and the CV in words.
#
# 1. Set the noise to 0 and the mean to 180 pA: why no spikes? Now raise
#    the noise to 100 pA.
# 2. Keep the noise at 100 pA and lower the mean from 400 to 150 pA: what
#    happens to the rate, and to the CV?
# 3. At a mean of 250 pA (above the rheobase), how much does a noise of
#    100 pA change the rate?

# %% tags=["explorer"]
noisy_lif_explorer()

# %% [markdown] tags=["answer"]
# **Answers.**
# 1. 180 pA is below the 200 pA rheobase: without noise $V$ settles at
#    −52 mV and never reaches the threshold. With 100 pA of noise the
#    fluctuations carry it over now and then: about 6 Hz, irregularly
#    (CV about 0.5).
# 2. The rate falls (about 75 Hz at 400 pA, a handful of spikes at 150 pA)
#    and the CV grows (about 0.1 at 400 pA, 0.5 and more below the
#    rheobase): the firing changes from mean-driven, a clock jittered by
#    the noise, to fluctuation-driven, each spike waiting for a lucky
#    fluctuation.
# 3. Hardly: about 33 Hz with or without the noise. Well above the
#    rheobase the rate is set by the mean; the noise only jitters the
#    intervals (CV about 0.2 instead of 0).
#
# ### Think
#
# 1. The LIF rate saturates at $1000/t_\text{ref}$ Hz, the perfect
#    integrator's keeps growing as long as $t_\text{ref} = 0$. Which is
#    closer to a real neuron, and what limits a real neuron's rate?
# 2. Why does the balanced state need *both* more excitation and more
#    inhibition, instead of simply less excitation?

# %% [markdown] tags=["answer"]
# **Answers.**
# 1. The LIF neuron: real neurons saturate at a few hundred Hz because
#    sodium channels must recover from inactivation and potassium currents
#    take time to repolarise (the refractory period is a cartoon of both).
#    Many also **adapt**: their rate falls during a long step, which neither
#    model has (Lesson 5 fits an adaptive model).
# 2. With less excitation alone, the mean drops but so do the fluctuations
#    (their variance scales with the input rate): the cell falls silent.
#    Raising excitation and inhibition together keeps the mean below
#    threshold while the fluctuations, which add up from both, grow. The
#    larger total conductance also makes the membrane faster, so it follows
#    those fluctuations.
#
# *Time so far (core path): about 90 minutes. The rest of the lesson is
# optional.*

# %% [markdown] tags=["optional"]
# ## 8. Challenge: a neuron with hidden parameters (optional)

# %% [markdown] tags=["notes"]
# (25 min) Finding parameters from responses: students design their own
# current-clamp experiments. No recipe: let them discuss which experiment reveals which
# parameter. This is the skill Lesson 5 needs on a real recording.

# %% [markdown]
# So far you chose the parameters and watched what the neuron did. An
# experimenter faces the **inverse problem**: the cell is given, its
# parameters are unknown, and all one can do is inject currents and record
# the membrane potential (**current clamp**, see the
# [glossary](../glossary.md#current-clamp)). Lesson 5 does this on a real
# recording; here is a rehearsal on a cell that is exactly a LIF neuron.
#
# `MysteryNeuron(seed)` hides its six parameters ($C$, $g_L$, $E_L$,
# $V_\text{th}$, $V_\text{reset}$, $t_\text{ref}$). Its only method is an
# experiment: `mystery.inject(current, duration)` injects a current (pA:
# one number for a constant current, or an array with one value per
# 0.05 ms sample) into the cell at rest and returns a recording with
# `time` (ms), `voltage` (mV, with 0.1 mV of recording noise, as from a
# real amplifier), `current` (pA) and `spike_times` (ms).
#
# **Your goal:** estimate all six parameters, in the course's units, and
# put them in the dict `estimates`. The check says, for each, whether you
# are close enough (the tolerances and why they are fair are in
# `help(check_mystery_estimates)`), and if not, whether you are too high or
# too low. Which experiment shows which parameter is for you to work out.
# (Python cannot truly hide anything: don't peek at the object's insides,
# it would spoil the fun.)

# %%
mystery = MysteryNeuron(seed=2026)
recording = mystery.inject(100.0, duration=200.0)  # an example: 100 pA for 200 ms
figure, ax = new_figure(figsize=(6.5, 3.0))
plot_voltage(ax, recording.time, recording.voltage, spike_times=recording.spike_times,
             **style("data"))
label_axes(ax, "time (ms)", "membrane potential (mV)", "The mystery neuron, 100 pA")
describe(figure, "A first experiment on the mystery neuron: the recorded membrane potential "
         "during 200 ms of a 100 pA current, starting from rest. It rises with a noisy, "
         "exponential-looking curve; whether it fires tells you whether 100 pA is above its "
         "rheobase.")

# %% tags=["exercise"] minutes=20
# Your experiments here: recording = mystery.inject(current_pA, duration_ms), ...
estimates = dict(
    membrane_capacitance=...,  # pF
    leak_conductance=...,  # nS
    leak_reversal=...,  # mV
    threshold=...,  # mV
    reset=...,  # mV
    refractory_period=...,  # ms
)

# %% tags=["solution"]
rest = mystery.inject(0.0, duration=200.0)
e_l = rest.voltage.mean()  # mV: no current, the cell sits at E_L
# A weak step (no spikes): the charging curve gives R = 1 / g_L and tau.
weak = mystery.inject(20.0, duration=400.0)


def charging(t, v_rest, rise, tau):
    """V(t) after a current step at t = 0: v_rest + rise (1 - exp(-t / tau))."""
    return v_rest + rise * (1.0 - np.exp(-t / tau))


fit = curve_fit(charging, weak.time, weak.voltage,
                p0=(e_l, 2.0, 20.0))[0]  # best (v_rest, rise, tau)
rise, tau = fit[1], fit[2]  # mV, ms
g_l = 20.0 / rise  # pA / mV = nS
# A strong current: the sample after each spike is V_reset; V never goes
# above V_th; the interval is t_ref plus the climb of the f-I formula.
strong_current = 3.0 * g_l * 25.0  # pA: 3x any rheobase (V_th - E_L <= 25 mV)
strong = mystery.inject(strong_current, duration=300.0)
v = strong.voltage
after_spike = np.round(strong.spike_times / 0.05).astype(int)
after_spike = after_spike[after_spike < v.size]
v_reset = np.median(v[after_spike])
v_th = v.max()
v_inf = e_l + strong_current / g_l
climb = tau * np.log((v_inf - v_reset)
                     / (v_inf - v_th))  # ms from V_reset to V_th
estimates = dict(
    membrane_capacitance=tau * g_l,  # ms x nS = pF
    leak_conductance=g_l,
    leak_reversal=e_l,
    threshold=v_th,
    reset=v_reset,
    refractory_period=np.mean(np.diff(strong.spike_times)) - climb,
)
print({name: round(float(value), 2) for name, value in estimates.items()})

# %% tags=["check"]
check_mystery_estimates(estimates, mystery)

# %% [markdown]
# **Going further.** Inject a sinusoidal current below the rheobase,
# $I(t) = I_0 \sin(2\pi f t)$, at 1, 10 and 100 Hz, and measure how far $V$
# swings. The membrane is a **low-pass filter**: slow inputs move $V$ by
# almost $I_0/g_L$, fast ones much less, with the corner at
# $f_c = 1/(2\pi\tau)$. Which of your estimates could you get from that
# experiment alone?


# %% [markdown] tags=["optional"]
# ## Project (a): from three neurons to a network

# %% [markdown] tags=["notes"]
# (150 min, 2-3 h at home or in a lab session) Recurrent networks: a small circuit
# first, then the 80:20 network and the role of inhibition.

# %% [markdown]
# So far every input came from outside. Now the neurons talk to each other.
#
# 1. Build a circuit of **2 excitatory and 1 inhibitory** LIF neurons, each
#    connected to the other two, each driven by external Poisson input.
#    Plot their voltages and spikes. What does the inhibitory neuron do to
#    the excitatory ones (compare with its synapses switched off)?
# 2. Grow it to an **80:20 network**: 400 excitatory and 100 inhibitory
#    neurons, each pair connected with probability 0.1 (seeded `rng`),
#    conductance-based synapses: excitatory ones AMPA-like, 0.5 nS, and
#    inhibitory ones several times stronger (start with 4 nS: each neuron
#    receives four times fewer of them); plus external Poisson drive, say
#    300 independent inputs at 5 Hz and 0.5 nS per neuron, which on its own
#    holds the mean membrane potential just below threshold. Show a raster,
#    the rate distribution and the CV distribution.
# 3. How do the rates and CVs change with the inhibitory weight (try 0 to
#    8 nS)?
#
# `networks.simulate_ei_network` does the stepping for you (vectorised over
# neurons, conductance-based synapses; see
# `help(networks.simulate_ei_network)`): you choose the parameters and
# analyse the result. A spike in step $k$ raises the targets' conductance
# from step $k+1$ on.

# %% tags=["student-only"]
# Project (a): your circuit and your network here. A start:
# circuit = networks.simulate_ei_network(
#     n_excitatory=2, n_inhibitory=1, connection_probability=1.0,
#     excitatory_weight=..., inhibitory_weight=..., external_rate=..., n_external=...,
#     duration=1000.0, dt=0.1, rng=np.random.default_rng(1), record=[0, 1, 2])
# circuit.spike_times, circuit.traces["voltage"], circuit.firing_rates, circuit.cv_isi()

# %% [markdown] tags=["solution-only"]
# ### Worked project (a), part 1: three neurons
#
# Each neuron gets 400 external inputs at 5 Hz (enough to fire on its own)
# and is connected to both others (`connection_probability=1.0`, no
# autapses). Strong synapses, so that one spike is visible: 3 nS
# excitatory, 10 nS inhibitory. The same seed with and without the
# inhibitory synapses gives the same external input.

# %% tags=["solution-only"]
circuit_parameters = dict(
    n_excitatory=2, n_inhibitory=1, connection_probability=1.0, excitatory_weight=3.0,
    external_rate=5.0, n_external=400, duration=500.0, dt=0.1, record=[0, 1, 2],
)
circuits = {
    "with inhibition": networks.simulate_ei_network(
        inhibitory_weight=10.0, rng=np.random.default_rng(8), **circuit_parameters),
    "inhibitory synapses off": networks.simulate_ei_network(
        inhibitory_weight=0.0, rng=np.random.default_rng(8), **circuit_parameters),
}
print("synapses (pre -> post):", list(zip(circuits["with inhibition"].pre.tolist(),
                                          circuits["with inhibition"].post.tolist(),
                                          strict=True)))
figure, axes = new_figure(3, 2, sharex=True, sharey=True, figsize=(8.5, 5.6))
names = ["E1", "E2", "I"]
meanings = ["excitatory", "accent", "inhibitory"]
for column, (label, circuit) in enumerate(circuits.items()):
    for i in range(3):
        ax = axes[i, column]
        plot_voltage(ax, circuit.time, circuit.traces["voltage"][i],
                     spike_times=circuit.spike_times[i], lw=0.7, **style(meanings[i]))
        label_axes(ax, "time (ms)" if i == 2 else "", f"{names[i]}: V (mV)",
                   label if i == 0 else None)
for label, circuit in circuits.items():
    rates = ", ".join(f"{n} {r:.0f}" for n, r in zip(names, circuit.firing_rates, strict=True))
    print(f"{label:24s} rates (Hz): {rates}")
describe(figure, "Membrane potentials of the three neurons (rows: E1, E2 and the inhibitory "
         "neuron I, spikes drawn as vertical lines), with inhibition (left) and with the "
         "inhibitory synapses switched off (right). With inhibition the excitatory neurons "
         "fire fewer spikes, and each inhibitory spike pushes them down a few mV.")

# %% [markdown] tags=["solution-only"]
# Each inhibitory spike pushes both excitatory neurons down a few mV
# (towards −75 mV) and delays their next spike; their rates drop. The
# excitatory spikes in turn help to drive the inhibitory neuron: a small
# negative-feedback loop.
#
# ### Part 2: the 80:20 network
#
# 400 + 100 neurons, $p$ = 0.1, so each neuron receives on average 40
# excitatory (0.5 nS) and 10 inhibitory synapses; 300 external inputs at
# 5 Hz put the mean free membrane just below threshold
# ($\bar g_\text{ext}$ = 300 × 5 Hz × 0.5 nS × 5 ms = 3.75 nS,
# $\bar V \approx$ −51 mV). One second of activity (a longer run gives
# smoother histograms and better CV estimates).

# %% tags=["solution-only"]
network_parameters = dict(
    n_excitatory=400, n_inhibitory=100, connection_probability=0.1, excitatory_weight=0.5,
    external_rate=5.0, n_external=300, external_weight=0.5, duration=1000.0, dt=0.1,
)
network = networks.simulate_ei_network(inhibitory_weight=4.0, rng=np.random.default_rng(2024),
                                       **network_parameters)
rates, cvs = network.firing_rates, network.cv_isi()
n_exc = network.n_excitatory

figure, axes = new_figure(2, 3, figsize=(8.0, 5.5))
grid = axes[0, 0].get_gridspec()
for ax in axes[0]:
    ax.remove()  # one wide raster across the top row
ax_raster = figure.add_subplot(grid[0, :])
raster(ax_raster, network.excitatory_spike_times[:200], color=COLORS["excitatory"])
raster(ax_raster, network.inhibitory_spike_times[:50], color=COLORS["inhibitory"], offset=200)
ax_raster.set_title("200 excitatory (rows 0-199) and 50 inhibitory (rows 200-249) neurons",
                    y=1.0)
ax_pop, ax_rate, ax_cv = axes[1]
all_spikes = np.concatenate(network.spike_times)
bins = np.arange(0.0, 1001.0, 5.0)
counts, _ = np.histogram(all_spikes, bins)
ax_pop.plot(bins[:-1], counts / network.n_neurons / 5.0 * 1000.0, lw=0.8, **style("model"))
label_axes(ax_pop, "time (ms)", "population rate (Hz)", "Population rate")
# One second of activity: every rate is a whole number of Hz. Bins 2 Hz wide,
# with edges between whole numbers, so no bin gets an extra value (no comb).
rate_bins = np.arange(-0.5, rates.max() + 2.5, 2.0)
for group, name, meaning in ((rates[:n_exc], "E", "excitatory"),
                             (rates[n_exc:], "I", "inhibitory")):
    # stairs, not hist(histtype="step"): its legend entry keeps the line style
    ax_rate.stairs(*np.histogram(group, bins=rate_bins), linewidth=1.5, label=name,
                   **style(meaning))
ax_rate.legend(fontsize=9)
label_axes(ax_rate, "rate (Hz)", "neurons", "Rates")
ax_cv.hist(cvs[np.isfinite(cvs)], bins=20, color=COLORS["data"])
label_axes(ax_cv, "CV of ISI", "neurons", "Irregularity")
print(f"{network.pre.size} synapses; mean rate E {rates[:n_exc].mean():.1f} Hz, "
      f"I {rates[n_exc:].mean():.1f} Hz")
print(f"mean CV {np.nanmean(cvs):.2f} ({np.sum(np.isfinite(cvs))} neurons with >= 3 spikes)")
describe(figure, "The 80:20 network. Top: spike raster of 250 of its neurons over one second, "
         "excitatory rows first (red), inhibitory rows last (blue): no stripes, so no "
         "synchrony. Bottom: the population rate fluctuating without oscillation; the rate "
         "distributions of E (solid) and I (dashed) neurons, similar for both; and CVs "
         "spread around 0.6 to 0.8.")

# %% [markdown] tags=["solution-only"]
# Asynchronous and irregular: no population-wide oscillation, a broad
# distribution of rates (neurons differ in how many inputs they happen to
# get) and CVs around 0.6-0.8. Now vary the inhibitory weight:

# %% tags=["solution-only"]
inhibitory_weights = [0.0, 1.0, 2.0, 4.0, 8.0]  # nS
print("w_I (nS)   E rate (Hz)   I rate (Hz)   mean CV")
summary = []
for weight in inhibitory_weights:
    run = networks.simulate_ei_network(inhibitory_weight=weight,
                                       rng=np.random.default_rng(2024),
                                       **(network_parameters | {"duration": 500.0}))
    r, cv = run.firing_rates, run.cv_isi()
    summary.append((r[:n_exc].mean(), np.nanmean(cv)))
    print(f"{weight:7.1f} {r[:n_exc].mean():12.1f} {r[n_exc:].mean():13.1f} {np.nanmean(cv):9.2f}")
figure, ax = new_figure(figsize=(5.0, 3.0))
label_axes(ax, "inhibitory weight (nS)", "mean E rate (Hz)", "Inhibition tames the network")
lines = ax.semilogy(inhibitory_weights, [s[0] for s in summary],
                    **style("excitatory", markers=True))
describe(figure, "Mean rate of the excitatory neurons against the inhibitory weight, on a "
         "logarithmic axis: it falls steeply as inhibition grows from 0 to 8 nS.")

# %% [markdown] tags=["solution-only"]
# Without inhibition the recurrent excitation runs away: every neuron fires
# at over 200 Hz, about half the ceiling of 1000 / t_ref = 500 Hz, and
# regularly (CV near 0): each neuron is driven so hard that after its
# refractory period it climbs straight back to threshold. Inhibition brings
# the rates down thirty- to forty-fold and makes the firing irregular: the
# network balances itself. Lesson 4 builds a network like this one in Brian2, on the same
# synapses, and compares its rates and CVs with `simulate_ei_network`.

# %% [markdown] tags=["optional"]
# ## Project (b): Hebbian learning with STDP

# %% [markdown] tags=["notes"]
# (150 min, 2-3 h) Plasticity: the STDP window from traces, the drift of unrelated
# inputs, and competition between correlated and independent inputs.

# %% [markdown]
#
# "Cells that fire together wire together" (Hebb). In spike-timing-dependent
# plasticity (STDP) a synapse is strengthened when the presynaptic spike
# comes shortly **before** the postsynaptic one (it may have helped cause
# it), and weakened when it comes after:
#
# $$\Delta w = \begin{cases} A_+\, e^{-s/\tau_+} & s = t_\text{post} - t_\text{pre} \ge 0\\
# -A_-\, e^{s/\tau_-} & s < 0\end{cases}$$
#
# with the weights kept between 0 and $w_\text{max}$.
#
# 1. Implement the rule with **traces** (a pre-trace that jumps by $A_+$ at
#    each presynaptic spike and decays with $\tau_+$; a post-trace for
#    $A_-$) and check with a pairing protocol (one pre and one post spike
#    $s$ ms apart) that one pair changes the weight by exactly
#    $\Delta w(s)$.
# 2. What should happen to a synapse whose pre- and postsynaptic neurons
#    fire independently? Compute the expected drift
#    $r_\text{pre}\, r_\text{post} \int \Delta w(s)\, ds$ and compare.
# 3. Drive one LIF neuron with 200 plastic synapses: 100 inputs that are
#    **correlated** with each other (they share spikes), 100 independent
#    ones. Which weights grow? Compare with your expectation.
#
# `networks.stdp_window`, `networks.stdp_update` (one time step of the trace
# rule), `networks.simulate_stdp` and `networks.correlated_spike_trains` do
# the heavy lifting if you want them.

# %% tags=["student-only"]
# Project (b): your STDP experiments here. A start:
# dt = 0.1
# weights, pre_trace, post_trace = np.full(n, 0.5), np.zeros(n), np.zeros(n)
# for k in range(n_steps):
#     weights, pre_trace, post_trace = networks.stdp_update(
#         weights, pre_trace, post_trace, pre_spiked, post_spiked, dt=dt,
#         potentiation=..., depression=..., max_weight=1.0)

# %% [markdown] tags=["solution-only"]
# ### Worked project (b), part 1: the window from a pairing protocol
#
# 41 synapses, each with its own pre- and postsynaptic neuron: the
# presynaptic neuron fires at 40 ms, the postsynaptic one at 40 ms + $s$,
# with $s$ from −40 to 40 ms. $A_+$ = 0.008 nS, $A_-$ = 1.2 $A_+$,
# $\tau_\pm$ = 20 ms.

# %% tags=["solution-only"]
rule = dict(potentiation=0.008, depression=0.0096, potentiation_time=20.0, depression_time=20.0)
dt = 0.1
lags = np.arange(-400, 401, 20)  # steps: -40 .. 40 ms
weights = np.full(lags.size, 0.5)
pre_trace, post_trace = np.zeros(lags.size), np.zeros(lags.size)
pre_step = 400  # 40 ms
for k in range(1000):  # 100 ms
    pre_spiked = np.full(lags.size, k == pre_step)
    post_spiked = k == pre_step + lags
    weights, pre_trace, post_trace = networks.stdp_update(
        weights, pre_trace, post_trace, pre_spiked, post_spiked, dt=dt, max_weight=1.0, **rule)
s = np.linspace(-40.0, 40.0, 801)
window = networks.stdp_window(s, **rule)
figure, ax = new_figure(figsize=(5.5, 3.2))
ax.plot(s, window, label="window formula", **style("model"))
ax.plot(lags * dt, weights - 0.5, ms=4, label="one pair, traces",
        **(style("excitatory", markers=True) | {"linestyle": "none"}))
ax.axhline(0.0, color="black", lw=0.6)
ax.legend(fontsize=9)
label_axes(ax, "t_post - t_pre (ms)", "weight change (nS)", "STDP window")
mismatch = np.max(np.abs(weights - 0.5 - networks.stdp_window(lags * dt, **rule)))
print(f"largest difference traces - formula: {mismatch:.1e} nS")
describe(figure, "The STDP window: weight change against the delay from the presynaptic to "
         "the postsynaptic spike. Positive delays (pre before post) strengthen the synapse, "
         "negative ones weaken it, both fading within some 40 ms; the changes measured with "
         "traces (triangles) lie on the formula.")

# %% [markdown] tags=["solution-only"]
# ### Part 2: independent spikes drift by the window's area
#
# 200 synapses, pre and post each an independent 20 Hz Poisson train, for
# 10 s. For independent trains every lag $s$ is equally likely, so the
# expected change is $r_\text{pre} r_\text{post}\int\Delta w =
# r_\text{pre} r_\text{post}(A_+\tau_+ - A_-\tau_-)$: negative here,
# because $A_- > A_+$.

# %% tags=["solution-only"]
rng = np.random.default_rng(17)
n_synapses, rate, duration = 200, 20.0, 10000.0
weights = np.full(n_synapses, 0.5)
pre_trace, post_trace = np.zeros(n_synapses), np.zeros(n_synapses)
p_spike = rate * dt / 1000.0  # probability of a spike per step
chunk = 1000  # steps of random numbers drawn at once
for _chunk_start in range(0, int(duration / dt), chunk):
    pre_spikes = rng.random((chunk, n_synapses)) < p_spike
    post_spikes = rng.random((chunk, n_synapses)) < p_spike
    for pre_spiked, post_spiked in zip(pre_spikes, post_spikes, strict=True):
        weights, pre_trace, post_trace = networks.stdp_update(
            weights, pre_trace, post_trace, pre_spiked, post_spiked, dt=dt,
            max_weight=10.0, **rule)
expected = networks.stdp_mean_drift(rate, rate, **rule)  # nS per s
measured = (weights.mean() - 0.5) / (duration / 1000.0)
spread = weights.std() / np.sqrt(n_synapses) / (duration / 1000.0)
print(f"expected drift {expected:.4f} nS/s, measured {measured:.4f} nS/s "
      f"(uncertainty of the measured mean: about {spread:.4f} nS/s)")

# %% [markdown] tags=["solution-only"]
# ### Part 3: correlated inputs win
#
# 100 inputs share spikes (pairwise correlation 0.2), 100 are independent;
# all fire at 10 Hz and start at 0.3 nS ($w_\text{max}$ = 1 nS). 20 s of
# learning. (Song, Miller & Abbott 2000 ran many minutes with 1000 inputs;
# the picture is the same.)

# %% tags=["solution-only"]
rng = np.random.default_rng(7)
duration = 20000.0
correlated = networks.correlated_spike_trains(100, 10.0, 0.2, duration, rng)
independent = networks.correlated_spike_trains(100, 10.0, 0.0, duration, rng)
learning = networks.simulate_stdp(input_spike_trains=correlated + independent,
                                  initial_weights=0.3, duration=duration, dt=0.1,
                                  max_weight=1.0, **rule)
figure, (ax_w, ax_h) = new_figure(1, 2, figsize=(8.5, 3.2))
seconds = learning.sample_times / 1000.0
ax_w.plot(seconds, learning.weights[:, :100].mean(axis=1), label="correlated",
          **style("excitatory"))
ax_w.plot(seconds, learning.weights[:, 100:].mean(axis=1), label="independent",
          **style("inhibitory"))
post_rate = learning.post_rate
drift = networks.stdp_mean_drift(10.0, post_rate, **rule)
ax_w.plot(seconds, 0.3 + drift * seconds, label="independent, if pre and post\nwere unrelated",
          **style("reference"))
ax_w.legend(fontsize=9)
label_axes(ax_w, "time (s)", "mean weight (nS)", "Learning")
for weights, name, meaning in ((learning.final_weights[:100], "correlated", "excitatory"),
                               (learning.final_weights[100:], "independent", "inhibitory")):
    ax_h.stairs(*np.histogram(weights, bins=20, range=(0.0, 1.0)), linewidth=1.5, label=name,
                **style(meaning))
ax_h.legend(fontsize=9)
label_axes(ax_h, "final weight (nS)", "synapses", "Final weights")
early = np.sum(learning.post_spike_times < 2000.0) / 2.0
late = np.sum(learning.post_spike_times >= duration - 2000.0) / 2.0
print(f"postsynaptic rate: {early:.1f} Hz in the first 2 s, {late:.1f} Hz in the last 2 s")
print(f"mean final weight: correlated {learning.final_weights[:100].mean():.2f} nS, "
      f"independent {learning.final_weights[100:].mean():.2f} nS")
print(f"independent inputs: drift {(learning.final_weights[100:].mean() - 0.3) / 20:.4f} nS/s, "
      f"expected without causality {drift:.4f} nS/s")
describe(figure, "Left: mean weight of the correlated inputs (solid) rising towards the "
         "maximum and of the independent inputs (dashed) falling over 20 s, next to the "
         "dotted drift expected for unrelated trains. Right: final weights, the correlated "
         "synapses (solid) piled up near 1 nS, the independent ones (dashed) near 0.")

# %% [markdown] tags=["solution-only"]
# The correlated inputs fire together, so together they often trigger the
# postsynaptic spike shortly after their own: pre-before-post, potentiation.
# The independent inputs drift down at roughly the rate the window's
# (negative) area predicts for unrelated trains; a little slower, because
# each of them also helps, a bit, to cause the spikes that follow it. As
# the correlated group takes over, the neuron fires more and the
# independent synapses are depressed faster: **competition**. The neuron
# has learned which of its inputs belong together.

# %% [markdown]


# %% [markdown]
# ## Summary

# %% [markdown] tags=["notes"]
# (3 min) Recap the three rules, the f-I curve and its two landmarks
# (rheobase, 1 / t_ref), sqrt(dt) noise, and the CV. Point to Lesson 4.

# %% [markdown]
# - The LIF neuron is the passive membrane plus three rules: threshold,
#   reset, refractory period (whole time steps, floor(t_ref / dt), as Brian2
#   counts them). In code it *inherits* the passive neuron and overrides
#   `step`; the simulator steps any neuron type (polymorphism), and a
#   perfect integrator is one overridden method away.
# - Spikes are **events**: a list of times. Spike shapes belong in plots,
#   never in the data.
# - `logging` replaces `print`: silent by default, switched on per module
#   or per neuron.
# - $f(I) = 1000 / (t_\text{ref} + \tau\ln\frac{V_\infty - V_\text{reset}}{V_\infty - V_\text{th}})$
#   above the rheobase $g_L(V_\text{th}-E_L)$, never above
#   $1000/t_\text{ref}$; the perfect integrator has no rheobase. Euler's
#   error shrinks in proportion to $\Delta t$.
# - One synapse moves $V$ by ~0.6 mV; neurons fire when many inputs add up.
#   Inhibition shifts the input-output curve, and acts most when it
#   arrives just before excitation.
# - White-noise current needs samples with sd $\sigma/\sqrt{\Delta t}$,
#   otherwise results depend on $\Delta t$.
# - The CV of the ISIs is ~0 for mean-driven firing and ~1 for balanced,
#   fluctuation-driven firing, as in cortex.
# - A cell's parameters can be found from current-clamp experiments: rest,
#   a weak step, a strong step (the inverse problem; Lesson 5 does it on a
#   real recording).
#
# **Next: Lesson 4.** The same neuron, and the same network, written as
# equations with units in **Brian2**: you will compare spike times step by
# step (and find a one-$\Delta t$ difference in how a spike is labelled) and
# the network's rates and CVs.

# %% [markdown]
# ## Further reading

# %% [markdown] tags=["notes"]
# (1 min) Point to Neuronal Dynamics chapter 1.3 and the Neuromatch
# tutorial for a second explanation.

# %% [markdown]
# - W. Gerstner, W. M. Kistler, R. Naud and L. Paninski, *Neuronal
#   Dynamics* (2014), free online:
#   [section 1.3, integrate-and-fire models](https://neuronaldynamics.epfl.ch/online/Ch1.S3.html)
#   and [chapter 8, noisy input models](https://neuronaldynamics.epfl.ch/online/Ch8.html).
#   Its Python exercise on the
#   [leaky integrate-and-fire
#   neuron](https://neuronaldynamics-exercises.readthedocs.io/en/latest/exercises/leaky-integrate-and-fire.html)
#   includes a neuron with unknown parameters, like §8.
# - Neuromatch Academy, [Biological neuron models, tutorial 1: the LIF
#   neuron](https://compneuro.neuromatch.io/tutorials/W2D3_BiologicalNeuronModels/student/W2D3_Tutorial1.html)
#   (f-I curves with noise, the CV).
# - Brian2 documentation:
#   [refractoriness](https://brian2.readthedocs.io/en/stable/user/refractoriness.html)
#   (the whole-step rule used here) and
#   [models and neuron groups](https://brian2.readthedocs.io/en/stable/user/models.html).
# - Python's [logging HOWTO](https://docs.python.org/3/howto/logging.html).
# - L. Lapicque (1907), Recherches quantitatives sur l'excitation électrique
#   des nerfs traitée comme une polarisation. *J Physiol Pathol Gén* 9:620–635;
#   retold by N. Brunel and M. C. W. van Rossum (2007), Lapicque's 1907
#   paper: from frogs to integrate-and-fire. *Biol Cybern* 97:337–339.
# - W. R. Softky and C. Koch (1993), The highly irregular firing of cortical
#   cells is inconsistent with temporal integration of random EPSPs.
#   *J Neurosci* 13:334–350; M. N. Shadlen and W. T. Newsome (1998), The
#   variable discharge of cortical neurons. *J Neurosci* 18:3870–3896.
# - C. van Vreeswijk and H. Sompolinsky (1996), Chaos in neuronal networks
#   with balanced excitatory and inhibitory activity. *Science*
#   274:1724–1726; N. Brunel (2000), Dynamics of sparsely connected networks
#   of excitatory and inhibitory spiking neurons. *J Comput Neurosci*
#   8:183–208.
# - G. Bi and M. Poo (1998), Synaptic modifications in cultured hippocampal
#   neurons. *J Neurosci* 18:10464–10472; S. Song, K. D. Miller and L. F.
#   Abbott (2000), Competitive Hebbian learning through spike-timing-dependent
#   synaptic plasticity. *Nat Neurosci* 3:919–926.
# - R. Brette and W. Gerstner (2005), Adaptive exponential integrate-and-fire
#   model as an effective description of neuronal activity. *J Neurophysiol*
#   94:3637–3642 (Lesson 5's model).

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
# # Lesson 0: Why model a neuron?
#
# Before we write a single equation for a nerve cell, three questions: why
# do living things use electricity at all, how much of a real cell does a
# model need, and what does a computer simulation add to an experiment? We
# answer them with small programs: a plant that counts to two, a drawn
# tree, and an electric circuit that behaves like a cell.
#
# **You will understand**
#
# - that electrical signalling is not special to brains: plants, algae and
#   sponges use it too, because it is fast;
# - how a Venus flytrap "remembers" a first touch for about half a minute,
#   and why that memory is the same equation as a leaky neuron;
# - why neurons are shaped like trees, and when a model may shrink the
#   whole tree to a single point (with numbers from published comparisons);
# - the cell's surface as an electric circuit of a capacitor and a resistor,
#   and its water-tank picture;
# - what a simulation is: a virtual experiment, and what it can and cannot
#   tell you.
#
# **Programming goals:** vectorised numpy with broadcasting and masks;
# returning "no answer" as `None`; a step-by-step (Euler) solver checked
# against an exact solution.
#
# **Time:** about 75 minutes. **Prerequisites:** Python and numpy. No
# biology, no electronics: every term is explained where it first appears.

# %% [markdown]
# ## Imports and units
#
# The whole course uses one set of units, chosen so that the numbers of a
# nerve cell are of order one: time in **ms**, voltage in **mV**, current
# in **pA** (picoampere, 10⁻¹² A), capacitance in **pF**, resistance in
# **GΩ** and lengths in **µm**. They fit together without conversion
# factors: GΩ × pA = mV and GΩ × pF = ms. The flytrap lives more slowly
# than a neuron, so its times are big numbers of ms; the figures show them
# in seconds.

# %% [markdown] tags=["notes"]
# (2 min) Run the imports while saying the units aloud; the two products
# GΩ × pA = mV and GΩ × pF = ms come back in section 3.

# %%
import numpy as np

from course_utils import diagrams, excitability
from course_utils.checks.opening import (
    check_rc_charging,
    check_trap_closing_time,
    check_trap_memory,
)
from course_utils.plotting import COLORS, describe, label_axes, new_figure, style

# %% [markdown]
# ## 1. Electricity in living things
#
# Every cell is wrapped in a thin oily skin, the **membrane**, about 5 nm
# thick. Salt water on both sides holds **ions**: atoms that carry an
# electric charge (sodium Na⁺, potassium K⁺, chloride Cl⁻, calcium Ca²⁺).
# Pumps in the membrane keep different ions inside and outside, so the
# inside of a cell sits at a different electrical level from the outside:
# the **membrane potential**, the voltage across the membrane (inside minus
# outside), typically −60 to −80 mV at rest. When ions flow through the
# membrane, that flow is an electric **current**.
#
# Some cells are **excitable**: pushed past a tipping point (a
# *threshold*), they answer with a brief, all-or-none swing of their
# membrane potential, an **action potential** (also called a *spike*),
# that travels along the cell and on to others. Neurons do it, and so do
#
# - heart muscle cells, every beat;
# - *Chara*, a freshwater alga, whose long cells fire action potentials
#   lasting seconds;
# - glass sponges, animals without any nerve cells, which stop the water
#   current they feed on after a disturbance by sending an electrical
#   impulse through their body (Leys, Mackie & Meech 1999);
# - the **Venus flytrap**, a plant that snaps shut on insects.
#
# The reason is speed. A small molecule spreading by diffusion (diffusion
# coefficient $D \approx 10^{-5}$ cm²/s) needs about $x^2/2D$, half a day,
# to cross a centimetre; an action potential crosses it in a tenth of a
# millisecond in a fast nerve, and in well under a second in a plant.

# %% [markdown] tags=["notes"]
# (8 min) Start with the question "why electricity?" before any equation.
# Ask the room for excitable cells they know (heart, muscle). Stress that
# electricity is a trick of membranes, not of brains: the sponge has no
# neurons at all. Speed is the reason: compare diffusion over 1 cm (hours)
# with an action potential (ms to s).

# %% [markdown]
# ### The Venus flytrap counts to two
#
# A flytrap's leaf is a pair of lobes, each with (usually) three stiff
# trigger hairs. Bending a hair fires one action potential across the trap.
# One touch does nothing visible. A **second** touch within about 20-30 s
# closes the trap in a fraction of a second; after a longer pause, the
# second touch counts as a first one again (Hedrich & Neher 2018; the window
# is quoted as 20 s by Trewavas 2017 and about 30 s by Suda et al. 2020).
# A raindrop touches once; a crawling insect touches again.
#
# How does a plant without a brain remember the first touch? Suda et al.
# (2020) made flytraps whose cells glow where calcium ions are: each touch
# raised the calcium level in the leaf, which then slowly fell again, and
# the trap closed when a second rise pushed it above a threshold.
#
# The simplest model of this: a *memory* $m$ (counted in touches) that
# jumps by 1 at each touch and then leaks away exponentially with a
# **time constant** $\tau$ (the time in which it falls to 1/e ≈ 37 %),
#
# $$\frac{dm}{dt} = -\frac{m}{\tau} + \sum_k \delta(t - t_k),
# \qquad m(t) = \sum_{t_k \le t} e^{-(t - t_k)/\tau},$$
#
# and the trap closes as soon as $m \ge \theta$, a **threshold**. Something
# that adds up its inputs and slowly forgets them is a **leaky
# integrator**. With $\theta$ = 1.5, one touch (m = 1) is not enough, two
# touches at once (m = 2) are. Two touches $d$ apart give
# $m = 1 + e^{-d/\tau}$ at the second one, so they close the trap when
# $d \le \tau \ln 2$. To reproduce a 30 s window we choose
# $\tau$ = 30 s / ln 2 ≈ 43 s. That is the model's only free number, and
# we set it from an observation; the model describes the logic, not the
# chemistry (the real calcium signal has its own shape).

# %% [markdown]
# ### Exercise 0.1: the flytrap's memory
#
# Write `trap_memory(time, touch_times, decay_time)`: for every time in the
# array `time` (ms), the memory $m$, the sum of
# $e^{-(t - t_k)/\tau}$ over the touches with $t_k \le t$. A touch at
# exactly $t$ counts (it adds 1). Work on whole arrays: `time[:, None] -
# touch_times[None, :]` is a table of "time since each touch", one row per
# time, and `np.where(condition, a, 0)` keeps the entries you want.

# %% tags=["exercise"] minutes=8
def trap_memory(time, touch_times, decay_time):
    """Memory m(t) of the flytrap (in touches) at each time (ms)."""
    ...


# %% tags=["solution"]
def trap_memory(time, touch_times, decay_time):
    """Memory m(t) of the flytrap (in touches) at each time (ms)."""
    since = np.asarray(time)[:, None] - np.asarray(touch_times)[None, :]  # ms
    # Clip before exp: touches still to come would give exp(+large).
    decayed = np.exp(-np.clip(since, 0, None) / decay_time)
    return np.where(since >= 0, decayed, 0.0).sum(axis=1)


# %% tags=["check"]
check_trap_memory(trap_memory)

# %% [markdown] tags=["predict"]
# **Predict before you run.** A fly touches a hair at 0 s and again at
# 20 s. Another touches at 0 s and at 40 s. Sketch $m(t)$ for both: which
# trap closes?

# %%
THRESHOLD = 1.5
decay_time = excitability.decay_time_for_window(30_000.0, threshold=THRESHOLD)  # ms
print(f"decay time tau = {decay_time / 1000:.1f} s")

time = np.arange(0.0, 80_001.0, 100.0)  # ms
figure, ax = new_figure(figsize=(7.0, 3.0))
for touches, meaning in (([0.0, 20_000.0], "model"), ([0.0, 40_000.0], "accent")):
    memory = trap_memory_in_use(time, np.array(touches), decay_time)
    ax.plot(time / 1000, memory, label=f"touches at {touches[0] / 1000:g} and "
            f"{touches[1] / 1000:g} s", **style(meaning))
    print(f"touches {np.array(touches) / 1000} s: memory at the second touch = "
          f"{trap_memory_in_use(np.array(touches[1:]), np.array(touches), decay_time)[0]:.2f}")
ax.axhline(THRESHOLD, label="threshold", **style("reference"))
closes_at = trap_memory_in_use(np.array([20_000.0]), np.array([0.0, 20_000.0]), decay_time)[0]
ax.plot(20.0, closes_at, "v", color=COLORS["model"], markersize=9, label="the trap closes")
ax.set_ylim(0.0, 2.4)
ax.legend(loc="upper right", ncols=2)
label_axes(ax, "time (s)", "memory m (touches)", "The flytrap's leaky memory")
describe(figure, "Memory of the flytrap for touches 20 s apart (rises to 1.63, above the 1.5 "
         "threshold: the trap closes) and 40 s apart (rises to only 1.40: it stays open).")

# %% [markdown]
# ### Exercise 0.2: when does the trap close?
#
# Write `trap_closing_time(touch_times, decay_time, threshold)`: the time
# (ms) of the first touch at which the memory reaches the threshold, or
# `None` if the trap never closes. The memory is highest right after a
# touch, so you only need $m$ at the touch times: your `trap_memory`
# evaluated *at* `touch_times`.

# %% tags=["exercise"] minutes=7
def trap_closing_time(touch_times, decay_time, threshold):
    """Time (ms) of the touch that closes the trap, or None."""
    ...


# %% tags=["solution"]
def trap_closing_time(touch_times, decay_time, threshold):
    """Time (ms) of the touch that closes the trap, or None."""
    touch_times = np.asarray(touch_times, dtype=float)
    if touch_times.size == 0:
        return None
    memory = trap_memory(touch_times, touch_times, decay_time)
    closing = np.flatnonzero(memory >= threshold)
    return float(touch_times[closing[0]]) if closing.size else None


# %% tags=["check"]
check_trap_closing_time(trap_closing_time)

# %% [markdown]
# ### A virtual experiment on the model
#
# Now we can do what would take an afternoon with a real plant (and a very
# patient one): try intervals between two touches from 0.5 to 59.5 s, in
# steps of 1 s, and record whether the trap closes.

# %%
intervals = np.arange(0.5, 60.0, 1.0) * 1000.0  # ms
closed = [trap_closing_time_in_use(np.array([0.0, d]), decay_time, THRESHOLD) is not None
          for d in intervals]
figure, ax = new_figure(figsize=(6.0, 2.6))
ax.step(intervals / 1000, closed, where="mid", **style("model"))
ax.set_yticks([0, 1], ["stays open", "closes"])
label_axes(ax, "interval between the two touches (s)", "trap",
           "Two touches close the trap only within the window")
describe(figure, "Whether two touches close the model trap, against the interval between "
         "them: it closes for every interval up to 30 s and for none beyond.")
longest = intervals[np.flatnonzero(closed)[-1]]
print(f"longest interval tried that closes the trap: {longest / 1000:g} s; "
      f"{(longest + 1000) / 1000:g} s does not")

# %% [markdown] tags=["predict"]
# **Predict.** Three touches, 40 s apart (0, 40 and 80 s): no two of them
# fall within the 30 s window. Does the model trap close?

# %%
three = np.array([0.0, 40_000.0, 80_000.0])
print("memory at each touch:", np.round(trap_memory_in_use(three, three, decay_time), 3))
closing = trap_closing_time_in_use(three, decay_time, THRESHOLD)
print("the trap", "stays open" if closing is None else f"closes at {closing / 1000:g} s")

# %% [markdown]
# It closes at the third touch: what is left of the first two touches adds
# up, $1 + e^{-40/43.3} + e^{-80/43.3} = 1.55$. A rule such as "two touches
# within 30 s" never predicts that; a leaky integrator does. This is a
# **prediction** of the model, something it says about an experiment
# nobody has run in this notebook, and the best thing a model can give.

# %% [markdown]
# ### Think
#
# How would you test this prediction on a real flytrap, and what result
# would show that the leaky-integrator model is wrong?

# %% [markdown] tags=["answer"]
# **Answer.** Touch trigger hairs (or pass small electric pulses, which
# also fire the trap's action potentials) in trains with different
# spacings: pairs at 20, 30 and 40 s, and triples at 35, 40 and 45 s. The
# model predicts that pairs close up to 30 s, and that triples close even
# when every gap is longer than that, up to the spacing at which
# $1 + e^{-d/\tau} + e^{-2d/\tau} = 1.5$: with $x = e^{-d/\tau}$,
# $x + x^2 = 0.5$, so $x = (\sqrt{3} - 1)/2$ and $d = \tau \ln(2/(\sqrt3 - 1))$
# ≈ 43.5 s here (the 45 s triple stays open). If triples
# never close when pairs with the same spacing don't, the memory does not
# add up leakily: perhaps it is reset by each touch, or the calcium decays
# in a different way. Repeat each protocol on many traps, and give the
# plants time to recover between trials: a trap that closed needs hours to
# reopen.

# %% [markdown]
# ### A neuron in disguise
#
# The flytrap's model has three parts: it **integrates** its inputs, it
# **leaks** (forgets) with a time constant, and it **fires** (closes) at a
# threshold. That is, word for word, the
# [leaky integrate-and-fire neuron](../glossary.md#leaky-integrate-and-fire-neuron)
# of Lesson 3, with the membrane potential in place of the memory and
# milliseconds in place of tens of seconds. Once you have the equation,
# the same code runs a plant and a nerve cell.

# %% [markdown]
# ## 2. How much detail? The tree and the point
#
# A neuron has a cell body, the **soma**, from which grow a branching tree
# of thin tubes that collect input, the **dendrites**, and one long cable
# that carries the output spikes away, the **axon**. Where the axon of one
# cell touches a dendrite of another sits a **synapse**, a contact that
# passes the signal on. A cortical neuron receives thousands of them.
#
# Why trees? A tree reaches a large volume with little material: many
# points of contact, cheap to build and to run. Rivers, lungs, roots and
# blood vessels use the same trick. Below, a random tree drawn by code:
# each branch splits in two daughters, each 3/4 as long, and thinner by
# Rall's 3/2 rule (the sum of the daughters' diameters to the power 3/2
# equals the parent's; Rall 1959).

# %% [markdown] tags=["notes"]
# (12 min) Draw the tree, read out the numbers: the dendrite reaches across
# a large area while covering only a few percent of it. Then the key
# question of the lesson: do we need the tree in the model? Show the cited
# numbers and insist on their limits: point models predict *when* a cell
# fires for input at the soma; they say nothing about dendritic events.

# %%
tree = diagrams.branching_tree(np.random.default_rng(5), depth=7, trunk_length=120.0,
                               trunk_diameter=4.0)
stats = diagrams.tree_statistics(tree)
print(f"{len(tree)} branches, {stats['total_length']:.0f} um of dendrite, "
      f"membrane area {stats['membrane_area']:.0f} um^2")
print(f"the tree spans {stats['footprint']:.0f} um^2 but covers only "
      f"{100 * stats['covered_fraction']:.1f} % of it")

figure, (ax_tree, ax_point) = new_figure(1, 2, figsize=(8.0, 3.6),
                                         gridspec_kw={"width_ratios": [3, 1]})
diagrams.draw_tree(ax_tree, tree, COLORS["model"])
ax_tree.set_title("A neuron: soma and dendritic tree")
ax_point.plot(0, 0, "o", color=COLORS["model"], markersize=12)
ax_point.set_xlim(-1, 1)
ax_point.set_ylim(-1, 1)
ax_point.axis("off")
ax_point.set_title("The same cell as a point")
describe(figure, "A random branching tree drawn by code (left; a soma with seven generations of "
         "ever thinner dendrites) next to the point that replaces it in a point-neuron model.")

# %% [markdown]
# ### Reduction or mimicry?
#
# A model can *mimic* the cell: cut the tree into hundreds of short
# pieces, **compartments**, each with its own voltage, and connect them
# like a cable. Or it can *reduce* it: one voltage for the whole cell, a
# **point neuron**. Detailed models are needed when the question is about
# the tree itself: where a synapse sits, a spike born in a dendrite,
# signals that travel back into the tree. But if the question is *when
# does this cell fire*, published comparisons say the point does
# remarkably well:
#
# - A point model with an exponential spike and
#   [adaptation](../glossary.md#adaptation) (AdEx), fitted
#   to a detailed conductance-based model, predicted 96 % of the detailed
#   model's spikes to within ±2 ms (Brette & Gerstner 2005).
# - In the International Neuron Model Competitions of 2007-2008, which
#   scored predictions of the spike times of real neurons, the best
#   predictions came from integrate-and-fire models with one extra variable
#   (adaptation or a moving threshold) (Jolivet et al. 2008).
# - For 645 mouse visual-cortex neurons of the Allen Cell Types Database,
#   the plain leaky integrate-and-fire model explains 70.2 % of the
#   variance of the spike trains (in 10 ms bins); with after-spike currents
#   and an adaptive threshold, 77.6 % (253 cells) (Teeter et al. 2018).
#
# (Explained variance: how much of the ups and downs of the recorded
# firing, measured in 10 ms bins, the model reproduces; 100 % would be a
# perfect copy.) Point models are also thousands of times cheaper: one
# equation per cell instead of one per compartment, which is what lets
# Lesson 6 simulate millions of them. Lesson 5 measures for itself how far
# a point model is from a real recording, and where it fails (the shape
# of the spike, adaptation).

# %% [markdown]
# ## 3. The membrane as an electric circuit
#
# The membrane is an insulating film between two salt solutions that
# conduct: exactly a **capacitor**, two conductors separated by an
# insulator, which stores electric charge. Its **capacitance** $C$ (pF)
# says how much charge it stores per mV: a big membrane needs more charge
# to change its voltage. Ion channels let a little current leak through
# the membrane: a **resistor** of **resistance** $R$ (GΩ), or, counted the
# other way, a **conductance** $g_L = 1/R$ (nS). The leak drives the
# voltage towards a resting value $E_L$ (like a battery in series with the
# resistor). Inject a current $I$ (pA), and charge conservation gives
#
# $$C\,\frac{dV}{dt} = -\frac{V - E_L}{R} + I,$$
#
# whose solution, starting at rest, is
#
# $$V(t) = E_L + R\,I\,\bigl(1 - e^{-t/(RC)}\bigr).$$
#
# The voltage rises towards $E_L + RI$ ([Ohm's law](../glossary.md#ohms-law)) with the time constant
# $\tau = RC$. For the course's standard cell, $C$ = 200 pF and $R$ =
# 0.1 GΩ (= 100 MΩ), so $\tau$ = 20 ms, and 100 pA lifts it by 10 mV.
#
# **The water picture.** Voltage is the water level in a tank, current is
# the water flowing in from a tap, the capacitance is the width of the
# tank (a wide tank rises slowly), and the leak is a hole near the bottom
# (the higher the level, the faster it drains). The level settles where
# the outflow equals the inflow.

# %% [markdown] tags=["notes"]
# (15 min) Draw the circuit and the tank side by side; map each symbol to
# its picture. Do the units once on the board: GΩ × pA = mV, GΩ × pF = ms.
# Then the exercise, and the predict question about doubling C.

# %%
figure, (ax_circuit, ax_tank) = new_figure(1, 2, figsize=(8.5, 3.2))
diagrams.draw_rc_circuit(ax_circuit, COLORS)
ax_circuit.set_title("The membrane as a circuit")
diagrams.draw_water_tank(ax_tank, COLORS)
ax_tank.set_title("The same, as a leaky water tank")
describe(figure, "Left: the membrane as a capacitor C in parallel with a leak resistor R and its "
         "battery E_L, driven by a current I. Right: a water tank whose level is the voltage, "
         "filled by a tap and drained through a hole.")

# %% [markdown]
# ### Exercise 0.3: charging the membrane
#
# Write `rc_charging(time, current, resistance, capacitance, rest)`: the
# voltage (mV) at each time (ms, all $\ge$ 0) of a membrane that sits at
# `rest` until $t$ = 0, when a constant `current` (pA) switches on. No unit
# conversions are needed.

# %% tags=["exercise"] minutes=6
def rc_charging(time, current, resistance, capacitance, rest):
    """Membrane voltage (mV) of an RC membrane charged from rest by a constant current."""
    ...


# %% tags=["solution"]
def rc_charging(time, current, resistance, capacitance, rest):
    """Membrane voltage (mV) of an RC membrane charged from rest by a constant current."""
    tau = resistance * capacitance  # GOhm x pF = ms
    return rest + resistance * current * (1.0 - np.exp(-np.asarray(time) / tau))


# %% tags=["check"]
check_rc_charging(rc_charging)

# %% [markdown] tags=["predict"]
# **Predict.** Take the standard cell and double its capacitance (a cell
# twice the size has twice the membrane, but also twice the leak; here we
# change only $C$). Does the final voltage change, the speed, or both?

# %%
time = np.linspace(0.0, 150.0, 601)  # ms
figure, ax = new_figure(figsize=(6.5, 3.0))
for capacitance, meaning in ((200.0, "model"), (400.0, "accent")):
    voltage = rc_charging_in_use(time, 100.0, 0.1, capacitance, -70.0)
    tau = 0.1 * capacitance
    ax.plot(time, voltage, label=f"C = {capacitance:g} pF (tau = {tau:g} ms)", **style(meaning))
    print(f"C = {capacitance:g} pF: tau = {tau:g} ms, V(tau) = "
          f"{rc_charging_in_use(np.array([tau]), 100.0, 0.1, capacitance, -70.0)[0]:.2f} mV, "
          f"V(150 ms) = {voltage[-1]:.2f} mV")
ax.axhline(-60.0, label="E_L + R I = -60 mV", **style("reference"))
ax.legend(loc="lower right")
label_axes(ax, "time (ms)", "membrane potential (mV)", "A 100 pA step charges the membrane")
describe(figure, "Membrane potential after a 100 pA step for C = 200 pF and 400 pF: both rise "
         "from -70 mV towards -60 mV, the larger capacitance twice as slowly.")

# %% [markdown]
# Only the speed: the final level $E_L + RI$ does not depend on $C$, the
# time constant $RC$ doubles. Look back at the flytrap: its memory obeys
# $dm/dt = -m/\tau + \text{input}$, the same equation with $m$ in place of
# $V - E_L$. **Lesson 1** builds the inputs (synapses), **Lesson 2** builds
# this membrane from the cell's size and shape, and **Lesson 3** adds the
# threshold: the leaky integrate-and-fire neuron.

# %% [markdown]
# ## 4. Simulation as a virtual experiment
#
# We could solve the RC equation on paper. Most models can't be solved on
# paper, so we let the computer walk through time in small steps. With a
# **time step** $\Delta t$, the change of $V$ in one step is its rate of
# change times $\Delta t$ (Euler's method):
#
# $$V_{n+1} = V_n + \frac{\Delta t}{C}\Bigl(-\frac{V_n - E_L}{R} + I\Bigr).$$
#
# A **simulation** is this loop: a virtual experiment. In it you can set
# every parameter, measure every variable at every instant, repeat a run
# exactly, and try what no animal committee would allow. But it knows only
# what you put in: a simulation is only as good as its agreement with
# real measurements, which is why we always check it, first against exact
# solutions, later (Lesson 5) against a recording.

# %% [markdown] tags=["notes"]
# (10 min) The Euler loop is the whole idea of simulation. Run the cell,
# point at how the error shrinks tenfold when the step shrinks tenfold.
# Close with the virtual-experiment slide: what a simulation can and cannot
# do; then the summary.

# %%
def euler_rc(duration, dt, current, resistance, capacitance, rest):
    """Membrane voltage (mV) on the grid 0, dt, ..., duration (ms), by Euler's method."""
    n_steps = int(round(duration / dt))
    voltage = np.empty(n_steps + 1)
    voltage[0] = rest
    for n in range(n_steps):
        leak = -(voltage[n] - rest) / resistance  # pA
        voltage[n + 1] = voltage[n] + dt / capacitance * (leak + current)
    return voltage


figure, ax = new_figure(figsize=(6.5, 3.0))
exact_time = np.linspace(0.0, 60.0, 601)
for dt, meaning in ((5.0, "accent"), (1.0, "data"), (0.1, "model")):
    grid = np.arange(0.0, 60.0 + dt / 2, dt)
    simulated = euler_rc(60.0, dt, 100.0, 0.1, 200.0, -70.0)
    error = np.max(np.abs(simulated - rc_charging_in_use(grid, 100.0, 0.1, 200.0, -70.0)))
    print(f"dt = {dt:4.1f} ms: largest error {error:.4f} mV")
    # Markers only where the steps are few enough to see; each dt its own line style.
    ax.plot(grid, simulated, ms=4, lw=1.0, label=f"Euler, dt = {dt:g} ms",
            **style(meaning, markers=dt >= 1.0))
ax.plot(exact_time, rc_charging_in_use(exact_time, 100.0, 0.1, 200.0, -70.0), lw=2.5,
        zorder=5, label="exact", **style("reference"))
ax.legend(loc="lower right")
label_axes(ax, "time (ms)", "membrane potential (mV)", "Euler's method against the exact curve")
describe(figure, "Euler simulations of the charging membrane with steps of 5, 1 and 0.1 ms beside "
         "the exact curve: the smaller the step, the closer the simulation.")

# %% [markdown]
# The error shrinks in proportion to $\Delta t$: ten times smaller steps,
# ten times smaller error (and ten times more work). Choosing $\Delta t$
# is always this trade-off; the course uses 0.1 ms, small against the
# 20 ms time constant.
#
# How big can a virtual experiment get? A human brain has about 86 billion
# neurons (Azevedo et al. 2009). The optional **Lesson 6** runs networks of
# a million point neurons and shows how Brian2 turns your equations into
# fast C++ (and GPU) code to do it.

# %% [markdown]
# ## Summary
#
# - Excitable cells, from heart cells to algae, sponges and the Venus
#   flytrap, signal with electricity because it is fast.
# - The flytrap closes after two touches within ~30 s: a **leaky
#   integrator with a threshold**, the leaky integrate-and-fire neuron in
#   disguise. Its model predicts something new (three slower touches add
#   up), which an experiment could test.
# - Neurons are trees to reach far at little cost. For *when* a neuron
#   fires, point neurons do remarkably well (96 % of a detailed model's
#   spikes; 70-78 % of the variance of real spike trains); for what
#   happens inside the tree, they can't.
# - The membrane is an RC circuit (a leaky water tank): $\tau = RC$ sets
#   the speed, $E_L + RI$ the level; GΩ × pA = mV, GΩ × pF = ms.
# - A simulation is a virtual experiment: steps of $\Delta t$, checked
#   against exact solutions and, in the end, against real data.

# %% [markdown] tags=["notes"]
# (3 min) One sentence per bullet; ask which bullet surprised them.

# %% [markdown]
# ## Further reading
#
# - W. Gerstner, W. M. Kistler, R. Naud, L. Paninski, *Neuronal Dynamics*
#   (Cambridge University Press 2014), free online at
#   <https://neuronaldynamics.epfl.ch/online/>: chapter 1 (neurons and the
#   integrate-and-fire model); its Python exercises at
#   <https://neuronaldynamics-exercises.readthedocs.io/>.
# - The Brian2 tutorials: <https://brian2.readthedocs.io/en/stable/resources/tutorials/>.
# - Neuromatch Academy, "Biological neuron models" (W2D3):
#   <https://compneuro.neuromatch.io/tutorials/W2D3_BiologicalNeuronModels/student/W2D3_Tutorial1.html>.
# - R. Hedrich, E. Neher (2018), Venus flytrap: how an excitable,
#   carnivorous plant works. *Trends in Plant Science* 23:220-234.
# - J. Böhm et al. (2016), The Venus flytrap *Dionaea muscipula* counts
#   prey-induced action potentials to induce sodium uptake. *Current
#   Biology* 26:286-295.
# - H. Suda et al. (2020), Calcium dynamics during trap closure visualized
#   in transgenic Venus flytrap. *Nature Plants* 6:1219-1224.
# - A. Trewavas (2017), The foundations of plant intelligence. *Interface
#   Focus* 7:20160098.
# - S. P. Leys, G. O. Mackie, R. W. Meech (1999), Impulse conduction in a
#   sponge. *Journal of Experimental Biology* 202:1139-1150.
# - W. Rall (1959), Branching dendritic trees and motoneuron membrane
#   resistivity. *Experimental Neurology* 1:491-527.
# - R. Brette, W. Gerstner (2005), Adaptive exponential integrate-and-fire
#   model as an effective description of neuronal activity. *Journal of
#   Neurophysiology* 94:3637-3642.
# - R. Jolivet et al. (2008), A benchmark test for a quantitative
#   assessment of simple neuron models. *Journal of Neuroscience Methods*
#   169:417-424; and W. Gerstner, R. Naud (2009), How good are neuron
#   models? *Science* 326:379-380.
# - C. Teeter et al. (2018), Generalized leaky integrate-and-fire models
#   classify multiple neuron types. *Nature Communications* 9:709; and its
#   detailed counterpart, N. W. Gouwens et al. (2018), Systematic
#   generation of biophysically detailed models for diverse cortical neuron
#   types. *Nature Communications* 9:710.
# - F. A. C. Azevedo et al. (2009), Equal numbers of neuronal and
#   nonneuronal cells make the human brain an isometrically scaled-up
#   primate brain. *Journal of Comparative Neurology* 513:532-541.

# %% [markdown] tags=["notes"]
# (1 min) Point to Neuronal Dynamics chapter 1 and the Brian2 tutorials as
# the next step for anyone who wants more before Lesson 1.

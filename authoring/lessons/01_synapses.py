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
# # Lesson 1: Synapses
#
# A neuron listens to thousands of others through its synapses. A
# **synapse** is the contact where one neuron (the **presynaptic** one, the
# sender) passes a signal to another (the postsynaptic one, the receiver).
# Every spike of the presynaptic neuron briefly opens ion channels in the
# receiver's membrane: a **conductance** (how easily current passes, in nS)
# rises and decays, and a small current flows. In this lesson you build that
# chain, spike times → conductance → current, and then let hundreds of
# synapses talk at once. Words in the course's [glossary](../glossary.md) are
# linked the first time they appear.
#
# **What you will understand about neurons**
#
# - why the input a neuron receives is well described by random (Poisson)
#   spike trains, and how regular such trains are;
# - how one spike opens a conductance that rises and decays, and how the
#   conductances of many spikes add up;
# - why the same conductance excites or inhibits depending on the
#   [membrane potential](../glossary.md#membrane-potential) (the
#   [reversal potential](../glossary.md#reversal-potential) and the
#   [driving force](../glossary.md#driving-force)), and what
#   [shunting inhibition](../glossary.md#shunting-inhibition) is;
# - how big and how noisy the total input of hundreds of synapses is.
#
# **Programming goals**
#
# - random numbers from a seeded generator that you pass around;
# - the same quantity computed two ways, a formula (analytical) and a
#   differential equation stepped in time (numerical), and the error of the
#   second measured against the first;
# - numpy arrays instead of loops where it helps.
#
# **Time.** Core path about 95 minutes (sections 1–7 and the summary), plus
# about 35 minutes of optional depth (marked *optional*) and the challenge. The estimates
# assume you read every cell, type the exercises yourself and run each cell
# once; they come from the amount of code each exercise asks for (about
# 5–10 lines), not from a timed class. **Prerequisites:** Python functions,
# loops and numpy arrays; the derivative of $e^{-t/\tau}$. No neuroscience
# or circuits.

# %% [markdown]
# ## Units and imports

# %% [markdown] tags=["notes"]
# (2 min) One unit system for the whole course: ms, mV, pA, nS, Hz. nS × mV
# = pA, so no conversion factor hides in a model; the one conversion is Hz to
# spikes per ms.

# %% [markdown]
# Every number in the course is in one unit system: time in **ms**, voltage
# in **mV**, current in **pA**, conductance in **nS**, rates in **Hz**.
# It is chosen so that no conversion factor ever hides in a model:
# nS × mV = pA. The one place you convert is rates: a rate in Hz is
# `rate / 1000` spikes per ms.

# %%
import numpy as np
from scipy import stats

from course_utils import inputs, synapses
from course_utils.checks.synapses import (
    check_alpha_kernel,
    check_conductance_ode,
    check_exponential_conductance,
    check_mean_conductance,
    check_poisson_spike_train,
    check_refractory_poisson_train,
    check_synaptic_current,
    compare_prediction,
)
from course_utils.plotting import COLORS, describe, label_axes, new_figure, raster, style
from course_utils.widgets import stepping_explorer, synapse_explorer

# %% [markdown]
# ## 1. Spike trains
#
# *About 15 min; time so far on the core path: 2 min.*

# %% [markdown] tags=["notes"]
# (15 min) A spike train is a list of times. Regular vs Poisson on the
# raster; exercise 1.1 builds a Poisson train from exponential intervals
# (10 min). Ask for the predictions before running the statistics cell.

# %% [markdown]
# A neuron signals with brief voltage pulses, [action potentials](../glossary.md#action-potential)
# or spikes. To a synapse, a presynaptic neuron is just a list of **spike
# times** in ms: a spike train. Two simple models:
#
# - **regular**: one spike every $1000/\nu$ ms at a rate $\nu$ (Hz);
# - **Poisson** (a **Poisson process**, spikes that arrive at random at a
#   constant rate, each independent of the others): in every short interval
#   $\Delta t$ a spike occurs with probability $\nu \Delta t / 1000$,
#   independently of everything else. Then the intervals between spikes
#   are **exponentially distributed** with mean $1000/\nu$ ms, and the
#   number of spikes in $T$ ms is **Poisson
#   distributed** with mean *and* variance $\nu T / 1000$.
#
# The Poisson model captures the irregular firing of cortical neurons well
# (their intervals are often about as variable as a Poisson train's); it
# misses the [refractory period](../glossary.md#refractory-period)
# (the challenge at the end adds it), [bursts](../glossary.md#burst), and rate changes.
#
# Randomness in the course always comes from a generator you pass in,
# `rng = np.random.default_rng(seed)`: the same seed gives the same spikes,
# so your results are reproducible.

# %%
rng = np.random.default_rng(2024)
regular = synapses.regular_spike_train(20.0, 500.0)  # 20 Hz for 500 ms
poisson = [synapses.poisson_spike_train(20.0, 500.0, rng) for _ in range(5)]

figure, ax = new_figure(figsize=(7.0, 2.2))
raster(ax, [regular], color=COLORS["model"])
raster(ax, poisson, color=COLORS["excitatory"], offset=1)
ax.set_yticks(range(6), ["regular"] + [f"Poisson {i + 1}" for i in range(5)])
label_axes(ax, "time (ms)", "", "20 Hz: one regular and five Poisson trains")
print("spike counts:", len(regular), [len(train) for train in poisson])
describe(figure, "Six rows of spike ticks over 500 ms. The top row, regular, has a tick "
         "every 50 ms; the five Poisson rows have the same rate but irregular gaps, "
         "clusters and different counts.")

# %% [markdown]
# ### Exercise 1.1: a Poisson spike train
#
# Write `poisson_spike_train(rate, duration, rng)` that returns the sorted
# spike times (ms) of a Poisson process with `rate` in Hz during
# `[0, duration)` ms. Build it from exponential intervals: draw them with
# `rng.exponential(mean_interval, size=...)` and add them up with
# `np.cumsum`.
#
# Two rules: the rate is in Hz but times are in ms, and every random number
# comes from `rng`, never from `np.random.…`.

# %% tags=["exercise"] minutes=10
def poisson_spike_train(rate, duration, rng):
    """Spike times (ms) of a Poisson process at `rate` (Hz) in [0, duration) ms."""
    # mean_interval = ...   (in ms)
    # draw more intervals than you expect to need, add them up, keep the times < duration
    ...


# %% tags=["solution"]
def poisson_spike_train(rate, duration, rng):
    """Spike times (ms) of a Poisson process at `rate` (Hz) in [0, duration) ms."""
    mean_interval = 1000.0 / rate  # ms: rate is in spikes per second
    expected = rate * duration / 1000.0
    n_draws = int(expected + 5 * np.sqrt(expected) + 10)  # almost always enough
    times = np.cumsum(rng.exponential(mean_interval, size=n_draws))
    while times[-1] < duration:  # rarely: not enough intervals yet, draw more
        extra = times[-1] + np.cumsum(rng.exponential(mean_interval, size=n_draws))
        times = np.concatenate([times, extra])
    return times[times < duration]


# %% tags=["check"]
check_poisson_spike_train(poisson_spike_train)

# %% [markdown]
# ### Rate and count statistics
#
# Let's test your generator like an experimentalist would: record 1000
# trials of 1 s at 20 Hz and look at the counts and the intervals. Two
# numbers summarise how irregular a spike train is:
#
# - the **Fano factor** of the counts: variance / mean of the number of
#   spikes in a window. A Poisson count has variance = mean, so its Fano
#   factor is 1; a perfectly regular train has 0.
# - the **coefficient of variation** (CV) of the intervals: their standard
#   deviation / their mean. Exponential intervals have sd = mean, so CV = 1;
#   a regular train has 0.

# %% [markdown] tags=["predict"]
# **Predict before you run.** For 1000 one-second trials at 20 Hz: what will
# the measured Fano factor and the interval CV be, roughly? And what would
# they be for the *regular* 20 Hz train? Write your guesses below (numbers),
# then run the simulation.

# %%
predicted_fano = None  # your guess for the Poisson trains, e.g. 0.5
predicted_cv = None  # your guess for the Poisson trains

# %%
rng = np.random.default_rng(1)
rate, duration = 20.0, 1000.0
counts = np.array([len(poisson_spike_train_in_use(rate, duration, rng)) for _ in range(1000)])
# Intervals from one long train: in short trials the long intervals are cut off
# by the end of the trial, which would bias their mean down.
intervals = np.diff(poisson_spike_train_in_use(rate, 1000 * duration, rng))
expected = rate * duration / 1000.0

figure, (ax_isi, ax_count) = new_figure(1, 2, figsize=(7.0, 2.6))
bins = np.arange(0.0, 300.0, 10.0)
ax_isi.hist(intervals, bins=bins, density=True, color=COLORS["data"], label="simulated")
ax_isi.plot(bins, np.exp(-bins * rate / 1000.0) * rate / 1000.0,
            **style("model"), lw=2.5, label="exponential")
ax_isi.legend()
label_axes(ax_isi, "interval between spikes (ms)", "probability density (1/ms)",
           "Intervals")
ax_count.hist(counts, bins=np.arange(5, 40) - 0.5, density=True, color=COLORS["data"],
              label="simulated")
k = np.arange(5, 40)
ax_count.plot(k, stats.poisson.pmf(k, expected), "o", ms=4, color=COLORS["model"],
              label="Poisson")
ax_count.legend()
label_axes(ax_count, "spikes in 1 s", "fraction of trials", "Counts")
fano = counts.var(ddof=1) / counts.mean()
cv = intervals.std() / intervals.mean()

print(f"count: mean {counts.mean():.2f}, variance {counts.var(ddof=1):.2f} "
      f"(Poisson: both {expected:.0f})")
print(f"Fano factor (variance / mean): {fano:.2f}")
print(f"interval: mean {intervals.mean():.1f} ms (1000 / rate = {1000 / rate:.0f} ms), "
      f"CV {cv:.2f} (exponential: 1)")
describe(figure, "Left: histogram of the intervals between spikes, highest at 0 ms and "
         "falling off like the dark exponential curve drawn over it. Right: histogram "
         "of spike counts per second, centred on 20 and following the Poisson dots.")
compare_prediction("Fano factor", predicted_fano, fano, tolerance=0.2)
compare_prediction("interval CV", predicted_cv, cv, tolerance=0.2)

# %% [markdown]
# ### Think
#
# A real neuron cannot fire twice within ~2 ms (its refractory period). How
# would that change the interval histogram and the Fano factor of a 20 Hz
# train? Would it matter more at 20 Hz or at 200 Hz?

# %% [markdown] tags=["answer"]
# **Answer.** Intervals shorter than ~2 ms disappear, so the histogram starts
# with a gap instead of its highest bar. The train becomes more regular: the
# interval CV and the Fano factor drop below 1. At 20 Hz (mean interval
# 50 ms) only ~4% of the intervals are that short, so the change is small; at
# 200 Hz (mean interval 5 ms) a third of them are, and the train is clearly
# more regular than Poisson.

# %% [markdown]
# ## 2. From spikes to a conductance: the analytical way
#
# *About 10 min; time so far on the core path: 17 min.*

# %% [markdown] tags=["notes"]
# (10 min) The kernel and its causality; conductances add. Stress the size
# of one event: 0.5 nS moves a neuron by about half a millivolt, 50 nS (the
# seed notebook's value) by 36 mV. Exercise 1.2 (5 min).

# %% [markdown]
# Each spike opens channels: the conductance jumps up and decays back. The
# time course of one event, scaled to a peak of 1, is the **kernel** $k(s)$,
# with $s$ the time since the spike. The simplest is exponential:
#
# $$k(s) = \begin{cases} e^{-s/\tau} & s \ge 0 \\ 0 & s < 0 \end{cases}$$
#
# ($s < 0$: the spike has not happened yet, so nothing happens: **causality**.)
# The channels of different spikes open independently, so their conductances
# add up:
#
# $$g(t) = g_\text{max} \sum_k k(t - t_k).$$
#
# How big is $g_\text{max}$? One AMPA event (AMPA is the main fast
# excitatory synapse type, section 5) at a cortical synapse is about 0.5 nS
# (`synapses.AMPA.peak_conductance`). On the course's standard cell (lesson 2:
# 200 pF, 10 nS leak, resting at −70 mV) that **depolarises** the cell by
# about 0.56 mV: it makes its
# [membrane potential](../glossary.md#membrane-potential) 0.56 mV less
# negative, up towards 0 mV. Not 50 nS: that would depolarise it by about
# 36 mV per spike, far past the firing [threshold](../glossary.md#threshold) (about 20 mV above
# rest)
# from one single
# input. (Both numbers are simulated in lesson 2; a test of the course
# computes them.)

# %% [markdown]
# ### Exercise 1.2: conductance as a sum of kernels
#
# Write `exponential_conductance(time, spike_times, peak_conductance,
# decay_time)` that returns $g(t)$ in nS at every time in the array `time`
# (ms). Loop over the spikes and add one kernel per spike; `np.where(s >= 0,
# ..., 0.0)` makes a kernel causal.

# %% tags=["exercise"] minutes=5
def exponential_conductance(time, spike_times, peak_conductance, decay_time):
    """g(t) in nS: peak_conductance * sum over spikes of exp(-(t - t_k) / decay_time)."""
    # start from np.zeros_like(time); for each spike add its (causal) kernel
    ...


# %% tags=["solution"]
def exponential_conductance(time, spike_times, peak_conductance, decay_time):
    """g(t) in nS: peak_conductance * sum over spikes of exp(-(t - t_k) / decay_time)."""
    conductance = np.zeros_like(time, dtype=float)
    for spike_time in spike_times:
        since = time - spike_time
        # np.maximum keeps exp() from overflowing for times long before the spike.
        conductance += np.where(since >= 0, np.exp(-np.maximum(since, 0) / decay_time), 0.0)
    return peak_conductance * conductance


# %% tags=["check"]
check_exponential_conductance(exponential_conductance)

# %% [markdown]
# Five AMPA spikes. The three close ones pile up: the conductance of one has
# not decayed before the next arrives.

# %%
ampa = synapses.AMPA
time = np.arange(0.0, 80.0, 0.01)  # a fine grid: the formula is exact at any time
spike_times = np.array([10.0, 30.0, 32.0, 36.0, 60.0])
g = exponential_conductance_in_use(time, spike_times, ampa.peak_conductance, ampa.decay_time)

figure, ax = new_figure()
ax.plot(time, g, **style("excitatory"), label="conductance g(t)")
ax.plot(spike_times, np.zeros_like(spike_times), "|", ms=12, mew=2, color=COLORS["model"],
        label="presynaptic spikes")
ax.legend()
label_axes(ax, "time (ms)", "conductance (nS)",
           f"AMPA, g_max = {ampa.peak_conductance} nS, tau = {ampa.decay_time} ms")
print(f"largest conductance: {g.max():.2f} nS")
describe(figure, "The conductance jumps by 0.5 nS at each of the five spike ticks and "
         "decays within about 15 ms; the three spikes at 30, 32 and 36 ms pile up to "
         "nearly 0.9 nS.")

# %% [markdown]
# ## 3. The same conductance as a differential equation
#
# *About 20 min; time so far on the core path: 27 min.*

# %% [markdown] tags=["notes"]
# (20 min) The state-based view: decay between spikes, jump at each spike.
# Derive sum <-> ODE on the board. Exercise 1.3 (10 min). Then the figure:
# exact step vs Euler at two time steps, and the prediction about halving dt.

# %% [markdown]
# A simulator does not keep the list of all past spikes. It keeps the
# **current state** $g$ and updates it. Between spikes the conductance
# decays, and each spike adds $g_\text{max}$:
#
# $$\frac{dg}{dt} = -\frac{g}{\tau}, \qquad g \to g + g_\text{max} \text{ at each spike}$$
#
# In one line: $\frac{dg}{dt} = -\frac{g}{\tau} + g_\text{max}\sum_k \delta(t - t_k)$.
# Here $\delta(t - t_k)$ is the **Dirac delta**: an infinitely brief pulse at
# the spike time $t_k$ whose area is 1. It is zero everywhere except at
# $t_k$, and integrating it across $t_k$ gives 1, so integrating the
# equation across a spike adds exactly $g_\text{max}$ to $g$: shorthand for
# "jump by $g_\text{max}$ at each spike".

# %% [markdown]
# ### Deriving one from the other
#
# **ODE → sum.** Between spikes, $dg/dt = -g/\tau$ has the solution
# $g(t) = g(t_0)\,e^{-(t - t_0)/\tau}$. Start at $g = 0$. After the first
# spike $g = g_\text{max} e^{-(t - t_1)/\tau}$. At the second spike add
# $g_\text{max}$; both terms keep decaying with the same $\tau$, so
# $g = g_\text{max}(e^{-(t - t_1)/\tau} + e^{-(t - t_2)/\tau})$, and so on:
# the sum of kernels. (This works because the equation is **linear**.)
#
# **Sum → ODE.** Differentiate $g(t) = g_\text{max}\sum_k e^{-(t - t_k)/\tau}$
# over the spikes that have happened. Each term gives $-\frac{1}{\tau}$ times
# itself, so $dg/dt = -g/\tau$; and each time a new spike joins the sum, $g$
# jumps by $g_\text{max}$.

# %% [markdown]
# ### Stepping in time
#
# On a time grid with step $\Delta t$, one step without spikes multiplies $g$ by
#
# - $e^{-\Delta t/\tau}$: the **exact** solution of the ODE over one step; or
# - $1 - \Delta t/\tau$: the **forward Euler** step $g + \Delta t \cdot (-g/\tau)$,
#   the first two terms of the Taylor series of $e^{-\Delta t/\tau}$.
#
# The simulator only knows the grid, so a spike arriving anywhere in the
# step $[k\Delta t, (k+1)\Delta t)$ is added at the start of step $k$.
# This lesson's convention: `conductance[k]` is the state at the **start**
# of step $k$, with that step's spikes already added, so a spike that lies
# on the grid is exact, and one between grid points is felt up to one
# $\Delta t$ early. **Where the course differs, and why:** a conductance
# trace computed before the neuron runs (here, and in lesson 3) uses this
# convention. Lesson 2's `SynapticInput` is updated *while* the neuron
# runs, and a neuron's step from $t$ to $t + \Delta t$ can only use the
# conductance it had at $t$; so it adds a spike arriving during a step
# *after* that step, like Brian2: its trace shows each jump at the next grid
# point, up to one $\Delta t$ late but never before the spike happened.
# When you compare two
# simulators, check such conventions first.

# %% [markdown]
# ### Exercise 1.3: one step at a time
#
# Write `conductance_ode(spike_counts, peak_conductance, decay_time, dt,
# method)`. `spike_counts[k]` is the number of spikes arriving in step `k`.
# In each step: add the jumps, store `conductance[k] = g`, then decay `g`
# by the factor of `method` (`"exact"` or `"euler"`).

# %% tags=["exercise"] minutes=10
def conductance_ode(spike_counts, peak_conductance, decay_time, dt, method="exact"):
    """Conductance (nS) at the start of each step of dg/dt = -g / decay_time."""
    # decay_per_step = ...  (depends on method)
    # g = 0.0; loop over the steps: add jumps, store, decay
    ...


# %% tags=["solution"]
def conductance_ode(spike_counts, peak_conductance, decay_time, dt, method="exact"):
    """Conductance (nS) at the start of each step of dg/dt = -g / decay_time."""
    if method == "exact":
        decay_per_step = np.exp(-dt / decay_time)
    else:
        decay_per_step = 1.0 - dt / decay_time
    conductance = np.zeros(len(spike_counts))
    g = 0.0
    for k, count in enumerate(spike_counts):
        g += peak_conductance * count  # the spikes arriving in this step
        conductance[k] = g  # state at the start of step k
        g *= decay_per_step  # decay over the step
    return conductance


# %% tags=["check"]
check_conductance_ode(conductance_ode)

# %% [markdown]
# The same five spikes, now stepped in time. They lie on the grid here, so the
# exact step reproduces the formula to rounding error, while Euler falls
# behind when $\Delta t$ is not small compared with $\tau$ = 5 ms.

# %% [markdown] tags=["predict"]
# **Predict before you run.** The cell below steps the conductance with
# Euler at $\Delta t$ = 1 ms and at 2 ms. By what factor will the largest
# Euler error change when $\Delta t$ doubles? (1 = no change, 2 = doubles,
# 4 = quadruples.)

# %%
predicted_error_factor = None  # your guess, a number

# %%
fine = np.arange(0.0, 80.0, 0.01)
analytical = exponential_conductance_in_use(fine, spike_times, ampa.peak_conductance,
                                            ampa.decay_time)
figure, axes = new_figure(1, 2, sharey=True, figsize=(7.5, 3.0))
report, euler_errors = [], []
for ax, dt in zip(axes, (1.0, 2.0), strict=True):
    ax.plot(fine, analytical, color=COLORS["data"], lw=3, label="analytical")
    grid = inputs.time_grid(80.0, dt)
    spike_counts = synapses.spike_counts_on_grid(spike_times, grid.size, dt)
    for method, meaning, marker in [("exact", "model", "o"), ("euler", "excitatory", "s")]:
        g_numerical = conductance_ode_in_use(spike_counts, ampa.peak_conductance,
                                             ampa.decay_time, dt, method)
        ax.plot(grid, g_numerical, marker, ms=5, mfc="none" if method == "exact" else None,
                color=COLORS[meaning], label=f"{method} step")
        error = np.abs(g_numerical - exponential_conductance_in_use(
            grid, spike_times, ampa.peak_conductance, ampa.decay_time)).max()
        report.append(f"dt = {dt:g} ms, {method:5s}: largest error {error:.3f} nS")
        if method == "euler":
            euler_errors.append(error)
    ax.set_xlim(25, 55)
    label_axes(ax, "time (ms)", "conductance (nS)" if dt == 1.0 else "", f"dt = {dt:g} ms")
axes[0].legend(loc="upper right")
print("\n".join(report))
describe(figure, "Two panels, dt = 1 ms and dt = 2 ms, each with the analytical "
         "conductance as a thick grey curve. The open circles of the exact step sit on "
         "the curve; the filled squares of Euler fall below it after each spike, "
         "visibly more at dt = 2 ms.")
compare_prediction("Euler error factor when dt doubles", predicted_error_factor,
                   euler_errors[1] / euler_errors[0], tolerance=0.5)

# %% [markdown]
# ### Explore: the time step
#
# The same five spikes, with sliders for $\Delta t$ and the decay time
# $\tau$. The line under the figure gives Euler's factor per step and the
# largest error of each method.
#
# 1. Raise $\Delta t$ from 0.1 ms. At which $\Delta t$ (for $\tau$ = 5 ms) do
#    Euler's squares start to dip below zero between spikes?
# 2. Set $\Delta t$ = 3 ms. Why is the *exact* step no longer exact?
# 3. Keep $\tau$ = 5 ms and raise $\Delta t$ towards 12 ms. When does Euler
#    blow up?

# %% tags=["explorer"]
stepping_explorer()

# %% [markdown] tags=["answer"]
# **Answers.** 1. At $\Delta t > \tau$ = 5 ms Euler's factor $1 - \Delta t/\tau$
# turns negative: the conductance flips sign every step. 2. The spikes at 10
# and 32 ms no longer lie on the 3 ms grid: each is added at the start of
# its step, 1 and 2 ms early; the exact step is exact only *between* spikes.
# 3. Above $\Delta t = 2\tau$ = 10 ms the factor falls below −1: each step
#    flips the sign *and* grows the conductance, which the Think question
#    below calls unstable.

# %% [markdown] tags=["optional"]
# ### Optional (15 min): how big is the error, and how does it shrink with $\Delta t$?
#
# Two errors hide in the numerical version.
#
# 1. **Euler's decay.** Per step, $1 - x$ instead of $e^{-x}$ with
#    $x = \Delta t/\tau$: off by about $x^2/2$. After $k$ steps (time
#    $t = k\Delta t$) that adds up to
#    $g_\text{max} e^{-t/\tau}\,\frac{t}{\tau}\,\frac{x}{2}$, largest at
#    $t = \tau$: **error ≈ $g_\text{max}\,\Delta t / (2e\tau)$**, proportional to
#    $\Delta t$ (a *first-order* method).
# 2. **Spikes snapped to the grid.** Real spike times fall between grid
#    points. Even with the exact decay, each spike is applied up to one
#    $\Delta t$ early. At the sample just before the true spike the simulator
#    already shows the full jump: that error is $g_\text{max}$, whatever
#    $\Delta t$! What shrinks is how long it lasts. Count the error that one
#    spike leaves, summed over the samples and multiplied by $\Delta t$ (its
#    area, in nS·ms): the one early sample contributes
#    $g_\text{max}\Delta t$; after the spike the stepped curve runs ahead of
#    the true one by the shift $\delta$ (between 0 and $\Delta t$, on average
#    $\Delta t/2$), an area of about $g_\text{max}\,\delta$, so
#    $g_\text{max}\Delta t/2$ on average. Together $1.5\,g_\text{max}\Delta t$
#    per spike. Spread over time, the time-averaged error is about
#    $1.5 \times (\text{spikes per ms}) \times g_\text{max} \times \Delta t$:
#    the **1.5** is 1 (the early sample) + 0.5 (the average shift).
#
# Let's measure both for a range of $\Delta t$.

# %%
g_max, tau = ampa.peak_conductance, ampa.decay_time
poisson_times = synapses.poisson_spike_train(20.0, 1000.0, np.random.default_rng(7))
spikes_per_ms = len(poisson_times) / 1000.0

dts = np.array([0.025, 0.05, 0.1, 0.2, 0.4, 0.8, 1.6])
euler_error, snap_error, snap_largest = [], [], []
for dt in dts:
    grid = inputs.time_grid(1000.0, dt)
    # 1. Euler, one spike at t = 0 (on the grid): the decay alone.
    exact = synapses.conductance_analytical(grid, [0.0], g_max, tau)
    euler = synapses.conductance_numerical(grid, [0.0], g_max, tau, method="euler")
    euler_error.append(np.abs(euler - exact).max())
    # 2. Exact decay, Poisson spikes between grid points: the snapping alone.
    analytical = synapses.conductance_analytical(grid, poisson_times, g_max, tau)
    stepped = synapses.conductance_numerical(grid, poisson_times, g_max, tau, method="exact")
    snap_error.append(np.abs(stepped - analytical).mean())
    snap_largest.append(np.abs(stepped - analytical).max())

figure, ax = new_figure(figsize=(5.5, 3.4))
ax.loglog(dts, euler_error, **style("excitatory", markers=True), label="Euler (largest)")
ax.loglog(dts, snap_error, **style("inhibitory", markers=True), label="snapping (mean)")
ax.loglog(dts, g_max * dts / (2 * np.e * tau), **style("reference"),
          label=r"$g_{max}\,\Delta t / (2 e \tau)$")
ax.loglog(dts, 1.5 * spikes_per_ms * g_max * dts, **style("accent"),
          label=r"$1.5 \times$ spikes/ms $\times g_{max} \Delta t$")
ax.legend()
label_axes(ax, "time step dt (ms)", "error (nS)", "both errors are proportional to dt")

print("  dt    Euler: largest error   predicted  |  snapping: mean error  predicted  largest")
for dt, e1, e2, e3 in zip(dts, euler_error, snap_error, snap_largest, strict=True):
    print(f"{dt:5.3f} ms  {e1:10.2e} nS  {g_max * dt / (2 * np.e * tau):10.2e}  |"
          f"  {e2:12.2e} nS  {1.5 * spikes_per_ms * g_max * dt:10.2e}  {e3:6.2f} nS")
print("halving dt divides the Euler error by",
      np.round(np.array(euler_error[1:]) / np.array(euler_error[:-1]), 2))
describe(figure, "Log-log plot of error against time step: the Euler error (triangles) "
         "lies on the dotted prediction and the mean snapping error (downward "
         "triangles) on the dash-dotted 1.5 estimate; all are straight lines of slope 1.")

# %% [markdown]
# Both lines have slope 1 on the log-log plot: halve $\Delta t$, halve the
# error. At the course's usual $\Delta t$ = 0.1 ms and $\tau$ = 5 ms,
# Euler's error is under 0.4% of $g_\text{max}$. Snapping cannot be fixed by
# a better formula, only by a smaller $\Delta t$ (or by giving up the grid).
# Brian2, like most simulators, also delivers spikes on the grid.

# %% [markdown]
# ### Which one should I use?
#
# | | analytical: sum of kernels | numerical: step the ODE |
# | --- | --- | --- |
# | accuracy | exact, at any time | error ∝ $\Delta t$; spikes moved onto the grid |
# | cost per time point | grows with the spike history | constant: update one number |
# | memory | every past spike | the current state only |
# | inputs | those with a known response | anything, even inputs that depend on $V$ |
# | used by | theory, testing simulators | every simulator (Brian2, NEST, NEURON) |

# %%
n_times = inputs.time_grid(1000.0, 0.1).size
n_spikes = 1000  # e.g. 100 synapses at 10 Hz for one second
print(f"analytical: {n_times} times x {n_spikes} spikes = {n_times * n_spikes:,} kernel values")
print(f"numerical:  {n_times} steps x 1 update        = {n_times:,} updates")

# %% [markdown]
# ### Think
#
# Euler's decay factor is $1 - \Delta t/\tau$. What happens if you simulate an
# AMPA synapse ($\tau$ = 5 ms) with $\Delta t$ = 7 ms? With $\Delta t$ = 12 ms?
# Does the exact factor have the same problem?

# %% [markdown] tags=["answer"]
# **Answer.** With $\Delta t$ = 7 ms the factor is $1 - 1.4 = -0.4$: the
# conductance flips sign every step, a negative conductance that makes no
# physical sense (though it still shrinks). With $\Delta t$ = 12 ms it is
# $-1.4$: the conductance flips sign *and grows*: Euler is unstable for
# $\Delta t > 2\tau$. The exact factor $e^{-\Delta t/\tau}$ is always between 0
# and 1, so it never oscillates or blows up; it is only inaccurate in *when*
# spikes arrive.

# %% [markdown]
# ## 4. Shapes: alpha and dual exponential
#
# *About 10 min; time so far on the core path: 47 min.*

# %% [markdown] tags=["notes"]
# (10 min) Kernels that rise smoothly, all scaled to a peak of 1. Exercise
# 1.4 (5 min). Point at the areas: same peak, different charge per spike.
# The two-variable ODE is optional.

# %% [markdown]
# A real conductance does not jump: it rises in a fraction of a millisecond,
# then decays. Two common shapes, both scaled to a **peak of 1** so that
# $g_\text{max}$ is always the peak conductance of one event:
#
# - **alpha**: $k(s) = \frac{s}{\tau}\,e^{1 - s/\tau}$, which peaks at $s = \tau$
#   with value 1 (introduced for synaptic input by Wilfrid Rall in 1967:
#   one time constant, a smooth rise, but rise and decay cannot be set
#   apart);
# - **dual exponential**: $k(s) = c\,(e^{-s/\tau_d} - e^{-s/\tau_r})$ with a
#   rise time $\tau_r$ and a decay time $\tau_d$. It peaks at
#   $s^* = \frac{\tau_r\tau_d}{\tau_d - \tau_r}\ln\frac{\tau_d}{\tau_r}$, and $c$
#   is chosen so that $k(s^*) = 1$.

# %% [markdown]
# ### Exercise 1.4: the alpha kernel
#
# Write `alpha_kernel(time_since_spike, decay_time)`: 0 before the spike,
# $\frac{s}{\tau}e^{1 - s/\tau}$ after it.

# %% tags=["exercise"] minutes=5
def alpha_kernel(time_since_spike, decay_time):
    """Alpha kernel with a peak of 1 at time_since_spike = decay_time (both in ms)."""
    ...


# %% tags=["solution"]
def alpha_kernel(time_since_spike, decay_time):
    """Alpha kernel with a peak of 1 at time_since_spike = decay_time (both in ms)."""
    s = np.asarray(time_since_spike, dtype=float)
    x = np.maximum(s, 0.0) / decay_time
    return np.where(s >= 0, x * np.exp(1.0 - x), 0.0)


# %% tags=["check"]
check_alpha_kernel(alpha_kernel)

# %%
s = np.arange(-2.0, 30.0, 0.01)
shapes = {
    "exponential, tau = 5 ms": synapses.kernel(s, 5.0, "exponential"),
    "alpha, tau = 1 ms": alpha_kernel_in_use(s, 1.0),
    "dual exp., 0.2 / 5 ms (AMPA)": synapses.kernel(s, 5.0, "dual_exponential", rise_time=0.2),
}
figure, ax = new_figure()
meanings = ["model", "reference", "accent"]
for (name, values), meaning in zip(shapes.items(), meanings, strict=True):
    ax.plot(s, values, **style(meaning), label=name)
ax.legend()
label_axes(ax, "time since the spike (ms)", "kernel (peak = 1)", "Three kernel shapes")

ds = s[1] - s[0]
for name, values in shapes.items():
    print(f"{name:30s} peak {values.max():.3f} at {s[np.argmax(values)]:.2f} ms,"
          f" area {values.sum() * ds:.2f} ms")
describe(figure, "Three kernels with a peak of 1: the exponential jumps to 1 at the spike "
         "and decays; the alpha kernel rises to 1 at 1 ms and falls quickly; the AMPA "
         "dual exponential rises within about 1 ms and then decays like the exponential.")

# %% [markdown]
# Same peak, different **areas**: the exponential's is $\tau$, the alpha's is
# $e\tau$, and the dual exponential's is $c(\tau_d - \tau_r)$. Times
# $g_\text{max}$, the area is what one spike contributes to the time-averaged
# conductance (nS·ms): it sets the mean conductance of many synapses in
# section 7.

# %% [markdown] tags=["optional"]
# ### Optional (5 min): the alpha shape as an ODE with two variables
#
# Differentiate the kernel: with $h(s) = e\cdot e^{-s/\tau}$,
#
# $$\frac{dk}{ds} = \frac{1}{\tau}e^{1 - s/\tau} - \frac{s}{\tau^2}e^{1 - s/\tau}
#   = \frac{h - k}{\tau}, \qquad \frac{dh}{ds} = -\frac{h}{\tau}.$$
#
# So a simulator steps two variables,
# $\frac{dg}{dt} = \frac{h - g}{\tau}$, $\frac{dh}{dt} = -\frac{h}{\tau}$, and
# each spike adds $e\,g_\text{max}$ to $h$ (not to $g$: $g$ rises smoothly).
# `synapses.conductance_numerical(..., shape="alpha")` does exactly that; with
# the exact step and spikes on the grid it matches the sum of alpha kernels:

# %%
grid = inputs.time_grid(100.0, 0.1)
on_grid = grid[[50, 120, 150, 400]]  # spike times taken from the grid
alpha_sum = synapses.conductance_analytical(grid, on_grid, 1.0, 3.0, shape="alpha")
alpha_ode = synapses.conductance_numerical(grid, on_grid, 1.0, 3.0, shape="alpha")
print("two-variable ODE == sum of alpha kernels (to 1e-12 nS):",
      bool(np.abs(alpha_ode - alpha_sum).max() < 1e-12))

# %% [markdown]
# ## 5. AMPA and GABA$_A$
#
# *About 5 min; time so far on the core path: 57 min.*

# %% [markdown] tags=["notes"]
# (5 min) The two presets and where their numbers come from. Say which kernel
# each lesson simulates (exponential in lessons 1-2, dual exponential in
# lesson 3) and that GABA_A's -75 mV is one choice in a range.

# %% [markdown]
# The course's two fast synapse types live in `synapses.AMPA` and
# `synapses.GABA_A`, each with its parameters and where they come from.
# Each channel type has a **reversal potential**: the membrane potential at
# which no current flows through it, because the push of the voltage and the
# push of the concentration difference of its ions balance (section 6 puts
# it in the current's formula). AMPA receptors pass Na$^+$ and K$^+$ and
# reverse near 0 mV, far above rest: they excite. GABA$_A$ receptors pass
# Cl$^-$; their reversal potential depends on the chloride concentration
# inside the cell and lies between about −80 and −60 mV in mature neurons,
# near the resting potential (about −70 mV). The course's preset uses
# **−75 mV**, a little below rest: at rest it passes a small outward current
# and moves the cell down. Section 6 also looks at the case $E = $ rest,
# where it passes no current at rest and only "shunts".
#
# **Which shape for AMPA?** The presets carry a rise time for the
# dual-exponential shape (drawn below). Lessons 1 and 2 simulate AMPA with
# the plain exponential (one state variable; the 0.2 ms rise is short next
# to the membrane's 20 ms); lesson 3 uses the dual exponential. Its area is
# 5.72 ms instead of 5.0 ms, so the same event brings about 14% more charge
# and a slightly larger **EPSP** (excitatory postsynaptic potential: the
# small depolarisation that one event causes in the receiving cell; lesson 2
# simulates it), 0.63 instead of 0.56 mV on the standard cell.

# %%
time = inputs.time_grid(60.0, 0.05)
figure, ax = new_figure()
for preset, meaning in [(synapses.AMPA, "excitatory"), (synapses.GABA_A, "inhibitory")]:
    g = synapses.conductance_analytical(time, [5.0], preset.peak_conductance, preset.decay_time,
                                        shape="dual_exponential", rise_time=preset.rise_time)
    ax.plot(time, g, **style(meaning), label=preset.name)
ax.legend()
label_axes(ax, "time (ms)", "conductance (nS)", "One spike at 5 ms, dual-exponential shape")

for preset in (synapses.AMPA, synapses.GABA_A):
    areas = {shape: synapses.kernel_area(preset.decay_time, shape, preset.rise_time)
             for shape in ("exponential", "dual_exponential")}
    print(f"{preset.name}: E_rev = {preset.reversal_potential} mV, "
          f"rise {preset.rise_time} ms, decay {preset.decay_time} ms, "
          f"g_max = {preset.peak_conductance} nS; kernel area "
          f"{areas['exponential']:.2f} ms (exponential), "
          f"{areas['dual_exponential']:.2f} ms (dual exponential)")
    print(f"  source: {preset.source}\n")
describe(figure, "After one spike at 5 ms the AMPA conductance (solid) rises to 0.5 nS "
         "within a millisecond and is gone by about 25 ms; the GABA_A conductance "
         "(dashed) rises more slowly to 1 nS and lasts about twice as long.")

# %% [markdown]
# ## 6. Driving force and reversal potential
#
# *About 15 min; time so far on the core path: 62 min.*

# %% [markdown] tags=["notes"]
# (15 min) I = g (E_rev - V): the driving force sets the sign. Sign
# convention: positive into the cell. Exercise 1.5 (5 min). Then shunting:
# inhibition that divides rather than subtracts; predict before the figure.

# %% [markdown]
# An open channel passes a current proportional to how far the membrane
# potential $V$ is from the channel's **reversal potential** $E_\text{rev}$:
#
# $$I_\text{syn} = g\,(E_\text{rev} - V).$$
#
# **Sign convention.** In this course a current is **positive when it flows
# into the cell** and depolarises it, like a current you inject with an
# electrode. Below $E_\text{rev}$ the current pushes $V$ up, towards
# $E_\text{rev}$; above it, down: it **hyperpolarises** the cell (makes its
# membrane potential more negative). $E_\text{rev} - V$ is called the
# **driving force**. Units: nS × mV = pA, no factor needed.
# Example: 0.5 nS of AMPA at −70 mV gives $0.5 \times (0 - (-70)) = +35$ pA.

# %% [markdown]
# ### Exercise 1.5: the synaptic current
#
# Write `synaptic_current(conductance, voltage, reversal_potential)` in pA.
# It should work for numbers and for numpy arrays.

# %% tags=["exercise"] minutes=5
def synaptic_current(conductance, voltage, reversal_potential):
    """Synaptic current in pA (positive into the cell) from nS and mV."""
    ...


# %% tags=["solution"]
def synaptic_current(conductance, voltage, reversal_potential):
    """Synaptic current in pA (positive into the cell) from nS and mV."""
    return conductance * (reversal_potential - voltage)  # nS x mV = pA


# %% tags=["check"]
check_synaptic_current(synaptic_current)

# %%
voltage = np.arange(-100.0, 21.0, 1.0)
figure, ax = new_figure()
for preset, meaning in [(synapses.AMPA, "excitatory"), (synapses.GABA_A, "inhibitory")]:
    current = synaptic_current_in_use(1.0, voltage, preset.reversal_potential)
    ax.plot(voltage, current, **style(meaning), label=f"{preset.name}, 1 nS")
    ax.plot(preset.reversal_potential, 0.0, "o", ms=7, color=COLORS[meaning])
ax.axhline(0.0, color="black", lw=0.6)
ax.axvline(-70.0, color=COLORS["data"], ls=":", label="rest, -70 mV")
ax.legend()
label_axes(ax, "membrane potential V (mV)", "synaptic current (pA, + = into the cell)",
           "Current through 1 nS against the membrane potential")
print("at rest (-70 mV), 1 nS:",
      f"AMPA {synaptic_current_in_use(1.0, -70.0, synapses.AMPA.reversal_potential):+.0f} pA,",
      f"GABA_A {synaptic_current_in_use(1.0, -70.0, synapses.GABA_A.reversal_potential):+.0f} pA")
describe(figure, "Two straight lines of current against voltage, each crossing zero at "
         "its reversal potential (dots): AMPA (solid) at 0 mV, GABA_A (dashed) at -75 mV. "
         "At rest, -70 mV, AMPA gives +70 pA into the cell and GABA_A -5 pA.")

# %% [markdown]
# ### Shunting inhibition
#
# The preset's $E_\text{GABA}$ = −75 mV passes −5 pA per nS at rest: a
# small hyperpolarising current. Take the limiting case that many real cells
# are close to: if $E_\text{GABA}$ equals the resting potential, a GABA$_A$
# synapse passes **no current at rest**. Is it useless? When excitation depolarises the
# cell, the GABA current turns negative and pulls $V$ back, so inhibition
# acts *only when there is something to inhibit*.
#
# A preview of the next lesson: at steady state (when $V$ no longer
# changes) the currents into a cell sum to zero. With a leak (conductance
# $g_L$ = 10 nS, reversal $E_L$ = −70 mV) plus excitation $g_e$ and inhibition $g_i$,
# $g_L(E_L - V) + g_e(E_e - V) + g_i(E_i - V) = 0$, so
#
# $$V = \frac{g_L E_L + g_e E_e + g_i E_i}{g_L + g_e + g_i}.$$
#
# With $E_i = E_L$ the inhibitory conductance only appears in the
# denominator: it **divides** the depolarisation. This is **shunting
# inhibition**: an open conductance at rest that does nothing on its own but
# short-circuits (shunts) excitatory current.

# %% [markdown] tags=["predict"]
# **Predict before you run.** Excitation of $g_e$ = 2 nS alone depolarises
# the cell by $2 \times 70 / 12 \approx 11.7$ mV. Add a shunting inhibition
# of $g_i$ = 10 nS (it passes no current at rest). How many mV of
# depolarisation are left?

# %%
predicted_shunted_depolarisation = None  # mV, your guess

# %%
g_leak, e_leak, e_exc, e_inh = 10.0, -70.0, 0.0, -70.0
g_exc = np.linspace(0.0, 10.0, 101)

figure, ax = new_figure()
report = []
for g_inh, meaning in [(0.0, "excitatory"), (10.0, "accent"), (30.0, "inhibitory")]:
    v_steady = (g_leak * e_leak + g_exc * e_exc + g_inh * e_inh) / (g_leak + g_exc + g_inh)
    ax.plot(g_exc, v_steady - e_leak, **style(meaning), label=f"g_i = {g_inh:g} nS")
    at_rest = synaptic_current_in_use(g_inh, e_leak, e_inh)
    report.append(
        f"g_i = {g_inh:4.0f} nS: inhibitory current at rest {at_rest:+.0f} pA, "
        f"depolarisation by g_e = 2 nS: {2 * (e_exc - e_leak) / (g_leak + 2 + g_inh):.1f} mV"
    )
ax.legend()
label_axes(ax, "excitatory conductance g_e (nS)", "depolarisation V - E_L (mV)",
           "shunting inhibition (E_i = E_L = -70 mV)")
print("\n".join(report))
describe(figure, "Depolarisation against excitatory conductance for three inhibitory "
         "conductances: the solid curve without inhibition rises fastest; with 10 nS "
         "(dash-dotted) and 30 nS (dashed) of shunting inhibition the curves are scaled "
         "down, although the inhibition alone passes no current at rest.")
compare_prediction("depolarisation with 10 nS of shunting inhibition (mV)",
                   predicted_shunted_depolarisation,
                   2 * (e_exc - e_leak) / (g_leak + 2 + 10.0), tolerance=0.15)

# %% [markdown]
# ### Think
#
# In immature neurons the chloride concentration inside is high, and
# $E_\text{GABA}$ can be around −55 mV, above rest (−70 mV) but below the
# spike threshold (about −50 mV). Is such a GABA$_A$ synapse excitatory or
# inhibitory?

# %% [markdown] tags=["answer"]
# **Both, depending on what else is happening.** At rest the current is
# positive ($g\,(-55 - (-70)) > 0$): alone, the synapse depolarises the
# cell, towards −55 mV. But it can never take $V$ above −55 mV, below
# threshold; when excitation pushes $V$ above −55 mV, the GABA current
# turns negative and its conductance shunts the excitation. So it excites a
# quiet cell a little and inhibits a cell that is about to fire. The sign of
# $E_\text{rev} - V$, not the name of the transmitter, decides.

# %% [markdown]
# ## 7. Many synapses at once
#
# *About 15 min; time so far on the core path: 77 min.*

# %% [markdown] tags=["notes"]
# (15 min) Campbell's theorem: the mean grows like N nu, the sd like its
# square root. Exercise 1.6 (5 min), then the simulation and the explorer
# with its three questions.

# %% [markdown]
# A cortical neuron receives thousands of inputs. Take $N$ independent
# Poisson synapses at $\nu$ Hz each, with exponential kernels. Because the
# conductances add, and the spikes arrive at $N\nu/1000$ per ms, **Campbell's
# theorem** (N. Campbell, 1909, first for the "shot noise" of radioactive
# decay and of electrons in a vacuum tube) gives
#
# $$\langle g\rangle = N\,\frac{\nu}{1000}\,g_\text{max}\int_0^\infty k(s)\,ds
#   = N\,\frac{\nu}{1000}\,g_\text{max}\,\tau,$$
#
# $$\sigma_g^2 = N\,\frac{\nu}{1000}\,g_\text{max}^2\int_0^\infty k(s)^2\,ds
#   = N\,\frac{\nu}{1000}\,g_\text{max}^2\,\frac{\tau}{2}.$$
#
# The mean grows like $N\nu$, the standard deviation only like
# $\sqrt{N\nu}$: the more inputs, the smoother the total.

# %% [markdown]
# ### Exercise 1.6: the mean conductance
#
# Write `mean_conductance(n_synapses, rate, peak_conductance, decay_time)`,
# the predicted mean in nS (rate in Hz, decay time in ms).

# %% tags=["exercise"] minutes=5
def mean_conductance(n_synapses, rate, peak_conductance, decay_time):
    """Predicted mean total conductance (nS) of n Poisson synapses with exponential kernels."""
    ...


# %% tags=["solution"]
def mean_conductance(n_synapses, rate, peak_conductance, decay_time):
    """Predicted mean total conductance (nS) of n Poisson synapses with exponential kernels."""
    spikes_per_ms = n_synapses * rate / 1000.0  # Hz -> per ms
    return spikes_per_ms * peak_conductance * decay_time  # area of one kernel: g_max * tau


# %% tags=["check"]
check_mean_conductance(mean_conductance)

# %% [markdown]
# Now simulate it: 400 AMPA synapses at 5 Hz. `synapses.total_conductance`
# feeds all their spikes into **one** ODE (the ODE is linear, so one
# variable serves all synapses of a type). We skip the first 50 ms, while
# the conductance builds up from 0.

# %%
rng = np.random.default_rng(11)
n_synapses, rate, warm_up, duration = 400, 5.0, 50.0, 1000.0
time = inputs.time_grid(warm_up + duration, 0.1)
trains = synapses.poisson_population(n_synapses, rate, warm_up + duration, rng)
g_total = synapses.total_conductance(time, trains, ampa, shape="exponential")
steady = time >= warm_up

predicted_mean = mean_conductance_in_use(n_synapses, rate, ampa.peak_conductance, ampa.decay_time)
predicted_sd = np.sqrt(n_synapses * rate / 1000 * ampa.peak_conductance**2 * ampa.decay_time / 2)
current = synaptic_current_in_use(g_total, -65.0, ampa.reversal_potential)

figure, (ax_raster, ax_g) = new_figure(2, 1, sharex=True, figsize=(7.0, 4.2))
raster(ax_raster, trains[:40], color=COLORS["excitatory"])
label_axes(ax_raster, "", "synapse", f"40 of the {n_synapses} inputs")
ax_g.plot(time, g_total, color=COLORS["model"], lw=0.8, label="simulated")
ax_g.axhline(predicted_mean, **style("reference"), lw=2, label="predicted mean")
ax_g.legend(loc="upper right")
ax_g.set_xlim(0, 300)
label_axes(ax_g, "time (ms)", "total conductance (nS)", "Total AMPA conductance")

print(f"mean {g_total[steady].mean():.2f} nS (predicted {predicted_mean:.2f} nS)")
print(f"sd   {g_total[steady].std():.2f} nS (predicted {predicted_sd:.2f} nS)")
print(f"current at -65 mV: mean {current[steady].mean():.0f} pA")
describe(figure, "Top: a raster of 40 of the 400 inputs, each a row of random ticks. "
         "Bottom: the total conductance rises from 0 within the first 20 ms, then "
         "fluctuates around the dotted predicted mean of 5 nS.")

# %% [markdown]
# And how it scales: the mean follows $N\nu$, the standard deviation
# $\sqrt{N\nu}$, so the relative fluctuation (the CV of section 1, here of
# the conductance: sd / mean) falls as $1/\sqrt{N\nu}$.

# %%
rng = np.random.default_rng(12)
table = ["    N   rate   mean (pred.)    sd (pred.)    CV"]
for n_synapses in (50, 200, 800):
    for rate in (2.0, 8.0):
        trains = synapses.poisson_population(n_synapses, rate, warm_up + duration, rng)
        g = synapses.total_conductance(time, trains, ampa, shape="exponential")[steady]
        mean = mean_conductance_in_use(n_synapses, rate, ampa.peak_conductance, ampa.decay_time)
        sd = np.sqrt(n_synapses * rate / 1000 * ampa.peak_conductance**2 * ampa.decay_time / 2)
        table.append(f"{n_synapses:5d} {rate:4.0f} Hz  {g.mean():5.2f} ({mean:5.2f})"
                     f"   {g.std():4.2f} ({sd:4.2f})   {g.std() / g.mean():.2f}")
print("\n".join(table))

# %% [markdown]
# ### Explore
#
# The sliders set the number of synapses, their rate, the peak conductance
# and the decay time (top panel: the total conductance, with the predicted
# mean and mean ± sd), and the reversal and membrane potentials (bottom
# panel: the current). The line under the figure repeats the numbers.
#
# 1. Double the number of synapses. By what factor do the mean and the sd
#    change?
# 2. Keep $N\nu$ fixed (e.g. 400 synapses at 5 Hz, then 100 at 20 Hz). Does
#    the trace change?
# 3. Set the reversal potential equal to the membrane potential. What is the
#    current, and what does the conductance still do?

# %% tags=["explorer"]
synapse_explorer()

# %% [markdown] tags=["answer"]
# **Answers.** 1. The mean doubles, the sd grows by only $\sqrt 2 \approx
# 1.41$: the trace gets relatively smoother. 2. No, not in distribution:
# $N$ Poisson trains at $\nu$ merge into one Poisson train at $N\nu$, and the
# conductance sees only the merged spikes. 3. The current is zero at every
# moment, however large the conductance: there is no driving force. The
# conductance is still open; it would shunt any current that moved $V$ away
# from $E_\text{rev}$ (section 6).

# %% [markdown]
# ### Think
#
# A cortical neuron in vivo receives thousands of inputs firing at a few Hz.
# What does Campbell's theorem say about its total synaptic conductance
# compared with its leak conductance (~10 nS)? Which assumption of the
# theorem is most likely wrong in a real brain?

# %% [markdown] tags=["answer"]
# **Answer.** 5000 AMPA inputs at 2 Hz give
# $5000 \times 0.002 \times 0.5 \times 5 = 25$ nS on average (per ms,
# $5000 \times 2/1000 = 10$ spikes, each worth $0.5 \times 5$ nS·ms), more
# than the leak; add inhibition and the total is several times the leak conductance
# (the "high-conductance state"), with relative fluctuations
# $\sigma_g / \langle g\rangle = 1/\sqrt{2N\nu\tau/1000}$ of only 10%. The cell
# becomes leakier and faster.
# The weakest assumption is **independence**: real inputs are correlated
# (shared inputs, oscillations), and correlated spikes add up coherently, so
# the fluctuations shrink much more slowly than $1/\sqrt{N}$ and can stay
# large even with thousands of inputs.

# %% [markdown] tags=["optional"]
# ## Challenge (optional, 15 min): a Poisson train with a refractory period

# %% [markdown] tags=["notes"]
# (15 min) No recipe: students design the generator. The two tempting
# shortcuts (delete spikes that come too soon; add 2 ms to every interval)
# both lower the rate; the check says so.

# %% [markdown]
# A real neuron cannot fire twice within its **refractory period** (a
# millisecond or a few after each spike). Write
# `refractory_poisson_train(rate, duration, refractory, rng)`: spike times
# (ms) in `[0, duration)` whose mean rate is `rate` Hz, with no two spikes
# closer than `refractory` ms, and otherwise as random as possible (after
# the refractory period, the next spike is equally likely at any moment). No
# recipe this time: the check tells you what your train gets wrong. Then
# the cell after the check measures its Fano factor and CV at 20 and 200 Hz:
# compare them with your answer to the first Think question.

# %% tags=["exercise"] minutes=15
def refractory_poisson_train(rate, duration, refractory, rng):
    """Spike times (ms) at `rate` Hz in [0, duration) ms, no interval below `refractory` ms."""
    ...


# %% tags=["solution"]
def refractory_poisson_train(rate, duration, refractory, rng):
    """Spike times (ms) at `rate` Hz in [0, duration) ms, no interval below `refractory` ms."""
    mean_interval = 1000.0 / rate  # ms: what the intervals must average
    if refractory >= mean_interval:
        raise ValueError("the refractory period must be shorter than the mean interval")
    # A dead time, then a memoryless wait whose mean makes up the rest of the interval.
    free_mean = mean_interval - refractory
    expected = duration / mean_interval
    n_draws = int(expected + 5 * np.sqrt(expected) + 10)
    times = np.cumsum(refractory + rng.exponential(free_mean, size=n_draws))
    while times[-1] < duration:
        more = times[-1] + np.cumsum(refractory + rng.exponential(free_mean, size=n_draws))
        times = np.concatenate([times, more])
    return times[times < duration]


# %% tags=["check"]
check_refractory_poisson_train(refractory_poisson_train)

# %%
rng = np.random.default_rng(5)
print(" rate   Fano factor   interval CV   (Poisson: 1 and 1)")
for rate in (20.0, 200.0):
    counts = np.array([refractory_poisson_train_in_use(rate, 1000.0, 2.0, rng).size
                       for _ in range(2000)])  # enough trials for a Fano factor to +-0.03
    intervals = np.diff(refractory_poisson_train_in_use(rate, 200_000.0, 2.0, rng))
    print(f"{rate:4.0f} Hz {counts.var(ddof=1) / counts.mean():11.2f} "
          f"{intervals.std() / intervals.mean():13.2f}")

# %% [markdown]
# With a dead time $r$ the interval CV is $1 - r\nu/1000$: 0.96 at 20 Hz and
# 0.6 at 200 Hz, and the Fano factor of long windows is its square, 0.92 and
# 0.36 (up to the sampling error of 2000 trials, a few hundredths). A
# refractory period makes a fast train much more regular than a
# Poisson one, and barely changes a slow one.

# %% [markdown]
# ## Summary

# %% [markdown] tags=["notes"]
# (3 min) Read the summary aloud; point to lesson 2.

# %% [markdown]
#
# - A spike train is a list of times in ms. Poisson trains have exponential
#   intervals (CV 1) and a count whose variance equals its mean, $\nu T/1000$
#   (Fano factor 1); randomness always comes from a passed, seeded `rng`.
# - A synaptic conductance is a sum of kernels over spike times (exact at any
#   time, cost grows with the spike history) or, equivalently, a linear ODE
#   stepped in time (needs only the current state: what simulators do).
#   Each form follows from the other by solving or by differentiating.
# - The numerical error is proportional to $\Delta t$: Euler's decay factor
#   $1 - \Delta t/\tau$ vs $e^{-\Delta t/\tau}$ (≈ $g_\text{max}\Delta t/2e\tau$), and
#   spikes moved onto the grid (up to one $\Delta t$ early).
# - Alpha and dual-exponential kernels rise smoothly; all kernels are scaled
#   to a peak of 1 so that $g_\text{max}$ is the peak of one event. The alpha
#   shape is a two-variable ODE.
# - The current is $I = g\,(E_\text{rev} - V)$ in pA, positive into the cell.
#   AMPA ($E$ ≈ 0 mV) depolarises. GABA$_A$'s reversal potential lies near
#   rest; the course's preset ($E$ = −75 mV, a little below rest)
#   hyperpolarises slightly, and a GABA$_A$ synapse with $E$ exactly at
#   rest only shunts. Real cells have both, depending on their chloride.
# - $N$ Poisson synapses: mean $= N\frac{\nu}{1000}g_\text{max}\tau$, sd
#   $\propto\sqrt{N\nu}$.
#
# **Next: Lesson 2, "A first neuron".** Something has to listen to these
# currents: a membrane that charges up and relaxes back to rest. You will
# build it as an RC circuit, write a small neuron simulator of your own, and
# drive it with the AMPA and GABA$_A$ synapses of this lesson.

# %% [markdown]
# ## Further reading

# %% [markdown] tags=["notes"]
# (1 min) Point to the free Neuronal Dynamics chapters and the Neuromatch
# tutorial for students who want more.

# %% [markdown]
# - W. Gerstner, W. M. Kistler, R. Naud, L. Paninski, *Neuronal Dynamics*
#   (2014), free online: chapter 3.1, synapses
#   (https://neuronaldynamics.epfl.ch/online/Ch3.S1.html), and chapter 7.3,
#   interval distribution and coefficient of variation
#   (https://neuronaldynamics.epfl.ch/online/Ch7.S3.html).
# - P. Dayan, L. F. Abbott, *Theoretical Neuroscience* (2001), chapter 1.4
#   (Poisson spike trains, Fano factor, CV) and 5.8 (synaptic conductances).
# - A. Destexhe, Z. F. Mainen, T. J. Sejnowski (1998), Kinetic models of
#   synaptic transmission, in Koch & Segev (eds), *Methods in Neuronal
#   Modeling*, 2nd ed., chapter 1: the source of the AMPA and GABA$_A$ presets.
# - A. Destexhe, M. Rudolph, D. Paré (2003), The high-conductance state of
#   neocortical neurons in vivo, *Nature Reviews Neuroscience* 4:739–751.
# - Brian2 documentation, synapses: https://brian2.readthedocs.io/en/stable/user/synapses.html
# - Neuromatch Academy, Computational Neuroscience, W2D3 (biological neuron
#   models), tutorial 3 on synaptic transmission:
#   https://compneuro.neuromatch.io/tutorials/W2D3_BiologicalNeuronModels/student/W2D3_Tutorial3.html

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
# A neuron listens to thousands of others through its synapses. Every
# presynaptic spike briefly opens ion channels: a **conductance** rises and
# decays, and a small current flows. In this lesson you build that chain,
# spike times → conductance → current, and then let hundreds of synapses
# talk at once.
#
# **You will be able to**
#
# - make regular and Poisson spike trains with a seeded random generator, and
#   check their rate and count statistics;
# - compute a synaptic conductance in two ways, as a sum of kernels
#   (analytical) and as a differential equation stepped in time (numerical),
#   derive each from the other, and measure how the numerical error grows
#   with the time step;
# - use exponential, alpha and dual-exponential shapes and the AMPA and
#   GABA$_A$ presets;
# - compute synaptic currents with the driving force, and explain reversal
#   potentials and shunting inhibition;
# - predict the mean and the fluctuations of the total conductance of many
#   Poisson synapses.
#
# **Time:** about 2 hours. **Prerequisites:** Python functions, loops and
# numpy arrays; the derivative of $e^{-t/\tau}$.

# %% [markdown]
# ## Units and imports
#
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
    check_synaptic_current,
)
from course_utils.plotting import COLORS, label_axes, new_figure, raster
from course_utils.widgets import synapse_explorer

# %% [markdown]
# ## 1. Spike trains
#
# To a synapse, a presynaptic neuron is just a list of **spike times** in ms.
# Two simple models:
#
# - **regular**: one spike every $1000/\nu$ ms at a rate $\nu$ (Hz);
# - **Poisson**: in every short interval $\Delta t$ a spike occurs with
#   probability $\nu \Delta t / 1000$, independently of everything else. Then
#   the intervals between spikes are **exponentially distributed** with mean
#   $1000/\nu$ ms, and the number of spikes in $T$ ms is **Poisson
#   distributed** with mean *and* variance $\nu T / 1000$.
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

# %% tags=["exercise"]
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
# trials of 1 s at 20 Hz and look at the counts and the intervals.

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
ax_isi.hist(intervals, bins=bins, density=True, color=COLORS["data"])
ax_isi.plot(bins, np.exp(-bins * rate / 1000.0) * rate / 1000.0,
            color=COLORS["reference"], label="exponential")
ax_isi.legend()
label_axes(ax_isi, "interval between spikes (ms)", "probability density (1/ms)")
ax_count.hist(counts, bins=np.arange(5, 40) - 0.5, density=True, color=COLORS["data"])
k = np.arange(5, 40)
ax_count.plot(k, stats.poisson.pmf(k, expected), "o", ms=3, color=COLORS["reference"],
              label="Poisson")
ax_count.legend()
label_axes(ax_count, "spikes in 1 s", "fraction of trials")

print(f"count: mean {counts.mean():.2f}, variance {counts.var(ddof=1):.2f} "
      f"(Poisson: both {expected:.0f})")
print(f"Fano factor (variance / mean): {counts.var(ddof=1) / counts.mean():.2f}")
print(f"interval: mean {intervals.mean():.1f} ms (1000 / rate = {1000 / rate:.0f} ms), "
      f"CV {intervals.std() / intervals.mean():.2f} (exponential: 1)")

# %% [markdown]
# ### Think
#
# A real neuron cannot fire twice within ~2 ms (its refractory period). How
# would that change the interval histogram and the Fano factor of a 20 Hz
# train? Would it matter more at 5 Hz or at 200 Hz?

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
# How big is $g_\text{max}$? One AMPA event at a cortical synapse is about
# 0.5 nS (`synapses.AMPA.peak_conductance`). That moves a typical neuron by
# ~0.5 mV. Not 50 nS: that would depolarise the cell by about 10 mV per
# spike, close to firing it on its own.

# %% [markdown]
# ### Exercise 1.2: conductance as a sum of kernels
#
# Write `exponential_conductance(time, spike_times, peak_conductance,
# decay_time)` that returns $g(t)$ in nS at every time in the array `time`
# (ms). Loop over the spikes and add one kernel per spike; `np.where(s >= 0,
# ..., 0.0)` makes a kernel causal.

# %% tags=["exercise"]
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
ax.plot(time, g, color=COLORS["excitatory"])
ax.plot(spike_times, np.zeros_like(spike_times), "|", ms=12, color=COLORS["model"])
label_axes(ax, "time (ms)", "conductance (nS)",
           f"AMPA, g_max = {ampa.peak_conductance} nS, tau = {ampa.decay_time} ms")
print(f"largest conductance: {g.max():.2f} nS")

# %% [markdown]
# ## 3. The same conductance as a differential equation
#
# A simulator does not keep the list of all past spikes. It keeps the
# **current state** $g$ and updates it. Between spikes the conductance
# decays, and each spike adds $g_\text{max}$:
#
# $$\frac{dg}{dt} = -\frac{g}{\tau}, \qquad g \to g + g_\text{max} \text{ at each spike}$$
#
# (in one line: $\frac{dg}{dt} = -\frac{g}{\tau} + g_\text{max}\sum_k \delta(t - t_k)$).

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
# The course's convention: `conductance[k]` is the state at the **start**
# of step $k$, with that step's spikes already added. (Brian2 adds a spike
# after the step's update, so its recorded trace shows each jump one
# $\Delta t$ later: when you compare simulators, check such conventions first.)

# %% [markdown]
# ### Exercise 1.3: one step at a time
#
# Write `conductance_ode(spike_counts, peak_conductance, decay_time, dt,
# method)`. `spike_counts[k]` is the number of spikes arriving in step `k`.
# In each step: add the jumps, store `conductance[k] = g`, then decay `g`
# by the factor of `method` (`"exact"` or `"euler"`).

# %% tags=["exercise"]
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

# %%
figure, ax = new_figure()
fine = np.arange(0.0, 80.0, 0.01)
ax.plot(fine, exponential_conductance_in_use(fine, spike_times, ampa.peak_conductance,
                                      ampa.decay_time),
        color=COLORS["reference"], lw=3, label="analytical")
report = []
for dt, style in [(1.0, "o"), (2.0, "s")]:
    grid = inputs.time_grid(80.0, dt)
    spike_counts = synapses.spike_counts_on_grid(spike_times, grid.size, dt)
    for method, color in [("exact", COLORS["model"]), ("euler", COLORS["excitatory"])]:
        g_numerical = conductance_ode_in_use(spike_counts, ampa.peak_conductance,
                                      ampa.decay_time, dt, method)
        ax.plot(grid, g_numerical, style, ms=3, color=color, label=f"{method}, dt = {dt:g} ms")
        error = np.abs(g_numerical - exponential_conductance_in_use(
            grid, spike_times, ampa.peak_conductance, ampa.decay_time)).max()
        report.append(f"dt = {dt:g} ms, {method:5s}: largest error {error:.3f} nS")
ax.set_xlim(25, 55)
ax.legend(fontsize=8)
label_axes(ax, "time (ms)", "conductance (nS)")
print("\n".join(report))

# %% [markdown]
# ### How big is the error, and how does it shrink with $\Delta t$?
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
#    $\Delta t$! What shrinks is how long it lasts: the time-averaged error is
#    about $1.5 \times (\text{spikes per ms}) \times g_\text{max} \times \Delta t$.
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

figure, ax = new_figure(figsize=(5.0, 3.2))
ax.loglog(dts, euler_error, "o-", color=COLORS["excitatory"], label="Euler (largest)")
ax.loglog(dts, snap_error, "s-", color=COLORS["inhibitory"], label="snapping (mean)")
ax.loglog(dts, g_max * dts / (2 * np.e * tau), "--", color=COLORS["reference"],
          label=r"$g_{max}\,\Delta t / (2 e \tau)$")
ax.legend(fontsize=8)
label_axes(ax, "time step dt (ms)", "error (nS)", "both errors are proportional to dt")

print("  dt    Euler: largest error   predicted  |  snapping: mean error  predicted  largest")
for dt, e1, e2, e3 in zip(dts, euler_error, snap_error, snap_largest, strict=True):
    print(f"{dt:5.3f} ms  {e1:10.2e} nS  {g_max * dt / (2 * np.e * tau):10.2e}  |"
          f"  {e2:12.2e} nS  {1.5 * spikes_per_ms * g_max * dt:10.2e}  {e3:6.2f} nS")
print("halving dt divides the Euler error by",
      np.round(np.array(euler_error[1:]) / np.array(euler_error[:-1]), 2))

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
# A real conductance does not jump: it rises in a fraction of a millisecond,
# then decays. Two common shapes, both scaled to a **peak of 1** so that
# $g_\text{max}$ is always the peak conductance of one event:
#
# - **alpha**: $k(s) = \frac{s}{\tau}\,e^{1 - s/\tau}$, which peaks at $s = \tau$
#   with value 1;
# - **dual exponential**: $k(s) = c\,(e^{-s/\tau_d} - e^{-s/\tau_r})$ with a
#   rise time $\tau_r$ and a decay time $\tau_d$. It peaks at
#   $s^* = \frac{\tau_r\tau_d}{\tau_d - \tau_r}\ln\frac{\tau_d}{\tau_r}$, and $c$
#   is chosen so that $k(s^*) = 1$.

# %% [markdown]
# ### Exercise 1.4: the alpha kernel
#
# Write `alpha_kernel(time_since_spike, decay_time)`: 0 before the spike,
# $\frac{s}{\tau}e^{1 - s/\tau}$ after it.

# %% tags=["exercise"]
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
colors = [COLORS["model"], COLORS["reference"], COLORS["excitatory"]]
for (name, values), color in zip(shapes.items(), colors, strict=True):
    ax.plot(s, values, color=color, label=name)
ax.legend(fontsize=8)
label_axes(ax, "time since the spike (ms)", "kernel (peak = 1)")

ds = s[1] - s[0]
for name, values in shapes.items():
    print(f"{name:30s} peak {values.max():.3f} at {s[np.argmax(values)]:.2f} ms,"
          f" area {values.sum() * ds:.2f} ms")

# %% [markdown]
# Same peak, different **areas**: the exponential's is $\tau$, the alpha's is
# $e\tau$, and the dual exponential's is $c(\tau_d - \tau_r)$. Times
# $g_\text{max}$, the area is what one spike contributes to the time-averaged
# conductance (nS·ms): it sets the mean conductance of many synapses in
# section 7.

# %% [markdown]
# ### The alpha shape as an ODE with two variables
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
# The course's two fast synapse types live in `synapses.AMPA` and
# `synapses.GABA_A`, each with its parameters and where they come from.
# AMPA receptors pass Na$^+$ and K$^+$ and reverse near 0 mV; GABA$_A$
# receptors pass Cl$^-$ and reverse near the resting potential.

# %%
time = inputs.time_grid(60.0, 0.05)
figure, ax = new_figure()
for preset, color in [(synapses.AMPA, COLORS["excitatory"]),
                      (synapses.GABA_A, COLORS["inhibitory"])]:
    g = synapses.conductance_analytical(time, [5.0], preset.peak_conductance, preset.decay_time,
                                        shape="dual_exponential", rise_time=preset.rise_time)
    ax.plot(time, g, color=color, label=preset.name)
ax.legend()
label_axes(ax, "time (ms)", "conductance (nS)", "one spike at 5 ms")

for preset in (synapses.AMPA, synapses.GABA_A):
    print(f"{preset.name}: E_rev = {preset.reversal_potential} mV, "
          f"rise {preset.rise_time} ms, decay {preset.decay_time} ms, "
          f"g_max = {preset.peak_conductance} nS")
    print(f"  source: {preset.source}\n")

# %% [markdown]
# ## 6. Driving force and reversal potential
#
# An open channel passes a current proportional to how far the membrane
# potential $V$ is from the channel's **reversal potential** $E_\text{rev}$:
#
# $$I_\text{syn} = g\,(E_\text{rev} - V).$$
#
# **Sign convention.** In this course a current is **positive when it flows
# into the cell** and depolarises it, like a current you inject with an
# electrode. Below $E_\text{rev}$ the current pushes $V$ up, towards
# $E_\text{rev}$; above it, down. Units: nS × mV = pA, no factor needed.
# Example: 0.5 nS of AMPA at −70 mV gives $0.5 \times (0 - (-70)) = +35$ pA.

# %% [markdown]
# ### Exercise 1.5: the synaptic current
#
# Write `synaptic_current(conductance, voltage, reversal_potential)` in pA.
# It should work for numbers and for numpy arrays.

# %% tags=["exercise"]
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
for preset, color in [(synapses.AMPA, COLORS["excitatory"]),
                      (synapses.GABA_A, COLORS["inhibitory"])]:
    current = synaptic_current_in_use(1.0, voltage, preset.reversal_potential)
    ax.plot(voltage, current, color=color, label=f"{preset.name}, 1 nS")
    ax.plot(preset.reversal_potential, 0.0, "o", color=color)
ax.axhline(0.0, color="black", lw=0.6)
ax.axvline(-70.0, color=COLORS["data"], ls=":", label="rest, -70 mV")
ax.legend(fontsize=8)
label_axes(ax, "membrane potential V (mV)", "synaptic current (pA, + = into the cell)")
print("at rest (-70 mV), 1 nS:",
      f"AMPA {synaptic_current_in_use(1.0, -70.0, synapses.AMPA.reversal_potential):+.0f} pA,",
      f"GABA_A {synaptic_current_in_use(1.0, -70.0, synapses.GABA_A.reversal_potential):+.0f} pA")

# %% [markdown]
# ### Shunting inhibition
#
# If $E_\text{GABA}$ equals the resting potential, a GABA$_A$ synapse passes
# **no current at rest**. Is it useless? When excitation depolarises the
# cell, the GABA current turns negative and pulls $V$ back, so inhibition
# acts *only when there is something to inhibit*.
#
# A preview of the next lesson: at steady state the currents into a cell sum
# to zero. With a leak (conductance $g_L$ = 10 nS, reversal $E_L$ = −70 mV)
# plus excitation $g_e$ and inhibition $g_i$,
# $g_L(E_L - V) + g_e(E_e - V) + g_i(E_i - V) = 0$, so
#
# $$V = \frac{g_L E_L + g_e E_e + g_i E_i}{g_L + g_e + g_i}.$$
#
# With $E_i = E_L$ the inhibitory conductance only appears in the
# denominator: it **divides** the depolarisation.

# %%
g_leak, e_leak, e_exc, e_inh = 10.0, -70.0, 0.0, -70.0
g_exc = np.linspace(0.0, 10.0, 101)

figure, ax = new_figure()
report = []
for g_inh, color in [(0.0, COLORS["excitatory"]), (10.0, "#8e44ad"), (30.0, COLORS["inhibitory"])]:
    v_steady = (g_leak * e_leak + g_exc * e_exc + g_inh * e_inh) / (g_leak + g_exc + g_inh)
    ax.plot(g_exc, v_steady - e_leak, color=color, label=f"g_i = {g_inh:g} nS")
    at_rest = synaptic_current_in_use(g_inh, e_leak, e_inh)
    report.append(
        f"g_i = {g_inh:4.0f} nS: inhibitory current at rest {at_rest:+.0f} pA, "
        f"depolarisation by g_e = 2 nS: {2 * (e_exc - e_leak) / (g_leak + 2 + g_inh):.1f} mV"
    )
ax.legend()
label_axes(ax, "excitatory conductance g_e (nS)", "depolarisation V - E_L (mV)",
           "shunting inhibition (E_i = E_L = -70 mV)")
print("\n".join(report))

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
# A cortical neuron receives thousands of inputs. Take $N$ independent
# Poisson synapses at $\nu$ Hz each, with exponential kernels. Because the
# conductances add, and the spikes arrive at $N\nu/1000$ per ms, **Campbell's
# theorem** gives
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

# %% tags=["exercise"]
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
ax_g.plot(time, g_total, color=COLORS["model"], lw=0.8)
ax_g.axhline(predicted_mean, color=COLORS["reference"], label="predicted mean")
ax_g.legend(loc="upper right")
ax_g.set_xlim(0, 300)
label_axes(ax_g, "time (ms)", "total conductance (nS)")

print(f"mean {g_total[steady].mean():.2f} nS (predicted {predicted_mean:.2f} nS)")
print(f"sd   {g_total[steady].std():.2f} nS (predicted {predicted_sd:.2f} nS)")
print(f"current at -65 mV: mean {current[steady].mean():.0f} pA")

# %% [markdown]
# And how it scales: the mean follows $N\nu$, the standard deviation
# $\sqrt{N\nu}$, so the relative fluctuation (CV = sd / mean) falls as
# $1/\sqrt{N\nu}$.

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
# Move the sliders: number of synapses, rate, peak conductance and decay
# time set the total conductance (top); the reversal and membrane potentials
# set the current (bottom). Try: double the number of synapses (the mean
# doubles, the sd grows by only √2); make the decay time long (a smoother
# trace, same mean per ms of kernel area); set the reversal potential equal
# to the membrane potential (a large conductance, zero current).

# %%
synapse_explorer()

# %% [markdown]
# ### Think
#
# A cortical neuron in vivo receives thousands of inputs firing at a few Hz.
# What does Campbell's theorem say about its total synaptic conductance
# compared with its leak conductance (~10 nS)? Which assumption of the
# theorem is most likely wrong in a real brain?

# %% [markdown] tags=["answer"]
# **Answer.** 5000 AMPA inputs at 2 Hz give
# $5000 \times 0.002 \times 0.5 \times 5 = 25$ nS on average, more than the
# leak; add inhibition and the total is several times the leak conductance
# (the "high-conductance state"), with relative fluctuations
# $\sigma_g / \langle g\rangle = 1/\sqrt{2N\nu\tau/1000}$ of only 10%. The cell
# becomes leakier and faster.
# The weakest assumption is **independence**: real inputs are correlated
# (shared inputs, oscillations), and correlated spikes add up coherently, so
# the fluctuations shrink much more slowly than $1/\sqrt{N}$ and can stay
# large even with thousands of inputs.

# %% [markdown]
# ## Summary
#
# - A spike train is a list of times in ms. Poisson trains have exponential
#   intervals and a count whose variance equals its mean, $\nu T/1000$;
#   randomness always comes from a passed, seeded `rng`.
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
#   AMPA ($E$ ≈ 0 mV) depolarises, GABA$_A$ ($E$ ≈ −75 mV) hyperpolarises
#   or, at $E \approx V_\text{rest}$, shunts.
# - $N$ Poisson synapses: mean $= N\frac{\nu}{1000}g_\text{max}\tau$, sd
#   $\propto\sqrt{N\nu}$.
#
# **Next: Lesson 2, "A first neuron".** Something has to listen to these
# currents: a membrane that charges up and relaxes back to rest. You will
# build it as an RC circuit, write a small neuron simulator of your own, and
# drive it with the AMPA and GABA$_A$ synapses of this lesson.

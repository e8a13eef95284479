"""Lesson 1's explorers: many Poisson synapses, and stepping a conductance in time."""

from __future__ import annotations

from .._validation import as_int
from .explorer import Explorer, Slider, explorer_grid, fixed_layout, make_explorer

# Ranges of fast synapses (AMPA to slow GABA_A decay, unitary conductances up to
# 2 nS) and of membrane potentials a neuron visits, so every position is plausible.
SYNAPSE_SLIDERS = (
    Slider("decay_time", 5.0, 1.0, 20.0, 0.5, "decay time tau", "ms"),
    Slider("peak_conductance", 0.5, 0.1, 2.0, 0.1, "peak conductance per spike g_max", "nS"),
    Slider("rate", 10.0, 1.0, 50.0, 1.0, "input rate per synapse", "Hz"),
    Slider("n_synapses", 200, 1, 1000, 1, "number of synapses N", integer=True),
    Slider("reversal_potential", 0.0, -90.0, 10.0, 1.0, "reversal potential E_rev", "mV"),
    Slider("membrane_potential", -65.0, -90.0, 0.0, 1.0, "membrane potential V", "mV"),
)

STEPPING_SLIDERS = (
    Slider("dt", 1.0, 0.1, 12.0, 0.1, "time step dt", "ms"),
    Slider("decay_time", 5.0, 2.0, 20.0, 0.5, "decay time tau", "ms"),
)


def synapse_explorer(duration=500.0, dt=0.2, seed=1) -> Explorer:
    """Total conductance and current of many Poisson synapses (Lesson 1).

    ``n_synapses`` independent Poisson inputs at ``rate`` Hz drive one
    exponential conductance (decay time and peak conductance per event set
    by the sliders). The top panel shows the total conductance with the
    predicted mean ``N * rate/1000 * g_max * tau`` and mean +- one standard
    deviation ``sqrt(N * rate/1000 * g_max**2 * tau / 2)`` (Campbell's
    theorem); the bottom panel the synaptic current ``g * (E_rev - V)`` at
    a membrane potential held fixed (as in a voltage clamp). Each trace
    follows a 150 ms warm-up (five times the longest decay time on the
    slider), so it starts in the steady state instead of at 0 nS.

    Parameters
    ----------
    duration : float, optional
        Length of the trace in ms.
    dt : float, optional
        Time step in ms. The decay is stepped exactly, so 0.2 ms is accurate
        for every decay time on the slider, and half as many points as at
        0.1 ms keep the redraw fast.
    seed : int, optional
        Seed of the generator; every redraw restarts from it, so moving a
        slider changes the parameters, not the luck of the draw.

    Returns
    -------
    Explorer
    """
    import numpy as np

    from .. import synapses
    from ..inputs import time_grid
    from ..plotting import COLORS

    duration, dt = explorer_grid(duration, dt)
    seed = as_int("seed", seed, minimum=0)
    time = time_grid(duration, dt)
    warm_up = 150.0  # ms; 5 x the longest decay time the slider offers
    run_time = time_grid(warm_up + duration, dt)
    figure, lines = _conductance_figure(time)
    ax_g, ax_i = figure.axes

    def update(
        decay_time,
        peak_conductance,
        rate,
        n_synapses,
        reversal_potential,
        membrane_potential,
    ):
        rng = np.random.default_rng(seed)
        # N independent Poisson trains merge into one Poisson train of rate N * rate.
        merged = synapses.poisson_spike_train(n_synapses * rate, run_time.size * dt, rng)
        g = synapses.conductance_numerical(run_time, merged, peak_conductance, decay_time)
        g = g[-time.size :]  # drop the warm-up
        current = synapses.synaptic_current(g, membrane_potential, reversal_potential)

        spikes_per_ms = n_synapses * rate / 1000.0  # Hz -> per ms
        mean = spikes_per_ms * peak_conductance * decay_time
        sd = np.sqrt(spikes_per_ms * peak_conductance**2 * decay_time / 2.0)
        lines["g"].set_ydata(g)
        lines["mean"].set_ydata([mean, mean])
        lines["upper"].set_ydata([mean + sd, mean + sd])
        lines["lower"].set_ydata([mean - sd, mean - sd])
        ax_g.set_ylim(0.0, max(g.max(), mean + sd, 0.1) * 1.1)
        ax_g.set_title(
            f"mean {g.mean():.2f} nS (predicted {mean:.2f}), sd {g.std():.2f} nS "
            f"(predicted {sd:.2f})",
            y=1.0,  # a fixed title position skips matplotlib's costly auto-placement
        )

        excitatory = reversal_potential > membrane_potential
        lines["current"].set_ydata(current)
        lines["current"].set_color(COLORS["excitatory"] if excitatory else COLORS["inhibitory"])
        lines["current"].set_linestyle("-" if excitatory else "--")
        low, high = min(current.min(), 0.0), max(current.max(), 0.0)
        pad = 0.1 * max(high - low, 1.0)
        ax_i.set_ylim(low - pad, high + pad)
        ax_i.set_title(
            f"E_rev - V = {reversal_potential - membrane_potential:+.0f} mV, "
            f"mean current {current.mean():+.1f} pA",
            y=1.0,
        )
        return (
            f"Total conductance: mean {g.mean():.2f} nS (predicted {mean:.2f} nS), "
            f"sd {g.std():.2f} nS (predicted {sd:.2f} nS). Driving force "
            f"{reversal_potential - membrane_potential:+.0f} mV, mean current "
            f"{current.mean():+.1f} pA ({'into' if current.mean() >= 0 else 'out of'} the cell)."
        )

    return make_explorer(
        figure, list(SYNAPSE_SLIDERS), update,
        description="Top: the total conductance of N Poisson synapses over 500 ms with its "
        "predicted mean and mean plus or minus one standard deviation. Bottom: the synaptic "
        "current at the chosen membrane potential.",
    )


def _conductance_figure(time):
    """synapse_explorer's figure (conductance above, current below), its lines by name."""
    import numpy as np

    from ..plotting import COLORS, label_axes, new_figure

    figure, (ax_g, ax_i) = new_figure(2, 1, sharex=True, figsize=(7.0, 4.6))
    fixed_layout(figure, left=0.14, right=0.97, top=0.93, bottom=0.11, hspace=0.3)
    (g_line,) = ax_g.plot(time, np.zeros_like(time), color=COLORS["model"], lw=0.8,
                          label="simulated")
    mean_line = ax_g.axhline(0.0, color=COLORS["reference"], lw=2.0, ls=":",
                             label="predicted mean")
    upper_line = ax_g.axhline(0.0, color=COLORS["accent"], lw=1.0, ls="-.", label="mean ± sd")
    lower_line = ax_g.axhline(0.0, color=COLORS["accent"], lw=1.0, ls="-.")
    ax_g.legend(loc="upper right", ncols=3)
    label_axes(ax_g, "", "total conductance (nS)")
    (i_line,) = ax_i.plot(time, np.zeros_like(time), color=COLORS["excitatory"], lw=0.8)
    ax_i.axhline(0.0, color="black", lw=0.6)
    label_axes(ax_i, "time (ms)", "synaptic current (pA)")
    return figure, dict(g=g_line, mean=mean_line, upper=upper_line, lower=lower_line,
                        current=i_line)


def stepping_explorer(duration=80.0) -> Explorer:
    """Stepping a synaptic conductance in time: exact step against Euler (Lesson 1, section 3).

    Five spikes (at 10, 30, 32, 36 and 60 ms) of 0.5 nS drive ``dg/dt = -g/tau``.
    The figure shows the analytical sum of kernels on a fine grid, the exact
    step and forward Euler on the chosen grid (spikes added at the start of
    their step, as in lesson 1's exercise). Time step and decay time are set
    by sliders; the status line gives Euler's factor per step, what it does
    (decays, oscillates, blows up) and the largest error of each method.

    Parameters
    ----------
    duration : float, optional
        Length of the run in ms.

    Returns
    -------
    Explorer
    """
    import numpy as np

    from .. import synapses
    from ..inputs import time_grid
    from ..plotting import COLORS, label_axes, new_figure

    spike_times = np.array([10.0, 30.0, 32.0, 36.0, 60.0])
    peak = 0.5  # nS, the AMPA preset's
    duration, _ = explorer_grid(
        duration, 0.02, 60.0, " (the last of the five spikes comes at 60 ms)"
    )
    fine = time_grid(duration, 0.02)
    figure, ax = new_figure(figsize=(7.0, 3.6))
    fixed_layout(figure, left=0.12, right=0.97, top=0.88, bottom=0.14)
    (exact_curve,) = ax.plot(fine, np.zeros_like(fine), color=COLORS["data"], lw=3,
                             label="analytical")
    (exact_dots,) = ax.plot([], [], "o", mfc="none", ms=6, color=COLORS["model"],
                            label="exact step")
    (euler_dots,) = ax.plot([], [], "s-", ms=4, lw=0.8, color=COLORS["excitatory"],
                            label="Euler step")
    ax.axhline(0.0, color="black", lw=0.5)
    ax.legend(loc="upper right", ncols=3)
    ax.set_xlim(0.0, duration)
    label_axes(ax, "time (ms)", "conductance (nS)")

    def update(dt, decay_time):
        analytical = synapses.conductance_analytical(fine, spike_times, peak, decay_time)
        grid = time_grid(duration, dt)
        exact = synapses.conductance_numerical(grid, spike_times, peak, decay_time)
        euler = synapses.conductance_numerical(grid, spike_times, peak, decay_time,
                                               method="euler")
        truth = synapses.conductance_analytical(grid, spike_times, peak, decay_time)
        exact_curve.set_ydata(analytical)
        exact_dots.set_data(grid, exact)
        euler_dots.set_data(grid, euler)
        low = min(euler.min(), 0.0)
        high = max(analytical.max(), min(euler.max(), 5.0))
        ax.set_ylim(max(low, -3.0) - 0.05, high * 1.1 + 0.05)  # a runaway Euler leaves the plot
        factor = 1.0 - dt / decay_time
        behaviour = ("decays smoothly" if factor >= 0 else
                     "flips sign every step but shrinks" if factor > -1 else
                     "flips sign and GROWS: unstable")
        ax.set_title(f"dt = {dt:g} ms, tau = {decay_time:g} ms: Euler factor per step "
                     f"{factor:+.2f}", y=1.0)
        return (
            f"Euler's factor per step 1 - dt/tau = {factor:+.2f}: Euler {behaviour}. "
            f"Largest error on the grid: exact step {np.abs(exact - truth).max():.3f} nS "
            f"(spikes moved onto the grid), Euler {np.abs(euler - truth).max():.3g} nS."
        )

    return make_explorer(
        figure, list(STEPPING_SLIDERS), update,
        description="A synaptic conductance driven by five spikes: the analytical curve, "
        "the exact step and the forward Euler step at the chosen time step.",
    )



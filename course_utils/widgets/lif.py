"""Lesson 3's explorers: a LIF neuron's trace and f-I curve, and its response to noise."""

from __future__ import annotations

from .._validation import as_int
from ..parameters import LIF_DEFAULTS, STANDARD_CELL
from .explorer import (
    Explorer,
    Slider,
    explorer_grid,
    fixed_layout,
    make_explorer,
    redraw_backend,
    reset_below,
    spike_strokes,
)

# g_L is fixed in these explorers, so tau sets C = tau g_L (ms * nS = pF).
MEMBRANE_TIME_CONSTANT = Slider("membrane_time_constant", 20.0, 5.0, 50.0, 1.0,
                                "membrane time constant tau", "ms")

# Bounds that always show something meaningful: the rest stays at least 4 mV
# below the threshold (no spike at t = 0, no rest at threshold), and t_ref
# stays >= 0.5 ms (t_ref = 0 would allow a spike in every step).
LIF_SLIDERS = (
    Slider("current", 300.0, 0.0, 600.0, 10.0, "input current I", "pA"),
    MEMBRANE_TIME_CONSTANT,
    Slider("leak_reversal", -70.0, -80.0, -62.0, 1.0, "resting potential E_L", "mV"),
    Slider("threshold", -50.0, -58.0, -40.0, 1.0, "threshold V_th", "mV"),
    Slider("refractory_period", 2.0, 0.5, 10.0, 0.5, "refractory period t_ref", "ms"),
)

NOISY_LIF_SLIDERS = (
    Slider("mean_current", 180.0, 100.0, 400.0, 10.0, "mean current mu", "pA"),
    Slider("noise_amplitude", 100.0, 0.0, 300.0, 10.0, "noise amplitude sigma",
           "pA at dt = 1 ms"),
)


def lif_explorer(duration=500.0, dt=0.1, leak_conductance=STANDARD_CELL["leak_conductance"],
                 reset=LIF_DEFAULTS["reset"]) -> Explorer:
    """Voltage trace and f-I curve of a LIF neuron (Lesson 3).

    A current step (on from 50 ms to ``duration - 50`` ms) drives a LIF
    neuron whose input current, membrane time constant, resting potential,
    threshold and refractory period are set by the sliders (g_L is fixed, so
    C = tau g_L and the rheobase g_L (V_th - E_L) does not depend on tau).
    The top panel shows V(t) with the spikes drawn in (a
    drawing convention: the simulated V never exceeds the threshold); the
    bottom panel the exact f-I curve (:func:`course_utils.neurons.lif_firing_rate`)
    with the rheobase, and the rate measured from the trace's
    inter-spike intervals.

    Parameters
    ----------
    duration : float, optional
        Length of the trace in ms (> 100).
    dt : float, optional
        Time step in ms.
    leak_conductance : float, optional
        g_L in nS.
    reset : float, optional
        Reset potential in mV (below the lowest threshold on the slider, -58 mV).

    Returns
    -------
    Explorer
        Its status line under the figure states in words the numbers the
        figure shows.
    """
    import numpy as np

    from ..inputs import step_current, time_grid
    from ..neurons import compile_in_background, lif_firing_rate, lif_rheobase, simulate_lif
    from ..parameters import validate

    # Redraws after the first use the compiled kernel once it is cached.
    compile_in_background("lif")

    duration, dt = explorer_grid(
        duration, dt, 100.0, " (the current step runs from 50 ms to duration - 50 ms)"
    )
    leak_conductance = validate("leak_conductance", leak_conductance)
    reset = reset_below(reset, -58.0)
    time = time_grid(duration, dt)
    onset, offset = 50.0, duration - 50.0
    unit_step = step_current(time, 1.0, onset, offset)
    currents = np.linspace(0.0, 600.0, 301)

    figure, lines = _trace_and_fi_figure(time, duration, currents, reset)
    ax_v, ax_f = figure.axes

    def update(current, membrane_time_constant, leak_reversal, threshold, refractory_period):
        cell = dict(
            membrane_capacitance=membrane_time_constant * leak_conductance,  # ms * nS = pF
            leak_conductance=leak_conductance,
            leak_reversal=leak_reversal,
        )
        lif = dict(cell, threshold=threshold, reset=reset, refractory_period=refractory_period)
        result = simulate_lif(duration=duration, dt=dt, current=current * unit_step,
                              backend=redraw_backend("lif"), **lif)
        v = result.voltage[0]
        spikes = result.spike_times[0]
        lines["v"].set_ydata(v)
        lines["spikes"].set_segments(spike_strokes(time, v, spikes))
        lines["threshold"].set_ydata([threshold, threshold])

        rates = lif_firing_rate(currents, **lif)
        exact = lif_firing_rate(current, **lif)
        rheobase = lif_rheobase(leak_conductance=cell["leak_conductance"],
                                leak_reversal=leak_reversal, threshold=threshold)
        measured = 1000.0 / np.mean(np.diff(spikes)) if spikes.size > 1 else 0.0
        lines["fi"].set_ydata(rates)
        lines["rheobase"].set_xdata([rheobase, rheobase])
        lines["exact"].set_data([current], [exact])
        lines["measured"].set_data([current], [measured])
        ax_f.set_ylim(0.0, max(rates.max(), 10.0) * 1.05)
        ax_v.set_title(
            f"I = {current:.0f} pA, tau = {membrane_time_constant:.0f} ms: "
            f"{spikes.size} spikes, {measured:.1f} Hz (exact {exact:.1f} Hz)",
            y=1.0,  # a fixed title position skips matplotlib's costly auto-placement
        )
        ax_f.set_title(f"rheobase g_L (V_th - E_L) = {rheobase:.0f} pA", y=1.0)
        # The numbers the image shows, as text (read by screen readers, kept without a kernel).
        return (
            f"I = {current:.0f} pA, tau = {membrane_time_constant:.0f} ms, "
            f"E_L = {leak_reversal:.0f} mV, V_th = {threshold:.0f} mV, "
            f"t_ref = {refractory_period:.1f} ms: {spikes.size} spikes, "
            f"{measured:.1f} Hz measured, {exact:.1f} Hz exact; rheobase {rheobase:.0f} pA; "
            f"ceiling 1000 / t_ref = {1000.0 / refractory_period:.0f} Hz."
        )

    return make_explorer(
        figure, list(LIF_SLIDERS), update,
        description="Top: the membrane potential of a LIF neuron during a current step, with "
        "its spikes drawn in. Bottom: its exact f-I curve with the rheobase and the rate "
        "measured from the trace.",
    )


def _trace_and_fi_figure(time, duration, currents, reset):
    """lif_explorer's figure (V(t) above, the f-I curve below), its artists by name.

    ``time`` and ``currents`` are the grids of the trace (``duration`` ms) and of the
    f-I curve (pA); ``reset`` (mV) is drawn as a fixed line.
    """
    import numpy as np

    from ..plotting import COLORS, label_axes, new_figure

    figure, (ax_v, ax_f) = new_figure(2, 1, figsize=(7.0, 5.0))
    fixed_layout(figure, left=0.12, right=0.97, top=0.93, bottom=0.1, hspace=0.45)
    (v_line,) = ax_v.plot(time, np.zeros_like(time), color=COLORS["model"], lw=1.0)
    spike_lines = ax_v.vlines([], [], [], color=COLORS["model"], lw=1.0)
    threshold_line = ax_v.axhline(-50.0, color=COLORS["reference"], ls="--", lw=1.0)
    ax_v.axhline(reset, color=COLORS["inhibitory"], ls=":", lw=1.0)
    # A plain text instead of a legend, which would cost ~10 ms per redraw.
    ax_v.text(0.99, 0.03, "dashed: threshold, dotted: reset", transform=ax_v.transAxes,
              ha="right", va="bottom", fontsize=9)
    ax_v.set_xlim(0.0, duration)
    ax_v.set_ylim(-85.0, 25.0)
    label_axes(ax_v, "time (ms)", "V (mV)")
    (fi_line,) = ax_f.plot(currents, np.zeros_like(currents), color=COLORS["model"],
                           label="exact LIF rate")
    rheobase_line = ax_f.axvline(200.0, color=COLORS["reference"], ls="--", lw=1.0,
                                 label="rheobase")
    (exact_marker,) = ax_f.plot([0.0], [0.0], "o", color=COLORS["model"], ms=7, mfc="none")
    (measured_marker,) = ax_f.plot([0.0], [0.0], "x", color=COLORS["excitatory"], ms=8,
                                   label="from the trace")
    ax_f.legend(loc="upper left", fontsize=9)
    ax_f.set_xlim(0.0, currents[-1])
    label_axes(ax_f, "injected current I (pA)", "firing rate (Hz)")
    return figure, dict(v=v_line, spikes=spike_lines, threshold=threshold_line, fi=fi_line,
                        rheobase=rheobase_line, exact=exact_marker, measured=measured_marker)


def noisy_lif_explorer(duration=2000.0, dt=0.1, seed=1) -> Explorer:
    """Mean input, noise and irregularity of a LIF neuron (Lesson 3, section 7).

    The lesson's cell (200 pF, 10 nS, -70 mV, threshold -50 mV, reset
    -65 mV, t_ref 2 ms, rheobase 200 pA) gets a white-noise current
    ``mu + sigma / sqrt(dt) xi_k`` (:func:`course_utils.inputs.white_noise_current`'s
    scaling; one fixed seeded sample ``xi``, so a slider changes only what it
    names). The top panel shows V(t) over the first 500 ms with the spikes
    drawn in; the bottom panel the histogram of the inter-spike intervals of
    the whole run, with the rate and the CV.

    Parameters
    ----------
    duration : float, optional
        Length of the run in ms.
    dt : float, optional
        Time step in ms.
    seed : int, optional
        Seed of the noise sample.

    Returns
    -------
    Explorer
        Its status line under the figure states in words the numbers the
        figure shows.
    """
    import numpy as np

    from ..analysis import cv_of_isi
    from ..inputs import time_grid, white_noise_current
    from ..neurons import compile_in_background, lif_rheobase, simulate_lif
    from ..plotting import COLORS, label_axes, new_figure, style

    # Redraws after the first use the compiled kernel once it is cached.
    compile_in_background("lif")

    cell = STANDARD_CELL | LIF_DEFAULTS
    rheobase = lif_rheobase(leak_conductance=cell["leak_conductance"],
                            leak_reversal=cell["leak_reversal"], threshold=cell["threshold"])
    duration, dt = explorer_grid(duration, dt)
    seed = as_int("seed", seed, minimum=0)
    time = time_grid(duration, dt)
    # One fixed sample, scaled by sigma: a slider changes only what it names.
    unit_noise = white_noise_current(time, 0.0, 1.0, np.random.default_rng(seed))
    shown = time < 500.0
    bins = np.arange(0.0, 202.0, 4.0)  # ms

    figure, (ax_v, ax_h) = new_figure(2, 1, figsize=(7.0, 5.0))
    fixed_layout(figure, left=0.12, right=0.97, top=0.93, bottom=0.1, hspace=0.5)
    (v_line,) = ax_v.plot(time[shown], np.zeros(shown.sum()), lw=0.8, **style("model"))
    spike_lines = ax_v.vlines([], [], [], color=COLORS["model"], lw=1.0)
    ax_v.axhline(cell["threshold"], lw=1.0, **style("reference"))
    ax_v.text(0.99, 0.03, "dotted: threshold", transform=ax_v.transAxes, ha="right",
              va="bottom", fontsize=9)
    ax_v.set_xlim(0.0, 500.0)
    ax_v.set_ylim(-80.0, 25.0)
    label_axes(ax_v, "time (ms)", "V (mV)")
    counts = np.zeros(bins.size - 1)
    bars = ax_h.bar(bins[:-1], counts, width=np.diff(bins), align="edge",
                    color=COLORS["data"], edgecolor="white")
    ax_h.set_xlim(0.0, bins[-1])
    label_axes(ax_h, "inter-spike interval (ms)", "intervals")

    def update(mean_current, noise_amplitude):
        current = mean_current + noise_amplitude * unit_noise
        result = simulate_lif(duration=duration, dt=dt, current=current,
                              backend=redraw_backend("lif"), **cell)
        v, spikes = result.voltage[0], result.spike_times[0]
        v_line.set_ydata(v[shown])
        early = spikes[spikes < 500.0]
        spike_lines.set_segments(spike_strokes(time, v, early))
        intervals = np.diff(spikes)
        counts, _ = np.histogram(intervals, bins)
        for bar, count in zip(bars, counts, strict=True):
            bar.set_height(count)
        ax_h.set_ylim(0.0, max(counts.max(), 1) * 1.1)
        rate = spikes.size / duration * 1000.0
        cv = cv_of_isi(spikes)
        cv_text = f"CV {cv:.2f}" if np.isfinite(cv) else "CV undefined (too few spikes)"
        regime = ("above" if mean_current > rheobase
                  else "at" if mean_current == rheobase else "below")
        ax_v.set_title(f"mean {mean_current:.0f} pA ({regime} the 200 pA rheobase), "
                       f"noise {noise_amplitude:.0f} pA", y=1.0)
        ax_h.set_title(f"{spikes.size} spikes in {duration / 1000:g} s: {rate:.1f} Hz, "
                       f"{cv_text}", y=1.0)
        # The numbers the image shows, as text (the generic status line).
        return (
            f"Mean current {mean_current:.0f} pA ({regime} the rheobase of 200 pA), noise "
            f"amplitude {noise_amplitude:.0f} pA: {spikes.size} spikes in "
            f"{duration / 1000:g} s, {rate:.1f} Hz, {cv_text}."
        )

    return make_explorer(
        figure, list(NOISY_LIF_SLIDERS), update,
        description="Top: the membrane potential of a LIF neuron driven by a noisy current, "
        "first 500 ms, spikes drawn in. Bottom: the histogram of its inter-spike intervals "
        "over 2 s, with the rate and the CV.",
    )



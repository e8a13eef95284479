"""The whole-cell current-clamp experiment, drawn: what the recording is.

Units: time in ms, voltage in mV, current in pA, resistance in GOhm.

One function, :func:`draw_current_clamp`, draws a schematic of the set-up
(amplifier, pipette, series resistance, cell) beside one sweep of a recording:
the current the amplifier injected (from the epoch table) and the voltage it
recorded. Lesson 5 uses it before it analyses a recording.
"""

from __future__ import annotations

import numpy as np

from ._validation import as_int
from .data import Recording


def _zigzag(ax, x0, x1, y, color, teeth=5, height=0.035):
    """A resistor symbol from (x0, y) to (x1, y) in axes coordinates."""
    xs = np.linspace(x0, x1, 2 * teeth + 1)
    ys = y + height * np.array([0] + [(-1) ** k for k in range(2 * teeth - 1)] + [0])
    ax.plot(xs, ys, color=color, lw=1.5)


def _schematic(ax, colors):
    from matplotlib.patches import Circle, FancyBboxPatch, Polygon

    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.axis("off")
    ax.add_patch(
        FancyBboxPatch(
            (0.03, 0.62),
            0.34,
            0.3,
            boxstyle="round,pad=0.01",
            fc="white",
            ec=colors["model"],
            lw=1.5,
        )
    )
    ax.text(0.2, 0.85, "amplifier", ha="center", fontsize=9, weight="bold")
    ax.text(0.2, 0.76, "injects I (pA)", ha="center", fontsize=9, color=colors["excitatory"])
    ax.text(0.2, 0.68, "records V (mV)", ha="center", fontsize=9, color=colors["inhibitory"])
    ax.plot([0.37, 0.5], [0.77, 0.77], color=colors["model"], lw=1.5)
    _zigzag(ax, 0.5, 0.62, 0.77, colors["accent"])
    ax.text(0.56, 0.83, "$R_s$", ha="center", fontsize=9, color=colors["accent"])
    ax.text(0.56, 0.68, "pipette tip\n(series resistance)", ha="center", fontsize=9)
    ax.add_patch(
        Polygon(
            [[0.62, 0.8], [0.62, 0.74], [0.74, 0.56]], closed=True, fc="#dddddd", ec=colors["model"]
        )
    )
    ax.add_patch(Circle((0.76, 0.4), 0.17, fc="#f3e6d0", ec=colors["model"], lw=1.5))
    ax.text(0.76, 0.4, "neuron\n$C$, $g_L$", ha="center", va="center", fontsize=9)
    ax.text(
        0.76,
        0.12,
        "whole-cell: the pipette's\ninside is joined to the cell's",
        ha="center",
        fontsize=9,
    )
    ax.annotate(
        "",
        xy=(0.7, 0.56),
        xytext=(0.3, 0.5),
        arrowprops={"arrowstyle": "->", "color": colors["excitatory"]},
    )
    ax.text(
        0.05,
        0.36,
        "current clamp: the amplifier\nsets I (a step) and measures\nV = V_membrane + R_s I",
        fontsize=9,
    )


def draw_current_clamp(recording, sweep_index=-1):
    """Schematic of whole-cell current clamp beside one sweep of a recording.

    Parameters
    ----------
    recording : Recording
        A current-clamp recording with its steps (epoch table).
    sweep_index : int, optional
        Position of the sweep to draw (default the last one).

    Returns
    -------
    matplotlib.figure.Figure
        Left: amplifier, pipette with its series resistance R_s, cell.
        Right: the injected current with each epoch's letter (the epoch
        table), and the recorded voltage.
    """
    from .plotting import COLORS, label_axes, new_figure

    if not isinstance(recording, Recording):
        raise TypeError(f"recording must be a Recording, but got {type(recording).__name__}.")
    n = recording.n_sweeps
    sweep_index = as_int("sweep_index", sweep_index, minimum=-n, maximum=n - 1)
    sweep = recording.sweeps[sweep_index]
    figure, axes = new_figure(
        2, 2, figsize=(10.5, 5.0), width_ratios=[1.1, 1.6], height_ratios=[1, 1.4]
    )
    gs = axes[0, 0].get_gridspec()
    for ax in axes[:, 0]:
        ax.remove()
    schematic = figure.add_subplot(gs[:, 0])
    _schematic(schematic, COLORS)
    schematic.set_title("whole-cell current clamp")
    ax_i, ax_v = axes[0, 1], axes[1, 1]
    ax_i.plot(sweep.time, sweep.command, color=COLORS["excitatory"], lw=1.0)
    top = max(sweep.command.max(), 0.0)
    for step in sweep.steps:
        ax_i.text((step.start + step.stop) / 2, top + 30, step.label, ha="center", fontsize=9)
    ax_i.set_ylim(min(sweep.command.min(), 0.0) - 40, top + 90)
    label_axes(ax_i, "", "injected I (pA)", f"sweep {sweep.index}: the epoch table, played")
    ax_v.plot(sweep.time, sweep.voltage, color=COLORS["inhibitory"], lw=0.5)
    label_axes(ax_v, "time (ms)", "recorded V (mV)")
    ax_v.sharex(ax_i)
    return figure


__all__ = ["draw_current_clamp"]

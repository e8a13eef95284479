"""Diagrams drawn by code: a branching neuron, the RC circuit and its water analogy.

Lengths in um. The functions draw into matplotlib axes the caller made
(:func:`course_utils.plotting.new_figure`); they never change global
settings. :func:`branching_tree` is plain geometry, tested on its own.
"""

from __future__ import annotations

import math

import numpy as np

from ._validation import as_float, as_int, check_rng

__all__ = [
    "branching_tree",
    "draw_rc_circuit",
    "draw_tree",
    "draw_water_tank",
    "tree_statistics",
]

RALL_EXPONENT = 1.5
"""Rall's 3/2 rule: parent diameter^1.5 = sum of the daughters' diameters^1.5."""


def branching_tree(rng, *, depth=6, trunk_length=120.0, trunk_diameter=4.0,
                   length_ratio=0.75, spread=0.5):
    """A random two-dimensional binary tree, like a dendrite seen from above.

    Each branch splits into two daughters, ``length_ratio`` times as long,
    turned by +-``spread`` radians (plus a little noise), and thinner by
    Rall's 3/2 rule (d_daughter = d_parent / 2^(2/3) for equal daughters).

    Parameters
    ----------
    rng : numpy.random.Generator
        Draws the angle noise.
    depth : int
        Number of branch generations (>= 1); the tree has 2^depth - 1 segments.
    trunk_length : float
        Length of the first segment in um (> 0).
    trunk_diameter : float
        Its diameter in um (> 0).
    length_ratio : float
        Daughter length / parent length (0 < ratio <= 1).
    spread : float
        Branching half-angle in radians.

    Returns
    -------
    numpy.ndarray
        Shape (2^depth - 1, 5): x0, y0, x1, y1 and diameter of each segment, in um.
    """
    rng = check_rng(rng)
    depth = as_int("depth", depth, minimum=1, maximum=16)  # 65,535 segments at most
    length = as_float("trunk_length", trunk_length, unit="um", positive=True)
    diameter = as_float("trunk_diameter", trunk_diameter, unit="um", positive=True)
    ratio = as_float("length_ratio", length_ratio, positive=True)
    if ratio > 1:
        raise ValueError(f"length_ratio must be at most 1 (daughters no longer than their "
                         f"parent), but got {ratio:g}.")
    spread = as_float("spread", spread)
    thinning = 2.0 ** (-1.0 / RALL_EXPONENT)
    segments = []
    tips = [(0.0, 0.0, math.pi / 2)]  # (x, y, heading): the trunk grows upwards
    for _generation in range(depth):
        new_tips = []
        for x, y, heading in tips:
            x1, y1 = x + length * math.cos(heading), y + length * math.sin(heading)
            segments.append((x, y, x1, y1, diameter))
            for side in (-1.0, 1.0):
                new_tips.append((x1, y1, heading + side * spread + rng.normal(0.0, 0.15)))
        tips = new_tips
        length *= ratio
        diameter *= thinning
    return np.array(segments)


def tree_statistics(segments) -> dict:
    """Total length, membrane area and the area the tree spans.

    Parameters
    ----------
    segments : numpy.ndarray
        Output of :func:`branching_tree` (x0, y0, x1, y1, diameter in um).

    Returns
    -------
    dict
        ``total_length`` (um), ``membrane_area`` (um^2, the cylinders' sides
        pi d L), ``footprint`` (um^2, area of the smallest convex polygon
        around all branch points) and ``covered_fraction`` (the fraction of
        that footprint the branches themselves cover, d L / footprint).
    """
    from scipy.spatial import ConvexHull

    try:
        segments = np.asarray(segments, dtype=float)
    except (TypeError, ValueError):
        raise TypeError("segments must be an array of numbers of shape (n, 5), as from "
                        f"branching_tree, not {type(segments).__name__}.") from None
    if segments.ndim != 2 or segments.shape[1] != 5 or len(segments) < 2:
        raise ValueError("segments must be an array of shape (n >= 2, 5), as from branching_tree.")
    if not np.all(np.isfinite(segments)):
        raise ValueError("segments contains NaN or infinite values.")
    lengths = np.hypot(segments[:, 2] - segments[:, 0], segments[:, 3] - segments[:, 1])
    points = np.vstack([segments[:, :2], segments[:, 2:4]])
    footprint = ConvexHull(points).volume  # in 2-D, "volume" is the area
    return {
        "total_length": float(lengths.sum()),
        "membrane_area": float(np.sum(math.pi * segments[:, 4] * lengths)),
        "footprint": float(footprint),
        "covered_fraction": float(np.sum(segments[:, 4] * lengths) / footprint),
    }


def draw_tree(ax, segments, color, soma_diameter=20.0):
    """Draw a tree from :func:`branching_tree`, line widths following the diameters."""
    widest = segments[:, 4].max()
    for x0, y0, x1, y1, diameter in segments:
        ax.plot([x0, x1], [y0, y1], color=color, lw=0.6 + 2.4 * diameter / widest,
                solid_capstyle="round")
    ax.plot(0.0, 0.0, "o", color=color, markersize=soma_diameter / 2)
    ax.set_aspect("equal")
    ax.set_xlabel("x (um)")
    ax.set_ylabel("y (um)")


def _resistor(ax, x, y0, y1, color):
    ys = np.linspace(y0, y1, 9)
    xs = x + np.array([0, 0.1, -0.1, 0.1, -0.1, 0.1, -0.1, 0.1, 0]) * 0.8
    ax.plot(xs, ys, color=color, lw=1.5)


def draw_rc_circuit(ax, colors):
    """The membrane as an electric circuit: capacitor C, leak R in series with E_L, input I.

    ``colors`` maps "model" (wires) and "accent" (the injected current).
    """
    wire, accent = colors["model"], colors["accent"]
    ax.plot([0, 4], [3, 3], color=wire)  # inside of the cell
    ax.plot([0, 4], [0, 0], color=wire)  # outside
    for x in (0, 2, 4):
        ax.plot([x, x], [3, 2.0], color=wire)
        ax.plot([x, x], [1.0, 0], color=wire)
    ax.plot([-0.3, 0.3], [1.65, 1.65], color=wire, lw=2.5)  # capacitor plates
    ax.plot([-0.3, 0.3], [1.35, 1.35], color=wire, lw=2.5)
    ax.plot([0, 0], [2.0, 1.65], color=wire)
    ax.plot([0, 0], [1.35, 1.0], color=wire)
    _resistor(ax, 2, 2.0, 1.55, wire)
    ax.plot([1.8, 2.2], [1.45, 1.45], color=wire, lw=2.5)  # battery E_L
    ax.plot([1.9, 2.1], [1.3, 1.3], color=wire, lw=1.5)
    ax.plot([2, 2], [1.3, 1.0], color=wire)
    ax.annotate("", xy=(4, 2.1), xytext=(4, 0.9),
                arrowprops={"arrowstyle": "->", "color": accent, "lw": 2})
    for x, y, text in ((0.4, 1.5, "C"), (2.25, 1.8, "R = 1/g_L"), (2.3, 1.2, "E_L"),
                       (4.15, 1.5, "I"), (0.1, 3.15, "inside (V)"), (0.1, -0.35, "outside (0)")):
        ax.text(x, y, text, fontsize=9, va="center")
    ax.set_xlim(-0.6, 5.2)
    ax.set_ylim(-0.7, 3.5)
    ax.axis("off")


def draw_water_tank(ax, colors, level=0.55):
    """The water analogy: a tank (C) filled by a tap (I) and emptied through a hole (g_L).

    ``level`` is the water height as a fraction of the tank (the voltage).
    """
    wire, water, accent = colors["model"], colors["inhibitory"], colors["accent"]
    ax.fill_between([0, 3], 0, 3 * level, color=water, alpha=0.35)
    ax.plot([0, 0, 3, 3], [3.2, 0, 0, 3.2], color=wire, lw=2)  # the tank
    ax.annotate("", xy=(1.5, 3 * level + 0.2), xytext=(1.5, 3.6),
                arrowprops={"arrowstyle": "->", "color": accent, "lw": 2})
    ax.annotate("", xy=(3.9, 0.15), xytext=(3.0, 0.15),
                arrowprops={"arrowstyle": "->", "color": water, "lw": 2})
    for x, y, text in ((1.6, 3.5, "inflow = current I"),
                       (3.1, 0.45, "leak through a hole\n(conductance g_L)"),
                       (0.1, 3 * level + 0.15, "water level = voltage V"),
                       (0.1, -0.35, "width of the tank = capacitance C")):
        ax.text(x, y, text, fontsize=9, va="center")
    ax.set_xlim(-0.3, 5.6)
    ax.set_ylim(-0.6, 3.9)
    ax.axis("off")

"""One figure style for the course.

Units on axes follow the course's unit system (ms, mV, pA, nS, Hz).
No function here changes matplotlib's global settings or its inputs: the
style is applied with a context manager, and arrays are copied before any
drawing convention (such as spike markers) is added.

Lesson-specific plotting helpers are added at the end of this module.
"""

from __future__ import annotations

from contextlib import contextmanager

import numpy as np

from ._validation import as_array, check_same_length

COURSE_STYLE = {
    "figure.figsize": (7.0, 3.2),
    "figure.dpi": 100,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "legend.frameon": False,
    "lines.linewidth": 1.4,
}
"""Matplotlib settings of the course figures (applied only inside :func:`course_style`)."""

COLORS = {
    "excitatory": "#c0392b",
    "inhibitory": "#2c7fb8",
    "model": "#333333",
    "data": "#7f7f7f",
    "reference": "#e69f00",
}
"""Colours with a meaning, used consistently across lessons."""


@contextmanager
def course_style():
    """Context manager that applies :data:`COURSE_STYLE` to figures made inside it."""
    import matplotlib
    import matplotlib.pyplot as plt

    with plt.rc_context(COURSE_STYLE):
        try:
            yield
        finally:
            # The first figure loads the backend, and Jupyter's inline backend
            # switches interactive mode on as it loads; rc_context would undo
            # that on exit and later cells would no longer show their figures.
            interactive = matplotlib.is_interactive()
    matplotlib.interactive(interactive)


def new_figure(nrows=1, ncols=1, **kwargs):
    """Create a figure and axes in the course style.

    Parameters
    ----------
    nrows, ncols : int
        Grid of axes.
    **kwargs
        Passed to :func:`matplotlib.pyplot.subplots`.

    Returns
    -------
    (matplotlib.figure.Figure, axes)
    """
    import matplotlib.pyplot as plt

    with course_style():
        figure, axes = plt.subplots(nrows, ncols, layout="constrained", **kwargs)
    return figure, axes


def label_axes(ax, xlabel, ylabel, title=None):
    """Label an axis pair; units belong in the labels, e.g. ``"time (ms)"``."""
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    return ax


def plot_voltage(ax, time, voltage, spike_times=None, spike_peak=20.0, label=None, **kwargs):
    """Draw a membrane potential trace, optionally with spikes drawn in.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    time : array_like
        Time in ms.
    voltage : array_like
        Membrane potential in mV, same length as ``time``.
    spike_times : array_like, optional
        Spike times in ms. Each is drawn as a vertical line up to
        ``spike_peak``: a drawing convention only; ``voltage`` is not changed.
    spike_peak : float
        Height of the drawn spikes in mV.
    label : str, optional
        Legend label.
    **kwargs
        Passed to ``ax.plot``.

    Returns
    -------
    list of matplotlib.lines.Line2D
    """
    time = as_array("time", time, unit="ms", ndim=1)
    voltage = as_array("voltage", voltage, unit="mV", ndim=1)
    check_same_length(time=time, voltage=voltage)
    lines = ax.plot(time, voltage, label=label, **kwargs)
    if spike_times is not None:
        spikes = as_array("spike_times", spike_times, unit="ms", ndim=1)
        if spikes.size:
            # Draw each spike from the voltage just before it up to the peak.
            index = np.clip(np.searchsorted(time, spikes) - 1, 0, time.size - 1)
            ax.vlines(spikes, voltage[index], spike_peak, color=lines[0].get_color(), lw=1.0)
    label_axes(ax, "time (ms)", "membrane potential (mV)")
    return lines


def raster(ax, spike_trains, color=None, offset=0, label=None):
    """Spike raster: one row per train.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    spike_trains : sequence of array_like
        Spike times in ms, one array per neuron or synapse.
    color : str, optional
        Marker colour.
    offset : int, optional
        Row index of the first train.
    label : str, optional
        Legend label.
    """
    for row, train in enumerate(spike_trains):
        times = as_array(f"spike_trains[{row}]", train, unit="ms", ndim=1)
        ax.plot(
            times,
            np.full(times.size, row + offset),
            "|",
            color=color,
            markersize=4,
            label=label if row == 0 else None,
        )
    label_axes(ax, "time (ms)", "neuron")
    return ax

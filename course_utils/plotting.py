"""One figure style for the course.

Units on axes follow the course's unit system (ms, mV, pA, nS, Hz).
No function here changes matplotlib's global settings or its inputs: the
style is applied with a context manager, and arrays are copied before any
drawing convention (such as spike markers) is added.

Lesson-specific plotting helpers are added at the end of this module.
"""

from __future__ import annotations

import base64
import html
import io
from contextlib import contextmanager

import numpy as np

from ._validation import as_array, as_bool, as_int, check_choice, check_same_length

MAX_PANELS = 64
"""Most axes in one course figure."""

MIN_FONT_SIZE = 9.0
"""Smallest text (points) in a course figure: legible at the notebook's figure size."""

COURSE_STYLE = {
    "figure.figsize": (7.0, 3.2),
    "figure.dpi": 100,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "legend.fontsize": 9,
    "legend.frameon": False,
    "lines.linewidth": 1.6,
}
"""Matplotlib settings of the course figures (applied only inside :func:`course_style`)."""

COLORS = {
    "excitatory": "#D55E00",
    "inhibitory": "#0072B2",
    "model": "#222222",
    "data": "#767676",
    "reference": "#009E73",
    "accent": "#AA3377",
}
"""Colours with a meaning, used consistently across lessons.

Chosen from the Okabe-Ito and Tol palettes so that every pair stays apart
under simulated deuteranopia, protanopia and tritanopia (CAM02-UCS distance
at least 7, checked by ``tests/test_accessibility.py``) and every colour has a
contrast of at least 3:1 on white (WCAG 2.1's threshold for graphics). Colour
is never the only cue: each meaning also has a line style, see :data:`STYLES`.
"""

STYLES = {
    "excitatory": {"linestyle": "-", "marker": "^"},
    "inhibitory": {"linestyle": "--", "marker": "v"},
    "model": {"linestyle": "-", "marker": "o"},
    "data": {"linestyle": "-", "marker": "s"},
    "reference": {"linestyle": ":", "marker": "D"},
    "accent": {"linestyle": "-.", "marker": "P"},
}
"""Line style and marker of each meaning in :data:`COLORS`."""


def style(meaning, markers=False):
    """Keyword arguments for ``ax.plot`` drawing a series of one meaning.

    Parameters
    ----------
    meaning : str
        A key of :data:`COLORS`: ``"excitatory"``, ``"inhibitory"``, ``"model"``,
        ``"data"``, ``"reference"`` or ``"accent"``.
    markers : bool
        Also draw the meaning's marker (for sparse points, not dense traces).

    Returns
    -------
    dict
        ``color``, ``linestyle`` and, if ``markers``, ``marker``.
    """
    check_choice("meaning", meaning, sorted(COLORS))
    kwargs = {"color": COLORS[meaning], "linestyle": STYLES[meaning]["linestyle"]}
    if as_bool("markers", markers):
        kwargs["marker"] = STYLES[meaning]["marker"]
    return kwargs


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

    nrows = as_int("nrows", nrows, minimum=1)
    ncols = as_int("ncols", ncols, minimum=1)
    if nrows * ncols > MAX_PANELS:
        raise ValueError(
            f"nrows x ncols = {nrows * ncols} panels is more than a readable figure holds "
            f"({MAX_PANELS}); split it into several figures."
        )
    with course_style():
        figure, axes = plt.subplots(nrows, ncols, layout="constrained", **kwargs)
    return figure, axes


def label_axes(ax, xlabel, ylabel, title=None):
    """Label an axis pair; units belong in the labels, e.g. ``"time (ms)"``."""
    ax.set_xlabel(xlabel, fontsize=COURSE_STYLE["axes.labelsize"])
    ax.set_ylabel(ylabel, fontsize=COURSE_STYLE["axes.labelsize"])
    if title:
        # Set explicitly: the course style only applies while a figure is created.
        ax.set_title(title, fontsize=COURSE_STYLE["axes.titlesize"])
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


def figure_title(figure) -> str:
    """The figure's title: its suptitle, else the titles of its axes joined."""
    if figure.get_suptitle():
        return figure.get_suptitle()
    titles = [ax.get_title() for ax in figure.axes if ax.get_title()]
    return "; ".join(titles)


def smallest_font(figure) -> float:
    """Size in points of the smallest visible text drawn in ``figure``."""
    figure.canvas.draw()  # tick labels exist only once drawn
    sizes = [
        text.get_fontsize()
        for text in figure.findobj(lambda artist: hasattr(artist, "get_fontsize"))
        if text.get_visible() and getattr(text, "get_text", lambda: "")().strip()
    ]
    return min(sizes) if sizes else MIN_FONT_SIZE


def colour_only_legend_pairs(figure) -> list[tuple[str, str]]:
    """Legend entries told apart by colour alone.

    Lines with the same line style and marker and widths less than 1.5 times
    apart, or areas (bars, histograms) with the same hatch and outline,
    differ only in colour.

    A reader who cannot tell the two colours apart (colour blindness, a
    grey-scale print, a washed-out projector) cannot match such lines to
    their labels.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
        The figure to inspect.

    Returns
    -------
    list of (str, str)
        The labels of each pair of lines that differ only in colour.
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    pairs = []
    for ax in figure.axes:
        legend = ax.get_legend()
        if legend is None:
            continue
        entries = [
            (_non_colour_cue(handle, Line2D, Patch), text.get_text())
            for handle, text in zip(legend.legend_handles, legend.get_texts(), strict=False)
        ]
        entries = [(cue, label) for cue, label in entries if cue is not None]
        for index, (cue, label) in enumerate(entries):
            pairs += [(label, other) for other_cue, other in entries[index + 1:]
                      if _alike(cue, other_cue)]
    return pairs


def _alike(cue, other) -> bool:
    """Same cues but for colour; line widths count as a cue only if 1.5 times apart."""
    if cue[0] != other[0] or cue[:-1] != other[:-1]:
        return False
    if cue[0] == "area":
        return cue[-1] == other[-1]
    thin, thick = sorted((cue[-1], other[-1]))
    return thick < 1.5 * thin


def _non_colour_cue(handle, line_type, patch_type):
    """What tells a legend handle apart besides its colour (None: not a line or area)."""
    if isinstance(handle, line_type):
        marker, linestyle = handle.get_marker(), handle.get_linestyle()
        return (
            "line",
            None if linestyle in ("None", "", " ") else linestyle,
            None if marker in (None, "None", "", " ") else marker,
            float(handle.get_linewidth()),
        )
    if isinstance(handle, patch_type):
        return ("area", handle.get_hatch() or None, handle.get_fill(), handle.get_linestyle())
    return None


def describe(figure, description, dpi=200):
    """Show a figure with its text alternative, and close it.

    The figure is shown as an image whose ``alt`` text is ``description``,
    with ``description`` as a visible caption underneath, so a reader who
    cannot see the image (a screen reader, a text-only terminal, the tests)
    learns what it shows. It is rendered at ``dpi`` (sharp when zoomed) and
    displayed at its natural size.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
        The figure; it must have a title (an axes title or a suptitle), and
        no two legend entries may differ only in colour
        (:func:`colour_only_legend_pairs`).
    description : str
        One or two sentences: what the figure shows and what to see in it.
    dpi : float
        Resolution of the image, in dots per inch.

    Returns
    -------
    None
        The figure is displayed (or its caption printed outside a notebook).
    """
    import matplotlib.pyplot as plt

    if not isinstance(description, str) or len(description.split()) < 5:
        raise ValueError(
            "description must be a sentence of at least five words saying what the figure "
            f"shows and what to see in it, got {description!r}"
        )
    title = figure_title(figure)
    if not title:
        raise ValueError("the figure has no title: give an axes a title (label_axes) or a suptitle")
    alike = colour_only_legend_pairs(figure)
    if alike:
        listing = "; ".join(f"{a!r} and {b!r}" for a, b in alike)
        raise ValueError(
            f"legend entries differ only in colour ({listing}): give each its own line style "
            "or marker, e.g. **style(meaning) or linestyle='--', so that a reader who cannot "
            "tell the colours apart can still match lines to labels"
        )
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    width = int(round(figure.get_figwidth() * figure.dpi))
    smallest = smallest_font(figure)
    plt.close(figure)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    alt = html.escape(f"{title}. {description}", quote=True)
    page = (
        f'<figure class="course-figure" data-min-font-pt="{smallest:g}" style="margin:0;">'
        f'<img src="data:image/png;base64,{data}" alt="{alt}" '
        f'style="max-width:100%;width:{width}px;height:auto;"/>'
        f'<figcaption style="font-size:0.9em;">Figure: {html.escape(description)}'
        "</figcaption></figure>"
    )
    bundle = {"text/html": page, "text/plain": f"[Figure: {title}] {description}"}
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # pragma: no cover - IPython comes with Jupyter
        print(bundle["text/plain"])
        return None
    if get_ipython() is None:
        print(bundle["text/plain"])
    else:
        display(bundle, raw=True)
    return None

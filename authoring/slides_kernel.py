"""Runs inside the kernel that executes a lesson for the slides (slides.py injects it).

Never imported by the course: ``slides.py`` sends this file's text as the
first cell of the lesson, with the slide geometry filled in, so every figure
the lesson shows is drawn for the projector:

* at the size of the slide area it will fill (no rescaling on the slide, so
  the font sizes below are the sizes on the screen);
* with no text smaller than :data:`MIN_FONT_PT` (at :data:`DPI`, 18 pt is
  25 px, 3.5 % of a 720-pixel-high screen);
* with the smallest text size recorded in the PNG's display metadata, which
  the browser test reads back.

:func:`explorer_states` draws an explorer (``course_utils.widgets.Explorer``:
``controls``, ``figure``, ``update``) at two settings of one slider, side by
side on one slide, instead of a still image that says "move the slider".
"""

import base64 as b64module  # print_figure has an argument called base64
import io
import textwrap

import matplotlib
import matplotlib.pyplot as plt  # loads the inline backend before the formatter below
from IPython import get_ipython
from IPython.core import pylabtools
from IPython.display import display
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

DPI = 100
MIN_FONT_PT = 18.0
SLOT_PX = (1184, 560)  # replaced by slides.py: the figure area of a slide
PANEL_PX = (584, 500)  # replaced by slides.py: one of two explorer panels
STATES_MIME = "application/vnd.first-neuron.explorer-states+json"


def _readable_text(figure):
    """Raise every piece of text to MIN_FONT_PT; return the smallest size in pixels."""
    for ax in figure.axes:  # tick labels are made at draw time, from these settings
        for name, axis in (("x", ax.xaxis), ("y", ax.yaxis)):
            ticks = axis.get_major_ticks() + axis.get_minor_ticks()
            if any(tick.label1.get_fontsize() < MIN_FONT_PT for tick in ticks[:1]):
                ax.tick_params(axis=name, which="both", labelsize=MIN_FONT_PT)
    figure.draw_without_rendering()  # so every tick label that will be drawn exists
    sizes = []
    for text in figure.findobj(matplotlib.text.Text):
        if not text.get_visible() or not text.get_text().strip():
            continue
        if text.get_fontsize() < MIN_FONT_PT:
            text.set_fontsize(MIN_FONT_PT)
        sizes.append(text.get_fontsize())
    return (min(sizes) if sizes else MIN_FONT_PT) * DPI / 72


def _wrap_titles(figure, width_px):
    """Break titles and labels longer than their axes; stack wide legends (text keeps its size)."""
    if not hasattr(figure.canvas, "get_renderer"):  # a figure closed for pyplot (explorers)
        FigureCanvasAgg(figure)
    renderer = figure.canvas.get_renderer()
    titles = [ax.title for ax in figure.axes] + [getattr(figure, "_suptitle", None)]
    for text in titles:
        if text is None or not text.get_text().strip() or "\n" in text.get_text():
            continue
        room = (text.axes.bbox.width if text.axes is not None else width_px) * 0.95
        wide = text.get_window_extent(renderer).width
        if wide > room:
            per_line = max(12, int(len(text.get_text()) * room / wide))
            text.set_text(textwrap.fill(text.get_text(), per_line))
    # An axis label longer than its axes (a y label beside a short panel): two lines.
    for ax in figure.axes:
        for label, room in ((ax.xaxis.label, ax.bbox.width), (ax.yaxis.label, ax.bbox.height)):
            extent = label.get_window_extent(renderer)
            long = extent.height if label is ax.yaxis.label else extent.width
            if label.get_text() and "\n" not in label.get_text() and long > room:
                half = max(8, len(label.get_text()) // 2 + 1)
                label.set_text(textwrap.fill(label.get_text(), half))
    # A legend in several columns that the larger text made wider than its axes is
    # drawn again in one column, with the labels the original shows now (an
    # explorer's redraw may change them).
    for ax in figure.axes:
        legend = ax.get_legend()
        source = getattr(ax, "_slides_legend_source", legend)
        if legend is None or source is None:
            continue
        if source is legend and legend.get_window_extent(renderer).width <= ax.bbox.width:
            continue
        labels = [text.get_text() for text in source.get_texts()]
        ax.legend(source.legend_handles, labels, loc=getattr(source, "_loc", "best"), ncols=1,
                  fontsize=MIN_FONT_PT)
        ax._slides_legend_source = source


def slide_png(figure, size_px=None):
    """PNG bytes of ``figure`` drawn at ``size_px`` (width, height) pixels, and its metadata."""
    width, height = size_px or SLOT_PX
    figure.set_size_inches(width / DPI, height / DPI)
    smallest = _readable_text(figure)
    _wrap_titles(figure, width)
    if figure.get_layout_engine() is None:
        # Explorers use a fixed layout tuned for the notebook's figure size;
        # at slide size and with larger text, lay them out again.
        figure.set_layout_engine("constrained")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, facecolor="white")
    metadata = {"width": width, "height": height, "min_font_px": round(smallest, 1)}
    description = getattr(figure, "_first_neuron_description", None)
    if description:
        metadata["alt"] = str(description)
    return buffer.getvalue(), metadata


def _print_figure(figure, fmt="png", bbox_inches="tight", base64=False, **kwargs):  # noqa: ARG001
    """IPython's ``print_figure`` for PNGs, drawing at slide size (see below)."""
    if fmt != "png":
        return _ipython_print_figure(figure, fmt, bbox_inches=bbox_inches, base64=base64, **kwargs)
    png, metadata = slide_png(figure)
    return (b64module.b64encode(png).decode("ascii") if base64 else png), metadata


# %matplotlib inline registers the inline backend's own PNG formatter; ours replaces it.
# The backend registers it again whenever it is activated again (a library that
# switches backends), from IPython's print_figure: that is replaced as well.
_ipython_print_figure = pylabtools.print_figure
pylabtools.print_figure = _print_figure
get_ipython().run_line_magic("matplotlib", "inline")
get_ipython().display_formatter.formatters["image/png"].for_type(Figure, slide_png)
plt.rcParams["figure.dpi"] = DPI


def _control_values(control, count=2):
    """Representative values of one control: one low, one high (a fifth in from each end)."""
    options = getattr(control, "options", None)
    if options is not None and not hasattr(control, "max"):
        values = [option[1] if isinstance(option, tuple) else option for option in options]
        return values[:count]
    low, high, step = control.min, control.max, control.step or 1
    picks = [low + 0.2 * (high - low), low + 0.8 * (high - low)]
    snapped = sorted({min(high, max(low, low + round((v - low) / step) * step)) for v in picks})
    return [int(v) if isinstance(control.value, int) else round(v, 6) for v in snapped]


def _label(control, value):
    name = getattr(control, "description", "") or "value"
    shown = f"{value:g}" if isinstance(value, (int, float)) else str(value)
    return f"{name}: {shown}"


def describe_for_slides(figure, description, dpi=None):  # noqa: ARG001 - same signature
    """``course_utils.plotting.describe`` for the slides: the figure at slide size.

    The course's ``describe`` renders its own PNG for the notebook; here the
    figure goes through :func:`slide_png`, with the text alternative as its
    ``alt`` (the slide's alt text and speaker note).
    """
    from course_utils import plotting

    title = plotting.figure_title(figure)
    png, metadata = slide_png(figure)
    metadata["alt"] = f"{title}. {description}" if title else description
    plt.close(figure)
    bundle = {"image/png": png, "text/plain": f"[Figure: {title}] {description}"}
    display(bundle, metadata={"image/png": metadata}, raw=True)


try:  # the lessons import describe after this cell has run, so they get this one
    import course_utils.plotting as _plotting

    if hasattr(_plotting, "describe"):
        _plotting.describe = describe_for_slides
except ImportError:
    pass


_OUTPUTS_BEFORE = [0]


def mark_outputs():
    """Remember the newest ``Out`` entry (slides.py runs this just before an explorer cell)."""
    _OUTPUTS_BEFORE.append(max(get_ipython().history_manager.output_hist, default=0))


def explorer_states(explorer=None, states=None):
    """Display the explorer's figure at two (or the chosen) settings of one control.

    Parameters
    ----------
    explorer : course_utils.widgets.Explorer, optional
        Anything with ``controls`` (dict of ipywidgets), ``figure`` and
        ``update(**values)``; anything else is ignored. Default: the value
        of the cell run just before (``Out[n - 1]``; ``_`` is not reliable,
        a lesson may assign to it).
    states : dict, optional
        ``{control name: [values]}`` from the explorer cell's ``states``
        metadata; default: the first slider at low, start and high values.
    """
    if explorer is None:
        results = get_ipython().history_manager.output_hist
        newer = [key for key in results if key > _OUTPUTS_BEFORE[-1]]
        explorer = results[max(newer)] if newer else None
    controls = getattr(explorer, "controls", None)
    figure = getattr(explorer, "figure", None)
    if not isinstance(controls, dict) or figure is None or not hasattr(explorer, "update"):
        return
    if states:
        name, values = next(iter(states.items()))
    else:
        name = next((n for n, c in controls.items() if hasattr(c, "max")), next(iter(controls)))
        values = _control_values(controls[name])
    start = {n: c.value for n, c in controls.items()}
    panels = []
    for value in values:
        explorer.update(**(start | {name: value}))
        png, metadata = slide_png(figure, PANEL_PX)
        panels.append(
            {
                "label": _label(controls[name], value),
                "png": b64module.b64encode(png).decode("ascii"),
                **metadata,
            }
        )
    explorer.update(**start)
    display({STATES_MIME: {"control": name, "panels": panels}}, raw=True)

"""The generic explorer: sliders described as data, a figure, a status line.

Works the same in JupyterLab, Colab and Voila: the figure is a plain
matplotlib figure re-rendered into an ``ipywidgets.Output`` when a slider
moves (no plotly ``FigureWidget``, which Colab does not support reliably).
Redraws only update the data of existing artists where possible, so a
redraw stays well under 0.1 s; ``benchmarks/benchmark.py`` measures it.

An explorer is built from a list of :class:`Slider` specifications (name,
label, unit, range, step, start value: plain data), a figure made once and
an ``update`` function that changes the figure's artists and returns one
line of text with the numbers the figure shows. :func:`make_explorer` wires
them together: the sliders above the figure, the status line under it
(``role="status"``, ``aria-live="polite"``, so screen readers announce it),
the figure's alt text, and a text version shown wherever no kernel runs the
widget (nbval, a terminal, the static site). The lesson explorers live in
the sibling modules, one per lesson topic.
"""

from __future__ import annotations

import base64
import html
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from .._validation import as_bool, as_float


@dataclass
class Explorer:
    """An interactive figure: sliders, a matplotlib figure and a draw function.

    Attributes
    ----------
    controls : dict
        ipywidgets controls by parameter name.
    figure : matplotlib.figure.Figure
        The figure that is redrawn.
    update : callable
        ``update(**values)`` redraws the figure for the given parameter values.
    widget : ipywidgets.Widget
        The box to display (controls above the figure, status line below).
    output : ipywidgets.Output
        Where the figure's image is shown inside a kernel.
    timings : list of float
        Seconds taken by each redraw, for the benchmark.
    description : str
        What the figure shows, in one sentence (the image's alt text).
    status : ipywidgets.HTML
        The status line: ``summary`` in a ``role="status"`` live region.
    summary : str
        The numbers the figure shows, in words (what ``update`` returned).

    Without a kernel (nbval, a terminal, the static site) the explorer shows
    :meth:`text` instead of the widget.
    """

    controls: dict
    figure: object
    update: Callable
    widget: object = None
    output: object = None
    timings: list = field(default_factory=list)
    description: str = ""
    status: object = None
    summary: str = ""

    def values(self) -> dict:
        """Current value of every control."""
        return {name: control.value for name, control in self.controls.items()}

    def redraw(self, **changes) -> float:
        """Redraw with the current values (updated by ``changes``).

        Returns the seconds taken to update the artists and render the PNG
        that the notebook shows, which is what a student waits for.
        """
        import io

        values = self.values() | changes
        start = time.perf_counter()
        summary = self.update(**values)
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png")
        elapsed = time.perf_counter() - start
        self.timings.append(elapsed)
        self.summary = summary if isinstance(summary, str) else ""
        if self.status is not None:
            # A live region: screen readers announce the numbers the image shows.
            self.status.value = (
                f'<div role="status" aria-live="polite">{html.escape(self.summary)}</div>'
            )
        if self.output is not None and _in_notebook():
            from IPython.display import display

            data = base64.b64encode(buffer.getvalue()).decode("ascii")
            alt = html.escape(f"{self.description} {self.summary}".strip(), quote=True)
            bundle = {
                # Front ends prefer the HTML (it carries the alt text); the PNG
                # is the same image for tools that read widget state.
                "text/html": f'<img src="data:image/png;base64,{data}" alt="{alt}"/>',
                "image/png": data,
                "text/plain": f"[Figure] {self.description} {self.summary}".strip(),
            }
            with self.output:
                self.output.clear_output(wait=True)
                display(bundle, raw=True)
        return elapsed

    def text(self) -> str:
        """What the explorer shows, in words: its controls, their values and the summary."""
        settings = ", ".join(
            f"{getattr(control, 'description', name)} = {control.value}"
            for name, control in self.controls.items()
        )
        return f"[Interactive explorer] {self.description} Controls: {settings}. {self.summary}"

    def _ipython_display_(self):
        from IPython.display import display

        # The widget for a live kernel; words instead of "VBox(children=...)" for
        # anything that cannot run it (a terminal, nbval, a page without a kernel).
        bundle = {"text/plain": self.text()}
        if self.widget is not None and getattr(self.widget, "model_id", None):
            bundle["application/vnd.jupyter.widget-view+json"] = {
                "version_major": 2, "version_minor": 0, "model_id": self.widget.model_id,
            }
        display(bundle, raw=True)


def _in_notebook() -> bool:
    """True inside a Jupyter kernel (where an Output widget can show the figure)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and hasattr(shell, "kernel")


@dataclass(frozen=True)
class Slider:
    """One slider, as data: what it sets, its label and unit, its range.

    The arguments follow :func:`slider` (which makes the control), with the
    keyword name ``update`` receives the value as first.

    Attributes
    ----------
    name : str
        Keyword argument of the explorer's ``update`` that receives the value.
    value, low, high, step : float
        Start value, range and step, in ``unit``.
    label : str
        What the slider sets, spelled out (e.g. ``"threshold V_th"``).
    unit : str, optional
        Shown in brackets after the label (e.g. ``"mV"``); empty for a count.
    integer : bool, optional
        An integer slider (e.g. a number of synapses).
    """

    name: str
    value: float
    low: float
    high: float
    step: float
    label: str
    unit: str = ""
    integer: bool = False

    def control(self):
        """The ipywidgets slider for this specification (see :func:`slider`)."""
        return slider(self.value, self.low, self.high, self.step, self.label, self.unit,
                      self.integer)


def slider_controls(sliders) -> dict:
    """The controls of a sequence of :class:`Slider` specifications, by name.

    Parameters
    ----------
    sliders : sequence of Slider
        The specifications, in the order they are shown.

    Returns
    -------
    dict
        ipywidgets sliders by ``Slider.name``.
    """
    if not all(isinstance(spec, Slider) for spec in sliders):
        raise TypeError("sliders must be a sequence of Slider specifications.")
    return {spec.name: spec.control() for spec in sliders}


def fixed_layout(figure, **margins) -> None:
    """Give ``figure`` fixed margins (``figure.subplots_adjust`` keywords, fractions).

    Re-running matplotlib's constrained layout costs up to a third of a
    redraw; an explorer's figure keeps its size, so fixed margins suffice.
    """
    figure.set_layout_engine(None)
    figure.subplots_adjust(**margins)


def spike_strokes(time, voltage, spikes, top=20.0) -> list:
    """Vertical strokes that draw spikes in, from the trace up to ``top`` mV.

    A drawing convention: an integrate-and-fire neuron's voltage is reset at
    a spike and never shows one. Each stroke starts at the sample before the
    spike time.

    Parameters
    ----------
    time, voltage : numpy.ndarray
        The trace's time points (ms) and membrane potential (mV).
    spikes : numpy.ndarray
        Spike times in ms.
    top : float, optional
        Where each stroke ends, in mV.

    Returns
    -------
    list
        Segments ``[(t, V), (t, top)]`` for a ``LineCollection``.
    """
    import numpy as np

    index = np.clip(np.searchsorted(time, spikes) - 1, 0, time.size - 1)
    return [[(t, voltage[i]), (t, top)] for t, i in zip(spikes, index, strict=True)]


def redraw_backend(model) -> str:
    """The solver backend for an explorer's redraw: never one that waits for a compiler.

    "numba" once ``model``'s serial kernel is compiled in this process or
    cached by :func:`~course_utils.neurons.compile_in_background` (which the
    explorers that simulate long runs start), else "numpy" (the same numbers,
    a little slower).

    Parameters
    ----------
    model : {"lif", "adex", "izhikevich"}
        The model the explorer simulates.
    """
    from ..neurons.kernels import numba_available
    from ..neurons.solver import kernel_available

    return "numba" if numba_available() and kernel_available(model, False) else "numpy"


def make_explorer(figure, controls, update: Callable, description: str = "") -> Explorer:
    """Wire controls to a figure.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
        A figure made once (e.g. with :func:`course_utils.plotting.new_figure`);
        it is closed for pyplot so that it is shown only inside the widget.
    controls : sequence of Slider, or dict
        The slider specifications, or ipywidgets value widgets (sliders,
        dropdowns) by the name ``update`` takes them as keyword arguments.
    update : callable
        ``update(**values)`` changes the figure's artists (``set_data``,
        ``set_ydata``, axis limits). It must not create a new figure. It may
        return one line of text with the numbers the figure shows (spike
        count, rate, ...): it is shown under the figure, announced to screen
        readers, and added to the image's alt text.
    description : str, optional
        What the figure shows, in one sentence (the image's alt text).

    Returns
    -------
    Explorer
        Display it in a notebook cell as the cell's last expression.
    """
    import ipywidgets
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    from ..plotting import figure_title

    if not isinstance(figure, Figure):
        raise TypeError(
            "figure must be a matplotlib Figure, for example from "
            f"course_utils.plotting.new_figure(), but got {type(figure).__name__}."
        )
    if isinstance(controls, (list, tuple)) and controls and all(
        isinstance(spec, Slider) for spec in controls
    ):
        controls = slider_controls(controls)
    if not isinstance(controls, dict) or not all(
        isinstance(control, ipywidgets.ValueWidget) for control in controls.values()
    ):
        raise TypeError(
            "controls must be a list of Slider specifications or a dict of ipywidgets "
            "controls (e.g. from slider()) by the name update takes them, but got "
            f"{type(controls).__name__}."
        )
    if not callable(update):
        raise TypeError(f"update must be a function, but got {type(update).__name__}.")
    if not isinstance(description, str):
        raise TypeError(f"description must be a str, but got {type(description).__name__}.")
    plt.close(figure)
    output = ipywidgets.Output()
    explorer = Explorer(
        controls=controls, figure=figure, update=update, output=output,
        description=description or f"Figure: {figure_title(figure) or 'explorer'}.",
        status=ipywidgets.HTML(),
    )
    for control in controls.values():
        control.observe(lambda _change: explorer.redraw(), names="value")
    explorer.widget = ipywidgets.VBox([
        ipywidgets.HBox(list(controls.values()), layout={"flex_flow": "row wrap"}),
        output,
        explorer.status,
    ])
    explorer.redraw()
    return explorer


def add_button(explorer, description, action, note="") -> Callable:
    """Put a button with a text label between an explorer's controls and its figure.

    For work too slow for a slider (e.g. a Brian2 run): it runs only when
    clicked.

    Parameters
    ----------
    explorer : Explorer
        From :func:`make_explorer`.
    description : str
        The button's text.
    action : callable
        ``action(label)`` does the work and reports in ``label.value`` (an
        ``ipywidgets.Label``) what happened.
    note : str, optional
        The label's text before the first click.

    Returns
    -------
    callable
        Does what a click does, without arguments (for scripts and the benchmark).
    """
    import ipywidgets

    button = ipywidgets.Button(description=description, layout={"width": "220px"})
    label = ipywidgets.Label(note)

    def click(_button=None):
        action(label)

    button.on_click(click)
    controls_box, output, status = explorer.widget.children
    explorer.widget = ipywidgets.VBox(
        [controls_box, ipywidgets.HBox([button, label]), output, status]
    )
    return click


def slider(value, low, high, step, description, unit="", integer=False):
    """A labelled slider whose description carries the unit.

    Parameters
    ----------
    value, low, high, step : float
        Start value, range and step (in ``unit``).
    description : str
        Parameter name shown beside the slider.
    unit : str, optional
        Unit shown in the label, e.g. ``"ms"``.
    integer : bool, optional
        Use an integer slider.
    """
    import ipywidgets

    for name, text in (("description", description), ("unit", unit)):
        if not isinstance(text, str):
            raise TypeError(f"{name} must be a str, but got {text!r}.")
    integer = as_bool("integer", integer)

    def number(name, value):
        value = as_float(name, value, unit=unit)
        if integer and not value.is_integer():
            raise ValueError(f"{name} must be a whole number with integer=True, but got {value:g}.")
        return int(value) if integer else value

    low, high = number("low", low), number("high", high)
    if high < low:
        raise ValueError(f"high ({high:g}) must not be below low ({low:g}).")
    step = number("step", step)
    if not step > 0 or (high > low and step > high - low):
        raise ValueError(
            f"step must be greater than zero and at most high - low = {high - low:g}, "
            f"but got {step:g}."
        )
    value = number("value", value)
    if not low <= value <= high:
        raise ValueError(f"value ({value:g}) must lie between low ({low:g}) and high ({high:g}).")
    label = f"{description} ({unit})" if unit else description
    cls = ipywidgets.IntSlider if integer else ipywidgets.FloatSlider
    # Redraw on release only: a redraw per pixel of drag would queue up.
    options = dict(continuous_update=False, style={"description_width": "initial"},
                   layout={"width": "360px"})
    if "tooltip" in cls.class_trait_names():
        # ipywidgets 8: the tooltip becomes the control's title, a name that
        # assistive technology reads (the label itself is not tied to the handle).
        options["tooltip"] = label
    return cls(value=value, min=low, max=high, step=step, description=label, **options)


# Most time steps an explorer simulates per redraw: more would make a slider lag.
EXPLORER_MAX_STEPS = 200_000


def explorer_grid(duration, dt, shortest=0.0, why=""):
    """Validate an explorer's ``duration`` and ``dt`` before drawing anything.

    Parameters
    ----------
    duration, dt : float
        Length of the trace and time step, in ms. ``dt`` may be at most a
        tenth of ``duration``, and ``duration / dt`` at most
        :data:`EXPLORER_MAX_STEPS`, so that a redraw stays fast.
    shortest : float, optional
        The least duration the explorer's stimulus needs, in ms.
    why : str, optional
        What ``shortest`` is, for the error message (e.g. ``" (the step
        starts at 20 ms)"``).

    Returns
    -------
    duration, dt : float
        In ms.
    """
    from ..parameters import validate

    duration = validate("duration", duration)
    dt = validate("dt", dt)
    if duration <= shortest:
        raise ValueError(
            f"duration must be longer than {shortest:g} ms{why}, but got {duration:g} ms."
        )
    if dt > duration / 10:
        raise ValueError(
            f"dt ({dt:g} ms) must be at most a tenth of duration ({duration:g} ms) "
            "for a trace worth exploring."
        )
    if duration / dt > EXPLORER_MAX_STEPS:
        raise ValueError(
            f"duration / dt = {duration / dt:.3g} steps is more than an explorer redraws "
            f"quickly ({EXPLORER_MAX_STEPS:,}): use a shorter duration or a larger dt."
        )
    return duration, dt


def reset_below(reset, lowest_threshold):
    """Validate an explorer's reset: below every threshold its slider offers.

    Parameters
    ----------
    reset : float
        Reset potential in mV.
    lowest_threshold : float
        The lowest threshold the explorer's slider offers, in mV.

    Returns
    -------
    float
        ``reset`` in mV.
    """
    from ..parameters import validate

    reset = validate("reset", reset)
    if reset >= lowest_threshold:
        raise ValueError(
            f"reset ({reset:g} mV) must be below the lowest threshold on the slider "
            f"({lowest_threshold:g} mV)."
        )
    return reset

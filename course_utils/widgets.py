"""Interactive explorers for the lessons (ipywidgets + matplotlib).

Works the same in JupyterLab, Colab and Voila: the figure is a plain
matplotlib figure re-rendered into an ``ipywidgets.Output`` when a slider
moves (no plotly ``FigureWidget``, which Colab does not support reliably).
Redraws only update the data of existing artists where possible, so a
redraw stays well under 0.1 s; ``benchmarks/benchmark.py`` measures it.

Each explorer is a function ``xxx_explorer(...) -> Explorer``; lesson
specific explorers are added at the end of this module.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field


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
        The box to display (controls above the figure).
    timings : list of float
        Seconds taken by each redraw, for the benchmark.
    """

    controls: dict
    figure: object
    update: Callable
    widget: object = None
    output: object = None
    timings: list = field(default_factory=list)

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
        self.update(**values)
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png")
        elapsed = time.perf_counter() - start
        self.timings.append(elapsed)
        if self.output is not None:
            from IPython.display import Image, display

            with self.output:
                self.output.clear_output(wait=True)
                display(Image(data=buffer.getvalue()))
        return elapsed

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)


def make_explorer(figure, controls: dict, update: Callable) -> Explorer:
    """Wire controls to a figure.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
        A figure made once (e.g. with :func:`course_utils.plotting.new_figure`);
        it is closed for pyplot so that it is shown only inside the widget.
    controls : dict
        ipywidgets value widgets (sliders, dropdowns) by the name ``update``
        takes them as keyword arguments.
    update : callable
        ``update(**values)`` changes the figure's artists (``set_data``,
        ``set_ydata``, axis limits). It must not create a new figure.

    Returns
    -------
    Explorer
        Display it in a notebook cell as the cell's last expression.
    """
    import ipywidgets
    import matplotlib.pyplot as plt

    plt.close(figure)
    output = ipywidgets.Output()
    explorer = Explorer(controls=controls, figure=figure, update=update, output=output)
    for control in controls.values():
        control.observe(lambda _change: explorer.redraw(), names="value")
    explorer.widget = ipywidgets.VBox(
        [ipywidgets.HBox(list(controls.values()), layout={"flex_flow": "row wrap"}), output]
    )
    explorer.redraw()
    return explorer


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

    label = f"{description} ({unit})" if unit else description
    cls = ipywidgets.IntSlider if integer else ipywidgets.FloatSlider
    return cls(
        value=value,
        min=low,
        max=high,
        step=step,
        description=label,
        continuous_update=False,
        style={"description_width": "initial"},
        layout={"width": "320px"},
    )

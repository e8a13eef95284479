"""Interactive plotly figures that work in JupyterLab, Colab, slides, the site and nbval.

Use plotly where interaction helps a learner (zoom into a spike of a 2 s sweep,
read a value off an f-I curve by hovering); matplotlib stays for static figures.
Notebooks never configure plotly themselves: they build a figure with
:func:`trace_figure` or plain ``plotly.graph_objects`` and call :func:`show`.

What :func:`show` outputs, and why:

* in Colab, plotly's own ``colab`` renderer (Colab ships plotly 5.24.1 and does
  not render plotly's MIME type; never upgrade plotly there: plotly 7 makes
  Colab's output area grow without end);
* everywhere else one MIME bundle with
  ``application/vnd.plotly.v1+json`` (JupyterLab 4 renders it, interactive,
  with the plotly.js shipped in the Python package),
  ``text/html`` (a ``<div>`` and a script calling ``Plotly.newPlot``; plotly.js
  itself is NOT in it: the slide and site builders add the package's own
  ``plotly.min.js`` once per page, so nothing is fetched from a CDN and pages do
  not carry 4 MB per figure) and ``text/plain`` (the description, for nbval,
  terminals and screen readers).

The HTML's element id is derived from the figure's content, so the output is
the same on every run (nbval and the determinism test compare text outputs).
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import sys

import numpy as np

from ._validation import as_array, check_same_length

PLOTLY_MIME = "application/vnd.plotly.v1+json"


def in_colab() -> bool:
    """True when running inside Google Colab."""
    return "google.colab" in sys.modules or os.environ.get("FIRST_NEURON_SETUP") == "colab"


def trace_figure(time, traces, title, xlabel="time (ms)", ylabel="membrane potential (mV)"):
    """A plotly figure of one or more traces against time, ready to zoom and hover.

    Parameters
    ----------
    time : array_like
        Sample times, in ms (1-D).
    traces : dict of str to array_like
        Label -> values (same length as ``time``), e.g. ``{"recording": v}``;
        values in the unit named by ``ylabel``.
    title : str
        Figure title.
    xlabel, ylabel : str
        Axis labels with units.

    Returns
    -------
    plotly.graph_objects.Figure
    """
    import plotly.graph_objects as go

    from .plotting import COLORS

    time = as_array("time", time, unit="ms", ndim=1)
    for argument, text in (("title", title), ("xlabel", xlabel), ("ylabel", ylabel)):
        if not isinstance(text, str):
            raise TypeError(f"{argument} must be a string, e.g. 'time (ms)', but got {text!r}")
    if not isinstance(traces, dict) or not traces:
        raise TypeError("traces must be a non-empty dict of label -> values, e.g. {'V': v}")
    x_unit, y_unit = _unit_of(xlabel), _unit_of(ylabel)
    # Series in this order of meanings, each with its own colour AND dash, so
    # that colour is never the only cue.
    meanings = ["data", "model", "reference", "excitatory", "inhibitory", "accent"]
    dashes = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"]
    figure = go.Figure()
    for index, (label, values) in enumerate(traces.items()):
        values = as_array(f"traces[{label!r}]", values, ndim=1)
        check_same_length(time=time, **{f"traces[{label!r}]": values})
        meaning = meanings[index % len(meanings)]
        figure.add_trace(go.Scatter(
            x=time, y=values, mode="lines", name=str(label),
            line={"color": COLORS[meaning], "dash": dashes[index % len(dashes)]},
            hovertemplate=(
                f"{html.escape(str(label))}<br>%{{x:.2f}} {x_unit}, %{{y:.2f}} {y_unit}"
                "<extra></extra>"
            ),
        ))
    figure.update_layout(
        title=title, xaxis_title=xlabel, yaxis_title=ylabel, template="simple_white",
        font={"size": 14}, height=380, margin={"l": 70, "r": 20, "t": 50, "b": 55},
        hovermode="x",  # read every trace at the time under the mouse
    )
    return figure


def _unit_of(label: str) -> str:
    """The unit in a label's final parentheses: "time (ms)" -> "ms"."""
    if label.endswith(")") and "(" in label:
        return html.escape(label[label.rindex("(") + 1 : -1])
    return ""


def _html(figure, element_id: str) -> str:
    """A div and a script drawing ``figure`` with an already loaded plotly.js."""
    spec = figure.to_plotly_json()
    data = json.dumps(spec.get("data", []), cls=_Encoder, sort_keys=True)
    layout = json.dumps(spec.get("layout", {}), cls=_Encoder, sort_keys=True)
    return (
        f'<div id="{element_id}" class="plotly-graph-div course-plotly" '
        f'style="height:{figure.layout.height or 420}px;width:100%;"></div>\n'
        "<script>(function () {\n"
        f'  var draw = function () {{ Plotly.newPlot("{element_id}", {data}, {layout}, '
        '{"responsive": true, "displaylogo": false}); };\n'
        '  if (window.Plotly) { draw(); } else { window.addEventListener("load", draw); }\n'
        "})();</script>"
    )


class _Encoder(json.JSONEncoder):
    """JSON for numpy arrays and scalars inside a plotly figure."""

    def default(self, value):
        if isinstance(value, np.ndarray):
            return value.tolist()
        if isinstance(value, np.generic):
            return value.item()
        return super().default(value)


def show(figure, description):
    """Show an interactive plotly figure with its text alternative.

    Parameters
    ----------
    figure : plotly.graph_objects.Figure
        The figure; it must have a title.
    description : str
        One or two sentences: what it shows and what to look for (shown as a
        caption and as the text output).

    Returns
    -------
    None
    """
    title = getattr(getattr(figure.layout, "title", None), "text", None)
    if not title:
        raise ValueError("the figure has no title: figure.update_layout(title='...')")
    if not isinstance(description, str) or len(description.split()) < 5:
        raise ValueError(
            "description must be a sentence of at least five words saying what the figure "
            f"shows, got {description!r}"
        )
    from IPython.display import display

    text = f"[Interactive figure: {title}] {description} (drag to zoom, hover to read values)"
    if in_colab():
        figure.show(renderer="colab")
        print(text)
        return None
    spec = json.loads(json.dumps(figure.to_plotly_json(), cls=_Encoder, sort_keys=True))
    digest = hashlib.sha1(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:12]
    page = _html(figure, f"course-plotly-{digest}")
    page += f'\n<p class="course-caption">Figure: {html.escape(description)}</p>'
    display({PLOTLY_MIME: spec, "text/html": page, "text/plain": text}, raw=True)
    return None


def plotly_js_path():
    """Path of the plotly.js bundled with the installed plotly package (for offline pages)."""
    from importlib import resources

    return resources.files("plotly") / "package_data" / "plotly.min.js"

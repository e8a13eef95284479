"""Interactive plotly figures: deterministic, offline output in every front end."""

import base64
import json

import numpy as np
import pytest

from course_utils import interactive


@pytest.fixture
def captured(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj, raw=False: shown.append(obj))
    return shown


def values(encoded):
    """Numbers of a plotly array, plain or base64-encoded (plotly >= 6)."""
    if isinstance(encoded, dict):
        return np.frombuffer(base64.b64decode(encoded["bdata"]), dtype=encoded["dtype"])
    return np.asarray(encoded)


def sweep():
    time = np.arange(0.0, 2000.0, 0.05)
    voltage = -70.0 + 90.0 * (np.sin(time / 7.0) > 0.999)
    return time, voltage


def test_show_outputs_plotly_json_html_and_text(captured, monkeypatch):
    monkeypatch.delenv("FIRST_NEURON_SETUP", raising=False)
    time, voltage = sweep()
    figure = interactive.trace_figure(time, {"recording": voltage}, "A 2 s sweep")
    interactive.show(figure, "Each spike is a thin line; drag over one to zoom into it.")
    bundle = captured[0]
    assert set(bundle) == {interactive.PLOTLY_MIME, "text/html", "text/plain"}
    np.testing.assert_allclose(
        values(bundle[interactive.PLOTLY_MIME]["data"][0]["x"])[:2], [0.0, 0.05]
    )
    assert "A 2 s sweep" in bundle["text/plain"]
    page = bundle["text/html"]
    # Offline: no script source, no CDN; plotly.js comes from the page builder.
    assert "<script src" not in page and "://" not in page


def test_show_is_the_same_every_run(captured):
    time, voltage = sweep()
    for _ in range(2):
        figure = interactive.trace_figure(time, {"recording": voltage}, "A 2 s sweep")
        interactive.show(figure, "Each spike is a thin line; drag over one to zoom into it.")
    assert captured[0]["text/html"] == captured[1]["text/html"]
    other = interactive.trace_figure(time, {"recording": voltage + 1.0}, "A 2 s sweep")
    interactive.show(other, "Each spike is a thin line; drag over one to zoom into it.")
    assert captured[2]["text/html"] != captured[0]["text/html"]  # ids follow the content


def test_colab_uses_plotlys_colab_renderer(monkeypatch, capsys):
    monkeypatch.setenv("FIRST_NEURON_SETUP", "colab")
    time, voltage = sweep()
    figure = interactive.trace_figure(time, {"V": voltage}, "title")
    renderers = []
    monkeypatch.setattr(
        type(figure), "show", lambda self, renderer=None: renderers.append(renderer)
    )
    interactive.show(figure, "A sweep with spikes to zoom into.")
    assert renderers == ["colab"]
    assert "title" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("traces", "error"),
    [({}, TypeError), ({"V": np.zeros(3)}, ValueError), ({"V": [np.nan] * 40000}, ValueError)],
)
def test_trace_figure_refuses_bad_traces(traces, error):
    time, _ = sweep()
    with pytest.raises(error):
        interactive.trace_figure(time, traces, "title")


def test_show_needs_a_title_and_a_description(captured):
    time, voltage = sweep()
    untitled = interactive.trace_figure(time, {"V": voltage}, "")
    with pytest.raises(ValueError, match="title"):
        interactive.show(untitled, "A sweep with spikes to zoom into.")
    figure = interactive.trace_figure(time, {"V": voltage}, "t")
    with pytest.raises(ValueError, match="description"):
        interactive.show(figure, "zoom")


def test_plotly_js_ships_with_the_package():
    path = interactive.plotly_js_path()
    assert path.is_file() and path.stat().st_size > 1_000_000


def test_html_data_is_valid_json_numbers(captured):
    time, voltage = sweep()
    figure = interactive.trace_figure(time[:5], {"V": voltage[:5]}, "t")
    interactive.show(figure, "Five samples of a resting membrane.")
    page = captured[0]["text/html"]
    start = page.index('newPlot("') + len('newPlot("')
    payload = page[page.index(", ", start) + 2 : page.index(', {"responsive"')]
    data, _ = json.JSONDecoder().raw_decode(payload)
    np.testing.assert_allclose(values(data[0]["y"]), [-70.0] * 5)

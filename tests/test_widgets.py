"""The generic explorer (course_utils.widgets.explorer) and what the lesson explorers show."""

import dataclasses

import numpy as np
import pytest

pytest.importorskip("ipywidgets")
matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

from course_utils import widgets  # noqa: E402
from course_utils.plotting import label_axes, new_figure  # noqa: E402
from course_utils.widgets.explorer import add_button, spike_strokes  # noqa: E402


def one_line_figure():
    figure, ax = new_figure()
    (line,) = ax.plot([0.0, 1.0], [0.0, 0.0])
    label_axes(ax, "time (ms)", "V (mV)", "a test figure")
    return figure, line


def test_slider_specifications_are_data_that_make_labelled_controls():
    spec = widgets.Slider("threshold", -50.0, -60.0, -40.0, 1.0, "threshold V_th", "mV")
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.value = -45.0
    control = spec.control()
    assert control.description == "threshold V_th (mV)"
    assert (control.value, control.min, control.max, control.step) == (-50.0, -60.0, -40.0, 1.0)
    count = widgets.Slider("n", 3, 1, 10, 1, "number of synapses N", integer=True).control()
    assert count.description == "number of synapses N" and isinstance(count.value, int)


def test_an_explorer_built_from_slider_specifications_redraws_and_reports():
    figure, line = one_line_figure()

    def update(amplitude, offset):
        line.set_ydata([offset, offset + amplitude])
        return f"rises by {amplitude:g} mV from {offset:g} mV"

    explorer = widgets.make_explorer(
        figure,
        [widgets.Slider("amplitude", 2.0, 0.0, 5.0, 0.5, "step amplitude", "mV"),
         widgets.Slider("offset", -70.0, -80.0, -60.0, 1.0, "offset", "mV")],
        update,
        description="A rising line.",
    )
    assert list(explorer.controls) == ["amplitude", "offset"]
    assert explorer.summary == "rises by 2 mV from -70 mV"
    explorer.controls["amplitude"].value = 4.0  # a slider move redraws
    assert list(line.get_ydata()) == [-70.0, -66.0]
    assert 'role="status"' in explorer.status.value and "rises by 4 mV" in explorer.status.value
    assert "step amplitude (mV) = 4.0" in explorer.text()


@pytest.mark.parametrize("controls", [[], [1.0, 2.0], ("amplitude",), None])
def test_controls_that_are_neither_specifications_nor_widgets_are_refused(controls):
    figure, _ = one_line_figure()
    with pytest.raises(TypeError, match="controls must be"):
        widgets.make_explorer(figure, controls, lambda **values: "")


def test_a_button_sits_between_the_controls_and_the_figure_and_runs_its_action():
    figure, line = one_line_figure()
    explorer = widgets.make_explorer(
        figure, [widgets.Slider("offset", 0.0, -1.0, 1.0, 0.5, "offset", "mV")],
        lambda offset: line.set_ydata([offset, offset]),
    )
    clicks = []
    click = add_button(explorer, "Run slowly", lambda label: clicks.append(label), "not yet")
    controls, row, output, status = explorer.widget.children
    button, label = row.children
    assert (button.description, label.value) == ("Run slowly", "not yet")
    assert output is explorer.output and status is explorer.status
    click()
    button.click()
    assert clicks == [label, label]


def test_spike_strokes_start_at_the_sample_before_each_spike_and_reach_the_top():
    time = np.arange(0.0, 10.0, 1.0)
    voltage = -70.0 + time  # -70, -69, ...
    strokes = spike_strokes(time, voltage, np.array([0.0, 3.5, 9.0]), top=20.0)
    # 0.0 has no sample before it: the first sample; 3.5 follows the sample at 3 ms.
    assert strokes == [[(0.0, -70.0), (0.0, 20.0)], [(3.5, -67.0), (3.5, 20.0)],
                       [(9.0, -62.0), (9.0, 20.0)]]


def test_psp_explorer_numbers_match_a_forward_euler_loop_written_here():
    """The held cell of lesson 2, integrated independently of simulate_passive."""
    from course_utils import synapses

    dt, capacitance, leak, rest = 0.1, 200.0, 10.0, -70.0
    holding, g_ampa, g_gaba, e_gaba = -60.0, 1.0, 2.0, -80.0
    time = np.arange(round(220.0 / dt)) * dt

    def conductance(onset, peak, tau):
        # an exponential from the event on; Euler feels it from the next grid point
        return np.where(time >= onset - 1e-9, peak * np.exp(-(time - onset) / tau), 0.0)

    g_e = conductance(20.0, g_ampa, synapses.AMPA.decay_time)
    g_i = conductance(120.0, g_gaba, synapses.GABA_A.decay_time)
    v, trace = holding, []
    for k in range(time.size):
        trace.append(v)
        v += dt / capacitance * (leak * (rest - v) + leak * (holding - rest)
                                 + g_e[k] * (0.0 - v) + g_i[k] * (e_gaba - v))
    change = np.array(trace) - holding
    epsp = change[time < 100.0].max()
    late = change[time >= 100.0]
    ipsp = late[np.argmax(np.abs(late))]

    explorer = widgets.psp_explorer(dt=dt)
    explorer.redraw(holding=holding, ampa_conductance=g_ampa, gaba_conductance=g_gaba,
                    gaba_reversal=e_gaba)
    assert f"EPSP {epsp:+.2f} mV" in explorer.summary
    assert f"response {ipsp:+.2f} mV" in explorer.summary
    assert epsp > 0.5 and ipsp < -0.5  # a real response, not a flat line


def _every_explorer():
    """Each lesson explorer, as its lesson builds it (recording_explorer on lesson 5's file)."""
    from pathlib import Path

    from course_utils.data import load_recording

    recording = load_recording(Path(__file__).resolve().parents[1] / "data" / "171116sh_0018.abf")
    makers = {
        name: getattr(widgets, name)
        for name in widgets.__all__
        if name.endswith("_explorer") and name != "make_explorer"
    }
    makers["recording_explorer"] = lambda: widgets.recording_explorer(recording)
    return makers


@pytest.mark.parametrize("name", sorted(_every_explorer()))
def test_every_explorer_is_readable_at_both_ends_of_every_slider(name):
    """Spelled-out slider labels with units; at each slider's ends, no legend entry told
    apart by colour alone and no text under 9 pt (course_utils.plotting's rules for figures)."""
    from course_utils.plotting import MIN_FONT_SIZE, colour_only_legend_pairs, smallest_font

    explorer = _every_explorer()[name]()
    sliders = {key: c for key, c in explorer.controls.items() if hasattr(c, "min")}
    for key, control in sliders.items():
        label = control.description
        words = [w for w in label.replace("(", " ").split() if w.isalpha() and len(w) > 2]
        assert words, f"{name}: slider {key!r} is labelled {label!r}: spell out what it is"
    for key, control in sliders.items():
        for end in (control.min, control.max):
            explorer.redraw(**{key: end})
            assert not colour_only_legend_pairs(explorer.figure), (name, key, end)
            assert smallest_font(explorer.figure) >= MIN_FONT_SIZE, (name, key, end)
        explorer.redraw(**{key: control.value})

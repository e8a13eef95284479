"""The course palette works for readers with colour-vision deficiency (issue 19).

Thresholds (stated in ``course_utils.plotting``):

* every colour has a contrast ratio of at least 3:1 against white, WCAG 2.1's
  threshold for graphical objects (success criterion 1.4.11);
* every pair of colours stays at least 7 units apart in CAM02-UCS (about 7
  just-noticeable differences; the old purple/blue pair that merged under
  deuteranopia was 5.4) in normal vision and under simulated deuteranopia,
  protanopia and tritanopia (colorspacious, Machado et al. 2009, severity 100);
* colour is never the only cue: each meaning has its own marker and the
  (line style, marker) pairs are all different.
"""

import itertools

import numpy as np
import pytest
from colorspacious import cspace_convert, deltaE

from course_utils.plotting import COLORS, STYLES, style

MIN_CONTRAST = 3.0
MIN_DISTANCE = 7.0
DEFICIENCIES = ["deuteranomaly", "protanomaly", "tritanomaly"]


def rgb(hex_colour):
    return np.array([int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])


def relative_luminance(hex_colour):
    """WCAG 2.1 relative luminance."""
    c = rgb(hex_colour)
    c = np.where(c <= 0.03928, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]


def contrast_on_white(hex_colour):
    return 1.05 / (relative_luminance(hex_colour) + 0.05)


def simulate(hex_colour, deficiency):
    if deficiency is None:
        return rgb(hex_colour)
    space = {"name": "sRGB1+CVD", "cvd_type": deficiency, "severity": 100}
    return np.clip(cspace_convert(rgb(hex_colour), space, "sRGB1"), 0, 1)


def test_contrast_formula_matches_known_values():
    # Independent anchors: black on white is 21:1, the orange #e69f00 that the
    # accessibility audit measured is 2.25:1.
    assert contrast_on_white("#000000") == pytest.approx(21.0)
    assert contrast_on_white("#e69f00") == pytest.approx(2.25, abs=0.01)


@pytest.mark.parametrize("meaning", sorted(COLORS))
def test_every_colour_has_enough_contrast_on_white(meaning):
    assert contrast_on_white(COLORS[meaning]) >= MIN_CONTRAST


@pytest.mark.parametrize("deficiency", [None, *DEFICIENCIES])
def test_colours_stay_apart_under_colour_vision_deficiency(deficiency):
    for a, b in itertools.combinations(COLORS, 2):
        distance = deltaE(
            simulate(COLORS[a], deficiency),
            simulate(COLORS[b], deficiency),
            input_space="sRGB1",
            uniform_space="CAM02-UCS",
        )
        assert distance >= MIN_DISTANCE, f"{a} and {b}: {distance:.1f} under {deficiency}"


def test_simulation_catches_a_pair_known_to_merge():
    # The audit's failing pair (purple #8e44ad vs blue #2c7fb8, 5.4 under
    # deuteranopia) must fail the threshold, or the test above proves nothing.
    distance = deltaE(
        simulate("#8e44ad", "deuteranomaly"),
        simulate("#2c7fb8", "deuteranomaly"),
        input_space="sRGB1",
        uniform_space="CAM02-UCS",
    )
    assert distance < MIN_DISTANCE


def test_colour_is_never_the_only_cue():
    assert set(STYLES) == set(COLORS)
    pairs = [(s["linestyle"], s["marker"]) for s in STYLES.values()]
    assert len(set(pairs)) == len(pairs)
    assert len({s["marker"] for s in STYLES.values()}) == len(STYLES)


def test_style_gives_plot_keywords_and_refuses_unknown_meanings():
    assert style("model", markers=True) == {
        "color": COLORS["model"],
        "linestyle": STYLES["model"]["linestyle"],
        "marker": STYLES["model"]["marker"],
    }
    with pytest.raises(ValueError, match="meaning"):
        style("purple")


def test_describe_needs_a_title_and_a_real_description(capsys):
    from course_utils.plotting import describe, label_axes, new_figure

    figure, ax = new_figure()
    ax.plot([0, 1], [0, 1])
    with pytest.raises(ValueError, match="title"):
        describe(figure, "A line rising from zero to one.")
    label_axes(ax, "time (ms)", "V (mV)", "A ramp")
    with pytest.raises(ValueError, match="description"):
        describe(figure, "ramp")
    describe(figure, "A line rising from zero to one.")
    assert capsys.readouterr().out.strip() == "[Figure: A ramp] A line rising from zero to one."


def test_describe_reports_the_smallest_text(monkeypatch):
    from course_utils.plotting import describe, label_axes, new_figure

    shown = []
    monkeypatch.setattr("IPython.get_ipython", lambda: object())
    monkeypatch.setattr("IPython.display.display", lambda obj, raw=False: shown.append(obj))
    figure, ax = new_figure()
    ax.plot([0, 1], [0, 1], label="tiny legend")
    ax.legend(fontsize=7)
    label_axes(ax, "time (ms)", "V (mV)", "A ramp")
    describe(figure, "A line rising from zero to one.")
    page = shown[0]["text/html"]
    assert 'data-min-font-pt="7"' in page
    assert 'alt="A ramp. A line rising from zero to one."' in page


def test_describe_refuses_lines_told_apart_by_colour_alone():
    """Two solid lines in the course's model and data colours (black and grey) with
    no marker: a reader who cannot tell the greys apart cannot match them to the
    legend. A different line style, a marker or a width tells them apart."""
    from course_utils.plotting import COLORS, describe, label_axes, new_figure

    def figure_with(second_line):
        figure, ax = new_figure()
        ax.plot([0, 1], [0, 1], color=COLORS["model"], label="LIF")
        ax.plot([0, 1], [1, 0], label="passive", **second_line)
        ax.legend()
        label_axes(ax, "time (ms)", "V (mV)", "Two lines")
        return figure

    with pytest.raises(ValueError, match="'LIF' and 'passive'"):
        describe(figure_with({"color": COLORS["data"]}), "Two lines crossing in the middle.")
    for distinct in (
        {"color": COLORS["data"], "linestyle": "--"},
        {"color": COLORS["data"], "marker": "s"},
        {"color": COLORS["data"], "linewidth": 3.0},
        style("data", markers=True),
    ):
        describe(figure_with(distinct), "Two lines crossing in the middle.")

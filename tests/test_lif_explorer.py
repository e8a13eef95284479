"""Lesson 3's explorer: every slider position shows something meaningful.

Units: ms, mV, pA, Hz. Issue 10 found t_ref = 0 (a spike in every step, a
solid block at 2224 Hz) and rest at threshold (a spurious spike at 0.1 ms)
among the reachable positions; the bounds must exclude both.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from course_utils.neurons import lif_firing_rate
from course_utils.widgets import lif_explorer

pytest.importorskip("ipywidgets")


@pytest.fixture(scope="module")
def explorer():
    return lif_explorer()


def test_labels_are_spelled_out_with_units(explorer):
    labels = [control.description for control in explorer.controls.values()]
    assert labels == ["input current I (pA)", "membrane time constant tau (ms)",
                      "resting potential E_L (mV)", "threshold V_th (mV)",
                      "refractory period t_ref (ms)"]


def test_no_slider_position_allows_rest_at_threshold_or_no_refractory_period(explorer):
    c = explorer.controls
    assert c["refractory_period"].min > 0.0
    assert c["leak_reversal"].max < c["threshold"].min  # rest always below threshold
    assert -65.0 < c["threshold"].min  # the fixed reset (-65 mV) is below every threshold


@pytest.mark.parametrize("corner", list(itertools.product((0, 1), repeat=3)))
def test_extreme_positions_give_sane_rates_and_a_matching_summary(explorer, corner):
    c = explorer.controls
    values = dict(
        current=0.0,
        membrane_time_constant=20.0,
        leak_reversal=(c["leak_reversal"].min, c["leak_reversal"].max)[corner[0]],
        threshold=(c["threshold"].min, c["threshold"].max)[corner[1]],
        refractory_period=(c["refractory_period"].min, c["refractory_period"].max)[corner[2]],
    )
    explorer.redraw(**values)
    assert "0 spikes" in explorer.summary  # no current, no spike: ever
    explorer.redraw(**(values | {"current": c["current"].max}))
    exact = lif_firing_rate(c["current"].max, membrane_capacitance=200.0, leak_conductance=10.0,
                            leak_reversal=values["leak_reversal"],
                            threshold=values["threshold"], reset=-65.0,
                            refractory_period=values["refractory_period"])
    assert exact <= 1000.0 / values["refractory_period"]
    assert f"{exact:.1f} Hz exact" in explorer.summary
    assert np.isfinite(exact)


def test_noisy_explorer_labels_and_the_numbers_its_answers_quote():
    """Section 7's explorer: the answers' numbers (seeded noise, 2 s runs)."""
    from course_utils.widgets import noisy_lif_explorer

    explorer = noisy_lif_explorer()
    labels = [control.description for control in explorer.controls.values()]
    assert labels == ["mean current mu (pA)", "noise amplitude sigma (pA at dt = 1 ms)"]

    def numbers(mu, sigma):
        explorer.redraw(mean_current=mu, noise_amplitude=sigma)
        text = explorer.summary
        rate = float(text.split(" Hz")[0].split()[-1])
        cv = float(text.split("CV ")[1].rstrip(".")) if "CV undefined" not in text else None
        return rate, cv

    assert numbers(180.0, 0.0) == (0.0, None)  # below the rheobase, no noise: silent
    rate, cv = numbers(180.0, 100.0)
    assert 4.0 < rate < 9.0 and 0.35 < cv < 0.7
    rate, cv = numbers(400.0, 100.0)
    assert 70.0 < rate < 80.0 and cv < 0.15
    rate_low, _ = numbers(150.0, 100.0)
    assert rate_low < 3.0
    quiet, cv_quiet = numbers(250.0, 0.0)
    noisy, cv_noisy = numbers(250.0, 100.0)
    assert abs(noisy - quiet) < 0.1 * quiet and cv_quiet < 0.01 and 0.1 < cv_noisy < 0.3

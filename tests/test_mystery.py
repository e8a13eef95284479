"""Tests of the inverse problem of Lesson 3: MysteryNeuron and its checker.

Units: ms, mV, pA, nS, pF, Hz.

The estimation procedure below is written here, independently of the
lesson's hidden solution, as a student might: a resting trace for E_L, a
fitted subthreshold charging curve for g_L and tau (so C), the highest
voltage of a spiking trace for V_th, the samples after spikes for V_reset,
and the interval minus the analytic climb time for t_ref. Its errors on
several cells must stay inside the checker's tolerances, with room to spare:
that is what makes the tolerances fair.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import curve_fit

from course_utils.checks import CORRECT, INCORRECT, NOT_ATTEMPTED
from course_utils.checks.lif import MYSTERY_TOLERANCES, check_mystery_estimates
from course_utils.mystery import PARAMETER_NAMES, MysteryNeuron
from course_utils.neurons import lif_firing_rate


def estimate(cell):
    rest = cell.inject(0.0, 200.0)
    leak_reversal = rest.voltage.mean()
    small = cell.inject(20.0, 400.0)  # 20 pA: below every cell's rheobase (>= 60 pA)
    assert small.spike_times.size == 0

    def charging(t, v_rest, dv, tau):
        return v_rest + dv * (1.0 - np.exp(-t / tau))

    (_, dv, tau), _ = curve_fit(charging, small.time, small.voltage,
                                p0=(leak_reversal, 2.0, 20.0))
    leak_conductance = 20.0 / dv
    current = 20.0
    while cell.inject(current, 500.0).spike_times.size < 3:
        current *= 1.5
    strong = cell.inject(3 * current, 300.0)
    index = np.round(strong.spike_times / 0.05).astype(int)
    reset = np.median(strong.voltage[index[index < strong.voltage.size]])
    threshold = strong.voltage.max()
    v_inf = leak_reversal + 3 * current / leak_conductance
    climb = tau * np.log((v_inf - reset) / (v_inf - threshold))
    return dict(membrane_capacitance=tau * leak_conductance, leak_conductance=leak_conductance,
                leak_reversal=leak_reversal, threshold=threshold, reset=reset,
                refractory_period=np.mean(np.diff(strong.spike_times)) - climb)


@pytest.mark.parametrize("seed", [0, 3, 7, 11])
def test_an_honest_estimate_passes_with_room_to_spare(seed):
    cell = MysteryNeuron(seed)
    estimates = estimate(cell)
    assert check_mystery_estimates(estimates, cell, strict=True).status == CORRECT
    truth = cell._hidden
    for name, (kind, tolerance) in MYSTERY_TOLERANCES.items():
        allowed = tolerance * abs(truth[name]) if kind == "relative" else tolerance
        assert abs(estimates[name] - truth[name]) < 0.7 * allowed, name


def test_the_cell_is_a_lif_neuron_with_its_hidden_parameters():
    cell = MysteryNeuron(5)
    truth = cell._hidden
    rheobase = truth["leak_conductance"] * (truth["threshold"] - truth["leak_reversal"])
    recording = cell.inject(2 * rheobase, 2000.0)
    # Exact integration: the steady interval is the analytic one, on the 0.05 ms grid.
    expected_isi = 1000.0 / lif_firing_rate(2 * rheobase, **truth)
    np.testing.assert_allclose(np.diff(recording.spike_times)[1:], expected_isi, atol=0.05)
    rest = cell.inject(0.0, 100.0)
    assert abs(rest.voltage.mean() - truth["leak_reversal"]) < 0.01
    assert 0.08 < rest.voltage.std() < 0.12  # the 0.1 mV recording noise


def test_same_seed_same_cell_and_same_noise():
    a, b = MysteryNeuron(2), MysteryNeuron(2)
    np.testing.assert_array_equal(a.inject(100.0, 50.0).voltage, b.inject(100.0, 50.0).voltage)
    assert MysteryNeuron(3)._hidden != a._hidden
    assert "hidden" in repr(a) and "-" not in repr(a).split(":")[1]  # no values shown


def test_inject_rejects_bad_input_clearly():
    cell = MysteryNeuron(0)
    with pytest.raises(ValueError, match="shape"):
        cell.inject(np.zeros(10), 100.0)
    with pytest.raises(ValueError, match="duration"):
        cell.inject(0.0, -5.0)
    with pytest.raises(TypeError, match="seed"):
        MysteryNeuron(1.5)


def truth_of(cell):
    return dict(cell._hidden)


def test_scaffold_is_not_attempted():
    cell = MysteryNeuron(0)
    scaffold = dict.fromkeys(PARAMETER_NAMES, ...)
    assert check_mystery_estimates(scaffold, cell).status == NOT_ATTEMPTED


@pytest.mark.parametrize(
    ("name", "wrong", "fragment"),
    [
        ("membrane_capacitance", lambda t: t["membrane_capacitance"] / 1000.0, "a unit"),
        ("membrane_capacitance", lambda t: t["membrane_capacitance"] / t["leak_conductance"],
         "time constant"),
        ("leak_conductance", lambda t: 1.0 / t["leak_conductance"], "input resistance"),
        ("refractory_period", lambda t: t["refractory_period"] / 1000.0, "a unit"),
        ("threshold", lambda t: t["threshold"] + 3.0, "too high by about 3 mV"),
        ("leak_reversal", lambda t: t["leak_reversal"] - 2.0, "too low"),
    ],
)
def test_typical_mistakes_are_named(name, wrong, fragment):
    cell = MysteryNeuron(4)
    estimates = truth_of(cell)
    estimates[name] = wrong(estimates)
    feedback = check_mystery_estimates(estimates, cell)
    assert feedback.status == INCORRECT
    text = " ".join(str(feedback).split())
    assert name in text and fragment in text, text
    assert f"{cell._hidden[name]:.4g}" not in text  # the hidden value is never told


def test_missing_keys_are_named():
    cell = MysteryNeuron(4)
    estimates = truth_of(cell)
    del estimates["reset"]
    feedback = check_mystery_estimates(estimates, cell)
    assert feedback.status == INCORRECT and "missing: reset" in str(feedback)

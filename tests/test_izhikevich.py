"""course_utils.neurons.simulate_izhikevich: published firing patterns, numerics, validation.

The patterns are those Izhikevich (2003, IEEE Trans. Neural Netw.
14:1569-1572) describes in the text and Fig. 2 for his parameter sets,
driven as there by a step of I = 10 mV/ms (1000 pA with C = 100 pF) from
rest. The expected values come from that description, not from this
code's output:

- RS "fire a few spikes with short interspike period and then the period
  increases": the first interval is less than half the later ones, and
  there is no burst (no interval below 10 ms);
- IB "fire a stereotypical burst of spikes followed by repetitive single
  spikes": 2-5 spikes at intervals < 10 ms, then only intervals > 20 ms;
- CH "fire stereotypical bursts of closely spaced spikes" repeatedly
  (inter-burst frequency up to 40 Hz): at least 3 bursts of >= 3 spikes
  with intra-burst intervals < 10 ms, separated by > 20 ms;
- FS "fire periodic trains of action potentials with extremely high
  frequency practically without any adaptation": > 100 Hz, and after the
  onset (3 intervals) the intervals vary by < 5 %;
- LTS "fire high-frequency trains with a noticeable spike frequency
  adaptation" and have a low threshold: the first intervals < 10 ms,
  lengthening over at least 4 consecutive intervals, and a smaller
  rheobase than RS.

Spike counts are not taken from the paper's figure: it was drawn with the
paper's own 1 ms integration scheme, which fires far fewer spikes than the
converged model (chattering: 14 against 28 in 300 ms), so counts are bounded
by the described structure instead (burst sizes 2-5, >= 3 bursts, > 100 Hz).
``test_published_scheme_shows_the_same_patterns`` runs that scheme, written
independently here, and finds the same structure; the Euler solver at the
lessons' dt = 0.1 ms is checked against dt = 0.005 ms.
"""

from __future__ import annotations

import numpy as np
import pytest

from course_utils.inputs import step_current, time_grid
from course_utils.neurons import (
    IZHIKEVICH_CELL_NAMES,
    IZHIKEVICH_CELL_TYPES,
    izhikevich_resting_potential,
    simulate_izhikevich,
)

DT = 0.1  # ms
DURATION = 320.0  # ms: the step lasts 300 ms
CAPACITANCE = 100.0  # pF: I = 10 mV/ms is 1000 pA


def step_response(cell, amplitude=1000.0, backend="numpy", dt=DT):
    time = time_grid(DURATION, dt)
    current = step_current(time, amplitude, 20.0, DURATION)
    result = simulate_izhikevich(
        duration=DURATION, dt=dt, membrane_capacitance=CAPACITANCE, current=current,
        backend=backend, **IZHIKEVICH_CELL_TYPES[cell],
    )
    return result.spike_times[0]


def bursts(spikes, gap=10.0):
    """Split a spike train into groups whose intervals are shorter than `gap` ms."""
    return np.split(spikes, np.flatnonzero(np.diff(spikes) >= gap) + 1)


def test_published_parameter_sets():
    # Izhikevich (2003), Fig. 2 (a, b, c, d): checked against two independent
    # transcriptions (a Brian2 script and a NEURON/SBML model of the paper).
    expected = {
        "RS": (0.02, 0.2, -65, 8), "IB": (0.02, 0.2, -55, 4), "CH": (0.02, 0.2, -50, 2),
        "FS": (0.1, 0.2, -65, 2), "LTS": (0.02, 0.25, -65, 2), "TC": (0.02, 0.25, -65, 0.05),
        "RZ": (0.1, 0.26, -65, 2),
    }
    for cell, (a, b, c, d) in expected.items():
        p = IZHIKEVICH_CELL_TYPES[cell]
        assert (p["recovery_rate"], p["recovery_sensitivity"], p["reset"],
                p["recovery_jump"]) == (a, b, c, d)
    assert set(IZHIKEVICH_CELL_NAMES) == set(IZHIKEVICH_CELL_TYPES)


def test_regular_spiking_adapts():
    isi = np.diff(step_response("RS"))
    assert isi.size >= 4
    assert isi.min() > 10.0  # no burst
    assert isi[0] < 0.5 * np.median(isi[1:])
    assert np.all(np.diff(isi[:3]) >= -0.5)  # intervals grow, then stay


def test_intrinsically_bursting_burst_then_single_spikes():
    groups = bursts(step_response("IB"))
    assert 2 <= groups[0].size <= 5
    assert all(group.size == 1 for group in groups[1:])
    assert len(groups) >= 5  # repetitive single spikes after the burst
    singles = np.diff(np.concatenate([g[:1] for g in groups[1:]]))
    assert singles.min() > 20.0


def test_chattering_repeats_bursts():
    groups = bursts(step_response("CH"))
    full = [g for g in groups if g.size >= 3]
    assert len(full) >= 3
    for group in full:
        assert np.diff(group).max() < 10.0
    starts = np.array([g[0] for g in full])
    inter_burst = np.diff(starts)
    assert inter_burst.min() > 20.0
    assert 1000.0 / inter_burst.mean() <= 40.0  # "as high as 40 Hz"


def test_fast_spiking_does_not_adapt():
    spikes = step_response("FS")
    isi = np.diff(spikes)
    rate = 1000.0 / np.mean(isi[3:])
    assert rate > 100.0
    late = isi[3:]
    assert (late.max() - late.min()) / late.mean() < 0.05
    # RS under the same step: its late rate is far below FS's.
    assert 1000.0 / np.mean(np.diff(step_response("RS"))[3:]) < 0.5 * rate


def test_low_threshold_spiking_adapts_gradually_and_has_a_low_threshold():
    isi = np.diff(step_response("LTS"))
    assert isi[0] < 10.0
    assert np.all(np.diff(isi[:5]) > 0)  # 4 consecutive lengthening intervals
    assert isi[-1] > 2.0 * isi[0]
    # Low threshold: a 300 pA step makes LTS fire repetitively, RS at most
    # once (an onset spike), and RS needs more than 350 pA to keep firing.
    assert step_response("LTS", amplitude=300.0).size >= 5
    assert step_response("RS", amplitude=300.0).size <= 1
    assert step_response("RS", amplitude=350.0).size <= 1


def test_resting_potential_is_the_lower_root():
    # b = 0.2: 0.04 v^2 + 4.8 v + 140 = 0 has roots -70 and -50 mV.
    assert izhikevich_resting_potential(0.2) == pytest.approx(-70.0, abs=1e-12)
    # b above 5 - sqrt(22.4) = 0.267: no resting state.
    assert np.isnan(izhikevich_resting_potential(0.3))
    result = simulate_izhikevich(duration=100.0, dt=0.1, membrane_capacitance=100.0,
                                 backend="numpy", **IZHIKEVICH_CELL_TYPES["RS"])
    np.testing.assert_allclose(result.voltage, -70.0, atol=1e-9)  # at rest, no input
    np.testing.assert_allclose(result.traces["recovery"], -14.0, atol=1e-9)


def test_input_is_current_over_capacitance():
    # Only I / C enters: doubling both changes nothing.
    common = dict(duration=200.0, dt=0.1, backend="numpy", **IZHIKEVICH_CELL_TYPES["RS"])
    one = simulate_izhikevich(membrane_capacitance=100.0, bias_current=1000.0, **common)
    two = simulate_izhikevich(membrane_capacitance=200.0, bias_current=2000.0, **common)
    np.testing.assert_array_equal(one.voltage, two.voltage)


def test_one_euler_step_by_hand():
    v, u, current, c_m, dt = -60.0, -12.0, 500.0, 100.0, 0.1
    a, b = 0.02, 0.2
    result = simulate_izhikevich(
        duration=0.2, dt=dt, membrane_capacitance=c_m, recovery_rate=a,
        recovery_sensitivity=b, reset=-65.0, recovery_jump=8.0, initial_voltage=v,
        initial_recovery=u, bias_current=current, backend="numpy",
    )
    expected_v = v + dt * (0.04 * v**2 + 5 * v + 140 - u + current / c_m)
    expected_u = u + dt * a * (b * v - u)
    assert result.voltage[0, 1] == pytest.approx(expected_v, abs=1e-12)
    assert result.traces["recovery"][0, 1] == pytest.approx(expected_u, abs=1e-12)


def test_numba_and_numpy_agree():
    pytest.importorskip("numba")
    cells = list(IZHIKEVICH_CELL_TYPES)
    params = {key: np.array([IZHIKEVICH_CELL_TYPES[c][key] for c in cells])
              for key in IZHIKEVICH_CELL_TYPES["RS"]}
    rng = np.random.default_rng(3)
    n_steps = 2000
    current = 800.0 + rng.normal(0.0, 300.0, (len(cells), n_steps))
    runs = [
        simulate_izhikevich(duration=200.0, dt=0.1, membrane_capacitance=100.0,
                            current=current, step_order=order, backend=backend, **params)
        for backend in ("numpy", "numba") for order in ("textbook", "brian2")
    ]
    for numpy_run, numba_run in ((runs[0], runs[2]), (runs[1], runs[3])):
        np.testing.assert_allclose(numba_run.voltage, numpy_run.voltage, rtol=0, atol=1e-9)
        for ours, theirs in zip(numba_run.spike_times, numpy_run.spike_times, strict=True):
            np.testing.assert_array_equal(ours, theirs)
        assert sum(t.size for t in numpy_run.spike_times) > 50


def test_record_voltage_false_keeps_the_spikes():
    common = dict(duration=100.0, dt=0.1, membrane_capacitance=100.0, bias_current=1000.0,
                  backend="numpy", **IZHIKEVICH_CELL_TYPES["CH"])
    full = simulate_izhikevich(**common)
    bare = simulate_izhikevich(record_voltage=False, **common)
    assert bare.voltage is None and bare.traces == {}
    np.testing.assert_array_equal(bare.spike_times[0], full.spike_times[0])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (dict(membrane_capacitance=0.0), "membrane_capacitance"),
        (dict(recovery_rate=-0.02), "recovery_rate"),
        (dict(reset=40.0), "reset must be below spike_cutoff"),
        (dict(dt=-0.1), "dt"),
        (dict(recovery_jump=np.nan), "recovery_jump"),
        (dict(current=np.zeros(7)), "current has 7 samples"),
        (dict(step_order="brian"), "step_order"),
        (dict(recovery_sensitivity=[0.2, 0.2], reset=[-65.0, -60.0, -55.0]), "same number"),
    ],
)
def test_friendly_errors(change, message):
    arguments = dict(duration=10.0, dt=0.1, membrane_capacitance=100.0,
                     backend="numpy", **IZHIKEVICH_CELL_TYPES["RS"])
    arguments.update(change)
    with pytest.raises(ValueError, match=message):
        simulate_izhikevich(**arguments)


# --------------------------------------------------------------------------
# Premises of Lesson 4's text, think questions and explorer answers
# --------------------------------------------------------------------------


def explorer_run(current=1000.0, **changes):
    """The izhikevich_explorer's run: RS values changed by `changes`, step from 20 ms."""
    params = dict(IZHIKEVICH_CELL_TYPES["RS"], **changes)
    time = time_grid(320.0, 0.1)
    result = simulate_izhikevich(
        duration=320.0, dt=0.1, membrane_capacitance=100.0,
        current=step_current(time, current, 20.0, 320.0), step_order="brian2",
        backend="numpy", **params,
    )
    return result.spike_times[0]


def test_lesson_unit_mapping_and_time_scale():
    # "the paper's I = 10 becomes 1000 pA" with C = 100 pF; "1/a = 50 ms".
    assert 1000.0 / 100.0 == 10.0
    assert 1.0 / IZHIKEVICH_CELL_TYPES["RS"]["recovery_rate"] == pytest.approx(50.0)
    # "rest (-70 mV for b = 0.2)"; LTS "from -70 to -64 mV"
    assert izhikevich_resting_potential(0.2) == pytest.approx(-70.0)
    assert izhikevich_resting_potential(0.25) == pytest.approx(-64.4, abs=0.05)


def test_explorer_answer_rs_to_ib():
    # "A burst of three spikes, then single spikes about 32 ms apart"
    groups = bursts(explorer_run(reset=-55.0, recovery_jump=4.0))
    assert groups[0].size == 3
    singles = np.diff([g[0] for g in groups[1:]])
    assert np.all(np.abs(singles - 32.0) < 1.0)


def test_explorer_answer_fast_recovery_ends_bursts():
    # CH with a = 0.1 /ms: "the bursts disappear into a steady train"
    chattering = bursts(explorer_run(reset=-50.0, recovery_jump=2.0))
    fast = bursts(explorer_run(reset=-50.0, recovery_jump=2.0, recovery_rate=0.1))
    assert len(chattering) >= 3
    assert len(fast) == 1 and fast[0].size > 50


def test_explorer_answer_b_lowers_the_threshold():
    # "RS fires once at the onset and then rests; with b = 0.25 /ms the cell
    # fires repeatedly" (at 300 pA)
    assert explorer_run(current=300.0).size == 1
    assert explorer_run(current=300.0, recovery_sensitivity=0.25).size >= 4


def test_no_refractory_period_means_every_spike_one_step_late():
    # "the textbook step order labels every spike exactly one step later
    # than Brian2 and the offsets do not add up"
    common = dict(duration=300.0, dt=0.1, membrane_capacitance=100.0, bias_current=1000.0,
                  backend="numpy", **IZHIKEVICH_CELL_TYPES["CH"])
    brian = simulate_izhikevich(step_order="brian2", **common).spike_times[0]
    textbook = simulate_izhikevich(step_order="textbook", **common).spike_times[0]
    assert brian.size > 20
    np.testing.assert_allclose(textbook, brian + 0.1, atol=1e-9)


# --------------------------------------------------------------------------
# Numerics: the published scheme and convergence of forward Euler
# --------------------------------------------------------------------------


def paper_scheme(cell, amplitude=10.0, duration=320, onset=20):
    """Izhikevich's own integration (2003, his MATLAB listing): 1 ms steps, V in
    two half steps, u from the new V, spikes detected once per ms. Written here
    independently of course_utils. Input in the paper's mV/ms."""
    p = IZHIKEVICH_CELL_TYPES[cell]
    a, b, c, d = (p["recovery_rate"], p["recovery_sensitivity"], p["reset"],
                  p["recovery_jump"])
    v = izhikevich_resting_potential(b)
    u = b * v
    spikes = []
    for t in range(duration):
        drive = amplitude if t >= onset else 0.0
        if v >= 30.0:
            spikes.append(float(t))
            v, u = c, u + d
        for _ in range(2):
            v += 0.5 * (0.04 * v * v + 5.0 * v + 140.0 - u + drive)
        u += a * (b * v - u)
    return np.array(spikes)


def test_published_scheme_shows_the_same_patterns():
    # The paper's figure comes from its 1 ms scheme, which fires fewer spikes
    # (CH: about half); the structure is the same.
    ib = bursts(paper_scheme("IB"))
    assert 2 <= ib[0].size <= 5 and all(g.size == 1 for g in ib[1:]) and len(ib) >= 5
    ch = bursts(paper_scheme("CH"))  # there: one burst of 4, then bursts of 2
    assert len(ch) >= 4 and all(g.size >= 2 for g in ch)
    rs = np.diff(paper_scheme("RS"))
    assert rs.min() > 10.0 and rs[0] < np.median(rs[1:])
    assert paper_scheme("CH").size < 0.7 * step_response("CH").size


def test_euler_at_the_lesson_dt_is_close_to_converged():
    for cell in ("RS", "IB", "CH", "FS", "LTS"):
        coarse = step_response(cell, dt=0.1)
        fine = step_response(cell, dt=0.005)
        assert abs(coarse.size - fine.size) <= 2, cell
        n = min(coarse.size, fine.size, 6)
        np.testing.assert_allclose(np.diff(coarse[:n]), np.diff(fine[:n]), atol=1.0,
                                   err_msg=cell)


"""Tests for course_utils.fitting.

References:

* the coincidence factor against the formula of Jolivet et al. (2008),
  evaluated by hand in the tests, and against its two defining properties
  (identical trains give 1, independent Poisson trains give ~0);
* parameter recovery: recordings simulated from known LIF and AdEx
  parameters (plus measurement noise from a seeded generator) on protocols
  unlike the example file's (10 kHz with an epoch table; 20 kHz with a
  recorded, noisy command channel), written as ABF files with pyABF's writer,
  loaded back and fitted;
* the course's recording: held-out scores of the two models compared with
  each other, and the passive fit compared with hand measurements.

Spikes in the synthetic recordings: the solvers reset V at threshold, so a
simulated trace never crosses 0 mV. As an electrode would record a spike,
the sample at each spike time is set to +30 mV; the 0 mV crossing then lies
within one sample (0.1 ms) before the model's spike time.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from abf_factory import write_abf1

from course_utils.data import RecordingError, StepWindow, load_recording, recording_from_arrays
from course_utils.fitting import (
    coincidence_factor,
    fit_adex,
    fit_all,
    fit_lif,
    fit_passive,
    resample_recording,
    score_model,
    simulate_sweeps,
    split_sweeps,
)
from course_utils.neurons import simulate_adex, simulate_lif
from course_utils.synapses import poisson_spike_train, regular_spike_train

SHIPPED = Path(__file__).resolve().parent.parent / "data" / "171116sh_0018.abf"

LIF_TRUE = {
    "membrane_capacitance": 200.0,  # pF
    "leak_conductance": 10.0,  # nS -> tau 20 ms, rheobase 10 nS * 10 mV = 100 pA
    "leak_reversal": -65.0,
    "threshold": -55.0,
    "reset": -65.0,
    "refractory_period": 5.0,
}

ADEX_TRUE = {
    "membrane_capacitance": 200.0,
    "leak_conductance": 10.0,
    "leak_reversal": -65.0,
    "adaptation_coupling": 2.0,  # nS
    "adaptation_time_constant": 150.0,  # ms
    "rheobase_threshold": -50.0,
    "slope_factor": 2.0,
    "reset": -58.0,
    "spike_adaptation": 40.0,  # pA
    "spike_cutoff": 0.0,
}


def _with_spikes_drawn(voltage, spike_times, dt, peak=30.0):
    voltage = voltage.copy()
    for row, times in zip(voltage, spike_times, strict=True):
        index = np.round(np.asarray(times) / dt).astype(int)
        row[index[index < row.size]] = peak
    return voltage


@pytest.fixture(scope="module")
def lif_recording(tmp_path_factory):
    """LIF cell, 10 kHz, steps -60 + 30 i pA (i = 0..11) for 300 ms from an epoch table."""
    rate, dt, n_samples, n_sweeps = 10000, 0.1, 12000, 12
    holding = n_samples // 64  # pyABF / ClampEx start the epochs after this
    epochs = [(0.0, 0.0, 800), (-60.0, 30.0, 3000), (0.0, 0.0, 3000), (-50.0, 0.0, 2000)]
    command = np.zeros((n_sweeps, n_samples))
    onset = holding + 800
    for s in range(n_sweeps):
        command[s, onset : onset + 3000] = -60.0 + 30.0 * s
        command[s, onset + 6000 : onset + 8000] = -50.0
    truth = simulate_lif(duration=n_samples * dt, dt=dt, current=command, **LIF_TRUE)
    rng = np.random.default_rng(11)
    voltage = _with_spikes_drawn(truth.voltage, truth.spike_times, dt)
    voltage += rng.normal(0.0, 0.2, voltage.shape)
    path = tmp_path_factory.mktemp("lif") / "lif_cell.abf"
    write_abf1(path, voltage, rate, epochs=epochs)
    return load_recording(path)


@pytest.fixture(scope="module")
def adex_recording(tmp_path_factory):
    """AdEx cell, 20 kHz, steps -60 + 30 i pA (i = 0..13) for 400 ms and a
    -40 pA step, the command recorded on a second channel with 1 pA noise."""
    rate, dt, n_samples, n_sweeps = 20000, 0.05, 20000, 14
    command = np.zeros((n_sweeps, n_samples))
    for s in range(n_sweeps):
        command[s, 2000:10000] = -60.0 + 30.0 * s
        command[s, 14000:18000] = -40.0
    truth = simulate_adex(duration=n_samples * dt, dt=dt, current=command, **ADEX_TRUE)
    rng = np.random.default_rng(12)
    voltage = _with_spikes_drawn(truth.voltage, truth.spike_times, dt)
    voltage += rng.normal(0.0, 0.2, voltage.shape)
    path = tmp_path_factory.mktemp("adex") / "adex_cell.abf"
    write_abf1(path, voltage, rate, current=command + rng.normal(0.0, 1.0, command.shape))
    return load_recording(path)


# --------------------------------------------------------------------------
# Coincidence factor
# --------------------------------------------------------------------------


def test_gamma_of_identical_trains_is_one():
    train = np.array([12.0, 40.0, 77.5, 150.0, 151.0 + 9.0])
    assert coincidence_factor(train, train, (0.0, 200.0)) == pytest.approx(1.0)


def test_gamma_by_hand():
    # data 10, 50, 100; model 12, 70, 101; Delta 4 ms; T = 200 ms.
    # Coincidences: 10~12 and 100~101 -> 2. Model rate nu = 3 / 200 per ms.
    # Expected by chance: 2 nu Delta N_data = 2 * 0.015 * 4 * 3 = 0.36.
    # Normalisation 1 - 2 nu Delta = 0.88.
    expected = (2 - 0.36) / (0.5 * (3 + 3)) / 0.88
    gamma = coincidence_factor([10, 50, 100], [12, 70, 101], (0.0, 200.0), delta=4.0)
    assert gamma == pytest.approx(expected)


def test_gamma_counts_each_model_spike_once():
    # Two data spikes 2 ms apart share one model spike: one coincidence.
    gamma = coincidence_factor([50.0, 52.0], [51.0], (0.0, 1000.0), delta=4.0)
    nu = 1 / 1000.0
    assert gamma == pytest.approx((1 - 2 * nu * 4 * 2) / (0.5 * 3) / (1 - 2 * nu * 4))


def test_gamma_of_shifted_regular_trains():
    data = regular_spike_train(10.0, 10_000.0)  # every 100 ms
    assert coincidence_factor(data, data + 3.0, (0.0, 10_000.0)) == pytest.approx(1.0)
    # shifted by more than Delta: no coincidence, Gamma = -2 nu Delta / (1 - 2 nu Delta)
    nu = 0.01  # spikes per ms
    assert coincidence_factor(data, data + 5.0, (0.0, 10_000.0)) == pytest.approx(
        -2 * nu * 4 / (1 - 2 * nu * 4), rel=0.02
    )


def test_gamma_of_independent_poisson_trains_is_about_zero():
    # Gamma subtracts the coincidences a Poisson train of the model's rate
    # would make by chance, so independent trains average ~0. Each of the
    # 100 pairs has ~200 spikes; the mean's standard error is ~0.01.
    rng = np.random.default_rng(5)
    gammas = [
        coincidence_factor(
            poisson_spike_train(20.0, 10_000.0, rng),
            poisson_spike_train(20.0, 10_000.0, rng),
            (0.0, 10_000.0),
        )
        for _ in range(100)
    ]
    assert np.mean(gammas) == pytest.approx(0.0, abs=0.04)


def test_gamma_edge_cases():
    assert np.isnan(coincidence_factor([], [], (0.0, 100.0)))
    # 2 nu Delta >= 1: a model firing every 5 ms with Delta 4 ms
    assert np.isnan(coincidence_factor([1.0], np.arange(0, 100, 5.0), (0.0, 100.0)))
    assert coincidence_factor([10.0], [], (0.0, 100.0)) == pytest.approx(0.0)
    with pytest.raises(ValueError, match="window must end after it starts"):
        coincidence_factor([1.0], [1.0], (5.0, 1.0))
    with pytest.raises(ValueError, match="delta must be greater than zero"):
        coincidence_factor([1.0], [1.0], (0.0, 10.0), delta=0.0)


# --------------------------------------------------------------------------
# Train / test split
# --------------------------------------------------------------------------


def test_split_sweeps_alternates():
    recording = load_recording(SHIPPED)
    train, test = split_sweeps(recording)
    assert [s.index for s in train.sweeps] == list(range(0, 17, 2))
    assert [s.index for s in test.sweeps] == list(range(1, 17, 2))
    train, test = split_sweeps(recording, test_every=3, offset=0)
    assert [s.index for s in test.sweeps] == [0, 3, 6, 9, 12, 15]
    with pytest.raises(ValueError, match="test_every"):
        split_sweeps(recording, test_every=1)
    with pytest.raises(TypeError, match="Recording"):
        split_sweeps("171116sh_0018.abf")


# --------------------------------------------------------------------------
# Parameter recovery
# --------------------------------------------------------------------------


def test_resample_recording_interpolates_voltage_and_holds_the_command():
    """A 10 ms sweep sampled every 0.2 ms, read every 0.3 ms: the voltage (a
    ramp, so linear interpolation is exact) is interpolated, and the command
    (a 50 pA step from 4 ms) is the sample at or before each point, never a
    value between the two levels."""
    time = np.arange(50) * 0.2
    command = np.where(time >= 4.0, 50.0, 0.0)
    recording = recording_from_arrays(-70.0 + time, 0.2, command=command)
    grid, voltage, current = resample_recording(recording, 0.3)
    assert grid.size == 33  # 0, 0.3, ..., 9.6 ms: floor(10 / 0.3)
    np.testing.assert_allclose(grid, np.arange(33) * 0.3)
    np.testing.assert_allclose(voltage[0], -70.0 + grid)
    assert set(current[0][grid < 3.95]) == {0.0}
    assert set(current[0][grid > 4.05]) == {50.0}
    with pytest.raises(ValueError, match="at most half a sweep"):
        resample_recording(recording, 6.0)
    with pytest.raises(TypeError, match="recording must be a Recording"):
        resample_recording(voltage, 0.3)


def test_passive_fit_recovers_membrane_and_sag(adex_recording):
    """Subthreshold sweeps of the AdEx cell follow the linear model of
    PassiveFit exactly (the spike term is negligible below -60 mV:
    g_L Delta_T exp(-5) ~ 0.1 pA). Tolerances: 3 % for C and g_L, 10 % for
    a and tau_w (0.2 mV voltage noise, 1 pA command noise, data made at
    dt = 0.05 ms and fitted at 0.1 ms); there is no series resistance."""
    train, _ = split_sweeps(adex_recording)
    passive = fit_passive(train)
    assert passive.membrane_capacitance == pytest.approx(200.0, rel=0.03)
    assert passive.leak_conductance == pytest.approx(10.0, rel=0.03)
    assert passive.leak_reversal == pytest.approx(-65.0, abs=0.2)
    assert passive.sag_conductance == pytest.approx(2.0, rel=0.10)
    assert passive.sag_time_constant == pytest.approx(150.0, rel=0.10)
    assert passive.series_resistance < 0.002  # GOhm
    assert passive.rmse == pytest.approx(0.2, abs=0.05)  # the noise we added
    assert passive.membrane_time_constant == pytest.approx(20.0, rel=0.05)


def test_passive_fit_of_a_plain_rc_cell(lif_recording):
    train, _ = split_sweeps(lif_recording)
    passive = fit_passive(train)
    assert passive.membrane_capacitance == pytest.approx(200.0, rel=0.01)
    assert passive.steady_state_conductance == pytest.approx(10.0, rel=0.01)
    assert passive.leak_reversal == pytest.approx(-65.0, abs=0.1)
    assert passive.sag_conductance < 0.1  # nS: no sag in an RC cell
    rc_only = fit_passive(train, sag=False, series_resistance=False)
    assert rc_only.sag_conductance == 0.0 and rc_only.series_resistance == 0.0
    assert rc_only.leak_conductance == pytest.approx(10.0, rel=0.01)


def test_lif_fit_recovers_parameters(lif_recording):
    """Threshold within 1 mV, reset within 3 mV and refractory period within
    1.5 ms (the fine grid has 0.2 mV, 0.5 mV and 0.5 ms steps; reset and
    refractory period partly trade off against each other in the rates).
    Prediction on the held-out sweeps: f-I RMS < 2 Hz, Gamma > 0.8."""
    train, test = split_sweeps(lif_recording)
    fit = fit_lif(train)
    assert fit.parameters["threshold"] == pytest.approx(-55.0, abs=1.0)
    assert fit.parameters["reset"] == pytest.approx(-65.0, abs=3.0)
    assert fit.parameters["refractory_period"] == pytest.approx(5.0, abs=1.5)
    scores = score_model(test, "lif", fit.parameters)
    assert scores.fi_rms < 2.0
    assert scores.gamma > 0.8


def test_adex_fit_recovers_parameters(adex_recording):
    """V_T within 1.5 mV and b within 25 %. Delta_T and V_reset trade off
    against each other (both shape the approach to the next spike), so they
    get wide ranges (0.5-4 mV and +-10 mV; the search box is wide enough for
    real cells, so the valley is sampled coarsely). The real test is the prediction on the
    held-out sweeps: f-I RMS < 2 Hz and Gamma > 0.75."""
    train, test = split_sweeps(adex_recording)
    passive = fit_passive(train)
    fit = fit_adex(train, passive=passive, progress=False)
    assert fit.parameters["rheobase_threshold"] == pytest.approx(-50.0, abs=1.5)
    assert fit.parameters["spike_adaptation"] == pytest.approx(40.0, rel=0.25)
    # Delta_T and V_reset lie in a valley of the loss (a sharper spike onset
    # and a lower reset give the same intervals): only a wide range for each
    assert 0.5 <= fit.parameters["slope_factor"] <= 4.0
    assert fit.parameters["reset"] == pytest.approx(-58.0, abs=10.0)
    scores = score_model(test, "adex", fit.parameters)
    assert scores.fi_rms < 2.0
    assert scores.gamma > 0.75


def test_fits_refuse_recordings_without_the_needed_sweeps():
    """Friendly refusals, never an internal error: a cell that fires through
    every step has no spike-free hyperpolarising window; a cell that never
    fires has nothing for a spiking model."""
    dt = 0.1
    time = np.arange(0, 500, dt)
    spiking = np.where((time % 50) < 1, 20.0, -60.0)[None, :].repeat(2, axis=0)
    command = np.zeros_like(spiking)
    command[:, 1000:4000] = [[-50.0], [100.0]]
    with pytest.raises(RecordingError, match="input resistance cannot be measured"):
        fit_passive(recording_from_arrays(spiking, dt, command=command))
    quiet = -65.0 + 0.1 * command  # a 0.1 GOhm cell that never fires
    with pytest.raises(RecordingError, match="no usable sweep has spikes"):
        fit_lif(recording_from_arrays(quiet, dt, command=command), passive=None)


def test_simulate_sweeps_adds_the_series_resistance(lif_recording):
    result, predicted, data = simulate_sweeps(
        lif_recording.select([0]), "lif", LIF_TRUE, series_resistance=0.01
    )
    command = lif_recording.sweeps[0].command  # sampled at 10 kHz, the model dt
    assert np.allclose(predicted[0], result.voltage[0] + 0.01 * command[: predicted.shape[1]])
    assert data.shape == predicted.shape
    with pytest.raises(ValueError, match="model must be 'lif', 'adex' or 'izhikevich'"):
        simulate_sweeps(lif_recording, "hh", LIF_TRUE)


# --------------------------------------------------------------------------
# The course's recording
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped_report():
    return fit_all(load_recording(SHIPPED), progress=False)


def test_fit_all_splits_and_times(shipped_report):
    assert shipped_report.train_sweeps == list(range(0, 17, 2))
    assert shipped_report.test_sweeps == list(range(1, 17, 2))
    for key in ("passive", "lif", "adex", "izhikevich", "scoring", "total"):
        assert shipped_report.timings[key] >= 0.0
    assert "held-out" in shipped_report.summary()


def test_adex_predicts_held_out_sweeps_better_than_lif(shipped_report):
    """A LIF neuron has no adaptation and resets to a fixed value, so it
    cannot follow the cell's slowing spike trains or its voltage between
    spikes; AdEx can. On the held-out sweeps AdEx must therefore beat LIF
    clearly in subthreshold voltage (RMSE below 60 % of the LIF's) and fit
    the f-I curve within 2.5 Hz RMS. Timing: neither model may exceed what
    the cell repeats of itself (the upper end of the intrinsic Gamma's
    interval), and with 8 held-out sweeps of constant steps the two models'
    Gamma intervals are wide (they overlap), which the lesson says."""
    lif, adex = shipped_report.lif_test, shipped_report.adex_test
    assert adex.subthreshold_rmse < 0.6 * lif.subthreshold_rmse
    assert adex.fi_rms < 2.5
    assert lif.fi_rms < 5.0
    ceiling_high = adex.gamma_intrinsic_interval[1]
    assert adex.gamma < ceiling_high and lif.gamma < ceiling_high
    for scores in (lif, adex):
        low, high = scores.gamma_interval
        assert high - low > 0.1  # 8 sweeps: an honest interval is wide
    # the lesson says the two intervals overlap (no ranking on timing)
    assert max(lif.gamma_interval[0], adex.gamma_interval[0]) < min(
        lif.gamma_interval[1], adex.gamma_interval[1]
    )


def test_shipped_passive_fit_needs_the_sag_term(shipped_report):
    """The cell sags: a plain RC fit is worse and compensates with a much
    shorter time constant; with the sag term tau is within 20 % of the
    curve_fit time constant of the feature table (which agrees with eFEL).

    R_s against the instantaneous voltage jump at the onset of step D (mean
    of 4 samples after the jump minus the 5 before the onset, / -100 pA; the
    recorded voltage jumps one sample after the command's edge): the
    recording also shows a fast (< 1 ms) charging component that a
    one-compartment model cannot make, and the fit lumps part of it into
    R_s (more when only the step responses are fitted, as now: 1.6x here),
    so R_s lies between the jump estimate and 1.7 times it."""
    from course_utils.analysis import extract_features

    recording = load_recording(SHIPPED)
    train, _ = split_sweeps(recording)
    passive = shipped_report.passive
    rc_only = fit_passive(train, sag=False)
    assert passive.rmse < 0.7 * rc_only.rmse
    assert rc_only.membrane_time_constant < 0.7 * passive.membrane_time_constant
    features = extract_features(recording)
    # the fitted model's step response, measured like the data (one
    # exponential up to the sag minimum), against the feature table's tau
    assert passive.apparent_time_constant == pytest.approx(
        features.cell.membrane_time_constant, rel=0.20
    )
    jumps = []
    for index, label in passive.windows:
        sweep = recording.sweeps[index]
        step = sweep.step(label)
        onset = np.searchsorted(sweep.time, step.start)
        after = sweep.voltage[onset + 1 : onset + 5].mean()
        before = sweep.voltage[onset - 5 : onset].mean()
        jumps.append(after - before)
    jump_resistance = np.mean(jumps) / step.amplitude  # mV / pA = GOhm
    assert jump_resistance <= passive.series_resistance <= 1.7 * jump_resistance


# --------------------------------------------------------------------------
# Gamma pooled over sweeps, against the cell's own repeatability
# --------------------------------------------------------------------------


def test_pooled_gamma_is_one_for_identical_trains_and_weighs_spikes():
    from course_utils.fitting import pooled_coincidence_factor

    trains = [np.array([10.0, 50.0, 90.0]), np.array([30.0])]
    windows = [(0.0, 200.0), (0.0, 200.0)]
    assert pooled_coincidence_factor(trains, trains, windows) == pytest.approx(1.0)
    # sweep 1: all 3 matched; sweep 2: its 1 spike missed. Pooled, the
    # missed spike weighs one spike of four, not half of the score.
    model = [trains[0], np.array([150.0])]
    pooled = pooled_coincidence_factor(trains, model, windows)
    separate = [coincidence_factor(d, m, w) for d, m, w in zip(trains, model, windows, strict=True)]
    assert np.mean(separate) < pooled < 1.0
    # by hand: rates 3 and 1 spikes / 200 ms, Delta 4 ms: chance 2 nu Delta = 0.12, 0.04
    numerator = (3 - 0.12 * 3) + (0 - 0.04 * 1)
    denominator = 0.5 * 6 * (1 - 0.12) + 0.5 * 2 * (1 - 0.04)
    assert pooled == pytest.approx(numerator / denominator)


def test_shipped_gamma_stands_beside_the_cells_own_repeatability(shipped_report):
    """Steps B and E play the same current: the cell against itself gives a
    pooled Gamma of about 0.2-0.45 on the held-out sweeps (constant steps
    make later spikes drift), the ceiling a model is compared with."""
    scores = shipped_report.adex_test
    assert 0.1 < scores.gamma_intrinsic < 0.5
    low, high = scores.gamma_interval
    assert low <= scores.gamma <= high
    low, high = scores.gamma_intrinsic_interval
    assert low <= scores.gamma_intrinsic <= high
    assert scores.gamma_relative == pytest.approx(scores.gamma / scores.gamma_intrinsic)
    text = scores.gamma_text()
    assert "repeatability" in text and "bootstrap" in text


DATA = SHIPPED.parent
REAL = ["171116sh_0018.abf", "171116sh_0019.abf", "17o05028_ic_steps.abf", "190619B_0003.abf"]


@pytest.mark.parametrize("name", REAL)
def test_every_real_recording_fits_without_internal_error(name):
    """The pipeline of lesson 5 on every shipped current-clamp file: the
    passive tau of the fitted model, measured like the data, within 20 % of
    tau measured directly on the same windows; the spiking fits and scores
    run (a short AdEx search keeps the test fast) and any parameter on a
    search bound is named."""
    recording = load_recording(DATA / name)
    train, test = split_sweeps(recording)
    passive = fit_passive(train)
    assert passive.apparent_time_constant == pytest.approx(passive.measured_time_constant, rel=0.20)
    # and against the feature table's tau of the whole recording (other
    # sweeps, all quiet hyperpolarising steps): the same method, other data
    from course_utils.analysis import extract_features

    direct = extract_features(recording).cell.membrane_time_constant
    assert passive.apparent_time_constant == pytest.approx(direct, rel=0.20)
    lif = fit_lif(train, passive=passive)
    adex = fit_adex(train, passive=passive, rounds=(128, 64), progress=False)
    for fit in (lif, adex):
        assert isinstance(fit.at_bounds, list)
        scores = score_model(
            test, fit.model, fit.parameters, series_resistance=passive.series_resistance
        )
        assert np.isfinite(scores.fi_rms)
        assert "Gamma" in scores.gamma_text()


def test_depolarisation_block_sweeps_are_left_out_of_the_scores():
    recording = load_recording(DATA / "171116sh_0019.abf")
    passive = fit_passive(recording)
    fit = fit_lif(recording, passive=passive)
    scores = score_model(recording, "lif", fit.parameters)
    assert set(range(17, 22)) <= set(scores.excluded)
    assert np.isnan(scores.gammas[17:]).all()


def _pathological_recordings():
    """Synthetic recordings a student might load, each odd in one way."""
    dt = 0.1
    time = np.arange(0, 1200, dt)
    steps = [
        [StepWindow(100.0, 600.0, amplitude, "B"), StepWindow(800.0, 1100.0, -50.0, "D")]
        for amplitude in (-50.0, 0.0, 100.0, 200.0)
    ]
    rng = np.random.default_rng(8)

    def passive(resistance=0.1, rest=-65.0, noise=0.2):
        rows = []
        for sweep_steps in steps:
            v = np.full(time.size, rest)
            for s in sweep_steps:
                v += (
                    resistance
                    * s.amplitude
                    * (1 - np.exp(-(np.clip(time - s.start, 0, None)) / 20))
                )
                v -= (
                    resistance * s.amplitude * (1 - np.exp(-(np.clip(time - s.stop, 0, None)) / 20))
                )
            rows.append(v + rng.normal(0.0, noise, time.size))
        return np.array(rows)

    blocked = passive(rest=-5.0)  # a cell stuck near 0 mV (or an electrode outside it)
    noisy = passive(noise=8.0)
    wrong_sign = passive(resistance=-0.1)
    return {
        "quiet": recording_from_arrays(passive(), dt, steps=steps, name="quiet"),
        "blocked": recording_from_arrays(blocked, dt, steps=steps, name="blocked"),
        "noisy": recording_from_arrays(noisy, dt, steps=steps, name="noisy"),
        "wrong_sign": recording_from_arrays(wrong_sign, dt, steps=steps, name="wrong_sign"),
    }


@pytest.mark.parametrize("name", ["quiet", "blocked", "noisy", "wrong_sign"])
def test_odd_recordings_get_a_recording_error_never_an_internal_one(name):
    """Whatever the recording, a student sees either a result or a
    RecordingError whose message names the file and the problem."""
    from course_utils.analysis import assess_recording, extract_features

    recording = _pathological_recordings()[name]
    extract_features(recording)  # features never raise for odd values
    report = assess_recording(recording)
    expected = {
        "quiet": "no test step evokes an action potential",
        "blocked": "resting potential is -5",
        "noisy": "baseline noise",
        "wrong_sign": "negative",
    }[name]
    assert expected in report.summary()
    for fit in (fit_passive, fit_lif, fit_adex):
        try:
            fit(recording)
        except RecordingError as error:
            assert recording.file_name in str(error)
        else:
            assert name == "quiet" and fit is fit_passive  # the only fit that can run


# --------------------------------------------------------------------------
# Izhikevich
# --------------------------------------------------------------------------

IZHIKEVICH_TRUE = {  # the paper's regular-spiking cell, with its input scale C
    "membrane_capacitance": 100.0,  # pF: rheobase (5 - b)^2 / 0.16 - 140 = 4 mV/ms = 400 pA
    "recovery_rate": 0.02,
    "recovery_sensitivity": 0.2,
    "reset": -65.0,
    "recovery_jump": 8.0,
}


@pytest.fixture(scope="module")
def izhikevich_recording():
    """The paper's RS cell (rest -70 mV, no voltage shift) at 10 kHz: test
    steps -200 + 100 i pA (i = 0..13) for 500 ms, its repeat after a -100 pA
    step, like the course's protocol."""
    from course_utils.neurons import simulate_izhikevich

    dt, n_samples, n_sweeps = 0.1, 24000, 14
    command = np.zeros((n_sweeps, n_samples))
    for s in range(n_sweeps):
        command[s, 1000:6000] = -200.0 + 100.0 * s
        command[s, 11000:16000] = -100.0
        command[s, 16000:21000] = -200.0 + 100.0 * s
    truth = simulate_izhikevich(duration=n_samples * dt, dt=dt, current=command, **IZHIKEVICH_TRUE)
    rng = np.random.default_rng(13)
    voltage = _with_spikes_drawn(truth.voltage, truth.spike_times, dt)
    voltage += rng.normal(0.0, 0.2, voltage.shape)
    return recording_from_arrays(voltage, dt, command=command, name="izhikevich_cell")


def test_shifted_izhikevich_is_the_paper_model_moved_up():
    """shift_izhikevich's coefficients give the paper's trajectory plus s:
    simulate the paper's RS cell and the shifted one (reset c + s, started
    at V0 + s and u0 + b s), compare voltages and spike times."""
    from course_utils.fitting import shift_izhikevich
    from course_utils.neurons import simulate_izhikevich

    s, b = 7.5, 0.2
    common = {"duration": 300.0, "dt": 0.05, "current": 1000.0, "membrane_capacitance": 100.0,
              "recovery_rate": 0.02, "recovery_sensitivity": b, "recovery_jump": 8.0}
    paper = simulate_izhikevich(reset=-65.0, initial_voltage=-70.0, initial_recovery=-14.0,
                                **common)
    moved = simulate_izhikevich(reset=-65.0 + s, initial_voltage=-70.0 + s,
                                initial_recovery=-14.0 + b * s, **shift_izhikevich(s, b),
                                **common)
    assert len(paper.spike_times[0]) > 5
    assert np.array_equal(paper.spike_times[0], moved.spike_times[0])
    assert np.allclose(moved.voltage[0], paper.voltage[0] + s, atol=1e-9)


def test_izhikevich_properties_by_hand():
    """b = 0.2, C = 100 pF, the paper's coefficients: D = 4.8^2 - 22.4 =
    0.64, rest (-4.8 - 0.8) / 0.08 = -70 mV, R_in 1 / (100 * 0.8) GOhm,
    fast tau 1 / (0.8 - 0.2) ms, rheobase 100 (4.8^2 / 0.16 - 140) = 400 pA."""
    from course_utils.fitting import izhikevich_properties

    found = izhikevich_properties({"membrane_capacitance": 100.0, "recovery_sensitivity": 0.2})
    assert found["resting_potential"] == pytest.approx(-70.0)
    assert found["input_resistance"] == pytest.approx(1.0 / 80.0)
    assert found["fast_time_constant"] == pytest.approx(1.0 / 0.6)
    assert found["rheobase"] == pytest.approx(400.0)
    assert found["threshold_potential"] == pytest.approx(-62.5)
    assert found["voltage_offset"] == pytest.approx(0.0)
    with pytest.raises(TypeError, match="parameters must be a dict"):
        izhikevich_properties([100.0, 0.2])


def test_izhikevich_fit_predicts_the_cell_it_was_fitted_to(izhikevich_recording):
    """Fitted to the paper's RS cell (rest matched to E_L = -70 mV): what
    the spike trains pin down is recovered, the steady-state rheobase (400
    pA) within 20 % and the jump of the adaptation current at a spike
    (C d = 800 pA) within 25 %; the held-out sweeps are predicted: f-I RMS
    < 2 Hz, Gamma > 0.6.

    A known limit, said in lesson 5: a, b and c are NOT recovered. The
    search (1792 candidates in 5 dimensions) ends in another valley of the
    loss, b ~ 0.06 with a voltage shift of ~10 mV instead of b = 0.2 with
    none, whose training loss is several times the truth's; so the fitted
    a, b, c, d of a real cell are one good set, not the cell's values."""
    from course_utils.fitting import fit_izhikevich, izhikevich_properties

    train, test = split_sweeps(izhikevich_recording)
    passive = fit_passive(train)
    assert passive.leak_reversal == pytest.approx(-70.0, abs=0.2)
    fit = fit_izhikevich(train, passive=passive, progress=False)
    found = fit.parameters
    assert izhikevich_properties(IZHIKEVICH_TRUE)["rheobase"] == pytest.approx(400.0)
    assert fit.derived["rheobase"] == pytest.approx(400.0, rel=0.20)
    jump_current = found["membrane_capacitance"] * found["recovery_jump"]
    assert jump_current == pytest.approx(800.0, rel=0.25)
    assert fit.derived["resting_potential"] == pytest.approx(passive.leak_reversal)
    # the limit lesson 5 states: b is not recovered (if a better search
    # finds it, this fails: update the lesson's caution)
    assert abs(found["recovery_sensitivity"] - 0.2) > 0.05
    scores = score_model(test, "izhikevich", found)
    assert scores.fi_rms < 2.0
    assert scores.gamma > 0.6


def test_izhikevich_fit_refuses_bad_input(izhikevich_recording):
    from course_utils.fitting import fit_izhikevich

    with pytest.raises(TypeError, match="recording must be a Recording"):
        fit_izhikevich(np.zeros((3, 100)))
    with pytest.raises(ValueError, match="rounds must be a non-empty sequence"):
        fit_izhikevich(izhikevich_recording, rounds=(), progress=False)
    with pytest.raises(ValueError, match="rounds must be a non-empty sequence"):
        fit_izhikevich(izhikevich_recording, rounds=(64.5,), progress=False)
    with pytest.raises(TypeError, match="passive must be a PassiveFit"):
        fit_izhikevich(izhikevich_recording, passive={"leak_reversal": -70.0})
    with pytest.raises(TypeError, match="match_rest must be True or False"):
        fit_izhikevich(izhikevich_recording, match_rest="yes")
    with pytest.raises(ValueError, match="dt"):
        fit_izhikevich(izhikevich_recording, dt=-0.1)
    dt = 0.1
    command = np.zeros((2, 5000))
    command[:, 1000:4000] = [[-50.0], [100.0]]
    quiet = -65.0 + 0.1 * command  # never fires
    with pytest.raises(RecordingError, match="no usable sweep has spikes"):
        fit_izhikevich(recording_from_arrays(quiet, dt, command=command), progress=False)


def test_shipped_izhikevich_fit_scores_on_held_out_sweeps(shipped_report):
    """On the course's recording: the fit runs, rests at E_L, its held-out
    scores are finite and Gamma stands beside the cell's repeatability with
    bootstrap intervals. What the lesson says: the rates within 2.5 Hz RMS;
    the subthreshold voltage worse than AdEx's (the fixed 0.04 /(mV ms)
    makes the model's membrane charge in about 1 ms, the cell's in tens);
    its Gamma interval overlaps AdEx's (no ranking on timing)."""
    izh, adex = shipped_report.izhikevich_test, shipped_report.adex_test
    fit = shipped_report.izhikevich
    assert fit.model == "izhikevich"
    assert fit.derived["resting_potential"] == pytest.approx(shipped_report.passive.leak_reversal)
    # the lesson: "charges near rest in under a millisecond", "C ... nowhere
    # near the membrane fit's"
    assert fit.derived["fast_time_constant"] < 1.0
    membrane = shipped_report.passive.membrane_capacitance
    assert fit.parameters["membrane_capacitance"] < 0.2 * membrane
    assert np.isfinite(izh.fi_rms) and np.isfinite(izh.subthreshold_rmse)
    assert np.isfinite(izh.gamma)
    low, high = izh.gamma_interval
    assert np.isfinite(low) and np.isfinite(high) and low <= izh.gamma <= high
    assert "repeatability" in izh.gamma_text()
    assert izh.fi_rms < 2.5
    # "far worse than AdEx's", "about as far off as the LIF's"
    lif = shipped_report.lif_test
    assert izh.subthreshold_rmse > 2.0 * adex.subthreshold_rmse
    assert 0.7 < izh.subthreshold_rmse / lif.subthreshold_rmse < 1.3
    # "its Gamma interval overlaps both of theirs"
    for other in (adex, lif):
        assert max(izh.gamma_interval[0], other.gamma_interval[0]) < min(
            izh.gamma_interval[1], other.gamma_interval[1]
        )

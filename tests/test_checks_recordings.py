"""Tests of the Lesson 5 checkers: each accepts a correct solution (written
here, independently of course_utils), rejects each typical mistake it claims
to catch with the specific message, and says "not attempted" for the
untouched scaffold. The probes the checkers build are checked too: their
known answers (input resistance, spike counts) are recomputed here by hand.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import curve_fit

from course_utils.checks import CORRECT, INCORRECT, NOT_ATTEMPTED
from course_utils.checks import recordings as checks


def assert_rejected(feedback, *fragments):
    assert feedback.status == INCORRECT, str(feedback)
    text = " ".join(str(feedback).split())
    for fragment in fragments:
        assert fragment in text, f"{fragment!r} not in:\n{text}"


def crossings(time, voltage, threshold):
    """Times of the samples where the voltage first reaches threshold from below."""
    above = (voltage >= threshold).astype(int)
    return time[1:][np.diff(above) == 1]


# --------------------------------------------------------------------------
# Exercise 5.1: spikes inside the step
# --------------------------------------------------------------------------


def count_spikes(time, voltage, step, threshold=0.0):
    times = crossings(time, voltage, threshold)
    return int(np.sum((times >= step.start) & (times < step.stop)))


def count_spikes_loop(time, voltage, step, threshold=0.0):
    count = 0
    for k in range(1, len(voltage)):
        if voltage[k - 1] < threshold <= voltage[k] and step.start <= time[k] < step.stop:
            count += 1
    return count


def count_spikes_stub(time, voltage, step, threshold=0.0):
    """Number of upward crossings."""
    ...


@pytest.mark.parametrize("solution", [count_spikes, count_spikes_loop])
def test_count_spikes_accepts_correct_solutions(solution):
    assert checks.check_count_spikes(solution, strict=True).status == CORRECT


def test_count_spikes_stub_is_not_attempted():
    assert checks.check_count_spikes(count_spikes_stub).status == NOT_ATTEMPTED


def test_count_spikes_probe_has_the_spikes_it_claims():
    time = checks._time(checks._PROBE_SWEEP)
    voltage = checks._spiky_trace(time, checks._SPIKES_IN_B + checks._SPIKES_IN_E)
    found = crossings(time, voltage, 0.0)
    assert found.size == 9
    assert np.sum((found >= 100.0) & (found < 400.0)) == 4
    # each spike lasts several samples above 0 mV, so counting samples is wrong
    assert np.count_nonzero(voltage >= 0.0) >= 5 * 9


def test_count_spikes_whole_sweep_is_double_counting():
    def whole_sweep(time, voltage, step, threshold=0.0):
        return crossings(time, voltage, threshold).size

    assert_rejected(checks.check_count_spikes(whole_sweep), "whole sweep", "twice")


def test_count_spikes_samples_above_threshold():
    def samples(time, voltage, step, threshold=0.0):
        return int(np.count_nonzero(voltage >= threshold))

    assert_rejected(checks.check_count_spikes(samples), "SAMPLES", "UPWARD")


def test_count_spikes_up_and_down_crossings():
    def both_ways(time, voltage, step, threshold=0.0):
        inside = step.contains(time)
        changes = np.diff((voltage[inside] >= threshold).astype(int)) != 0
        return int(np.count_nonzero(changes))

    assert_rejected(checks.check_count_spikes(both_ways), "counted twice")


def test_count_spikes_threshold_ignored():
    def fixed_zero(time, voltage, step, threshold=0.0):
        return count_spikes(time, voltage, step, 0.0)

    assert_rejected(checks.check_count_spikes(fixed_zero), "threshold argument is ignored")


def test_count_spikes_returning_none():
    def no_return(time, voltage, step, threshold=0.0):
        count_spikes(time, voltage, step, threshold)

    assert_rejected(checks.check_count_spikes(no_return), "returned None")


# --------------------------------------------------------------------------
# Exercise 5.2: f-I curve
# --------------------------------------------------------------------------


def fi_curve(recording, *, counter=count_spikes, window_label="B", seconds=None, nano=False):
    currents, rates = [], []
    for sweep in recording.sweeps:
        step = sweep.step(window_label)
        length = seconds if seconds is not None else (step.stop - step.start) / 1000.0
        currents.append(step.amplitude / (1000.0 if nano else 1.0))
        rates.append(counter(sweep.time, sweep.voltage, step) / length)
    return np.array(currents), np.array(rates)


def fi_stub(recording):
    """(currents, rates)."""
    ...


def test_fi_accepts_correct_solution():
    assert checks.check_fi_curve(fi_curve, strict=True).status == CORRECT


def test_fi_stub_is_not_attempted():
    assert checks.check_fi_curve(fi_stub).status == NOT_ATTEMPTED


def test_fi_probe_recording_has_the_counts_it_claims():
    recording = checks._fi_probe_recording()
    for sweep, n_b, n_e in zip(recording.sweeps, [0, 0, 1, 3, 6], [0, 0, 2, 4, 6], strict=True):
        times = crossings(sweep.time, sweep.voltage, 0.0)
        assert np.sum((times >= 100.0) & (times < 400.0)) == n_b
        assert np.sum((times >= 800.0) & (times < 1100.0)) == n_e
        assert times.size == n_b + n_e
    assert [s.step("B").amplitude for s in recording.sweeps] == [-50.0, 0.0, 50.0, 100.0, 150.0]
    assert all(s.step("D").amplitude == -100.0 for s in recording.sweeps)


def test_fi_rates_per_ms():
    def per_ms(recording):
        currents, rates = fi_curve(recording)
        return currents, rates / 1000.0

    assert_rejected(checks.check_fi_curve(per_ms), "1000x too small", "per second")


def test_fi_whole_sweep_counts():
    def whole(time, voltage, step, threshold=0.0):
        return crossings(time, voltage, threshold).size

    assert_rejected(
        checks.check_fi_curve(lambda r: fi_curve(r, counter=whole)), "whole sweep", "twice"
    )


def test_fi_whole_sweep_over_sweep_length():
    def whole(time, voltage, step, threshold=0.0):
        return crossings(time, voltage, threshold).size

    def mean_rate(recording):
        return fi_curve(recording, counter=whole, seconds=1.2)  # the probe sweep is 1200 ms

    assert_rejected(checks.check_fi_curve(mean_rate), "mean rate over the sweep")


def test_fi_step_count_over_sweep_length():
    assert_rejected(
        checks.check_fi_curve(lambda r: fi_curve(r, seconds=1.2)), "length of the whole sweep"
    )


def test_fi_current_of_step_d():
    def step_d_currents(recording):
        _, rates = fi_curve(recording)
        currents, _ = fi_curve(recording, window_label="D")
        return currents, rates

    assert_rejected(checks.check_fi_curve(step_d_currents), "step D")


def test_fi_currents_in_nanoampere():
    assert_rejected(checks.check_fi_curve(lambda r: fi_curve(r, nano=True)), "nA")


def test_fi_wrong_return_type():
    assert_rejected(checks.check_fi_curve(lambda r: 3.0), "two arrays")


# --------------------------------------------------------------------------
# Exercise 5.3: input resistance
# --------------------------------------------------------------------------


def input_resistance(time, voltage, step):
    baseline = np.median(voltage[(time >= step.start - 100.0) & (time < step.start)])
    steady = np.median(voltage[(time >= step.stop - 100.0) & (time < step.stop)])
    return (steady - baseline) / step.amplitude


def input_resistance_means(time, voltage, step):
    # eFEL's convention: mean before the step, mean over the last 10 % of it
    baseline = voltage[time < step.start].mean()
    last = (time >= step.stop - 0.1 * (step.stop - step.start)) & (time < step.stop)
    return float((voltage[last].mean() - baseline) / step.amplitude)


def input_resistance_stub(time, voltage, step):
    """R in GOhm."""
    ...


@pytest.mark.parametrize("solution", [input_resistance, input_resistance_means])
def test_input_resistance_accepts_correct_solutions(solution):
    assert checks.check_input_resistance(solution, strict=True).status == CORRECT


def test_input_resistance_stub_is_not_attempted():
    assert checks.check_input_resistance(input_resistance_stub).status == NOT_ATTEMPTED


def test_input_resistance_probes_have_the_resistance_they_claim():
    time, voltage = checks._passive_probe(**checks._SAGGING)
    assert input_resistance(time, voltage, checks._SAGGING_STEP) == pytest.approx(0.12, rel=0.01)
    # the sag: the response goes at least 15 % beyond its steady state
    step = checks._SAGGING_STEP
    peak = voltage[(time >= step.start) & (time < step.stop)].min()
    assert (peak + 65.0) / -100.0 > 1.15 * 0.12
    time, voltage = checks._passive_probe(**checks._RISING)
    assert input_resistance(time, voltage, checks._RISING_STEP) == pytest.approx(0.2, rel=0.01)


def test_input_resistance_in_megaohm():
    def megaohm(time, voltage, step):
        return input_resistance(time, voltage, step) * 1000.0

    assert_rejected(checks.check_input_resistance(megaohm), "1000x too large", "MOhm")


def test_input_resistance_with_current_in_nanoampere():
    def nanoampere(time, voltage, step):
        return input_resistance(time, voltage, step) * step.amplitude / (step.amplitude / 1000)

    assert_rejected(checks.check_input_resistance(nanoampere), "1000x too large", "nA")


def test_input_resistance_sign():
    def flipped(time, voltage, step):
        return -input_resistance(time, voltage, step)

    assert_rejected(checks.check_input_resistance(flipped), "negative resistance")


def test_input_resistance_at_the_peak():
    def at_peak(time, voltage, step):
        baseline = np.median(voltage[(time >= step.start - 100.0) & (time < step.start)])
        peak = voltage[(time >= step.start) & (time < step.stop)].min()
        return (peak - baseline) / step.amplitude

    assert_rejected(checks.check_input_resistance(at_peak), "peak", "STEADY-STATE")


def test_input_resistance_hard_coded_amplitude():
    def minus_100(time, voltage, step):
        baseline = np.median(voltage[(time >= step.start - 100.0) & (time < step.start)])
        steady = np.median(voltage[(time >= step.stop - 100.0) & (time < step.stop)])
        return (steady - baseline) / -100.0

    assert_rejected(checks.check_input_resistance(minus_100), "hard-coded")


def test_input_resistance_windows_in_seconds():
    def seconds(time, voltage, step):
        start, stop = step.start / 1000.0, step.stop / 1000.0
        baseline = np.median(voltage[(time >= start - 0.1) & (time < start)])
        steady = np.median(voltage[(time >= stop - 0.1) & (time < stop)])
        return (steady - baseline) / step.amplitude

    assert_rejected(checks.check_input_resistance(seconds), "almost 0", "in ms")


def test_input_resistance_empty_window_gives_nan():
    def empty_window(time, voltage, step):
        return float("nan")

    assert_rejected(checks.check_input_resistance(empty_window), "NaN", "no samples")


# --------------------------------------------------------------------------
# Exercise 5.4: membrane time constant
# --------------------------------------------------------------------------


def tau_fit(time, voltage, step, fit_duration=50.0):
    mask = (time >= step.start) & (time < step.start + fit_duration)
    t, v = time[mask] - step.start, voltage[mask]
    params, _ = curve_fit(
        lambda t, a, b, tau: a + b * np.exp(-t / tau), t, v, p0=(v[-1], v[0] - v[-1], 10.0)
    )
    return params[2]


def tau_stub(time, voltage, step, fit_duration=50.0):
    """tau in ms."""
    ...


def test_time_constant_accepts_correct_solution():
    assert checks.check_time_constant(tau_fit, strict=True).status == CORRECT


def test_time_constant_stub_is_not_attempted():
    assert checks.check_time_constant(tau_stub).status == NOT_ATTEMPTED


def test_time_constant_plain_probe_has_tau_25_ms():
    time, voltage = checks._passive_probe(**checks._PLAIN)
    assert tau_fit(time, voltage, checks._PLAIN["step"], 60.0) == pytest.approx(25.0, rel=0.03)


def test_time_constant_on_absolute_time_is_rejected():
    """Issue 10: a fit that works on probes starting at 100 ms and fails on
    the lesson's step D, which starts at 1146.85 ms (t not measured from the
    onset). Written independently of the checker's own fit."""

    def absolute(time, voltage, step, fit_duration=50.0):
        mask = (time >= step.start) & (time < step.start + fit_duration)
        v = voltage[mask]
        params, _ = curve_fit(
            lambda t, a, b, tau: a + b * np.exp(-t / tau),
            time[mask],
            v,
            p0=(v[-1], v[0] - v[-1], 20.0),
            maxfev=5000,
        )
        return params[2]

    assert_rejected(checks.check_time_constant(absolute), "absolute time")


def test_time_constant_with_a_different_guess_and_scipy_least_squares_is_accepted():
    from scipy.optimize import least_squares

    def other(time, voltage, step, fit_duration=50.0):
        mask = (time >= step.start) & (time < step.start + fit_duration)
        t, v = time[mask] - step.start, voltage[mask]
        result = least_squares(
            lambda p: p[0] + p[1] * np.exp(-t / p[2]) - v, x0=(v.mean(), -1.0, 5.0)
        )
        return float(result.x[2])

    assert checks.check_time_constant(other, strict=True).status == CORRECT


def test_adaptation_index_none_for_few_spikes_is_named():
    def none_for_few(spike_times):
        if len(spike_times) < 4:
            return None
        isi = np.diff(spike_times)
        return float(np.mean((isi[1:] - isi[:-1]) / (isi[1:] + isi[:-1])))

    assert_rejected(checks.check_adaptation_index(none_for_few), "returns None", "NaN")


def test_time_constant_in_seconds():
    def seconds(time, voltage, step, fit_duration=50.0):
        return tau_fit(time, voltage, step, fit_duration) / 1000.0

    assert_rejected(checks.check_time_constant(seconds), "seconds")


def test_time_constant_fitted_over_the_whole_step():
    def whole_step(time, voltage, step, fit_duration=50.0):
        return tau_fit(time, voltage, step, step.stop - step.start)

    assert_rejected(checks.check_time_constant(whole_step), "WHOLE step", "sag")


def test_time_constant_rate_instead_of_tau():
    def rate(time, voltage, step, fit_duration=50.0):
        return 1.0 / tau_fit(time, voltage, step, fit_duration)

    assert_rejected(checks.check_time_constant(rate), "1 / tau")


def test_time_constant_failed_fit():
    def no_convergence(time, voltage, step, fit_duration=50.0):
        raise RuntimeError("Optimal parameters not found")

    assert_rejected(checks.check_time_constant(no_convergence), "did not converge")


# --------------------------------------------------------------------------
# Exercise 5.6: adaptation index
# --------------------------------------------------------------------------


def adaptation(spike_times):
    if len(spike_times) < 4:
        return float("nan")
    isi = np.diff(spike_times)
    return float(np.mean([(b - a) / (b + a) for a, b in zip(isi[:-1], isi[1:], strict=True)]))


def adaptation_stub(spike_times):
    """Adaptation index."""
    ...


def test_adaptation_accepts_correct_solution():
    assert checks.check_adaptation_index(adaptation, strict=True).status == CORRECT


def test_adaptation_stub_is_not_attempted():
    assert checks.check_adaptation_index(adaptation_stub).status == NOT_ATTEMPTED


def test_adaptation_probe_value_by_hand():
    # intervals 20, 25, 30, 35, 40 ms: pairs 5/45, 5/55, 5/65, 5/75
    expected = np.mean([5 / 45, 5 / 55, 5 / 65, 5 / 75])
    assert adaptation(checks._ADAPTING) == pytest.approx(expected, rel=1e-12)


def test_adaptation_sign_flipped():
    assert_rejected(checks.check_adaptation_index(lambda t: -adaptation(t)), "sign is flipped")


def test_adaptation_on_spike_times():
    def on_times(spike_times):
        t = np.asarray(spike_times)
        return float(np.mean((t[1:] - t[:-1]) / (t[1:] + t[:-1])))

    assert_rejected(checks.check_adaptation_index(on_times), "spike times")


def test_adaptation_not_normalised():
    def raw(spike_times):
        return float(np.mean(np.diff(np.diff(spike_times))))

    assert_rejected(checks.check_adaptation_index(raw), "not divided")


def test_adaptation_no_nan_for_few_spikes():
    def no_guard(spike_times):
        isi = np.diff(spike_times)
        return float(np.mean((isi[1:] - isi[:-1]) / (isi[1:] + isi[:-1])))

    assert_rejected(checks.check_adaptation_index(no_guard), "fewer than 4 spikes")


# --------------------------------------------------------------------------
# The lesson's explorer (course_utils.widgets.recording_explorer)
# --------------------------------------------------------------------------


@pytest.fixture
def explorer():
    import matplotlib

    matplotlib.use("Agg")
    from course_utils.widgets import recording_explorer

    made = recording_explorer(checks._fi_probe_recording(), sweep=4)
    made.output = None  # no notebook: render the PNG only
    return made


def test_explorer_shows_only_the_chosen_models_sliders(explorer):
    def visible(prefix):
        return {
            name
            for name, control in explorer.controls.items()
            if name.startswith(prefix) and control.layout.display != "none"
        }

    assert visible("lif_") and not visible("adex_")
    explorer.controls["model"].value = "adex"
    assert visible("adex_") and not visible("lif_")


def test_explorer_reports_a_reset_above_threshold_instead_of_raising(explorer):
    explorer.redraw(model="lif", lif_threshold=-50.0, lif_reset=-40.0)
    assert "reset must be below the threshold" in explorer.figure.axes[0].get_title()


def test_explorer_title_counts_spikes_in_the_test_step(explorer):
    # probe sweep 4: +150 pA, 6 spikes in step B (and 6 more in step E).
    # LIF with g_L = 10 nS, E_L = -60 mV: V_inf = -60 + 150 / 10 = -45 mV, so it
    # fires with V_th = -50 mV and never with V_th = -40 mV.
    cell = dict(model="lif", lif_leak_conductance=10.0, leak_reversal=-60.0, lif_reset=-60.0)
    explorer.redraw(lif_threshold=-40.0, **cell)
    assert "data 6, model 0" in explorer.figure.axes[0].get_title()
    explorer.redraw(lif_threshold=-50.0, **cell)
    assert "model 0" not in explorer.figure.axes[0].get_title()


def test_explorer_rejects_bad_arguments():
    from course_utils.widgets import recording_explorer

    with pytest.raises(TypeError, match="recording must be a Recording"):
        recording_explorer("171116sh_0018.abf")
    with pytest.raises(ValueError, match="sweep is 9"):
        recording_explorer(checks._fi_probe_recording(), sweep=9)


# --------------------------------------------------------------------------
# Exercise 5.5: fit the membrane yourself
# --------------------------------------------------------------------------


def rc_fit(time, voltage, step, fit_duration=100.0, *, absolute=False, order=(0, 1)):
    """A student's answer: residuals of the RC step response + least_squares."""
    from scipy.optimize import least_squares

    v0 = voltage[(time >= step.start - 50.0) & (time < step.start)].mean()
    mask = (time >= step.start) & (time < step.start + fit_duration)
    t = time[mask] if absolute else time[mask] - step.start
    v = voltage[mask]

    def residuals(params):
        c, g = params
        return v0 + step.amplitude / g * (1.0 - np.exp(-t * g / c)) - v

    result = least_squares(residuals, x0=[100.0, 5.0], bounds=([1.0, 0.01], [1e4, 1e3]))
    return tuple(result.x[list(order)])


def test_fit_rc_membrane_accepts_least_squares():
    assert checks.check_fit_rc_membrane(rc_fit, strict=True).status == CORRECT


def test_fit_rc_membrane_accepts_minimize_on_a_sum_of_squares():
    """Written differently: a scalar objective, Nelder-Mead, log parameters."""
    from scipy.optimize import minimize

    def fit(time, voltage, step, fit_duration=100.0):
        base = np.mean(voltage[(time >= step.start - 50.0) & (time < step.start)])
        inside = (time >= step.start) & (time < step.start + fit_duration)
        t = time[inside] - step.start

        def cost(log_params):
            c, g = np.exp(log_params)
            return np.sum(
                (base + step.amplitude / g * (1 - np.exp(-t * g / c)) - voltage[inside]) ** 2
            )

        best = minimize(
            cost,
            np.log([100.0, 5.0]),
            method="Nelder-Mead",
            options={"xatol": 1e-8, "fatol": 1e-10, "maxiter": 4000},
        )
        return np.exp(best.x)

    assert checks.check_fit_rc_membrane(fit, strict=True).status == CORRECT


def test_fit_rc_membrane_swapped_is_named():
    assert_rejected(checks.check_fit_rc_membrane(lambda *a: rc_fit(*a, order=(1, 0))), "swapped")


def test_fit_rc_membrane_absolute_time_is_named():
    assert_rejected(checks.check_fit_rc_membrane(lambda *a: rc_fit(*a, absolute=True)), "onset")


def test_fit_rc_membrane_tau_and_resistance_are_named():
    def tau_and_r(time, voltage, step, fit_duration=100.0):
        c, g = rc_fit(time, voltage, step, fit_duration)
        return c / g, 1.0 / g

    assert_rejected(checks.check_fit_rc_membrane(tau_and_r), "tau (ms) or R (GOhm)")


def test_fit_rc_membrane_nanofarads_are_named():
    def nano(time, voltage, step, fit_duration=100.0):
        c, g = rc_fit(time, voltage, step, fit_duration)
        return c / 1000.0, g / 1000.0

    assert_rejected(checks.check_fit_rc_membrane(nano), "1000x too small")


def test_fit_rc_membrane_hard_coded_current_is_rejected():
    def hard_coded(time, voltage, step, fit_duration=100.0):
        from course_utils.data import StepWindow

        fixed = StepWindow(step.start, step.stop, -100.0, step.label)
        return rc_fit(time, voltage, fixed, fit_duration)

    feedback = checks.check_fit_rc_membrane(hard_coded)
    assert feedback.status != CORRECT


def test_fit_rc_membrane_none_is_named():
    def forgot(time, voltage, step, fit_duration=100.0):
        rc_fit(time, voltage, step, fit_duration)

    assert_rejected(checks.check_fit_rc_membrane(forgot), "two numbers")

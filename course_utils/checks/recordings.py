"""Checkers for Lesson 5, "Fitting to data".

Units: time in ms, voltage in mV, current in pA, resistance in GOhm
(= mV / pA), rate in Hz (see :mod:`course_utils`).

Each checker runs the student's function on small synthetic recordings
whose answer is known by construction (a step response with a chosen input
resistance and sag, spikes placed at chosen times) and recognises the
typical mistakes of its exercise:

* spike count (5.1): the whole sweep counted instead of the step window
  (this protocol plays the test step twice), samples above threshold
  counted instead of crossings, downward crossings counted too, the
  threshold argument ignored;
* f-I curve (5.2): spikes per ms instead of Hz, the count divided by the
  sweep length instead of the step length, the whole sweep counted, the
  current of the wrong step, nA instead of pA;
* input resistance (5.3): MOhm instead of GOhm or the current in nA
  (1000x), the wrong sign, the peak of the response instead of its steady
  state (the sag makes R too large), a hard-coded step amplitude, empty
  windows;
* membrane time constant (5.4): the result in s, a fit over the whole step (the
  sag pulls the fitted tau down), the rate 1 / tau, absolute time instead of
  time since the onset (a probe whose step starts at 1146.85 ms);
* fit the membrane yourself (5.5): C and g_L swapped, tau or R returned,
  nF/uS instead of pF/nS, absolute time (a step at 1146.85 ms), a
  hard-coded current (a +50 pA probe), a fit that raises;
* adaptation index (5.6): spike times instead of intervals, the sign flipped,
  differences not normalised, no NaN (or None) for too few spikes.

Reference values come from the construction of each probe and, for the
fitted time constant, from :func:`course_utils.analysis.fit_time_constant`
on the same interval.
"""

from __future__ import annotations

import math

import numpy as np

from ..data import StepWindow, recording_from_arrays
from . import returned_number, run_check

__all__ = [
    "check_adaptation_index",
    "check_count_spikes",
    "check_fit_rc_membrane",
    "check_fi_curve",
    "check_input_resistance",
    "check_time_constant",
]

PROBE_DT = 0.05
"""Sampling interval of the probes in ms (20 kHz, like the lesson's recording)."""


def _time(duration: float) -> np.ndarray:
    return np.arange(int(round(duration / PROBE_DT))) * PROBE_DT


def _near(value: float, target: float, rtol: float) -> bool:
    return bool(np.isfinite(value)) and abs(value - target) <= rtol * abs(target)


def _step_deflection(elapsed, amplitude, resistance, sag_resistance, tau, sag_time_constant):
    """Voltage change (mV) ``elapsed`` ms after a step of ``amplitude`` pA turns on.

    A membrane with time constant ``tau`` charges towards
    ``amplitude * (resistance + sag_resistance)``; the ``sag_resistance`` part
    decays with ``sag_time_constant``, so the response overshoots and settles
    at ``amplitude * resistance``: a sag like the one an h-current makes.
    Zero before the onset.
    """
    s = np.clip(elapsed, 0.0, None)
    charging = 1.0 - np.exp(-s / tau)
    if sag_resistance:
        sag = sag_resistance * charging * np.exp(-s / sag_time_constant)
    else:
        sag = 0.0
    return amplitude * (resistance * charging + sag)


def _passive_probe(
    *, duration, step, rest, resistance, sag_resistance, tau, sag_time_constant, noise, seed
):
    """(time, voltage) of a cell at ``rest`` mV receiving one current step."""
    time = _time(duration)
    args = (step.amplitude, resistance, sag_resistance, tau, sag_time_constant)
    voltage = (
        rest
        + _step_deflection(time - step.start, *args)
        - _step_deflection(time - step.stop, *args)
    )
    voltage = voltage + np.random.default_rng(seed).normal(0.0, noise, time.size)
    return time, voltage


# --------------------------------------------------------------------------
# Exercise 5.1: spikes inside the step
# --------------------------------------------------------------------------

_SPIKE_HEIGHT = 95.0  # mV above the trace's baseline
_SPIKE_WIDTH = 0.4  # ms; each spike stays above 0 mV for about 0.5 ms


def _spiky_trace(time, spike_times, rest=-65.0):
    """A flat trace at ``rest`` mV with a narrow Gaussian spike at each time."""
    voltage = np.full(time.shape, rest)
    for t in spike_times:
        near = np.abs(time - t) < 10 * _SPIKE_WIDTH
        voltage[near] += _SPIKE_HEIGHT * np.exp(-(((time[near] - t) / _SPIKE_WIDTH) ** 2))
    return voltage


# Like the lesson's protocol: test step B, a fixed -100 pA step D, step E = B.
_PROBE_B = (100.0, 400.0)
_PROBE_D = (600.0, 800.0)
_PROBE_E = (800.0, 1100.0)
_PROBE_SWEEP = 1200.0  # ms
_SPIKES_IN_B = [130.0, 190.0, 260.0, 345.0]
_SPIKES_IN_E = [820.0, 870.0, 940.0, 1010.0, 1090.0]

_WHOLE_SWEEP_HINT = (
    "this protocol plays the test step twice (step B and step E = B) with a -100 pA "
    "step in between: count only the spikes whose crossing time t satisfies "
    "step.start <= t < step.stop."
)
_CROSSING_HINT = (
    "a spike is one UPWARD crossing of the threshold: the samples where "
    "voltage[:-1] < threshold and voltage[1:] >= threshold."
)


def check_count_spikes(attempt, *, strict=False):
    """Exercise 5.1: ``count_spikes(time, voltage, step, threshold=0.0)``.

    Catches: the whole sweep counted (the test step is played twice),
    samples above threshold counted instead of crossings, upward and downward
    crossings both counted.
    """

    def evaluate(count_spikes, report):
        time = _time(_PROBE_SWEEP)
        voltage = _spiky_trace(time, _SPIKES_IN_B + _SPIKES_IN_E)
        step = StepWindow(*_PROBE_B, 150.0, "B")
        count = returned_number(count_spikes(time, voltage, step), "a number of spikes", report)
        if count is None:
            return
        expected = len(_SPIKES_IN_B)
        if count == expected:
            report.ok(f"{expected} spikes inside the step window")
        elif count == expected + len(_SPIKES_IN_E):
            report.fail(
                f"you count {count:g} spikes, but only {expected} fall inside the step: "
                "you counted the whole sweep, which plays the step twice.",
                _WHOLE_SWEEP_HINT,
            )
            return
        elif count == 2 * expected:
            report.fail(
                f"you count {count:g} spikes instead of {expected}: every spike is "
                "counted twice (once on the way up, once on the way down).",
                _CROSSING_HINT,
            )
            return
        elif count > 3 * (expected + len(_SPIKES_IN_E)):
            report.fail(
                f"you count {count:g} spikes instead of {expected}: that is the number "
                "of SAMPLES above the threshold (each spike lasts several samples at "
                "20 kHz).",
                _CROSSING_HINT,
            )
            return
        else:
            report.fail(
                f"you count {count:g} spikes; {expected} upward crossings of 0 mV lie "
                "inside the step.",
                _CROSSING_HINT + " Then keep the crossings inside the step.",
            )
            return

        quiet = StepWindow(*_PROBE_D, -100.0, "D")
        count = returned_number(count_spikes(time, voltage, quiet), "a number of spikes", report)
        if count is None:
            return
        report.expect(
            count == 0,
            "0 spikes in a window without spikes",
            f"you count {count:g} spikes in a window ({quiet.start:g}-{quiet.stop:g} ms) "
            "that holds none.",
            _WHOLE_SWEEP_HINT,
        )
        low = returned_number(
            count_spikes(time, voltage - 40.0, step, threshold=-40.0),
            "a number of spikes",
            report,
        )
        if low is None:
            return
        report.expect(
            low == expected,
            "uses the threshold argument",
            f"with every voltage 40 mV lower and threshold=-40.0 you count {low:g} "
            f"spikes instead of {expected}: the threshold argument is ignored.",
            "compare the voltage with the threshold argument, not with a fixed 0.",
        )

    return run_check("Exercise 5.1: spikes inside the step", attempt, evaluate, strict=strict)


# --------------------------------------------------------------------------
# Exercise 5.2: f-I curve
# --------------------------------------------------------------------------

_FI_AMPLITUDES = [-50.0, 0.0, 50.0, 100.0, 150.0]  # pA, steps B and E
_FI_SPIKES_B = [0, 0, 1, 3, 6]
_FI_SPIKES_E = [0, 0, 2, 4, 6]


def _evenly(n, window):
    start, stop = window
    return list(start + (np.arange(n) + 0.5) * (stop - start) / n)


def _fi_probe_recording():
    """A 5-sweep recording with the lesson's protocol and known spike counts."""
    time = _time(_PROBE_SWEEP)
    voltages, steps = [], []
    for amplitude, n_b, n_e in zip(_FI_AMPLITUDES, _FI_SPIKES_B, _FI_SPIKES_E, strict=True):
        sweep_steps = (
            StepWindow(*_PROBE_B, amplitude, "B"),
            StepWindow(*_PROBE_D, -100.0, "D"),
            StepWindow(*_PROBE_E, amplitude, "E"),
        )
        voltage = _spiky_trace(time, _evenly(n_b, _PROBE_B) + _evenly(n_e, _PROBE_E))
        for step in sweep_steps:
            # a passive 0.1 GOhm response, so the sweeps look like a recording
            voltage = voltage + 0.1 * step.amplitude * step.contains(time)
        voltages.append(voltage)
        steps.append(sweep_steps)
    return recording_from_arrays(
        np.array(voltages), PROBE_DT, steps=steps, name="probe", protocol="B, D, E=B"
    )


def check_fi_curve(attempt, *, strict=False):
    """Exercise 5.2: ``fi_curve_by_hand(recording) -> (currents, rates)``.

    Catches: rates in spikes per ms (1000x too small), the count divided by
    the sweep length instead of the step length, the whole sweep counted
    (steps B and E), the current of step D (-100 pA in every sweep) or in nA.
    """

    def evaluate(fi_curve_by_hand, report):
        recording = _fi_probe_recording()
        result = fi_curve_by_hand(recording)
        try:
            currents, rates = result
            currents = np.asarray(currents, dtype=float).ravel()
            rates = np.asarray(rates, dtype=float).ravel()
        except (TypeError, ValueError):
            report.fail(
                f"your function returned {type(result).__name__}; expected two arrays "
                "(currents in pA, rates in Hz).",
                "end with: return np.array(currents), np.array(rates)",
            )
            return
        n = recording.n_sweeps
        if currents.size != n or rates.size != n:
            report.fail(
                f"for a recording of {n} sweeps you return {currents.size} currents and "
                f"{rates.size} rates.",
                "loop over recording.sweeps and append one current and one rate per sweep.",
            )
            return
        amplitudes = np.array(_FI_AMPLITUDES)
        step_length = (_PROBE_B[1] - _PROBE_B[0]) / 1000.0  # s
        expected = np.array(_FI_SPIKES_B) / step_length  # Hz
        if np.allclose(currents, amplitudes):
            report.ok("currents: the amplitude of the test step B of each sweep, in pA")
        elif np.allclose(currents, -100.0):
            report.fail(
                "every current is -100 pA: that is step D, the fixed hyperpolarising "
                "step, not the test step.",
                "use sweep.step('B').amplitude, the step that changes from sweep to sweep.",
            )
        elif np.allclose(currents * 1000.0, amplitudes):
            report.fail(
                "your currents are 1000x too small (nA instead of pA).",
                "keep the currents in pA, as step.amplitude gives them.",
            )
        else:
            report.fail(
                f"the currents should be the test-step amplitudes {amplitudes.tolist()} pA, "
                f"but you return {np.round(currents, 3).tolist()}.",
                "use sweep.step('B').amplitude for each sweep.",
            )

        whole = np.array(_FI_SPIKES_B) + np.array(_FI_SPIKES_E)
        sweep_length = _PROBE_SWEEP / 1000.0  # s
        if np.allclose(rates, expected):
            report.ok(f"rates in Hz: {np.round(expected, 2).tolist()}")
        elif np.allclose(rates * 1000.0, expected):
            report.fail(
                "your rates are 1000x too small: spikes per ms, not per second.",
                "the step lasts step.duration ms = step.duration / 1000 s: "
                "rate = count / (step.duration / 1000) Hz.",
            )
        elif np.allclose(rates, whole / step_length):
            report.fail(
                "your rates are too high (about twice): you counted the spikes of the "
                "whole sweep, which plays the test step twice (B and E).",
                _WHOLE_SWEEP_HINT,
            )
        elif np.allclose(rates, whole / sweep_length):
            report.fail(
                "you counted the spikes of the whole sweep and divided by the sweep "
                "length: that is the mean rate over the sweep, not the rate during "
                "the step.",
                "count only inside sweep.step('B') and divide by its duration "
                "(step.duration / 1000 s).",
            )
        elif np.allclose(rates, np.array(_FI_SPIKES_B) / sweep_length):
            report.fail(
                "your rates are too low: the count inside the step is divided by the "
                "length of the whole sweep instead of the length of the step.",
                "rate = count / (step.duration / 1000) Hz.",
            )
        else:
            report.fail(
                f"the rates should be {np.round(expected, 2).tolist()} Hz, but you "
                f"return {np.round(rates, 3).tolist()}.",
                "rate = (spikes inside step B) / (step.duration / 1000) Hz.",
            )

    return run_check("Exercise 5.2: the f-I curve", attempt, evaluate, strict=strict)


# --------------------------------------------------------------------------
# Exercise 5.3: input resistance
# --------------------------------------------------------------------------

_GOHM_HINT = (
    "mV / pA = GOhm: a -11 mV steady-state deflection for -100 pA is 0.11 GOhm "
    "(= 110 MOhm). Keep the voltage in mV and the current in pA and do not "
    "multiply by 1000."
)
_SAG_HINT = (
    "the voltage first goes beyond its steady state and then sags back (an h-current): the input "
    "resistance is the STEADY-STATE deflection. Take the median voltage of the last "
    "100 ms of the step, not its minimum."
)
_WINDOW_HINT = (
    "time, step.start and step.stop are all in ms: the baseline is "
    "voltage[(time >= step.start - 100) & (time < step.start)], the steady state "
    "voltage[(time >= step.stop - 100) & (time < step.stop)]."
)

# With-sag probe: R = 0.12 GOhm; the peak deflection is ~25 % larger.
_SAGGING_STEP = StepWindow(200.0, 700.0, -100.0, "D")
_SAGGING = dict(
    duration=1000.0,
    step=_SAGGING_STEP,
    rest=-65.0,
    resistance=0.12,
    sag_resistance=0.1,
    tau=20.0,
    sag_time_constant=80.0,
    noise=0.2,
    seed=5,
)
# Depolarising probe without sag: R = 0.2 GOhm for +40 pA.
_RISING_STEP = StepWindow(150.0, 550.0, 40.0, "B")
_RISING = dict(
    duration=800.0,
    step=_RISING_STEP,
    rest=-70.0,
    resistance=0.2,
    sag_resistance=0.0,
    tau=25.0,
    sag_time_constant=1.0,
    noise=0.2,
    seed=6,
)


def check_input_resistance(attempt, *, strict=False):
    """Exercise 5.3: ``measure_input_resistance(time, voltage, step)`` in GOhm.

    Catches: MOhm instead of GOhm or nA instead of pA (1000x), a negative
    resistance (sign), the peak deflection instead of the steady state (sag),
    a hard-coded -100 pA, NaN from an empty window.
    """

    def evaluate(measure_input_resistance, report):
        results = {}
        for name, probe in (("sag", _SAGGING), ("rising", _RISING)):
            time, voltage = _passive_probe(**probe)
            value = returned_number(
                measure_input_resistance(time, voltage, probe["step"]),
                "an input resistance in GOhm",
                report,
            )
            if value is None:
                return
            results[name] = (value, probe, time, voltage)

        value, probe, time, voltage = results["sag"]
        expected = probe["resistance"]
        step = probe["step"]
        if not np.isfinite(value):
            report.fail(
                "your function returned NaN for a -100 pA step: one of your windows "
                "holds no samples (the median of nothing is NaN).",
                _WINDOW_HINT,
            )
            return
        if not _near(value, expected, 0.04):
            ratio = value / expected
            baseline = np.median(voltage[(time >= step.start - 100) & (time < step.start)])
            peak = voltage[step.contains(time)].min()
            peak_resistance = (peak - baseline) / step.amplitude
            if _near(abs(ratio), 1000.0, 0.05):
                report.fail(
                    f"for a -100 pA step with a -12 mV steady-state deflection you return "
                    f"{value:.4g}: 1000x too large (MOhm instead of GOhm, or the current "
                    "in nA).",
                    _GOHM_HINT,
                )
            elif _near(abs(ratio), 0.001, 0.05):
                report.fail(
                    f"you return {value:.4g}: 1000x too small (the current converted "
                    "to fA or the voltage to V?).",
                    _GOHM_HINT,
                )
            elif abs(ratio) < 0.1:
                report.fail(
                    f"you return {value:.4g} GOhm, almost 0: your baseline and steady-state "
                    "windows see the same voltage, so neither lies inside the step (are "
                    "they in s while time is in ms?).",
                    _WINDOW_HINT,
                )
            elif ratio < 0:
                report.fail(
                    f"you return a negative resistance ({value:.4g}): the deflection and "
                    "the current have the same sign, so R = deflection / current is "
                    "positive.",
                    "R = (steady state - baseline) / step.amplitude: for a "
                    "hyperpolarising step both are negative (-12 mV / -100 pA = "
                    "+0.12 GOhm). Use step.amplitude, with its sign.",
                )
            elif value > expected * 1.08 and value <= peak_resistance * 1.03:
                report.fail(
                    f"you return {value:.4g} GOhm, but the steady-state deflection gives "
                    f"{expected:g} GOhm: you measured the peak of the response, which "
                    "goes beyond the steady state before the sag pulls it back.",
                    _SAG_HINT,
                )
            else:
                report.fail(
                    f"for this -100 pA step you return {value:.4g} GOhm; the steady-state "
                    f"deflection gives {expected:g} GOhm.",
                    "baseline = median voltage in the 100 ms before the step; steady "
                    "state = median voltage in the last 100 ms of the step; "
                    "R = (steady state - baseline) / step.amplitude (GOhm = mV / pA).",
                )
            return
        report.ok(
            f"{value:.3f} GOhm for a -100 pA step whose response sags: the steady "
            "state, not the peak"
        )
        value, probe, _, _ = results["rising"]
        expected = probe["resistance"]
        if _near(value, expected, 0.04):
            report.ok(f"{value:.3f} GOhm for a +40 pA step too")
        elif _near(value, expected * 40.0 / -100.0, 0.05):
            report.fail(
                f"for a +40 pA step you return {value:.4g} GOhm instead of {expected:g}: "
                "the step's current is hard-coded as -100 pA.",
                "divide by step.amplitude, so that the function works for any step.",
            )
        else:
            report.fail(
                f"for a +40 pA step (R = {expected:g} GOhm) you return {value:.4g} GOhm.",
                "make the function work for depolarising steps too: take the median "
                "voltages (not the minimum) and divide by step.amplitude.",
            )

    return run_check("Exercise 5.3: input resistance", attempt, evaluate, strict=strict)


# --------------------------------------------------------------------------
# Exercise 5.4: membrane time constant
# --------------------------------------------------------------------------

_PLAIN = dict(
    duration=600.0,
    step=StepWindow(100.0, 500.0, -50.0, "D"),
    rest=-68.0,
    resistance=0.15,
    sag_resistance=0.0,
    tau=25.0,
    sag_time_constant=1.0,
    noise=0.1,
    seed=7,
)
_WITH_SAG = dict(
    duration=1000.0,
    step=StepWindow(200.0, 700.0, -100.0, "D"),
    rest=-65.0,
    resistance=0.1,
    sag_resistance=0.08,
    tau=30.0,
    sag_time_constant=60.0,
    noise=0.2,
    seed=8,
)
# Like the lesson's step D, which starts 1147 ms into the sweep: a fit on
# absolute time (exp(-t / tau) with t ~ 1147-1197 ms) fails or drifts here.
_LATE = dict(
    duration=1800.0,
    step=StepWindow(1146.85, 1646.9, -100.0, "D"),
    rest=-62.0,
    resistance=0.11,
    sag_resistance=0.03,
    tau=35.0,
    sag_time_constant=120.0,
    noise=0.15,
    seed=9,
)
_ABSOLUTE_HINT = (
    "measure time from the step onset: t = time[mask] - step.start. With t in "
    "absolute ms (about 1147-1197 ms here), exp(-t / tau) is ~1e-15 and curve_fit "
    "cannot find delta_v."
)
_FIT_HINT = (
    "select the first fit_duration ms of the step, measure time from the onset "
    "(t = time[mask] - step.start), and fit V(t) = v_inf + delta_v * exp(-t / tau) "
    "with curve_fit and a starting guess such as p0=(voltage[mask][-1], 5.0, 20.0)."
)


def check_time_constant(attempt, *, strict=False):
    """Exercise 5.4: ``fit_membrane_time_constant(time, voltage, step, fit_duration)`` in ms.

    Catches: tau in s (1000x too small; probe tau = 25 ms), a fit over the
    whole step (the sag probe makes tau far too short), the rate 1 / tau, a
    failed fit, time measured from 0 instead of the onset (the probe whose
    step starts at 1146.85 ms, like the lesson's step D: the other probes
    start at 100 and 200 ms, where an absolute-time fit still works).
    """
    from ..analysis import fit_time_constant

    def evaluate(fit_membrane_time_constant, report):
        for probe, fit_duration, label in (
            (_PLAIN, 60.0, "a passive membrane (tau = 25 ms)"),
            (_WITH_SAG, 40.0, "a membrane with sag"),
            (_LATE, 50.0, "a step that starts at 1146.85 ms, like step D"),
        ):
            time, voltage = _passive_probe(**probe)
            step = probe["step"]
            late = probe is _LATE
            try:
                raw = fit_membrane_time_constant(time, voltage, step, fit_duration)
            except RuntimeError as error:
                report.fail(
                    f"curve_fit did not converge for {label} ({error})."
                    + (
                        " It did for steps starting at 100 and 200 ms: your t is the "
                        "absolute time, not the time since the onset."
                        if late
                        else ""
                    ),
                    _ABSOLUTE_HINT if late else _FIT_HINT,
                )
                return
            tau = returned_number(raw, "a time constant in ms", report)
            if tau is None:
                return
            reference = fit_time_constant(time, voltage, step.start, step.start + fit_duration)
            expected = reference["tau"]
            if _near(tau, expected, 0.08):
                report.ok(
                    f"tau = {tau:.1f} ms for {label}, fitted on the first {fit_duration:g} ms"
                )
                continue
            whole = fit_time_constant(time, voltage, step.start, step.stop)["tau"]
            if not np.isfinite(tau):
                report.fail(f"your fit returned {tau} for {label}.", _FIT_HINT)
            elif _near(tau * 1000.0, expected, 0.08):
                report.fail(
                    f"tau = {tau:.4g} for {label}: that is seconds; the course measures "
                    "time in ms.",
                    "time is already in ms, so the fitted tau is in ms: do not divide by 1000.",
                )
            elif tau != 0 and _near(1.0 / tau, expected, 0.08):
                report.fail(
                    f"you return {tau:.4g}, which is 1 / tau (a rate per ms).",
                    "fit exp(-t / tau) and return tau itself.",
                )
            elif late:
                report.fail(
                    f"for {label} you return tau = {tau:.4g} ms instead of {expected:.1f} ms, "
                    "although steps starting at 100 and 200 ms worked: your t is the "
                    "absolute time, not the time since the onset.",
                    _ABSOLUTE_HINT,
                )
            elif label.endswith("sag") and _near(tau, whole, 0.05):
                report.fail(
                    f"for {label} you return {tau:.1f} ms, the fit over the WHOLE step; "
                    f"fitted on the first {fit_duration:g} ms it is {expected:.1f} ms. "
                    "The sag pulls the voltage back and fakes a fast decay.",
                    "fit only time >= step.start and time < step.start + fit_duration.",
                )
            else:
                report.fail(
                    f"for {label} you return tau = {tau:.4g} ms; a fit of the first "
                    f"{fit_duration:g} ms gives {expected:.1f} ms.",
                    _FIT_HINT,
                )
            return

    return run_check("Exercise 5.4: membrane time constant", attempt, evaluate, strict=strict)


# --------------------------------------------------------------------------
# Exercise 5.6: adaptation index
# --------------------------------------------------------------------------

_ADAPTING = np.array([10.0, 30.0, 55.0, 85.0, 120.0, 160.0])  # ms, ISIs 20..40
_REGULAR = np.arange(5) * 25.0 + 3.0  # ms


def _reference_adaptation(spike_times) -> float:
    intervals = np.diff(spike_times)
    pairs = (intervals[1:] - intervals[:-1]) / (intervals[1:] + intervals[:-1])
    return float(np.mean(pairs))


def check_adaptation_index(attempt, *, strict=False):
    """Exercise 5.6: ``adaptation_index_by_hand(spike_times)``.

    Catches: differences of spike times instead of intervals, the sign
    flipped, differences not divided by the sums (unit-dependent), NaN
    not returned for fewer than 4 spikes.
    """

    def evaluate(adaptation_index_by_hand, report):
        expected = _reference_adaptation(_ADAPTING)
        value = returned_number(
            adaptation_index_by_hand(_ADAPTING.copy()), "the adaptation index", report
        )
        if value is None:
            return
        if _near(value, expected, 1e-6):
            report.ok(f"{value:.4f} for a train whose intervals grow from 20 to 40 ms")
        elif _near(value, -expected, 1e-6):
            report.fail(
                f"you return {value:.4f}: the sign is flipped; a train that slows down "
                "should give a positive index.",
                "use (ISI[i+1] - ISI[i]) / (ISI[i+1] + ISI[i]): later minus earlier.",
            )
            return
        elif _near(
            value, float(np.mean(np.diff(_ADAPTING) / (_ADAPTING[1:] + _ADAPTING[:-1]))), 1e-6
        ):
            report.fail(
                f"you return {value:.4f}: computed on the spike times, not on the intervals.",
                "first make the intervals with np.diff(spike_times), then compare "
                "consecutive intervals.",
            )
            return
        elif _near(value, float(np.mean(np.diff(np.diff(_ADAPTING)))), 1e-6):
            report.fail(
                f"you return {value:.4g}: the differences of the intervals in ms, not "
                "divided by their sums, so the index would change with the time unit.",
                "divide each difference by the sum of the two intervals: the index is "
                "then between -1 and 1 and has no unit.",
            )
            return
        else:
            report.fail(
                f"you return {value:.4g}; expected {expected:.4f}.",
                "intervals = np.diff(spike_times); mean of (later - earlier) / "
                "(later + earlier) over consecutive pairs.",
            )
            return
        regular = returned_number(adaptation_index_by_hand(_REGULAR.copy()), "a number", report)
        if regular is None:
            return
        report.expect(
            abs(regular) < 1e-9,
            "0 for a perfectly regular train",
            f"a perfectly regular train gives {regular:.4g} instead of 0.",
            "equal intervals give (ISI - ISI) / (2 ISI) = 0.",
        )
        few_result = adaptation_index_by_hand(np.array([5.0, 25.0, 60.0]))
        if few_result is None:
            report.fail(
                "for 3 spikes your function returns None: the index needs 4 spikes, and "
                "'no value' should be the number NaN, so that tables and means still work.",
                "start with: if len(spike_times) < 4: return float('nan')",
            )
            return
        few = returned_number(few_result, "a number", report)
        if few is None:
            return
        report.expect(
            math.isnan(few),
            "NaN for fewer than 4 spikes (one pair of intervals is too little)",
            f"3 spikes give {few:.4g}; return float('nan') with fewer than 4 spikes "
            "(like eFEL and course_utils.analysis.adaptation_index).",
            "start with: if len(spike_times) < 4: return float('nan')",
        )

    return run_check("Exercise 5.6: adaptation index", attempt, evaluate, strict=strict)


# --------------------------------------------------------------------------
# Exercise 5.5: fit the membrane yourself (objective + scipy.optimize)
# --------------------------------------------------------------------------

_RC_LATE = dict(  # like step D: starts 1146.85 ms into the sweep
    duration=1800.0,
    step=StepWindow(1146.85, 1646.9, -80.0, "D"),
    rest=-66.0,
    resistance=0.125,
    sag_resistance=0.0,
    tau=18.75,
    sag_time_constant=1.0,
    noise=0.2,
    seed=21,
)  # C = tau / R = 150 pF, g_L = 1 / R = 8 nS
_RC_RISING = dict(
    duration=700.0,
    step=StepWindow(100.0, 600.0, 50.0, "B"),
    rest=-71.0,
    resistance=0.2,
    sag_resistance=0.0,
    tau=60.0,
    sag_time_constant=1.0,
    noise=0.2,
    seed=22,
)  # C = 300 pF, g_L = 5 nS
_RC_HINT = (
    "residuals(params): c, g = params; model = v0 + step.amplitude / g * (1 - np.exp(-t * g / c)) "
    "with t = time since the onset (ms), v0 the mean voltage in the 50 ms before the step; "
    "return model - v. Then result = least_squares(residuals, x0=[100.0, 5.0]) and "
    "return result.x (C in pF, g_L in nS)."
)


def _rc_truth(probe):
    return probe["tau"] / probe["resistance"], 1.0 / probe["resistance"]


def _two_numbers(result, report):
    try:
        values = np.asarray(result, dtype=float).ravel()
    except (TypeError, ValueError):
        values = np.empty(0)
    if result is None or values.size != 2:
        report.fail(
            f"your function returned {result!r:.60}; expected two numbers, (C in pF, g_L in nS).",
            "end with: return result.x  (or return c, g)",
        )
        return None
    return float(values[0]), float(values[1])


def check_fit_rc_membrane(attempt, *, strict=False):
    """Exercise 5.5: ``fit_rc_membrane(time, voltage, step, fit_duration=100.0) -> (C, g_L)``.

    The student writes the objective (residuals of an RC step response) and
    calls ``scipy.optimize`` (``least_squares``, ``minimize`` or
    ``curve_fit`` all accepted). Probes: an RC membrane (C = 150 pF,
    g_L = 8 nS) receiving -80 pA from 1146.85 ms, like the lesson's step D,
    and one (C = 300 pF, g_L = 5 nS) receiving +50 pA from 100 ms.

    Catches (probe): C and g_L swapped (both); R in GOhm or tau in ms
    returned instead of g_L or C (both); C in nF or g_L in uS, 1000x (both);
    time not measured from the onset, so the late step fails while the early
    one works (the 1146.85 ms probe); a hard-coded -100 pA or a sign error
    (the +50 pA probe); a fit that did not converge.
    """

    def evaluate(fit_rc_membrane, report):
        for probe, label in (
            (_RC_RISING, "+50 pA from 100 ms (C = 300 pF, g_L = 5 nS)"),
            (_RC_LATE, "-80 pA from 1146.85 ms, like step D (C = 150 pF, g_L = 8 nS)"),
        ):
            time, voltage = _passive_probe(**probe)
            step = probe["step"]
            late = probe is _RC_LATE
            try:
                raw = fit_rc_membrane(time, voltage, step)
            except (RuntimeError, ValueError, FloatingPointError) as error:
                report.fail(
                    f"the fit raised {type(error).__name__} for {label}: {error}"
                    + (
                        " (it worked for the step at 100 ms: is t the time since the onset?)"
                        if late
                        else ""
                    ),
                    _RC_HINT,
                )
                return
            values = _two_numbers(raw, report)
            if values is None:
                return
            c, g = values
            true_c, true_g = _rc_truth(probe)
            if _near(c, true_c, 0.05) and _near(g, true_g, 0.05):
                report.ok(f"C = {c:.0f} pF, g_L = {g:.2f} nS for {label}")
                continue
            if _near(c, true_g, 0.05) and _near(g, true_c, 0.05):
                report.fail(
                    f"for {label} you return ({c:.4g}, {g:.4g}): C and g_L are swapped.",
                    "return (C, g_L) in that order.",
                )
            elif _near(g, 1.0 / true_g, 0.05) or _near(c, probe["tau"], 0.05):
                report.fail(
                    f"for {label} you return ({c:.4g}, {g:.4g}): that looks like tau (ms) "
                    "or R (GOhm), not C (pF) and g_L (nS).",
                    "fit C and g_L themselves: tau = C / g_L and R = 1 / g_L follow from them.",
                )
            elif _near(c * 1000.0, true_c, 0.05) or _near(g * 1000.0, true_g, 0.05):
                report.fail(
                    f"for {label} you return ({c:.4g}, {g:.4g}): 1000x too small, nF or uS "
                    "instead of pF and nS.",
                    "with I in pA, V in mV and t in ms, C comes out in pF and g_L in nS: "
                    "no conversion needed.",
                )
            elif late:
                report.fail(
                    f"for {label} you return C = {c:.4g} pF, g_L = {g:.4g} nS; the step at "
                    "100 ms worked, so t is probably not measured from this step's onset.",
                    "t = time[mask] - step.start, and the baseline from the 50 ms before "
                    "step.start.",
                )
            else:
                report.fail(
                    f"for {label} you return C = {c:.4g} pF, g_L = {g:.4g} nS; the truth is "
                    f"{true_c:.0f} pF and {true_g:g} nS.",
                    _RC_HINT,
                )
            return

    return run_check("Exercise 5.5: fit the membrane yourself", attempt, evaluate, strict=strict)

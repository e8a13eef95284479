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

Each checker is a table of small named probes, one per mistake it
recognises, run in order by :func:`course_utils.checks._probes.run_probes`;
each checker's docstring lists the mistakes and the probe that catches each.
"""

from __future__ import annotations

import math

import numpy as np

from ..data import StepWindow, recording_from_arrays
from . import run_check
from ._probes import as_number, evaluator, expect, mistake, passed

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


def _membrane(duration, step, rest, resistance, tau, noise, seed, sag=(0.0, 1.0)):
    """Keyword arguments of :func:`_passive_probe` for one probe cell and its step.

    Parameters
    ----------
    duration : float
        Length of the recording in ms.
    step : StepWindow
        The current step (times in ms, amplitude in pA).
    rest : float
        Resting voltage in mV.
    resistance : float
        Steady-state input resistance in GOhm.
    tau : float
        Membrane time constant in ms.
    noise : float
        Standard deviation of the recording noise in mV.
    seed : int
        Seed of the noise.
    sag : (float, float), optional
        The sag's extra resistance (GOhm) and its time constant (ms).
    """
    return dict(
        duration=duration, step=step, rest=rest, resistance=resistance, sag_resistance=sag[0],
        tau=tau, sag_time_constant=sag[1], noise=noise, seed=seed,
    )


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


class _CountCase:
    """The student's ``count_spikes`` on a sweep with 4 spikes in step B and 5 in step E."""

    def __init__(self, count_spikes):
        self.count_spikes = count_spikes
        self.time = _time(_PROBE_SWEEP)
        self.voltage = _spiky_trace(self.time, _SPIKES_IN_B + _SPIKES_IN_E)
        self.step = StepWindow(*_PROBE_B, 150.0, "B")
        self.expected = len(_SPIKES_IN_B)
        self.count = None  # in step B, once a probe has asked

    def counted(self, window, voltage=None, **threshold):
        """(the count in ``window``, None) or (None, the mistake); the probe trace by default."""
        voltage = self.voltage if voltage is None else voltage
        return as_number(self.count_spikes(self.time, voltage, window, **threshold),
                         "a number of spikes")


def _count_whole_sweep(case):
    """The whole sweep counted: steps B and E both."""
    case.count, problem = case.counted(case.step)
    if problem is not None:
        return problem
    if case.count == case.expected + len(_SPIKES_IN_E):
        return mistake(
            f"you count {case.count:g} spikes, but only {case.expected} fall inside the step: "
            "you counted the whole sweep, which plays the step twice.",
            _WHOLE_SWEEP_HINT,
        )
    return None


def _count_both_crossings(case):
    """Upward and downward crossings both counted: twice the spikes."""
    if case.count == 2 * case.expected:
        return mistake(
            f"you count {case.count:g} spikes instead of {case.expected}: every spike is "
            "counted twice (once on the way up, once on the way down).",
            _CROSSING_HINT,
        )
    return None


def _count_samples(case):
    """Samples above threshold counted instead of crossings: far too many."""
    if case.count > 3 * (case.expected + len(_SPIKES_IN_E)):
        return mistake(
            f"you count {case.count:g} spikes instead of {case.expected}: that is the number "
            "of SAMPLES above the threshold (each spike lasts several samples at "
            "20 kHz).",
            _CROSSING_HINT,
        )
    return None


def _count_in_step(case):
    """Any other count in step B."""
    return expect(
        case.count == case.expected,
        f"{case.expected} spikes inside the step window",
        f"you count {case.count:g} spikes; {case.expected} upward crossings of 0 mV lie "
        "inside the step.",
        _CROSSING_HINT + " Then keep the crossings inside the step.",
    )


def _count_outside_step(case):
    """Spikes counted outside the window: a window (step D) without spikes."""
    quiet = StepWindow(*_PROBE_D, -100.0, "D")
    count, problem = case.counted(quiet)
    if problem is not None:
        return problem
    return expect(
        count == 0,
        "0 spikes in a window without spikes",
        f"you count {count:g} spikes in a window ({quiet.start:g}-{quiet.stop:g} ms) "
        "that holds none.",
        _WHOLE_SWEEP_HINT,
        final=False,
    )


def _count_ignores_threshold(case):
    """The threshold argument ignored: every voltage 40 mV lower, threshold -40 mV."""
    low, problem = case.counted(case.step, case.voltage - 40.0, threshold=-40.0)
    if problem is not None:
        return problem
    return expect(
        low == case.expected,
        "uses the threshold argument",
        f"with every voltage 40 mV lower and threshold=-40.0 you count {low:g} "
        f"spikes instead of {case.expected}: the threshold argument is ignored.",
        "compare the voltage with the threshold argument, not with a fixed 0.",
    )


_COUNT_PROBES = (
    _count_whole_sweep,
    _count_both_crossings,
    _count_samples,
    _count_in_step,
    _count_outside_step,
    _count_ignores_threshold,
)


def check_count_spikes(attempt, *, strict=False):
    """Exercise 5.1: ``count_spikes(time, voltage, step, threshold=0.0)``.

    Catches (probe function in brackets): the whole sweep counted, since the
    test step is played twice (``_count_whole_sweep``; a window without
    spikes, ``_count_outside_step``), samples above threshold counted instead
    of crossings (``_count_samples``), upward and downward crossings both
    counted (``_count_both_crossings``), the threshold argument ignored
    (``_count_ignores_threshold``); any other count in the step
    (``_count_in_step``).
    """
    return run_check("Exercise 5.1: spikes inside the step", attempt,
                     evaluator(_COUNT_PROBES, _CountCase), strict=strict)


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


class _FiCase:
    """The student's ``fi_curve_by_hand`` on the 5-sweep probe recording."""

    amplitudes = np.array(_FI_AMPLITUDES)
    step_length = (_PROBE_B[1] - _PROBE_B[0]) / 1000.0  # s
    sweep_length = _PROBE_SWEEP / 1000.0  # s

    def __init__(self, fi_curve_by_hand):
        self.fi_curve = fi_curve_by_hand
        self.currents = self.rates = None  # once a probe has read them

    @property
    def expected(self):
        return np.array(_FI_SPIKES_B) / self.step_length  # Hz


def _fi_returns_pairs(case):
    """Not two arrays, or not one current and one rate per sweep."""
    recording = _fi_probe_recording()
    result = case.fi_curve(recording)
    try:
        currents, rates = result
        case.currents = np.asarray(currents, dtype=float).ravel()
        case.rates = np.asarray(rates, dtype=float).ravel()
    except (TypeError, ValueError):
        return mistake(
            f"your function returned {type(result).__name__}; expected two arrays "
            "(currents in pA, rates in Hz).",
            "end with: return np.array(currents), np.array(rates)",
        )
    n = recording.n_sweeps
    if case.currents.size != n or case.rates.size != n:
        return mistake(
            f"for a recording of {n} sweeps you return {case.currents.size} currents and "
            f"{case.rates.size} rates.",
            "loop over recording.sweeps and append one current and one rate per sweep.",
        )
    return None


def _fi_currents(case):
    """The current of step D (-100 pA in every sweep), or in nA."""
    currents, amplitudes = case.currents, case.amplitudes
    if np.allclose(currents, amplitudes):
        return passed("currents: the amplitude of the test step B of each sweep, in pA")
    if np.allclose(currents, -100.0):
        return mistake(
            "every current is -100 pA: that is step D, the fixed hyperpolarising "
            "step, not the test step.",
            "use sweep.step('B').amplitude, the step that changes from sweep to sweep.",
            final=False,
        )
    if np.allclose(currents * 1000.0, amplitudes):
        return mistake(
            "your currents are 1000x too small (nA instead of pA).",
            "keep the currents in pA, as step.amplitude gives them.",
            final=False,
        )
    return mistake(
        f"the currents should be the test-step amplitudes {amplitudes.tolist()} pA, "
        f"but you return {np.round(currents, 3).tolist()}.",
        "use sweep.step('B').amplitude for each sweep.",
        final=False,
    )


def _fi_rate_mistakes(case):
    """(test of the rates, what is wrong, hint) for the typical mistakes, in order."""
    whole = np.array(_FI_SPIKES_B) + np.array(_FI_SPIKES_E)

    def equal_to(predicted):
        return lambda rates: np.allclose(rates, predicted)

    return (
        (lambda rates: np.allclose(rates * 1000.0, case.expected),
         "your rates are 1000x too small: spikes per ms, not per second.",
         "the step lasts step.duration ms = step.duration / 1000 s: "
         "rate = count / (step.duration / 1000) Hz."),
        (equal_to(whole / case.step_length),
         "your rates are too high (about twice): you counted the spikes of the "
         "whole sweep, which plays the test step twice (B and E).",
         _WHOLE_SWEEP_HINT),
        (equal_to(whole / case.sweep_length),
         "you counted the spikes of the whole sweep and divided by the sweep "
         "length: that is the mean rate over the sweep, not the rate during "
         "the step.",
         "count only inside sweep.step('B') and divide by its duration "
         "(step.duration / 1000 s)."),
        (equal_to(np.array(_FI_SPIKES_B) / case.sweep_length),
         "your rates are too low: the count inside the step is divided by the "
         "length of the whole sweep instead of the length of the step.",
         "rate = count / (step.duration / 1000) Hz."),
    )


def _fi_rates(case):
    """Spikes per ms, the whole sweep counted, or the count divided by the sweep length."""
    rates, expected = case.rates, case.expected
    if np.allclose(rates, expected):
        return passed(f"rates in Hz: {np.round(expected, 2).tolist()}")
    for matches, message, hint in _fi_rate_mistakes(case):
        if matches(rates):
            return mistake(message, hint, final=False)
    return mistake(
        f"the rates should be {np.round(expected, 2).tolist()} Hz, but you "
        f"return {np.round(rates, 3).tolist()}.",
        "rate = (spikes inside step B) / (step.duration / 1000) Hz.",
        final=False,
    )


_FI_PROBES = (_fi_returns_pairs, _fi_currents, _fi_rates)


def check_fi_curve(attempt, *, strict=False):
    """Exercise 5.2: ``fi_curve_by_hand(recording) -> (currents, rates)``.

    Catches (probe function in brackets): rates in spikes per ms (1000x too
    small), the count divided by the sweep length instead of the step
    length, the whole sweep counted (steps B and E) (all ``_fi_rates``, from
    the table ``_fi_rate_mistakes``), the current of step D (-100 pA in every
    sweep) or in nA (``_fi_currents``), not one current and one rate per
    sweep (``_fi_returns_pairs``).
    """
    return run_check("Exercise 5.2: the f-I curve", attempt,
                     evaluator(_FI_PROBES, _FiCase), strict=strict)


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
_SAGGING = _membrane(1000.0, _SAGGING_STEP, -65.0, 0.12, 20.0, 0.2, 5, sag=(0.1, 80.0))
# Depolarising probe without sag: R = 0.2 GOhm for +40 pA.
_RISING_STEP = StepWindow(150.0, 550.0, 40.0, "B")
_RISING = _membrane(800.0, _RISING_STEP, -70.0, 0.2, 25.0, 0.2, 6)


class _ResistanceCase:
    """The student's ``measure_input_resistance`` on the sagging and the rising probe."""

    def __init__(self, measure_input_resistance):
        self.measure = measure_input_resistance
        self.results = {}  # probe name: (value in GOhm, probe, time, voltage)


def _resistance_returns_numbers(case):
    """Not one number for each probe (both probes are run first)."""
    for name, probe in (("sag", _SAGGING), ("rising", _RISING)):
        time, voltage = _passive_probe(**probe)
        value, problem = as_number(
            case.measure(time, voltage, probe["step"]), "an input resistance in GOhm"
        )
        if problem is not None:
            return problem
        case.results[name] = (value, probe, time, voltage)
    return None


def _resistance_empty_window(case):
    """NaN from an empty window (the sagging probe)."""
    if not np.isfinite(case.results["sag"][0]):
        return mistake(
            "your function returned NaN for a -100 pA step: one of your windows "
            "holds no samples (the median of nothing is NaN).",
            _WINDOW_HINT,
        )
    return None


def _resistance_unit_mistakes(value, ratio):
    """MOhm or nA (1000x), fA or V (1/1000x), windows in s (~0): the finding, or None."""
    if _near(abs(ratio), 1000.0, 0.05):
        return mistake(
            f"for a -100 pA step with a -12 mV steady-state deflection you return "
            f"{value:.4g}: 1000x too large (MOhm instead of GOhm, or the current "
            "in nA).",
            _GOHM_HINT,
        )
    if _near(abs(ratio), 0.001, 0.05):
        return mistake(
            f"you return {value:.4g}: 1000x too small (the current converted "
            "to fA or the voltage to V?).",
            _GOHM_HINT,
        )
    if abs(ratio) < 0.1:
        return mistake(
            f"you return {value:.4g} GOhm, almost 0: your baseline and steady-state "
            "windows see the same voltage, so neither lies inside the step (are "
            "they in s while time is in ms?).",
            _WINDOW_HINT,
        )
    return None


def _resistance_sign_or_peak(value, probe, time, voltage):
    """A negative resistance, or the peak deflection instead of the steady state: or None."""
    expected, step = probe["resistance"], probe["step"]
    baseline = np.median(voltage[(time >= step.start - 100) & (time < step.start)])
    peak = voltage[step.contains(time)].min()
    peak_resistance = (peak - baseline) / step.amplitude
    if value / expected < 0:
        return mistake(
            f"you return a negative resistance ({value:.4g}): the deflection and "
            "the current have the same sign, so R = deflection / current is "
            "positive.",
            "R = (steady state - baseline) / step.amplitude: for a "
            "hyperpolarising step both are negative (-12 mV / -100 pA = "
            "+0.12 GOhm). Use step.amplitude, with its sign.",
        )
    if value > expected * 1.08 and value <= peak_resistance * 1.03:
        return mistake(
            f"you return {value:.4g} GOhm, but the steady-state deflection gives "
            f"{expected:g} GOhm: you measured the peak of the response, which "
            "goes beyond the steady state before the sag pulls it back.",
            _SAG_HINT,
        )
    return None


def _resistance_steady_state(case):
    """Units, sign, the peak instead of the steady state, or else: the sagging probe."""
    value, probe, time, voltage = case.results["sag"]
    expected = probe["resistance"]
    if _near(value, expected, 0.04):
        return passed(
            f"{value:.3f} GOhm for a -100 pA step whose response sags: the steady "
            "state, not the peak"
        )
    found = _resistance_unit_mistakes(value, value / expected)
    return found or _resistance_sign_or_peak(value, probe, time, voltage) or mistake(
        f"for this -100 pA step you return {value:.4g} GOhm; the steady-state "
        f"deflection gives {expected:g} GOhm.",
        "baseline = median voltage in the 100 ms before the step; steady "
        "state = median voltage in the last 100 ms of the step; "
        "R = (steady state - baseline) / step.amplitude (GOhm = mV / pA).",
    )


def _resistance_hard_coded_current(case):
    """A hard-coded -100 pA: the rising (+40 pA) probe."""
    value, probe, _, _ = case.results["rising"]
    expected = probe["resistance"]
    if _near(value, expected, 0.04):
        return passed(f"{value:.3f} GOhm for a +40 pA step too")
    if _near(value, expected * 40.0 / -100.0, 0.05):
        return mistake(
            f"for a +40 pA step you return {value:.4g} GOhm instead of {expected:g}: "
            "the step's current is hard-coded as -100 pA.",
            "divide by step.amplitude, so that the function works for any step.",
        )
    return mistake(
        f"for a +40 pA step (R = {expected:g} GOhm) you return {value:.4g} GOhm.",
        "make the function work for depolarising steps too: take the median "
        "voltages (not the minimum) and divide by step.amplitude.",
    )


_RESISTANCE_PROBES = (
    _resistance_returns_numbers,
    _resistance_empty_window,
    _resistance_steady_state,
    _resistance_hard_coded_current,
)


def check_input_resistance(attempt, *, strict=False):
    """Exercise 5.3: ``measure_input_resistance(time, voltage, step)`` in GOhm.

    Catches (probe function in brackets): MOhm instead of GOhm or nA instead
    of pA (1000x) (``_resistance_unit_mistakes``), a negative resistance
    (sign) and the peak deflection instead of the steady state (sag)
    (``_resistance_sign_or_peak``), all on the sagging -100 pA probe
    (``_resistance_steady_state``); a hard-coded -100 pA (the +40 pA probe,
    ``_resistance_hard_coded_current``); NaN from an empty window
    (``_resistance_empty_window``).
    """
    return run_check("Exercise 5.3: input resistance", attempt,
                     evaluator(_RESISTANCE_PROBES, _ResistanceCase), strict=strict)


# --------------------------------------------------------------------------
# Exercise 5.4: membrane time constant
# --------------------------------------------------------------------------

# Probe cells: duration (ms), step, rest (mV), R (GOhm), tau (ms), noise (mV), seed, sag.
_PLAIN = _membrane(600.0, StepWindow(100.0, 500.0, -50.0, "D"), -68.0, 0.15, 25.0, 0.1, 7)
_WITH_SAG = _membrane(
    1000.0, StepWindow(200.0, 700.0, -100.0, "D"), -65.0, 0.1, 30.0, 0.2, 8, sag=(0.08, 60.0)
)
# Like the lesson's step D, which starts 1147 ms into the sweep: a fit on
# absolute time (exp(-t / tau) with t ~ 1147-1197 ms) fails or drifts here.
_LATE = _membrane(
    1800.0, StepWindow(1146.85, 1646.9, -100.0, "D"), -62.0, 0.11, 35.0, 0.15, 9, sag=(0.03, 120.0)
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


def _tau_mistake(tau, expected, whole, label, fit_duration, late):
    """What is wrong with a fitted ``tau`` (ms) that differs from the reference ``expected``."""
    if not np.isfinite(tau):
        return mistake(f"your fit returned {tau} for {label}.", _FIT_HINT)
    if _near(tau * 1000.0, expected, 0.08):
        return mistake(
            f"tau = {tau:.4g} for {label}: that is seconds; the course measures "
            "time in ms.",
            "time is already in ms, so the fitted tau is in ms: do not divide by 1000.",
        )
    if tau != 0 and _near(1.0 / tau, expected, 0.08):
        return mistake(
            f"you return {tau:.4g}, which is 1 / tau (a rate per ms).",
            "fit exp(-t / tau) and return tau itself.",
        )
    if late:
        return mistake(
            f"for {label} you return tau = {tau:.4g} ms instead of {expected:.1f} ms, "
            "although steps starting at 100 and 200 ms worked: your t is the "
            "absolute time, not the time since the onset.",
            _ABSOLUTE_HINT,
        )
    if label.endswith("sag") and _near(tau, whole, 0.05):
        return mistake(
            f"for {label} you return {tau:.1f} ms, the fit over the WHOLE step; "
            f"fitted on the first {fit_duration:g} ms it is {expected:.1f} ms. "
            "The sag pulls the voltage back and fakes a fast decay.",
            "fit only time >= step.start and time < step.start + fit_duration.",
        )
    return mistake(
        f"for {label} you return tau = {tau:.4g} ms; a fit of the first "
        f"{fit_duration:g} ms gives {expected:.1f} ms.",
        _FIT_HINT,
    )


def _tau_probe(probe, fit_duration, label):
    """A probe that fits ``probe``'s recording on its first ``fit_duration`` ms."""

    def fitted_time_constant(fit_membrane_time_constant):
        from ..analysis import fit_time_constant

        time, voltage = _passive_probe(**probe)
        step = probe["step"]
        late = probe is _LATE
        try:
            raw = fit_membrane_time_constant(time, voltage, step, fit_duration)
        except RuntimeError as error:
            return mistake(
                f"curve_fit did not converge for {label} ({error})."
                + (" It did for steps starting at 100 and 200 ms: your t is the "
                   "absolute time, not the time since the onset." if late else ""),
                _ABSOLUTE_HINT if late else _FIT_HINT,
            )
        tau, problem = as_number(raw, "a time constant in ms")
        if problem is not None:
            return problem
        expected = fit_time_constant(time, voltage, step.start, step.start + fit_duration)["tau"]
        if _near(tau, expected, 0.08):
            return passed(
                f"tau = {tau:.1f} ms for {label}, fitted on the first {fit_duration:g} ms"
            )
        whole = fit_time_constant(time, voltage, step.start, step.stop)["tau"]
        return _tau_mistake(tau, expected, whole, label, fit_duration, late)

    return fitted_time_constant


_TAU_PROBES = (
    _tau_probe(_PLAIN, 60.0, "a passive membrane (tau = 25 ms)"),
    _tau_probe(_WITH_SAG, 40.0, "a membrane with sag"),
    _tau_probe(_LATE, 50.0, "a step that starts at 1146.85 ms, like step D"),
)


def check_time_constant(attempt, *, strict=False):
    """Exercise 5.4: ``fit_membrane_time_constant(time, voltage, step, fit_duration)`` in ms.

    Catches: tau in s (1000x too small; probe tau = 25 ms), a fit over the
    whole step (the sag probe makes tau far too short), the rate 1 / tau, a
    failed fit, time measured from 0 instead of the onset (the probe whose
    step starts at 1146.85 ms, like the lesson's step D: the other probes
    start at 100 and 200 ms, where an absolute-time fit still works). Each
    of the three probes (``_TAU_PROBES``, made by ``_tau_probe``) names the
    mistake with ``_tau_mistake``.
    """
    return run_check("Exercise 5.4: membrane time constant", attempt,
                     evaluator(_TAU_PROBES), strict=strict)


# --------------------------------------------------------------------------
# Exercise 5.6: adaptation index
# --------------------------------------------------------------------------

_ADAPTING = np.array([10.0, 30.0, 55.0, 85.0, 120.0, 160.0])  # ms, ISIs 20..40
_REGULAR = np.arange(5) * 25.0 + 3.0  # ms


def _reference_adaptation(spike_times) -> float:
    intervals = np.diff(spike_times)
    pairs = (intervals[1:] - intervals[:-1]) / (intervals[1:] + intervals[:-1])
    return float(np.mean(pairs))


def _adaptation_mistakes():
    """(index a mistake gives for ``_ADAPTING``, its format, what is wrong, hint), in order."""
    times = _ADAPTING
    return (
        (-_reference_adaptation(times), ".4f",
         "the sign is flipped; a train that slows down should give a positive index.",
         "use (ISI[i+1] - ISI[i]) / (ISI[i+1] + ISI[i]): later minus earlier."),
        (float(np.mean(np.diff(times) / (times[1:] + times[:-1]))), ".4f",
         "computed on the spike times, not on the intervals.",
         "first make the intervals with np.diff(spike_times), then compare "
         "consecutive intervals."),
        (float(np.mean(np.diff(np.diff(times)))), ".4g",
         "the differences of the intervals in ms, not divided by their sums, so the "
         "index would change with the time unit.",
         "divide each difference by the sum of the two intervals: the index is "
         "then between -1 and 1 and has no unit."),
    )


def _adaptation_index(adaptation_index_by_hand):
    """Intervals or spike times, the sign, the normalisation: a train that slows down."""
    expected = _reference_adaptation(_ADAPTING)
    value, problem = as_number(adaptation_index_by_hand(_ADAPTING.copy()), "the adaptation index")
    if problem is not None:
        return problem
    if _near(value, expected, 1e-6):
        return passed(f"{value:.4f} for a train whose intervals grow from 20 to 40 ms")
    for predicted, shown, message, hint in _adaptation_mistakes():
        if _near(value, predicted, 1e-6):
            return mistake(f"you return {value:{shown}}: {message}", hint)
    return mistake(
        f"you return {value:.4g}; expected {expected:.4f}.",
        "intervals = np.diff(spike_times); mean of (later - earlier) / "
        "(later + earlier) over consecutive pairs.",
    )


def _adaptation_regular(adaptation_index_by_hand):
    """Anything but 0 for a perfectly regular train."""
    regular, problem = as_number(adaptation_index_by_hand(_REGULAR.copy()), "a number")
    if problem is not None:
        return problem
    return expect(
        abs(regular) < 1e-9,
        "0 for a perfectly regular train",
        f"a perfectly regular train gives {regular:.4g} instead of 0.",
        "equal intervals give (ISI - ISI) / (2 ISI) = 0.",
        final=False,
    )


_TOO_FEW_HINT = "start with: if len(spike_times) < 4: return float('nan')"


def _adaptation_too_few_spikes(adaptation_index_by_hand):
    """None or a number instead of NaN for 3 spikes."""
    few_result = adaptation_index_by_hand(np.array([5.0, 25.0, 60.0]))
    if few_result is None:
        return mistake(
            "for 3 spikes your function returns None: the index needs 4 spikes, and "
            "'no value' should be the number NaN, so that tables and means still work.",
            _TOO_FEW_HINT,
        )
    few, problem = as_number(few_result, "a number")
    if problem is not None:
        return problem
    return expect(
        math.isnan(few),
        "NaN for fewer than 4 spikes (one pair of intervals is too little)",
        f"3 spikes give {few:.4g}; return float('nan') with fewer than 4 spikes "
        "(like eFEL and course_utils.analysis.adaptation_index).",
        _TOO_FEW_HINT,
    )


_ADAPTATION_PROBES = (_adaptation_index, _adaptation_regular, _adaptation_too_few_spikes)


def check_adaptation_index(attempt, *, strict=False):
    """Exercise 5.6: ``adaptation_index_by_hand(spike_times)``.

    Catches: differences of spike times instead of intervals, the sign
    flipped, differences not divided by the sums (unit-dependent) (all
    ``_adaptation_index``, from the table ``_adaptation_mistakes``), NaN
    not returned for fewer than 4 spikes (``_adaptation_too_few_spikes``);
    a regular train not giving 0 (``_adaptation_regular``).
    """
    return run_check("Exercise 5.6: adaptation index", attempt,
                     evaluator(_ADAPTATION_PROBES), strict=strict)


# --------------------------------------------------------------------------
# Exercise 5.5: fit the membrane yourself (objective + scipy.optimize)
# --------------------------------------------------------------------------

# Like step D: starts 1146.85 ms into the sweep; C = tau / R = 150 pF, g_L = 1 / R = 8 nS.
_RC_LATE = _membrane(1800.0, StepWindow(1146.85, 1646.9, -80.0, "D"), -66.0, 0.125, 18.75, 0.2, 21)
# C = 300 pF, g_L = 5 nS
_RC_RISING = _membrane(700.0, StepWindow(100.0, 600.0, 50.0, "B"), -71.0, 0.2, 60.0, 0.2, 22)
_RC_HINT = (
    "residuals(params): c, g = params; model = v0 + step.amplitude / g * (1 - np.exp(-t * g / c)) "
    "with t = time since the onset (ms), v0 the mean voltage in the 50 ms before the step; "
    "return model - v. Then result = least_squares(residuals, x0=[100.0, 5.0]) and "
    "return result.x (C in pF, g_L in nS)."
)


def _rc_truth(probe):
    return probe["tau"] / probe["resistance"], 1.0 / probe["resistance"]


def _two_numbers(result):
    """((C, g_L), None) from the student's result, or (None, the mistake)."""
    try:
        values = np.asarray(result, dtype=float).ravel()
    except (TypeError, ValueError):
        values = np.empty(0)
    if result is None or values.size != 2:
        return None, mistake(
            f"your function returned {result!r:.60}; expected two numbers, (C in pF, g_L in nS).",
            "end with: return result.x  (or return c, g)",
        )
    return (float(values[0]), float(values[1])), None


def _rc_mistake(c, g, probe, label, late):
    """What is wrong with a fitted (C in pF, g_L in nS) that differs from ``probe``'s cell."""
    true_c, true_g = _rc_truth(probe)
    if _near(c, true_g, 0.05) and _near(g, true_c, 0.05):
        return mistake(
            f"for {label} you return ({c:.4g}, {g:.4g}): C and g_L are swapped.",
            "return (C, g_L) in that order.",
        )
    if _near(g, 1.0 / true_g, 0.05) or _near(c, probe["tau"], 0.05):
        return mistake(
            f"for {label} you return ({c:.4g}, {g:.4g}): that looks like tau (ms) "
            "or R (GOhm), not C (pF) and g_L (nS).",
            "fit C and g_L themselves: tau = C / g_L and R = 1 / g_L follow from them.",
        )
    if _near(c * 1000.0, true_c, 0.05) or _near(g * 1000.0, true_g, 0.05):
        return mistake(
            f"for {label} you return ({c:.4g}, {g:.4g}): 1000x too small, nF or uS "
            "instead of pF and nS.",
            "with I in pA, V in mV and t in ms, C comes out in pF and g_L in nS: "
            "no conversion needed.",
        )
    if late:
        return mistake(
            f"for {label} you return C = {c:.4g} pF, g_L = {g:.4g} nS; the step at "
            "100 ms worked, so t is probably not measured from this step's onset.",
            "t = time[mask] - step.start, and the baseline from the 50 ms before "
            "step.start.",
        )
    return mistake(
        f"for {label} you return C = {c:.4g} pF, g_L = {g:.4g} nS; the truth is "
        f"{true_c:.0f} pF and {true_g:g} nS.",
        _RC_HINT,
    )


def _rc_probe(probe, label):
    """A probe that fits C and g_L to ``probe``'s recording."""

    def fitted_membrane(fit_rc_membrane):
        time, voltage = _passive_probe(**probe)
        late = probe is _RC_LATE
        try:
            raw = fit_rc_membrane(time, voltage, probe["step"])
        except (RuntimeError, ValueError, FloatingPointError) as error:
            return mistake(
                f"the fit raised {type(error).__name__} for {label}: {error}"
                + (" (it worked for the step at 100 ms: is t the time since the onset?)"
                   if late else ""),
                _RC_HINT,
            )
        values, problem = _two_numbers(raw)
        if problem is not None:
            return problem
        c, g = values
        true_c, true_g = _rc_truth(probe)
        if _near(c, true_c, 0.05) and _near(g, true_g, 0.05):
            return passed(f"C = {c:.0f} pF, g_L = {g:.2f} nS for {label}")
        return _rc_mistake(c, g, probe, label, late)

    return fitted_membrane


_RC_FIT_PROBES = (
    _rc_probe(_RC_RISING, "+50 pA from 100 ms (C = 300 pF, g_L = 5 nS)"),
    _rc_probe(_RC_LATE, "-80 pA from 1146.85 ms, like step D (C = 150 pF, g_L = 8 nS)"),
)


def check_fit_rc_membrane(attempt, *, strict=False):
    """Exercise 5.5: ``fit_rc_membrane(time, voltage, step, fit_duration=100.0) -> (C, g_L)``.

    The student writes the objective (residuals of an RC step response) and
    calls ``scipy.optimize`` (``least_squares``, ``minimize`` or
    ``curve_fit`` all accepted). Probes (``_RC_FIT_PROBES``, made by
    ``_rc_probe``): an RC membrane (C = 150 pF, g_L = 8 nS) receiving -80 pA
    from 1146.85 ms, like the lesson's step D, and one (C = 300 pF,
    g_L = 5 nS) receiving +50 pA from 100 ms.

    Catches (probe; ``_rc_mistake`` names each): C and g_L swapped (both);
    R in GOhm or tau in ms returned instead of g_L or C (both); C in nF or
    g_L in uS, 1000x (both); time not measured from the onset, so the late
    step fails while the early one works (the 1146.85 ms probe); a
    hard-coded -100 pA or a sign error (the +50 pA probe); a fit that did
    not converge (``_rc_probe``); not two numbers (``_two_numbers``).
    """
    return run_check("Exercise 5.5: fit the membrane yourself", attempt,
                     evaluator(_RC_FIT_PROBES), strict=strict)

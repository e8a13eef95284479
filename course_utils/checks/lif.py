"""Checkers for Lesson 3, "Leaky integrate-and-fire".

Units: time in ms, voltage in mV, current in pA, conductance in nS,
capacitance in pF, rate in Hz (see :mod:`course_utils`).

Each checker runs the student's code on small probes and recognises the
typical mistakes of its exercise:

* the LIF neuron class: the leak with the wrong sign, a missing dt, no
  reset, no refractory period (rates above 1 / t_ref, spikes during the
  refractory period), spikes stored as V = 0 mV samples instead of times;
* the perfect integrator: a leak that is still there, a missing dt, no reset;
* the analytic f-I curve: NaN or nonzero rates below rheobase, rates per ms
  instead of Hz, no refractory period, the logarithm upside down;
* the white-noise current: no 1 / sqrt(dt) scaling (the voltage statistics
  then change with dt), sqrt(dt) multiplied instead of divided, the global
  random generator;
* the CV of the inter-spike intervals: computed on the spike times instead
  of the intervals, variance instead of standard deviation, not divided by
  the mean.

Reference values come from :mod:`course_utils.neurons` (tested against
analytic formulas and Brian2) and from hand calculations written here.
"""

from __future__ import annotations

import numpy as np

from .. import neurons
from . import is_placeholder, run_check

__all__ = [
    "check_cv_isi",
    "check_lif_rate",
    "check_white_noise",
]

# The lesson's cell: tau = 200 pF / 10 nS = 20 ms, rheobase 10 nS * 20 mV = 200 pA.
CELL = dict(membrane_capacitance=200.0, leak_conductance=10.0, leak_reversal=-70.0)
LIF = dict(CELL, threshold=-50.0, reset=-65.0, refractory_period=2.0)


def _as_numbers(value, what: str, report, shape=None):
    """The student's return value as a float array, or None after a failure."""
    if value is None:
        report.fail(
            f"your function returned None instead of {what}.",
            "end the function with a return statement.",
        )
        return None
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        report.fail(
            f"your function should return {what}, but returned {type(value).__name__}.",
            "return a number or a numpy array of numbers.",
        )
        return None
    if shape is not None and array.shape != shape:
        report.fail(
            f"your function returned shape {array.shape}; expected {what} of shape {shape}.",
            "return one value per input value (work on the whole array at once).",
        )
        return None
    return array


# --------------------------------------------------------------------------
# Analytic f-I curve
# --------------------------------------------------------------------------

_LOG_HINT = (
    "between spikes V relaxes from V_reset towards V_inf = E_L + I / g_L; it reaches "
    "V_th after tau * ln((V_inf - V_reset) / (V_inf - V_th)) ms, and the interval "
    "between spikes adds t_ref."
)


def check_lif_rate(attempt, *, strict=False):
    """Exercise 3.3: ``lif_rate(current, membrane_capacitance, leak_conductance,
    leak_reversal, threshold, reset, refractory_period)`` in Hz.

    Catches: NaN or nonzero rates at or below the rheobase, a rate per ms
    (1000x too small), the refractory period left out, the logarithm upside
    down (negative rates), tau computed as g_L / C or C * g_L, and a function
    that only works for one number at a time.
    """

    def evaluate(lif_rate, report):
        currents = np.array([0.0, 100.0, 199.0, 200.0, 201.0, 250.0, 300.0, 500.0, 1000.0])
        expected = neurons.lif_firing_rate(currents, **LIF)
        above = expected > 0
        rates = _as_numbers(lif_rate(currents, **LIF), "an array of rates in Hz", report,
                            shape=currents.shape)
        if rates is None:
            return
        below = rates[~above]
        if np.isnan(below).any():
            report.fail(
                "below the rheobase (200 pA here) your function returns NaN.",
                "np.log of a negative number is NaN: compute the rate only where "
                "V_inf > V_th, e.g. np.where(v_inf > threshold, rate, 0.0), and "
                "return 0 Hz elsewhere.",
            )
        else:
            report.expect(
                np.allclose(below, 0.0),
                "0 Hz at and below the rheobase (I <= g_L (V_th - E_L) = 200 pA)",
                f"at and below the rheobase the rate should be 0 Hz, but you return "
                f"{np.round(below, 3).tolist()} Hz for I = {currents[~above].tolist()} pA.",
                "the cell never reaches threshold when V_inf = E_L + I / g_L <= V_th: "
                "return 0 there.",
            )
        mine = rates[above]
        target = expected[above]
        if np.isnan(mine).any():
            report.fail("above the rheobase your function returns NaN.", _LOG_HINT)
            return
        if np.allclose(mine, target, rtol=1e-6):
            report.ok("matches the exact LIF rate above the rheobase (e.g. 49.2 Hz at 300 pA)")
            scalar = _as_numbers(lif_rate(300.0, **LIF), "a rate in Hz", report)
            if scalar is not None:
                report.expect(
                    scalar.size == 1 and np.isclose(float(scalar.ravel()[0]), target[2]),
                    "works for a single current too",
                    "for a single current (300 pA) the function does not return "
                    "the same rate as in the array.",
                    "use numpy functions (np.where, np.log) that work on numbers and arrays.",
                )
            return
        if (mine < 0).any():
            report.fail(
                "some rates are negative: the logarithm is upside down.",
                _LOG_HINT,
            )
            return
        if np.allclose(mine * 1000.0, target, rtol=1e-6):
            report.fail(
                f"your rates are 1000x too small ({mine[2]:.4g} instead of {target[2]:.4g} "
                "at 300 pA): that is spikes per ms, not Hz.",
                "times are in ms, so 1 / interval is in 1/ms: multiply by 1000 to get Hz.",
            )
            return
        no_refractory = neurons.lif_firing_rate(
            currents[above], **dict(LIF, refractory_period=0.0)
        )
        if np.allclose(mine, no_refractory, rtol=1e-6):
            report.fail(
                "your rates are too high at large currents: the refractory period is "
                "missing (with t_ref = 2 ms the rate can never exceed 500 Hz).",
                "the interval between spikes is t_ref + the time to climb from V_reset "
                "to V_th.",
            )
            return
        tau = CELL["membrane_capacitance"] / CELL["leak_conductance"]
        for wrong_tau, how in ((1.0 / tau, "g_L / C"), (200.0 * 10.0, "C * g_L")):
            wrong = LIF["refractory_period"] + wrong_tau * np.log(
                (-70.0 + currents[above] / 10.0 + 65.0) / (-70.0 + currents[above] / 10.0 + 50.0)
            )
            if np.allclose(mine, 1000.0 / wrong, rtol=1e-6):
                report.fail(
                    f"the membrane time constant is computed as {how}.",
                    "tau = C / g_L = 200 pF / 10 nS = 20 ms (pF / nS = ms).",
                )
                return
        report.fail(
            f"your rates differ from the exact LIF rate: at 300 pA you give "
            f"{mine[2]:.4g} Hz, expected {target[2]:.4g} Hz.",
            _LOG_HINT,
        )

    return run_check("Exercise 3.3: the LIF f-I curve", attempt, evaluate, strict=strict)


# --------------------------------------------------------------------------
# White-noise current
# --------------------------------------------------------------------------


def _euler_membrane_std(noise, dt):
    """Stationary std (mV) of V - E_L for the Euler-integrated passive cell."""
    from scipy.signal import lfilter

    tau = CELL["membrane_capacitance"] / CELL["leak_conductance"]
    # V[k+1] - E_L = (1 - dt/tau) (V[k] - E_L) + dt * I[k] / C: a first-order filter.
    deviation = lfilter([dt / CELL["membrane_capacitance"]], [1.0, -(1.0 - dt / tau)], noise)
    settled = deviation[int(5 * tau / dt):]
    return float(np.std(settled))


def check_white_noise(attempt, *, strict=False):
    """Exercise 3.4: ``white_noise(n_steps, dt, std, rng)`` in pA.

    The samples must have mean 0 and standard deviation ``std / sqrt(dt)``
    (``std`` is the noise amplitude in pA at dt = 1 ms), so that the voltage
    fluctuations they cause do not depend on dt.

    Catches: no 1 / sqrt(dt) scaling (the voltage std then shrinks with dt),
    sqrt(dt) multiplied or dt divided instead, the global ``np.random``,
    a nonzero mean and a wrong length.
    """

    def evaluate(white_noise, report):
        std = 100.0
        samples = {}
        for dt in (0.1, 0.01):
            n_steps = int(round(2000.0 / dt))
            noise = _as_numbers(
                white_noise(n_steps, dt, std, np.random.default_rng(3)),
                f"an array of {n_steps} current samples", report, shape=(n_steps,),
            )
            if noise is None:
                return
            samples[dt] = noise
        again = np.asarray(white_noise(100, 0.1, std, np.random.default_rng(3)), dtype=float)
        report.expect(
            np.array_equal(again, samples[0.1][:100]),
            "draws from the generator it is given (reproducible)",
            "the same seed gave different noise: the function does not use rng.",
            "draw with rng.standard_normal(n_steps) (or rng.normal), not np.random.",
        )
        if not np.all(np.isfinite(samples[0.1])):
            report.fail("the noise contains NaN or infinite values.")
            return
        # Sample std scaled back to dt = 1 ms: should be `std` at both dt.
        scaled = {dt: np.std(x) * np.sqrt(dt) for dt, x in samples.items()}
        v_std = {dt: _euler_membrane_std(x, dt) for dt, x in samples.items()}
        # The continuous-time value: std_V = (std / C) sqrt(tau / 2) = 1.58 mV.
        expected_v = std / CELL["membrane_capacitance"] * np.sqrt(10.0)
        report.expect(
            abs(np.mean(samples[0.01])) < 5 * std / np.sqrt(0.01) / np.sqrt(samples[0.01].size),
            "mean 0 pA",
            f"the noise has mean {np.mean(samples[0.01]):.3g} pA instead of 0.",
            "use a standard normal draw (mean 0) times the scale.",
        )
        ok = all(abs(s / std - 1.0) < 0.05 for s in scaled.values())
        if ok:
            report.ok(
                f"std / sqrt(dt): the membrane potential fluctuates by {v_std[0.1]:.2f} mV "
                f"at dt = 0.1 ms and {v_std[0.01]:.2f} mV at dt = 0.01 ms (expected "
                f"{expected_v:.2f} mV at both)"
            )
            return
        ratio = np.std(samples[0.01]) / np.std(samples[0.1])
        consequence = (
            f"with your noise the membrane potential fluctuates by {v_std[0.1]:.2f} mV at "
            f"dt = 0.1 ms but {v_std[0.01]:.2f} mV at dt = 0.01 ms: the result depends on dt"
        )
        if abs(ratio - 1.0) < 0.1:
            report.fail(
                "the sample std is the same at every dt: the 1 / sqrt(dt) scaling is "
                f"missing ({consequence}).",
                "in a step of length dt the noise must kick V by an amount whose variance "
                "is proportional to dt, so each current sample needs std / sqrt(dt).",
            )
        elif abs(ratio - np.sqrt(0.1)) < 0.05:
            report.fail(
                f"the noise is multiplied by sqrt(dt) instead of divided ({consequence}).",
                "divide by np.sqrt(dt): smaller steps need larger current samples.",
            )
        elif abs(ratio - 10.0) < 1.0:
            report.fail(
                f"the noise is divided by dt instead of sqrt(dt) ({consequence}).",
                "divide by np.sqrt(dt), not by dt.",
            )
        else:
            report.fail(
                f"the noise std at dt = 0.1 ms is {np.std(samples[0.1]):.4g} pA; expected "
                f"std / sqrt(dt) = {std / np.sqrt(0.1):.4g} pA ({consequence}).",
                "return std / np.sqrt(dt) * rng.standard_normal(n_steps).",
            )

    return run_check("Exercise 3.4: white noise with the right dt scaling", attempt, evaluate,
                     strict=strict)


# --------------------------------------------------------------------------
# CV of inter-spike intervals
# --------------------------------------------------------------------------


def check_cv_isi(attempt, *, strict=False):
    """Exercise 3.5: ``cv_isi(spike_times)``, std(ISI) / mean(ISI).

    Accepts the sample std with ddof = 0 or 1. Catches: the CV of the spike
    times instead of the intervals, the variance instead of the standard
    deviation, a std not divided by the mean, and mean / std upside down.
    """

    def evaluate(cv_isi, report):
        # By hand: ISIs 10, 20, 10 ms; mean 13.33 ms; std 4.714 ms (ddof 0) or
        # 5.774 ms (ddof 1); CV 0.3536 or 0.4330.
        times = np.array([0.0, 10.0, 30.0, 40.0])
        intervals = np.diff(times)
        answers = {
            ddof: np.std(intervals, ddof=ddof) / np.mean(intervals) for ddof in (0, 1)
        }
        value = _as_numbers(cv_isi(times), "one number", report)
        if value is None:
            return
        if value.size != 1:
            report.fail(
                f"your function returned {value.size} numbers; the CV is one number.",
                "return std(intervals) / mean(intervals).",
            )
            return
        value = float(value.ravel()[0])
        if any(np.isclose(value, answer, rtol=1e-6) for answer in answers.values()):
            report.ok("spikes at 0, 10, 30, 40 ms give CV = 0.35 (0.43 with ddof = 1)")
        else:
            wrong = {
                "the CV of the spike times themselves, not of the intervals between them":
                    [np.std(times, ddof=d) / np.mean(times) for d in (0, 1)],
                "the variance of the intervals, not their standard deviation":
                    [np.var(intervals, ddof=d) / np.mean(intervals) for d in (0, 1)],
                "the standard deviation, not divided by the mean":
                    [np.std(intervals, ddof=d) for d in (0, 1)],
                "mean / std (upside down)":
                    [np.mean(intervals) / np.std(intervals, ddof=d) for d in (0, 1)],
            }
            for what, candidates in wrong.items():
                if any(np.isclose(value, c, rtol=1e-6) for c in candidates):
                    report.fail(
                        f"spikes at 0, 10, 30, 40 ms gave {value:.4g}: that is {what}.",
                        "intervals = np.diff(spike_times); "
                        "cv = np.std(intervals) / np.mean(intervals).",
                    )
                    return
            report.fail(
                f"spikes at 0, 10, 30, 40 ms (intervals 10, 20, 10 ms) gave {value:.4g}; "
                f"expected {answers[0]:.4f} (or {answers[1]:.4f} with ddof = 1).",
                "intervals = np.diff(spike_times); cv = np.std(intervals) / np.mean(intervals).",
            )
            return
        regular = float(np.ravel(cv_isi(np.arange(0.0, 1000.0, 25.0)))[0])
        report.expect(
            abs(regular) < 1e-9,
            "a regular train has CV 0",
            f"a perfectly regular train (one spike every 25 ms) gave CV = {regular:.3g}, "
            "not 0.",
            "regular spikes have identical intervals: their std is 0.",
        )
        rng = np.random.default_rng(0)
        poisson = np.cumsum(rng.exponential(20.0, size=5000))
        value = float(np.ravel(cv_isi(poisson))[0])
        report.expect(
            abs(value - 1.0) < 0.05,
            f"a Poisson train has CV close to 1 ({value:.2f})",
            f"a long Poisson train gave CV = {value:.3g}; expected about 1.",
        )

    return run_check("Exercise 3.5: CV of the inter-spike intervals", attempt, evaluate,
                     strict=strict)


def _class_is_stub(cls, method="step") -> bool:
    """True if ``cls`` is a class whose ``method`` is still the ``...`` scaffold."""
    return isinstance(cls, type) and is_placeholder(cls.__dict__.get(method))

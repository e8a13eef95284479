"""Checkers for Lesson 1, "Synapses".

Units: time in ms, rate in Hz, conductance in nS, voltage in mV, current in
pA (see :mod:`course_utils`).

Each checker runs the student's function on a few small, seeded probes,
recognises the typical mistakes of that exercise (rate in Hz read as per ms,
the global ``np.random`` instead of the passed generator, a kernel that is
nonzero before the spike or grows, a decay that ignores dt, an alpha kernel
not normalised to a peak of 1, the driving force the wrong way round, a
stray unit factor) and says what is wrong and how to fix it. The reference
values come from :mod:`course_utils.synapses`, whose own tests compare it
with hand formulas.

Each checker is a table of small named probes, one per mistake it
recognises, run in order by :func:`course_utils.checks._probes.run_probes`;
each checker's docstring lists the mistakes and the probe that catches each.
"""

from __future__ import annotations

import functools

import numpy as np

from .. import synapses
from . import run_check
from ._probes import as_array, case_by_case, evaluator, expect, mistake, passed

_PER_TIME_POINT = "return one value per time point (the same length as the input)."

__all__ = [
    "check_alpha_kernel",
    "check_conductance_ode",
    "check_exponential_conductance",
    "check_mean_conductance",
    "check_poisson_spike_train",
    "check_refractory_poisson_train",
    "check_synaptic_current",
    "compare_prediction",
]


def _close(a, b, rtol=1e-9, atol=1e-12) -> bool:
    return bool(np.allclose(a, b, rtol=rtol, atol=atol))


# --------------------------------------------------------------------------
# Exercise 1.1: Poisson spike train
# --------------------------------------------------------------------------

_RATE_HINT = (
    "rate is in Hz (spikes per second) but times are in ms: the mean number of "
    "spikes is rate * duration / 1000, and the mean interval is 1000 / rate ms."
)


class _PoissonCase:
    """The student's ``poisson_spike_train`` at 20 Hz for 1000 ms, called as the probes need it."""

    rate, duration = 20.0, 1000.0
    expected = rate * duration / 1000.0  # 20 spikes per train

    def __init__(self, poisson_spike_train):
        self.generate = poisson_spike_train
        self.first = None  # the train of seed 1, once a probe has checked it

    def train(self, seed):
        return self.generate(self.rate, self.duration, np.random.default_rng(seed))

    @functools.cached_property
    def trains(self):
        """100 seeded trains (seeds 100 to 199) as float arrays."""
        return [np.asarray(self.train(seed), float) for seed in range(100, 200)]

    @functools.cached_property
    def pooled(self):
        """(the spike count of each train, every spike time of all trains)."""
        counts = np.array([train.size for train in self.trains])
        every_time = np.concatenate(self.trains) if self.trains else np.array([])
        return counts, every_time


def _poisson_returns_times(case):
    """Not an array, or not a flat one."""
    case.first, problem = as_array(case.train(1), "an array of spike times")
    if problem is not None:
        return problem
    if case.first.ndim != 1:
        return mistake(
            f"the spike times should be a 1-D array, but have shape {case.first.shape}.",
            "return a flat array of times, e.g. np.array(times).",
        )
    return None


def _poisson_rate_per_ms(case):
    """Hz read as per ms: 1000x too many spikes in the first train."""
    # A gross unit error first: also avoids looping over 20000 spikes x 100 trains.
    size, expected = case.first.size, case.expected
    if size > 100 * expected:
        return mistake(
            f"20 Hz for 1000 ms gave {size} spikes; about {expected:g} are "
            f"expected ({size / expected:.0f}x too many: the mean interval "
            "must be 1000 / rate ms, so rate was not converted from Hz).",
            _RATE_HINT,
        )
    return None


def _poisson_uses_rng(case):
    """The global ``np.random``, or a fixed seed inside: two seeds, one of them twice."""
    first = case.first
    again = np.asarray(case.train(1))
    other = np.asarray(case.train(2))
    same = expect(
        again.shape == first.shape and np.array_equal(again, first),
        "the same seed gives the same train (reproducible)",
        "two generators with the same seed gave different trains: the function "
        "does not draw from the rng it is given (it uses the global np.random, or "
        "makes a new generator inside).",
        "draw every random number from rng, e.g. rng.exponential(...) or "
        "rng.poisson(...), never np.random.exponential(...).",
        final=False,
    )
    if not same.passed:
        return same
    return same, expect(
        other.shape != first.shape or not np.array_equal(other, first),
        "different seeds give different trains",
        "different seeds gave the same train: the function ignores rng "
        "(a fixed seed inside it?).",
        "use the rng argument; do not create a new generator inside the function.",
        final=False,
    )


def _poisson_inside_window(case):
    """Times outside ``[0, duration)`` in the first train."""
    first, duration = case.first, case.duration
    return expect(
        first.size == 0 or (first.min() >= 0.0 and first.max() < duration),
        "all spike times lie in [0, duration)",
        "some spike times lie outside [0, duration) ms"
        + (f" (from {first.min():.4g} to {first.max():.4g} ms)." if first.size else "."),
        "keep only the times t with 0 <= t < duration (times are in ms).",
        final=False,
    )


def _poisson_sorted(case):
    """Unsorted times in the first train."""
    return expect(
        bool(np.all(np.diff(case.first) >= 0)),
        "spike times are sorted",
        "the spike times are not sorted in increasing order.",
        "sort them with np.sort before returning.",
        final=False,
    )


def _poisson_rate_divided_twice(case):
    """1000x too few spikes: the mean count of the 100 trains."""
    counts, _ = case.pooled
    mean, expected = counts.mean(), case.expected
    if mean < expected / 100:
        return mistake(
            f"20 Hz for 1000 ms gave {mean:.3g} spikes on average, 1000x fewer than "
            f"the expected {expected:g}.",
            _RATE_HINT,
        )
    return None


def _poisson_mean_count(case):
    """Any other wrong mean count (100 trains of mean 20: standard error 0.45)."""
    mean, expected = case.pooled[0].mean(), case.expected
    return expect(
        abs(mean - expected) < 3.0,
        f"mean count {mean:.3g} ~ rate * duration / 1000 = {expected:g}",
        f"20 Hz for 1000 ms gave {mean:.3g} spikes on average; expected {expected:g}.",
        _RATE_HINT,
    )


def _poisson_times_in_seconds(case):
    """Times in seconds land inside ``[0, duration)`` ms too: the largest time of all trains."""
    every_time = case.pooled[1]
    if every_time.size and every_time.max() <= case.duration / 1000.0 + 1e-9:
        return mistake(
            f"every spike time lies below {every_time.max():.3g}, although the train "
            "lasts 1000 ms: the times are in seconds, not ms.",
            "keep time in ms: the mean interval is 1000 / rate ms, and the times "
            "run up to duration (ms).",
        )
    return None


def _poisson_spread(case):
    """Times bunched in time: ~2000 uniform times in [0, 1000) ms average 500 +- 6 ms."""
    mean_time, duration = case.pooled[1].mean(), case.duration
    return expect(
        abs(mean_time - duration / 2) < 50.0,
        "spike times spread evenly over [0, duration)",
        f"the spike times average {mean_time:.4g} ms; in a Poisson train they "
        f"spread evenly over [0, {duration:g}) ms (average {duration / 2:g} ms).",
        "add up exponential intervals from t = 0 and keep the times below duration.",
    )


def _poisson_first_spike_at_zero(case):
    """A 0 put in front of the cumulative sum: the first time of each train."""
    starts_at_zero = np.mean([train.size > 0 and train[0] == 0.0 for train in case.trains])
    if starts_at_zero > 0.5:
        return mistake(
            "the first spike is always at t = 0: a Poisson train starts with an "
            "interval, not with a spike (np.cumsum of the intervals, without a 0 in "
            "front).",
            "the first spike time is the first interval: times = np.cumsum(intervals).",
        )
    return None


def _poisson_fixed_count(case):
    """A count that never varies: the variance of the 100 counts."""
    if case.pooled[0].var(ddof=1) == 0:
        return mistake(
            "every train has the same number of spikes: a Poisson count varies "
            "from train to train (its variance equals its mean).",
            "draw the count with rng.poisson(...) or build the train from "
            "exponential intervals rng.exponential(1000 / rate, ...).",
        )
    return None


def _poisson_capped_count(case):
    """Too few intervals drawn: the largest count of the 100 trains."""
    largest = case.pooled[0].max()
    if largest <= case.expected + 1e-9:
        return mistake(
            f"no train has more than {largest} spikes: the count is capped, "
            "so the process is not Poisson.",
            "draw more intervals than you expect to need (or keep drawing), "
            "then keep the spike times below duration.",
        )
    return None


def _poisson_fano_factor(case):
    """Regular or jittered spikes: variance / mean of the counts (standard error ~2.9)."""
    counts = case.pooled[0]
    fano = counts.var(ddof=1) / counts.mean()
    return expect(
        0.5 < fano < 1.6,
        f"count variance / mean = {fano:.2f} ~ 1 (Poisson)",
        f"count variance / mean = {fano:.2f}; a Poisson process has 1.",
        "use exponential intervals with mean 1000 / rate ms (or a Poisson count "
        "and uniform times); regular or jittered spikes are not Poisson.",
    )


_POISSON_PROBES = (
    _poisson_returns_times,
    _poisson_rate_per_ms,
    _poisson_uses_rng,
    _poisson_inside_window,
    _poisson_sorted,
    _poisson_rate_divided_twice,
    _poisson_mean_count,
    _poisson_times_in_seconds,
    _poisson_spread,
    _poisson_first_spike_at_zero,
    _poisson_fixed_count,
    _poisson_capped_count,
    _poisson_fano_factor,
)


def check_poisson_spike_train(attempt, *, strict=False):
    """Exercise 1.1: ``poisson_spike_train(rate, duration, rng)``.

    Catches (probe in brackets; the probe functions are ``_poisson_*``):

    * Hz read as per ms, 1000x too many or too few spikes [20 Hz x 1000 ms,
      one train (``_poisson_rate_per_ms``), then the mean count of 100
      seeded trains (``_poisson_rate_divided_twice``, ``_poisson_mean_count``)];
    * the global ``np.random`` instead of ``rng`` [two generators with the
      same seed must give the same train] (``_poisson_uses_rng``);
    * a fixed seed inside the function [two different seeds]
      (``_poisson_uses_rng``);
    * times outside ``[0, duration)`` or unsorted [the first train]
      (``_poisson_inside_window``, ``_poisson_sorted``);
    * spike times in seconds, which land inside ``[0, duration)`` ms too
      [largest and mean time of all 100 trains] (``_poisson_times_in_seconds``,
      ``_poisson_spread``);
    * a first spike always at t = 0 (a 0 put in front of the cumulative
      sum: off by one interval) [first time of each train]
      (``_poisson_first_spike_at_zero``);
    * a count that never varies, or is capped by drawing too few intervals
      [largest count of the 100 trains] (``_poisson_fixed_count``,
      ``_poisson_capped_count``), and regular or jittered spikes
      [variance / mean of the counts] (``_poisson_fano_factor``).
    """
    return run_check("Exercise 1.1: Poisson spike train", attempt,
                     evaluator(_POISSON_PROBES, _PoissonCase), strict=strict)


# --------------------------------------------------------------------------
# Exercise 1.2: analytical conductance (sum of exponential kernels)
# --------------------------------------------------------------------------


class _ConductanceCase:
    """The student's ``exponential_conductance`` and what it returned so far."""

    def __init__(self, exponential_conductance):
        self.conductance = exponential_conductance
        self.time = np.arange(600) * 0.1  # 0 to 59.9 ms
        self.spike = self.time[100]  # exactly a grid time, so s = 0 there: the jump must show
        self.spikes = np.array([5.0, 8.0, 30.05])  # two of them 3 ms apart
        self.single = None  # one spike at 10 ms, g_max = 2 nS, tau = 5 ms
        self.several = None  # three spikes, g_max = 0.5 nS, tau = 3 ms

    def call(self, spikes, peak_conductance, decay_time):
        """(conductance at each time, None) or (None, the mistake)."""
        with np.errstate(over="ignore", invalid="ignore"):
            return as_array(
                self.conductance(self.time, spikes, peak_conductance, decay_time),
                "the conductance at each time", shape=(self.time.size,),
                shape_hint=_PER_TIME_POINT,
            )


def _exponential_causal(case):
    """Nonzero before the spike: one spike at 10 ms, times before it."""
    case.single, problem = case.call(np.array([case.spike]), 2.0, 5.0)
    if problem is not None:
        return problem
    return expect(
        np.allclose(case.single[case.time < case.spike], 0.0, atol=1e-12),
        "zero before the spike (causal)",
        "the conductance is nonzero before the spike arrives (at 10 ms).",
        "the kernel must be 0 for t < t_spike: multiply by (s >= 0) or use "
        "np.where(s >= 0, ..., 0.0), with s = t - t_spike.",
    )


def _exponential_no_jump(case):
    """``s > 0`` instead of ``s >= 0``: 0 at the spike's own sample, not after it."""
    single = case.single
    if single[100] == 0.0 and single[101] > 0.0 and np.isfinite(single[101]):
        return mistake(
            "at the moment of the spike (s = t - t_spike = 0) the conductance is 0, "
            "and it jumps up only one sample later: the test is s > 0 where it "
            "should be s >= 0.",
            "the kernel is exp(-s / tau) for s >= 0 (it is 1 at s = 0): use "
            "np.where(s >= 0, ..., 0.0).",
        )
    return None


def _exponential_grows(case):
    """A growing exponential: the value 30 ms after the spike."""
    late = case.single[400]
    if late > case.single[100] or not np.isfinite(late):
        return mistake(
            "the conductance grows after the spike instead of decaying.",
            "the exponent must be negative: exp(-(t - t_spike) / decay_time).",
        )
    return None


def _exponential_no_peak_conductance(case):
    """``peak_conductance`` missing: 1 instead of 2 nS at the spike."""
    at_spike = case.single[100]
    if np.isclose(at_spike, 1.0) and not np.isclose(at_spike, 2.0):
        return mistake(
            "right after a spike the conductance is 1 nS with peak_conductance = 2 nS.",
            "multiply the kernel by peak_conductance (nS).",
        )
    return None


def _exponential_tau_multiplied(case):
    """The time constant multiplied instead of divided: the value one tau later."""
    one_tau_later = case.single[150]
    return expect(
        np.isclose(one_tau_later, 2.0 / np.e, rtol=1e-6),
        "decays by a factor e in one decay_time",
        f"one decay_time (5 ms) after the spike the conductance is "
        f"{one_tau_later:.3g} nS; expected 2 / e = {2 / np.e:.3g} nS.",
        "divide the time since the spike by decay_time: exp(-s / decay_time), "
        "not exp(-s * decay_time).",
    )


def _exponential_one_spike(case):
    """Anything else wrong with one spike: the whole trace against the reference."""
    expected = synapses.conductance_analytical(case.time, [case.spike], 2.0, 5.0)
    return expect(
        _close(case.single, expected),
        "one spike gives g_max * exp(-(t - t_spike) / tau)",
        "one spike does not give g_max * exp(-(t - t_spike) / tau).",
        "compare your values with the formula at a few times by hand.",
    )


def _exponential_latest_only(case):
    """Only the most recent spike counted: three spikes, two 3 ms apart."""
    case.several, problem = case.call(case.spikes, 0.5, 3.0)
    if problem is not None:
        return problem
    time = case.time
    expected = synapses.conductance_analytical(time, case.spikes, 0.5, 3.0)
    latest = np.zeros_like(time)
    for spike in case.spikes:
        latest = np.where(time >= spike, 0.5 * np.exp(-(time - spike) / 3.0), latest)
    if _close(case.several, latest) and not _close(case.several, expected):
        return mistake(
            "only the most recent spike counts: when spikes come close together "
            "their conductances must add up.",
            "sum the kernels over all spikes: g(t) = g_max * sum_k kernel(t - t_k).",
        )
    return None


def _exponential_sum(case):
    """Any other mistake with several spikes: the three-spike trace against the reference."""
    expected = synapses.conductance_analytical(case.time, case.spikes, 0.5, 3.0)
    return expect(
        _close(case.several, expected),
        "several spikes add up: g(t) = g_max * sum_k exp(-(t - t_k) / tau)",
        "with several spikes the conductance is not the sum of their kernels.",
        "loop over the spike times and add each kernel to the total.",
        final=False,
    )


def _exponential_no_spikes(case):
    """No spikes not giving zero: an empty spike list."""
    time = case.time
    with np.errstate(over="ignore", invalid="ignore"):
        silent = np.asarray(case.conductance(time, np.array([]), 0.5, 3.0), float)
    return expect(
        silent.shape == time.shape and np.all(silent == 0.0),
        "no spikes give zero conductance",
        "with no spikes the conductance should be 0 at every time.",
        "start from np.zeros_like(time) and add one kernel per spike.",
    )


_EXPONENTIAL_PROBES = (
    _exponential_causal,
    _exponential_no_jump,
    _exponential_grows,
    _exponential_no_peak_conductance,
    _exponential_tau_multiplied,
    _exponential_one_spike,
    _exponential_latest_only,
    _exponential_sum,
    _exponential_no_spikes,
)


def check_exponential_conductance(attempt, *, strict=False):
    """Exercise 1.2: ``exponential_conductance(time, spike_times, peak_conductance, decay_time)``.

    Catches (probe in brackets; the probe functions are ``_exponential_*``):

    * a kernel that is nonzero before the spike, no causality [one spike at
      a grid time of 10 ms, times before it] (``_exponential_causal``);
    * ``s > 0`` instead of ``s >= 0``, no jump at the spike itself [the
      sample exactly at the spike is 0, the next is not]
      (``_exponential_no_jump``);
    * a growing exponential, wrong sign [value 30 ms after the spike]
      (``_exponential_grows``);
    * a missing ``peak_conductance`` [value 1 instead of 2 nS at the spike]
      (``_exponential_no_peak_conductance``);
    * the time constant multiplied instead of divided [value one tau later]
      (``_exponential_tau_multiplied``);
    * only the most recent spike counted instead of the sum [three spikes,
      two 3 ms apart] (``_exponential_latest_only``, ``_exponential_sum``);
    * no spikes not giving zero [empty spike list] (``_exponential_no_spikes``).
    """
    return run_check("Exercise 1.2: conductance as a sum of kernels", attempt,
                     evaluator(_EXPONENTIAL_PROBES, _ConductanceCase), strict=strict)


# --------------------------------------------------------------------------
# Exercise 1.3: numerical conductance (one ODE step at a time)
# --------------------------------------------------------------------------


def _reference_ode(counts, peak_conductance, decay_time, dt, method):
    time = np.arange(counts.size) * dt
    spikes = np.repeat(time, counts)
    return synapses.conductance_numerical(time, spikes, peak_conductance, decay_time, method=method)


def _spike_in_step(n_steps, step, count=1):
    counts = np.zeros(n_steps, dtype=int)
    counts[step] = count
    return counts


_ODE_RANDOM_RUNS = [(0.1, "exact"), (0.5, "exact"), (0.25, "euler")]
_EXACT_FACTOR = np.exp(-0.1 / 5.0)  # per step of 0.1 ms with tau = 5 ms
_EULER_HINT = "for method='euler' use 1 - dt / decay_time."


class _OdeCase:
    """The student's ``conductance_ode`` (g_max = 2 nS, tau = 5 ms); each run made once."""

    def __init__(self, conductance_ode):
        self.ode = conductance_ode
        self.runs = {}
        one_spike = _spike_in_step(60, 10)
        self.inputs = {  # name: (spike counts per step, dt in ms, method)
            "exact": (one_spike, 0.1, "exact"),
            "euler": (one_spike, 0.1, "euler"),
            "first step": (_spike_in_step(20, 0), 0.5, "exact"),
            "double": (_spike_in_step(20, 3, count=2), 0.5, "exact"),
        }

    def run(self, counts, dt, method):
        """(conductance at each step, None) or (None, the mistake)."""
        with np.errstate(over="ignore", invalid="ignore"):
            return as_array(
                self.ode(counts, 2.0, 5.0, dt, method), "the conductance at each step",
                shape=(counts.size,), shape_hint=_PER_TIME_POINT,
            )

    def response(self, name):
        """The run on ``self.inputs[name]``, as :meth:`run` returns it."""
        if name not in self.runs:
            self.runs[name] = self.run(*self.inputs[name])
        return self.runs[name]

    def factor(self, name):
        """The decay factor per step after the spike in step 10."""
        g = self.response(name)[0]
        return g[12] / g[11] if g[11] != 0 else np.nan


def _ode_starts_at_zero(case):
    """Not zero before the first spike (step 10)."""
    g, problem = case.response("exact")
    if problem is not None:
        return problem
    return expect(
        np.allclose(g[:10], 0.0),
        "zero before the first spike",
        "the conductance is nonzero before the first spike (step 10).",
        "start from g = 0.0.",
    )


def _ode_stored_before_spikes(case):
    """Stored before the step's spikes are added: conductance[10] = 0, conductance[11] > 0."""
    g = case.response("exact")[0]
    if np.isclose(g[10], 0.0) and g[11] > 0:
        return mistake(
            "the spike shows up one step late: conductance[10] is 0 although the "
            "spike arrives at the start of step 10.",
            "inside the loop: first add the step's spikes, then store "
            "conductance[k] = g, then decay g.",
        )
    return None


def _ode_stored_after_decay(case):
    """Stored after the decay: conductance[10] already decayed."""
    g = case.response("exact")[0]
    if np.isclose(g[10], 2.0 * _EXACT_FACTOR) or np.isclose(g[10], 2.0 * 0.98):
        return mistake(
            "conductance[10] is already decayed: the state at the start of step 10 "
            "should be exactly peak_conductance.",
            "store conductance[k] = g before you multiply g by the decay factor.",
        )
    return None


def _ode_jump(case):
    """A spike not adding ``peak_conductance``: conductance[10]."""
    g = case.response("exact")[0]
    return expect(
        np.isclose(g[10], 2.0),
        "a spike adds peak_conductance at the start of its step",
        f"right after one spike conductance[10] = {g[10]:.4g} nS; expected "
        "peak_conductance = 2 nS.",
        "add peak_conductance * spike_counts[k] to g at the start of step k.",
    )


def _ode_grows(case):
    """A growing factor, wrong sign: the ratio of steps 12 and 11."""
    factor = case.factor("exact")
    if not np.isfinite(factor) or factor >= 1.0:
        return mistake(
            f"the conductance does not decay between spikes (factor per step {factor:.4g}).",
            "the factor per step must be below 1: exp(-dt / decay_time) or "
            "1 - dt / decay_time, with a minus sign.",
        )
    return None


def _ode_ignores_dt(case):
    """A decay per step that ignores dt: the factor of 1 ms at dt = 0.1 ms."""
    factor = case.factor("exact")
    if np.isclose(factor, np.exp(-1.0 / 5.0)) or np.isclose(factor, 1.0 - 1.0 / 5.0):
        return mistake(
            f"the decay per step ({factor:.4g}) does not depend on dt: it is the "
            "decay of 1 ms, not of one step of 0.1 ms.",
            "use dt in the factor: exp(-dt / decay_time).",
        )
    return None


def _ode_exact_uses_euler(case):
    """The Euler factor 0.98 for method='exact'."""
    if np.isclose(case.factor("exact"), 0.98, rtol=1e-9):
        return mistake(
            "method='exact' uses the Euler factor 1 - dt/tau.",
            "for method='exact' use np.exp(-dt / decay_time); " + _EULER_HINT,
        )
    return None


def _ode_exact_factor(case):
    """Any other exact factor: against exp(-dt/tau)."""
    factor = case.factor("exact")
    return expect(
        np.isclose(factor, _EXACT_FACTOR, rtol=1e-9),
        "exact method: the conductance shrinks by exp(-dt/tau) per step",
        f"exact method: the factor per step is {factor:.6g}; expected "
        f"exp(-dt/tau) = {_EXACT_FACTOR:.6g}.",
        "for method='exact' use np.exp(-dt / decay_time).",
    )


def _ode_euler_uses_exact(case):
    """The exact factor exp(-dt/tau) for method='euler'."""
    problem = case.response("euler")[1]
    if problem is not None:
        return problem
    if np.isclose(case.factor("euler"), _EXACT_FACTOR, rtol=1e-9):
        return mistake("method='euler' uses the exact factor exp(-dt/tau).", _EULER_HINT)
    return None


def _ode_euler_factor(case):
    """Any other Euler factor: against 1 - dt/tau = 0.98."""
    factor = case.factor("euler")
    return expect(
        np.isclose(factor, 0.98, rtol=1e-9),
        "Euler method: the conductance shrinks by 1 - dt/tau per step",
        f"Euler method: the factor per step is {factor:.6g}; expected 1 - dt/tau = 0.98.",
        _EULER_HINT,
    )


def _ode_skips_first_step(case):
    """A loop that skips step 0: one spike in step 0."""
    g, problem = case.response("first step")
    if problem is not None:
        return problem
    return expect(
        np.isclose(g[0], 2.0),
        "a spike in the very first step (k = 0) counts",
        f"a spike arriving in step 0 gives conductance[0] = {g[0]:.4g} nS instead of "
        "2 nS: the loop skips or mishandles its first step (an off-by-one at the start).",
        "loop over every step, k = 0, 1, ..., len(spike_counts) - 1 "
        "(for k, count in enumerate(spike_counts)).",
    )


def _ode_ignores_count(case):
    """One ``peak_conductance`` for a step with two spikes (step 3)."""
    g, problem = case.response("double")
    if problem is not None:
        return problem
    if np.isclose(g[3], 2.0):
        return mistake(
            "two spikes in the same step add only one peak_conductance.",
            "add peak_conductance * spike_counts[k], not just peak_conductance.",
        )
    return None


def _ode_random_trains(case):
    """A loop that stops one step early, or anything else: a seeded random train, three runs.

    A generator: the runs that match are recorded before the next run starts.
    """
    counts = np.random.default_rng(12).poisson(0.05, size=400)
    for dt, method in _ODE_RANDOM_RUNS:
        g, problem = case.run(counts, dt, method)
        if problem is not None:
            yield problem
            return
        expected = _reference_ode(counts, 2.0, 5.0, dt, method)
        if _close(g[:-1], expected[:-1]) and not _close(g[-1], expected[-1]):
            yield mistake(
                "every step is right except the last one: the loop stops one step "
                "early (an off-by-one at the end).",
                "loop over all len(spike_counts) steps.",
            )
            return
        finding = expect(
            _close(g, expected),
            f"matches the reference for a random spike train (dt = {dt} ms, {method})",
            f"for a random spike train (dt = {dt} ms, method={method!r}) the result "
            "differs from the reference.",
            "check the order inside the loop: add spikes, store, decay.",
        )
        yield finding
        if not finding.passed:
            return


_ODE_PROBES = (
    _ode_starts_at_zero,
    _ode_stored_before_spikes,
    _ode_stored_after_decay,
    _ode_jump,
    _ode_grows,
    _ode_ignores_dt,
    _ode_exact_uses_euler,
    _ode_exact_factor,
    _ode_euler_uses_exact,
    _ode_euler_factor,
    _ode_skips_first_step,
    _ode_ignores_count,
    _ode_random_trains,
)


def check_conductance_ode(attempt, *, strict=False):
    """Exercise 1.3: ``conductance_ode(spike_counts, peak_conductance, decay_time, dt, method)``.

    Catches (probe in brackets; the probe functions are ``_ode_*``):

    * storing the conductance before the step's spikes are added, one step
      late [one spike in step 10: conductance[10] = 0 but conductance[11] > 0]
      (``_ode_stored_before_spikes``);
    * storing it after the decay [conductance[10] already decayed]
      (``_ode_stored_after_decay``);
    * a growing factor, wrong sign [ratio of steps 12 and 11] (``_ode_grows``);
    * a decay per step that ignores dt [factor of 1 ms at dt = 0.1 ms]
      (``_ode_ignores_dt``);
    * the Euler and exact factors swapped [factor 0.98 vs exp(-0.02), both
      methods] (``_ode_exact_uses_euler``, ``_ode_euler_uses_exact``);
    * a loop that skips step 0, an off-by-one at the start [one spike in
      step 0] (``_ode_skips_first_step``);
    * one ``peak_conductance`` for a step with two spikes [two spikes in
      step 3] (``_ode_ignores_count``);
    * a loop that stops one step early [the last step of a seeded random
      train] (``_ode_random_trains``);
    * anything else [a seeded random train at three (dt, method) pairs
      against :func:`course_utils.synapses.conductance_numerical`]
      (``_ode_random_trains``; before it ``_ode_starts_at_zero``,
      ``_ode_jump``, ``_ode_exact_factor`` and ``_ode_euler_factor`` name
      the first wrong value).
    """
    return run_check("Exercise 1.3: conductance step by step", attempt,
                     evaluator(_ODE_PROBES, _OdeCase), strict=strict)


# --------------------------------------------------------------------------
# Exercise 1.4: alpha kernel
# --------------------------------------------------------------------------


class _AlphaCase:
    """The student's ``alpha_kernel`` at s from -5 to 50 ms in 0.05 ms steps, tau = 4 ms."""

    tau = 4.0

    def __init__(self, alpha_kernel):
        self.kernel = alpha_kernel
        self.s = np.round(np.arange(-100, 1001) * 0.05, 10)  # -5 to 50 ms
        self.values = None

    def at(self, tau):
        """The kernel for ``tau`` ms at every s, as the student computes it."""
        with np.errstate(over="ignore", invalid="ignore"):
            return self.kernel(self.s, tau)


def _alpha_causal(case):
    """Nonzero before the spike: s < 0."""
    case.values, problem = as_array(case.at(case.tau), "the kernel values", (case.s.size,),
                                    _PER_TIME_POINT)
    if problem is not None:
        return problem
    return expect(
        np.allclose(case.values[case.s < 0], 0.0, atol=1e-12),
        "zero before the spike (causal)",
        "the kernel is nonzero for negative times (before the spike).",
        "return 0 where time_since_spike < 0, e.g. with np.where(s >= 0, ..., 0.0).",
    )


def _alpha_grows(case):
    """A growing exponential: the last value above the value at s = tau."""
    values = case.values
    if not np.all(np.isfinite(values)) or values[-1] > values[case.s == case.tau][0]:
        return mistake(
            "the kernel grows at late times instead of decaying.",
            "the exponent must be negative: exp(1 - s / decay_time).",
        )
    return None


def _alpha_peak_one_over_e(case):
    """The factor e forgotten: a peak of 1/e."""
    peak = case.values.max()
    if np.isclose(peak, 1.0 / np.e, rtol=1e-4):
        return mistake(
            f"the peak is 1/e = {peak:.4g}, not 1.",
            "normalise to a peak of 1: (s / tau) * exp(1 - s / tau) (note the 1 - ...).",
        )
    return None


def _alpha_peak_height(case):
    """Another peak height: the maximum."""
    peak = case.values.max()
    return expect(
        np.isclose(peak, 1.0, rtol=1e-6),
        "peak value 1",
        f"the peak value is {peak:.4g}; the kernel should peak at exactly 1.",
        "use (s / decay_time) * exp(1 - s / decay_time): at s = decay_time it is 1.",
    )


def _alpha_peak_time(case):
    """A peak at the wrong time, s multiplied by tau: the time of the maximum."""
    peak_time, tau = case.s[np.argmax(case.values)], case.tau
    return expect(
        abs(peak_time - tau) < 0.051,
        "peak at s = decay_time",
        f"the peak is at {peak_time:.3g} ms; an alpha kernel with decay_time = "
        f"{tau:g} ms peaks at {tau:g} ms.",
        "divide s by decay_time in both places: (s / tau) * exp(1 - s / tau).",
    )


def _alpha_hard_coded_tau(case):
    """A hard-coded time constant: tau = 4 and 10 ms against the reference (a generator)."""
    for tau in (case.tau, 10.0):
        values = np.asarray(case.at(tau), float)
        finding = expect(
            _close(values, synapses.kernel(case.s, tau, "alpha")),
            f"matches (s/tau) exp(1 - s/tau) for tau = {tau:g} ms",
            f"with decay_time = {tau:g} ms the values differ from "
            "(s/tau) exp(1 - s/tau).",
            "use the decay_time argument; do not hard-code a time constant.",
        )
        yield finding
        if not finding.passed:
            return


_ALPHA_PROBES = (
    _alpha_causal,
    _alpha_grows,
    _alpha_peak_one_over_e,
    _alpha_peak_height,
    _alpha_peak_time,
    _alpha_hard_coded_tau,
)


def check_alpha_kernel(attempt, *, strict=False):
    """Exercise 1.4: ``alpha_kernel(time_since_spike, decay_time)``, peak 1 at decay_time.

    Catches (probe in brackets; s from -5 to 50 ms in 0.05 ms steps; the
    probe functions are ``_alpha_*``):

    * nonzero before the spike [s < 0] (``_alpha_causal``);
    * a growing exponential [last value above the value at s = tau]
      (``_alpha_grows``);
    * a peak of 1/e, the factor e forgotten, or another height [maximum]
      (``_alpha_peak_one_over_e``, ``_alpha_peak_height``);
    * a peak at the wrong time, s multiplied by tau [time of the maximum]
      (``_alpha_peak_time``);
    * a hard-coded time constant [tau = 4 and 10 ms] (``_alpha_hard_coded_tau``).

    ``s > 0`` instead of ``s >= 0`` is harmless here (the kernel is 0 at
    s = 0) and is accepted.
    """
    return run_check("Exercise 1.4: alpha kernel", attempt,
                     evaluator(_ALPHA_PROBES, _AlphaCase), strict=strict)


# --------------------------------------------------------------------------
# Exercise 1.5: synaptic current with driving force
# --------------------------------------------------------------------------


_DRIVING_FORCE = "I = g * (E_rev - V)."


def _current(synaptic_current, conductance, voltage, reversal_potential):
    """The student's current (pA) for one conductance (nS), voltage and reversal (mV)."""
    return float(np.squeeze(synaptic_current(conductance, voltage, reversal_potential)))


class _CurrentCase:
    """The student's ``synaptic_current`` and its current for AMPA (2 nS) at -70 mV."""

    expected = 2.0 * (0.0 - -70.0)  # +140 pA into the cell

    def __init__(self, synaptic_current):
        self.current = synaptic_current
        self.value = None


def _current_sign(case):
    """The driving force the wrong way round: 2 nS at -70 mV, E = 0 mV gives -140 pA."""
    case.value = _current(case.current, 2.0, -70.0, 0.0)
    if np.isclose(case.value, -case.expected):
        return mistake(
            "AMPA at -70 mV gives -140 pA: the sign is flipped (you computed g * (V - E)).",
            "the course counts current INTO the cell as positive: "
            "I = g * (E_rev - V), positive (depolarising) below the reversal potential.",
        )
    return None


def _current_unit_factor(case):
    """A stray unit factor: the same probe off by a power of ten."""
    value, expected = case.value, case.expected
    for factor, unit in ((1e-3, "nA"), (1e3, "fA"), (1e-6, "uA"), (1e-12, "A")):
        if np.isclose(abs(value), expected * factor):
            return mistake(
                f"2 nS at 70 mV from the reversal gives {value:.3g}: a factor "
                f"{factor:g} (a current in {unit}?).",
                "nS x mV is already pA: no conversion factor is needed.",
            )
    return expect(
        np.isclose(value, expected),
        "2 nS, V = -70 mV, E = 0 mV: +140 pA (inward, depolarising)",
        f"2 nS, V = -70 mV, E = 0 mV gave {value:.4g} pA; expected +140 pA.",
        _DRIVING_FORCE,
    )


def _current_reverses(case):
    """An absolute value, no reversal: 1 nS at +20 mV, E = 0 mV."""
    above = _current(case.current, 1.0, 20.0, 0.0)
    return expect(
        np.isclose(above, -20.0),
        "above the reversal potential the current reverses (-20 pA at +20 mV)",
        f"at V = +20 mV, above E = 0 mV, the current should be -20 pA (it reverses), "
        f"not {above:.4g} pA.",
        "do not take an absolute value: the sign of E_rev - V sets the direction.",
    )


def _current_inhibitory(case):
    """Anything else wrong for GABA_A at -65 mV (E = -75 mV)."""
    gaba = _current(case.current, 1.0, -65.0, -75.0)
    return expect(
        np.isclose(gaba, -10.0),
        "GABA_A at -65 mV (E = -75 mV): -10 pA (outward, hyperpolarising)",
        f"GABA_A at -65 mV with E = -75 mV should give -10 pA, not {gaba:.4g}.",
        _DRIVING_FORCE,
        final=False,
    )


def _current_zero_at_reversal(case):
    """A current that is not zero at the reversal potential: V = E."""
    return expect(
        _current(case.current, 3.0, -75.0, -75.0) == 0.0,
        "zero at the reversal potential",
        "at V = E_rev the current should be exactly 0.",
        _DRIVING_FORCE,
        final=False,
    )


def _current_element_wise(case):
    """Code that only works for single numbers: arrays of g and V."""
    traces = np.asarray(
        case.current(np.array([0.0, 1.0, 2.0]), np.array([-80.0, -70.0, -60.0]), 0.0),
        float,
    )
    return expect(
        traces.shape == (3,) and _close(traces, [0.0, 70.0, 120.0]),
        "works element-wise on arrays",
        "with arrays of conductance and voltage the result is not element-wise "
        "g * (E_rev - V).",
        "use numpy arithmetic (no math.* functions or loops over a single value).",
        final=False,
    )


_CURRENT_PROBES = (
    _current_sign,
    _current_unit_factor,
    _current_reverses,
    _current_inhibitory,
    _current_zero_at_reversal,
    _current_element_wise,
)


def check_synaptic_current(attempt, *, strict=False):
    """Exercise 1.5: ``synaptic_current(conductance, voltage, reversal_potential)`` in pA.

    Catches (probe in brackets; the probe functions are ``_current_*``):

    * the driving force the wrong way round, ``V - E`` [2 nS at -70 mV,
      E = 0 mV: -140 instead of +140 pA] (``_current_sign``);
    * a unit factor (nS x mV is already pA: 1e-3 would give nA) [same
      probe, a power of ten] (``_current_unit_factor``);
    * an absolute value, no reversal [1 nS at +20 mV, E = 0 mV]
      (``_current_reverses``);
    * a current that is not zero at the reversal potential [V = E]
      (``_current_zero_at_reversal``; GABA_A at -65 mV: ``_current_inhibitory``);
    * code that only works for single numbers [arrays of g and V]
      (``_current_element_wise``).
    """
    return run_check("Exercise 1.5: synaptic current", attempt,
                     evaluator(_CURRENT_PROBES, _CurrentCase), strict=strict)


# --------------------------------------------------------------------------
# Exercise 1.6: mean conductance of many Poisson synapses
# --------------------------------------------------------------------------


def _mean_conductance_mistakes(n, g_max, tau):
    """(ratio to the expected mean, what is wrong, hint) for the typical mistakes, in order."""
    return [
        (1000.0, "1000x too large: the rate was used as spikes per ms.", _RATE_HINT),
        (1e-3, "1000x too small: the rate was divided by 1000 twice.", _RATE_HINT),
        (1e-6, "10^6x too small: the rate was divided by 1000 twice.", _RATE_HINT),
        (
            1.0 / tau,
            "the decay time is missing: each spike contributes g_max * tau "
            "(the area under its kernel, nS ms), not just g_max.",
            "multiply by decay_time, the integral of exp(-s/tau) from 0 to infinity.",
        ),
        (
            1.0 / n,
            "this is the mean of one synapse: the number of synapses is missing.",
            "N independent synapses add up: multiply by n_synapses.",
        ),
        (
            1.0 / g_max,
            "peak_conductance is missing.",
            "each spike's kernel is scaled by peak_conductance (nS).",
        ),
        (
            0.5,
            "half the expected value: tau / 2 is the integral of the squared "
            "kernel (it sets the variance), not of the kernel.",
            "the integral of exp(-s/tau) from 0 to infinity is tau.",
        ),
    ]


def _judge_mean_conductance(mean_conductance, probe):
    """None if the mean is right for one parameter set, else the mistake its ratio names."""
    n, rate, g_max, tau = probe
    value = float(np.squeeze(mean_conductance(n, rate, g_max, tau)))
    expected = n * rate / 1000.0 * g_max * tau
    if np.isclose(value, expected, rtol=1e-9):
        return None
    ratio = value / expected
    for factor, message, hint in _mean_conductance_mistakes(n, g_max, tau):
        if np.isclose(ratio, factor, rtol=1e-6):
            return mistake(
                f"N = {n}, rate = {rate:g} Hz, g_max = {g_max:g} nS, "
                f"tau = {tau:g} ms gave {value:.4g} nS: {message}",
                hint,
            )
    return mistake(
        f"N = {n}, rate = {rate:g} Hz, g_max = {g_max:g} nS, tau = {tau:g} ms "
        f"gave {value:.4g} nS; expected {expected:.4g} nS.",
        "mean = N * (rate / 1000) * g_max * tau: spikes per ms, times the area "
        "of one kernel (nS ms).",
    )


_MEAN_CONDUCTANCE = case_by_case(
    _judge_mean_conductance,
    [(200, 8.0, 0.5, 5.0), (50, 20.0, 1.5, 3.0), (1000, 5.0, 0.25, 10.0)],
    "mean = N * rate / 1000 * g_max * tau for three parameter sets",
)


def check_mean_conductance(attempt, *, strict=False):
    """Exercise 1.6: ``mean_conductance(n_synapses, rate, peak_conductance, decay_time)``.

    The expected mean is ``N * rate / 1000 * g_max * tau`` (nS). Catches,
    each by the ratio to the expected value on three parameter sets
    (``_judge_mean_conductance``, from the table
    ``_mean_conductance_mistakes``): the rate used as per ms (1000x too
    large) or divided twice (1000x too small), a forgotten decay time,
    number of synapses or peak conductance, and ``tau / 2`` (the integral of
    the squared kernel, which sets the variance, not the mean).
    """
    return run_check(
        "Exercise 1.6: mean conductance of many synapses", attempt,
        evaluator((_MEAN_CONDUCTANCE,)), strict=strict,
    )


# --------------------------------------------------------------------------
# Challenge: a Poisson train with a refractory period (dead time)
# --------------------------------------------------------------------------


def _pooled_trains(generate, rate, duration, refractory, seeds):
    """(the trains of several seeds as float arrays, None), or (None, the mistake)."""
    trains = []
    for seed in seeds:
        train, problem = as_array(
            generate(rate, duration, refractory, np.random.default_rng(seed)),
            "an array of spike times (ms)",
        )
        if problem is None and train.ndim != 1:
            problem = mistake(
                f"the spike times should be a 1-D array, but have shape {train.shape}.",
                "return a flat array of times, e.g. np.array(times).",
            )
        if problem is not None:
            return None, problem
        trains.append(train)
    return trains, None


class _RefractoryCase:
    """The student's ``refractory_poisson_train``: 200 Hz for 5 s with a 2 ms dead time."""

    refractory, rate, duration = 2.0, 200.0, 5000.0
    seeds = (11, 12, 13, 14)

    def __init__(self, refractory_poisson_train):
        self.generate = refractory_poisson_train
        self.trains = self.every = self.intervals = None  # set by the first probes

    def pooled(self, rate, duration):
        """The four seeds' trains at ``rate`` Hz for ``duration`` ms, as :func:`_pooled_trains`."""
        return _pooled_trains(self.generate, rate, duration, self.refractory, self.seeds)


def _refractory_uses_rng(case):
    """The global ``np.random`` instead of ``rng``: the same seed twice."""
    case.trains, problem = case.pooled(case.rate, case.duration)
    if problem is not None:
        return problem
    again = np.asarray(
        case.generate(case.rate, case.duration, case.refractory, np.random.default_rng(11)),
        float,
    )
    return expect(
        again.shape == case.trains[0].shape and np.array_equal(again, case.trains[0]),
        "the same seed gives the same train",
        "the same seed gave two different trains: some random numbers come from the "
        "global np.random instead of rng.",
        "draw every random number from rng.",
    )


def _refractory_no_spikes(case):
    """No spikes at all in four trains of 200 Hz for 5 s."""
    case.every = np.concatenate(case.trains)
    if case.every.size == 0:
        return mistake("200 Hz for 5 s gave no spikes at all.", _RATE_HINT)
    return None


def _refractory_inside_window(case):
    """Times outside ``[0, duration)`` or unsorted."""
    return expect(
        case.every.min() >= 0.0 and case.every.max() < case.duration
        and all(np.all(np.diff(train) >= 0) for train in case.trains),
        "sorted spike times inside [0, duration)",
        "some spike times lie outside [0, duration) ms or are not sorted.",
        "build the times by adding up intervals from t = 0; keep those below duration.",
    )


def _refractory_times_in_seconds(case):
    """Times in seconds: every time below 5 in a 5000 ms train."""
    if case.every.max() <= case.duration / 1000.0:
        return mistake(
            "every spike time lies below 5 although the train lasts 5000 ms: the times "
            "are in seconds, not ms.",
            _RATE_HINT,
        )
    return None


def _refractory_short_interval(case):
    """An interval shorter than the refractory period: the smallest interval."""
    case.intervals = np.concatenate([np.diff(train) for train in case.trains])
    intervals, refractory = case.intervals, case.refractory
    return expect(
        intervals.size > 0 and intervals.min() >= refractory - 1e-9,
        f"no interval shorter than the refractory period ({refractory:g} ms)",
        f"the shortest interval is {intervals.min():.3g} ms, shorter than the "
        f"refractory period of {refractory:g} ms.",
        "every interval must be at least the refractory period.",
    )


def _refractory_rate_finding(measured, rate, refractory):
    """The finding for a measured mean rate (Hz) of a train meant to fire at ``rate`` Hz."""
    # Dead-time Poisson counts: variance = mean * CV^2; 4 trains give < 2.5% error.
    if abs(measured / rate - 1.0) < 0.08:
        return passed(f"mean rate {measured:.1f} Hz ~ {rate:g} Hz")
    slowed = rate / (1.0 + rate * refractory / 1000.0)
    if abs(measured / slowed - 1.0) < 0.08:
        return mistake(
            f"at {rate:g} Hz your train fires at {measured:.1f} Hz, the rate of "
            f"a {rate:g} Hz Poisson train with {refractory:g} ms added to every "
            "interval (or with the spikes that come too soon deleted): the dead time "
            "makes every interval longer, so the rate drops.",
            "the mean interval must stay 1000 / rate ms: after the dead time, wait "
            "for a random time whose mean is what remains, 1000 / rate - refractory.",
        )
    return mistake(
        f"at {rate:g} Hz your train fires at {measured:.1f} Hz.",
        "the mean interval (dead time plus random wait) must be 1000 / rate ms.",
    )


def _refractory_rate(case):
    """A rate below the target (dead time added, or spikes deleted): 200 Hz, then 20 Hz.

    A generator: the first rate's finding is recorded before the second rate's trains are made.
    """
    for rate, duration in ((200.0, case.duration), (20.0, 50_000.0)):
        trains, problem = (case.trains, None) if rate == case.rate else case.pooled(rate, duration)
        if problem is not None:
            yield problem
            return
        counts = np.array([train.size for train in trains])
        measured = counts.sum() / (len(case.seeds) * duration) * 1000.0  # Hz
        finding = _refractory_rate_finding(measured, rate, case.refractory)
        yield finding
        if not finding.passed:
            return


def _refractory_irregularity(case):
    """Too regular or too irregular after the dead time: the interval CV."""
    intervals, rate, refractory = case.intervals, case.rate, case.refractory
    cv = intervals.std() / intervals.mean()
    expected_cv = 1.0 - refractory * rate / 1000.0  # 0.6 at 200 Hz
    return expect(
        abs(cv - expected_cv) < 0.1,
        f"interval CV {cv:.2f} ~ {expected_cv:.2f}: random (memoryless) after the "
        "refractory period",
        f"the interval CV is {cv:.2f}; a Poisson train with a {refractory:g} ms dead time "
        f"at {rate:g} Hz has {expected_cv:.2f}: after the refractory period the next "
        "spike should be equally likely at any moment.",
        "after the dead time draw an exponential wait (rng.exponential), not a fixed or "
        "uniformly jittered one.",
    )


_REFRACTORY_PROBES = (
    _refractory_uses_rng,
    _refractory_no_spikes,
    _refractory_inside_window,
    _refractory_times_in_seconds,
    _refractory_short_interval,
    _refractory_rate,
    _refractory_irregularity,
)


def check_refractory_poisson_train(attempt, *, strict=False):
    """Challenge: ``refractory_poisson_train(rate, duration, refractory, rng)``.

    A train at ``rate`` Hz whose intervals are a dead time ``refractory``
    (ms) plus an exponential wait, so that the mean interval is
    ``1000 / rate`` ms. Catches (probe in brackets; 2 ms dead time; the
    probe functions are ``_refractory_*``):

    * the global ``np.random`` instead of ``rng`` [same seed twice]
      (``_refractory_uses_rng``);
    * times outside ``[0, duration)``, unsorted, or in seconds [200 Hz for
      5 s, four seeds] (``_refractory_inside_window``,
      ``_refractory_times_in_seconds``);
    * an interval shorter than the refractory period [smallest interval]
      (``_refractory_short_interval``);
    * a rate below the target, the typical result of adding the dead time to
      intervals of mean ``1000 / rate`` or of deleting spikes that come too
      soon (both give ``rate / (1 + rate * refractory / 1000)``) [mean rate
      at 200 Hz and at 20 Hz, four seeds each] (``_refractory_rate``);
    * a train too regular or too irregular after the dead time (a regular or
      jittered train, a gamma process) [interval CV against the dead-time
      Poisson value ``1 - refractory * rate / 1000``]
      (``_refractory_irregularity``).
    """
    return run_check("Challenge: a Poisson train with a refractory period", attempt,
                     evaluator(_REFRACTORY_PROBES, _RefractoryCase), strict=strict)


# --------------------------------------------------------------------------
# Predictions (predict, then check): compare a student's guess with a simulation
# --------------------------------------------------------------------------


def compare_prediction(what, predicted, measured, tolerance=0.2):
    """Print how a student's prediction compares with what the simulation gave.

    A prediction is not graded: the point is to commit to a guess before
    seeing the result. The line says whether the guess was close (within
    ``tolerance``, relative) or by which factor it was off, and reminds the
    student to guess first when nothing was written.

    Parameters
    ----------
    what : str
        What was predicted, with its unit if it has one.
    predicted : float or None
        The student's guess; ``None`` when the student wrote nothing.
    measured : float
        What the simulation gave.
    tolerance : float, optional
        Relative difference still counted as close.
    """
    measured = float(measured)
    if predicted is None or predicted is Ellipsis:
        print(
            f"Prediction ({what}): none written. The simulation gives {measured:.3g}. "
            "Next time, write a guess first: committing to a number is what trains "
            "your intuition."
        )
        return
    try:
        guess = float(predicted)
    except (TypeError, ValueError):
        print(f"Prediction ({what}): write a number, not {type(predicted).__name__}. "
              f"The simulation gives {measured:.3g}.")
        return
    scale = max(abs(measured), 1e-12)
    if abs(guess - measured) <= tolerance * scale:
        verdict = "close: your reasoning holds."
    elif guess != 0 and measured != 0 and np.sign(guess) == np.sign(measured):
        factor = max(guess / measured, measured / guess)
        direction = "too high" if guess > measured else "too low"
        verdict = (f"{direction} by a factor of {factor:.2g}: find the step in your "
                   "reasoning that the next paragraph explains differently.")
    else:
        verdict = "off (a different sign or zero): read on to see why."
    print(f"Prediction ({what}): you guessed {guess:.3g}, the simulation gives "
          f"{measured:.3g}: {verdict}")

"""Tests of the Lesson 1 checkers: each accepts a correct solution (written
here, independently of course_utils.synapses), rejects each typical mistake
it claims to catch with the specific message, and says "not attempted" for
the untouched scaffold."""

from __future__ import annotations

import math

import numpy as np
import pytest

from course_utils.checks import CORRECT, INCORRECT, NOT_ATTEMPTED
from course_utils.checks import synapses as checks


def assert_rejected(feedback, *fragments):
    assert feedback.status == INCORRECT, str(feedback)
    text = " ".join(str(feedback).split())
    for fragment in fragments:
        assert fragment in text, f"{fragment!r} not in:\n{text}"


# --------------------------------------------------------------------------
# Exercise 1.1: Poisson spike train
# --------------------------------------------------------------------------


def poisson_from_intervals(rate, duration, rng):
    mean_interval = 1000.0 / rate  # ms
    times = []
    t = rng.exponential(mean_interval)
    while t < duration:
        times.append(t)
        t += rng.exponential(mean_interval)
    return np.array(times)


def poisson_from_count(rate, duration, rng):
    n = rng.poisson(rate * duration / 1000.0)
    return np.sort(rng.uniform(0.0, duration, n))


def poisson_stub(rate, duration, rng):
    """Return Poisson spike times in ms."""
    ...


@pytest.mark.parametrize("solution", [poisson_from_intervals, poisson_from_count])
def test_poisson_accepts_correct_solutions(solution):
    feedback = checks.check_poisson_spike_train(solution, strict=True)
    assert feedback.status == CORRECT


def test_poisson_stub_is_not_attempted():
    assert checks.check_poisson_spike_train(poisson_stub).status == NOT_ATTEMPTED


def test_poisson_rate_per_ms_gives_1000x_too_many():
    def per_ms(rate, duration, rng):
        return np.sort(rng.uniform(0, duration, rng.poisson(rate * duration)))

    assert_rejected(checks.check_poisson_spike_train(per_ms), "1000x too many", "Hz")


def test_poisson_rate_divided_twice_gives_1000x_too_few():
    def too_few(rate, duration, rng):
        return np.sort(rng.uniform(0, duration, rng.poisson(rate * duration / 1e6)))

    assert_rejected(checks.check_poisson_spike_train(too_few), "1000x fewer", "Hz")


def test_poisson_global_rng_is_caught():
    def global_rng(rate, duration, rng):
        # The mistake under test: the global generator.
        n = np.random.poisson(rate * duration / 1000.0)  # noqa: NPY002
        return np.sort(np.random.uniform(0.0, duration, n))  # noqa: NPY002

    assert_rejected(checks.check_poisson_spike_train(global_rng), "global np.random")


def test_poisson_fixed_seed_inside_is_caught():
    def fixed_seed(rate, duration, rng):
        return poisson_from_count(rate, duration, np.random.default_rng(0))

    assert_rejected(checks.check_poisson_spike_train(fixed_seed), "ignores rng")


def test_poisson_times_outside_the_run_are_caught():
    def in_seconds(rate, duration, rng):
        return poisson_from_count(rate, duration, rng) + duration / 2

    assert_rejected(checks.check_poisson_spike_train(in_seconds), "outside [0, duration)")


def test_poisson_unsorted_is_caught():
    def unsorted(rate, duration, rng):
        return rng.uniform(0.0, duration, rng.poisson(rate * duration / 1000.0))

    assert_rejected(checks.check_poisson_spike_train(unsorted), "not sorted")


def test_poisson_fixed_count_is_caught():
    def fixed_count(rate, duration, rng):
        return np.sort(rng.uniform(0.0, duration, int(rate * duration / 1000.0)))

    assert_rejected(checks.check_poisson_spike_train(fixed_count), "same number of spikes")


def test_poisson_capped_count_is_caught():
    def capped(rate, duration, rng):
        n = int(rate * duration / 1000.0)
        times = np.cumsum(rng.exponential(1000.0 / rate, n))
        return times[times < duration]

    assert_rejected(checks.check_poisson_spike_train(capped), "capped")


def test_poisson_regular_train_with_random_phase_is_caught():
    def regular(rate, duration, rng):
        interval = 1000.0 / rate
        times = rng.uniform(0, interval) + interval * np.arange(int(duration / interval) + 1)
        return times[times < duration]

    assert_rejected(checks.check_poisson_spike_train(regular), "same number of spikes")


def test_poisson_jittered_intervals_are_caught():
    def jittered(rate, duration, rng):
        # Intervals of 1000/rate ms +- 20%: the count varies a little, far less than Poisson.
        intervals = 1000.0 / rate * rng.uniform(0.8, 1.2, int(3 * rate * duration / 1000) + 5)
        times = np.cumsum(intervals) - rng.uniform(0, 1000.0 / rate)
        return times[(times >= 0) & (times < duration)]

    assert_rejected(checks.check_poisson_spike_train(jittered), "variance / mean")


# --------------------------------------------------------------------------
# Exercise 1.2: sum of exponential kernels
# --------------------------------------------------------------------------


def conductance_by_loops(time, spike_times, peak_conductance, decay_time):
    g = np.zeros(len(time))
    for i, t in enumerate(time):
        for spike in spike_times:
            if t >= spike:
                g[i] += peak_conductance * math.exp(-(t - spike) / decay_time)
    return g


def conductance_vectorised(time, spike_times, peak_conductance, decay_time):
    s = np.asarray(time)[:, None] - np.asarray(spike_times)[None, :]
    kernel = np.where(s >= 0, np.exp(-np.clip(s, 0, None) / decay_time), 0.0)
    return peak_conductance * kernel.sum(axis=1)


def conductance_stub(time, spike_times, peak_conductance, decay_time): ...


@pytest.mark.parametrize("solution", [conductance_by_loops, conductance_vectorised])
def test_conductance_accepts_correct_solutions(solution):
    assert checks.check_exponential_conductance(solution, strict=True).status == CORRECT


def test_conductance_stub_is_not_attempted():
    assert checks.check_exponential_conductance(conductance_stub).status == NOT_ATTEMPTED


def test_conductance_not_causal_is_caught():
    def acausal(time, spike_times, g_max, tau):
        s = np.asarray(time)[:, None] - np.asarray(spike_times)[None, :]
        return g_max * np.exp(-np.abs(s) / tau).sum(axis=1)

    assert_rejected(checks.check_exponential_conductance(acausal), "before the spike", "s >= 0")


def test_conductance_growing_is_caught():
    def growing(time, spike_times, g_max, tau):
        s = np.asarray(time)[:, None] - np.asarray(spike_times)[None, :]
        return g_max * np.where(s >= 0, np.exp(s / tau), 0.0).sum(axis=1)

    assert_rejected(checks.check_exponential_conductance(growing), "grows", "negative")


def test_conductance_tau_multiplied_is_caught():
    def times_tau(time, spike_times, g_max, tau):
        s = np.asarray(time)[:, None] - np.asarray(spike_times)[None, :]
        return g_max * np.where(s >= 0, np.exp(-s * tau), 0.0).sum(axis=1)

    assert_rejected(checks.check_exponential_conductance(times_tau), "not exp(-s * decay_time)")


def test_conductance_missing_peak_is_caught():
    def no_peak(time, spike_times, g_max, tau):
        return conductance_vectorised(time, spike_times, 1.0, tau)

    assert_rejected(checks.check_exponential_conductance(no_peak), "multiply the kernel")


def test_conductance_only_last_spike_is_caught():
    def last_only(time, spike_times, g_max, tau):
        g = np.zeros(len(time))
        for spike in spike_times:
            after = time >= spike
            g[after] = g_max * np.exp(-(time[after] - spike) / tau)
        return g

    assert_rejected(checks.check_exponential_conductance(last_only), "most recent spike")


# --------------------------------------------------------------------------
# Exercise 1.3: one ODE step at a time
# --------------------------------------------------------------------------


def ode_solution(spike_counts, peak_conductance, decay_time, dt, method="exact"):
    if method == "exact":
        factor = math.exp(-dt / decay_time)
    else:
        factor = 1.0 - dt / decay_time
    g = 0.0
    out = np.empty(len(spike_counts))
    for k, count in enumerate(spike_counts):
        g += peak_conductance * count
        out[k] = g
        g *= factor
    return out


def ode_stub(spike_counts, peak_conductance, decay_time, dt, method="exact"):
    """Step dg/dt = -g/tau."""
    ...


def ode_variant(*, factor=None, order="add-store-decay", count_spikes=True):
    """A step loop with one deliberate mistake."""

    def conductance_ode(spike_counts, peak_conductance, decay_time, dt, method="exact"):
        if factor is not None:
            decay = factor(dt, decay_time, method)
        elif method == "exact":
            decay = math.exp(-dt / decay_time)
        else:
            decay = 1.0 - dt / decay_time
        g = 0.0
        out = np.empty(len(spike_counts))
        for k, count in enumerate(spike_counts):
            jump = peak_conductance * (count if count_spikes else count > 0)
            if order == "store-add-decay":
                out[k] = g
                g = (g + jump) * decay
            elif order == "add-decay-store":
                g = (g + jump) * decay
                out[k] = g
            else:
                g += jump
                out[k] = g
                g *= decay
        return out

    return conductance_ode


def test_ode_accepts_correct_solution():
    assert checks.check_conductance_ode(ode_solution, strict=True).status == CORRECT


def test_ode_stub_is_not_attempted():
    assert checks.check_conductance_ode(ode_stub).status == NOT_ATTEMPTED


def test_ode_forgotten_dt_is_caught():
    forgot_dt = ode_variant(factor=lambda dt, tau, method: math.exp(-1.0 / tau))
    assert_rejected(checks.check_conductance_ode(forgot_dt), "does not depend on dt")


def test_ode_forgotten_dt_euler_is_caught():
    forgot_dt = ode_variant(factor=lambda dt, tau, method: 1.0 - 1.0 / tau)
    assert_rejected(checks.check_conductance_ode(forgot_dt), "does not depend on dt")


def test_ode_growing_is_caught():
    growing = ode_variant(factor=lambda dt, tau, method: math.exp(dt / tau))
    assert_rejected(checks.check_conductance_ode(growing), "does not decay", "minus sign")


def test_ode_euler_used_for_exact_is_caught():
    always_euler = ode_variant(factor=lambda dt, tau, method: 1.0 - dt / tau)
    assert_rejected(checks.check_conductance_ode(always_euler), "uses the Euler factor")


def test_ode_exact_used_for_euler_is_caught():
    always_exact = ode_variant(factor=lambda dt, tau, method: math.exp(-dt / tau))
    assert_rejected(checks.check_conductance_ode(always_exact), "uses the exact factor")


def test_ode_one_step_late_is_caught():
    late = ode_variant(order="store-add-decay")
    assert_rejected(checks.check_conductance_ode(late), "one step late")


def test_ode_decayed_before_storing_is_caught():
    decayed = ode_variant(order="add-decay-store")
    assert_rejected(checks.check_conductance_ode(decayed), "already decayed")


def test_ode_two_spikes_in_one_step_is_caught():
    one_per_step = ode_variant(count_spikes=False)
    assert_rejected(checks.check_conductance_ode(one_per_step), "two spikes in the same step")


def test_ode_wrong_length_is_caught():
    def too_long(spike_counts, peak_conductance, decay_time, dt, method="exact"):
        return np.append(ode_solution(spike_counts, peak_conductance, decay_time, dt, method), 0)

    assert_rejected(checks.check_conductance_ode(too_long), "shape")


# --------------------------------------------------------------------------
# Exercise 1.4: alpha kernel
# --------------------------------------------------------------------------


def alpha_solution(time_since_spike, decay_time):
    s = np.asarray(time_since_spike, dtype=float)
    x = np.clip(s, 0.0, None) / decay_time
    return np.where(s >= 0, x * np.exp(1.0 - x), 0.0)


def alpha_stub(time_since_spike, decay_time): ...


def test_alpha_accepts_correct_solution():
    assert checks.check_alpha_kernel(alpha_solution, strict=True).status == CORRECT


def test_alpha_stub_is_not_attempted():
    assert checks.check_alpha_kernel(alpha_stub).status == NOT_ATTEMPTED


def test_alpha_not_normalised_is_caught():
    def peak_one_over_e(s, tau):
        return alpha_solution(s, tau) / np.e

    assert_rejected(checks.check_alpha_kernel(peak_one_over_e), "1/e", "exp(1 - s / tau)")


def test_alpha_other_peak_height_is_caught():
    def no_division(s, tau):
        s = np.asarray(s)
        return np.where(s >= 0, s * np.exp(-s / tau), 0.0)

    assert_rejected(checks.check_alpha_kernel(no_division), "peak value is")


def test_alpha_not_causal_is_caught():
    def acausal(s, tau):
        s = np.asarray(s)
        return np.abs(s) / tau * np.exp(1 - np.abs(s) / tau)

    assert_rejected(checks.check_alpha_kernel(acausal), "negative times")


def test_alpha_growing_is_caught():
    def growing(s, tau):
        s = np.asarray(s)
        return np.where(s >= 0, s / tau * np.exp(s / tau - 1), 0.0)

    assert_rejected(checks.check_alpha_kernel(growing), "grows")


def test_alpha_peak_at_wrong_time_is_caught():
    def half_tau(s, tau):
        return alpha_solution(s, tau / 2)

    assert_rejected(checks.check_alpha_kernel(half_tau), "peaks at 4 ms")


def test_alpha_hard_coded_tau_is_caught():
    def hard_coded(s, tau):
        return alpha_solution(s, 4.0)

    assert_rejected(checks.check_alpha_kernel(hard_coded), "hard-code")


# --------------------------------------------------------------------------
# Exercise 1.5: synaptic current
# --------------------------------------------------------------------------


def current_solution(conductance, voltage, reversal_potential):
    return np.asarray(conductance) * (reversal_potential - np.asarray(voltage))


def current_stub(conductance, voltage, reversal_potential): ...


def test_current_accepts_correct_solution():
    assert checks.check_synaptic_current(current_solution, strict=True).status == CORRECT


def test_current_stub_is_not_attempted():
    assert checks.check_synaptic_current(current_stub).status == NOT_ATTEMPTED


def test_current_sign_flipped_is_caught():
    def flipped(g, v, e):
        return np.asarray(g) * (np.asarray(v) - e)

    assert_rejected(checks.check_synaptic_current(flipped), "sign is flipped", "INTO the cell")


@pytest.mark.parametrize(("factor", "unit"), [(1e-3, "nA"), (1e3, "fA")])
def test_current_unit_factor_is_caught(factor, unit):
    def scaled(g, v, e):
        return factor * current_solution(g, v, e)

    assert_rejected(checks.check_synaptic_current(scaled), unit, "already pA")


def test_current_absolute_value_is_caught():
    def absolute(g, v, e):
        return np.abs(current_solution(g, v, e))

    assert_rejected(checks.check_synaptic_current(absolute), "reverses", "absolute value")


def test_current_scalar_only_is_caught():
    def scalar_only(g, v, e):
        return float(g) * (e - float(np.ravel(v)[0]))

    feedback = checks.check_synaptic_current(scalar_only)
    assert_rejected(feedback)


# --------------------------------------------------------------------------
# Exercise 1.6: mean conductance of many synapses
# --------------------------------------------------------------------------


def mean_solution(n_synapses, rate, peak_conductance, decay_time):
    spikes_per_ms = n_synapses * rate / 1000.0
    return spikes_per_ms * peak_conductance * decay_time


def mean_stub(n_synapses, rate, peak_conductance, decay_time): ...


def test_mean_accepts_correct_solution():
    assert checks.check_mean_conductance(mean_solution, strict=True).status == CORRECT


def test_mean_stub_is_not_attempted():
    assert checks.check_mean_conductance(mean_stub).status == NOT_ATTEMPTED


@pytest.mark.parametrize(
    ("mistake", "fragment"),
    [
        (lambda n, r, g, tau: n * r * g * tau, "1000x too large"),
        (lambda n, r, g, tau: n * r / 1e6 * g * tau, "1000x too small"),
        (lambda n, r, g, tau: n * r / 1000 * g, "decay time is missing"),
        (lambda n, r, g, tau: r / 1000 * g * tau, "number of synapses is missing"),
        (lambda n, r, g, tau: n * r / 1000 * tau, "peak_conductance is missing"),
        (lambda n, r, g, tau: n * r / 1000 * g * tau / 2, "squared"),
        (lambda n, r, g, tau: n * r / 1000 * g * tau * np.e, "expected"),
    ],
)
def test_mean_mistakes_are_caught(mistake, fragment):
    assert_rejected(checks.check_mean_conductance(mistake), fragment)


def test_strict_raises_on_a_wrong_answer():
    with pytest.raises(AssertionError, match="1000x too large"):
        checks.check_mean_conductance(lambda n, r, g, tau: n * r * g * tau, strict=True)


def test_a_crashing_attempt_becomes_feedback():
    def crashes(n, r, g, tau):
        raise ZeroDivisionError("division by zero")

    assert_rejected(checks.check_mean_conductance(crashes), "ZeroDivisionError")


# --------------------------------------------------------------------------
# Mistakes added for issue 10: each written as a student would, independently
# of the checker; and correct answers written differently, still accepted.
# --------------------------------------------------------------------------


def test_poisson_times_in_seconds_are_caught():
    """Right count, sorted, inside [0, 1000): but in seconds."""

    def in_seconds(rate, duration, rng):
        times = np.cumsum(rng.exponential(1.0 / rate, size=200))  # s
        return times[times < duration / 1000.0]

    assert_rejected(checks.check_poisson_spike_train(in_seconds), "in seconds")


def test_poisson_first_spike_at_zero_is_caught():
    def starts_with_zero(rate, duration, rng):
        intervals = rng.exponential(1000.0 / rate, size=200)
        times = np.concatenate([[0.0], np.cumsum(intervals)])  # off by one interval
        return times[times < duration]

    assert_rejected(checks.check_poisson_spike_train(starts_with_zero), "always at t = 0")


def test_poisson_bernoulli_per_bin_is_accepted():
    """A different correct construction: a coin flip in every 0.01 ms bin."""

    def bernoulli(rate, duration, rng):
        dt = 0.01
        edges = np.arange(0.0, duration, dt)
        spikes = rng.random(edges.size) < rate * dt / 1000.0
        return edges[spikes] + rng.uniform(0.0, dt, spikes.sum())

    assert checks.check_poisson_spike_train(bernoulli, strict=True).status == CORRECT


def test_conductance_strict_inequality_is_named():
    """`s > 0` loses the jump at the spike itself: the feedback says so."""

    def strict_test(time, spike_times, g_max, tau):
        g = np.zeros_like(time, dtype=float)
        for spike in spike_times:
            s = time - spike
            g += np.where(s > 0, g_max * np.exp(-np.maximum(s, 0) / tau), 0.0)
        return g

    assert_rejected(checks.check_exponential_conductance(strict_test), "s > 0", "s >= 0")


def test_conductance_with_scipy_style_heaviside_is_accepted():
    def heaviside(time, spike_times, g_max, tau):
        total = np.zeros(len(time))
        for spike in spike_times:
            s = np.asarray(time) - spike
            with np.errstate(over="ignore"):
                total += np.heaviside(s, 1.0) * np.exp(-np.where(s > 0, s, 0.0) / tau)
        return g_max * total

    assert checks.check_exponential_conductance(heaviside, strict=True).status == CORRECT


def test_ode_loop_skipping_step_zero_is_caught():
    def from_one(spike_counts, peak_conductance, decay_time, dt, method="exact"):
        decay = math.exp(-dt / decay_time) if method == "exact" else 1 - dt / decay_time
        out = np.zeros(len(spike_counts))
        g = 0.0
        for k in range(1, len(spike_counts)):  # the student starts at 1
            g = g * decay + peak_conductance * spike_counts[k]
            out[k] = g
        return out

    assert_rejected(checks.check_conductance_ode(from_one), "step 0", "off-by-one")


def test_ode_decay_then_add_is_accepted():
    """Decay first, then add, then store: the same numbers, a different order."""

    def decay_first(spike_counts, peak_conductance, decay_time, dt, method="exact"):
        factor = {"exact": np.exp(-dt / decay_time), "euler": 1 - dt / decay_time}[method]
        g, out = 0.0, []
        for count in spike_counts:
            g = g * factor + count * peak_conductance
            out.append(g)
        return np.array(out)

    assert checks.check_conductance_ode(decay_first, strict=True).status == CORRECT


def test_alpha_with_strict_inequality_is_accepted():
    def alpha(time_since_spike, decay_time):
        s = np.asarray(time_since_spike, float)
        return np.where(s > 0, s / decay_time * np.exp(1 - np.clip(s, 0, None) / decay_time), 0)

    assert checks.check_alpha_kernel(alpha, strict=True).status == CORRECT


# --------------------------------------------------------------------------
# Challenge: a Poisson train with a refractory period
# --------------------------------------------------------------------------


def refractory_by_loop(rate, duration, refractory, rng):
    times, t = [], 0.0
    while True:
        t += refractory + rng.exponential(1000.0 / rate - refractory)
        if t >= duration:
            return np.array(times)
        times.append(t)


def refractory_by_inverse_transform(rate, duration, refractory, rng):
    """A different correct construction: exponential waits from -log(uniform), vectorised."""
    free_mean = 1000.0 / rate - refractory
    n = int(2 * rate * duration / 1000.0) + 20
    times = np.cumsum(refractory - free_mean * np.log(1.0 - rng.random(n)))
    return times[times < duration]


def test_refractory_accepts_correct_solutions():
    assert checks.check_refractory_poisson_train(refractory_by_loop, strict=True).passed


def test_refractory_accepts_an_inverse_transform_solution():
    feedback = checks.check_refractory_poisson_train(refractory_by_inverse_transform)
    assert feedback.passed, str(feedback)


def test_refractory_stub_is_not_attempted():
    def stub(rate, duration, refractory, rng):
        ...

    assert checks.check_refractory_poisson_train(stub).status == NOT_ATTEMPTED


def test_refractory_dead_time_added_to_full_mean_is_caught():
    def added(rate, duration, refractory, rng):
        intervals = refractory + rng.exponential(1000.0 / rate, size=int(rate * duration))
        times = np.cumsum(intervals)
        return times[times < duration]

    assert_rejected(checks.check_refractory_poisson_train(added), "the rate drops")


def test_refractory_deleting_early_spikes_is_caught():
    def deleting(rate, duration, refractory, rng):
        times = np.sort(rng.uniform(0, duration, rng.poisson(rate * duration / 1000)))
        kept = []
        for t in times:
            if not kept or t - kept[-1] >= refractory:
                kept.append(t)
        return np.array(kept)

    assert_rejected(checks.check_refractory_poisson_train(deleting), "deleted")


def test_refractory_plain_poisson_is_caught():
    def plain(rate, duration, refractory, rng):
        return np.sort(rng.uniform(0, duration, rng.poisson(rate * duration / 1000)))

    assert_rejected(checks.check_refractory_poisson_train(plain), "shorter than the refractory")


def test_refractory_jittered_regular_train_is_caught():
    def jittered(rate, duration, refractory, rng):
        mean = 1000.0 / rate
        intervals = refractory + rng.uniform(0, 2 * (mean - refractory), int(rate * duration))
        times = np.cumsum(intervals)
        return times[times < duration]

    assert_rejected(checks.check_refractory_poisson_train(jittered), "interval CV")


def test_compare_prediction_lines(capsys):
    checks.compare_prediction("Fano factor", None, 1.02)
    checks.compare_prediction("Fano factor", 1.0, 1.02)
    checks.compare_prediction("Fano factor", 0.25, 1.0)
    checks.compare_prediction("Fano factor", "one", 1.0)
    lines = capsys.readouterr().out.splitlines()
    assert "none written" in lines[0] and "1.02" in lines[0]
    assert "close" in lines[1]
    assert "too low by a factor of 4" in lines[2]
    assert "write a number" in lines[3]
    assert not any("correct" in line for line in lines)


def test_poisson_new_unseeded_generator_inside_is_caught():
    def own_generator(rate, duration, rng):
        mine = np.random.default_rng()  # ignores the rng argument
        return np.sort(mine.uniform(0, duration, mine.poisson(rate * duration / 1000)))

    assert_rejected(checks.check_poisson_spike_train(own_generator), "makes a new generator")


def test_ode_loop_stopping_one_step_early_is_caught():
    def one_short(spike_counts, peak_conductance, decay_time, dt, method="exact"):
        factor = math.exp(-dt / decay_time) if method == "exact" else 1 - dt / decay_time
        out = np.zeros(len(spike_counts))
        g = 0.0
        for k in range(len(spike_counts) - 1):
            g += peak_conductance * spike_counts[k]
            out[k] = g
            g *= factor
        return out

    assert_rejected(checks.check_conductance_ode(one_short), "one step early")

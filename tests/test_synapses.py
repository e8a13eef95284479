"""Tests of course_utils.synapses against hand formulas and statistics.

Units: ms, mV, pA, nS, Hz.

Which test catches which broken physics:

- a decay with the wrong sign (exp(+s/tau), or 1 + dt/tau in the Euler
  factor): test_kernels_match_hand_formulas, test_decay_factor_by_hand and
  test_numerical_exact_equals_analytical_on_grid (the conductance grows
  instead of decaying, errors of order 1 or larger).
- a dropped dt (decay per step exp(-1/tau) or 1 - 1/tau, whatever dt is):
  test_decay_factor_by_hand (the two-half-steps identity fails),
  test_numerical_exact_equals_analytical_on_grid (the numerical trace decays
  10x too fast at dt = 0.1 ms) and test_euler_error_is_first_order (the
  error no longer shrinks when dt is halved).
- a kernel that is not causal (nonzero before the spike):
  test_kernels_match_hand_formulas (value at s < 0 must be 0).
- a rate read as spikes per ms instead of Hz (1000x too many spikes):
  test_poisson_count_mean_and_variance, test_population_mean_conductance.
- the driving force the wrong way round (V - E): test_synaptic_current_signs.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from course_utils import synapses
from course_utils.inputs import time_grid

E = np.e


# --------------------------------------------------------------------------
# Kernels
# --------------------------------------------------------------------------


def test_kernels_match_hand_formulas():
    tau = 5.0
    s = np.array([-1.0, 0.0, 5.0, 10.0])
    # exp(-s/tau) for s >= 0, 0 before the spike.
    np.testing.assert_allclose(
        synapses.kernel(s, tau, "exponential"), [0.0, 1.0, np.exp(-1), np.exp(-2)], rtol=1e-14
    )
    # (s/tau) exp(1 - s/tau): 0 at s = 0, 1 at s = tau, 2/e at s = 2 tau.
    np.testing.assert_allclose(
        synapses.kernel(s, tau, "alpha"), [0.0, 0.0, 1.0, 2.0 / E], rtol=1e-14
    )


def test_dual_exponential_matches_hand_formula():
    rise, decay = 1.0, 5.0
    # d/ds [exp(-s/5) - exp(-s)] = 0  <=>  exp(-s)(1) = exp(-s/5)/5
    # <=> s = ln(5) * 5/4 (the general formula tr*td/(td-tr)*ln(td/tr)).
    peak_time = 1.25 * np.log(5.0)
    peak_height = np.exp(-peak_time / 5.0) - np.exp(-peak_time)
    s = np.array([-0.5, 0.0, 0.3, 2.0, 12.0])
    expected = np.where(s >= 0, (np.exp(-s / 5.0) - np.exp(-s)) / peak_height, 0.0)
    np.testing.assert_allclose(
        synapses.kernel(s, decay, "dual_exponential", rise_time=rise), expected, rtol=1e-12
    )


@pytest.mark.parametrize(
    ("shape", "rise", "peak_time"),
    [
        ("exponential", None, 0.0),
        ("alpha", None, 4.0),  # the alpha kernel peaks at s = tau
        ("dual_exponential", 0.5, 0.5 * 4.0 / 3.5 * np.log(8.0)),
    ],
)
def test_peak_is_one_at_the_analytic_peak_time(shape, rise, peak_time):
    decay = 4.0
    at_peak = synapses.kernel(peak_time, decay, shape, rise_time=rise)
    assert float(at_peak) == pytest.approx(1.0, abs=1e-12)
    # Nowhere higher: a fine grid around the peak never exceeds 1.
    s = np.linspace(0.0, 40.0, 40001)
    assert synapses.kernel(s, decay, shape, rise_time=rise).max() <= 1.0 + 1e-12
    # And it really is the maximum (not just any point with value 1).
    if peak_time > 0:
        neighbours = synapses.kernel(
            np.array([peak_time - 0.01, peak_time + 0.01]), decay, shape, rise_time=rise
        )
        assert (neighbours < 1.0).all()


def test_kernel_rejects_bad_shapes_and_time_constants():
    with pytest.raises(ValueError, match="shape"):
        synapses.kernel([1.0], 5.0, "gaussian")
    with pytest.raises(ValueError, match="decay_time"):
        synapses.kernel([1.0], -5.0)
    with pytest.raises(ValueError, match="rise_time"):
        synapses.kernel([1.0], 5.0, "dual_exponential")
    with pytest.raises(ValueError, match="rise_time"):
        synapses.kernel([1.0], 5.0, "dual_exponential", rise_time=6.0)
    with pytest.raises(ValueError, match="time_since_spike"):
        synapses.kernel([1.0, np.nan], 5.0)


# --------------------------------------------------------------------------
# Analytical sum versus numerical ODE
# --------------------------------------------------------------------------


def test_analytical_is_a_sum_of_kernels():
    time = np.array([0.0, 1.0, 3.0, 6.0])
    spikes = [1.0, 3.0]
    # By hand, g_max = 2 nS, tau = 2 ms: at 3 ms the first spike has decayed
    # by exp(-1) and the second has just arrived.
    expected = 2.0 * np.array([0.0, 1.0, np.exp(-1) + 1.0, np.exp(-2.5) + np.exp(-1.5)])
    np.testing.assert_allclose(
        synapses.conductance_analytical(time, spikes, 2.0, 2.0), expected, rtol=1e-14
    )


@pytest.mark.parametrize("shape", ["exponential", "alpha", "dual_exponential"])
@pytest.mark.parametrize("dt", [0.1, 0.25])
def test_numerical_exact_equals_analytical_on_grid(shape, dt):
    time = time_grid(80.0, dt)
    # Spike times taken from the grid itself (including two in one step and
    # one at t = 0), so no spike needs to be moved to the grid.
    spikes = time[[0, 40, 40, 41, 150, 300]]
    g_analytical = synapses.conductance_analytical(time, spikes, 0.5, 5.0, shape, rise_time=0.5)
    g_numerical = synapses.conductance_numerical(
        time, spikes, 0.5, 5.0, shape, rise_time=0.5, method="exact"
    )
    np.testing.assert_allclose(g_numerical, g_analytical, rtol=0, atol=1e-12)


def test_spikes_between_grid_points_are_applied_at_the_start_of_their_step():
    time = time_grid(20.0, 0.1)
    # 1.06 ms lies in the step [1.0, 1.1): the simulator applies it at 1.0 ms.
    g = synapses.conductance_numerical(time, [1.06], 1.0, 5.0)
    expected = synapses.conductance_analytical(time, [time[10]], 1.0, 5.0)
    np.testing.assert_allclose(g, expected, atol=1e-12)


def test_decay_factor_by_hand():
    assert synapses.decay_factor(0.1, 5.0, "exact") == pytest.approx(np.exp(-0.02), rel=1e-15)
    assert synapses.decay_factor(0.1, 5.0, "euler") == pytest.approx(0.98, rel=1e-15)
    # Two steps of 0.1 ms decay as much as one of 0.2 ms (exact); a factor that
    # ignores dt fails this.
    assert synapses.decay_factor(0.1, 5.0) ** 2 == pytest.approx(
        synapses.decay_factor(0.2, 5.0), rel=1e-14
    )
    with pytest.raises(ValueError, match="method"):
        synapses.decay_factor(0.1, 5.0, "rk4")


def test_euler_error_is_first_order():
    """Euler's error halves when dt halves, and matches the leading-order formula.

    One spike at t = 0: Euler gives g_max (1 - x)^k with x = dt/tau, the exact
    solution g_max exp(-k x). To first order in x the difference at t = k dt
    is g_max exp(-t/tau) (t/tau) x / 2, largest at t = tau:
    g_max * dt / (2 e tau).
    """
    g_max, tau = 0.5, 5.0
    errors = []
    for dt in (0.2, 0.1, 0.05):
        time = time_grid(50.0, dt)
        exact = synapses.conductance_analytical(time, [0.0], g_max, tau)
        euler = synapses.conductance_numerical(time, [0.0], g_max, tau, method="euler")
        error = np.abs(euler - exact).max()
        assert error == pytest.approx(g_max * dt / (2 * E * tau), rel=0.05)
        errors.append(error)
    ratios = np.array(errors[:-1]) / np.array(errors[1:])
    np.testing.assert_allclose(ratios, 2.0, rtol=0.05)


def test_euler_alpha_converges_first_order_to_the_analytical_shape():
    errors = []
    for dt in (0.2, 0.1, 0.05):
        time = time_grid(60.0, dt)
        exact = synapses.conductance_analytical(time, [0.0], 1.0, 5.0, "alpha")
        euler = synapses.conductance_numerical(time, [0.0], 1.0, 5.0, "alpha", method="euler")
        errors.append(np.abs(euler - exact).max())
    assert errors[0] < 0.05
    ratios = np.array(errors[:-1]) / np.array(errors[1:])
    np.testing.assert_allclose(ratios, 2.0, rtol=0.1)


def test_conductance_numerical_rejects_bad_input():
    time = time_grid(10.0, 0.1)
    with pytest.raises(ValueError, match="spike_times.*end of the run"):
        synapses.conductance_numerical(time, [10.0], 1.0, 5.0)
    with pytest.raises(ValueError, match="spike_times.*sorted"):
        synapses.conductance_numerical(time, [5.0, 1.0], 1.0, 5.0)
    with pytest.raises(ValueError, match="spike_times.*NaN"):
        synapses.conductance_numerical(time, [np.nan], 1.0, 5.0)
    with pytest.raises(TypeError, match="spike_times"):
        synapses.conductance_numerical(time, "1.0, 2.0", 1.0, 5.0)
    with pytest.raises(ValueError, match="uniform"):
        synapses.conductance_numerical([0.0, 0.1, 0.3], [], 1.0, 5.0)
    with pytest.raises(ValueError, match="peak_conductance"):
        synapses.conductance_numerical(time, [1.0], -1.0, 5.0)
    with pytest.raises(ValueError, match="method"):
        synapses.conductance_numerical(time, [1.0], 1.0, 5.0, method="rk4")
    with pytest.raises(ValueError, match="spike_times.*negative"):
        synapses.conductance_analytical(time, [-1.0], 1.0, 5.0)


def test_spike_counts_on_grid():
    counts = synapses.spike_counts_on_grid([0.0, 0.25, 0.29, 0.3, 0.95], 10, 0.1)
    # 0.3 ms belongs to the step [0.3, 0.4), not [0.2, 0.3): intervals are half-open.
    assert counts.tolist() == [1, 0, 2, 1, 0, 0, 0, 0, 0, 1]
    with pytest.raises(TypeError, match="n_steps"):
        synapses.spike_counts_on_grid([0.5], 10.0, 0.1)
    with pytest.raises(ValueError, match="dt"):
        synapses.spike_counts_on_grid([0.5], 10, -0.1)
    with pytest.raises(ValueError, match="spike_times"):
        synapses.spike_counts_on_grid([1.0], 10, 0.1)


# --------------------------------------------------------------------------
# Spike trains
# --------------------------------------------------------------------------


def test_regular_spike_train_by_hand():
    # 100 Hz = one spike every 10 ms; the half-open run [0, 100) holds 10.
    np.testing.assert_allclose(
        synapses.regular_spike_train(100.0, 100.0), np.arange(10) * 10.0, atol=1e-12
    )
    # 40 Hz from 5 ms: every 25 ms.
    np.testing.assert_allclose(
        synapses.regular_spike_train(40.0, 100.0, start=5.0), [5.0, 30.0, 55.0, 80.0]
    )


def test_poisson_count_mean_and_variance():
    """Counts of a Poisson process: mean = variance = rate * T / 1000.

    20 Hz for 500 ms: 10 spikes expected. Over 2000 trains the sample mean has
    a standard error sqrt(10 / 2000) = 0.07, and the sample variance one of
    sqrt((mu + 2 mu^2) / n) = 0.32 (4th moment of the Poisson). Tolerances are
    5 standard errors: 0.35 and 1.6.
    """
    rng = np.random.default_rng(0)
    counts = np.array([synapses.poisson_spike_train(20.0, 500.0, rng).size for _ in range(2000)])
    assert counts.mean() == pytest.approx(10.0, abs=0.35)
    assert counts.var(ddof=1) == pytest.approx(10.0, abs=1.6)


def test_poisson_intervals_are_exponential_and_times_inside_the_run():
    rng = np.random.default_rng(1)
    # 20 Hz for 1000 s: ~20000 intervals, mean 1000/20 = 50 ms.
    train = synapses.poisson_spike_train(20.0, 1.0e6, rng)
    assert train.min() >= 0.0 and train.max() < 1.0e6
    assert (np.diff(train) >= 0).all()
    intervals = np.diff(train)
    # KS test against the exponential with mean 50 ms; seeded, so deterministic;
    # a p-value threshold of 1e-3 would fail a wrong mean by 2% already.
    assert stats.kstest(intervals, "expon", args=(0, 50.0)).pvalue > 1e-3


def test_same_seed_same_train_different_seed_different_train():
    first = synapses.poisson_spike_train(30.0, 1000.0, np.random.default_rng(7))
    again = synapses.poisson_spike_train(30.0, 1000.0, np.random.default_rng(7))
    other = synapses.poisson_spike_train(30.0, 1000.0, np.random.default_rng(8))
    np.testing.assert_array_equal(first, again)
    assert first.size != other.size or not np.array_equal(first, other)


def test_zero_rate_gives_no_spikes():
    assert synapses.poisson_spike_train(0.0, 1000.0, np.random.default_rng(0)).size == 0


@pytest.mark.parametrize("bad_rng", [None, 42, np.random, np.random.RandomState(0)])
def test_randomness_needs_a_generator(bad_rng):
    with pytest.raises(TypeError, match="rng.*Generator"):
        synapses.poisson_spike_train(10.0, 100.0, bad_rng)
    with pytest.raises(TypeError, match="rng.*Generator"):
        synapses.poisson_population(3, 10.0, 100.0, bad_rng)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        (dict(rate=-1.0, duration=100.0), "rate"),
        (dict(rate=np.nan, duration=100.0), "rate"),
        (dict(rate=10.0, duration=-100.0), "duration"),
        (dict(rate=10.0, duration=0.0), "duration"),
    ],
)
def test_spike_trains_reject_bad_numbers(kwargs, name):
    with pytest.raises(ValueError, match=name):
        synapses.poisson_spike_train(rng=np.random.default_rng(0), **kwargs)
    with pytest.raises(ValueError, match=name):
        synapses.regular_spike_train(**kwargs)


# --------------------------------------------------------------------------
# Currents
# --------------------------------------------------------------------------


def test_synaptic_current_signs():
    rest = -70.0
    ampa = synapses.synaptic_current(1.0, rest, synapses.AMPA.reversal_potential)
    gaba = synapses.synaptic_current(1.0, rest, synapses.GABA_A.reversal_potential)
    # AMPA at rest: 1 nS * (0 - (-70)) mV = +70 pA, into the cell.
    assert float(ampa) == pytest.approx(70.0)
    # GABA_A at rest, E = -75 mV below V: 1 nS * (-75 + 70) mV = -5 pA, outward.
    assert float(gaba) == pytest.approx(-5.0)
    assert float(synapses.synaptic_current(3.0, -75.0, -75.0)) == 0.0
    # Above the reversal the current reverses.
    assert float(synapses.synaptic_current(1.0, 20.0, 0.0)) == pytest.approx(-20.0)


def test_synaptic_current_broadcasts_and_checks_shapes():
    voltage = np.array([-80.0, -40.0, 0.0, 40.0])
    np.testing.assert_allclose(
        synapses.synaptic_current(2.0, voltage, 0.0), [160.0, 80.0, 0.0, -80.0]
    )
    with pytest.raises(ValueError, match="conductance.*voltage"):
        synapses.synaptic_current(np.ones(3), np.ones(4), 0.0)
    with pytest.raises(ValueError, match="conductance"):
        synapses.synaptic_current(-1.0, -70.0, 0.0)
    with pytest.raises(ValueError, match="reversal_potential"):
        synapses.synaptic_current(1.0, -70.0, np.nan)


# --------------------------------------------------------------------------
# Many synapses
# --------------------------------------------------------------------------


def test_total_conductance_is_the_sum_of_single_synapses():
    # Linearity: one ODE fed by all spikes equals the sum of one ODE per synapse.
    time = time_grid(100.0, 0.1)
    rng = np.random.default_rng(3)
    trains = synapses.poisson_population(5, 40.0, 100.0, rng)
    total = synapses.total_conductance(time, trains, synapses.GABA_A)
    summed = sum(
        synapses.conductance_numerical(
            time,
            train,
            synapses.GABA_A.peak_conductance,
            synapses.GABA_A.decay_time,
            "dual_exponential",
            rise_time=synapses.GABA_A.rise_time,
        )
        for train in trains
    )
    np.testing.assert_allclose(total, summed, atol=1e-12)
    with pytest.raises(TypeError, match="preset"):
        synapses.total_conductance(time, trains, "AMPA")
    with pytest.raises(TypeError, match="spike_trains"):
        synapses.total_conductance(time, trains[0], synapses.AMPA)


def test_population_mean_conductance():
    """Campbell's theorem: mean = N * rate/1000 * g_max * integral of the kernel.

    200 AMPA synapses at 10 Hz, exponential kernel (integral tau = 5 ms):
    200 * 0.01 /ms * 0.5 nS * 5 ms = 5 nS. The standard deviation is
    sqrt(N rate/1000 g_max^2 tau/2) = 1.12 nS and the correlation time ~tau,
    so 2000 ms give ~200 independent samples: standard error 0.08 nS;
    tolerance 5 standard errors = 0.4 nS. A rate read as per ms would give
    5000 nS.
    """
    rng = np.random.default_rng(5)
    time = time_grid(2050.0, 0.1)
    trains = synapses.poisson_population(200, 10.0, 2050.0, rng)
    g = synapses.total_conductance(time, trains, synapses.AMPA, shape="exponential")
    steady = g[time >= 50.0]  # skip the first ten time constants of build-up
    assert steady.mean() == pytest.approx(5.0, abs=0.4)
    assert steady.std() == pytest.approx(np.sqrt(200 * 0.01 * 0.25 * 5.0 / 2), rel=0.15)


def test_poisson_population_rejects_bad_counts():
    with pytest.raises(ValueError, match="n_synapses"):
        synapses.poisson_population(-1, 10.0, 100.0, np.random.default_rng(0))
    with pytest.raises(TypeError, match="n_synapses must be a whole number"):
        synapses.poisson_population(2.5, 10.0, 100.0, np.random.default_rng(0))
    assert synapses.poisson_population(0, 10.0, 100.0, np.random.default_rng(0)) == []


# --------------------------------------------------------------------------
# Presets
# --------------------------------------------------------------------------


@pytest.mark.parametrize("preset", [synapses.AMPA, synapses.GABA_A])
def test_presets_are_physiological_and_cited(preset):
    assert 0 < preset.rise_time < preset.decay_time <= 20.0
    # Unitary conductances are a fraction of a nS to a few nS, not the seed's 50 nS.
    assert 0.05 <= preset.peak_conductance <= 5.0
    assert "Destexhe" in preset.source and "Dayan" in preset.source


def test_reversal_potentials():
    assert synapses.AMPA.reversal_potential == pytest.approx(0.0, abs=5.0)
    # GABA_A (chloride) reverses near rest, between -80 and -65 mV.
    assert -80.0 <= synapses.GABA_A.reversal_potential <= -65.0


@pytest.mark.parametrize(
    ("shape", "rise", "expected"),
    [("exponential", None, 5.0), ("alpha", None, np.e * 5.0), ("dual_exponential", 0.2, None)],
)
def test_kernel_area_matches_numerical_integration(shape, rise, expected):
    """The closed forms against scipy's quadrature of the kernel itself."""
    from scipy import integrate

    area, _ = integrate.quad(lambda s: float(synapses.kernel(s, 5.0, shape, rise)), 0.0, 200.0,
                             points=[0.2, 1.0, 5.0], limit=200)
    assert synapses.kernel_area(5.0, shape, rise) == pytest.approx(area, rel=1e-7)
    if expected is not None:
        assert synapses.kernel_area(5.0, shape) == pytest.approx(expected)


def test_ampa_kernel_areas_the_lessons_quote():
    """Lesson 1 section 5: 5.0 ms (exponential, lessons 1-2) vs 5.72 ms (dual, lesson 3)."""
    ampa = synapses.AMPA
    assert synapses.kernel_area(ampa.decay_time, "exponential", ampa.rise_time) == 5.0
    dual = synapses.kernel_area(ampa.decay_time, "dual_exponential", ampa.rise_time)
    assert round(dual, 2) == 5.72

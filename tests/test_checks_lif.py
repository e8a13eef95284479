"""Tests of the Lesson 3 checkers: each accepts correct solutions (written here,
independently of course_utils), rejects each typical mistake it claims to
catch with the specific message, and says "not attempted" for the scaffold.

Units: ms, mV, pA, nS, pF, Hz.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from course_utils.checks import CORRECT, INCORRECT, NOT_ATTEMPTED
from course_utils.checks import lif as checks
from course_utils.simulator import PassiveNeuron


def assert_rejected(feedback, *fragments):
    assert feedback.status == INCORRECT, str(feedback)
    text = " ".join(str(feedback).split())
    for fragment in fragments:
        assert fragment in text, f"{fragment!r} not in:\n{text}"


# --------------------------------------------------------------------------
# Exercise 3.1: LIFNeuron
# --------------------------------------------------------------------------


class ScaffoldLIF(PassiveNeuron):
    """What the student starts from: __init__ and reset given, step to write."""

    def __init__(
        self, name="LIF", *, threshold=-50.0, reset_voltage=-65.0, refractory_period=2.0, **kwargs
    ):
        super().__init__(name, **kwargs)
        self.threshold = threshold
        self.reset_voltage = reset_voltage
        self.refractory_period = refractory_period
        self.spike_times = []
        self.refractory_until = -math.inf

    def reset(self):
        super().reset()
        self.spike_times = []
        self.refractory_until = -math.inf
        self.steps_left = 0

    def step(self, time, dt): ...


class ClampLIF(ScaffoldLIF):
    """Integrate, then clamp while the step ends inside the refractory period."""

    def step(self, time, dt):
        refractory = time + dt <= self.refractory_until + 1e-6
        super(ScaffoldLIF, self).step(time, dt)
        if refractory:
            self.voltage = self.reset_voltage
        elif self.voltage >= self.threshold:
            self.spike_times.append(time + dt)
            self.voltage = self.reset_voltage
            self.refractory_until = time + dt + self.refractory_period


class CounterLIF(ScaffoldLIF):
    """A countdown of whole refractory steps; integrates every step, then clamps."""

    def step(self, time, dt):
        super(ScaffoldLIF, self).step(time, dt)
        if self.steps_left > 0:
            self.steps_left -= 1
            self.voltage = self.reset_voltage
            return
        if self.voltage >= self.threshold:
            self.spike_times.append(time + dt)
            self.voltage = self.reset_voltage
            self.steps_left = int(self.refractory_period / dt + 1e-6)


class SinceLastSpikeLIF(ScaffoldLIF):
    """Tests the time since the last spike, in whole steps, with numpy."""

    def step(self, time, dt):
        since = time + dt - (self.spike_times[-1] if self.spike_times else -np.inf)
        super(ScaffoldLIF, self).step(time, dt)
        if np.floor(since / dt + 1e-6) <= np.floor(self.refractory_period / dt + 1e-6):
            self.voltage = self.reset_voltage
        elif self.voltage >= self.threshold:
            self.spike_times.append(time + dt)
            self.voltage = self.reset_voltage


class OwnEulerLIF(ScaffoldLIF):
    """Writes the Euler step itself (and moves the inputs on) instead of calling the parent's."""

    leak_sign = 1.0
    use_dt = True
    do_reset = True
    refractory = True

    def step(self, time, dt):
        leak = self.leak_sign * self.leak_conductance * (self.leak_reversal - self.voltage)
        change = (leak + self.input_current(time)) / self.membrane_capacitance
        for source in self.inputs:
            if hasattr(source, "advance"):
                source.advance(time, dt)
        if self.refractory and time + dt <= self.refractory_until + dt / 1000:
            return
        self.voltage += change * dt if self.use_dt else change
        if self.voltage >= self.threshold:
            self.spike_times.append(time + dt)
            if self.do_reset:
                self.voltage = self.reset_voltage
            self.refractory_until = time + dt + self.refractory_period


@pytest.mark.parametrize("solution", [ClampLIF, CounterLIF, SinceLastSpikeLIF, OwnEulerLIF])
def test_lif_neuron_accepts_correct_solutions(solution):
    feedback = checks.check_lif_neuron(solution, strict=True)
    assert feedback.status == CORRECT


def test_lif_neuron_scaffold_is_not_attempted():
    assert checks.check_lif_neuron(ScaffoldLIF).status == NOT_ATTEMPTED


def test_lif_neuron_pass_body_is_named():
    class PassBody(ScaffoldLIF):
        def step(self, time, dt):
            pass

    assert_rejected(checks.check_lif_neuron(PassBody), "never changes", "pass")


def test_lif_neuron_rounds_the_refractory_period_to_the_nearest_step():
    class Nearest(ScaffoldLIF):
        """The course's old rule: half a step of slack."""

        def step(self, time, dt):
            refractory = time < self.refractory_until - dt / 2
            super(ScaffoldLIF, self).step(time, dt)
            if refractory:
                self.voltage = self.reset_voltage
            elif self.voltage >= self.threshold:
                self.spike_times.append(time + dt)
                self.voltage = self.reset_voltage
                self.refractory_until = time + dt + self.refractory_period

    assert_rejected(checks.check_lif_neuron(Nearest), "held for 7 steps", "6 whole steps",
                    "must not count as refractory")


def test_lif_neuron_exact_float_comparison_of_times():
    class Naive(ScaffoldLIF):
        def step(self, time, dt):
            refractory = time < self.refractory_until
            super(ScaffoldLIF, self).step(time, dt)
            if refractory:
                self.voltage = self.reset_voltage
            elif self.voltage >= self.threshold:
                self.spike_times.append(time + dt)
                self.voltage = self.reset_voltage
                self.refractory_until = time + dt + self.refractory_period

    feedback = checks.check_lif_neuron(Naive)
    # Either some periods are a step longer than others (rounding), or every one is.
    assert_rejected(feedback, "t_ref")
    text = " ".join(str(feedback).split())
    assert "depending on the spike" in text or "must not count as refractory" in text


def test_lif_neuron_refractory_counted_in_steps():
    class Steps(ScaffoldLIF):
        def step(self, time, dt):
            super(ScaffoldLIF, self).step(time, dt)
            if self.steps_left > 0:
                self.steps_left -= 1
                self.voltage = self.reset_voltage
            elif self.voltage >= self.threshold:
                self.spike_times.append(time + dt)
                self.voltage = self.reset_voltage
                self.steps_left = self.refractory_period  # 2 "steps", not 2 ms

    assert_rejected(checks.check_lif_neuron(Steps), "counted in steps", "in ms")


def test_lif_neuron_refractory_until_set_to_the_duration():
    class Duration(ScaffoldLIF):
        def step(self, time, dt):
            refractory = time + dt <= self.refractory_until + 1e-6
            super(ScaffoldLIF, self).step(time, dt)
            if refractory:
                self.voltage = self.reset_voltage
            elif self.voltage >= self.threshold:
                self.spike_times.append(time + dt)
                self.voltage = self.reset_voltage
                self.refractory_until = self.refractory_period

    assert_rejected(checks.check_lif_neuron(Duration), "refractory_until is 5 ms",
                    "absolute time")


def test_lif_neuron_skipping_the_parents_step_when_refractory():
    class Skip(ScaffoldLIF):
        def step(self, time, dt):
            if time + dt <= self.refractory_until + 1e-6:
                self.voltage = self.reset_voltage
                return
            super(ScaffoldLIF, self).step(time, dt)
            if self.voltage >= self.threshold:
                self.spike_times.append(time + dt)
                self.voltage = self.reset_voltage
                self.refractory_until = time + dt + self.refractory_period

    assert_rejected(checks.check_lif_neuron(Skip), "skips super().step", "synapse")


def test_lif_neuron_threshold_tested_before_integrating():
    class TestFirst(ScaffoldLIF):
        def step(self, time, dt):
            if time + dt <= self.refractory_until + 1e-6:
                super(ScaffoldLIF, self).step(time, dt)
                self.voltage = self.reset_voltage
            elif self.voltage >= self.threshold:
                self.spike_times.append(time)
                self.voltage = self.reset_voltage
                self.refractory_until = time + self.refractory_period
                super(ScaffoldLIF, self).step(time, dt)
            else:
                super(ScaffoldLIF, self).step(time, dt)

    assert_rejected(checks.check_lif_neuron(TestFirst), "BEFORE integrating")


def test_lif_neuron_spike_labelled_at_the_start_of_the_step():
    class StartLabel(ClampLIF):
        def step(self, time, dt):
            before = len(self.spike_times)
            super().step(time, dt)
            if len(self.spike_times) > before:
                self.spike_times[-1] = time

    assert_rejected(checks.check_lif_neuron(StartLabel), "one step before", "time + dt")


def test_lif_neuron_wrong_leak_sign():
    class FlippedLeak(OwnEulerLIF):
        leak_sign = -1.0

    assert_rejected(checks.check_lif_neuron(FlippedLeak), "too weak", "spiked",
                    "pulls V back towards E_L")


def test_lif_neuron_missing_dt():
    class NoDt(OwnEulerLIF):
        use_dt = False

    assert_rejected(checks.check_lif_neuron(NoDt), "dt is missing", "dt = 0.05 ms")


def test_lif_neuron_missing_reset():
    class NoReset(OwnEulerLIF):
        do_reset = False

    assert_rejected(checks.check_lif_neuron(NoReset), "the reset is missing")


def test_lif_neuron_missing_refractory_period():
    class NoRefractory(OwnEulerLIF):
        refractory = False

    assert_rejected(
        checks.check_lif_neuron(NoRefractory), "refractory period is missing", "1 / t_ref = 200 Hz"
    )


def test_lif_neuron_refractory_period_not_clamping_the_voltage():
    class Leaky(ScaffoldLIF):
        """Keeps integrating during the refractory period and only blocks spikes."""

        def step(self, time, dt):
            super(ScaffoldLIF, self).step(time, dt)
            if time + dt > self.refractory_until + 1e-6 and self.voltage >= self.threshold:
                self.spike_times.append(time + dt)
                self.voltage = self.reset_voltage
                self.refractory_until = time + dt + self.refractory_period
            elif self.voltage >= self.threshold:
                self.voltage = self.threshold - 1e-3

    assert_rejected(checks.check_lif_neuron(Leaky), "during the refractory period V should stay")


def test_lif_neuron_spikes_as_zero_voltage_samples():
    class SeedStyle(ScaffoldLIF):
        """The seed notebook's LIF: V = 0 for one step, then reset; no spike times."""

        def step(self, time, dt):
            if self.voltage == 0:
                self.voltage = self.reset_voltage
            elif self.voltage >= self.threshold:
                self.voltage = 0.0
            else:
                super(ScaffoldLIF, self).step(time, dt)

    assert_rejected(
        checks.check_lif_neuron(SeedStyle),
        "stored as voltage samples",
        "spike_times is empty",
        "plot_voltage",
    )


def test_lif_neuron_spike_step_numbers_instead_of_times():
    class StepNumbers(ClampLIF):
        def step(self, time, dt):
            before = len(self.spike_times)
            super().step(time, dt)
            if len(self.spike_times) > before:
                self.spike_times[-1] = round(self.spike_times[-1] / dt)

    assert_rejected(checks.check_lif_neuron(StepNumbers), "look like step numbers")


# --------------------------------------------------------------------------
# Exercise 3.2: PerfectIntegrator
# --------------------------------------------------------------------------


class ScaffoldPerfect(ClampLIF):
    def leak_current(self): ...


class Perfect(ClampLIF):
    def leak_current(self):
        return 0.0


class PerfectOwnStep(ClampLIF):
    """Overrides the whole step instead of the leak."""

    use_dt = True

    def step(self, time, dt):
        if time + dt <= self.refractory_until + dt / 1000:
            return
        change = self.input_current(time) / self.membrane_capacitance
        self.voltage += change * dt if self.use_dt else change
        if self.voltage >= self.threshold:
            self.spike_times.append(time + dt)
            self.voltage = self.reset_voltage
            self.refractory_until = time + dt + self.refractory_period


@pytest.mark.parametrize("solution", [Perfect, PerfectOwnStep])
def test_perfect_integrator_accepts_correct_solutions(solution):
    assert checks.check_perfect_integrator(solution, strict=True).status == CORRECT


def test_perfect_integrator_scaffold_is_not_attempted():
    assert checks.check_perfect_integrator(ScaffoldPerfect).status == NOT_ATTEMPTED


def test_perfect_integrator_still_leaking():
    class StillLeaky(ClampLIF):
        def leak_current(self):
            return super().leak_current()

    class HalfLeak(ClampLIF):
        def leak_current(self):
            return 0.5 * super().leak_current()

    for cls in (StillLeaky, HalfLeak):
        assert_rejected(checks.check_perfect_integrator(cls), "It is still leaking")


def test_perfect_integrator_missing_dt():
    class NoDt(PerfectOwnStep):
        use_dt = False

    assert_rejected(checks.check_perfect_integrator(NoDt), "is dt missing?")


def test_perfect_integrator_without_return():
    class NoReturn(ClampLIF):
        def leak_current(self):
            zero = 0.0  # noqa: F841 - the mistake under test

    assert_rejected(checks.check_perfect_integrator(NoReturn), "returns None")


def test_perfect_integrator_without_reset():
    class NoReset(PerfectOwnStep):
        def step(self, time, dt):
            self.voltage += dt * self.input_current(time) / self.membrane_capacitance
            if self.voltage >= self.threshold:
                self.spike_times.append(time + dt)

    assert_rejected(checks.check_perfect_integrator(NoReset), "the reset is missing")


# --------------------------------------------------------------------------
# Exercise 3.3: the analytic f-I curve
# --------------------------------------------------------------------------


def lif_rate(
    current,
    membrane_capacitance,
    leak_conductance,
    leak_reversal,
    threshold,
    reset,
    refractory_period,
):
    tau = membrane_capacitance / leak_conductance
    v_inf = leak_reversal + np.asarray(current, dtype=float) / leak_conductance
    with np.errstate(divide="ignore", invalid="ignore"):
        interval = refractory_period + tau * np.log((v_inf - reset) / (v_inf - threshold))
        return np.where(v_inf > threshold, 1000.0 / interval, 0.0)


def lif_rate_stub(
    current,
    membrane_capacitance,
    leak_conductance,
    leak_reversal,
    threshold,
    reset,
    refractory_period,
): ...


def lif_rate_loop(current, membrane_capacitance, leak_conductance, leak_reversal, threshold,
                  reset, refractory_period):
    """A correct answer written with a loop and math.log (no numpy tricks)."""
    tau = membrane_capacitance / leak_conductance
    rates = []
    for i in np.atleast_1d(current):
        v_inf = leak_reversal + i / leak_conductance
        if v_inf <= threshold:
            rates.append(0.0)
        else:
            rates.append(1000.0 / (refractory_period
                                   + tau * math.log((v_inf - reset) / (v_inf - threshold))))
    return np.array(rates) if np.ndim(current) else rates[0]


def lif_rate_noisy(current, membrane_capacitance, leak_conductance, leak_reversal, threshold,
                   reset, refractory_period):
    """Correct, but np.where evaluates the log everywhere: RuntimeWarnings."""
    tau = membrane_capacitance / leak_conductance
    v_inf = leak_reversal + np.asarray(current, dtype=float) / leak_conductance
    interval = refractory_period + tau * np.log((v_inf - reset) / (v_inf - threshold))
    return np.where(v_inf > threshold, 1000.0 / interval, 0.0)


def test_lif_rate_loop_is_accepted():
    assert checks.check_lif_rate(lif_rate_loop, strict=True).status == CORRECT


def test_lif_rate_warnings_are_accepted_with_a_hint_and_silenced():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the check itself must not let them through
        feedback = checks.check_lif_rate(lif_rate_noisy)
    assert feedback.status == CORRECT
    assert "np.errstate" in " ".join(feedback.hints)
    assert not checks.check_lif_rate(lif_rate).hints  # the clean answer gets no hint


def test_lif_rate_with_the_lessons_numbers_written_in():
    def hard_coded(current, membrane_capacitance, leak_conductance, leak_reversal,
                   threshold, reset, refractory_period):
        v_inf = -70.0 + np.asarray(current, dtype=float) / 10.0
        safe = np.where(v_inf > -50.0, v_inf, -49.0)
        interval = 2.0 + 20.0 * np.log((safe + 65.0) / (safe + 50.0))
        return np.where(v_inf > -50.0, 1000.0 / interval, 0.0)

    assert_rejected(checks.check_lif_rate(hard_coded), "another cell", "from the arguments")


def test_lif_rate_by_hand():
    # 300 pA: V_inf = -40 mV, ISI = 2 + 20 ln(25 / 10) = 20.326 ms -> 49.20 Hz.
    rate = lif_rate(300.0, 200.0, 10.0, -70.0, -50.0, -65.0, 2.0)
    assert rate == pytest.approx(1000.0 / (2.0 + 20.0 * math.log(2.5)))


def test_lif_rate_accepts_the_solution_and_stub_is_not_attempted():
    assert checks.check_lif_rate(lif_rate, strict=True).status == CORRECT
    assert checks.check_lif_rate(lif_rate_stub).status == NOT_ATTEMPTED


def test_lif_rate_nan_below_rheobase():
    def no_where(
        current,
        membrane_capacitance,
        leak_conductance,
        leak_reversal,
        threshold,
        reset,
        refractory_period,
    ):
        tau = membrane_capacitance / leak_conductance
        v_inf = leak_reversal + np.asarray(current) / leak_conductance
        with np.errstate(invalid="ignore", divide="ignore"):
            return 1000.0 / (
                refractory_period + tau * np.log((v_inf - reset) / (v_inf - threshold))
            )

    assert_rejected(checks.check_lif_rate(no_where), "returns NaN", "np.where")


def test_lif_rate_per_ms():
    def per_ms(current, **parameters):
        return lif_rate(current, **parameters) / 1000.0

    assert_rejected(checks.check_lif_rate(per_ms), "1000x too small", "spikes per ms")


def test_lif_rate_without_refractory_period():
    def no_refractory(
        current,
        membrane_capacitance,
        leak_conductance,
        leak_reversal,
        threshold,
        reset,
        refractory_period,
    ):
        return lif_rate(
            current, membrane_capacitance, leak_conductance, leak_reversal, threshold, reset, 0.0
        )

    assert_rejected(checks.check_lif_rate(no_refractory), "refractory period is missing")


def test_lif_rate_log_upside_down():
    def upside_down(
        current,
        membrane_capacitance,
        leak_conductance,
        leak_reversal,
        threshold,
        reset,
        refractory_period,
    ):
        tau = membrane_capacitance / leak_conductance
        v_inf = leak_reversal + np.asarray(current, dtype=float) / leak_conductance
        with np.errstate(divide="ignore", invalid="ignore"):
            interval = tau * np.log((v_inf - threshold) / (v_inf - reset))
            return np.where(v_inf > threshold, 1000.0 / interval, 0.0)

    assert_rejected(checks.check_lif_rate(upside_down), "negative", "upside down")


def test_lif_rate_wrong_time_constant():
    def tau_upside_down(
        current,
        membrane_capacitance,
        leak_conductance,
        leak_reversal,
        threshold,
        reset,
        refractory_period,
    ):
        return lif_rate(
            current,
            leak_conductance * leak_conductance / membrane_capacitance,
            leak_conductance,
            leak_reversal,
            threshold,
            reset,
            refractory_period,
        )

    assert_rejected(checks.check_lif_rate(tau_upside_down), "g_L / C")


# --------------------------------------------------------------------------
# Exercise 3.4: white noise
# --------------------------------------------------------------------------


def white_noise(n_steps, dt, std, rng):
    return std / math.sqrt(dt) * rng.normal(0.0, 1.0, size=n_steps)


def test_white_noise_accepts_the_solution():
    feedback = checks.check_white_noise(white_noise, strict=True)
    assert feedback.status == CORRECT
    # The voltage std of a 200 pF, 20 ms cell: (100 / 200) sqrt(20 / 2) = 1.58 mV.
    assert "expected 1.58 mV" in str(feedback)


def test_white_noise_stub_is_not_attempted():
    def stub(n_steps, dt, std, rng): ...

    assert checks.check_white_noise(stub).status == NOT_ATTEMPTED


def test_white_noise_without_sqrt_dt_scaling():
    def unscaled(n_steps, dt, std, rng):
        return std * rng.standard_normal(n_steps)

    assert_rejected(checks.check_white_noise(unscaled), "scaling is", "missing", "depends on dt")


def test_white_noise_multiplied_by_sqrt_dt():
    def multiplied(n_steps, dt, std, rng):
        return std * np.sqrt(dt) * rng.standard_normal(n_steps)

    assert_rejected(checks.check_white_noise(multiplied), "multiplied by sqrt(dt)")


def test_white_noise_divided_by_dt():
    def divided(n_steps, dt, std, rng):
        return std / dt * rng.standard_normal(n_steps)

    assert_rejected(checks.check_white_noise(divided), "divided by dt")


def test_white_noise_global_generator():
    def global_rng(n_steps, dt, std, rng):
        return std / np.sqrt(dt) * np.random.standard_normal(n_steps)  # noqa: NPY002

    assert_rejected(checks.check_white_noise(global_rng), "does not use rng")


# --------------------------------------------------------------------------
# Exercise 3.5: CV of the ISIs
# --------------------------------------------------------------------------


def cv_isi(spike_times):
    intervals = np.diff(spike_times)
    return np.std(intervals) / np.mean(intervals)


def cv_isi_sample(spike_times):
    intervals = np.diff(spike_times)
    return float(np.std(intervals, ddof=1) / np.mean(intervals))


@pytest.mark.parametrize("solution", [cv_isi, cv_isi_sample])
def test_cv_accepts_solutions(solution):
    assert checks.check_cv_isi(solution, strict=True).status == CORRECT


def test_cv_by_hand():
    # ISIs 10, 20, 10 ms: mean 40/3, population std sqrt(200/9) -> CV = 0.3536.
    assert cv_isi(np.array([0.0, 10.0, 30.0, 40.0])) == pytest.approx(math.sqrt(200 / 9) / (40 / 3))


def test_cv_stub_is_not_attempted():
    def stub(spike_times): ...

    assert checks.check_cv_isi(stub).status == NOT_ATTEMPTED


@pytest.mark.parametrize(
    ("mistake", "message"),
    [
        (lambda t: np.std(t) / np.mean(t), "of the spike times themselves"),
        (lambda t: np.var(np.diff(t)) / np.mean(np.diff(t)), "variance"),
        (lambda t: np.std(np.diff(t)), "not divided by the mean"),
        (lambda t: np.mean(np.diff(t)) / np.std(np.diff(t)), "upside down"),
    ],
)
def test_cv_typical_mistakes(mistake, message):
    assert_rejected(checks.check_cv_isi(mistake), message)


# --------------------------------------------------------------------------
# Predictions and the inverse problem's scaffold
# --------------------------------------------------------------------------


def test_rate_predictions_right_answers_written_differently():
    for rheobase, max_rate in ((200.0, 500.0), (200, 476.2), (195.0, 480.0)):
        feedback = checks.check_rate_predictions(dict(rheobase=rheobase, max_rate=max_rate))
        assert feedback.status == CORRECT, str(feedback)


def test_rate_predictions_scaffold_is_not_attempted():
    feedback = checks.check_rate_predictions(dict(rheobase=..., max_rate=...))
    assert feedback.status == NOT_ATTEMPTED


@pytest.mark.parametrize(
    ("rheobase", "max_rate", "fragments"),
    [
        (0.0, 500.0, ["perfect integrator", "leaks"]),
        (150.0, 500.0, ["climb from the reset", "starts at rest"]),
        (2.0, 500.0, ["mV x nS = pA"]),
        (0.2, 500.0, ["in nA"]),
        (200.0, 0.5, ["spikes per ms"]),
        (200.0, float("inf"), ["at least t_ref"]),
        (200.0, 1000.0, ["at least t_ref"]),
    ],
)
def test_rate_predictions_typical_mistakes(rheobase, max_rate, fragments):
    feedback = checks.check_rate_predictions(dict(rheobase=rheobase, max_rate=max_rate))
    assert_rejected(feedback, *fragments)


def test_irregularity_prediction():
    assert checks.check_irregularity_prediction("balanced", strict=True).status == CORRECT
    assert_rejected(checks.check_irregularity_prediction("mean-driven"), "climbs steadily")
    assert_rejected(checks.check_irregularity_prediction("Balanced!"), "write")
    assert checks.check_irregularity_prediction(...).status == NOT_ATTEMPTED


def test_lif_neuron_spike_times_in_seconds():
    class Seconds(ClampLIF):
        def step(self, time, dt):
            before = len(self.spike_times)
            super().step(time, dt)
            if len(self.spike_times) > before:
                self.spike_times[-1] /= 1000.0

    assert_rejected(checks.check_lif_neuron(Seconds), "in seconds it fits", "in ms")


def test_pass_bodies_are_told_they_return_none():
    def lif_rate_pass(current, membrane_capacitance, leak_conductance, leak_reversal,
                      threshold, reset, refractory_period):
        pass

    def white_noise_pass(n_steps, dt, std, rng):
        pass

    def cv_pass(spike_times):
        pass

    assert_rejected(checks.check_lif_rate(lif_rate_pass), "returned None")
    assert_rejected(checks.check_white_noise(white_noise_pass), "returned None")
    assert_rejected(checks.check_cv_isi(cv_pass), "returned None")


def test_lif_neuron_input_sampled_at_the_end_of_the_step():
    class LateInput(OwnEulerLIF):
        def step(self, time, dt):
            leak = self.leak_conductance * (self.leak_reversal - self.voltage)
            change = (leak + self.input_current(time + dt)) / self.membrane_capacitance
            for source in self.inputs:
                if hasattr(source, "advance"):
                    source.advance(time, dt)
            if time + dt <= self.refractory_until + dt / 1000:
                return
            self.voltage += change * dt
            if self.voltage >= self.threshold:
                self.spike_times.append(time + dt)
                self.voltage = self.reset_voltage
                self.refractory_until = time + dt + self.refractory_period

    assert_rejected(checks.check_lif_neuron(LateInput), "one step early", "start of the step")

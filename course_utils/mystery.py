"""A neuron with hidden parameters, for Lesson 3's inverse problem.

Units: time in ms, voltage in mV, current in pA, conductance in nS,
capacitance in pF (see :mod:`course_utils`).

In an experiment nobody hands you C, g_L or the threshold: you inject
currents and record the membrane potential (current clamp), and you infer
the parameters from the responses. :class:`MysteryNeuron` plays that cell.
It is a leaky integrate-and-fire neuron whose six parameters are drawn from
a seeded random generator within physiological ranges and kept out of
sight; the only way to learn about it is :meth:`MysteryNeuron.inject`,
which records, like an amplifier, at 20 kHz (every 0.05 ms) with 0.1 mV of
recording noise. (Python hides nothing for real: the parameters are on the
object, and reading them would spoil the exercise.)

:func:`course_utils.checks.lif.check_mystery_estimates` compares a
student's estimates with the hidden values.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._validation import as_float
from .inputs import number_of_steps, time_grid
from .neurons import simulate_lif

__all__ = ["PARAMETER_NAMES", "MysteryNeuron", "Recording"]

PARAMETER_NAMES = (
    "membrane_capacitance",
    "leak_conductance",
    "leak_reversal",
    "threshold",
    "reset",
    "refractory_period",
)
"""The six parameters to estimate, in pF, nS, mV, mV, mV and ms."""

SAMPLING_INTERVAL = 0.05
"""ms between recorded samples (20 kHz), also the simulation step."""

RECORDING_NOISE = 0.1
"""Standard deviation (mV) of the noise added to the recorded voltage."""


class Recording(NamedTuple):
    """One current-clamp experiment on a :class:`MysteryNeuron`."""

    time: np.ndarray
    """Sample times in ms, shape (n_samples,)."""
    voltage: np.ndarray
    """Recorded membrane potential in mV (with recording noise), shape (n_samples,)."""
    current: np.ndarray
    """Injected current in pA, shape (n_samples,)."""
    spike_times: np.ndarray
    """Spike times in ms (the cell's own spike detector, no noise)."""


def _draw_parameters(rng) -> dict:
    """Six LIF parameters in physiological ranges (pF, nS, mV, mV, mV, ms)."""
    leak_reversal = rng.uniform(-75.0, -62.0)
    threshold = leak_reversal + rng.uniform(12.0, 25.0)
    return dict(
        membrane_capacitance=rng.uniform(100.0, 300.0),
        leak_conductance=rng.uniform(5.0, 20.0),
        leak_reversal=leak_reversal,
        threshold=threshold,
        reset=threshold - rng.uniform(5.0, 18.0),
        refractory_period=rng.uniform(1.0, 5.0),
    )


class MysteryNeuron:
    """A LIF neuron whose parameters you find by experiment.

    Parameters
    ----------
    seed : int, optional
        Chooses the neuron (default 0). The same seed gives the same neuron
        and the same recording noise for the same sequence of experiments.

    Examples
    --------
    >>> cell = MysteryNeuron(seed=3)
    >>> rest = cell.inject(0.0, duration=100.0)  # 0 pA for 100 ms
    >>> rest.voltage.shape
    (2000,)
    """

    def __init__(self, seed=0):
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
            raise TypeError(f"seed must be an integer, but got {seed!r}.")
        self.seed = int(seed)
        self._hidden = _draw_parameters(np.random.default_rng([self.seed, 2026]))
        self._noise = np.random.default_rng([self.seed, 1])
        self.experiments = 0
        """How many experiments have been run on this cell so far."""

    def inject(self, current, duration) -> Recording:
        """Inject a current (pA) for ``duration`` ms, starting from rest, and record.

        Parameters
        ----------
        current : float or array_like
            A constant current in pA, on for the whole recording, or one
            value per sample (shape ``(round(duration / 0.05),)``) for any
            waveform (use ``time_grid`` of :mod:`course_utils.inputs` with
            dt = 0.05 ms to build it).
        duration : float
            Length of the recording in ms (> 0, at most 10,000).

        Returns
        -------
        Recording
            ``time`` (ms), ``voltage`` (mV, with 0.1 mV of recording noise),
            ``current`` (pA) and ``spike_times`` (ms).
        """
        duration = as_float("duration", duration, unit="ms", positive=True)
        if duration > 10_000.0:
            raise ValueError(
                f"duration ({duration:g} ms) is longer than the 10 s this cell lets you "
                "record at once: split the experiment."
            )
        dt = SAMPLING_INTERVAL
        n_steps = number_of_steps(duration, dt)
        if np.ndim(current) == 0:
            drive = np.full(n_steps, as_float("current", current, unit="pA"))
        else:
            drive = np.asarray(current, dtype=float)
            if drive.shape != (n_steps,):
                raise ValueError(
                    f"current has shape {drive.shape}; a waveform needs one value per "
                    f"sample of {dt:g} ms, shape ({n_steps},) for {duration:g} ms "
                    "(or pass one number for a constant current)."
                )
            if not np.all(np.isfinite(drive)):
                raise ValueError("current contains NaN or infinite values.")
        result = simulate_lif(
            duration=duration, dt=dt, current=drive, method="exponential_euler",
            backend="numpy", **self._hidden,
        )
        noise = self._noise.normal(0.0, RECORDING_NOISE, n_steps)
        self.experiments += 1
        return Recording(time_grid(duration, dt), result.voltage[0] + noise, drive,
                         result.spike_times[0])

    def answer(self) -> dict:
        """The hidden parameters (a copy), in the course's units.

        This is what :func:`course_utils.checks.lif.check_mystery_estimates`
        compares your estimates with. Looking before you estimate spoils the
        challenge.

        Returns
        -------
        dict
            Keyword arguments of :func:`course_utils.neurons.simulate_lif`
            (pF, nS, mV, ms).
        """
        return dict(self._hidden)

    def __repr__(self) -> str:
        return (f"MysteryNeuron(seed={self.seed}): parameters hidden; "
                f"{self.experiments} experiments so far")

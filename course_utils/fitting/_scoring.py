"""Scoring a model on sweeps: f-I error, the coincidence factor beside the
cell's own repeatability (its ceiling) with bootstrap intervals, and the
subthreshold voltage error. Units: ms, mV, Hz.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .._validation import as_float, check_rng
from ._coincidence import (
    DEFAULT_DELTA,
    gamma_terms,
    pooled_coincidence_factor,
    pooled_with_bootstrap,
)
from ._recording import excluded_sweeps, model_dt, repeated_steps, sweep_detections
from ._simulation import simulate_sweeps

SPIKE_MASK = (-2.0, 10.0)
"""Interval around each spike (ms) left out of the subthreshold RMSE."""


@dataclass
class Scores:
    """How well a model reproduces a set of sweeps.

    Attributes
    ----------
    fi_rms : float
        RMS difference of the test-step firing rates, Hz.
    gamma : float
        Coincidence factor with coincidences pooled over the scored sweeps
        (:func:`pooled_coincidence_factor`, test step, +-4 ms).
    gamma_interval : (float, float)
        95 % bootstrap interval of ``gamma`` over sweeps (1000 resamples);
        (NaN, NaN) with fewer than two sweeps, or when most resamples have
        no Gamma. The same holds for the intervals below.
    gamma_intrinsic : float
        The cell's own repeatability: pooled Gamma between the two plays of
        the same current in each sweep (test step and its repeat), the
        ceiling a model can reach on these sweeps. NaN without a repeat.
    gamma_intrinsic_interval : (float, float)
        Its 95 % bootstrap interval.
    gamma_relative : float
        ``gamma / gamma_intrinsic`` (Jolivet et al. 2008's normalisation).
    gamma_relative_interval : (float, float)
        Its 95 % bootstrap interval (both Gammas resampled together).
    subthreshold_rmse : float
        RMS voltage difference over the whole sweeps, spikes masked, mV.
    data_rates, model_rates : numpy.ndarray
        Test-step firing rates of each sweep, Hz.
    gammas : numpy.ndarray
        Gamma of each sweep (NaN where the data has no spike in the test
        step or the sweep is left out).
    sweeps : list of int
        Indices of the scored sweeps.
    excluded : list of int
        Sweeps left out of the rates and Gamma: depolarisation block or
        failed spikes in the test step.
    """

    fi_rms: float
    gamma: float
    subthreshold_rmse: float
    data_rates: np.ndarray
    model_rates: np.ndarray
    gammas: np.ndarray
    sweeps: list[int]
    gamma_interval: tuple = (float("nan"), float("nan"))
    gamma_intrinsic: float = float("nan")
    gamma_intrinsic_interval: tuple = (float("nan"), float("nan"))
    gamma_relative: float = float("nan")
    gamma_relative_interval: tuple = (float("nan"), float("nan"))
    excluded: list = field(default_factory=list)

    def gamma_text(self) -> str:
        """Gamma beside its ceiling and their uncertainties, in one line."""
        g, (gl, gh) = self.gamma, self.gamma_interval
        text = f"Gamma {g:.2f} [{gl:.2f}, {gh:.2f}]"
        il, ih = self.gamma_intrinsic_interval
        if np.isfinite(self.gamma_intrinsic) and il > 0:
            rl, rh = self.gamma_relative_interval
            text += (
                f" vs the cell's own repeatability {self.gamma_intrinsic:.2f} [{il:.2f}, {ih:.2f}]"
                f": {self.gamma_relative:.0%} of the ceiling [{rl:.0%}, {rh:.0%}]"
            )
        elif np.isfinite(self.gamma_intrinsic):
            text += (
                f" vs the cell's own repeatability {self.gamma_intrinsic:.2f} [{il:.2f}, "
                f"{ih:.2f}]: the cell does not repeat its own spike times, so spike timing "
                "cannot be scored on these sweeps"
            )
        else:
            text += " (no repeated step: the ceiling is unknown)"
        return text + " (95 % bootstrap over sweeps)"


def _rates_in_steps(trains, steps) -> np.ndarray:
    """Firing rate (Hz) of each spike train (ms) inside its sweep's test step."""
    return np.array(
        [np.count_nonzero(step.contains(t)) / step.duration * 1000.0
         for t, step in zip(trains, steps, strict=True)]
    )


def _spike_free(grid, shape, data_spikes, model_spikes, kept) -> np.ndarray:
    """Samples of the subthreshold RMSE: ``shape`` (sweeps, model steps) mask
    that is False within :data:`SPIKE_MASK` of a data or model spike, and on
    the sweeps left out (``kept`` False)."""
    mask = np.ones(shape, dtype=bool)
    for k, (data, model) in enumerate(zip(data_spikes, model_spikes, strict=True)):
        for spike in np.concatenate([data, model]):
            mask[k, (grid >= spike + SPIKE_MASK[0]) & (grid < spike + SPIKE_MASK[1])] = False
    mask[~kept] = False  # block and failed spikes: no point model describes those sweeps
    return mask


def _gamma_rows(data_spikes, model_spikes, steps, repeats, used, delta):
    """(numerator, denominator) of Gamma of each used sweep, model vs data and
    the cell's repeat vs itself (NaN rows without a repeat): pooling and the
    bootstrap only add them up."""
    model_terms = np.array(
        [
            gamma_terms(data_spikes[k], model_spikes[k], (steps[k].start, steps[k].stop), delta)
            for k in used
        ]
    ).reshape(-1, 2)
    if repeats is None:
        return model_terms, np.full((len(used), 2), np.nan)
    own_terms = np.array(
        [
            gamma_terms(
                data_spikes[k] - repeats[k][0].start,
                data_spikes[k] - repeats[k][1].start,
                (0.0, repeats[k][0].duration),
                delta,
            )
            for k in used
        ]
    ).reshape(-1, 2)
    return model_terms, own_terms


def score_model(
    recording, model, parameters, *, dt=0.1, delta=DEFAULT_DELTA, series_resistance=0.0, rng=None
) -> Scores:
    """f-I error, coincidence factor (with its ceiling) and subthreshold RMSE.

    Parameters
    ----------
    recording : Recording
        The sweeps to score (e.g. the held-out half from :func:`split_sweeps`).
    model, parameters, dt, series_resistance
        The model, its solver's keyword arguments, the time step (ms,
        default 0.1) and R_s (GOhm, default 0), as in :func:`simulate_sweeps`.
    delta : float, optional
        Coincidence window of Gamma in ms (default 4).
    rng : numpy.random.Generator, optional
        For the bootstrap (default ``np.random.default_rng(0)``).

    Returns
    -------
    Scores
        See :mod:`course_utils.fitting` for the definitions. Sweeps whose test
        step goes into depolarisation block or has failed spikes are left
        out of the rates and Gamma (``Scores.excluded``).

    Notes
    -----
    The protocol's steps are constant currents. After the first spike or
    two, a cell's spike times under a constant current drift from trial to
    trial, so even the cell against itself reaches a Gamma well below 1:
    compare a model with ``gamma_intrinsic``, not with 1. Fluctuating
    currents (Jolivet et al. 2008) make timing reproducible and Gamma far
    more informative.
    """
    rng = np.random.default_rng(0) if rng is None else check_rng(rng)
    delta = as_float("delta", delta, unit="ms", positive=True)
    if delta < model_dt(dt):
        raise ValueError(
            f"delta ({delta:g} ms) must be at least the model's time step dt ({dt:g} ms): "
            "spike times are only known to one step."
        )
    result, predicted, data_voltage = simulate_sweeps(
        recording, model, parameters, dt=dt, series_resistance=series_resistance
    )
    detections = sweep_detections(recording)
    data_spikes, model_spikes = [d.times for d in detections], result.spike_times
    excluded = excluded_sweeps(recording, detections)
    kept = np.array([s.index not in excluded for s in recording.sweeps])
    steps = recording.test_steps()
    data_rates = _rates_in_steps(data_spikes, steps)
    model_rates = _rates_in_steps(model_spikes, steps)
    used = [k for k, step in enumerate(steps) if step.contains(data_spikes[k]).any() and kept[k]]
    gammas = np.full(len(steps), np.nan)
    for k in used:
        window = (steps[k].start, steps[k].stop)
        gammas[k] = pooled_coincidence_factor([data_spikes[k]], [model_spikes[k]], [window], delta)
    model_terms, own_terms = _gamma_rows(
        data_spikes, model_spikes, steps, repeated_steps(recording), used, delta
    )
    gamma, intrinsic, intervals = pooled_with_bootstrap(model_terms, own_terms, rng)
    mask = _spike_free(result.time, data_voltage.shape, data_spikes, model_spikes, kept)
    difference = (predicted - data_voltage)[mask]
    if difference.size == 0:
        difference = np.array([np.nan])
    return Scores(
        fi_rms=float(np.sqrt(np.mean((model_rates[kept] - data_rates[kept]) ** 2)))
        if kept.any()
        else float("nan"),
        gamma=gamma,
        subthreshold_rmse=float(np.sqrt(np.mean(difference**2))),
        data_rates=data_rates,
        model_rates=model_rates,
        gammas=gammas,
        sweeps=[s.index for s in recording.sweeps],
        gamma_interval=intervals[0],
        gamma_intrinsic=intrinsic,
        gamma_intrinsic_interval=intervals[1],
        gamma_relative=gamma / intrinsic if intrinsic > 0 else float("nan"),
        gamma_relative_interval=intervals[2],
        excluded=sorted(excluded),
    )

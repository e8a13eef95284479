"""Fitting a leaky integrate-and-fire neuron's threshold, reset and refractory
period, by two grids. Units: ms, mV, pA, nS, pF.
"""

from __future__ import annotations

import time as _time

import numpy as np

from ._passive import check_passive
from ._recording import check_recording, model_dt
from ._search import (
    ModelFit,
    StepData,
    bound_report,
    candidate_losses,
    finished_fit,
    progress_bar,
    step_data,
)

_LIF_GAPS = (2.0, 4.0, 6.0, 9.0, 12.0, 16.0, 20.0, 25.0, 30.0, 40.0, 50.0)
"""Threshold - reset values (mV) of the LIF's coarse grid."""

_LIF_REFRACTORY = (0.0, 2.0, 4.0, 8.0, 15.0, 25.0, 40.0, 60.0, 100.0)
"""Refractory periods (ms) of the LIF's coarse grid."""

_LIF_SEARCHED = {  # the range each grid parameter can reach, for at_bounds
    "threshold - E_L": (1.0, 40.0, "mV"),
    "threshold - reset": (_LIF_GAPS[0], _LIF_GAPS[-1] + 3.0, "mV"),
    "refractory_period": (0.0, _LIF_REFRACTORY[-1] + 2.0, "ms"),
}


def _grid_search(membrane: dict, data: StepData, dt: float, offsets, gaps, refractory):
    """The best of every (threshold - E_L, threshold - reset, refractory period)
    combination: ``(best point, its loss, candidates simulated)``."""
    rest = membrane["leak_reversal"]
    grid = np.array(np.meshgrid(offsets, gaps, refractory, indexing="ij")).reshape(3, -1)
    table = {name: np.full(grid.shape[1], value) for name, value in membrane.items()}
    table["threshold"] = rest + grid[0]
    table["reset"] = rest + grid[0] - grid[1]
    table["refractory_period"] = grid[2]
    losses = candidate_losses("lif", table, data, dt)
    best = int(np.argmin(losses))
    return grid[:, best], float(losses[best]), losses.size


def _coarse_then_fine(membrane: dict, data: StepData, dt: float, bar):
    """Grid 1 over the whole range, then grid 2 around its best point."""
    coarse, _, n_coarse = _grid_search(
        membrane, data, dt, np.arange(1.0, 41.0, 2.0), np.array(_LIF_GAPS),
        np.array(_LIF_REFRACTORY),
    )
    bar.update()
    fine, loss, n_fine = _grid_search(
        membrane,
        data,
        dt,
        coarse[0] + np.arange(-1.0, 1.01, 0.2),
        np.clip(coarse[1] + np.arange(-3.0, 3.01, 0.5), 0.5, None),
        np.clip(coarse[2] + np.arange(-2.0, 2.01, 0.5), 0.0, None),
    )
    bar.update()
    return fine, loss, n_coarse + n_fine


def fit_lif(recording, *, passive=None, dt=0.1, progress=False) -> ModelFit:
    """Fit a LIF neuron's threshold, reset and refractory period.

    Parameters
    ----------
    recording : Recording
        Training sweeps (use :func:`split_sweeps` to keep some for testing).
    passive : PassiveFit, optional
        The membrane (C, g_L, E_L); fitted with :func:`fit_passive` if not
        given.
    dt : float, optional
        Time step in ms (default 0.1).
    progress : bool, optional
        Show a progress bar.

    Returns
    -------
    ModelFit
        ``parameters`` are keyword arguments for ``simulate_lif``.

    Notes
    -----
    The membrane is the passive fit's C, E_L and steady-state conductance
    g_L + a (a LIF has no sag). Grid 1: threshold 1-39 mV above E_L (2 mV
    steps) x threshold - reset in {2, 4, ..., 40, 50} mV x refractory
    period in {0, 2, 4, 8, 15, 25, 40, 60, 100} ms (1980 candidates), wide
    enough that a real cell's values lie inside; ``at_bounds`` names any
    that ends on an edge anyway. Grid 2:
    +-1 mV around the best threshold in 0.2 mV steps, the reset gap +-3 mV
    in 0.5 mV steps, the refractory period +-2 ms in 0.5 ms steps.
    Each grid is one simulation of candidates x sweeps neurons.
    """
    started = _time.perf_counter()
    recording = check_recording(recording)
    dt = model_dt(dt)
    bar = progress_bar(3, "LIF fit", progress)
    passive = check_passive(passive, recording, dt)
    bar.update()
    membrane = passive.lif_membrane()
    best, loss, n_candidates = _coarse_then_fine(membrane, step_data(recording), dt, bar)
    bar.close()
    rest = passive.leak_reversal
    parameters = dict(membrane)
    parameters.update(
        threshold=float(rest + best[0]),
        reset=float(rest + best[0] - best[1]),
        refractory_period=float(best[2]),
    )
    reached = dict(zip(_LIF_SEARCHED, best, strict=True))
    search = {
        "loss": loss,
        "n_candidates": n_candidates,
        "at_bounds": bound_report(reached, _LIF_SEARCHED, rtol=0.01),
    }
    return finished_fit(
        "lif", recording, parameters, search, dt=dt,
        series_resistance=passive.series_resistance, started=started,
    )

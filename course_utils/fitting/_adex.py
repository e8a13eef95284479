"""Fitting an adaptive exponential integrate-and-fire (AdEx) neuron's
spiking parameters on top of the passive membrane. Units: ms, mV, pA, nS, pF.
"""

from __future__ import annotations

import time as _time

import numpy as np

from .._validation import check_rng
from ._passive import PassiveFit, check_passive
from ._recording import check_recording, model_dt
from ._search import ModelFit, box_search, box_values, check_rounds, finished_fit

SPIKE_THRESHOLD = 0.0
"""Data spikes: upward crossings of this voltage (mV). AdEx spike cutoff."""


# Search boxes: (name, low, high, log scale, unit). The searches run in the
# unit cube; these map it onto the parameters.
_ADEX_BOX = (
    ("threshold_offset", 0.0, 30.0, False, "mV"),  # V_T - E_L
    ("slope_factor", 0.5, 6.0, False, "mV"),  # Delta_T
    ("reset_gap", -5.0, 30.0, False, "mV"),  # V_T - V_reset
    ("spike_adaptation", 0.5, 500.0, True, "pA"),  # b
)


def _adex_table(unit_points: np.ndarray, passive: PassiveFit) -> dict:
    """Turn points of the unit cube into simulate_adex keyword arrays."""
    values = box_values(unit_points, _ADEX_BOX)
    n = len(values)
    threshold = passive.leak_reversal + values[:, 0]
    table = {name: np.full(n, value) for name, value in passive.adex_membrane().items()}
    table.update(
        rheobase_threshold=threshold,
        slope_factor=values[:, 1],
        reset=threshold - values[:, 2],
        spike_adaptation=values[:, 3],
        # 0 mV, the data's spike level, unless a candidate's reset or V_T comes
        # near it (a cell resting high): the runaway is so fast there that
        # the cutoff changes spike times by well under dt
        spike_cutoff=np.maximum(
            SPIKE_THRESHOLD, np.maximum(threshold, threshold - values[:, 2]) + 10.0
        ),
    )
    return table


def fit_adex(
    recording, *, passive=None, dt=0.1, rng=None, rounds=(1024, 256, 256, 256), progress=True
) -> ModelFit:
    """Fit an adaptive exponential integrate-and-fire (AdEx) neuron.

    Parameters
    ----------
    recording : Recording
        Training sweeps.
    passive : PassiveFit, optional
        Gives C, g_L, E_L and the subthreshold adaptation a, tau_w (the
        sag); fitted with :func:`fit_passive` if not given.
    dt : float, optional
        Time step in ms (default 0.1).
    rng : numpy.random.Generator, optional
        Scrambles the Sobol points; default ``np.random.default_rng(0)`` so
        the fit is reproducible.
    rounds : sequence of int, optional
        Candidates per round (powers of 2 suit the Sobol sequence).
    progress : bool, optional
        Show a progress bar (one tick per round; default True, as the fit
        takes a few seconds).

    Returns
    -------
    ModelFit
        ``parameters`` are keyword arguments for ``simulate_adex``; the spike
        cutoff is 0 mV, the data's spike detection threshold.

    Notes
    -----
    The subthreshold parameters come from the passive fit (the AdEx
    equations below threshold are exactly its model), so the search is over
    the spiking ones. Round 1 samples the whole box with a scrambled Sobol
    sequence (V_T - E_L 0-30 mV, Delta_T 0.5-6 mV, V_T - V_reset -5-30 mV,
    b 0.5-500 pA log-uniform; ``at_bounds`` names any that ends on an
    edge); each later round draws from a normal distribution with the mean
    and standard deviation (+ 1 % of the box) of
    the best 16 candidates so far (the cross-entropy method). A compass
    search then polishes the best point (+-5 % of the box along each axis,
    halving the step when no neighbour is better, down to 0.2 %).
    """
    started = _time.perf_counter()
    recording = check_recording(recording)
    dt = model_dt(dt)
    rng = np.random.default_rng(0) if rng is None else check_rng(rng)
    rounds = check_rounds(rounds)
    passive = check_passive(passive, recording, dt)

    def make_table(points):
        return _adex_table(points, passive)

    parameters, search = box_search(
        "adex", _ADEX_BOX, make_table, recording, dt=dt, rng=rng, rounds=rounds,
        progress=progress, label="AdEx fit",
    )
    return finished_fit(
        "adex", recording, parameters, search, dt=dt,
        series_resistance=passive.series_resistance, started=started,
    )

"""Spike-train similarity: the coincidence factor Gamma, pooled over sweeps,
with bootstrap intervals.

Spike times in ms, rates in spikes per ms inside the formulas.
"""

from __future__ import annotations

import numpy as np

from .._validation import as_array, as_float, check_window

DEFAULT_DELTA = 4.0
"""Coincidence window of the Gamma factor in ms (+- Delta)."""


def _count_coincidences(data: np.ndarray, model: np.ndarray, delta: float) -> int:
    """Number of data spikes paired with a model spike within +-delta (one-to-one)."""
    count, j = 0, 0
    for t in data:
        while j < model.size and model[j] < t - delta:
            j += 1
        if j < model.size and model[j] <= t + delta:
            count += 1
            j += 1
    return count


def _spike_train(name, spike_times) -> np.ndarray:
    """Spike times in ms (1-D, finite; any origin, e.g. relative to a step), sorted."""
    if np.ndim(spike_times) == 0 and not isinstance(spike_times, (list, tuple)):
        raise TypeError(
            f"{name} must be a 1-D array of spike times in ms, but got {spike_times!r}."
        )
    return np.sort(as_array(name, spike_times, unit="ms", ndim=1))


def _check_delta(delta, window_length):
    """The coincidence precision in ms: positive and shorter than half the window."""
    delta = as_float("delta", delta, unit="ms", positive=True)
    if not delta < window_length / 2:
        raise ValueError(
            f"delta ({delta:g} ms) must be shorter than half the window ({window_length:g} ms): "
            "otherwise every spike coincides by chance."
        )
    return delta


def coincidence_factor(data_spikes, model_spikes, window, delta=DEFAULT_DELTA) -> float:
    """Coincidence factor Gamma between a data and a model spike train.

    Jolivet et al. (2008), J. Neurosci. Methods 169:417-424 (after Kistler
    et al. 1997):

        Gamma = (N_coinc - <N_coinc>) / (0.5 (N_data + N_model)) / (1 - 2 nu Delta)

    with N_coinc the number of data spikes that have a model spike within
    +-Delta (each model spike used once), <N_coinc> = 2 nu Delta N_data the
    number expected by chance from a Poisson train with the model's rate
    nu = N_model / T, and 1 - 2 nu Delta the normalisation that makes
    Gamma = 1 for identical trains. Gamma ~ 0 for independent trains.

    Parameters
    ----------
    data_spikes, model_spikes : array_like
        Spike times in ms, 1-D and finite (only those in ``window`` are
        used; they are sorted here if they are not).
    window : (start, stop) or StepWindow
        The interval ``[start, stop)`` in ms, of length T.
    delta : float, optional
        Coincidence precision Delta in ms (default 4 ms).

    Returns
    -------
    float
        Gamma (at most 1). NaN if both trains are empty in the window (no
        spikes to compare) or if 2 nu Delta >= 1 (the model fires so fast
        that chance coincidences are certain).

    Notes
    -----
    This is Jolivet et al.'s convention (the model's rate, one-to-one
    matching). brian2modelfitting's ``GammaFactor`` uses the data's rate and
    nearest-spike matching (and minimises ``1 + 2|dr|/r_data - Gamma``):
    both are defensible; the numbers differ, so say which one you report.
    """
    if window is None:
        raise TypeError("window must be a (start, stop) pair in ms or a StepWindow, not None.")
    start, stop = check_window(window)
    delta = _check_delta(delta, stop - start)
    data = _spike_train("data_spikes", data_spikes)
    model = _spike_train("model_spikes", model_spikes)
    data = data[(data >= start) & (data < stop)]
    model = model[(model >= start) & (model < stop)]
    n_data, n_model = data.size, model.size
    if n_data + n_model == 0:
        return float("nan")
    rate = n_model / (stop - start)  # spikes per ms
    normalisation = 1.0 - 2.0 * rate * delta
    if normalisation <= 0:
        return float("nan")
    coincidences = _count_coincidences(data, model, delta)
    expected = 2.0 * rate * delta * n_data
    return float((coincidences - expected) / (0.5 * (n_data + n_model)) / normalisation)


def gamma_terms(data, model, window, delta):
    """(numerator, denominator) of one sweep's Gamma, so sweeps can be pooled."""
    start, stop = window
    data = np.sort(np.asarray(data, dtype=float).ravel())
    model = np.sort(np.asarray(model, dtype=float).ravel())
    data = data[(data >= start) & (data < stop)]
    model = model[(model >= start) & (model < stop)]
    rate = model.size / (stop - start)  # spikes per ms
    chance = 2.0 * rate * delta
    numerator = _count_coincidences(data, model, delta) - chance * data.size
    return numerator, 0.5 * (data.size + model.size) * (1.0 - chance)


def pooled_coincidence_factor(data_trains, model_trains, windows, delta=DEFAULT_DELTA) -> float:
    """Gamma with coincidences pooled over sweeps.

    ``sum_k (N_coinc,k - 2 nu_k Delta N_data,k) / sum_k 0.5 (N_data,k +
    N_model,k)(1 - 2 nu_k Delta)``: each sweep's terms of
    :func:`coincidence_factor`, added before dividing, so a sweep with one
    spike weighs one spike, not a whole sweep. 1 for identical trains.

    Parameters
    ----------
    data_trains, model_trains : sequence of array_like
        Spike times in ms, one array per sweep.
    windows : sequence of (start, stop)
        The window of each sweep, ms.
    delta : float, optional
        Coincidence precision in ms (default 4).

    Returns
    -------
    float
        NaN if no sweep has a spike or the denominator is not positive.
    """
    for name, given in (("data_trains", data_trains), ("model_trains", model_trains),
                        ("windows", windows)):
        if not isinstance(given, (list, tuple)):
            raise TypeError(
                f"{name} must be a list with one entry per sweep, but got {type(given).__name__}."
            )
    if not len(data_trains) == len(model_trains) == len(windows):
        raise ValueError(
            f"data_trains, model_trains and windows must have one entry per sweep each, but "
            f"have {len(data_trains)}, {len(model_trains)} and {len(windows)}."
        )
    windows = [check_window(w, f"windows[{k}]") for k, w in enumerate(windows)]
    data_trains = [_spike_train(f"data_trains[{k}]", t) for k, t in enumerate(data_trains)]
    model_trains = [_spike_train(f"model_trains[{k}]", t) for k, t in enumerate(model_trains)]
    shortest = min((stop - start for start, stop in windows), default=np.inf)
    delta = _check_delta(delta, shortest)
    numerator = denominator = 0.0
    for data, model, window in zip(data_trains, model_trains, windows, strict=True):
        top, bottom = gamma_terms(data, model, window, delta)
        numerator += top
        denominator += bottom
    return float(numerator / denominator) if denominator > 0 else float("nan")


N_BOOTSTRAP = 1000
"""Resamples of the sweeps for the bootstrap intervals of Gamma."""


def pooled_with_bootstrap(model_terms: np.ndarray, own_terms: np.ndarray, rng):
    """Pooled Gamma (model), pooled Gamma (cell vs itself), and 95 % intervals.

    ``*_terms`` hold one (numerator, denominator) row per sweep. The sweeps
    are resampled with replacement :data:`N_BOOTSTRAP` times; the same
    resample serves both Gammas, so their ratio's interval is consistent.
    Returns ``gamma, intrinsic, (gamma_interval, intrinsic_interval,
    ratio_interval)``, NaN where undefined (fewer than 2 sweeps, or a
    denominator that is not positive).
    """

    def pooled(terms, rows=None):
        chosen = terms if rows is None else terms[rows]
        top, bottom = chosen[..., 0].sum(axis=-1), chosen[..., 1].sum(axis=-1)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(bottom > 0, top / np.where(bottom > 0, bottom, 1.0), np.nan)

    n = len(model_terms)
    gamma = float(pooled(model_terms)) if n else float("nan")
    intrinsic = float(pooled(own_terms)) if n else float("nan")
    nan_pair = (float("nan"), float("nan"))
    if n < 2:
        return gamma, intrinsic, (nan_pair, nan_pair, nan_pair)
    rows = rng.integers(0, n, size=(N_BOOTSTRAP, n))
    model, own = pooled(model_terms, rows), pooled(own_terms, rows)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(own > 0, model / np.where(own > 0, own, 1.0), np.nan)

    def interval(values):
        values = values[np.isfinite(values)]
        if values.size < N_BOOTSTRAP // 2:
            return nan_pair
        low, high = np.percentile(values, [2.5, 97.5])
        return (float(low), float(high))

    return gamma, intrinsic, (interval(model), interval(own), interval(ratio))

"""What the spiking fits share: the training data of the test steps, the
loss, and the searches (grids, cross-entropy rounds, a compass polish).

The loss of a candidate is ``f-I RMS error / RATE_SCALE + timing error``
(see :mod:`course_utils.fitting`). Units: ms, mV, pA, Hz.
"""

from __future__ import annotations

import time as _time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from .._validation import as_bool
from ..data import Recording, RecordingError
from ._recording import excluded_sweeps, sweep_detections
from ._scoring import score_model
from ._simulation import run_candidates

if TYPE_CHECKING:
    from ._scoring import Scores

RATE_SCALE = 10.0
"""Rate error (Hz) that costs as much as the largest spike-timing error in the loss."""

TIMING_CAP = 20.0
"""Spike-time differences (ms) above this count as this much in the loss."""


@dataclass
class ModelFit:
    """A fitted spiking model.

    Attributes
    ----------
    model : str
        ``"lif"``, ``"adex"`` or ``"izhikevich"``.
    parameters : dict
        Keyword arguments for ``simulate_lif`` / ``simulate_adex`` /
        ``simulate_izhikevich`` (units as there: pF, nS, mV, ms, pA).
    loss : float
        Best training loss (f-I RMS / 10 Hz + timing error, see
        :mod:`course_utils.fitting`).
    train_scores : Scores
        Scores on the training sweeps.
    n_candidates : int
        Parameter sets simulated.
    elapsed : float
        Wall-clock time in s.
    sweeps : list of int
        Training sweep indices.
    at_bounds : list of str
        Parameters that ended on a bound of the search, with their values:
        the fit wanted to go further, so the value is a limit, not an
        estimate.
    derived : dict
        Quantities the parameters imply but do not show (Izhikevich:
        :func:`izhikevich_properties`); empty for LIF and AdEx.
    """

    model: str
    parameters: dict
    loss: float
    train_scores: Scores
    n_candidates: int
    elapsed: float
    sweeps: list[int] = field(default_factory=list)
    at_bounds: list = field(default_factory=list)
    derived: dict = field(default_factory=dict)


def finished_fit(model, recording, parameters, search, *, dt, series_resistance, started):
    """The :class:`ModelFit` of a search, scored on its training sweeps.

    ``search`` holds the search's ``loss``, ``n_candidates`` and
    ``at_bounds`` (and ``derived``, if any); ``started`` is the
    ``time.perf_counter()`` at the start of the fit, for ``elapsed`` (s).
    """
    return ModelFit(
        model=model,
        parameters=parameters,
        loss=search["loss"],
        train_scores=score_model(
            recording, model, parameters, dt=dt, series_resistance=series_resistance
        ),
        n_candidates=search["n_candidates"],
        elapsed=_time.perf_counter() - started,
        sweeps=[s.index for s in recording.sweeps],
        at_bounds=search["at_bounds"],
        derived=search.get("derived", {}),
    )


@dataclass
class StepData:
    """The test step of each training sweep, in the form the searches use."""

    amplitudes: np.ndarray  # pA
    durations: np.ndarray  # ms
    data_rates: np.ndarray  # Hz
    data_spikes: list  # ms from step onset
    duration: float  # ms, longest step


def step_data(recording: Recording) -> StepData:
    """Test steps of the sweeps a spiking fit uses.

    Sweeps whose test step is negative are left out: no candidate spikes
    there unless it also fires at 0 pA, which the 0 pA sweep (if any) and
    the positive ones already penalise. So are sweeps in depolarisation
    block or with failed spikes: no point model can reproduce those.
    """
    steps = recording.test_steps()
    detections = sweep_detections(recording)
    excluded = excluded_sweeps(recording, detections)
    chosen = [
        k
        for k, step in enumerate(steps)
        if step.amplitude >= 0 and recording.sweeps[k].index not in excluded
    ]
    spikes = []
    for k in chosen:
        times, step = detections[k].times, steps[k]
        spikes.append(times[step.contains(times)] - step.start)
    if not any(t.size for t in spikes):
        raise RecordingError(
            f"{recording.file_name}: no usable sweep has spikes in its test step (sweeps in "
            "depolarisation block or with failed spikes are left out), so there is nothing "
            "to fit a spiking model to. Choose a recording whose steps evoke spikes."
        )
    durations = np.array([steps[k].duration for k in chosen])
    counts = np.array([t.size for t in spikes])
    return StepData(
        amplitudes=np.array([steps[k].amplitude for k in chosen]),
        durations=durations,
        data_rates=counts / durations * 1000.0,
        data_spikes=spikes,
        duration=float(durations.max()),
    )


def _timing_error(data: np.ndarray, model: np.ndarray) -> float:
    """Mean |difference| of the k-th data and k-th model spike times, capped, in [0, 1].

    Spikes are paired in order; unpaired spikes count as the cap. Unlike
    Gamma this changes smoothly with the parameters, which guides a search.
    """
    n = max(data.size, model.size)
    if n == 0:
        return 0.0
    paired = min(data.size, model.size)
    errors = np.minimum(np.abs(data[:paired] - model[:paired]), TIMING_CAP)
    return float((errors.sum() + (n - paired) * TIMING_CAP) / (n * TIMING_CAP))


def loss_of_trains(trains, data: StepData, n_candidates: int) -> np.ndarray:
    """Loss of each candidate from its model spike trains (candidate-major)."""
    n_sweeps = data.amplitudes.size
    losses = np.empty(n_candidates)
    for c in range(n_candidates):
        rows = [
            r[r < d]
            for r, d in zip(trains[c * n_sweeps : (c + 1) * n_sweeps], data.durations, strict=True)
        ]
        rates = np.array([r.size for r in rows]) / data.durations * 1000.0
        fi_rms = np.sqrt(np.mean((rates - data.data_rates) ** 2))
        timing = np.mean([_timing_error(d, r) for d, r in zip(data.data_spikes, rows, strict=True)])
        losses[c] = fi_rms / RATE_SCALE + timing
    return losses


def candidate_losses(model: str, table: dict, data: StepData, dt: float) -> np.ndarray:
    """Loss of every candidate (rows of ``table``, keyword arrays of the
    model's solver) on the test steps: one simulation of candidates x steps."""
    trains, n_candidates = run_candidates(model, table, data, dt)
    return loss_of_trains(trains, data, n_candidates)


def progress_bar(total, description, enabled):
    """A tqdm bar of ``total`` ticks, hidden unless ``enabled`` (the ``progress`` argument)."""
    from tqdm.auto import tqdm

    enabled = as_bool("progress", enabled)
    return tqdm(total=total, desc=description, disable=not enabled, leave=False)


def bound_report(values: dict, bounds: dict, rtol=0.01) -> list[str]:
    """Names of parameters within ``rtol`` of the width of their range from a bound."""
    hits = []
    for name, (low, high, unit) in bounds.items():
        if name not in values:
            continue
        value = values[name]
        if low > 0 and high / low > 50:  # searched on a log scale
            span = np.log(high / low)
            near = min(abs(np.log(value / low)), abs(np.log(high / value))) < rtol * span
        else:
            near = min(abs(value - low), abs(high - value)) < rtol * (high - low)
        if near:
            side = "lower" if abs(value - low) < abs(high - value) else "upper"
            edge = low if side == "lower" else high
            hits.append(f"{name} = {value:.4g} {unit} (on its {side} bound {edge:g})")
    return hits


ELITE = 16
"""Candidates kept from each search round (AdEx, Izhikevich) to centre the next one."""


def box_values(unit_points: np.ndarray, box) -> np.ndarray:
    """Points of the unit cube -> parameter values, one column per entry of ``box``."""
    unit_points = np.atleast_2d(unit_points)
    values = np.empty_like(unit_points)
    for i, (_, low, high, log, _) in enumerate(box):
        if log:
            values[:, i] = np.exp(np.log(low) + unit_points[:, i] * (np.log(high) - np.log(low)))
        else:
            values[:, i] = low + unit_points[:, i] * (high - low)
    return values


def box_at_bounds(point: np.ndarray, box) -> list[str]:
    """The parameters of ``box`` whose value at ``point`` (unit cube) is on an edge."""
    values = box_values(point, box)[0]
    return [
        f"{name} = {value:.4g} {unit} (on the {'lower' if p < 0.5 else 'upper'} bound "
        f"{low if p < 0.5 else high:g} of its search range)"
        for (name, low, high, _, unit), value, p in zip(box, values, point, strict=True)
        if min(p, 1.0 - p) < 0.005
    ]


def _compass_search(point, loss, batch_loss, *, step=0.05, smallest=0.002, max_rounds=40):
    """Local polish in the unit cube: try +-step along every axis at once.

    Each round evaluates the 2 x n_dims neighbours in one batch (one
    simulation), moves to the best if it improves the loss, and halves the
    step otherwise.
    """
    n_dims = point.size
    evaluations = 0
    for _ in range(max_rounds):
        if step < smallest:
            break
        moves = np.vstack([np.eye(n_dims), -np.eye(n_dims)]) * step
        neighbours = np.clip(point + moves, 0.0, 1.0)
        losses = batch_loss(neighbours)
        evaluations += len(neighbours)
        best = int(np.argmin(losses))
        if losses[best] < loss:
            point, loss = neighbours[best], float(losses[best])
        else:
            step /= 2
    return point, loss, evaluations


def check_rounds(rounds) -> tuple:
    """The candidates per search round as a tuple of whole numbers >= 2."""
    try:
        sizes = tuple(int(size) for size in rounds)
    except (TypeError, ValueError):
        sizes = ()
    if not sizes or any(
        size < 2 or size != float(given) for size, given in zip(sizes, rounds, strict=True)
    ):
        raise ValueError(
            "rounds must be a non-empty sequence of whole numbers >= 2 (candidates per "
            f"search round), e.g. (1024, 256, 256, 256), but got {rounds!r}."
        )
    return sizes


def _cross_entropy_search(model, box, make_table, data, dt, rng, rounds, bar, centre_on_best=False):
    """Search the unit cube of ``box`` for the candidate with the smallest loss.

    Round 1 samples the whole cube with a scrambled Sobol sequence; each
    later round draws from a normal distribution with the mean and standard
    deviation (+ 0.01) of the best :data:`ELITE` candidates so far (the
    cross-entropy method). :func:`_compass_search` then polishes the best.
    ``make_table`` turns unit-cube points into keyword arrays of the
    model's simulator. Returns ``(point, loss, n_candidates)``.
    """
    from scipy.stats import qmc

    def batch_loss(points):
        return candidate_losses(model, make_table(points), data, dt)

    n_dims = len(box)
    all_points, all_losses = [], []
    centre, spread = None, None
    for size in rounds:
        if centre is None:
            points = qmc.Sobol(d=n_dims, scramble=True, seed=rng).random(size)
        else:
            points = np.clip(rng.normal(centre, spread, size=(size, n_dims)), 0.0, 1.0)
        all_points.append(points)
        all_losses.append(batch_loss(points))
        points_so_far = np.vstack(all_points)
        elite = points_so_far[np.argsort(np.concatenate(all_losses))[:ELITE]]
        # the elite's mean, or its best point (for a loss with several valleys,
        # whose mean can fall between them)
        centre = elite[0] if centre_on_best else elite.mean(axis=0)
        spread = elite.std(axis=0) + 0.01
        bar.update()
    points_so_far = np.vstack(all_points)
    losses_so_far = np.concatenate(all_losses)
    best = int(np.argmin(losses_so_far))
    point, loss, n_polish = _compass_search(
        points_so_far[best], float(losses_so_far[best]), batch_loss
    )
    return point, loss, int(losses_so_far.size) + n_polish


def box_search(model, box, make_table, recording, *, dt, rng, rounds, progress, label,
               centre_on_best=False):
    """Fit ``model``'s parameters in ``box`` to the test steps of ``recording``.

    :func:`_cross_entropy_search` (one progress-bar tick per round, titled
    ``label``), then the best point as the solver's keyword arguments.
    Returns ``(parameters, search)``, ``search`` holding ``loss``,
    ``n_candidates`` and ``at_bounds`` (see :func:`finished_fit`).
    """
    data = step_data(recording)
    bar = progress_bar(len(rounds), label, progress)
    point, loss, n_candidates = _cross_entropy_search(
        model, box, make_table, data, dt, rng, rounds, bar, centre_on_best=centre_on_best
    )
    bar.close()
    parameters = {name: float(values[0]) for name, values in make_table(point).items()}
    search = {"loss": loss, "n_candidates": n_candidates, "at_bounds": box_at_bounds(point, box)}
    return parameters, search

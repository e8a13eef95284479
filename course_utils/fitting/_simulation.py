"""Running a spiking model on a recording: the one place that maps a model's
name to its solver.

Units: ms, mV, pA (the solvers' keyword arguments keep theirs).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .._validation import as_float
from ..neurons.registry import MODELS as REGISTRY
from ..neurons.registry import get_model
from ._recording import check_recording, model_dt, resample_recording

if TYPE_CHECKING:
    from ._search import StepData


MODELS = tuple(REGISTRY)
"""The spiking models the fits, :func:`simulate_sweeps` and :func:`score_model` know
(those of :data:`course_utils.neurons.MODELS`, the course's model registry)."""


def _solver(model):
    """The course solver of ``model`` (one of :data:`MODELS`), from the model registry.

    The searches (:func:`run_candidates`) and :func:`simulate_sweeps` (hence
    :func:`score_model`) all go through it.
    """
    return get_model(model).simulate


def _check_parameters(parameters, simulate):
    """A dict of keyword arguments of ``simulate`` (the model's parameters)."""
    import inspect

    if not isinstance(parameters, dict):
        raise TypeError(
            "parameters must be a dict of the model's parameters (e.g. fit.parameters), "
            f"but got {type(parameters).__name__}."
        )
    accepted = set(inspect.signature(simulate).parameters) - {"duration", "dt", "current"}
    unknown = sorted(set(parameters) - accepted)
    if unknown:
        raise TypeError(
            f"parameters has keys the model does not take: {', '.join(map(repr, unknown))}; "
            f"it takes {', '.join(sorted(accepted))}."
        )


def simulate_sweeps(recording, model, parameters, *, dt=0.1, series_resistance=0.0):
    """Simulate a model on every sweep of a recording, with its command current.

    Parameters
    ----------
    recording : Recording
    model : {"lif", "adex", "izhikevich"}
    parameters : dict
        Keyword arguments of ``simulate_lif`` / ``simulate_adex`` /
        ``simulate_izhikevich``.
    dt : float, optional
        Time step in ms (default 0.1).
    series_resistance : float, optional
        R_s in GOhm: ``predicted`` adds R_s I(t) to the membrane potential,
        as the recording does (default 0).

    Returns
    -------
    result : SimulationResult
        One neuron per sweep, started at rest (E_L).
    predicted : numpy.ndarray
        The voltage the electrode would record, ``result.voltage + R_s I``
        (n_sweeps, n_steps), mV.
    data_voltage : numpy.ndarray
        The recorded voltage at the model's time points (n_sweeps, n_steps).
    """
    recording = check_recording(recording)
    dt = model_dt(dt)
    simulate = _solver(model)
    _check_parameters(parameters, simulate)
    grid, voltage, command = resample_recording(recording, dt)
    series_resistance = as_float("series_resistance", series_resistance, unit="GOhm")
    result = simulate(duration=grid.size * dt, dt=dt, current=command, **parameters)
    return result, result.voltage + series_resistance * command, voltage


def run_candidates(model: str, table: dict, data: StepData, dt: float):
    """Simulate every candidate (rows of ``table``) on every step; return spike trains."""
    n_candidates = len(next(iter(table.values())))
    n_sweeps = data.amplitudes.size
    per_neuron = {
        name: np.repeat(np.asarray(v, dtype=float), n_sweeps) for name, v in table.items()
    }
    bias = np.tile(data.amplitudes, n_candidates)
    result = _solver(model)(
        duration=data.duration, dt=dt, bias_current=bias, record_voltage=False, **per_neuron
    )
    return result.spike_times, n_candidates

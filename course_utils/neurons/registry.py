"""The spiking models by name: one registry that fits and explorers dispatch through.

``get_model("adex").simulate(...)`` instead of an ``if model == "lif"``
chain in every caller; a new model is added here once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from . import adex, izhikevich, lif

__all__ = ["MODELS", "Model", "get_model"]


@dataclass(frozen=True)
class Model:
    """A spiking point-neuron model.

    Attributes
    ----------
    name : str
        Its key in :data:`MODELS` ("lif", "adex", "izhikevich").
    title : str
        Its name in plain words, for figures and messages.
    simulate : callable
        The solver, returning a :class:`~course_utils.neurons.SimulationResult`.
    parameter_names : tuple of str
        The per-neuron parameters ``simulate`` takes, each declared in
        :data:`course_utils.parameters.PARAMETERS`.
    traces : tuple of str
        Keys of ``SimulationResult.traces`` it records besides the voltage.
    """

    name: str
    title: str
    simulate: Callable
    parameter_names: tuple
    traces: tuple


MODELS = {
    "lif": Model("lif", "LIF", lif.simulate_lif, lif.PARAMETER_NAMES, ()),
    "adex": Model("adex", "AdEx", adex.simulate_adex, adex.PARAMETER_NAMES, ("adaptation",)),
    "izhikevich": Model(
        "izhikevich", "Izhikevich", izhikevich.simulate_izhikevich,
        izhikevich.PARAMETER_NAMES, ("recovery",),
    ),
}
"""The spiking models, by name."""


def get_model(model) -> Model:
    """The :class:`Model` called ``model``, or a ValueError listing the choices.

    Parameters
    ----------
    model : str
        The model's name: "lif", "adex" or "izhikevich".

    Returns
    -------
    Model
    """
    if not isinstance(model, str) or model not in MODELS:
        choices = [repr(key) for key in MODELS]
        listing = ", ".join(choices[:-1]) + f" or {choices[-1]}"
        raise ValueError(f"model must be {listing}, but got {model!r}.")
    return MODELS[model]

"""Interactive explorers for the lessons (ipywidgets + matplotlib)."""

from .explorer import (
    Explorer,
    brian_lif_explorer,
    integration_explorer,
    izhikevich_explorer,
    lif_explorer,
    make_explorer,
    noisy_lif_explorer,
    passive_explorer,
    psp_explorer,
    recording_explorer,
    slider,
    stepping_explorer,
    synapse_explorer,
)

__all__ = [
    "Explorer",
    "brian_lif_explorer",
    "integration_explorer",
    "izhikevich_explorer",
    "lif_explorer",
    "make_explorer",
    "noisy_lif_explorer",
    "passive_explorer",
    "psp_explorer",
    "recording_explorer",
    "slider",
    "stepping_explorer",
    "synapse_explorer",
]

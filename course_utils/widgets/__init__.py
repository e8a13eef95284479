"""Interactive explorers for the lessons (ipywidgets + matplotlib).

``explorer`` holds the generic machinery (:class:`Slider` specifications as
data, :func:`make_explorer`, :class:`Explorer`); each lesson topic has its own
module of explorers built on it:

===========  ==========================================================
explorer     Slider, slider, make_explorer, Explorer (the generic part)
synaptic     synapse_explorer, stepping_explorer (lesson 1)
membrane     passive_explorer, psp_explorer (lesson 2), integration_explorer
             (lesson 4)
lif          lif_explorer, noisy_lif_explorer (lesson 3)
brian        brian_lif_explorer (lesson 4)
izhikevich   izhikevich_explorer (lesson 4)
recordings   recording_explorer (lesson 5)
===========  ==========================================================

Importing the package imports none of ipywidgets, matplotlib, Brian2 or
numba: each explorer imports what it needs when it is called.
"""

from .brian import brian_lif_explorer
from .explorer import Explorer, Slider, make_explorer, slider
from .izhikevich import izhikevich_explorer
from .lif import lif_explorer, noisy_lif_explorer
from .membrane import integration_explorer, passive_explorer, psp_explorer
from .recordings import recording_explorer
from .synaptic import stepping_explorer, synapse_explorer

__all__ = [
    "Explorer",
    "Slider",
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

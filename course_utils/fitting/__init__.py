"""Fitting point-neuron models to a current-clamp recording, and scoring them."""

from ._passive import *  # noqa: F403
from ._passive import __all__  # noqa: F401

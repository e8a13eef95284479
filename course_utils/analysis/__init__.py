"""Spike detection, rates, intervals, f-I curves and electrophysiology features."""

from ._spikes import *  # noqa: F403
from ._spikes import __all__  # noqa: F401

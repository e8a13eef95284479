"""Point-neuron solvers and the analytic results to check them against."""

from .lif import *  # noqa: F403
from .lif import __all__  # noqa: F401

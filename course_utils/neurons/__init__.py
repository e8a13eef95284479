"""Point-neuron solvers and the analytic results to check them against.

Units: time in ms, voltage in mV, current in pA, conductance in nS,
capacitance in pF, resistance in GOhm, rate in Hz (see :mod:`course_utils`).

Modules
-------
- :mod:`~course_utils.neurons.analytic` - exact results: membrane time
  constant, input resistance, passive step response, LIF rheobase and f-I curve.
- :mod:`~course_utils.neurons.lif` - :func:`simulate_lif`, the leaky
  integrate-and-fire neuron, with injected current and optional excitatory /
  inhibitory synaptic conductances,

      C dV/dt = g_L (E_L - V) + g_e(t) (E_e - V) + g_i(t) (E_i - V) + I(t),

  and :func:`simulate_passive`, the same membrane without threshold.
- :mod:`~course_utils.neurons.adex` - :func:`simulate_adex`, the adaptive
  exponential integrate-and-fire neuron (Brette & Gerstner 2005).
- :mod:`~course_utils.neurons.izhikevich` - :func:`simulate_izhikevich`,
  Izhikevich's (2003) quadratic model with a recovery variable, with his
  published cell types in :data:`IZHIKEVICH_CELL_TYPES`.
- :mod:`~course_utils.neurons.result` - :class:`SimulationResult`.
- :mod:`~course_utils.neurons.registry` - the models by name
  (:data:`MODELS`, :func:`get_model`).
- :mod:`~course_utils.neurons.solver` and :mod:`~course_utils.neurons.kernels`
  - the path every solver shares (arguments, backend, spike buffer) and the
  compiled kernels.

Every parameter is a number or a 1-D array with one value per neuron; the
arrays broadcast together, so 10,000 neurons with different constant
currents are one call (``bias_current=np.linspace(...)``), with no
(neurons x steps) input array. Each parameter is declared once, with its
unit and range, in :data:`course_utils.parameters.PARAMETERS`.

Step order
----------
A time-stepped integrate-and-fire model has to decide at which time a spike
"happens" and when the refractory period starts. Two conventions are
implemented and the lessons compare them:

``step_order="textbook"``
    Integrate V(t) -> V(t + dt); if V(t + dt) >= threshold, the spike time
    is t + dt, V(t + dt) is set to the reset value and the refractory
    period starts at t + dt.
``step_order="brian2"``
    Brian2's default schedule (StateMonitor records v(t); refractory
    neurons do not integrate; integrate t -> t + dt; threshold test on the
    new v, but the spike is labelled with t, the START of the step; reset;
    ``lastspike = t``). This reproduces Brian2's spike times exactly. Its
    first spike comes 1 dt earlier than in the textbook order and, for a
    constant input and a refractory period of at least one step, every
    inter-spike interval is 1 dt shorter.

In both orders the refractory period is counted in whole steps the way
Brian2 counts it, ``int(refractory_period / dt + 1e-3)`` (a period that is
not a multiple of dt is rounded down), so no floating-point drift can add or
remove a step (:func:`course_utils._arguments.refractory_steps`).

Backends
--------
``backend="numpy"`` loops over time steps in Python and is vectorised over
neurons. ``backend="numba"`` runs a compiled kernel: LIF neurons in chunks of
256, chunks in parallel threads, the neurons of a chunk vectorised; AdEx and
Izhikevich neurons one per parallel task. It is compiled on first use and
cached on disk (a later process loads it in ~0.3 s), never at import time.
``backend="auto"`` (the default) uses numba if it is installed and either
its kernel is already compiled in this process or the run is large enough to
repay compiling it (:data:`~course_utils.neurons.solver.SMALL_RUN_SECONDS`);
otherwise numpy, so a lesson's first small simulation never waits seconds
for a compiler. A lesson that runs large simulations later starts
:func:`compile_in_background` in its first cell, so the kernels are compiled on
another core while the student reads. Both backends perform the same
floating-point operations in the same order (no fastmath), so they agree to
rounding (~1e-13 mV) and give identical spike times.
"""

from .adex import simulate_adex
from .analytic import (
    input_resistance,
    lif_firing_rate,
    lif_rheobase,
    membrane_time_constant,
    passive_step_response,
)
from .background import compile_in_background
from .izhikevich import (
    IZHIKEVICH_CELL_NAMES,
    IZHIKEVICH_CELL_TYPES,
    izhikevich_resting_potential,
    simulate_izhikevich,
)
from .lif import simulate_lif, simulate_passive
from .registry import MODELS, Model, get_model
from .result import SimulationResult
from .solver import BACKENDS, STEP_ORDERS

__all__ = [
    "BACKENDS",
    "IZHIKEVICH_CELL_NAMES",
    "IZHIKEVICH_CELL_TYPES",
    "MODELS",
    "STEP_ORDERS",
    "compile_in_background",
    "Model",
    "SimulationResult",
    "get_model",
    "input_resistance",
    "izhikevich_resting_potential",
    "lif_firing_rate",
    "lif_rheobase",
    "membrane_time_constant",
    "passive_step_response",
    "simulate_adex",
    "simulate_izhikevich",
    "simulate_lif",
    "simulate_passive",
]

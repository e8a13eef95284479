"""Fitting point-neuron models to a current-clamp recording, and scoring them.

Units: time in ms, voltage in mV, current in pA, conductance in nS,
capacitance in pF, resistance in GOhm, rate in Hz (see :mod:`course_utils`).

The fits run the course's own vectorised solvers
(:func:`course_utils.neurons.simulate_lif` and
:func:`~course_utils.neurons.simulate_adex`): every candidate parameter set
and every sweep is one "neuron" of a single call, so a whole search round
is one simulation.

Procedure
---------
0. :func:`course_utils.analysis.assess_recording` - refuses, with a message
   a student can act on, a recording the models cannot describe (resting
   potential, input resistance, noise, no spikes).
1. :func:`fit_passive` - the subthreshold membrane: C, g_L, E_L, a slow
   sag current (a, tau_w) and the electrode's series resistance R_s (see
   :class:`PassiveFit`), by ``scipy.optimize.least_squares`` on spike-free
   windows around hyperpolarising steps (so cells with spontaneous or
   rebound spikes fit too). ``sag=False`` fits a plain RC membrane,
   ``C dV/dt = g_L (E_L - V) + I(t)``.
2. :func:`fit_lif` - threshold, reset and refractory period of a LIF neuron
   with the membrane of step 1, by a grid search and a finer grid around
   the best point.
3. :func:`fit_adex` - the spiking AdEx parameters (V_T, Delta_T, V_reset,
   b; C, g_L, E_L, a, tau_w from step 1) by a cross-entropy search (a
   Sobol round, then rounds drawn around the best candidates) and a
   compass-search polish.

The spiking fits simulate the test step only (of the sweeps where it is
>= 0 pA and that neither go into depolarisation block nor have failed
spikes, which no point model makes): before the step the cell sits at rest
with no injected current,
so the model starts at V = E_L (and w = 0) at the step onset, with the
step current as a constant. Their loss
is ``f-I RMS error / 10 Hz + timing error``, where the timing error of a
sweep pairs the k-th model spike with the k-th data spike and averages
``min(|difference|, 20 ms) / 20 ms`` (unpaired spikes count 1), then is
averaged over sweeps. It changes smoothly with the parameters, unlike the
coincidence factor, which is kept for scoring.

Scores (:func:`score_model`, on held-out sweeps, full sweeps with the
recorded command):

* f-I error: RMS over sweeps of model rate - data rate in the test step, Hz;
* coincidence factor Gamma, coincidences pooled over the sweeps whose test
  step has data spikes (:func:`pooled_coincidence_factor`), beside the
  cell's own repeatability (the same pooled Gamma between the test step
  and its repeat in the same sweep, steps B and E) and with 95 % bootstrap
  intervals over sweeps;
* subthreshold voltage RMSE in mV over the whole sweep, leaving out
  ``[-2, +10] ms`` around every data or model spike.

Every fit reports in ``at_bounds`` the parameters that ended on an edge of
their search range.

Time step: the fits and scores run at ``dt = 0.1 ms`` by default; the
recording (0.05 ms here) is read at the model's time points.

Layout
------
One private module per concern; every public name is importable from
:mod:`course_utils.fitting` itself.

``_recording``
    the model's time step, :func:`split_sweeps`, :func:`resample_recording`,
    :func:`repeated_steps`, the spikes of each sweep;
``_coincidence``
    :func:`coincidence_factor`, :func:`pooled_coincidence_factor` and the
    bootstrap of the pooled Gamma;
``_passive``
    :class:`PassiveFit`, :func:`fit_passive`;
``_simulation``
    :data:`MODELS`, the one map from a model's name to its solver,
    :func:`simulate_sweeps`;
``_search``
    what the spiking fits share: :class:`ModelFit`, the loss, the searches;
``_lif``, ``_adex``, ``_izhikevich``
    :func:`fit_lif`, :func:`fit_adex`, :func:`fit_izhikevich` (with
    :func:`shift_izhikevich` and :func:`izhikevich_properties`);
``_scoring``
    :class:`Scores`, :func:`score_model`;
``_pipeline``
    :class:`FitReport`, :func:`fit_all`.
"""

from ._adex import SPIKE_THRESHOLD, fit_adex
from ._coincidence import (
    DEFAULT_DELTA,
    N_BOOTSTRAP,
    coincidence_factor,
    pooled_coincidence_factor,
)
from ._izhikevich import (
    IZHIKEVICH_COEFFICIENTS,
    fit_izhikevich,
    izhikevich_properties,
    shift_izhikevich,
)
from ._lif import fit_lif
from ._passive import PASSIVE_HISTORY, PASSIVE_LOOKBACKS, PassiveFit, fit_passive
from ._pipeline import FitReport, fit_all
from ._recording import repeated_steps, resample_recording, split_sweeps
from ._scoring import SPIKE_MASK, Scores, score_model
from ._search import ELITE, RATE_SCALE, TIMING_CAP, ModelFit
from ._simulation import MODELS, simulate_sweeps

__all__ = [
    "DEFAULT_DELTA",
    "ELITE",
    "FitReport",
    "IZHIKEVICH_COEFFICIENTS",
    "MODELS",
    "ModelFit",
    "N_BOOTSTRAP",
    "PASSIVE_HISTORY",
    "PASSIVE_LOOKBACKS",
    "RATE_SCALE",
    "SPIKE_MASK",
    "SPIKE_THRESHOLD",
    "TIMING_CAP",
    "PassiveFit",
    "Scores",
    "coincidence_factor",
    "fit_adex",
    "fit_all",
    "fit_izhikevich",
    "fit_lif",
    "fit_passive",
    "izhikevich_properties",
    "pooled_coincidence_factor",
    "repeated_steps",
    "resample_recording",
    "score_model",
    "shift_izhikevich",
    "simulate_sweeps",
    "split_sweeps",
]

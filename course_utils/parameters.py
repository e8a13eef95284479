"""Model parameters declared once: name, unit, bounds and meaning.

Every function that takes one of these parameters validates it through
:func:`validate`, so a value is refused the same way, with the same message
naming the argument, its unit and its allowed range, wherever it is passed
(in the spirit of scikit-learn's parameter constraints). A new model declares
its parameters here once.

The bounds are physical plausibility limits wide enough for any real cell, not
the typical values: they catch a wrong unit (a capacitance of 2e-10 given in
farads) or a sign slip, and they keep every computation finite.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validation import as_array, as_bool, as_float


@dataclass(frozen=True)
class Parameter:
    """One declared parameter.

    Attributes
    ----------
    unit : str
        Unit in the course's unit system.
    low, high : float
        Allowed range.
    low_open : bool
        ``low`` itself is not allowed (e.g. a diameter must be > 0).
    meaning : str
        What it is, in plain words.
    sign : {"", "positive", "nonnegative"}
        Checked before the range by the per-neuron solvers
        (:func:`course_utils._arguments.per_neuron`), with the plain message
        "must be greater than zero" or "must not be negative".
    """

    unit: str
    low: float
    high: float
    low_open: bool
    meaning: str
    sign: str = ""

    def __post_init__(self):
        for name in ("unit", "meaning", "sign"):
            if not isinstance(getattr(self, name), str):
                raise TypeError(f"{name} must be a str, but got {getattr(self, name)!r}.")
        # -inf / +inf: no limit on that side (an input current, a reversal potential).
        no_lower_limit = isinstance(self.low, float) and self.low == -np.inf
        low = self.low if no_lower_limit else as_float("low", self.low)
        high = as_float("high", self.high, allow_inf=True)
        if not low < high:
            raise ValueError(f"low ({low:g}) must be below high ({high:g}).")
        as_bool("low_open", self.low_open)
        if self.sign not in SIGNS:
            raise ValueError(f"sign must be one of {SIGNS}, but got {self.sign!r}.")


SIGNS = ("", "positive", "nonnegative")
"""Valid values of :attr:`Parameter.sign`."""

_ANY = (-np.inf, np.inf)  # bounds of a parameter that has no plausibility limit


PARAMETERS = {
    # Lower bounds far below any cell, but far above 0: tau = C / g_L stays finite.
    "membrane_capacitance": Parameter(
        "pF", 1e-3, 1e6, False, "membrane capacitance C", "positive"
    ),
    "leak_conductance": Parameter("nS", 1e-4, 1e5, False, "leak conductance g_L", "positive"),
    "leak_reversal": Parameter("mV", -200.0, 200.0, False, "leak reversal (resting) potential E_L"),
    # A threshold far above any voltage (1000 mV) is the usual way to switch spikes off.
    "threshold": Parameter("mV", -200.0, 1e4, False, "spike threshold V_th"),
    "dvdt_threshold": Parameter("mV/ms", 0.0, 1e4, True, "dV/dt at a spike's threshold"),
    "reset": Parameter("mV", -200.0, 200.0, False, "reset potential V_reset"),
    "refractory_period": Parameter(
        "ms", 0.0, 1e4, False, "refractory period t_ref", "nonnegative"
    ),
    "dt": Parameter("ms", 0.0, 1e4, True, "time step"),
    "duration": Parameter("ms", 0.0, 1e9, True, "duration of the run"),
    "diameter": Parameter("um", 0.0, 1e6, True, "diameter"),
    "length": Parameter("um", 0.0, 1e7, False, "length"),
    "membrane_area": Parameter("um^2", 1.0, 1e12, False, "membrane area"),
    "specific_capacitance": Parameter("uF/cm^2", 0.0, 100.0, True, "capacitance per area"),
    "specific_membrane_resistance": Parameter(
        "kOhm cm^2", 0.0, 1e6, True, "membrane resistance times area"
    ),
    "initial_voltage": Parameter("mV", -200.0, 200.0, False, "membrane potential at t = 0"),
    "membrane_potential": Parameter("mV", -500.0, 500.0, False, "membrane potential"),
    "reversal_potential": Parameter("mV", -200.0, 200.0, False, "reversal potential"),
    "rise_time": Parameter("ms", 0.0, 1e4, True, "synaptic rise time constant"),
    "decay_time": Parameter("ms", 0.0, 1e5, True, "synaptic decay time constant"),
    "peak_conductance": Parameter("nS", 0.0, 1e5, False, "peak conductance of one event"),
    "synaptic_conductance": Parameter("nS", 0.0, 1e5, False, "synaptic conductance over time"),
    "ion_conductance": Parameter("nS", 0.0, 1e7, False, "maximal conductance of an ion channel"),
    "slope_factor": Parameter("mV", 0.0, 100.0, True, "AdEx slope factor Delta_T", "positive"),
    "adaptation_coupling": Parameter("nS", -1e4, 1e4, False, "AdEx subthreshold adaptation a"),
    "spike_adaptation": Parameter("pA", -1e5, 1e5, False, "AdEx spike-triggered adaptation b"),
    "adaptation_time_constant": Parameter(
        "ms", 0.0, 1e6, True, "AdEx adaptation time constant tau_w", "positive"
    ),
    "stdp_amplitude": Parameter("nS", 0.0, 1e4, False, "STDP weight change per spike pair"),
    "quadratic_coefficient": Parameter(
        "1/(mV ms)", 0.0, 10.0, True, "Izhikevich k2 (0.04)", "positive"
    ),
    "linear_coefficient": Parameter("1/ms", -1e3, 1e3, False, "Izhikevich k1 (5)"),
    "constant_coefficient": Parameter("mV/ms", -1e5, 1e5, False, "Izhikevich k0 (140)"),
    "recovery_rate": Parameter(
        "1/ms", 0.0, 1e3, False, "Izhikevich recovery rate a", "positive"
    ),
    "recovery_sensitivity": Parameter("1/ms", -1e3, 1e3, False, "Izhikevich sensitivity b"),
    "recovery_jump": Parameter("mV/ms", -1e5, 1e5, False, "Izhikevich recovery jump d"),
    "initial_recovery": Parameter("mV/ms", *_ANY, False, "Izhikevich u at t = 0"),
    # Inputs and the solvers' other voltages: declared for their unit, with no
    # limit (a huge current is a legitimate way to drive a model to divergence).
    "bias_current": Parameter("pA", *_ANY, False, "constant injected current"),
    "excitatory_reversal": Parameter("mV", *_ANY, False, "excitatory reversal potential E_e"),
    "inhibitory_reversal": Parameter("mV", *_ANY, False, "inhibitory reversal potential E_i"),
    "rheobase_threshold": Parameter("mV", *_ANY, False, "AdEx rheobase threshold V_T"),
    "spike_cutoff": Parameter("mV", *_ANY, False, "voltage V_peak where a spike is cut"),
    "initial_adaptation": Parameter("pA", *_ANY, False, "AdEx adaptation current w at t = 0"),
}
"""The declared parameters, by name."""

STANDARD_CELL = {"membrane_capacitance": 200.0, "leak_conductance": 10.0, "leak_reversal": -70.0}
"""The course's standard point neuron: 200 pF, 10 nS, -70 mV (R = 0.1 GOhm, tau = 20 ms)."""

LIF_DEFAULTS = {"threshold": -50.0, "reset": -65.0, "refractory_period": 2.0}
"""The course's LIF spiking parameters (mV, mV, ms), used with :data:`STANDARD_CELL`."""


def _declared(argument, kind) -> Parameter:
    """The declaration of ``kind`` (or of ``argument``), or a clear error."""
    if not isinstance(argument, str):
        raise TypeError(f"argument must be the argument's name (a str), but got {argument!r}.")
    key = argument if kind is None else kind
    if not isinstance(key, str) or key not in PARAMETERS:
        raise ValueError(
            f"kind (or argument) must name a declared parameter, one of {sorted(PARAMETERS)}, "
            f"but got {key!r}."
        )
    return PARAMETERS[key]


def validate(argument: str, value, kind: str | None = None) -> float:
    """Return ``value`` as a float inside the declared range, or raise naming ``argument``.

    Parameters
    ----------
    argument : str
        The argument's name in the caller (named in the message).
    value : float
        The value passed.
    kind : str, optional
        Key of :data:`PARAMETERS` when it differs from ``argument`` (e.g.
        ``validate("soma_diameter", d, kind="diameter")``).

    Returns
    -------
    float
    """
    spec = _declared(argument, kind)
    number = as_float(argument, value, unit=spec.unit)
    check_bounds(argument, number, kind)
    return number


def check_bounds(argument: str, values, kind: str | None = None, allow_inf: bool = False):
    """Raise naming ``argument`` unless every value lies in the declared range.

    Parameters
    ----------
    argument : str
        The argument's name in the caller.
    values : float or numpy.ndarray
        Numbers already checked to be real (one per neuron, say).
    kind : str, optional
        Key of :data:`PARAMETERS` when it differs from ``argument``.
    allow_inf : bool, optional
        Let ``+inf`` through (a threshold of ``np.inf``: never spike).

    Returns
    -------
    The values, unchanged.
    """
    spec = _declared(argument, kind)
    allow_inf = as_bool("allow_inf", allow_inf)
    array = as_array(argument, values, unit=spec.unit, allow_nan=False) if not allow_inf else (
        np.asarray(values, dtype=float)
    )
    checked = array[~np.isposinf(array)] if allow_inf else array
    too_low = checked <= spec.low if spec.low_open else checked < spec.low
    too_high = checked > spec.high
    if np.any(too_low | too_high):
        worst = checked[too_low | too_high].flat[0]
        low = f"> {spec.low:g}" if spec.low_open else f">= {spec.low:g}"
        raise ValueError(
            f"{argument} ({spec.meaning}) must be {low} and <= {spec.high:g} {spec.unit}, "
            f"but got {worst:g}. Check its unit: the course uses {spec.unit}."
        )
    return values


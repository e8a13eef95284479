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

from ._validation import as_float


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
    """

    unit: str
    low: float
    high: float
    low_open: bool
    meaning: str


PARAMETERS = {
    "membrane_capacitance": Parameter("pF", 0.0, 1e6, True, "membrane capacitance C"),
    "leak_conductance": Parameter("nS", 0.0, 1e5, True, "leak conductance g_L"),
    "leak_reversal": Parameter("mV", -200.0, 200.0, False, "leak reversal (resting) potential E_L"),
    "threshold": Parameter("mV", -200.0, 200.0, False, "spike threshold V_th"),
    "reset": Parameter("mV", -200.0, 200.0, False, "reset potential V_reset"),
    "refractory_period": Parameter("ms", 0.0, 1e4, False, "refractory period t_ref"),
    "dt": Parameter("ms", 0.0, 1e4, True, "time step"),
    "duration": Parameter("ms", 0.0, 1e9, True, "duration of the run"),
    "diameter": Parameter("um", 0.0, 1e6, True, "diameter"),
    "length": Parameter("um", 0.0, 1e7, False, "length"),
}
"""The declared parameters, by name."""

STANDARD_CELL = {"membrane_capacitance": 200.0, "leak_conductance": 10.0, "leak_reversal": -70.0}
"""The course's standard point neuron: 200 pF, 10 nS, -70 mV (R = 0.1 GOhm, tau = 20 ms)."""

LIF_DEFAULTS = {"threshold": -50.0, "reset": -65.0, "refractory_period": 2.0}
"""The course's LIF spiking parameters (mV, mV, ms), used with :data:`STANDARD_CELL`."""


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
    spec = PARAMETERS[kind or argument]
    number = as_float(argument, value, unit=spec.unit)
    too_low = number <= spec.low if spec.low_open else number < spec.low
    if too_low or number > spec.high:
        low = f"> {spec.low:g}" if spec.low_open else f">= {spec.low:g}"
        raise ValueError(
            f"{argument} ({spec.meaning}) must be {low} and <= {spec.high:g} {spec.unit}, "
            f"but got {number:g}. Check its unit: the course uses {spec.unit}."
        )
    return number


"""Checkers for Lesson 2, "A first neuron".

Units: time in ms, voltage in mV, current in pA, conductance in nS,
capacitance in pF, length in um (see :mod:`course_utils`).

Each checker probes the student's function or class with a few small
inputs and recognises the typical mistakes of the exercise: area formulas
that give half the side of a cylinder or mix a sphere with a cylinder,
unit slips by a power of ten (um^2 vs cm^2, uF vs pF, kOhm vs Ohm), a leak
with the wrong sign, an update that forgets dt or the division by C, a time
axis with t = 0 twice or the wrong number of samples, a ``continue_for``
that repeats the boundary point, and a sine input in the wrong units. The
reference values are hand formulas and :mod:`course_utils.simulator`,
which is tested against the analytic solution and Brian2.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from .. import simulator as reference
from ..parameters import STANDARD_CELL
from . import (
    Finding,
    StopChecking,
    first_finding,
    is_pass_body,
    is_placeholder,
    run_check,
    run_probes,
    value_finding,
)

__all__ = [
    "check_cell_area",
    "check_euler_time_step",
    "check_neuron_step",
    "check_passive_parameters",
    "check_simulator",
    "check_sine_current",
]

_UNITS_HINT = (
    "in the course's units (C in pF, g in nS, V in mV, I in pA, dt in ms) "
    "dt * I / C is already in mV: no conversion factor belongs in the update."
)


def _class_scaffold(attempt, *method_names):
    """``...`` if every named method of the class ``attempt`` is still a scaffold."""
    if isinstance(attempt, type):
        methods = [getattr(attempt, name, None) for name in method_names]
        if all(method is None or is_placeholder(method) for method in methods):
            return ...
    return attempt


def _power_of_ten(ratio) -> int | None:
    """k if ``ratio`` is 10**k (k != 0) to within 1e-6, else None."""
    if not np.isfinite(ratio) or ratio <= 0:
        return None
    k = round(math.log10(ratio))
    if k != 0 and math.isclose(ratio, 10.0**k, rel_tol=1e-6):
        return k
    return None


def _number(value, what, report):
    if value is None:
        report.fail(
            f"your function returned None instead of {what} (a body that is only "
            "`pass`, or no return statement).",
            "end the function with return ..., the value in um^2.",
        )
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        report.fail(
            f"{what} should be a number, but is {type(value).__name__}.",
            "return plain numbers (floats).",
        )
        return None
    return number


# --------------------------------------------------------------------------
# Exercise 2.1: membrane area of the ball-and-stick cell
# --------------------------------------------------------------------------

_SOMA_FORMS = [
    ("ok", lambda s: math.pi * s**2, None),
    (
        "4x",
        lambda s: 4.0 * math.pi * s**2,
        "the soma area is 4x too large: 4 pi r^2 needs the RADIUS r = d / 2 "
        "(with the diameter it is pi d^2).",
    ),
    (
        "disc",
        lambda s: math.pi * s**2 / 4.0,
        "the soma area is the area of a flat disc (pi r^2); a sphere's surface is 4 pi r^2.",
    ),
    (
        "volume",
        lambda s: math.pi * s**3 / 6.0,
        "the soma term is the VOLUME of a sphere (4/3 pi r^3), not its surface (4 pi r^2).",
    ),
    (
        "volume d as r",
        lambda s: 4.0 / 3.0 * math.pi * s**3,
        "the soma term is a volume (4/3 pi r^3, with the diameter as r), not a surface.",
    ),
    ("missing", lambda s: 0.0, "the soma's membrane is missing from the total."),
]

_DENDRITE_FORMS = [
    ("ok", lambda length, d: math.pi * d * length, None),
    ("ends", lambda length, d: math.pi * d * length + math.pi * d**2 / 2.0, None),
    ("tip", lambda length, d: math.pi * d * length + math.pi * d**2 / 4.0, None),
    (
        "half",
        lambda length, d: math.pi * d * length / 2.0,
        "the dendrite's area is half what it should be: pi r L is half the side of a "
        "cylinder; the side is 2 pi r L = pi d L.",
    ),
    (
        "half plus ends",
        lambda length, d: math.pi * d * length / 2.0 + math.pi * d**2 / 2.0,
        "the dendrite's side is only half there: pi r L + 2 pi r^2 mixes half the side "
        "with the end caps; the side is 2 pi r L = pi d L.",
    ),
    (
        "double",
        lambda length, d: 2.0 * math.pi * d * length,
        "the dendrite's area is 2x too large: 2 pi r L needs the RADIUS r = d / 2.",
    ),
    (
        "volume",
        lambda length, d: math.pi * d**2 * length / 4.0,
        "the dendrite term is the VOLUME of a cylinder (pi r^2 L), not its side (2 pi r L).",
    ),
    ("missing", lambda length, d: 0.0, "the dendrite's membrane is missing from the total."),
]

_AREA_PROBES = [(20.0, 1500.0, 4.0), (10.0, 300.0, 1.0), (30.0, 800.0, 6.0)]


def _area_values(cell_area, report) -> np.ndarray | None:
    """The student's area (um^2) for each of :data:`_AREA_PROBES`, or None after
    recording why not."""
    values = []
    for probe in _AREA_PROBES:
        value = _number(cell_area(*probe), "the area", report)
        if value is None:
            return None
        values.append(value)
    return np.array(values)


def _soma_finding(message) -> Finding:
    if message:
        return Finding(message, "soma: pi * soma_diameter**2 (um^2).")
    return Finding(ok="soma: sphere surface pi d^2 = 4 pi r^2")


def _dendrite_finding(name, message) -> Finding:
    """The dendrite's form: a mistake, or right (with a remark on end caps)."""
    if message:
        return Finding(message, "dendrite: pi * dendrite_diameter * dendrite_length.")
    remarks = {
        "ends": "dendrite: cylinder side pi d L (you added both end caps: a dendrite "
                "joined to the soma has none, but here they are only 0.1% of the area)",
        "tip": "dendrite: cylinder side pi d L plus one end cap pi d^2 / 4 for the "
               "sealed far tip (a fair physical choice: the near end is joined to "
               "the soma; the cap is only 0.05% of the area here, so the exercise's "
               "'no end caps' gives practically the same number)",
    }
    return Finding(ok=remarks.get(name, "dendrite: cylinder side pi d L = 2 pi r L"))


def _area_form_findings(values) -> list[Finding] | None:
    """The soma and dendrite findings of the first pair of forms that gives ``values``."""
    for (soma_name, soma, soma_msg) in _SOMA_FORMS:
        for (dend_name, dendrite, dend_msg) in _DENDRITE_FORMS:
            if soma_name == dend_name == "missing":
                continue
            predicted = np.array([soma(s) + dendrite(length, d) for s, length, d in
                                  _AREA_PROBES])
            if np.allclose(values, predicted, rtol=1e-6, atol=0):
                return [_soma_finding(soma_msg), _dendrite_finding(dend_name, dend_msg)]
    return None


def _area_unknown_finding(values) -> Finding:
    """A result in cm^2 (a power of ten), or a wrong area of no known form."""
    expected = reference.ball_and_stick_area(*_AREA_PROBES[0])
    k = _power_of_ten(values[0] / expected)
    if k is not None:
        return Finding(
            f"the area is 10^{k} times the expected {expected:.0f} um^2.",
            "keep the area in um^2 (the lengths are in um): convert to cm^2 only "
            "in the next exercise.",
        )
    return Finding(
        f"for a 20 um soma and a 1500 um x 4 um dendrite the area should be "
        f"{expected:.0f} um^2, but your function gives {values[0]:.6g} um^2.",
        "area = pi * soma_diameter**2 + pi * dendrite_diameter * dendrite_length.",
    )


def check_cell_area(attempt, *, strict=False):
    """Exercise 2.1: ``cell_area(soma_diameter, dendrite_length, dendrite_diameter)`` in um^2.

    Catches: the soma with 4 pi r^2 but the diameter (4x), a disc instead
    of a sphere, a volume instead of a surface (sphere or cylinder), pi r L
    (half the cylinder's side, with or without end caps), 2 pi r L with the
    diameter (2x), a missing soma or dendrite (all by
    ``_area_form_findings``: the result on three geometries compared with
    each combination of the soma and dendrite formulas in
    :data:`_SOMA_FORMS` and :data:`_DENDRITE_FORMS`), a result in cm^2 (a
    pure power of ten: ``_area_unknown_finding``), and None or not a number
    (``_area_values``). End caps on the dendrite are accepted with a
    remark (``_dendrite_finding``): one (a sealed far tip, arguably the
    physical choice) or both (0.05% or 0.1% of the area here).
    """

    def evaluate(cell_area, report):
        values = _area_values(cell_area, report)
        if values is None:
            return
        for finding in _area_form_findings(values) or [_area_unknown_finding(values)]:
            finding.record(report)

    return run_check("Exercise 2.1: membrane area", attempt, evaluate, strict=strict)


# --------------------------------------------------------------------------
# Exercise 2.2: specific -> whole-cell parameters
# --------------------------------------------------------------------------

_PARAMETER_PROBES = [(20_000.0, 1.0, 20.0), (10_000.0, 0.9, 50.0), (5_000.0, 2.0, 10.0)]

_CAPACITANCE_SLIPS = {
    -6: "C is in uF: 1 uF = 1e6 pF, so multiply by 1e6.",
    -3: "C is in nF: 1 nF = 1000 pF.",
    -12: "C is in F: 1 F = 1e12 pF.",
    8: "the area is still in um^2: 1 um^2 = 1e-8 cm^2 (1 um = 1e-4 cm, squared).",
    4: "the area was converted with 1e-4 (um -> cm) instead of 1e-8 (um^2 -> cm^2).",
    2: "the area is still in um^2 and the uF -> pF factor is missing (1e-8 * 1e6 = 1e-2).",
}
_CONDUCTANCE_SLIPS = {
    -9: "g_L is in siemens: 1 S = 1e9 nS.",
    -6: "g_L is in mS: 1 mS = 1e6 nS.",
    -3: "g_L is in uS (or r_m was multiplied by 1e3 twice): 1 uS = 1000 nS.",
    3: "r_m was used in kOhm cm^2: convert to Ohm cm^2 (x 1e3) before dividing.",
    8: "the area is still in um^2: 1 um^2 = 1e-8 cm^2.",
    4: "the area was converted with 1e-4 (um -> cm) instead of 1e-8 (um^2 -> cm^2).",
}


# Each column of the result: (name, unit, known unit slips, hint, what it must be
# proportional to).
_PARAMETER_COLUMNS = (
    ("C", "pF", _CAPACITANCE_SLIPS, "C[pF] = c_m[uF/cm^2] * A[um^2] * 1e-8 * 1e6.", " and c_m."),
    ("g_L", "nS", _CONDUCTANCE_SLIPS,
     "g_L[nS] = A[um^2] * 1e-8 / (r_m[kOhm cm^2] * 1e3) * 1e9.", " and to 1 / r_m."),
)
_PARAMETERS_HINT = "end with return capacitance, conductance."


def _expected_parameters() -> np.ndarray:
    """(C in pF, g_L in nS) for each of :data:`_PARAMETER_PROBES`, by hand."""
    return np.array([
        [c_m * area * 1e-2, area / r_m * 1e-2] for area, c_m, r_m in _PARAMETER_PROBES
    ])


def _parameter_results(passive_parameters, report) -> np.ndarray | None:
    """The student's (C, g_L) for each probe as rows, or None after recording why not."""
    results = []
    for probe in _PARAMETER_PROBES:
        value = passive_parameters(*probe)
        if value is None:
            report.fail("your function returned None.", _PARAMETERS_HINT)
            return None
        if not isinstance(value, (tuple, list, np.ndarray)) or len(value) != 2:
            report.fail(
                "return two numbers, (C in pF, g_L in nS), but your function returned "
                f"{type(value).__name__}.",
                _PARAMETERS_HINT,
            )
            return None
        results.append([float(value[0]), float(value[1])])
    return np.array(results)


def _probe_parameters_swapped(results, expected):
    if np.allclose(results[:, ::-1], expected, rtol=1e-6) and not np.allclose(
        results, expected, rtol=1e-6
    ):
        return Finding("the two values are swapped: return (capacitance, conductance).",
                       _PARAMETERS_HINT)
    return None


def _probe_column_right(results, expected, column):
    name, unit, _, _, _ = _PARAMETER_COLUMNS[column]
    if np.allclose(results[:, column] / expected[:, column], 1.0, rtol=1e-6):
        area, c_m, r_m = _PARAMETER_PROBES[0]
        return Finding(ok=(
            f"{name} = {results[0, column]:.4g} {unit} for {area:.0f} um^2 "
            f"(c_m = {c_m:g} uF/cm^2, r_m = {r_m:g} kOhm cm^2)"
        ))
    return None


def _probe_column_scaled(results, expected, column):
    """The same factor on every probe: a unit slip (a power of ten) or another factor."""
    name, _, slips, hint, _ = _PARAMETER_COLUMNS[column]
    ratio = results[:, column] / expected[:, column]
    if not np.allclose(ratio, ratio[0], rtol=1e-6):
        return None
    k = _power_of_ten(ratio[0])
    if k is None:
        return Finding(f"{name} is {ratio[0]:.4g} times the expected value.", hint)
    message = slips.get(k, f"{name} is 10^{k} times too large.")
    return Finding(f"{name} is off by a factor 10^{k} (a unit slip): {message}", hint)


def _probe_resistance_multiplied(results, expected, column):
    if column != 1:
        return None
    resistances = np.array([r_m for _, _, r_m in _PARAMETER_PROBES])
    times_r = results[:, 1] / (expected[:, 1] * resistances**2)
    return Finding.when(
        np.allclose(times_r, times_r[0], rtol=1e-6),
        "g_L grows with r_m: you multiplied by the specific resistance "
        "instead of dividing by it (a larger r_m means LESS conductance).",
        _PARAMETER_COLUMNS[1][3],
    )


def _probe_column_not_proportional(results, expected, column):
    name, _, _, hint, proportional_to = _PARAMETER_COLUMNS[column]
    return Finding(f"{name} is not proportional to the area" + proportional_to, hint)


_PARAMETER_COLUMN_PROBES = (_probe_column_right, _probe_column_scaled, _probe_resistance_multiplied)


def _column_finding(results, expected, column) -> Finding:
    """What the first column probe with something to say finds in ``column``; else
    that it is not proportional to what it should be."""
    return (first_finding(_PARAMETER_COLUMN_PROBES, results, expected, column)
            or _probe_column_not_proportional(results, expected, column))


def check_passive_parameters(attempt, *, strict=False):
    """Exercise 2.2: ``passive_parameters(area, specific_capacitance, ...)``.

    ``passive_parameters(area, specific_capacitance, specific_membrane_resistance)``
    returns ``(C in pF, g_L in nS)`` for an area in um^2, c_m in uF/cm^2 and
    r_m in kOhm cm^2. The probes: three cells (:data:`_PARAMETER_PROBES`),
    compared with the hand formulas. Each mistake and the probe that
    catches it:

    * None or not two numbers: ``_parameter_results``;
    * the two values swapped: ``_probe_parameters_swapped``;
    * C in uF (1e-6) or nF, the area left in um^2 or converted with 1e-4,
      g_L in siemens, r_m left in kOhm, or any other constant factor:
      ``_probe_column_scaled`` (the same ratio on every cell, named from
      :data:`_CAPACITANCE_SLIPS` and :data:`_CONDUCTANCE_SLIPS`);
    * g_L = A * r_m (multiplied instead of divided):
      ``_probe_resistance_multiplied``;
    * values that do not grow in proportion to the area:
      ``_probe_column_not_proportional``;
    * C and g_L both right is confirmed by ``_probe_column_right`` and by
      tau = C / g_L = r_m c_m.

    Both columns are judged, so a slip in each is named.
    """

    def evaluate(passive_parameters, report):
        results = _parameter_results(passive_parameters, report)
        if results is None:
            return
        expected = _expected_parameters()
        swapped = _probe_parameters_swapped(results, expected)
        if swapped is not None:
            swapped.record(report)
            return
        for column in range(len(_PARAMETER_COLUMNS)):
            _column_finding(results, expected, column).record(report)
        if not report.wrong:
            tau = results[:, 0] / results[:, 1]
            report.expect(
                np.allclose(tau, [c_m * r_m for _, c_m, r_m in _PARAMETER_PROBES], rtol=1e-6),
                "tau = C / g_L = r_m c_m (20 ms for the first probe), whatever the area",
                "C / g_L is not r_m c_m.",
            )

    return run_check(
        "Exercise 2.2: capacitance and leak conductance", attempt, evaluate, strict=strict
    )


# --------------------------------------------------------------------------
# Exercise 2.3: the neuron's step
# --------------------------------------------------------------------------


class _ConstantCurrent:
    """A probe input: a constant current in pA."""

    def __init__(self, amplitude):
        self.amplitude = amplitude

    def current(self, time, voltage):
        return self.amplitude


class _RampCurrent:
    """A probe input whose current (pA) equals 10 x the time (ms): shows WHEN it is sampled."""

    def current(self, time, voltage):
        return 10.0 * time


class _ConductanceInput:
    """A probe input g (E - V) with g = 5 nS, E = 0 mV: shows at WHICH voltage it is sampled."""

    def current(self, time, voltage):
        return 5.0 * (0.0 - voltage)


def _new_neuron(neuron_class, report, **params):
    try:
        return neuron_class("probe", **params)
    except TypeError as error:
        report.fail(
            f"creating your neuron with keyword arguments failed ({error}).",
            "keep the __init__ of the scaffold: name, then membrane_capacitance, "
            "leak_conductance, leak_reversal, initial_voltage as keywords.",
        )
        return None


def _voltage_change(neuron_class, report, *, time=1.0, dt=0.1, input_current=None, **params):
    """Change of voltage (mV) in one step, or None after a failure."""
    neuron = _new_neuron(neuron_class, report, **params)
    if neuron is None:
        return None
    if input_current is not None:
        source = (
            input_current if hasattr(input_current, "current")
            else _ConstantCurrent(input_current)
        )
        if hasattr(neuron, "add_input"):
            neuron.add_input(source)
        else:
            neuron.inputs.append(source)
    before = neuron.voltage
    with np.errstate(all="ignore"):
        returned = neuron.step(time, dt)
    change = float(neuron.voltage) - float(before)
    if change == 0.0 and returned is not None:
        report.fail(
            "step returned a value but did not change self.voltage.",
            "update the state in place: self.voltage = self.voltage + ...; step "
            "returns nothing.",
        )
        return None
    return change


# The single steps the probes of check_neuron_step measure (keyword arguments of
# _voltage_change; an input class is instantiated afresh for each measurement).
_STEP_SETUPS = {
    # Leak only, 10 mV above rest: dV = 0.1 / 200 * 10 * (-10) = -0.05 mV.
    "leak": dict(initial_voltage=-60.0, **STANDARD_CELL),
    "longer dt": dict(dt=0.2, initial_voltage=-60.0, **STANDARD_CELL),
    "later": dict(time=5.0, initial_voltage=-60.0, **STANDARD_CELL),
    "double C": dict(initial_voltage=-60.0, **dict(STANDARD_CELL, membrane_capacitance=400.0)),
    "double g_L": dict(initial_voltage=-60.0, **dict(STANDARD_CELL, leak_conductance=20.0)),
    "100 pA at rest": dict(input_current=100.0, **STANDARD_CELL),
    # A ramp input, 10 pA per ms: at time = 3 ms the current is 30 pA.
    "ramp": dict(time=3.0, dt=0.5, input_current=_RampCurrent, **STANDARD_CELL),
    # A conductance input 5 nS * (0 - V) at V = -60 mV: leak -100 pA, input +300 pA.
    "conductance": dict(initial_voltage=-60.0, input_current=_ConductanceInput,
                        **STANDARD_CELL),
}
_LEAK_CHANGE = -0.05  # mV: the "leak" step done right


class _StepMeasurements:
    """One-step voltage changes (mV) of a student's neuron class, each made once when first asked.

    Raises :class:`StopChecking` when a step cannot be measured (the reason
    is then already in the report).
    """

    def __init__(self, neuron_class, report):
        self.neuron_class = neuron_class
        self.report = report
        self._changes = {}

    def __getitem__(self, setup):
        if setup not in self._changes:
            arguments = dict(_STEP_SETUPS[setup])
            if isinstance(arguments.get("input_current"), type):
                arguments["input_current"] = arguments["input_current"]()
            change = _voltage_change(self.neuron_class, self.report, **arguments)
            if change is None:
                raise StopChecking
            self._changes[setup] = change
        return self._changes[setup]


def _close(a, b):
    return math.isclose(a, b, rel_tol=1e-9)


def _probe_pass_body(step):
    return Finding.when(
        step["leak"] == 0.0 and is_pass_body(step.neuron_class.step),
        "step's body is only `pass`: it returns None and leaves self.voltage unchanged.",
        "replace pass with the Euler update: "
        "self.voltage = self.voltage + dt / C * (leak + inputs).",
    )


def _probe_voltage_unchanged(step):
    return Finding.when(
        not np.isfinite(step["leak"]) or step["leak"] == 0.0,
        "with V 10 mV above E_L and no input, one step did not change V.",
        "V += dt / C * (g_L * (E_L - V) + I_inputs).",
    )


def _probe_leak_sign(step):
    return Finding.when(
        step["leak"] > 0,
        "the leak has the wrong sign: above E_L the voltage moves further UP, "
        "so it runs away instead of relaxing back to rest.",
        "the leak current is g_L * (E_L - V): positive below rest, negative above.",
    )


def _probe_missing_dt(step):
    return Finding.when(
        _close(step["longer dt"], step["leak"]),
        "the change in one step does not depend on dt: dt is missing from the update.",
        "multiply the rate of change by the time step: V += dt / C * (...).",
    )


def _probe_time_for_dt(step):
    return Finding.when(
        not _close(step["later"], step["leak"]),
        "the step depends on the time of day: time is used where dt belongs.",
        "time is when the step starts; dt is how long it lasts. Use dt in the update.",
    )


def _probe_proportional_to_dt(step):
    return Finding.expect(
        _close(step["longer dt"], 2.0 * step["leak"]),
        "the change is proportional to dt",
        "doubling dt does not double the change of V.",
        "V += dt / C * (...): the change must be proportional to dt.",
    )


def _probe_capacitance(step):
    """No division by C (same change for 2 C), or C multiplied (twice the change)."""
    change = step["leak"]
    mistakes = [
        (change, "the change does not depend on C: the division by the capacitance is "
         "missing (units: pA * ms is charge, not voltage).", "divide by C: V += dt / C * (...)."),
        (2.0 * change, "a larger capacitance gives a LARGER voltage change: you multiplied by "
         "C instead of dividing by it.", "dV/dt = I / C: V += dt / C * (...)."),
    ]
    for mistaken, message, hint in mistakes:
        if _close(step["double C"], mistaken):
            return Finding(message, hint)
    return None


def _probe_leak_divided_by_conductance(step):
    return Finding.when(
        _close(step["double g_L"], step["leak"] / 2.0),
        "a larger leak conductance gives a SMALLER leak: the voltage difference was "
        "divided by g_L (or multiplied by R) instead of multiplied by g_L.",
        "the leak current in pA is g_L[nS] * (E_L - V)[mV].",
    )


def _probe_unit_factor(step):
    change = step["leak"]
    k = _power_of_ten(change / _LEAK_CHANGE)
    if k is None:
        return None
    slip = " (a uF <-> pF slip)" if abs(k) == 6 else ""
    return Finding(
        f"one step changes V by {change:.4g} mV; expected {_LEAK_CHANGE} mV, "
        f"a factor 10^{k}{slip}.",
        _UNITS_HINT,
    )


def _probe_leak_change(step):
    change = step["leak"]
    return Finding.expect(
        _close(change, _LEAK_CHANGE),
        "leak: 10 mV above rest, one step of 0.1 ms brings V down by 0.05 mV",
        f"one step from 10 mV above rest changes V by {change:.6g} mV; expected "
        f"{_LEAK_CHANGE} mV (= 0.1 / 200 * 10 * (-10)).",
        "V += dt / C * (g_L * (E_L - V) + I_inputs).",
    )


def _probe_input_current(step):
    """Inputs ignored (no change at rest) or with the wrong sign (-0.05 mV)."""
    driven = step["100 pA at rest"]
    return value_finding(
        driven, 0.05,
        "input: 100 pA at rest raises V by 0.05 mV in 0.1 ms",
        f"at rest with 100 pA one step changes V by {driven:.6g} mV; expected 0.05 mV.",
        "V += dt / C * (g_L * (E_L - V) + self.input_current(time)).",
        mistakes=[
            (0.0, "at rest with a 100 pA input, V does not move: the input current is ignored.",
             "add self.input_current(time) to the leak current."),
            (-0.05, "a positive (inward) current moves your neuron's voltage DOWN (it "
             "hyperpolarises it, i.e. makes it more negative): its sign is flipped.",
             "currents are positive INTO the cell: + self.input_current(time)."),
        ],
    )


def _probe_input_sampled_late(step):
    """The ramp's current sampled anywhere but at the step's own time."""
    ramped = step["ramp"]
    sampled_at = {3.5: "t + dt (the end of the step)",
                  3.25: "t + dt / 2 (the middle of the step)", 0.0: "t = 0",
                  0.5: "dt (the step length, not the time)"}
    mistakes = [
        (0.5 / 200.0 * 10.0 * when,
         f"the input current is sampled at {description}: with an input that changes in "
         "time, forward Euler must use every current at the START of the step, at `time`.",
         "call self.input_current(time) with the step's own time argument.")
        for when, description in sampled_at.items()
    ]
    return value_finding(
        ramped, 0.075,
        "a changing input is sampled at the start of the step (time)",
        f"with an input of 10 pA per ms, one step from t = 3 ms (dt = 0.5 ms) changes V "
        f"by {ramped:.6g} mV; expected 0.5 / 200 * 30 = 0.075 mV.",
        "V += dt / C * (g_L * (E_L - V) + self.input_current(time)).",
        mistakes=mistakes,
    )


def _probe_input_after_leak(step):
    """A conductance input computed at the voltage the leak already changed."""
    conductance = step["conductance"]
    half_updated = -0.05 + 0.1 / 200.0 * 5.0 * 60.05
    return value_finding(
        conductance, 0.1,
        "a voltage-dependent input is evaluated at the voltage before the step",
        f"with a voltage-dependent input (5 nS, E = 0 mV) at -60 mV one step "
        f"changes V by {conductance:.6g} mV; expected 0.1 / 200 * (-100 + 300) = 0.1 mV.",
        "evaluate every current at the voltage at the start of the step.",
        mistakes=[(
            half_updated,
            "the input current is computed AFTER the voltage was already changed by "
            "the leak: a synaptic input (g (E - V)) then sees the wrong voltage.",
            "compute the leak and self.input_current(time) first, both at the old "
            "voltage, then update self.voltage once.",
        )],
    )


def _probe_euler_run(step):
    """100 ms with 100 pA in the course Simulator against the closed form of Euler."""
    neuron = _new_neuron(step.neuron_class, step.report, **STANDARD_CELL)
    simulator = reference.Simulator(dt=0.1)
    try:
        simulator.add(neuron)
    except TypeError as error:
        return Finding(f"the course Simulator cannot use your neuron: {error}",
                       "keep the reset() method and the voltage attribute of the scaffold.")
    neuron.add_input(reference.CurrentInput(100.0))
    simulator.run(100.0)
    voltage = simulator.recorded_voltage(neuron)
    euler = -70.0 + 10.0 * (1.0 - (1.0 - 0.1 / 20.0) ** np.arange(voltage.size))
    return Finding.expect(
        np.allclose(voltage, euler, rtol=0, atol=1e-9),
        "100 ms with 100 pA: charges towards -60 mV exactly as forward Euler should",
        "in a 100 ms run with 100 pA the voltage does not follow forward Euler.",
        "V += dt / C * (g_L * (E_L - V) + self.input_current(time)); change nothing else.",
    )


_NEURON_STEP_PROBES = (
    _probe_pass_body,
    _probe_voltage_unchanged,
    _probe_leak_sign,
    _probe_missing_dt,
    _probe_time_for_dt,
    _probe_proportional_to_dt,
    _probe_capacitance,
    _probe_leak_divided_by_conductance,
    _probe_unit_factor,
    _probe_leak_change,
    _probe_input_current,
    _probe_input_sampled_late,
    _probe_input_after_leak,
    _probe_euler_run,
)


def check_neuron_step(attempt, *, strict=False):
    """Exercise 2.3: the ``step(time, dt)`` method of a passive neuron class.

    ``attempt`` is the class. Each mistake, the probe that catches it, and
    what that probe measures (standard cell 200 pF, 10 nS, -70 mV, one step
    of 0.1 ms unless said):

    * a ``pass`` body: ``_probe_pass_body`` [V unchanged, body inspected];
    * a step that returns the new voltage instead of storing it:
      ``_voltage_change``, in every probe [V unchanged but a value returned];
    * no change at all (or NaN): ``_probe_voltage_unchanged``;
    * a leak with the wrong sign, V running away from E_L:
      ``_probe_leak_sign`` [from -60 mV];
    * a missing dt: ``_probe_missing_dt`` [dt = 0.1 vs 0.2 ms]; time used
      where dt belongs: ``_probe_time_for_dt`` [time = 1 vs 5 ms]; a change
      not proportional to dt: ``_probe_proportional_to_dt``;
    * a missing division by C, or C multiplied: ``_probe_capacitance``
      [C = 200 vs 400 pF];
    * the leak divided by g_L, or multiplied by R:
      ``_probe_leak_divided_by_conductance`` [g_L = 10 vs 20 nS];
    * a unit factor such as uF for pF: ``_probe_unit_factor`` [a power of
      ten in the change]; any other wrong leak: ``_probe_leak_change``;
    * input currents ignored or with the wrong sign:
      ``_probe_input_current`` [100 pA at rest];
    * the input sampled at t + dt, t + dt/2, t = 0 or dt instead of at
      ``time``: ``_probe_input_sampled_late`` [a ramp input, 10 pA per ms,
      stepped from 3 ms with dt = 0.5];
    * the input computed after the voltage was already changed by the
      leak: ``_probe_input_after_leak`` [a conductance input
      5 nS x (0 - V) at -60 mV];
    * anything else: ``_probe_euler_run`` [100 ms in
      :class:`course_utils.simulator.Simulator` against the closed form of
      forward Euler].
    """

    def evaluate(neuron_class, report):
        run_probes(_NEURON_STEP_PROBES, _StepMeasurements(neuron_class, report), report)

    return run_check(
        "Exercise 2.3: the neuron's Euler step",
        _class_scaffold(attempt, "step"),
        evaluate,
        strict=strict,
    )


# --------------------------------------------------------------------------
# Exercise 2.4: the simulator's run loop
# --------------------------------------------------------------------------


def _recordings(simulator, neuron, report):
    time = simulator.recorded_time
    if callable(time):
        time = time()
    time = np.asarray(time, dtype=float)
    voltage = np.asarray(simulator.recorded_voltage(neuron), dtype=float)
    if time.shape != voltage.shape:
        report.fail(
            f"the recorded time has {time.size} samples but the voltage {voltage.size}: "
            "they must line up, one of each per step.",
            "at the start of every step append the time AND each neuron's voltage, "
            "then step the neurons.",
        )
        return None
    return time, voltage


def _euler_charging(n_samples, dt, start=0):
    """Closed form of Euler for the probe neuron (200 pF, 10 nS, 100 pA from t = 0)."""
    n = np.arange(start, start + n_samples)
    return -70.0 + 10.0 * (1.0 - (1.0 - dt / 20.0) ** n)


class _SpyNeuron(reference.PassiveNeuron):
    """A probe neuron that remembers the (time, dt) of every step it is asked to take."""

    def __init__(self, name="probe"):
        super().__init__(name)
        self.steps_taken = []

    def step(self, time, dt):
        self.steps_taken.append((float(time), float(dt)))
        super().step(time, dt)

    def reset(self):
        super().reset()
        self.steps_taken = []


def _probe_neuron():
    neuron = _SpyNeuron("probe")
    neuron.add_input(reference.CurrentInput(100.0))
    return neuron


_LOOP_DT = 0.3  # ms: 100 ms is not a whole number of these steps in floating point
_LOOP_STEPS = 333  # round(100 / 0.3)


class _LoopRuns:
    """The runs of a student's simulator class that the probes of check_simulator inspect.

    Each run is done once, when a probe first asks for it, in the order of
    the probe table: run(100) at dt = 0.3 ms (``first``), run(0.7) at
    dt = 0.1 ms (``short``), continue_for(50) after the first (``continued``)
    and run(100) again (``rerun``). Each is a ``(time, voltage)`` pair of the
    spy neuron; :class:`StopChecking` is raised when they do not line up.
    """

    def __init__(self, simulator_class, report):
        self.simulator_class = simulator_class
        self.report = report
        self.simulator = self.neuron = None
        self._done = {}

    def _once(self, name, run):
        if name not in self._done:
            recorded = run()
            if recorded is None:
                raise StopChecking
            self._done[name] = recorded
        return self._done[name]

    def _run_first(self):
        self.simulator = self.simulator_class(dt=_LOOP_DT)
        self.neuron = self.simulator.add(_probe_neuron()) or self.simulator.neurons[-1]
        self.simulator.run(100.0)
        return _recordings(self.simulator, self.neuron, self.report)

    def _run_short(self):
        short = self.simulator_class(dt=0.1)
        short_neuron = short.add(_probe_neuron()) or short.neurons[-1]
        short.run(0.7)
        return _recordings(short, short_neuron, self.report)

    def _continue(self):
        self.simulator.continue_for(50.0)  # round(50 / 0.3) = 167 more
        return _recordings(self.simulator, self.neuron, self.report)

    def _run_again(self):
        self.simulator.run(100.0)
        return _recordings(self.simulator, self.neuron, self.report)

    @property
    def first(self):
        return self._once("first", self._run_first)

    @property
    def short(self):
        return self._once("short", self._run_short)

    @property
    def continued(self):
        return self._once("continued", self._continue)

    @property
    def rerun(self):
        return self._once("rerun", self._run_again)

    def steps_taken(self):
        """(time, dt) of each step the spy neuron was asked to take, as rows."""
        return np.array(getattr(self.neuron, "steps_taken", []), dtype=float).reshape(-1, 2)


def _probe_shared_lists(runs):
    first = runs.simulator_class(dt=0.1)
    first.add(_probe_neuron())
    return Finding.expect(
        len(runs.simulator_class(dt=0.1).neurons) == 0,
        "a new simulator starts empty: nothing is shared between simulators",
        "a new simulator already holds the neurons of another one: they share one list.",
        "create the lists in __init__ (self.neurons = []), not in the class body.",
    )


def _probe_clock_stopped(runs):
    time, _ = runs.first
    if time.size <= 1 or not np.all(time == time[0]):
        return None
    return Finding(
        f"every recorded time is {time[0]:g} ms: the clock never advances.",
        "after stepping the neurons, advance the clock: self.steps_done += 1.",
    )


def _probe_zero_twice(runs):
    time, _ = runs.first
    return Finding.when(
        np.count_nonzero(np.isclose(time, 0.0, atol=1e-12)) > 1,
        "t = 0 is recorded twice: the time list starts with [0] and the loop "
        "appends the start time again.",
        "start with empty lists and record at the start of every step.",
    )


def _probe_sample_count(runs):
    """One sample too many (np.arange overshooting, range(n + 1)) or any wrong count."""
    time, _ = runs.first
    if time.size == _LOOP_STEPS:
        return None
    extra = (
        " (np.arange(0, duration + dt, dt) with float steps overshoots, and "
        "range(n + 1) runs one step too many)"
        if time.size > _LOOP_STEPS else ""
    )
    return Finding(
        f"100 ms at dt = 0.3 ms recorded {time.size} samples; expected "
        f"round(100 / 0.3) = {_LOOP_STEPS}{extra}.",
        "n_steps = round(duration / self.dt); loop for _ in range(n_steps); "
        "record at the start of each step.",
    )


def _probe_end_times(runs):
    time, _ = runs.first
    return Finding.when(
        np.allclose(time, (np.arange(_LOOP_STEPS) + 1) * _LOOP_DT),
        "the recorded times are the END of each step (first sample at dt, not 0).",
        "append self.time before stepping the neurons, then advance the clock.",
    )


def _probe_time_grid(runs):
    time, _ = runs.first
    return Finding.expect(
        np.allclose(time, np.arange(_LOOP_STEPS) * _LOOP_DT, rtol=0, atol=1e-9),
        "100 ms at dt = 0.3 ms: 333 samples at 0, 0.3, ..., 99.6 ms (no duplicated t = 0)",
        "the recorded times are not 0, dt, 2 dt, ...",
        "record time = steps_done * dt at the start of each step.",
    )


def _probe_stepped_at_wrong_time(runs):
    """The neurons stepped with the time of the step's end (or any other wrong time)."""
    time, _ = runs.first
    taken, dt = runs.steps_taken(), _LOOP_DT
    if taken.shape[0] != _LOOP_STEPS or np.allclose(taken[:, 0], time, atol=1e-9):
        return None
    if np.allclose(taken[:, 0], time + dt, atol=1e-9):
        when = "the END of each step (the clock was advanced before the neurons stepped)"
    else:
        when = f"{taken[0, 0]:g}, {taken[1, 0]:g}, ... ms instead of 0, {dt:g}, ... ms"
    return Finding(
        f"your loop calls neuron.step with the time of {when}: an input that changes "
        "in time would then be sampled at the wrong moment.",
        "in each step: time = self.time; record; neuron.step(time, self.dt); then "
        "advance the clock.",
    )


def _probe_stepped_with_wrong_dt(runs):
    taken = runs.steps_taken()
    if taken.shape[0] != _LOOP_STEPS or np.allclose(taken[:, 1], _LOOP_DT):
        return None
    return Finding(
        f"your loop calls neuron.step with dt = {taken[0, 1]:g} instead of the "
        f"simulator's dt = {_LOOP_DT:g} ms.",
        "call neuron.step(time, self.dt).",
    )


def _probe_voltage_after_step(runs):
    _, voltage = runs.first
    return Finding.when(
        np.allclose(voltage, _euler_charging(_LOOP_STEPS, _LOOP_DT, start=1)),
        "the voltage is recorded AFTER the step: the first sample should be the "
        "initial voltage at t = 0, so time and voltage are shifted by one step.",
        "in the loop: first record the voltages, then call neuron.step(time, dt).",
    )


def _probe_voltage_lines_up(runs):
    _, voltage = runs.first
    return Finding.expect(
        np.allclose(voltage, _euler_charging(_LOOP_STEPS, _LOOP_DT), rtol=0, atol=1e-9),
        "time and voltage line up (V at t = 0 is the initial voltage)",
        "the recorded voltage does not match the neuron's steps.",
        "at each step: record time and voltages, step every neuron with "
        "(time, dt), then advance the clock.",
    )


def _probe_truncated_steps(runs):
    time, _ = runs.short
    return Finding.expect(
        time.size == 7,
        "0.7 ms at dt = 0.1 ms: 7 steps",
        f"0.7 ms at dt = 0.1 ms gave {time.size} steps, not 7: int(0.7 / 0.1) "
        "is int(6.999999999999999) = 6.",
        "use round(duration / dt), which rounds to the nearest whole number of steps.",
    )


def _probe_boundary_repeated(runs):
    time, _ = runs.continued
    return Finding.when(
        np.any(np.diff(time) == 0.0) or (time.size == 501 and time[333] == time[332]),
        "continue_for records the boundary point twice (the last time of the "
        "previous run is repeated).",
        "the last recorded sample is the START of the last step; the next call "
        "begins at the end of that step: record at the start of each new step only.",
    )


def _probe_clock_restarted(runs):
    time, _ = runs.continued
    return Finding.when(
        np.any(np.diff(time) <= 0.0),
        "continue_for starts the clock again at 0: time goes backwards.",
        "continue_for must not reset the time or the neurons; only run() does.",
    )


def _probe_continued_samples(runs):
    time, _ = runs.continued
    return Finding.expect(
        time.size == 500 and np.allclose(time, np.arange(500) * _LOOP_DT, rtol=0, atol=1e-9),
        "continue_for(50) adds 167 steps after run(100), without repeating the boundary",
        f"after run(100) and continue_for(50) at dt = 0.3 there are {time.size} "
        "samples; expected 333 + 167 = 500 at 0, 0.3, ..., 149.7 ms.",
        "continue_for: n_steps = round(duration / dt), continuing from self.time.",
    )


def _probe_continue_resets_neurons(runs):
    _, voltage = runs.continued
    return Finding.when(
        np.isclose(voltage[333], -70.0),
        "continue_for resets the neurons: the voltage jumps back to rest.",
        "only run() resets; continue_for carries on from the current state.",
    )


def _probe_continued_voltage(runs):
    _, voltage = runs.continued
    return Finding.expect(
        np.allclose(voltage, _euler_charging(500, _LOOP_DT), rtol=0, atol=1e-9),
        "the voltage carries on smoothly across the boundary",
        "after continue_for the voltage does not continue the charging curve.",
        "continue_for must step the same neurons from where they are.",
    )


def _probe_recordings_not_cleared(runs):
    time, _ = runs.rerun
    if time.size != _LOOP_STEPS:
        return Finding(
            f"a second run(100) leaves {time.size} samples instead of 333: the old "
            "recordings are not cleared.",
            "run(duration) = self.reset(), then self.continue_for(duration).",
        )
    return None


def _probe_run_restarts(runs):
    time, voltage = runs.rerun
    return Finding.expect(
        np.allclose(voltage, _euler_charging(_LOOP_STEPS, _LOOP_DT), rtol=0, atol=1e-9)
        and time[0] == 0.0,
        "run() starts again from t = 0 and the initial voltage",
        "a second run(100) does not start from t = 0 and rest.",
        "run(duration) = self.reset(), then self.continue_for(duration).",
    )


_SIMULATOR_PROBES = (
    _probe_shared_lists,
    _probe_clock_stopped,
    _probe_zero_twice,
    _probe_sample_count,
    _probe_end_times,
    _probe_time_grid,
    _probe_stepped_at_wrong_time,
    _probe_stepped_with_wrong_dt,
    _probe_voltage_after_step,
    _probe_voltage_lines_up,
    _probe_truncated_steps,
    _probe_boundary_repeated,
    _probe_clock_restarted,
    _probe_continued_samples,
    _probe_continue_resets_neurons,
    _probe_continued_voltage,
    _probe_recordings_not_cleared,
    _probe_run_restarts,
)


def check_simulator(attempt, *, strict=False):
    """Exercise 2.4: the ``continue_for`` and ``run`` methods of a simulator class.

    ``attempt`` is the class, with ``dt``, ``add``, ``recorded_time``,
    ``recorded_voltage(neuron)`` and ``reset`` as in the scaffold. The runs
    probed: two simulators made one after the other; 100 ms at dt = 0.3 ms
    with a spy neuron that remembers the (time, dt) of each of its steps;
    0.7 ms at dt = 0.1 ms; ``continue_for(50)`` after the first run; a second
    ``run(100)``. Each mistake and the probe that catches it:

    * simulators that share their lists: ``_probe_shared_lists``;
    * time and voltage of different lengths: ``_recordings``, after every run;
    * a clock that never advances: ``_probe_clock_stopped``;
    * t = 0 recorded twice: ``_probe_zero_twice``;
    * one sample too many (``np.arange(0, T + dt, dt)``, ``range(n + 1)``)
      or any other count: ``_probe_sample_count``;
    * the time recorded at the end of each step: ``_probe_end_times``;
      other wrong times: ``_probe_time_grid``;
    * neurons stepped with the time of the step's end (or another wrong
      time): ``_probe_stepped_at_wrong_time``; with the wrong dt:
      ``_probe_stepped_with_wrong_dt``;
    * the voltage recorded after the step: ``_probe_voltage_after_step``;
      other wrong voltages: ``_probe_voltage_lines_up``;
    * ``int()`` truncating ``0.7 / 0.1 = 6.9999...`` to 6 steps:
      ``_probe_truncated_steps``;
    * a ``continue_for`` that repeats the boundary point
      (``_probe_boundary_repeated``), restarts the clock
      (``_probe_clock_restarted``), adds the wrong number of samples
      (``_probe_continued_samples``), resets the neurons
      (``_probe_continue_resets_neurons``) or breaks the charging curve
      (``_probe_continued_voltage``);
    * a ``run`` that does not clear old recordings
      (``_probe_recordings_not_cleared``) or reset the neurons
      (``_probe_run_restarts``).
    """

    def evaluate(simulator_class, report):
        run_probes(_SIMULATOR_PROBES, _LoopRuns(simulator_class, report), report)

    return run_check(
        "Exercise 2.4: the simulator's run loop",
        _class_scaffold(attempt, "continue_for", "run"),
        evaluate,
        strict=strict,
    )


# --------------------------------------------------------------------------
# Exercise 2.5: a sinusoidal input
# --------------------------------------------------------------------------


_SINE_ARGUMENTS = (30.0, 8.0, 15.0)  # amplitude (pA), frequency (Hz), offset (pA)
_SINE_TIMES = np.arange(0.0, 400.0, 0.7)  # ms: three periods of 8 Hz


class _SineSamples(NamedTuple):
    """A student's sine class, one instance of it, and that instance's current (pA)
    at :data:`_SINE_TIMES` at -70 mV."""

    sine_class: type
    source: object
    values: np.ndarray


def _sine_forms():
    """(current in pA at :data:`_SINE_TIMES`, message, hint) of the right formula
    (message None) and of each mistaken one."""
    amplitude, frequency, offset = _SINE_ARGUMENTS
    times = _SINE_TIMES
    phase = 2.0 * np.pi * frequency * times / 1000.0
    return [
        (offset + amplitude * np.sin(phase), None, None),
        (
            offset + amplitude * np.sin(2 * np.pi * frequency * times),
            "the frequency was used as cycles per ms: the sine is 1000x too fast.",
            "frequency is in Hz and time in ms: sin(2 * pi * frequency * time / 1000).",
        ),
        (
            offset + amplitude * np.sin(frequency * times / 1000.0),
            "the sine is 2 pi times too slow: sin(f t) takes f in radians per unit time.",
            "one cycle is 2 pi radians: sin(2 * pi * frequency * time / 1000).",
        ),
        (
            offset + amplitude * np.cos(phase),
            "this is a cosine (it starts at its peak); the exercise asks for a sine, "
            "which starts at the offset.",
            "use np.sin.",
        ),
        (
            amplitude * np.sin(phase),
            "the offset is missing: the current should oscillate around offset.",
            "return offset + amplitude * sin(...).",
        ),
        (
            offset + np.sin(phase),
            "the amplitude is missing: the sine only goes +-1 pA.",
            "multiply the sine by amplitude.",
        ),
    ]


def _probe_sine_depends_on_voltage(sine):
    at_other_voltage = np.array([float(sine.source.current(t, -40.0)) for t in _SINE_TIMES[:20]])
    return Finding.when(
        not np.allclose(sine.values[:20], at_other_voltage),
        "the injected current changes with the membrane potential.",
        "an electrode's current does not depend on V: ignore the voltage argument.",
    )


def _probe_sine_formula(sine):
    """The right formula, or the mistaken one it matches (per ms, no 2 pi, cos, ...)."""
    for predicted, message, hint in _sine_forms():
        if np.allclose(sine.values, predicted, rtol=1e-9, atol=1e-9):
            if message is None:
                return Finding(ok="I(t) = offset + amplitude * sin(2 pi f t / 1000): 8 Hz "
                               "has a period of 125 ms")
            return Finding(message, hint)
    amplitude, _, offset = _SINE_ARGUMENTS
    return Finding(
        f"at t = 31.25 ms (a quarter period of 8 Hz) the current should be "
        f"offset + amplitude = {offset + amplitude:g} pA, but yours is "
        f"{float(sine.source.current(31.25, -70.0)):.4g} pA.",
        "I(t) = offset + amplitude * sin(2 * pi * frequency * time / 1000).",
    )


def _probe_sine_default_offset(sine):
    amplitude, frequency, _ = _SINE_ARGUMENTS
    default = sine.sine_class(amplitude, frequency)
    return Finding.expect(
        math.isclose(float(default.current(0.0, -70.0)), 0.0, abs_tol=1e-12),
        "offset defaults to 0 pA",
        "without an offset argument the current at t = 0 is not 0.",
        "give offset a default: def __init__(self, amplitude, frequency, offset=0.0).",
    )


_SINE_PROBES = (_probe_sine_depends_on_voltage, _probe_sine_formula, _probe_sine_default_offset)


def check_sine_current(attempt, *, strict=False):
    """Exercise 2.5: ``SineCurrent(amplitude, frequency, offset=0.0)``, a class.

    Its method ``current(time, voltage)`` returns
    ``I(t) = offset + amplitude * sin(2 pi frequency t / 1000)`` in pA, with
    t in ms and the frequency in Hz.

    The instance probed: 30 pA, 8 Hz, 15 pA offset, sampled every 0.7 ms
    for 400 ms (three periods) at -70 mV. Each mistake and the probe that
    catches it:

    * a ``current`` that does not take ``(time, voltage)``: the sampling
      itself (a TypeError);
    * a current that depends on the voltage:
      ``_probe_sine_depends_on_voltage`` (the first 20 samples again at
      -40 mV);
    * the frequency used as per ms (1000x too fast), a missing 2 pi, cos
      instead of sin, a missing offset or amplitude, or any other formula:
      ``_probe_sine_formula`` (compared with each form of
      :func:`_sine_forms`);
    * an offset without a default of 0: ``_probe_sine_default_offset``
      (t = 0 without an offset).
    """

    def evaluate(sine_class, report):
        source = sine_class(*_SINE_ARGUMENTS)
        try:
            values = np.array([float(source.current(t, -70.0)) for t in _SINE_TIMES])
        except TypeError as error:
            report.fail(
                f"current(time, voltage) failed: {error}",
                "define def current(self, time, voltage): and return a number in pA.",
            )
            return
        run_probes(_SINE_PROBES, _SineSamples(sine_class, source, values), report)

    return run_check(
        "Exercise 2.5: a sinusoidal current", _class_scaffold(attempt, "current"), evaluate,
        strict=strict,
    )


# --------------------------------------------------------------------------
# Challenge: the largest time step for a 1% Euler error
# --------------------------------------------------------------------------

CHALLENGE_CELL = {"membrane_capacitance": 100.0, "leak_conductance": 25.0,
                  "leak_reversal": -70.0}
"""The fast cell of the lesson-2 challenge: 100 pF, 25 nS (tau = 4 ms), 100 pA from t = 0."""

_CHALLENGE_CURRENT = 100.0  # pA: R I = 4 mV
_CHALLENGE_DURATION = 40.0  # ms: 10 tau, long after the largest error


def euler_relative_error(dt, tau=4.0, duration=_CHALLENGE_DURATION) -> float:
    """Largest |Euler - exact| / (R I) of a passive cell charging from rest (closed forms).

    Euler's k-th sample is ``R I (1 - (1 - dt/tau)**k)`` and the exact one
    ``R I (1 - exp(-k dt / tau))``, so the relative error does not depend on
    R or I. ``tests/test_checks_passive.py`` checks it against the course
    simulator.

    Parameters
    ----------
    dt : float
        Time step in ms (> 0).
    tau : float
        Membrane time constant in ms.
    duration : float
        Length of the run in ms.
    """
    k = np.arange(round(duration / dt))
    return float(np.abs(np.exp(-k * dt / tau) - (1.0 - dt / tau) ** k).max())


def largest_time_step(tolerance=0.01, tau=4.0) -> float:
    """The largest dt (ms) whose Euler charging error stays below ``tolerance`` x R I."""
    low, high = 1e-4, tau  # the error at tau is ~1/e, far above any tolerance asked
    for _ in range(60):  # bisection; the error grows monotonically with dt here
        middle = 0.5 * (low + high)
        if euler_relative_error(middle, tau) < tolerance:
            low = middle
        else:
            high = middle
    return low


class _TimeStep(NamedTuple):
    """A student's dt (ms), the largest dt for a 1% error (ms), and the error at theirs."""

    value: float
    best: float
    error: float  # largest |Euler - exact| / (R I)


def _probe_dt_too_large(step):
    """A dt above the 1% limit (e.g. 1.09 ms, from the standard cell's tau of 20 ms)."""
    if step.error < 0.01:
        return None
    standard = step.value / step.best
    note = (" (about what the standard cell's tau = 20 ms would allow: this cell's "
            "tau is C / g_L = 4 ms)" if 4.0 < standard < 6.0 else "")
    return Finding(
        f"at dt = {step.value:g} ms Euler's largest error is {100 * step.error:.2g}% of R I, "
        f"above 1%{note}.",
        "the error grows in proportion to dt / tau: make dt smaller.",
    )


def _probe_dt_error(step):
    return Finding(ok=f"at dt = {step.value:g} ms the largest error is "
                   f"{100 * step.error:.2g}% of R I")


def _probe_dt_in_seconds(step):
    if step.value < step.best / 300:
        return Finding(
            f"dt = {step.value:g} ms is about 1000x smaller than needed: is it in seconds? "
            "The course's time unit is ms.",
            "give dt in ms.",
        )
    return None


def _probe_dt_close_to_largest(step):
    """A safe dt far smaller than needed (a simulation slower than necessary)."""
    return Finding.expect(
        step.value >= 0.8 * step.best,
        "close to the largest dt that keeps the error below 1% (within 20%)",
        f"dt = {step.value:g} ms is safe but {step.best / step.value:.2g}x smaller than it "
        "needs to be: the simulation takes that many more steps than necessary.",
        "the largest error is about R I dt / (2 e tau): solve for dt, then check it by "
        "simulation.",
    )


_TIME_STEP_PROBES = (_probe_dt_too_large, _probe_dt_error, _probe_dt_in_seconds,
                     _probe_dt_close_to_largest)


def check_euler_time_step(attempt, *, strict=False):
    """Challenge: ``dt_for_one_percent``, the largest dt (ms) for a 1% Euler error.

    The cell is :data:`CHALLENGE_CELL` (tau = 4 ms) charged by 100 pA from rest
    for 40 ms. Accepted: a dt whose largest Euler error is below 1% of R I and
    at least 80% of the largest such dt (about 0.21 ms). Each mistake and the
    probe that catches it (by the error at the given dt, or its ratio to the
    largest dt): not a number, or a negative or zero dt (checked first); a
    dt too large (e.g. 1.09 ms from the standard cell's tau of 20 ms: error
    about 5%): ``_probe_dt_too_large``; a dt in seconds (1000x too small):
    ``_probe_dt_in_seconds``; a dt far smaller than needed (a simulation
    slower than necessary): ``_probe_dt_close_to_largest``.
    """

    def evaluate(dt, report):
        try:
            value = float(dt)
        except (TypeError, ValueError):
            report.fail(
                f"dt_for_one_percent should be a number (ms), but is {type(dt).__name__}.",
                "assign one number, e.g. dt_for_one_percent = 0.05.",
            )
            return
        if not np.isfinite(value) or value <= 0:
            report.fail(f"a time step must be positive, not {value:g} ms.")
            return
        step = _TimeStep(value, largest_time_step(), euler_relative_error(value))
        run_probes(_TIME_STEP_PROBES, step, report)

    return run_check(
        "Challenge: the largest time step for a 1% error", attempt, evaluate, strict=strict
    )

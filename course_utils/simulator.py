"""A small object-oriented neuron simulator, written the way a student would.

Units: time in ms, voltage in mV, current in pA, conductance in nS,
capacitance in pF, resistance in GOhm, length in um (see :mod:`course_utils`).

This is the reference version of the simulator that Lesson 2 builds step by
step (and Lesson 3 extends by inheritance). It is deliberately plain Python:
one object per idea, each holding its own state.

* Geometry: :func:`sphere_area`, :func:`cylinder_area`, :func:`sphere_volume`,
  :func:`cylinder_volume`, :func:`ball_and_stick_area` and
  :func:`passive_parameters`, which turns a membrane area into a capacitance
  and a leak conductance.
* Inputs: :class:`CurrentInput` (an injected current step) and
  :class:`SynapticInput` (a conductance-based synapse fed by presynaptic
  spike times). An input is any object with a method
  ``current(time, voltage) -> pA``; inputs with a state of their own also
  have ``advance(time, dt)`` and ``reset()``.
* :class:`PassiveNeuron`: a membrane ``C dV/dt = g_L (E_L - V) + I_inputs``
  stepped with forward Euler.
* :class:`Simulator`: owns a clock and a list of neurons, steps them, and
  records the time and every neuron's voltage at the START of each step
  (like Brian2's StateMonitor). It is an ordinary object: two simulators
  are two independent experiments, and creating a new one never changes an
  old one.

For speed (thousands of neurons, parameter sweeps, widgets) use the
vectorised solvers in :mod:`course_utils.neurons`, which integrate the same
equation with the same time convention.
"""

from __future__ import annotations

import logging
import math
import warnings
from typing import NamedTuple

import numpy as np

from . import synapses
from ._validation import (
    MAX_LOOP_STEPS,
    as_bool,
    as_float,
    check_dt,
    check_spike_times,
    check_steps,
    describe_value,
)
from .parameters import STANDARD_CELL, validate

__all__ = [
    "SPECIFIC_CAPACITANCE",
    "SPECIFIC_MEMBRANE_RESISTANCE",
    "CurrentInput",
    "PassiveNeuron",
    "PassiveParameters",
    "Simulator",
    "SynapticInput",
    "ball_and_stick_area",
    "cylinder_area",
    "cylinder_volume",
    "passive_parameters",
    "sphere_area",
    "sphere_volume",
]

# Times computed as step * dt can land a hair below a round number
# (e.g. 0.7 * 3 = 2.0999999999999996); comparisons allow this much, in ms.
_TIME_TOLERANCE = 1e-9

SPECIFIC_CAPACITANCE = 1.0
"""Specific membrane capacitance c_m in uF/cm^2.

Close to the ~0.9-1 uF/cm^2 measured in neurons (Gentet, Stuart & Clements
2000, Biophys J 79:314) and the textbook value for lipid bilayers.
"""

SPECIFIC_MEMBRANE_RESISTANCE = 20.0
"""Specific membrane resistance r_m in kOhm cm^2.

Inside the ~10-50 kOhm cm^2 range of cortical and hippocampal neurons
(e.g. Major et al. 1994, J Neurosci 14:4613; Stuart & Spruston 1998,
J Neurosci 18:3501). With c_m = 1 uF/cm^2 it gives tau_m = r_m c_m = 20 ms.
"""


# --------------------------------------------------------------------------
# Geometry
# --------------------------------------------------------------------------


def sphere_area(diameter) -> float:
    """Surface area of a sphere, ``pi d^2`` (= 4 pi r^2).

    Parameters
    ----------
    diameter : float
        Diameter in um (> 0).

    Returns
    -------
    float
        Area in um^2.
    """
    diameter = validate("diameter", diameter)
    return math.pi * diameter**2


def sphere_volume(diameter) -> float:
    """Volume in um^3 of a sphere of ``diameter`` d in um (> 0): ``pi d^3 / 6`` (= 4/3 pi r^3)."""
    diameter = validate("diameter", diameter)
    return math.pi * diameter**3 / 6.0


def cylinder_area(length, diameter, include_ends=False) -> float:
    """Membrane area of a cylinder.

    Parameters
    ----------
    length : float
        Length in um (> 0).
    diameter : float
        Diameter in um (> 0).
    include_ends : bool, optional
        Add the two end discs, ``2 * pi (d/2)^2``. A dendrite joined to a
        soma has no end caps, so the default is the side only, ``pi d L``.

    Returns
    -------
    float
        Area in um^2.
    """
    length = validate("length", length)
    diameter = validate("diameter", diameter)
    side = math.pi * diameter * length
    if as_bool("include_ends", include_ends):
        return side + 2.0 * math.pi * (diameter / 2.0) ** 2
    return side


def cylinder_volume(length, diameter) -> float:
    """Volume in um^3 of a cylinder of ``length`` L and ``diameter`` d, both in um (> 0).

    ``pi (d/2)^2 L``.
    """
    length = validate("length", length)
    diameter = validate("diameter", diameter)
    return math.pi * (diameter / 2.0) ** 2 * length


def ball_and_stick_area(soma_diameter=20.0, dendrite_length=1500.0, dendrite_diameter=4.0) -> float:
    """Membrane area of the course's model cell: a spherical soma and one dendrite.

    The dendritic tree is lumped into one equivalent cylinder (Rall), open at
    the end that joins the soma. Treating the whole membrane as one
    compartment (a point neuron) assumes the cell is electrotonically
    compact. The defaults give about 20,100 um^2, i.e. about 200 pF and
    10 nS with the specific values of :func:`passive_parameters`.

    Parameters
    ----------
    soma_diameter : float, optional
        Soma diameter in um (default 20).
    dendrite_length : float, optional
        Length of the equivalent dendrite in um (default 1500; 0 for a soma-only cell).
    dendrite_diameter : float, optional
        Diameter of the equivalent dendrite in um (default 4).

    Returns
    -------
    float
        Area in um^2: ``pi d_soma^2 + pi d_dend L_dend``.
    """
    soma_diameter = validate("soma_diameter", soma_diameter, kind="diameter")
    dendrite_length = validate("dendrite_length", dendrite_length, kind="length")
    dendrite_diameter = validate("dendrite_diameter", dendrite_diameter, kind="diameter")
    # A dendrite of length 0 is a soma-only cell.
    return sphere_area(soma_diameter) + cylinder_area(dendrite_length, dendrite_diameter)


class _PassiveFields(NamedTuple):
    membrane_capacitance: float
    leak_conductance: float


class PassiveParameters(_PassiveFields):
    """Whole-cell passive parameters (unpacks like a tuple ``C, g_L``).

    Attributes
    ----------
    membrane_capacitance : float
        C in pF.
    leak_conductance : float
        g_L in nS.
    """

    __slots__ = ()

    def __new__(cls, membrane_capacitance, leak_conductance):
        return super().__new__(
            cls,
            validate("membrane_capacitance", membrane_capacitance),
            validate("leak_conductance", leak_conductance),
        )


def passive_parameters(
    area,
    specific_capacitance=SPECIFIC_CAPACITANCE,
    specific_membrane_resistance=SPECIFIC_MEMBRANE_RESISTANCE,
) -> PassiveParameters:
    """Capacitance and leak conductance of a patch of membrane.

    ``C = c_m A`` and ``g_L = A / r_m``: both grow with the area, so the
    time constant ``C / g_L = r_m c_m`` does not depend on the cell's size,
    while the input resistance ``1 / g_L = r_m / A`` shrinks as it grows.

    Parameters
    ----------
    area : float
        Membrane area in um^2 (> 0), e.g. from :func:`ball_and_stick_area`.
    specific_capacitance : float, optional
        c_m in uF/cm^2 (default 1).
    specific_membrane_resistance : float, optional
        r_m in kOhm cm^2 (default 20).

    Returns
    -------
    PassiveParameters
        ``(membrane_capacitance, leak_conductance)`` in (pF, nS).

    Notes
    -----
    Unit conversions: 1 um^2 = 1e-8 cm^2; C[pF] = c_m[uF/cm^2] A[cm^2] 1e6
    (1 uF = 1e6 pF); g_L[nS] = A[cm^2] / r_m[Ohm cm^2] 1e9 (1 S = 1e9 nS),
    with r_m[Ohm cm^2] = 1e3 r_m[kOhm cm^2]. For 20,000 um^2: 200 pF and
    10 nS.
    """
    area = validate("area", area, kind="membrane_area")
    specific_capacitance = validate("specific_capacitance", specific_capacitance)
    specific_membrane_resistance = validate(
        "specific_membrane_resistance", specific_membrane_resistance
    )
    area_cm2 = area * 1e-8
    capacitance_pf = specific_capacitance * area_cm2 * 1e6
    resistance_ohm_cm2 = specific_membrane_resistance * 1e3
    conductance_ns = area_cm2 / resistance_ohm_cm2 * 1e9
    try:
        return PassiveParameters(capacitance_pf, conductance_ns)
    except ValueError as error:
        raise ValueError(
            f"area, specific_capacitance and specific_membrane_resistance give a cell "
            f"outside the course's range: {error}"
        ) from None


# --------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------


class CurrentInput:
    """An injected current step, like a current-clamp electrode.

    Parameters
    ----------
    amplitude : float, optional
        Current in pA, positive into the cell (default 0).
    start : float, optional
        Onset in ms (default 0).
    stop : float, optional
        Offset in ms (default ``np.inf``: never switched off). The current
        is on for ``start <= t < stop``, whatever the time step.
    """

    def __init__(self, amplitude=0.0, start=0.0, stop=np.inf):
        self.amplitude = as_float("amplitude", amplitude, unit="pA")
        self.start = as_float("start", start, unit="ms")
        self.stop = as_float("stop", stop, unit="ms", allow_inf=True)
        if self.stop <= self.start:
            raise ValueError(
                f"stop ({self.stop:g} ms) must be later than start ({self.start:g} ms)."
            )

    def current(self, time, voltage) -> float:
        """Injected current in pA at ``time`` (ms); ``voltage`` (mV) is not used."""
        on = self.start - _TIME_TOLERANCE <= time < self.stop - _TIME_TOLERANCE
        return self.amplitude if on else 0.0

    def __repr__(self) -> str:
        return f"CurrentInput(amplitude={self.amplitude:g} pA, [{self.start:g}, {self.stop:g}) ms)"


class SynapticInput:
    """A conductance-based synapse driven by presynaptic spike times.

    The conductance jumps by ``peak_conductance`` for every presynaptic
    spike and decays exponentially with the preset's ``decay_time``:
    ``dg/dt = -g / tau``. Its current is ``g (E_rev - V)``, positive into
    the cell.

    Parameters
    ----------
    spike_times : array_like
        Presynaptic spike times in ms (sorted, >= 0).
    preset : synapses.SynapsePreset, optional
        Receptor type: reversal potential and decay time (default
        :data:`course_utils.synapses.AMPA`).
    peak_conductance : float, optional
        Conductance jump per spike in nS; default: the preset's.

    Attributes
    ----------
    conductance : float
        The current conductance in nS (the synapse's state).

    Notes
    -----
    :meth:`advance` moves the state from t to t + dt: it decays the
    conductance by the exact factor ``exp(-dt / tau)`` and then adds the
    spikes that arrive during ``[t, t + dt)``. A spike therefore acts from
    the next grid point on, never before it happens (as in Brian2, whose
    synapses act after the integration step).
    """

    def __init__(self, spike_times, preset=synapses.AMPA, peak_conductance=None):
        if not isinstance(preset, synapses.SynapsePreset):
            raise TypeError(
                "preset must be a SynapsePreset such as synapses.AMPA or synapses.GABA_A, "
                f"but got {describe_value(preset)}."
            )
        self.spike_times = check_spike_times("spike_times", spike_times)
        self.preset = preset
        self.reversal_potential = preset.reversal_potential
        self.decay_time = preset.decay_time
        if peak_conductance is None:
            peak_conductance = preset.peak_conductance
        self.peak_conductance = as_float(
            "peak_conductance", peak_conductance, unit="nS", nonnegative=True
        )
        self.reset()

    def reset(self) -> None:
        """Back to no conductance, before the first spike."""
        self.conductance = 0.0
        self._next_spike = 0
        self._state_time = None  # the time (ms) the state belongs to; None: not started

    @property
    def state_time(self):
        """The time (ms) the conductance belongs to: where the last step ended (None before)."""
        return self._state_time

    def current(self, time, voltage) -> float:
        """Synaptic current in pA, ``g (E_rev - V)``, at membrane potential ``voltage`` (mV)."""
        return self.conductance * (self.reversal_potential - voltage)

    def advance(self, time, dt) -> None:
        """Move the conductance from ``time`` to ``time + dt`` (both in ms)."""
        if self._state_time is not None and abs(time - self._state_time) > 1e-6 * dt:
            raise ValueError(
                f"this SynapticInput was asked to advance from t = {time:g} ms but its state "
                f"is at t = {self._state_time:g} ms. Is the same SynapticInput attached to "
                "two neurons (or twice to one)? Give each neuron its own input object."
            )
        self.conductance *= math.exp(-dt / self.decay_time)
        end = time + dt - _TIME_TOLERANCE
        spikes = self.spike_times
        while self._next_spike < spikes.size and spikes[self._next_spike] < end:
            self.conductance += self.peak_conductance
            self._next_spike += 1
        self._state_time = time + dt

    def __repr__(self) -> str:
        return (
            f"SynapticInput({self.preset.name}, {self.spike_times.size} spikes, "
            f"peak {self.peak_conductance:g} nS)"
        )


def _check_input(source):
    if isinstance(source, type):
        raise TypeError(
            f"add_input got the class {source.__name__} itself: create an input first, "
            f"e.g. add_input({source.__name__}(...))."
        )
    if not callable(getattr(source, "current", None)):
        raise TypeError(
            "source (an input) must have a method current(time, voltage) that returns pA, "
            f"but got {describe_value(source)}."
        )


# --------------------------------------------------------------------------
# Neuron
# --------------------------------------------------------------------------


class PassiveNeuron:
    """A passive point neuron: a capacitor in parallel with a leak.

    ``C dV/dt = g_L (E_L - V) + I_inputs(t, V)``

    Parameters
    ----------
    name : str, optional
        A label for plots.
    membrane_capacitance : float, optional
        C in pF (> 0, default 200).
    leak_conductance : float, optional
        g_L in nS (> 0, default 10).
    leak_reversal : float, optional
        E_L in mV, the resting potential (default -70).
    initial_voltage : float, optional
        V at the start of a run in mV (default: ``leak_reversal``).

    Attributes
    ----------
    voltage : float
        The membrane potential now, in mV (the neuron's state).
    inputs : list
        Objects with a ``current(time, voltage)`` method (pA).
    """

    def __init__(
        self,
        name="neuron",
        *,
        membrane_capacitance=STANDARD_CELL["membrane_capacitance"],
        leak_conductance=STANDARD_CELL["leak_conductance"],
        leak_reversal=STANDARD_CELL["leak_reversal"],
        initial_voltage=None,
    ):
        if not isinstance(name, str):
            raise TypeError(f"name must be a string, but got {describe_value(name)}.")
        self.name = name
        self.membrane_capacitance = as_float(
            "membrane_capacitance", membrane_capacitance, unit="pF", positive=True
        )
        self.leak_conductance = as_float(
            "leak_conductance", leak_conductance, unit="nS", positive=True
        )
        self.leak_reversal = as_float("leak_reversal", leak_reversal, unit="mV")
        if initial_voltage is None:
            initial_voltage = self.leak_reversal
        self.initial_voltage = as_float("initial_voltage", initial_voltage, unit="mV")
        self.voltage = self.initial_voltage
        self.inputs = []

    @property
    def membrane_time_constant(self) -> float:
        """tau_m = C / g_L in ms (pF / nS = ms)."""
        return self.membrane_capacitance / self.leak_conductance

    @property
    def input_resistance(self) -> float:
        """R_in = 1 / g_L in GOhm (1 / nS = GOhm; 0.1 GOhm = 100 MOhm)."""
        return 1.0 / self.leak_conductance

    def add_input(self, source):
        """Attach an input (an object with ``current(time, voltage)``); returns it."""
        _check_input(source)
        if any(existing is source for existing in self.inputs):
            raise ValueError(
                f"{source!r} is already an input of {self.name!r}: adding it twice would "
                "count its current twice. Create a second input object if you want two."
            )
        self.inputs.append(source)
        return source

    def leak_current(self) -> float:
        """Leak current g_L (E_L - V) in pA, positive into the cell."""
        return self.leak_conductance * (self.leak_reversal - self.voltage)

    def input_current(self, time) -> float:
        """Sum of the currents of all inputs at ``time`` (ms), in pA."""
        return sum(source.current(time, self.voltage) for source in self.inputs)

    def step(self, time, dt) -> None:
        """Advance the voltage (and the inputs' states) from ``time`` to ``time + dt`` (ms).

        Forward Euler: ``V += dt / C * (g_L (E_L - V) + I_inputs)``, with
        every current taken at the start of the step.
        """
        total_current = self.leak_current() + self.input_current(time)
        self.voltage += dt / self.membrane_capacitance * total_current
        for source in self.inputs:
            if hasattr(source, "advance"):
                source.advance(time, dt)

    def reset(self) -> None:
        """Back to ``initial_voltage``, with every input back to its start."""
        self.voltage = self.initial_voltage
        for source in self.inputs:
            if hasattr(source, "reset"):
                source.reset()

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}({self.name!r}, C={self.membrane_capacitance:g} pF, "
            f"g_L={self.leak_conductance:g} nS, E_L={self.leak_reversal:g} mV, "
            f"V={self.voltage:.4g} mV, {len(self.inputs)} inputs)"
        )


# --------------------------------------------------------------------------
# Simulator
# --------------------------------------------------------------------------


def _check_neuron(neuron):
    if isinstance(neuron, type):
        raise TypeError(
            f"add got the class {neuron.__name__} itself: create a neuron first, "
            f"e.g. simulator.add({neuron.__name__}()), then add that."
        )
    missing = [
        name for name in ("step", "reset") if not callable(getattr(neuron, name, None))
    ]
    if not hasattr(neuron, "voltage"):
        missing.append("voltage")
    if missing:
        raise TypeError(
            "add takes a neuron (an object with a voltage, step(time, dt) and reset()), "
            f"but got {describe_value(neuron)}, which has no {', '.join(missing)}."
        )


class Simulator:
    """A clock that steps a list of neurons and records their voltages.

    Each simulator owns its neurons, its clock and its recordings: nothing
    is global, so two simulators never interfere and creating a new one
    never resets an old one.

    Parameters
    ----------
    dt : float, optional
        Time step in ms (> 0, default 0.1).

    Attributes
    ----------
    dt : float
        Time step in ms.
    neurons : list
        The neurons, in the order they were added.
    """

    def __init__(self, dt=0.1):
        self.dt = check_dt(dt)
        self.neurons = []
        self._steps_done = 0
        self._recorded_time = []
        self._recorded_voltage = []  # one list per neuron, same order as self.neurons

    @property
    def time(self) -> float:
        """The current time in ms: steps done x dt (no rounding drift)."""
        return self._steps_done * self.dt

    def add(self, neuron):
        """Add a neuron to the simulation and return it.

        Raises
        ------
        TypeError
            If ``neuron`` is not a neuron (or is a class, not an instance).
        ValueError
            If it is already in this simulator, or the simulation has
            already started (call :meth:`reset` first).
        """
        _check_neuron(neuron)
        if any(existing is neuron for existing in self.neurons):
            raise ValueError(
                f"neuron {getattr(neuron, 'name', neuron)!r} is already in this simulator: "
                "it would be stepped twice per time step."
            )
        if self._steps_done > 0:
            raise ValueError(
                f"the simulation has already run to t = {self.time:g} ms, so a new neuron "
                "would have no recording for that time. Add every neuron before running, "
                "or call reset() (back to t = 0) first."
            )
        self.neurons.append(neuron)
        self._recorded_voltage.append([])
        return neuron

    def reset(self) -> None:
        """Back to t = 0: every neuron reset, recordings cleared."""
        self._steps_done = 0
        self._recorded_time = []
        self._recorded_voltage = [[] for _ in self.neurons]
        for neuron in self.neurons:
            neuron.reset()

    def run(self, duration) -> None:
        """Start a fresh run: :meth:`reset`, then :meth:`continue_for` ``duration`` ms."""
        self._number_of_steps(duration)  # validate before resetting anything
        self.reset()
        self.continue_for(duration)

    def continue_for(self, duration) -> None:
        """Run ``round(duration / dt)`` more steps from the current time.

        At the start of every step the time and each neuron's voltage are
        recorded, then every neuron steps. The state at the end of the run
        is recorded by the next call, so consecutive calls never record a
        time twice: ``run(50); continue_for(50)`` records exactly what
        ``run(100)`` records.

        Parameters
        ----------
        duration : float
            Time to simulate in ms (at least one step, ``>= dt``).
        """
        n_steps = self._number_of_steps(duration)
        dt = self.dt
        pairs = list(zip(self.neurons, self._recorded_voltage, strict=True))
        for _ in range(n_steps):
            time = self.time
            self._recorded_time.append(time)
            for neuron, trace in pairs:
                trace.append(neuron.voltage)
            for neuron, _trace in pairs:
                neuron.step(time, dt)
            self._steps_done += 1
        for neuron, _trace in pairs:
            if not np.isfinite(neuron.voltage):
                warnings.warn(
                    f"the voltage of {getattr(neuron, 'name', 'a neuron')!r} is "
                    f"{neuron.voltage} at t = {self.time:g} ms: the simulation blew up. "
                    "Is dt larger than twice the membrane time constant, or does the "
                    "leak push V away from E_L (wrong sign)?",
                    RuntimeWarning,
                    stacklevel=2,
                )

    def _number_of_steps(self, duration) -> int:
        duration = as_float("duration", duration, unit="ms", positive=True)
        check_steps(duration, self.dt, MAX_LOOP_STEPS, "A Simulator run",
                    "This simulator steps in Python: use a shorter duration or a larger dt.")
        n_steps = round(duration / self.dt)
        if n_steps < 1:
            raise ValueError(
                f"duration ({duration:g} ms) is shorter than one time step "
                f"(dt = {self.dt:g} ms): run for at least dt."
            )
        return n_steps

    @property
    def recorded_time(self) -> np.ndarray:
        """Start time of every step run so far, in ms, shape (n_steps,)."""
        return np.array(self._recorded_time, dtype=float)

    def recorded_voltage(self, neuron) -> np.ndarray:
        """Voltage of ``neuron`` at the start of every step, in mV, shape (n_steps,)."""
        for existing, trace in zip(self.neurons, self._recorded_voltage, strict=True):
            if existing is neuron:
                return np.array(trace, dtype=float)
        raise ValueError(
            f"{getattr(neuron, 'name', neuron)!r} is not in this simulator: "
            "add it with simulator.add(neuron) before running."
        )

    def __repr__(self) -> str:
        return (
            f"Simulator(dt={self.dt:g} ms, t={self.time:g} ms, "
            f"{len(self.neurons)} neurons)"
        )


# --------------------------------------------------------------------------
# Lesson 3: integrate-and-fire neurons, by inheritance
# --------------------------------------------------------------------------

logger = logging.getLogger(__name__)
"""Parent logger of every neuron's logger (``course_utils.simulator.<name>``)."""


class LIFNeuron(PassiveNeuron):
    """A leaky integrate-and-fire neuron: a passive neuron plus three rules.

    Between spikes the membrane is the passive one (the inherited
    :meth:`PassiveNeuron.step`). Then:

    1. threshold: when V reaches ``threshold`` at the end of a step, the
       neuron spikes; the spike time ``time + dt`` is appended to
       ``spike_times`` (a spike is an event, not a voltage sample);
    2. reset: V is set to ``reset_voltage``;
    3. refractory period: V is held at ``reset_voltage`` for the whole
       steps that fit into ``refractory_period`` after the spike,
       ``floor(refractory_period / dt)`` of them (Brian2's rule; a period
       that is not a multiple of dt is rounded down, never up).

    This is the "textbook" step order of
    :func:`course_utils.neurons.simulate_lif`, whose spike times it
    reproduces. Each spike is logged at DEBUG level on the neuron's own
    logger, ``course_utils.simulator.<name>``.

    Parameters
    ----------
    name : str, optional
        A label for plots and log messages.
    threshold : float, optional
        V_th in mV (default -50).
    reset_voltage : float, optional
        V_reset in mV, below ``threshold`` (default -65).
    refractory_period : float, optional
        t_ref in ms (>= 0, default 2).
    **kwargs
        Passed to :class:`PassiveNeuron` (membrane_capacitance, leak_conductance,
        leak_reversal, initial_voltage).

    Attributes
    ----------
    spike_times : list of float
        Spike times of the current run, in ms.
    logger : logging.Logger
        This neuron's logger; ``neuron.logger.setLevel(logging.DEBUG)``
        (with a handler, e.g. ``logging.basicConfig()``) shows its spikes.
    """

    def __init__(self, name="LIF", *, threshold=-50.0, reset_voltage=-65.0,
                 refractory_period=2.0, **kwargs):
        super().__init__(name, **kwargs)
        self.threshold = as_float("threshold", threshold, unit="mV")
        self.reset_voltage = as_float("reset_voltage", reset_voltage, unit="mV")
        if self.reset_voltage >= self.threshold:
            raise ValueError(
                f"reset_voltage ({self.reset_voltage:g} mV) must be below threshold "
                f"({self.threshold:g} mV), otherwise the neuron spikes again at once."
            )
        self.refractory_period = as_float(
            "refractory_period", refractory_period, unit="ms", nonnegative=True
        )
        self.logger = logger.getChild(name)
        self.reset()  # no spikes yet, not refractory

    def reset(self) -> None:
        """Back to the start of a run: initial voltage, no spikes, not refractory."""
        super().reset()
        self.spike_times = []
        self.refractory_until = -math.inf

    def step(self, time, dt) -> None:
        """Advance from ``time`` to ``time + dt`` (ms): integrate, then threshold and reset."""
        # Whole steps, as Brian2 counts them: a step is refractory when it ENDS
        # no later than refractory_until, so the period lasts floor(t_ref / dt)
        # steps. The slack of dt / 1000 (Brian2's too) keeps floating-point
        # times such as 0.1 * 120 = 12.000000000000002 from deciding.
        refractory = time + dt <= self.refractory_until + dt / 1000
        super().step(time, dt)  # the passive membrane; also advances the inputs
        if refractory:
            self.voltage = self.reset_voltage
        elif self.voltage >= self.threshold:
            spike_time = time + dt
            self.spike_times.append(spike_time)
            self.logger.debug("%s spiked at t = %.2f ms", self.name, spike_time)
            self.voltage = self.reset_voltage
            self.refractory_until = spike_time + self.refractory_period


class PerfectIntegrator(LIFNeuron):
    """An integrate-and-fire neuron without a leak: ``C dV/dt = I``.

    Everything is inherited from :class:`LIFNeuron` except the leak
    current, which is zero: the inherited ``step`` calls
    ``self.leak_current()``, and Python picks this class's version
    (polymorphism). Any positive current makes it fire, at
    ``1000 / (t_ref + C (V_th - V_reset) / I)`` Hz: no rheobase.
    """

    def leak_current(self) -> float:
        """No leak: 0 pA."""
        return 0.0


__all__ += ["LIFNeuron", "PerfectIntegrator"]

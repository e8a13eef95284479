"""Spike trains, synaptic conductances and synaptic currents.

Units: time in ms, rates in Hz, conductance in nS, voltage in mV, current in
pA (see :mod:`course_utils`).

Sign convention: every current in the course is counted positive when it
flows INTO the cell and depolarises it, like an injected current. The
synaptic current is therefore ``g * (E_rev - V)``: an AMPA current at rest is
positive, a GABA_A current at rest (V above E_GABA) is negative.

A conductance can be computed two ways:

* analytically, as a sum of kernels over the spike times,
  ``g(t) = g_max * sum_k kernel(t - t_k)``, exact at any time point; and
* numerically, by stepping the kernel's differential equation forward in
  time, one dt at a time, adding a jump at every spike. This is how a
  simulator does it: it needs only the current state, not the whole spike
  history.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validation import (
    MAX_SPIKES,
    MAX_STEPS,
    MAX_TRAINS,
    as_array,
    as_float,
    as_int,
    check_choice,
    check_dt,
    check_rng,
    check_size,
    check_spike_times,
)
from .inputs import grid_step
from .parameters import validate

KERNEL_SHAPES = ("exponential", "alpha", "dual_exponential")


@dataclass(frozen=True)
class SynapsePreset:
    """Parameters of one synapse type.

    Attributes
    ----------
    name : str
        Receptor name.
    reversal_potential : float
        Reversal potential in mV.
    rise_time : float
        Rise time constant in ms (used by the dual-exponential kernel).
    decay_time : float
        Decay time constant in ms.
    peak_conductance : float
        Peak conductance of a single event in nS.
    source : str
        Where the numbers come from.
    """

    name: str
    reversal_potential: float
    rise_time: float
    decay_time: float
    peak_conductance: float
    source: str

    def __post_init__(self):
        for name in ("name", "source"):
            if not isinstance(getattr(self, name), str):
                raise TypeError(f"{name} must be a str, but got {getattr(self, name)!r}.")
        validate("reversal_potential", self.reversal_potential)
        rise = validate("rise_time", self.rise_time)
        decay = validate("decay_time", self.decay_time)
        validate("peak_conductance", self.peak_conductance)
        if rise >= decay:
            raise ValueError(
                f"rise_time ({rise:g} ms) must be shorter than decay_time ({decay:g} ms)."
            )


AMPA = SynapsePreset(
    name="AMPA",
    reversal_potential=0.0,
    rise_time=0.2,
    decay_time=5.0,
    peak_conductance=0.5,
    source=(
        "Kinetics and reversal: Destexhe, Mainen & Sejnowski (1998), Kinetic models "
        "of synaptic transmission, in Koch & Segev (eds), Methods in Neuronal "
        "Modeling, 2nd ed., ch. 1 (AMPA: E = 0 mV, decay ~5 ms); Dayan & Abbott "
        "(2001), Theoretical Neuroscience, sec. 5.8. Peak conductance chosen so "
        "that one event on a 200 pF, 10 nS point neuron at -70 mV gives a ~0.5 mV "
        "EPSP, inside the 0.1-2 mV range of unitary cortical EPSPs (Song et al. "
        "2005, PLoS Biol 3:e68)."
    ),
)
"""AMPA (fast excitatory) synapse preset."""

GABA_A = SynapsePreset(
    name="GABA_A",
    reversal_potential=-75.0,
    rise_time=0.5,
    decay_time=10.0,
    peak_conductance=1.0,
    source=(
        "Destexhe, Mainen & Sejnowski (1998), ch. 1 of Methods in Neuronal "
        "Modeling (GABA_A: chloride reversal -70 to -80 mV, decay 5-10 ms); "
        "Dayan & Abbott (2001), sec. 5.8. Peak conductance: inhibitory unitary "
        "conductances are typically larger than excitatory ones (~1 nS)."
    ),
)
"""GABA_A (fast inhibitory) synapse preset."""


# --------------------------------------------------------------------------
# Spike trains
# --------------------------------------------------------------------------


def regular_spike_train(rate, duration, start=0.0) -> np.ndarray:
    """Evenly spaced spike times.

    Parameters
    ----------
    rate : float
        Firing rate in Hz (> 0).
    duration : float
        Length of the run in ms (> 0). Spikes are at ``start + k / rate``
        for every such time in ``[start, duration)``.
    start : float, optional
        Time of the first spike in ms (>= 0).

    Returns
    -------
    numpy.ndarray
        Spike times in ms.
    """
    rate = as_float("rate", rate, unit="Hz", positive=True)
    duration = as_float("duration", duration, unit="ms", positive=True)
    start = as_float("start", start, unit="ms", nonnegative=True)
    check_size(
        f"A regular train at rate = {rate:g} Hz for duration = {duration:g} ms",
        rate * duration / 1000.0, MAX_SPIKES, "Use a lower rate or a shorter duration.",
        unit="spikes",
    )
    interval = 1000.0 / rate  # Hz -> ms between spikes
    n_spikes = int(np.ceil((duration - start) / interval - 1e-9))
    times = start + interval * np.arange(max(n_spikes, 0))
    return times[times < duration]


def poisson_spike_train(rate, duration, rng) -> np.ndarray:
    """Spike times of a homogeneous Poisson process.

    Parameters
    ----------
    rate : float
        Mean firing rate in Hz (>= 0).
    duration : float
        Length of the run in ms (> 0).
    rng : numpy.random.Generator
        Seeded generator, e.g. ``np.random.default_rng(0)``.

    Returns
    -------
    numpy.ndarray
        Sorted spike times in ms in ``[0, duration)``. The count is Poisson
        with mean ``rate * duration / 1000`` and, given the count, the times
        are uniform: the textbook construction of a Poisson process.
    """
    rate = as_float("rate", rate, unit="Hz", nonnegative=True)
    duration = as_float("duration", duration, unit="ms", positive=True)
    rng = check_rng(rng)
    check_size(
        f"A Poisson train at rate = {rate:g} Hz for duration = {duration:g} ms",
        rate * duration / 1000.0, MAX_SPIKES, "Use a lower rate or a shorter duration.",
        unit="spikes on average",
    )
    n_spikes = rng.poisson(rate * duration / 1000.0)
    return np.sort(rng.uniform(0.0, duration, size=n_spikes))


# --------------------------------------------------------------------------
# Kernels (analytical form)
# --------------------------------------------------------------------------


def check_spike_trains(name, spike_trains, duration=None) -> list[np.ndarray]:
    """Check a list of spike trains, one per synapse, and return them as arrays.

    Parameters
    ----------
    name : str
        The argument's name, used in the messages.
    spike_trains : sequence of array_like
        One array of spike times in ms per synapse (a 2-D array counts as
        one train per row).
    duration : float, optional
        Run length in ms: every spike must lie in [0, duration).

    Returns
    -------
    list of numpy.ndarray
        The trains as 1-D float arrays in ms (each checked to be sorted).
    """
    if not isinstance(spike_trains, (list, tuple)) and not (
        isinstance(spike_trains, np.ndarray) and spike_trains.ndim == 2
    ):
        raise TypeError(
            f"{name} must be a list of spike-time arrays (one per synapse); "
            "wrap a single train as [train]."
        )
    as_int(f"the number of {name}", len(spike_trains), maximum=MAX_TRAINS)
    if duration is not None:
        duration = as_float("duration", duration, unit="ms", positive=True)
    return [
        check_spike_times(f"{name}[{i}]", train, duration=duration)
        for i, train in enumerate(spike_trains)
    ]


def _check_taus(shape, decay_time, rise_time):
    check_choice("shape", shape, KERNEL_SHAPES)
    decay_time = as_float("decay_time", decay_time, unit="ms", positive=True)
    if shape == "dual_exponential":
        if rise_time is None:
            raise ValueError("rise_time (ms) is needed for the dual_exponential shape.")
        rise_time = as_float("rise_time", rise_time, unit="ms", positive=True)
        if rise_time >= decay_time:
            raise ValueError(
                f"rise_time ({rise_time:g} ms) must be shorter than decay_time "
                f"({decay_time:g} ms)."
            )
    return decay_time, rise_time


def _dual_exponential_peak(rise_time, decay_time):
    """Time of the peak (ms) and the factor that scales the peak to 1."""
    peak_time = (
        rise_time * decay_time / (decay_time - rise_time) * np.log(decay_time / rise_time)
    )
    height = np.exp(-peak_time / decay_time) - np.exp(-peak_time / rise_time)
    return peak_time, 1.0 / height


def kernel(time_since_spike, decay_time, shape="exponential", rise_time=None) -> np.ndarray:
    """Conductance time course of one event, with a peak of 1.

    Parameters
    ----------
    time_since_spike : array_like
        Time since the presynaptic spike in ms; the kernel is 0 for
        negative values (causality).
    decay_time : float
        Decay time constant in ms. For the alpha shape it is also the time
        of the peak.
    shape : {"exponential", "alpha", "dual_exponential"}
        ``exp(-s/tau)``; ``(s/tau) * exp(1 - s/tau)``; or
        ``k * (exp(-s/tau_decay) - exp(-s/tau_rise))``, each scaled so
        that its maximum is exactly 1.
    rise_time : float, optional
        Rise time constant in ms, for the dual-exponential shape only.

    Returns
    -------
    numpy.ndarray
        Dimensionless kernel values in [0, 1].
    """
    decay_time, rise_time = _check_taus(shape, decay_time, rise_time)
    s = as_array("time_since_spike", time_since_spike, unit="ms")
    after = s >= 0
    s_pos = np.where(after, s, 0.0)
    if shape == "exponential":
        values = np.exp(-s_pos / decay_time)
    elif shape == "alpha":
        values = (s_pos / decay_time) * np.exp(1.0 - s_pos / decay_time)
    else:
        _, scale = _dual_exponential_peak(rise_time, decay_time)
        values = scale * (np.exp(-s_pos / decay_time) - np.exp(-s_pos / rise_time))
    return np.where(after, values, 0.0)


def kernel_area(decay_time, shape="exponential", rise_time=None) -> float:
    """Area under one kernel of peak 1 (ms): the charge-carrying size of one event.

    Times ``g_max`` it is what one spike adds to the time integral of the
    conductance (nS ms), so it sets the mean conductance of many synapses
    (Campbell's theorem).

    Parameters
    ----------
    decay_time : float
        Decay time constant in ms.
    shape : {"exponential", "alpha", "dual_exponential"}
        Kernel shape, see :func:`kernel`.
    rise_time : float, optional
        Rise time constant in ms (dual exponential only; ignored otherwise).

    Returns
    -------
    float
        ``tau`` (exponential), ``e * tau`` (alpha) or
        ``c * (tau_decay - tau_rise)`` with ``c`` the factor that scales the
        dual exponential to a peak of 1.
    """
    check_choice("shape", shape, KERNEL_SHAPES)
    if shape != "dual_exponential":
        rise_time = None
    decay_time, rise_time = _check_taus(shape, decay_time, rise_time)
    if shape == "exponential":
        return decay_time
    if shape == "alpha":
        return float(np.e * decay_time)
    _, scale = _dual_exponential_peak(rise_time, decay_time)
    return float(scale * (decay_time - rise_time))


def conductance_analytical(
    time, spike_times, peak_conductance, decay_time, shape="exponential", rise_time=None
) -> np.ndarray:
    """Synaptic conductance as a sum of kernels over spike times.

    Parameters
    ----------
    time : array_like
        Times in ms at which to evaluate the conductance (1-D).
    spike_times : array_like
        Presynaptic spike times in ms (1-D, sorted, >= 0, none after the
        last of ``time``: as for :func:`conductance_numerical`).
    peak_conductance : float
        Peak conductance of one event in nS (>= 0).
    decay_time : float
        Decay time constant in ms.
    shape : {"exponential", "alpha", "dual_exponential"}
        Kernel shape, see :func:`kernel`.
    rise_time : float, optional
        Rise time constant in ms (dual exponential only).

    Returns
    -------
    numpy.ndarray
        Conductance in nS at each time: exact, whatever the spacing of
        ``time``. Cost grows with (number of times) x (number of spikes).
    """
    time = as_array("time", time, unit="ms", ndim=1)
    # As conductance_numerical: a spike after every evaluated time is outside the run.
    end = np.nextafter(time.max(), np.inf) if time.size else None
    spikes = check_spike_times("spike_times", spike_times, duration=end, end="the last time")
    peak_conductance = as_float("peak_conductance", peak_conductance, unit="nS", nonnegative=True)
    decay_time, rise_time = _check_taus(shape, decay_time, rise_time)
    conductance = np.zeros_like(time)
    for spike_time in spikes:
        conductance += kernel(time - spike_time, decay_time, shape, rise_time)
    return peak_conductance * conductance


# --------------------------------------------------------------------------
# Kernels (numerical form: one ODE step at a time)
# --------------------------------------------------------------------------


def decay_factor(dt, decay_time, method="exact") -> float:
    """Factor by which an exponentially decaying variable shrinks in one step.

    Parameters
    ----------
    dt : float
        Time step in ms.
    decay_time : float
        Time constant in ms.
    method : {"exact", "euler"}
        ``exp(-dt/tau)`` (exact for ``dg/dt = -g/tau``) or the forward
        Euler step ``1 - dt/tau``.

    Returns
    -------
    float
        Multiplicative factor per step.
    """
    dt = check_dt(dt)
    decay_time = as_float("decay_time", decay_time, unit="ms", positive=True)
    check_choice("method", method, ("exact", "euler"))
    if method == "exact":
        return float(np.exp(-dt / decay_time))
    if method == "euler":
        return 1.0 - dt / decay_time
    raise ValueError(f"method must be 'exact' or 'euler', but got {method!r}.")


def spike_counts_on_grid(spike_times, n_steps, dt) -> np.ndarray:
    """Number of spikes arriving in each step ``[k*dt, (k+1)*dt)``.

    Parameters
    ----------
    spike_times : array_like
        Spike times in ms, inside the run ``[0, n_steps*dt)``.
    n_steps : int
        Number of steps in the run.
    dt : float
        Time step in ms.

    Returns
    -------
    numpy.ndarray of int
        Spike count per step; a simulator applies them at the step's start,
        so each spike is moved earlier by up to one dt.
    """
    dt = check_dt(dt)
    n_steps = as_int("n_steps", n_steps, minimum=1, maximum=MAX_STEPS)
    spikes = check_spike_times(
        "spike_times", spike_times, duration=n_steps * dt, end="n_steps * dt"
    )
    # The tiny offset keeps a spike at exactly k*dt in step k despite rounding.
    index = np.floor(spikes / dt + 1e-9).astype(int)
    return np.bincount(index, minlength=n_steps)[:n_steps]


def conductance_numerical(
    time,
    spike_times,
    peak_conductance,
    decay_time,
    shape="exponential",
    rise_time=None,
    method="exact",
    dt=None,
) -> np.ndarray:
    """Synaptic conductance computed by stepping its ODE forward in time.

    Parameters
    ----------
    time : array_like
        Uniform time grid in ms, from :func:`course_utils.inputs.time_grid`.
    spike_times : array_like
        Presynaptic spike times in ms inside the grid's run.
    peak_conductance : float
        Peak conductance of one event in nS.
    decay_time : float
        Decay time constant in ms.
    shape : {"exponential", "alpha", "dual_exponential"}
        Kernel shape, see :func:`kernel`.
    rise_time : float, optional
        Rise time constant in ms (dual exponential only).
    method : {"exact", "euler"}
        How each linear decay is stepped, see :func:`decay_factor`.
    dt : float, optional
        Time step in ms; read from ``time``. A one-point grid (a one-step
        run) needs it only for spikes after its point.

    Returns
    -------
    numpy.ndarray
        Conductance in nS at each grid time.

    Notes
    -----
    The ODE systems (``s`` a spike arriving, ``delta`` a jump):

    * exponential: ``dg/dt = -g/tau``; at a spike ``g += g_max``.
    * alpha: ``dg/dt = (h - g)/tau``, ``dh/dt = -h/tau``; at a spike
      ``h += e * g_max``. Solving gives ``g_max (t/tau) exp(1 - t/tau)``.
    * dual exponential: two exponentials with tau_decay and tau_rise, each
      jumping by ``k * g_max``; ``g`` is their difference.

    With ``method="exact"`` and spikes on the grid, the result equals the
    analytical sum to rounding error; spikes between grid points are
    applied at the start of their step, an error of at most one dt in time
    (up to one dt early). :class:`course_utils.simulator.SynapticInput`,
    which is advanced while a neuron runs, applies them after their step
    instead (up to one dt late, as Brian2 does); lesson 1 says why.
    """
    time, dt = _uniform_grid(time, spike_times, dt)
    peak_conductance = as_float("peak_conductance", peak_conductance, unit="nS", nonnegative=True)
    decay_time, rise_time = _check_taus(shape, decay_time, rise_time)
    spikes = check_spike_times("spike_times", spike_times)
    arrivals = spike_counts_on_grid(spikes - time[0], time.size, dt)
    decay = decay_factor(dt, decay_time, method)
    if shape == "exponential":
        return _exponential_conductance(arrivals, peak_conductance, decay)
    if shape == "alpha":
        return _alpha_conductance(arrivals, peak_conductance, dt, decay_time, decay, method)
    return _dual_exponential_conductance(
        arrivals, peak_conductance, decay, decay_factor(dt, rise_time, method),
        rise_time, decay_time,
    )


def _uniform_grid(time, spike_times, dt) -> tuple[np.ndarray, float]:
    """``time`` (ms) checked to be a uniform grid, and its step dt in ms."""
    time = as_array("time", time, unit="ms", ndim=1, allow_empty=False)
    if time.size == 1 and dt is None:
        # A one-step run: its only value, at time[0], never depends on dt as long as
        # every spike comes at time[0] (a later one needs dt to place).
        late = np.asarray(check_spike_times("spike_times", spike_times), dtype=float) != time[0]
        if late.any():
            raise ValueError(
                "time has a single point, so a spike after it (spike_times) can only be "
                "placed with the step: pass dt (ms) too."
            )
        dt = 1.0
    dt = grid_step(time, dt)
    if not np.allclose(np.diff(time), dt, rtol=1e-6, atol=1e-9):
        raise ValueError("time must be a uniform grid: build it with time_grid().")
    return time, dt


def _exponential_conductance(arrivals, peak_conductance, decay) -> np.ndarray:
    """g (nS) on the grid: jumps by g_max per spike arriving at a step, decays by ``decay``."""
    conductance = np.zeros(arrivals.size)
    g = 0.0
    for k in range(arrivals.size):
        g += peak_conductance * arrivals[k]
        conductance[k] = g
        g *= decay
    return conductance


def _alpha_conductance(arrivals, peak_conductance, dt, decay_time, decay, method):
    """g (nS) of the alpha kernel's ODE pair; h jumps by e * g_max per arriving spike."""
    conductance = np.zeros(arrivals.size)
    g, h = 0.0, 0.0
    for k in range(arrivals.size):
        h += np.e * peak_conductance * arrivals[k]
        conductance[k] = g
        g, h = _alpha_step(g, h, dt, decay_time, decay, method)
    return conductance


def _dual_exponential_conductance(arrivals, peak_conductance, decay, rise_decay, rise_time,
                                  decay_time):
    """g (nS): a slow minus a fast exponential, scaled so one spike peaks at g_max."""
    _, scale = _dual_exponential_peak(rise_time, decay_time)
    conductance = np.zeros(arrivals.size)
    slow, fast = 0.0, 0.0
    for k in range(arrivals.size):
        jump = scale * peak_conductance * arrivals[k]
        slow += jump
        fast += jump
        conductance[k] = slow - fast
        slow *= decay
        fast *= rise_decay
    return conductance


def _alpha_step(g, h, dt, tau, decay, method):
    """One step of dg/dt = (h - g)/tau, dh/dt = -h/tau."""
    if method == "euler":
        return g + dt * (h - g) / tau, h * decay
    # Exact solution of the linear pair over one step.
    return (g + h * dt / tau) * decay, h * decay


# --------------------------------------------------------------------------
# Currents
# --------------------------------------------------------------------------


def synaptic_current(conductance, voltage, reversal_potential) -> np.ndarray:
    """Synaptic current ``g * (E_rev - V)``, positive into the cell.

    Parameters
    ----------
    conductance : array_like or float
        Synaptic conductance in nS (>= 0).
    voltage : array_like or float
        Membrane potential in mV; broadcasts with ``conductance``.
    reversal_potential : float
        Reversal potential of the synapse in mV.

    Returns
    -------
    numpy.ndarray
        Current in pA (nS x mV = pA). Positive (depolarising) when the
        membrane is below the reversal potential, zero at it, negative
        above it.
    """
    conductance = as_array("conductance", conductance, unit="nS", nonnegative=True)
    voltage = as_array("voltage", voltage, unit="mV")
    reversal_potential = as_float("reversal_potential", reversal_potential, unit="mV")
    try:
        return conductance * (reversal_potential - voltage)
    except ValueError:
        raise ValueError(
            f"conductance (shape {conductance.shape}) and voltage (shape "
            f"{voltage.shape}) must have the same shape or broadcast together."
        ) from None


def total_conductance(time, spike_trains, preset, shape="dual_exponential") -> np.ndarray:
    """Summed conductance of many synapses of one type.

    Parameters
    ----------
    time : array_like
        Uniform time grid in ms.
    spike_trains : sequence of array_like
        One array of spike times (ms) per synapse.
    preset : SynapsePreset
        Synapse type, e.g. :data:`AMPA` or :data:`GABA_A`.
    shape : {"exponential", "alpha", "dual_exponential"}
        Kernel shape.

    Returns
    -------
    numpy.ndarray
        Conductance in nS. Because the kernel ODE is linear, many synapses
        of the same type sum into one ODE fed by all their spikes.
    """
    if not isinstance(preset, SynapsePreset):
        raise TypeError("preset must be a SynapsePreset such as synapses.AMPA.")
    check_choice("shape", shape, KERNEL_SHAPES)
    trains = check_spike_trains("spike_trains", spike_trains)
    merged = np.sort(np.concatenate(trains)) if trains else np.array([])
    return conductance_numerical(
        time,
        merged,
        preset.peak_conductance,
        preset.decay_time,
        shape=shape,
        rise_time=preset.rise_time if shape == "dual_exponential" else None,
    )


def poisson_population(n_synapses, rate, duration, rng) -> list[np.ndarray]:
    """Independent Poisson spike trains, one per synapse.

    Parameters
    ----------
    n_synapses : int
        Number of presynaptic neurons (>= 0).
    rate : float
        Rate of each in Hz.
    duration : float
        Run length in ms.
    rng : numpy.random.Generator
        Seeded generator.

    Returns
    -------
    list of numpy.ndarray
        Spike times in ms, one array per synapse.
    """
    n_synapses = as_int("n_synapses", n_synapses, minimum=0, maximum=MAX_TRAINS)
    rate = as_float("rate", rate, unit="Hz", nonnegative=True)
    duration = as_float("duration", duration, unit="ms", positive=True)
    rng = check_rng(rng)
    check_size(
        f"n_synapses = {n_synapses} trains at rate = {rate:g} Hz for duration = {duration:g} ms",
        n_synapses * rate * duration / 1000.0, MAX_SPIKES,
        "Use fewer synapses, a lower rate or a shorter duration.", unit="spikes on average",
    )
    return [poisson_spike_train(rate, duration, rng) for _ in range(int(n_synapses))]

"""The outcome of a simulation run: :class:`SimulationResult`.

Units: time in ms, voltage in mV, rate in Hz (see :mod:`course_utils`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .._validation import as_array, check_dt

__all__ = ["SimulationResult"]


@dataclass(frozen=True)
class SimulationResult:
    """The outcome of one simulation run.

    Attributes
    ----------
    time : numpy.ndarray
        Shape (n_steps,), ms: the start time of every step,
        ``np.arange(n_steps) * dt``.
    voltage : numpy.ndarray or None
        Shape (n_neurons, n_steps), mV: the membrane potential at the START
        of every step (``voltage[:, 0]`` is the initial voltage), like
        Brian2's StateMonitor. ``None`` if the run was made with
        ``record_voltage=False``.
    spike_times : list of numpy.ndarray
        One sorted array of spike times in ms per neuron. Every spike time
        is a point of ``time``.
    dt : float
        Time step in ms.
    traces : dict of str to numpy.ndarray
        Further state variables, shape (n_neurons, n_steps), recorded like
        ``voltage`` (for example ``"adaptation"`` in pA for the AdEx model).
    """

    time: np.ndarray
    voltage: np.ndarray | None
    spike_times: list[np.ndarray]
    dt: float
    traces: dict[str, np.ndarray] = field(default_factory=dict)

    def __post_init__(self):
        # Checked once here so that a result built by hand (a student's own
        # solver, a test) cannot carry NaN or mismatched shapes into an analysis.
        time = as_array("time", self.time, unit="ms", ndim=1)
        check_dt(self.dt)
        if isinstance(self.spike_times, np.ndarray) or not isinstance(
            self.spike_times, (list, tuple)
        ):
            raise TypeError(
                "spike_times must be a list with one array of spike times (ms) per neuron, "
                f"but got {type(self.spike_times).__name__}."
            )
        if not isinstance(self.traces, dict):
            raise TypeError(
                f"traces must be a dict of name -> array, but got {type(self.traces).__name__}."
            )
        shape = (len(self.spike_times), time.size)
        recorded = {} if self.voltage is None else {"voltage": self.voltage}
        recorded.update({f"traces[{name!r}]": value for name, value in self.traces.items()})
        for name, value in recorded.items():
            array = as_array(name, value, ndim=2)
            if array.shape != shape:
                raise ValueError(
                    f"{name} has shape {array.shape}, but spike_times has "
                    f"{len(self.spike_times)} neuron(s) and time {time.size} points: "
                    f"it needs shape {shape}."
                )

    @property
    def n_neurons(self) -> int:
        """Number of simulated neurons."""
        return len(self.spike_times)

    @property
    def n_steps(self) -> int:
        """Number of time steps (and of recorded samples)."""
        return len(self.time)

    @property
    def duration(self) -> float:
        """Length of the run in ms, ``n_steps * dt``."""
        return self.n_steps * self.dt

    @property
    def spike_counts(self) -> np.ndarray:
        """Number of spikes of each neuron, shape (n_neurons,), int."""
        return np.array([len(times) for times in self.spike_times], dtype=int)

    @property
    def firing_rates(self) -> np.ndarray:
        """Mean firing rate of each neuron over the run, in Hz.

        Spike count divided by the duration in ms, times 1000 (ms -> s).
        """
        return self.spike_counts / self.duration * 1000.0

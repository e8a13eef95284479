"""Spike detection, rates, intervals, f-I curves and electrophysiology features.

Units: time in ms, voltage in mV, current in pA, resistance in GOhm
(= mV / pA), rate in Hz (see :mod:`course_utils`). Spike counts per ms are
turned into Hz by multiplying by 1000, and every function that does so says
it. Time windows are half-open, ``[start, stop)``.

Definitions used by the features (the tests compare them with eFEL's):

spike (recordings: :func:`detect_spikes`)
    A fast (dV/dt >= 20 mV/ms), tall (peak - spike threshold >= 20 mV)
    event whose peak reaches -20 mV; its time is the upward crossing of
    -20 mV, linearly interpolated. Smaller or slower events are **failed
    spikes**, reported, never counted; a membrane stuck above its spike
    threshold for 50 ms after a spike is in **depolarisation block**.
    :func:`spike_times_from_trace` is the bare upward crossing of a level
    (default 0 mV), for simulated traces and Exercise 5.1.
spike threshold
    Searching backwards from the steepest point of the upstroke, the last
    upward crossing of ``dvdt_threshold`` (default 20 mV/ms) by dV/dt, with
    the voltage linearly interpolated between the two samples around the
    crossing. dV/dt is the central difference (``numpy.gradient``).
AP amplitude
    Peak voltage minus spike-threshold voltage, in mV.
half-width
    Time between the upward and the downward crossing of the voltage half
    way between threshold and peak, each linearly interpolated, in ms.
ISI CV
    Standard deviation (``ddof=1``) of the interspike intervals divided by
    their mean; needs at least 2 intervals.
adaptation index
    The mean, over consecutive pairs of intervals, of
    ``(ISI[i+1] - ISI[i]) / (ISI[i+1] + ISI[i])``, every interval used
    (``adaptation_index``); ``adaptation_index_efel`` first skips the
    spikes eFEL skips by default (10 % of them, at most 2). Positive when
    firing slows down. Needs at least 4 spikes, like eFEL.
baseline, steady state
    Mean voltage over ``baseline_duration`` (default 100 ms) before a step,
    and over the last 10 % of the step (eFEL's ``steady_state_voltage_stimend``).
input resistance
    (steady state - baseline) / step amplitude, in GOhm (mV / pA).
membrane time constant
    ``scipy.optimize.curve_fit`` of ``V(t) = V_inf + dV exp(-(t - onset) / tau)``
    from ``fit_delay`` (0.5 ms) after the onset of a step to the time of
    the largest deflection of the 1-ms smoothed voltage (the sag peak in a
    cell with sag, the end of the step in a passive cell).
sag
    For a hyperpolarising step, ``sag_amplitude = steady state - minimum``
    (mV, positive when the voltage recovers), where the minimum is taken on
    the voltage smoothed with a ``smoothing`` (1 ms) running mean so that
    noise does not deepen it; ``sag_ratio = sag_amplitude / (baseline -
    minimum)`` (eFEL's ``sag_ratio1``). 0 means no sag.

A sweep without spikes gives 0 Hz for rates and NaN for every spike-shape or
interval feature; nothing raises for lack of spikes.

Layout
------
One private module per concern; every public name is importable from
:mod:`course_utils.analysis` itself.

``_trains``
    spike times of a simulated trace, rates, intervals, CV, adaptation
    index, f-I curves;
``_spikes``
    :func:`detect_spikes` and :func:`spike_shapes` for recorded traces;
``_responses``
    :func:`step_response` and :func:`fit_time_constant`;
``_features``
    :func:`extract_features` and its tables;
``_plausibility``
    :func:`assess_recording`;
``_traces``
    the checks and helpers they share.
"""

from ._features import CellFeatures, FeatureTable, SweepFeatures, extract_features
from ._plausibility import (
    NOISE_LIMITS,
    PLAUSIBLE_RESISTANCE,
    PLAUSIBLE_REST,
    Plausibility,
    assess_recording,
)
from ._responses import StepResponse, fit_time_constant, step_response
from ._spikes import (
    DEFAULT_BLOCK_DURATION,
    DEFAULT_DVDT_THRESHOLD,
    DEFAULT_MIN_AMPLITUDE,
    DETECTION_THRESHOLD,
    FAILED_PROMINENCE,
    SpikeDetection,
    SpikeShapes,
    detect_spikes,
    spike_shapes,
)
from ._trains import (
    DEFAULT_SPIKE_THRESHOLD,
    FICurve,
    adaptation_index,
    adaptation_index_efel,
    cv_of_isi,
    efel_spike_skip,
    fi_curve,
    firing_rate,
    interspike_intervals,
    spike_times_from_trace,
)

__all__ = [
    "DEFAULT_BLOCK_DURATION",
    "DEFAULT_DVDT_THRESHOLD",
    "DEFAULT_MIN_AMPLITUDE",
    "DEFAULT_SPIKE_THRESHOLD",
    "DETECTION_THRESHOLD",
    "FAILED_PROMINENCE",
    "NOISE_LIMITS",
    "PLAUSIBLE_RESISTANCE",
    "PLAUSIBLE_REST",
    "CellFeatures",
    "FICurve",
    "FeatureTable",
    "Plausibility",
    "SpikeDetection",
    "SpikeShapes",
    "StepResponse",
    "SweepFeatures",
    "adaptation_index",
    "adaptation_index_efel",
    "assess_recording",
    "cv_of_isi",
    "detect_spikes",
    "efel_spike_skip",
    "extract_features",
    "fi_curve",
    "firing_rate",
    "fit_time_constant",
    "interspike_intervals",
    "spike_shapes",
    "spike_times_from_trace",
    "step_response",
]

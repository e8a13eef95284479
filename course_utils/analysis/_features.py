"""The feature table of a recording: spike and passive features of every
sweep, and the cell's summary (units in each field's comment).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import numpy as np

from .._validation import as_float
from ..data import Recording, Sweep
from ..parameters import validate
from ._responses import step_response
from ._spikes import DEFAULT_DVDT_THRESHOLD, DETECTION_THRESHOLD, detect_spikes
from ._traces import nanmedian
from ._trains import FICurve, adaptation_index, adaptation_index_efel, cv_of_isi

_NAN = float("nan")


@dataclass
class SweepFeatures:
    """Features of one sweep (units in the field comments).

    Spike features come from the test step only (:func:`detect_spikes`);
    passive features from the hyperpolarising step (NaN if the sweep has
    none). ``passive_clean`` says whether that step and the 150 ms before
    it are free of spikes and failed spikes (only then do the passive
    features describe the resting membrane).
    """

    sweep: int
    step_current: float  # pA, test step amplitude
    step_start: float  # ms
    step_stop: float  # ms
    resting_potential: float  # mV, mean baseline before the first step (eFEL voltage_base)
    baseline_noise: float  # mV, robust SD (1.4826 MAD) of the baseline
    spike_count: int  # accepted spikes inside the test step
    failed_spike_count: int  # failed spikes inside the test step (not counted)
    block_duration: float  # ms of depolarisation block inside the test step
    firing_rate: float  # Hz, spike_count / step duration * 1000
    first_spike_latency: float  # ms from step onset, NaN without spikes
    isi_cv: float  # dimensionless
    adaptation_index: float  # dimensionless, every interval
    adaptation_index_efel: float  # dimensionless, eFEL's default spike skipping
    ap_threshold: float  # mV, first spike in the step
    ap_amplitude: float  # mV, first spike
    ap_half_width: float  # ms, first spike
    passive_clean: bool  # hyperpolarising step free of spikes
    input_resistance: float  # GOhm
    membrane_time_constant: float  # ms
    sag_amplitude: float  # mV
    sag_ratio: float  # dimensionless
    spike_times: np.ndarray = field(default_factory=lambda: np.empty(0))  # ms
    spike_thresholds: np.ndarray = field(default_factory=lambda: np.empty(0))  # mV
    spike_amplitudes: np.ndarray = field(default_factory=lambda: np.empty(0))  # mV
    spike_half_widths: np.ndarray = field(default_factory=lambda: np.empty(0))  # ms


@dataclass
class CellFeatures:
    """Summary features of the cell (units in the field comments).

    * passive features (input resistance, time constant, sag): median over
      the sweeps whose hyperpolarising step is spike-free (``passive_clean``)
      and whose test step evoked no spike, because spikes leave a slow
      after-hyperpolarisation that shifts the baseline of later steps; if
      there are none, over every ``passive_clean`` sweep; NaN if no
      hyperpolarising step is spike-free;
    * rheobase: the smallest test-step current that evoked a spike. With
      steps of size dI, the true rheobase lies in (rheobase - dI, rheobase];
    * spike shape: the first spike of the rheobase sweep;
    * adaptation index and ISI CV: the sweep with the largest current that
      is not in depolarisation block;
    * f-I slope: least-squares slope of rate against current over the
      sweeps with spikes and without block;
    * ``block_sweeps``: sweeps whose test step goes into depolarisation block.
    """

    resting_potential: float  # mV
    baseline_noise: float  # mV
    input_resistance: float  # GOhm
    membrane_time_constant: float  # ms
    sag_amplitude: float  # mV
    sag_ratio: float  # dimensionless
    rheobase: float  # pA
    fi_slope: float  # Hz/pA
    max_firing_rate: float  # Hz
    ap_threshold: float  # mV
    ap_amplitude: float  # mV
    ap_half_width: float  # ms
    adaptation_index: float  # dimensionless, every interval
    adaptation_index_efel: float  # dimensionless, eFEL's default skipping
    isi_cv: float  # dimensionless
    block_sweeps: list = field(default_factory=list)  # sweep indices


@dataclass
class FeatureTable:
    """Per-sweep features, the cell summary and the f-I curve of a recording."""

    file_name: str
    sweeps: list[SweepFeatures]
    cell: CellFeatures
    fi: FICurve

    def column(self, name: str) -> np.ndarray:
        """One scalar feature of every sweep as an array."""
        names = [f.name for f in fields(SweepFeatures)]
        if name not in names:
            raise ValueError(f"No feature {name!r}; choose one of {', '.join(names)}.")
        return np.array([getattr(s, name) for s in self.sweeps])

    def as_dict(self) -> dict[str, np.ndarray]:
        """The scalar per-sweep features as a dict of arrays (a table)."""
        return {
            f.name: self.column(f.name)
            for f in fields(SweepFeatures)
            if not f.name.startswith("spike_") or f.name == "spike_count"
        }

    def summary(self) -> str:
        """The cell features as text (input resistance also in MOhm)."""
        c = self.cell
        block = ", ".join(str(s) for s in c.block_sweeps) or "none"
        lines = [
            f"{self.file_name}: {len(self.sweeps)} sweeps",
            f"  resting potential      {c.resting_potential:8.2f} mV",
            f"  baseline noise (SD)    {c.baseline_noise:8.2f} mV",
            f"  input resistance       {c.input_resistance:8.4f} GOhm "
            f"({c.input_resistance * 1000:.0f} MOhm)",
            f"  membrane time constant {c.membrane_time_constant:8.2f} ms",
            f"  sag                    {c.sag_amplitude:8.2f} mV (ratio {c.sag_ratio:.3f})",
            f"  rheobase               {c.rheobase:8.1f} pA",
            f"  f-I slope              {c.fi_slope:8.3f} Hz/pA",
            f"  max firing rate        {c.max_firing_rate:8.1f} Hz",
            f"  AP threshold           {c.ap_threshold:8.2f} mV",
            f"  AP amplitude           {c.ap_amplitude:8.2f} mV",
            f"  AP half-width          {c.ap_half_width:8.3f} ms",
            f"  adaptation index       {c.adaptation_index:8.3f} (every interval; "
            f"{c.adaptation_index_efel:.3f} with eFEL's first-spike skip)",
            f"  ISI CV                 {c.isi_cv:8.3f}",
            f"  sweeps in depolarisation block: {block}",
        ]
        return "\n".join(lines)


def _first(values: np.ndarray) -> float:
    return float(values[0]) if values.size else _NAN


def _baseline_window(sweep: Sweep, onset: float, duration: float) -> np.ndarray:
    mask = (sweep.time >= onset - duration) & (sweep.time < onset)
    return sweep.voltage[mask] if mask.any() else sweep.voltage


def _robust_sd(values: np.ndarray) -> float:
    """Noise SD in mV: 1.4826 x the median absolute deviation from a straight line.

    The line removes a slow drift; the median ignores spikes. For Gaussian
    noise this is its standard deviation.
    """
    if values.size < 3:
        return _NAN
    x = np.arange(values.size, dtype=float)
    residual = values - np.polyval(np.polyfit(x, values, 1), x)
    return float(1.4826 * np.median(np.abs(residual - np.median(residual))))


def _passive_row(sweep, hyper, detection, baseline_duration):
    """(clean, StepResponse or None) for the hyperpolarising step of a sweep."""
    if hyper is None:
        return False, None
    response = step_response(sweep.time, sweep.voltage, hyper, baseline_duration=baseline_duration)
    start, stop = hyper.start - baseline_duration - 50.0, hyper.stop
    events = np.concatenate([detection.times, detection.failed_times])
    clean = not ((events >= start) & (events < stop)).any()
    return clean, response


def _sweep_features(sweep, test, hyper, options) -> SweepFeatures:
    threshold, dvdt_threshold, baseline_duration = options
    whole = detect_spikes(
        sweep.time, sweep.voltage, threshold=threshold, dvdt_threshold=dvdt_threshold
    )
    inside = whole.within(test.start, test.stop)
    shapes, times = inside.shapes, inside.times
    baseline = _baseline_window(sweep, min(s.start for s in sweep.steps), baseline_duration)
    clean, response = _passive_row(sweep, hyper, whole, baseline_duration)
    return SweepFeatures(
        sweep=sweep.index,
        step_current=test.amplitude,
        step_start=test.start,
        step_stop=test.stop,
        resting_potential=float(np.mean(baseline)) if baseline.size else _NAN,
        baseline_noise=_robust_sd(baseline),
        spike_count=len(inside),
        failed_spike_count=int(inside.failed_times.size),
        block_duration=inside.blocked_duration,
        firing_rate=len(inside) / test.duration * 1000.0,
        first_spike_latency=_first(times) - test.start if times.size else _NAN,
        isi_cv=cv_of_isi(times),
        adaptation_index=adaptation_index(times),
        adaptation_index_efel=adaptation_index_efel(times),
        ap_threshold=_first(shapes.threshold_voltages),
        ap_amplitude=_first(shapes.amplitudes),
        ap_half_width=_first(shapes.half_widths),
        passive_clean=clean,
        input_resistance=response.input_resistance if response else _NAN,
        membrane_time_constant=response.membrane_time_constant if response else _NAN,
        sag_amplitude=response.sag_amplitude if response else _NAN,
        sag_ratio=response.sag_ratio if response else _NAN,
        spike_times=times,
        spike_thresholds=shapes.threshold_voltages,
        spike_amplitudes=shapes.amplitudes,
        spike_half_widths=shapes.half_widths,
    )


def extract_features(
    recording,
    *,
    threshold=DETECTION_THRESHOLD,
    dvdt_threshold=DEFAULT_DVDT_THRESHOLD,
    baseline_duration=100.0,
) -> FeatureTable:
    """Electrophysiology features of every sweep and of the cell.

    Parameters
    ----------
    recording : Recording
        A current-clamp step recording (see :func:`course_utils.data.load_recording`).
    threshold : float, optional
        Detection threshold of :func:`detect_spikes` in mV (default -20 mV).
    dvdt_threshold : float, optional
        dV/dt criterion of the spike threshold in mV/ms (default 20 mV/ms).
    baseline_duration : float, optional
        Length in ms of the baseline window before each step (default 100).

    Returns
    -------
    FeatureTable
        ``.sweeps`` (one :class:`SweepFeatures` each), ``.cell``
        (:class:`CellFeatures`), ``.fi`` (the f-I curve of the test step)
        and ``.as_dict()`` for a table of arrays.
    """
    if not isinstance(recording, Recording):
        raise TypeError(
            "recording must be a Recording (from load_recording or "
            f"recording_from_arrays), but got {type(recording).__name__}."
        )
    threshold = validate("threshold", threshold)
    dvdt_threshold = validate("dvdt_threshold", dvdt_threshold)
    baseline_duration = as_float("baseline_duration", baseline_duration, unit="ms", positive=True)
    if baseline_duration < 2 * recording.dt:
        raise ValueError(
            f"baseline_duration ({baseline_duration:g} ms) must cover at least two samples "
            f"(2 x dt = {2 * recording.dt:g} ms) to measure a baseline."
        )
    options = (threshold, dvdt_threshold, baseline_duration)
    rows = [
        _sweep_features(sweep, test, hyper, options)
        for sweep, test, hyper in zip(
            recording.sweeps, recording.test_steps(), recording.hyperpolarising_steps(), strict=True
        )
    ]
    counts = np.array([r.spike_count for r in rows])
    fi = FICurve(
        np.array([r.step_current for r in rows]),
        np.array([r.firing_rate for r in rows]),
        counts,
        np.array([r.step_stop - r.step_start for r in rows]),
    )
    return FeatureTable(recording.file_name, rows, _summarise(rows, fi), fi)


def _summarise(rows: list[SweepFeatures], fi: FICurve) -> CellFeatures:
    clean = [r for r in rows if r.passive_clean]
    passive = [r for r in clean if r.spike_count == 0 and r.failed_spike_count == 0] or clean
    healthy = [r for r in rows if r.block_duration == 0]
    spiking = sorted((r for r in healthy if r.spike_count > 0), key=lambda r: r.step_current)
    rheobase_row = spiking[0] if spiking else None
    strongest = max(healthy or rows, key=lambda r: r.step_current)
    use = np.array([r.spike_count > 0 and r.block_duration == 0 for r in rows])
    if np.count_nonzero(use) >= 2 and np.ptp(fi.current[use]) > 0:
        slope = float(np.polyfit(fi.current[use], fi.rate[use], 1)[0])
    else:
        slope = _NAN
    return CellFeatures(
        resting_potential=nanmedian([r.resting_potential for r in rows]),
        baseline_noise=nanmedian([r.baseline_noise for r in rows]),
        input_resistance=nanmedian([r.input_resistance for r in passive]),
        membrane_time_constant=nanmedian([r.membrane_time_constant for r in passive]),
        sag_amplitude=nanmedian([r.sag_amplitude for r in passive]),
        sag_ratio=nanmedian([r.sag_ratio for r in passive]),
        rheobase=rheobase_row.step_current if rheobase_row else _NAN,
        fi_slope=slope,
        max_firing_rate=float(fi.rate.max()) if fi.rate.size else _NAN,
        ap_threshold=rheobase_row.ap_threshold if rheobase_row else _NAN,
        ap_amplitude=rheobase_row.ap_amplitude if rheobase_row else _NAN,
        ap_half_width=rheobase_row.ap_half_width if rheobase_row else _NAN,
        adaptation_index=strongest.adaptation_index,
        adaptation_index_efel=strongest.adaptation_index_efel,
        isi_cv=strongest.isi_cv,
        block_sweeps=[r.sweep for r in rows if r.block_duration > 0],
    )

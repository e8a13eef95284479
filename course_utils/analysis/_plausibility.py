"""Is a recording something the course's models can describe? Resting
potential, input resistance, spike height and noise, judged, with what to do.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..data import RecordingError
from ._features import FeatureTable, extract_features
from ._traces import nanmedian

PLAUSIBLE_REST = (-110.0, -35.0)
"""Resting potentials (mV) the models accept."""


PLAUSIBLE_RESISTANCE = (0.01, 5.0)
"""Input resistances (GOhm) the models accept (10 MOhm to 5 GOhm)."""


NOISE_LIMITS = (2.0, 5.0)
"""Baseline noise SD (mV): above the first a warning, above the second a refusal."""


@dataclass
class Plausibility:
    """What a recording is, and whether the course's models can describe it.

    Attributes
    ----------
    file_name : str
    resting_potential : float
        mV, median baseline before the first step.
    input_resistance : float
        GOhm, from spike-free hyperpolarising steps.
    spike_amplitude : float
        mV, median amplitude of the first spike of each test step with spikes.
    noise : float
        mV, median baseline noise SD.
    block_sweeps, failed_sweeps : list of int
        Sweeps whose test step goes into depolarisation block / has failed spikes.
    problems : list of str
        Why no model can be fitted (empty if the membrane can be fitted).
    spiking_problems : list of str
        Why no spiking model can be fitted (on top of ``problems``).
    warnings : list of str
        What a fit will leave out or what to keep in mind.
    """

    file_name: str
    resting_potential: float
    input_resistance: float
    spike_amplitude: float
    noise: float
    block_sweeps: list
    failed_sweeps: list
    problems: list
    spiking_problems: list
    warnings: list

    @property
    def ok(self) -> bool:
        """True if the passive membrane and the spiking models can be fitted."""
        return not (self.problems or self.spiking_problems)

    def summary(self) -> str:
        """A short report: the four numbers, then every problem and warning."""
        lines = [
            f"{self.file_name}: resting potential {self.resting_potential:.1f} mV, "
            f"input resistance {self.input_resistance * 1000:.0f} MOhm, "
            f"spike amplitude {self.spike_amplitude:.0f} mV, noise {self.noise:.2f} mV",
        ]
        lines += [f"  REFUSED: {p}" for p in self.problems + self.spiking_problems]
        lines += [f"  note: {w}" for w in self.warnings]
        if self.ok:
            lines.append("  plausible: the passive, LIF and AdEx fits can run.")
        return "\n".join(lines)

    def require(self, *, spiking: bool) -> None:
        """Raise :class:`~course_utils.data.RecordingError` with every problem.

        Parameters
        ----------
        spiking : bool
            Also require what a spiking fit needs (spikes in the test steps).
        """
        problems = self.problems + (self.spiking_problems if spiking else [])
        if problems:
            raise RecordingError(
                f"{self.file_name}: the course's models cannot describe this recording:\n- "
                + "\n- ".join(problems)
            )


def assess_recording(recording, features=None) -> Plausibility:
    """Resting potential, input resistance, spike height and noise, judged.

    Parameters
    ----------
    recording : Recording
    features : FeatureTable, optional
        From :func:`extract_features` (computed if not given).

    Returns
    -------
    Plausibility
        ``problems`` name each measurement outside what the course's point
        models can describe (resting potential outside -110 to -35 mV,
        input resistance outside 10 MOhm-5 GOhm or not measurable, noise
        above 5 mV) and say what to do; ``spiking_problems`` say why no
        spiking model can be fitted (no spike in any test step).
    """
    if features is None:
        features = extract_features(recording)
    if not isinstance(features, FeatureTable):
        raise TypeError(
            "features must be a FeatureTable from extract_features(recording), "
            f"but got {type(features).__name__}."
        )
    cell, rows = features.cell, features.sweeps
    amplitudes = [r.ap_amplitude for r in rows if r.spike_count > 0]
    report = Plausibility(
        file_name=features.file_name,
        resting_potential=cell.resting_potential,
        input_resistance=cell.input_resistance,
        spike_amplitude=nanmedian(amplitudes),
        noise=cell.baseline_noise,
        block_sweeps=list(cell.block_sweeps),
        failed_sweeps=[r.sweep for r in rows if r.failed_spike_count and not r.block_duration],
        problems=[],
        spiking_problems=[],
        warnings=[],
    )
    _judge(report)
    return report


def _judge(report: Plausibility) -> None:
    rest, resistance, noise = report.resting_potential, report.input_resistance, report.noise
    low, high = PLAUSIBLE_REST
    if not np.isfinite(rest) or not low <= rest <= high:
        report.problems.append(
            f"the resting potential is {rest:.1f} mV; a healthy neuron rests between about "
            f"-90 and -50 mV, and the models accept {low:g} to {high:g} mV. Near 0 mV the "
            "electrode is usually outside the cell or the seal has broken; a value 1000x "
            "off means the voltage channel's units are wrong. Choose another recording."
        )
    low, high = PLAUSIBLE_RESISTANCE
    if not np.isfinite(resistance):
        report.problems.append(
            "the input resistance cannot be measured: no hyperpolarising step is free of "
            "spikes. Use a protocol with a negative current step during which the cell is quiet."
        )
    elif resistance <= 0:
        report.problems.append(
            f"the input resistance comes out negative ({resistance * 1000:.0f} MOhm): the "
            "voltage moves against the injected current, so the current's sign or channel "
            "is wrong. Check the protocol before fitting."
        )
    elif not low <= resistance <= high:
        report.problems.append(
            f"the input resistance is {resistance * 1000:.0f} MOhm, outside the "
            f"{low * 1000:.0f} MOhm-{high:g} GOhm of whole-cell neurons: check the units of "
            "the current and voltage channels, or choose another recording."
        )
    if np.isfinite(noise) and noise > NOISE_LIMITS[1]:
        report.problems.append(
            f"the baseline noise is {noise:.1f} mV (SD), too much for the fits: filter the "
            "recording or choose a quieter one."
        )
    elif np.isfinite(noise) and noise > NOISE_LIMITS[0]:
        report.warnings.append(
            f"the baseline is noisy ({noise:.1f} mV SD) or drifts: spontaneous activity? "
            "The passive fit uses only spike-free windows."
        )
    if not np.isfinite(report.spike_amplitude):
        report.spiking_problems.append(
            "no test step evokes an action potential (an event at least 20 mV tall that "
            "rises faster than 20 mV/ms and peaks above -20 mV), so there is nothing to fit "
            "a spiking model to; the passive membrane can still be fitted."
        )
    elif report.spike_amplitude < 40.0:
        report.warnings.append(
            f"the spikes are small ({report.spike_amplitude:.0f} mV from threshold to peak): "
            "a poor seal, a high series resistance or heavy filtering?"
        )
    if report.block_sweeps:
        report.warnings.append(
            f"sweeps {report.block_sweeps} go into depolarisation block (the membrane stays "
            "depolarised and spikes fail): the point models cannot do that, so these sweeps "
            "are left out of the spiking fits and scores."
        )
    if report.failed_sweeps:
        report.warnings.append(
            f"sweeps {report.failed_sweeps} have failed spikes (too small or too slow to "
            "count): left out of the spiking fits and scores."
        )

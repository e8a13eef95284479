"""Everything at once: passive, LIF, AdEx and Izhikevich fits of alternate
sweeps, scored on the others, with timings in s."""

from __future__ import annotations

import time as _time
from dataclasses import dataclass

from ._adex import fit_adex
from ._izhikevich import fit_izhikevich
from ._lif import fit_lif
from ._passive import PassiveFit, fit_passive
from ._recording import check_recording, model_dt, split_sweeps
from ._scoring import Scores, score_model
from ._search import ModelFit, progress_bar

_MEMBRANE_KWARGS = (
    "membrane_capacitance",
    "leak_conductance",
    "leak_reversal",
    "adaptation_coupling",
    "adaptation_time_constant",
    "spike_cutoff",
)


@dataclass
class FitReport:
    """Passive, LIF, AdEx and Izhikevich fits of a recording, scored on held-out sweeps.

    Attributes
    ----------
    passive : PassiveFit
    lif, adex, izhikevich : ModelFit
    lif_test, adex_test, izhikevich_test : Scores
        Scores on the held-out sweeps.
    train_sweeps, test_sweeps : list of int
    timings : dict
        Wall-clock seconds: ``"passive"``, ``"lif"``, ``"adex"``,
        ``"izhikevich"``, ``"scoring"``, ``"total"``. The first fit in a
        Python session also loads (or compiles) the numba solvers: time a
        second run to leave that out, as the course's benchmark does.
    """

    passive: PassiveFit
    lif: ModelFit
    adex: ModelFit
    izhikevich: ModelFit
    lif_test: Scores
    adex_test: Scores
    izhikevich_test: Scores
    train_sweeps: list[int]
    test_sweeps: list[int]
    timings: dict

    def summary(self) -> str:
        """The fits and held-out scores as text."""
        p = self.passive
        lines = [
            f"membrane: C = {p.membrane_capacitance:.1f} pF, g_L = {p.leak_conductance:.2f} nS, "
            f"E_L = {p.leak_reversal:.2f} mV, tau = {p.membrane_time_constant:.1f} ms; "
            f"sag a = {p.sag_conductance:.2f} nS, tau_w = {p.sag_time_constant:.0f} ms; "
            f"steady-state R_in = {p.input_resistance * 1000:.0f} MOhm; "
            f"R_s = {p.series_resistance * 1000:.1f} MOhm; RMSE {p.rmse:.2f} mV",
            f"  apparent tau of the model's step responses {p.apparent_time_constant:.1f} ms, "
            f"of the data's {p.measured_time_constant:.1f} ms (same method)",
        ]
        if p.at_bounds:
            lines.append("  on a search bound: " + "; ".join(p.at_bounds))
        if p.note:
            lines.append(f"  {p.note}")
        for name, fit, test in (
            ("LIF", self.lif, self.lif_test),
            ("AdEx", self.adex, self.adex_test),
            ("Izhikevich", self.izhikevich, self.izhikevich_test),
        ):
            shown = {k: round(v, 3) for k, v in fit.parameters.items() if k not in _MEMBRANE_KWARGS}
            lines.append(f"{name}: {shown}")
            if fit.at_bounds:
                lines.append("  on a search bound: " + "; ".join(fit.at_bounds))
            lines.append(
                f"  held-out: f-I RMS {test.fi_rms:.2f} Hz, "
                f"subthreshold RMSE {test.subthreshold_rmse:.2f} mV"
            )
            lines.append(f"  held-out: {test.gamma_text()}")
        t = self.timings
        lines.append("time: " + ", ".join(f"{k} {v:.2f} s" for k, v in t.items()))
        return "\n".join(lines)


def fit_all(recording, *, dt=0.1, rng=None, progress=True) -> FitReport:
    """Fit passive, LIF, AdEx and Izhikevich models to alternate sweeps; score on the others.

    Parameters
    ----------
    recording : Recording
        A current-clamp step recording.
    dt : float, optional
        Model time step in ms (default 0.1: the 20 kHz recording is read at
        every second sample).
    rng : numpy.random.Generator, optional
        For the AdEx search, then the Izhikevich search (default: each its
        own ``np.random.default_rng(0)``, as in lesson 5).
    progress : bool, optional
        Show a progress bar over the stages.

    Returns
    -------
    FitReport
        With ``timings`` in seconds (the course's benchmark reads
        ``timings["total"]``).
    """
    recording = check_recording(recording)
    dt = model_dt(dt)
    timings = {}
    started = _time.perf_counter()
    bar = progress_bar(5, "fitting", progress)

    def timed(stage, fit, *args, **kwargs):
        mark = _time.perf_counter()
        result = fit(*args, **kwargs)
        timings[stage] = _time.perf_counter() - mark
        bar.update()
        return result

    train, test = split_sweeps(recording)
    passive = timed("passive", fit_passive, train, dt=dt)
    lif = timed("lif", fit_lif, train, passive=passive, dt=dt)
    adex = timed("adex", fit_adex, train, passive=passive, dt=dt, rng=rng, progress=False)
    izhikevich = timed(
        "izhikevich", fit_izhikevich, train, passive=passive, dt=dt, rng=rng, progress=False
    )
    fits = {"lif": lif, "adex": adex, "izhikevich": izhikevich}
    scores = timed("scoring", _score_held_out, test, fits, dt, passive.series_resistance)
    bar.close()
    timings["total"] = _time.perf_counter() - started
    return FitReport(
        passive=passive,
        lif=lif,
        adex=adex,
        izhikevich=izhikevich,
        lif_test=scores["lif"],
        adex_test=scores["adex"],
        izhikevich_test=scores["izhikevich"],
        train_sweeps=[s.index for s in train.sweeps],
        test_sweeps=[s.index for s in test.sweeps],
        timings=timings,
    )


def _score_held_out(test, fits: dict, dt: float, series_resistance: float) -> dict:
    """:func:`score_model` of each fit (``{model: ModelFit}``) on the held-out sweeps."""
    return {
        model: score_model(test, model, fit.parameters, dt=dt, series_resistance=series_resistance)
        for model, fit in fits.items()
    }

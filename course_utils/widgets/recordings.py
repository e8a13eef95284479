"""Lesson 5's explorer: a recorded sweep beside a LIF or AdEx model driven by its current."""

from __future__ import annotations

from .._validation import as_float, as_int, check_dt
from ..neurons.registry import get_model
from .explorer import (
    Explorer,
    Slider,
    explorer_grid,
    fixed_layout,
    make_explorer,
    redraw_backend,
    slider,
    spike_strokes,
)

MODEL_NAMES = {name: get_model(name).title for name in ("lif", "adex")}
"""The models offered (their registry names and titles, :mod:`course_utils.neurons.registry`)."""

MODEL_DEFAULTS = {
    "lif": {
        "leak_conductance": 8.0,
        "threshold": -40.0,
        "reset": -65.0,
        "refractory_period": 5.0,
    },
    "adex": {
        "leak_conductance": 8.0,
        "rheobase_threshold": -50.0,
        "slope_factor": 2.0,
        "reset": -60.0,
        "adaptation_coupling": 2.0,
        "spike_adaptation": 60.0,
        "adaptation_time_constant": 200.0,
    },
}
"""Start values of each model's own sliders where the caller gives none."""

SHARED_DEFAULTS = {"membrane_capacitance": 130.0, "leak_reversal": -61.0}
"""Start values of the sliders both models share (pF, mV)."""

# low, high, step, label, unit of each slider; a model's own parameters are
# prefixed with the model's name ("lif_threshold" is simulate_lif's threshold).
PARAMETER_RANGES = {
    "membrane_capacitance": (10.0, 500.0, 1.0, "capacitance C", "pF"),
    "leak_reversal": (-80.0, -45.0, 0.25, "leak reversal E_L", "mV"),
    "lif_leak_conductance": (1.0, 30.0, 0.1, "leak conductance g_L", "nS"),
    "lif_threshold": (-65.0, -10.0, 0.25, "threshold V_th", "mV"),
    "lif_reset": (-90.0, -30.0, 0.25, "reset V_reset", "mV"),
    "lif_refractory_period": (0.0, 40.0, 0.5, "refractory period t_ref", "ms"),
    "adex_leak_conductance": (1.0, 30.0, 0.1, "leak conductance g_L", "nS"),
    "adex_rheobase_threshold": (-70.0, -20.0, 0.25, "rheobase threshold V_T", "mV"),
    "adex_slope_factor": (0.2, 10.0, 0.1, "slope factor Delta_T", "mV"),
    "adex_reset": (-90.0, -30.0, 0.25, "reset V_reset", "mV"),
    "adex_adaptation_coupling": (-5.0, 20.0, 0.1, "adaptation coupling a", "nS"),
    "adex_spike_adaptation": (0.0, 300.0, 1.0, "spike-triggered adaptation b", "pA"),
    "adex_adaptation_time_constant": (10.0, 1000.0, 5.0, "adaptation time constant tau_w", "ms"),
}

# The AdEx model's spikes are cut at 0 mV (the fits' convention), so its reset
# must lie below that.
ADEX_SPIKE_CUTOFF = 0.0


def _min_max_envelope(values, n_bins):
    """Lowest and highest value of each of ``n_bins`` equal bins, interleaved.

    Drawn against :func:`_envelope_times`, a trace of 30,000 samples becomes
    2 x ``n_bins`` points that look the same at screen resolution (every
    spike keeps its full height) but render several times faster.
    """
    import numpy as np

    per_bin = values.size // n_bins
    blocks = values[: per_bin * n_bins].reshape(n_bins, per_bin)
    envelope = np.empty(2 * n_bins)
    envelope[0::2] = blocks.min(axis=1)
    envelope[1::2] = blocks.max(axis=1)
    return envelope


def _envelope_times(time, n_bins):
    """Start time of each bin of :func:`_min_max_envelope`, each twice (ms)."""
    import numpy as np

    per_bin = time.size // n_bins
    return np.repeat(time[: per_bin * n_bins : per_bin], 2)


def model_sliders(lif=None, adex=None) -> tuple:
    """The parameter sliders, starting at the given values (clipped into each range).

    Parameters
    ----------
    lif, adex : dict, optional
        Keyword arguments of :func:`~course_utils.neurons.simulate_lif` /
        :func:`~course_utils.neurons.simulate_adex` (C in pF, g_L in nS,
        voltages in mV, times in ms, b in pA, a in nS); missing ones get
        :data:`MODEL_DEFAULTS` and :data:`SHARED_DEFAULTS`. C and E_L are
        taken from ``lif`` first, then ``adex``.

    Returns
    -------
    tuple of Slider
        One per entry of :data:`PARAMETER_RANGES`.
    """
    for name, given in (("lif", lif), ("adex", adex)):
        if given is not None and not isinstance(given, dict):
            raise TypeError(f"{name} must be a dict of parameters (e.g. fit.parameters).")
    start = {name: (lif or {}).get(name, (adex or {}).get(name, value))
             for name, value in SHARED_DEFAULTS.items()}
    for model, given in (("lif", lif), ("adex", adex)):
        for name, value in (MODEL_DEFAULTS[model] | (given or {})).items():
            start[f"{model}_{name}"] = value
    return tuple(
        Slider(name, float(min(max(start[name], low), high)), low, high, step, label, unit)
        for name, (low, high, step, label, unit) in PARAMETER_RANGES.items()
    )


def model_parameters(model, values) -> dict:
    """Keyword arguments of the model's simulator from the explorer's slider values.

    Parameters
    ----------
    model : {"lif", "adex"}
    values : dict
        Slider values by name (see :data:`PARAMETER_RANGES`), units as there.

    Returns
    -------
    dict
        C and E_L, the model's own parameters without their prefix, and for
        AdEx the spike cutoff of :data:`ADEX_SPIKE_CUTOFF` mV.
    """
    parameters = {name: values[name] for name in SHARED_DEFAULTS}
    prefix = f"{model}_"
    parameters |= {name.removeprefix(prefix): value for name, value in values.items()
                   if name.startswith(prefix)}
    if model == "adex":
        parameters["spike_cutoff"] = ADEX_SPIKE_CUTOFF
    return parameters


def _reset_problem(model, parameters) -> str:
    """Why these parameters cannot be simulated (the reset must lie below the spike), or ""."""
    if model == "lif" and parameters["reset"] >= parameters["threshold"]:
        return "reset must be below the threshold"
    if model == "adex" and parameters["reset"] >= parameters["spike_cutoff"]:
        return f"reset must be below the spike cutoff ({ADEX_SPIKE_CUTOFF:g} mV)"
    return ""


def _sweep_figure(recording, grid, n_bins):
    """The explorer's figure, its artists by name; traces drawn as min/max envelopes."""
    import numpy as np

    from ..plotting import COLORS, label_axes, new_figure

    data_times = _envelope_times(recording.sweeps[0].time, n_bins)
    model_times = _envelope_times(grid, n_bins)
    figure, (ax_v, ax_i) = new_figure(2, 1, sharex=True, figsize=(7.5, 4.6),
                                      height_ratios=[3, 1])
    fixed_layout(figure, left=0.11, right=0.98, top=0.92, bottom=0.11, hspace=0.12)
    for step in recording.sweeps[0].steps:
        for ax in (ax_v, ax_i):
            ax.axvspan(step.start, step.stop, color="0.93", zorder=0, lw=0)
        ax_i.text((step.start + step.stop) / 2, 1.0, step.label, ha="center", va="top",
                  transform=ax_i.get_xaxis_transform(), fontsize=9)
    (data_line,) = ax_v.plot(data_times, np.zeros_like(data_times), color=COLORS["data"],
                             lw=0.6, label="data")
    # dashed: the model is told from the data by more than its colour
    (model_line,) = ax_v.plot(model_times, np.zeros_like(model_times), color=COLORS["model"],
                              lw=0.9, linestyle=(0, (4, 2)), label="model")
    spike_lines = ax_v.vlines([], [], [], lw=0.8)
    legend = ax_v.legend(loc="upper right", fontsize=9, ncols=2)
    ax_v.set_xlim(0.0, grid[-1])
    ax_v.set_ylim(-100.0, 60.0)
    # few, fixed ticks: locating ticks and drawing their labels (text is the
    # slowest part of a redraw) would otherwise cost more than the simulation
    ax_v.set_xticks(np.arange(0.0, grid[-1] + 1.0, 1000.0))
    ax_v.set_yticks([-80.0, -40.0, 0.0, 40.0])
    label_axes(ax_v, "", "V (mV)")
    (command_line,) = ax_i.plot(model_times, np.zeros_like(model_times), color=COLORS["model"],
                                lw=0.8)
    ax_i.set_ylim(-150.0, 350.0)
    ax_i.set_yticks([-100.0, 0.0, 300.0])
    label_axes(ax_i, "time (ms)", "I (pA)")
    return figure, dict(ax_v=ax_v, data=data_line, model=model_line, spikes=spike_lines,
                        legend=legend, command=command_line)


def _model_controls(recording, sweep, lif, adex) -> dict:
    """The sweep slider, the model menu and every parameter slider (one model's shown)."""
    import ipywidgets

    controls = {
        "sweep": slider(sweep, 0, recording.n_sweeps - 1, 1, "sweep", integer=True),
        "model": ipywidgets.Dropdown(options=[(label, name) for name, label in MODEL_NAMES.items()],
                                     value="lif", description="model",
                                     layout={"width": "200px"}),
    }
    controls |= {spec.name: spec.control() for spec in model_sliders(lif, adex)}

    def show_model_controls(_change=None):
        chosen = controls["model"].value
        for name, control in controls.items():
            prefix = name.split("_", 1)[0]
            if prefix in MODEL_NAMES:
                control.layout.display = None if prefix == chosen else "none"

    show_model_controls()
    controls["model"].observe(show_model_controls, names="value")
    return controls


def recording_explorer(
    recording, *, lif=None, adex=None, series_resistance=0.0, sweep=16, dt=0.1
) -> Explorer:
    """A recorded sweep and a LIF or AdEx model driven by the same current (Lesson 5).

    The top panel overlays the recorded membrane potential of the chosen
    sweep and the model's (spikes drawn in as lines up to 20 mV: a drawing
    convention); the bottom panel shows the injected current. The title
    gives the spike counts inside the test step and the coincidence factor
    Gamma (:func:`course_utils.fitting.coincidence_factor`, +-4 ms), the
    same numbers :func:`course_utils.fitting.score_model` gives for these
    parameters. Each redraw simulates only the chosen sweep (3 s at ``dt``)
    with the course's solver, starting at rest (V = E_L), like the fits.

    Parameters
    ----------
    recording : course_utils.data.Recording
        A current-clamp recording (from :func:`course_utils.data.load_recording`).
    lif, adex : dict, optional
        Start values of the sliders, as keyword arguments of
        :func:`~course_utils.neurons.simulate_lif` /
        :func:`~course_utils.neurons.simulate_adex` (e.g. a fit's
        ``parameters``: C in pF, g_L in nS, voltages in mV, times in ms,
        b in pA, a in nS). Missing values get typical ones.
    series_resistance : float, optional
        Uncompensated electrode resistance R_s in GOhm (e.g. a
        :class:`~course_utils.fitting.PassiveFit`'s): the model trace shows
        V + R_s I, the voltage the electrode would record (default 0).
    sweep : int, optional
        Sweep shown first.
    dt : float, optional
        Time step of the model in ms (default 0.1). Both traces are drawn as
        a min/max envelope of 1500 bins, which keeps every spike's height.

    Returns
    -------
    Explorer
    """
    import numpy as np

    from ..analysis import detect_spikes
    from ..data import Recording
    from ..fitting import coincidence_factor, resample_recording, simulate_sweeps
    from ..neurons import compile_in_background
    from ..plotting import COLORS

    # Redraws after the first use the compiled kernels once they are cached.
    compile_in_background("lif", "adex")

    if not isinstance(recording, Recording):
        raise TypeError(
            "recording must be a Recording (from load_recording), "
            f"but got {type(recording).__name__}."
        )
    dt = check_dt(dt)
    series_resistance = as_float("series_resistance", series_resistance, unit="GOhm")
    sweep = as_int("sweep", sweep, minimum=0)
    if sweep >= recording.n_sweeps:
        raise ValueError(
            f"sweep is {sweep}, but the recording has sweeps 0 to {recording.n_sweeps - 1}."
        )
    controls = _model_controls(recording, sweep, lif, adex)
    steps = recording.test_steps()
    explorer_grid(recording.sweep_duration, dt)  # dt between a sample and a tenth of a sweep
    grid, _, commands = resample_recording(recording, dt)
    # one bin per ~0.5 pixel: a 3 s sweep at 20 kHz becomes 3,000 points, not 60,000
    n_bins = min(1500, grid.size, recording.sweeps[0].time.size)
    figure, artists = _sweep_figure(recording, grid, n_bins)
    ax_v, model_line, spike_lines = artists["ax_v"], artists["model"], artists["spikes"]
    model_colors = {"lif": COLORS["inhibitory"], "adex": COLORS["reference"]}
    data_spikes = {}

    def update(sweep, model, **values):
        parameters = model_parameters(model, values)
        problem = _reset_problem(model, parameters)
        record, step = recording.sweeps[sweep], steps[sweep]
        artists["data"].set_ydata(_min_max_envelope(record.voltage, n_bins))
        artists["command"].set_ydata(_min_max_envelope(commands[sweep], n_bins))
        color = model_colors[model]
        model_line.set_color(color)
        artists["legend"].get_lines()[1].set_color(color)
        artists["legend"].get_texts()[1].set_text(MODEL_NAMES[model])
        if sweep not in data_spikes:
            data_spikes[sweep] = detect_spikes(record.time, record.voltage).times
        data_in_step = data_spikes[sweep][step.contains(data_spikes[sweep])]
        if problem:
            model_line.set_ydata(np.full(model_line.get_xdata().size, np.nan))
            spike_lines.set_segments([])
            ax_v.set_title(f"sweep {sweep} ({step.amplitude:+.0f} pA): {problem}", y=1.0)
            return
        result, predicted, _ = simulate_sweeps(
            recording.select([sweep]), model, parameters | {"backend": redraw_backend(model)},
            dt=dt, series_resistance=series_resistance)
        v, spikes = predicted[0], result.spike_times[0]
        model_line.set_ydata(_min_max_envelope(v, n_bins))
        spike_lines.set_segments(spike_strokes(grid, v, spikes))
        spike_lines.set_color(color)
        model_in_step = spikes[step.contains(spikes)]
        gamma = coincidence_factor(data_in_step, model_in_step, step)
        gamma_text = "n/a" if np.isnan(gamma) else f"{gamma:.2f}"
        ax_v.set_title(
            f"sweep {sweep} ({step.amplitude:+.0f} pA), spikes in step {step.label}: "
            f"data {data_in_step.size}, model {model_in_step.size}; Gamma {gamma_text}",
            y=1.0,  # a fixed title position skips matplotlib's costly auto-placement
        )

    return make_explorer(figure, controls, update)

"""Interactive explorers for the lessons (ipywidgets + matplotlib).

Works the same in JupyterLab, Colab and Voila: the figure is a plain
matplotlib figure re-rendered into an ``ipywidgets.Output`` when a slider
moves (no plotly ``FigureWidget``, which Colab does not support reliably).
Redraws only update the data of existing artists where possible, so a
redraw stays well under 0.1 s; ``benchmarks/benchmark.py`` measures it.

Each explorer is a function ``xxx_explorer(...) -> Explorer``; lesson
specific explorers are added at the end of this module.
"""

from __future__ import annotations

import base64
import html
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from .._validation import as_bool, as_float, as_int


@dataclass
class Explorer:
    """An interactive figure: sliders, a matplotlib figure and a draw function.

    Attributes
    ----------
    controls : dict
        ipywidgets controls by parameter name.
    figure : matplotlib.figure.Figure
        The figure that is redrawn.
    update : callable
        ``update(**values)`` redraws the figure for the given parameter values.
    widget : ipywidgets.Widget
        The box to display (controls above the figure).
    timings : list of float
        Seconds taken by each redraw, for the benchmark.
    """

    controls: dict
    figure: object
    update: Callable
    widget: object = None
    output: object = None
    timings: list = field(default_factory=list)
    description: str = ""
    status: object = None
    summary: str = ""

    def values(self) -> dict:
        """Current value of every control."""
        return {name: control.value for name, control in self.controls.items()}

    def redraw(self, **changes) -> float:
        """Redraw with the current values (updated by ``changes``).

        Returns the seconds taken to update the artists and render the PNG
        that the notebook shows, which is what a student waits for.
        """
        import io

        values = self.values() | changes
        start = time.perf_counter()
        summary = self.update(**values)
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png")
        elapsed = time.perf_counter() - start
        self.timings.append(elapsed)
        self.summary = summary if isinstance(summary, str) else ""
        if self.status is not None:
            # A live region: screen readers announce the numbers the image shows.
            self.status.value = (
                f'<div role="status" aria-live="polite">{html.escape(self.summary)}</div>'
            )
        if self.output is not None and _in_notebook():
            from IPython.display import display

            data = base64.b64encode(buffer.getvalue()).decode("ascii")
            alt = html.escape(f"{self.description} {self.summary}".strip(), quote=True)
            bundle = {
                # Front ends prefer the HTML (it carries the alt text); the PNG
                # is the same image for tools that read widget state.
                "text/html": f'<img src="data:image/png;base64,{data}" alt="{alt}"/>',
                "image/png": data,
                "text/plain": f"[Figure] {self.description} {self.summary}".strip(),
            }
            with self.output:
                self.output.clear_output(wait=True)
                display(bundle, raw=True)
        return elapsed

    def text(self) -> str:
        """What the explorer shows, in words: its controls, their values and the summary."""
        settings = ", ".join(
            f"{getattr(control, 'description', name)} = {control.value}"
            for name, control in self.controls.items()
        )
        return f"[Interactive explorer] {self.description} Controls: {settings}. {self.summary}"

    def _ipython_display_(self):
        from IPython.display import display

        # The widget for a live kernel; words instead of "VBox(children=...)" for
        # anything that cannot run it (a terminal, nbval, a page without a kernel).
        bundle = {"text/plain": self.text()}
        if self.widget is not None and getattr(self.widget, "model_id", None):
            bundle["application/vnd.jupyter.widget-view+json"] = {
                "version_major": 2, "version_minor": 0, "model_id": self.widget.model_id,
            }
        display(bundle, raw=True)


def _in_notebook() -> bool:
    """True inside a Jupyter kernel (where an Output widget can show the figure)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and hasattr(shell, "kernel")


def make_explorer(figure, controls: dict, update: Callable, description: str = "") -> Explorer:
    """Wire controls to a figure.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
        A figure made once (e.g. with :func:`course_utils.plotting.new_figure`);
        it is closed for pyplot so that it is shown only inside the widget.
    controls : dict
        ipywidgets value widgets (sliders, dropdowns) by the name ``update``
        takes them as keyword arguments.
    update : callable
        ``update(**values)`` changes the figure's artists (``set_data``,
        ``set_ydata``, axis limits). It must not create a new figure. It may
        return one line of text with the numbers the figure shows (spike
        count, rate, ...): it is shown under the figure, announced to screen
        readers, and added to the image's alt text.
    description : str, optional
        What the figure shows, in one sentence (the image's alt text).

    Returns
    -------
    Explorer
        Display it in a notebook cell as the cell's last expression.
    """
    import ipywidgets
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    from ..plotting import figure_title

    if not isinstance(figure, Figure):
        raise TypeError(
            "figure must be a matplotlib Figure, for example from "
            f"course_utils.plotting.new_figure(), but got {type(figure).__name__}."
        )
    if not isinstance(controls, dict) or not all(
        isinstance(control, ipywidgets.ValueWidget) for control in controls.values()
    ):
        raise TypeError(
            "controls must be a dict of ipywidgets controls (e.g. from slider()) by the "
            f"name update takes them, but got {type(controls).__name__}."
        )
    if not callable(update):
        raise TypeError(f"update must be a function, but got {type(update).__name__}.")
    if not isinstance(description, str):
        raise TypeError(f"description must be a str, but got {type(description).__name__}.")
    plt.close(figure)
    output = ipywidgets.Output()
    explorer = Explorer(
        controls=controls, figure=figure, update=update, output=output,
        description=description or f"Figure: {figure_title(figure) or 'explorer'}.",
        status=ipywidgets.HTML(),
    )
    for control in controls.values():
        control.observe(lambda _change: explorer.redraw(), names="value")
    explorer.widget = ipywidgets.VBox([
        ipywidgets.HBox(list(controls.values()), layout={"flex_flow": "row wrap"}),
        output,
        explorer.status,
    ])
    explorer.redraw()
    return explorer


def slider(value, low, high, step, description, unit="", integer=False):
    """A labelled slider whose description carries the unit.

    Parameters
    ----------
    value, low, high, step : float
        Start value, range and step (in ``unit``).
    description : str
        Parameter name shown beside the slider.
    unit : str, optional
        Unit shown in the label, e.g. ``"ms"``.
    integer : bool, optional
        Use an integer slider.
    """
    import ipywidgets

    for name, text in (("description", description), ("unit", unit)):
        if not isinstance(text, str):
            raise TypeError(f"{name} must be a str, but got {text!r}.")
    integer = as_bool("integer", integer)

    def number(name, value):
        value = as_float(name, value, unit=unit)
        if integer and not value.is_integer():
            raise ValueError(f"{name} must be a whole number with integer=True, but got {value:g}.")
        return int(value) if integer else value

    low, high = number("low", low), number("high", high)
    if high < low:
        raise ValueError(f"high ({high:g}) must not be below low ({low:g}).")
    step = number("step", step)
    if not step > 0 or (high > low and step > high - low):
        raise ValueError(
            f"step must be greater than zero and at most high - low = {high - low:g}, "
            f"but got {step:g}."
        )
    value = number("value", value)
    if not low <= value <= high:
        raise ValueError(f"value ({value:g}) must lie between low ({low:g}) and high ({high:g}).")
    label = f"{description} ({unit})" if unit else description
    cls = ipywidgets.IntSlider if integer else ipywidgets.FloatSlider
    options = {}
    if cls.class_trait_names().count("tooltip"):
        # ipywidgets 8: the tooltip becomes the control's title, a name that
        # assistive technology reads (the label itself is not tied to the handle).
        options["tooltip"] = label
    return cls(
        value=value,
        min=low,
        max=high,
        step=step,
        description=label,
        continuous_update=False,
        style={"description_width": "initial"},
        layout={"width": "360px"},
        **options,
    )


# Most time steps an explorer simulates per redraw: more would make a slider lag.
_EXPLORER_MAX_STEPS = 200_000


def _explorer_grid(duration, dt, shortest=0.0, why=""):
    """Validate an explorer's ``duration`` and ``dt`` (ms) before drawing anything.

    ``shortest`` is the least duration the explorer's stimulus needs (``why``
    says what it is); the step count is capped so that a redraw stays fast.
    """
    from ..parameters import validate

    duration = validate("duration", duration)
    dt = validate("dt", dt)
    if duration <= shortest:
        raise ValueError(
            f"duration must be longer than {shortest:g} ms{why}, but got {duration:g} ms."
        )
    if dt > duration / 10:
        raise ValueError(
            f"dt ({dt:g} ms) must be at most a tenth of duration ({duration:g} ms) "
            "for a trace worth exploring."
        )
    if duration / dt > _EXPLORER_MAX_STEPS:
        raise ValueError(
            f"duration / dt = {duration / dt:.3g} steps is more than an explorer redraws "
            f"quickly ({_EXPLORER_MAX_STEPS:,}): use a shorter duration or a larger dt."
        )
    return duration, dt


def _reset_below(reset, lowest_threshold):
    """Validate an explorer's reset (mV): below every threshold its slider offers."""
    from ..parameters import validate

    reset = validate("reset", reset)
    if reset >= lowest_threshold:
        raise ValueError(
            f"reset ({reset:g} mV) must be below the lowest threshold on the slider "
            f"({lowest_threshold:g} mV)."
        )
    return reset


# --------------------------------------------------------------------------
# Lesson 1: synapses
# --------------------------------------------------------------------------


def synapse_explorer(duration=500.0, dt=0.2, seed=1) -> Explorer:
    """Total conductance and current of many Poisson synapses (Lesson 1).

    ``n_synapses`` independent Poisson inputs at ``rate`` Hz drive one
    exponential conductance (decay time and peak conductance per event set
    by the sliders). The top panel shows the total conductance with the
    predicted mean ``N * rate/1000 * g_max * tau`` and mean +- one standard
    deviation ``sqrt(N * rate/1000 * g_max**2 * tau / 2)`` (Campbell's
    theorem); the bottom panel the synaptic current ``g * (E_rev - V)`` at
    a membrane potential held fixed (as in a voltage clamp). Each trace
    follows a 150 ms warm-up (five times the longest decay time on the
    slider), so it starts in the steady state instead of at 0 nS.

    Parameters
    ----------
    duration : float, optional
        Length of the trace in ms.
    dt : float, optional
        Time step in ms. The decay is stepped exactly, so 0.2 ms is accurate
        for every decay time on the slider, and half as many points as at
        0.1 ms keep the redraw fast.
    seed : int, optional
        Seed of the generator; every redraw restarts from it, so moving a
        slider changes the parameters, not the luck of the draw.

    Returns
    -------
    Explorer
    """
    import numpy as np

    from .. import synapses
    from ..inputs import time_grid
    from ..plotting import COLORS, label_axes, new_figure

    duration, dt = _explorer_grid(duration, dt)
    seed = as_int("seed", seed, minimum=0)
    time = time_grid(duration, dt)
    warm_up = 150.0  # ms; 5 x the longest decay time the slider offers
    run_time = time_grid(warm_up + duration, dt)
    figure, (ax_g, ax_i) = new_figure(2, 1, sharex=True, figsize=(7.0, 4.6))
    # A fixed layout: re-running the constrained layout costs a third of a redraw.
    figure.set_layout_engine(None)
    figure.subplots_adjust(left=0.14, right=0.97, top=0.93, bottom=0.11, hspace=0.3)
    (g_line,) = ax_g.plot(time, np.zeros_like(time), color=COLORS["model"], lw=0.8,
                          label="simulated")
    mean_line = ax_g.axhline(0.0, color=COLORS["reference"], lw=2.0, ls=":",
                             label="predicted mean")
    upper_line = ax_g.axhline(0.0, color=COLORS["accent"], lw=1.0, ls="-.", label="mean ± sd")
    lower_line = ax_g.axhline(0.0, color=COLORS["accent"], lw=1.0, ls="-.")
    ax_g.legend(loc="upper right", ncols=3)
    label_axes(ax_g, "", "total conductance (nS)")
    (i_line,) = ax_i.plot(time, np.zeros_like(time), color=COLORS["excitatory"], lw=0.8)
    ax_i.axhline(0.0, color="black", lw=0.6)
    label_axes(ax_i, "time (ms)", "synaptic current (pA)")

    def update(
        decay_time,
        peak_conductance,
        rate,
        n_synapses,
        reversal_potential,
        membrane_potential,
    ):
        rng = np.random.default_rng(seed)
        # N independent Poisson trains merge into one Poisson train of rate N * rate.
        merged = synapses.poisson_spike_train(n_synapses * rate, run_time.size * dt, rng)
        g = synapses.conductance_numerical(run_time, merged, peak_conductance, decay_time)
        g = g[-time.size :]  # drop the warm-up
        current = synapses.synaptic_current(g, membrane_potential, reversal_potential)

        spikes_per_ms = n_synapses * rate / 1000.0  # Hz -> per ms
        mean = spikes_per_ms * peak_conductance * decay_time
        sd = np.sqrt(spikes_per_ms * peak_conductance**2 * decay_time / 2.0)
        g_line.set_ydata(g)
        mean_line.set_ydata([mean, mean])
        upper_line.set_ydata([mean + sd, mean + sd])
        lower_line.set_ydata([mean - sd, mean - sd])
        ax_g.set_ylim(0.0, max(g.max(), mean + sd, 0.1) * 1.1)
        ax_g.set_title(
            f"mean {g.mean():.2f} nS (predicted {mean:.2f}), sd {g.std():.2f} nS "
            f"(predicted {sd:.2f})",
            y=1.0,  # a fixed title position skips matplotlib's costly auto-placement
        )

        excitatory = reversal_potential > membrane_potential
        i_line.set_ydata(current)
        i_line.set_color(COLORS["excitatory"] if excitatory else COLORS["inhibitory"])
        i_line.set_linestyle("-" if excitatory else "--")
        low, high = min(current.min(), 0.0), max(current.max(), 0.0)
        pad = 0.1 * max(high - low, 1.0)
        ax_i.set_ylim(low - pad, high + pad)
        ax_i.set_title(
            f"E_rev - V = {reversal_potential - membrane_potential:+.0f} mV, "
            f"mean current {current.mean():+.1f} pA",
            y=1.0,
        )
        return (
            f"Total conductance: mean {g.mean():.2f} nS (predicted {mean:.2f} nS), "
            f"sd {g.std():.2f} nS (predicted {sd:.2f} nS). Driving force "
            f"{reversal_potential - membrane_potential:+.0f} mV, mean current "
            f"{current.mean():+.1f} pA ({'into' if current.mean() >= 0 else 'out of'} the cell)."
        )

    # Ranges of fast synapses (AMPA to slow GABA_A decay, unitary conductances up to
    # 2 nS) and of membrane potentials a neuron visits, so every position is plausible.
    controls = {
        "decay_time": slider(5.0, 1.0, 20.0, 0.5, "decay time tau", "ms"),
        "peak_conductance": slider(0.5, 0.1, 2.0, 0.1, "peak conductance per spike g_max",
                                   "nS"),
        "rate": slider(10.0, 1.0, 50.0, 1.0, "input rate per synapse", "Hz"),
        "n_synapses": slider(200, 1, 1000, 1, "number of synapses N", integer=True),
        "reversal_potential": slider(0.0, -90.0, 10.0, 1.0, "reversal potential E_rev", "mV"),
        "membrane_potential": slider(-65.0, -90.0, 0.0, 1.0, "membrane potential V", "mV"),
    }
    return make_explorer(
        figure, controls, update,
        description="Top: the total conductance of N Poisson synapses over 500 ms with its "
        "predicted mean and mean plus or minus one standard deviation. Bottom: the synaptic "
        "current at the chosen membrane potential.",
    )


# --------------------------------------------------------------------------
# Lesson 4: Brian2
# --------------------------------------------------------------------------


def brian_lif_explorer(duration=200.0, dt=0.1, leak_conductance=10.0, reset=-65.0,
                       refractory_period=2.0) -> Explorer:
    """The LIF neuron of Lesson 4: sliders redraw instantly, Brian2 on a button.

    A current step (on from 20 ms to ``duration - 20`` ms) drives a LIF
    neuron whose current, membrane time constant, resting potential and
    threshold are set by the sliders (g_L is fixed, so C = tau g_L). The
    sliders redraw with the course's solver in Brian2's step order
    (:func:`course_utils.neurons.simulate_lif` with ``step_order="brian2"``),
    which takes milliseconds. A Brian2 run of the same neuron takes
    0.1-0.5 s even on the numpy target (building the network, generating
    code, then 5 small generated programs per step in a Python-level loop),
    too slow for a slider, so it runs only when the button is clicked; its trace is then
    drawn dashed over the course solver's, and the label reports whether
    the spikes fall on the same grid steps and the largest voltage
    difference.

    Parameters
    ----------
    duration : float, optional
        Length of the trace in ms (> 40).
    dt : float, optional
        Time step in ms, the same for both solvers.
    leak_conductance : float, optional
        g_L in nS.
    reset : float, optional
        Reset potential in mV (below the lowest threshold on the slider, -60 mV).
    refractory_period : float, optional
        In ms.

    Returns
    -------
    Explorer
        ``explorer.widget`` holds the sliders, the button and its label,
        and the figure; ``explorer.run_brian()`` does what the button does
        (for scripts and the benchmark).
    """
    import ipywidgets
    import numpy as np

    from ..inputs import step_current, time_grid
    from ..neurons import lif_rheobase, simulate_lif
    from ..parameters import validate
    from ..plotting import COLORS, label_axes, new_figure

    duration, dt = _explorer_grid(
        duration, dt, 40.0, " (the current step runs from 20 ms to duration - 20 ms)"
    )
    leak_conductance = validate("leak_conductance", leak_conductance)
    reset = _reset_below(reset, -60.0)
    refractory_period = validate("refractory_period", refractory_period)
    time = time_grid(duration, dt)
    unit_step = step_current(time, 1.0, 20.0, duration - 20.0)
    state = {"brian": None, "values": None}

    figure, (ax_v, ax_i) = new_figure(
        2, 1, figsize=(7.0, 4.2), sharex=True, gridspec_kw={"height_ratios": [3, 1]}
    )
    figure.set_layout_engine(None)
    figure.subplots_adjust(left=0.12, right=0.97, top=0.92, bottom=0.12, hspace=0.15)
    (v_line,) = ax_v.plot(time, np.zeros_like(time), color=COLORS["model"], lw=1.2,
                          label="course solver (step_order='brian2')")
    (spike_line,) = ax_v.plot([], [], color=COLORS["model"], lw=1.0)
    (brian_line,) = ax_v.plot([], [], color=COLORS["reference"], lw=1.4, ls="--",
                              label="Brian2 (after the button)")
    threshold_line = ax_v.axhline(-50.0, color=COLORS["excitatory"], ls=":", lw=1.0,
                                  label="threshold")
    rest_line = ax_v.axhline(-65.0, color=COLORS["inhibitory"], ls="-.", lw=1.0, label="E_L")
    ax_v.legend(loc="lower right", fontsize=9, ncols=2)
    ax_v.set_ylim(-85.0, 25.0)
    ax_v.set_xlim(0.0, duration)
    label_axes(ax_v, "", "V (mV)")
    (i_line,) = ax_i.plot(time, unit_step, color=COLORS["excitatory"])
    ax_i.set_ylim(-20.0, 520.0)
    label_axes(ax_i, "time (ms)", "I (pA)")

    def parameters(current, membrane_time_constant, leak_reversal, threshold):
        return dict(
            membrane_capacitance=membrane_time_constant * leak_conductance,  # ms * nS = pF
            leak_conductance=leak_conductance,
            leak_reversal=leak_reversal,
            threshold=threshold,
            reset=reset,
            refractory_period=refractory_period,
        )

    def update(current, membrane_time_constant, leak_reversal, threshold):
        values = dict(current=current, membrane_time_constant=membrane_time_constant,
                      leak_reversal=leak_reversal, threshold=threshold)
        neuron = parameters(**values)
        # numpy backend: a 2000-step run takes ~10 ms, no numba compilation needed
        result = simulate_lif(duration=duration, dt=dt, current=current * unit_step,
                              step_order="brian2", backend="numpy", **neuron)
        v = result.voltage[0]
        spikes = result.spike_times[0]
        v_line.set_ydata(v)
        # Spikes drawn as vertical strokes (a drawing convention: V itself is reset).
        xs = np.repeat(spikes, 3)
        ys = np.tile([threshold, 20.0, np.nan], spikes.size)
        xs[2::3] = np.nan
        spike_line.set_data(xs, ys)
        threshold_line.set_ydata([threshold, threshold])
        rest_line.set_ydata([leak_reversal, leak_reversal])
        i_line.set_ydata(current * unit_step)
        if state["values"] == values:
            brian_line.set_data(time, state["brian"].voltage[0])
        else:
            brian_line.set_data([], [])
        rheobase = lif_rheobase(leak_conductance=leak_conductance,
                                leak_reversal=leak_reversal, threshold=threshold)
        ax_v.set_title(
            f"{spikes.size} spikes; rheobase g_L (V_th - E_L) = {rheobase:.0f} pA",
            y=1.0,  # a fixed title position skips matplotlib's costly auto-placement
        )
        rate = spikes.size / ((duration - 40.0) / 1000.0)
        brian_note = (
            "; Brian2's trace (dashed) is drawn for these settings"
            if state["values"] == values else ""
        )
        return (
            f"{spikes.size} spikes during the {current:.0f} pA step ({rate:.0f} Hz); "
            f"rheobase {rheobase:.0f} pA{brian_note}."
        )

    controls = {
        "current": slider(300.0, 0.0, 500.0, 10.0, "step current I", "pA"),
        "membrane_time_constant": slider(20.0, 5.0, 50.0, 1.0, "membrane time constant tau",
                                         "ms"),
        "leak_reversal": slider(-65.0, -80.0, -55.0, 1.0, "leak reversal E_L", "mV"),
        "threshold": slider(-50.0, -60.0, -40.0, 1.0, "threshold V_th", "mV"),
    }
    explorer = make_explorer(
        figure, controls, update,
        description=("Membrane potential of the lesson's LIF neuron during a current step, "
                     "computed by the course solver in Brian2's step order, with Brian2's own "
                     "trace dashed on top after the button."),
    )

    button = ipywidgets.Button(description="Run this neuron in Brian2",
                               layout={"width": "220px"})
    label = ipywidgets.Label(
        "Brian2 has not run yet (a run takes a few tenths of a second, the first one longer)."
    )

    def run_brian(_button=None):
        from ..brian import run_brian_lif, spike_steps

        values = explorer.values()
        neuron = parameters(**values)
        label.value = "Brian2 is running..."
        try:
            brian = run_brian_lif(duration=duration, dt=dt,
                                  current=values["current"] * unit_step, **neuron)
        except Exception as error:  # noqa: BLE001 - a button callback has nowhere to raise to
            label.value = f"Brian2 failed: {type(error).__name__}: {error}"
            return
        course = simulate_lif(duration=duration, dt=dt, current=values["current"] * unit_step,
                              step_order="brian2", backend="numpy", **neuron)
        same = np.array_equal(spike_steps(brian.spike_times[0], dt),
                              spike_steps(course.spike_times[0], dt))
        difference = float(np.max(np.abs(brian.voltage - course.voltage)))
        state["brian"], state["values"] = brian, values
        label.value = (
            f"Brian2: {brian.spike_times[0].size} spikes; same grid steps as the course "
            f"solver: {same}; max |V_Brian2 - V_course| = {difference:.1e} mV"
        )
        explorer.redraw()

    button.on_click(run_brian)
    explorer.run_brian = run_brian
    controls_box, output, status = explorer.widget.children
    explorer.widget = ipywidgets.VBox(
        [controls_box, ipywidgets.HBox([button, label]), output, status]
    )
    return explorer


# --------------------------------------------------------------------------
# Lesson 5: fitting to data
# --------------------------------------------------------------------------


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


_RECORDING_EXPLORER_DEFAULTS = {
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
    import ipywidgets
    import numpy as np

    from .._validation import as_float, as_int, check_dt
    from ..analysis import detect_spikes
    from ..data import Recording
    from ..fitting import coincidence_factor
    from ..neurons import simulate_adex, simulate_lif
    from ..plotting import COLORS, label_axes, new_figure

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
    for name, given in (("lif", lif), ("adex", adex)):
        if given is not None and not isinstance(given, dict):
            raise TypeError(f"{name} must be a dict of parameters (e.g. fit.parameters).")
    lif = dict(_RECORDING_EXPLORER_DEFAULTS["lif"], **(lif or {}))
    adex = dict(_RECORDING_EXPLORER_DEFAULTS["adex"], **(adex or {}))
    shared = {
        "membrane_capacitance": lif.get("membrane_capacitance",
                                        adex.get("membrane_capacitance", 130.0)),
        "leak_reversal": lif.get("leak_reversal", adex.get("leak_reversal", -61.0)),
    }

    steps = recording.test_steps()
    _explorer_grid(recording.sweep_duration, dt)  # dt between a sample and a tenth of a sweep
    n_steps = int(np.floor(recording.sweep_duration / dt + 1e-9))
    grid = np.arange(n_steps) * dt
    # the command is piecewise constant: take the recorded sample at or before each point
    command_index = np.minimum(
        np.floor(grid / recording.dt + 1e-6).astype(int), recording.sweeps[0].time.size - 1
    )
    data_spikes = {}
    # one bin per ~0.5 pixel: a 3 s sweep at 20 kHz becomes 3,000 points, not 60,000
    n_bins = min(1500, grid.size, recording.sweeps[0].time.size)
    data_times = _envelope_times(recording.sweeps[0].time, n_bins)
    model_times = _envelope_times(grid, n_bins)

    def data_spikes_of(k):
        if k not in data_spikes:
            s = recording.sweeps[k]
            data_spikes[k] = detect_spikes(s.time, s.voltage).times
        return data_spikes[k]

    figure, (ax_v, ax_i) = new_figure(2, 1, sharex=True, figsize=(7.5, 4.6),
                                      height_ratios=[3, 1])
    # A fixed layout: re-running the constrained layout costs much of a redraw.
    figure.set_layout_engine(None)
    figure.subplots_adjust(left=0.11, right=0.98, top=0.92, bottom=0.11, hspace=0.12)
    first_steps = recording.sweeps[0].steps
    for step in first_steps:
        for ax in (ax_v, ax_i):
            ax.axvspan(step.start, step.stop, color="0.93", zorder=0, lw=0)
        ax_i.text((step.start + step.stop) / 2, 1.0, step.label, ha="center", va="top",
                  transform=ax_i.get_xaxis_transform(), fontsize=8)
    (data_line,) = ax_v.plot(data_times, np.zeros_like(data_times), color=COLORS["data"],
                             lw=0.6, label="data")
    (model_line,) = ax_v.plot(model_times, np.zeros_like(model_times), color=COLORS["model"],
                              lw=0.8, label="model")
    spike_lines = ax_v.vlines([], [], [], lw=0.8)
    legend = ax_v.legend(loc="upper right", fontsize=8, ncols=2)
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
    model_colors = {"lif": COLORS["inhibitory"], "adex": COLORS["reference"]}

    def update(sweep, model, membrane_capacitance, leak_reversal, lif_leak_conductance,
               lif_threshold, lif_reset, lif_refractory_period, adex_leak_conductance,
               adex_rheobase_threshold, adex_slope_factor, adex_reset,
               adex_adaptation_coupling, adex_spike_adaptation,
               adex_adaptation_time_constant):
        record = recording.sweeps[sweep]
        current = record.command[command_index]
        membrane = dict(duration=n_steps * dt, dt=dt, current=current,
                        membrane_capacitance=membrane_capacitance,
                        leak_reversal=leak_reversal)
        problem = ""
        if model == "lif":
            reset, top = lif_reset, lif_threshold
            if reset >= top:
                problem = "reset must be below the threshold"
            else:
                result = simulate_lif(leak_conductance=lif_leak_conductance,
                                      threshold=lif_threshold, reset=lif_reset,
                                      refractory_period=lif_refractory_period, **membrane)
        else:
            reset, top = adex_reset, 0.0
            if reset >= top:
                problem = "reset must be below the spike cutoff (0 mV)"
            else:
                result = simulate_adex(leak_conductance=adex_leak_conductance,
                                       rheobase_threshold=adex_rheobase_threshold,
                                       slope_factor=adex_slope_factor, reset=adex_reset,
                                       adaptation_coupling=adex_adaptation_coupling,
                                       spike_adaptation=adex_spike_adaptation,
                                       adaptation_time_constant=adex_adaptation_time_constant,
                                       spike_cutoff=0.0, **membrane)
        data_line.set_ydata(_min_max_envelope(record.voltage, n_bins))
        command_line.set_ydata(_min_max_envelope(current, n_bins))
        color = model_colors[model]
        model_line.set_color(color)
        legend.get_lines()[1].set_color(color)
        legend.get_texts()[1].set_text("LIF" if model == "lif" else "AdEx")
        step = steps[sweep]
        data_in_step = data_spikes_of(sweep)
        data_in_step = data_in_step[step.contains(data_in_step)]
        if problem:
            model_line.set_ydata(np.full(model_times.size, np.nan))
            spike_lines.set_segments([])
            ax_v.set_title(f"sweep {sweep} ({step.amplitude:+.0f} pA): {problem}", y=1.0)
        else:
            v = result.voltage[0] + series_resistance * current
            spikes = result.spike_times[0]
            model_line.set_ydata(_min_max_envelope(v, n_bins))
            index = np.clip(np.searchsorted(grid, spikes) - 1, 0, n_steps - 1)
            spike_lines.set_segments([[(t, v[i]), (t, 20.0)]
                                      for t, i in zip(spikes, index, strict=True)])
            spike_lines.set_color(color)
            model_in_step = spikes[step.contains(spikes)]
            gamma = coincidence_factor(data_in_step, model_in_step, step)
            gamma_text = "n/a" if np.isnan(gamma) else f"{gamma:.2f}"
            ax_v.set_title(
                f"sweep {sweep} ({step.amplitude:+.0f} pA), spikes in step {step.label}: "
                f"data {data_in_step.size}, model {model_in_step.size}; Gamma {gamma_text}",
                y=1.0,  # a fixed title position skips matplotlib's costly auto-placement
            )

    def clipped(value, low, high):
        return float(min(max(value, low), high))

    def parameter_slider(value, low, high, step, description, unit):
        return slider(clipped(value, low, high), low, high, step, description, unit)

    controls = {
        "sweep": slider(sweep, 0, recording.n_sweeps - 1, 1, "sweep", integer=True),
        "model": ipywidgets.Dropdown(options=[("LIF", "lif"), ("AdEx", "adex")], value="lif",
                                     description="model", layout={"width": "200px"}),
        "membrane_capacitance": parameter_slider(shared["membrane_capacitance"], 10.0, 500.0,
                                                 1.0, "C", "pF"),
        "leak_reversal": parameter_slider(shared["leak_reversal"], -80.0, -45.0, 0.25,
                                          "E_L", "mV"),
        "lif_leak_conductance": parameter_slider(lif["leak_conductance"], 1.0, 30.0, 0.1,
                                                 "g_L", "nS"),
        "lif_threshold": parameter_slider(lif["threshold"], -65.0, -10.0, 0.25, "V_th", "mV"),
        "lif_reset": parameter_slider(lif["reset"], -90.0, -30.0, 0.25, "V_reset", "mV"),
        "lif_refractory_period": parameter_slider(lif["refractory_period"], 0.0, 40.0, 0.5,
                                                  "t_ref", "ms"),
        "adex_leak_conductance": parameter_slider(adex["leak_conductance"], 1.0, 30.0, 0.1,
                                                  "g_L", "nS"),
        "adex_rheobase_threshold": parameter_slider(adex["rheobase_threshold"], -70.0, -20.0,
                                                    0.25, "V_T", "mV"),
        "adex_slope_factor": parameter_slider(adex["slope_factor"], 0.2, 10.0, 0.1,
                                              "Delta_T", "mV"),
        "adex_reset": parameter_slider(adex["reset"], -90.0, -30.0, 0.25, "V_reset", "mV"),
        "adex_adaptation_coupling": parameter_slider(adex["adaptation_coupling"], -5.0, 20.0,
                                                     0.1, "a", "nS"),
        "adex_spike_adaptation": parameter_slider(adex["spike_adaptation"], 0.0, 300.0, 1.0,
                                                  "b", "pA"),
        "adex_adaptation_time_constant": parameter_slider(adex["adaptation_time_constant"],
                                                          10.0, 1000.0, 5.0, "tau_w", "ms"),
    }

    def show_model_controls(_change=None):
        chosen = controls["model"].value
        for name, control in controls.items():
            prefix = name.split("_", 1)[0]
            if prefix in ("lif", "adex"):
                control.layout.display = None if prefix == chosen else "none"

    show_model_controls()
    controls["model"].observe(show_model_controls, names="value")
    return make_explorer(figure, controls, update)


# --------------------------------------------------------------------------
# Lesson 2: a first neuron (passive membrane)
# --------------------------------------------------------------------------


def passive_explorer(duration=400.0, onset=50.0, stop=250.0) -> Explorer:
    """Charging and discharging of a passive membrane (Lesson 2).

    A current step, on during ``[onset, stop)``, drives a passive point
    neuron (E_L = -70 mV) whose leak conductance, capacitance, current and
    time step are set by the sliders. The figure shows the exact response
    (:func:`course_utils.neurons.passive_step_response`, switched on and
    off by superposition), the forward-Euler simulation at the chosen dt
    (:func:`course_utils.neurons.simulate_passive`), the steady state
    E_L + R I, and tau marked where the exact curve has covered
    1 - 1/e = 63% of the way.

    Parameters
    ----------
    duration : float, optional
        Length of the trace in ms.
    onset, stop : float, optional
        Current step on and off times in ms.

    Returns
    -------
    Explorer
    """
    import warnings

    import numpy as np

    from ..inputs import step_current, time_grid
    from ..neurons import passive_step_response, simulate_passive
    from ..plotting import COLORS, label_axes, new_figure

    duration, _ = _explorer_grid(duration, 0.05, 0.0)
    onset = as_float("onset", onset, unit="ms", nonnegative=True)
    stop = as_float("stop", stop, unit="ms")
    if not onset < stop <= duration:
        raise ValueError(
            f"The step needs onset < stop <= duration, but got onset = {onset:g} ms, "
            f"stop = {stop:g} ms and duration = {duration:g} ms."
        )
    leak_reversal = -70.0
    fine_time = time_grid(duration, 0.05)

    figure, ax = new_figure(figsize=(7.0, 3.8))
    # A fixed layout: re-running the constrained layout costs a third of a redraw.
    figure.set_layout_engine(None)
    figure.subplots_adjust(left=0.12, right=0.97, top=0.88, bottom=0.13)
    ax.axvspan(onset, stop, color=COLORS["reference"], alpha=0.08, lw=0)
    ax.axhline(leak_reversal, color="black", lw=0.6)
    steady_line = ax.axhline(leak_reversal, color=COLORS["reference"], ls="--", lw=1.0,
                             label="steady state E_L + R I")
    (euler_line,) = ax.plot([], [], ".-", color=COLORS["excitatory"], lw=0.8, ms=3,
                            label="forward Euler (dt)")
    (exact_line,) = ax.plot(fine_time, np.zeros_like(fine_time), color=COLORS["model"],
                            lw=1.6, label="exact")
    tau_vline = ax.axvline(onset, color=COLORS["inhibitory"], ls=":", lw=1.2)
    tau_hline = ax.axhline(leak_reversal, color=COLORS["inhibitory"], ls=":", lw=1.2)
    (tau_marker,) = ax.plot([onset], [leak_reversal], "o", color=COLORS["inhibitory"], ms=6,
                            label="t = onset + tau (63%)")
    legend = ax.legend(loc="lower right", ncols=2)
    ax.set_xlim(0.0, duration)
    label_axes(ax, "time (ms)", "membrane potential (mV)")

    def update(leak_conductance, membrane_capacitance, current, dt):
        cell = dict(membrane_capacitance=membrane_capacitance,
                    leak_conductance=leak_conductance, leak_reversal=leak_reversal)
        # Step on at onset, minus the same step from stop on: a pulse.
        exact = (passive_step_response(fine_time, amplitude=current, onset=onset, **cell)
                 - passive_step_response(fine_time, amplitude=current, onset=stop, **cell)
                 + leak_reversal)
        time = time_grid(duration, dt)
        with warnings.catch_warnings():
            # dt > 2 tau is the point of the slider: the title says it instead.
            warnings.simplefilter("ignore", RuntimeWarning)
            euler = simulate_passive(duration=duration, dt=dt,
                                     current=step_current(time, current, onset, stop),
                                     **cell).voltage[0]
        tau = membrane_capacitance / leak_conductance  # pF / nS = ms
        resistance = 1.0 / leak_conductance  # GOhm
        steady = leak_reversal + resistance * current  # GOhm * pA = mV
        at_tau = leak_reversal + (steady - leak_reversal) * (1.0 - np.exp(-1.0))

        exact_line.set_ydata(exact)
        euler_line.set_data(time, euler)
        euler_line.set_marker("." if time.size <= 1000 else "None")  # dots only where visible
        steady_line.set_ydata([steady, steady])
        tau_vline.set_xdata([onset + tau, onset + tau])
        tau_hline.set_ydata([at_tau, at_tau])
        tau_marker.set_data([onset + tau], [at_tau])
        low, high = min(exact.min(), steady), max(exact.max(), steady)
        pad = 0.15 * max(high - low, 2.0)
        ax.set_ylim(low - pad, high + pad)  # from the exact curve: an unstable Euler runs off
        legend.set_loc("lower right" if current >= 0 else "upper right")  # away from the curve
        stability = ("dt > 2 tau: Euler is UNSTABLE" if dt > 2.0 * tau
                     else f"dt/tau = {dt / tau:.2g}")
        ax.set_title(
            f"tau = C/g_L = {tau:.1f} ms,  R_in = 1/g_L = {resistance * 1000:.0f} MOhm,  "
            f"R I = {steady - leak_reversal:+.1f} mV\n{stability}",
            y=1.0,  # a fixed title position skips matplotlib's costly auto-placement
            fontsize=10,
        )
        euler_error = np.abs(euler - exact[::round(dt / 0.05)][: euler.size]).max()
        return (
            f"tau = {tau:.1f} ms, R_in = {resistance * 1000:.0f} MOhm, steady state "
            f"{steady:.1f} mV ({steady - leak_reversal:+.1f} mV from rest); dt / tau = "
            f"{dt / tau:.2g}: " + ("Euler is UNSTABLE (dt > 2 tau)." if dt > 2.0 * tau
                                   else f"largest Euler error {euler_error:.2g} mV.")
        )

    # Bounded so that every position stays a plausible passive cell: the steady state
    # stays between -90 and -40 mV (|R I| <= 30 mV, below a typical firing threshold,
    # where a passive model stops being a neuron), tau between 1 and 100 ms, and dt up to
    # 5 tau, enough to show Euler's instability without numbers that overflow the plot.
    controls = {
        "leak_conductance": slider(10.0, 5.0, 50.0, 1.0, "leak conductance g_L", "nS"),
        "membrane_capacitance": slider(200.0, 50.0, 500.0, 10.0, "membrane capacitance C",
                                       "pF"),
        "current": slider(100.0, -100.0, 150.0, 10.0, "injected current I", "pA"),
        "dt": slider(0.5, 0.1, 5.0, 0.1, "time step dt", "ms"),
    }
    return make_explorer(
        figure, controls, update,
        description="The membrane potential of a passive cell during a current step from "
        f"{onset:g} to {stop:g} ms: the exact response, forward Euler at the chosen time "
        "step, the steady state and the time constant.",
    )


# --- lesson 3 explorers ---


def lif_explorer(duration=500.0, dt=0.1, leak_conductance=10.0, reset=-65.0) -> Explorer:
    """Voltage trace and f-I curve of a LIF neuron (Lesson 3).

    A current step (on from 50 ms to ``duration - 50`` ms) drives a LIF
    neuron whose input current, membrane time constant, resting potential,
    threshold and refractory period are set by the sliders (g_L is fixed, so
    C = tau g_L and the rheobase g_L (V_th - E_L) does not depend on tau).
    The top panel shows V(t) with the spikes drawn in (a
    drawing convention: the simulated V never exceeds the threshold); the
    bottom panel the exact f-I curve (:func:`course_utils.neurons.lif_firing_rate`)
    with the rheobase, and the rate measured from the trace's
    inter-spike intervals.

    Parameters
    ----------
    duration : float, optional
        Length of the trace in ms (> 100).
    dt : float, optional
        Time step in ms.
    leak_conductance : float, optional
        g_L in nS.
    reset : float, optional
        Reset potential in mV (below the lowest threshold on the slider, -58 mV).

    Returns
    -------
    Explorer
        Its status line under the figure states in words the numbers the
        figure shows.
    """
    import numpy as np

    from ..inputs import step_current, time_grid
    from ..neurons import lif_firing_rate, lif_rheobase, simulate_lif
    from ..parameters import validate
    from ..plotting import COLORS, label_axes, new_figure

    duration, dt = _explorer_grid(
        duration, dt, 100.0, " (the current step runs from 50 ms to duration - 50 ms)"
    )
    leak_conductance = validate("leak_conductance", leak_conductance)
    reset = _reset_below(reset, -58.0)
    time = time_grid(duration, dt)
    onset, offset = 50.0, duration - 50.0
    unit_step = step_current(time, 1.0, onset, offset)
    currents = np.linspace(0.0, 600.0, 301)

    figure, (ax_v, ax_f) = new_figure(2, 1, figsize=(7.0, 5.0))
    figure.set_layout_engine(None)
    figure.subplots_adjust(left=0.12, right=0.97, top=0.93, bottom=0.1, hspace=0.45)
    (v_line,) = ax_v.plot(time, np.zeros_like(time), color=COLORS["model"], lw=1.0)
    spike_lines = ax_v.vlines([], [], [], color=COLORS["model"], lw=1.0)
    threshold_line = ax_v.axhline(-50.0, color=COLORS["reference"], ls="--", lw=1.0)
    ax_v.axhline(reset, color=COLORS["inhibitory"], ls=":", lw=1.0)
    # A plain text instead of a legend, which would cost ~10 ms per redraw.
    ax_v.text(0.99, 0.03, "dashed: threshold, dotted: reset", transform=ax_v.transAxes,
              ha="right", va="bottom", fontsize=9)
    ax_v.set_xlim(0.0, duration)
    ax_v.set_ylim(-85.0, 25.0)
    label_axes(ax_v, "time (ms)", "V (mV)")
    (fi_line,) = ax_f.plot(currents, np.zeros_like(currents), color=COLORS["model"],
                           label="exact LIF rate")
    rheobase_line = ax_f.axvline(200.0, color=COLORS["reference"], ls="--", lw=1.0,
                                 label="rheobase")
    (exact_marker,) = ax_f.plot([0.0], [0.0], "o", color=COLORS["model"], ms=7, mfc="none")
    (measured_marker,) = ax_f.plot([0.0], [0.0], "x", color=COLORS["excitatory"], ms=8,
                                   label="from the trace")
    ax_f.legend(loc="upper left", fontsize=9)
    ax_f.set_xlim(0.0, currents[-1])
    label_axes(ax_f, "injected current I (pA)", "firing rate (Hz)")

    def update(current, membrane_time_constant, leak_reversal, threshold, refractory_period):
        cell = dict(
            membrane_capacitance=membrane_time_constant * leak_conductance,  # ms * nS = pF
            leak_conductance=leak_conductance,
            leak_reversal=leak_reversal,
        )
        lif = dict(cell, threshold=threshold, reset=reset, refractory_period=refractory_period)
        result = simulate_lif(duration=duration, dt=dt, current=current * unit_step, **lif)
        v = result.voltage[0]
        spikes = result.spike_times[0]
        v_line.set_ydata(v)
        index = np.clip(np.searchsorted(time, spikes) - 1, 0, time.size - 1)
        spike_lines.set_segments([[(t, v[i]), (t, 20.0)] for t, i in zip(spikes, index,
                                                                          strict=True)])
        threshold_line.set_ydata([threshold, threshold])

        rates = lif_firing_rate(currents, **lif)
        exact = lif_firing_rate(current, **lif)
        rheobase = lif_rheobase(leak_conductance=cell["leak_conductance"],
                                leak_reversal=leak_reversal, threshold=threshold)
        measured = 1000.0 / np.mean(np.diff(spikes)) if spikes.size > 1 else 0.0
        fi_line.set_ydata(rates)
        rheobase_line.set_xdata([rheobase, rheobase])
        exact_marker.set_data([current], [exact])
        measured_marker.set_data([current], [measured])
        ax_f.set_ylim(0.0, max(rates.max(), 10.0) * 1.05)
        ax_v.set_title(
            f"I = {current:.0f} pA, tau = {membrane_time_constant:.0f} ms: "
            f"{spikes.size} spikes, {measured:.1f} Hz (exact {exact:.1f} Hz)",
            y=1.0,  # a fixed title position skips matplotlib's costly auto-placement
        )
        ax_f.set_title(f"rheobase g_L (V_th - E_L) = {rheobase:.0f} pA", y=1.0)
        # The numbers the image shows, as text (read by screen readers, kept without a kernel).
        return (
            f"I = {current:.0f} pA, tau = {membrane_time_constant:.0f} ms, "
            f"E_L = {leak_reversal:.0f} mV, V_th = {threshold:.0f} mV, "
            f"t_ref = {refractory_period:.1f} ms: {spikes.size} spikes, "
            f"{measured:.1f} Hz measured, {exact:.1f} Hz exact; rheobase {rheobase:.0f} pA; "
            f"ceiling 1000 / t_ref = {1000.0 / refractory_period:.0f} Hz."
        )

    # Bounds that always show something meaningful: the rest stays at least 4 mV
    # below the threshold (no spike at t = 0, no rest at threshold), and t_ref
    # stays >= 0.5 ms (t_ref = 0 would allow a spike in every step).
    controls = {
        "current": slider(300.0, 0.0, 600.0, 10.0, "input current I", "pA"),
        "membrane_time_constant": slider(20.0, 5.0, 50.0, 1.0, "membrane time constant tau",
                                         "ms"),
        "leak_reversal": slider(-70.0, -80.0, -62.0, 1.0, "resting potential E_L", "mV"),
        "threshold": slider(-50.0, -58.0, -40.0, 1.0, "threshold V_th", "mV"),
        "refractory_period": slider(2.0, 0.5, 10.0, 0.5, "refractory period t_ref", "ms"),
    }
    return make_explorer(
        figure, controls, update,
        description="Top: the membrane potential of a LIF neuron during a current step, with "
        "its spikes drawn in. Bottom: its exact f-I curve with the rheobase and the rate "
        "measured from the trace.",
    )


def noisy_lif_explorer(duration=2000.0, dt=0.1, seed=1) -> Explorer:
    """Mean input, noise and irregularity of a LIF neuron (Lesson 3, section 7).

    The lesson's cell (200 pF, 10 nS, -70 mV, threshold -50 mV, reset
    -65 mV, t_ref 2 ms, rheobase 200 pA) gets a white-noise current
    ``mu + sigma / sqrt(dt) xi_k`` (:func:`course_utils.inputs.white_noise_current`'s
    scaling; one fixed seeded sample ``xi``, so a slider changes only what it
    names). The top panel shows V(t) over the first 500 ms with the spikes
    drawn in; the bottom panel the histogram of the inter-spike intervals of
    the whole run, with the rate and the CV.

    Parameters
    ----------
    duration : float, optional
        Length of the run in ms.
    dt : float, optional
        Time step in ms.
    seed : int, optional
        Seed of the noise sample.

    Returns
    -------
    Explorer
        Its status line under the figure states in words the numbers the
        figure shows.
    """
    import numpy as np

    from ..inputs import time_grid
    from ..neurons import simulate_lif
    from ..parameters import LIF_DEFAULTS, STANDARD_CELL
    from ..plotting import COLORS, label_axes, new_figure, style

    cell = STANDARD_CELL | LIF_DEFAULTS
    rheobase = cell["leak_conductance"] * (cell["threshold"] - cell["leak_reversal"])  # pA
    duration, dt = _explorer_grid(duration, dt)
    seed = as_int("seed", seed, minimum=0)
    time = time_grid(duration, dt)
    unit_noise = np.random.default_rng(seed).standard_normal(time.size) / np.sqrt(dt)
    shown = time < 500.0
    bins = np.arange(0.0, 202.0, 4.0)  # ms

    figure, (ax_v, ax_h) = new_figure(2, 1, figsize=(7.0, 5.0))
    figure.set_layout_engine(None)
    figure.subplots_adjust(left=0.12, right=0.97, top=0.93, bottom=0.1, hspace=0.5)
    (v_line,) = ax_v.plot(time[shown], np.zeros(shown.sum()), lw=0.8, **style("model"))
    spike_lines = ax_v.vlines([], [], [], color=COLORS["model"], lw=1.0)
    ax_v.axhline(cell["threshold"], lw=1.0, **style("reference"))
    ax_v.text(0.99, 0.03, "dotted: threshold", transform=ax_v.transAxes, ha="right",
              va="bottom", fontsize=9)
    ax_v.set_xlim(0.0, 500.0)
    ax_v.set_ylim(-80.0, 25.0)
    label_axes(ax_v, "time (ms)", "V (mV)")
    counts = np.zeros(bins.size - 1)
    bars = ax_h.bar(bins[:-1], counts, width=np.diff(bins), align="edge",
                    color=COLORS["data"], edgecolor="white")
    ax_h.set_xlim(0.0, bins[-1])
    label_axes(ax_h, "inter-spike interval (ms)", "intervals")

    def update(mean_current, noise_amplitude):
        current = mean_current + noise_amplitude * unit_noise
        result = simulate_lif(duration=duration, dt=dt, current=current, **cell)
        v, spikes = result.voltage[0], result.spike_times[0]
        v_line.set_ydata(v[shown])
        early = spikes[spikes < 500.0]
        index = np.clip(np.searchsorted(time, early) - 1, 0, time.size - 1)
        spike_lines.set_segments([[(t, v[i]), (t, 20.0)] for t, i in zip(early, index,
                                                                          strict=True)])
        intervals = np.diff(spikes)
        counts, _ = np.histogram(intervals, bins)
        for bar, count in zip(bars, counts, strict=True):
            bar.set_height(count)
        ax_h.set_ylim(0.0, max(counts.max(), 1) * 1.1)
        rate = spikes.size / duration * 1000.0
        cv = intervals.std() / intervals.mean() if intervals.size > 2 else float("nan")
        cv_text = f"CV {cv:.2f}" if np.isfinite(cv) else "CV undefined (too few spikes)"
        regime = ("above" if mean_current > rheobase
                  else "at" if mean_current == rheobase else "below")
        ax_v.set_title(f"mean {mean_current:.0f} pA ({regime} the 200 pA rheobase), "
                       f"noise {noise_amplitude:.0f} pA", y=1.0)
        ax_h.set_title(f"{spikes.size} spikes in {duration / 1000:g} s: {rate:.1f} Hz, "
                       f"{cv_text}", y=1.0)
        # The numbers the image shows, as text (the generic status line).
        return (
            f"Mean current {mean_current:.0f} pA ({regime} the rheobase of 200 pA), noise "
            f"amplitude {noise_amplitude:.0f} pA: {spikes.size} spikes in "
            f"{duration / 1000:g} s, {rate:.1f} Hz, {cv_text}."
        )

    controls = {
        "mean_current": slider(180.0, 100.0, 400.0, 10.0, "mean current mu", "pA"),
        "noise_amplitude": slider(100.0, 0.0, 300.0, 10.0, "noise amplitude sigma",
                                  "pA at dt = 1 ms"),
    }
    return make_explorer(
        figure, controls, update,
        description="Top: the membrane potential of a LIF neuron driven by a noisy current, "
        "first 500 ms, spikes drawn in. Bottom: the histogram of its inter-spike intervals "
        "over 2 s, with the rate and the CV.",
    )


# --- lesson 4 explorers ---


def izhikevich_explorer(duration=320.0, dt=0.1, membrane_capacitance=100.0) -> Explorer:
    """Izhikevich's (2003) model: four sliders for a, b, c, d and one for the current.

    A current step from 20 ms to the end drives one Izhikevich neuron
    (:func:`course_utils.neurons.simulate_izhikevich`, numpy backend, Brian2's
    step order) starting at rest. The top panel shows V with the spikes cut at
    30 mV, the bottom one the recovery variable u. The line under the figure
    gives the spike count, the first intervals, the number of bursts (groups
    of spikes less than 10 ms apart) and the last interval's rate.

    Slider bounds keep every position meaningful: b <= 0.26 /ms keeps a
    resting state (above 0.267 /ms there is none and the cell fires with no
    input), and c <= -45 mV stays well below the 30 mV spike cut.

    Parameters
    ----------
    duration, dt : float, optional
        Length of the trace and time step, in ms.
    membrane_capacitance : float, optional
        C in pF, the scale from pA to the paper's mV/ms (100 pF: 1000 pA is
        the paper's I = 10).
    """
    import numpy as np

    from ..inputs import step_current, time_grid
    from ..neurons import IZHIKEVICH_CELL_TYPES, simulate_izhikevich
    from ..parameters import validate
    from ..plotting import label_axes, new_figure, style

    duration, dt = _explorer_grid(duration, dt, 20.0, " (the current step starts at 20 ms)")
    membrane_capacitance = validate("membrane_capacitance", membrane_capacitance)
    time = time_grid(duration, dt)
    unit_step = step_current(time, 1.0, 20.0, duration)
    figure, (ax_v, ax_u) = new_figure(
        2, 1, figsize=(7.0, 4.2), sharex=True, gridspec_kw={"height_ratios": [3, 1.4]}
    )
    figure.set_layout_engine(None)
    figure.subplots_adjust(left=0.12, right=0.97, top=0.92, bottom=0.12, hspace=0.15)
    (v_line,) = ax_v.plot(time, np.zeros_like(time), lw=1.0, **style("model"))
    ax_v.set_ylim(-85.0, 35.0)
    ax_v.set_xlim(0.0, duration)
    label_axes(ax_v, "", "V (mV)", "Izhikevich neuron")
    (u_line,) = ax_u.plot(time, np.zeros_like(time), lw=1.2, **style("inhibitory"))
    label_axes(ax_u, "time (ms)", "u (mV/ms)")
    rs = IZHIKEVICH_CELL_TYPES["RS"]

    def update(recovery_rate, recovery_sensitivity, reset, recovery_jump, current):
        result = simulate_izhikevich(
            duration=duration, dt=dt, membrane_capacitance=membrane_capacitance,
            recovery_rate=recovery_rate, recovery_sensitivity=recovery_sensitivity,
            reset=reset, recovery_jump=recovery_jump, current=current * unit_step,
            step_order="brian2", backend="numpy",
        )
        voltage = result.voltage[0].copy()
        spikes = result.spike_times[0]
        # Draw each spike up to the 30 mV cut at the sample where it happened.
        voltage[np.rint(spikes / dt).astype(int)] = 30.0
        v_line.set_ydata(voltage)
        recovery = result.traces["recovery"][0]
        u_line.set_ydata(recovery)
        ax_u.set_ylim(recovery.min() - 1.0, recovery.max() + 1.0)
        intervals = np.diff(spikes)
        bursts = int(np.sum(intervals >= 10.0) + 1) if spikes.size > 1 else spikes.size
        ax_v.set_title(f"Izhikevich neuron, {current:.0f} pA step: {spikes.size} spikes", y=1.0)
        if spikes.size < 2:
            return f"{spikes.size} spike(s) during the {duration - 20.0:.0f} ms step."
        first = ", ".join(f"{x:.1f}" for x in intervals[:4])
        return (
            f"{spikes.size} spikes; first intervals {first} ms; {bursts} group(s) separated "
            f"by pauses of 10 ms or more; last interval {intervals[-1]:.1f} ms "
            f"({1000.0 / intervals[-1]:.0f} Hz)."
        )

    controls = {
        "recovery_rate": slider(rs["recovery_rate"], 0.01, 0.12, 0.005,
                                "recovery rate a", "1/ms"),
        "recovery_sensitivity": slider(rs["recovery_sensitivity"], 0.15, 0.26, 0.01,
                                       "recovery sensitivity b", "1/ms"),
        "reset": slider(rs["reset"], -70.0, -45.0, 1.0, "reset c", "mV"),
        "recovery_jump": slider(rs["recovery_jump"], 0.0, 10.0, 0.5,
                                "recovery jump d", "mV/ms"),
        "current": slider(1000.0, 0.0, 1500.0, 50.0, "step current I", "pA"),
    }
    return make_explorer(
        figure, controls, update,
        description=("Membrane potential (top) and recovery variable u (bottom) of an "
                     "Izhikevich neuron driven by a current step from 20 ms."),
    )


def integration_explorer(duration=60.0, amplitude=100.0) -> Explorer:
    """Euler and exponential Euler against the exact step response of Lesson 4's membrane.

    The lesson's passive membrane (200 pF, 10 nS, E_L = -65 mV, tau = 20 ms)
    gets a current step of ``amplitude`` pA at t = 0. The slider sets the
    time step; both methods run with it
    (:func:`course_utils.neurons.simulate_passive`, numpy backend) and are
    drawn as points over the exact solution
    (:func:`course_utils.neurons.passive_step_response`). The line under the
    figure gives each method's largest error. The slider stops at 20 ms =
    tau, where Euler reaches the steady state in one step; beyond 2 tau it
    would oscillate with growing amplitude.

    Parameters
    ----------
    duration : float, optional
        Length of the run in ms.
    amplitude : float, optional
        The current step in pA (subthreshold: the membrane has no threshold).
    """
    import numpy as np

    from ..neurons import passive_step_response, simulate_passive
    from ..plotting import label_axes, new_figure, style

    duration, _ = _explorer_grid(duration, 0.1)
    amplitude = as_float("amplitude", amplitude, unit="pA")
    if abs(amplitude) > 1e6:
        raise ValueError(f"amplitude must be within +-1e6 pA, but got {amplitude:g} pA.")
    cell = dict(membrane_capacitance=200.0, leak_conductance=10.0, leak_reversal=-65.0)
    fine = np.linspace(0.0, duration, 601)
    figure, ax = new_figure(figsize=(7.0, 3.6))
    figure.set_layout_engine(None)
    figure.subplots_adjust(left=0.12, right=0.97, top=0.9, bottom=0.15)
    ax.plot(fine, passive_step_response(fine, amplitude=amplitude, **cell), lw=2.0,
            **style("reference"), label="exact")
    (euler_line,) = ax.plot([], [], ms=4, **style("excitatory", markers=True), label="euler")
    (exponential_line,) = ax.plot([], [], ms=4, **style("inhibitory", markers=True),
                                  label="exponential_euler")
    ax.legend(loc="lower right")
    ax.set_xlim(-1.0, duration + 1.0)
    steady = cell["leak_reversal"] + amplitude / cell["leak_conductance"]
    ax.set_ylim(cell["leak_reversal"] - 1.0, steady + 2.0)
    label_axes(ax, "time (ms)", "membrane potential (mV)", "step response, one time step")

    def update(dt):
        errors = {}
        for method, line in (("euler", euler_line), ("exponential_euler", exponential_line)):
            result = simulate_passive(duration=duration + dt, dt=dt, bias_current=amplitude,
                                      method=method, backend="numpy", **cell)
            exact = passive_step_response(result.time, amplitude=amplitude, **cell)
            line.set_data(result.time, result.voltage[0])
            errors[method] = float(np.max(np.abs(result.voltage[0] - exact)))
        ax.set_title(f"step response of the lesson's membrane, dt = {dt:g} ms", y=1.0)
        return (
            f"dt = {dt:g} ms: largest error {errors['euler']:.3g} mV for euler, "
            f"{errors['exponential_euler']:.1g} mV for exponential_euler."
        )

    controls = {"dt": slider(2.0, 0.1, 20.0, 0.1, "time step dt", "ms")}
    return make_explorer(
        figure, controls, update,
        description=("The exact step response of a passive membrane (dotted line) with the "
                     "points computed by Euler (triangles) and exponential Euler (inverted "
                     "triangles) at the chosen time step."),
    )


# --- lesson 1 explorers ---


def stepping_explorer(duration=80.0) -> Explorer:
    """Stepping a synaptic conductance in time: exact step against Euler (Lesson 1, section 3).

    Five spikes (at 10, 30, 32, 36 and 60 ms) of 0.5 nS drive ``dg/dt = -g/tau``.
    The figure shows the analytical sum of kernels on a fine grid, the exact
    step and forward Euler on the chosen grid (spikes added at the start of
    their step, as in lesson 1's exercise). Time step and decay time are set
    by sliders; the status line gives Euler's factor per step, what it does
    (decays, oscillates, blows up) and the largest error of each method.

    Parameters
    ----------
    duration : float, optional
        Length of the run in ms.

    Returns
    -------
    Explorer
    """
    import numpy as np

    from .. import synapses
    from ..inputs import time_grid
    from ..plotting import COLORS, label_axes, new_figure

    spike_times = np.array([10.0, 30.0, 32.0, 36.0, 60.0])
    peak = 0.5  # nS, the AMPA preset's
    duration, _ = _explorer_grid(
        duration, 0.02, 60.0, " (the last of the five spikes comes at 60 ms)"
    )
    fine = time_grid(duration, 0.02)
    figure, ax = new_figure(figsize=(7.0, 3.6))
    figure.set_layout_engine(None)  # a fixed layout keeps each redraw fast
    figure.subplots_adjust(left=0.12, right=0.97, top=0.88, bottom=0.14)
    (exact_curve,) = ax.plot(fine, np.zeros_like(fine), color=COLORS["data"], lw=3,
                             label="analytical")
    (exact_dots,) = ax.plot([], [], "o", mfc="none", ms=6, color=COLORS["model"],
                            label="exact step")
    (euler_dots,) = ax.plot([], [], "s-", ms=4, lw=0.8, color=COLORS["excitatory"],
                            label="Euler step")
    ax.axhline(0.0, color="black", lw=0.5)
    ax.legend(loc="upper right", ncols=3)
    ax.set_xlim(0.0, duration)
    label_axes(ax, "time (ms)", "conductance (nS)")

    def update(dt, decay_time):
        analytical = synapses.conductance_analytical(fine, spike_times, peak, decay_time)
        grid = time_grid(duration, dt)
        exact = synapses.conductance_numerical(grid, spike_times, peak, decay_time)
        euler = synapses.conductance_numerical(grid, spike_times, peak, decay_time,
                                               method="euler")
        truth = synapses.conductance_analytical(grid, spike_times, peak, decay_time)
        exact_curve.set_ydata(analytical)
        exact_dots.set_data(grid, exact)
        euler_dots.set_data(grid, euler)
        low = min(euler.min(), 0.0)
        high = max(analytical.max(), min(euler.max(), 5.0))
        ax.set_ylim(max(low, -3.0) - 0.05, high * 1.1 + 0.05)  # a runaway Euler leaves the plot
        factor = 1.0 - dt / decay_time
        behaviour = ("decays smoothly" if factor >= 0 else
                     "flips sign every step but shrinks" if factor > -1 else
                     "flips sign and GROWS: unstable")
        ax.set_title(f"dt = {dt:g} ms, tau = {decay_time:g} ms: Euler factor per step "
                     f"{factor:+.2f}", y=1.0)
        return (
            f"Euler's factor per step 1 - dt/tau = {factor:+.2f}: Euler {behaviour}. "
            f"Largest error on the grid: exact step {np.abs(exact - truth).max():.3f} nS "
            f"(spikes moved onto the grid), Euler {np.abs(euler - truth).max():.3g} nS."
        )

    controls = {
        "dt": slider(1.0, 0.1, 12.0, 0.1, "time step dt", "ms"),
        "decay_time": slider(5.0, 2.0, 20.0, 0.5, "decay time tau", "ms"),
    }
    return make_explorer(
        figure, controls, update,
        description="A synaptic conductance driven by five spikes: the analytical curve, "
        "the exact step and the forward Euler step at the chosen time step.",
    )


# --- lesson 2 explorers ---


def psp_explorer(dt=0.1) -> Explorer:
    """One AMPA and one GABA_A event on a passive cell held at a chosen voltage (Lesson 2).

    The standard cell (200 pF, 10 nS, E_L = -70 mV) is held at ``holding``
    mV by a constant current; an AMPA event arrives at 20 ms and a GABA_A
    event at 120 ms, each with an exponential conductance (the presets' decay
    times, lesson 2's ``SynapticInput``). Sliders set the holding voltage,
    the two peak conductances and the GABA_A reversal potential; the figure
    shows V - V(0) and the status line the EPSP and IPSP sizes and the
    driving forces.

    Parameters
    ----------
    dt : float, optional
        Time step of the forward Euler integration, in ms.

    Returns
    -------
    Explorer
    """
    import numpy as np

    from .. import synapses
    from ..inputs import time_grid
    from ..plotting import COLORS, label_axes, new_figure

    capacitance, leak, rest, duration = 200.0, 10.0, -70.0, 220.0
    time = time_grid(duration, dt)
    figure, ax = new_figure(figsize=(7.0, 3.4))
    figure.set_layout_engine(None)
    figure.subplots_adjust(left=0.12, right=0.97, top=0.88, bottom=0.15)
    (trace,) = ax.plot(time, np.zeros_like(time), color=COLORS["model"], label="V - V(0)")
    ax.axhline(0.0, color="black", lw=0.5)
    ax.axvline(20.0, color=COLORS["excitatory"], ls="-", lw=0.8, label="AMPA event")
    ax.axvline(120.0, color=COLORS["inhibitory"], ls="--", lw=0.8, label="GABA_A event")
    ax.legend(loc="upper right", ncols=3)
    label_axes(ax, "time (ms)", "V - V(0) (mV)")

    def update(holding, ampa_conductance, gaba_conductance, gaba_reversal):
        # Spikes act from the next grid point on, as in SynapticInput.
        later = time + dt
        g_e = synapses.conductance_analytical(later, [20.0], ampa_conductance,
                                              synapses.AMPA.decay_time)
        g_i = synapses.conductance_analytical(later, [120.0], gaba_conductance,
                                              synapses.GABA_A.decay_time)
        g_e, g_i = np.concatenate([[0.0], g_e[:-1]]), np.concatenate([[0.0], g_i[:-1]])
        current = leak * (holding - rest)  # pA that holds the cell at `holding`
        v = np.empty_like(time)
        voltage = holding
        for k in range(time.size):  # forward Euler, as in the lesson's neuron
            v[k] = voltage
            total = (leak * (rest - voltage) + current + g_e[k] * (0.0 - voltage)
                     + g_i[k] * (gaba_reversal - voltage))
            voltage += dt / capacitance * total
        change = v - holding
        trace.set_ydata(change)
        epsp, ipsp = change[time < 100.0].max(), change[time >= 100.0]
        ipsp = ipsp[np.argmax(np.abs(ipsp))]
        ax.set_ylim(min(change.min(), -0.2) * 1.2, max(change.max(), 0.2) * 1.2)
        ax.set_title(f"held at {holding:g} mV: EPSP {epsp:+.2f} mV, GABA_A event "
                     f"{ipsp:+.2f} mV", y=1.0)
        return (
            f"Held at {holding:g} mV. AMPA: driving force {0.0 - holding:+.0f} mV, "
            f"EPSP {epsp:+.2f} mV. GABA_A (reversal {gaba_reversal:g} mV): driving force "
            f"{gaba_reversal - holding:+.0f} mV, response {ipsp:+.2f} mV."
        )

    controls = {
        "holding": slider(-70.0, -85.0, -50.0, 1.0, "holding potential", "mV"),
        "ampa_conductance": slider(0.5, 0.1, 2.0, 0.1, "AMPA peak conductance", "nS"),
        "gaba_conductance": slider(1.0, 0.1, 3.0, 0.1, "GABA_A peak conductance", "nS"),
        "gaba_reversal": slider(-75.0, -85.0, -55.0, 1.0, "GABA_A reversal potential", "mV"),
    }
    return make_explorer(
        figure, controls, update,
        description="Voltage change of a passive cell held at a chosen potential after one "
        "AMPA event at 20 ms and one GABA_A event at 120 ms.",
    )

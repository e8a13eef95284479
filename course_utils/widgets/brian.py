"""Lesson 4's LIF explorer: the course's solver on every slider move, Brian2 on a button."""

from __future__ import annotations

from ..parameters import LIF_DEFAULTS, STANDARD_CELL
from .explorer import (
    Explorer,
    Slider,
    add_button,
    explorer_grid,
    fixed_layout,
    make_explorer,
    reset_below,
)
from .lif import MEMBRANE_TIME_CONSTANT

BRIAN_LIF_SLIDERS = (
    Slider("current", 300.0, 0.0, 500.0, 10.0, "step current I", "pA"),
    MEMBRANE_TIME_CONSTANT,
    Slider("leak_reversal", -65.0, -80.0, -55.0, 1.0, "leak reversal E_L", "mV"),
    Slider("threshold", -50.0, -60.0, -40.0, 1.0, "threshold V_th", "mV"),
)


def brian_lif_explorer(duration=200.0, dt=0.1, leak_conductance=STANDARD_CELL["leak_conductance"],
                       reset=LIF_DEFAULTS["reset"],
                       refractory_period=LIF_DEFAULTS["refractory_period"]) -> Explorer:
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

    from ..inputs import step_current, time_grid
    from ..neurons import lif_rheobase, simulate_lif
    from ..parameters import validate

    duration, dt = explorer_grid(
        duration, dt, 40.0, " (the current step runs from 20 ms to duration - 20 ms)"
    )
    leak_conductance = validate("leak_conductance", leak_conductance)
    reset = reset_below(reset, -60.0)
    refractory_period = validate("refractory_period", refractory_period)
    time = time_grid(duration, dt)
    unit_step = step_current(time, 1.0, 20.0, duration - 20.0)
    state = {"brian": None, "values": None}
    figure, lines = _step_figure(time, unit_step, duration)

    fixed = dict(leak_conductance=leak_conductance, reset=reset,
                 refractory_period=refractory_period)

    def simulate(values):
        # numpy backend: a 2000-step run takes ~10 ms, no numba compilation needed
        return simulate_lif(duration=duration, dt=dt, current=values["current"] * unit_step,
                            step_order="brian2", backend="numpy", **_neuron(values, **fixed))

    def update(current, membrane_time_constant, leak_reversal, threshold):
        values = dict(current=current, membrane_time_constant=membrane_time_constant,
                      leak_reversal=leak_reversal, threshold=threshold)
        result = simulate(values)
        spikes = result.spike_times[0]
        lines["v"].set_ydata(result.voltage[0])
        lines["spikes"].set_data(*_strokes_from(threshold, spikes))
        lines["threshold"].set_ydata([threshold, threshold])
        lines["rest"].set_ydata([leak_reversal, leak_reversal])
        lines["current"].set_ydata(current * unit_step)
        shown = state["values"] == values
        lines["brian"].set_data(*((time, state["brian"].voltage[0]) if shown else ([], [])))
        rheobase = lif_rheobase(leak_conductance=leak_conductance,
                                leak_reversal=leak_reversal, threshold=threshold)
        figure.axes[0].set_title(
            f"{spikes.size} spikes; rheobase g_L (V_th - E_L) = {rheobase:.0f} pA",
            y=1.0,  # a fixed title position skips matplotlib's costly auto-placement
        )
        rate = spikes.size / ((duration - 40.0) / 1000.0)
        brian_note = "; Brian2's trace (dashed) is drawn for these settings" if shown else ""
        return (
            f"{spikes.size} spikes during the {current:.0f} pA step ({rate:.0f} Hz); "
            f"rheobase {rheobase:.0f} pA{brian_note}."
        )

    explorer = make_explorer(
        figure, list(BRIAN_LIF_SLIDERS), update,
        description=("Membrane potential of the lesson's LIF neuron during a current step, "
                     "computed by the course solver in Brian2's step order, with Brian2's own "
                     "trace dashed on top after the button."),
    )

    def run_brian(label):
        from ..brian import run_brian_lif

        values = explorer.values()
        label.value = "Brian2 is running..."
        try:
            brian = run_brian_lif(duration=duration, dt=dt, current=values["current"] * unit_step,
                                  **_neuron(values, **fixed))
        except Exception as error:  # noqa: BLE001 - a button callback has nowhere to raise to
            label.value = f"Brian2 failed: {type(error).__name__}: {error}"
            return
        state["brian"], state["values"] = brian, values
        label.value = _agreement(brian, simulate(values), dt)
        explorer.redraw()

    explorer.run_brian = add_button(
        explorer, "Run this neuron in Brian2", run_brian,
        "Brian2 has not run yet (a run takes a few tenths of a second, the first one longer).",
    )
    return explorer


def _step_figure(time, unit_step, duration):
    """The explorer's figure (V above, the current step below) and its lines by name."""
    import numpy as np

    from ..plotting import COLORS, label_axes, new_figure

    figure, (ax_v, ax_i) = new_figure(
        2, 1, figsize=(7.0, 4.2), sharex=True, gridspec_kw={"height_ratios": [3, 1]}
    )
    fixed_layout(figure, left=0.12, right=0.97, top=0.92, bottom=0.12, hspace=0.15)
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
    return figure, dict(v=v_line, spikes=spike_line, brian=brian_line,
                        threshold=threshold_line, rest=rest_line, current=i_line)


def _neuron(values, *, leak_conductance, reset, refractory_period) -> dict:
    """simulate_lif's neuron for the slider ``values`` (C = tau g_L: ms * nS = pF)."""
    return dict(
        membrane_capacitance=values["membrane_time_constant"] * leak_conductance,
        leak_conductance=leak_conductance, leak_reversal=values["leak_reversal"],
        threshold=values["threshold"], reset=reset, refractory_period=refractory_period,
    )


def _strokes_from(threshold, spikes):
    """x, y of one line that draws each spike as a stroke from the threshold to 20 mV.

    A drawing convention: V itself is reset at a spike. NaNs separate the strokes.
    """
    import numpy as np

    xs = np.repeat(spikes, 3)
    ys = np.tile([threshold, 20.0, np.nan], spikes.size)
    xs[2::3] = np.nan
    return xs, ys


def _agreement(brian, course, dt) -> str:
    """How Brian2's run agrees with the course solver's: spike steps and voltage (mV)."""
    import numpy as np

    from ..brian import spike_steps

    same = np.array_equal(spike_steps(brian.spike_times[0], dt),
                          spike_steps(course.spike_times[0], dt))
    difference = float(np.max(np.abs(brian.voltage - course.voltage)))
    return (
        f"Brian2: {brian.spike_times[0].size} spikes; same grid steps as the course "
        f"solver: {same}; max |V_Brian2 - V_course| = {difference:.1e} mV"
    )

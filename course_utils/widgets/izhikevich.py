"""Lesson 4's Izhikevich explorer: sliders for a, b, c, d and the current."""

from __future__ import annotations

from .explorer import Explorer, Slider, explorer_grid, fixed_layout, make_explorer


def izhikevich_sliders(start) -> tuple:
    """The explorer's sliders, starting at the cell type ``start`` (a, b, c, d by name).

    Parameters
    ----------
    start : dict
        ``recovery_rate`` (1/ms), ``recovery_sensitivity`` (1/ms), ``reset``
        (mV) and ``recovery_jump`` (mV/ms), e.g. an entry of
        :data:`course_utils.neurons.IZHIKEVICH_CELL_TYPES`.

    Returns
    -------
    tuple of Slider
    """
    return (
        Slider("recovery_rate", start["recovery_rate"], 0.01, 0.12, 0.005,
               "recovery rate a", "1/ms"),
        Slider("recovery_sensitivity", start["recovery_sensitivity"], 0.15, 0.26, 0.01,
               "recovery sensitivity b", "1/ms"),
        Slider("reset", start["reset"], -70.0, -45.0, 1.0, "reset c", "mV"),
        Slider("recovery_jump", start["recovery_jump"], 0.0, 10.0, 0.5,
               "recovery jump d", "mV/ms"),
        Slider("current", 1000.0, 0.0, 1500.0, 50.0, "step current I", "pA"),
    )


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

    duration, dt = explorer_grid(duration, dt, 20.0, " (the current step starts at 20 ms)")
    membrane_capacitance = validate("membrane_capacitance", membrane_capacitance)
    time = time_grid(duration, dt)
    unit_step = step_current(time, 1.0, 20.0, duration)
    figure, (ax_v, ax_u) = new_figure(
        2, 1, figsize=(7.0, 4.2), sharex=True, gridspec_kw={"height_ratios": [3, 1.4]}
    )
    fixed_layout(figure, left=0.12, right=0.97, top=0.92, bottom=0.12, hspace=0.15)
    (v_line,) = ax_v.plot(time, np.zeros_like(time), lw=1.0, **style("model"))
    ax_v.set_ylim(-85.0, 35.0)
    ax_v.set_xlim(0.0, duration)
    label_axes(ax_v, "", "V (mV)", "Izhikevich neuron")
    (u_line,) = ax_u.plot(time, np.zeros_like(time), lw=1.2, **style("inhibitory"))
    label_axes(ax_u, "time (ms)", "u (mV/ms)")

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

    return make_explorer(
        figure, list(izhikevich_sliders(IZHIKEVICH_CELL_TYPES["RS"])), update,
        description=("Membrane potential (top) and recovery variable u (bottom) of an "
                     "Izhikevich neuron driven by a current step from 20 ms."),
    )



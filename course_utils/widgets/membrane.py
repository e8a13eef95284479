"""Explorers of the passive membrane: charging (lesson 2), a held cell's PSPs
(lesson 2) and the integration methods' error (lesson 4)."""

from __future__ import annotations

from .._validation import as_float
from .explorer import Explorer, Slider, explorer_grid, fixed_layout, make_explorer

# Bounded so that every position stays a plausible passive cell: the steady state
# stays between -90 and -40 mV (|R I| <= 30 mV, below a typical firing threshold,
# where a passive model stops being a neuron), tau between 1 and 100 ms, and dt up to
# 5 tau, enough to show Euler's instability without numbers that overflow the plot.
PASSIVE_SLIDERS = (
    Slider("leak_conductance", 10.0, 5.0, 50.0, 1.0, "leak conductance g_L", "nS"),
    Slider("membrane_capacitance", 200.0, 50.0, 500.0, 10.0, "membrane capacitance C", "pF"),
    Slider("current", 100.0, -100.0, 150.0, 10.0, "injected current I", "pA"),
    Slider("dt", 0.5, 0.1, 5.0, 0.1, "time step dt", "ms"),
)

PSP_SLIDERS = (
    Slider("holding", -70.0, -85.0, -50.0, 1.0, "holding potential", "mV"),
    Slider("ampa_conductance", 0.5, 0.1, 2.0, 0.1, "AMPA peak conductance", "nS"),
    Slider("gaba_conductance", 1.0, 0.1, 3.0, 0.1, "GABA_A peak conductance", "nS"),
    Slider("gaba_reversal", -75.0, -85.0, -55.0, 1.0, "GABA_A reversal potential", "mV"),
)

# Up to tau = 20 ms, where Euler reaches the steady state in one step.
INTEGRATION_DT = Slider("dt", 2.0, 0.1, 20.0, 0.1, "time step dt", "ms")


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
    from ..parameters import STANDARD_CELL

    duration, _ = explorer_grid(duration, 0.05, 0.0)
    onset = as_float("onset", onset, unit="ms", nonnegative=True)
    stop = as_float("stop", stop, unit="ms")
    if not onset < stop <= duration:
        raise ValueError(
            f"The step needs onset < stop <= duration, but got onset = {onset:g} ms, "
            f"stop = {stop:g} ms and duration = {duration:g} ms."
        )
    leak_reversal = STANDARD_CELL["leak_reversal"]
    fine_time = time_grid(duration, 0.05)

    figure, lines = _pulse_figure(fine_time, (onset, stop), duration, leak_reversal)
    ax = figure.axes[0]

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

        lines["exact"].set_ydata(exact)
        lines["euler"].set_data(time, euler)
        lines["euler"].set_marker("." if time.size <= 1000 else "None")  # dots only where visible
        lines["steady"].set_ydata([steady, steady])
        lines["tau_v"].set_xdata([onset + tau, onset + tau])
        lines["tau_h"].set_ydata([at_tau, at_tau])
        lines["tau_marker"].set_data([onset + tau], [at_tau])
        low, high = min(exact.min(), steady), max(exact.max(), steady)
        pad = 0.15 * max(high - low, 2.0)
        ax.set_ylim(low - pad, high + pad)  # from the exact curve: an unstable Euler runs off
        # the legend goes where the curve is not
        lines["legend"].set_loc("lower right" if current >= 0 else "upper right")
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

    return make_explorer(
        figure, list(PASSIVE_SLIDERS), update,
        description="The membrane potential of a passive cell during a current step from "
        f"{onset:g} to {stop:g} ms: the exact response, forward Euler at the chosen time "
        "step, the steady state and the time constant.",
    )




def _pulse_figure(fine_time, step, duration, leak_reversal):
    """passive_explorer's figure and its artists by name (times in ms, voltages in mV).

    ``step`` is the (onset, stop) of the current step, shaded.
    """
    import numpy as np

    from ..plotting import COLORS, label_axes, new_figure

    onset, stop = step
    figure, ax = new_figure(figsize=(7.0, 3.8))
    fixed_layout(figure, left=0.12, right=0.97, top=0.88, bottom=0.13)
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
    return figure, dict(steady=steady_line, euler=euler_line, exact=exact_line,
                        tau_v=tau_vline, tau_h=tau_hline, tau_marker=tau_marker, legend=legend)


def psp_explorer(dt=0.1) -> Explorer:
    """One AMPA and one GABA_A event on a passive cell held at a chosen voltage (Lesson 2).

    The standard cell (200 pF, 10 nS, E_L = -70 mV) is held at ``holding``
    mV by a constant current (:func:`course_utils.neurons.simulate_passive`,
    forward Euler); an AMPA event arrives at 20 ms and a GABA_A
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
    from ..neurons import simulate_passive
    from ..parameters import STANDARD_CELL
    from ..plotting import COLORS, label_axes, new_figure

    duration = 220.0
    time = time_grid(duration, dt)
    figure, ax = new_figure(figsize=(7.0, 3.4))
    fixed_layout(figure, left=0.12, right=0.97, top=0.88, bottom=0.15)
    (trace,) = ax.plot(time, np.zeros_like(time), color=COLORS["model"], label="V - V(0)")
    ax.axhline(0.0, color="black", lw=0.5)
    ax.axvline(20.0, color=COLORS["excitatory"], ls="-", lw=0.8, label="AMPA event")
    ax.axvline(120.0, color=COLORS["inhibitory"], ls="--", lw=0.8, label="GABA_A event")
    ax.legend(loc="upper right", ncols=3)
    label_axes(ax, "time (ms)", "V - V(0) (mV)")

    def conductance(onset, peak, preset):
        # The event acts from the grid point after it on, as in SynapticInput.
        g = synapses.conductance_analytical(time + dt, [onset], peak, preset.decay_time)
        return np.concatenate([[0.0], g[:-1]])

    def update(holding, ampa_conductance, gaba_conductance, gaba_reversal):
        # forward Euler, as in the lesson's neuron, from rest shifted to `holding`
        # by the constant current g_L (holding - E_L) (pA)
        v = simulate_passive(
            duration=duration, dt=dt, **STANDARD_CELL, initial_voltage=holding,
            bias_current=STANDARD_CELL["leak_conductance"]
            * (holding - STANDARD_CELL["leak_reversal"]),
            excitatory_conductance=conductance(20.0, ampa_conductance, synapses.AMPA),
            excitatory_reversal=0.0,
            inhibitory_conductance=conductance(120.0, gaba_conductance, synapses.GABA_A),
            inhibitory_reversal=gaba_reversal, method="euler", backend="numpy",
        ).voltage[0]
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

    return make_explorer(
        figure, list(PSP_SLIDERS), update,
        description="Voltage change of a passive cell held at a chosen potential after one "
        "AMPA event at 20 ms and one GABA_A event at 120 ms.",
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

    duration, _ = explorer_grid(duration, 0.1)
    amplitude = as_float("amplitude", amplitude, unit="pA")
    if abs(amplitude) > 1e6:
        raise ValueError(f"amplitude must be within +-1e6 pA, but got {amplitude:g} pA.")
    cell = dict(membrane_capacitance=200.0, leak_conductance=10.0, leak_reversal=-65.0)
    fine = np.linspace(0.0, duration, 601)
    figure, ax = new_figure(figsize=(7.0, 3.6))
    fixed_layout(figure, left=0.12, right=0.97, top=0.9, bottom=0.15)
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

    return make_explorer(
        figure, [INTEGRATION_DT], update,
        description=("The exact step response of a passive membrane (dotted line) with the "
                     "points computed by Euler (triangles) and exponential Euler (inverted "
                     "triangles) at the chosen time step."),
    )



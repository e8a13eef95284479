"""The course's unit system, checked against Brian2's units.

Each test states a physical relation in Brian2's unit-aware arithmetic (the
independent reference) and checks that course_utils, working with plain
numbers in its own units, gives the same number. A factor-of-1000 slip in a
unit (nA for pA, uS for nS, s for ms) fails one of these.
"""

import numpy as np
import pytest

import course_utils
from course_utils import inputs, synapses

brian2 = pytest.importorskip("brian2")
from brian2 import Hz, Mohm, ms, mV, nS, pA, pF, um  # noqa: E402

GOhm = 1000 * Mohm

BRIAN_UNITS = {"ms": ms, "mV": mV, "pA": pA, "nS": nS, "pF": pF, "GOhm": GOhm, "Hz": Hz, "um": um}


def unit(quantity):
    return BRIAN_UNITS[course_utils.UNITS[quantity]]


def test_conductance_times_voltage_is_the_current_unit():
    current = 1 * unit("conductance") * 1 * unit("voltage")
    assert float(current / unit("current")) == pytest.approx(1)


def test_current_over_capacitance_times_time_is_the_voltage_unit():
    step = unit("time") * unit("current") / unit("capacitance")
    assert float(step / unit("voltage")) == pytest.approx(1)


def test_voltage_over_current_is_the_resistance_unit():
    assert float(unit("voltage") / unit("current") / unit("resistance")) == pytest.approx(1)


def test_resistance_times_capacitance_is_the_time_unit():
    assert float(unit("resistance") * unit("capacitance") / unit("time")) == pytest.approx(1)


def test_rate_unit_is_per_second_not_per_time_unit():
    # 1 spike per ms is 1000 Hz: rates are the one place the course converts.
    assert float((1 / unit("time")) / unit("rate")) == pytest.approx(1000)


def test_synaptic_current_matches_brian2():
    g, v, e_rev = 0.5, -65.0, 0.0
    expected = float(g * nS * (e_rev * mV - v * mV) / pA)
    assert float(synapses.synaptic_current(g, v, e_rev)) == pytest.approx(expected)


def test_ampa_epsp_is_physiological():
    """One AMPA event on a 200 pF, 10 nS neuron: a sub-mV to ~1 mV EPSP.

    The voltage is integrated here with Brian2 (units checked by Brian2), fed
    by the course's AMPA conductance: a conductance 1000x too large (the seed's
    50 nS, or nS read as uS) gives tens of mV and fails.
    """
    from brian2 import NeuronGroup, StateMonitor, TimedArray, defaultclock, run, start_scope

    start_scope()
    dt = 0.05
    defaultclock.dt = dt * ms
    time = inputs.time_grid(100.0, dt)
    conductance = synapses.conductance_numerical(
        time,
        [10.0],
        synapses.AMPA.peak_conductance,
        synapses.AMPA.decay_time,
        shape="dual_exponential",
        rise_time=synapses.AMPA.rise_time,
    )
    g_ampa = TimedArray(conductance * nS, dt=dt * ms)  # noqa: F841 - used by the equations
    neuron = NeuronGroup(
        1,
        "dv/dt = (10*nS*(-70*mV - v) + g_ampa(t)*(0*mV - v)) / (200*pF) : volt",
        method="exponential_euler",
    )
    neuron.v = -70 * mV
    monitor = StateMonitor(neuron, "v", record=0)
    run(100 * ms)
    epsp = float(np.max(monitor.v[0] / mV) + 70.0)
    assert 0.2 < epsp < 1.5, f"EPSP of {epsp:.2f} mV is not physiological"


def test_units_are_stated_in_the_package_docstring():
    for quantity, name in course_utils.UNITS.items():
        assert quantity in course_utils.__doc__ and name in course_utils.__doc__

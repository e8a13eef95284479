"""The argument helpers shared by the solvers (course_utils._arguments)."""

import numpy as np
import pytest

from course_utils._arguments import (
    broadcast_parameters,
    count_neurons,
    per_neuron,
    per_neuron_array,
    refractory_steps,
    spike_lists,
)
from course_utils.neurons import get_model, simulate_adex, simulate_izhikevich, simulate_lif


@pytest.mark.parametrize(
    ("refractory_period", "dt", "whole_steps"),
    [
        (2.0, 0.1, 20),
        (2.0, 0.3, 6),  # 6.67 steps: rounded down, never up
        (0.3, 0.1, 3),  # 0.3 / 0.1 is 2.9999999999999996 in floating point
        (2.05, 0.1, 20),  # half a step: still down
        (0.0, 0.1, 0),
        (0.09, 0.1, 0),
    ],
)
def test_refractory_steps_is_floor_of_whole_steps(refractory_period, dt, whole_steps):
    assert refractory_steps(refractory_period, dt) == whole_steps
    per_neuron_steps = refractory_steps(refractory_period, dt, 3)
    assert per_neuron_steps.dtype == np.int64
    assert per_neuron_steps.tolist() == [whole_steps] * 3


def test_declared_parameters_are_checked_from_the_table():
    # The sign comes from PARAMETERS (a capacitance must be > 0) ...
    with pytest.raises(ValueError, match="membrane_capacitance must be greater than zero"):
        per_neuron("membrane_capacitance", [200.0, 0.0])
    # ... and so does the range (a capacitance given in farads).
    with pytest.raises(ValueError, match=r"membrane_capacitance .* pF"):
        per_neuron("membrane_capacitance", 2e-10)
    with pytest.raises(ValueError, match="refractory_period must not be negative"):
        per_neuron("refractory_period", -1.0)
    # A parameter the table does not know needs its unit.
    with pytest.raises(ValueError, match="not declared"):
        per_neuron("capacitance", 200.0)
    assert per_neuron("initial_weights", [1, 2], unit="nS").tolist() == [1.0, 2.0]
    assert per_neuron("threshold", np.inf, allow_inf=True) == np.inf


def test_neurons_are_counted_and_broadcast():
    arrays, n = broadcast_parameters({"reset": -65.0, "threshold": np.array([-50.0, -45.0])})
    assert n == 2
    assert arrays["reset"].tolist() == [-65.0, -65.0]
    with pytest.raises(ValueError, match="threshold: 2, reset: 3"):
        count_neurons({"threshold": 2, "reset": 3, "leak_reversal": 1})
    with pytest.raises(ValueError, match="reset has 2 values, but there are 3 input trains"):
        per_neuron_array("reset", [-65.0, -60.0], 3, what="input trains")


def test_spike_lists_sort_spikes_by_neuron():
    steps = [np.array([3, 3]), np.array([7])]
    neurons = [np.array([0, 2]), np.array([0])]
    trains = spike_lists(steps, neurons, 3, 0.5)
    assert [train.tolist() for train in trains] == [[1.5, 3.5], [], [1.5]]
    assert [train.tolist() for train in spike_lists([], [], 2, 0.5)] == [[], []]


def test_registry_dispatches_to_the_solvers():
    assert get_model("lif").simulate is simulate_lif
    assert get_model("adex").simulate is simulate_adex
    assert get_model("izhikevich").simulate is simulate_izhikevich
    assert get_model("adex").traces == ("adaptation",)
    with pytest.raises(ValueError, match="model must be 'lif', 'adex' or 'izhikevich'"):
        get_model("hh")

"""Friendly failure: bad input gives an error that names the argument."""

import numpy as np
import pytest

from course_utils import _validation as v


@pytest.mark.parametrize(
    ("value", "error", "words"),
    [
        (-0.1, ValueError, "dt must be greater than zero"),
        (0.0, ValueError, "dt must be greater than zero"),
        (float("nan"), ValueError, "dt is NaN"),
        (float("inf"), ValueError, "dt is infinite"),
        ("0.1", TypeError, "dt must be a number"),
        (..., TypeError, "dt is still '...'"),
        (True, TypeError, "dt must be a number"),
        (np.array([0.1, 0.2]), TypeError, "dt must be a single number"),
    ],
)
def test_dt_errors_name_the_argument_and_the_fix(value, error, words):
    with pytest.raises(error, match=re.escape(words)):
        v.check_dt(value)


def test_arrays():
    assert v.as_array("x", [1, 2]).tolist() == [1.0, 2.0]
    with pytest.raises(ValueError, match=r"x contains a NaN or infinite value at index 1"):
        v.as_array("x", [1.0, np.nan])
    with pytest.raises(ValueError, match=r"x must be a 1-D array, but got shape \(2, 2\)"):
        v.as_array("x", np.zeros((2, 2)), ndim=1)
    with pytest.raises(TypeError, match="x must be an array of numbers"):
        v.as_array("x", "abc")
    with pytest.raises(ValueError, match="x must not contain negative values"):
        v.as_array("x", [1, -1], nonnegative=True)


def test_lengths_rng_and_spike_times():
    with pytest.raises(ValueError, match="time has 3, voltage has 2"):
        v.check_same_length(time=[1, 2, 3], voltage=[1, 2])
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator"):
        v.check_rng(np.random)
    with pytest.raises(ValueError, match="at or after the end of the run"):
        v.check_spike_times("spikes", [1.0, 120.0], duration=100.0)
    with pytest.raises(ValueError, match="negative time"):
        v.check_spike_times("spikes", [-1.0])
    with pytest.raises(ValueError, match="sorted"):
        v.check_spike_times("spikes", [5.0, 1.0])


import re  # noqa: E402


def test_time_windows():
    from course_utils.data import StepWindow

    assert v.check_window((10, 30.5)) == (10.0, 30.5)
    assert v.check_window(StepWindow(100.0, 600.0, -50.0, "D")) == (100.0, 600.0)
    assert v.check_window(None) is None  # optional windows: the caller reads "everything"
    reversed_message = "window must end after it starts, but got (30, 10)"
    with pytest.raises(ValueError, match=re.escape(reversed_message)):
        v.check_window((30.0, 10.0))
    with pytest.raises(ValueError, match="window stop is NaN"):
        v.check_window((0.0, float("nan")))
    with pytest.raises(TypeError, match=r"windows\[2\] must be a \(start, stop\) pair in ms"):
        v.check_window(5.0, "windows[2]")
    with pytest.raises(TypeError, match=r"window must be a \(start, stop\) pair"):
        v.check_window((0.0, 10.0, 20.0))

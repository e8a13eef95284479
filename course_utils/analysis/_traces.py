"""What every trace analysis shares: the trace's checks, level crossings
interpolated between samples, a running mean. Units: ms, mV."""

from __future__ import annotations

import numpy as np

from .._validation import as_array

_NAN = float("nan")


def check_trace(time, voltage) -> tuple[np.ndarray, np.ndarray]:
    """``(time, voltage)`` as float arrays (ms, mV): 1-D, finite, equally long,
    time strictly increasing; else a ValueError or TypeError naming the argument."""
    time = as_array("time", time, unit="ms", ndim=1, allow_empty=False)
    voltage = as_array("voltage", voltage, unit="mV", ndim=1, allow_empty=False)
    if time.size != voltage.size:
        raise ValueError(
            f"time has {time.size} samples but voltage has {voltage.size}: "
            "give one time per voltage sample."
        )
    if time.size > 1 and not (np.diff(time) > 0).all():
        raise ValueError("time must be strictly increasing (ms).")
    return time, voltage


def crossing_indices(voltage: np.ndarray, threshold: float) -> np.ndarray:
    """Index of the first sample at or above threshold of each upward crossing."""
    above = voltage >= threshold
    return np.flatnonzero(~above[:-1] & above[1:]) + 1


def interpolate_crossing(time, values, index, level) -> float:
    """Time at which ``values`` crosses ``level`` between index-1 and index."""
    v0, v1 = values[index - 1], values[index]
    fraction = 0.0 if v1 == v0 else (level - v0) / (v1 - v0)
    return float(time[index - 1] + fraction * (time[index] - time[index - 1]))


def running_mean(values: np.ndarray, width: int) -> np.ndarray:
    """Mean over ``width`` samples centred on each sample (edges padded with
    the first and last values); ``values`` itself for ``width <= 1``."""
    if width <= 1:
        return values
    kernel = np.ones(width) / width
    padded = np.pad(values, (width // 2, width - 1 - width // 2), mode="edge")
    return np.convolve(padded, kernel, mode="valid")


def nanmedian(values) -> float:
    """Median of the finite values; NaN if there are none."""
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    return float(np.median(values)) if values.size else _NAN

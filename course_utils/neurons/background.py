"""Compile the numba kernels in another process while the student reads.

Compiling a model's kernels from an empty cache takes several seconds (about
2.5 s for LIF's serial kernel on a 2-core machine, more for the parallel
one). On Colab every session starts with an empty cache. A lesson that will
run large simulations (lesson 5's fits) calls :func:`compile_in_background`
in its first cell: a second Python process compiles the kernels on the other
core and leaves them in numba's disk cache, so that the lesson's first large
run loads them in a fraction of a second instead of compiling them itself.
The notebook's own process is never blocked by it, except that a kernel
needed before its background compile has finished waits for it (it is
further along than starting again would be).

Run as a program, ``python -m course_utils.neurons.background MARKS lif adex``
compiles those models' kernels, touching ``MARKS/<model>`` after each.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .._validation import check_choice

_RUNNING: dict[str, tuple[subprocess.Popen, Path]] = {}
"""Background compiles started in this process: model name -> (process, its mark file)."""

WAIT_SECONDS = 60.0
"""Longest a kernel waits for its background compile before compiling itself."""


def compile_in_background(*models) -> None:
    """Start compiling the kernels of ``models`` in a second process.

    Parameters
    ----------
    *models : str
        Names in :data:`course_utils.neurons.MODELS` ("lif", "adex",
        "izhikevich"), in the order the lesson first needs them.

    Returns
    -------
    None
        Nothing happens without numba (the numpy backend needs no compiling).
        :func:`wait_for` waits for a model's compile.
    """
    from .kernels import numba_available
    from .registry import MODELS

    for model in models:
        check_choice("model", model, tuple(MODELS))
    if not models or not numba_available():
        return
    marks = Path(tempfile.mkdtemp(prefix="first-neuron-kernels-"))
    process = subprocess.Popen(
        [sys.executable, "-m", __name__, str(marks), *models],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    for model in models:
        _RUNNING[model] = (process, marks / model)


def wait_for(model) -> None:
    """Return once no background compile of ``model`` is running (at most :data:`WAIT_SECONDS`)."""
    process, mark = _RUNNING.get(model, (None, None))
    deadline = time.monotonic() + WAIT_SECONDS
    while process is not None and process.poll() is None and not mark.exists():
        if time.monotonic() > deadline:
            return
        time.sleep(0.02)


def finished(model) -> bool:
    """Whether a background compile of ``model`` started here has filled the cache."""
    process, mark = _RUNNING.get(model, (None, None))
    return mark is not None and mark.exists()


def _compile(model) -> None:
    """Run ``model`` once serially and once in parallel, so both kernels are cached."""
    import numpy as np

    from .registry import get_model

    cells = {
        "lif": {"membrane_capacitance": 200.0, "leak_conductance": 10.0, "leak_reversal": -70.0},
        "adex": {
            "membrane_capacitance": 200.0, "leak_conductance": 10.0, "leak_reversal": -70.0,
            "slope_factor": 2.0, "rheobase_threshold": -50.0, "reset": -58.0,
            "adaptation_coupling": 2.0, "spike_adaptation": 60.0,
            "adaptation_time_constant": 100.0,
        },
        "izhikevich": {  # regular spiking (Izhikevich 2003), C = 100 pF
            "membrane_capacitance": 100.0, "recovery_rate": 0.02, "recovery_sensitivity": 0.2,
            "reset": -65.0, "recovery_jump": 8.0,
        },
    }[model]
    simulate = get_model(model).simulate
    # 1 neuron runs the serial kernel; 600 neurons x 400 steps the parallel one.
    for n_neurons in (1, 600):
        simulate(duration=40.0, dt=0.1, bias_current=np.zeros(n_neurons),
                 current=np.zeros((n_neurons, 400)), backend="numba", **cells)


def main(argv) -> int:
    marks, models = Path(argv[0]), argv[1:]
    for model in models:
        _compile(model)
        (marks / model).touch()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

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
compiles those models' kernels (the parallel ones first), touching
``MARKS/<model>-<variant>`` after each.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .._validation import check_choice

_RUNNING: dict[str, tuple[subprocess.Popen, Path]] = {}
"""Background compiles started in this process: model name -> (process, folder of marks)."""

WAIT_SECONDS = 60.0
"""Longest a kernel waits for its background compile before compiling itself."""

VARIANTS = ("parallel", "serial")
"""The kernels compiled for each model, in this order: the fits run the parallel ones."""


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
        _RUNNING[model] = (process, marks)


def _mark(model, parallel):
    """The file a background compile touches once it has cached ``model``'s kernel."""
    process, marks = _RUNNING.get(model, (None, None))
    if marks is None:
        return None, None
    return process, marks / f"{model}-{VARIANTS[0] if parallel else VARIANTS[1]}"


def wait_for(model, parallel=None) -> None:
    """Return once no background compile of ``model``'s parallel or serial kernel
    (both if ``parallel`` is None) is running; at most :data:`WAIT_SECONDS`."""
    deadline = time.monotonic() + WAIT_SECONDS
    for variant in (True, False) if parallel is None else (parallel,):
        process, mark = _mark(model, variant)
        while process is not None and process.poll() is None and not mark.exists():
            if time.monotonic() > deadline:
                return
            time.sleep(0.02)


def started(model) -> bool:
    """Whether this process started a background compile of ``model`` (it may be done)."""
    return model in _RUNNING


def _compile(model, variant) -> None:
    """Run ``model`` once with its ``variant`` ("parallel" or "serial") kernel, caching it."""
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
    # 600 neurons x 400 steps run the parallel kernel; 1 neuron the serial one.
    n_neurons = 600 if variant == "parallel" else 1
    simulate(duration=40.0, dt=0.1, bias_current=np.zeros(n_neurons),
             current=np.zeros((n_neurons, 400)), backend="numba", **cells)


def main(argv) -> int:
    marks, models = Path(argv[0]), argv[1:]
    # Every model's parallel kernel first: the fits need those soonest.
    for variant in VARIANTS:
        for model in models:
            _compile(model, variant)
            (marks / f"{model}-{variant}").touch()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

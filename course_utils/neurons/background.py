"""Compile the numba kernels in another process while the student reads.

Compiling a model's kernels from an empty cache takes several seconds (about
2.5 s for LIF's serial kernel on a 2-core machine, more for the parallel
one). On Colab every session starts with an empty cache. A lesson that will
run large simulations (lesson 5's fits) calls :func:`compile_in_background`
in its first cell: a second Python process compiles the kernels on the other
core and leaves them in numba's disk cache, so that the lesson's first large
run loads them in a fraction of a second instead of compiling them itself.
The notebook's own process is never blocked by it: a small run goes on
with the numpy backend until its kernel is cached, and a large run waits
only for a compile already under way (it is further along than starting
again would be).

Run as a program, ``python -m course_utils.neurons.background MARKS lif:serial``
compiles the kernels named ``model:variant``, in that order, touching
``MARKS/<model>-<variant>.started`` before and ``MARKS/<model>-<variant>``
after each.
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
"""The two kernels compiled for each model."""


def compile_in_background(*kernels) -> None:
    """Start compiling numba kernels in a second process.

    Parameters
    ----------
    *kernels : str
        In the order the lesson first needs them: a model's name in
        :data:`course_utils.neurons.MODELS` ("lif", "adex", "izhikevich")
        for both its kernels (the one it uses most first: LIF's serial one,
        the others' parallel one), or ``"model:parallel"`` /
        ``"model:serial"`` for one of them. A model whose compile this
        process has started already is skipped.

    Returns
    -------
    None
        Nothing happens without numba (the numpy backend needs no compiling).
    """
    from .kernels import numba_available

    order = [kernel for item in kernels for kernel in _expand(item)]
    order = list(dict.fromkeys(k for k in order if k.split(":")[0] not in _RUNNING))
    if not order or not numba_available():
        return
    marks = Path(tempfile.mkdtemp(prefix="first-neuron-kernels-"))
    process = subprocess.Popen(
        [sys.executable, "-m", __name__, str(marks), *order],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    for kernel in order:
        _RUNNING[kernel.split(":")[0]] = (process, marks)


def _expand(item) -> list[str]:
    """``"model:variant"`` items for one argument of :func:`compile_in_background`."""
    from .registry import MODELS

    if not isinstance(item, str):
        raise TypeError(f"kernels must be model names such as 'lif', but got {item!r}.")
    model, _, variant = item.partition(":")
    check_choice("model", model, tuple(MODELS))
    if variant:
        check_choice("variant", variant, VARIANTS)
        return [item]
    first = VARIANTS[::-1] if model == "lif" else VARIANTS  # LIF runs <= 256 neurons serially
    return [f"{model}:{v}" for v in first]


def _marks(model, parallel):
    """(process, "started" file, "done" file) of ``model``'s background compile, if any."""
    process, marks = _RUNNING.get(model, (None, None))
    if marks is None:
        return None, None, None
    name = f"{model}-{VARIANTS[0] if parallel else VARIANTS[1]}"
    return process, marks / f"{name}.started", marks / name


def in_progress(model, parallel) -> bool:
    """Whether the background process is compiling that kernel of ``model`` right now."""
    process, begun, done = _marks(model, parallel)
    return (process is not None and process.poll() is None
            and begun.exists() and not done.exists())


def done(model, parallel) -> bool:
    """Whether a background compile started here has cached that kernel of ``model``."""
    process, begun, finished = _marks(model, parallel)
    return finished is not None and finished.exists()


def wait_for(model, parallel=None) -> None:
    """Wait while the background process compiles ``model``'s parallel or serial kernel
    (either if ``parallel`` is None), at most :data:`WAIT_SECONDS`: it is further along
    than a compile started here would be. One it has not begun is not waited for."""
    deadline = time.monotonic() + WAIT_SECONDS
    for variant in (True, False) if parallel is None else (parallel,):
        while in_progress(model, variant) and time.monotonic() < deadline:
            time.sleep(0.02)


def wait_until_cached(model) -> bool:
    """Wait (at most :data:`WAIT_SECONDS`) until the background process has cached both
    of ``model``'s kernels or has stopped; return whether both are cached."""
    process, _, _ = _marks(model, True)
    deadline = time.monotonic() + WAIT_SECONDS
    while process is not None and process.poll() is None and time.monotonic() < deadline:
        if done(model, True) and done(model, False):
            break
        time.sleep(0.02)
    return done(model, True) and done(model, False)


def compile_kernel(model, variant) -> None:
    """Compile (or load from numba's cache) one kernel of ``model`` in this process.

    Parameters
    ----------
    model : {"lif", "adex", "izhikevich"}
        The model.
    variant : {"parallel", "serial"}
        Which of its two kernels.
    """
    import numpy as np

    from ..parameters import STANDARD_CELL
    from .registry import get_model

    check_choice("variant", variant, VARIANTS)
    parameters = {
        "lif": STANDARD_CELL,
        "adex": STANDARD_CELL | {  # any valid cell compiles the same kernel
            "slope_factor": 2.0, "rheobase_threshold": -50.0, "reset": -58.0,
            "adaptation_coupling": 2.0, "spike_adaptation": 60.0,
            "adaptation_time_constant": 100.0,
        },
        "izhikevich": {  # regular spiking (Izhikevich 2003), C = 100 pF
            "membrane_capacitance": 100.0, "recovery_rate": 0.02, "recovery_sensitivity": 0.2,
            "reset": -65.0, "recovery_jump": 8.0,
        },
    }[get_model(model).name]
    # 600 neurons x 400 steps run the parallel kernel; 1 neuron the serial one.
    n_neurons = 600 if variant == "parallel" else 1
    get_model(model).simulate(duration=40.0, dt=0.1, bias_current=np.zeros(n_neurons),
                              current=np.zeros((n_neurons, 400)), backend="numba",
                              **parameters)


def main(argv) -> int:
    marks, kernels = Path(argv[0]), argv[1:]
    for kernel in kernels:
        model, variant = kernel.split(":")
        (marks / f"{model}-{variant}.started").touch()
        compile_kernel(model, variant)
        (marks / f"{model}-{variant}").touch()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Execute a notebook with nbclient, robustly, for the tests, slides and benchmark.

Every way the course executes notebooks goes through this module, with a
per-cell timeout (:data:`CELL_TIMEOUT`), so no run can hang:
``make run-notebooks`` (authors), tests/test_determinism.py, tests/test_colab.py,
authoring/slides.py and benchmarks/benchmark.py. (nbval, which the test suite
runs over every notebook, drives its own jupyter_client kernel, not nbclient;
its per-cell timeout is ``--nbval-cell-timeout`` in pyproject.toml.)

Command line, for authors::

    python authoring/notebook_execution.py [--timeout SECONDS] NOTEBOOK...

runs each notebook top to bottom in a fresh kernel and prints its time and
its slowest cell; exit status 1 if a cell failed or ran past the timeout.

nbclient sometimes waits for a cell's reply until the cell times out when the
cell displays ipywidgets, although the kernel answered long before
(jupyter/nbclient#312, open). The reply is in the shell channel; a single
long ``get_msg(timeout=...)`` just does not wake up. Polling the channel in
short slices finds it. :class:`RobustNotebookClient` does exactly that and
nothing else.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime
from pathlib import Path
from queue import Empty

import nbformat
from jupyter_core.utils import ensure_async
from nbclient import NotebookClient

POLL_SECONDS = 0.5
# Seconds one cell may run: far above the slowest cell of the course (about
# 15 s, a first Brian2 cython build), far below "the run hangs".
CELL_TIMEOUT = 120


class RobustNotebookClient(NotebookClient):
    """NotebookClient whose shell-channel reads poll in short slices."""

    async def async_start_new_kernel_client(self):
        client = await super().async_start_new_kernel_client()
        channel = client.shell_channel
        read = channel.get_msg

        async def get_msg(timeout=None):
            deadline = None if timeout is None else time.monotonic() + timeout
            while True:
                remaining = POLL_SECONDS if deadline is None else deadline - time.monotonic()
                try:
                    return await ensure_async(read(timeout=max(0.0, min(POLL_SECONDS, remaining))))
                except Empty:
                    if deadline is not None and time.monotonic() >= deadline:
                        raise

        channel.get_msg = get_msg
        return client


def execute_notebook(path, *, timeout=CELL_TIMEOUT, cwd=None, kernel_name=None, env=None):
    """Run a notebook top to bottom and return the executed notebook.

    Parameters
    ----------
    path : path-like
        The ``.ipynb`` file.
    timeout : float
        Seconds allowed per cell.
    cwd : path-like, optional
        Working directory of the kernel (default: the notebook's folder).
    kernel_name : str, optional
        Kernel to use (default: the notebook's kernelspec).
    env : dict, optional
        Environment of the kernel process.
    """
    path = Path(path)
    notebook = nbformat.read(path, as_version=4)
    options = {"timeout": timeout, "resources": {"metadata": {"path": str(cwd or path.parent)}}}
    if kernel_name:
        options["kernel_name"] = kernel_name
    client = RobustNotebookClient(notebook, **options)
    if env is not None:
        client.execute(env=env)
    else:
        client.execute()
    return notebook


def cell_seconds(notebook) -> list[tuple[int, float]]:
    """(index, seconds) of every executed code cell, from nbclient's timing metadata.

    The time is from the kernel starting the cell to its reply, as a student
    waits for it.
    """
    timings = []
    for index, cell in enumerate(notebook.cells):
        timing = cell.get("metadata", {}).get("execution", {})
        try:
            start = datetime.fromisoformat(timing["iopub.execute_input"].replace("Z", "+00:00"))
            end = datetime.fromisoformat(timing["shell.execute_reply"].replace("Z", "+00:00"))
        except (KeyError, ValueError):
            continue
        timings.append((index, (end - start).total_seconds()))
    return timings


def slowest_cell(notebook) -> tuple[int, float, str]:
    """(index, seconds, first source line) of the slowest code cell."""
    index, seconds = max(cell_seconds(notebook), key=lambda pair: pair[1], default=(-1, 0.0))
    first_line = notebook.cells[index].source.strip().splitlines()[0] if index >= 0 else ""
    return index, seconds, first_line


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Run notebooks top to bottom, robustly.")
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument(
        "--timeout", type=float, default=CELL_TIMEOUT, help="seconds allowed per cell"
    )
    options = parser.parse_args(argv)
    failed = []
    for path in options.notebooks:
        started = time.perf_counter()
        try:
            notebook = execute_notebook(path, timeout=options.timeout)
        except Exception as error:  # report every notebook, then fail
            if hasattr(error, "ename"):  # CellExecutionError: the student-facing error
                detail = f"{error.ename}: {error.evalue}"
            else:  # a timeout, a dead kernel: the first line says what happened
                detail = (str(error).strip().splitlines() or [""])[0]
            print(f"FAILED {path}: {type(error).__name__}: {detail}")
            failed.append(path)
            continue
        index, seconds, line = slowest_cell(notebook)
        print(
            f"ok     {path}: {time.perf_counter() - started:.1f} s; "
            f"slowest cell {index} ({seconds:.1f} s): {line[:60]}"
        )
    if failed:
        print(f"{len(failed)} notebook(s) failed: {', '.join(map(str, failed))}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

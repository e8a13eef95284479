"""Execute a notebook with nbclient, robustly, for the tests, slides and benchmark.

nbclient sometimes waits for a cell's reply until the cell times out when the
cell displays ipywidgets, although the kernel answered long before
(jupyter/nbclient#312, open). The reply is in the shell channel; a single
long ``get_msg(timeout=...)`` just does not wake up. Polling the channel in
short slices finds it. :class:`RobustNotebookClient` does exactly that and
nothing else.
"""

from __future__ import annotations

import time
from pathlib import Path
from queue import Empty

import nbformat
from jupyter_core.utils import ensure_async
from nbclient import NotebookClient

POLL_SECONDS = 0.5


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


def execute_notebook(path, *, timeout=300, cwd=None, kernel_name=None, env=None):
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

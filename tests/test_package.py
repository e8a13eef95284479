"""Package-level promises: no work and no global state change at import time."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULES = sorted(
    f"course_utils.{p.stem}"
    for p in (ROOT / "course_utils").glob("*.py")
    if not p.stem.startswith("_")
) + sorted(  # modules that are packages (their private submodules load with them)
    f"course_utils.{p.parent.name}"
    for p in (ROOT / "course_utils").glob("*/__init__.py")
    if p.parent.name != "checks"
) + sorted(
    f"course_utils.checks.{p.stem}"
    for p in (ROOT / "course_utils" / "checks").glob("*.py")
    if not p.stem.startswith("_")
)

PROBE = """
import json, sys, time
import matplotlib
rc_before = dict(matplotlib.rcParams)
start = time.perf_counter()
import importlib
for name in {modules!r}:
    importlib.import_module(name)
elapsed = time.perf_counter() - start
changed = sorted(k for k, v in matplotlib.rcParams.items() if rc_before.get(k) != v)
heavy = [m for m in ("brian2", "numba", "pyabf", "efel", "matplotlib.pyplot") if m in sys.modules]
print(json.dumps({{"heavy": heavy, "rc_changed": changed, "seconds": elapsed}}))
"""


def probe():
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(modules=MODULES)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        # A fixed backend: reading rcParams with the automatic backend imports pyplot.
        env={**os.environ, "MPLBACKEND": "Agg"},
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_importing_every_module_loads_no_heavy_dependency_and_changes_no_settings():
    report = probe()
    # brian2, numba and pyabf are imported inside the functions that use them.
    assert report["heavy"] == []
    assert report["rc_changed"] == []


def test_every_module_has_a_docstring():
    import importlib

    for name in MODULES:
        assert importlib.import_module(name).__doc__, name

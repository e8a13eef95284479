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


def test_the_wheel_ships_every_module(tmp_path):
    """What `pip install` (Colab's setup cell) installs is every course_utils file git tracks:
    a subpackage missing from pyproject.toml would break lessons there and nowhere else."""
    import zipfile

    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "-w", str(tmp_path), str(ROOT)],
        capture_output=True, text=True, timeout=300,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    # setuptools still ships a subpackage left out of `packages`, as data, with this
    # warning; a later setuptools will drop it.
    assert "absent from the `packages` configuration" not in built.stderr, built.stderr[-2000:]
    (wheel,) = tmp_path.glob("first_neuron-*.whl")
    shipped = {name for name in zipfile.ZipFile(wheel).namelist() if name.endswith(".py")}
    tracked = subprocess.run(
        ["git", "ls-files", "course_utils/*.py", "course_utils/**/*.py"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.split()
    if not tracked:  # not a git checkout (e.g. an unpacked archive): the files on disk
        tracked = [str(p.relative_to(ROOT)) for p in (ROOT / "course_utils").rglob("*.py")]
    missing = sorted(set(tracked) - shipped)
    assert not missing, f"pip install leaves out {missing}: list their package in pyproject.toml"

"""Every student lesson, run the way Google Colab runs it, on Colab's current
and previous runtime.

What Colab has preinstalled comes from Google's own published ``pip freeze``
of each runtime (tests/colab/<runtime>/pip-freeze.txt, from the GitHub
repository googlecolab/backend-info; tests/colab/README.md says how to
refresh it when Colab moves on). For each runtime:

* a virtual environment with Colab's Python major.minor holds every package
  of the freeze that the lessons, their kernel, Colab's widget front end
  (ipywidgets 7, widgetsnbextension 3, notebook 6) and the course's own
  dependencies touch, all at the freeze's versions: the WHOLE freeze is the
  constraints file of that install. It does NOT hold course_utils or brian2;
* each student notebook is copied alone into an empty folder (so ``../data``
  does not exist) and executed by the course's robust nbclient in that
  environment's kernel with ``FIRST_NEURON_SETUP=colab`` (the setup cell does
  what it does in Colab), ``FIRST_NEURON_PACKAGE=<a copy of this checkout>``
  (pip installs the course from the working tree, not from GitHub) and
  ``FIRST_NEURON_DATA_URL=file://<repo>/data``.

Checked: the whole notebook runs; the setup cell changed NO package that was
installed before it (same name, same version, none removed: pip only added
packages), and what it added that Colab also has came at Colab's version;
course_utils was imported from what the setup cell installed; each explorer
drew its figure into its Output widget under ipywidgets 7 (the widget state
nbclient records). Then, in ipywidgets 7's own front end (classic Notebook 6
page + widgetsnbextension 3.6 in Chromium, see CLASSIC_WIDGETS_JS), a person's
keyboard moves a slider of each explorer and the figure must change.

Interpreters: Colab runs a newer patch release (e.g. 3.13.15) than a machine
usually has; any interpreter with the same major.minor is used and both
versions are printed. Without one, a person gets a skip that says what to
install; with CI=true the test fails.

The current runtime runs in ``make test``; the previous one in CI
(``CI=true``) and, on a person's machine, with ``FIRST_NEURON_COLAB_PREVIOUS=1``
(``make test-colab-previous``). It adds about 3 minutes (measured on the
2-core machine: 3 min 11 s from an empty build/colab/, 2 min 25 s with its
environment cached, the browser check included). Environments are built
once per freeze under build/colab/ (about a minute with a warm pip cache,
about 1 GB each); each lesson runs in a hard-linked copy, two at a time.
"""

from __future__ import annotations

import fcntl
import glob
import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
import zipfile
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
RUNTIMES = ROOT / "tests" / "colab"
CACHE = ROOT / "build" / "colab"
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
# What Colab has that a lesson touches: the kernel, Colab's widget generation
# (ipywidgets 7 needs widgetsnbextension 3 and the classic notebook), the
# scientific stack, and what the course's dependencies use. The course's own
# dependency tree is added to this list by resolving it (see base_environment).
COLAB_ROOTS = (
    "ipykernel",
    "ipython",
    "ipywidgets",
    "widgetsnbextension",
    "notebook",
    "jupyter-client",
    "nbclient",
    "nbformat",
    "numpy",
    "scipy",
    "matplotlib",
    "plotly",
    "numba",
    "tqdm",
    "cython",
    "sympy",
    "pyparsing",
    "jinja2",
    "setuptools",
    "pytest",
    "packaging",
)
REPORTED = ("numpy", "matplotlib", "ipywidgets", "brian2", "pyabf", "first-neuron", "ipykernel")
JOBS = 2
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
IN_CI = os.environ.get("CI") == "true"

pytestmark = pytest.mark.colab


# Inserted after the setup cell and at the end of each notebook: what is
# installed, and what the kernel has loaded.
PROBE = f"""\
import json as _json, sys as _sys
from importlib import metadata as _metadata
_probe = {{"prefix": _sys.prefix, "installed": {{}}, "loaded": {{}}}}
for _name in {REPORTED!r}:
    try:
        _probe["installed"][_name] = _metadata.version(_name)
    except _metadata.PackageNotFoundError:
        _probe["installed"][_name] = None
for _name in ("numpy", "matplotlib", "ipywidgets", "plotly", "brian2", "course_utils"):
    _module = _sys.modules.get(_name)
    if _module is not None:
        _probe["loaded"][_name] = [
            getattr(_module, "__version__", None), getattr(_module, "__file__", None)
        ]
print("PROBE" + _json.dumps(_probe))
"""

# Runs in the Colab-like environment: execute one notebook with nbclient.
RUNNER = r"""
import json, sys
import nbformat
from jupyter_client import KernelManager

source, target = sys.argv[1], sys.argv[2]
# nbclient can wait for a widget cell's reply until the cell times out
# (jupyter/nbclient#312): the course's client polls in short slices instead.
sys.path.insert(0, sys.argv[3])
from notebook_execution import CELL_TIMEOUT, RobustNotebookClient as NotebookClient
notebook = nbformat.read(source, as_version=4)
# IPC sockets: lessons run two at a time, and TCP ports picked by two
# processes at once can collide.
manager = KernelManager(kernel_name="python3", transport="ipc", ip="kernel")
client = NotebookClient(
    notebook, km=manager, timeout=CELL_TIMEOUT, resources={"metadata": {"path": "."}},
    on_cell_start=lambda cell, cell_index: print(f"cell {cell_index}", file=sys.stderr, flush=True),
)
error = None
try:
    client.execute()
except Exception as exc:  # report it; the test shows which cell failed
    error = f"{type(exc).__name__}: {exc}"
nbformat.write(notebook, target)
print(json.dumps({"error": error}))
"""


@dataclass
class Runtime:
    """One Colab runtime, as published (or approximated, see tests/colab/README.md)."""

    role: str  # "current" or "previous"
    name: str  # folder in tests/colab/
    python: str  # Colab's Python, e.g. "3.13.15"
    pins: dict  # normalised name -> Colab's version (None: not known, left unpinned)
    direct_urls: list  # freeze lines "name @ url": not usable as pip constraints
    approximated_from: str | None  # the freeze it approximates, while its own is missing

    @property
    def minor(self) -> str:
        return ".".join(self.python.split(".")[:2])

    def constraints(self) -> str:
        """The whole freeze as a pip constraints file."""
        lines = [f"# Colab runtime {self.name} (Python {self.python}), from tests/colab/"]
        lines += [f"# left out, a direct URL: {line}" for line in self.direct_urls]
        lines += [f"# left out, version not known: {n}" for n, v in self.pins.items() if v is None]
        lines += [f"{name}=={version}" for name, version in sorted(self.pins.items()) if version]
        return "\n".join(lines) + "\n"


def read_freeze(path: Path) -> tuple[dict, list]:
    pins, direct_urls = {}, []
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if " @ " in line:
            direct_urls.append(line)
        else:
            name, version = line.split("==")
            pins[normalise(name)] = version.strip()
    return pins, direct_urls


def load_runtime(role: str) -> Runtime:
    name = tomllib.loads((RUNTIMES / "runtimes.toml").read_text())[role]
    info = tomllib.loads((RUNTIMES / name / "runtime.toml").read_text())
    freeze = RUNTIMES / name / "pip-freeze.txt"
    approximated_from = None
    if not freeze.exists():
        approximated_from = info["approximates"]
        freeze = RUNTIMES / approximated_from / "pip-freeze.txt"
    pins, direct_urls = read_freeze(freeze)
    for package, version in info.get("overrides", {}).items():
        pins[normalise(package)] = version or None
    if "sha256" in info:
        digest = hashlib.sha256(freeze.read_bytes()).hexdigest()
        assert digest == info["sha256"], f"{freeze} is not the file runtime.toml names"
    return Runtime(role, name, info["python"], pins, direct_urls, approximated_from)


def find_python(minor: str) -> str | None:
    """An interpreter with Colab's major.minor: env variable, PATH or pyenv."""
    candidates = [
        os.environ.get(f"FIRST_NEURON_COLAB_PYTHON_{minor.replace('.', '')}"),
        shutil.which(f"python{minor}"),
    ]
    pyenv_root = os.environ.get("PYENV_ROOT", str(Path.home() / ".pyenv"))
    candidates += sorted(
        glob.glob(f"{pyenv_root}/versions/{minor}*/bin/python{minor}"), reverse=True
    )
    candidates += [f"/usr/bin/python{minor}", f"/usr/local/bin/python{minor}"]
    for candidate in filter(None, candidates):
        try:
            found = subprocess.run(
                [candidate, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                capture_output=True,
                text=True,
                timeout=30,
                check=False,
            )
        except OSError:
            continue
        if found.stdout.strip() == minor:
            return candidate
    return None


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@contextmanager
def locked(path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def run(command, **kwargs):
    completed = subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)
    if completed.returncode != 0:
        output = f"{completed.stdout[-2000:]}\n{completed.stderr[-4000:]}"
        pytest.fail(f"{' '.join(map(str, command))} failed:\n{output}")
    return completed


def clean_env(venv: Path) -> dict:
    """The environment of a process in ``venv``: no trace of the test's own venv."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "MPLBACKEND")
    }
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def base_environment(runtime: Runtime, python: str) -> tuple[Path, float]:
    """The cached Colab-like venv of one runtime (built if missing)."""
    version = run([python, "-c", "import sys; print(sys.version.split()[0])"]).stdout.strip()
    constraints = runtime.constraints()
    # Everything the environment depends on: a change to any rebuilds it.
    key_text = (
        constraints
        + version
        + repr(COLAB_ROOTS)
        + (ROOT / "pyproject.toml").read_text()
        + Path(__file__).read_text().split("def base_environment", 1)[1].split("\ndef ", 1)[0]
    )
    key = hashlib.sha256(key_text.encode()).hexdigest()[:12]
    base = CACHE / runtime.name / f"base-{key}"
    seconds = 0.0
    with locked(CACHE / runtime.name / ".lock"):
        if not (base / ".complete").exists():
            started = datetime.now()
            for stale in (CACHE / runtime.name).glob("base-*"):
                shutil.rmtree(stale, ignore_errors=True)
            run([python, "-m", "venv", str(base)])
            (base / "colab-constraints.txt").write_text(constraints)
            bin_python = str(base / "bin" / "python")
            env = clean_env(base)
            pip = [bin_python, "-m", "pip", "install", "--quiet", "--only-binary=:all:"]
            pip += ["-c", str(base / "colab-constraints.txt")]
            run([*pip, f"pip=={runtime.pins['pip']}"], env=env, timeout=600)
            run([*pip, *COLAB_ROOTS], env=env, timeout=1800)
            # What Colab has of the course's own dependency tree is preinstalled too.
            scratch = base / "scratch"
            checkout = package_checkout(scratch / "first-neuron")
            report = scratch / "report.json"
            run(
                [*pip, "--dry-run", "--report", str(report), str(checkout)],
                env=env,
                cwd=scratch,
                timeout=900,
            )
            wanted = [
                item["metadata"]["name"] for item in json.loads(report.read_text())["install"]
            ]
            colab_has = [name for name in wanted if runtime.pins.get(normalise(name))]
            if colab_has:
                run([*pip, *colab_has], env=env, timeout=1800)
            shutil.rmtree(scratch)
            # Colab leaves out some dependencies (e.g. jedi, which IPython 7
            # requires): what Colab does not have goes, as in Colab.
            extra = sorted(set(installed(base)) - set(runtime.pins))
            if extra:
                run([bin_python, "-m", "pip", "uninstall", "--quiet", "-y", *extra], env=env)
            (base / "not-in-colab-removed.txt").write_text("\n".join(extra) + "\n")
            (base / ".complete").write_text(version)
            seconds = (datetime.now() - started).total_seconds()
    return base, seconds


def copy_environment(base: Path, target: Path) -> Path:
    """A hard-linked copy of ``base`` (cheap); pip in the copy only unlinks files."""
    shutil.rmtree(target, ignore_errors=True)
    try:
        shutil.copytree(base, target, symlinks=True, copy_function=os.link)
    except OSError:  # another file system: a real copy
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(base, target, symlinks=True)
    return target


def package_checkout(destination: Path) -> Path:
    """What pip builds the course from: pyproject.toml, README.md and course_utils/."""
    destination.mkdir(parents=True)
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        if (ROOT / name).exists():
            shutil.copy2(ROOT / name, destination / name)
    shutil.copytree(
        ROOT / "course_utils",
        destination / "course_utils",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
    )
    return destination


def installed(venv: Path) -> dict[str, str]:
    """name -> version of every distribution in ``venv``."""
    listing = run(
        # -I: not the current folder, whose *.egg-info would count as installed.
        [
            str(venv / "bin" / "python"),
            "-I",
            "-c",
            "import json; from importlib import metadata as m; "
            "print(json.dumps({d.metadata['Name']: d.version for d in m.distributions()}))",
        ],
        env=clean_env(venv),
    )
    return {normalise(name): version for name, version in json.loads(listing.stdout).items()}


def seconds_of(cell) -> float | None:
    timing = cell.get("metadata", {}).get("execution", {})
    try:
        start = datetime.fromisoformat(timing["iopub.execute_input"].replace("Z", "+00:00"))
        end = datetime.fromisoformat(timing["shell.execute_reply"].replace("Z", "+00:00"))
    except (KeyError, ValueError):
        return None
    return (end - start).total_seconds()


def probes(notebook) -> list[dict]:
    found = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            text = output.get("text", "") if output.get("output_type") == "stream" else ""
            for line in text.splitlines():
                if line.startswith("PROBE"):
                    found.append(json.loads(line[len("PROBE") :]))
    return found


def failing_cell(notebook) -> str:
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                trace = re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(output.get("traceback", [])))
                return f"cell {index}:\n{cell.source[:500]}\n---\n{trace[-3000:]}"
    return "(no cell has an error output)"


def explorer_images(notebook) -> dict[int, int]:
    """For each cell showing an explorer: how many PNGs its Output widget holds.

    nbclient stores the widgets' state in the notebook; an Output widget's
    state lists what was displayed in it (the explorer's figure). Widgets
    without an Output (tqdm's progress bar) are not explorers.
    """
    state = notebook.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})

    def walk(model_id, seen):  # -> (holds an Output widget, number of PNGs)
        if model_id in seen or model_id not in state:
            return False, 0
        seen.add(model_id)
        model = state[model_id]
        has_output = model.get("model_name") == "OutputModel"
        count = sum("image/png" in out.get("data", {}) for out in model["state"].get("outputs", []))
        for child in model["state"].get("children", []):
            child_output, child_count = walk(str(child).removeprefix("IPY_MODEL_"), seen)
            has_output, count = has_output or child_output, count + child_count
        return has_output, count

    found = {}
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get(WIDGET_VIEW)
            if view is not None:
                has_output, count = walk(view["model_id"], set())
                if has_output:
                    found[index] = found.get(index, 0) + count
    return found


def run_lesson(notebook_path: Path, base: Path, workspace: Path) -> dict:
    """Run one student notebook in a fresh copy of the Colab-like environment."""
    venv = copy_environment(base, workspace / "venv")
    # pip builds in the source folder: one checkout per lesson, as lessons run in parallel.
    checkout = package_checkout(workspace / "first-neuron")
    content = workspace / "content"  # Colab's working folder, empty but for the notebook
    content.mkdir()
    notebook = nbformat.read(notebook_path, as_version=4)
    setup_index = next(
        i for i, cell in enumerate(notebook.cells) if "setup" in cell.metadata.get("tags", [])
    )
    notebook.cells.insert(setup_index + 1, nbformat.v4.new_code_cell(PROBE))
    notebook.cells.append(nbformat.v4.new_code_cell(PROBE))
    source = content / notebook_path.name
    nbformat.write(notebook, source)
    before = installed(venv)
    env = clean_env(venv)
    env.update(
        FIRST_NEURON_SETUP="colab",
        FIRST_NEURON_PACKAGE=str(checkout),
        FIRST_NEURON_DATA_URL=(ROOT / "data").as_uri(),
        JUPYTER_RUNTIME_DIR=str(workspace / "runtime"),
        JUPYTER_DATA_DIR=str(workspace / "jupyter-data"),  # no user-level kernels
        JUPYTER_CONFIG_DIR=str(workspace / "jupyter-config"),
    )
    executed = workspace / "executed.ipynb"
    started = datetime.now()
    completed = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-c",
            RUNNER,
            str(source),
            str(executed),
            str(ROOT / "authoring"),
        ],
        cwd=content,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    wall = (datetime.now() - started).total_seconds()
    result = {
        "venv": venv,
        "content": content,
        "before": before,
        "wall": wall,
        "stderr": completed.stderr,
    }
    if completed.returncode != 0 or not executed.exists():
        result["error"] = f"runner failed:\n{completed.stderr[-4000:]}"
        return result
    result["error"] = json.loads(completed.stdout.strip().splitlines()[-1])["error"]
    done = nbformat.read(executed, as_version=4)
    result["notebook"] = done
    result["setup_index"] = setup_index
    result["setup_seconds"] = seconds_of(done.cells[setup_index])
    result["probes"] = probes(done)
    result["after"] = installed(venv)
    return result


@pytest.fixture(scope="module", params=["current", "previous"])
def colab_runs(request):
    """Run every student lesson in one runtime's Colab-like environment."""
    runtime = load_runtime(request.param)
    wanted = IN_CI or os.environ.get("FIRST_NEURON_COLAB_PREVIOUS") == "1"
    if runtime.role == "previous" and not wanted:
        pytest.skip(
            f"Colab's previous runtime ({runtime.name}, Python {runtime.python}) runs in CI and "
            "with FIRST_NEURON_COLAB_PREVIOUS=1 (make test-colab-previous)"
        )
    python = find_python(runtime.minor)
    if python is None:
        message = (
            f"the Colab-like test of Colab's {runtime.role} runtime needs Python {runtime.minor} "
            f"(Colab runs {runtime.python}): install it (e.g. pyenv install {runtime.minor}) or "
            f"name it in FIRST_NEURON_COLAB_PYTHON_{runtime.minor.replace('.', '')}"
        )
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    base, build_seconds = base_environment(runtime, python)
    workspaces = CACHE / runtime.name / f"runs-{os.getpid()}"
    shutil.rmtree(workspaces, ignore_errors=True)
    try:
        with ThreadPoolExecutor(max_workers=JOBS) as pool:
            futures = {
                path.stem: pool.submit(run_lesson, path, base, workspaces / path.stem)
                for path in LESSONS
            }
            results = {name: future.result() for name, future in futures.items()}
        local = (base / ".complete").read_text().strip()
        removed = (base / "not-in-colab-removed.txt").read_text().split()
        note = (
            f"\nColab runtime {runtime.name}: Colab has Python {runtime.python}, this test used "
            f"{local} ({python}); environment built in {build_seconds:.0f} s (0: cached); "
            f"removed as Colab lacks them: {removed}"
        )
        if runtime.approximated_from:
            note += (
                f"\nWARNING: {runtime.name} has no published freeze stored yet; approximated from "
                f"{runtime.approximated_from} with the versions in tests/colab/{runtime.name}/"
                "runtime.toml (see tests/colab/README.md)"
            )
        print(note)
        yield {"runtime": runtime, "base": base, "runs": results}
    finally:
        shutil.rmtree(workspaces, ignore_errors=True)


def test_environment_holds_colabs_versions_and_no_course(colab_runs):
    runtime, have = colab_runs["runtime"], installed(colab_runs["base"])
    wrong = {
        name: (version, runtime.pins[name])
        for name, version in have.items()
        if runtime.pins.get(name) and runtime.pins[name] != version
    }
    assert not wrong, f"not at Colab's version (installed, Colab): {wrong}"
    not_colabs = sorted(n for n in have if n not in runtime.pins)
    assert not not_colabs, f"installed, but Colab does not have them: {not_colabs}"
    assert "first-neuron" not in have and "brian2" not in have, (
        "the course must not be preinstalled"
    )
    for name in ("numpy", "ipywidgets", "widgetsnbextension", "notebook", "ipykernel"):
        assert name in have, f"{name} is preinstalled in Colab and must be here"


@pytest.mark.parametrize("notebook", LESSONS, ids=lambda path: path.stem)
def test_lesson_runs_like_in_colab_and_changes_nothing_installed(colab_runs, notebook, capsys):
    runtime, result = colab_runs["runtime"], colab_runs["runs"][notebook.stem]
    if "notebook" not in result:
        pytest.fail(result["error"])
    assert result["error"] is None, f"{result['error'][:500]}\n{failing_cell(result['notebook'])}"

    after_setup, at_end = result["probes"][0], result["probes"][-1]
    assert Path(after_setup["prefix"]).resolve() == result["venv"].resolve(), (
        "the kernel ran in the wrong Python"
    )
    before, after = result["before"], result["after"]
    # Nothing preinstalled changed: pip only added packages.
    changed = {
        name: (version, after.get(name, "removed"))
        for name, version in before.items()
        if after.get(name) != version
    }
    added = {name: version for name, version in after.items() if name not in before}
    with capsys.disabled():
        print(
            f"\n{runtime.name} {notebook.stem}: setup cell {result['setup_seconds']:.1f} s, "
            f"whole notebook {result['wall']:.1f} s; added "
            f"{', '.join(f'{n} {v}' for n, v in sorted(added.items()))}"
        )
    assert not changed, f"the setup cell changed preinstalled packages (before, after): {changed}"
    # What it added that Colab has too (none expected) came at Colab's version.
    off = {
        n: (v, runtime.pins[n]) for n, v in added.items() if runtime.pins.get(n) not in (None, v)
    }
    assert not off, f"added at another version than Colab's (added, Colab): {off}"
    assert "first-neuron" in added and "brian2" in added, (
        "the setup cell did not install the course"
    )
    course_file = at_end["loaded"].get("course_utils", [None, None])[1]
    if course_file is not None:
        assert str(result["venv"].resolve()) in str(Path(course_file).resolve()), course_file

    # Data came through FIRST_NEURON_DATA_URL, not from ../data.
    assert not (result["content"].parent / "data").exists()
    setup_source = result["notebook"].cells[result["setup_index"]].source
    if "first_neuron_data" in setup_source:
        fetched = result["content"] / "first_neuron_data"
        assert fetched.is_dir() and any(fetched.iterdir()), "the setup cell did not fetch the data"

    # Each explorer (ipywidgets 7 here) drew its figure into its Output widget.
    explorers = explorer_images(result["notebook"])
    source = "\n".join(cell.source for cell in result["notebook"].cells)
    if "explorer(" in source:
        assert explorers, "the lesson shows an explorer, but no Output widget was found"
    for cell_index, images in explorers.items():
        assert images, f"cell {cell_index}: a widget shows no figure with ipywidgets 7"


# --- the explorers in ipywidgets 7's own front end ---------------------------

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = ROOT / "tests" / "browser" / "classic_widgets.cjs"
SCREENSHOTS = ROOT / "test-artifacts" / "colab-classic-widgets"
# The explorers a lesson creates without arguments (recording_explorer needs
# a recording; lesson 5's nbclient run above covers it).
EXPLORERS = ("synapse_explorer", "passive_explorer", "lif_explorer", "brian_lif_explorer")
# The widget front end the browser loads: widgetsnbextension 3.6.6's
# nbextension, the last build of the 3.6 series (the one ipywidgets 7.7.1
# requires, ~=3.6.0) that can create an Output widget in the classic notebook.
# From 3.6.7 on (Colab's 3.6.10 too) the bundle is compiled to ES2017: its
# classic-notebook OutputModel is made with Backbone's extend() from an ES6
# class, whose static methods are not enumerable, so it has no
# _deserialize_state and every Output widget fails ("n._deserialize_state is
# not a function" at _make_model). Colab itself does not load that JavaScript
# (it has its own widget manager for ipywidgets 7), so only the browser side
# is swapped: kernel, ipywidgets and the notebook server stay Colab's.
CLASSIC_WIDGETS_JS = "widgetsnbextension==3.6.6"
CLASSIC_WIDGETS_WHEEL_SHA256 = "e7fb9999845affc9024ecfbe0a824dd8e633403d027b28ceadab398b633ad51c"


def classic_widgets_nbextensions() -> Path:
    """An nbextensions folder holding widgetsnbextension 3.6.6's front end (cached)."""
    folder = CACHE / "classic-widgets" / CLASSIC_WIDGETS_JS.replace("==", "-")
    extension = folder / "nbextensions" / "jupyter-js-widgets" / "extension.js"
    with locked(CACHE / "classic-widgets" / ".lock"):
        if not extension.exists():
            download = folder / "wheel"
            shutil.rmtree(download, ignore_errors=True)
            command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps"]
            command += ["--only-binary=:all:", "--dest", str(download), CLASSIC_WIDGETS_JS]
            run(command, timeout=600)
            (wheel,) = download.glob("*.whl")
            digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
            assert digest == CLASSIC_WIDGETS_WHEEL_SHA256, f"{wheel.name}: sha256 {digest}"
            with zipfile.ZipFile(wheel) as archive:
                script = archive.read("widgetsnbextension/static/extension.js")
            extension.parent.mkdir(parents=True, exist_ok=True)
            extension.with_suffix(".tmp").write_bytes(script)
            extension.with_suffix(".tmp").rename(extension)
            shutil.rmtree(download)
    return folder / "nbextensions"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_server(url: str, server: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"the notebook server stopped: {server.stderr.read()[-3000:]}")
        try:
            urllib.request.urlopen(url, timeout=5)
            return
        except OSError:
            time.sleep(1)
    pytest.fail(f"the notebook server did not answer at {url} within {seconds:.0f} s")


def test_explorers_respond_to_a_slider_under_ipywidgets_7(colab_runs, tmp_path):
    """The explorers in ipywidgets 7's own front end, moved by a person, in Chromium.

    Front end: the classic Notebook 6 page (notebook 6.5.7 serving nbclassic's
    page, Colab's versions) with widgetsnbextension 3.6.6's nbextension; kernel:
    Colab's ipykernel 6.17.1 and ipywidgets 7.7.1 in the environment where
    lesson 2's setup cell installed the course. Why 3.6.6 and not Colab's
    3.6.10 (whose JavaScript Colab never loads): see CLASSIC_WIDGETS_JS. The
    notebook server is not the obstacle (plain sliders render at 6.5.7), so
    it stays Colab's rather than an older notebook 6.4 in a venv of its own.
    A notebook shows each explorer; Chromium runs it, moves each explorer's
    first slider to its end with the keyboard (End), and the figure (the image
    in the explorer's Output widget) must change, and the readout with it.
    Screenshots before and after: test-artifacts/colab-classic-widgets/.
    """
    missing = [
        what
        for what, ok in (
            ("chromium", Path(CHROMIUM).exists()),
            ("node", shutil.which("node") is not None),
            ("playwright-core", (ROOT / "authoring" / "node_modules" / "playwright-core").exists()),
        )
        if not ok
    ]
    if missing:
        message = f"missing {', '.join(missing)}: run `bash authoring/install_browser_deps.sh`"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    result = colab_runs["runs"]["02_first_neuron"]
    if "notebook" not in result:
        pytest.fail("lesson 2 did not run in the Colab-like environment")
    venv = result["venv"]
    nbextensions = classic_widgets_nbextensions()
    folder = tmp_path / "explorers"
    folder.mkdir()
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell(f"from course_utils.widgets import {name}\n{name}()")
        for name in EXPLORERS
    ]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(notebook, folder / "explorers.ipynb")
    port = free_port()
    env = clean_env(venv)
    env.update(
        JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
        JUPYTER_DATA_DIR=str(tmp_path / "jupyter-data"),
        JUPYTER_CONFIG_DIR=str(tmp_path / "jupyter-config"),
    )
    server = subprocess.Popen(
        [
            str(venv / "bin" / "python"),
            "-m",
            "notebook",
            "--no-browser",
            "--allow-root",
            "--ip=127.0.0.1",
            f"--port={port}",
            "--NotebookApp.token=",
            "--NotebookApp.password=",
            f"--notebook-dir={folder}",
            # Searched before the environment's own nbextensions.
            f"--NotebookApp.extra_nbextensions_path=['{nbextensions}']",
        ],
        env=env,
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    origin = f"http://127.0.0.1:{port}"
    try:
        wait_for_server(f"{origin}/api", server)
        served = urllib.request.urlopen(
            f"{origin}/nbextensions/jupyter-js-widgets/extension.js", timeout=30
        ).read()
        assert served == (nbextensions / "jupyter-js-widgets" / "extension.js").read_bytes(), (
            f"the page does not get {CLASSIC_WIDGETS_JS}'s widget front end"
        )
        screenshots = SCREENSHOTS / colab_runs["runtime"].name
        shutil.rmtree(screenshots, ignore_errors=True)
        screenshots.mkdir(parents=True)
        job = tmp_path / "job.json"
        job.write_text(
            json.dumps(
                {
                    "chromium": CHROMIUM,
                    "origin": origin,
                    "url": f"{origin}/notebooks/explorers.ipynb",
                    "explorers": EXPLORERS,
                    "timeoutMs": 60_000,
                    "screenshots": str(screenshots),
                }
            )
        )
        completed = subprocess.run(
            ["node", str(DRIVER), str(job)],
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
            cwd=ROOT,
        )
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    assert completed.returncode == 0, completed.stderr[-3000:]
    report = json.loads(completed.stdout.strip().splitlines()[-1])
    print(json.dumps(report["explorers"], indent=1))
    for entry in report["explorers"]:
        assert "error" not in entry, f"{entry['explorer']}: {entry['error']}"
        assert entry["changed"], f"{entry['explorer']}: the figure did not change"
        assert entry["after"]["readout"] != entry["before"]["readout"], (
            f"{entry['explorer']}: the slider did not move"
        )
    errors = [e for e in report["errors"] if "favicon" not in e]
    assert not errors, errors

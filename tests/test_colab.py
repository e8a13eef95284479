"""Every student lesson, run the way Google Colab runs it.

A Python 3.12 virtual environment holds Colab's own package versions
(tests/colab-constraints.txt: numpy 2.0, matplotlib 3.10, plotly 5.24,
ipywidgets 7.7, IPython 7.34, ...) and NOT course_utils or brian2. Each
student notebook is copied alone into an empty folder (so ``../data`` does
not exist) and executed by nbclient in that environment's kernel with

* ``FIRST_NEURON_SETUP=colab``: the setup cell does what it does in Colab,
* ``FIRST_NEURON_PACKAGE=<a copy of this checkout>``: it pip-installs the
  course from the working tree instead of from GitHub,
* ``FIRST_NEURON_DATA_URL=file://<repo>/data``: it fetches the recording
  from here instead of from raw.githubusercontent.com.

Checked: the whole notebook runs; right after the setup cell the versions of
Colab's packages (what the setup cell holds) are the ones Colab ships, so
pip did not upgrade anything that would force a runtime restart; course_utils
and brian2 are importable and brian2 works with Colab's numpy. The setup
cell's duration is printed, not asserted.

The environment is built once per version of the constraints file under
build/colab-venv/ (about a minute and 1 GB); each lesson runs in a
hard-linked copy of it, two lessons at a time.
"""

from __future__ import annotations

import fcntl
import glob
import hashlib
import json
import os
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
CONSTRAINTS = ROOT / "tests" / "colab-constraints.txt"
CACHE = ROOT / "build" / "colab-venv"
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
# What the setup cell holds at Colab's versions (build.py's SETUP_TEMPLATE).
HELD = ("numpy", "scipy", "matplotlib", "plotly", "ipywidgets", "numba", "tqdm")
REPORTED = HELD + ("brian2", "pyabf", "first-neuron", "ipykernel", "ipython", "traitlets")
JOBS = 2
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"

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
from notebook_execution import RobustNotebookClient as NotebookClient
notebook = nbformat.read(source, as_version=4)
# IPC sockets: lessons run two at a time, and TCP ports picked by two
# processes at once can collide.
manager = KernelManager(kernel_name="python3", transport="ipc", ip="kernel")
client = NotebookClient(
    notebook, km=manager, timeout=300, resources={"metadata": {"path": "."}},
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


def find_python312() -> str | None:
    """A Python 3.12 interpreter: $FIRST_NEURON_COLAB_PYTHON, python3.12 or pyenv's."""
    candidates = [os.environ.get("FIRST_NEURON_COLAB_PYTHON"), shutil.which("python3.12")]
    pyenv_root = os.environ.get("PYENV_ROOT", str(Path.home() / ".pyenv"))
    candidates += sorted(glob.glob(f"{pyenv_root}/versions/3.12*/bin/python3.12"), reverse=True)
    candidates += ["/usr/bin/python3.12", "/usr/local/bin/python3.12"]
    for candidate in filter(None, candidates):
        try:
            version = subprocess.run(
                [candidate, "-c", "import sys; print(sys.version_info[:2] == (3, 12))"],
                capture_output=True,
                text=True,
                timeout=30,
                check=False,
            )
        except OSError:
            continue
        if version.stdout.strip() == "True":
            return candidate
    return None


def pinned_versions() -> dict[str, str]:
    pins = {}
    for line in CONSTRAINTS.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==")
            pins[normalise(name)] = version.strip()
    return pins


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


def base_environment(python: str) -> tuple[Path, float]:
    """The cached Colab-like venv for the current constraints (built if missing)."""
    version = run([python, "-c", "import sys; print(sys.version)"]).stdout
    key = hashlib.sha256((CONSTRAINTS.read_text() + version).encode()).hexdigest()[:12]
    base = CACHE / f"base-{key}"
    seconds = 0.0
    with locked(CACHE / ".lock"):
        if not (base / ".complete").exists():
            started = datetime.now()
            for stale in CACHE.glob("base-*"):
                shutil.rmtree(stale, ignore_errors=True)
            run([python, "-m", "venv", str(base)])
            bin_python = str(base / "bin" / "python")
            env = clean_env(base)
            pip = [bin_python, "-m", "pip", "install", "--quiet"]
            run([*pip, f"pip=={pinned_versions()['pip']}"], env=env, timeout=600)
            run([*pip, "--only-binary=:all:", "-r", str(CONSTRAINTS)], env=env, timeout=1500)
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


@pytest.fixture(scope="module")
def colab_runs():
    """Run every student lesson in the Colab-like environment, two at a time."""
    python = find_python312()
    if python is None:
        pytest.fail(
            "the Colab-like tests need Python 3.12 (Colab's version): install it "
            "(e.g. pyenv install 3.12) or set FIRST_NEURON_COLAB_PYTHON"
        )
    base, build_seconds = base_environment(python)
    workspaces = CACHE / f"runs-{os.getpid()}"
    shutil.rmtree(workspaces, ignore_errors=True)
    try:
        with ThreadPoolExecutor(max_workers=JOBS) as pool:
            futures = {
                path.stem: pool.submit(run_lesson, path, base, workspaces / path.stem)
                for path in LESSONS
            }
            results = {name: future.result() for name, future in futures.items()}
        yield {"base": base, "build_seconds": build_seconds, "python": python, "runs": results}
    finally:
        shutil.rmtree(workspaces, ignore_errors=True)


def test_colab_environment_has_colabs_versions_and_no_course(colab_runs):
    base = colab_runs["base"]
    have = installed(base)
    for name, version in pinned_versions().items():
        assert have.get(name) == version, (
            f"{name}: {have.get(name)} in the Colab-like venv, Colab has {version}"
        )
    assert "first-neuron" not in have and "brian2" not in have, (
        "the base environment must not hold the course"
    )


@pytest.mark.parametrize("notebook", LESSONS, ids=lambda path: path.stem)
def test_lesson_runs_like_in_colab(colab_runs, notebook, capsys):
    result = colab_runs["runs"][notebook.stem]
    if "notebook" in result:
        assert result["error"] is None, (
            f"{result['error'][:500]}\n{failing_cell(result['notebook'])}"
        )
    else:
        pytest.fail(result["error"])

    pins = pinned_versions()
    after_setup, at_end = result["probes"][0], result["probes"][-1]
    assert Path(after_setup["prefix"]).resolve() == result["venv"].resolve(), (
        "the kernel ran in the wrong Python"
    )
    # The setup cell left Colab's packages alone: no upgrade, no restart needed.
    for name in HELD:
        assert after_setup["installed"][name] == pins[name], (
            f"after the setup cell {name} is {after_setup['installed'][name]}, "
            f"Colab has {pins[name]}"
        )
        assert result["after"].get(name) == pins[name]
    # The course came from the checkout, installed by the setup cell.
    assert after_setup["installed"]["first-neuron"] is not None
    assert result["before"].get("first-neuron") is None
    course_file = at_end["loaded"].get("course_utils", [None, None])[1]
    if course_file is not None:
        assert str(result["venv"].resolve()) in str(Path(course_file).resolve()), course_file

    # Data came through FIRST_NEURON_DATA_URL, not from ../data.
    assert not (result["content"].parent / "data").exists()
    setup_source = result["notebook"].cells[result["setup_index"]].source
    if "first_neuron_data" in setup_source:
        fetched = result["content"] / "first_neuron_data"
        assert fetched.is_dir() and any(fetched.iterdir()), "the setup cell did not fetch the data"

    # Each explorer (ipywidgets 7.7 here) drew its figure into its Output widget.
    explorers = explorer_images(result["notebook"])
    source = "\n".join(cell.source for cell in result["notebook"].cells)
    if "explorer(" in source:
        assert explorers, "the lesson shows an explorer, but no Output widget was found"
    for cell_index, images in explorers.items():
        assert images, f"cell {cell_index}: a widget shows no figure with ipywidgets 7.7"

    changed = {
        name: (result["before"][name], version)
        for name, version in result["after"].items()
        if name in result["before"] and result["before"][name] != version
    }
    added = sorted(
        f"{name} {v}" for name, v in result["after"].items() if name not in result["before"]
    )
    with capsys.disabled():
        print(
            f"\n{notebook.stem}: setup cell {result['setup_seconds']:.1f} s, whole notebook "
            f"{result['wall']:.1f} s; installed {', '.join(added)}; "
            f"changed {changed or 'nothing'}; brian2 {at_end['installed']['brian2']}"
        )
    assert not any(name in changed for name in HELD)


def test_brian2_works_with_colabs_numpy(colab_runs, tmp_path):
    """The brian2 the setup cell resolves (2.10 on Python 3.12) runs with numpy 2.0."""
    base = colab_runs["base"]
    venv = copy_environment(base, CACHE / f"brian2-{os.getpid()}")
    try:
        checkout = package_checkout(tmp_path / "first-neuron")
        env = clean_env(venv)
        python = str(venv / "bin" / "python")
        held = [f"{name}=={pinned_versions()[name]}" for name in HELD]
        (tmp_path / "held.txt").write_text("\n".join(held) + "\n")
        run(
            [
                python,
                "-m",
                "pip",
                "install",
                "--quiet",
                str(checkout),
                "-c",
                str(tmp_path / "held.txt"),
            ],
            env=env,
            cwd=tmp_path,
            timeout=900,
        )
        script = (
            "import numpy, brian2\n"
            "from brian2 import NeuronGroup, StateMonitor, ms, prefs, run, start_scope\n"
            "prefs.codegen.target = 'numpy'\n"
            "start_scope()\n"
            "group = NeuronGroup(1, 'dv/dt = (1 - v) / (10*ms) : 1', method='exact')\n"
            "monitor = StateMonitor(group, 'v', record=0)\n"
            "run(10*ms)\n"
            "print(numpy.__version__, brian2.__version__, float(monitor.v[0][-1]))\n"
        )
        numpy_version, brian2_version, v_end = run(
            [python, "-c", script], env=env, cwd=tmp_path
        ).stdout.split()
        assert numpy_version == pinned_versions()["numpy"]
        # v(t) = 1 - exp(-t/10 ms); the monitor's last sample is at t = 10 ms - dt (dt = 0.1 ms).
        assert abs(float(v_end) - (1 - 2.718281828459045 ** (-9.9 / 10))) < 1e-9
        print(f"brian2 {brian2_version} with numpy {numpy_version}")
    finally:
        shutil.rmtree(venv, ignore_errors=True)

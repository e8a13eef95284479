"""requirements.txt, its lock files and environment.yml must say the same thing."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent


def requirement_lines(text):
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            yield line


def pins_for(python_version: str) -> dict[str, str]:
    """Exact pins of requirements.txt that apply to one Python version."""
    environment = {"python_version": python_version, "python_full_version": python_version + ".0"}
    pins = {}
    for line in requirement_lines((ROOT / "requirements.txt").read_text()):
        requirement = Requirement(line)
        if requirement.marker is None or requirement.marker.evaluate(environment):
            (specifier,) = requirement.specifier
            assert specifier.operator == "==", f"{line}: pin exact versions"
            pins[requirement.name.lower()] = specifier.version
    return pins


def environment_yml_pins() -> tuple[str, dict[str, str], list[str]]:
    python = None
    pins = {}
    other = []
    in_dependencies = False
    for raw in (ROOT / "environment.yml").read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if raw.startswith("dependencies:"):
            in_dependencies = True
        if not in_dependencies or not line.startswith("- "):
            continue
        item = line[2:].strip()
        if item.startswith("python="):
            python = item.split("=", 1)[1]
        elif "==" in item:
            name, version = item.split("==")
            pins[name.strip().lower()] = version.strip()
        elif item not in ("pip", "pip:"):
            other.append(item)
    return python, pins, other


def test_environment_yml_matches_requirements_for_python_311():
    python, yml_pins, other = environment_yml_pins()
    assert python == "3.11"
    assert yml_pins == pins_for("3.11")
    assert other == ["-e ."], "environment.yml installs the course package like requirements.txt"


def test_both_pythons_get_a_brian2_that_imports_with_their_numpy():
    """brian2 2.9 breaks on numpy >= 2.4; brian2 >= 2.10 needs Python >= 3.12 (platform notes).

    The 3.12 pins are the newest tested set (brian2 2.10.1 with numpy 2.5.5).
    """
    from packaging.version import Version

    old, new = pins_for("3.11"), pins_for("3.12")
    assert Version(old["brian2"]) < Version("2.10") and Version(old["numpy"]) < Version("2.4")
    assert Version(new["brian2"]) >= Version("2.10")
    assert set(old) == set(new), "the same packages for both interpreters"


def test_markers_are_valid():
    for line in requirement_lines((ROOT / "requirements.txt").read_text()):
        requirement = Requirement(line)
        if requirement.marker is not None:
            Marker(str(requirement.marker))


# --- lock files: every installed package pinned, per supported Python ---

LOCKS = ROOT / "requirements"


def supported_pythons() -> list[str]:
    """SUPPORTED_PYTHONS of the Makefile: the Pythons with a lock file."""
    for line in (ROOT / "Makefile").read_text().splitlines():
        if line.startswith("SUPPORTED_PYTHONS ="):
            return line.split("=", 1)[1].split()
    raise AssertionError("Makefile: no SUPPORTED_PYTHONS line")


def lock_path(version: str) -> Path:
    return LOCKS / f"lock-py{version.replace('.', '')}.txt"


def lock_pins(version: str) -> dict[str, str]:
    pins = {}
    for line in requirement_lines(lock_path(version).read_text()):
        requirement = Requirement(line)
        (specifier,) = requirement.specifier
        assert specifier.operator == "==", f"{lock_path(version).name}: {line} is not exact"
        pins[canonical(requirement.name)] = specifier.version
    return pins


def canonical(name: str) -> str:
    from packaging.utils import canonicalize_name

    return canonicalize_name(name)


def test_every_supported_python_has_a_lock_file_and_no_other():
    versions = supported_pythons()
    assert versions[0] == "3.11" and "3.13" in versions
    assert sorted(LOCKS.glob("lock-py*.txt")) == sorted(lock_path(v) for v in versions)


@pytest.mark.parametrize("version", supported_pythons())
def test_lock_file_agrees_with_requirements(version):
    """Each pin of requirements.txt for this Python is in its lock, at the same version."""
    locked = lock_pins(version)
    for name, pinned in pins_for(version).items():
        assert locked.get(canonical(name)) == pinned, (
            f"{lock_path(version).name} has {name} {locked.get(canonical(name))}, "
            f"requirements.txt {pinned}: run `make locks`"
        )
    # Full: far more than the direct requirements (dependencies of dependencies too).
    assert len(locked) > 3 * len(pins_for(version))


@pytest.mark.parametrize("version", supported_pythons())
def test_lock_file_is_a_complete_resolution(version, tmp_path):
    """Resolving requirements.txt within the lock's pins gives exactly the lock.

    Fails if the lock misses a package (the resolution adds it), holds one
    nothing needs, or holds versions that conflict (no resolution).
    """
    uv = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
    if uv is None:
        pytest.skip("uv is not installed (it comes with requirements.txt)")
    output = tmp_path / "resolved.txt"
    completed = subprocess.run(
        [
            uv,
            "pip",
            "compile",
            str(ROOT / "requirements.txt"),
            "--quiet",
            "--python-version",
            version,
            "--python-platform",
            "x86_64-manylinux_2_28",
            "--no-emit-package",
            "first-neuron",
            "-c",
            str(lock_path(version)),
            "-o",
            str(output),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    resolved = {}
    for line in requirement_lines(output.read_text()):
        requirement = Requirement(line)
        resolved[canonical(requirement.name)] = str(requirement.specifier)
    assert resolved == {name: f"=={v}" for name, v in lock_pins(version).items()}


def test_readme_states_the_supported_pythons():
    versions = supported_pythons()
    start = (ROOT / "README.md").read_text().split("## Start", 1)[1].split("\n## ", 1)[0]
    assert f"Python {versions[0]}–{versions[-1]}" in start

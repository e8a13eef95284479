"""requirements.txt and environment.yml must say the same thing."""

from pathlib import Path

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

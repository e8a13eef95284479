"""The notebook pipeline: one source per lesson, two generated versions.

Checks that the committed notebooks are what the build makes from the
sources, that students never see solution code outside hidden cells, that
every notebook starts with the setup cell (the only cell that installs or
downloads), and that the setup cell does nothing outside Colab.
"""

import ast
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "authoring"))
import build  # noqa: E402

SOURCES = sorted((ROOT / "authoring" / "lessons").glob("[0-9][0-9]_*.py"))
NAMES = [path.stem for path in SOURCES]


def read(folder, name):
    return nbformat.read(ROOT / folder / f"{name}.ipynb", as_version=4)


def normalised(source: str) -> list[str]:
    lines = [line.strip() for line in source.splitlines()]
    return [line for line in lines if line and not line.startswith("#")]


def is_hidden_solution(cell) -> bool:
    return (
        "solution" in cell.metadata.get("tags", [])
        and cell.metadata.get("jupyter", {}).get("source_hidden") is True
        and cell.metadata.get("cellView") == "form"
        and cell.metadata.get("slideshow", {}).get("slide_type") == "skip"
        and cell.source.startswith("#@title")
    )


def test_there_are_seven_lessons():
    # 00 (why model) to 05, and the optional 06 (scaling up).
    assert len(SOURCES) == 7, NAMES


def test_committed_notebooks_match_their_sources():
    result = subprocess.run(
        [sys.executable, str(ROOT / "authoring" / "build.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("name", NAMES)
def test_student_notebook_hides_every_solution(name):
    student = read("notebooks", name)
    solution = read("solutions", name)
    solutions = [c for c in solution.cells if "solution" in c.metadata.get("tags", [])]
    assert len(solutions) >= 3, "at least three exercises with solutions"
    hidden = [c for c in student.cells if "solution" in c.metadata.get("tags", [])]
    assert len(hidden) == len(solutions)
    assert all(is_hidden_solution(c) for c in hidden)
    visible_student_code = [
        normalised(c.source)
        for c in student.cells
        if c.cell_type == "code" and not is_hidden_solution(c)
    ]
    for cell in solutions:
        solution_lines = normalised(cell.source)
        # A solution line that only repeats a scaffold line (a def, an import) is fine;
        # a whole solution body shown in a visible cell is not.
        for shown in visible_student_code:
            assert solution_lines != shown, f"solution code visible in {name}:\n{cell.source}"
    only_solution_code = {
        line for c in solution.cells if c.cell_type == "code" for line in normalised(c.source)
    } - {line for shown in visible_student_code for line in shown}
    for cell in student.cells:
        if cell.cell_type == "markdown":
            continue
        if not is_hidden_solution(cell):
            leaked = set(normalised(cell.source)) & only_solution_code
            assert not leaked


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("folder", ["notebooks", "solutions"])
def test_setup_cell_first_and_the_only_one_that_installs(name, folder):
    notebook = read(folder, name)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert "setup" in code[0].metadata.get("tags", [])
    config = build.load_config()
    assert config["repository"] in code[0].source and config["ref"] in code[0].source
    assert build.colab_url(config, folder, name) in notebook.cells[0].source
    for cell in code[1:]:
        text = cell.source
        for forbidden in ("pip install", "git clone", "urlretrieve", "urllib", "!pip", "%pip"):
            assert forbidden not in text, f"{folder}/{name}: '{forbidden}' outside the setup cell"
        assert not any(line.lstrip().startswith("!") for line in text.splitlines())


@pytest.mark.parametrize("name", NAMES)
def test_solution_checks_are_strict(name):
    solution = read("solutions", name)
    for cell in solution.cells:
        tree = ast.parse(cell.source) if cell.cell_type == "code" else None
        if tree and cell.source.lstrip().startswith("check_"):
            (statement,) = tree.body
            assert any(k.arg == "strict" for k in statement.value.keywords)


def test_setup_cell_is_a_no_op_outside_colab(tmp_path):
    """Outside Colab the setup cell must not call pip or download anything."""
    config = build.load_config()
    source = build.setup_source(config, uses_data=True)
    script = tmp_path / "setup.py"
    script.write_text(
        "import subprocess, urllib.request\n"
        "def refuse(*a, **k):\n    raise SystemExit('setup cell tried to install or download')\n"
        "subprocess.run = refuse\nurllib.request.urlretrieve = refuse\n"
        + source
        + "\nprint(DATA_DIR)\n"
    )
    env = {"PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, env=env, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(Path("..") / "data")


def test_check_cells_become_strict():
    assert build.strict_check("check_x(a, b)") == "check_x(a, b, strict=True)\n"
    with pytest.raises(ValueError, match="exactly one call"):
        build.strict_check("x = 1\ncheck_x(x)")


def test_readme_lists_every_lesson_with_a_colab_badge():
    readme = (ROOT / "README.md").read_text()
    config = build.load_config()
    for name in NAMES:
        assert build.colab_url(config, "notebooks", name) in readme

"""What a student sees when they run an untouched lesson (issues 10 and 19).

Each student notebook is run top to bottom in one kernel, as "Run All" does,
then every check cell is run again in the same kernel. Nothing the course
runs may make a check say correct about code the student never wrote: the
hidden reference solutions are bound to names of their own.

The same executed notebooks are then read for figures: every figure is shown
with a text alternative (``plotting.describe`` or ``interactive.show``) and
its smallest text is at least ``plotting.MIN_FONT_SIZE`` points.
"""

import re
import sys
from pathlib import Path

import nbformat
import pytest

from course_utils.plotting import MIN_FONT_SIZE

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "authoring"))
from notebook_execution import RobustNotebookClient  # noqa: E402

STUDENT_NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def is_check(cell) -> bool:
    return cell.cell_type == "code" and ".choose(" in cell.source and "check_" in cell.source


def output_text(cell) -> str:
    parts = []
    for output in cell.get("outputs", []):
        if output.output_type == "stream":
            parts.append(output.text)
        elif "data" in output:
            parts.append(output.data.get("text/plain", ""))
        elif output.output_type == "error":
            parts.append(f"{output.ename}: {output.evalue}")
    return "".join(parts)


@pytest.fixture(scope="module", params=STUDENT_NOTEBOOKS, ids=lambda path: path.stem)
def run_all_then_checks_again(request):
    """(executed notebook, outputs of every check cell run a second time)."""
    notebook = nbformat.read(request.param, as_version=4)
    client = RobustNotebookClient(
        notebook, timeout=300, resources={"metadata": {"path": str(request.param.parent)}}
    )
    again = {}
    with client.setup_kernel():
        for index, cell in enumerate(notebook.cells):
            client.execute_cell(cell, index)
        for index, cell in enumerate(notebook.cells):
            if is_check(cell):
                rerun = nbformat.from_dict(dict(cell))
                rerun.outputs = []
                client.execute_cell(rerun, index)
                again[index] = output_text(rerun)
    return notebook, again


def test_untouched_notebook_never_says_correct(run_all_then_checks_again):
    notebook, again = run_all_then_checks_again
    checks = {i: output_text(c) for i, c in enumerate(notebook.cells) if is_check(c)}
    assert checks, "no check cells found"
    for index, text in list(checks.items()) + list(again.items()):
        assert "[correct]" not in text, f"cell {index} says correct untouched:\n{text}"
        assert "not attempted" in text, f"cell {index}:\n{text}"
        assert "reference solution" in text, f"cell {index} does not say what is used:\n{text}"


def test_every_figure_has_a_text_alternative(run_all_then_checks_again):
    notebook, _ = run_all_then_checks_again
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            page = data.get("text/html", "")
            if "image/png" in data or "image/svg+xml" in data:
                pytest.fail(
                    f"cell {index} shows a figure with no text alternative: end the cell "
                    "with plotting.describe(figure, '...')"
                )
            for image in re.findall(r"<img\b[^>]*>", page):
                alt = re.search(r'alt="([^"]*)"', image)
                assert alt and len(alt.group(1).split()) >= 5, f"cell {index}: {image[:80]}"


def test_figure_text_is_legible(run_all_then_checks_again):
    notebook, _ = run_all_then_checks_again
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            page = output.get("data", {}).get("text/html", "")
            for size in re.findall(r'data-min-font-pt="([0-9.]+)"', page):
                assert float(size) >= MIN_FONT_SIZE, f"cell {index}: text of {size} pt"

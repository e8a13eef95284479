"""Text output is deterministic: a notebook run twice prints the same text.

Runs the solution notebooks of the lessons with the most randomness (Poisson
inputs, noise, networks) twice each and compares every text output (streams
and text/plain results). Cells whose first line is ``# NBVAL_IGNORE_OUTPUT``
(timings) are skipped, as nbval skips them. nbval itself runs every notebook
once in the same test session.
"""

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "authoring"))
from notebook_execution import execute_notebook  # noqa: E402

LESSONS = ["01_synapses", "02_first_neuron", "03_lif"]

# Object reprs carry memory addresses that differ run to run by design.
ADDRESS = re.compile(r" at 0x[0-9a-f]+")


def text_outputs(path: Path) -> list[tuple[int, str]]:
    notebook = execute_notebook(path, timeout=120)
    texts = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code" or cell.source.startswith("# NBVAL_IGNORE_OUTPUT"):
            continue
        # The kernel flushes stdout on a timer, so one print can arrive in
        # several chunks: compare each cell's stream text joined up.
        streams = {}
        for output in cell.get("outputs", []):
            if output.output_type == "stream":
                streams[output.name] = streams.get(output.name, "") + output.text
            elif "data" in output and "text/plain" in output.data:
                texts.append((index, ADDRESS.sub("", output.data["text/plain"])))
        texts.extend((index, f"[{name}] {text}") for name, text in sorted(streams.items()))
    return texts


@pytest.mark.parametrize("name", LESSONS)
def test_solution_notebook_prints_the_same_text_twice(name):
    path = ROOT / "solutions" / f"{name}.ipynb"
    if not path.exists():
        pytest.fail(f"{path} is missing")
    first, second = text_outputs(path), text_outputs(path)
    assert first, "the notebook printed nothing to compare"
    assert first == second

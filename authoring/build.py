"""Build the student and solution notebooks from the lesson sources.

Usage::

    python authoring/build.py           # write notebooks/ and solutions/
    python authoring/build.py --check   # exit 1 if the committed copies are stale

Each lesson has one source, ``authoring/lessons/NN_name.py``, in jupytext's
"percent" format. Cell tags in the source say what each cell is; see
``authoring/README.md``. From one source this script writes

* ``notebooks/NN_name.ipynb``: the student version. Exercise scaffolds
  (``...`` to fill in), then the check, then the solution in a hidden cell
  (collapsed in JupyterLab, a ``#@title`` form in Colab, skipped in slides);
* ``solutions/NN_name.ipynb``: the worked version. Solutions shown, checks
  strict (they raise if the solution is wrong), answers to the "think"
  questions and worked projects included.

Both get a Colab badge and the setup cell, generated from ``course.toml``.
"""

from __future__ import annotations

import argparse
import ast
import copy
import sys
import tomllib
from pathlib import Path

import jupytext
import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
import references  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
LESSONS = ROOT / "authoring" / "lessons"
CONFIG = ROOT / "authoring" / "course.toml"
STUDENT_DIR = ROOT / "notebooks"
SOLUTION_DIR = ROOT / "solutions"

# Tags a source cell may carry.
EXERCISE = "exercise"  # scaffold with ... (student notebook only)
SOLUTION = "solution"  # solution code (hidden in student, shown in solution)
CHECK = "check"  # a single checker call
ANSWER = "answer"  # answer to a think question (solution notebook only)
SOLUTION_ONLY = "solution-only"  # e.g. a worked project
STUDENT_ONLY = "student-only"  # e.g. an empty project cell
NOTES = "notes"  # speaker notes in the slides
PREDICT = "predict"  # asks for a prediction before a simulation (fragments in slides)
OPTIONAL = "optional"  # heading of an optional-depth section
EXPLORER = "explorer"  # the code cell that creates an interactive explorer
KNOWN_TAGS = {
    EXERCISE, SOLUTION, CHECK, ANSWER, SOLUTION_ONLY, STUDENT_ONLY, NOTES, PREDICT, OPTIONAL,
    EXPLORER,
}
# Tags that only steer the build; the others stay on the built cells.
BUILD_TAGS = {EXERCISE, CHECK, ANSWER, SOLUTION_ONLY, STUDENT_ONLY, NOTES}

SOLUTION_TITLE = (
    "#@title Reference solution: try the exercise first! (click to show) "
    '{ display-mode: "form" }\n'
    "# Its names end in _reference, so your own code keeps its names; the check\n"
    "# below says which version the rest of the lesson uses."
)

SETUP_TEMPLATE = '''\
#@title Setup: run this cell first {{ display-mode: "form" }}
# In Google Colab this installs the course package (course_utils){data_note}.
# Anywhere else (JupyterLab, the tests) it changes nothing.
import os
import sys
from pathlib import Path

COURSE_PACKAGE = "first-neuron @ git+{repository}@{ref}"
COURSE_DATA_URL = "{raw_data_url}"
IN_COLAB = "google.colab" in sys.modules or os.environ.get("FIRST_NEURON_SETUP") == "colab"
DATA_DIR = Path("..") / "data"

if IN_COLAB:
    import subprocess
    from importlib import metadata

    # Hold EVERY package the runtime already has at its installed version:
    # pip may only add packages, never change one (a new numpy, say, would
    # force a restart mid-lesson, and Colab's other tools rely on the rest).
    held = {{}}
    for dist in metadata.distributions():
        name = dist.metadata["Name"]
        if name and dist.version:
            held.setdefault(name.lower().replace("_", "-"), f"{{name}}=={{dist.version}}")
    Path("colab_constraints.txt").write_text("\\n".join(sorted(held.values())) + "\\n")
    package = os.environ.get("FIRST_NEURON_PACKAGE", COURSE_PACKAGE)
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", package, "-c", "colab_constraints.txt"],
        check=True,
    )
{data_block}'''

DATA_BLOCK = '''\
    import urllib.request

    DATA_DIR = Path("first_neuron_data")
    DATA_DIR.mkdir(exist_ok=True)
    data_url = os.environ.get("FIRST_NEURON_DATA_URL", COURSE_DATA_URL)
    for name in {data_files!r}:
        if not (DATA_DIR / name).exists():
            urllib.request.urlretrieve(f"{{data_url}}/{{name}}", DATA_DIR / name)
'''


def load_config() -> dict:
    """Read ``course.toml`` and derive the URLs from its repository and ref."""
    with CONFIG.open("rb") as handle:
        config = tomllib.load(handle)["course"]
    repository = config["repository"].rstrip("/")
    if not repository.startswith("https://github.com/"):
        raise SystemExit("course.toml: repository must be a https://github.com/ URL")
    slug = repository.removeprefix("https://github.com/")
    config["repository"] = repository
    config["slug"] = slug
    config["raw_data_url"] = f"https://raw.githubusercontent.com/{slug}/{config['ref']}/data"
    return config


def colab_url(config: dict, folder: str, name: str) -> str:
    """The "Open in Colab" address of one notebook."""
    return (
        f"https://colab.research.google.com/github/{config['slug']}/blob/"
        f"{config['ref']}/{folder}/{name}.ipynb"
    )


def colab_badge(config: dict, folder: str, name: str) -> str:
    """Markdown for the Colab badge of one notebook."""
    return (
        f"[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
        f"({colab_url(config, folder, name)})"
    )


def setup_source(config: dict, uses_data: bool) -> str:
    """Source of the setup cell."""
    data_block = DATA_BLOCK.format(data_files=list(config["data_files"])) if uses_data else ""
    return SETUP_TEMPLATE.format(
        repository=config["repository"],
        ref=config["ref"],
        raw_data_url=config["raw_data_url"],
        data_note=" and fetches the recording" if uses_data else "",
        data_block=data_block,
    ).rstrip() + "\n"


def tags_of(cell) -> set[str]:
    return set(cell.metadata.get("tags", []))


def strict_check(source: str) -> str:
    """Rewrite a check cell ``check_x(a, b)`` as ``check_x(a, b, strict=True)``."""
    tree = ast.parse(source)
    calls = [
        node.value
        for node in tree.body
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
    ]
    if len(tree.body) != 1 or len(calls) != 1:
        raise ValueError(f"a check cell must hold exactly one call, got:\n{source}")
    call = calls[0]
    call.keywords = [k for k in call.keywords if k.arg != "strict"]
    call.keywords.append(ast.keyword(arg="strict", value=ast.Constant(True)))
    return ast.unparse(tree) + "\n"


def slide_type(cell) -> str:
    """Slide type from a cell's role and heading level, unless the source set one."""
    explicit = cell.metadata.get("slideshow", {}).get("slide_type")
    if explicit:
        return explicit
    if NOTES in tags_of(cell):
        return "notes"
    if cell.cell_type == "markdown":
        first = cell.source.lstrip().splitlines()[0] if cell.source.strip() else ""
        if first.startswith("# ") or first.startswith("## "):
            return "slide"
        if first.startswith("### "):
            return "subslide"
    return "-"


def clean_cell(cell, cell_id: str):
    """A copy of ``cell`` with only the metadata the course uses."""
    new = copy.deepcopy(cell)
    keep = {k: v for k, v in new.metadata.items() if k in ("tags", "slideshow", "minutes")}
    tags = [t for t in keep.get("tags", []) if t not in BUILD_TAGS]
    new.metadata = {}
    if tags:
        new.metadata["tags"] = tags
    new.metadata["slideshow"] = {"slide_type": slide_type(cell)}
    if "minutes" in keep:
        new.metadata["minutes"] = keep["minutes"]
    new["id"] = cell_id
    if new.cell_type == "code":
        new.outputs = []
        new.execution_count = None
    return new


def hide(cell):
    """Hide a cell's code in JupyterLab, Colab and the slides."""
    cell.metadata["jupyter"] = {"source_hidden": True}
    cell.metadata["cellView"] = "form"
    cell.metadata["slideshow"] = {"slide_type": "skip"}
    return cell


def read_source(path: Path):
    notebook = jupytext.read(path, fmt="py:percent")
    for index, cell in enumerate(notebook.cells):
        unknown = tags_of(cell) - KNOWN_TAGS
        if unknown:
            raise SystemExit(f"{path.name}, cell {index}: unknown tags {sorted(unknown)}")
        if CHECK in tags_of(cell):
            strict_check(cell.source)  # fail the build early on a malformed check
    if not notebook.cells or notebook.cells[0].cell_type != "markdown":
        raise SystemExit(f"{path.name}: the first cell must be the markdown title cell")
    return notebook


def build(path: Path, config: dict, version: str):
    """Return the (student, solution) notebooks built from one lesson source."""
    name = path.stem
    source = read_source(path)
    uses_data = any("DATA_DIR" in cell.source for cell in source.cells)
    folder = "notebooks" if version == "student" else "solutions"

    cells = []
    title = clean_cell(source.cells[0], f"{name}-title")
    badge = colab_badge(config, folder, name)
    if version == "solution":
        badge += "\n\n*Solution notebook: every exercise, question and project worked out.*"
    title.source = title.source.rstrip() + "\n\n" + badge
    cells.append(title)
    setup = nbformat.v4.new_code_cell(setup_source(config, uses_data))
    setup.metadata = {"tags": ["setup"]}
    cells.append(hide(clean_cell(setup, f"{name}-setup")))

    cells.extend(body_cells(source.cells[1:], name, version, path.name))

    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
        "colab": {"provenance": [], "toc_visible": True},
        "celltoolbar": "Slideshow",
    }
    nbformat.validate(notebook)
    return notebook


def body_cells(body, name: str, version: str, filename: str) -> list:
    """The built cells after the title and setup, for one version.

    A solution cell and the check after it form an exercise loop (see
    ``references.py``): in the student notebook the solution is hidden and bound
    to ``*_reference`` names, and the check chooses which version later cells
    use (``*_in_use``); later cells must use that choice, never the student's
    names directly, so a wrong answer never silently drives the lesson.
    """
    student = version == "student"
    cells = []
    reference_names: set[str] = set()
    solved: list[str] = []  # names bound by the solution cells since the last check
    checked: set[str] = set()
    for index, cell in enumerate(body, start=1):
        tags = tags_of(cell)
        cell_id = f"{name}-{index:03d}"
        where = f"{filename}, cell {index}"
        if tags & ({ANSWER, SOLUTION_ONLY} if student else {EXERCISE, STUDENT_ONLY}):
            continue
        new = clean_cell(cell, cell_id)
        if SOLUTION in tags:
            solved += [n for n in references.bound_names(cell.source) if n not in solved]
            if student:
                reference_names.update(solved)
                new = hide(new)
                new.source = SOLUTION_TITLE + "\n" + references.rename(
                    cell.source, reference_names
                )
            cells.append(new)
            continue
        if cell.cell_type == "code" and not tags & {EXERCISE, STUDENT_ONLY, CHECK}:
            stale = references.uses_name(cell.source, checked)
            if stale:
                names = ", ".join(sorted(stale))
                raise SystemExit(
                    f"{where}: uses {names} after its check; use the version the check "
                    f"chose ({', '.join(n + references.IN_USE for n in sorted(stale))})"
                )
        if CHECK in tags:
            chosen = [n for n in references.check_names(cell.source) if n in solved]
            if solved and not chosen:
                raise SystemExit(f"{where}: the check takes none of {solved}")
            if chosen:
                new.source = references.choosing_check(cell.source, chosen, student)
                checked.update(chosen)
            elif not student:
                new.source = strict_check(cell.source)
            solved = []
        cells.append(new)
    if solved:
        raise SystemExit(f"{filename}: a solution cell is not followed by a check cell")
    return cells


def render(notebook) -> str:
    return nbformat.writes(notebook) + "\n"


def outputs(config: dict, only: list[str] | None = None) -> dict[Path, str]:
    """Every built notebook's path and text (or only those of the named lessons)."""
    built = {}
    for path in sorted(LESSONS.glob("[0-9][0-9]_*.py")):
        if only and path.stem not in only:
            continue
        built[STUDENT_DIR / f"{path.stem}.ipynb"] = render(build(path, config, "student"))
        built[SOLUTION_DIR / f"{path.stem}.ipynb"] = render(build(path, config, "solution"))
    return built


README = ROOT / "README.md"
TABLE_START = "<!-- lessons:start (generated by authoring/build.py) -->"
TABLE_END = "<!-- lessons:end -->"


def lesson_title(path: Path) -> str:
    """The lesson's title, from the first heading of its source."""
    first = read_source(path).cells[0].source.strip().splitlines()[0]
    return first.lstrip("#").strip()


def lesson_table(config: dict) -> str:
    """Markdown table of the lessons with their Colab badges."""
    rows = [
        "| lesson | student notebook | worked solutions |",
        "| --- | --- | --- |",
    ]
    for path in sorted(LESSONS.glob("[0-9][0-9]_*.py")):
        name = path.stem
        rows.append(
            f"| {lesson_title(path)} "
            f"| [{name}](notebooks/{name}.ipynb) {colab_badge(config, 'notebooks', name)} "
            f"| [{name}](solutions/{name}.ipynb) {colab_badge(config, 'solutions', name)} |"
        )
    return "\n".join(rows)


def readme_text(config: dict) -> str | None:
    """README.md with its lesson table regenerated, or None if it has no markers."""
    if not README.exists():
        return None
    text = README.read_text()
    if TABLE_START not in text or TABLE_END not in text:
        return None
    head, rest = text.split(TABLE_START, 1)
    _, tail = rest.split(TABLE_END, 1)
    return f"{head}{TABLE_START}\n{lesson_table(config)}\n{TABLE_END}{tail}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale notebooks")
    parser.add_argument("lessons", nargs="*", help="only these lessons, e.g. 03_lif")
    args = parser.parse_args(argv)
    config = load_config()
    built = outputs(config, args.lessons)
    readme = readme_text(config)
    if readme is not None:
        built[README] = readme
    stale = [p for p, text in built.items() if not p.exists() or p.read_text() != text]
    if args.check:
        for path in stale:
            print(f"stale: {path.relative_to(ROOT)} (run python authoring/build.py)")
        return 1 if stale else 0
    for path in stale:
        path.parent.mkdir(exist_ok=True)
        path.write_text(built[path])
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Build the course website: every lesson executed, readable offline, with Sphinx.

Usage::

    python authoring/website.py            # -> build/site/html/index.html
    python authoring/website.py --force    # re-execute and rebuild even if up to date

The site is made with Sphinx, myst-nb (notebooks as pages) and
sphinx-book-theme, the stack under Jupyter Book 1; ``site/conf.py`` is its
configuration. This script only prepares Sphinx's source folder,
``build/site/src``, from what the repository holds:

* every built lesson (``notebooks/NN_*.ipynb`` and ``solutions/NN_*.ipynb``) is
  executed ONCE by the course's robust client (``notebook_execution.py``,
  jupyter/nbclient#312), cached in ``build/site/executed`` until the notebook
  or ``course_utils`` changes; myst-nb only renders those outputs (its own
  execution is off);
* lesson pages keep the student notebook; the hidden solution cells become
  folds (``hide-input``: "show code"), and each "think" answer (cells tagged
  ``answer`` in the lesson source) is inserted behind a fold right after its
  question. The worked-solutions page of each lesson folds its solutions and
  answers the same way;
* the Colab badge (an image from the network) becomes an "Open in Colab"
  link, a download link and a link to the other version of the lesson;
* ipywidgets explorers become the figure they first drew plus a note (a
  static page has no kernel to move a slider); plotly figures stay
  interactive, drawn by a local copy of plotly.js;
* the home, unit-table and instructor pages are filled from ``site/`` and the
  README; ``glossary.md`` is copied when the repository has one, so lessons'
  ``../glossary.md#term`` links resolve; the slide decks and their PDFs in
  ``build/slides`` are copied in when they were built (``make slides``);
* MathJax 2 is copied from ``authoring/node_modules`` (as for the slides), so
  no page fetches anything from the network.

Sphinx runs only when the prepared sources differ from the last build
(fingerprint in ``build/site/html/.fingerprint``).
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import html
import json
import posixpath
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "authoring"))

import build as notebook_build  # noqa: E402  (authoring/build.py: colab_url, course.toml)

NODE_MODULES = ROOT / "authoring" / "node_modules"
# MathJax 2 (authoring/package.json, also used by the slides) with SVG output:
# (path in the npm package, path below _static/mathjax). Left out: the
# accessibility extensions (3.7 MB, only loaded from MathJax's menu), source maps.
MATHJAX_FILES = [
    "MathJax.js",
    "LICENSE",
    "config/TeX-AMS_SVG-full.js",
    "config/Safe.js",
    "extensions",
    "jax/input/TeX",
    "jax/element",
    "jax/output/SVG/jax.js",
    "jax/output/SVG/config.js",
    "jax/output/SVG/autoload",
    "jax/output/SVG/fonts/TeX",
    "localization/en",
]
MATHJAX_IGNORE = shutil.ignore_patterns("a11y", "*.map", "*.esm.js")
BADGE = re.compile(r"\[!\[Open In Colab\]\([^)]*\)\]\([^)]*\)")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"

SITE_DIR = ROOT / "site"
OUT = ROOT / "build" / "site"
SRC = OUT / "src"
HTML = OUT / "html"
EXECUTED = OUT / "executed"
LESSON_SOURCES = ROOT / "authoring" / "lessons"
GLOSSARY = ROOT / "glossary.md"
README = ROOT / "README.md"
SLIDES = ROOT / "build" / "slides"
FOLDERS = ("notebooks", "solutions")

PLOTLY_MIME = "application/vnd.plotly.v1+json"
SOLUTION_TAG = "solution"
ANSWER_TAG = "answer"
EXPLORER_NOTE = (
    '<p class="explorer-note"><strong>Interactive explorer.</strong> This is the figure it '
    "showed when the lesson was run; the sliders need a running Python kernel. "
    '<a href="{colab}">Open the lesson in Colab</a> or in JupyterLab to move them.</p>'
)


class SiteBuildError(RuntimeError):
    """The site could not be built (a lesson failed to run, Sphinx failed, ...)."""


# --- lessons and their execution ---------------------------------------------


def lesson_names() -> list[str]:
    """Stems of the built student notebooks, e.g. ``['01_synapses', ...]``."""
    return [path.stem for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))]


def digest_of(paths) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def execution_key(notebook: Path) -> str:
    """What an executed copy depends on: the notebook, course_utils, the data, the client."""
    sources = [notebook, ROOT / "authoring" / "notebook_execution.py"]
    sources += sorted((ROOT / "course_utils").rglob("*.py"))
    sources += sorted(path for path in (ROOT / "data").glob("*") if path.is_file())
    return digest_of(sources)


def execute(notebook_path: Path, timeout: int = 600):
    """Run a notebook top to bottom in a fresh kernel, in its own folder."""
    from jupyter_client import KernelManager
    from notebook_execution import RobustNotebookClient

    notebook = nbformat.read(notebook_path, as_version=4)
    with tempfile.TemporaryDirectory(prefix="first-neuron-site-") as sockets:
        # IPC sockets, not TCP ports: two kernels started together can be
        # handed the same "free" port (as in authoring/slides.py).
        manager = KernelManager(
            kernel_name="python3", transport="ipc", ip=str(Path(sockets) / "kernel")
        )
        client = RobustNotebookClient(
            notebook,
            km=manager,
            timeout=timeout,
            resources={"metadata": {"path": str(notebook_path.parent)}},
        )
        try:
            client.execute()
        finally:
            # nbclient leaves a kernel it did not start running.
            if manager.has_kernel:
                manager.shutdown_kernel(now=True)
    return notebook


def executed_copy(notebook_path: Path, force: bool = False) -> tuple[Path, bool]:
    """Path of the executed copy of a notebook, running it first if stale."""
    target = EXECUTED / notebook_path.parent.name / notebook_path.name
    stamp = target.with_suffix(".sha256")
    key = execution_key(notebook_path)
    if not force and target.exists() and stamp.exists() and stamp.read_text().strip() == key:
        return target, False
    try:
        notebook = execute(notebook_path)
    except Exception as error:  # CellExecutionError, DeadKernelError, timeouts
        raise SiteBuildError(
            f"{notebook_path.relative_to(ROOT)}: execution failed:\n{error}"
        ) from error
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, target)
    stamp.write_text(key + "\n")
    return target, True


def execute_all(names, force: bool = False, jobs: int = 2, log=print) -> None:
    """Execute (or reuse) the student and solution notebook of every lesson."""
    paths = [ROOT / folder / f"{name}.ipynb" for name in names for folder in FOLDERS]
    paths = [path for path in paths if path.exists()]
    failures = []
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = {pool.submit(timed, executed_copy, path, force): path for path in paths}
        for future, path in futures.items():
            try:
                (_, ran), seconds = future.result()
            except SiteBuildError as error:
                failures.append(str(error))
                continue
            verb = "executed" if ran else "up to date"
            log(f"{verb:>10}: {path.relative_to(ROOT)} ({seconds:.1f} s)")
    if failures:
        raise SiteBuildError("\n\n".join(failures))


def timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - start


# --- turning an executed notebook into a page --------------------------------


def answer_cells(name: str) -> dict[int, str]:
    """The "think" answers of a lesson source: {index of the cell in the source: markdown}.

    The index is the one build.py puts in cell ids (``NN_name-007``), so an
    answer can be placed after the cells that came before it in the source.
    """
    import jupytext

    path = LESSON_SOURCES / f"{name}.py"
    if not path.exists():
        return {}
    source = jupytext.read(path, fmt="py:percent")
    return {
        index: cell.source
        for index, cell in enumerate(source.cells[1:], start=1)
        if ANSWER_TAG in cell.metadata.get("tags", [])
    }


def source_index(cell) -> int | None:
    """Position of a built cell in its lesson source, from its id ``NN_name-007``."""
    match = re.search(r"-(\d{3,})$", str(cell.get("id", "")))
    return int(match.group(1)) if match else None


def fold(markdown: str, title: str = "Answer") -> str:
    """Markdown behind a click-to-show fold (sphinx-togglebutton's dropdown admonition)."""
    fence = ":" * max(3, 1 + max((len(m) for m in re.findall(r"^:+", markdown, re.M)), default=0))
    return f"{fence}{{admonition}} {title}\n:class: dropdown\n\n{markdown.strip()}\n{fence}\n"


def add_tag(cell, tag: str) -> None:
    tags = cell.metadata.setdefault("tags", [])
    if tag not in tags:
        tags.append(tag)


def links_block(name: str, folder: str, config: dict) -> str:
    """The row of links under a lesson's title: Colab, download, the other version."""
    other = "solutions" if folder == "notebooks" else "notebooks"
    other_text = "Worked solutions" if folder == "notebooks" else "Student version"
    colab = notebook_build.colab_url(config, folder, name)
    links = [
        f"[Open in Colab]({colab})",
        f"{{download}}`Download the notebook <../_downloads_src/{folder}/{name}.ipynb>`",
    ]
    if (ROOT / other / f"{name}.ipynb").exists():
        links.append(f"[{other_text}](../{other}/{name}.ipynb)")
    return "::::{container} lesson-links\n" + " · ".join(links) + "\n::::\n"


def retitle(cell, name: str, folder: str, config: dict) -> None:
    """Swap the Colab badge (a network image) for local links under the title."""
    text = BADGE.sub("", cell.source).rstrip()
    lines = text.splitlines()
    heading = 1 if lines and lines[0].startswith("#") else 0
    block = links_block(name, folder, config)
    cell.source = "\n".join(lines[:heading] + ["", block] + lines[heading:]).strip() + "\n"


def strip_form_title(cell) -> None:
    """Drop Colab's ``#@title`` form line: the fold's label says it already."""
    lines = cell.source.splitlines()
    if lines and lines[0].lstrip().startswith("#@title"):
        cell.source = "\n".join(lines[1:]).lstrip("\n")


def widget_outputs(model_id: str, state: dict, seen=None) -> list:
    """Outputs shown inside a widget and its children (e.g. an explorer's figure)."""
    seen = set() if seen is None else seen
    if model_id in seen or model_id not in state:
        return []
    seen.add(model_id)
    model = state[model_id].get("state", {})
    outputs = [nbformat.from_dict(output) for output in model.get("outputs", [])]
    for child in model.get("children", []):
        if isinstance(child, str) and child.startswith("IPY_MODEL_"):
            outputs += widget_outputs(child.removeprefix("IPY_MODEL_"), state, seen)
    return outputs


def widget_text(model_id: str, state: dict, seen=None) -> list[str]:
    """The text a widget tree shows (e.g. a tqdm bar's "100% 17/17 [00:01]"), in order."""
    seen = set() if seen is None else seen
    if model_id in seen or model_id not in state:
        return []
    seen.add(model_id)
    model = state[model_id].get("state", {})
    texts = []
    if model.get("_model_name") in ("HTMLModel", "LabelModel") and model.get("value"):
        texts.append(html.unescape(re.sub(r"<[^>]+>", "", str(model["value"]))).strip())
    for child in model.get("children", []):
        if isinstance(child, str) and child.startswith("IPY_MODEL_"):
            texts += widget_text(child.removeprefix("IPY_MODEL_"), state, seen)
    return [text for text in texts if text]


def static_explorers(notebook, colab: str):
    """Widgets become what they showed: an explorer its first figure and a note, a
    progress bar its last text. A static page has no kernel behind a slider."""
    notebook = copy.deepcopy(notebook)
    widgets = notebook.metadata.pop("widgets", {})
    state = widgets.get(WIDGET_STATE, {}).get("state", {})
    note = EXPLORER_NOTE.format(colab=html.escape(colab))
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        outputs = []
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get(WIDGET_VIEW)
            if view is None:
                outputs.append(output)
                continue
            model_id = view.get("model_id", "")
            shown = [o for o in widget_outputs(model_id, state) if o.get("output_type") != "stream"]
            text = " ".join(widget_text(model_id, state))
            if shown:
                outputs += shown
                status = f'<p class="explorer-status">{html.escape(text)}</p>' if text else ""
                outputs.append(nbformat.v4.new_output("display_data", {"text/html": status + note}))
                continue
            if text:
                outputs.append(nbformat.v4.new_output("display_data", {"text/plain": text}))
        cell.outputs = outputs
    return notebook


def plotly_html(figure: dict, caption: str = "") -> str:
    """A plotly figure as a div drawn by the page's local plotly.js (no CDN)."""
    div = f"plotly-{uuid.uuid5(uuid.NAMESPACE_OID, json.dumps(figure, sort_keys=True))}"
    payload = json.dumps(
        [figure.get("data", []), figure.get("layout", {}), figure.get("config", {})]
    ).replace("</", "<\\/")
    label = html.escape(caption, quote=True)
    return (
        f'<div id="{div}" class="plotly-graph-div" role="img" aria-label="{label}" '
        'style="width:100%;height:480px"></div>\n'
        f'<script type="text/javascript">(function () {{ var f = {payload}; '
        f"var c = Object.assign({{responsive: true}}, f[2]); "
        f'Plotly.newPlot("{div}", f[0], f[1], c); }})();</script>'
        + (f'\n<p class="plotly-caption">{html.escape(caption)}</p>' if caption else "")
    )


def interactive_plotly(notebook) -> bool:
    """Keep every plotly figure interactive with the local plotly.js; say if there are any.

    The course's own output (``course_utils.interactive.show``: a div and a
    ``Plotly.newPlot`` call, no script loaded from elsewhere) is kept as it is;
    any other plotly output is redrawn from its JSON, so that no CDN copy of
    plotly.js is ever asked for.
    """
    found = False
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            figure = data.get(PLOTLY_MIME)
            if figure is None:
                continue
            found = True
            page = data.get("text/html", "")
            if isinstance(page, list):
                page = "".join(page)
            if "Plotly.newPlot" in page and not re.search(r"<script[^>]*\ssrc=", page):
                output["data"] = {"text/html": page}
                continue
            if isinstance(figure, str):
                figure = json.loads(figure)
            caption = data.get("text/plain", "")
            caption = "".join(caption) if isinstance(caption, list) else caption
            output["data"] = {"text/html": plotly_html(figure, caption)}
    if found:
        notebook.metadata["first_neuron_plotly"] = True
    return found


def page(name: str, folder: str, config: dict):
    """The notebook Sphinx renders for one lesson version (student or worked)."""
    executed = nbformat.read(EXECUTED / folder / f"{name}.ipynb", as_version=4)
    notebook = static_explorers(executed, notebook_build.colab_url(config, folder, name))
    interactive_plotly(notebook)
    answers = answer_cells(name)
    answer_ids = set(answers)
    cells = []
    for number, cell in enumerate(notebook.cells):
        tags = set(cell.metadata.get("tags", []))
        if number == 0 and cell.cell_type == "markdown":
            retitle(cell, name, folder, config)
        elif "setup" in tags:
            add_tag(cell, "remove-cell")  # Colab's installer: nothing to read on a page
        elif cell.cell_type == "code" and (
            SOLUTION_TAG in tags or cell.metadata.get("jupyter", {}).get("source_hidden")
        ):
            strip_form_title(cell)
            add_tag(cell, "hide-input")
            if SOLUTION_TAG in tags:
                cell.metadata["mystnb"] = {
                    "code_prompt_show": "Show the solution",
                    "code_prompt_hide": "Hide the solution",
                }
        elif cell.cell_type == "markdown" and source_index(cell) in answer_ids:
            cell.source = fold(cell.source)  # worked notebook: the answer is already there
        cells.append(cell)
    if folder == "notebooks":
        cells = insert_answers(cells, answers)
    notebook.cells = cells
    notebook.metadata.pop("widgets", None)
    return notebook


def insert_answers(cells, answers: dict[int, str]):
    """Place each answer, folded, after the last cell that precedes it in the source."""
    result = list(cells)
    for index in sorted(answers, reverse=True):
        position = 0
        for number, cell in enumerate(result):
            found = source_index(cell)
            if found is not None and found < index:
                position = number + 1
        answer = nbformat.v4.new_markdown_cell(fold(answers[index]))
        answer["id"] = f"answer-{index:03d}"  # stable: the build is cached by content
        answer.metadata["tags"] = [ANSWER_TAG]
        result.insert(position, answer)
    return result


# --- the other pages ----------------------------------------------------------


def readme_section(heading: str) -> str:
    """A ``## heading`` section of the README (without its heading), or ''."""
    if not README.exists():
        return ""
    text = README.read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(heading)}\s*\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    return match.group(1).strip() if match else ""


def readme_intro() -> str:
    """The README's opening paragraphs: what the course is and for whom."""
    if not README.exists():
        return ""
    text = README.read_text(encoding="utf-8")
    match = re.search(r"^# .*?\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    return match.group(1).strip() if match else ""


def lesson_facts(name: str) -> dict:
    """Title, time and prerequisites from the first cell of a student notebook."""
    notebook = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    text = notebook.cells[0].source if notebook.cells else ""
    title = text.strip().splitlines()[0].lstrip("#").strip() if text.strip() else name
    # One line per paragraph: a field ends with its paragraph.
    flat = "\n".join(" ".join(part.split()) for part in re.split(r"\n\s*\n", text))

    def field(label: str) -> str:
        # "**Time:** ...", "**Time.** ..." or "**Time**: ...", up to the next bold label.
        found = re.search(
            rf"\*\*{label}[.:]?\*\*[.:]?\s*(.*?)(?=\s*\*\*[A-Z][^*]*[.:]\*\*|\s*\[!\[|\n|$)", flat
        )
        return rebase_links(found.group(1).strip()) if found else "-"

    # The time's first sentence is the estimate; the rest explains it.
    time_estimate = re.split(r"(?<=\.)\s+(?=[A-Z])|;\s+", field("Time"))[0]
    return {"name": name, "title": title, "time": time_estimate, "prereq": field("Prerequisites")}


def rebase_links(text: str, folder: str = "notebooks") -> str:
    """Markdown links written relative to a lesson, made relative to the site's root."""

    def rebase(match):
        target = match.group(2)
        if re.match(r"[a-z][a-z0-9+.-]*:|#|/", target, re.I):
            return match.group(0)
        path, _, fragment = target.partition("#")
        path = posixpath.normpath(posixpath.join(folder, path)) if path else ""
        return f"{match.group(1)}({path}{'#' + fragment if fragment else ''})"

    return re.sub(r"(\]\s*)\(([^)\s]+)\)", rebase, text)


def table_cell(text: str) -> str:
    """Text safe inside a markdown table cell; links to lessons re-pointed to pages."""
    return text.replace("|", "\\|")


def lesson_table(facts: list[dict], config: dict) -> str:
    rows = [
        "| lesson | time | prerequisites | worked solutions | run it |",
        "| --- | --- | --- | --- | --- |",
    ]
    for fact in facts:
        name = fact["name"]
        solutions = (
            f"[worked](solutions/{name}.ipynb)"
            if (ROOT / "solutions" / f"{name}.ipynb").exists()
            else "-"
        )
        colab = notebook_build.colab_url(config, "notebooks", name)
        rows.append(
            f"| [{table_cell(fact['title'])}](notebooks/{name}.ipynb) | {table_cell(fact['time'])} "
            f"| {table_cell(fact['prereq'])} | {solutions} | [Colab]({colab}) |"
        )
    return "\n".join(rows)


def slide_files() -> tuple[list[Path], list[Path]]:
    """The built slide decks and slide PDFs in build/slides (empty lists if none)."""
    if not SLIDES.exists():
        return [], []
    return sorted(SLIDES.glob("*.slides.html")), sorted(SLIDES.glob("*.pdf"))


def slides_section(facts: list[dict]) -> str:
    decks, pdfs = slide_files()
    if not decks and not pdfs:
        return (
            "The slide decks are not part of this build. Build them with `make slides` "
            "(they land in `build/slides/`), then `make site` again to publish them here."
        )
    rows = ["| lesson | time | slides | PDF |", "| --- | --- | --- | --- |"]
    for fact in facts:
        name = fact["name"]
        deck = next((d for d in decks if d.name == f"{name}.slides.html"), None)
        pdf = next((p for p in pdfs if p.stem.startswith(name)), None)
        # Plain HTML links: the decks and PDFs are copied next to the pages, not built by Sphinx.
        deck_link = f'<a href="slides/{deck.name}">{deck.name}</a>' if deck else "-"
        pdf_link = f'<a href="slides/{pdf.name}">{pdf.name}</a>' if pdf else "-"
        rows.append(
            f"| {table_cell(fact['title'])} | {table_cell(fact['time'])} "
            f"| {deck_link} | {pdf_link} |"
        )
    return "\n".join(rows)


def fill(template: Path, values: dict[str, str]) -> str:
    """A page from ``site/`` with its ``{{ name }}`` placeholders filled."""
    text = template.read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace("{{ " + key + " }}", value)
    leftover = re.findall(r"\{\{ (\w+) \}\}", text)
    if leftover:
        raise SiteBuildError(f"{template.name}: no value for {leftover}")
    return text


def toctree(caption: str, entries: list[str]) -> str:
    body = "\n".join(entries)
    return f"```{{toctree}}\n:caption: {caption}\n:hidden:\n:maxdepth: 1\n\n{body}\n```\n"


# --- the Sphinx source folder and the build ------------------------------------


def prepare(names: list[str], config: dict) -> None:
    """Write Sphinx's source folder build/site/src from the executed lessons."""
    if SRC.exists():
        shutil.rmtree(SRC)
    SRC.mkdir(parents=True)
    shutil.copy2(SITE_DIR / "conf.py", SRC / "conf.py")
    shutil.copytree(SITE_DIR / "_static", SRC / "_static")
    copy_mathjax(SRC / "_static" / "mathjax")

    facts = [lesson_facts(name) for name in names]
    plotly = False
    for name in names:
        for folder in FOLDERS:
            if not (ROOT / folder / f"{name}.ipynb").exists():
                continue
            notebook = page(name, folder, config)
            plotly |= bool(notebook.metadata.get("first_neuron_plotly"))
            (SRC / folder).mkdir(exist_ok=True)
            nbformat.write(notebook, SRC / folder / f"{name}.ipynb")
            downloads = SRC / "_downloads_src" / folder
            downloads.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / folder / f"{name}.ipynb", downloads / f"{name}.ipynb")
    if plotly:
        copy_plotly(SRC / "_static")

    reference = ["units", "instructor"]
    if GLOSSARY.exists():
        shutil.copy2(GLOSSARY, SRC / "glossary.md")
        reference.append("glossary")
    decks, pdfs = slide_files()
    if decks or pdfs:
        try:
            shutil.copytree(SLIDES, SRC / "_extra" / "slides", ignore=shutil.ignore_patterns(".*"))
        except (OSError, shutil.Error) as error:  # e.g. make slides rewriting them right now
            raise SiteBuildError(f"could not copy {SLIDES}: {error}") from error

    tables = toctree("Lessons", [f"notebooks/{name}" for name in names])
    tables += toctree(
        "Worked solutions",
        [
            f"{f['title']} (worked) <solutions/{f['name']}>"
            for f in facts
            if (ROOT / "solutions" / f"{f['name']}.ipynb").exists()
        ],
    )
    tables += toctree("For reference", reference)
    values = {
        "intro": readme_intro(),
        "lesson_table": lesson_table(facts, config),
        "repository": config["repository"],
        "toctrees": tables,
    }
    (SRC / "index.md").write_text(fill(SITE_DIR / "index.md", values), encoding="utf-8")
    units = readme_section("One unit system") or "The README has no unit table."
    (SRC / "units.md").write_text(fill(SITE_DIR / "units.md", {"units": units}), encoding="utf-8")
    timing = "\n".join(
        ["| lesson | time |", "| --- | --- |"]
        + [
            f"| [{table_cell(f['title'])}](notebooks/{f['name']}.ipynb) | {table_cell(f['time'])} |"
            for f in facts
        ]
    )
    (SRC / "instructor.md").write_text(
        fill(SITE_DIR / "instructor.md", {"slides": slides_section(facts), "timing": timing}),
        encoding="utf-8",
    )
    (SRC / "site.json").write_text(
        json.dumps({"repository": config["repository"], "ref": config["ref"]}) + "\n"
    )


def copy_mathjax(target: Path) -> None:
    """MathJax 2 from authoring/node_modules (no CDN)."""
    package = NODE_MODULES / "mathjax"
    missing = [path for path in MATHJAX_FILES if not (package / path).exists()]
    if missing:
        raise SiteBuildError(
            f"MathJax is missing from {NODE_MODULES}: run `cd authoring && npm ci` "
            "(or `bash authoring/install_browser_deps.sh`)"
        )
    for path in MATHJAX_FILES:
        source, dest = package / path, target / path
        dest.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, dest, ignore=MATHJAX_IGNORE, dirs_exist_ok=True)
        else:
            shutil.copy2(source, dest)


def copy_plotly(static: Path) -> None:
    """plotly.js from the plotly Python package, for the interactive figures."""
    try:
        import plotly
    except ImportError as error:
        raise SiteBuildError("a lesson shows plotly figures but plotly is not installed") from error
    bundle = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    if not bundle.exists():
        raise SiteBuildError(f"plotly.js not found at {bundle}")
    shutil.copy2(bundle, static / "plotly.min.js")


def sources_key() -> str:
    files = sorted(path for path in SRC.rglob("*") if path.is_file())
    return digest_of(files)


def sphinx(force: bool = False, log=print) -> bool:
    """Run Sphinx on build/site/src unless its output is from the same sources."""
    stamp = HTML / ".fingerprint"
    key = sources_key()
    if not force and stamp.exists() and stamp.read_text().strip() == key:
        log("   up to date: build/site/html")
        return False
    if HTML.exists():
        shutil.rmtree(HTML)
    doctrees = OUT / "doctrees"
    if doctrees.exists():
        shutil.rmtree(doctrees)
    warnings = OUT / "sphinx-warnings.txt"
    command = [
        sys.executable,
        "-m",
        "sphinx",
        "-b",
        "html",
        "-q",
        "-d",
        str(doctrees),
        "-w",
        str(warnings),
        str(SRC),
        str(HTML),
    ]
    start = time.perf_counter()
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise SiteBuildError(f"sphinx-build failed:\n{completed.stderr[-4000:]}")
    stamp.write_text(key + "\n")
    count = len([line for line in warnings.read_text().splitlines() if "WARNING" in line])
    log(
        f"       built: build/site/html ({time.perf_counter() - start:.1f} s, "
        f"{count} Sphinx warnings in {warnings.relative_to(ROOT)})"
    )
    return True


def build_site(force: bool = False, jobs: int = 2, log=print) -> Path:
    """Execute the lessons, prepare the sources, run Sphinx; return index.html."""
    names = lesson_names()
    if not names:
        raise SiteBuildError("no lessons in notebooks/: run python authoring/build.py first")
    config = notebook_build.load_config()
    execute_all(names, force=force, jobs=jobs, log=log)
    prepare(names, config)
    sphinx(force=force, log=log)
    return HTML / "index.html"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="re-execute and rebuild everything")
    parser.add_argument("--jobs", type=int, default=2, help="notebooks executed at a time")
    args = parser.parse_args(argv)
    try:
        index = build_site(force=args.force, jobs=args.jobs)
    except SiteBuildError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"open {index.relative_to(ROOT)} (or: python -m http.server -d build/site/html)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

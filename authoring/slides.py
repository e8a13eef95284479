"""Build a lecture deck of every lesson: reveal.js slides and a PDF, offline.

Usage::

    python authoring/slides.py                  # every lesson -> build/slides/
    python authoring/slides.py 01_synapses      # only these lessons
    python authoring/slides.py --force          # re-execute even if up to date
    python authoring/slides.py --no-pdf         # HTML decks only

Before the first build, install the JavaScript it copies next to the decks
(reveal.js and MathJax 2) and Chromium for the PDFs with
``bash authoring/install_browser_deps.sh``.

Each deck is designed as slides from the lesson's source (slides_layer.py
says how the tags become slides): title, objectives and agenda; a divider
with speaker notes for every section; prose cut into slides that fit a
1280 x 720 canvas at lecture-hall sizes; exercises as a task and a time box
with the solution on the next slide; predict-then-reveal fragments;
explorers drawn at two settings side by side; every figure on its own
slide, drawn at slide size by a kernel set up by slides_kernel.py.

Sizes (canvas pixels = screen pixels at 1280 x 720; x 1.5 at 1920 x 1080):
body text 32 px (4.4 % of the screen height, the 24 pt-on-a-7.5-inch-slide
rule for a lecture hall), code 26 px (3.6 %), figure text >= 25 px (18 pt at
100 dpi, 3.5 %), slide titles 44 px. The canvas is scaled to the screen with
no margin, so the same slide fills any 16:9 screen without scrolling.

Nothing is fetched from the network: reveal.js, MathJax and the fonts are
copied into the output folder and referenced by relative paths, figures are
data URIs. MathJax typesets the whole deck once, before reveal.js starts,
so formulas never flicker when a slide is revisited. The PDF is Chromium
printing reveal.js's ``?print-pdf`` view (authoring/slides_pdf.cjs), one
page per slide. A deck is rebuilt only when its lesson, course_utils or the
slide builder changed (fingerprints in ``build/slides/.fingerprints``).

Open ``build/slides/index.html``, or a deck, in a browser (``s`` opens the
speaker notes); copy the whole folder to a USB stick for a lecture hall.
"""

from __future__ import annotations

import argparse
import ast
import copy
import hashlib
import html
import json
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
import slides_layer as layer  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
AUTHORING = ROOT / "authoring"
NODE_MODULES = AUTHORING / "node_modules"
LESSONS = AUTHORING / "lessons"
STUDENT_DIR = ROOT / "notebooks"
OUT_DIR = ROOT / "build" / "slides"
KERNEL_SETUP = AUTHORING / "slides_kernel.py"
STYLE = AUTHORING / "slides.css"
SCRIPT = AUTHORING / "slides.js"
PDF_DRIVER = AUTHORING / "slides_pdf.cjs"

REVEAL_DIR = "reveal.js"  # relative to the decks
VENDOR_DIR = "vendor"
# MathJax 2 with SVG output: glyphs are drawn from JavaScript font data, so
# formulas look right even when a browser refuses web fonts from file:// pages.
MATHJAX_URL = f"{VENDOR_DIR}/mathjax/MathJax.js?config=TeX-AMS_SVG-full,Safe"

# What the decks load, copied from authoring/node_modules: (package, path in
# the package, destination below the output folder).
ASSETS = [
    ("reveal.js", "dist/reveal.js", f"{REVEAL_DIR}/dist/reveal.js"),
    ("reveal.js", "dist/reveal.css", f"{REVEAL_DIR}/dist/reveal.css"),
    (
        "reveal.js",
        "dist/theme/fonts/source-sans-pro",
        f"{REVEAL_DIR}/dist/theme/fonts/source-sans-pro",
    ),
    ("reveal.js", "plugin/notes", f"{REVEAL_DIR}/plugin/notes"),
    ("reveal.js", "LICENSE", f"{REVEAL_DIR}/LICENSE"),
    ("mathjax", "MathJax.js", f"{VENDOR_DIR}/mathjax/MathJax.js"),
    ("mathjax", "LICENSE", f"{VENDOR_DIR}/mathjax/LICENSE"),
    ("mathjax", "config/TeX-AMS_SVG-full.js", f"{VENDOR_DIR}/mathjax/config/TeX-AMS_SVG-full.js"),
    ("mathjax", "config/Safe.js", f"{VENDOR_DIR}/mathjax/config/Safe.js"),
    ("mathjax", "extensions", f"{VENDOR_DIR}/mathjax/extensions"),
    ("mathjax", "jax/input/TeX", f"{VENDOR_DIR}/mathjax/jax/input/TeX"),
    ("mathjax", "jax/element", f"{VENDOR_DIR}/mathjax/jax/element"),
    ("mathjax", "jax/output/SVG/jax.js", f"{VENDOR_DIR}/mathjax/jax/output/SVG/jax.js"),
    ("mathjax", "jax/output/SVG/config.js", f"{VENDOR_DIR}/mathjax/jax/output/SVG/config.js"),
    ("mathjax", "jax/output/SVG/autoload", f"{VENDOR_DIR}/mathjax/jax/output/SVG/autoload"),
    ("mathjax", "jax/output/SVG/fonts/TeX", f"{VENDOR_DIR}/mathjax/jax/output/SVG/fonts/TeX"),
    ("mathjax", "localization/en", f"{VENDOR_DIR}/mathjax/localization/en"),
]
# Left out of the copies: MathJax's accessibility extensions (3.7 MB, only
# loaded when chosen in MathJax's menu), source maps and ES-module builds.
IGNORE = shutil.ignore_patterns("a11y", "*.map", "*.esm.js")
BADGE = re.compile(r"\[!\[Open In Colab\]\([^)]*\)\]\([^)]*\)")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


class SlideBuildError(RuntimeError):
    """A lesson could not be executed or exported."""


def check_assets() -> None:
    """Fail with the install command if the JavaScript packages are missing."""
    missing = [
        package for package, path, _ in ASSETS if not (NODE_MODULES / package / path).exists()
    ]
    if missing:
        raise SlideBuildError(
            f"missing {sorted(set(missing))} in {NODE_MODULES}: run `cd authoring && npm ci` "
            "(or `bash authoring/install_browser_deps.sh`)"
        )


def copy_assets(out_dir: Path) -> None:
    """Copy reveal.js, MathJax, the fonts and the deck's style and script next to the decks."""
    check_assets()
    for package, path, destination in ASSETS:
        source = NODE_MODULES / package / path
        target = out_dir / destination
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=IGNORE, dirs_exist_ok=True)
        else:
            shutil.copy2(source, target)
    # plotly.js from the plotly Python package: interactive figures, offline.
    from course_utils.interactive import plotly_js_path

    (out_dir / VENDOR_DIR).mkdir(parents=True, exist_ok=True)
    shutil.copy2(plotly_js_path(), out_dir / VENDOR_DIR / "plotly.min.js")
    shutil.copy2(STYLE, out_dir / "first-neuron-slides.css")
    shutil.copy2(SCRIPT, out_dir / "first-neuron-slides.js")


def deck_name(notebook: Path) -> str:
    """File name of a lesson's deck, e.g. ``01_synapses.slides.html``."""
    return f"{notebook.stem}.slides.html"


def lesson_notebooks(names=()) -> list[Path]:
    """The built student notebooks of the named lessons (all lessons if none are named)."""
    everything = sorted(STUDENT_DIR.glob("[0-9][0-9]_*.ipynb"))
    if not names:
        return everything
    chosen = []
    for name in names:
        stem = Path(name).stem
        matches = [
            path for path in everything if path.stem == stem or path.stem.startswith(f"{stem}_")
        ]
        if not matches:
            known = ", ".join(path.stem for path in everything) or "none"
            raise SlideBuildError(f"no lesson {name!r} in {STUDENT_DIR} (lessons: {known})")
        chosen.extend(matches)
    return chosen


def source_of(notebook: Path) -> Path:
    """The jupytext source a built notebook came from."""
    return LESSONS / f"{notebook.stem}.py"


def fingerprint(notebook: Path) -> str:
    """Hash of everything a deck depends on: lesson, course_utils and the slide builder."""
    digest = hashlib.sha256()
    sources = [notebook, source_of(notebook), AUTHORING / "build.py", AUTHORING / "course.toml"]
    sources += sorted(AUTHORING.glob("slides*"))
    sources += sorted((ROOT / "course_utils").rglob("*.py"))
    for path in sources:
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


# --- execution ---------------------------------------------------------------------


def kernel_setup() -> str:
    """The first cell of a slide build: figures drawn at slide size (slides_kernel.py)."""
    text = KERNEL_SETUP.read_text()
    text = re.sub(r"^SLOT_PX = .*$", f"SLOT_PX = {layer.FIGURE_SLOT}", text, flags=re.M)
    return re.sub(r"^PANEL_PX = .*$", f"PANEL_PX = {layer.PANEL_SLOT}", text, flags=re.M)


def student_notebook(notebook: Path):
    """The student notebook built afresh from its source (as build.py writes it).

    Built here rather than read from ``notebooks/``, so that a deck never
    pairs a stale notebook with a newer source.
    """
    import build

    source = source_of(notebook)
    if not source.exists():
        return nbformat.read(notebook, as_version=4)
    try:
        return build.build(source, build.load_config(), "student")
    except SystemExit as error:  # build.py reports a malformed lesson this way
        raise SlideBuildError(f"{source.name}: {error}") from error


def source_cells(notebook: Path) -> dict:
    """Source cells by the id the build gives their notebook cell (``NN_name-007``).

    The built notebook keeps only tags it needs and renames solutions; the
    source has the ``minutes`` of an exercise, the ``predict``/``explorer``
    tags and the solution as the author wrote it.
    """
    import jupytext

    path = source_of(notebook)
    if not path.exists():
        return {}
    cells = jupytext.read(path, fmt="py:percent").cells
    ids = {f"{notebook.stem}-title": cells[0]}
    ids.update({f"{notebook.stem}-{index:03d}": cell for index, cell in enumerate(cells)})
    return ids


def tags_of(cell) -> set:
    return set(cell.metadata.get("tags", []))


def is_explorer(source) -> bool:
    """An ``explorer`` cell, or (until every lesson tags them) one ending in ``x_explorer(...)``."""
    if "explorer" in tags_of(source):
        return True
    if source.cell_type != "code":
        return False
    try:
        body = ast.parse(source.source).body
    except SyntaxError:
        return False
    last = body[-1] if body else None
    if not (isinstance(last, ast.Expr) and isinstance(last.value, ast.Call)):
        return False
    function = last.value.func
    name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
    return name.endswith("_explorer")


def with_injections(notebook, sources: dict):
    """The notebook with the slide setup first and an explorer-states cell after each explorer."""
    run = copy.deepcopy(notebook)
    cells = [nbformat.v4.new_code_cell(kernel_setup())]
    cells[0]["id"] = "slides-setup"
    for cell in run.cells:
        source = sources.get(cell.get("id"))
        explorer = source is not None and is_explorer(source)
        if explorer:
            mark = nbformat.v4.new_code_cell("mark_outputs()")
            mark["id"] = f"slides-mark-{cell.get('id')}"
            cells.append(mark)
        cells.append(cell)
        if explorer:
            states = source.metadata.get("states")
            extra = nbformat.v4.new_code_cell(f"explorer_states(states={states!r})")
            extra["id"] = f"slides-states-{cell.get('id')}"
            cells.append(extra)
    run.cells = cells
    return run


def execute(notebook, workdir: Path, sources: dict, timeout: int = 600):
    """Run ``notebook`` (with the slide cells) in a fresh kernel in ``workdir``.

    Returns the notebook's own cells, executed; each explorer cell also holds
    the states its injected cell displayed.
    """
    import tempfile

    from jupyter_client import KernelManager

    # authoring/ is on sys.path: this script's folder, or put there by the tests.
    from notebook_execution import RobustNotebookClient

    run = with_injections(notebook, sources)
    with tempfile.TemporaryDirectory(prefix="first-neuron-kernel-") as sockets:
        # IPC sockets instead of TCP ports: two kernels started at the same
        # moment can be handed the same "free" ports.
        manager = KernelManager(
            kernel_name="python3", transport="ipc", ip=str(Path(sockets) / "kernel")
        )
        client = RobustNotebookClient(
            run, km=manager, timeout=timeout, resources={"metadata": {"path": str(workdir)}}
        )
        client.execute()
    cells = []
    for cell in run.cells[1:]:
        if cell.get("id", "").startswith("slides-states-"):
            cells[-1].outputs = list(cells[-1].outputs) + list(cell.outputs)
        elif not cell.get("id", "").startswith("slides-mark-"):
            cells.append(cell)
    run.cells = cells
    return run


def lesson_cells(notebook, sources: dict) -> list:
    """The executed notebook's cells (after the title) as the slide layer sees them."""
    cells = []
    for cell in notebook.cells[1:]:
        source = sources.get(cell.get("id"))
        setup = "setup" in tags_of(cell) or cell.get("id", "").endswith("-setup")
        outputs = [o for o in cell.get("outputs", []) if WIDGET_VIEW not in o.get("data", {})]
        cells.append(
            layer.LessonCell(
                cell_type=cell.cell_type,
                source=source.source if source is not None else cell.source,
                tags=tags_of(source) if source is not None else tags_of(cell),
                metadata=dict(source.metadata) if source is not None else {},
                outputs=outputs,
                skipped=setup,
            )
        )
    return cells


# --- HTML ------------------------------------------------------------------------------


def markdown_html(text: str) -> str:
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    return markdown2html_mistune(text)


def code_html(code: str) -> str:
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonLexer

    return highlight(code, PythonLexer(), HtmlFormatter(cssclass="highlight"))


def figure_html(figure: dict) -> str:
    alt = html.escape(str(figure.get("alt", "figure")))
    size = ""
    if figure.get("width") and figure.get("height"):
        size = f' width="{figure["width"]}" height="{figure["height"]}"'
    font = f' data-min-font-px="{figure["min_font_px"]}"' if "min_font_px" in figure else ""
    return (
        f'<img class="fn-figure" src="data:image/png;base64,{figure["png"]}"'
        f'{size}{font} alt="{alt}">'
    )


def plotly_html(part: dict) -> str:
    """An interactive plotly figure, drawn by slides.js with the deck's local plotly.js."""
    spec = json.dumps(part["plotly"], sort_keys=True).replace("</", "<\\/")
    width, height = layer.FIGURE_SLOT
    return (
        f'<div class="fn-plotly" role="img" aria-label="{html.escape(str(part["alt"]))}" '
        f'data-width="{width}" data-height="{height}" '
        f'style="width:{width}px;height:{height}px;">'
        f'<script type="application/json">{spec}</script></div>'
    )


def part_html(part) -> str:
    """One piece of a slide body: HTML, a figure, a text output or explorer states."""
    if isinstance(part, str):
        return part
    if "plotly" in part:
        return plotly_html(part)
    if "png" in part:
        return figure_html(part)
    if "text" in part:
        return f'<pre class="fn-output">{html.escape(part["text"])}</pre>'
    panels = "".join(
        f"<figure>{figure_html(panel)}<figcaption>{html.escape(panel['label'])}</figcaption>"
        "</figure>"
        for panel in part["panels"]
    )
    return f'<div class="fn-states">{panels}</div>'


def heading_html(slide: layer.Slide) -> str:
    # "1. The membrane" is a heading, not the start of a numbered list.
    escaped = re.sub(r"^(\d+)([.)])", r"\1\\\2", slide.title)
    title = markdown_html(escaped).strip().removeprefix("<p>").removesuffix("</p>")
    if slide.kind == "title":
        return f'<p class="fn-kicker">First Neuron</p><h1 class="fn-title">{title}</h1>'
    if slide.kind == "divider":
        label = "Optional section" if slide.optional else "Section"
        minutes = f" · {slide.minutes:g} min" if slide.minutes else ""
        return f'<p class="fn-kicker">{label}{minutes}</p><h2 class="fn-title">{title}</h2>'
    badge = ""
    if slide.kind == "exercise":
        box = f"{slide.minutes:g} min" if slide.minutes else "your turn"
        badge = f'<span class="fn-timebox">{box}</span>'
    return f'<h2 class="fn-title"><span>{title}</span>{badge}</h2>'


def slide_html(slide: layer.Slide) -> str:
    """One reveal.js <section>."""
    classes = f"fn-slide-{slide.kind}" + (" fn-optional" if slide.optional else "")
    if layer.visible_length(slide.title) > layer.LONG_TITLE_CHARS:
        classes += " fn-long"
    if slide.kind == "predict" and len(slide.body) > 1:
        body = (
            '<div class="fn-body"><div class="r-stack fn-stack">'
            f'<div class="fragment fade-out" data-fragment-index="0">{part_html(slide.body[0])}'
            '<p class="fn-hint">Predict first, then reveal.</p></div>'
            f'<div class="fragment fn-reveal" data-fragment-index="0">{part_html(slide.body[1])}'
            "</div></div></div>"
        )
    else:
        body = f'<div class="fn-body">{"".join(part_html(part) for part in slide.body)}</div>'
    notes = "\n\n".join(note for note in slide.notes if note.strip())
    aside = f'<aside class="notes">{markdown_html(notes)}</aside>' if notes else ""
    return f'<section class="{classes}">{heading_html(slide)}{body}{aside}</section>'


PAGE = """<!DOCTYPE html>
<html lang="en" class="fn-typesetting">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="{reveal}/dist/reveal.css">
<link rel="stylesheet" href="first-neuron-slides.css">
<style>{pygments}</style>
<script type="text/x-mathjax-config">
MathJax.Hub.Config({{
  skipStartupTypeset: true,
  messageStyle: "none",
  showMathMenu: false,
  tex2jax: {{inlineMath: [["$", "$"], ["\\\\(", "\\\\)"]], processEscapes: true}},
  SVG: {{font: "TeX", linebreaks: {{automatic: true, width: "container"}}}}
}});
</script>
<script src="{mathjax}"></script>
</head>
<body>
<div class="reveal"><div class="slides">
{sections}
</div></div>
<script src="{reveal}/dist/reveal.js"></script>
<script src="{reveal}/plugin/notes/notes.js"></script>
<script src="{vendor}/plotly.min.js"></script>
<script src="first-neuron-slides.js"></script>
</body>
</html>
"""


def deck_html(slides: list, title: str) -> str:
    """The whole deck page."""
    from pygments.formatters import HtmlFormatter

    return PAGE.format(
        title=html.escape(title),
        reveal=REVEAL_DIR,
        vendor=VENDOR_DIR,
        mathjax=MATHJAX_URL,
        pygments=HtmlFormatter(style="default").get_style_defs(".highlight"),
        sections="\n".join(slide_html(slide) for slide in slides),
    )


def design_deck(executed, sources: dict, title_source: str):
    """The slides of one executed lesson, and what the lesson lacks for them."""
    builder = layer.DeckBuilder(markdown_html, code_html)
    builder.title_cell(BADGE.sub("", title_source).rstrip())
    for cell in lesson_cells(executed, sources):
        builder.cell(cell)
    return builder.finish(), builder.problems


# --- building --------------------------------------------------------------------------


def build_deck(notebook_path: Path, out_dir: Path, *, force=False) -> dict:
    """Execute one lesson and write its deck; skip it if it is up to date.

    Returns a dict with the deck's path, whether it was rebuilt, the seconds it
    took and the problems the slide layer found (sections without notes, ...).
    """
    start = time.perf_counter()
    deck = out_dir / deck_name(notebook_path)
    marks = out_dir / ".fingerprints"
    stamp, report = marks / f"{deck.name}.sha256", marks / f"{deck.name}.json"
    key = fingerprint(notebook_path)
    if not force and deck.exists() and stamp.exists() and stamp.read_text().strip() == key:
        problems = json.loads(report.read_text()) if report.exists() else []
        return {
            "deck": deck, "rebuilt": False, "problems": problems,
            "seconds": time.perf_counter() - start,
        }
    notebook = student_notebook(notebook_path)
    sources = source_cells(notebook_path)
    try:
        executed = execute(notebook, notebook_path.parent, sources)
    except Exception as error:  # CellExecutionError, DeadKernelError, timeouts
        raise SlideBuildError(f"{notebook_path.name}: execution failed:\n{error}") from error
    title = sources.get(f"{notebook_path.stem}-title", notebook.cells[0]).source
    slides, problems = design_deck(executed, sources, title)
    heading = title.strip().splitlines()[0].lstrip("#").strip()
    deck.write_text(deck_html(slides, heading), encoding="utf-8")
    marks.mkdir(exist_ok=True)
    report.write_text(json.dumps(problems, indent=1))
    stamp.write_text(key + "\n")
    (marks / f"{deck.name}.pdf-stale").touch()
    return {
        "deck": deck, "rebuilt": True, "problems": problems,
        "seconds": time.perf_counter() - start,
    }


def pdf_name(deck: Path) -> Path:
    """``NN_name.slides.html`` -> ``NN_name.slides.pdf``."""
    return deck.with_suffix(".pdf")


def print_pdfs(decks: list[Path], out_dir: Path, *, force=False) -> list[Path]:
    """Print each deck's ?print-pdf view to a PDF with Chromium (one page a slide)."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    node = shutil.which("node")
    if browser is None or node is None or not (NODE_MODULES / "playwright-core").exists():
        raise SlideBuildError(
            "the PDFs need Chromium, node and playwright-core: run "
            "bash authoring/install_browser_deps.sh (or build with --no-pdf)"
        )
    marks = out_dir / ".fingerprints"
    stale = [
        deck for deck in decks
        if force or (marks / f"{deck.name}.pdf-stale").exists() or not pdf_name(deck).exists()
    ]
    if not stale:
        return []
    job = {"executablePath": browser, "decks": [str(deck) for deck in stale]}
    completed = subprocess.run(
        [node, str(PDF_DRIVER), json.dumps(job)],
        capture_output=True, text=True, check=False, timeout=900,
    )
    if completed.returncode != 0:
        raise SlideBuildError(f"printing the PDFs failed:\n{completed.stderr[-3000:]}")
    for deck in stale:
        (marks / f"{deck.name}.pdf-stale").unlink(missing_ok=True)
    return [pdf_name(deck) for deck in stale]


def write_index(out_dir: Path) -> Path:
    """A page linking every deck in ``out_dir`` and its PDF."""
    items = []
    for deck in sorted(out_dir.glob("*.slides.html")):
        title = html.escape(deck.name.removesuffix(".slides.html"))
        pdf = pdf_name(deck)
        link = f' (<a href="{html.escape(pdf.name)}">PDF</a>)' if pdf.exists() else ""
        items.append(f'<li><a href="{html.escape(deck.name)}">{title}</a>{link}</li>')
    page = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>First Neuron slides</title></head>\n<body>\n<h1>First Neuron: slides</h1>\n"
        "<p>Arrow keys move between slides; <kbd>s</kbd> opens the speaker notes.</p>\n"
        f"<ul>\n{chr(10).join(items)}\n</ul>\n</body></html>\n"
    )
    index = out_dir / "index.html"
    index.write_text(page, encoding="utf-8")
    return index


def build_all(notebooks, out_dir: Path = OUT_DIR, *, jobs=2, force=False, pdf=True, log=print):
    """Build the decks of ``notebooks`` (and their PDFs unless ``pdf`` is false).

    Runs ``jobs`` lessons at a time (each in its own kernel). Returns the
    per-deck results of :func:`build_deck`; raises :class:`SlideBuildError`
    naming every lesson that failed.
    """
    import fcntl

    out_dir.mkdir(parents=True, exist_ok=True)
    # Two test workers may build at once: the second waits, then finds the decks up to date.
    with (out_dir / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _build_all(notebooks, out_dir, jobs=jobs, force=force, pdf=pdf, log=log)


def _build_all(notebooks, out_dir: Path, *, jobs, force, pdf, log):
    copy_assets(out_dir)
    results, failures = [], []
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = {pool.submit(build_deck, path, out_dir, force=force): path for path in notebooks}
        for future, path in futures.items():
            try:
                result = future.result()
            except SlideBuildError as error:
                failures.append(str(error))
                log(f"FAILED {path.name}")
                continue
            results.append(result)
            verb = "built" if result["rebuilt"] else "up to date"
            deck = result["deck"].relative_to(out_dir.parent)
            log(f"{verb:>10}: {deck} ({result['seconds']:.1f} s)")
            for problem in result["problems"]:
                log(f"            lesson: {problem}")
    if pdf and results:
        for printed in print_pdfs([r["deck"] for r in results], out_dir, force=force):
            log(f"   printed: {printed.relative_to(out_dir.parent)}")
    write_index(out_dir)
    if failures:
        raise SlideBuildError("\n\n".join(failures))
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lessons", nargs="*", help="lesson names, e.g. 01_synapses (default: all)")
    parser.add_argument(
        "--out", type=Path, default=OUT_DIR, help="output folder (default: build/slides)"
    )
    parser.add_argument(
        "--jobs", type=int, default=2, help="lessons executed at a time (default: 2)"
    )
    parser.add_argument(
        "--force", action="store_true", help="re-execute even if a deck is up to date"
    )
    parser.add_argument("--no-pdf", action="store_true", help="do not print the PDFs")
    args = parser.parse_args(argv)
    try:
        notebooks = lesson_notebooks(args.lessons)
        if not notebooks:
            raise SlideBuildError(
                f"no lessons in {STUDENT_DIR}: run python authoring/build.py first"
            )
        build_all(
            notebooks, args.out.resolve(), jobs=args.jobs, force=args.force, pdf=not args.no_pdf
        )
    except SlideBuildError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"open {args.out / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

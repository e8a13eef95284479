"""Build a reveal.js slide deck of every lesson, executed, that works offline.

Usage::

    python authoring/slides.py                  # every lesson -> build/slides/
    python authoring/slides.py 01_synapses      # only these lessons
    python authoring/slides.py --solutions      # also the worked-solution decks
    python authoring/slides.py --force          # re-execute even if up to date

Before the first build, install the JavaScript it copies next to the decks
(reveal.js, MathJax 2, require.js, jQuery) with ``cd authoring && npm ci``
(or ``bash authoring/install_browser_deps.sh``, which also installs Chromium
for the browser tests).

Each deck is the STUDENT notebook (``notebooks/NN_name.ipynb``), executed, so
the figures are in it, and exported with nbconvert's reveal template:

* it shows on the projector what the students have in front of them: the
  scaffold of each exercise and what its check says, not the answer. The
  hidden solution cells are skipped on the slides but still run, so every
  later figure is there. ``--solutions`` adds a deck of the worked notebook
  (``NN_name.solutions.slides.html``) for going through the answers afterwards;
* slide breaks come from the cell metadata that ``build.py`` writes (``#``/``##``
  start a slide, ``###`` a sub-slide; setup and hidden solution cells are
  ``skip``; cells tagged ``notes`` are speaker notes, press ``s``);
* nothing is fetched from the network: reveal.js, MathJax, require.js and
  jQuery are copied into the output folder and referenced by relative paths,
  figures are embedded as data URIs, the Colab badge is left out, nbconvert's
  Mermaid import and ipywidgets loader (both from CDNs) are removed, and an
  interactive explorer is replaced by the figure it showed when it was run;
* a deck is only re-executed when its notebook, ``course_utils`` or this
  script changed (fingerprints in ``build/slides/.fingerprints``).

Open ``build/slides/index.html``, or a deck, in a browser; copy the whole
folder to a USB stick for a lecture hall without network.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import html
import re
import shutil
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "authoring" / "node_modules"
STUDENT_DIR = ROOT / "notebooks"
SOLUTION_DIR = ROOT / "solutions"
OUT_DIR = ROOT / "build" / "slides"

REVEAL_DIR = "reveal.js"  # relative to the decks
VENDOR_DIR = "vendor"
# MathJax 2, because nbconvert's reveal template talks to MathJax.Hub. SVG
# output draws glyphs from JavaScript font data, so formulas look right even
# when a browser refuses web fonts from file:// pages.
MATHJAX_URL = f"{VENDOR_DIR}/mathjax/MathJax.js?config=TeX-AMS_SVG-full,Safe"

# What the decks load, copied from authoring/node_modules: (package, path in
# the package, destination below the output folder).
ASSETS = [
    ("reveal.js", "dist/reveal.js", f"{REVEAL_DIR}/dist/reveal.js"),
    ("reveal.js", "dist/reveal.css", f"{REVEAL_DIR}/dist/reveal.css"),
    ("reveal.js", "dist/theme/white.css", f"{REVEAL_DIR}/dist/theme/white.css"),
    (
        "reveal.js",
        "dist/theme/fonts/source-sans-pro",
        f"{REVEAL_DIR}/dist/theme/fonts/source-sans-pro",
    ),
    ("reveal.js", "plugin/notes", f"{REVEAL_DIR}/plugin/notes"),
    ("reveal.js", "LICENSE", f"{REVEAL_DIR}/LICENSE"),
    ("requirejs", "require.js", f"{VENDOR_DIR}/require.js"),
    ("jquery", "dist/jquery.min.js", f"{VENDOR_DIR}/jquery.min.js"),
    ("jquery", "LICENSE.txt", f"{VENDOR_DIR}/jquery.LICENSE.txt"),
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

# nbconvert's reveal template, minus what it would fetch from CDNs that the
# course does not use (Mermaid diagrams; the ipywidgets HTML manager, which
# needs a kernel to be useful anyway).
TEMPLATE_NAME = "first_neuron_slides.html.j2"
TEMPLATE = """\
{%- extends 'reveal/index.html.j2' -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_css -%}
<style>
/* Code blocks in markdown cells as large as code cells (reveal shrinks them to 0.55em). */
.reveal .jp-RenderedMarkdown pre {
  font-size: var(--jp-code-font-size); width: 100%; box-shadow: none;
}
.reveal .jp-RenderedMarkdown pre code { max-height: none; padding: 0.4em; }
</style>
{%- endblock html_head_css -%}
"""

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
BADGE = re.compile(r"\[!\[Open In Colab\]\([^)]*\)\]\([^)]*\)")


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
    """Copy reveal.js, MathJax, require.js and jQuery next to the decks."""
    check_assets()
    for package, path, destination in ASSETS:
        source = NODE_MODULES / package / path
        target = out_dir / destination
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=IGNORE, dirs_exist_ok=True)
        else:
            shutil.copy2(source, target)


def deck_name(notebook: Path, solutions: bool = False) -> str:
    """File name of a lesson's deck, e.g. ``01_synapses.slides.html``."""
    return f"{notebook.stem}{'.solutions' if solutions else ''}.slides.html"


def lesson_notebooks(names=(), solutions: bool = False) -> list[Path]:
    """The built notebooks of the named lessons (all lessons if none are named)."""
    folder = SOLUTION_DIR if solutions else STUDENT_DIR
    everything = sorted(folder.glob("[0-9][0-9]_*.ipynb"))
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
            raise SlideBuildError(f"no lesson {name!r} in {folder} (lessons: {known})")
        chosen.extend(matches)
    return chosen


def fingerprint(notebook: Path) -> str:
    """Hash of everything a deck depends on: the notebook, course_utils and this script."""
    digest = hashlib.sha256()
    sources = [notebook, Path(__file__).resolve()]
    sources += sorted((ROOT / "course_utils").rglob("*.py"))
    for path in sources:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


# Run before the lesson, then removed: figures rendered at FIGURE_DPI instead
# of 100 dpi, so that on the 1600-pixel-wide slide a 7-inch course figure
# spans about 900 pixels and its labels are as large as the slide's text.
FIGURE_DPI = 130
SLIDE_SETUP = f"""\
%config InlineBackend.print_figure_kwargs = {{"bbox_inches": "tight", "dpi": {FIGURE_DPI}}}
import matplotlib
matplotlib.rcParams["savefig.dpi"] = {FIGURE_DPI}  # explorers render with savefig
"""


def execute(notebook, workdir: Path, timeout: int = 600):
    """Run every cell of ``notebook`` in a fresh kernel, in ``workdir``.

    The figures are rendered larger for the slides (see :data:`SLIDE_SETUP`).
    """
    import tempfile

    from jupyter_client import KernelManager

    # authoring/ is on sys.path: this script's folder, or put there by the tests.
    from notebook_execution import RobustNotebookClient

    with tempfile.TemporaryDirectory(prefix="first-neuron-kernel-") as sockets:
        # IPC sockets instead of TCP ports: two kernels started at the same
        # moment can be handed the same "free" ports.
        manager = KernelManager(
            kernel_name="python3", transport="ipc", ip=str(Path(sockets) / "kernel")
        )
        # nbclient can miss a widget cell's reply until the cell times out
        # (jupyter/nbclient#312); the course's client polls in short slices.
        client = RobustNotebookClient(
            notebook, km=manager, timeout=timeout, resources={"metadata": {"path": str(workdir)}}
        )
        notebook.cells.insert(0, nbformat.v4.new_code_cell(SLIDE_SETUP))
        try:
            client.execute()
        finally:
            del notebook.cells[0]
    return notebook


def _widget_outputs(model_id: str, state: dict, seen=None) -> list:
    """Outputs shown inside a widget and its children (e.g. an explorer's figure)."""
    seen = set() if seen is None else seen
    if model_id in seen or model_id not in state:
        return []
    seen.add(model_id)
    model = state[model_id].get("state", {})
    outputs = [nbformat.from_dict(output) for output in model.get("outputs", [])]
    for child in model.get("children", []):
        if isinstance(child, str) and child.startswith("IPY_MODEL_"):
            outputs += _widget_outputs(child.removeprefix("IPY_MODEL_"), state, seen)
    return outputs


def static_widgets(notebook):
    """Replace each widget by the outputs it displayed when the notebook ran.

    A slide has no kernel to move a slider, so an explorer is shown as the
    figure it drew first; its text form (``VBox(...)``) is dropped.
    """
    state = notebook.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        outputs = []
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get(WIDGET_VIEW)
            if view is None:
                outputs.append(output)
                continue
            shown = _widget_outputs(view.get("model_id", ""), state)
            outputs.extend(o for o in shown if o.get("output_type") != "stream")
        cell.outputs = outputs
    notebook.metadata.pop("widgets", None)
    return notebook


def for_slides(notebook):
    """A copy of an executed notebook prepared for the slides."""
    notebook = static_widgets(copy.deepcopy(notebook))
    title = notebook.cells[0]
    if title.cell_type == "markdown":
        # The Colab badge is an image from the network and means nothing on a projector.
        title.source = BADGE.sub("", title.source).rstrip()
    return notebook


def exporter(offline: bool = True):
    """nbconvert's SlidesExporter configured for local assets."""
    from jinja2 import DictLoader
    from nbconvert import SlidesExporter
    from traitlets.config import Config

    config = Config()
    config.SlidesExporter.reveal_theme = "white"  # "simple" imports Google fonts
    config.SlidesExporter.reveal_scroll = True  # long outputs scroll instead of overflowing
    config.SlidesExporter.reveal_transition = "none"
    config.SlidesExporter.reveal_number = "c/t"
    # A 16:9 canvas wider and taller than nbconvert's 960 x 700, scaled to the
    # screen: a 100-character line of code fits, and more of a slide's figure.
    config.SlidesExporter.reveal_width = "1600"
    config.SlidesExporter.reveal_height = "900"
    if offline:
        config.SlidesExporter.reveal_url_prefix = REVEAL_DIR
        config.SlidesExporter.require_js_url = f"{VENDOR_DIR}/require.js"
        config.SlidesExporter.jquery_url = f"{VENDOR_DIR}/jquery.min.js"
        config.SlidesExporter.mathjax_url = MATHJAX_URL
    return SlidesExporter(
        config=config,
        extra_loaders=[DictLoader({TEMPLATE_NAME: TEMPLATE})],
        template_file=TEMPLATE_NAME,
    )


def build_deck(notebook_path: Path, out_dir: Path, *, solutions=False, force=False) -> dict:
    """Execute one lesson and write its deck; skip it if it is up to date.

    Returns a dict with the deck's path, whether it was rebuilt, and the
    seconds it took.
    """
    start = time.perf_counter()
    deck = out_dir / deck_name(notebook_path, solutions)
    stamp = out_dir / ".fingerprints" / f"{deck.name}.sha256"
    key = fingerprint(notebook_path)
    if not force and deck.exists() and stamp.exists() and stamp.read_text().strip() == key:
        return {"deck": deck, "rebuilt": False, "seconds": time.perf_counter() - start}
    notebook = nbformat.read(notebook_path, as_version=4)
    try:
        execute(notebook, notebook_path.parent)
    except Exception as error:  # CellExecutionError, DeadKernelError, timeouts
        raise SlideBuildError(f"{notebook_path.name}: execution failed:\n{error}") from error
    body, _ = exporter().from_notebook_node(for_slides(notebook))
    deck.write_text(body, encoding="utf-8")
    stamp.parent.mkdir(exist_ok=True)
    stamp.write_text(key + "\n")
    return {"deck": deck, "rebuilt": True, "seconds": time.perf_counter() - start}


def write_index(out_dir: Path) -> Path:
    """A page linking every deck in ``out_dir``."""
    items = []
    for deck in sorted(out_dir.glob("*.slides.html")):
        title = deck.name.removesuffix(".slides.html")
        items.append(f'<li><a href="{html.escape(deck.name)}">{html.escape(title)}</a></li>')
    page = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>First Neuron slides</title></head>\n<body>\n<h1>First Neuron: slides</h1>\n"
        "<p>Arrow keys move between slides; <kbd>s</kbd> opens the speaker notes.</p>\n"
        f"<ul>\n{chr(10).join(items)}\n</ul>\n</body></html>\n"
    )
    index = out_dir / "index.html"
    index.write_text(page, encoding="utf-8")
    return index


def build_all(notebooks, out_dir: Path = OUT_DIR, *, solutions=(), jobs=2, force=False, log=print):
    """Build the decks of ``notebooks`` (and of the solution notebooks in ``solutions``).

    Runs ``jobs`` lessons at a time (each in its own kernel). Returns the
    per-deck results of :func:`build_deck`; raises :class:`SlideBuildError`
    naming every lesson that failed.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    copy_assets(out_dir)
    tasks = [(path, False) for path in notebooks] + [(path, True) for path in solutions]
    results, failures = [], []
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = {
            pool.submit(build_deck, path, out_dir, solutions=is_solution, force=force): path
            for path, is_solution in tasks
        }
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
    write_index(out_dir)
    if failures:
        raise SlideBuildError("\n\n".join(failures))
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lessons", nargs="*", help="lesson names, e.g. 01_synapses (default: all)")
    parser.add_argument(
        "--solutions", action="store_true", help="also build the worked-solution decks"
    )
    parser.add_argument(
        "--out", type=Path, default=OUT_DIR, help="output folder (default: build/slides)"
    )
    parser.add_argument(
        "--jobs", type=int, default=2, help="lessons executed at a time (default: 2)"
    )
    parser.add_argument(
        "--force", action="store_true", help="re-execute even if a deck is up to date"
    )
    args = parser.parse_args(argv)
    try:
        notebooks = lesson_notebooks(args.lessons)
        solutions = lesson_notebooks(args.lessons, solutions=True) if args.solutions else []
        if not notebooks:
            raise SlideBuildError(
                f"no lessons in {STUDENT_DIR}: run python authoring/build.py first"
            )
        build_all(
            notebooks, args.out.resolve(), solutions=solutions, jobs=args.jobs, force=args.force
        )
    except SlideBuildError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"open {args.out / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

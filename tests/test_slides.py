"""The slide decks: built from every student lesson, executed, and offline.

``authoring/slides.py`` executes each student notebook and writes
``build/slides/NN_name.slides.html`` next to local copies of reveal.js,
MathJax, require.js and jQuery. These tests read the HTML; whether a
browser really shows the decks without network is tests/test_browser.py.
Decks are rebuilt only when a notebook or course_utils changed.
"""

from __future__ import annotations

import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "authoring"))

import slides  # noqa: E402

pytestmark = pytest.mark.slides

LESSONS = slides.lesson_notebooks()
NEEDS_ASSETS = pytest.mark.skipif(
    not (slides.NODE_MODULES / "reveal.js").exists(),
    reason="authoring/node_modules is missing: run `cd authoring && npm ci` "
    "(or bash authoring/install_browser_deps.sh)",
)


@pytest.fixture(scope="module")
def decks():
    """Deck path of every student lesson (built, or reused if up to date)."""
    results = slides.build_all(LESSONS, slides.OUT_DIR, log=lambda _message: None)
    return {result["deck"].name: result["deck"] for result in results}


def deck_of(decks, notebook: Path) -> Path:
    return decks[slides.deck_name(notebook)]


def slide_types(notebook: Path) -> list[str]:
    cells = nbformat.read(notebook, as_version=4).cells
    return [cell.metadata.get("slideshow", {}).get("slide_type", "-") for cell in cells]


class Resources(HTMLParser):
    """Every URL the page loads (not links it merely points to)."""

    LOADING = {
        "script": "src",
        "img": "src",
        "iframe": "src",
        "source": "src",
        "audio": "src",
        "video": "src",
        "embed": "src",
        "link": "href",
    }

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self._in = None
        self.inline: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        wanted = self.LOADING.get(tag)
        if wanted and attrs.get(wanted):
            self.urls.append(attrs[wanted])
        if tag in ("style", "script"):
            self._in = tag
        if attrs.get("style"):
            self.inline.append(attrs["style"])

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._in:
            self.inline.append(data)


def loaded_urls(html: str) -> list[str]:
    parser = Resources()
    parser.feed(html)
    urls = list(parser.urls)
    for text in parser.inline:
        urls += re.findall(r"url\(\s*['\"]?([^'\")]+)", text)  # CSS url(...) and @import url(...)
        urls += re.findall(r"@import\s+['\"]([^'\"]+)", text)
        urls += re.findall(r"\bimport\s[^;]*?from\s+['\"]([^'\"]+)", text)  # ES modules
        for group in re.findall(r"require\(\s*(?:\{.*?\}\s*,\s*)?\[([^\]]*)\]", text, re.S):
            urls += re.findall(r"['\"]([^'\"]+)['\"]", group)  # require.js module URLs
    return urls


@NEEDS_ASSETS
@pytest.mark.parametrize("notebook", LESSONS, ids=lambda path: path.stem)
def test_deck_loads_everything_from_its_folder(decks, notebook):
    deck = deck_of(decks, notebook)
    urls = loaded_urls(deck.read_text(encoding="utf-8"))
    assert any("reveal.js" in url for url in urls), "the deck does not load reveal.js at all"
    remote = [url for url in urls if re.match(r"^(https?:)?//", url)]
    assert not remote, f"{deck.name} loads from the network: {remote}"
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob") or url.startswith("#"):
            continue
        assert not parts.scheme, f"{deck.name}: unexpected URL {url}"
        target = deck.parent / unquote(parts.path)
        assert target.is_file(), f"{deck.name} needs {url}, which is not in {deck.parent}"


@NEEDS_ASSETS
@pytest.mark.parametrize("notebook", LESSONS, ids=lambda path: path.stem)
def test_deck_structure_follows_the_cell_metadata(decks, notebook):
    html = deck_of(decks, notebook).read_text(encoding="utf-8")
    types = slide_types(notebook)
    # nbconvert opens two <section>s per slide (the slide and its first
    # sub-slide) and one per sub-slide; notes become <aside class="notes">.
    assert html.count("<section") == 2 * types.count("slide") + types.count("subslide")
    assert html.count('<aside class="notes">') == types.count("notes")


@NEEDS_ASSETS
@pytest.mark.parametrize("notebook", LESSONS, ids=lambda path: path.stem)
def test_deck_leaves_out_setup_solutions_and_badge(decks, notebook):
    html = deck_of(decks, notebook).read_text(encoding="utf-8")
    assert "Setup: run this cell first" not in html
    assert "#@title Solution" not in html
    assert "colab-badge.svg" not in html


@NEEDS_ASSETS
@pytest.mark.parametrize("notebook", LESSONS, ids=lambda path: path.stem)
def test_deck_is_executed(decks, notebook):
    """Figures are in the deck, and explorers became their first figure."""
    source = "\n".join(
        cell.source
        for cell in nbformat.read(notebook, as_version=4).cells
        if cell.cell_type == "code"
        and cell.metadata.get("slideshow", {}).get("slide_type") != "skip"
    )
    html = deck_of(decks, notebook).read_text(encoding="utf-8")
    if re.search(r"new_figure\(|plt\.|_explorer\(", source):
        assert "data:image/png;base64," in html, f"{notebook.name} draws figures, the deck has none"
    assert "application/vnd.jupyter.widget-view+json" not in html


@NEEDS_ASSETS
def test_index_lists_every_deck(decks):
    index = (slides.OUT_DIR / "index.html").read_text(encoding="utf-8")
    for name in decks:
        assert f'href="{name}"' in index


def test_static_widgets_keeps_the_figure_an_explorer_showed():
    """An explorer (VBox of sliders and an Output) becomes the image in its Output."""
    png = "iVBORw0KGgo="
    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                "explorer()",
                outputs=[
                    nbformat.v4.new_output(
                        "display_data",
                        data={
                            "text/plain": "VBox(children=(HBox(...), Output()))",
                            slides.WIDGET_VIEW: {"model_id": "box", "version_major": 2},
                        },
                    )
                ],
            )
        ]
    )
    notebook.metadata["widgets"] = {
        slides.WIDGET_STATE: {
            "version_major": 2,
            "state": {
                "box": {"state": {"children": ["IPY_MODEL_sliders", "IPY_MODEL_out"]}},
                "sliders": {"state": {"children": ["IPY_MODEL_box"]}},  # a cycle is harmless
                "out": {
                    "state": {
                        "outputs": [
                            {
                                "output_type": "display_data",
                                "data": {"image/png": png},
                                "metadata": {},
                            },
                            {"output_type": "stream", "name": "stdout", "text": "redrawn\n"},
                        ]
                    }
                },
            },
        }
    }
    result = slides.static_widgets(notebook)
    outputs = result.cells[0].outputs
    assert [output["data"] for output in outputs] == [{"image/png": png}]
    assert "widgets" not in result.metadata


def test_named_lessons_must_exist():
    with pytest.raises(slides.SlideBuildError, match="no lesson"):
        slides.lesson_notebooks(["99_no_such_lesson"])

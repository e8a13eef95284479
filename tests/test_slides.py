"""The slide decks: designed from the lesson sources, executed, and offline.

``authoring/slides.py`` executes each student notebook and writes
``build/slides/NN_name.slides.html`` next to local copies of reveal.js and
MathJax. The slide layer (``authoring/slides_layer.py``) is tested here on
small made-up lessons, each test naming what an instructor must (not) see;
the built decks are read as HTML. Whether every slide fits the screen and is
readable is measured in a browser by tests/test_browser.py.
"""

from __future__ import annotations

import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

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
    results = slides.build_all(LESSONS, slides.OUT_DIR, pdf=False, log=lambda _message: None)
    return {result["deck"].name: result["deck"] for result in results}


def deck_of(decks, notebook: Path) -> Path:
    return decks[slides.deck_name(notebook)]


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
def test_deck_shows_no_notebook_machinery(decks, notebook):
    """No prompts, setup, hidden-solution titles, badges, check feedback or log lines."""
    html = deck_of(decks, notebook).read_text(encoding="utf-8")
    for machinery in (
        "In&nbsp;[", "In [", "Out[", "Setup: run this cell first", "#@title", "colab-badge.svg",
        "not attempted yet", "INFO ", "jp-InputPrompt", "application/vnd.jupyter.widget-view",
    ):
        assert machinery not in html, f"{notebook.stem}: the deck shows {machinery!r}"


@NEEDS_ASSETS
@pytest.mark.parametrize("notebook", LESSONS, ids=lambda path: path.stem)
def test_deck_has_title_agenda_sections_and_figures(decks, notebook):
    html = deck_of(decks, notebook).read_text(encoding="utf-8")
    sections = re.findall(r'<section class="([^"]*)"', html)
    assert sections[0].startswith("fn-slide-title")
    assert any(kind.startswith("fn-slide-agenda") for kind in sections)
    headings = [
        line
        for cell in slides.student_notebook(notebook).cells
        if cell.cell_type == "markdown"
        for line in cell.source.splitlines()
        if line.startswith("## ")
    ]
    dividers = [kind for kind in sections if kind.startswith("fn-slide-divider")]
    assert len(dividers) == len(headings), "one divider per ## section"
    source = "\n".join(c.source for c in slides.student_notebook(notebook).cells)
    if re.search(r"new_figure\(|plt\.", source):
        assert "data:image/png;base64," in html, f"{notebook.name} draws figures, the deck has none"
    for figure_slide in re.findall(r'<section class="fn-slide-figure[^"]*">(.*?)</section>', html):
        assert figure_slide.count("<img") == 1, "a figure slide holds exactly one figure"


@NEEDS_ASSETS
def test_index_lists_every_deck(decks):
    index = (slides.OUT_DIR / "index.html").read_text(encoding="utf-8")
    for name in decks:
        assert f'href="{name}"' in index


def test_named_lessons_must_exist():
    with pytest.raises(slides.SlideBuildError, match="no lesson"):
        slides.lesson_notebooks(["99_no_such_lesson"])


# --- the slide layer on small made-up lessons ------------------------------------------

layer = slides.layer
PNG = "iVBORw0KGgo="


def cell(kind, source, tags=(), outputs=(), **metadata):
    return layer.LessonCell(kind, source, set(tags), dict(metadata), list(outputs))


def stream(text, name="stdout"):
    return {"output_type": "stream", "name": name, "text": text}


def figure_output(width=1184, height=560):
    return {
        "output_type": "display_data",
        "data": {"image/png": PNG, "text/plain": "<Figure>"},
        "metadata": {"image/png": {"width": width, "height": height, "min_font_px": 25.0}},
    }


TITLE = """# Lesson 9: Test

Why this lesson matters.

**You will be able to**

- explain a thing;
- compute another.

**Time:** about 1 hour."""


def design(cells, title=TITLE):
    builder = layer.DeckBuilder(slides.markdown_html, slides.code_html)
    builder.title_cell(title)
    for one in cells:
        builder.cell(one)
    return builder.finish(), builder.problems


def kinds(deck):
    return [slide.kind for slide in deck]


def text_of(slide):
    return " ".join(str(part) for part in slide.body)


def test_title_objectives_and_agenda_come_from_the_title_cell():
    deck, _ = design([cell("markdown", "## 1. First\n\nText."), cell("markdown", "## 2. Second")])
    assert kinds(deck)[:4] == ["title", "content", "content", "agenda"]
    assert "about 1 hour" in text_of(deck[0])
    assert deck[2].title == "You will be able to" and "compute another" in text_of(deck[2])
    agenda = text_of(deck[3])
    assert "1. First" in agenda and "2. Second" in agenda


def test_headings_inside_a_cell_start_slides():
    text = "## Section\n\nIntro.\n\n### Sub\n\nMore.\n\n### Other\n\nEnd."
    deck, _ = design([cell("markdown", text)])
    titles = [slide.title for slide in deck[4:]]
    assert titles == ["Section", "Section", "Sub", "Other"]
    assert kinds(deck)[4:] == ["divider", "content", "content", "content"]


def test_notes_belong_to_their_section_and_missing_ones_are_named():
    deck, problems = design([
        cell("markdown", "## With notes\n\nText."),
        cell("markdown", "(5 min) Say this.", tags=["notes"]),
        cell("markdown", "## Without notes"),
        cell("markdown", "## Longer notes"),
        cell("markdown", "(12 min, plus 8 optional) Say that.", tags=["notes"]),
    ])
    with_notes = next(s for s in deck if s.title == "With notes" and s.kind == "divider")
    assert with_notes.notes == ["(5 min) Say this."] and with_notes.minutes == 5
    assert any("'Without notes'" in problem for problem in problems)
    assert not any("'With notes'" in problem for problem in problems)
    longer = next(s for s in deck if s.title == "Longer notes")
    assert longer.minutes == 12 and not any("'Longer notes'" in p for p in problems)


def test_exercise_shows_the_task_and_time_box_then_the_solution():
    deck, problems = design([
        cell("markdown", "## Sec\n\n### Exercise 1: area\n\nWrite `area(r)`."),
        cell("code", "def area(r):\n    ...", tags=["exercise"], minutes=5),
        cell("code", "check_area(area)", tags=["check"],
             outputs=[stream("area: not attempted yet\n")]),
        cell("code", "#@title Solution\ndef area(r):\n    return 3.14 * r**2",
             tags=["solution"]),
        cell("markdown", "After the exercise."),
    ])
    exercise = next(s for s in deck if s.kind == "exercise")
    assert exercise.minutes == 5 and "Write" in text_of(exercise)
    html = " ".join(text_of(s) for s in deck)
    assert "not attempted" not in html and "..." not in html and "#@title" not in html
    after = deck[deck.index(exercise) + 1]
    assert after.kind == "solution" and "3.14" in text_of(after)
    assert after.title == "Solution: Exercise 1: area"
    assert deck[deck.index(after) + 1].kind == "content", "prose after it is not the exercise"
    assert not any("no minutes" in problem for problem in problems)


def test_notes_after_a_heading_at_the_end_of_a_cell_belong_to_that_section():
    deck, problems = design([
        cell("markdown", "## One\n\nText.\n\n## Two"),
        cell("markdown", "(3 min) About two.", tags=["notes"]),
        cell("markdown", "Body of two."),
    ])
    two = next(s for s in deck if s.title == "Two" and s.kind == "divider")
    assert two.notes == ["(3 min) About two."]
    assert any("'One'" in p for p in problems) and not any("'Two'" in p for p in problems)


def test_exercise_without_minutes_is_reported():
    _, problems = design([
        cell("markdown", "## Sec\n\n### Exercise 2\n\nDo it."),
        cell("code", "x = ...", tags=["exercise"]),
    ])
    assert any("'Exercise 2'" in p and "minutes" in p for p in problems)


def test_predict_reveals_the_next_output_as_a_fragment():
    deck, _ = design([
        cell("markdown", "## Sec"),
        cell("markdown", "What will the voltage do?", tags=["predict"]),
        cell("code", "my_guess = None  # your guess"),
        cell("code", "simulate()", outputs=[figure_output()]),
    ])
    predict = next(s for s in deck if s.kind == "predict")
    assert "What will the voltage do?" in text_of(predict)
    assert predict.body[1]["png"] == PNG
    assert "figure" not in kinds(deck), "the answer is revealed on the question's slide"
    assert "code" not in kinds(deck), "the guess cell is the students' business"
    html = slides.slide_html(predict)
    assert 'class="fragment' in html and html.index("voltage do") < html.index("<img")


def test_explorer_is_shown_as_states_side_by_side():
    states = {"control": "g", "panels": [
        {"label": "g (nS): 5", "png": PNG, "width": 584, "height": 460, "min_font_px": 25},
        {"label": "g (nS): 20", "png": PNG, "width": 584, "height": 460, "min_font_px": 25},
    ]}
    deck, _ = design([
        cell("markdown", "## Explore"),
        cell("code", "passive_explorer()", tags=["explorer"], outputs=[
            {"output_type": "display_data", "data": {layer.STATES_MIME: states}, "metadata": {}}
        ]),
    ])
    explorer = next(s for s in deck if s.kind == "explorer")
    html = slides.slide_html(explorer)
    assert html.count("<img") == 2 and "g (nS): 5" in html and "g (nS): 20" in html
    assert "slider" not in html.lower().replace("sliders themselves", "")


def test_figures_get_their_own_slides_and_logs_are_dropped():
    deck, _ = design([
        cell("markdown", "## Sec"),
        cell("code", "run()", outputs=[
            stream("INFO       No numerical integration method specified\n", "stderr"),
            stream("INFO  brian2.codegen: using numpy\nrate = 12.0 Hz\n"),
            figure_output(), figure_output(),
        ]),
    ])
    assert kinds(deck).count("figure") == 2
    shown = " ".join(text_of(s) + " ".join(s.notes) for s in deck)
    assert "INFO" not in shown and "rate = 12.0 Hz" in shown


def test_long_code_goes_to_the_notebook_not_the_slide():
    long_code = "\n".join(f"x{i} = {i}" for i in range(40))
    deck, _ = design([cell("markdown", "## Sec"), cell("code", long_code)])
    assert "x39" not in " ".join(text_of(s) for s in deck)


def test_long_prose_is_split_into_slides_that_fit():
    paragraph = " ".join(f"Sentence number {i} says something about membranes." for i in range(60))
    deck, _ = design([cell("markdown", f"## Sec\n\n{paragraph}")])
    prose = [s for s in deck if s.kind == "content" and s.title == "Sec"]
    assert len(prose) > 2
    assert all(s.height <= layer.BUDGET_PX for s in prose)
    assert "number 59" in text_of(prose[-1])


def test_numbered_headings_stay_headings():
    html = slides.slide_html(layer.Slide("divider", "2. From geometry to $C$"))
    assert "<ol" not in html and "2. From geometry" in html


def test_comments_for_tools_are_not_shown():
    deck, _ = design([
        cell("markdown", "## Sec"),
        cell("code", "# NBVAL_IGNORE_OUTPUT\nfit = run()  # the fit", outputs=[stream("done\n")]),
    ])
    shown = " ".join(text_of(s) for s in deck)
    assert "NBVAL" not in shown and "the fit" in shown

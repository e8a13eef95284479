"""The course website (``make site``), built and read as a person reads it.

The site is built by ``authoring/website.py`` (Sphinx + myst-nb; the lessons
executed once, cached in build/site until a lesson or course_utils changes),
served on a localhost port, and opened in Debian's Chromium through
playwright-core (tests/browser/site.cjs) with every request that is not for
that port aborted and recorded: one such request fails the tests.

Checked: every page loads without console errors or failed requests; every
lesson page (student and worked) shows each of its figures; explorers show
their static frame and a note; a hidden solution and a "think" answer open
on click; the search finds "rheobase" and links to pages that hold it;
every internal link and anchor resolves; Sphinx resolved every reference
(``../glossary.md#term`` included). Screenshots go to test-artifacts/site/.

The unit tests at the top need no build and no browser.
"""

from __future__ import annotations

import functools
import html.parser
import http.server
import json
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "authoring"))

import website  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
NODE = shutil.which("node")
NODE_MODULES = ROOT / "authoring" / "node_modules"
SCREENSHOTS = ROOT / "test-artifacts" / "site"
INSTALL = "run `bash authoring/install_browser_deps.sh` (Chromium; npm ci in authoring/)"
LESSONS = website.lesson_names()
SEARCH_TERM = "rheobase"
# The lesson that introduces the rheobase (its objectives say so): the search must find it.
RHEOBASE_LESSON = "notebooks/03_lif.html"

_missing = [
    what
    for what, present in [
        ("chromium", Path(CHROMIUM).exists()),
        ("node", NODE is not None),
        ("authoring/node_modules/playwright-core", (NODE_MODULES / "playwright-core").exists()),
        ("authoring/node_modules/mathjax", (NODE_MODULES / "mathjax").exists()),
    ]
    if not present
]


# --- unit tests: the conversions, on notebooks written here -------------------


def cell(kind: str, source: str, cell_id: str, **metadata):
    new = nbformat.v4.new_markdown_cell if kind == "markdown" else nbformat.v4.new_code_cell
    made = new(source)
    made["id"] = cell_id
    made.metadata.update(metadata)
    return made


def test_answers_are_placed_after_the_cells_that_precede_them_in_the_source():
    cells = [
        cell("markdown", "# Title", "07_x-title"),
        cell("code", "setup", "07_x-setup"),
        cell("markdown", "question one", "07_x-002"),
        cell("markdown", "more", "07_x-005"),
        cell("markdown", "question two", "07_x-006"),
    ]
    # Source cells 3 and 4 were answers (the student notebook left them out); 7 too.
    result = website.insert_answers(cells, {3: "first answer", 4: "second", 7: "last"})
    sources = [c.source for c in result]
    assert sources[:3] == ["# Title", "setup", "question one"]
    assert "first answer" in sources[3] and "second" in sources[4]
    assert sources[5:7] == ["more", "question two"]
    assert "last" in sources[7]
    assert all("{admonition} Answer" in sources[i] for i in (3, 4, 7))


def test_fold_survives_a_colon_fence_inside_the_answer():
    inner = ":::{note}\nnested\n:::"
    folded = website.fold(inner)
    fence = folded.splitlines()[0].split("{")[0]
    assert len(fence) > 3, "the outer fence must be longer than the inner one"
    assert folded.rstrip().endswith(fence) and ":class: dropdown" in folded


def test_plotly_figures_are_drawn_from_their_json_by_the_local_plotly_js():
    figure = {"data": [{"type": "scatter", "x": [0, 1], "y": [2, 3]}], "layout": {"title": "V"}}
    notebook = nbformat.v4.new_notebook(cells=[cell("code", "fig.show()", "07_x-001")])
    notebook.cells[0].outputs = [
        nbformat.v4.new_output(
            "display_data",
            {
                website.PLOTLY_MIME: figure,
                "text/html": '<script src="https://cdn.plot.ly/plotly-2.35.2.min.js"></script>',
            },
        )
    ]
    assert website.interactive_plotly(notebook)
    data = notebook.cells[0].outputs[0]["data"]
    assert list(data) == ["text/html"], "the CDN version of the figure must be gone"
    assert "cdn.plot.ly" not in data["text/html"] and "http" not in data["text/html"]
    assert 'class="plotly-graph-div"' in data["text/html"]
    assert "Plotly.newPlot" in data["text/html"] and '"x": [0, 1]' in data["text/html"]


def test_the_course_own_plotly_output_is_kept_with_its_caption():
    page = (
        '<div id="course-plotly-1" class="plotly-graph-div"></div><script>(function () {'
        ' Plotly.newPlot("course-plotly-1", [], {}); })();</script>'
        '<p class="course-caption">Figure: a sweep.</p>'
    )
    notebook = nbformat.v4.new_notebook(cells=[cell("code", "show(fig)", "07_x-001")])
    notebook.cells[0].outputs = [
        nbformat.v4.new_output(
            "display_data",
            {website.PLOTLY_MIME: {"data": []}, "text/html": page, "text/plain": "[fig]"},
        )
    ]
    assert website.interactive_plotly(notebook)
    assert notebook.cells[0].outputs[0]["data"] == {"text/html": page}


def test_a_notebook_without_plotly_is_left_alone():
    notebook = nbformat.v4.new_notebook(cells=[cell("code", "1 + 1", "07_x-001")])
    notebook.cells[0].outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "2"})]
    assert not website.interactive_plotly(notebook)
    assert notebook.cells[0].outputs[0]["data"] == {"text/plain": "2"}


def test_an_explorer_becomes_its_first_figure_and_a_note():
    state = {
        "box": {"state": {"children": ["IPY_MODEL_out"]}},
        "out": {
            "state": {
                "outputs": [
                    {
                        "output_type": "display_data",
                        "data": {"image/png": "iVBORw0KGgo="},
                        "metadata": {},
                    }
                ]
            }
        },
    }
    notebook = nbformat.v4.new_notebook(cells=[cell("code", "explore()", "07_x-001")])
    notebook.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": state}}
    notebook.cells[0].outputs = [
        nbformat.v4.new_output(
            "display_data",
            {
                "application/vnd.jupyter.widget-view+json": {"model_id": "box"},
                "text/plain": "VBox()",
            },
        )
    ]
    result = website.static_explorers(notebook, "https://colab.example/lesson.ipynb")
    outputs = result.cells[0].outputs
    assert [list(o["data"]) for o in outputs] == [["image/png"], ["text/html"]]
    assert "explorer-note" in outputs[1]["data"]["text/html"]
    assert "https://colab.example/lesson.ipynb" in outputs[1]["data"]["text/html"]
    assert "widgets" not in result.metadata


def test_a_progress_bar_becomes_its_text_without_a_note():
    state = {
        "bar": {
            "state": {
                "_model_name": "HBoxModel",
                "children": ["IPY_MODEL_d", "IPY_MODEL_p", "IPY_MODEL_t"],
            }
        },
        "d": {"state": {"_model_name": "HTMLModel", "value": "fit LIF"}},
        "p": {"state": {"_model_name": "FloatProgressModel", "value": 17}},
        "t": {"state": {"_model_name": "HTMLModel", "value": " 17/17 [00:01&lt;00:00]"}},
    }
    notebook = nbformat.v4.new_notebook(cells=[cell("code", "fit()", "07_x-001")])
    notebook.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": state}}
    notebook.cells[0].outputs = [
        nbformat.v4.new_output(
            "display_data", {"application/vnd.jupyter.widget-view+json": {"model_id": "bar"}}
        )
    ]
    outputs = website.static_explorers(notebook, "https://colab.example/x.ipynb").cells[0].outputs
    assert [o["data"] for o in outputs] == [{"text/plain": "fit LIF 17/17 [00:01<00:00]"}]


def test_links_in_a_lesson_title_are_rebased_for_the_home_page():
    text = (
        "[Lesson 2](02_first_neuron.ipynb), the [rheobase](../glossary.md#rheobase), "
        "[Brian2](https://briansimulator.org) and [below](#setup)"
    )
    assert website.rebase_links(text) == (
        "[Lesson 2](notebooks/02_first_neuron.ipynb), the [rheobase](glossary.md#rheobase), "
        "[Brian2](https://briansimulator.org) and [below](#setup)"
    )


@pytest.mark.parametrize(
    "title, time, prereq",
    [
        (
            "# Lesson 7: Dendrites\n\nSome text.\n\n**Time:** about 90 minutes. "
            "**Prerequisites:** Lessons 2\nand 3.\n\n[![Open In Colab](x.svg)](y)",
            "about 90 minutes.",
            "Lessons 2 and 3.",
        ),
        (
            "# Lesson 7: Dendrites\n\n**Time.** Core path about 90 minutes (sections 1-7),\n"
            "plus the *optional* parts. The estimates assume you type. **Prerequisites:**\n"
            "Lesson 3; Python classes.\n\nA new paragraph.",
            "Core path about 90 minutes (sections 1-7), plus the *optional* parts.",
            "Lesson 3; Python classes.",
        ),
    ],
)
def test_lesson_facts_read_time_and_prerequisites(tmp_path, monkeypatch, title, time, prereq):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    nbformat.write(
        nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(title)]),
        notebooks / "07_dendrites.ipynb",
    )
    monkeypatch.setattr(website, "ROOT", tmp_path)
    facts = website.lesson_facts("07_dendrites")
    assert facts == {
        "name": "07_dendrites",
        "title": "Lesson 7: Dendrites",
        "time": time,
        "prereq": prereq,
    }


@pytest.mark.site
def test_lesson_links_to_the_glossary_resolve_with_the_site_configuration(tmp_path):
    """``[rheobase](../glossary.md#rheobase)`` in a lesson becomes a working link.

    A two-page project with the site's own conf.py: a glossary written here
    and a notebook in notebooks/ that links to one of its terms.
    """
    source = tmp_path / "src"
    (source / "notebooks").mkdir(parents=True)
    shutil.copy2(website.SITE_DIR / "conf.py", source / "conf.py")
    shutil.copytree(website.SITE_DIR / "_static", source / "_static")
    (source / "index.md").write_text("# Home\n\n```{toctree}\nnotebooks/99_test\nglossary\n```\n")
    (source / "glossary.md").write_text(
        "# Glossary\n\n### membrane potential\nThe voltage.\n\n### rheobase\nThe least current.\n"
    )
    lesson = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell(
                "# Lesson 99\n\nAbove the [rheobase](../glossary.md#rheobase) and the "
                "[membrane potential](../glossary.md#membrane-potential)."
            )
        ]
    )
    nbformat.write(lesson, source / "notebooks" / "99_test.ipynb")
    out = tmp_path / "html"
    completed = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", str(source), str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stderr.strip() == "", f"Sphinx warned: {completed.stderr}"
    page = parse(out / "notebooks" / "99_test.html")
    assert "../glossary.html#rheobase" in page.links
    assert "../glossary.html#membrane-potential" in page.links
    assert {"rheobase", "membrane-potential"} <= parse(out / "glossary.html").ids


# --- the built site -------------------------------------------------------------


@pytest.fixture(scope="module")
def site():
    """Build the site (or reuse the build if nothing changed); its html folder."""
    if _missing:
        pytest.skip(f"missing {', '.join(_missing)}: {INSTALL}")
    website.build_site(log=lambda _message: None)
    return website.HTML


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def base_url(site):
    """The site served on a free localhost port, as GitHub Pages would serve it."""
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def site_pages(html_dir: Path) -> list[str]:
    """Every page Sphinx wrote (not its static files, sources or the copied slide decks)."""
    skip = ("_static", "_sources", "_downloads", "_images", "slides")
    return sorted(
        str(path.relative_to(html_dir))
        for path in html_dir.rglob("*.html")
        if path.relative_to(html_dir).parts[0] not in skip
    )


@pytest.fixture(scope="module")
def report(site, base_url, tmp_path_factory):
    """Open every page in Chromium with the network closed; what it saw."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    first = LESSONS[0] if LESSONS else None
    fold_page = next(
        (f"notebooks/{n}.html" for n in LESSONS if "03_lif" in n), f"notebooks/{first}.html"
    )
    job = {
        "executablePath": CHROMIUM,
        "screenshotDir": str(SCREENSHOTS),
        "base": base_url,
        "pages": site_pages(site),
        "fold": {"page": fold_page},
        "search": {"term": SEARCH_TERM},
        "screenshots": [
            ["home", "index.html", None],
            ["lesson-top", fold_page, None],
            ["lesson-figure", fold_page, ".cell_output img"],
            ["explorer", fold_page, ".explorer-note"],
            ["instructor", "instructor.html", None],
        ],
    }
    job_file = tmp_path_factory.mktemp("site") / "job.json"
    job_file.write_text(json.dumps(job))
    completed = subprocess.run(
        [NODE, str(ROOT / "tests" / "browser" / "site.cjs"), str(job_file)],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert completed.returncode == 0, f"site.cjs failed:\n{completed.stderr[-3000:]}"
    result = json.loads(completed.stdout)
    result["by_path"] = {page["path"]: page for page in result["pages"]}
    return result


@pytest.mark.site
def test_every_page_loads_offline_without_errors(report, capsys):
    with capsys.disabled():
        print(f"\nsite screenshots: {SCREENSHOTS}")
    assert report["blocked"] == [], f"pages asked the network for: {report['blocked']}"
    problems = {
        page["path"]: page["errors"]
        + page["bad"]
        + ([page["status"]] if page["status"] != 200 else [])
        for page in report["pages"]
        if page["errors"] or page["bad"] or page["status"] != 200
    }
    assert problems == {}
    lesson_figures = [
        image
        for page in report["pages"]
        if page["path"].startswith("notebooks/")
        for image in page["images"]
        if image["output"]
    ]
    assert len(lesson_figures) > len(LESSONS), "the lesson pages show (almost) no figures"
    for page in report["pages"]:
        assert page["math"]["errors"] == 0, f"{page['path']}: MathJax error"
        assert page["widgetViews"] == 0, f"{page['path']}: a live widget view is left"
        assert page["plotly"] == page["plotlyDrawn"], f"{page['path']}: a plotly figure not drawn"


def image_outputs(notebook_path: Path) -> int:
    """Figures a page should show: the images among the outputs of the notebook Sphinx read.

    myst-nb shows an output's HTML when it has one (course figures are an
    ``<img>`` with its alt text inside HTML), otherwise its image.
    """
    notebook = nbformat.read(notebook_path, as_version=4)
    count = 0
    for c in notebook.cells:
        if c.cell_type != "code" or "remove-cell" in c.metadata.get("tags", []):
            continue
        for output in c.get("outputs", []):
            data = output.get("data", {})
            if "text/html" in data:
                count += len(re.findall(r"<img\b", "".join(data["text/html"])))
            elif {"image/png", "image/jpeg", "image/svg+xml"} & set(data):
                count += 1
    return count


def explorer_cells(notebook_path: Path) -> int:
    """Cells that open an explorer (course_utils.widgets names them ``*_explorer``)."""
    notebook = nbformat.read(notebook_path, as_version=4)
    return sum(
        1
        for c in notebook.cells
        if c.cell_type == "code" and re.search(r"\b\w+_explorer\(", c.source)
    )


@pytest.mark.site
@pytest.mark.parametrize("folder", website.FOLDERS)
@pytest.mark.parametrize("lesson", LESSONS)
def test_lesson_page_shows_its_figures_and_math(report, lesson, folder):
    if not (ROOT / folder / f"{lesson}.ipynb").exists():
        pytest.skip(f"no {folder}/{lesson}.ipynb")
    page = report["by_path"][f"{folder}/{lesson}.html"]
    figures = [image for image in page["images"] if image["output"]]
    expected = image_outputs(website.SRC / folder / f"{lesson}.ipynb")
    assert len(figures) == expected
    broken = [
        image["src"] for image in figures if not image["complete"] or image["naturalWidth"] == 0
    ]
    assert broken == [], f"figures that did not load: {broken}"
    markdown = "".join(
        c.source
        for c in nbformat.read(ROOT / folder / f"{lesson}.ipynb", as_version=4).cells
        if c.cell_type == "markdown"
    )
    if "$" in markdown:
        assert page["math"]["loaded"] and page["math"]["typeset"] > 0, "no formula typeset"
    explorers = explorer_cells(ROOT / folder / f"{lesson}.ipynb")
    assert page["explorerNotes"] == explorers
    assert page["explorerFrames"] == explorers, "an explorer shows no figure"


@pytest.mark.site
def test_student_pages_fold_solutions_and_answers(report):
    for lesson in LESSONS:
        source = nbformat.read(ROOT / "notebooks" / f"{lesson}.ipynb", as_version=4)
        hidden = sum(
            1
            for c in source.cells
            if c.metadata.get("jupyter", {}).get("source_hidden")
            and "setup" not in c.metadata.get("tags", [])
        )
        page = report["by_path"][f"notebooks/{lesson}.html"]
        assert page["codeFolds"] == hidden, f"{lesson}: hidden solution cells and folds differ"
        assert page["answerFolds"] == len(website.answer_cells(lesson)), f"{lesson}: answers"


@pytest.mark.site
def test_a_fold_opens_on_click(report):
    fold = report["fold"]
    assert fold["errors"] == []
    assert "solution" in fold["label"].lower(), f"the fold is labelled {fold['label']!r}"
    assert fold["codeBefore"] == {"open": False, "visible": False}, "solution shown before a click"
    assert fold["codeAfter"]["open"] and fold["codeAfter"]["visible"]
    assert fold["codeAfter"]["text"].strip(), "the opened fold is empty"
    assert fold["answerBefore"] == {"visible": False}, "answer shown before a click"
    assert fold["answerAfter"]["visible"] and fold["answerAfter"]["text"].strip()


def page_text(path: Path) -> str:
    class Text(html.parser.HTMLParser):
        def __init__(self):
            super().__init__()
            self.parts, self.skip = [], 0

        def handle_starttag(self, tag, attrs):
            self.skip += tag in ("script", "style")

        def handle_endtag(self, tag):
            self.skip -= tag in ("script", "style") and self.skip > 0

        def handle_data(self, data):
            if not self.skip:
                self.parts.append(data)

    parser = Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return " ".join(parser.parts).lower()


@pytest.mark.site
def test_search_finds_rheobase_and_links_to_pages_holding_it(report, site, base_url):
    search = report["search"]
    assert search["errors"] == []
    assert "search.html?q=rheobase" in search["url"]
    found = [urlsplit(result["href"]).path.lstrip("/") for result in search["results"]]
    assert RHEOBASE_LESSON in found, f"lesson 3 not among the results: {found}"
    if (site / "glossary.html").exists() and "rheobase" in page_text(site / "glossary.html"):
        assert "glossary.html" in found
    for path in found:
        assert SEARCH_TERM in page_text(site / path), f"{path} does not contain {SEARCH_TERM!r}"
    landed = search["landed"]
    assert landed["url"].startswith(base_url) and landed["containsTerm"]


class Links(html.parser.HTMLParser):
    """The links and the element ids of one page."""

    def __init__(self):
        super().__init__()
        self.links, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        for key in ("href", "src"):
            if attrs.get(key) and not (tag == "link" and attrs.get("rel") == "preconnect"):
                self.links.append(attrs[key])


def parse(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.mark.site
def test_every_internal_link_resolves(site):
    parsed = {path: parse(path) for path in (site / p for p in site_pages(site))}
    broken = []
    for path, page in parsed.items():
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith(("//", "mailto:", "javascript:")):
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{path.relative_to(site)}: {link}")
                continue
            if parts.fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else parse(target).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{path.relative_to(site)}: {link} (no such anchor)")
    assert broken == []


class Loads(html.parser.HTMLParser):
    """What a page loads (scripts, images, styles, frames), as opposed to what it links to."""

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("src"):
            self.urls.append((tag, attrs["src"]))
        if tag == "link" and attrs.get("href"):
            self.urls.append((tag, attrs["href"]))


@pytest.mark.site
def test_pages_load_nothing_from_elsewhere(site):
    """Only links (Colab, GitHub, references) leave the site: no script, style or image."""
    remote = []
    for relative in site_pages(site):
        loads = Loads()
        loads.feed((site / relative).read_text(encoding="utf-8"))
        remote += [
            f"{relative}: <{tag}> {url}"
            for tag, url in loads.urls
            if re.match(r"(https?:)?//", url.strip(), re.I)
        ]
    assert remote == []


@pytest.mark.site
def test_sphinx_resolved_every_reference(site):
    """Lesson links such as ../glossary.md#rheobase and links between lessons resolve."""
    warnings = (website.OUT / "sphinx-warnings.txt").read_text()
    unresolved = [
        line
        for line in warnings.splitlines()
        if "not found" in line or "unknown document" in line or "xref" in line
    ]
    assert unresolved == []


@pytest.mark.site
def test_home_page_lists_every_lesson_with_time_and_links(site):
    home = parse(site / "index.html")
    text = page_text(site / "index.html")
    for lesson in LESSONS:
        facts = website.lesson_facts(lesson)
        assert f"notebooks/{lesson}.html" in home.links
        assert facts["title"].lower() in text
        assert facts["time"] != "-", f"{lesson}: no **Time:** in its title cell"
        colab = website.notebook_build.colab_url(
            website.notebook_build.load_config(), "notebooks", lesson
        )
        assert colab in home.links
        lesson_page = parse(site / "notebooks" / f"{lesson}.html")
        assert colab in lesson_page.links, f"{lesson}: no Colab link"
        downloads = [
            link
            for link in lesson_page.links
            if link.endswith(f"{lesson}.ipynb") and "_downloads" in link
        ]
        assert downloads, f"{lesson}: no download link"
        assert (site / "notebooks" / downloads[0]).resolve().read_bytes() == (
            ROOT / "notebooks" / f"{lesson}.ipynb"
        ).read_bytes(), "the download is not the student notebook"
    assert "units.html" in home.links and "instructor.html" in home.links
    assert "pa" in page_text(site / "units.html") and "gohm" in page_text(site / "units.html")


def test_widget_outputs_finds_the_figure_inside_an_explorer():
    """The site shows an explorer as the figure inside its Output widget."""
    state = {
        "box": {"state": {"children": ["IPY_MODEL_sliders", "IPY_MODEL_out"]}},
        "sliders": {"state": {"children": ["IPY_MODEL_box"]}},  # a cycle is harmless
        "out": {"state": {"outputs": [
            {"output_type": "display_data", "data": {"image/png": "iVBORw0KGgo="}, "metadata": {}}
        ]}},
    }
    outputs = website.widget_outputs("box", state)
    assert [output["data"] for output in outputs] == [{"image/png": "iVBORw0KGgo="}]

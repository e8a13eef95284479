"""The course in a real browser: slide decks offline, lessons in JupyterLab.

Debian's Chromium (/usr/bin/chromium) is driven by playwright-core from
authoring/node_modules (node scripts in tests/browser/); nothing is
downloaded while the tests run. Install both with
``bash authoring/install_browser_deps.sh``; without them these tests skip.

* Instructors: every deck in build/slides is opened from disk with the
  network closed (requests to anything but file:// are aborted and
  recorded) at 1280x720 and 1920x1080, and every slide is measured: nothing
  scrolls or lies outside the screen, every figure is fully visible when its
  slide opens, text, code and figure text are at least the stated sizes,
  formulas are typeset once; every section has speaker notes, every
  exercise a time box, and each deck's PDF one page per slide.
  Screenshots of a few slides per deck go to test-artifacts/slides/.
* Self-paced learners: JupyterLab is started on a free localhost port with
  a token, a student lesson is opened, Run > Run All Cells is clicked, the
  hidden solution cells must stay collapsed, and moving each explorer's
  slider must change its figure.

Screenshots go to test-artifacts/screenshots/ (the path is printed).
"""

from __future__ import annotations

import base64
import io
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "authoring"))

import slides  # noqa: E402

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
NODE = shutil.which("node")
PLAYWRIGHT = slides.NODE_MODULES / "playwright-core"
DRIVERS = ROOT / "tests" / "browser"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
INSTALL = (
    "run `bash authoring/install_browser_deps.sh` (apt-get install chromium; npm ci in authoring/)"
)

_missing = [
    what
    for what, present in [
        ("chromium", Path(CHROMIUM).exists()),
        ("node", NODE is not None),
        ("authoring/node_modules/playwright-core", PLAYWRIGHT.exists()),
        ("authoring/node_modules/reveal.js", (slides.NODE_MODULES / "reveal.js").exists()),
    ]
    if not present
]
if _missing:
    pytestmark = [pytestmark, pytest.mark.skip(reason=f"missing {', '.join(_missing)}: {INSTALL}")]

LESSONS = slides.lesson_notebooks()


def run_driver(script: str, job: dict, tmp_path: Path, timeout: float) -> dict:
    """Run a node driver from tests/browser with a JSON job; return its JSON result."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    job = {"executablePath": CHROMIUM, "screenshotDir": str(SCREENSHOTS), **job}
    job_file = tmp_path / f"{script}.json"
    job_file.write_text(json.dumps(job))
    completed = subprocess.run(
        [NODE, str(DRIVERS / script), str(job_file)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert completed.returncode == 0, f"{script} failed:\n{completed.stderr[-3000:]}"
    return json.loads(completed.stdout)


def show(capsys, message: str) -> None:
    """Print even when pytest captures output (screenshot paths)."""
    with capsys.disabled():
        print(f"\n{message}")


def is_not_blank(png: bytes, box=None) -> tuple[bool, str]:
    """Whether a picture (or a box of it) has real content: contrast and many shades."""
    from PIL import Image, ImageStat

    image = Image.open(io.BytesIO(png)).convert("L")
    if box is not None:
        image = image.crop(box)
    spread = ImageStat.Stat(image).stddev[0]
    low, high = image.getextrema()
    shades = len(image.getcolors(256) or [])
    # A blank or one-colour area has stddev ~0 and a handful of shades; a plot
    # with axes, ticks and labels has dark text on white and anti-aliasing.
    ok = spread > 5 and high - low > 100 and shades > 10
    return ok, f"stddev {spread:.1f}, range {low}-{high}, {shades} shades"


# --- instructors: the slide decks --------------------------------------------

# The sizes authoring/slides_layer.py states, as a fraction of the screen height
# (the deck's 1280 x 720 canvas fills any 16:9 screen): body text 32 px of 720
# (4.4 %), code 26 px (3.6 %); figure text at least 25 canvas px as shown.
VIEWPORTS = [(1280, 720), (1920, 1080)]
MIN_TEXT_FRACTION = slides.layer.BODY_PX / slides.layer.CANVAS[1]
MIN_CODE_FRACTION = slides.layer.CODE_PX / slides.layer.CANVAS[1]
MIN_FIGURE_TEXT_PX = slides.layer.FIGURE_TEXT_PX
SLIDE_SHOTS = ROOT / "test-artifacts" / "slides"


@pytest.fixture(scope="module")
def deck_reports(tmp_path_factory):
    """Build (or reuse) every deck and its PDF, then measure every slide in Chromium."""
    results = slides.build_all(LESSONS, slides.OUT_DIR, log=lambda _message: None)
    shutil.rmtree(SLIDE_SHOTS, ignore_errors=True)  # only this run's screenshots
    SLIDE_SHOTS.mkdir(parents=True)
    job = {
        "decks": [str(result["deck"]) for result in results],
        "screenshotDir": str(SLIDE_SHOTS),
        "viewports": VIEWPORTS,
        "minTextFraction": MIN_TEXT_FRACTION,
        "minCodeFraction": MIN_CODE_FRACTION,
        "minFigureTextPx": MIN_FIGURE_TEXT_PX,
    }
    report = run_driver("slides.cjs", job, tmp_path_factory.mktemp("slides"), timeout=900)
    return {Path(deck["path"]).name: deck for deck in report["decks"]}


def deck_report(deck_reports, notebook):
    name = slides.deck_name(notebook)
    assert name in deck_reports, f"no deck {name} was built"
    return deck_reports[name]


@pytest.mark.parametrize("notebook", LESSONS, ids=lambda path: path.stem)
def test_every_slide_fits_and_is_readable(deck_reports, notebook, capsys):
    """At 1280x720 and 1920x1080: offline, no scrolling, everything on screen, sizes kept."""
    deck = deck_report(deck_reports, notebook)
    for view in deck["viewports"]:
        screen = f"{notebook.stem} at {view['width']}x{view['height']}"
        show(capsys, f"{screen}: {view['total']} slides; screenshots: "
             + ", ".join(shot["file"] for shot in view["screenshots"]))
        assert view["blocked"] == [], f"{screen}: the deck used the network: {view['blocked']}"
        assert view["errors"] == [], f"{screen}: errors in the page: {view['errors']}"
        assert view["ready"], f"{screen}: reveal.js did not initialise"
        bad = [
            f"slide {slide['index'] + 1} ({slide['title']!r}): {problem}"
            for slide in view["slides"]
            for problem in slide["problems"]
        ]
        assert not bad, f"{screen}: {len(bad)} problems:\n" + "\n".join(bad[:25])
        for shot in view["screenshots"]:
            for image in shot["figures"]:
                box = (int(image["x"]), int(image["y"]),
                       int(image["x"] + image["width"]), int(image["y"] + image["height"]))
                ok, stats = is_not_blank(Path(shot["file"]).read_bytes(), box)
                assert ok, f"{shot['file']}: the figure looks blank ({stats})"


@pytest.mark.parametrize("notebook", LESSONS, ids=lambda path: path.stem)
def test_formulas_typeset_once(deck_reports, notebook):
    deck = deck_report(deck_reports, notebook)
    markdown = "\n".join(
        cell.source
        for cell in slides.student_notebook(notebook).cells
        if cell.cell_type == "markdown"
    )
    for view in deck["viewports"]:
        if "$" in markdown:
            assert view["typeset"] > 0, f"{notebook.stem}: no formula was typeset"
        assert view["mathErrors"] == 0, f"{notebook.stem}: MathJax errors"
        assert view["retypeset"] == 0, (
            f"{notebook.stem}: {view['retypeset']} formulas typeset again on revisiting slides"
        )


@pytest.mark.parametrize("notebook", LESSONS, ids=lambda path: path.stem)
def test_every_section_has_speaker_notes(deck_reports, notebook):
    """Each section divider carries notes starting "(N min)" (a `notes` cell after its heading)."""
    view = deck_report(deck_reports, notebook)["viewports"][0]
    missing = view["sectionsWithoutNotes"]
    assert not missing, (
        f"{notebook.stem}: {len(missing)} sections have no speaker notes starting '(N min)' "
        f"(add a `notes` markdown cell after the heading in authoring/lessons/{notebook.stem}.py): "
        + "; ".join(
            repr(section["title"])
            + (f" (its notes start {section['notes']!r})" if section["notes"] else "")
            for section in missing
        )
    )


@pytest.mark.parametrize("notebook", LESSONS, ids=lambda path: path.stem)
def test_every_exercise_slide_has_a_time_box(deck_reports, notebook):
    view = deck_report(deck_reports, notebook)["viewports"][0]
    missing = sorted(set(view["exercisesWithoutTimebox"]))
    assert not missing, (
        f"{notebook.stem}: exercise slides without a time box (give the exercise cell "
        f"`minutes=N` in authoring/lessons/{notebook.stem}.py): "
        + "; ".join(repr(title) for title in missing)
    )


@pytest.mark.parametrize("notebook", LESSONS, ids=lambda path: path.stem)
def test_pdf_has_one_page_per_slide(deck_reports, notebook):
    try:
        from pypdf import PdfReader
    except ImportError:  # a real PDF reader counts the pages, not a regular expression
        pytest.fail("pypdf is not installed: it belongs in requirements.txt (tests and authoring)")

    deck = Path(deck_report(deck_reports, notebook)["path"])
    pdf = slides.pdf_name(deck)
    assert pdf.is_file(), f"no PDF of {deck.name}"
    reader = PdfReader(pdf)
    total = deck_report(deck_reports, notebook)["viewports"][0]["total"]
    assert len(reader.pages) == total, f"{pdf.name}: {len(reader.pages)} pages for {total} slides"
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert abs(width / height - 16 / 9) < 0.01, f"{pdf.name}: pages are {width} x {height} pt"


# --- self-paced learners: JupyterLab ------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write_settings(folder: Path) -> None:
    """JupyterLab user settings for a test: no autosave, no news, every cell in the DOM.

    JupyterLab 4 skips rendering cells outside the viewport by default
    ("contentVisibility"); the test reads every cell, so it turns that off.
    """
    settings = {
        "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
        "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
        "@jupyterlab/apputils-extension/notification": {
            "fetchNews": "false",
            "checkForUpdates": False,
        },
    }
    for plugin, values in settings.items():
        package, name = plugin.rsplit("/", 1)
        target = folder / package / f"{name}.jupyterlab-settings"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(values))


@pytest.fixture(scope="module")
def jupyterlab(tmp_path_factory):
    """A JupyterLab server on localhost serving a copy of the course.

    The server root holds copies of notebooks/ and data/ (the repository's
    layout, so ../data works), never the originals: a test run must not save
    outputs into the committed notebooks.
    """
    home = tmp_path_factory.mktemp("jupyterlab")
    root = home / "course"
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    shutil.copytree(ROOT / "data", root / "data")
    write_settings(home / "settings")
    port, token = free_port(), secrets.token_hex(16)
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
    }
    command = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        "--no-browser",
        "--allow-root",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        f"--LabApp.user_settings_dir={home / 'settings'}",
        f"--LabApp.workspaces_dir={home / 'workspaces'}",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",
    ]
    log = (home / "jupyterlab.log").open("w")
    server = subprocess.Popen(
        command, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                request = urllib.request.Request(
                    f"{base}/api/status", headers={"Authorization": f"token {token}"}
                )
                with urllib.request.urlopen(request, timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail(
                    f"JupyterLab did not start:\n{(home / 'jupyterlab.log').read_text()[-3000:]}"
                )
            time.sleep(0.5)
        yield {"base": base, "token": token, "root": root, "log": home / "jupyterlab.log"}
    finally:
        # The server and the kernels it started are in their own process group.
        try:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(server.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        log.close()


def decode_png(src: str) -> bytes:
    prefix = "data:image/png;base64,"
    assert src.startswith(prefix), f"the explorer's figure is not an inline PNG: {src[:60]}"
    return base64.b64decode(src[len(prefix) :])


def pixels_differ(before: bytes, after: bytes) -> float:
    """Fraction of pixels that differ between two PNGs (1.0 if their sizes differ)."""
    from PIL import Image, ImageChops

    first = Image.open(io.BytesIO(before)).convert("RGB")
    second = Image.open(io.BytesIO(after)).convert("RGB")
    if first.size != second.size:
        return 1.0
    difference = (
        ImageChops.difference(first, second).convert("L").point(lambda v: 255 if v > 30 else 0)
    )
    return sum(difference.histogram()[255:]) / (first.size[0] * first.size[1])


def shut_down_kernels(server: dict) -> None:
    """Stop the kernels a lesson left running (a learner would close the tab)."""
    headers = {"Authorization": f"token {server['token']}"}
    request = urllib.request.Request(f"{server['base']}/api/sessions", headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        sessions = json.load(response)
    for session in sessions:
        url = f"{server['base']}/api/sessions/{session['id']}"
        urllib.request.urlopen(urllib.request.Request(url, headers=headers, method="DELETE"))


@pytest.mark.parametrize("notebook", LESSONS, ids=lambda path: path.stem)
def test_lesson_in_jupyterlab(jupyterlab, notebook, tmp_path, capsys):
    cells = nbformat.read(notebook, as_version=4).cells
    hidden = [cell for cell in cells if cell.metadata.get("jupyter", {}).get("source_hidden")]
    try:
        result = run_driver(
            "jupyterlab.cjs",
            {
                "baseUrl": jupyterlab["base"],
                "token": jupyterlab["token"],
                "notebook": f"notebooks/{notebook.name}",
                "name": notebook.stem,
            },
            tmp_path,
            timeout=600,
        )
    finally:
        shut_down_kernels(jupyterlab)
    show(capsys, f"JupyterLab screenshots of {notebook.stem}: {', '.join(result['screenshots'])}")
    assert "error" not in result, f"{result['error']}\nserver log: {jupyterlab['log']}"
    # Only the Colab badge (an image from the web) may try to reach the network.
    external = [url for url in result["blocked"] if "colab-badge.svg" not in url]
    assert external == [], f"JupyterLab requested external URLs: {external}"

    # Setup and hidden solutions show a collapsed placeholder with their first line.
    first_lines = [cell.source.splitlines()[0] for cell in hidden]
    assert result["placeholders"] == first_lines
    assert result["placeholdersAfterRun"] == len(hidden), "running the cells expanded a hidden cell"

    # No cell raised, and every cell ran (a number in every prompt).
    assert result["tracebacks"] == [], f"a cell raised:\n{result['tracebacks'][0][:3000]}"
    ran = [prompt for prompt in result["prompts"] if prompt]
    assert ran and all(re.fullmatch(r"\[\d+\]:", prompt) for prompt in ran), ran

    source = "\n".join(cell.source for cell in cells if cell.cell_type == "code")
    if "explorer(" in source:
        assert result["explorers"], "the lesson makes an explorer, but none was shown"
    for explorer in result["explorers"]:
        name = f"explorer {explorer['index'] + 1} ({explorer['label']})"
        assert explorer["readoutAfter"] != explorer["readoutBefore"], (
            f"{name}: the slider did not move"
        )
        assert "redrawError" not in explorer, (
            f"{name}: the figure did not change: {explorer['redrawError']}"
        )
        before, after = decode_png(explorer["before"]), decode_png(explorer["after"])
        changed = pixels_differ(before, after)
        assert changed > 0.001, f"{name}: the figure's pixels did not change ({changed:.4%})"
        ok, stats = is_not_blank(after)
        assert ok, f"{name}: the redrawn figure looks blank ({stats})"


# --- learners: the exercise loop and an interactive figure in JupyterLab -------

LOOP_LESSON = '''\
# %% [markdown]
# # Loop test

# %%
import numpy as np

from course_utils.checks.synapses import check_synaptic_current
from course_utils.interactive import show, trace_figure

# %% tags=["exercise"]
def synaptic_current(conductance, voltage, reversal_potential):
    return conductance * (voltage - reversal_potential)

# %% tags=["solution"]
def synaptic_current(conductance, voltage, reversal_potential):
    return conductance * (reversal_potential - voltage)

# %% tags=["check"]
check_synaptic_current(synaptic_current)

# %%
print("in use:", synaptic_current_in_use.__name__, synaptic_current_in_use(1.0, -70.0, 0.0))

# %%
time = np.arange(0.0, 2000.0, 0.1)
voltage = -70.0 + 90.0 * (np.sin(time / 7.0) > 0.999)
show(trace_figure(time, {"membrane potential": voltage}, "A 2 s sweep"),
     "Spikes inside a two second sweep; drag over one to zoom into it.")
'''
FIXED = (
    "def synaptic_current(conductance, voltage, reversal_potential):\n"
    "    return conductance * (reversal_potential - voltage)\n"
)


def test_exercise_loop_and_plotly_in_jupyterlab(jupyterlab, tmp_path, capsys):
    """A wrong answer, Run All, the fix, the check again; then zoom and hover a plotly figure."""
    import build

    source = tmp_path / "90_loop.py"
    source.write_text(LOOP_LESSON)
    notebook = build.build(source, build.load_config(), "student")
    folder = jupyterlab["root"] / "loop"
    folder.mkdir(exist_ok=True)
    nbformat.write(notebook, folder / "90_loop.ipynb")
    kinds = [("hidden" if c.metadata.get("jupyter") else c.cell_type) for c in notebook.cells]
    assert kinds == ["markdown", "hidden", "code", "code", "hidden", "code", "code", "code"]
    try:
        result = run_driver(
            "lab_loop.cjs",
            {
                "baseUrl": jupyterlab["base"], "token": jupyterlab["token"],
                "notebook": "loop/90_loop.ipynb", "name": "loop",
                "exerciseCell": 3, "checkCell": 5, "nextCell": 6, "fixedSource": FIXED,
            },
            tmp_path,
            timeout=300,
        )
    finally:
        shut_down_kernels(jupyterlab)
    show(capsys, f"JupyterLab loop screenshots: {', '.join(result['screenshots'])}")
    assert "error" not in result, f"{result['error']}\nserver log: {jupyterlab['log']}"
    assert [url for url in result["blocked"] if "colab-badge.svg" not in url] == []
    # The wrong answer: the check names the mistake and says the reference is used.
    assert "not quite" in result["checkWrong"], result["checkWrong"]
    assert "sign" in result["checkWrong"].lower(), result["checkWrong"]  # names the mistake
    assert "reference solution" in result["checkWrong"], result["checkWrong"]
    assert "synaptic_current_reference" in result["nextWrong"], result["nextWrong"]
    # The fix: correct, and the next cell now uses the student's own function.
    assert "[correct]" in result["checkFixed"], result["checkFixed"]
    assert "uses your" in result["checkFixed"], result["checkFixed"]
    assert "in use: synaptic_current 70.0" in result["nextFixed"], result["nextFixed"]
    # The plotly figure: zoom narrows the x range, hovering shows a value.
    before, after = result["rangeBefore"], result["rangeAfter"]
    assert after[1] - after[0] < 0.5 * (before[1] - before[0]), (before, after)
    assert "ms" in result["hover"], result["hover"]


def test_plotly_figure_zooms_and_hovers_on_the_offline_slides(tmp_path, capsys):
    """Lesson 4's interactive Brian2-versus-textbook figure, on its slide, offline."""
    deck = slides.OUT_DIR / "04_brian2.slides.html"
    slides.build_all(slides.lesson_notebooks(["04_brian2"]), slides.OUT_DIR,
                     log=lambda _message: None)
    result = run_driver("slides_plotly.cjs", {"deck": str(deck)}, tmp_path, timeout=180)
    show(capsys, f"plotly slide screenshot: {result.get('screenshot')}")
    assert "error" not in result, result["error"]
    assert result["blocked"] == [] and result["errors"] == [], result
    assert result["inside"], "the plotly figure does not fit the slide"
    before, after = result["rangeBefore"], result["rangeAfter"]
    assert after[1] - after[0] < 0.5 * (before[1] - before[0]), (before, after)
    assert "ms" in result["hover"], result["hover"]

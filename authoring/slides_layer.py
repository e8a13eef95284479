"""The slide layer: turn an executed lesson into slides designed for a lecture hall.

A deck is derived from the lesson's tags, never pasted from the notebook:

* the title cell gives a title slide, one slide per "**Label**" + list (the
  objectives, the programming goals) and an agenda of the ``##`` sections;
* every ``##`` heading is a section divider with its speaker notes (the
  ``notes`` cell after it, "(N min) what to say"); ``optional`` sections are
  marked as such on the divider and in the agenda;
* prose is cut at every heading and then into slides by an estimate of its
  height at the stated sizes (one block: paragraph, list, equation, table,
  per idea; long blocks are split at sentences or items);
* an ``exercise`` cell turns the task text before it into an exercise slide
  with a time box (the cell's ``minutes``); the scaffold and the check are not
  shown; the solution follows on its own slide(s);
* a ``predict`` cell is a question slide whose answer, the next output, is
  revealed by a fragment;
* an ``explorer`` cell is a slide of the explorer drawn at two settings,
  side by side;
* every figure gets its own slide, drawn at slide size (slides_kernel.py);
  short code is shown with its text output, long code only in the notes;
  prompts, log lines, stderr and check feedback never reach a slide.

Slide metadata in the source overrides: ``slideshow={"slide_type": "skip"}``
leaves a cell out, ``"slide"`` forces a new slide before prose.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass, field

# --- geometry and type sizes (canvas pixels; the canvas is the 1280 x 720 screen) ---
CANVAS = (1280, 720)
BODY_PX = 32  # 4.4 % of the screen height: 24 pt on a 7.5-inch-high slide
CODE_PX = 26  # 3.6 %: code is read slowly, line by line, and lines are long
FIGURE_TEXT_PX = 25  # 3.5 %: 18 pt figure text at 100 dpi (slides_kernel.py)
TITLE_PX = 44
LONG_TITLE_CHARS = 46  # longer titles are set at 36 px to stay on one line
CONTENT_WIDTH = 1184  # 1280 minus 48-pixel margins
CONTENT_HEIGHT = 560  # below the slide title, above the slide number
FIGURE_SLOT = (CONTENT_WIDTH, CONTENT_HEIGHT)
PANEL_SLOT = (584, 500)  # two explorer panels side by side, caption below

LINE_PX = round(BODY_PX * 1.3)
CODE_LINE_PX = round(CODE_PX * 1.3)
CHARS_PER_LINE = 64  # prose at 32 px in 1184 px, with room for bold and formulas
CODE_CHARS_PER_LINE = 70  # monospace 26 px: 0.6 em a character, 1136 px inside padding
BLOCK_GAP_PX = 22
BUDGET_PX = 520  # the content height a slide may fill, with a safety margin
MAX_CODE_LINES = 12  # longer code goes to the speaker notes
MAX_OUTPUT_LINES = 8

STATES_MIME = "application/vnd.first-neuron.explorer-states+json"
PLOTLY_MIME = "application/vnd.plotly.v1+json"
LOG_LINE = re.compile(r"^\s*(INFO|WARNING|DEBUG|ERROR)\b|^\s*\[?\d{4}-\d\d-\d\d")
MINUTES = re.compile(r"^\s*\((\d+(?:\.\d+)?)\s*min\b")  # "(5 min)", "(12 min, plus ...)"


@dataclass
class Slide:
    """One slide: what kind, its title, HTML body parts and speaker notes (markdown)."""

    kind: str
    title: str = ""
    body: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    minutes: float | None = None
    optional: bool = False
    group_start: bool = False  # first slide after a heading
    height: float = 0.0  # estimated content height in canvas pixels


# --- markdown blocks ------------------------------------------------------------


@dataclass
class Block:
    kind: str  # heading, para, list, math, table, code, quote
    text: str
    level: int = 0


def markdown_blocks(text: str) -> list[Block]:
    """Split markdown into headings, paragraphs, lists, display maths, tables and code."""
    blocks, lines, i = [], text.splitlines(), 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if not stripped:
            i += 1
            continue
        heading = re.match(r"^(#{1,6})\s+(.*)", stripped)
        if heading:
            blocks.append(Block("heading", heading.group(2).strip(), len(heading.group(1))))
            i += 1
            continue
        if stripped.startswith("```") or stripped.startswith("$$"):
            fence = stripped[:3] if stripped.startswith("```") else "$$"
            closed = stripped.startswith("$$") and stripped.count("$$") >= 2 and len(stripped) > 2
            chunk = [line]
            i += 1
            while not closed and i < len(lines):
                chunk.append(lines[i])
                closed = fence in lines[i]
                i += 1
            blocks.append(Block("code" if fence == "```" else "math", "\n".join(chunk)))
            continue
        chunk = []
        while i < len(lines) and lines[i].strip() and not re.match(r"^#{1,6}\s", lines[i].strip()):
            if lines[i].strip().startswith(("```", "$$")) and chunk:
                break
            chunk.append(lines[i])
            i += 1
        first = chunk[0].strip()
        if re.match(r"^([-*+]|\d+[.)])\s", first):
            kind = "list"
        elif first.startswith("|"):
            kind = "table"
        elif first.startswith(">"):
            kind = "quote"
        else:
            kind = "para"
        blocks.append(Block(kind, "\n".join(chunk)))
    return blocks


def visible_length(text: str) -> int:
    """Characters a reader sees: link targets, emphasis marks and most of TeX dropped."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\$([^$]*)\$", lambda m: "x" * max(1, len(m.group(1)) // 2), text)
    text = re.sub(r"[*_`]", "", text)
    return len(" ".join(text.split()))


def text_lines(text: str, width: int = CHARS_PER_LINE) -> int:
    return max(1, math.ceil(visible_length(text) / width))


def list_items(text: str) -> list[str]:
    items = []
    for line in text.splitlines():
        if re.match(r"^([-*+]|\d+[.)])\s", line.strip()) and not line.startswith("  "):
            items.append(line)
        elif items:
            items[-1] += "\n" + line
        else:
            items.append(line)
    return items


def block_height(block: Block) -> float:
    """Estimated height in canvas pixels of one block at the stated sizes."""
    if block.kind == "para" or block.kind == "quote":
        return text_lines(block.text) * LINE_PX + BLOCK_GAP_PX
    if block.kind == "list":
        items = list_items(block.text)
        return sum(text_lines(item, CHARS_PER_LINE - 4) * LINE_PX + 6 for item in items) + (
            BLOCK_GAP_PX
        )
    if block.kind == "math":
        # A line too wide for the slide is broken by MathJax (slides.js).
        rows = 1 + block.text.count("\\\\") + len(block.text) // 100
        tall = any(word in block.text for word in ("\\frac", "\\sum", "\\int", "\\sqrt"))
        return rows * (96 if tall else 64) + BLOCK_GAP_PX
    if block.kind == "table":
        rule = re.compile(r"^\s*\|[\s:|-]+\|\s*$")
        rows = [row for row in block.text.splitlines() if not rule.match(row)]
        return len(rows) * (LINE_PX + 14) + BLOCK_GAP_PX
    if block.kind == "code":
        return code_height(block.text.split("\n", 1)[-1].rsplit("```", 1)[0])
    return LINE_PX + BLOCK_GAP_PX


def code_lines(code: str) -> int:
    return sum(max(1, math.ceil(len(line) / CODE_CHARS_PER_LINE)) for line in code.splitlines())


def code_height(code: str) -> float:
    return code_lines(code) * CODE_LINE_PX + 28 + BLOCK_GAP_PX


def split_code(fenced: str) -> list[str]:
    """Code too tall for one slide, cut at blank lines where possible, else between lines."""
    code = fenced.split("\n", 1)[-1].rsplit("```", 1)[0].strip("\n")
    pieces = []
    for paragraph in re.split(r"\n\s*\n", code):
        lines = paragraph.splitlines()
        while lines:  # a paragraph taller than a slide is cut between lines
            count = len(lines)
            while count > 1 and code_height("\n".join(lines[:count])) > BUDGET_PX:
                count -= 1
            pieces.append("\n".join(lines[:count]))
            lines = lines[count:]
    chunks = []
    for piece in pieces:
        joined = f"{chunks[-1]}\n\n{piece}" if chunks else piece
        if chunks and code_height(joined) <= BUDGET_PX:
            chunks[-1] = joined
            continue
        lines = piece.splitlines()
        if chunks and code_height(chunks[-1]) < BUDGET_PX * 0.6:
            # Much room left: fill it with the first lines of this piece.
            count = 0
            while count < len(lines) and code_height(
                chunks[-1] + "\n\n" + "\n".join(lines[: count + 1])
            ) <= BUDGET_PX:
                count += 1
            if count:
                chunks[-1] += "\n\n" + "\n".join(lines[:count])
                lines = lines[count:]
        if lines:
            chunks.append("\n".join(lines))
    return chunks


def split_block(block: Block) -> list[Block]:
    """Pieces of a block that alone would not fit on a slide."""
    if block_height(block) <= BUDGET_PX:
        return [block]
    if block.kind == "list":
        parts = list_items(block.text)
    elif block.kind in ("para", "quote"):
        parts = re.split(r"(?<=[.!?:])\s+(?=[A-Z$*(])", block.text)
    elif block.kind == "code":
        return [Block("code", f"```\n{chunk}\n```") for chunk in split_code(block.text)]
    else:
        return [block]
    pieces, current = [], []
    for part in parts:
        candidate = Block(block.kind, "\n".join(current + [part]) if block.kind == "list"
                          else " ".join(current + [part]))
        if current and block_height(candidate) > BUDGET_PX:
            joined = "\n".join(current) if block.kind == "list" else " ".join(current)
            pieces.append(Block(block.kind, joined))
            current = [part]
        else:
            current.append(part)
    if current:
        joined = "\n".join(current) if block.kind == "list" else " ".join(current)
        pieces.append(Block(block.kind, joined))
    return pieces


# --- outputs -----------------------------------------------------------------------


def text_of(output) -> str:
    """Text a slide may show from one output: stdout and results, minus log lines."""
    if output.get("output_type") == "stream":
        if output.get("name") != "stdout":
            return ""
        text = output.get("text", "")
    elif output.get("output_type") in ("execute_result", "display_data"):
        data = output.get("data", {})
        if any(key.startswith("image/") for key in data) or STATES_MIME in data:
            return ""
        if "text/html" in data and "<script" in data["text/html"]:
            return ""
        text = data.get("text/plain", "")
    else:
        return ""  # errors never reach a slide
    if isinstance(text, list):
        text = "".join(text)
    kept = [line for line in text.splitlines() if not LOG_LINE.match(line)]
    return "\n".join(kept).strip("\n")


def figures_of(output) -> list[dict]:
    """PNG figures of one output with their display metadata."""
    data = output.get("data", {})
    if "image/png" not in data:
        return []
    metadata = output.get("metadata", {}).get("image/png", {}) or {}
    png = data["image/png"]
    if isinstance(png, list):
        png = "".join(png)
    return [{"png": png.strip(), **metadata}]


def states_of(output) -> dict | None:
    return output.get("data", {}).get(STATES_MIME)


def clip_text(text: str, limit: int = MAX_OUTPUT_LINES) -> str:
    """At most ``limit`` lines as shown (long lines wrap), with a note of what was left out."""
    lines, kept = text.splitlines(), []
    for line in lines:
        if code_lines("\n".join(kept + [line])) > limit - 1:
            break
        kept.append(line)
    if len(kept) == len(lines):
        return text
    if not kept:  # one line longer than the whole box
        kept = [lines[0][: CODE_CHARS_PER_LINE * (limit - 2)] + " ..."]
    return "\n".join(kept + [f"... ({len(lines) - len(kept)} more lines in the notebook)"])


def is_import_only(code: str) -> bool:
    lines = [line for line in code.splitlines() if line.strip() and line.lstrip()[0] != "#"]
    return bool(lines) and all(
        re.match(r"^(import |from \S+ import |\s+\w|\)|\s*\()", line) for line in lines
    )


def escape(text: str) -> str:
    return html.escape(text, quote=False)



# --- the walk through a lesson ------------------------------------------------------


@dataclass
class LessonCell:
    """A cell of the executed student notebook, with what its source says about it."""

    cell_type: str
    source: str  # the source cell's text (an exercise's solution as written, not renamed)
    tags: set
    metadata: dict  # the source cell's metadata (minutes, states, slideshow)
    outputs: list
    skipped: bool = False  # the built notebook hides it from the slides (setup)


# Comments for the tools, not for the audience: Colab forms, nbval and linters.
TOOL_COMMENTS = re.compile(r"^[ \t]*#\s*(@title|NBVAL_|noqa|type:|fmt:).*\n?", re.M)
LABEL = re.compile(r"^\*\*([^*]+?)\*\*:?\s*$")


class DeckBuilder:
    """Walk a lesson's cells in order and collect its slides.

    ``markdown`` renders markdown to HTML; ``code`` renders Python source to
    highlighted HTML.
    """

    def __init__(self, markdown, code):
        self.markdown, self.code = markdown, code
        self.slides: list[Slide] = []
        self.heading = ""  # title of the prose slides now being filled
        self.section = ""  # the current ## section
        self.new_slide = True
        self.predict: Slide | None = None
        self.exercise_title = ""
        self.previous_start, self.previous_end = 0, 1  # the title slide
        self.problems: list[str] = []  # what the lesson lacks for good slides

    # -- helpers --
    def add(self, slide: Slide) -> Slide:
        self.slides.append(slide)
        return slide

    def current_prose(self, height: float) -> Slide:
        last = self.slides[-1] if self.slides else None
        if (
            last is not None
            and not self.new_slide
            and last.kind in ("content", "exercise")
            and last.height + height <= BUDGET_PX
        ):
            return last
        slide = self.add(Slide("content", self.heading, group_start=self.new_slide))
        self.new_slide = False
        return slide

    def add_blocks(self, blocks: list[Block], optional=False) -> None:
        for block in blocks:
            if block.kind == "heading":
                self.heading_slide(block, optional)
                continue
            for piece in split_block(block):
                height = block_height(piece)
                slide = self.current_prose(height)
                slide.body.append(self.markdown(piece.text))
                slide.height += height

    def heading_slide(self, block: Block, optional: bool) -> None:
        title = block.text
        if block.level <= 2:
            self.section = title
            self.add(Slide("divider", title, optional=optional, group_start=True))
        elif optional:
            title = f"Optional: {title}"
        self.heading = title
        self.new_slide = True

    # -- the title cell --
    def title_cell(self, text: str) -> None:
        blocks = markdown_blocks(text)
        title = next((b.text for b in blocks if b.kind == "heading"), "Lesson")
        slide = self.add(Slide("title", title))
        intro, groups, label = [], [], None
        for block in blocks:
            match = LABEL.match(block.text) if block.kind == "para" else None
            if block.kind == "heading":
                continue
            if match:
                label = match.group(1)
                groups.append((label, []))
            elif block.kind == "list" and label is not None:
                groups[-1][1].append(block)
                label = None
            elif block.kind == "para" and block.text.lstrip().startswith("**Time"):
                slide.body.append(self.markdown(block.text))
            else:
                intro.append(block)
                label = None
        self.heading = "This lesson"
        self.add_blocks(intro)
        for label, lists in groups:
            self.heading, self.new_slide = label, True
            self.add_blocks(lists)
        self.add(Slide("agenda", "Agenda", group_start=True))
        self.heading, self.new_slide = title, True

    # -- cells --
    def markdown_cell(self, cell: LessonCell) -> None:
        if "notes" in cell.tags:
            # On the last divider the cell before made (the section the notes follow),
            # else on its first slide.
            made = self.slides[self.previous_start : self.previous_end] or self.slides[-1:]
            dividers = [slide for slide in made if slide.kind in ("divider", "title")]
            (dividers[-1] if dividers else made[0]).notes.append(cell.source)
            return
        if cell.metadata.get("slideshow", {}).get("slide_type") in ("slide", "subslide"):
            self.new_slide = True
        if "predict" in cell.tags:
            self.predict_cell(cell)
            return
        self.add_blocks(markdown_blocks(cell.source), optional="optional" in cell.tags)

    def predict_cell(self, cell: LessonCell) -> None:
        """The question on a slide of its own, under the hint; what leads up to it before."""
        blocks = markdown_blocks(cell.source)
        headings = [b for b in blocks if b.kind == "heading"]
        if headings:
            self.heading_slide(headings[0], "optional" in cell.tags)
        blocks = [piece for b in blocks if b.kind != "heading" for piece in split_block(b)]
        room, question = BUDGET_PX - LINE_PX - BLOCK_GAP_PX, []  # the hint takes a line
        while blocks and (not question or block_height(blocks[-1]) <= room):
            room -= block_height(blocks[-1])
            question.insert(0, blocks.pop())
        self.add_blocks(blocks)
        text = "\n\n".join(block.text for block in question)
        self.predict = self.add(
            Slide("predict", f"Predict: {self.heading}", body=[self.markdown(text)],
                  group_start=True)
        )
        self.new_slide = True

    def exercise_cell(self, cell: LessonCell) -> None:
        minutes = cell.metadata.get("minutes")
        group = []
        for slide in reversed(self.slides):
            if slide.kind not in ("content", "exercise"):
                break
            group.append(slide)
            if slide.group_start:
                break
        if not group:
            group = [self.add(Slide("exercise", self.heading or self.section, group_start=True,
                                    body=["<p>Your turn: the task is in the notebook.</p>"]))]
        for slide in group:
            slide.kind = "exercise"
            if isinstance(minutes, (int, float)):
                slide.minutes = (slide.minutes or 0) + minutes
        self.exercise_title = group[-1].title
        if isinstance(minutes, (int, float)) and not group[-1].notes:
            group[-1].notes.append(
                f"({minutes:g} min) The students write this in their notebooks; the check "
                "under it says what works. The solution is on the next slide."
            )
        if not isinstance(minutes, (int, float)):
            self.problems.append(f"exercise {self.exercise_title!r} has no minutes=N time box")
        self.heading, self.new_slide = self.section, True

    def solution_cell(self, cell: LessonCell) -> None:
        code = TOOL_COMMENTS.sub("", cell.source).strip("\n")
        for piece in split_block(Block("code", f"```\n{code}\n```")):
            body = piece.text.split("\n", 1)[1].rsplit("```", 1)[0].rstrip("\n")
            self.add(Slide("solution", f"Solution: {self.exercise_title}",
                           body=[self.code(body)], group_start=True))
        self.heading, self.new_slide = self.section, True

    def code_cell(self, cell: LessonCell) -> None:
        cell.source = TOOL_COMMENTS.sub("", cell.source)
        plotly = [output for output in cell.outputs if PLOTLY_MIME in output.get("data", {})]
        if plotly:
            # Interactive on the slide too: zoom and hover in front of the class.
            for output in plotly:
                caption = output["data"].get("text/plain", self.heading)
                if isinstance(caption, list):
                    caption = "".join(caption)
                self.add(Slide("figure", self.heading,
                               body=[{"plotly": output["data"][PLOTLY_MIME], "alt": caption}],
                               notes=[f"{caption} Drag over the trace to zoom, double-click to "
                                      "zoom out, hover to read values."]))
            self.new_slide = True
            return
        figures = [f for output in cell.outputs for f in figures_of(output)]
        states = next((s for output in cell.outputs if (s := states_of(output))), None)
        text = "\n".join(t for output in cell.outputs if (t := text_of(output)))
        if states:
            settings = " and ".join(panel["label"] for panel in states["panels"])
            self.add(Slide("explorer", f"{self.heading}: two settings",
                           body=[states], group_start=True,
                           notes=[f"The explorer drawn at {settings}. In the notebook the "
                                  "students move the sliders themselves."]))
            self.new_slide = True
            return
        if self.predict is not None and not (figures or text):
            return  # e.g. the cell where students write their guess, before the simulation
        if self.predict is not None:
            self.predict.body.append(figures.pop(0) if figures else {"text": clip_text(text)})
            self.predict = None
            if not figures:
                return
            text = ""
        if figures:
            caption = text if len(text.splitlines()) <= 1 else ""
            for figure in figures:
                figure.setdefault("alt", caption or self.heading)
                note = caption or figure["alt"]
                self.add(Slide("figure", self.heading, body=[figure], notes=[note]))
            if text and not caption:
                self.add(Slide("output", self.heading, body=[{"text": clip_text(text)}]))
            self.new_slide = True
            return
        show_code = code_lines(cell.source) <= MAX_CODE_LINES and not is_import_only(cell.source)
        if not show_code and not text:
            return
        shown = clip_text(text) if text else ""
        need = (code_height(cell.source) if show_code else 0) + (code_height(shown) if text else 0)
        last = self.slides[-1] if self.slides else None
        if (  # under the prose that introduces it, when both fit
            last is not None and last.kind == "content" and not self.new_slide
            and last.height + need <= BUDGET_PX
        ):
            slide = last
        else:
            slide = self.add(Slide("code", self.heading))
        if show_code:
            slide.body.append(self.code(cell.source.strip("\n")))
            slide.height += code_height(cell.source)
        if text:
            if slide.height + code_height(shown) > BUDGET_PX:
                slide = self.add(Slide("output", self.heading))
            slide.body.append({"text": shown})
            slide.height += code_height(shown)

    def cell(self, cell: LessonCell) -> None:
        start = len(self.slides)
        self.dispatch(cell)
        if len(self.slides) > start:
            self.previous_start, self.previous_end = start, len(self.slides)

    def dispatch(self, cell: LessonCell) -> None:
        if cell.metadata.get("slideshow", {}).get("slide_type") == "skip":
            return
        if cell.cell_type == "markdown":
            self.markdown_cell(cell)
        elif "solution" in cell.tags:
            self.solution_cell(cell)
        elif "exercise" in cell.tags:
            self.exercise_cell(cell)
        elif cell.tags & {"check", "student-only", "answer", "solution-only"} or cell.skipped:
            return
        else:
            self.code_cell(cell)

    def finish(self) -> list[Slide]:
        """Fill in the agenda; report sections without notes. Returns the slides."""
        sections = [s for s in self.slides if s.kind == "divider"]
        for slide in sections:
            notes = "\n".join(slide.notes).strip()
            match = MINUTES.match(notes)
            if match:
                slide.minutes = float(match.group(1))
            else:
                self.problems.append(f"section {slide.title!r} has no notes starting '(N min)'")
        agenda = next(s for s in self.slides if s.kind == "agenda")
        items = []
        for slide in sections:
            extra = [f"{slide.minutes:g} min"] if slide.minutes else []
            extra += ["optional"] if slide.optional else []
            title = re.sub(r"^(\d+)([.)])", r"\1\\\2", slide.title)  # not a nested list
            items.append(f"- {title}" + (f" ({', '.join(extra)})" if extra else ""))
        position = self.slides.index(agenda)
        self.slides.remove(agenda)
        pages = split_block(Block("list", "\n".join(items))) if items else []
        for number, page in enumerate(pages):
            title = "Agenda" if len(pages) == 1 else f"Agenda ({number + 1}/{len(pages)})"
            self.slides.insert(position + number,
                               Slide("agenda", title, body=[self.markdown(page.text)]))
        return self.slides

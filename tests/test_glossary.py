"""The glossary and the lessons agree: no term is used before it is explained.

Rule: the first time a lesson's prose (markdown cells) uses a term of
``glossary.md``, the term is either defined on the spot, written in bold
(``**rheobase**``) beside its plain-words definition, or linked to its glossary
entry (``[rheobase](../glossary.md#rheobase)``).
"""

import re
from pathlib import Path

import jupytext
import pytest

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "glossary.md"
LESSONS = sorted((ROOT / "authoring" / "lessons").glob("[0-9][0-9]_*.py"))


def anchor(term: str) -> str:
    return re.sub(r"[^a-z0-9 -]", "", term.lower()).replace(" ", "-")


def glossary_terms() -> dict[str, str]:
    """Term -> definition, from the ``### term`` headings."""
    text = GLOSSARY.read_text()
    entries = re.split(r"^### ", text, flags=re.MULTILINE)[1:]
    return {
        entry.splitlines()[0].strip(): " ".join(entry.splitlines()[1:]).strip() for entry in entries
    }


def test_glossary_entries_are_sorted_defined_and_unique():
    terms = glossary_terms()
    assert len(terms) >= 3
    names = list(terms)
    assert names == sorted(names, key=str.lower), "keep the glossary in alphabetical order"
    assert len({anchor(t) for t in names}) == len(names)
    for term, definition in terms.items():
        assert len(definition.split()) >= 6, f"{term!r} needs a plain-words definition"


def first_uses(path: Path, term: str):
    """(cell index, the text around the term's first use in the lesson's prose)."""
    pattern = re.compile(rf"(?<![\w-]){re.escape(term)}(s|es)?(?![\w-])", re.IGNORECASE)
    notebook = jupytext.read(path, fmt="py:percent")
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "markdown":
            continue
        for match in pattern.finditer(cell.source):
            line = cell.source[cell.source.rfind("\n", 0, match.start()) + 1 : match.start()]
            if line.count("`") % 2 or line.count("$") % 2:
                continue  # inside code or a formula: a name, not the term in prose
            return index, cell.source, match
    return None


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_terms_are_explained_where_first_used(path):
    problems = []
    for term in glossary_terms():
        found = first_uses(path, term)
        if found is None:
            continue
        index, source, match = found
        before = source[max(0, match.start() - 3) : match.start()]
        after = source[match.end() : match.end() + 80]
        linked = before.endswith("[") and f"glossary.md#{anchor(term)})" in after
        bold = before.endswith("**") or (before.endswith("*") and after.startswith("*"))
        if not (linked or bold):
            problems.append(f"cell {index}: {term!r} first used without a definition or link")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_glossary_links_point_at_entries(path):
    anchors = {anchor(term) for term in glossary_terms()}
    for target in re.findall(r"glossary\.md#([a-z0-9-]+)", path.read_text()):
        assert target in anchors, f"{path.name} links to missing glossary entry #{target}"

"""What follows the signature: appendices (phụ lục), report forms (biểu mẫu) and lists that a
document carries after its signer block (NĐ 30/2020: each under its own heading, usually with
a caption '(Kèm theo …)'). They stay in the body as sections with a heading; the numbered task
tables among them were already taken out as appendices (tables.py, readertables.py).

Pure functions: the document's lines in, Annexes and Markdown out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text import slugify, squash
from .body import Block, split_blocks
from .columns import join_lines, strip_marks
from .headings import APPENDIX_HEAD, CAPTION, heading_markdown, is_title
from .markdown import blocks_markdown

_FORM = re.compile(r"^(Biểu|Mẫu)(\s+(số|mẫu))?\s*[\dIVX]+\b", re.IGNORECASE)  # 'Biểu 01: BÁO CÁO …'
_TABLE = re.compile(r"^\s*\|.*\|\s*$")
_GAP = re.compile(r"\S {3,}\S")  # layout text: columns set apart by runs of spaces
_PAGE_NUMBER = re.compile(r"^\s*\d{1,3}\s*$")
_HEADING_SPAN = 6  # lines a heading (title and caption) may take
_BRIDGE = 7  # non-blank lines between two laid-out lines of one table


@dataclass(frozen=True)
class Annex:
    title: str  # 'Phụ lục: DANH SÁCH …'; 'Phụ lục' when only a caption or a table opens it
    caption: str | None  # '(Kèm theo Kế hoạch số …)'
    lines: tuple[str, ...]  # the content, as in the text (Markdown table rows included)
    start_line: int  # where it starts in the document's lines

    @property
    def plain(self) -> str:
        """The annex as one run of text (table bars dropped), for names and references."""
        text = " ".join(squash(x.replace("|", " ")) for x in self.lines if not set(x.strip()) <= set("|-: "))
        return " ".join(x for x in (self.title, self.caption, text) if x)


def annexes(lines: list[str], start: int) -> list[Annex]:
    """The annexes among lines[start:] (the lines after the signer's name). Nothing opens one
    there — no 'PHỤ LỤC' line, no '(Kèm theo …)' caption, no table — gives [] (what follows a
    signature otherwise is a stamp, a title line or a page's footnote)."""
    starts = _openers(lines, start)
    return [_annex(lines, a, b) for a, b in zip(starts, [*starts[1:], len(lines)])]


def _openers(lines: list[str], start: int) -> list[int]:
    """The first line of each annex: a 'PHỤ LỤC' line, the capitals over a caption (or the
    caption itself), or, right after the signature, a table or a form's title ('Mẫu số 01')."""
    found: list[int] = []
    i = start
    while i < len(lines):
        line = lines[i]
        at = None
        if APPENDIX_HEAD.match(line):
            at = i
        elif CAPTION.match(line):
            at = i
            while at > max(start, i - 3, found[-1] + 1 if found else start) and is_title(lines[at - 1]):
                at -= 1
        elif not found and (_TABLE.match(line) or _FORM.match(strip_marks(line))):
            at = i
        if at is None:
            i += 1
            continue
        found.append(at)
        i = max(i + 1, _heading(lines, at, len(lines))[2])
    return found


def _heading(lines: list[str], at: int, end: int) -> tuple[list[str], list[str], int]:
    """(title lines, caption lines, first content line) of the annex starting at `at`."""
    near = [j for j in range(at, end) if lines[j].strip()][:_HEADING_SPAN]
    cap = next((k for k, j in enumerate(near) if CAPTION.match(lines[j])), None)
    if cap is not None and not any(_TABLE.match(lines[j]) for j in near[:cap]):
        close = next((k for k in range(cap, len(near)) if lines[near[k]].rstrip(" *_").endswith(")")), cap)
        return [lines[j] for j in near[:cap]], [lines[j] for j in near[cap : close + 1]], near[close] + 1
    if not near or not (APPENDIX_HEAD.match(lines[near[0]]) or _FORM.match(strip_marks(lines[near[0]]))):
        return [], [], at
    k = 1
    while k < len(near) and is_title(lines[near[k]]):
        k += 1
    return [lines[j] for j in near[:k]], [], near[k - 1] + 1


def _annex(lines: list[str], start: int, end: int) -> Annex:
    title, caption, content = _heading(lines, start, end)
    return Annex(
        title=join_lines([strip_marks(x) for x in title]) or "Phụ lục",
        caption=join_lines([strip_marks(x) for x in caption]) or None,
        lines=tuple(lines[content:end]),
        start_line=start,
    )


# ------------------------------------------------------------------------------ Markdown


def heading_anchor(k: int) -> str:
    """The anchor of the k-th appendix or annex heading of a document."""
    return f"phu-luc-{k}"


def annex_markdown(annex: Annex, k: int) -> str:
    """The title as a '## ' heading (anchor heading_anchor(k)), the caption in italics, then
    the content: paragraphs and numbered items (anchors 'muc-pl<k>-…', which cannot clash with
    the body's), 'Biểu 01: …' form titles as headings, tables as they are, and text laid out in
    columns (a table in a text source) kept as printed in a preformatted block."""
    blocks: list[Block] = []
    for kind, part in _parts(list(annex.lines)):
        if kind == "layout":
            blocks.append(Block(text=_preformatted(part), kind="table"))
        else:
            blocks += split_blocks([x for x in part if not _PAGE_NUMBER.match(x)])
    for b in blocks:
        form = _FORM.match(b.plain) if b.kind == "para" and not b.marker and len(b.plain) <= 160 else None
        if form:  # a form's title: a heading one level down
            b.marker, b.path = "form", (slugify(form.group(0)),)
        b.path = (f"pl{k}", *b.path)
    body = blocks_markdown(blocks) if blocks else ""
    return heading_markdown(annex.title, annex.caption, heading_anchor(k)) + body


def _parts(lines: list[str]) -> list[tuple[str, list[str]]]:
    """The content cut into text and 'layout' runs: from a line with columns set apart by wide
    gaps to the last such line that follows within _BRIDGE non-blank lines (the cells of a
    column wrap onto lines of their own in between)."""
    filled = [i for i, x in enumerate(lines) if x.strip()]
    marks = [(n, i) for n, i in enumerate(filled) if _GAP.search(lines[i].strip())]
    runs: list[list[int]] = []
    last = -_BRIDGE - 1
    for n, i in marks:
        if runs and n - last <= _BRIDGE:
            runs[-1].append(i)
        else:
            runs.append([i])
        last = n
    parts, pos = [], 0
    for run in (r for r in runs if len(r) > 1):
        parts += [("text", lines[pos : run[0]]), ("layout", lines[run[0] : run[-1] + 1])]
        pos = run[-1] + 1
    return [p for p in [*parts, ("text", lines[pos:])] if any(x.strip() for x in p[1])]


def _preformatted(lines: list[str]) -> str:
    kept = [x.rstrip().replace("`", "'") for x in lines]
    indent = min(len(x) - len(x.lstrip()) for x in kept if x.strip())
    return "```\n" + "\n".join(x[indent:] for x in kept) + "\n```"


__all__ = ["Annex", "annex_markdown", "annexes", "heading_anchor"]

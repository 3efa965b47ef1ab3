"""Parse the appendix task tables ("PHỤ LỤC ... CÁC NHIỆM VỤ ...") of official letters.

Pure functions: text (or a reader's Table) in, dataclasses out.  Three layouts:

* a reader's Table (PDF/DOCX): header row(s) first, maybe repeated per page;
* tab-separated rows (Markdown-ish sources), cells possibly holding HTML fragments;
* "cell by cell" text extracted from a PDF (builder/parse/cellbycell.py).

Every row of an appendix gets its anchor here (row_anchors): the tasks link to it and the
Markdown body writes it on the row, so a task link always lands on its row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Table
from ..text import slugify, squash
from .cellbycell import parse_cells
from .columns import AppendixRow, column_key, is_header, is_label_row, join_lines, make_row, plain, strip_marks
from .columns import fold_chars as _fold
from .headings import heading_markdown
from .markdown import unique_anchor


@dataclass(frozen=True)
class Appendix:
    title: str  # "PHỤ LỤC" and its heading lines
    caption: str | None  # "(Kèm theo Công văn số ...)"
    columns: tuple[str, ...]  # header labels as printed
    rows: tuple[AppendixRow, ...]
    start_line: int  # 0-based line of the "PHỤ LỤC" heading
    end_line: int | None = None  # first line after it, when cut from the text
    source: Table | None = None  # the reader's table, shown as printed
    source_rows: tuple[int, ...] = ()  # index in source.rows of each row's first line


# ------------------------------------------------------------------------------ rows


def _rows_from_cells(keys: list[str | None], grid: list[list[str]]) -> list[tuple[int, AppendixRow]]:
    """Rows of plain cells (no header) to (index of the first line, AppendixRow); an empty
    STT continues a row."""
    num = keys.index("number") if "number" in keys else 0
    merged: list[tuple[int, list[str]]] = []
    for i, cells in enumerate(grid):
        cells = (cells + [""] * len(keys))[: len(keys)]
        if cells[num] or not merged:
            merged.append((i, cells))
        else:
            merged[-1] = (merged[-1][0], [join_lines([a, b]) for a, b in zip(merged[-1][1], cells)])
    return [(i, make_row(keys, cells)) for i, cells in merged if any(cells)]


def indexed_rows(table: Table) -> list[tuple[int, AppendixRow]]:
    """A reader's Table (header row(s) first, maybe repeated per page) to AppendixRows, each
    with the index in table.rows of its first line."""
    grid = [[plain(cell) for cell in row] for row in table.rows]
    first = next((i for i, row in enumerate(grid) if is_header(row)), None)
    if first is None:
        return []
    end = first + 1
    while end < len(grid) and is_label_row(grid[end]):
        end += 1
    width = max(len(row) for row in grid)
    labels = [
        join_lines(list(dict.fromkeys(row[i] for row in grid[first:end] if i < len(row))))
        for i in range(width)
    ]
    heads = {tuple(row) for row in grid[first:end]}
    body = [(i, row) for i, row in enumerate(grid) if i >= end and tuple(row) not in heads and not is_header(row)]
    rows = _rows_from_cells([column_key(label) for label in labels], [row for _, row in body])
    return [(body[k][0], row) for k, row in rows]


def rows_from_table(table: Table) -> list[AppendixRow]:
    """A reader's Table (header row(s) first, maybe repeated per page) to AppendixRows."""
    return [row for _, row in indexed_rows(table)]


def _parse_tsv(lines: list[str]) -> tuple[list[str], list[AppendixRow]]:
    """Tab-separated rows, from the header line to the first line without a tab."""
    labels = [plain(cell) for cell in lines[0].split("\t")]
    grid = []
    for line in lines[1:]:
        if "\t" not in line and line.strip():
            break
        cells = [plain(cell) for cell in line.split("\t")]
        if any(cells) and not is_header(cells):
            grid.append(cells)
    return labels, [row for _, row in _rows_from_cells([column_key(label) for label in labels], grid)]


# ------------------------------------------------------------------------------ documents

# The heading line of a text task table: only 'PHỤ LỤC', its number and a colon, matched
# folded and whole (stricter than headings.APPENDIX_HEAD, which any title may follow).
_BARE_APPENDIX_LINE = re.compile(r"phu luc(\s+(so\s+)?[ivxlc\d]+)?\s*[.:]?")


def _parse_appendix(lines: list[str], offset: int) -> Appendix | None:
    """One appendix: the heading, title lines, the caption, then the table."""
    header_at = next(
        (i for i, x in enumerate(lines[:25]) if re.match(r"stt\b", _fold(strip_marks(x)))), None
    )
    if header_at is None:
        return None
    heads = [strip_marks(x) for x in lines[1:header_at] if strip_marks(x)]
    cap = next((i for i, x in enumerate(heads) if x.startswith("(")), len(heads))
    cap_end = next((i + 1 for i in range(cap, len(heads)) if heads[i].endswith(")")), cap + 1)
    table = lines[header_at:]
    parsed = _parse_tsv(table) if "\t" in table[0] else parse_cells(table)
    if not parsed or not parsed[1]:
        return None
    return Appendix(
        title=join_lines([strip_marks(lines[0]), *heads[:cap], *heads[cap_end:]]),
        caption=join_lines(heads[cap:cap_end]) or None,
        columns=tuple(parsed[0]),
        rows=tuple(parsed[1]),
        start_line=offset,
        end_line=offset + len(lines),
    )


def split_appendices(text: str) -> tuple[str, list[Appendix]]:
    """Cut the appendix task tables out of a document's text: return the text before them and
    the parsed appendices (each knows the lines it was cut from: start_line, end_line)."""
    lines = text.split("\n")
    starts = [i for i, x in enumerate(lines) if _BARE_APPENDIX_LINE.fullmatch(_fold(strip_marks(x)))]
    found = []
    for start, end in zip(starts, [*starts[1:], len(lines)]):
        appendix = _parse_appendix(lines[start:end], start)
        if appendix:
            found.append(appendix)
    if not found:
        return text, []
    return text[: sum(len(x) + 1 for x in lines[: found[0].start_line])], found


def row_anchors(appendix: Appendix, prefix: str) -> list[str]:
    """The anchor of every row, unique within the appendix: prefix + the row's number
    ('pl-12', 'pl2-3'), or its position when it has none ('pl-dong-4')."""
    seen: dict[str, int] = {}
    return [unique_anchor(prefix + (slugify(row.number) or f"dong-{i}"), seen)
            for i, row in enumerate(appendix.rows, 1)]


def number_label(appendix: Appendix) -> str:
    """The printed label of the number column ('STT', 'TT')."""
    return next((squash(c) for c in appendix.columns if column_key(c) == "number"), "STT")


def appendix_markdown(appendix: Appendix, prefix: str = "pl-", anchor: str | None = None) -> str:
    """The title as a '## ' heading (with `anchor`), the caption in italics, then a pipe table
    whose rows carry their anchors ('| 1 | … | {: #pl-1 }'): the reader's table as printed, or
    for a text appendix the parsed rows under the printed column labels."""
    anchors = row_anchors(appendix, prefix)
    if appendix.source is not None:
        head = appendix.source.rows[0] if appendix.source.rows else ()
        rows = [list(r) if i == 0 or r != head else [] for i, r in enumerate(appendix.source.rows)]
        marks = dict(zip(appendix.source_rows, anchors))  # header rows repeated per page: dropped
    else:
        keys: list[str | None] = []
        for label in appendix.columns:
            key = column_key(label)
            keys.append(key if key not in keys else None)
        rows = [list(appendix.columns)] + [[getattr(r, k) or "" if k else "" for k in keys] for r in appendix.rows]
        marks = {i: a for i, a in enumerate(anchors, 1)}
    return heading_markdown(appendix.title, appendix.caption, anchor) + pipe_table(rows, marks) + "\n"


def pipe_table(rows: list[list[str]], marks: dict[int, str] | None = None) -> str:
    """A GitHub pipe table, the first row kept as header ('|' escaped in cells, empty rows
    dropped unless marked); rows[i] ends with '{: #<marks[i]> }' when marked."""
    marks = marks or {}
    kept = [(i, [_cell(c) for c in row]) for i, row in enumerate(rows) if i in marks or any(c.strip() for c in row)]
    if not kept:
        return ""
    width = max(len(r) for _, r in kept)
    lines = []
    for n, (i, cells) in enumerate(kept):
        line = "| " + " | ".join(cells + [""] * (width - len(cells))) + " |"
        lines.append(line + (f" {{: #{marks[i]} }}" if i in marks else ""))
        if n == 0:
            lines.append("|" + "---|" * width)
    return "\n".join(lines)


def _cell(text: str) -> str:
    """One line: wrapped lines joined ('NĐ-' + 'CP' → 'NĐ-CP'), '|' and '\\' escaped."""
    return join_lines(text.split("\n")).replace("\\", "\\\\").replace("|", "\\|")


__all__ = ["Appendix", "AppendixRow", "appendix_markdown", "column_key", "indexed_rows", "join_lines",
           "number_label", "pipe_table", "row_anchors", "rows_from_table", "split_appendices"]

"""Tables that a PDF/DOCX reader returned as tables (marker lines '[[TABLE n]]' in the text):
numbered task tables become appendices; an appendix table ('PHỤ LỤC …' above it) whose
task or deadline column gives dated tasks becomes a table section (kept whole, moved to the
end of the body with its heading); any other table a Markdown table in the body."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Table
from ..text import squash
from .headings import APPENDIX_HEAD, CAPTION, heading_markdown, is_title
from .proposals import Proposal, proposals
from .tables import Appendix, appendix_markdown, indexed_rows, pipe_table

MARKER = re.compile(r"^\s*\[\[TABLE (\d+)\]\]\s*$")


@dataclass(frozen=True)
class TableSection:
    """An appendix table that is not a numbered task table, with the dated tasks found in it."""

    title: str  # "Phụ lục 3 CHI TIẾT …", the heading lines above the table
    caption: str | None
    table: Table
    items: tuple[Proposal, ...]
    start_line: int  # where it was cut from the text


def take_reader_tables(text: str, tables: tuple[Table, ...]) -> tuple[str, list[Appendix], list[TableSection]]:
    """Replace each task-table marker (and the 'PHỤ LỤC' heading lines just above it) by
    nothing and return the appendices and table sections; other markers become Markdown
    tables in place."""
    out: list[str] = []
    appendices: list[Appendix] = []
    sections: list[TableSection] = []
    for line in text.split("\n"):
        m = MARKER.match(line)
        table = tables[int(m.group(1)) - 1] if m and 0 < int(m.group(1)) <= len(tables) else None
        if table is None:
            out.append(line)
            continue
        rows = indexed_rows(table)
        items = () if rows else tuple(proposals(table))
        title, caption, cut = _heading_above(out)
        if rows:
            del out[cut:]
            columns = tuple(squash(c) for c in table.rows[0]) if table.rows else ()
            appendices.append(Appendix(title=title, caption=caption, columns=columns, rows=tuple(r for _, r in rows),
                                       start_line=len(out), source=table, source_rows=tuple(i for i, _ in rows)))
        elif items and cut < len(out):
            del out[cut:]
            sections.append(TableSection(title, caption, table, items, start_line=len(out)))
        else:
            out.extend(["", markdown_table(table), ""])
    return "\n".join(out), appendices, sections


def _heading_above(lines: list[str]) -> tuple[str, str | None, int]:
    """The 'PHỤ LỤC …' title and '(Kèm theo …)' caption within the few lines above a table;
    without a 'PHỤ LỤC' line, the capitals just above a caption ('PHÂN CÔNG NHIỆM VỤ …')."""
    start = max(0, len(lines) - 8)
    for i in range(len(lines) - 1, start - 1, -1):
        if lines[i].lstrip().startswith("|"):  # an earlier table: its heading is not this one's
            start = i + 1
            break
    at = next((i for i in range(len(lines) - 1, start - 1, -1) if APPENDIX_HEAD.match(lines[i])), None)
    if at is None:
        at = _titled_caption(lines, start)
    if at is None:
        return "PHỤ LỤC", None, len(lines)
    block = [squash(x.replace("*", "")) for x in lines[at:] if x.strip()]
    cap = next((i for i, x in enumerate(block) if x.startswith("(")), None)
    if cap is None:
        return " ".join(block), None, at
    end = next((j + 1 for j in range(cap, len(block)) if block[j].endswith(")")), cap + 1)
    return " ".join(block[:cap] + block[end:]), " ".join(block[cap:end]), at


def _titled_caption(lines: list[str], start: int) -> int | None:
    """The first line of the capitals heading a '(Kèm theo …)' caption at or after `start`."""
    cap = next((i for i in range(len(lines) - 1, start - 1, -1) if CAPTION.match(lines[i])), None)
    if cap is None:
        return None
    at = cap
    while at > start and is_title(lines[at - 1]):
        at -= 1
    return at if at < cap else None


def section_markdown(section: TableSection, anchor: str) -> str:
    """The section's heading (with the anchor its tasks link to), caption and whole table."""
    return heading_markdown(section.title, section.caption, anchor) + markdown_table(section.table) + "\n"


def markdown_table(table: Table) -> str:
    return pipe_table([list(row) for row in table.rows])


__all__ = ["TableSection", "appendix_markdown", "markdown_table", "section_markdown", "take_reader_tables"]

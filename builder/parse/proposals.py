"""Dated tasks in tables that are not numbered task tables: the "Giải pháp, kiến nghị",
"Đề xuất", "Nhiệm vụ" or "Thời hạn" columns of a report's appendix table.

Pure functions: a reader's Table in, Proposals (and, with the registry, Tasks) out.
A table qualifies when its header names a task/solution column or a deadline column.
A row whose deadline column gives a date is one task: its task cells. Otherwise each task
cell is cut into clauses (';', sentence ends, line breaks) and every clause that carries a
dated deadline ('… trước ngày 31/12/2026') is a task; clauses without a date are not.
The lead is who the clause assigns ('Đề nghị Sở X …') or names as its subject
('UBND xã Y hoàn thiện …'), else the table's lead column ('Chủ trì: …').
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Table, Task
from ..registry import Registry
from ..text import fold, iso_date, squash
from .entities import agency_spans
from .tasks import assignees, find_due, subject

_RULES = (  # folded header label → column role; the first rule that matches wins
    ("role", re.compile(r"chu tri.*phoi hop|phoi hop.*chu tri")),  # 'Vai trò (Chủ trì/Phối hợp)'
    ("support", re.compile(r"phoi hop")),
    ("lead", re.compile(r"chu tri|phu trach|(co quan|don vi) (thuc hien|thuc hien chinh)$|trach nhiem")),
    ("due", re.compile(r"thoi han|thoi gian (thuc hien|hoan thanh)|han (hoan thanh|xu ly)"
                       r"|tien do (thuc hien|hoan thanh)")),
    ("task", re.compile(r"giai phap|kien nghi|de xuat|nhiem vu|cong viec|bien phap")),
    ("number", re.compile(r"^(s?tt|so tt|so thu tu)$")),
)
_GROUP = re.compile(r"^(?P<g>[IVXLC]+|[A-Z]|[a-zđ])[.)]\s+\S")
_CLAUSE_END = re.compile(r";|\n|\.\s+(?=[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴ])")
_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})|(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})")
_LEAD_LABEL = re.compile(r"chủ trì\s*:", re.IGNORECASE)
_SUPPORT_LABEL = re.compile(r"phối hợp\s*:", re.IGNORECASE)
_LABEL_END = re.compile(r"[.;]\s|\bphối hợp\b|$", re.IGNORECASE)
_PAST = re.compile(r"(?<!\w)đã(?:\s+\S+){0,5}\s*$", re.IGNORECASE)  # "đã hoàn thành …" just before the date
_HEADER_ROWS = 3  # the header is one of the table's first rows


@dataclass(frozen=True)
class Proposal:
    """One dated task of a table row."""

    row: str  # the row's label: its number, under its group ('I.3'), or its position
    text: str  # the clause, or the row's task cells
    due: str  # ISO date
    due_text: str  # the deadline as written
    lead_cell: str | None = None  # the row's lead column ('Chủ trì: …'), if the table has one
    support_cell: str | None = None  # the row's support column, if any
    whole_row: bool = False  # the row's task cells, dated by its deadline column


def column_role(label: str) -> str | None:
    """'Giải pháp, kiến nghị' → 'task', 'Thời hạn hoàn thành' → 'due', 'Cơ quan phụ trách' → 'lead'."""
    folded = " ".join(re.findall(r"[a-z0-9]+", fold(label).lower()))
    return next((role for role, rule in _RULES if rule.search(folded)), None)


def table_roles(table: Table) -> tuple[int, list[str | None]] | None:
    """(header row index, role of every column) when the table has a task or deadline column."""
    for i, row in enumerate(table.rows[:_HEADER_ROWS]):
        roles = [column_role(cell) if cell.strip() else None for cell in row]
        if {"task", "due"} & set(roles):
            return i, roles
    return None


def number_label(table: Table) -> str | None:
    """The printed label of the table's number column ('TT', 'STT'), if it has one."""
    found = table_roles(table)
    if found is None or "number" not in found[1]:
        return None
    return squash(table.rows[found[0]][found[1].index("number")])


def proposals(table: Table) -> list[Proposal]:
    """The dated tasks of a qualifying table, row by row; [] for any other table."""
    found = table_roles(table)
    if found is None:
        return []
    head, roles = found
    group, out = "", []
    for n, cells in enumerate(table.rows[head + 1 :], start=1):
        if cells == table.rows[head]:
            continue  # the header repeated on a new page
        marker = _group(cells)
        if marker:
            group = marker
            continue
        out += _row_proposals(roles, cells, _label(roles, cells, group, n))
    return out


def _group(cells: tuple[str, ...]) -> str | None:
    """'I. CỤM CÔNG NGHIỆP …' spanning the row: the group the next rows are numbered under."""
    filled = {squash(c) for c in cells if c.strip()}
    m = _GROUP.match(next(iter(filled))) if len(filled) == 1 else None
    return m.group("g") if m else None


def _label(roles: list[str | None], cells: tuple[str, ...], group: str, n: int) -> str:
    number = next((squash(c).rstrip(".") for r, c in zip(roles, cells) if r == "number" and c.strip()), "")
    if not number:
        return f"dòng {n}"
    return f"{group}.{number}" if group else number


def _row_proposals(roles: list[str | None], cells: tuple[str, ...], label: str) -> list[Proposal]:
    def column(*wanted: str | None) -> str | None:
        found = [squash(c.replace("\n", " ")) for r, c in zip(roles, cells) if r in wanted and c.strip()]
        return "; ".join(found) or None

    lead, support, due_cell = column("lead"), column("support"), column("due")
    task = column("task") or column(None)  # without a task column: the row's unlabelled cells
    due = column_due(due_cell) if due_cell else None
    if due and task:
        return [Proposal(label, task, due, due_cell or "", lead, support, whole_row=True)]
    texts = [c for r, c in zip(roles, cells) if r == "task" and c.strip()]
    return [Proposal(label, clause, *dated, lead, support)
            for clause in clauses("\n".join(texts)) if (dated := _dated(clause))]


def clauses(text: str) -> list[str]:
    """A cell cut at ';', line breaks and sentence ends ('. ' before a capital)."""
    return [squash(x).rstrip(".,") for x in _CLAUSE_END.split(text) if squash(x).rstrip(".,")]


def _dated(clause: str) -> tuple[str, str] | None:
    """(due, due_text) of a clause that sets a dated deadline; None for a clause that reports
    past work ('đã hoàn thành trước ngày …')."""
    due, due_text = find_due(clause)
    if not due or not due_text or len(due) != 10:
        return None
    return None if _PAST.search(clause[: clause.find(due_text)]) else (due, due_text)


def column_due(cell: str) -> str | None:
    """The date of a deadline cell: 'Trước ngày 30/9/2026', '30/9/2026'; not a range ('Từ … đến …')."""
    due, _ = find_due(cell)
    if due:
        return due
    dates = _DATE.findall(cell)
    if len(dates) != 1 or re.search(r"\btừ\b", cell, re.IGNORECASE):
        return None
    d = dates[0]
    return iso_date(d[0] or d[3], d[1] or d[4], d[2] or d[5])


# ------------------------------------------------------------------------------ tasks


def proposal_tasks(items: list[Proposal], registry: Registry, name: str, number_label: str,
                   anchor: str) -> list[Task]:
    """Tasks of one table: section '<name>, <TT> I.3', all linking to the table's anchor."""
    tasks = []
    for item in items:
        lead, support = _who(item, registry)
        row = item.row if item.row.startswith("dòng") else f"{number_label} {item.row}"
        tasks.append(Task(text=item.text, section=f"{name}, {row}", anchor=anchor, lead=lead, support=support,
                          due=item.due, due_text=item.due_text))
    return tasks


def _who(item: Proposal, registry: Registry) -> tuple[list[str], list[str]]:
    """Lead and support. A whole row: its lead/support columns first. A clause: the agency
    it names as subject or assigns ('Đề nghị Sở X …') first, which is more precise than
    the row's lead column (that column is for the whole row)."""
    support = item.support_cell or _support_part(item.lead_cell)
    columns = (_cell_agencies(_lead_part(item.lead_cell), registry), _cell_agencies(support, registry))
    if item.whole_row and columns[0]:
        return columns
    lead = subject(item.text, registry)
    if lead:
        return lead, []
    lead, support = assignees(item.text, registry)
    return (lead, support) if lead else columns


def _lead_part(cell: str | None) -> str | None:
    """'Chủ trì: Sở A. Phối hợp: …' → 'Sở A'; a cell without that label as a whole, up to 'phối hợp'."""
    if not cell:
        return None
    label = _LEAD_LABEL.search(cell)
    rest = cell[label.end() :] if label else cell
    return rest[: _LABEL_END.search(rest).start()].strip() or None  # type: ignore[union-attr]


def _support_part(cell: str | None) -> str | None:
    """'Chủ trì: Sở A. Phối hợp: Sở B, Sở C' → 'Sở B, Sở C'."""
    label = _SUPPORT_LABEL.search(cell or "")
    return cell[label.end() :] if cell and label else None


def _cell_agencies(cell: str | None, registry: Registry) -> list[str]:
    if not cell:
        return []
    return list(dict.fromkeys(name for _, _, name in agency_spans(cell, registry)))


__all__ = ["Proposal", "clauses", "column_due", "column_role", "number_label", "proposal_tasks", "proposals",
           "table_roles"]

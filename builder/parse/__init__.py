"""Parse stage: RawDocument → Document. Pure: text and registry in, dataclasses out."""

from __future__ import annotations

import re

from ..model import Document, RawDocument, Task
from ..registry import Registry
from ..text import slugify, squash
from .annexes import Annex, annex_markdown, annexes, heading_anchor
from .body import split_blocks
from .closing import parse_closing
from .entities import agency_spans, named_entities
from .header import parse_header
from .headings import appendix_number
from .issuer import issuer as _issuer
from .issuer import presiding as _presiding
from .markdown import blocks_markdown
from .proposals import number_label, proposal_tasks
from .readertables import TableSection, section_markdown, take_reader_tables
from .references import find_references, merge_references
from .tables import Appendix, AppendixRow, appendix_markdown, row_anchors, split_appendices
from .tables import number_label as row_label
from .tasks import assignees, body_tasks, find_due


def parse_document(raw: RawDocument, registry: Registry, source: str) -> Document:
    text, from_tables, sections = take_reader_tables(raw.text, raw.tables)
    lines, appendices = _cut_appendices(text)
    appendices = from_tables + appendices
    head = parse_header(lines)
    closing = parse_closing(lines, head.body_start, len(lines))
    body_lines = lines[head.body_start : closing.start if closing.start is not None else len(lines)]
    extra = annexes(lines, closing.end) if closing.start is not None else []
    blocks = split_blocks(body_lines)
    tasks = body_tasks(blocks, registry, head.issued, head.kinh_gui, closing.recipients,  # also anchors task blocks
                       report=head.type == "Báo cáo")
    body = blocks_markdown(blocks) + _after_body(appendices, sections, extra)
    issuer = _issuer(head, registry)
    tasks += [t for k, a in enumerate(appendices, 1) for t in _appendix_tasks(a, k, registry, len(appendices))]
    tasks += [t for k, s in enumerate(sections, 1) for t in _section_tasks(s, k, registry)]
    full_text = "\n".join([head.title or "", issuer or "", *(b.plain for b in blocks), _appendix_text(appendices),
                           *_section_rows(sections), *(x.plain for x in extra)])
    people, agencies, unverified = named_entities(full_text + " " + " ".join(head.kinh_gui), registry)
    refs = merge_references(
        [r for b in blocks for r in find_references(b.plain, head.symbol)]
        + [r for a in appendices for row in a.rows for r in find_references(row.text, head.symbol)]
        + [r for row in _section_rows(sections) for r in find_references(row, head.symbol)]
        + [r for x in extra for r in find_references(x.plain, head.symbol)]
    )
    doc = Document(
        id="", type=head.type, title=head.title, number=head.number, symbol=head.symbol, issued=head.issued,
        place=head.place, issuer=issuer, signer=closing.signer, presiding=_presiding(head, full_text, registry),
        recipients=head.kinh_gui + closing.recipients, people=people, agencies=agencies, unverified=unverified,
        references=refs, tasks=tasks, source=source, body=body,
    )
    for person in (doc.signer.name, doc.presiding):
        if person and person in registry.people and person not in doc.people:
            doc.people.append(person)
    doc.id = document_id(doc)
    doc.warnings = list(head.problems)
    return doc


def _cut_appendices(text: str) -> tuple[list[str], list[Appendix]]:
    """The text's lines with the parsed appendix tables blanked out (so every other line,
    an appendix that is not a task table included, keeps its place), and those appendices."""
    _, found = split_appendices(text)
    lines = text.split("\n")
    for a in found:
        lines[a.start_line : a.end_line] = [""] * ((a.end_line or len(lines)) - a.start_line)
    return lines, found


def _after_body(appendices: list[Appendix], sections: list[TableSection], extra: list[Annex]) -> str:
    """Appendices, table sections and annexes in the order they have in the document, each a
    '## ' section; every task row and table section carries the anchor its tasks link to."""
    pieces: list[tuple[int, int, int, Appendix | TableSection | Annex]] = [
        *((a.start_line, 0, k, a) for k, a in enumerate(appendices, 1)),
        *((s.start_line, 1, k, s) for k, s in enumerate(sections, 1)),
        *((x.start_line, 2, k, x) for k, x in enumerate(extra, 1)),
    ]
    out, n = [], 0
    for _, _, k, item in sorted(pieces, key=lambda p: p[:3]):
        if isinstance(item, TableSection):
            out.append(section_markdown(item, _section_anchor(k)))
            continue
        n += 1
        if isinstance(item, Appendix):
            out.append(appendix_markdown(item, _row_prefix(k, len(appendices)), heading_anchor(n)))
        else:
            out.append(annex_markdown(item, n))
    return "".join("\n" + x for x in out)


def document_id(doc: Document) -> str:
    """Stable, readable: '2025-576-tb-vp'; unnumbered '2025-vp-th-trien-khai-thuc-hien-nghi-quyet'."""
    year = doc.year or "khong-ro-nam"
    if doc.number and doc.symbol:
        return f"{year}-{int(doc.number)}-{slugify(doc.symbol)}"
    parts = [year, slugify(doc.symbol or doc.type or "van-ban"), slugify(doc.title or "", max_words=6)]
    return "-".join(p for p in parts if p)


def _row_prefix(k: int, count: int) -> str:
    return f"pl{k}-" if count > 1 else "pl-"


def _appendix_tasks(a: Appendix, k: int, registry: Registry, count: int) -> list[Task]:
    """One task per row, linking to the anchor the body writes on that row (row_anchors)."""
    name = f"Phụ lục {k}" if count > 1 else "Phụ lục"
    label = row_label(a)
    tasks = []
    for i, (row, anchor) in enumerate(zip(a.rows, row_anchors(a, _row_prefix(k, count))), 1):
        where = f"{label} {row.number.rstrip('.')}" if row.number else f"dòng {i}"
        tasks.append(_row_task(row, anchor, f"{name}, {where}", registry))
    return tasks


def _section_anchor(k: int) -> str:
    return f"pl-bang-{k}"


def _section_tasks(section: TableSection, k: int, registry: Registry) -> list[Task]:
    """Tasks of a table section: 'Phụ lục 3, TT I.3', linking to the section's heading."""
    which = appendix_number(section.title)
    name = f"Phụ lục {which}" if which else "Phụ lục"
    number = number_label(section.table) or "dòng"
    return proposal_tasks(list(section.items), registry, name, number, _section_anchor(k))


def _section_rows(sections: list[TableSection]) -> list[str]:
    """Each body row of the sections' tables as one line of text (cells joined)."""
    return [squash(" ".join(row).replace("\n", " ")) for s in sections for row in s.table.rows[1:]]


def _row_task(row: AppendixRow, anchor: str, section: str, registry: Registry) -> Task:
    due, _ = find_due(row.due_text or "")
    leader = None
    if row.leader:
        hits = [x.name for x in registry.find(row.leader) if x.kind == "person"]
        leader = hits[0] if hits else row.leader
    return Task(
        text=row.text, section=section, anchor=anchor,
        lead=_agency_list(row.lead, registry), support=_agency_list(row.support, registry), leader=leader,
        due=due, due_text=row.due_text, result=row.result,
    )


def _agency_list(cell: str | None, registry: Registry) -> list[str]:
    """The agencies of a lead/support cell, per part (cells list them with ';' or one a line):
    where the registry knows one, every agency the part names ('Các sở, ban, ngành, UBND các
    xã, phường'); else the part as written — a cell holds names, not sentences, so an unknown
    one is not cut where running text would be ('Trung tâm Phát triển quỹ đất tỉnh')."""
    found: list[str] = []
    for part in re.split(r"[;\n]", cell or ""):
        part = squash(part).strip(" ,.")
        if part:
            names = [n for _, _, n in agency_spans(part, registry)]
            found += names if any(n in registry.agencies for n in names) else [part]
    return list(dict.fromkeys(found))


def _appendix_text(appendices: list[Appendix]) -> str:
    return " ".join(
        " ".join(x for x in (r.text, r.lead, r.support, r.result, r.leader, r.assignee) if x)
        for a in appendices for r in a.rows
    )


__all__ = ["assignees", "document_id", "parse_document"]

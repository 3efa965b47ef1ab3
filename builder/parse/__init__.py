"""Parse stage: RawDocument → Document. Pure: text and registry in, dataclasses out."""

from __future__ import annotations

import re

from ..model import Document, RawDocument, Task
from ..registry import Registry
from ..text import slugify, squash
from .body import split_blocks
from .closing import parse_closing
from .entities import named_entities
from .header import parse_header
from .issuer import issuer as _issuer
from .issuer import presiding as _presiding
from .markdown import blocks_markdown
from .proposals import number_label, proposal_tasks
from .readertables import TableSection, section_markdown, take_reader_tables
from .references import find_references, merge_references
from .tables import Appendix, AppendixRow, appendix_markdown, split_appendices
from .tasks import assignees, body_tasks, find_due

_APPENDIX_NAME = re.compile(r"^\W*PH[ỤU] L[ỤU]C(?:\s+(?:SỐ\s+)?([\dIVXLC]+)\b)?", re.IGNORECASE)


def parse_document(raw: RawDocument, registry: Registry, source: str) -> Document:
    text, from_tables, sections = take_reader_tables(raw.text, raw.tables)
    main, appendices = split_appendices(text)
    appendices = from_tables + appendices
    lines = main.split("\n")
    head = parse_header(lines)
    closing = parse_closing(lines, head.body_start, len(lines))
    body_lines = lines[head.body_start : closing.start if closing.start is not None else len(lines)]
    blocks = split_blocks(body_lines)
    tasks = body_tasks(blocks, registry, head.issued, head.kinh_gui)  # also gives unnumbered task blocks an anchor
    body = blocks_markdown(blocks) + "".join("\n" + appendix_markdown(a) for a in appendices)
    body += "".join("\n" + section_markdown(s, _section_anchor(k)) for k, s in enumerate(sections, 1))
    issuer = _issuer(head, registry)
    tasks += [t for k, a in enumerate(appendices, 1) for t in _appendix_tasks(a, k, registry, len(appendices))]
    tasks += [t for k, s in enumerate(sections, 1) for t in _section_tasks(s, k, registry)]
    full_text = "\n".join([head.title or "", issuer or "", *(b.plain for b in blocks), _appendix_text(appendices),
                           *_section_rows(sections)])
    people, agencies, unverified = named_entities(full_text + " " + " ".join(head.kinh_gui), registry)
    refs = merge_references(
        [r for b in blocks for r in find_references(b.plain, head.symbol)]
        + [r for a in appendices for row in a.rows for r in find_references(row.text, head.symbol)]
        + [r for row in _section_rows(sections) for r in find_references(row, head.symbol)]
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


def document_id(doc: Document) -> str:
    """Stable, readable: '2025-576-tb-vp'; unnumbered '2025-vp-th-trien-khai-thuc-hien-nghi-quyet'."""
    year = doc.year or "khong-ro-nam"
    if doc.number and doc.symbol:
        return f"{year}-{int(doc.number)}-{slugify(doc.symbol)}"
    parts = [year, slugify(doc.symbol or doc.type or "van-ban"), slugify(doc.title or "", max_words=6)]
    return "-".join(p for p in parts if p)


def _appendix_tasks(a: Appendix, k: int, registry: Registry, count: int) -> list[Task]:
    return [_row_task(row, k if count > 1 else None, registry) for row in a.rows]


def _section_anchor(k: int) -> str:
    return f"pl-bang-{k}"


def _section_tasks(section: TableSection, k: int, registry: Registry) -> list[Task]:
    """Tasks of a table section: 'Phụ lục 3, TT I.3', linking to the section's heading."""
    m = _APPENDIX_NAME.match(section.title)
    name = f"Phụ lục {m.group(1)}" if m and m.group(1) else "Phụ lục"
    number = number_label(section.table) or "dòng"
    return proposal_tasks(list(section.items), registry, name, number, _section_anchor(k))


def _section_rows(sections: list[TableSection]) -> list[str]:
    """Each body row of the sections' tables as one line of text (cells joined)."""
    return [squash(" ".join(row).replace("\n", " ")) for s in sections for row in s.table.rows[1:]]


def _row_task(row: AppendixRow, k: int | None, registry: Registry) -> Task:
    due, _ = find_due(row.due_text or "")
    leader = None
    if row.leader:
        hits = [x.name for x in registry.find(row.leader) if x.kind == "person"]
        leader = hits[0] if hits else row.leader
    prefix = f"pl{k}-" if k else "pl-"
    return Task(
        text=row.text, section=f"Phụ lục{f' {k}' if k else ''}, STT {row.number}", anchor=f"{prefix}{row.number}",
        lead=_agency_list(row.lead, registry), support=_agency_list(row.support, registry), leader=leader,
        due=due, due_text=row.due_text, result=row.result,
    )


def _agency_list(cell: str | None, registry: Registry) -> list[str]:
    if not cell:
        return []
    found: list[str] = []
    for m in registry.find(cell):
        if m.kind == "agency" and m.name not in found:
            found.append(m.name)
    return found or [squash(cell)]


def _appendix_text(appendices: list[Appendix]) -> str:
    return " ".join(
        " ".join(x for x in (r.text, r.lead, r.support, r.result, r.leader) if x) for a in appendices for r in a.rows
    )


__all__ = ["assignees", "document_id", "parse_document"]

"""Parse stage: RawDocument → Document. Pure: text and registry in, dataclasses out."""

from __future__ import annotations

import re

from ..model import Document, RawDocument, Task
from ..registry import Registry
from ..text import slugify, squash
from .body import split_blocks
from .closing import parse_closing
from .entities import named_entities
from .header import Header, parse_header
from .markdown import blocks_markdown
from .readertables import take_reader_tables
from .references import find_references, merge_references
from .tables import Appendix, AppendixRow, appendix_markdown, split_appendices
from .tasks import assignees, body_tasks, find_due

_PRESIDING_TITLE = re.compile(r"của (?:đồng chí|Đồng chí)\s+(?P<name>[^,]+),")
_PRESIDING_BODY = re.compile(
    r"(?P<role>(?:Phó\s+)?Chủ tịch(?:\s+Thường trực)?\s+Ủy ban nhân dân (?:thành phố|tỉnh))\s+(?:có ý kiến|kết luận|chỉ đạo)"
)


def parse_document(raw: RawDocument, registry: Registry, source: str) -> Document:
    text, from_tables = take_reader_tables(raw.text, raw.tables)
    main, appendices = split_appendices(text)
    appendices = from_tables + appendices
    lines = main.split("\n")
    head = parse_header(lines)
    closing = parse_closing(lines, head.body_start, len(lines))
    body_lines = lines[head.body_start : closing.start if closing.start is not None else len(lines)]
    blocks = split_blocks(body_lines)
    tasks = body_tasks(blocks, registry, head.issued)  # also gives unnumbered task blocks an anchor
    body = blocks_markdown(blocks) + "".join("\n" + appendix_markdown(a) for a in appendices)
    issuer = _issuer(head, registry)
    tasks += [t for k, a in enumerate(appendices, 1) for t in _appendix_tasks(a, k, registry, len(appendices))]
    full_text = squash(" ".join([head.title or "", issuer or ""] + [b.plain for b in blocks])) + " " + _appendix_text(appendices)
    people, agencies, unverified = named_entities(full_text + " " + " ".join(head.kinh_gui), registry)
    refs = merge_references(
        [r for b in blocks for r in find_references(b.plain, head.symbol)]
        + [r for a in appendices for row in a.rows for r in find_references(row.text, head.symbol)]
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
    return doc


def document_id(doc: Document) -> str:
    """Stable, readable: '2025-576-tb-vp'; unnumbered '2025-vp-th-trien-khai-thuc-hien-nghi-quyet'."""
    year = doc.year or "khong-ro-nam"
    if doc.number and doc.symbol:
        return f"{year}-{int(doc.number)}-{slugify(doc.symbol)}"
    parts = [year, slugify(doc.symbol or doc.type or "van-ban"), slugify(doc.title or "", max_words=6)]
    return "-".join(p for p in parts if p)


def _issuer(head: Header, registry: Registry) -> str | None:
    if head.symbol:
        parts = head.symbol.split("/")[-1].split("-") if head.party else head.symbol.split("-")
        codes = parts if head.type == "Công văn" or head.party else parts[1:] + parts[:1]
        for code in codes:
            if code in registry.by_code:
                return registry.by_code[code]
    joined = " ".join(head.issuer_lines)
    return registry.resolve_agency(joined) or (joined.title() if joined else None)


def _presiding(head: Header, text: str, registry: Registry) -> str | None:
    m = _PRESIDING_TITLE.search(head.title or "")
    if m:
        hits = [x.name for x in registry.find(m.group("name")) if x.kind == "person"]
        return hits[0] if hits else m.group("name").strip()
    m = _PRESIDING_BODY.search(text)
    if m:
        return registry.person_in_role(m.group("role"), head.issued) or m.group("role")
    return None


def _appendix_tasks(a: Appendix, k: int, registry: Registry, count: int) -> list[Task]:
    return [_row_task(row, k if count > 1 else None, registry) for row in a.rows]


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


__all__ = ["parse_document", "document_id", "assignees"]

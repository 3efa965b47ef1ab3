"""What the search index reads from a document: the text it indexes, the short text whose
words rank higher (title, number, names), and the passages that snippets are cut from."""

from __future__ import annotations

import json
import re

from .model import Document
from .text import squash, vn_date

_ANCHOR = re.compile(r"\{: #([\w-]+) \}")
_MD = re.compile(r"[*_`#>]|\[\^\d+\]")
_ESC = re.compile(r"\\(?=[.#\\*_>+=-])")
_PARAGRAPHS = re.compile(r"\n\s*\n")
_MARK = re.compile(r"\x00(\d+)\x00")


def _plain(markdown_text: str) -> tuple[str, list[str]]:
    """Markdown → text in one pass over the whole body: anchors become \\x00<n>\\x00 markers
    (their ids in the returned list), markup characters spaces; table bars are kept."""
    ids: list[str] = []

    def mark(m: re.Match[str]) -> str:
        ids.append(m.group(1))
        return f" \x00{len(ids) - 1}\x00 "

    return _MD.sub(" ", _ESC.sub("", _ANCHOR.sub(mark, markdown_text))), ids


def meta_text(doc: Document) -> str:
    """The document's identity as a reader cites it; '; ' keeps fields out of each other's phrases."""
    number = f"{doc.type or ''} số {doc.number_symbol}" if doc.number_symbol else doc.type
    fields = (number, f"ngày {vn_date(doc.issued)}" if doc.issued else None, doc.title, doc.issuer,
              doc.signer.name, doc.presiding)
    return "; ".join(x for x in fields if x)


Body = tuple[str, list[str]]


def body(doc: Document) -> Body:
    """The body as plain text with anchor markers, and the anchor ids (for document_text and passages)."""
    return _plain(doc.body)


def document_text(doc: Document, plain: Body | None = None) -> str:
    """Everything indexed: the identity line, then the body (table bars kept: they break phrases)."""
    return meta_text(doc) + "\n" + _MARK.sub(" ", (plain or body(doc))[0])


def title_text(doc: Document) -> str:
    """Words that rank a document higher: its title, number, type, issuer and the names it concerns."""
    fields = [doc.title, doc.number_symbol, doc.type, doc.issuer, *doc.agencies, *doc.people]
    return "; ".join(x for x in fields if x)


def passages(doc: Document, plain: Body | None = None) -> dict[str, list[list[object]]]:
    """{"a": [[anchor, heading], …], "p": [[anchor index, text], …]}: one passage per paragraph
    of the body (labelled with the nearest anchor before it) and per appendix row."""
    facts = [("Số", doc.number_symbol), ("Cơ quan ban hành", doc.issuer), ("Người ký", doc.signer.name),
             ("Lãnh đạo chủ trì, kết luận", doc.presiding)]
    anchors: list[list[object]] = [["", "Thông tin văn bản"]]
    paras: list[list[object]] = [[0, "; ".join(f"{k}: {v}" for k, v in facts if v)]]
    text, ids = plain or body(doc)
    for para in _PARAGRAPHS.split(text):
        if para.lstrip().startswith("|"):
            continue  # table rows: appendix tasks are added below, row by row
        m = _MARK.search(para)
        clean = " ".join(_MARK.sub(" ", para).replace("|", " ").split())
        if not clean:
            continue
        if m:
            anchors.append([ids[int(m.group(1))], clean[:140]])
        paras.append([len(anchors) - 1, clean])
    for t in doc.tasks:
        if t.anchor.startswith("pl"):
            who = ", ".join(t.lead)
            anchors.append([t.anchor, f"{t.section} — {who}" if who else t.section])
            text = " — ".join(x for x in (t.text, who, t.due_text, t.result, t.leader) if x)
            paras.append([len(anchors) - 1, squash(text)])
    return {"a": anchors, "p": [p for p in paras if p[1]]}


def result_row(doc: Document) -> list[str]:
    """What a search result shows: id, title, type, number/symbol, date, issuer."""
    return [doc.id, doc.title or "", doc.type or "", doc.number_symbol or "", doc.issued or "", doc.issuer or ""]


def result_json(doc: Document, plain: Body | None = None) -> bytes:
    """A result's file: {"r": row, "a": anchors, "p": passages}."""
    data = {"r": result_row(doc), **passages(doc, plain)}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

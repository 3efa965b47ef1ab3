"""Search stage: a lunr index prebuilt in Python (read by lunr.js in the browser) plus a
small store of what a result shows (title, number, date, issuer, sections for snippets).

Terms come from builder.searchterms (twin of assets/js/vi.js); lunr's own pipeline is
emptied on both sides, so no English stemmer, stop-word filter or ASCII trimmer runs.
"""

from __future__ import annotations

import json
import re

from lunr.builder import Builder

from .corpus import Corpus
from .model import Document
from .searchterms import analyse
from .text import squash, vn_date

FIELDS = ("w", "f", "c", "p", "t")
_ANCHOR = re.compile(r"\{: #([\w-]+) \}")
_MD = re.compile(r"[*_`#>|]|\[\^\d+\]")
_ESC = re.compile(r"\\(?=[.#\\*_>+=-])")


def document_text(doc: Document) -> str:
    meta = " ".join(x for x in (doc.type, doc.number_symbol, f"số {doc.number}" if doc.number else None,
                                doc.title, doc.issuer, vn_date(doc.issued), doc.signer.name, doc.presiding) if x)
    return meta + "\n" + _plain(doc.body)


def _plain(markdown_text: str) -> str:
    return _MD.sub(" ", _ESC.sub("", _ANCHOR.sub(" ", markdown_text)))


def sections(doc: Document) -> list[list[str]]:
    """[anchor, heading, text] for each anchored block of the body and each appendix row."""
    facts = [("Số", doc.number_symbol), ("Cơ quan ban hành", doc.issuer), ("Người ký", doc.signer.name),
             ("Lãnh đạo chủ trì, kết luận", doc.presiding)]
    out: list[list[str]] = [["", "Thông tin văn bản", "; ".join(f"{k}: {v}" for k, v in facts if v)]]
    current = ["", doc.title or "", ""]
    for para in re.split(r"\n\s*\n", doc.body):
        m = _ANCHOR.search(para)
        clean = squash(_plain(para))
        if m:
            out.append(current)
            current = [m.group(1), clean[:140], clean]
        elif not para.lstrip().startswith("|"):
            current[2] = (current[2] + " " + clean).strip()
    out.append(current)
    for t in doc.tasks:
        if t.anchor.startswith("pl"):
            who = ", ".join(t.lead)
            out.append([t.anchor, f"{t.section} — {who}" if who else t.section,
                        squash(" — ".join(x for x in (t.text, who, t.due_text, t.result, t.leader) if x))])
    return [s for s in out if s[2]]


def build_index(corpus: Corpus) -> tuple[str, str]:
    """Return (index JSON, store JSON), both deterministic for the same corpus."""
    builder = Builder()
    builder.pipeline.reset()
    builder.search_pipeline.reset()
    builder.ref("id")
    for name in FIELDS:
        builder.field(name)
    store = []
    for doc in sorted(corpus.documents, key=lambda d: d.id):
        terms = analyse(document_text(doc))
        title = analyse(" ".join(x for x in (doc.title, doc.number_symbol, doc.type, " ".join(doc.agencies),
                                            " ".join(doc.people)) if x))
        builder.add({"id": doc.id, "w": terms["w"], "f": terms["f"], "c": terms["c"], "p": terms["p"],
                     "t": title["f"] + title["c"]})
        store.append(_entry(doc))
    index = builder.build().serialize()
    return _dumps(index), _dumps({"docs": store})


def _entry(doc: Document) -> dict[str, object]:
    return {
        "id": doc.id, "title": doc.title or "", "type": doc.type or "", "so": doc.number_symbol or "",
        "date": doc.issued or "", "issuer": doc.issuer or "", "year": doc.year or "",
        "agencies": doc.agencies, "people": doc.people, "sections": sections(doc),
    }


def _dumps(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

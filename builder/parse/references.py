"""References: documents cited in the text, state forms (273/NQ-CP, 226/2025/QH15,
184/CD-TTg) and Party forms (126-TB/TU, 09-NQ/TU), with type, date and issuer."""

from __future__ import annotations

import re

from ..model import Reference
from ..text import iso_date, squash
from .header import TYPE_CODES, TYPE_NAMES

_CODE = r"[A-ZĐ][A-Za-zĐđ]*\d*"
STATE = re.compile(rf"(?<![\w/-])(?P<num>\d{{1,5}})/(?P<sym>\d{{4}}/{_CODE}(?:-{_CODE})*|{_CODE}(?:-{_CODE})+)(?![\w/])")
PARTY = re.compile(rf"(?<![\w/-])(?P<num>\d{{1,5}})-(?P<sym>{_CODE}/{_CODE})(?![\w/])")
_TYPES = sorted(TYPE_NAMES + ("Nghị định", "Thông tư", "Luật", "Văn bản", "Chương trình hành động", "Công điện"), key=len, reverse=True)
TYPE_BEFORE = re.compile(r"(" + "|".join(_TYPES) + r")(?:\s+số)?\s*:?\s*$", re.IGNORECASE)
DATE_AFTER = re.compile(
    r"^\s*,?\s*ngày\s+(?:(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})|(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})\s+năm\s+(?P<y2>\d{4}))"
)
ISSUER_AFTER = re.compile(r"^\s*của\s+(?P<who>[^,;:()]+?)(?=\s+(?:về|ban hành|triển khai|thực hiện|quy định|phê duyệt|hướng dẫn|tại)\b|[,;:()]|$)")
_NUMBER_LIST = re.compile(r"(?:^|[,;]\s*|\s)số\s*$")


def find_references(text: str, own_symbol: str | None = None) -> list[Reference]:
    """Every cited document in `text` (one paragraph, wrapped lines already joined)."""
    refs: list[Reference] = []
    spans = [(m, False) for m in STATE.finditer(text)] + [(m, True) for m in PARTY.finditer(text)]
    last_type: str | None = None
    for m, party in sorted(spans, key=lambda x: x[0].start()):
        if own_symbol and m.group("sym") == own_symbol:
            continue
        ref = _reference(text, m, party, last_type)
        if ref.type is None:
            continue
        last_type = ref.type
        refs.append(ref)
    return refs


def _reference(text: str, m: re.Match[str], party: bool, last_type: str | None) -> Reference:
    before = text[max(0, m.start() - 45) : m.start()]
    t = TYPE_BEFORE.search(before)
    rtype = _type_name(t.group(1)) if t else None
    if rtype is None and _NUMBER_LIST.search(before):
        rtype = last_type  # "các Kế hoạch: số 201/KH-UBND ..., số 202/KH-UBND ..."
    if rtype is None:
        rtype = _type_from_code(m.group("sym"), party)
    start = t.start() + max(0, m.start() - 45) if t else m.start()
    rest = text[m.end() :]
    d = DATE_AFTER.match(rest)
    date = None
    end = m.end()
    if d:
        date = iso_date(d.group("d") or d.group("d2"), d.group("m") or d.group("m2"), d.group("y") or d.group("y2"))
        rest, end = rest[d.end() :], end + d.end()
    who = ISSUER_AFTER.match(rest)
    issuer = squash(who.group("who")).rstrip(".") if who and len(who.group("who").split()) <= 10 else None
    if who and issuer:
        end += who.end()
    return Reference(text=squash(text[start:end]).rstrip(".,;: "), type=rtype, number=m.group("num"), symbol=m.group("sym"),
                     date=date, issuer=issuer)


def _type_name(word: str) -> str:
    for name in _TYPES:
        if name.lower() == word.lower():
            return name
    return word


def _type_from_code(symbol: str, party: bool) -> str | None:
    code = symbol.split("/")[0] if party else symbol.split("/")[-1].split("-")[0]
    return TYPE_CODES.get(code)


def merge_references(refs: list[Reference]) -> list[Reference]:
    """One entry per cited document: later short mentions fill nothing new, first full one wins
    (NĐ 30/2020: the first citation gives type, number, date, issuer)."""
    merged: dict[tuple[str | None, str | None, str | None], Reference] = {}
    for r in refs:
        k = (r.number, r.symbol, (r.date or "")[:4] or None)
        same = next((v for kk, v in merged.items() if kk[:2] == k[:2] and (kk[2] is None or k[2] is None or kk[2] == k[2])), None)
        if same is None:
            merged[k] = r
            continue
        same.date = same.date or r.date
        same.issuer = same.issuer or r.issuer
    return list(merged.values())

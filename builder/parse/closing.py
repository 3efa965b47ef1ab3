"""The closing block: 'Nơi nhận:' recipients and the signature (TM./KT./TL./TUQ./Q. + title + name)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Signer
from .header import clean_line

_AUTHORITY = re.compile(r"^(TM|KT|TL|TUQ|Q|T/M|K/T|T/L)\.?\s+(.+)$")
_NOI_NHAN = re.compile(r"^Nơi nhận\s*:?", re.IGNORECASE)
_NAME = re.compile(r"^[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴ][^\s\d.,;:]*(?:\s+[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴ][^\s\d.,;:]*){1,4}$")
_TITLE_WORDS = {
    "ỦY BAN NHÂN DÂN": "Ủy ban nhân dân", "UỶ BAN NHÂN DÂN": "Ủy ban nhân dân",
    "VĂN PHÒNG": "Văn phòng", "HỘI ĐỒNG NHÂN DÂN": "Hội đồng nhân dân", "CHỦ TỊCH": "Chủ tịch",
    "GIÁM ĐỐC": "Giám đốc", "BỘ TRƯỞNG": "Bộ trưởng", "THỨ TRƯỞNG": "Thứ trưởng", "TRƯỞNG BAN": "Trưởng ban",
    "CHÁNH": "Chánh", "PHÓ": "Phó", "THƯỜNG TRỰC": "Thường trực",
}


@dataclass
class Closing:
    recipients: list[str] = field(default_factory=list)
    signer: Signer = field(default_factory=Signer)
    start: int | None = None  # first line of the closing block (body ends before it)
    end: int = 0  # first line after the signature


def parse_closing(lines: list[str], start: int, stop: int) -> Closing:
    """Search lines[start:stop] from the end for 'Nơi nhận:' and the signature around it."""
    cleaned = [clean_line(x) for x in lines[:stop]]
    at = next((i for i in range(stop - 1, start - 1, -1) if _NOI_NHAN.match(cleaned[i])), None)
    closing = Closing(end=stop)
    if at is None:
        return closing
    closing.start = at
    i = at + 1
    first = cleaned[at].split(":", 1)[1].strip() if ":" in cleaned[at] else ""
    if first:
        closing.recipients.append(_recipient(first))
    while i < stop and (not cleaned[i] or cleaned[i].startswith(("-", "+", "•"))):
        if cleaned[i]:
            closing.recipients.append(_recipient(cleaned[i]))
        i += 1
    closing.recipients = [r for r in closing.recipients if r]
    closing.signer = parse_signature(cleaned[at + 1 : stop])
    return closing


def _recipient(line: str) -> str:
    return line.strip("-+•;,. ✓").strip()


def parse_signature(cleaned: list[str]) -> Signer:
    """The signature block: upper-case authority/title lines followed by the signer's name."""
    caps: list[str] = []
    signer = Signer()
    for line in cleaned:
        if not line or line.startswith(("-", "+", "•")):
            continue
        if line.isupper() and len(line) < 60:
            caps.append(line)
            continue
        if caps and _NAME.match(line):
            signer.name = line
            break
    if not caps:
        return signer
    for line in caps:
        m = _AUTHORITY.match(line)
        if m and signer.authority is None:
            signer.authority = m.group(1).replace("/", "")
            signer.on_behalf_of = sentence_case(m.group(2))
    signer.position = sentence_case(_AUTHORITY.sub(r"\2", caps[-1]))
    return signer


def sentence_case(text: str) -> str:
    """'PHÓ CHÁNH VĂN PHÒNG' → 'Phó Chánh Văn phòng'; 'ỦY BAN NHÂN DÂN' → 'Ủy ban nhân dân'."""
    out = text.strip()
    for caps, proper in _TITLE_WORDS.items():
        out = out.replace(caps, "\x00" + proper + "\x00")
    pieces = out.split("\x00")
    words = []
    for i, piece in enumerate(pieces):
        if i % 2:
            words.append(piece)
        else:
            words.append(" ".join(w.capitalize() if w.isupper() else w for w in piece.split(" ")))
    return re.sub(r"\s+", " ", " ".join(p for p in words if p)).strip()

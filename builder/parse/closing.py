"""The closing block: 'Nơi nhận:' recipients and the signature (TM./KT./TL./TUQ./Q. + title + name)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Signer
from .header import clean_line, columns
from .issuer import is_acronym

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
    end: int = 0  # first line after the signer's name (the block's first line when no name is found)


def parse_closing(lines: list[str], start: int, stop: int) -> Closing:
    """Search lines[start:stop] from the end for 'Nơi nhận:' and the signature around it."""
    cleaned = [clean_line(x) for x in lines[:stop]]
    at = next((i for i in range(stop - 1, start - 1, -1) if _NOI_NHAN.match(cleaned[i])), None)
    closing = Closing(end=stop)
    if at is None:
        return closing
    closing.start = at
    left, right = closing_columns(lines[at:stop])
    first = left[0].split(":", 1)[1].strip() if ":" in left[0] else ""
    items, used = _recipient_items([first] + left[1:])
    closing.recipients = [r for r in (_recipient(x) for x in items) if r]
    closing.signer = parse_signature(right or left[used:])
    closing.end = _after_name(lines, at, stop, closing.signer.name)
    return closing


def _after_name(lines: list[str], at: int, stop: int, name: str | None) -> int:
    """The line after the one that prints the signer's name, searching from the block's start."""
    hit = next((i for i in range(at, stop) if name and name in clean_line(lines[i])), None)
    return at if hit is None else hit + 1


def closing_columns(lines: list[str]) -> tuple[list[str], list[str]]:
    """Cleaned left column (recipients) and right column (signature) of the closing block.
    PDF and DOCX readers give the columns one after the other (all left); layout text puts the
    signature on the same lines as the recipients, after a wide gap or far indented."""
    left: list[str] = []
    right: list[str] = []
    for line in lines:
        a, b = columns(line)
        b = clean_line(b)
        if b and (not a.strip() or b.isupper() or _NAME.match(b)):
            left.append(clean_line(a))
            right.append(b)
        else:
            left.append(clean_line(line))
    return left, right


def _recipient_items(lines: list[str]) -> tuple[list[str], int]:
    """Recipients, one per '-' line with wrapped lines joined; and how many lines they use."""
    items: list[str] = []
    i = 0
    for i, line in enumerate(lines):
        if not line:
            continue
        if line.startswith(("-", "+", "•")) or (i == 0 and not items):
            items.append(line)
        elif items and not items[-1].endswith((";", ".")) and not line.isupper() and not _NAME.match(line):
            items[-1] = f"{items[-1]} {line}"
        else:
            return items, i
    return items, len(lines)


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
    """'PHÓ CHÁNH VĂN PHÒNG' → 'Phó Chánh Văn phòng'; 'ỦY BAN NHÂN DÂN' → 'Ủy ban nhân dân';
    other words as a phrase: 'TRƯỞNG ĐOÀN' → 'Trưởng đoàn', 'PHÓ CỤC TRƯỞNG' → 'Phó Cục trưởng'."""
    out = text.strip()
    for caps, proper in _TITLE_WORDS.items():
        out = out.replace(caps, "\x00" + proper + "\x00")
    pieces = out.split("\x00")
    words = []
    for i, piece in enumerate(pieces):
        if i % 2:
            words.append(piece)
        else:
            words.append(_phrase_case(piece))
    return re.sub(r"\s+", " ", " ".join(p for p in words if p)).strip()


def _phrase_case(piece: str) -> str:
    """Capitals to a phrase: first word capitalised, the rest lower case, acronyms kept."""
    words = [w if is_acronym(w) else w.lower() for w in piece.split()]
    if words:
        words[0] = words[0][:1].upper() + words[0][1:]
    return " ".join(words)

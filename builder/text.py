"""Small text helpers shared by every stage: NFC, accent folding, slugs, dates."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u3000]+")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Remove Vietnamese diacritics, with đ→d (which NFD does not decompose)."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped)


def squash(text: str) -> str:
    """Collapse runs of spaces, trim."""
    return _SPACES.sub(" ", text).strip()


def slugify(text: str, max_words: int | None = None) -> str:
    """Diacritic-free, lower-case, hyphenated: 'Sở Tài chính' → 'so-tai-chinh'."""
    words = re.findall(r"[a-z0-9]+", fold(text).lower())
    if max_words:
        words = words[:max_words]
    return "-".join(words)


def key(text: str) -> str:
    """A comparison key: folded, lower-case, single-spaced, no punctuation."""
    return " ".join(re.findall(r"[a-z0-9]+", fold(text).lower()))


def iso_date(day: str | int | None, month: str | int | None, year: str | int | None) -> str | None:
    """'10','10','2025' → '2025-10-10'; a blank day gives 'YYYY-MM'; an impossible date None."""
    import datetime

    try:
        y = int(year) if year else None
        m = int(month) if month else None
        d = int(day) if day else None
    except ValueError:
        return None
    if y is None:
        return None
    if m is None:
        return f"{y:04d}"
    if d is None:
        return f"{y:04d}-{m:02d}" if 1 <= m <= 12 else None
    try:
        return datetime.date(y, m, d).isoformat()
    except ValueError:
        return None


def vn_date(iso: str | None) -> str:
    """'2025-10-10' → '10/10/2025'; '2025-09' → 'tháng 9/2025'."""
    if not iso:
        return ""
    parts = iso.split("-")
    if len(parts) == 3:
        return f"{parts[2]}/{parts[1]}/{parts[0]}"
    if len(parts) == 2 and parts[1].isdigit():
        return f"tháng {int(parts[1])}/{parts[0]}"
    return parts[0]

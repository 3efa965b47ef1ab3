"""The Vietnamese analysis used by the search index. Its twin is assets/js/vi.js; the
two must produce the same terms for the same text (tests/test_search_parity.py runs both).

- NFC, lower case; no stemmer, no stop words (lunr's English ones break Vietnamese).
- Words are kept exact ('sở') and folded ('so', đ→d) in separate fields, so an exact
  match can rank above a folded one.
- Compounds such as '576/TB-VP', '126-TB/TU', '17/10/2025' are indexed whole (folded,
  separators → '/', leading zeros dropped: '9/9/2025') and by their parts.
- Consecutive folded words are also indexed as pairs ('tai_chinh') to rank phrases.
"""

from __future__ import annotations

import re
import unicodedata

from .text import fold

TOKEN = re.compile(r"[^\W_]+(?:[./\-][^\W_]+)*")
SPLIT = re.compile(r"[./\-]")


def tokens(text: str) -> list[str]:
    return TOKEN.findall(unicodedata.normalize("NFC", text).lower())


def _num(part: str) -> str:
    return (part.lstrip("0") or "0") if part.isdigit() else part


def analyse(text: str) -> dict[str, list[str]]:
    """Index terms by field: w exact words, f folded words, c compounds, p folded pairs."""
    words: list[str] = []
    compounds: list[str] = []
    for tok in tokens(text):
        parts = [_num(p) for p in SPLIT.split(tok) if p]
        if len(parts) > 1:
            compounds.append(fold("/".join(parts)))
        words.extend(parts)
    folded = [fold(w) for w in words]
    pairs = [f"{a}_{b}" for a, b in zip(folded, folded[1:])]
    return {"w": words, "f": folded, "c": compounds, "p": pairs}

"""The Vietnamese analysis used by the search index. Its twin is assets/js/vi.js; the two
must produce the same terms for the same text (tests/test_search_parity.py runs both).

- NFC, lower case; no stemmer, no stop words (lunr's English ones break Vietnamese).
- Words are kept exact ('sở') and folded ('so', đ→d). The exact form is canonical for the
  two tone-mark conventions of open syllables ending in oa/oe/uy: 'hòa' and 'hoà', 'ủy'
  and 'uỷ' are one exact word, so an accented query finds either spelling exactly.
- Compounds such as '576/TB-VP', '126-TB/TU', '17/10/2025' are indexed whole (folded,
  separators → '/', leading zeros dropped: '9/9/2025') and by their parts.
- Consecutive folded words are also indexed as pairs ('tai_chinh') to rank phrases; a
  pair never spans punctuation that separates phrases (, ; : . ! ? brackets quotes |).
"""

from __future__ import annotations

import re
import unicodedata
from itertools import chain as _chain
from operator import itemgetter

from .text import fold

BREAKS = ",;:.!?()[]\"“”|"  # punctuation that ends a run of syllables (no pair across it)
TOKEN_OR_BREAK = re.compile(r"[^\W_]+(?:[./\-][^\W_]+)*|[" + re.escape(BREAKS) + "]")
SPLIT = re.compile(r"[./\-]")
_flat = _chain.from_iterable
_EXACT, _CHAIN = itemgetter(0), itemgetter(3)
TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
_OPEN = ("oa", "oe", "uy")


def canon(word: str) -> str:
    """One exact spelling per word: in a syllable ending in oa/oe/uy the tone mark sits on
    the last vowel ('hòa' → 'hoà', 'thủy' → 'thuỷ'); every other word is unchanged."""
    if len(word) < 2:
        return word
    decomposed = unicodedata.normalize("NFD", word)
    marks = [c for c in decomposed if c in TONES]
    if len(marks) != 1:
        return word
    base = decomposed.replace(marks[0], "")
    if not base.endswith(_OPEN):
        return word
    return unicodedata.normalize("NFC", base + marks[0])


def _num(part: str) -> str:
    return (part.lstrip("0") or "0") if part.isascii() and part.isdigit() else part


_Info = tuple  # (exact parts, folded parts, folded compound or None, phrase chain)
_CACHE: dict[str, _Info] = {c: ((), (), None, (None,)) for c in BREAKS}  # punctuation breaks the chain


def _token(tok: str) -> _Info:
    """What one lower-case token contributes (memoised: archives repeat their words)."""
    info = _CACHE.get(tok)
    if info is None:
        parts = [_num(p) for p in SPLIT.split(tok) if p]
        folded = tuple(fold(p) for p in parts)
        info = (tuple(canon(p) for p in parts), folded, "/".join(folded) if len(parts) > 1 else None, folded)
        if len(_CACHE) < 1 << 19:
            _CACHE[tok] = info
    return info


def analyse(text: str) -> dict[str, list[str]]:
    """Index terms by kind: w exact words, f folded words, c compounds, p folded pairs."""
    found = TOKEN_OR_BREAK.findall(unicodedata.normalize("NFC", text).lower())
    get = _CACHE.get
    infos = [get(tok) or _token(tok) for tok in found]
    chain = list(_flat(map(_CHAIN, infos)))  # folded words, None where punctuation breaks a phrase
    return {"w": list(_flat(map(_EXACT, infos))), "f": [x for x in chain if x is not None],
            "c": [i[2] for i in infos if i[2]], "p": [f"{a}_{b}" for a, b in zip(chain, chain[1:]) if a and b]}

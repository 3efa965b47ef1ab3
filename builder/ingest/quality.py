"""Text-layer quality: safe repairs and a verdict on whether extracted text can be trusted.

The functions are pure (text in, text out) so the PDF and DOCX readers share them and they
can be tested on plain strings; `repair_document` applies `repair_text` to a text and its
tables' cells.

`repair_text` only applies repairs that cannot damage correct Vietnamese text:
- NFC normalisation (decomposed tone marks from some PDF producers become single code points);
- the broken-font "ƣ"/"Ƣ" (U+01A3/U+01A2, LATIN LETTER OI), which Vietnamese never uses and
  which legacy-font conversions emit for "ư"/"Ư".

`assess_text_layer` returns None when the text is usable, else a short reason. The checks run
from the most to the least specific, and the first that fires gives the reason:
1. no text at all, or almost none for the page count (a scanned image);
2. "(cid:N)" glyph codes (a font without a Unicode map: the letters are unknown);
3. legacy TCVN3 (ABC) or VNI font encodings shown as mojibake ("Uû ban nh©n d©n");
4. too few Vietnamese letters with diacritics for the amount of text (a font that lost
   tone marks or accented capitals).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from ..model import Table

# Letters carrying Vietnamese diacritics (precomposed, NFC): the marks that a broken font loses.
_VN_LOWER = (
    "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
)
VIETNAMESE_LETTERS = frozenset(_VN_LOWER + _VN_LOWER.upper())

# Safe one-to-one repairs: (wrong, right). Vietnamese never uses the "oi" letters.
_SAFE_REPLACEMENTS = (("ƣ", "ư"), ("Ƣ", "Ư"))

_CID = re.compile(r"\(cid:\d+\)")

# TCVN3 (ABC) fonts put Vietnamese letters on Latin-1 symbol code points: "©" is "â",
# "®" is "đ", "¬" is "ơ", U+00AD (soft hyphen) is "ư", "§" is "Đ"... Read as Unicode they
# are symbols sitting inside words ("nh©n d©n"), which real text never has.
TCVN3_SYMBOLS = frozenset("¡¢£¤¥¦§¨©ª«¬\u00ad®¯°±²³´µ¶·¸¹º»¼½¾¿")
# VNI fonts write a base letter followed by an accent glyph mapped on Western letters that
# Vietnamese does not use ("Vieät Nam", "Coäng hoøa", "ñ" for "đ").
VNI_LETTERS = frozenset("äåëïöøûüñÄÅËÏÖØÛÜÑ")

# Thresholds, each explained:
# Fewer than this many letters per page on average means there is no real text layer: even a
# one-line cover page of an official document has more, and a scan without OCR has none.
MIN_LETTERS_PER_PAGE = 40
# "(cid:N)" tokens: a stray bullet glyph from a symbol font may produce a few, so a layer is
# rejected only from this many tokens and when they are at least this share of all tokens.
MIN_CID_TOKENS = 5
MIN_CID_SHARE = 0.02
# Legacy-encoding characters inside words: real text has at most a stray "°" or "§"; TCVN3 or
# VNI mojibake has one on nearly every accented syllable (10-30% of letters).
MIN_LEGACY_CHARS = 5
MIN_LEGACY_SHARE = 0.02
# Vietnamese prose has 20-30% of its letters with diacritics (the good samples: 25-33%);
# a font that dropped the tone marks leaves a few percent. The check needs enough letters
# to be meaningful, so short texts are not judged on it.
MIN_LETTERS_FOR_DIACRITIC_CHECK = 200
MIN_DIACRITIC_SHARE = 0.05


def repair_text(text: str) -> tuple[str, list[str]]:
    """NFC-normalise and apply the safe broken-font repairs; return the text and notes."""
    notes: list[str] = []
    normalised = unicodedata.normalize("NFC", text)
    if normalised != text:
        notes.append("normalised the text to Unicode NFC")
    for wrong, right in _SAFE_REPLACEMENTS:
        count = normalised.count(wrong)
        if count:
            normalised = normalised.replace(wrong, right)
            notes.append(f"replaced {count} '{wrong}' with '{right}'")
    return normalised, notes


def repair_document(text: str, tables: Iterable[Table]) -> tuple[str, tuple[Table, ...], list[str]]:
    """repair_text over the text and every table cell; the notes count both."""
    tables = tuple(tables)
    cells = [cell for table in tables for row in table.rows for cell in row]
    _, notes = repair_text("\n".join([text, *cells]))
    fixed = tuple(Table(tuple(tuple(repair_text(c)[0] for c in row) for row in t.rows), t.page)
                  for t in tables)
    return repair_text(text)[0], fixed, notes


def encoding_problem(text: str) -> str | None:
    """For text that is not from a page layout (TXT, Markdown): glyph codes, a legacy
    Vietnamese encoding (TCVN3/VNI) or missing diacritics; None when the text is usable."""
    for check in (_cid_problem, _legacy_problem, _diacritic_problem):
        reason = check(text)
        if reason:
            return reason
    return None


def assess_text_layer(text: str, pages: int) -> str | None:
    """None when the text layer is usable, otherwise a short one-line reason."""
    pages = max(pages, 1)
    letters = count_letters(text)
    if letters == 0:
        return "no text layer: the pages are images only (a scan)"
    if letters < MIN_LETTERS_PER_PAGE * pages:
        return f"almost no text ({letters} letters on {pages} page(s)): probably a scanned image"
    for check in (_cid_problem, _legacy_problem, _diacritic_problem):
        reason = check(text)
        if reason:
            return reason
    return None


def count_letters(text: str) -> int:
    return sum(1 for ch in text if ch.isalpha())


def diacritic_share(text: str) -> float:
    """Share of the letters that carry a Vietnamese diacritic (0.0 when there are no letters)."""
    letters = count_letters(text)
    if not letters:
        return 0.0
    return sum(1 for ch in text if ch in VIETNAMESE_LETTERS) / letters


def _cid_problem(text: str) -> str | None:
    cids = len(_CID.findall(text))
    if cids < MIN_CID_TOKENS:
        return None
    tokens = len(_CID.sub(" x ", text).split())
    if cids / max(tokens, 1) < MIN_CID_SHARE:
        return None
    return f"{cids} '(cid:N)' glyph codes instead of letters: the fonts have no Unicode map"


def _legacy_problem(text: str) -> str | None:
    tcvn3, vni, example = _legacy_counts(text)
    letters = count_letters(text)
    total = tcvn3 + vni
    if total < MIN_LEGACY_CHARS or total / max(letters, 1) < MIN_LEGACY_SHARE:
        return None
    name = "TCVN3 (ABC)" if tcvn3 >= vni else "VNI"
    return f"legacy {name} font encoding, not Unicode (mojibake such as '{example}')"


def _legacy_counts(text: str) -> tuple[int, int, str]:
    """Count TCVN3 symbols and VNI letters found inside words; return one offending word."""
    tcvn3 = vni = 0
    example = ""
    for word in text.split():
        hits_t = sum(1 for ch in word if ch in TCVN3_SYMBOLS) if _has_letter(word) else 0
        hits_v = sum(1 for ch in word if ch in VNI_LETTERS)
        if (hits_t or hits_v) and not example:
            example = word
        tcvn3 += hits_t
        vni += hits_v
    return tcvn3, vni, example


def _has_letter(word: str) -> bool:
    return any(ch.isalpha() for ch in word)


def _diacritic_problem(text: str) -> str | None:
    letters = count_letters(_CID.sub(" ", text))
    if letters < MIN_LETTERS_FOR_DIACRITIC_CHECK:
        return None
    share = diacritic_share(_CID.sub(" ", text))
    if share >= MIN_DIACRITIC_SHARE:
        return None
    return (
        f"too few Vietnamese diacritics ({share:.1%} of letters, expected at least "
        f"{MIN_DIACRITIC_SHARE:.0%}): the font probably lost tone marks or accented capitals"
    )

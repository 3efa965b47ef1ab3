"""The heading over an appendix, an annex or a table section (NĐ 30/2020): a 'PHỤ LỤC …'
line, title lines in capitals, a caption '(Kèm theo …)'; and that heading in Markdown.

Shared by readertables.py (the heading above a reader's table), annexes.py (what follows the
signature), tables.py (task tables) and the parse stage's __init__. Pure functions on strings.
"""

from __future__ import annotations

import re

from .columns import strip_marks

# 'PHỤ LỤC' opening a line, after Markdown marks only ('**Phụ lục số 01:**', '# PHỤ LỤC I'); a
# list item citing one ('- Phụ lục 1 …') opens nothing. tables.py keeps a stricter test of its
# own (_BARE_APPENDIX_LINE): the line is the heading word and its number, nothing more.
_OPENER = r"^[\s*_#]*PH[ỤU]\s+L[ỤU]C\b"
APPENDIX_HEAD = re.compile(_OPENER, re.IGNORECASE)
_APPENDIX_NUMBER = re.compile(_OPENER + r"(?:\s+(?:SỐ\s+)?([\dIVXLC]+)\b)?", re.IGNORECASE)
CAPTION = re.compile(r"^[\s*_]*\(\s*[*_]*\s*Kèm theo\b", re.IGNORECASE)


def appendix_number(title: str) -> str | None:
    """'PHỤ LỤC 3 CHI TIẾT …' → '3', 'Phụ lục số IV' → 'IV'; None when no number follows."""
    m = _APPENDIX_NUMBER.match(title)
    return m.group(1) if m else None


def is_title(line: str) -> bool:
    """A title line of a heading: capitals, and not a list item, a table row or a
    parenthesis (a caption's line, even in capitals)."""
    text = strip_marks(line)
    return bool(text) and text.isupper() and not text.startswith(("-", "+", "|", "("))


def heading_markdown(title: str, caption: str | None, anchor: str | None) -> str:
    """'## <title> {: #<anchor> }' (no anchor when None), then the caption in italics, each
    followed by a blank line."""
    out = [f"## {title}" + (f" {{: #{anchor} }}" if anchor else ""), ""]
    if caption:
        out += [f"*{caption.replace('*', '')}*", ""]
    return "\n".join(out) + "\n"


__all__ = ["APPENDIX_HEAD", "CAPTION", "appendix_number", "heading_markdown", "is_title"]

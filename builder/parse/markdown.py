"""Blocks → the Markdown body stored under content/: numbered sections become headings
(short ones) or anchored paragraphs, bullets a list, footnotes Markdown footnotes."""

from __future__ import annotations

import re

from .body import SUPERSCRIPT, Block, FOOTNOTE_DEF

_ESCAPE_START = re.compile(r"^(\d+)\.(\s)|^([#>+*=])")
_SUP_RUN = re.compile(rf"(?<=[^\s{SUPERSCRIPT}])([{SUPERSCRIPT}]+)")


def blocks_markdown(blocks: list[Block]) -> str:
    notes = {b.marker for b in blocks if b.kind == "footnote"}
    seen: dict[str, int] = {}
    out: list[str] = []
    in_list = False
    for b in blocks:
        if b.kind == "bullet":
            out.append("- " + _inline(b.text, notes) + (f"\n{{: #{b.task_anchor} }}" if b.task_anchor else ""))
            in_list = True
            continue
        if in_list:
            out.append("")
            in_list = False
        if b.kind == "table":
            out.append(b.text + "\n")
            continue
        if b.kind == "footnote":
            text = FOOTNOTE_DEF.match(b.text.lstrip("*_ "))
            out.append(f"[^{b.marker}]: {_inline(text.group('t') if text else b.text, notes)}\n")
            continue
        out.append(_paragraph(b, notes, seen) + "\n")
    return "\n".join(out).strip() + "\n"


def unique_anchor(anchor: str, seen: dict[str, int]) -> str:
    if not anchor:
        return ""
    seen[anchor] = seen.get(anchor, 0) + 1
    return anchor if seen[anchor] == 1 else f"{anchor}-{seen[anchor]}"


def _paragraph(b: Block, notes: set[str | None], seen: dict[str, int]) -> str:
    text = _inline(b.text, notes)
    anchor = unique_anchor(b.anchor, seen) if b.marker else (b.task_anchor or "")
    if not anchor:
        return _escape(text)
    if is_heading(b):
        level = min(6, 1 + len(b.path))
        return f"{'#' * level} {text.replace('**', '')} {{: #{anchor} }}"
    return f"{_escape(text)}\n{{: #{anchor} }}"


def is_heading(b: Block) -> bool:
    plain = b.plain
    return (
        b.kind == "para" and b.marker is not None and not b.marker.startswith("(") and len(b.marker) > 0
        and not (len(b.marker) == 1 and b.marker.isalpha() and b.marker.islower())
        and len(plain) <= 160 and not plain.endswith((".", ";", "./."))
    )


def _inline(text: str, notes: set[str | None]) -> str:
    """Superscript footnote calls → [^n] when the note exists; braces kept literal."""

    def call(m: re.Match[str]) -> str:
        n = "".join(str(SUPERSCRIPT.index(c)) for c in m.group(1))
        return f"[^{n}]" if n in notes else m.group(1)

    return _SUP_RUN.sub(call, text)


def _escape(text: str) -> str:
    """Keep a paragraph that starts with '1. ' or '#' from becoming a list or a heading."""
    return _ESCAPE_START.sub(lambda m: f"{m.group(1)}\\.{m.group(2)}" if m.group(1) else "\\" + m.group(3), text)

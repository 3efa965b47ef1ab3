"""The body: lines → blocks (paragraphs, numbered items, bullets, footnotes) with outline
paths and anchors, and blocks → faithful Markdown. Pure functions on text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from ..text import fold, squash

ROMAN = re.compile(r"^(?P<m>[IVX]+)\.\s+")
NUMERIC = re.compile(r"^(?P<m>\d{1,2}(?:\.\d{1,2})+)\.?\s+|^(?P<n>\d{1,2})\.\s+")
LETTER = re.compile(r"^(?P<m>[a-zđ])\)\s+")
PAREN = re.compile(r"^\((?P<m>\d{1,2})\)\s+")
BULLET = re.compile(r"^[-+•–]\s*(?=\S)")
TABLE_ROW = re.compile(r"^\|.*\|$")
SUPERSCRIPT = "⁰¹²³⁴⁵⁶⁷⁸⁹"
FOOTNOTE_DEF = re.compile(rf"^(?P<n>[{SUPERSCRIPT}]+)\s*(?P<t>.+)$")
_TERMINAL = (".", ":", ";", "!", "?", "./.", ".”", ":”")


@dataclass
class Block:
    text: str  # as in the source, Markdown emphasis kept
    kind: str = "para"  # para | bullet | footnote | table (Markdown rows, kept as they are)
    marker: str | None = None  # "2.2.1", "a", "(1)", "II"
    path: tuple[str, ...] = ()  # outline path of the block (or of its parent for bullets)
    task_anchor: str | None = None  # set by the task extractor for unnumbered task blocks

    @property
    def plain(self) -> str:
        return squash(self.text.replace("**", "").replace("*", ""))

    @property
    def anchor(self) -> str:
        return anchor_for(self.path)


def anchor_for(path: tuple[str, ...]) -> str:
    return "muc-" + "-".join(fold(p.replace("đ", "dd")).lower().strip("()") for p in path) if path else ""


def html_to_text(fragment: str) -> str:
    """Turn an HTML fragment from a source into plain text (tags dropped, block tags → line breaks)."""
    if "<" not in fragment:
        return fragment
    parser = _TextParser()
    parser.feed(fragment)
    parser.close()
    return "\n".join(squash(x) for x in "".join(parser.out).split("\n") if squash(x))


class _TextParser(HTMLParser):
    BLOCK = {"p", "div", "li", "br", "tr", "ul", "ol", "table", "h1", "h2", "h3", "h4"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.BLOCK:
            self.out.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.BLOCK:
            self.out.append("\n")

    def handle_data(self, data: str) -> None:
        self.out.append(data)


def split_blocks(lines: list[str]) -> list[Block]:
    """Group source lines into blocks, joining lines that a PDF wrapped or a page break split."""
    text = "\n".join(lines)
    lines = html_to_text(text).split("\n") if re.search(r"</?[a-zA-Z][^>]*>", text) else lines
    wrapped = _looks_wrapped(lines)
    blocks: list[Block] = []
    blank_before = False
    for raw in lines:
        line = squash(raw.replace("\u200b", ""))
        if not line:
            blank_before = True
            continue
        if TABLE_ROW.match(line):  # a Markdown table (a reader's table kept in the body): one block
            if blocks and blocks[-1].kind == "table" and not blank_before:
                blocks[-1].text += "\n" + line
            else:
                blocks.append(Block(text=line, kind="table"))
            blank_before = False
            continue
        last = _last_para(blocks)
        if last is not None and last.kind != "table" and _continues(last.plain, line, wrapped, blank_before):
            last.text = _join(last.text, line)
        else:
            blocks.append(_new_block(line))
        blank_before = False
    _assign_paths(blocks)
    return blocks


def _looks_wrapped(lines: list[str]) -> bool:
    """PDF-extracted text keeps the printed line breaks: most lines are short and unfinished."""
    body = [squash(x) for x in lines if squash(x)]
    if len(body) < 10:
        return False
    short = sum(1 for x in body if len(x) < 100)
    unfinished = sum(1 for x in body if not x.rstrip("*").endswith(_TERMINAL))
    return short > 0.7 * len(body) and unfinished > 0.5 * len(body)


def _last_para(blocks: list[Block]) -> Block | None:
    for b in reversed(blocks):
        if b.kind != "footnote":
            return b
    return None


def _is_marker(line: str) -> bool:
    plain = line.lstrip("*_ ")
    return bool(
        ROMAN.match(plain) or NUMERIC.match(plain) or LETTER.match(plain) or PAREN.match(plain)
        or BULLET.match(plain) or FOOTNOTE_DEF.match(plain)
    )


def _continues(previous: str, line: str, wrapped: bool, blank_before: bool) -> bool:
    if _is_marker(line):
        return False
    unfinished = not previous.endswith(_TERMINAL) and not (previous.startswith("(") and previous.endswith(")"))
    starts_lower = line.lstrip("*_“\"(")[:1].islower()
    if wrapped:
        return unfinished or starts_lower
    return unfinished and (starts_lower or len(previous) >= 160)


def _join(a: str, b: str) -> str:
    if a.endswith("-") and a[-2:-1].isdigit():  # "2021-" + "2025"
        return a + b
    return a + " " + b


def _new_block(line: str) -> Block:
    plain = line.lstrip("*_ ")
    fn = FOOTNOTE_DEF.match(plain)
    if fn:
        return Block(text=line, kind="footnote", marker=_superscript_number(fn.group("n")))
    if BULLET.match(plain):
        return Block(text=BULLET.sub("", plain, count=1), kind="bullet")
    for pattern in (ROMAN, NUMERIC, LETTER, PAREN):
        m = pattern.match(plain)
        if m:
            marker = m.group("m") or m.groupdict().get("n")
            return Block(text=line, marker=f"({marker})" if pattern is PAREN else marker)
    return Block(text=line)


def _superscript_number(sup: str) -> str:
    return "".join(str(SUPERSCRIPT.index(c)) for c in sup)


def _assign_paths(blocks: list[Block]) -> None:
    """Give every numbered block its outline path: II › 2.21, 4.2.2 › a › (1)."""
    roman: tuple[str, ...] = ()
    numeric: tuple[str, ...] = ()
    letter: tuple[str, ...] = ()
    paren: tuple[str, ...] = ()
    for b in blocks:
        plain = b.text.lstrip("*_ ")
        if b.kind == "para" and b.marker:
            if ROMAN.match(plain):
                roman, numeric, letter, paren = (b.marker,), (), (), ()
            elif NUMERIC.match(plain):
                numeric, letter, paren = tuple(b.marker.split(".")), (), ()
            elif LETTER.match(plain):
                letter, paren = (b.marker,), ()
            else:
                paren = (b.marker,)
        b.path = roman + numeric + letter + paren

"""Lay out the words of a PDF's pages as the document's text: pure functions on data copied
out of pdfplumber by `pdf.load_pages`.

- words are grouped into lines by vertical position (superscripts stay on their line); digits
  set in a smaller, raised font become superscript characters ("BGTVT³"), which the parser
  reads as footnote calls;
- a gap of one em or more becomes 2-10 spaces, so blank fields stay visible ("Số:     /UBND-XD");
- page 1's two-column letterhead is emitted as its left column lines, then its right column
  lines; the signature block from "Nơi nhận:" likewise (recipients, then the signer);
- a paragraph's soft-wrapped lines (a line ends because the next word would not fit, and the
  next one starts at the left margin) are joined into one line, also across a page break;
  lines that end early (hard breaks) stay separate. A footnote printed at the foot of a page
  that a paragraph runs over follows the paragraph;
- words inside a ruled table are left out; the table's marker line (see `pdf`) takes its place;
- lone page numbers at a page's top or bottom and decoration rules ("––––") are dropped.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace

TABLE_MARKER = "[[TABLE {n}]]"
WIDE_GAP_EM = 1.0  # a gap this wide (in font sizes) is a blank field or a column gap
MIN_GUTTER = 12.0  # points of empty space needed between two columns
SUPERSCRIPT_SIZE = 0.8  # a raised word at most this share of its line's font size
SUPERSCRIPT_RISE = 0.15  # ... whose bottom is at least this many font sizes above the baseline
MIN_FULL_LINES = 3  # lines reaching the right edge needed to tell soft wraps from hard breaks
_RULE_CHARS = set("-–—_=.…*·")
_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


@dataclass(frozen=True)
class FoundTable:
    bbox: tuple[float, float, float, float]  # x0, top, x1, bottom
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class PageData:
    number: int
    width: float
    height: float
    words: tuple[Word, ...]
    tables: tuple[FoundTable, ...] = ()
    image_cover: float = 0.0  # largest share of the page covered by one image


Line = tuple[Word, ...]


@dataclass(frozen=True)
class Frame:
    """The body text block of pages of one size: left and right edges, body font size."""

    left: float
    right: float
    size: float


@dataclass(frozen=True)
class Piece:
    """One output line. Body lines keep their first and last printed lines, so paragraphs
    can be joined; header, signature and table lines have none."""

    top: float
    text: str
    page: int  # page of the last printed line
    first: Line | None = None
    last: Line | None = None


# --- one page -------------------------------------------------------------------------------


def _in_tables(word: Word, page: PageData) -> bool:
    mx, my = (word.x0 + word.x1) / 2, (word.top + word.bottom) / 2
    return any(x0 - 1 <= mx <= x1 + 1 and t0 - 1 <= my <= t1 + 1 for x0, t0, x1, t1 in
               (t.bbox for t in page.tables))


def page_pieces(page: PageData, markers: list[tuple[FoundTable, int | None]],
                first: bool) -> list[Piece]:
    """One page in reading order: header (page 1), body lines, signature block, table markers."""
    words = [w for w in page.words if not _in_tables(w, page)]
    lines = [ln for ln in group_lines(words) if not _is_page_number(ln, page)]
    centre = _centre(words) if words else page.width / 2
    frame = (centre, max((w.x1 for w in words), default=page.width))
    floor, header = header_block(lines, centre) if first and lines else (0, [])
    top = lines[0][0].top if lines else 0.0
    pieces = [Piece(top, text, page.number) for text in header]
    i = floor
    while i < len(lines):
        if _is_recipients(lines[i], centre):
            start, end, block = signature_block(lines, i, floor, frame)
            del pieces[len(pieces) - (i - start):]  # lines taken back into the block
            pieces += [Piece(lines[start][0].top, text, page.number) for text in block]
            i = end
        else:
            line = lines[i]
            pieces.append(Piece(line[0].top, render(line), page.number, line, line))
            i += 1
    pieces += [Piece(t.bbox[1], TABLE_MARKER.format(n=n), page.number)
               for t, n in markers if n is not None]
    pieces.sort(key=lambda piece: piece.top)
    return [p for p in pieces if p.text and not _is_rule(p.text)]


def group_lines(words: list[Word]) -> list[Line]:
    """Group words into lines by vertical position; each line sorted left to right."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        if lines and _same_line(lines[-1][0], word):
            lines[-1].append(word)
        else:
            lines.append([word])
    return [tuple(sorted(line, key=lambda w: w.x0)) for line in lines]


def _same_line(ref: Word, word: Word) -> bool:
    mid, ref_mid = (word.top + word.bottom) / 2, (ref.top + ref.bottom) / 2
    return ref.top <= mid <= ref.bottom or word.top <= ref_mid <= word.bottom


def render(words: Line | list[Word]) -> str:
    """Join words with a space, nothing where they touch, or a run of 2-10 spaces
    (proportional) where the gap is wide: a blank field or a column gap. Raised small digits
    become superscript characters."""
    texts = [_superscript(w, words) for w in words]
    out = texts[0] if words else ""
    for prev, word, text, wide in zip(words, words[1:], texts[1:], _wide_gaps(words)):
        gap, size = word.x0 - prev.x1, max(prev.size, word.size, 1.0)
        if wide:
            out += " " * max(2, min(10, round(gap / (0.5 * size))))
        elif gap >= 0.15 * min(prev.size, word.size):
            out += " "
        out += text
    return out


def _superscript(word: Word, line: Line | list[Word]) -> str:
    """A footnote call or an exponent: digits in a smaller font whose bottom sits clearly above
    the baseline of the line's full-size words."""
    main = max(w.size for w in line)
    if not re.fullmatch(r"[0-9]+", word.text) or word.size > SUPERSCRIPT_SIZE * main:
        return word.text
    baseline = max(w.bottom for w in line if w.size > SUPERSCRIPT_SIZE * main)
    return word.text.translate(_SUPERSCRIPTS) if word.bottom <= baseline - SUPERSCRIPT_RISE * main \
        else word.text


def _wide_gaps(words: Line | list[Word]) -> list[bool]:
    """For each gap: is it wide? At least one em, and at least twice the line's other gaps
    (their median), so the stretched spaces of a justified line are not blank fields."""
    gaps = [b.x0 - a.x1 for a, b in zip(words, words[1:])]
    flags = []
    for i, (gap, a, b) in enumerate(zip(gaps, words, words[1:])):
        others = gaps[:i] + gaps[i + 1:]
        typical = statistics.median(others) if others else 0.0
        flags.append(gap >= WIDE_GAP_EM * max(a.size, b.size) and gap >= 2 * typical)
    return flags


def segments(line: Line) -> list[list[Word]]:
    """Split a line at its wide gaps."""
    parts: list[list[Word]] = [[line[0]]] if line else []
    for word, wide in zip(line[1:], _wide_gaps(line)):
        parts.append([word]) if wide else parts[-1].append(word)
    return parts


def _is_page_number(line: Line, page: PageData) -> bool:
    near_edge = line[0].bottom < 0.1 * page.height or line[0].top > 0.9 * page.height
    return len(line) == 1 and line[0].text.isdigit() and len(line[0].text) <= 3 and near_edge


def _is_rule(text: str) -> bool:
    stripped = text.replace(" ", "")
    return len(stripped) >= 3 and set(stripped) <= _RULE_CHARS


def _gap(upper: Line, lower: Line) -> float:
    return min(w.top for w in lower) - max(w.bottom for w in upper)


def _height(line: Line) -> float:
    return max(w.bottom - w.top for w in line)


def _centre(words: list[Word] | Line) -> float:
    return (min(w.x0 for w in words) + max(w.x1 for w in words)) / 2


def _size(line: Line) -> float:
    return max(w.size for w in line)


# --- paragraphs -----------------------------------------------------------------------------


def body_frames(pages: tuple[PageData, ...], pieces: list[Piece]) -> dict[int, Frame | None]:
    """The body text block of each page, measured on all pages of the same size (one page may
    hold too few lines). None when fewer than MIN_FULL_LINES lines reach its right edge: then
    nothing shows how the lines were wrapped, and no line is joined."""
    lines: dict[tuple[float, float], list[Line]] = {}
    for piece in pieces:
        if piece.first is not None and len(segments(piece.first)) == 1:
            page = pages[piece.page - 1]
            lines.setdefault((round(page.width), round(page.height)), []).append(piece.first)
    frames = {key: _frame(group) for key, group in lines.items()}
    return {p.number: frames.get((round(p.width), round(p.height))) for p in pages}


def _frame(lines: list[Line]) -> Frame | None:
    sizes: Counter[float] = Counter()
    for line in lines:
        for w in line:
            sizes[round(w.size, 1)] += len(w.text)
    size = sizes.most_common(1)[0][0]
    right = max(line[-1].x1 for line in lines)
    full = [line for line in lines if line[-1].x1 >= right - 0.5 * size]
    if len(full) < MIN_FULL_LINES:
        return None
    return Frame(min(line[0].x0 for line in full), right, size)  # full lines start at the margin


def join_paragraphs(pieces: list[Piece], frames: dict[int, Frame | None]) -> list[Piece]:
    """Join soft-wrapped lines into paragraphs. Footnote lines under a paragraph that may run
    on to the next page are held back and follow the paragraph once it ends."""
    out: list[Piece] = []
    held: list[Piece] = []
    for piece in pieces:
        last = out[-1] if out else None
        if last is not None and _is_note(piece, frames) and last.last is not None \
                and not _is_note(last, frames):
            if held and _joins(held[-1], piece, frames):
                held[-1] = _merge(held[-1], piece)
            else:
                held.append(piece)
            continue
        if held:
            if last is not None and piece.page != held[-1].page and _joins(last, piece, frames):
                out[-1] = _merge(last, piece)
                continue
            out += held
            last, held = held[-1], []
        if last is not None and _joins(last, piece, frames):
            out[-1] = _merge(last, piece)
        else:
            out.append(piece)
    return out + held


def _is_note(piece: Piece, frames: dict[int, Frame | None]) -> bool:
    """A line in a smaller font than the body: a footnote at the foot of the page."""
    frame = frames.get(piece.page)
    return piece.first is not None and frame is not None and _size(piece.first) < 0.9 * frame.size


def _joins(a: Piece, b: Piece, frames: dict[int, Frame | None]) -> bool:
    """Does b continue a's paragraph? a's last line ends because b's first word would not fit
    (at the right edge, or, centred, across the whole width) and b starts at the left edge
    (or is centred too); same font size; b is the next line on the page or opens the next page."""
    fa, fb = frames.get(a.page), frames.get(b.page)
    if a.last is None or b.first is None or fa is None or fb is None:
        return False
    upper, lower = a.last, b.first
    size = _size(upper)
    if abs(_size(lower) - size) > 0.15 * size or len(segments(upper)) + len(segments(lower)) > 2:
        return False
    next_line = b.page == a.page and -0.3 * size <= _gap(upper, lower) <= size
    if not (next_line or b.page == a.page + 1):
        return False
    needed = lower[0].x1 - lower[0].x0 + 0.25 * size  # b's first word and a space
    if lower[0].x0 <= fb.left + 0.5 * size:
        return upper[-1].x1 + needed > fa.right + 1.0
    centred = all(abs(_centre(ln) - (f.left + f.right) / 2) <= size
                  for ln, f in ((upper, fa), (lower, fb)))
    return centred and upper[-1].x1 - upper[0].x0 + needed > fa.right - fa.left + 1.0


def _merge(a: Piece, b: Piece) -> Piece:
    """a's text and b's, with a space unless a ends in a word broken after a hyphen."""
    glue = "" if re.search(r"\w-$", a.text) else " "
    return replace(a, text=a.text + glue + b.text, page=b.page, last=b.last)


# --- two-column blocks ----------------------------------------------------------------------


def header_block(lines: list[Line], centre: float) -> tuple[int, list[str]]:
    """Page 1's letterhead: (index of the first body line, left column lines + right column
    lines). It starts at a two-column line among the first three (lines above it come first)
    and runs while lines stay on one side of that line's gutter (see _header_accepts)."""
    for k, line in enumerate(lines[:3]):
        gutter = _gutter(line)
        if gutter is None:
            continue
        left, right = _sides(line, gutter)  # type: ignore[misc]
        cols = (_centre(left), _centre(right))
        columns: tuple[list[str], list[str]] = ([render(left)], [render(right)])
        end = k + 1
        while end < len(lines) and _header_accepts(lines[end - 1], lines[end], gutter, cols,
                                                   centre):
            for column, part in zip(columns, _sides(lines[end], gutter)):  # type: ignore[arg-type]
                column.extend([render(part)] if part else [])
            end += 1
        return end, [render(ln) for ln in lines[:k]] + columns[0] + columns[1]
    return 0, []


def _gutter(line: Line) -> tuple[float, float] | None:
    parts = segments(line)
    gaps = [(a[-1].x1, b[0].x0) for a, b in zip(parts, parts[1:])]
    widest = max(gaps, key=lambda g: g[1] - g[0], default=None)
    return widest if widest and widest[1] - widest[0] >= MIN_GUTTER else None


def _sides(line: Line, gutter: tuple[float, float]) -> tuple[list[Word], list[Word]] | None:
    """The words left and right of the gutter, or None when the line runs across it."""
    g0, g1 = gutter
    left = [w for w in line if w.x0 < (g0 + g1) / 2]
    right = [w for w in line if w.x0 >= (g0 + g1) / 2]
    if left and right and right[0].x0 - max(w.x1 for w in left) < MIN_GUTTER:
        return None
    if (left and max(w.x1 for w in left) > g1) or (right and right[0].x0 < g0):
        return None
    return left, right


def _header_accepts(prev: Line, line: Line, gutter: tuple[float, float], cols: tuple[float, float],
                    centre: float) -> bool:
    """Two-sided lines belong to the header. A one-sided line must sit under its column (a
    centred title such as "QUYẾT ĐỊNH" ends the header); a right-only one may follow a gap of
    2.5 lines (the rule under the motto), a left-only one only a small gap (issuer and "V/v"
    lines continued; the blank space before "Kính gửi:" ends the header)."""
    sides = _sides(line, gutter)
    if sides is None:
        return False
    left, right = sides
    if left and right:
        return True
    part, col = (left, cols[0]) if left else (right, cols[1])
    if abs(_centre(part) - col) >= abs(_centre(part) - centre):
        return False
    gap, height = _gap(prev, line), _height(line)
    if right:
        return gap <= 2.5 * height
    subject = unicodedata.normalize("NFC", render(left)).startswith(("V/v", "Về việc"))
    return gap <= height or (subject and gap <= 3 * height)


def _is_recipients(line: Line, centre: float) -> bool:
    first = segments(line)[0]
    text = unicodedata.normalize("NFC", render(first))
    return first[0].x0 < centre and text.startswith("Nơi nhận")


def signature_block(lines: list[Line], anchor: int, floor: int,
                    frame: tuple[float, float]) -> tuple[int, int, list[str]]:
    """(start, end, recipients lines + signer lines) around a "Nơi nhận:" line. Segments
    starting left of the text centre are recipients, the others the signer's. The block takes
    back right-only lines just above (an authority line such as "KT. BỘ TRƯỞNG") and runs
    while MIN_GUTTER separates the columns and no left text reaches into the right half."""
    centre, right_edge = frame
    start = anchor
    while start > floor and all(part[0].x0 >= centre for part in segments(lines[start - 1])) \
            and _gap(lines[start - 1], lines[start]) <= 2 * _height(lines[start]):
        start -= 1
    left: list[str] = []
    right: list[str] = []
    max_left, min_right = float("-inf"), float("inf")
    end = start
    for line in lines[start:]:
        parts = segments(line)
        lwords = [w for p in parts if p[0].x0 < centre for w in p]
        rwords = [w for p in parts if p[0].x0 >= centre for w in p]
        max_left = max([max_left] + [w.x1 for w in lwords])
        min_right = min([min_right] + [w.x0 for w in rwords])
        if max_left + MIN_GUTTER > min_right or max_left > (centre + right_edge) / 2:
            break
        left += [render(lwords)] if lwords else []
        right += [render(rwords)] if rwords else []
        end += 1
    if end <= anchor:
        return anchor, anchor + 1, [render(lines[anchor])]
    return start, end, left + right

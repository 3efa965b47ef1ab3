"""Read a PDF source into a RawDocument.

`read_pdf` is a thin, context-managed wrapper around pdfplumber: it copies each page's words
(with positions), ruled tables and image coverage into frozen dataclasses and turns every
library failure into a SourceError. Pure functions then lay the text out:
- words are grouped into lines by vertical position (superscripts stay on their line);
- a gap of one em or more becomes 2-10 spaces, so blank fields stay visible ("Số:     /UBND-XD");
- page 1's two-column letterhead is emitted as its left column lines, then its right column
  lines; the signature block from "Nơi nhận:" likewise (recipients, then the signer);
- ruled tables become `Table` objects; their region is removed from the page text and one
  marker line "[[TABLE n]]" (n = 1-based index in `RawDocument.tables`) takes its place; a
  table running on from one page's bottom to the next page's top is one Table, one marker;
- lone page numbers at a page's top or bottom and decoration rules ("––––") are dropped.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psparser import PSEOF

from ..errors import SourceError
from ..model import RawDocument, Table
from .quality import assess_text_layer, repair_document

TABLE_MARKER = "[[TABLE {n}]]"
WIDE_GAP_EM = 1.0  # a gap this wide (in font sizes) is a blank field or a column gap
MIN_GUTTER = 12.0  # points of empty space needed between two columns
SCAN_COVER = 0.6  # an image covering this share of a page makes it a scanned page
# Tables found from rectangle edges (not drawn lines) are often word-highlight boxes; they
# are kept only when they look like a grid of data.
RECT_TABLE_MAX_COLS = 12
RECT_TABLE_MIN_FILL = 0.6
_STRICT = {"vertical_strategy": "lines_strict", "horizontal_strategy": "lines_strict"}
_RULE_CHARS = set("-–—_=.…*·")


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


def read_pdf(path: Path) -> RawDocument:
    """Read a PDF file; raise SourceError when it cannot be opened or parsed."""
    pages = load_pages(path)
    text, tables, notes = repair_document(*layout_document(pages))
    problem, scan_notes = scan_verdict(pages)
    problem = problem or assess_text_layer(text, len(pages))
    return RawDocument(source=path, text=text, tables=tables, kind="pdf",
                       notes=tuple(notes + scan_notes), text_layer_ok=problem is None,
                       problem=problem)


# --- the library boundary -------------------------------------------------------------------


def load_pages(path: Path) -> tuple[PageData, ...]:
    """Copy every page's words, tables and image coverage out of pdfplumber."""
    _check_header(path)
    try:
        with pdfplumber.open(path) as pdf:
            return tuple(_load_page(path, page, n) for n, page in enumerate(pdf.pages, 1))
    except SourceError:
        raise
    except Exception as exc:  # pdfminer raises many unrelated types on damaged files
        raise SourceError(path, _open_reason(exc)) from None


def _check_header(path: Path) -> None:
    try:
        with path.open("rb") as handle:
            head = handle.read(1024)
    except OSError as exc:
        raise SourceError(path, f"cannot read the file ({exc.strerror or exc})") from None
    if not head:
        raise SourceError(path, "empty file (0 bytes)")
    if b"%PDF-" not in head:
        raise SourceError(path, "not a PDF file (no '%PDF-' header)")


def _load_page(path: Path, page: pdfplumber.page.Page, number: int) -> PageData:
    try:
        if _has_overprint(page.chars):  # fake bold: the same glyph printed twice
            page = page.dedupe_chars()
        raw = page.extract_words(extra_attrs=["size"])
        tables = _find_tables(page)
        cover = _image_cover(page.images, page.width, page.height)
    except Exception as exc:
        raise SourceError(path, _open_reason(exc), page=number) from None
    words = tuple(_word(w) for w in _upright(raw) if w["text"].strip())
    return PageData(number, float(page.width), float(page.height), words, tables, cover)


def _find_tables(page: pdfplumber.page.Page) -> tuple[FoundTable, ...]:
    """Ruled tables from drawn lines; failing that, rectangle grids that look like data."""
    found = [_found(t) for t in page.find_tables(_STRICT)]
    if not found and page.rects:
        found = [t for t in map(_found, page.find_tables()) if _looks_like_data(t)]
    return tuple(t for t in found if len(t.rows) >= 2 and len(t.rows[0]) >= 2)


def _found(table: pdfplumber.table.Table) -> FoundTable:
    rows = tuple(tuple(_cell_text(c) for c in row) for row in table.extract())
    return FoundTable(tuple(float(v) for v in table.bbox), rows)  # type: ignore[arg-type]


def _open_reason(exc: Exception) -> str:
    inner = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
    detail = " ".join(str(inner).split())[:120] or "no details"
    if isinstance(inner, (PDFPasswordIncorrect, PDFEncryptionError)):
        return "encrypted PDF: a password is required to open it"
    if isinstance(inner, PSEOF):
        return "damaged or truncated PDF (unexpected end of file)"
    if isinstance(inner, PDFSyntaxError):
        return f"damaged PDF ({detail})"
    return f"cannot read the PDF ({type(inner).__name__}: {detail})"


# --- pure helpers on extracted data ---------------------------------------------------------


def _word(raw: dict) -> Word:
    return Word(raw["text"], float(raw["x0"]), float(raw["x1"]), float(raw["top"]),
                float(raw["bottom"]), float(raw.get("size") or raw["bottom"] - raw["top"]))


def _has_overprint(chars: list[dict]) -> bool:
    keys = [(c["text"], round(c["x0"]), round(c["top"])) for c in chars if not c["text"].isspace()]
    return len(set(keys)) < len(keys)


def _upright(raw: list[dict]) -> list[dict]:
    """Drop rotated words (margin stamps) unless most of the page is rotated."""
    upright = [w for w in raw if w.get("upright", True)]
    return upright if len(upright) >= 0.8 * len(raw) else raw


def _image_cover(images: list[dict], width: float, height: float) -> float:
    best = 0.0
    for im in images:
        w = max(0.0, min(im["x1"], width) - max(im["x0"], 0.0))
        h = max(0.0, min(im["bottom"], height) - max(im["top"], 0.0))
        best = max(best, w * h / (width * height or 1.0))
    return best


def _cell_text(cell: str | None) -> str:
    """Join a cell's wrapped lines with spaces, keeping breaks before list markers."""
    return re.sub(r"\s*\n\s*(?=[^-+•–\s])", " ", (cell or "").strip())


def _looks_like_data(table: FoundTable) -> bool:
    cells = [c for row in table.rows for c in row]
    cols = len(table.rows[0]) if table.rows else 0
    filled = sum(1 for c in cells if c) / max(len(cells), 1)
    return 2 <= cols <= RECT_TABLE_MAX_COLS and filled >= RECT_TABLE_MIN_FILL


def scan_verdict(pages: tuple[PageData, ...]) -> tuple[str | None, list[str]]:
    """(problem, notes). Most pages being page-sized images makes the document a scan: with no
    text on them, or with an OCR text layer (not trusted). Otherwise each scanned page without
    text gets a note (e.g. a signed page scanned into a born-digital document)."""
    scanned = [p for p in pages if p.image_cover >= SCAN_COVER]
    blank = [p for p in scanned if not p.words]
    if not pages or len(scanned) * 2 < len(pages):
        return None, [f"page {p.number} is a scanned image without text" for p in blank]
    if len(blank) * 2 >= len(pages):
        return f"no text layer: {len(blank)} of {len(pages)} pages are scanned images", []
    return (f"scanned page images with an OCR text layer ({len(scanned)} of {len(pages)} "
            "pages): OCR text is not trusted"), []


# --- layout ---------------------------------------------------------------------------------


def layout_document(pages: tuple[PageData, ...]) -> tuple[str, tuple[Table, ...]]:
    """The document text (one line per source line) and its tables."""
    found = [(p, t) for p in pages for t in p.tables]
    tables, markers = number_tables(found)
    lines: list[str] = []
    for page in pages:
        page_markers = [(t, markers[i]) for i, (p, t) in enumerate(found) if p is page]
        lines.extend(page_lines(page, page_markers, first=page.number == 1))
    return "\n".join(lines), tables


def number_tables(
    found: list[tuple[PageData, FoundTable]],
) -> tuple[tuple[Table, ...], list[int | None]]:
    """Merge page-spanning tables; give each found table its marker number (None: continued)."""
    tables: list[Table] = []
    markers: list[int | None] = []
    for i, (page, table) in enumerate(found):
        if i and _continues(found[i - 1], (page, table), found):
            prev = tables[-1]
            rows = table.rows[1:] if table.rows[0] == prev.rows[0] else table.rows
            tables[-1] = Table(rows=prev.rows + rows, page=prev.page)
            markers.append(None)
            continue
        tables.append(Table(rows=table.rows, page=page.number))
        markers.append(len(tables))
    return tuple(tables), markers


def _continues(prev: tuple[PageData, FoundTable], cur: tuple[PageData, FoundTable],
               found: list[tuple[PageData, FoundTable]]) -> bool:
    """The table on the next page continues this one: it is the last table of its page and
    ends in the bottom quarter; the next is the first of its page, starts in the top quarter
    with only a page number above it, and has the same number of columns."""
    (p_page, p_table), (c_page, c_table) = prev, cur
    above = [w for w in c_page.words if w.bottom <= c_table.bbox[1] and not w.text.isdigit()]
    return (c_page.number == p_page.number + 1 and not above
            and [t for p, t in found if p is p_page][-1] is p_table
            and [t for p, t in found if p is c_page][0] is c_table
            and len(p_table.rows[0]) == len(c_table.rows[0])
            and p_table.bbox[3] > 0.75 * p_page.height and c_table.bbox[1] < 0.25 * c_page.height)


def _in_tables(word: Word, page: PageData) -> bool:
    mx, my = (word.x0 + word.x1) / 2, (word.top + word.bottom) / 2
    return any(x0 - 1 <= mx <= x1 + 1 and t0 - 1 <= my <= t1 + 1 for x0, t0, x1, t1 in
               (t.bbox for t in page.tables))


def page_lines(page: PageData, markers: list[tuple[FoundTable, int | None]],
               first: bool) -> list[str]:
    """Render one page: header (page 1), body lines, signature block, table markers."""
    words = [w for w in page.words if not _in_tables(w, page)]
    lines = [ln for ln in group_lines(words) if not _is_page_number(ln, page)]
    centre = _centre(words) if words else page.width / 2
    frame = (centre, max((w.x1 for w in words), default=page.width))
    items: list[tuple[float, list[str]]] = []
    floor, header = header_block(lines, centre) if first and lines else (0, [])
    items.append((lines[0][0].top if lines else 0.0, header))
    i = floor
    while i < len(lines):
        if _is_recipients(lines[i], centre):
            start, end, block = signature_block(lines, i, floor, frame)
            del items[len(items) - (i - start):]  # lines taken back into the block
            items.append((lines[start][0].top, block))
            i = end
        else:
            items.append((lines[i][0].top, [render(lines[i])]))
            i += 1
    items += [(t.bbox[1], [TABLE_MARKER.format(n=n)]) for t, n in markers if n is not None]
    items.sort(key=lambda item: item[0])
    return [text for _, texts in items for text in texts if text and not _is_rule(text)]


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
    (proportional) where the gap is wide: a blank field or a column gap."""
    out = words[0].text if words else ""
    for prev, word, wide in zip(words, words[1:], _wide_gaps(words)):
        gap, size = word.x0 - prev.x1, max(prev.size, word.size, 1.0)
        if wide:
            out += " " * max(2, min(10, round(gap / (0.5 * size))))
        elif gap >= 0.15 * min(prev.size, word.size):
            out += " "
        out += word.text
    return out


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

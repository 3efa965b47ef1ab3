"""Read a PDF source into a RawDocument.

`read_pdf` is a thin, context-managed wrapper around pdfplumber: it copies each page's words
(with positions and font size), ruled tables and image coverage into the frozen dataclasses of
`pdf_layout` and turns every library failure into a SourceError. Pure functions then make the
document's text:
- `pdf_layout` lays each page out (lines, blank fields, letterhead and signature columns,
  footnote calls) and joins the soft-wrapped lines of paragraphs, across pages too;
- ruled tables become `Table` objects; their region is removed from the page text and one
  marker line "[[TABLE n]]" (n = 1-based index in `RawDocument.tables`) takes its place; a
  table running on from one page to the top of the next (the first ends low on its page, or
  the next repeats its header row) is one Table, one marker;
- `scan_verdict` and `quality` judge whether the text layer can be trusted.
"""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psparser import PSEOF

from ..errors import SourceError
from ..model import RawDocument, Table
from .pdf_layout import FoundTable, PageData, Piece, Word, body_frames, join_paragraphs, page_pieces
from .quality import assess_text_layer, repair_document

SCAN_COVER = 0.6  # an image covering this share of a page makes it a scanned page
# Tables found from rectangle edges (not drawn lines) are often word-highlight boxes; they
# are kept only when they look like a grid of data.
RECT_TABLE_MAX_COLS = 12
RECT_TABLE_MIN_FILL = 0.6
_STRICT = {"vertical_strategy": "lines_strict", "horizontal_strategy": "lines_strict"}


def read_pdf(path: Path) -> RawDocument:
    """Read a PDF file; raise SourceError when it cannot be opened or parsed."""
    pages = load_pages(path)
    text, tables, notes = repair_document(*layout_document(pages))
    problem, scan_notes = scan_verdict(pages)
    problem = problem or assess_text_layer(text, len(pages))
    return RawDocument(source=path, text=text, tables=tables, kind="pdf",
                       notes=tuple(notes + scan_notes), text_layer_ok=problem is None,
                       problem=problem)


# --- the document: pages laid out, tables merged across pages -----------------------------


def layout_document(pages: tuple[PageData, ...]) -> tuple[str, tuple[Table, ...]]:
    """The document text (one line per paragraph or printed line) and its tables."""
    found = [(p, t) for p in pages for t in p.tables]
    tables, markers = number_tables(found)
    pieces: list[Piece] = []
    for page in pages:
        page_markers = [(t, markers[i]) for i, (p, t) in enumerate(found) if p is page]
        pieces.extend(page_pieces(page, page_markers, first=page.number == 1))
    frames = body_frames(pages, pieces)
    return "\n".join(p.text for p in join_paragraphs(pieces, frames)), tables


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
    ends in the bottom quarter, or the next one repeats its header row; the next is the first
    of its page, starts in the top quarter with only a page number above it, and has the
    same number of columns."""
    (p_page, p_table), (c_page, c_table) = prev, cur
    above = [w for w in c_page.words if w.bottom <= c_table.bbox[1] and not w.text.isdigit()]
    low = p_table.bbox[3] > 0.75 * p_page.height
    return (c_page.number == p_page.number + 1 and not above
            and [t for p, t in found if p is p_page][-1] is p_table
            and [t for p, t in found if p is c_page][0] is c_table
            and len(p_table.rows[0]) == len(c_table.rows[0])
            and (low or c_table.rows[0] == p_table.rows[0])
            and c_table.bbox[1] < 0.25 * c_page.height)


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

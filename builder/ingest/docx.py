"""Read a Word .docx source into a RawDocument.

`read_docx` is a thin wrapper around python-docx: it checks the package, opens it, and copies
the body's paragraphs and tables, in document order, into plain blocks (a paragraph's lines,
or a table as a grid of cells). Any failure becomes a SourceError. Pure functions then build
the text:
- a paragraph is one line (a manual line break starts another); tabs become four spaces so
  blank fields stay visible ("Số:        /UBND-XD"); empty paragraphs are dropped;
- layout tables (the two-column letterhead, "Kính gửi", the "Nơi nhận" / signer block, any
  one-row table) are flattened to lines: each band of rows column by column, left column
  lines first, then the right column's; a row that is one cell across the table is a band
  of its own;
- other tables are real tables: a `Table` (header row first, a merged cell's text in its
  first position, "" in the positions it spans), and one marker line "[[TABLE n]]" in the
  text (n = 1-based index in `RawDocument.tables`), as the PDF reader does.
Text boxes and page headers/footers are not read (the samples keep nothing there).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
from lxml import etree

from builder.errors import SourceError
from builder.ingest.quality import assess_text_layer, repair_text
from builder.model import RawDocument, Table

TABLE_MARKER = "[[TABLE {n}]]"
TAB = "    "
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Text that marks a table as page layout rather than data.
_LAYOUT = re.compile(
    r"XÃ HỘI CHỦ NGHĨA|Độc lập\s*[-–]\s*Tự do|Nơi nhận|Kính gửi|^\s*Số\s*:", re.IGNORECASE
)
# Elements whose text is not body text: properties (a paragraph's tab stops are w:tab too),
# deleted revisions, text boxes and the fallback copy of drawings, field codes.
_SKIP = {_W + "pPr", _W + "rPr", _W + "del", _W + "txbxContent", _MC + "Fallback", _W + "instrText"}
_CHARS = {_W + "tab": "\t", _W + "br": "\n", _W + "cr": "\n", _W + "noBreakHyphen": "-"}


@dataclass(frozen=True)
class Cell:
    lines: tuple[str, ...]
    col: int  # first grid column
    span: int = 1  # grid columns covered
    merged: bool = False  # continues a vertical merge from the row above (no content)


Grid = tuple[tuple[Cell, ...], ...]
Block = tuple[str, ...] | Grid  # a paragraph's lines, or a table


def read_docx(path: Path) -> RawDocument:
    """Read a .docx file; raise SourceError when it is not a readable Word document."""
    lines, tables = build_text(load_blocks(path))
    text = "\n".join(lines)
    cells = [cell for table in tables for row in table.rows for cell in row]
    _, notes = repair_text("\n".join([text, *cells]))
    text = repair_text(text)[0]
    tables = tuple(Table(tuple(tuple(repair_text(c)[0] for c in row) for row in t.rows))
                   for t in tables)
    problem = assess_text_layer(text, 1)
    return RawDocument(source=path, text=text, tables=tables, kind="docx", notes=tuple(notes),
                       text_layer_ok=problem is None, problem=problem)


# --- the library boundary -------------------------------------------------------------------


def load_blocks(path: Path) -> list[Block]:
    """The body's paragraphs and tables, in document order, as plain data."""
    _check_package(path)
    try:
        body = docx.Document(str(path)).element.body
        return [_block(el) for el in _body_elements(body)]
    except Exception as exc:  # python-docx/lxml/zipfile raise many types on damaged files
        detail = " ".join(str(exc).split())[:120] or "no details"
        raise SourceError(path, f"damaged Word document ({type(exc).__name__}: {detail})") from None


def _check_package(path: Path) -> None:
    """Recognise what a file that is not a .docx is, for a plain reason."""
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
        names = zipfile.ZipFile(path).namelist() if zipfile.is_zipfile(path) else None
    except (OSError, zipfile.BadZipFile) as exc:
        raise SourceError(path, f"cannot read the file ({exc})") from None
    if not head:
        raise SourceError(path, "empty file (0 bytes)")
    if head == _OLE_MAGIC:
        raise SourceError(path, "legacy Word .doc or password-protected file, not a .docx")
    if names is None:
        raise SourceError(path, "not a .docx file (not a ZIP package)")
    if "word/document.xml" not in names:
        raise SourceError(path, "ZIP package without word/document.xml: not a Word document")


def _body_elements(parent: etree._Element) -> list[etree._Element]:
    """Paragraphs and tables in order, looking inside content controls (w:sdt)."""
    found: list[etree._Element] = []
    for child in parent:
        if child.tag in (_W + "p", _W + "tbl"):
            found.append(child)
        elif child.tag in (_W + "sdt", _W + "sdtContent", _W + "customXml"):
            found.extend(_body_elements(child))
    return found


def _block(element: etree._Element) -> Block:
    if element.tag == _W + "tbl":
        return _grid(element)
    return tuple(_paragraph_text(element).split("\n"))


def _paragraph_text(p: etree._Element) -> str:
    parts: list[str] = []
    _collect_text(p, parts)
    return "".join(parts)


def _collect_text(element: etree._Element, parts: list[str]) -> None:
    for child in element:
        if child.tag in _SKIP:
            continue
        if child.tag == _W + "t":
            parts.append(child.text or "")
        elif child.tag in _CHARS:
            parts.append(_CHARS[child.tag])
        else:
            _collect_text(child, parts)


def _grid(tbl: etree._Element) -> Grid:
    rows = []
    for tr in tbl.iter(_W + "tr"):
        if _nearest_table(tr) is not tbl:
            continue  # a row of a nested table
        col = _int_attr(tr.find(f"{_W}trPr/{_W}gridBefore"), 0)
        cells = []
        for tc in tr.findall(_W + "tc"):
            span = _int_attr(tc.find(f"{_W}tcPr/{_W}gridSpan"), 1)
            vmerge = tc.find(f"{_W}tcPr/{_W}vMerge")
            merged = vmerge is not None and vmerge.get(_W + "val", "continue") == "continue"
            cells.append(Cell(_cell_lines(tc), col, span, merged))
            col += span
        rows.append(tuple(cells))
    return tuple(rows)


def _nearest_table(element: etree._Element) -> etree._Element | None:
    parent = element.getparent()
    while parent is not None and parent.tag != _W + "tbl":
        parent = parent.getparent()
    return parent


def _int_attr(element: etree._Element | None, default: int) -> int:
    value = element.get(_W + "val") if element is not None else None
    return int(value) if value and value.isdigit() else default


def _cell_lines(tc: etree._Element) -> tuple[str, ...]:
    lines: list[str] = []
    for element in _body_elements(tc):
        block = _block(element)
        lines.extend(flatten(block) if _is_grid(block) else block)  # type: ignore[arg-type]
    return tuple(lines)


# --- pure text building ---------------------------------------------------------------------


def build_text(blocks: list[Block]) -> tuple[list[str], list[Table]]:
    """The document's lines (layout tables flattened, real tables as markers) and tables."""
    lines: list[str] = []
    tables: list[Table] = []
    for block in blocks:
        if not _is_grid(block):
            lines.extend(block)  # type: ignore[arg-type]
        elif is_layout(block):  # type: ignore[arg-type]
            lines.extend(flatten(block))  # type: ignore[arg-type]
        else:
            tables.append(data_table(block))  # type: ignore[arg-type]
            lines.append(TABLE_MARKER.format(n=len(tables)))
    return [clean for line in lines if (clean := clean_line(line))], tables


def clean_line(line: str) -> str:
    """Tabs to four spaces, no-break spaces to spaces, no surrounding blanks."""
    return line.replace("\t", TAB).replace("\u00a0", " ").strip()


def _is_grid(block: Block) -> bool:
    return bool(block) and not isinstance(block[0], str)


def is_layout(grid: Grid) -> bool:
    """A letterhead, address or signature table, or a single row: text laid out in columns."""
    if len(grid) <= 1:
        return True
    return any(_LAYOUT.search(line) for row in grid for cell in row for line in cell.lines)


def flatten(grid: Grid) -> list[str]:
    """A layout table's lines: each band of rows column by column (left column first)."""
    width = max((c.col + c.span for row in grid for c in row), default=0)
    lines: list[str] = []
    band: list[tuple[Cell, ...]] = []
    for row in grid:
        live = [c for c in row if not c.merged]
        if len(live) == 1 and live[0].span >= width > 1:  # a full-width row ends the band
            lines += _band_lines(band) + list(live[0].lines)
            band = []
        else:
            band.append(row)
    return lines + _band_lines(band)


def _band_lines(band: list[tuple[Cell, ...]]) -> list[str]:
    columns = sorted({c.col for row in band for c in row})
    return [line for col in columns for row in band for c in row
            if c.col == col and not c.merged for line in c.lines]


def data_table(grid: Grid) -> Table:
    """A real table: one string per grid column; spanned and merged positions are ""."""
    width = max((c.col + c.span for row in grid for c in row), default=0)
    rows = []
    for row in grid:
        values = [""] * width
        for cell in row:
            if not cell.merged:
                values[cell.col] = "\n".join(clean_line(x) for x in cell.lines if clean_line(x))
        rows.append(tuple(values))
    return Table(rows=tuple(rows), page=None)

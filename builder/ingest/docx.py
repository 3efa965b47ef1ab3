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

from ..errors import SourceError
from ..model import RawDocument, Table
from .quality import assess_text_layer, repair_document

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
_NUMPR = f"{_W}pPr/{_W}numPr"
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
    text, fixed, notes = repair_document("\n".join(lines), tables)
    problem = assess_text_layer(text, 1)
    return RawDocument(source=path, text=text, tables=fixed, kind="docx", notes=tuple(notes),
                       text_layer_ok=problem is None, problem=problem)


# --- the library boundary -------------------------------------------------------------------


def load_blocks(path: Path) -> list[Block]:
    """The body's paragraphs and tables, in document order, as plain data."""
    _check_package(path)
    try:
        document = docx.Document(str(path))
        numbering = Numbering(_numbering_root(document), document.styles.element)
        return [_block(el, numbering) for el in _body_elements(document.element.body)]
    except Exception as exc:  # python-docx/lxml/zipfile raise many types on damaged files
        detail = " ".join(str(exc).split())[:120] or "no details"
        raise SourceError(path, f"damaged Word document ({type(exc).__name__}: {detail})") from None


def _check_package(path: Path) -> None:
    """Recognise what a file that is not a .docx is, for a plain reason."""
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
        names = _zip_names(path) if zipfile.is_zipfile(path) else None
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


def _zip_names(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        return archive.namelist()


def _body_elements(parent: etree._Element) -> list[etree._Element]:
    """Paragraphs and tables in order, looking inside content controls (w:sdt)."""
    found: list[etree._Element] = []
    for child in parent:
        if child.tag in (_W + "p", _W + "tbl"):
            found.append(child)
        elif child.tag in (_W + "sdt", _W + "sdtContent", _W + "customXml"):
            found.extend(_body_elements(child))
    return found


def _block(element: etree._Element, numbering: Numbering) -> Block:
    if element.tag == _W + "tbl":
        return _grid(element, numbering)
    label = numbering.label(element)
    text = _paragraph_text(element)
    return tuple(f"{label} {text}".split("\n") if label else text.split("\n"))


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


def _grid(tbl: etree._Element, numbering: Numbering) -> Grid:
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
            cells.append(Cell(_cell_lines(tc, numbering), col, span, merged))
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


def _cell_lines(tc: etree._Element, numbering: Numbering) -> tuple[str, ...]:
    lines: list[str] = []
    for element in _body_elements(tc):
        block = _block(element, numbering)
        lines.extend(flatten(block) if _is_grid(block) else block)  # type: ignore[arg-type]
    return tuple(lines)


def _numbering_root(document: docx.document.Document) -> etree._Element | None:
    try:
        return document.part.numbering_part.element
    except (KeyError, NotImplementedError):  # the document has no list definitions
        return None


class Numbering:
    """Word's automatic list labels ("1.", "a)", "-"), which are not in the paragraph text.

    Built from numbering.xml and the paragraph styles; `label` is called for every paragraph
    in document order and counts as Word does: a level counts up from its start value and
    deeper levels restart. A paragraph's own w:numPr wins over its style's (or the style's
    base style's)."""

    def __init__(self, root: etree._Element | None, styles: etree._Element | None) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.styles = _style_numbers(styles)
        abstract = {a.get(_W + "abstractNumId"): a for a in _findall(root, "abstractNum")}
        for num in _findall(root, "num"):
            definition = abstract.get(_child_val(num, "abstractNumId"))
            if definition is not None:
                levels = dict(map(_level, definition.findall(_W + "lvl")))
                self.levels[num.get(_W + "numId", "")] = levels

    def label(self, p: etree._Element) -> str:
        style_num, style_lvl = self.styles.get(_child_val(p, "pPr", "pStyle") or "", (None, None))
        num_id = _child_val(p, "pPr", "numPr", "numId") or style_num or ""
        level = _child_val(p, "pPr", "numPr", "ilvl") or style_lvl or "0"
        ilvl = int(level) if level.isdigit() else 0
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels:
            return ""
        counts = self.counters.setdefault(num_id, {})
        counts[ilvl] = counts.get(ilvl, levels[ilvl][2] - 1) + 1
        for deeper in [k for k in counts if k > ilvl]:
            del counts[deeper]
        fmt, text, _ = levels[ilvl]
        if fmt == "bullet":
            return text if text in ("-", "–", "+", "•", "*") else "-"
        for k, (k_fmt, _, start) in levels.items():
            text = text.replace(f"%{k + 1}", _format(counts.get(k, start), k_fmt))
        return text


def _findall(root: etree._Element | None, name: str) -> list[etree._Element]:
    return root.findall(_W + name) if root is not None else []


def _style_numbers(styles: etree._Element | None) -> dict[str, tuple[str | None, str | None]]:
    """Paragraph style id -> (numId, ilvl) of its numbering, following w:basedOn."""
    own = {s.get(_W + "styleId", ""): s for s in _findall(styles, "style")}
    found: dict[str, tuple[str | None, str | None]] = {}
    for style_id in own:
        style, hops = own.get(style_id), 0
        while style is not None and hops < 10 and style.find(_NUMPR) is None:
            style, hops = own.get(_child_val(style, "basedOn") or ""), hops + 1
        if style is not None and hops < 10:
            found[style_id] = (_child_val(style, "pPr", "numPr", "numId"),
                               _child_val(style, "pPr", "numPr", "ilvl"))
    return found


def _level(lvl: etree._Element) -> tuple[int, tuple[str, str, int]]:
    start = _child_val(lvl, "start")
    ilvl = lvl.get(_W + "ilvl", "0")
    fmt, text = _child_val(lvl, "numFmt") or "decimal", _child_val(lvl, "lvlText") or ""
    first = int(start) if start and start.isdigit() else 1
    return int(ilvl) if ilvl.isdigit() else 0, (fmt, text, first)


def _child_val(element: etree._Element, *names: str) -> str | None:
    """The w:val of the descendant at element/w:name/w:name..., if present."""
    found = element.find("/".join(_W + name for name in names))
    return found.get(_W + "val") if found is not None else None


def _format(n: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter if fmt == "lowerLetter" else letter.upper()
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(n)
        return roman.lower() if fmt == "lowerRoman" else roman
    return f"{n:02d}" if fmt == "decimalZero" else str(n)


def _roman(n: int) -> str:
    out = ""
    for value, numeral in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"),
                           (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"),
                           (4, "IV"), (1, "I")):
        count, n = divmod(n, value)
        out += numeral * count
    return out


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
    return [clean for line in lines if (clean := clean_line(line)) and not _is_rule(clean)], tables


def clean_line(line: str) -> str:
    """Tabs to four spaces, no-break spaces to spaces, no surrounding blanks."""
    return line.replace("\t", TAB).replace("\u00a0", " ").strip()


def _is_rule(line: str) -> bool:
    """A decoration line under a title ("_____", "-----")."""
    return len(line) >= 3 and set(line.replace(" ", "")) <= set("-–—_=.…*")


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

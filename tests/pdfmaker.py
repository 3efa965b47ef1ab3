"""Lay a seed out as the PDF of an official document, for the PDF round-trip test.

`make_pdf(doc, text, path, fonts)` draws with fpdf2 and a Vietnamese-capable TTF (DejaVu) what
the office's own PDF looks like (Nghị định 30/2020, Phụ lục I): the header as two columns
(issuing body, "Số:", a công văn's V/v | motto, place and date; blank number and day fields
stay blank gaps), the centred type and title of other documents, "Kính gửi:", the body from
the seed's own lines between header and "Nơi nhận:" (grouped into paragraphs as the text
version was; justified, first-line indent, bold and italic runs, footnote calls as small raised
digits with each footnote at the foot of the page that calls it), "Nơi nhận:" beside the
signature block, and the appendix on landscape pages as ruled cells with the header row
repeated per page. Words are placed one by one; nothing is shared with the reader under test.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import takewhile
from pathlib import Path

from fpdf import FPDF

from builder.model import Document
from builder.parse.body import BULLET, FOOTNOTE_DEF, SUPERSCRIPT, Block, split_blocks
from builder.parse.closing import parse_closing
from builder.parse.header import clean_line, parse_header
from builder.parse.tables import Appendix, column_key, split_appendices
from builder.text import squash

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_PACKAGE = "fonts-dejavu-core"
_FACES = {"": "DejaVuSerif.ttf", "B": "DejaVuSerif-Bold.ttf",
          "I": "DejaVuSerif-Italic.ttf", "BI": "DejaVuSerif-BoldItalic.ttf"}
_SYMBOLS = "DejaVuSans.ttf"  # glyphs the serif face lacks ("✓")
BLANK = "{_}"  # markup for a blank field (number or day left for the clerk)

BODY, HEAD, NOTE, CELL = 13.0, 12.0, 10.0, 10.0  # font sizes (pt)
LEADING = 1.3  # line height / font size
INDENT = 28.0  # first-line indent (1 cm)
SUP_SCALE, SUP_RISE = 0.62, 0.38  # superscript size and rise, in font sizes
_PORTRAIT = (85.0, 538.0, 57.0, 785.0)  # left, right, top, bottom (A4, 30/20/20/20 mm)
_LANDSCAPE = (45.0, 797.0, 50.0, 550.0)
_SUP = re.compile(f"[{SUPERSCRIPT}]+")
_TOKEN = re.compile(rf"\*\*|\*|\{{_\}}|\s+|[{SUPERSCRIPT}]+|[^*\s{SUPERSCRIPT}{{]+|\{{")

Run = tuple[str, str, bool]  # text, fpdf2 style, superscript
Word = tuple[Run, ...]


def find_fonts(directory: Path = FONT_DIR) -> dict[str, Path] | None:
    """DejaVu Serif faces by fpdf2 style, or None without the regular and bold faces (Debian
    package fonts-dejavu-core). Italic faces (fonts-dejavu-extra) fall back to upright ones."""
    found = {style: directory / name for style, name in _FACES.items() if (directory / name).is_file()}
    if "" not in found or "B" not in found:
        return None
    found.setdefault("I", found[""])
    found.setdefault("BI", found["B"])
    return found


# --- what the seed says, part by part -------------------------------------------------------


@dataclass
class Letter:
    issuer: list[str]
    number: str  # markup: "**" bold, "*" italic, superscript digits, BLANK
    date: str
    subject: str | None  # a công văn's V/v
    type_name: str | None
    title: str | None
    kinh_gui: list[str]
    body: list[tuple[str, str]]  # ("para", markup) or ("note", footnote number)
    notes: dict[str, str]  # footnote number -> text
    recipients: list[str]
    signer: list[str]
    name: str
    appendix: Appendix | None


def letter_from(doc: Document, text: str) -> Letter:
    """Split the seed's text into the printed parts, using the text version's header limits."""
    main, appendices = split_appendices(text)
    lines = main.split("\n")
    head = parse_header(lines)
    end = parse_closing(lines, head.body_start, len(lines)).start or len(lines)
    marked = [squash(x.replace("\u200b", "")) for x in lines]
    plain = [clean_line(x) for x in lines]
    number = next((m for m, p in zip(marked, plain) if p.startswith("Số")), "")
    date = next((m for m, p in zip(marked[: head.body_start], plain)
                 if re.search(r"ngày.*năm \d{4}", p) and not p.startswith("(")), "")
    body, notes = body_parts(split_blocks(lines[head.body_start : end]), lines)
    recipients, signer, name = closing_parts(plain[end:])
    letter = doc.type == "Công văn"
    return Letter(
        issuer=head.issuer_lines,
        number=mark_blanks(number), date=mark_blanks(date.strip("* ")),
        subject=doc.title if letter else None, type_name=None if letter else (doc.type or "").upper(),
        title=None if letter else doc.title, kinh_gui=kinh_gui_lines(plain, head.body_start),
        body=body, notes=notes, recipients=recipients, signer=signer, name=name,
        appendix=appendices[0] if appendices else None,
    )


def mark_blanks(text: str) -> str:
    """'Số: /VP-TH' -> 'Số: {_} /VP-TH'; 'ngày tháng 9', 'ngày /4/2026': the day left blank."""
    text = re.sub(r"\b(Số:|số)\s*(?=/)", rf"\1 {BLANK} ", text)
    return re.sub(r"\bngày\s*(?=tháng|/)", f"ngày {BLANK} ", text)


def kinh_gui_lines(plain: list[str], body_start: int) -> list[str]:
    at = next((i for i in range(body_start) if plain[i].startswith("Kính gửi")), body_start)
    return [x for x in plain[at:body_start] if x]


def body_parts(blocks: list[Block], lines: list[str]) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """Body entries ("para", markup) with bullets' printed markers restored, ("note", number)
    where a footnote is defined; and the footnotes' texts by number."""
    markers = {squash(BULLET.sub("", p, count=1))[:30]: p[0]
               for p in (squash(x).lstrip("*_ ") for x in lines) if BULLET.match(p)}
    body: list[tuple[str, str]] = []
    notes: dict[str, str] = {}
    for b in blocks:
        if b.kind == "footnote" and b.marker:
            match = FOOTNOTE_DEF.match(b.text.lstrip("*_ "))
            notes[b.marker] = match.group("t") if match else b.text
            body.append(("note", b.marker))
        elif b.kind == "bullet":
            body.append(("para", f"{markers.get(squash(b.text)[:30], '-')} {b.text}"))
        else:
            body.append(("para", b.text))
    return body, notes


def closing_parts(lines: list[str]) -> tuple[list[str], list[str], str]:
    """The 'Nơi nhận:' list as printed, then the signer's title lines and name."""
    if not lines:
        return [], [], ""
    first = lines[0].split(":", 1)[1].strip() if ":" in lines[0] else ""
    recipients = [first] if first else []
    i = 1
    while i < len(lines) and (not lines[i] or lines[i].startswith(("-", "+", "•"))):
        recipients += [lines[i]] if lines[i] else []
        i += 1
    rest = [x for x in lines[i:] if x]
    signer = list(takewhile(str.isupper, rest))
    return recipients, signer, rest[len(signer)] if len(rest) > len(signer) else ""


def tokens(markup: str, style: str = "") -> list[Word]:
    """Markup to words: '**' toggles bold, '*' italic; superscript digits become raised runs."""
    words: list[Word] = []
    runs: list[Run] = []
    for token in _TOKEN.findall(markup):
        if token in ("**", "*"):
            flag = "B" if token == "**" else "I"
            style = "".join(f for f in "BI" if (f in style) != (f == flag))
        elif token == BLANK or token.isspace():
            words += [tuple(runs)] if runs else []
            words += [((BLANK, "", False),)] if token == BLANK else []
            runs = []
        else:
            sup = bool(_SUP.fullmatch(token))
            runs.append(("".join(str(SUPERSCRIPT.index(c)) for c in token) if sup else token, style, sup))
    return words + ([tuple(runs)] if runs else [])


def literal(text: str, style: str = "") -> list[Word]:
    return [((w, style, False),) for w in text.split()]


# --- drawing --------------------------------------------------------------------------------


class Writer:
    """An fpdf2 document written top to bottom: pages, wrapped paragraphs, footnotes."""

    def __init__(self, fonts: dict[str, Path]) -> None:
        self.pdf = FPDF(unit="pt", format="A4")
        self.pdf.set_auto_page_break(False)
        for style, path in fonts.items():
            self.pdf.add_font("serif", style, str(path))
        if (fonts[""].parent / _SYMBOLS).is_file():
            self.pdf.add_font("symbols", "", str(fonts[""].parent / _SYMBOLS))
        self.serif = set(self.pdf.fonts["serif"].cmap)
        self.symbols = set(self.pdf.fonts["symbols"].cmap) if "symbols" in self.pdf.fonts else set()
        self.left, self.right, self.top, self.bottom = _PORTRAIT
        self.y = 0.0
        self.orientation = "P"
        self.notes: dict[str, str] = {}
        self.placed: set[str] = set()
        self.pending: list[str] = []  # footnotes called on the current page
        self.widths: dict[tuple[Run, float], float] = {}
        self.wrapped_notes: dict[str, list[list[Word]]] = {}

    # pages

    def page(self, orientation: str | None = None) -> None:
        self.finish_page()
        self.orientation = orientation = orientation or self.orientation
        self.pdf.add_page(orientation=orientation)
        self.left, self.right, self.top, self.bottom = _PORTRAIT if orientation == "P" else _LANDSCAPE
        self.y = self.top
        if self.pdf.page > 1:  # page numbers at the top centre from page 2
            number = literal(str(self.pdf.page))
            self.draw_line(number, self.left, self.right - self.left, HEAD, "C", True, 32.0)

    def finish_page(self) -> None:
        """Draw the page's footnotes at its bottom, under a short rule."""
        if not self.pending:
            return
        blocks = [self.note_lines(n) for n in self.pending]
        y = self.bottom - self.notes_height(self.pending)
        self.pdf.line(self.left, y + 4, self.left + 144, y + 4)
        y += 8
        for lines in blocks:
            for k, line in enumerate(lines):
                y += NOTE * LEADING
                self.draw_line(line, self.left, self.right - self.left, NOTE, "J", k == len(lines) - 1, y)
        self.pending = []

    def note_lines(self, number: str) -> list[list[Word]]:
        if number not in self.wrapped_notes:
            sup = "".join(SUPERSCRIPT[int(d)] for d in number)
            words = tokens(f"{sup} {self.notes[number]}")
            self.wrapped_notes[number] = self.wrap(words, self.right - self.left, NOTE)
        return self.wrapped_notes[number]

    def notes_height(self, numbers: list[str]) -> float:
        if not numbers:
            return 0.0
        return 10.0 + sum(len(self.note_lines(n)) for n in numbers) * NOTE * LEADING

    def room(self, height: float, extra: list[str] | None = None) -> None:
        """Start a new page unless `height` fits above this page's footnotes (and `extra` ones)."""
        if self.y + height > self.bottom - self.notes_height(self.pending + (extra or [])):
            self.page()

    # words

    def font(self, run: Run, size: float) -> None:
        serif = not self.symbols or all(ord(c) in self.serif for c in run[0])
        self.pdf.set_font("serif" if serif else "symbols", run[1] if serif else "",
                          size * SUP_SCALE if run[2] else size)

    def width(self, word: Word, size: float) -> float:
        return sum(self.run_width(run, size) for run in word)

    def run_width(self, run: Run, size: float) -> float:
        if run[0] == BLANK:
            return 3.5 * size
        if (run, size) not in self.widths:
            self.font(run, size)
            self.widths[(run, size)] = self.pdf.get_string_width(self.printable(run[0]))
        return self.widths[(run, size)]

    def printable(self, text: str) -> str:
        """The text without characters no font here can draw (a stray CJK pair in one seed)."""
        return "".join(c for c in text if ord(c) in self.serif or ord(c) in self.symbols)

    def measure(self, line: list[Word], size: float) -> float:
        return sum(self.width(w, size) for w in line) + self.space(size) * (len(line) - 1)

    def space(self, size: float) -> float:
        return self.run_width((" ", "", False), size)

    def wrap(self, words: list[Word], width: float, size: float, indent: float = 0.0) -> list[list[Word]]:
        lines: list[list[Word]] = []
        line: list[Word] = []
        used, space = indent, self.space(size)
        for word in words:
            w = self.width(word, size)
            if line and used + space + w > width:
                lines.append(line)
                line, used = [], 0.0
            used += (space if line else 0.0) + w
            line.append(word)
        return lines + ([line] if line else [])

    def draw_line(self, line: list[Word], x: float, width: float, size: float, align: str,
                  last: bool, baseline: float) -> None:
        """One line at `baseline`: 'J' justified (unless last), 'C' centred, 'L' left."""
        widths = [self.width(w, size) for w in line]
        gap = self.space(size)
        if align == "J" and not last and len(line) > 1:
            gap = (width - sum(widths)) / (len(line) - 1)
        elif align == "C":
            x += (width - sum(widths) - gap * (len(line) - 1)) / 2
        for word, w in zip(line, widths):
            self.draw_word(word, x, baseline, size)
            x += w + gap

    def draw_word(self, word: Word, x: float, baseline: float, size: float) -> None:
        for run in word:
            if run[0] == BLANK:
                return
            self.font(run, size)
            rise = SUP_RISE * size if run[2] else 0.0
            self.pdf.text(x, baseline - rise, self.printable(run[0]))
            x += self.run_width(run, size)

    # blocks

    def paragraph(self, words: list[Word], size: float = BODY, indent: float = INDENT,
                  align: str = "J", before: float = 4.0, left: float | None = None,
                  width: float | None = None) -> None:
        """A wrapped paragraph; footnotes it calls go to the bottom of the page of the call."""
        x0 = self.left if left is None else left
        width = width or self.right - x0
        lines = self.wrap(words, width, size, indent)
        self.y += before
        for k, line in enumerate(lines):
            calls = self.calls(line)
            self.room(size * LEADING, calls)
            self.y += size * LEADING
            shift = indent if k == 0 else 0.0
            self.draw_line(line, x0 + shift, width - shift, size, align, k == len(lines) - 1,
                           self.y - 0.3 * size)
            self.pending += calls

    def calls(self, line: list[Word]) -> list[str]:
        found = [run[0] for word in line for run in word if run[2] and run[0] in self.notes]
        new = [n for n in dict.fromkeys(found) if n not in self.placed]
        self.placed.update(new)
        return new

    def rule(self, centre: float, length: float, y: float) -> None:
        self.pdf.line(centre - length / 2, y, centre + length / 2, y)


# --- the document ---------------------------------------------------------------------------


def make_pdf(doc: Document, text: str, path: Path, fonts: dict[str, Path]) -> Path:
    """Write the PDF of one seed (its text version `doc`, its source `text`) to `path`."""
    letter = letter_from(doc, text)
    out = Writer(fonts)
    out.notes = letter.notes
    out.page()
    header(out, letter)
    if letter.type_name:
        heading(out, letter.type_name, letter.title or "")
    kinh_gui(out, letter.kinh_gui)
    for kind, text in letter.body:
        if kind == "para":
            out.paragraph(tokens(text))
        elif text not in out.placed:  # a footnote nothing called before: at its own place
            out.placed.add(text)
            out.pending.append(text)
    closing(out, letter)
    if letter.appendix:
        appendix(out, letter.appendix)
    out.finish_page()
    out.pdf.output(str(path))
    return path


def header(out: Writer, letter: Letter) -> None:
    """Two columns: issuer, rule, 'Số:', V/v | motto, rule, place and date (rows aligned)."""
    row, left_c, right_c, top = 16.0, 150.0, 412.0, out.top
    centred = lambda words, size, centre, y: out.draw_line(  # noqa: E731
        words, centre - 100, 200, size, "C", True, y)
    for i, line in enumerate(letter.issuer):
        centred(literal(line, "B" if i == len(letter.issuer) - 1 else ""), HEAD, left_c, top + row * (i + 1))
    if letter.issuer:
        out.rule(left_c, 60, top + row * len(letter.issuer) + 5)
    centred(literal("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "B"), 11.0, right_c, top + row)
    centred(literal("Độc lập - Tự do - Hạnh phúc", "B"), HEAD, right_c, top + 2 * row)
    out.rule(right_c, 190, top + 2 * row + 5)
    y = top + row * (max(len(letter.issuer), 2) + 1.6)
    centred(tokens(letter.number), HEAD, left_c, y)
    centred(tokens(letter.date, "I"), HEAD, right_c, y)
    if letter.subject:
        for line in out.wrap(tokens(f"V/v {letter.subject}"), 190, HEAD):
            y += row
            centred(line, HEAD, left_c, y)
    out.y = y + 18


def heading(out: Writer, type_name: str, title: str) -> None:
    """The centred type name and title, and a short rule under them."""
    width = out.right - out.left
    out.paragraph(literal(type_name, "B"), 14.0, 0.0, "C", 6.0)
    out.paragraph(tokens(title, "B"), BODY, 0.0, "C", 0.0, out.left + 40, width - 80)
    out.rule((out.left + out.right) / 2, 120, out.y + 6)
    out.y += 10


def kinh_gui(out: Writer, lines: list[str]) -> None:
    for i, line in enumerate(lines):
        left = out.left + (100 if i == 0 else 150)
        out.paragraph(tokens(line), BODY, 0.0, "L", 8.0 if i == 0 else 0.0, left)
    out.y += 6


def closing(out: Writer, letter: Letter) -> None:
    """'Nơi nhận:' and its list at the left; the signature block at the right, same top."""
    right_c = out.left + 0.75 * (out.right - out.left)
    signer = [literal(x, "B") for x in letter.signer]
    name = literal(letter.name, "B")
    half = max([out.measure(w, BODY) for w in signer + [name]] + [0.0]) / 2
    size = 11.0
    while size > 8 and max((out.measure(literal(x), size) for x in letter.recipients), default=0) \
            > right_c - half - 24 - out.left:
        size -= 0.5
    left_h = (len(letter.recipients) + 1) * size * 1.2
    right_h = (len(signer) + 6) * BODY * LEADING
    out.room(max(left_h, right_h) + 16)
    top = out.y + 16
    out.draw_line(tokens("Nơi nhận:", "BI"), out.left, 200, HEAD, "L", True, top + HEAD)
    for i, line in enumerate(letter.recipients):
        out.draw_line(literal(line), out.left, 300, size, "L", True, top + HEAD + (i + 1) * size * 1.2)
    for i, words in enumerate(signer):
        out.draw_line(words, right_c - 150, 300, BODY, "C", True, top + BODY + i * BODY * LEADING)
    out.draw_line(name, right_c - 150, 300, BODY, "C", True, top + right_h)
    out.y = top + max(left_h, right_h)


def appendix(out: Writer, table: Appendix) -> None:
    """Landscape pages: 'PHỤ LỤC', its title and caption, then the ruled table."""
    out.page("L")
    match = re.match(r"(PH[ỤU] L[ỤU]C(?:\s+[\dIVX]+)?)\s*(.*)", table.title)
    head, rest = (match.group(1), match.group(2)) if match else (table.title, "")
    width = out.right - out.left
    out.paragraph(literal(head, "B"), BODY, 0.0, "C", 0.0)
    if rest:
        out.paragraph(literal(rest, "B"), BODY, 0.0, "C", 0.0)
    if table.caption:
        out.paragraph(tokens(mark_blanks(table.caption), "I"), HEAD, 0.0, "C", 0.0, out.left + 40, width - 80)
    out.y += 10
    keys = _keys(table.columns)
    widths = _column_widths(keys, width)
    labels = [literal(c, "B") for c in table.columns]
    table_row(out, labels, widths, "C")
    for row in table.rows:
        cells = [literal((getattr(row, k) or "") if k else "") for k in keys]
        if out.y + cell_lines(out, cells, widths)[1] > out.bottom:
            out.page("L")
            table_row(out, labels, widths, "C")
        table_row(out, cells, widths, "L")


_SHARES = {"number": 0.45, "text": 3.6, "result": 1.8, "due_text": 1.3, "lead": 1.5,
           "support": 1.8, "authority": 1.1, "leader": 1.8}


def _keys(columns: tuple[str, ...]) -> list[str | None]:
    """The AppendixRow field of each column (a repeated field only in its first column)."""
    keys: list[str | None] = []
    for label in columns:
        key = column_key(label)
        keys.append(key if key not in keys else None)
    return keys


def _column_widths(keys: list[str | None], width: float) -> list[float]:
    shares = [_SHARES.get(k or "", 1.2) for k in keys]
    return [width * s / sum(shares) for s in shares]


def cell_lines(out: Writer, cells: list[list[Word]], widths: list[float]) -> tuple[list[list[list[Word]]], float]:
    """Each cell's wrapped lines, and the row's height."""
    lines = [out.wrap(words, w - 6, CELL) for words, w in zip(cells, widths)]
    return lines, max(len(cell) for cell in lines) * CELL * 1.25 + 8


def table_row(out: Writer, cells: list[list[Word]], widths: list[float], align: str) -> None:
    """One row of ruled cells at out.y: text wrapped in each cell, borders as drawn lines."""
    lines, height = cell_lines(out, cells, widths)
    x = out.left
    for cell, w in zip(lines, widths):
        for k, line in enumerate(cell):
            baseline = out.y + 4 + (k + 1) * CELL * 1.25 - 0.3 * CELL
            out.draw_line(line, x + 3, w - 6, CELL, align, True, baseline)
        x += w
    for y in (out.y, out.y + height):
        out.pdf.line(out.left, y, x, y)
    for edge in [out.left + sum(widths[:k]) for k in range(len(widths) + 1)]:
        out.pdf.line(edge, out.y, edge, out.y + height)
    out.y += height

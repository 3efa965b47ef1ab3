"""The header of an official document (Nghị định 30/2020, Phụ lục I): issuer, Số/ký hiệu,
place and date, type and trích yếu, Kính gửi. Pure functions on lines of text.

PDF and DOCX readers give the two header columns one after the other (issuer, Số, V/v; then
the national motto and the date line). Layout text (pdftotext -layout) puts both columns on
the same lines: those lines are split at the wide gap before the motto or the date."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..text import iso_date, squash

TYPE_NAMES = (
    "Nghị quyết", "Quyết định", "Chỉ thị", "Quy chế", "Quy định", "Thông cáo", "Thông báo",
    "Hướng dẫn", "Chương trình", "Kế hoạch", "Phương án", "Đề án", "Dự án", "Báo cáo",
    "Biên bản", "Tờ trình", "Hợp đồng", "Công văn", "Công điện", "Bản ghi nhớ", "Bản thỏa thuận",
    "Giấy ủy quyền", "Giấy mời", "Giấy giới thiệu", "Giấy nghỉ phép", "Phiếu gửi", "Phiếu chuyển",
    "Phiếu báo", "Thư công", "Kết luận", "Thông tri",
)
TYPE_CODES = {
    "NQ": "Nghị quyết", "QĐ": "Quyết định", "CT": "Chỉ thị", "QC": "Quy chế", "QyĐ": "Quy định",
    "QĐi": "Quy định", "TC": "Thông cáo", "TB": "Thông báo", "HD": "Hướng dẫn", "CTr": "Chương trình",
    "KH": "Kế hoạch", "PA": "Phương án", "ĐA": "Đề án", "DA": "Dự án", "BC": "Báo cáo",
    "BB": "Biên bản", "TTr": "Tờ trình", "HĐ": "Hợp đồng", "CĐ": "Công điện", "GM": "Giấy mời",
    "GGT": "Giấy giới thiệu", "GUQ": "Giấy ủy quyền", "PC": "Phiếu chuyển", "KL": "Kết luận",
    "CV": "Công văn", "TT": "Thông tư", "NĐ": "Nghị định",
}
_UPPER_TYPES = sorted(((t.upper(), t) for t in TYPE_NAMES), key=lambda x: len(x[0]), reverse=True)
_SO = re.compile(r"^\s*Số\s*:?\s*(?P<num>\d+)?\s*(?P<sep>[/-])\s*(?P<sym>[\w&.]+(?:\s*[/-]\s*[\w&.]+)*)")
_DATE = re.compile(
    r"(?P<place>[A-ZĐÂĂÊÔƠƯ][^,\n:/\d]{1,40}),\s*ngày\s*(?P<d>\d{1,2})?\s*(?:tháng\s*(?P<m>\d{1,2})?\s*năm\s*"
    r"(?P<y>\d{4})|/\s*(?P<m2>\d{1,2})?\s*/\s*(?P<y2>\d{4}))"
)
_NATIONAL = re.compile(
    r"CỘNG H\w+ XÃ HỘI|XÃ HỘI CHỦ NGHĨA VIỆT NAM|Độc lập\s*-\s*Tự do|ĐẢNG CỘNG SẢN VIỆT NAM|^\*+$|^-{3,}$"
)
BODY_START = re.compile(
    r"^(Căn cứ|Thực hiện|Theo đề nghị|Ngày \d|Sau khi|Kính gửi|Trên cơ sở|Tiếp theo|Triển khai|"
    r"Phần [IVX]+|[IVX]+\.\s|\d+\.\s)"
)
_VV = re.compile(r"^V/[vV]\b\s*:?\s*")
_ANNEXED = re.compile(r"^\((?:Ban hành )?[Kk]èm theo")
_GAP = re.compile(r"(?<=\S)(?: {4,}|\t+)(?=\S)")
_RIGHT_INDENT = 20  # layout text: a line indented this far belongs to the right column
_LIMIT = 80  # the header is within the first lines


@dataclass
class Header:
    number: str | None = None
    symbol: str | None = None
    party: bool = False
    type: str | None = None
    title: str | None = None
    issued: str | None = None
    place: str | None = None
    issuer_lines: list[str] = field(default_factory=list)
    kinh_gui: list[str] = field(default_factory=list)
    body_start: int = 0  # index of the first body line
    problems: list[str] = field(default_factory=list)  # e.g. an impossible date, reported as warnings


def clean_line(line: str) -> str:
    """Strip Markdown emphasis and odd spacing that text extraction leaves behind."""
    return squash(line.replace("**", "").replace("__", "").strip("* ").replace("\u200b", ""))


def columns(line: str) -> tuple[str, str]:
    """Layout text puts both columns on one line: split at the first wide gap; a deeply indented
    line is right column only. The caller decides whether a split is a real column."""
    stripped = line.lstrip()
    m = _GAP.search(stripped)
    if m:
        return stripped[: m.start()], stripped[m.end() :]
    if len(line) - len(stripped) >= _RIGHT_INDENT:
        return "", stripped
    return line, ""


def parse_header(lines: list[str]) -> Header:
    """Number, symbol, date, type, trích yếu, issuer lines and Kính gửi from the first lines;
    body_start is an index into `lines`."""
    segments = _segments(lines[:_LIMIT])
    cleaned = [text for _, text in segments]
    head = Header()
    so_at = _find_number(cleaned, head)
    date_at = _find_date(cleaned, head)
    head.issuer_lines = [
        x for x in cleaned[: so_at if so_at is not None else 0] if x and x.isupper() and not _NATIONAL.search(x)
    ]
    stop = _header_stop(cleaned, max(x for x in (so_at, date_at, -1) if x is not None))
    type_at = _find_type(cleaned, head, so_at + 1 if so_at is not None else 0, stop)
    vv_at = next((i for i in range(stop) if _VV.match(cleaned[i])), None)
    end_title = _find_title(cleaned, head, type_at, vv_at)
    if head.type is None:  # only a công văn has a 'V/v' trích yếu and no type line
        head.type = "Công văn" if vv_at is not None else _type_from_symbol(head.symbol or "", head.party)
    after = max([x + 1 for x in (so_at, date_at, type_at) if x is not None] + [end_title or 0])
    first = segments[after - 1][0] + 1 if after else 0
    head.body_start = _kinh_gui([clean_line(x) for x in lines], first, head)
    return head


def _segments(lines: list[str]) -> list[tuple[int, str]]:
    """(line index, cleaned text) in reading order; a layout-text line whose right part is the
    national motto or the date line gives two segments, left column first."""
    out: list[tuple[int, str]] = []
    for i, line in enumerate(lines):
        left, right = columns(line)
        right = clean_line(right)
        if right and (_NATIONAL.search(right) or _DATE.search(right)):
            out += [(i, clean_line(left)), (i, right)]
        else:
            out.append((i, clean_line(line)))
    return out


def _find_number(cleaned: list[str], head: Header) -> int | None:
    for i, line in enumerate(cleaned):
        m = _SO.match(line)
        if m:
            head.number = m.group("num")
            head.party = m.group("sep") == "-"
            head.symbol = re.sub(r"\s+", "", m.group("sym")).rstrip(".,;")
            return i
    return None


def _find_date(cleaned: list[str], head: Header) -> int | None:
    for i, line in enumerate(cleaned):
        m = _DATE.search(line)
        if m and not line.startswith(("(", "Kèm theo")):
            head.place = m.group("place").strip()
            month = m.group("m") or m.group("m2")
            head.issued = iso_date(m.group("d"), month, m.group("y") or m.group("y2"))
            if head.issued is None:
                head.problems.append(f"line {i + 1}: impossible date '{m.group(0).strip()}', left empty")
            return i
    return None


def _header_stop(cleaned: list[str], after: int) -> int:
    """The first 'Kính gửi' or body line after the number and date lines (or the limit)."""
    for i in range(after + 1, len(cleaned)):
        if BODY_START.match(cleaned[i]):
            return i
    return len(cleaned)


def _type_name(line: str) -> str | None:
    """'QUYẾT ĐỊNH', 'QUYẾT ĐỊNH:' → Quyết định; 'GIẤY MỜI HỌP' → Giấy mời."""
    if not line.isupper():
        return None
    return next((name for u, name in _UPPER_TYPES if line == u or line.startswith((u + " ", u + ":"))), None)


def _find_type(cleaned: list[str], head: Header, start: int, stop: int) -> int | None:
    """The type name line between the number line and the body."""
    for i in range(start, stop):
        name = _type_name(cleaned[i])
        if name:
            head.type = name
            return i
    return None


def _find_title(cleaned: list[str], head: Header, type_at: int | None, vv_at: int | None) -> int | None:
    """The trích yếu: lines after the type name, or the V/v block of a công văn (which may have
    blank lines inside). Returns the index of the first line after it."""
    if type_at is not None:
        start, is_vv = type_at + 1, False
    elif vv_at is not None:
        start, is_vv = vv_at, True
    else:
        return None
    parts: list[str] = []
    i = start
    while i < len(cleaned):
        line = cleaned[i]
        if not line:
            if parts and not is_vv:
                break
            i += 1
            continue
        if _ends_title(line, bool(parts)):
            break
        parts.append(line)
        i += 1
    head.title = _VV.sub("", squash(" ".join(parts))) or None
    return i


def _ends_title(line: str, started: bool) -> bool:
    """A line that is not part of the trích yếu; its first line may look like a body line
    ('Triển khai thực hiện Chỉ thị…') or be in capitals."""
    if _NATIONAL.search(line) or _DATE.search(line) or _SO.match(line) or line.startswith("Kính gửi"):
        return True
    return started and (bool(BODY_START.match(line)) or line.isupper() or bool(_ANNEXED.match(line)))


def _kinh_gui(cleaned: list[str], start: int, head: Header) -> int:
    """Read 'Kính gửi:' recipients (one per '-' line, wrapped lines joined, an address in
    parentheses dropped); return the index where the body starts."""
    i = start
    while i < len(cleaned) and (not cleaned[i] or _NATIONAL.search(cleaned[i]) or _DATE.search(cleaned[i])):
        i += 1
    if i >= len(cleaned) or not cleaned[i].startswith("Kính gửi"):
        return i
    items = [cleaned[i].split(":", 1)[1].strip()] if ":" in cleaned[i] else []
    i += 1
    while i < len(cleaned):
        line = cleaned[i]
        if line.startswith(("-", "+", "•")):
            items.append(line)
        elif line.startswith("("):
            i = _skip_parenthesis(cleaned, i)
            continue
        elif line and not (items and _continues(items[-1], line)):
            break
        elif line:
            items[-1] = f"{items[-1]} {line}"
        i += 1
    head.kinh_gui = [x.strip("-+•;. ") for x in items if x.strip("-+•;. ")]
    return i


def _continues(previous: str, line: str) -> bool:
    """Whether a line without a dash is the rest of the previous recipient: it starts in lower
    case, or it ends a wrapped item of a '-' list ('Nông nghiệp và Môi trường;')."""
    if not previous or previous.endswith((";", ".")) or BODY_START.match(line):
        return False
    return line[0].islower() or (previous.startswith(("-", "+", "•")) and line.endswith((";", ".", ",")))


def _skip_parenthesis(cleaned: list[str], i: int) -> int:
    """Past a parenthesised block ('(Địa chỉ: …)') that may wrap over lines."""
    depth = 0
    while i < len(cleaned):
        depth += cleaned[i].count("(") - cleaned[i].count(")")
        i += 1
        if depth <= 0:
            break
    return i


def _type_from_symbol(symbol: str, party: bool) -> str | None:
    """576/TB-VP → Thông báo; 126-TB/TU → Thông báo; a công văn symbol (VP-TH) has no type code."""
    code = symbol.split("/")[0] if party else symbol.split("-")[0]
    return TYPE_CODES.get(code)

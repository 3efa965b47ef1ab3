"""The header of an official document (Nghị định 30/2020, Phụ lục I): issuer, Số/ký hiệu,
place and date, type and trích yếu, Kính gửi. Pure functions on lines of text."""

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
_UPPER_TYPES = {t.upper(): t for t in TYPE_NAMES}
_SO = re.compile(r"^\s*Số\s*:?\s*(?P<num>\d+)?\s*(?P<sep>[/-])\s*(?P<sym>[\wĐđ/&.-]+)")
_DATE = re.compile(
    r"(?P<place>[A-ZĐÂĂÊÔƠƯ][^,\n]{1,40}),\s*ngày\s*(?P<d>\d{1,2})?\s*(?:tháng\s*(?P<m>\d{1,2})?\s*năm\s*"
    r"(?P<y>\d{4})|/\s*(?P<m2>\d{1,2})?\s*/\s*(?P<y2>\d{4}))"
)
_NATIONAL = re.compile(r"CỘNG H(?:OÀ|ÒA) XÃ HỘI|Độc lập\s*-\s*Tự do|ĐẢNG CỘNG SẢN VIỆT NAM|^\*+$|^-{3,}$")
BODY_START = re.compile(
    r"^(Căn cứ|Thực hiện|Theo đề nghị|Ngày \d|Sau khi|Kính gửi|Trên cơ sở|Tiếp theo|Triển khai|"
    r"Phần [IVX]+|[IVX]+\.\s|\d+\.\s)"
)


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


def clean_line(line: str) -> str:
    """Strip Markdown emphasis and odd spacing that text extraction leaves behind."""
    return squash(line.replace("**", "").replace("__", "").strip("* ").replace("\u200b", ""))


def parse_header(lines: list[str]) -> Header:
    cleaned = [clean_line(x) for x in lines]
    head = Header()
    limit = min(len(cleaned), 80)
    so_at = _find_number(cleaned, limit, head)
    date_at = _find_date(cleaned, limit, head)
    type_at = _find_type(cleaned, limit, head)
    head.issuer_lines = [
        x for x in cleaned[: so_at if so_at is not None else 0] if x and x.isupper() and not _NATIONAL.search(x)
    ]
    vv_at = next((i for i in range(limit) if re.match(r"^V/v\b", cleaned[i])), None)
    end_title = _find_title(cleaned, limit, head, type_at, vv_at)
    if head.type is None and head.symbol:
        head.type = _type_from_symbol(head.symbol, head.party) or ("Công văn" if vv_at is not None else None)
    after = max([x + 1 for x in (so_at, date_at, type_at) if x is not None] + [end_title or 0])
    head.body_start = _kinh_gui(cleaned, after, head)
    return head


def _find_number(cleaned: list[str], limit: int, head: Header) -> int | None:
    for i in range(limit):
        m = _SO.match(cleaned[i])
        if m:
            head.number = m.group("num")
            head.party = m.group("sep") == "-"
            head.symbol = m.group("sym").rstrip(".,;")
            return i
    return None


def _find_date(cleaned: list[str], limit: int, head: Header) -> int | None:
    for i in range(limit):
        m = _DATE.search(cleaned[i])
        if m and not cleaned[i].startswith(("(", "Kèm theo")):
            head.place = m.group("place").strip()
            month = m.group("m") or m.group("m2")
            head.issued = iso_date(m.group("d"), month, m.group("y") or m.group("y2"))
            return i
    return None


def _find_type(cleaned: list[str], limit: int, head: Header) -> int | None:
    for i in range(limit):
        name = _UPPER_TYPES.get(cleaned[i].rstrip(":"))
        if name:
            head.type = name
            return i
    return None


def _find_title(cleaned: list[str], limit: int, head: Header, type_at: int | None, vv_at: int | None) -> int | None:
    """The trích yếu: lines after the type name, or the V/v block of a công văn."""
    if type_at is not None:
        start, stop_at_caps = type_at + 1, False
    elif vv_at is not None:
        start, stop_at_caps = vv_at, True
    else:
        return None
    parts: list[str] = []
    i = start
    while i < limit:
        line = cleaned[i]
        if not line:
            if parts and not stop_at_caps:
                break
            i += 1
            continue
        if _NATIONAL.search(line) or _DATE.search(line) or BODY_START.match(line) or (parts and line.isupper()):
            break
        if stop_at_caps and _SO.match(line):
            break
        parts.append(line)
        i += 1
    title = squash(" ".join(parts))
    head.title = re.sub(r"^V/v\s*", "", title) or None
    return i


def _kinh_gui(cleaned: list[str], after: int, head: Header) -> int:
    """Read 'Kính gửi:' recipients; return the index where the body starts."""
    i = after
    while i < len(cleaned) and (not cleaned[i] or _NATIONAL.search(cleaned[i]) or _DATE.search(cleaned[i])):
        i += 1
    if i < len(cleaned) and cleaned[i].startswith("Kính gửi"):
        rest = cleaned[i].split(":", 1)[1].strip() if ":" in cleaned[i] else ""
        if rest:
            head.kinh_gui.append(rest.strip("-;. "))
        i += 1
        while i < len(cleaned) and (not cleaned[i] or cleaned[i].startswith(("-", "+", "•"))):
            if cleaned[i]:
                head.kinh_gui.append(cleaned[i].strip("-+•;. "))
            i += 1
    return i


def _type_from_symbol(symbol: str, party: bool) -> str | None:
    """576/TB-VP → Thông báo; 126-TB/TU → Thông báo; a công văn symbol (VP-TH) has no type code."""
    code = symbol.split("/")[0] if party else symbol.split("-")[0]
    return TYPE_CODES.get(code)

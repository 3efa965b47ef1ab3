"""The columns of a task table: printed header labels → AppendixRow fields, and the small
text helpers every table layout shares (HTML fragments to text, wrapped lines joined).

Pure functions on strings."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache

from ..text import fold, squash


@dataclass(frozen=True)
class AppendixRow:
    number: str  # STT as printed
    text: str  # Nhiệm vụ, lines joined
    lead: str | None = None  # chủ trì
    support: str | None = None  # phối hợp
    due_text: str | None = None  # thời hạn / thời gian
    result: str | None = None  # kết quả / sản phẩm
    authority: str | None = None  # thẩm quyền
    leader: str | None = None  # lãnh đạo chỉ đạo
    assignee: str | None = None  # người thực hiện: named officials, not agencies


# ------------------------------------------------------------------------------ text helpers

_BLOCK_TAG = re.compile(r"</?\s*(p|br|li|ul|ol|div|tr|td|th|table|h\d)\b[^<>]*>", re.I)
_ANY_TAG = re.compile(r"</?\s*[a-zA-Z][^<>]*>")
_GLUE = re.compile(r"(?<=\S-)\n")


@lru_cache(maxsize=8192)
def fold_chars(text: str) -> str:
    """Lower-case and diacritic-free, char by char (same length as the input)."""
    return "".join(fold(ch)[:1] or ch for ch in text).lower()


def plain(cell: str) -> str:
    """HTML fragments to plain text, whitespace normalised."""
    text = squash(html.unescape(_ANY_TAG.sub("", _BLOCK_TAG.sub(" ", cell))).replace("\n", " "))
    return text.replace("( ", "(").replace(" )", ")")


def strip_marks(line: str) -> str:
    return squash(plain(line).replace("**", "").replace("__", "").strip("#*_ "))


def join_lines(lines: list[str]) -> str:
    """Join wrapped lines with spaces; 'word-' at a line end joins without one."""
    text = "\n".join(line.strip() for line in lines if line.strip())
    return squash(_GLUE.sub("", text).replace("\n", " "))


# ------------------------------------------------------------------------------ columns

_KEY_RULES = (
    ("number", re.compile(r"^(stt|tt|so tt|so thu tu)$")),
    ("leader", re.compile(r"lanh dao")),
    ("lead", re.compile(r"chu tri")),
    ("support", re.compile(r"phoi hop")),
    ("authority", re.compile(r"tham quyen")),
    ("due_text", re.compile(r"thoi han|thoi gian|tien do")),
    ("result", re.compile(r"ket qua|san pham")),
    ("assignee", re.compile(r"^(nguoi|can bo) (thuc hien|phu trach)$")),
    ("text", re.compile(r"nhiem vu|noi dung")),
)
_LABEL_END = re.compile(
    r"\b(stt|nhiem vu|noi dung( cong viec)?|ket qua( ?/ ?san pham)?|san pham|ghi chu"
    r"|thoi (han|gian)( thuc hien)?( ?/ ?hoan thanh)?|chu tri|phoi hop|tham quyen|chi dao)\b"
)
_COLUMN_NUMBER = re.compile(r"\(?\d{1,2}\)?")


def column_key(label: str) -> str | None:
    """The AppendixRow field a printed column label maps to."""
    folded = " ".join(re.findall(r"[a-z0-9]+", fold_chars(plain(label))))
    return next((key for key, rule in _KEY_RULES if rule.search(folded)), None)


def split_labels(header: str) -> list[str]:
    """'STT Nhiệm vụ Kết quả/Sản phẩm ...' (the header as one run of text) into labels."""
    labels, start = [], 0
    for match in _LABEL_END.finditer(fold_chars(header)):
        labels.append(header[start : match.end()].strip(" ,"))
        start = match.end()
    if header[start:].strip() and labels:
        labels[-1] = f"{labels[-1]} {header[start:].strip()}"
    return [label for label in labels if label]


def is_header(cells: list[str]) -> bool:
    keys = [column_key(cell) for cell in cells if cell]
    return "number" in keys and len([k for k in keys if k]) >= 3


def is_label_row(cells: list[str]) -> bool:
    """A second header row: sub-labels ("Chủ trì" | "Phối hợp") or column numbers "(1)" | "(2)"
    (the number column's own cell often left empty)."""
    filled = [cell for cell in cells if cell]
    numbering = len(filled) >= 2 and all(_COLUMN_NUMBER.fullmatch(c) for c in filled)
    return bool(filled) and (numbering or all(column_key(cell) for cell in filled))


def make_row(keys: list[str | None], cells: list[str]) -> AppendixRow:
    fields: dict[str, str] = {}
    for key, cell in zip(keys, cells):
        if key and cell and key not in fields:
            fields[key] = cell
    return AppendixRow(number=fields.pop("number", ""), text=fields.pop("text", ""), **fields)

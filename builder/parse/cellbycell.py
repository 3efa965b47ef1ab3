"""Task tables extracted from a PDF "cell by cell": a row starts with a line holding its number,
then come the wrapped lines of every cell, column after column, unmarked.

A dynamic programme cuts each row's lines into the columns, in order, scoring every candidate
cell by how it opens (agency names, deadline words, a capital letter), how it ends (not on
"và", "của", ","), and whether its lines wrap like one column (a line that is not the cell's
last must be nearly full, none may be wider than the column).  Column widths and the cells
that recur in a column are learnt from a first pass over the whole table.  After a repeated
page header, the lines continue cells of the same row.  Pure functions on lines of text.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from ..text import fold, squash
from .columns import AppendixRow, column_key, join_lines, make_row, split_labels
from .columns import fold_chars as _fold

_NUMBER = re.compile(r"\d{1,3}\.?")
_MERGED_DUE = re.compile(
    r"(?P<head>\S.*?\S)\s+(?P<due>(Tháng|Quý)\s+[\dIVX][\d/IVX, ]*|Năm \d{4}|Thường xuyên)"
)
_AGENCY = (
    r"(so|uy ban|ubnd|hoi dong|hdnd|cong an|ngan hang|ban|bo chi huy|bo|thanh tra|thanh uy"
    r"|van phong|cuc|chi cuc|kho bac|bao hiem|trung tam|cang|tong cong ty|dai|toa an|vien)\b"
)
_DEADLINE = (
    r"(thang|quy|nam|thuong xuyen|hang|dinh ky|truoc|tu|den|trong|sau khi|khan cap|dot xuat"
    r"|du kien|thuc hien|theo|ngay|giai doan|\d+ (thang|ngay|nam)|\d+/\d{4})\b"
)
_STARTS = {  # how a cell of the column opens, and the cost when it does not
    "lead": (re.compile(_AGENCY), 4.0),
    "support": (re.compile(rf"{_AGENCY}|cac\b|co quan|don vi|dia phuong|chu dau tu"), 2.0),
    "authority": (re.compile(rf"{_AGENCY}|theo\b"), 1.0),
    "leader": (re.compile(r"(pho )?chu tich|lanh dao"), 2.0),
    "due_text": (re.compile(_DEADLINE), 2.0),
}
_DANGLING = {"và", "các", "của", "cho", "với", "tại", "đến", "trong", "theo", "về", "để", "những",
             "một", "ngày", "từ", "ở", "là", "hoặc", "ban", "chi"}  # words a cell never ends on
_INK = {**dict.fromkeys("ijlt.,;:'|!", 0.28), **dict.fromkeys("frs()-/\"", 0.36),
        "m": 0.78, "w": 0.72, "M": 0.89, "W": 0.94, "I": 0.36, "J": 0.39, " ": 0.25}
_EMPTY = 6.0  # a column left empty on a row's first page


@dataclass(frozen=True)
class _Model:
    keys: tuple[str, ...]  # the columns after STT, in order
    widths: tuple[float, ...] | None = None  # learnt on a first pass, in ems
    known: frozenset[str] = frozenset()  # cell values that recur in the table
    longest: int = 0  # length of the longest known value


@lru_cache(maxsize=8192)
def _ink(text: str) -> float:
    """Approximate printed width in ems (a Times-like proportional font)."""
    return sum(_INK.get(ch, 0.68 if ch.isupper() else 0.5) for ch in fold(text))


@lru_cache(maxsize=65536)
def _wrap_ink(line: str, nxt: str) -> float:
    """Width of `line` plus the next line's first word; inf after a hard break."""
    if line.endswith((".", ";", ":")) or nxt[:1] in "-+•":
        return float("inf")
    return _ink(f"{line} {nxt.split(' ', 1)[0]}")


def _wrap_cost(lines: list[str], width: float | None) -> float:
    """Penalty for lines that are not a cell's last yet had room for the next word."""
    top = max([_ink(x) for x in lines] + [width or 0.0])
    return 1.5 * sum(1 for a, b in zip(lines, lines[1:]) if top - _wrap_ink(a, b) > 0.12 * top)


@lru_cache(maxsize=65536)
def _start_cost(key: str, head: str) -> float:
    """Does a cell opening with `head` look like a cell of this column?"""
    cost = 0.0 if head[:1].isupper() or head[:1] in "-+•(\"“0123456789" else 2.0
    if key in _STARTS:
        rule, miss = _STARTS[key]
        cost += 0.0 if rule.match(_fold(head)) else miss
    return cost


@lru_cache(maxsize=8192)
def _is_dangling(line: str) -> bool:
    """Does a cell ending with this line look unfinished ('... và', 'Ủy ban', ',')?"""
    words = line.lower().split()
    return line.endswith((",", "-", "(", ":")) or bool(words) and words[-1] in _DANGLING


def _cell_cost(model: _Model, col: int, prior: list[str], lines: list[str]) -> float:
    """Cost of giving `lines` to column `col`, which holds `prior` from earlier pages."""
    if not lines:
        return 0.0
    whole = prior + lines
    width = model.widths[col] if model.widths else None
    cost = _wrap_cost(whole, width) - (_wrap_cost(prior, width) if prior else 0.0)
    if width:
        cost += 3.0 * sum(1 for x in lines if _ink(x) > 1.15 * width)
    if prior:
        cost += -1.0 if _is_dangling(prior[-1]) else 2.0  # finish what was left hanging
    else:
        cost += _start_cost(model.keys[col], " ".join(lines[:3]))
    cost += 2.5 if _is_dangling(lines[-1]) else 0.0
    if sum(len(x) + 1 for x in whole) <= model.longest + 1 and join_lines(whole) in model.known:
        cost -= 2.0  # a value seen elsewhere in the table: an agency, a deadline...
    return cost


def _segment(model: _Model, lines: list[str], prior: list[list[str]]) -> list[list[str]]:
    """Cut one page's lines of a row into the columns, in order (dynamic programme)."""
    cols, n, first_page = len(model.keys), len(lines), not any(prior)
    best = [[float("inf")] * (n + 1) for _ in range(cols + 1)]
    back = [[0] * (n + 1) for _ in range(cols + 1)]
    best[0][0] = 0.0
    for col in range(cols):
        for end in range(n + 1):
            for start in [0] if first_page and col == 0 else range(end + 1):
                if best[col][start] == float("inf"):
                    continue
                chunk = lines[start:end]
                empty = first_page and not chunk
                cost = _EMPTY if empty else _cell_cost(model, col, prior[col], chunk)
                if best[col][start] + cost < best[col + 1][end]:
                    best[col + 1][end], back[col + 1][end] = best[col][start] + cost, start
    cells, end = [], n
    for col in range(cols, 0, -1):
        cells.append(lines[back[col][end] : end])
        end = back[col][end]
    return cells[::-1]


def _split_merged(line: str) -> list[str]:
    """'Báo cáo, đề xuất Tháng 12' (two cells run together on one line) into its parts."""
    match = _MERGED_DUE.fullmatch(line)
    if not match or _is_dangling(match["head"]):
        return [line]
    return [match["head"], match["due"]]


def _group_rows(body: list[str], header: list[str]) -> list[tuple[str, list[list[str]]]]:
    """Body lines to (number, pages of lines); drops repeated headers and page numbers."""
    head = [_fold(x) for x in header]
    rows: list[tuple[str, list[list[str]]]] = []
    i = 0
    while i < len(body):
        line, nxt = body[i], _fold(body[i + 1]) if i + 1 < len(body) else None
        if _fold(line) == head[0]:
            j = 1
            while j < len(head) and i + j < len(body) and _fold(body[i + j]) == head[j]:
                j += 1
            i += j
            if rows and rows[-1][1][-1]:
                rows[-1][1].append([])
            continue
        number = line.rstrip(".") if _NUMBER.fullmatch(line) else None
        if number and nxt == head[0]:
            pass  # a page number, just above the repeated header
        elif number and nxt is not None and (not rows or number == str(len(rows) + 1)):
            rows.append((number, [[]]))
        elif rows:
            rows[-1][1][-1].extend(_split_merged(line))
        i += 1
    return [(number, [page for page in pages if page]) for number, pages in rows]


def _segment_row(model: _Model, pages: list[list[str]]) -> list[list[str]]:
    cells: list[list[str]] = [[] for _ in model.keys]
    for page in pages:
        cells = [old + new for old, new in zip(cells, _segment(model, page, cells))]
    return cells


def _fit_width(cells: list[list[str]]) -> float:
    """The width that best separates the lines printed from the lines that had to wrap."""
    fits = sorted(_ink(x) for cell in cells for x in cell)
    wraps = [_wrap_ink(a, b) for cell in cells for a, b in zip(cell, cell[1:])]
    def misfits(w: float) -> int:
        return sum(f > w for f in fits) + sum(x <= w for x in wraps)

    return min(fits, key=misfits, default=0.0)


def _learn(model: _Model, segmented: list[list[list[str]]]) -> _Model:
    """Column widths and the cell values recurring in the table, from a segmentation."""
    widths = tuple(_fit_width([row[col] for row in segmented]) for col in range(len(model.keys)))
    counts = Counter(join_lines(cell) for row in segmented for cell in row if cell)
    known = frozenset(value for value, n in counts.items() if n > 1)
    return _Model(model.keys, widths, known, max(map(len, known), default=0))


def parse_cells(lines: list[str]) -> tuple[list[str], list[AppendixRow]] | None:
    """The cell-by-cell layout, from the header's first line to the end of the appendix."""
    text = [squash(x) for x in lines if x.strip()]
    first = next((i for i, x in enumerate(text) if _NUMBER.fullmatch(x)), None)
    if first is None or first > 20:
        return None
    labels = split_labels(" ".join(text[:first]))
    keys = [column_key(label) for label in labels]
    if "number" not in keys:
        return None
    rows = _group_rows(text[first:], text[:first])
    columns = [k for k in keys if k != "number"]
    model, segmented = _Model(tuple(k or "" for k in columns)), []
    for _ in range(2):  # a first pass learns the widths and recurring cells for the second
        segmented = [_segment_row(model, pages) for _, pages in rows]
        model = _learn(model, segmented)
    return labels, [
        make_row(["number", *columns], [number, *(join_lines(c) for c in cells)])
        for (number, _), cells in zip(rows, segmented)
    ]


__all__ = ["parse_cells"]

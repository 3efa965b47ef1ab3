"""Patching a search shard where it lies (for builder.search_update): every key keeps its
bytes unless a changed document has it or its postings move; such a key is edited in its
stored form — first ordinal, gaps, impact bytes, variant masks — never decoded into a list
of ordinals: insertions and removals are array operations at one place, and finding that
place sums runs of gaps in C (gap_sum) instead of adding them up one by one in Python.
"""

from __future__ import annotations

import zlib
from array import array

from .search_format import (HAS_IMPACTS, MAX_VARIANTS, KeySpan, fixed_at, head_moved, join_shard, key_head,
                            key_variants, le_bytes, narrowed, scan_shard, sized, width)

_CHUNK = 4096  # gaps summed at once when looking for an ordinal
_ADLER = 65521  # Adler-32's modulus
_ADLER_INVERSE = pow(_ADLER, -1, 255)

Posting = tuple[int, "int | None", "str | None"]  # ordinal, impact (None: a facet), spellings (None: not a word)
Runs = list[tuple[int, int]]  # (old ordinal where a run of kept documents starts, its shift)
Edits = dict[str, tuple[list[Posting], list[Posting]]]  # key → (postings to remove, to add), ascending


class Decline(Exception):
    """The previous files cannot be patched into the wanted ones: build the index in full."""


def patch_shard(data: bytes, edits: Edits, runs: Runs) -> bytes:
    """A shard after removing and adding the postings of `edits` (by old and new ordinal)
    and moving the kept documents' ordinals by `runs` (none: no ordinal moves)."""
    spans = {span.key: span for span in scan_shard(data)}
    heads, blocks = [], []
    for key in sorted(spans.keys() | edits.keys()):
        span = spans.get(key)
        if key in edits:
            part = _Key(key, data, span).edit(*edits[key], runs)
        else:
            assert span is not None
            part = _moved(data, span, runs)
        if part is not None:
            heads.append(part[0])
            blocks.append(part[1])
    return join_shard(heads, blocks)


def _moved(data: bytes, span: KeySpan, runs: Runs) -> tuple[bytes, bytes]:
    """A key that no changed document has, its postings moved by `runs`: the same bytes when
    they do not move, else a new first ordinal and the gaps where the shift changes."""
    head, blocks = data[span.head:span.end], data[span.block:span.block_end]
    if not runs:
        return head, blocks
    moved = shifted(span.first, fixed_at(data, span.block, span.df - 1, span.gap_width), runs)
    if moved is None:
        return head, blocks
    first, gaps, shrunk = moved
    if shrunk:
        gaps = narrowed(gaps)
    flags = gaps.itemsize | (span.flags & HAS_IMPACTS)
    return head_moved(data, span, first, flags), le_bytes(gaps) + data[span.impacts:span.block_end]


def shifted(first: int, gaps: array, runs: Runs) -> tuple[int, array, bool] | None:
    """Postings (kept documents') moved by the shifts of their runs: the first ordinal, or
    the gap before the first posting of a run, changes by the difference of the shifts. The
    new first ordinal and gaps (edited in place, or a wider copy), and whether a gap got
    smaller; None when nothing moves."""
    changes: dict[int, int] = {}
    j, at, before = 0, None, 0
    for start, shift in runs:
        j, at = locate(first, gaps, start, j, at)
        if j > len(gaps):
            break
        if shift != before:
            changes[j] = changes.get(j, 0) + shift - before
        before = shift
    if not any(changes.values()):
        return None
    for j, change in changes.items():
        if j == 0:
            first += change
        else:
            gaps = _fit(gaps, gaps[j - 1] + change)
            gaps[j - 1] += change
    return first, gaps, min(changes.values()) < 0


def locate(first: int, gaps: array, target: int, j: int = 0, at: int | None = None) -> tuple[int, int]:
    """(index, ordinal) of the first posting at or after ordinal `target`, looking from
    posting j (ordinal `at`) on; (posting count, last ordinal) when every posting is before.
    Whole runs of gaps are skipped by their sum, narrowing down where the target lies."""
    at = first if at is None else at
    n, step = len(gaps), _CHUNK
    while at < target and j < n:
        part = min(step, n - j)
        total = gap_sum(gaps, j, j + part)
        if at + total < target:
            j, at = j + part, at + total
        elif part > 8:
            step = part // 8
        else:
            j, at = j + 1, at + gaps[j]
    return (j, at) if at >= target else (n + 1, at)


def gap_sum(gaps: array, i: int, j: int) -> int:
    """sum(gaps[i:j]); one-byte gaps (nearly all) are summed in C at memory speed: Adler-32
    holds their sum modulo 65521 and, as 256 ≡ 1 (mod 255), the little-endian integer they
    spell is their sum modulo 255; together that is the sum modulo 16,707,855, which 65,520
    gaps of at most 255 stay below. Up to 256 gaps Adler-32 alone is exact."""
    if gaps.itemsize != 1 or j - i > 65520:
        return sum(gaps[i:j])
    view = memoryview(gaps)[i:j]
    a = (zlib.adler32(view) & 0xFFFF) - 1
    if j - i <= 256:
        return a
    a %= _ADLER
    return a + _ADLER * ((int.from_bytes(view, "little") % 255 - a) * _ADLER_INVERSE % 255)


def _bits(mask: int) -> list[int]:
    return [b for b in range(mask.bit_length()) if mask >> b & 1]


def _fit(arr: array, value: int) -> array:
    """`arr`, or a copy with wider items when `value` does not fit its items."""
    return arr if width(value) <= arr.itemsize else sized(value, arr)


class _Key:
    """One key's postings held the way its shard stores them (first ordinal, gaps, impact
    bytes, masks), edited in place: removals by old ordinal, then the shifts of kept
    documents, then insertions by new ordinal."""

    def __init__(self, key: str, data: bytes, span: KeySpan | None):
        self.key = key
        self.in_order = True  # the variants are still in order of first use, new ones last
        self.shrunk = False  # a gap or a mask may have got smaller: widths are computed again
        self.masks: array | None = None  # None with fewer than two variants (every mask 1)
        if span is None:
            self.df = self.first = 0
            self.gaps, self.impacts = array("B"), bytearray()
            self.forms: list[str] = []
            self.dfs: list[int] = []
            return
        self.df, self.first = span.df, span.first
        self.gaps = fixed_at(data, span.block, span.df - 1, span.gap_width)
        self.impacts = bytearray(data[span.impacts:span.masks])
        variants = key_variants(data, span)
        self.forms = [form for form, _ in variants]
        self.dfs = [n for _, n in variants]
        if span.mask_width:
            self.masks = fixed_at(data, span.masks, span.df, span.mask_width)

    def edit(self, removed: list[Posting], added: list[Posting], runs: Runs) -> tuple[bytes, bytes] | None:
        """The key's header entry and blocks after the edits; None when no posting is left."""
        if (removed or added) and len(self.forms) >= MAX_VARIANTS:
            raise Decline(f"{self.key}: {len(self.forms)} spellings")
        for o, _, _ in reversed(removed):
            self._remove(o)
        if runs:
            self._shift(runs)
        j, at = 0, None
        for o, impact, forms in added:
            j, at = self._insert(o, impact, forms, j, at)
        return self._encode() if self.df else None

    def _remove(self, o: int) -> None:
        j, at = locate(self.first, self.gaps, o)
        if at != o or j >= self.df:
            raise Decline(f"{self.key}: no posting {o} to remove")
        g = self.gaps
        if self.df == 1:
            self.first = 0
        elif j == 0:
            self.first += g[0]
            del g[0]
        elif j == self.df - 1:
            del g[j - 1]
        else:
            merged = g[j - 1] + g[j]
            del g[j]
            self._set_gap(j - 1, merged)
        if self.impacts:
            del self.impacts[j]
        if self.masks is not None:
            for b in _bits(self.masks.pop(j)):
                self.dfs[b] -= 1
        elif self.forms:
            self.dfs[0] -= 1
        self.df -= 1
        self.in_order = False
        self.shrunk = True

    def _shift(self, runs: Runs) -> None:
        moved = shifted(self.first, self.gaps, runs)
        if moved is not None:
            self.first, self.gaps, shrunk = moved
            self.shrunk = self.shrunk or shrunk

    def _insert(self, o: int, impact: int | None, forms: str | None, j: int, at: int | None) -> tuple[int, int]:
        """Insert a posting; return where it is (index, ordinal), to look for the next one from."""
        if self.df and (impact is not None) != bool(self.impacts):
            raise Decline(f"{self.key}: impacts on some postings only")
        if not self.df:
            j = 0
            self.first = o
        else:
            j, at = locate(self.first, self.gaps, o, j, at)
            if j == 0:
                self.gaps = _fit(self.gaps, self.first - o)
                self.gaps.insert(0, self.first - o)
                self.first = o
            elif j == self.df:
                self.gaps = _fit(self.gaps, o - at)
                self.gaps.append(o - at)
            elif at == o:
                raise Decline(f"{self.key}: posting {o} twice")
            else:
                self._set_gap(j - 1, o - (at - self.gaps[j - 1]))
                self.gaps = _fit(self.gaps, at - o)
                self.gaps.insert(j, at - o)
                self.shrunk = True
        if j < self.df:
            self.in_order = False
        if impact is not None:
            self.impacts.insert(j, impact)
        if forms is not None:
            self._insert_mask(j, forms)
        self.df += 1
        return j, o

    def _insert_mask(self, j: int, forms: str) -> None:
        mask = 0
        for form in forms.split("|"):
            if form not in self.forms:
                if len(self.forms) + 1 >= MAX_VARIANTS:
                    raise Decline(f"{self.key}: too many spellings")
                self.forms.append(form)
                self.dfs.append(0)
            b = self.forms.index(form)
            mask |= 1 << b
            self.dfs[b] += 1
        if self.masks is None and len(self.forms) > 1:
            self.masks = array("B", b"\x01") * self.df  # one variant so far: every mask is 1
        if self.masks is not None:
            self.masks = _fit(self.masks, mask)
            self.masks.insert(j, mask)

    def _set_gap(self, i: int, value: int) -> None:
        self.gaps = _fit(self.gaps, value)
        self.gaps[i] = value

    def _encode(self) -> tuple[bytes, bytes]:
        forms, dfs, masks = self._respelled()
        gaps = narrowed(self.gaps) if self.shrunk else self.gaps
        if masks is not None and self.shrunk:
            masks = narrowed(masks)
        flags = gaps.itemsize | (HAS_IMPACTS if self.impacts else 0)
        head = key_head(self.key, self.df, self.first, flags, forms, dfs, 0 if masks is None else masks.itemsize)
        return head, b"".join((le_bytes(gaps), self.impacts, b"" if masks is None else le_bytes(masks)))

    def _respelled(self) -> tuple[list[str], list[int], array | None]:
        """Variants in order of first use (a document's own new spellings sorted), as a full
        build lists them, with their counts and the masks renumbered to match."""
        live = [b for b, n in enumerate(self.dfs) if n > 0]
        masks = self.masks
        if not self.in_order and masks is not None:
            first: dict[int, int] = {}
            for mask in set(masks):
                at = masks.index(mask)
                for b in _bits(mask):
                    first[b] = min(at, first.get(b, at))
            live.sort(key=lambda b: (first[b], self.forms[b]))
        if masks is not None and live != list(range(len(self.forms))):
            place = {b: i for i, b in enumerate(live)}
            table = {m: sum(1 << place[b] for b in _bits(m) if b in place) for m in set(masks)}
            masks = sized(max(table.values()), map(table.__getitem__, masks))
        return [self.forms[b] for b in live], [self.dfs[b] for b in live], masks if len(live) > 1 else None

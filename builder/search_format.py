"""The binary format of a search shard, written here and read by assets/js/query.js (and,
for tests, by decode_shard below; incremental updates read it with scan_shard).

A term key goes to shard crc32(utf-8 key) mod the shard count (a power of two). A shard is

    header   varint key count, then per key (sorted by key):
               varint byte length + utf-8 key
               varint df (documents), varint first ordinal,
               byte flags: gap width (1, 2 or 4) | 8 when impact bytes follow
               varint variant count, then per variant: varint length + utf-8 form, varint df
               byte mask width (1, 2 or 4) when there are two variants or more
    blocks   per key, in header order: df-1 gaps (little-endian, gap width each),
               df impact bytes if flagged, then df variant masks (mask width each) if any

Ordinals number documents in index order (oldest first). An impact byte is a document's
quantised BM25 term weight; a variant mask has bit i set when the document spells the
word as variant i (exact, canonical spelling; variants are listed in order of first use).
Filter facets store no impacts: every posting weighs PRESENCE.
"""

from __future__ import annotations

import operator
import sys
import zlib
from itertools import accumulate
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field

MAGIC = b"VIS1"
MAX_VARIANTS = 31
PRESENCE = 80  # the impact of a key stored without impacts (about one use in an average document)
HAS_IMPACTS = 8
_CODES = {1: "B", 2: "H", 4: "I"}
assert array("I").itemsize == 4


@dataclass
class Postings:
    """One key's postings: ascending ordinals, impact bytes, exact-spelling variants."""

    ords: array = field(default_factory=lambda: array("I"))
    impacts: bytearray = field(default_factory=bytearray)
    variants: list[str] = field(default_factory=list)
    variant_df: list[int] = field(default_factory=list)
    masks: array | None = None


def shard_of(key: str, shards: int) -> int:
    return zlib.crc32(key.encode("utf-8")) & (shards - 1)


def _varint(out: bytearray, n: int) -> None:
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)


def _text(out: bytearray, s: str) -> None:
    raw = s.encode("utf-8")
    _varint(out, len(raw))
    out += raw


def _fixed(values: array | list[int], size: int) -> bytes:
    return le_bytes(array(_CODES[size], values))


def encode_shard(postings: dict[str, Postings]) -> bytes:
    parts = [encode_key(key, postings[key]) for key in sorted(postings)]
    return join_shard([h for h, _ in parts], [b for _, b in parts])


def join_shard(heads: list[bytes], blocks: list[bytes]) -> bytes:
    """A shard from its keys' header entries and blocks, in key order (encode_key)."""
    count = bytearray(MAGIC)
    _varint(count, len(heads))
    return bytes(count) + b"".join(heads) + b"".join(blocks)


def encode_key(key: str, p: Postings) -> tuple[bytes, bytes]:
    """One key's header entry and its blocks."""
    ords = p.ords
    gaps = list(map(operator.sub, ords[1:], ords))
    gw = width(max(gaps, default=0))
    mw = 0
    if len(p.variants) > 1:
        assert p.masks is not None, key
        mw = width(max(p.masks, default=0))
    head = key_head(key, len(ords), ords[0], gw | (HAS_IMPACTS if p.impacts else 0), p.variants, p.variant_df, mw)
    return head, b"".join((_fixed(gaps, gw), p.impacts, _fixed(p.masks, mw) if mw else b""))


def key_head(key: str, df: int, first: int, flags: int, variants: list[str], variant_df: list[int],
             mask_width: int) -> bytes:
    """A key's header entry (mask_width 0 when it has fewer than two variants)."""
    head = bytearray()
    _text(head, key)
    _varint(head, df)
    _varint(head, first)
    head.append(flags)
    _varint(head, len(variants))
    for form, n in zip(variants, variant_df):
        _text(head, form)
        _varint(head, n)
    if mask_width:
        head.append(mask_width)
    return bytes(head)


def width(top: int) -> int:
    """The item size (1, 2 or 4 bytes) that stores values up to `top`."""
    return 1 if top < 0x100 else 2 if top < 0x10000 else 4


def sized(top: int, values: Iterable[int] = ()) -> array:
    """An array of the narrowest item size that holds values up to `top`, filled with `values`."""
    return array(_CODES[width(top)], values)


def narrowed(arr: array) -> array:
    """`arr`, or a copy with narrower items when its values fit them (patched postings may shrink)."""
    return arr if width(max(arr, default=0)) == arr.itemsize else sized(max(arr, default=0), arr)


def fixed_at(data: bytes, pos: int, count: int, size: int) -> array:
    """`count` little-endian items of `size` bytes at data[pos:], as an array of that item size."""
    arr = array(_CODES[size])
    arr.frombytes(data[pos:pos + count * size])
    if sys.byteorder == "big":
        arr.byteswap()
    return arr


def le_bytes(arr: array) -> bytes:
    """The items of an array of item size 1, 2 or 4, little-endian."""
    if sys.byteorder == "big" and arr.itemsize > 1:
        arr = array(arr.typecode, arr)
        arr.byteswap()
    return arr.tobytes()


class _Reader:
    def __init__(self, data: bytes):
        self.data = data
        self.pos = 0

    def varint(self) -> int:
        n = shift = 0
        while True:
            b = self.data[self.pos]
            self.pos += 1
            n |= (b & 0x7F) << shift
            shift += 7
            if b < 0x80:
                return n

    def text(self) -> str:
        size = self.varint()
        self.pos += size
        return self.data[self.pos - size:self.pos].decode("utf-8")


@dataclass(frozen=True)
class KeySpan:
    """Where one key lies in a shard's bytes (scan_shard): its header entry is
    data[head:end], of which data[rest:end] follows the flags byte (variants, mask width);
    its blocks start at `block`: gaps, then impacts (when flagged), then masks."""

    key: str
    df: int
    first: int
    flags: int
    head: int
    rest: int
    end: int
    mask_width: int
    block: int

    @property
    def gap_width(self) -> int:
        return self.flags & 7

    @property
    def impacts(self) -> int:
        """Where its impact bytes start (or its masks, when it has no impacts)."""
        return self.block + (self.df - 1) * self.gap_width

    @property
    def masks(self) -> int:
        """Where its masks start (or its blocks end, when it has none)."""
        return self.impacts + (self.df if self.flags & HAS_IMPACTS else 0)

    @property
    def block_end(self) -> int:
        return self.masks + self.df * self.mask_width


def scan_shard(data: bytes) -> list[KeySpan]:
    """The keys of a shard, in order, without decoding their postings."""
    if data[:4] != MAGIC:
        raise ValueError("not a search shard")
    r = _Reader(data)
    r.pos = 4
    heads = []
    for _ in range(r.varint()):
        head = r.pos
        key, df, first = r.text(), r.varint(), r.varint()
        flags = data[r.pos]
        r.pos += 1
        rest = r.pos
        variants = r.varint()
        for _ in range(variants):
            r.text()
            r.varint()
        mw = 0
        if variants > 1:
            mw = data[r.pos]
            r.pos += 1
        heads.append((key, df, first, flags, head, rest, r.pos, mw))
    spans = []
    block = r.pos
    for key, df, first, flags, head, rest, end, mw in heads:
        spans.append(KeySpan(key, df, first, flags, head, rest, end, mw, block))
        block = spans[-1].block_end
    return spans


def head_moved(data: bytes, span: KeySpan, first: int, flags: int) -> bytes:
    """A key's header entry as it stands but for its first ordinal and flags (gap width)."""
    head = bytearray()
    _text(head, span.key)
    _varint(head, span.df)
    _varint(head, first)
    head.append(flags)
    return bytes(head) + data[span.rest:span.end]


def key_variants(data: bytes, span: KeySpan) -> list[tuple[str, int]]:
    """A key's variants and the document count of each."""
    r = _Reader(data)
    r.pos = span.rest
    return [(r.text(), r.varint()) for _ in range(r.varint())]


def decode_key(data: bytes, span: KeySpan) -> Postings:
    variants = key_variants(data, span)
    ords = array("I", accumulate(fixed_at(data, span.block, span.df - 1, span.gap_width), initial=span.first))
    impacts = bytearray(data[span.impacts:span.masks])
    masks = array("I", fixed_at(data, span.masks, span.df, span.mask_width)) if span.mask_width else None
    return Postings(ords, impacts, [v for v, _ in variants], [d for _, d in variants], masks)


def decode_shard(data: bytes) -> dict[str, Postings]:
    return {span.key: decode_key(data, span) for span in scan_shard(data)}

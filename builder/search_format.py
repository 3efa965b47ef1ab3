"""The binary format of a search shard, written here and read by assets/js/query.js (and,
for tests and incremental updates, by decode_shard below).

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


def _width(top: int) -> int:
    return 1 if top < 0x100 else 2 if top < 0x10000 else 4


def _fixed(values: array | list[int], width: int) -> bytes:
    arr = array(_CODES[width], values)
    if sys.byteorder == "big":
        arr.byteswap()
    return arr.tobytes()


def encode_shard(postings: dict[str, Postings]) -> bytes:
    head = bytearray(MAGIC)
    blocks: list[bytes] = []
    keys = sorted(postings)
    _varint(head, len(keys))
    for key in keys:
        p = postings[key]
        ords = p.ords
        gaps = list(map(operator.sub, ords[1:], ords))
        gw = _width(max(gaps, default=0))
        _text(head, key)
        _varint(head, len(ords))
        _varint(head, ords[0])
        head.append(gw | (HAS_IMPACTS if p.impacts else 0))
        _varint(head, len(p.variants))
        for form, df in zip(p.variants, p.variant_df):
            _text(head, form)
            _varint(head, df)
        blocks.append(_fixed(gaps, gw))
        if p.impacts:
            blocks.append(bytes(p.impacts))
        if len(p.variants) > 1:
            assert p.masks is not None, key
            mw = _width(max(p.masks, default=0))
            head.append(mw)
            blocks.append(_fixed(p.masks, mw))
    return bytes(head) + b"".join(blocks)


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

    def fixed(self, count: int, width: int) -> array:
        arr = array(_CODES[width])
        arr.frombytes(self.data[self.pos:self.pos + count * width])
        if sys.byteorder == "big":
            arr.byteswap()
        self.pos += count * width
        return arr


def decode_shard(data: bytes) -> dict[str, Postings]:
    if data[:4] != MAGIC:
        raise ValueError("not a search shard")
    r = _Reader(data)
    r.pos = 4
    heads = []
    for _ in range(r.varint()):
        key, df, first = r.text(), r.varint(), r.varint()
        flags = r.data[r.pos]
        r.pos += 1
        variants = [(r.text(), r.varint()) for _ in range(r.varint())]
        mw = 0
        if len(variants) > 1:
            mw = r.data[r.pos]
            r.pos += 1
        heads.append((key, df, first, flags, variants, mw))
    out: dict[str, Postings] = {}
    for key, df, first, flags, variants, mw in heads:
        gw = flags & 7
        ords = array("I", accumulate(r.fixed(df - 1, gw), initial=first))
        impacts = bytearray(r.data[r.pos:r.pos + df]) if flags & HAS_IMPACTS else bytearray()
        r.pos += df if flags & HAS_IMPACTS else 0
        masks = array("I", r.fixed(df, mw)) if mw else None
        out[key] = Postings(ords, impacts, [v for v, _ in variants], [d for _, d in variants], masks)
    return out

"""Incremental search index: the files of index_files(new) computed from the previous build's
files, re-encoding only the shards that hold a key of a changed document.

The result is byte-identical to a full index_files(new) (tested). It applies when the
documents that did not change keep their ordinals: edits that keep the issued date, and
documents added after (or removed from the end of) the date order. Otherwise, or when the
shard count changes, update_index returns None and the caller builds in full.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Callable

from .search import DocEntry, _manifest, manifest_files, result_files, shard_count
from .search_format import MAX_VARIANTS, Postings, decode_shard, encode_shard, shard_of

MAX_CHANGED = 200  # beyond this many changed ordinals a full build is as fast


def update_index(read_previous: Callable[[str], bytes], old: list[DocEntry],
                 new: list[DocEntry], results: bool = True) -> dict[str, bytes] | None:
    """read_previous(path) gives a file of the index built from `old`."""
    before = sorted(old, key=lambda e: e.order)
    after = sorted(new, key=lambda e: e.order)
    shards = shard_count(len(after))
    if shards != shard_count(len(before)):
        return None
    changed = [o for o in range(max(len(before), len(after)))
               if o >= len(before) or o >= len(after) or before[o] != after[o]]
    if len(changed) > MAX_CHANGED:
        return None
    touched: dict[int, set[str]] = {}
    for o in changed:
        for e in (before[o] if o < len(before) else None, after[o] if o < len(after) else None):
            for key in e.keys.split("\n") if e and e.keys else ():
                touched.setdefault(shard_of(key, shards), set()).add(key)
    files: dict[str, bytes] = {}
    for i in range(shards):
        path = f"tim-kiem/t/{i:04x}.bin"
        if i not in touched:
            files[path] = read_previous(path)
            continue
        table = decode_shard(read_previous(path))
        if not _patch(table, touched[i], changed, before, after):
            return None
        files[path] = encode_shard({k: p for k, p in table.items() if len(p.ords)})
    files.update(manifest_files(_manifest(after, shards)))
    if results:
        files.update(result_files(after))
    return files


def _postings_of(e: DocEntry) -> dict[str, tuple[int | None, str | None]]:
    """key → (impact or None, spellings or None) of one document."""
    keys = e.keys.split("\n") if e.keys else []
    forms = e.spellings.split("\n") if e.words else []
    return {k: (e.impacts[i] if i < e.weighted else None, forms[i] if i < e.words else None)
            for i, k in enumerate(keys)}


def _patch(table: dict[str, Postings], keys: set[str], changed: list[int], before: list[DocEntry],
           after: list[DocEntry]) -> bool:
    """Remove the changed ordinals' old postings of these keys, add the new ones."""
    olds = {o: _postings_of(before[o]) for o in changed if o < len(before)}
    news = {o: _postings_of(after[o]) for o in changed if o < len(after)}
    for key in keys:
        p = table.setdefault(key, Postings())
        spellings = _spellings(p)
        for o in changed:
            if key in olds.get(o, {}):
                j = bisect_left(p.ords, o)
                if j == len(p.ords) or p.ords[j] != o:
                    return False  # the previous files were not built from `before`
                del p.ords[j], spellings[j]
                if p.impacts:
                    del p.impacts[j]
            if key in news.get(o, {}):
                impact, forms = news[o][key]
                j = bisect_left(p.ords, o)
                p.ords.insert(j, o)
                spellings.insert(j, forms.split("|") if forms else [])
                if impact is not None:
                    p.impacts.insert(j, impact)
        if not _respell(p, spellings):
            return False
    return True


def _spellings(p: Postings) -> list[list[str]]:
    if not p.variants:
        return [[] for _ in p.ords]
    masks = p.masks if p.masks is not None else array("I", [1] * len(p.ords))
    return [[v for b, v in enumerate(p.variants) if m >> b & 1] for m in masks]


def _respell(p: Postings, spellings: list[list[str]]) -> bool:
    """Variants in order of first use (each document's spellings sorted), as a full build lists them."""
    variants: list[str] = []
    for forms in spellings:
        for form in sorted(forms):
            if form not in variants:
                variants.append(form)
    if len(variants) >= MAX_VARIANTS:
        return False
    masks = array("I", [sum(1 << variants.index(f) for f in forms) for forms in spellings])
    p.variants = variants
    p.variant_df = [sum(1 for forms in spellings if v in forms) for v in variants]
    p.masks = masks if len(variants) > 1 else None
    return True

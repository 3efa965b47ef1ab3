"""Search stage as the build runs it: one DocEntry per document — reused from the cache when
the document's file is unchanged (same digest) and the published build holds its result file
(vb/<ordinal>.json, then hard-linked under its new ordinal), computed over all cores otherwise
(each worker writes the result files of its documents: they never gather in one process) —
then the shards. When the previous build's files are at hand, they are patched
(builder.search_update): only the entries of the documents removed, added or moved are read
from the cache (builder.search_cache), only the shards holding their keys are re-encoded, and
unchanged files are hard-linked; the bytes are the same as a full build either way (tested)."""

from __future__ import annotations

import logging
import multiprocessing
import os
from dataclasses import replace
from pathlib import Path

from .corpus import Corpus
from .model import Document
from .render import Site, gz
from .search import DocEntry, document_entry, index_files
from .search_cache import EntryCache
from .search_update import MAX_CHANGED, MAX_MOVED, Change, patch_index

log = logging.getLogger(__name__)

__all__ = ["EntryCache", "write_search"]


def write_search(site: Site, corpus: Corpus, cache: EntryCache, previous: Path | None) -> None:
    """Write every file of the search index into the site. `previous` is the published folder
    when it was built by this code; `cache.published` then describes it (checked by name)."""
    ordered = sorted(corpus.documents, key=lambda d: (d.issued or "", d.id))  # index order
    usable = previous is not None and previous.name == cache.folder and bool(cache.published)
    was = {g: o for o, g in enumerate(cache.published)} if usable else {}
    kept = {o: was[d.digest] for o, d in enumerate(ordered) if d.digest and d.digest in was and d.digest in cache}
    todo = [(o, d) for o, d in enumerate(ordered) if o not in kept]
    computed = _compute(site, corpus, todo)
    for _, d in todo:
        if d.digest:
            cache.add(d.digest, computed[d.id])
    files = _patched(cache, ordered, kept, computed, previous) if usable and previous else None
    if usable:
        log.debug("search: %d entries computed, index %s", len(todo), "patched" if files else "rebuilt")
    rebuilt = files is None  # a patch marks its unchanged files None; a full build is compared below
    if rebuilt:
        files = index_files(_all_entries(site, corpus, cache, ordered, kept, computed), results=False)
    for o, doc in enumerate(ordered):
        if o in kept:  # unchanged: its vb/ file too
            for ext in (".json", ".json.gz"):
                site.link(previous, f"tim-kiem/vb/{o}{ext}", f"tim-kiem/vb/{was[doc.digest]}{ext}")
    for path, data in sorted(files.items()):
        old_file = previous / path if previous and rebuilt else None
        if data is None or (old_file is not None and old_file.is_file() and old_file.read_bytes() == data):
            site.link(previous, path)
            site.link(previous, path + ".gz")
        else:
            site.add(path, data, gzip_copy=True)
    cache.published = [d.digest for d in ordered]


def _patched(cache: EntryCache, ordered: list[Document], kept: dict[int, int], computed: dict[str, DocEntry],
             previous: Path) -> dict[str, bytes | None] | None:
    """The index files patched from the previous build's (None: unchanged), or None when the
    index is to be built in full (or a removed document's cached entry cannot be read)."""
    published = cache.published
    removed = sorted(set(range(len(published))) - set(kept.values()))
    added = {o: computed[d.id] for o, d in enumerate(ordered) if o not in kept}
    if len(removed) + len(added) > MAX_CHANGED:
        return None
    moved = [old for new, old in kept.items() if new != old]
    few = len(moved) <= MAX_MOVED  # else every shard is read instead
    loaded = cache.load(published[o] for o in removed + (moved if few else []))
    if any(published[o] not in loaded for o in removed):
        return None
    listed = {o: loaded[published[o]] for o in moved} if few and all(published[o] in loaded for o in moved) else None
    change = Change(len(published), {o: loaded[published[o]] for o in removed}, added, listed)
    orders = [(d.issued or "", d.id) for d in ordered]
    return patch_index(lambda p: (previous / p).read_bytes(), change, orders)


def _all_entries(site: Site, corpus: Corpus, cache: EntryCache, ordered: list[Document],
                 kept: dict[int, int], computed: dict[str, DocEntry]) -> list[DocEntry]:
    """Every document's entry, in index order: the kept ones read from the cache; one that
    cannot be read is computed again (with its vb/ file, which then is not linked)."""
    loaded = cache.load(ordered[o].digest for o in kept)
    lost = [(o, ordered[o]) for o in kept if ordered[o].digest not in loaded]
    if lost:
        log.warning("search cache: %d entries unreadable, computed again", len(lost))
        computed.update(_compute(site, corpus, lost))
        for o, d in lost:
            del kept[o]
            cache.add(d.digest, computed[d.id])
    return [computed[d.id] if d.id in computed else loaded[d.digest] for d in ordered]


# What the worker processes compute; set before the pool forks.
_JOB: tuple[Site, Corpus, list[tuple[int, Document]]] | None = None


def _compute(site: Site, corpus: Corpus, todo: list[tuple[int, Document]]) -> dict[str, DocEntry]:
    """Entries of these documents (without their result row), each one's vb/<ordinal>.json
    (and .gz) written into the site by the worker that computed it."""
    global _JOB
    site.make_parent("tim-kiem/vb/0.json")  # the workers write into it
    _JOB = (site, corpus, todo)
    workers = min(os.cpu_count() or 1, 8)
    out: dict[str, DocEntry] = {}
    try:
        if len(todo) < 200 or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
            parts = [_chunk(range(len(todo)))]
        else:
            chunks = [range(i, len(todo), workers * 4) for i in range(workers * 4)]
            pool = multiprocessing.get_context("fork").Pool(workers)
            with pool:
                parts = list(pool.imap_unordered(_chunk, chunks))
    finally:
        _JOB = None
    for part in parts:
        for doc_id, entry, paths in part:
            out[doc_id] = entry
            site.claim(paths)
    return out


def _chunk(indices: range) -> list[tuple[str, DocEntry, list[str]]]:
    assert _JOB is not None
    site, corpus, todo = _JOB
    out = []
    for i in indices:
        o, doc = todo[i]
        had_body = bool(doc.body)
        corpus.body(doc)
        entry = document_entry(doc)
        if not had_body and doc.id in corpus.paths:
            doc.body = ""  # bodies are read again by the page that shows them; keep memory flat
        path = f"tim-kiem/vb/{o}.json"
        site.write(path, entry.result)  # never through a hard link into the published folder
        site.write(path + ".gz", gz(entry.result))
        out.append((doc.id, replace(entry, result=b""), [path, path + ".gz"]))
    return out

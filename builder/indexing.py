"""Search stage as the build runs it: one DocEntry per document — reused from the cache when
the document's file is unchanged (same digest) and the published build holds its result file
(vb/<ordinal>.json, then hard-linked under its new ordinal), computed over all cores otherwise
(each worker writes the result files of its documents: they never gather in one process) —
then the shards. When the previous build's entries and files are at hand, only the shards
that a changed document touches are re-encoded (builder.search_update) and unchanged files
are hard-linked; the bytes are the same as a full build either way (tested)."""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import os
import pickle
from dataclasses import dataclass, field, replace
from pathlib import Path

from .corpus import Corpus
from .model import Document
from .render import Site, gz
from .search import DocEntry, document_entry, index_files
from .search_update import update_index
from .store import write_atomic

log = logging.getLogger(__name__)


def _code_version() -> str:
    """Entries depend on the analysis code and the model: any change there invalidates them.
    (Reuse of the published files also needs the same Site.fingerprint, which hashes all of
    builder/: any code change rebuilds the index in full.)"""
    here = Path(__file__).parent
    names = ["model.py", "search.py", "search_text.py", "searchterms.py", "search_format.py", "text.py"]
    return hashlib.sha256(b"".join((here / n).read_bytes() for n in names)).hexdigest()[:16]


_VERSION = _code_version()


@dataclass
class EntryCache:
    """digest → entry (without its result row: that is the vb/ file), and the digests of
    the last published build in index order (so a document's ordinal there)."""

    entries: dict[str, DocEntry] = field(default_factory=dict)
    published: list[str] = field(default_factory=list)
    folder: str = ""  # name of the build folder that `published` describes

    @classmethod
    def read(cls, path: Path) -> "EntryCache":
        try:
            version, entries, published, folder = pickle.loads(path.read_bytes())
        except Exception:  # noqa: BLE001 - missing, stale or damaged: start afresh
            return cls()
        return cls(entries, published, folder) if version == _VERSION else cls()

    def write(self, path: Path, folder: Path) -> None:
        """Keep the entries of the published documents only; remember `folder` as holding them."""
        keep = {g: self.entries[g] for g in self.published if g in self.entries}
        data = (_VERSION, keep, self.published, folder.name)
        write_atomic(path, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))


def write_search(site: Site, corpus: Corpus, cache: EntryCache, previous: Path | None) -> None:
    """Write every file of the search index into the site. `previous` is the published folder
    when it was built by this code; `cache.published` then describes it (checked by name)."""
    ordered = sorted(corpus.documents, key=lambda d: (d.issued or "", d.id))  # index order
    usable = previous is not None and previous.name == cache.folder and bool(cache.published)
    was = {g: o for o, g in enumerate(cache.published)} if usable else {}
    todo: list[tuple[int, Document]] = []
    for o, doc in enumerate(ordered):
        if doc.digest and doc.digest in cache.entries and doc.digest in was:  # unchanged: its vb/ file too
            for ext in (".json", ".json.gz"):
                site.link(previous, f"tim-kiem/vb/{o}{ext}", f"tim-kiem/vb/{was[doc.digest]}{ext}")
        else:
            todo.append((o, doc))
    computed = _compute(site, corpus, todo)
    cache.entries.update((d.digest, computed[d.id]) for _, d in todo if d.digest)
    entries = [computed[d.id] if d.id in computed else cache.entries[d.digest] for d in ordered]
    files = None
    if usable and all(g in cache.entries for g in cache.published):
        old = [cache.entries[g] for g in cache.published]
        files = update_index(lambda p: (previous / p).read_bytes(), old, entries, results=False)
        log.debug("search: %d entries computed, index %s", len(todo), "patched" if files else "rebuilt")
    for path, data in sorted((files or index_files(entries, results=False)).items()):
        old_file = previous / path if previous else None
        if old_file is not None and old_file.is_file() and old_file.read_bytes() == data:
            site.link(previous, path)
            site.link(previous, path + ".gz")
        else:
            site.add(path, data, gzip_copy=True)
    cache.published = [d.digest for d in ordered]


# What the worker processes compute; set before the pool forks.
_JOB: tuple[Site, Corpus, list[tuple[int, Document]]] | None = None


def _compute(site: Site, corpus: Corpus, todo: list[tuple[int, Document]]) -> dict[str, DocEntry]:
    """Entries of these documents (without their result row), each one's vb/<ordinal>.json
    (and .gz) written into the site by the worker that computed it."""
    global _JOB
    (site.folder / "tim-kiem" / "vb").mkdir(parents=True, exist_ok=True)
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
        (site.folder / path).write_bytes(entry.result)
        (site.folder / (path + ".gz")).write_bytes(gz(entry.result))
        out.append((doc.id, replace(entry, result=b""), [path, path + ".gz"]))
    return out

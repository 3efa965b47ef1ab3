"""Search stage as the build runs it: one DocEntry per document — reused from the cache when
the document's file is unchanged (same digest), computed over all cores otherwise — then the
index files. When the previous build's entries and files are at hand, only the shards that a
changed document touches are re-encoded (builder.search_update); the bytes are the same as a
full index either way (tested)."""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path

from .corpus import Corpus
from .model import Document
from .search import DocEntry, document_entry, index_files
from .search_update import update_index
from .store import write_atomic

log = logging.getLogger(__name__)


def _code_version() -> str:
    """Entries depend on the analysis code and the model: any change there invalidates them."""
    here = Path(__file__).parent
    names = ["model.py", "search.py", "search_text.py", "searchterms.py", "search_format.py", "text.py"]
    return hashlib.sha256(b"".join((here / n).read_bytes() for n in names)).hexdigest()[:16]


_VERSION = _code_version()


@dataclass
class EntryCache:
    """digest → entry, and the digests of the last published build in index order."""

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

    def write(self, path: Path, docs: list[Document], folder: Path) -> None:
        """Keep the entries of these documents only; remember them as what `folder` holds."""
        keep = {d.digest: self.entries[d.digest] for d in docs if d.digest in self.entries}
        data = (_VERSION, keep, [d.digest for d in docs], folder.name)
        write_atomic(path, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))


def search_files(corpus: Corpus, cache: EntryCache, previous: Path | None) -> dict[str, bytes]:
    """Every file of the search index by site path. `previous` is the published folder when
    it was built by this code (and `cache.published` then describes it)."""
    missing = [d for d in corpus.documents if not d.digest or d.digest not in cache.entries]
    computed = _compute(corpus, missing)
    cache.entries.update((d.digest, computed[d.id]) for d in missing if d.digest)
    entries = [computed[d.id] if d.id in computed else cache.entries[d.digest] for d in corpus.documents]
    if (previous is not None and previous.name == cache.folder and cache.published
            and all(g in cache.entries for g in cache.published)):
        old = [cache.entries[g] for g in cache.published]
        files = update_index(lambda p: (previous / p).read_bytes(), old, entries)
        if files is not None:
            log.debug("search index updated from the previous build (%d entries computed)", len(missing))
            return files
    return index_files(entries)


# Documents whose entries the worker processes compute; set before the pool forks.
_JOB: tuple[Corpus, list[Document]] | None = None


def _compute(corpus: Corpus, docs: list[Document]) -> dict[str, DocEntry]:
    workers = min(os.cpu_count() or 1, 8)
    if len(docs) < 200 or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return dict(_entries(corpus, docs, range(len(docs))))
    global _JOB
    _JOB = (corpus, docs)
    chunks = [range(i, len(docs), workers * 4) for i in range(workers * 4)]
    out: dict[str, DocEntry] = {}
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for part in pool.imap_unordered(_chunk, chunks):
                out.update(part)
    finally:
        _JOB = None
    return out


def _chunk(indices: range) -> list[tuple[str, DocEntry]]:
    assert _JOB is not None
    return _entries(*_JOB, indices)


def _entries(corpus: Corpus, docs: list[Document], indices: range) -> list[tuple[str, DocEntry]]:
    out = []
    for i in indices:
        doc = docs[i]
        had_body = bool(doc.body)
        corpus.body(doc)
        out.append((doc.id, document_entry(doc)))
        if not had_body and doc.id in corpus.paths:
            doc.body = ""  # bodies are read again by the page that shows them; keep memory flat
    return out

"""Corpus: every stored Document loaded, checked and cross-linked — agency ↔ document,
person ↔ document, cites ↔ cited by. Read-only views for the render and search stages."""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .errors import SourceError
from .model import Agency, Document, Person, Reference, Task
from .registry import Registry
from .store import load_document, read_body, write_atomic
from .text import slugify

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TaskRef:
    doc: Document
    task: Task
    role: str  # "chủ trì" | "phối hợp" | "chỉ đạo"


@dataclass
class Entity:
    """An agency or person page: registry entry (or an unverified name) + what concerns it."""

    name: str
    slug: str
    kind: str  # agency | person
    verified: bool
    agency: Agency | None = None
    person: Person | None = None
    docs: list[Document] = field(default_factory=list)
    tasks: list[TaskRef] = field(default_factory=list)
    signed: list[Document] = field(default_factory=list)
    issued: list[Document] = field(default_factory=list)


@dataclass
class Corpus:
    documents: list[Document]  # newest first
    by_id: dict[str, Document]
    agencies: dict[str, Entity]  # by canonical name
    people: dict[str, Entity]
    cites: dict[str, list[tuple[Reference, Document | None]]]
    cited_by: dict[str, list[Document]]
    problems: list[SourceError] = field(default_factory=list)
    paths: dict[str, Path] = field(default_factory=dict)  # document id → its file
    registry_agencies: list[Agency] = field(default_factory=list)

    def body(self, doc: Document) -> str:
        """The Markdown body; documents from the load cache carry none until asked."""
        if not doc.body and doc.id in self.paths:
            doc.body = read_body(self.paths[doc.id])
        return doc.body

    def agency_slug(self, name: str) -> str | None:
        e = self.agencies.get(name)
        return e.slug if e else None

    def person_slug(self, name: str) -> str | None:
        e = self.people.get(name)
        return e.slug if e else None


def _code_version() -> str:
    """The cache holds pickled Documents: any change to the model or the store invalidates it."""
    import hashlib

    here = Path(__file__).parent
    return hashlib.sha256((here / "model.py").read_bytes() + (here / "store.py").read_bytes()).hexdigest()[:16]


_CACHE_VERSION = _code_version()


def load_corpus(folder: Path, registry: Registry, cache: Path | None = None) -> Corpus:
    """Load every document file. With a cache file, unchanged files (same size and mtime)
    come from it without parsing YAML; bodies are then read only when a page needs them."""
    docs: dict[str, Document] = {}
    paths: dict[str, Path] = {}
    problems: list[SourceError] = []
    cached = _read_cache(cache)
    fresh: dict[str, tuple[int, int, Document]] = {}
    files = sorted(folder.glob("*.md"))
    stale = len(_load_misses(files, cached)) > 0 or set(cached) - {p.name for p in files}
    for path in files:
        try:
            doc = _load(path, cached, fresh)
        except SourceError as exc:
            log.error("%s", exc.message)
            problems.append(exc)
            continue
        if doc.id in docs:
            exc = SourceError(path, f"duplicate id '{doc.id}' (also in {paths[doc.id].name}); skipped")
            log.error("%s", exc.message)
            problems.append(exc)
            continue
        if path.stem != doc.id:
            log.warning("%s: id '%s' differs from the file name", path.name, doc.id)
        docs[doc.id] = doc
        paths[doc.id] = path
    if cache is not None and (stale or len(fresh) != len(cached) or any(cached.get(k) is not v for k, v in fresh.items())):
        write_atomic(cache, pickle.dumps((_CACHE_VERSION, fresh), protocol=pickle.HIGHEST_PROTOCOL))
    ordered = sorted(docs.values(), key=lambda d: (d.issued or "", d.id), reverse=True)
    corpus = Corpus(ordered, docs, {}, {}, {}, defaultdict(list), problems, paths,
                    list(registry.agencies.values()))
    _link_entities(corpus, registry)
    _link_references(corpus)
    return corpus


def _load_misses(files: list[Path], cached: dict[str, tuple[int, int, Document]]) -> list[Path]:
    """Parse the files the cache does not hold over all cores (YAML is most of a cold build);
    the results go into `cached`, as if they had been there. Errors are left for _load."""
    misses = []
    for path in files:
        st = os.stat(path)
        hit = cached.get(path.name)
        if not (hit and hit[0] == st.st_mtime_ns and hit[1] == st.st_size):
            misses.append(path)
    workers = min(os.cpu_count() or 1, 8)
    if len(misses) < 500 or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return misses
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for path, result in zip(misses, pool.imap(_load_quietly, misses, chunksize=64)):
            if result is not None:
                cached[path.name] = result
    return misses


def _load_quietly(path: Path) -> tuple[int, int, Document] | None:
    try:
        st = os.stat(path)
        doc = load_document(path)
    except SourceError:
        return None
    doc.body = ""
    return (st.st_mtime_ns, st.st_size, doc)


def _load(path: Path, cached: dict[str, tuple[int, int, Document]],
          fresh: dict[str, tuple[int, int, Document]]) -> Document:
    st = os.stat(path)
    hit = cached.get(path.name)
    if hit and hit[0] == st.st_mtime_ns and hit[1] == st.st_size:
        fresh[path.name] = hit
        return hit[2]
    doc = load_document(path)
    doc.body = ""
    fresh[path.name] = (st.st_mtime_ns, st.st_size, doc)
    return doc


def _read_cache(cache: Path | None) -> dict[str, tuple[int, int, Document]]:
    if cache is None or not cache.is_file():
        return {}
    try:
        version, data = pickle.loads(cache.read_bytes())
    except Exception:  # a stale or damaged cache is just ignored
        return {}
    return data if version == _CACHE_VERSION else {}


def _entity(table: dict[str, Entity], name: str, kind: str, registry: Registry) -> Entity:
    if name not in table:
        agency = registry.agencies.get(name) if kind == "agency" else None
        person = registry.people.get(name) if kind == "person" else None
        known = agency or person
        slug = known.slug if known else slugify(name)
        table[name] = Entity(name, slug, kind, known is not None, agency, person)
    return table[name]


def _link_entities(corpus: Corpus, registry: Registry) -> None:
    for doc in reversed(corpus.documents):  # oldest first, lists end up newest first below
        for name in doc.agencies:
            _entity(corpus.agencies, name, "agency", registry).docs.append(doc)
        for name in doc.people:
            _entity(corpus.people, name, "person", registry).docs.append(doc)
        if doc.issuer:
            _entity(corpus.agencies, doc.issuer, "agency", registry).issued.append(doc)
        if doc.signer.name:
            _entity(corpus.people, doc.signer.name, "person", registry).signed.append(doc)
        for task in doc.tasks:
            for name in task.lead:
                _entity(corpus.agencies, name, "agency", registry).tasks.append(TaskRef(doc, task, "chủ trì"))
            for name in task.support:
                _entity(corpus.agencies, name, "agency", registry).tasks.append(TaskRef(doc, task, "phối hợp"))
            if task.leader and (task.leader in registry.people or task.leader in corpus.people):
                _entity(corpus.people, task.leader, "person", registry).tasks.append(TaskRef(doc, task, "chỉ đạo"))
    for table in (corpus.agencies, corpus.people):
        for e in table.values():
            for lst in (e.docs, e.signed, e.issued):
                lst.reverse()
            e.tasks.sort(key=lambda t: (t.task.due or "9999", t.doc.id))
            if e.issued and not e.docs:
                e.docs = list(e.issued)
    _dedupe_slugs(corpus)


def _dedupe_slugs(corpus: Corpus) -> None:
    """Two names folding to one slug would overwrite each other's page: suffix the later one."""
    for table in (corpus.agencies, corpus.people):
        seen: set[str] = set()
        for name in sorted(table, key=lambda n: (not table[n].verified, n)):
            e = table[name]
            slug, n = e.slug, 2
            while slug in seen:
                slug, n = f"{e.slug}-{n}", n + 1
            e.slug = slug
            seen.add(slug)


def _link_references(corpus: Corpus) -> None:
    index: dict[tuple[str, str], list[Document]] = defaultdict(list)
    for d in corpus.documents:
        if d.number and d.symbol:
            index[(str(int(d.number)), d.symbol)].append(d)
    for doc in corpus.documents:
        out: list[tuple[Reference, Document | None]] = []
        for ref in doc.references:
            target = _target(index, ref)
            out.append((ref, target))
            if target is not None and target is not doc and doc not in corpus.cited_by[target.id]:
                corpus.cited_by[target.id].append(doc)
        corpus.cites[doc.id] = out


def _target(index: dict[tuple[str, str], list[Document]], ref: Reference) -> Document | None:
    if not ref.number or not ref.symbol or not ref.number.isdigit():
        return None
    candidates = index.get((str(int(ref.number)), ref.symbol), [])
    if ref.date:
        candidates = [d for d in candidates if d.year == ref.date[:4]]
    return candidates[0] if len(candidates) == 1 else None

"""Corpus: every stored Document loaded (unchanged files from the cache in corpus_cache),
checked and cross-linked — agency ↔ document, person ↔ document, cites ↔ cited by.
Read-only views for the render and search stages."""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple

from .corpus_cache import DocumentCache, Entry, share_strings
from .errors import SourceError
from .model import Agency, Document, Person, Reference, Task
from .registry import Registry
from .store import load_document, read_body
from .text import slugify

log = logging.getLogger(__name__)


class TaskRef(NamedTuple):
    """A task as an agency's or person's page lists it. A tuple: there are hundreds of
    thousands at 20,000 documents, and a frozen dataclass takes 4× longer to create."""

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
    # the same refs by year of their document ("khong-ro": undated), in the order of `tasks`:
    # grouped while handing out, where each ref is at hand (pages list tasks by year)
    task_years: dict[str, list[TaskRef]] = field(default_factory=dict)
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


def load_corpus(folder: Path, registry: Registry, cache: Path | None = None) -> Corpus:
    """Load every document file. With a cache file, unchanged files (same size and mtime)
    come from it without parsing YAML; bodies are then read only when a page needs them."""
    with _no_gc():  # millions of long-lived objects and no cycles: collecting only slows this down
        store = DocumentCache.read(cache)
        docs, paths, problems, fresh = _load_all(folder, store.entries)
        if cache is not None:
            store.save(fresh)
        del store, fresh
        ordered = sorted(docs.values(), key=lambda d: (d.issued or "", d.id), reverse=True)
        corpus = Corpus(ordered, docs, {}, {}, {}, defaultdict(list), problems, paths,
                        list(registry.agencies.values()))
        _link_entities(corpus, registry)
        _link_references(corpus)
    return corpus


@contextmanager
def _no_gc() -> Iterator[None]:
    """No cyclic collection while loading. What was allocated meanwhile then goes straight to
    the oldest generation (freeze + unfreeze moves it without a scan); left young, the first
    collection after would scan every one of those millions of objects."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        # a small load is left to the collector; and unfreeze would thaw what a caller froze
        if gc.get_count()[0] > 100_000 and gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()
        if enabled:
            gc.enable()


def _load_all(folder: Path, cached: dict[str, Entry]) -> tuple[
        dict[str, Document], dict[str, Path], list[SourceError], dict[str, Entry]]:
    """Documents and files by id, the files that failed, and the cache entries now valid."""
    docs: dict[str, Document] = {}
    paths: dict[str, Path] = {}
    problems: list[SourceError] = []
    fresh: dict[str, Entry] = {}
    for name, loaded in _read_files(folder, cached):
        path = folder / name
        if isinstance(loaded, SourceError):
            log.error("%s", loaded.message)
            problems.append(loaded)
            continue
        fresh[name] = loaded
        doc = loaded[2]
        if doc.id in docs:
            exc = SourceError(path, f"duplicate id '{doc.id}' (also in {paths[doc.id].name}); skipped")
            log.error("%s", exc.message)
            problems.append(exc)
            continue
        if path.stem != doc.id:
            log.warning("%s: id '%s' differs from the file name", path.name, doc.id)
        docs[doc.id] = doc
        paths[doc.id] = path
    return docs, paths, problems, fresh


def _read_files(folder: Path, cached: dict[str, Entry]) -> list[tuple[str, Entry | SourceError]]:
    """Every *.md file in name order, from the cache when its mtime and size match, else parsed."""
    files = _scan(folder)
    misses = [(folder / name, mtime, size) for name, mtime, size in files
              if mtime < 0 or (hit := cached.get(name)) is None or hit[0] != mtime or hit[1] != size]
    parsed = {job[0].name: result for job, result in zip(misses, _parse_all(misses))}
    return [(name, parsed[name] if name in parsed else cached[name]) for name, _, _ in files]


def _scan(folder: Path) -> list[tuple[str, int, int]]:
    """(name, mtime_ns, size) of each *.md file, sorted by name: one stat call per file."""
    if not folder.is_dir():
        return []
    files = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.endswith(".md"):
                try:
                    st = entry.stat()
                except OSError:  # gone or unreadable: parsing it reports why
                    files.append((entry.name, -1, -1))
                else:
                    files.append((entry.name, st.st_mtime_ns, st.st_size))
    files.sort(key=itemgetter(0))
    return files


def _parse_all(jobs: list[tuple[Path, int, int]]) -> list[Entry | SourceError]:
    """Parse the files the cache does not hold, over all cores when there are many (YAML is
    most of a cold build)."""
    workers = min(os.cpu_count() or 1, 8)
    if len(jobs) < 500 or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return _parse_chunk(jobs)
    chunks = [jobs[i:i + 64] for i in range(0, len(jobs), 64)]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        return [entry for chunk in pool.imap(_parse_chunk, chunks) for entry in chunk]


def _parse_chunk(jobs: list[tuple[Path, int, int]]) -> list[Entry | SourceError]:
    """Equal strings made one object (agency names recur in most tasks): from a worker each
    then travels once per chunk, and the cache pickles it once (64 documents share nearly
    all there is to share: sharing over the whole corpus made the base only 7% smaller)."""
    entries = [_parse(job) for job in jobs]
    share_strings(entry[2] for entry in entries if not isinstance(entry, SourceError))
    return entries


def _parse(job: tuple[Path, int, int]) -> Entry | SourceError:
    """A cache entry for one file (stat taken before reading: a later change shows as a miss)."""
    path, mtime, size = job
    try:
        doc = load_document(path)
    except SourceError as exc:
        return exc
    doc.body = ""
    return (mtime, size, doc)


def _entity(table: dict[str, Entity], name: str, kind: str, registry: Registry) -> Entity:
    if name not in table:
        agency = registry.agencies.get(name) if kind == "agency" else None
        person = registry.people.get(name) if kind == "person" else None
        known = agency or person
        slug = known.slug if known else slugify(name)
        table[name] = Entity(name, slug, kind, known is not None, agency, person)
    return table[name]


def _link_entities(corpus: Corpus, registry: Registry) -> None:
    pending = _link_documents(corpus, registry)
    _hand_out(corpus, pending)
    for table in (corpus.agencies, corpus.people):
        for e in table.values():
            for lst in (e.docs, e.signed, e.issued):
                lst.reverse()
            if e.issued and not e.docs:
                e.docs = list(e.issued)
    _dedupe_slugs(corpus)


# A task to hand out: its sort key, where it is, its document's year, and the leader it goes to
# (None: no page for them).
_Pending = tuple[str, Document, Task, str, str | None]


def _link_documents(corpus: Corpus, registry: Registry) -> list[_Pending]:
    """Each document onto its agencies' and people's lists, oldest first (reversed later), and
    every entity created in the order first met, tasks' ones included; the tasks themselves are
    returned to be handed out in deadline order."""
    agencies, people, known = corpus.agencies, corpus.people, registry.people
    pending: list[_Pending] = []
    for doc in reversed(corpus.documents):
        for name in doc.agencies:
            (agencies.get(name) or _entity(agencies, name, "agency", registry)).docs.append(doc)
        for name in doc.people:
            (people.get(name) or _entity(people, name, "person", registry)).docs.append(doc)
        if doc.issuer:
            (agencies.get(doc.issuer) or _entity(agencies, doc.issuer, "agency", registry)).issued.append(doc)
        if doc.signer.name:
            (people.get(doc.signer.name) or _entity(people, doc.signer.name, "person", registry)).signed.append(doc)
        after, year = "\0" + doc.id, doc.year or "khong-ro"
        for task in doc.tasks:
            for name in task.lead + task.support if task.support else task.lead:
                if name not in agencies:
                    _entity(agencies, name, "agency", registry)
            leader = task.leader  # has a page only if known by now: registry, or named by a document so far
            if leader and (leader in people or leader in known):
                if leader not in people:
                    _entity(people, leader, "person", registry)
            else:
                leader = None
            pending.append(((task.due or "9999") + after, doc, task, year, leader))
    return pending


def _hand_out(corpus: Corpus, pending: list[_Pending]) -> None:
    """Append each task to its entities in deadline order (no deadline last), then by document
    id; ties keep the order met. The key joins the two with NUL, which neither contains (dates,
    safe ids) and which sorts before every other character, so it orders as the pair would."""
    agencies, people = corpus.agencies, corpus.people
    pending.sort(key=itemgetter(0))
    for _, doc, task, year, leader in pending:
        if task.lead:
            ref = TaskRef(doc, task, "chủ trì")  # immutable: one object for all its agencies
            for name in task.lead:
                _give(agencies[name], ref, year)
        if task.support:
            ref = TaskRef(doc, task, "phối hợp")
            for name in task.support:
                _give(agencies[name], ref, year)
        if leader is not None:
            _give(people[leader], TaskRef(doc, task, "chỉ đạo"), year)


def _give(e: Entity, ref: TaskRef, year: str) -> None:
    e.tasks.append(ref)
    if year in e.task_years:
        e.task_years[year].append(ref)
    else:
        e.task_years[year] = [ref]


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
    linked: set[tuple[str, str]] = set()  # (cited, citing): ids are unique in a corpus
    for doc in corpus.documents:
        out: list[tuple[Reference, Document | None]] = []
        for ref in doc.references:
            target = _target(index, ref)
            out.append((ref, target))
            if target is not None and target is not doc and (target.id, doc.id) not in linked:
                linked.add((target.id, doc.id))
                corpus.cited_by[target.id].append(doc)
        corpus.cites[doc.id] = out


def _target(index: dict[tuple[str, str], list[Document]], ref: Reference) -> Document | None:
    if not ref.number or not ref.symbol or not ref.number.isdigit():
        return None
    candidates = index.get((str(int(ref.number)), ref.symbol), [])
    if ref.date:
        candidates = [d for d in candidates if d.year == ref.date[:4]]
    return candidates[0] if len(candidates) == 1 else None

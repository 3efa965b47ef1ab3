"""Ingest + parse + store for the sources under content/sources/: each source becomes
content/documents/<id>.md, once per source content (hash), never over a hand edit."""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path

from . import ingest
from .config import BuildConfig
from .errors import SourceError
from .model import Document
from .progress import progress
from .parse import parse_document
from .registry import Registry
from .store import dump_document, is_hand_edited, write_atomic

log = logging.getLogger(__name__)

PARSER_VERSION = "12"
"""Bump when a parser change should regenerate every (unedited) document file."""


@dataclass
class Problem:
    source: str
    reason: str


@dataclass
class IngestReport:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    kept_edits: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # unreadable or untrustworthy sources


@dataclass
class _Existing:
    path: Path
    stamp: str  # source hash + parser version + registry hash it was generated with
    edited: bool


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def ingest_all(cfg: BuildConfig, registry: Registry) -> IngestReport:
    report = IngestReport()
    sources = sorted(p for p in cfg.sources_dir.rglob("*") if ingest.is_source(p))
    if not sources:
        return report
    cache = _StatCache(cfg.cache_dir / "ingest.pickle")
    existing = _existing(cfg.documents_dir, cache)
    generator = f"{PARSER_VERSION}:{sha256(cfg.registry_path)[:12]}"
    todo: list[tuple[Path, str, str, _Existing | None]] = []
    for source in sources:
        rel = source.relative_to(cfg.content_dir).as_posix()
        too_big = source.stat().st_size > ingest.MAX_SOURCE_BYTES  # refused by read(); not worth hashing
        digest = "too-large" if too_big else cache.get(source, lambda p: sha256(p))
        old = existing.get(rel)
        if old and old.stamp == f"{digest}/{generator}" and not cfg.force:
            report.unchanged += 1
        elif old and old.edited and not cfg.force:
            log.warning("%s: source, parser or registry changed but %s was edited by hand; kept "
                        "(use --force to regenerate)", rel, old.path.name)
            report.kept_edits.append(old.path.name)
        else:
            todo.append((source, rel, digest, old))
    for (source, rel, digest, old), parsed in zip(todo, _parse_all([(s, r) for s, r, _, _ in todo], registry)):
        try:
            if isinstance(parsed, SourceError):
                raise parsed
            parsed.ingest = {"source_sha256": digest, "generator": generator}
            for warning in parsed.warnings:
                log.warning("%s: %s", rel, warning)
            _write(cfg, source, rel, parsed, old, report)
        except SourceError as exc:
            log.error("%s", exc.message)
            report.problems.append(Problem(rel, exc.reason))
    cache.save()
    return report


def _parse_one(source: Path, rel: str, registry: Registry) -> Document | SourceError:
    try:
        raw = ingest.read(source)
        for note in raw.notes:
            log.info("%s: %s", rel, note)
        if not raw.text_layer_ok:
            raise SourceError(source, f"{ingest.unusable_reason(raw)}; source kept, not indexed")
        return parse_document(raw, registry, rel)
    except SourceError as exc:
        return exc


_REGISTRY: Registry | None = None  # inherited by forked workers


def _parse_worker(item: tuple[Path, str]) -> Document | SourceError:
    assert _REGISTRY is not None
    return _parse_one(item[0], item[1], _REGISTRY)


def _parse_all(items: list[tuple[Path, str]], registry: Registry) -> list[Document | SourceError]:
    """Read and parse sources over all cores (pdfplumber is slow); results in input order."""
    workers = min(os.cpu_count() or 1, 8)
    if len(items) < 4 or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [_parse_one(s, r, registry) for s, r in progress(items, "Nguồn")]
    global _REGISTRY
    _REGISTRY = registry
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            return list(progress(pool.imap(_parse_worker, items, chunksize=1), "Nguồn", total=len(items)))
    finally:
        _REGISTRY = None


def _write(cfg: BuildConfig, source: Path, rel: str, doc: Document, old: _Existing | None,
           report: IngestReport) -> None:
    target = cfg.documents_dir / f"{doc.id}.md"
    if target.exists() and (old is None or old.path != target):
        raise SourceError(source, f"id '{doc.id}' already used by {target.name}; rename or fix the number")
    write_atomic(target, dump_document(doc))
    if old and old.path != target:
        old.path.unlink(missing_ok=True)
    report.written.append(target.name)
    log.info("%s → %s", rel, target.relative_to(cfg.content_dir))


class _StatCache:
    """Values computed from a file (its hash, its front-matter stamp), reused while the
    file's size and modification time are unchanged."""

    def __init__(self, path: Path):
        self.path = path
        self.data: dict[str, tuple[int, int, object]] = {}
        self.dirty = False
        try:
            self.data = pickle.loads(path.read_bytes())
        except Exception:  # missing or damaged: start empty
            self.data = {}

    def get(self, file: Path, compute):  # type: ignore[no-untyped-def]
        st = file.stat()
        key = str(file)
        hit = self.data.get(key)
        if hit and hit[0] == st.st_mtime_ns and hit[1] == st.st_size:
            return hit[2]
        value = compute(file)
        self.data[key] = (st.st_mtime_ns, st.st_size, value)
        self.dirty = True
        return value

    def save(self) -> None:
        if self.dirty:
            write_atomic(self.path, pickle.dumps(self.data, protocol=pickle.HIGHEST_PROTOCOL))


def _existing(folder: Path, cache: _StatCache) -> dict[str, _Existing]:
    """Map source path → its document file, read from the files' own front matter."""
    found: dict[str, _Existing] = {}
    for path in sorted(folder.glob("*.md")):
        source, stamp, edited = cache.get(path, _front_facts)
        if source:
            found[source] = _Existing(path, stamp, edited)
    return found


def _front_facts(path: Path) -> tuple[str | None, str, bool]:
    text = path.read_text(encoding="utf-8", errors="replace")
    stamp = f"{_field(text, '  source_sha256')}/{_field(text, '  generator')}"
    return _field(text, "source"), stamp, is_hand_edited(text)


def _field(text: str, name: str) -> str | None:
    """A scalar of the front matter, read without parsing the whole YAML (fast, and works
    on a file whose YAML a person broke: it is still recognised as that source's file)."""
    prefix = name + ":"
    front = text.split("\n---", 1)[0]
    for line in front.split("\n"):
        if line.startswith(prefix):
            return line[len(prefix) :].strip().strip("'\"") or None
    return None

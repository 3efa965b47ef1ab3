"""Ingest + parse + store for the sources under content/sources/: each source becomes
content/documents/<id>.md, once per source content (hash), never over a hand edit."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path

from . import ingest
from .config import BuildConfig
from .errors import SourceError
from .parse import parse_document
from .registry import Registry
from .store import dump_document, is_hand_edited, write_atomic

log = logging.getLogger(__name__)

PARSER_VERSION = "1"
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
    existing = _existing(cfg.documents_dir)
    generator = f"{PARSER_VERSION}:{sha256(cfg.registry_path)[:12]}"
    for source in sorted(p for p in cfg.sources_dir.rglob("*") if ingest.is_source(p)):
        rel = source.relative_to(cfg.content_dir).as_posix()
        try:
            _ingest_one(cfg, registry, source, rel, existing.get(rel), generator, report)
        except SourceError as exc:
            log.error("%s", exc.message)
            report.problems.append(Problem(rel, exc.reason))
    return report


def _ingest_one(cfg: BuildConfig, registry: Registry, source: Path, rel: str,
                old: _Existing | None, generator: str, report: IngestReport) -> None:
    digest = sha256(source)
    if old and old.stamp == f"{digest}/{generator}" and not cfg.force:
        report.unchanged += 1
        return
    if old and old.edited and not cfg.force:
        log.warning("%s: source, parser or registry changed but %s was edited by hand; kept "
                    "(use --force to regenerate)", rel, old.path.name)
        report.kept_edits.append(old.path.name)
        return
    raw = ingest.read(source)
    for note in raw.notes:
        log.info("%s: %s", rel, note)
    if not raw.text_layer_ok:
        raise SourceError(source, f"no usable text layer ({raw.problem}); source kept, not indexed")
    doc = parse_document(raw, registry, rel)
    doc.ingest = {"source_sha256": digest, "generator": generator}
    target = cfg.documents_dir / f"{doc.id}.md"
    if target.exists() and (old is None or old.path != target):
        raise SourceError(source, f"id '{doc.id}' already used by {target.name}; rename or fix the number")
    write_atomic(target, dump_document(doc))
    if old and old.path != target:
        old.path.unlink(missing_ok=True)
    report.written.append(target.name)
    log.info("%s → %s", rel, target.relative_to(cfg.content_dir))


def _existing(folder: Path) -> dict[str, _Existing]:
    """Map source path → its document file, read from the files' own front matter."""
    found: dict[str, _Existing] = {}
    for path in sorted(folder.glob("*.md")):
        text = path.read_text(encoding="utf-8", errors="replace")
        source = _field(text, "source")
        if source:
            stamp = f"{_field(text, '  source_sha256')}/{_field(text, '  generator')}"
            found[source] = _Existing(path, stamp, is_hand_edited(text))
    return found


def _field(text: str, name: str) -> str | None:
    """A scalar of the front matter, read without parsing the whole YAML (fast, and works
    on a file whose YAML a person broke: it is still recognised as that source's file)."""
    prefix = name + ":"
    front = text.split("\n---", 1)[0]
    for line in front.split("\n"):
        if line.startswith(prefix):
            return line[len(prefix) :].strip().strip("'\"") or None
    return None

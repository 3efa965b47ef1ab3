"""The build, top to bottom: ingest → load the store → cross-link → render → search → publish.
Nothing is written to the web root before every page exists in memory."""

from __future__ import annotations

import logging
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from .config import BuildConfig
from .corpus import load_corpus
from .ingestion import ingest_all
from .pages import render_all
from .registry import load_registry
from .render import Site
from .search import build_index
from .store import write_atomic

log = logging.getLogger(__name__)


@dataclass
class BuildResult:
    documents: int = 0
    pages: int = 0
    problems: list[str] = field(default_factory=list)  # "file: reason" lines


def build(cfg: BuildConfig) -> BuildResult:
    registry = load_registry(cfg.registry_path)
    report = ingest_all(cfg, registry)
    corpus = load_corpus(cfg.documents_dir, registry)
    problems = [(p.source, p.reason) for p in report.problems]
    problems += [(Path(e.path).name, e.reason) for e in corpus.problems]
    site = Site(cfg)
    site.copy_assets(cfg.assets_dir)
    for source in sorted(cfg.sources_dir.rglob("*")):
        if source.is_file() and not source.name.startswith("."):
            site.add(f"nguon/{source.name}", source.read_bytes())
    index_json, store_json = build_index(corpus)
    site.add("tim-kiem/chi-muc.json", index_json)
    site.add("tim-kiem/van-ban.json", store_json)
    render_all(site, corpus, problems)
    publish(site.files, cfg.output_dir)
    log.info("built %d documents, %d files into %s", len(corpus.documents), len(site.files), cfg.output_dir)
    return BuildResult(len(corpus.documents), len(site.files), [f"{s}: {r}" for s, r in problems])


def publish(files: dict[str, bytes], target: Path) -> None:
    """Write every file into a fresh folder beside the target, then swap it in.

    The web root is a symlink to the current build; replacing a symlink with rename(2) is
    atomic, so the server sees either the old site or the new one, never a mix."""
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    fresh = parent / f".{target.name}-{os.getpid()}-{os.urandom(4).hex()}"
    try:
        for rel, data in sorted(files.items()):
            path = fresh / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    old = target.resolve() if target.is_symlink() else None
    if target.exists() and not target.is_symlink():
        retired = parent / f".{target.name}-old-{os.getpid()}"
        os.rename(target, retired)
        old = retired
    link = parent / f".{target.name}.link-{os.getpid()}"
    link.unlink(missing_ok=True)
    os.symlink(fresh.name, link)
    os.replace(link, target)
    if old is not None and old != fresh and old.exists():
        shutil.rmtree(old, ignore_errors=True)


__all__ = ["build", "publish", "write_atomic"]

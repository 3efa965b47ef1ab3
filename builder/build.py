"""The build, top to bottom: ingest → load the store → cross-link → plan pages → render what
changed → search index → publish by swapping the new folder in.

Incremental: every page has a key (a hash of what it shows). The published folder holds a
manifest of the keys it was built with; a page whose key is unchanged is hard-linked from
the previous build instead of being rendered again. The result is byte-identical to a full
build (tested).

Double buffering: the folder swapped out is kept as a spare; the next build renames it to its
own folder and brings it up to date in place (Site: files already linked from the published
folder stay, the rest is replaced or swept away), instead of linking every file into an empty
folder and deleting the old one."""

from __future__ import annotations

import contextlib
import ctypes
import gc
import json
import logging
import multiprocessing
import os
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from .config import BuildConfig
from .corpus import Corpus, load_corpus
from .indexing import EntryCache, write_search
from .ingestion import IngestReport, ingest_all
from .pages import Page, Planner
from .progress import progress
from .registry import Registry, load_registry
from .render import Site, page_file

log = logging.getLogger(__name__)
MANIFEST = ".manifest.json"
ENTRIES = "search-entries.pickle"
# A build allocates millions of long-lived objects (documents, tasks, index postings); with
# CPython's default thresholds the cyclic collector rescans them over and over (unpickling the
# corpus cache took 3× longer). Collect the young generation less often instead.
_GC_THRESHOLDS = (50_000, 20, 100)
# The last build's corpus, kept alive after build() returns: freeing its millions of objects one
# by one takes 0.6 s at 20,000 documents, and build.py then ends the process without freeing
# anything (os._exit). The next build in the same process drops it first: at most one is held.
_held: list[Corpus] = []


@dataclass
class BuildResult:
    documents: int = 0
    pages: int = 0
    rendered: int = 0
    problems: list[str] = field(default_factory=list)  # "file: reason" lines


class _Phases:
    """Logs how long each stage took (shown with -v): wall clock, and CPU time of this process
    and its finished workers (on a shared machine the CPU figure is the steadier one)."""

    def __init__(self) -> None:
        self.t, self.cpu = time.perf_counter(), self._cpu()

    @staticmethod
    def _cpu() -> float:
        t = os.times()
        return t.user + t.system + t.children_user + t.children_system

    def done(self, name: str) -> None:
        now, cpu = time.perf_counter(), self._cpu()
        log.debug("%-10s %6.2f s  (cpu %6.2f s)", name, now - self.t, cpu - self.cpu)
        self.t, self.cpu = now, cpu


def release() -> None:
    """Free the corpus the last build kept (for a caller that goes on running: serve)."""
    _held.clear()


def build(cfg: BuildConfig) -> BuildResult:
    release()
    phases = _Phases()
    registry = load_registry(cfg.registry_path)
    report = ingest_all(cfg, registry)
    phases.done("ingest")
    thresholds = gc.get_threshold()
    gc.set_threshold(*_GC_THRESHOLDS)
    try:
        return _build(cfg, registry, report, phases)
    except BaseException:
        release()  # a failed build's corpus is not worth keeping
        raise
    finally:  # leave the interpreter as it was (tests and callers build more than once)
        gc.unfreeze()
        gc.set_threshold(*thresholds)


def _build(cfg: BuildConfig, registry: Registry, report: IngestReport, phases: _Phases) -> BuildResult:
    corpus = load_corpus(cfg.documents_dir, registry, cache=cfg.cache_dir / "documents.pickle")
    _held.append(corpus)
    gc.freeze()  # the corpus lives until the end: never scan its millions of objects again
    _release_memory(collect=False)  # the cache file's bytes, the workers' pickles
    phases.done("corpus")
    problems = [(p.source, p.reason) for p in report.problems]
    problems += [(Path(e.path).name, e.reason) for e in corpus.problems]
    # The folder swapped out by the last build (or one a failed build left), renamed, is brought
    # up to date in place; if this build fails, it stays half-updated for the next to take.
    site = Site(cfg, _build_folder(cfg.output_dir))
    site.copy_assets(cfg.assets_dir)
    for source in sorted(cfg.sources_dir.rglob("*")):
        if source.is_file() and not source.name.startswith("."):
            site.add(f"nguon/{source.name}", source.read_bytes())
    phases.done("assets")
    fingerprint = site.fingerprint()  # hashes every template and the render path's modules: once per build
    previous = _previous(cfg.output_dir, fingerprint)
    _search(cfg, site, corpus, previous[0] if previous else None)
    _release_memory()
    phases.done("search")
    pages = Planner(corpus, problems).plan()
    phases.done("plan")
    rendered = _render_pages(site, pages, previous)
    phases.done("render")
    site.add("404.html", site.env.get_template("404.html").render(
        root="/", asset=lambda n: "/" + site.assets[n], here="404"))
    manifest = {"fingerprint": fingerprint, "pages": {p.path: p.key for p in pages}}
    site.add(MANIFEST, json.dumps(manifest, sort_keys=True, indent=0))
    site.sweep()
    swap_in(site.folder, cfg.output_dir)
    phases.done("publish")
    log.info("built %d documents: %d pages, %d rendered, %d reused", len(corpus.documents), len(pages),
             rendered, len(pages) - rendered)
    return BuildResult(len(corpus.documents), len(pages), rendered, [f"{s}: {r}" for s, r in problems])


def _search(cfg: BuildConfig, site: Site, corpus: Corpus, previous: Path | None) -> None:
    entries = EntryCache.read(cfg.cache_dir / ENTRIES)
    write_search(site, corpus, entries, previous)
    # Saved now, not after publishing, so its memory is gone before the render workers
    # fork; if this build then fails, the next one finds the cache describing a folder that
    # was never published (it renames that folder as its spare: the name is never published)
    # and builds the search files in full (correct, only slower).
    try:
        entries.write(cfg.cache_dir / ENTRIES, site.folder)
    except OSError as exc:  # only a cache: the next build is slower, this one is fine
        log.warning("search cache not saved: %s", exc)


def _release_memory(collect: bool = True) -> None:
    """Give freed heap back to the system (glibc), so forked workers do not carry it."""
    if collect:
        gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass


def _previous(target: Path, fingerprint: str) -> tuple[Path, dict[str, str]] | None:
    """The published folder and its page keys, when it was built with the same templates/code."""
    try:
        manifest = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if manifest.get("fingerprint") != fingerprint:
        return None
    return target.resolve(), manifest.get("pages", {})


# Pages to render in worker processes; set before the pool forks so workers inherit them.
_JOB: tuple[Site, list[Page]] | None = None


def _render_pages(site: Site, pages: list[Page], previous: tuple[Path, dict[str, str]] | None) -> int:
    todo: list[Page] = []
    for page in pages:
        out = page_file(page.path)
        if previous and previous[1].get(page.path) == page.key and site.has(previous[0], out):
            site.link(previous[0], out)
        else:
            todo.append(page)
    workers = min(os.cpu_count() or 1, 8)
    if len(todo) < 400 or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        for page in progress(todo, "Trang"):
            site.add(*site.render(page.path, page.template, page.context()))
        return len(todo)
    global _JOB
    _JOB = (site, todo)
    chunks = [list(range(i, len(todo), workers * 8)) for i in range(workers * 8)]
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for paths in progress(pool.imap_unordered(_render_chunk, chunks), "Trang", total=len(chunks)):
                site.claim(paths)
    finally:
        _JOB = None
    return len(todo)


def _render_chunk(indices: list[int]) -> list[str]:
    assert _JOB is not None
    site, todo = _JOB
    written = []
    for i in indices:
        written.append(site.write(*site.render(todo[i].path, todo[i].template, todo[i].context())))
    return written


def _build_folder(target: Path) -> Path:
    """The folder this build writes, beside `target`: the spare (the folder swapped out by the
    last build, or one a failed build left) renamed, else a new empty one. Further leftovers
    of killed builds are removed. The spare's state does not matter: Site checks every file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    folder = _new_name(target)
    spare = None
    for old in _leftovers(target):
        if spare is None:
            with contextlib.suppress(OSError):  # gone meanwhile: try the next one
                os.rename(old, folder)
                spare = old
        if spare is not old:
            shutil.rmtree(old, ignore_errors=True)
    if spare is None:
        folder.mkdir()
    log.debug("build folder %s (%s)", folder.name, f"spare {spare.name}" if spare else "new")
    return folder


def _new_name(target: Path) -> Path:
    """A build folder's name beside `target`: .<name>-<pid>-<random> (see _leftovers)."""
    return target.parent / f".{target.name}-{os.getpid()}-{os.urandom(4).hex()}"


def _leftovers(target: Path) -> list[Path]:
    """Build folders beside `target` that no build uses: not the published one, not one of a
    build still running (its process id is in the name). Newest first."""
    name = re.compile(rf"\.{re.escape(target.name)}-(\d+)-[0-9a-f]+")
    published = target.resolve() if target.is_symlink() else None
    found = []
    with os.scandir(target.parent) as listing:
        for entry in listing:
            match = name.fullmatch(entry.name)
            if (match and entry.is_dir(follow_symlinks=False) and not _running(int(match.group(1)))
                    and Path(entry.path).resolve() != published):
                found.append((entry.stat(follow_symlinks=False).st_mtime, Path(entry.path)))
    return [path for _, path in sorted(found, reverse=True)]


def _running(pid: int) -> bool:
    """Whether another process with this id runs (this one's earlier builds are over)."""
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    except (OverflowError, OSError):
        return False
    return True


def swap_in(fresh: Path, target: Path) -> None:
    """Make `target` (a symlink) point at `fresh` with one rename(2): the server sees either
    the old site or the new one, never a mix. The previous build folder is left untouched,
    as the next build's spare; a real folder at `target` (an older layout) is first renamed
    to a build folder's name to become that spare."""
    parent = target.parent
    if target.exists() and not target.is_symlink():
        os.rename(target, _new_name(target))
    link = parent / f".{target.name}.link-{os.getpid()}"
    link.unlink(missing_ok=True)
    os.symlink(fresh.name, link)
    os.replace(link, target)

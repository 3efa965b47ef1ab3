"""`build.py check`: validate content/ without building — front matter schema, duplicate
ids, task anchors that point nowhere, references to the archive's own documents that it
does not hold, and sources that cannot be read. One 'file:line: reason' per problem."""

from __future__ import annotations

import logging
import re
from pathlib import Path

from . import ingest
from .config import BuildConfig
from .corpus import load_corpus
from .errors import SourceError
from .registry import Registry

log = logging.getLogger(__name__)
_ANCHOR = re.compile(r"\{: #([\w-]+) \}")


def check(cfg: BuildConfig, registry: Registry) -> tuple[int, int]:
    """Return (errors, warnings) after logging each problem."""
    corpus = load_corpus(cfg.documents_dir, registry)
    errors = len(corpus.problems)  # already logged by load_corpus, one line each
    warnings = 0
    held = {(str(int(d.number)), d.symbol) for d in corpus.documents if d.number and d.number.isdigit() and d.symbol}
    own_codes = set(registry.by_code)
    for doc in corpus.documents:
        path = corpus.paths[doc.id]
        text = path.read_text(encoding="utf-8")
        body = corpus.body(doc)
        anchors = set(_ANCHOR.findall(body))
        for task in doc.tasks:
            if task.anchor not in anchors:
                log.error("%s:%d: task %s links to #%s, which is not in the body", path.name,
                          _line(text, f"anchor: {task.anchor}"), task.section, task.anchor)
                errors += 1
        for ref in doc.references:
            if _own(ref.symbol, own_codes) and ref.number and ref.number.isdigit() \
                    and (str(int(ref.number)), ref.symbol) not in held:
                log.warning("%s:%d: cites %s, which is not in the archive", path.name,
                            _line(text, f"text: {ref.text[:40]}"), ref.text)
                warnings += 1
        if doc.source and not (cfg.content_dir / doc.source).exists():
            log.error("%s:%d: source '%s' not found", path.name, _line(text, "source:"), doc.source)
            errors += 1
    errors += _check_sources(cfg)
    log.info("%d documents checked: %d error(s), %d warning(s)", len(corpus.documents), errors, warnings)
    return errors, warnings


def _check_sources(cfg: BuildConfig) -> int:
    """Every source must be readable with a usable text layer."""
    bad = 0
    for source in sorted(p for p in cfg.sources_dir.rglob("*") if ingest.is_source(p)):
        try:
            raw = ingest.read(source)
            if not raw.text_layer_ok:
                raise SourceError(source.relative_to(cfg.content_dir), ingest.unusable_reason(raw))
        except SourceError as exc:
            log.error("%s", exc.message)
            bad += 1
    return bad


def _own(symbol: str | None, codes: set[str]) -> bool:
    """576/TB-VP and 12/UBND-XD are the archive's own issuers' documents; 273/NQ-CP is not."""
    if not symbol or "/" in symbol:
        return False
    return any(part in codes for part in symbol.split("-")[1:] + symbol.split("-")[:1])


def _line(text: str, needle: str) -> int:
    at = text.find(needle)
    return text.count("\n", 0, at) + 1 if at >= 0 else 1


__all__ = ["check", "Path"]

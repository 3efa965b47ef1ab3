"""Command functions behind build.py, one per verb, and the logging set-up."""

from __future__ import annotations

import argparse
import functools
import http.server
import logging
import sys
from pathlib import Path

from . import ingest
from .build import build, release
from .config import ROOT, load_config
from .check import check
from .errors import BuildError, SourceError
from .parse import parse_document
from .registry import load_registry
from .store import dump_document

log = logging.getLogger("builder")


class CountHandler(logging.Handler):
    """Counts warnings and errors so --strict and the exit status can use them."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.counts = {"WARNING": 0, "ERROR": 0}

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelname in self.counts:
            self.counts[record.levelname] += 1


def setup_logging(level: int) -> CountHandler:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    counter = CountHandler()
    root = logging.getLogger("builder")
    root.handlers[:] = [handler, counter]
    root.setLevel(min(level, logging.WARNING))
    handler.setLevel(level)
    root.propagate = False
    return counter


def run(args: argparse.Namespace, counter: CountHandler) -> int:
    try:
        if args.command == "parse":
            return parse_command(args.paths, args.content)
        cfg = load_config(args.content or ROOT / "content", args.output or ROOT / "site", args.strict, args.force)
        if args.command == "check":
            return check_command(cfg, counter)
        result = build(cfg)
        status = 1 if result.problems else 0
        if result.problems:
            log.error("%d source(s) could not be used; the rest was published:\n  %s",
                      len(result.problems), "\n  ".join(result.problems))
        if args.strict and counter.counts["WARNING"]:
            log.error("--strict: %d warning(s)", counter.counts["WARNING"])
            status = 1
        if args.command == "serve":
            release()
            serve(cfg.output_dir, args.port)
        return status
    except BuildError as exc:
        log.error("build failed, previous site kept: %s", exc)
        return 2
    except OSError as exc:  # disk full, a file removed while building, permissions …
        log.error("build failed, previous site kept: %s", exc)
        return 2
    except KeyboardInterrupt:
        return 130


def parse_command(paths: list[str], content: str | None) -> int:
    """Print the front matter each file would get, as YAML documents; write nothing."""
    registry = load_registry(Path(content or ROOT / "content") / "registry.yaml")
    status = 0
    for name in paths:
        path = Path(name)
        try:
            raw = ingest.read(path)
            if not raw.text_layer_ok:
                raise SourceError(path, ingest.unusable_reason(raw))
            for note in raw.notes:
                log.warning("%s: %s", path, note)
            doc = parse_document(raw, registry, str(path))
            for warning in doc.warnings:
                log.warning("%s: %s", path, warning)
        except SourceError as exc:
            log.error("%s", exc.message)
            status = 1
            continue
        front = dump_document(doc).split("\n---\n", 1)[0].removeprefix("---\n")
        sys.stdout.write("---\n" + front + "\n")
    return status


def check_command(cfg, counter: CountHandler) -> int:  # type: ignore[no-untyped-def]
    errors, warnings = check(cfg, load_registry(cfg.registry_path))
    return 1 if errors or (cfg.strict and warnings) else 0


def serve(folder: Path, port: int) -> None:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as httpd:
        print(f"Serving {folder} at http://127.0.0.1:{port}/  (Ctrl+C to stop)", file=sys.stderr)
        httpd.serve_forever()


__all__ = ["run", "setup_logging"]

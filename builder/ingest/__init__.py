"""Ingest stage: one reader per source format, all returning a RawDocument.

The registry is a literal dict keyed by file extension. PDF and DOCX readers import
their libraries lazily so a missing optional dependency is reported, not fatal.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from ..errors import SourceError
from ..model import RawDocument
from .text import read_text

Reader = Callable[[Path], RawDocument]


def _read_pdf(path: Path) -> RawDocument:
    try:
        from .pdf import read_pdf
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise SourceError(path, f"cannot read PDF: {exc} (pip install pdfplumber)") from None
    return read_pdf(path)


def _read_docx(path: Path) -> RawDocument:
    try:
        from .docx import read_docx
    except ImportError as exc:  # pragma: no cover
        raise SourceError(path, f"cannot read DOCX: {exc} (pip install python-docx)") from None
    return read_docx(path)


READERS: dict[str, Reader] = {
    ".txt": read_text,
    ".md": read_text,
    ".markdown": read_text,
    ".pdf": _read_pdf,
    ".docx": _read_docx,
}


def is_source(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in READERS and not path.name.startswith(".")


MAX_SOURCE_BYTES = 200 * 1024 * 1024  # larger files are refused before any library opens them


def read(path: Path) -> RawDocument:
    """Read one source file; raise SourceError (one line) for anything unreadable."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise SourceError(path, f"unsupported file type '{path.suffix}'")
    size = path.stat().st_size
    if size > MAX_SOURCE_BYTES:
        raise SourceError(path, f"file too large ({size // 2**20} MB; the limit is {MAX_SOURCE_BYTES // 2**20} MB)")
    try:
        return reader(path)
    except SourceError:
        raise
    except OSError as exc:
        raise SourceError(path, f"cannot open: {exc.strerror or exc}") from None
    except Exception as exc:  # a library failing on hostile input must not stop the build
        raise SourceError(path, f"unreadable ({type(exc).__name__}: {exc})") from None


def unusable_reason(raw: RawDocument) -> str:
    """One line saying why a source's text cannot be trusted ('… text layer …' always named)."""
    problem = raw.problem or "unknown problem"
    return problem if "text layer" in problem else f"unusable text layer: {problem}"

"""Reader for plain text and Markdown sources (text extracted from PDFs, or typed)."""

from __future__ import annotations

import codecs
from pathlib import Path

from ..errors import SourceError
from ..model import RawDocument
from ..text import nfc
from .quality import encoding_problem

MAX_BYTES = 20 * 1024 * 1024


def decode(data: bytes, path: Path) -> tuple[str, list[str]]:
    """Decode UTF-8 (with or without BOM) or BOM-marked UTF-16; refuse anything else."""
    notes: list[str] = []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        notes.append("decoded UTF-16 text")
        try:
            return data.decode("utf-16"), notes
        except UnicodeDecodeError as exc:
            raise SourceError(path, f"broken UTF-16 text at byte {exc.start}") from None
    try:
        return data.decode("utf-8-sig"), notes
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(path, "not UTF-8 text (legacy or binary encoding)", line=line) from None


def read_text(path: Path) -> RawDocument:
    size = path.stat().st_size
    if size == 0:
        raise SourceError(path, "empty file")
    if size > MAX_BYTES:
        raise SourceError(path, f"file too large ({size // 1024 // 1024} MB > {MAX_BYTES // 1024 // 1024} MB)")
    text, notes = decode(path.read_bytes(), path)
    if "\x00" in text:
        raise SourceError(path, "binary content in a text file")
    normal = nfc(text.replace("\r\n", "\n").replace("\r", "\n"))
    if normal != text.replace("\r\n", "\n").replace("\r", "\n"):
        notes.append("normalised to NFC")
    kind = "markdown" if path.suffix.lower() in (".md", ".markdown") else "text"
    problem = encoding_problem(normal)
    return RawDocument(source=path, text=normal, kind=kind, notes=tuple(notes),
                       text_layer_ok=problem is None, problem=problem)

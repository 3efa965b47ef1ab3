"""Typed domain objects passed between the stages.

ingest produces a RawDocument; parse turns it into a Document; store writes and
reads Documents as YAML front matter + Markdown; corpus links them together.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Table:
    """A table as read from the source: rows of cell texts (header row first)."""

    rows: tuple[tuple[str, ...], ...]
    page: int | None = None


@dataclass(frozen=True)
class RawDocument:
    """What a reader returns: NFC text (lines kept), tables, provenance."""

    source: Path
    text: str
    tables: tuple[Table, ...] = ()
    kind: str = "text"  # text | markdown | pdf | docx
    notes: tuple[str, ...] = ()  # repairs applied while reading, for the log
    text_layer_ok: bool = True
    problem: str | None = None  # why the text cannot be trusted (scan, cid glyphs...)


@dataclass
class Signer:
    name: str | None = None
    position: str | None = None
    authority: str | None = None  # TM | KT | TL | TUQ | Q | None
    on_behalf_of: str | None = None


@dataclass
class Reference:
    """A document cited in the text."""

    text: str  # as written, e.g. "Thông báo số 126-TB/TU ngày 26/8/2025 của Thành ủy"
    type: str | None = None
    number: str | None = None
    symbol: str | None = None
    date: str | None = None  # ISO date
    issuer: str | None = None


@dataclass
class Task:
    """One instruction that assigns work."""

    text: str
    section: str  # outline path ("4.2.2.a.1") or appendix row ("Phụ lục, dòng 12")
    anchor: str  # fragment id inside the document page
    lead: list[str] = field(default_factory=list)
    support: list[str] = field(default_factory=list)
    leader: str | None = None
    due: str | None = None  # ISO date when the text gives one
    due_text: str | None = None
    result: str | None = None


@dataclass
class Document:
    id: str
    type: str | None
    title: str | None
    number: str | None = None
    symbol: str | None = None
    issued: str | None = None  # YYYY-MM-DD, YYYY-MM, or None
    place: str | None = None
    issuer: str | None = None
    signer: Signer = field(default_factory=Signer)
    presiding: str | None = None
    recipients: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)
    unverified: list[str] = field(default_factory=list)  # names not in the registry
    references: list[Reference] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    source: str | None = None  # path of the source file, relative to content/
    body: str = ""  # Markdown
    ingest: dict[str, str] = field(default_factory=dict)  # source hash, checksum
    digest: str = ""  # hash of the stored file (set when loaded; not written)
    warnings: list[str] = field(default_factory=list)  # parse problems to report (not written)

    @property
    def year(self) -> str | None:
        return self.issued[:4] if self.issued else None

    @property
    def number_symbol(self) -> str | None:
        if not self.symbol:
            return None
        sep = "-" if _is_party_symbol(self.symbol) else "/"
        return f"{self.number}{sep}{self.symbol}" if self.number else f"…{sep}{self.symbol}"


def _is_party_symbol(symbol: str) -> bool:
    """Party symbols read '126-TB/TU' (number, hyphen, type/body); state ones '576/TB-VP'
    or, for legal-normative documents, '226/2025/QH15' (the part before '/' is a year)."""
    head, slash, _ = symbol.partition("/")
    return bool(slash) and not head.isdigit()


@dataclass(frozen=True)
class Role:
    title: str
    start: str | None = None  # ISO date
    end: str | None = None


@dataclass(frozen=True)
class Person:
    name: str
    slug: str
    roles: tuple[Role, ...] = ()
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Agency:
    name: str
    slug: str
    aliases: tuple[str, ...] = ()
    short: str | None = None
    level: str | None = None
    valid_from: str | None = None
    valid_to: str | None = None
    predecessors: tuple[str, ...] = ()  # slugs
    successors: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()  # issuer parts of document symbols: 576/TB-VP → "VP"

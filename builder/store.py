"""Store stage: a Document as one file of YAML front matter + Markdown body, and back.

Generated files carry `ingest.checksum`, the hash of the file as written (with the
checksum itself blanked). A file whose content no longer matches was edited by a
person: re-ingest keeps it (unless forced) and says so.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import tempfile
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

import yaml

try:  # Rust (serde-yaml) parser: ~3× faster than libyaml through PyYAML, used only on files we wrote
    import ryaml
except ImportError:  # pragma: no cover - it is in requirements.txt
    ryaml = None

from .errors import SourceError
from .model import Document, Reference, Signer, Task
from .text import iso_date, nfc

_FRONT = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*\n?(.*)\Z", re.S)
_CHECKSUM = re.compile(r"^(  checksum: )(\S*)$", re.M)
_OPENING = re.compile(r"---[ \t]*\n")
_CLOSING_TAIL = re.compile(r"[ \t]*\n?")
_ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
ORDER = ("id", "type", "number", "symbol", "title", "issued", "place", "issuer", "signer", "presiding",
         "recipients", "people", "agencies", "unverified", "references", "tasks", "source", "ingest")
_SAFE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,150}$")


class _Dumper(yaml.SafeDumper):
    pass


# libyaml's loader (in PyYAML's wheels) is ~20× faster than the pure-Python one: at 20,000
# documents front matter parsing is most of a build. Same safe schema either way. PyYAML is the
# reference reader; ryaml (3× faster again) reads only files whose checksum shows they are as our
# dumper wrote them, where both agree (tested) — a file a person wrote or edited, with its YAML
# 1.1 corners (unquoted dates, 0-prefixed numbers, yes/no), always goes through PyYAML.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else "'" if _misread(value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _misread(value: str) -> bool:
    """Would the YAML 1.2 reader take this plain scalar for something else ('1e3' → 1000.0)?
    PyYAML quotes what YAML 1.1 would misread; this quotes the rest, so both read our files alike."""
    if ryaml is None or not value:
        return False
    try:
        return ryaml.loads(value) != value
    except Exception:  # noqa: BLE001 - not even a scalar to it: quote
        return True


_Dumper.add_representer(str, _str)


def dump_document(doc: Document) -> str:
    data = asdict(doc)
    body = data.pop("body")
    meta = {k: _prune(data[k]) for k in ORDER if k in data}
    meta["ingest"] = dict(meta.get("ingest") or {}, checksum="")
    text = _render(meta, body)
    m = _checksum_line(text)
    assert m is not None  # the ingest block was just written with it
    return text[:m.end(1)] + checksum(text) + text[m.end():]


def _render(meta: dict[str, Any], body: str) -> str:
    front = yaml.dump(meta, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    return f"---\n{front}---\n\n{body.rstrip()}\n"


def _prune(value: Any) -> Any:
    """Drop empty optional keys inside nested objects so files stay readable."""
    if isinstance(value, dict):
        return {k: _prune(v) for k, v in value.items() if v not in (None, [], "", {})}
    if isinstance(value, list):
        return [_prune(v) for v in value]
    return value


def checksum(text: str) -> str:
    m = _checksum_line(text)
    blank = text if m is None else text[:m.end(1)] + text[m.end():]
    return hashlib.sha256(blank.encode("utf-8")).hexdigest()[:16]


def _checksum_line(text: str) -> re.Match[str] | None:
    """The `checksum:` line of the `ingest:` block (a wrapped title or task may hold a line
    '  checksum: …' too: searching the whole file would overwrite it). Begun at the first
    '  checksum: ' after 'ingest:' since no match starts before it; on its own the regex
    tries every position. A file without the block (written by hand) is searched whole."""
    block = text.find("\ningest:\n")
    start = text.find("  checksum: ", block if block >= 0 else 0)
    return None if start < 0 else _CHECKSUM.search(text, start)


def is_hand_edited(text: str) -> bool:
    m = _checksum_line(text)
    return bool(m and m.group(2) and m.group(2) != checksum(text))


def load_document(path: Path) -> Document:
    try:
        raw = path.read_bytes()
        text = nfc(raw.decode("utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(path, f"cannot read: {exc}") from None
    doc = parse_stored(text, path)
    doc.digest = hashlib.sha256(raw).hexdigest()[:20]
    return doc


def read_body(path: Path) -> str:
    """Only the Markdown body of a stored document (front matter skipped, not parsed)."""
    parts = split_front(nfc(path.read_text(encoding="utf-8")))
    return parts[1].lstrip("\n") if parts else ""


def split_front(text: str) -> tuple[str, str] | None:
    """(front matter, body) as _FRONT's two groups, or None where it does not match. Found with
    str.find: the regex's lazy group tries a match at every character of the front matter."""
    opening = _OPENING.match(text)
    if not opening:
        return None
    end = text.find("\n---", opening.end())  # the lazy group ends at the first line starting '---'
    if end < 0:
        return None
    tail = _CLOSING_TAIL.match(text, end + 4)
    assert tail is not None  # it matches the empty string
    return text[opening.end():end + 1], text[tail.end():]


def parse_stored(text: str, path: Path) -> Document:
    parts = split_front(text)
    if not parts:
        raise SourceError(path, "no YAML front matter (the file must start with '---')", line=1)
    try:
        meta = _load_yaml(parts[0], text) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        line = getattr(mark, "line", None)
        reason = " ".join(str(getattr(exc, "problem", None) or exc).split())
        raise SourceError(path, f"malformed YAML front matter: {reason}",
                          line=None if line is None else line + 2) from None
    if not isinstance(meta, dict):
        raise SourceError(path, "front matter is not a mapping", line=2)
    return _document(meta, parts[1].lstrip("\n"), path)


def _load_yaml(front: str, text: str) -> Any:
    m = _checksum_line(text)
    if ryaml is not None and m and m.group(2) and m.group(2) == checksum(text):
        try:
            meta = ryaml.loads(front)
        except Exception:  # noqa: BLE001 - PyYAML below reads it or reports the error properly
            pass
        else:  # the checksum is pasted in after dumping, unquoted ('78935124252540e7' is a float to 1.2)
            if isinstance(meta, dict) and isinstance(meta.get("ingest"), dict):
                meta["ingest"]["checksum"] = m.group(2)
            return meta
    return yaml.load(front, Loader=_Loader)


def _document(meta: dict[str, Any], body: str, path: Path) -> Document:
    doc_id = str(meta.get("id") or "")
    if not _SAFE_ID.match(doc_id):
        raise SourceError(path, f"invalid id '{doc_id}' (lower-case letters, digits and '-' only)", line=2)
    try:
        return Document(
            id=doc_id, type=_opt(meta.get("type")), title=_opt(meta.get("title")), number=_opt(meta.get("number")),
            symbol=_opt(meta.get("symbol")), issued=_date(meta.get("issued"), path), place=_opt(meta.get("place")),
            issuer=_opt(meta.get("issuer")), signer=_make(Signer, meta.get("signer")), presiding=_opt(meta.get("presiding")),
            recipients=_strs(meta.get("recipients")), people=_strs(meta.get("people")), agencies=_strs(meta.get("agencies")),
            unverified=_strs(meta.get("unverified")), references=[_make(Reference, r) for r in meta.get("references") or []],
            tasks=[_task(t) for t in meta.get("tasks") or []], source=_opt(meta.get("source")),
            body=body, ingest={str(k): str(v) for k, v in (meta.get("ingest") or {}).items()},
        )
    except (TypeError, ValueError, AttributeError) as exc:
        raise SourceError(path, f"invalid front matter: {exc}") from None


def _opt(value: Any) -> str | None:
    return None if value is None else nfc(str(value))


def _strs(value: Any) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValueError(f"expected a list, got {type(value).__name__}")
    return [nfc(str(v)) for v in value]


def _date(value: Any, path: Path) -> str | None:
    if value is None:
        return None
    text = str(value)
    if not _ISO.match(text):
        raise SourceError(path, f"issued '{text}' is not YYYY-MM-DD, YYYY-MM or YYYY")
    parts = [int(x) for x in text.split("-")]
    if iso_date(parts[2] if len(parts) > 2 else None, parts[1] if len(parts) > 1 else None, parts[0]) is None:
        raise SourceError(path, f"issued '{text}' is not a real date")
    return text


def _make(cls: type, data: Any) -> Any:
    data = data or {}
    if not isinstance(data, dict):
        raise ValueError(f"{cls.__name__.lower()} must be a mapping")
    names = _field_names(cls)
    return cls(**{k: _opt(v) for k, v in data.items() if k in names})


@functools.cache
def _field_names(cls: type) -> frozenset[str]:
    return frozenset(f.name for f in fields(cls))


def _task(data: Any) -> Task:
    if not isinstance(data, dict):
        raise ValueError("a task must be a mapping")
    return Task(
        text=nfc(str(data.get("text") or "")), section=str(data.get("section") or ""), anchor=str(data.get("anchor") or ""),
        lead=_strs(data.get("lead")), support=_strs(data.get("support")), leader=_opt(data.get("leader")),
        due=_due(data.get("due")), due_text=_opt(data.get("due_text")), result=_opt(data.get("result")),
    )


def _due(value: Any) -> str | None:
    """A task's deadline: an ISO date (YYYY-MM-DD, YYYY-MM or YYYY) or nothing."""
    if value is None or value == "":
        return None
    text = str(value)
    parts = text.split("-")
    if not _ISO.match(text) or iso_date(
            int(parts[2]) if len(parts) > 2 else None, int(parts[1]) if len(parts) > 1 else None, int(parts[0])) is None:
        raise ValueError(f"task due '{text}' is not a real date written YYYY-MM-DD (the words go in due_text)")
    return text


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write to a temporary file in the same folder, then rename over the target."""
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def code_version(*modules: str) -> str:
    """A hash of these builder/ modules' source: a cache written by other code is stale."""
    here = Path(__file__).parent
    return hashlib.sha256(b"".join((here / name).read_bytes() for name in modules)).hexdigest()[:16]

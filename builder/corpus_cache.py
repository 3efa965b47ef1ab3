"""The corpus load cache: each stored document's parsed front matter, by file name, with the
mtime and size it was read at (a file whose stat differs is parsed again).

A base file holds every entry. A build that changes a few files does not rewrite it: it
appends only the changed entries (None for a deleted file) to a delta file beside it, one
checksummed frame per build, so adding one document to 20,000 writes kilobytes instead of
the whole base. Once the delta outgrows a fraction of the base, or is damaged, or was written
for another base, the next save folds everything into a new base and drops the delta.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import struct
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .model import Document
from .store import code_version, write_atomic

Entry = tuple[int, int, Document]  # mtime_ns, size, the document without its body
Changes = dict[str, Entry | None]

_FRAME = struct.Struct("<Q16s")  # payload length, blake2b-128 of the payload
COMPACT_AT = 0.1  # delta bytes (or changed entries) beyond this fraction of the base: rewrite it


# Entries are pickled Documents: a change to the model, the store or this format invalidates them.
VERSION = code_version("model.py", "store.py", "corpus_cache.py")


class DocumentCache:
    """Entries read from the base and its delta; `save` writes what changed since."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.entries: dict[str, Entry] = {}
        self.token = ""  # names the base; a delta frame applies only to the base it was written for
        self.base_size = 0
        self.delta_size = 0
        self.clean = True  # False: the delta holds bytes that are not ours (damaged, another base)

    @property
    def delta(self) -> Path | None:
        return None if self.path is None else self.path.with_name(self.path.name + ".delta")

    @classmethod
    def read(cls, path: Path | None) -> DocumentCache:
        cache = cls(path)
        if path is not None:
            cache._read_base(path)
            cache._read_delta()
        return cache

    def _read_base(self, path: Path) -> None:
        """Two pickles: (version, token), then the entries, unpickled only if the version is ours."""
        try:
            with open(path, "rb") as fh:
                version, token = pickle.load(fh)
                if version != VERSION or not isinstance(token, str):
                    return
                entries = pickle.load(fh)
                size = os.fstat(fh.fileno()).st_size
        except Exception:  # noqa: BLE001 - missing or damaged: start afresh
            return
        if isinstance(entries, dict):
            self.entries, self.token, self.base_size = entries, token, size

    def _read_delta(self) -> None:
        assert self.delta is not None
        try:
            raw = self.delta.read_bytes()
        except OSError:
            return
        pos = 0
        while pos < len(raw):
            changes = self._frame_at(raw, pos)
            if changes is None:
                break
            for name, entry in changes.items():
                if entry is None:
                    self.entries.pop(name, None)
                else:
                    self.entries[name] = entry
            pos += _FRAME.size + _FRAME.unpack_from(raw, pos)[0]
        self.delta_size = pos
        self.clean = pos == len(raw)

    def _frame_at(self, raw: bytes, pos: int) -> Changes | None:
        """The changes framed at `pos`, or None if the frame is cut short, damaged or not for this base."""
        if not self.token or pos + _FRAME.size > len(raw):
            return None
        length, digest = _FRAME.unpack_from(raw, pos)
        payload = raw[pos + _FRAME.size:pos + _FRAME.size + length]
        if len(payload) != length or hashlib.blake2b(payload, digest_size=16).digest() != digest:
            return None
        try:
            version, token, changes = pickle.loads(payload)
        except Exception:  # noqa: BLE001 - checksummed, so only a foreign writer gets here
            return None
        ok = version == VERSION and token == self.token and isinstance(changes, dict)
        return changes if ok else None

    def save(self, fresh: dict[str, Entry]) -> None:
        """Make the cache hold exactly `fresh`: append the difference, or rewrite the base."""
        assert self.path is not None and self.delta is not None
        old = self.entries
        changes: Changes = {name: e for name, e in fresh.items() if old.get(name) is not e}
        changes.update((name, None) for name in old if name not in fresh)
        if not changes and self.clean:
            return
        if self.token and self.clean and len(changes) <= COMPACT_AT * len(fresh):
            payload = pickle.dumps((VERSION, self.token, changes), protocol=pickle.HIGHEST_PROTOCOL)
            if self.delta_size + _FRAME.size + len(payload) <= COMPACT_AT * self.base_size:
                header = _FRAME.pack(len(payload), hashlib.blake2b(payload, digest_size=16).digest())
                with open(self.delta, "ab") as fh:
                    fh.write(header + payload)
                self.delta_size += len(header) + len(payload)
                self.entries = dict(fresh)
                return
        self._write_base(fresh)

    def _write_base(self, fresh: dict[str, Entry]) -> None:
        assert self.path is not None and self.delta is not None
        token = os.urandom(8).hex()
        raw = pickle.dumps((VERSION, token)) + pickle.dumps(fresh, protocol=pickle.HIGHEST_PROTOCOL)
        write_atomic(self.path, raw)  # first: until the delta is gone its frames name the old token
        self.delta.unlink(missing_ok=True)
        self.entries, self.token, self.base_size, self.delta_size, self.clean = dict(fresh), token, len(raw), 0, True


def share_strings(docs: Iterable[Document]) -> None:
    """Make equal strings across documents one object. Pickled together, each is then written
    once: loading 20,000 documents then creates a sixth of the strings (1.7 → 1.3 s)."""
    pool: dict[str, str] = {}
    for doc in docs:
        _share(doc.__dict__, pool)


def _share(fields: dict[str, Any], pool: dict[str, str]) -> None:
    for key, value in fields.items():
        kind = type(value)
        if kind is str:
            fields[key] = pool.setdefault(value, value)
        elif kind is list:
            for i, item in enumerate(value):
                if type(item) is str:
                    value[i] = pool.setdefault(item, item)
                elif hasattr(item, "__dict__"):
                    _share(item.__dict__, pool)
        elif kind is dict:  # ingest: its keys recur
            items = [(pool.setdefault(k, k) if type(k) is str else k, v) for k, v in value.items()]
            value.clear()
            value.update(items)
        elif hasattr(value, "__dict__"):
            _share(value.__dict__, pool)

"""The search stage's cache: each document's DocEntry (without its result row) by the digest
of its file, and the digests the last published build indexed, in index order.

Two files beside each other. The data file only grows: each entry pickled on its own, one
after the other. The index file (the path given) is small and rewritten each build: the
version of the code that made the entries, the data file's name, digest → (offset, length,
crc32) of each entry there, the published digests and the folder they were published in.
An entry is read only when it is needed — a removed document's when the index is patched,
every one when it is built in full — so a build that adds one document to 20,000 appends
its entry (kilobytes) and rewrites the index (a megabyte) instead of loading and dumping
some 200 MB. An entry no published document uses any more stays in the data file, unused,
until such entries make up COMPACT_AT of it; that save copies the live entries (their bytes,
not unpickled) into a new data file, and the old one is removed.

A damaged entry (wrong length or checksum) is reported missing: the build computes it again.
"""

from __future__ import annotations

import logging
import mmap
import os
import pickle
import zlib
from collections.abc import Iterable
from pathlib import Path

from .search import DocEntry
from .store import code_version, write_atomic

log = logging.getLogger(__name__)

COMPACT_AT = 0.25  # unused bytes beyond this fraction of the data file: copy the live entries anew
Where = tuple[int, int, int]  # offset, length, crc32 of a pickled entry in the data file


# Entries depend on the analysis code and the model, the files on this module: any change
# there invalidates them. (Reuse of the published files also needs the same Site.fingerprint,
# which hashes all of builder/: any code change rebuilds the index in full.)
VERSION = code_version("model.py", "search.py", "search_text.py", "searchterms.py", "search_format.py", "text.py",
                       "search_cache.py")


class EntryCache:
    """digest → entry, read from the data file on demand; `published`: the digests of the
    last published build in index order (so a document's ordinal there); `folder`: the name
    of the build folder that `published` describes."""

    def __init__(self) -> None:
        self.published: list[str] = []
        self.folder = ""
        self._where: dict[str, Where] = {}
        self._new: dict[str, DocEntry] = {}  # added by this build, not saved yet
        self._data: Path | None = None

    @classmethod
    def read(cls, path: Path) -> EntryCache:
        cache = cls()
        try:
            version, data_name, where, published, folder = pickle.loads(path.read_bytes())
            data = path.with_name(data_name)
            size = data.stat().st_size
        except Exception:  # noqa: BLE001 - missing, stale or damaged: start afresh
            return cache
        if version == VERSION and all(offset + length <= size for offset, length, _ in where.values()):
            cache._where, cache.published, cache.folder, cache._data = where, published, folder, data
        return cache

    def __contains__(self, digest: str) -> bool:
        return digest in self._new or digest in self._where

    def add(self, digest: str, entry: DocEntry) -> None:
        self._new[digest] = entry

    def load(self, digests: Iterable[str]) -> dict[str, DocEntry]:
        """The entries of these digests that are at hand and intact."""
        out: dict[str, DocEntry] = {}
        stored = []
        for digest in digests:
            if digest in self._new:
                out[digest] = self._new[digest]
            elif digest in self._where:
                stored.append((self._where[digest], digest))
        if stored and self._data is not None:
            out.update(self._read(sorted(stored)))
        return out

    def _read(self, stored: list[tuple[Where, str]]) -> dict[str, DocEntry]:
        assert self._data is not None
        out = {}
        try:
            with open(self._data, "rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
                for (offset, length, crc), digest in stored:
                    raw = data[offset:offset + length]
                    if len(raw) == length and zlib.crc32(raw) == crc:
                        out[digest] = pickle.loads(raw)
        except (OSError, ValueError, pickle.UnpicklingError) as exc:  # the file went or was cut short
            log.warning("search cache: entries unreadable (%s); computing them again", exc)
        return out

    def write(self, path: Path, folder: Path) -> None:
        """Save the entries of the published documents; remember `folder` as holding them."""
        keep = set(self.published)
        live = {g: w for g, w in self._where.items() if g in keep and g not in self._new}
        new = [(g, pickle.dumps(e, protocol=pickle.HIGHEST_PROTOCOL)) for g, e in self._new.items() if g in keep]
        data = self._data
        size = data.stat().st_size if data is not None and data.exists() else 0
        used = sum(length for _, length, _ in live.values())
        if data is None or not used <= size or size - used > COMPACT_AT * (size + sum(len(r) for _, r in new)):
            data, live = self._compacted(path, live if used <= size else {})
        where = dict(live)
        with open(data, "ab") as fh:
            for digest, raw in new:
                where[digest] = (fh.tell(), len(raw), zlib.crc32(raw))
                fh.write(raw)
        write_atomic(path, pickle.dumps((VERSION, data.name, where, self.published, folder.name),
                                        protocol=pickle.HIGHEST_PROTOCOL))
        self._where, self._new, self._data, self.folder = where, {}, data, folder.name
        for stale in path.parent.glob(f"{path.name}.*.data"):
            if stale != data:
                stale.unlink(missing_ok=True)

    def _compacted(self, path: Path, live: dict[str, Where]) -> tuple[Path, dict[str, Where]]:
        """A new data file holding only the `live` entries (copied as bytes), and where they are."""
        data = path.with_name(f"{path.name}.{os.urandom(6).hex()}.data")
        where: dict[str, Where] = {}
        with open(data, "wb") as out:
            if live and self._data is not None:
                try:
                    with open(self._data, "rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as old:
                        for digest, (offset, length, crc) in sorted(live.items(), key=lambda item: item[1]):
                            where[digest] = (out.tell(), length, crc)
                            out.write(old[offset:offset + length])
                except (OSError, ValueError) as exc:  # gone or emptied meanwhile: keep what was copied
                    log.warning("search cache: entries unreadable (%s)", exc)
                    out.truncate(out.tell())
        return data, where

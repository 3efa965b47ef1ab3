"""The search stage's cache (builder.search_cache) and the paths of the incremental index that
only a build exercises: entries read on demand, appended, compacted, damaged; a back-dated
document patched in place; the gap sums the patcher relies on."""

from __future__ import annotations

import logging
import pickle
import random
import shutil
from array import array
from bisect import bisect_left
from itertools import accumulate
from pathlib import Path

import pytest

from builder.build import build
from builder.config import load_config
from builder.search import DocEntry
from builder.search_cache import COMPACT_AT, VERSION, EntryCache
from builder.search_format import Postings, encode_shard
from builder.search_patch import gap_sum, locate, patch_shard
from conftest import CONTENT
from test_site import _digest


def _entry(i: int) -> DocEntry:
    return DocEntry(id=f"d{i}", order=("2025-01-01", f"d{i}"), facets=("#l:T",), keys=f"w{i}\n#l:T", words=1,
                    weighted=1, spellings=f"w{i}", impacts=bytes([i % 200 + 1]), result=b"")


def _saved(path: Path, digests: list[str], folder: str = "f1") -> EntryCache:
    cache = EntryCache.read(path)
    for g in digests:
        if g not in cache:
            cache.add(g, _entry(int(g[1:])))
    cache.published = digests
    cache.write(path, Path(folder))
    return cache


def _data_files(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f"{path.name}.*.data"))


def test_entries_are_read_back_on_demand(tmp_path: Path):
    path = tmp_path / "entries.pickle"
    _saved(path, [f"g{i}" for i in range(50)])
    cache = EntryCache.read(path)
    assert cache.published == [f"g{i}" for i in range(50)] and cache.folder == "f1"
    assert "g7" in cache and "g99" not in cache
    assert cache.load(["g7", "g99", "g3"]) == {"g7": _entry(7), "g3": _entry(3)}


def test_a_build_appends_its_new_entries_and_rewrites_only_the_small_index(tmp_path: Path):
    path = tmp_path / "entries.pickle"
    _saved(path, [f"g{i}" for i in range(200)])
    (data,) = _data_files(path)
    size = data.stat().st_size
    cache = _saved(path, [f"g{i}" for i in range(201)], "f2")
    assert _data_files(path) == [data]  # the same file, grown by one entry
    assert 0 < data.stat().st_size - size < 2 * size / 200
    assert EntryCache.read(path).load(["g200", "g0"]) == {"g200": _entry(200), "g0": _entry(0)}
    assert cache.folder == "f2" and EntryCache.read(path).folder == "f2"


def test_unused_entries_are_dropped_once_they_pass_the_threshold(tmp_path: Path):
    path = tmp_path / "entries.pickle"
    _saved(path, [f"g{i}" for i in range(100)])
    (first,) = _data_files(path)
    size = first.stat().st_size
    keep, replaced = [f"g{i}" for i in range(30, 100)], [f"g{i}" for i in range(1000, 1030)]
    assert COMPACT_AT == 0.25
    _saved(path, keep + replaced)  # 30 of 130 entries unused: under a quarter
    assert _data_files(path) == [first]
    _saved(path, keep)  # 60 of 130: copied anew
    (second,) = _data_files(path)
    assert second != first and not first.exists() and second.stat().st_size < size
    assert EntryCache.read(path).load(keep) == {g: _entry(int(g[1:])) for g in keep}


def test_a_damaged_entry_is_missing_not_wrong(tmp_path: Path):
    path = tmp_path / "entries.pickle"
    _saved(path, [f"g{i}" for i in range(10)])
    (data,) = _data_files(path)
    raw = bytearray(data.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    data.write_bytes(bytes(raw))
    loaded = EntryCache.read(path).load([f"g{i}" for i in range(10)])
    assert len(loaded) == 9 and all(loaded[g] == _entry(int(g[1:])) for g in loaded)


def test_a_stale_or_broken_cache_starts_afresh(tmp_path: Path):
    path = tmp_path / "entries.pickle"
    _saved(path, ["g1", "g2"])
    _, name, where, published, folder = pickle.loads(path.read_bytes())
    path.write_bytes(pickle.dumps(("other", name, where, published, folder)))
    assert EntryCache.read(path).published == []
    path.write_bytes(pickle.dumps((VERSION, name, where, published, folder)))
    assert EntryCache.read(path).published == ["g1", "g2"]
    (tmp_path / name).write_bytes(b"")  # cut short: its entries cannot be where the index says
    assert EntryCache.read(path).published == []
    path.write_bytes(b"not a pickle")
    assert EntryCache.read(path).published == []


def _build_both(tmp_path: Path, change) -> tuple[dict[str, str], dict[str, str], str]:
    """Build the seed content, apply `change` to it, build again (incremental) and in full."""
    shutil.copytree(CONTENT, tmp_path / "content")
    cfg = load_config(tmp_path / "content", tmp_path / "inc" / "site")
    build(cfg)
    change(tmp_path)
    logs = logging.getLogger("builder.indexing")
    handler = _Collect()
    logs.addHandler(handler)
    logs.setLevel(logging.DEBUG)
    try:
        build(cfg)
    finally:
        logs.removeHandler(handler)
        logs.setLevel(logging.NOTSET)
    build(load_config(tmp_path / "content", tmp_path / "full" / "site"))
    return _digest(tmp_path / "inc" / "site"), _digest(tmp_path / "full" / "site"), "\n".join(handler.lines)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def test_a_back_dated_document_is_patched_into_the_same_bytes(tmp_path: Path):
    def change(root: Path) -> None:
        docs = root / "content" / "documents"
        source = max(docs.glob("*.md"))
        text = source.read_text(encoding="utf-8")
        doc_id = next(line for line in text.splitlines() if line.startswith("id: "))[4:]
        lines = [("issued: '1999-01-01'" if line.startswith("issued:") else
                  f"id: 1999-1-{doc_id}" if line == f"id: {doc_id}" else line) for line in text.splitlines()]
        (docs / f"1999-1-{doc_id}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")

    incremental, full, log = _build_both(tmp_path, change)
    assert incremental == full
    assert "search: 1 entries computed, index patched" in log


def test_an_unreadable_cache_is_computed_again(tmp_path: Path):
    def change(root: Path) -> None:
        for data in (root / "inc" / ".site-cache").glob("search-entries.pickle.*.data"):
            data.write_bytes(bytes(len(data.read_bytes())))  # every entry fails its checksum
        edited = next((root / "content" / "documents").glob("*.md"))
        edited.write_text(edited.read_text(encoding="utf-8") + "\nBổ sung: hòa bình.\n", encoding="utf-8")

    incremental, full, log = _build_both(tmp_path, change)
    assert incremental == full
    assert "index rebuilt" in log


def test_gap_sums_and_lookups_match_plain_python():
    rng = random.Random(3)
    for n, top, code in [(0, 1, "B"), (1, 3, "B"), (256, 255, "B"), (257, 255, "B"), (20000, 4, "B"),
                         (65520, 255, "B"), (70000, 2, "B"), (3000, 1000, "H")]:
        gaps = array(code, [rng.randint(1, top) for _ in range(n)])
        assert gap_sum(gaps, 0, n) == sum(gaps) and gap_sum(gaps, n // 3, n) == sum(gaps[n // 3:])
        ords = list(accumulate(gaps, initial=7))
        for target in [0, 7, 8, ords[-1], ords[-1] + 1] + [rng.randint(0, ords[-1] + 1) for _ in range(30)]:
            j = bisect_left(ords, target)
            assert locate(7, gaps, target) == ((j, ords[j]) if j < len(ords) else (len(ords), ords[-1]))


@pytest.mark.parametrize("before, after", [
    ([0, 5, 70005], [0, 5]),  # the only four-byte gap goes: one byte again
    ([0, 5], [0, 5, 200000]),  # a four-byte gap comes
    ([3, 300, 301], [3, 301]),  # merged gaps widen: two bytes
    ([3, 301], [0, 3, 301, 302]),  # before the first, after the last
])
def test_gap_widths_follow_edits(before, after):
    def shard(ords: list[int]) -> bytes:
        return encode_shard({"#l:T": Postings(array("I", ords)), "a": Postings(array("I", [1]))})

    removed = [(o, None, None) for o in sorted(set(before) - set(after))]
    added = [(o, None, None) for o in sorted(set(after) - set(before))]
    assert patch_shard(shard(before), {"#l:T": (removed, added)}, []) == shard(after)
    assert patch_shard(shard(before), {}, [(0, 0), (before[-1], 2)]) == shard(before[:-1] + [before[-1] + 2])

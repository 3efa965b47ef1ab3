"""Incremental search index: the files of index_files(new) computed from the previous build's
files, touching only what changes.

A change is a set of documents removed (by their ordinal in the previous index) and added (by
their ordinal in the new one); every other document is kept, and its ordinal moves by the
additions and removals before it (an older date shifts every later ordinal by one). Only the
shards that hold a key of a changed document, or a posting that moves, are read, and those
are patched where they lie (builder.search_patch): the work follows the keys of the changed
documents, not the size of the archive. The manifest is the previous one with the changed
documents' facets counted out and in.

The bytes are those of a full index_files(new) (tested). patch_index returns None, and the
caller builds in full, when the shard count changes, when more than MAX_CHANGED documents
change, when an edited key has MAX_VARIANTS spellings or more, or when the previous files do
not hold what the change says they hold.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .search import DocEntry, manifest, manifest_facets, manifest_files, result_files, shard_count
from .search_format import shard_of
from .search_patch import Decline, Edits, Runs, patch_shard

log = logging.getLogger(__name__)

MAX_CHANGED = 200  # beyond this many added and removed documents a full build is as fast
MAX_MOVED = 100  # beyond this many moved documents every shard is read (Change.moved)


@dataclass(frozen=True)
class Change:
    """Documents removed from the previous index (its ordinal → the entry it was built from)
    and added to the new one (new ordinal → entry); every other document is kept."""

    before: int  # documents in the previous index
    removed: dict[int, DocEntry]
    added: dict[int, DocEntry]
    # Kept documents whose ordinal changes (old ordinal → entry) when there are few: only the
    # shards holding their keys or a changed document's are then read. None: every shard is.
    moved: dict[int, DocEntry] | None = None

    @property
    def after(self) -> int:
        return self.before - len(self.removed) + len(self.added)


def update_index(read_previous: Callable[[str], bytes], old: list[DocEntry],
                 new: list[DocEntry], results: bool = True) -> dict[str, bytes] | None:
    """Every file of index_files(new), given read_previous(path) of the index built from `old`."""
    before = sorted(old, key=lambda e: e.order)
    after = sorted(new, key=lambda e: e.order)
    files = patch_index(read_previous, diff(before, after), [e.order for e in after])
    if files is None:
        return None
    out = {path: read_previous(path) if data is None else data for path, data in files.items()}
    if results:
        out.update(result_files(after))
    return out


def diff(before: list[DocEntry], after: list[DocEntry]) -> Change:
    """The change from one list of entries to another, each in index order: an entry found
    in both (same id, equal) is kept."""
    was = {e.id: (o, e) for o, e in enumerate(before)}
    kept: dict[int, int] = {}  # old ordinal → new
    added: dict[int, DocEntry] = {}
    for o, e in enumerate(after):
        old = was.get(e.id)
        if old is not None and old[1] == e:
            kept[old[0]] = o
        else:
            added[o] = e
    moved = {o: before[o] for o, n in kept.items() if n != o}
    return Change(len(before), {o: e for o, e in enumerate(before) if o not in kept}, added,
                  moved if len(moved) <= MAX_MOVED else None)


def patch_index(read_previous: Callable[[str], bytes], change: Change,
                orders: list[tuple[str, str]]) -> dict[str, bytes | None] | None:
    """The shards and manifest after `change`, from read_previous(path) of the previous index:
    new bytes, or None for a file that stays as it was. None when the index must be built in
    full. `orders` are the DocEntry.order of the new index, in index order."""
    shards = shard_count(change.after)
    if shards != shard_count(change.before) or len(change.removed) + len(change.added) > MAX_CHANGED:
        return None
    try:
        runs = _runs(change)
        moved = runs if any(shift for _, shift in runs) else []
        edits = _edits(change, shards)
        read = (set(edits) | _moved_shards(change, runs, shards)) if moved else set(edits)
        files: dict[str, bytes | None] = {}
        for i in range(shards):
            path = f"tim-kiem/t/{i:04x}.bin"
            if i not in read:
                files[path] = None
                continue
            data = read_previous(path)
            out = patch_shard(data, edits.get(i, {}), moved)
            files[path] = None if out == data else out
        previous = json.loads(read_previous("tim-kiem/chi-muc.json"))
        files.update(manifest_files(_manifest(previous, change, orders, shards)))
    except (Decline, OSError, ValueError, IndexError, KeyError, OverflowError) as why:  # not what the change says
        log.debug("search index not patched: %s", why)
        return None
    return files


def _runs(change: Change) -> Runs:
    """Where each run of kept documents starts (old ordinal) and how far it moves: a kept
    document's new ordinal is its old one plus the shift of the last run starting at or before it."""
    removed, added = sorted(change.removed), sorted(change.added)
    runs: Runs = []
    x = y = ri = ai = 0  # old and new ordinal; removed and added documents passed
    while x < change.before:
        if ri < len(removed) and removed[ri] == x:
            x, ri = x + 1, ri + 1
        elif ai < len(added) and added[ai] == y:
            y, ai = y + 1, ai + 1
        else:
            if not runs or runs[-1][1] != y - x:
                runs.append((x, y - x))
            end = min(removed[ri] if ri < len(removed) else change.before,
                      x + added[ai] - y if ai < len(added) else change.before)
            x, y = end, y + end - x
    if ri < len(removed) or added[ai:] != list(range(y, change.after)):
        raise Decline("ordinals out of range")
    return runs


def _moved_shards(change: Change, runs: Runs, shards: int) -> set[int]:
    """The shards that can hold a posting of a document whose ordinal moves: those of its
    keys when the change lists the moved documents (checked against `runs`), else all."""
    if change.moved is None:
        return set(range(shards))
    ends = [start for start, _ in runs[1:]] + [change.before]
    moving = {o for (start, shift), end in zip(runs, ends) if shift for o in range(start, end)}
    if moving - change.removed.keys() != change.moved.keys():
        raise Decline("the moved documents are not those the change moves")
    return {shard_of(key, shards) for e in change.moved.values() for key in e.keys.split("\n") if key}


def _edits(change: Change, shards: int) -> dict[int, Edits]:
    """shard → key → (postings to remove, by old ordinal; postings to add, by new ordinal), ascending."""
    out: dict[int, Edits] = {}
    for side, docs in enumerate((change.removed, change.added)):
        for o in sorted(docs):
            for key, impact, forms in _postings_of(docs[o]):
                out.setdefault(shard_of(key, shards), {}).setdefault(key, ([], []))[side].append((o, impact, forms))
    return out


def _postings_of(e: DocEntry) -> Iterator[tuple[str, int | None, str | None]]:
    """(key, impact or None, spellings or None) of each key of one document."""
    keys = e.keys.split("\n") if e.keys else []
    forms = e.spellings.split("\n") if e.words else []
    for i, key in enumerate(keys):
        yield key, e.impacts[i] if i < e.weighted else None, forms[i] if i < e.words else None


def _manifest(previous: dict, change: Change, orders: list[tuple[str, str]], shards: int) -> dict[str, object]:
    """The manifest after `change`: the previous facet counts, less the removed documents',
    plus the added ones'."""
    if previous.get("n") != change.before or previous.get("shards") != shards or len(orders) != change.after:
        raise Decline("the previous manifest describes another index")
    facets = manifest_facets(previous)
    for e in change.removed.values():
        facets.subtract(e.facets)
    for e in change.added.values():
        facets.update(e.facets)
    if min(facets.values(), default=0) < 0:
        raise Decline("facet counts below zero")
    return manifest(+facets, orders, shards)

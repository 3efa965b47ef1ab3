"""An incremental index update gives the same bytes as a full build, or declines."""

from __future__ import annotations

import random
import sys
from dataclasses import replace
from itertools import pairwise
from pathlib import Path

import pytest

from builder.model import Document, Signer
from builder.search import DocEntry, document_entry, index_files, shard_count
from builder.search_update import diff, patch_index, update_index
from builder.store import load_document
from conftest import ROOT


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> list[Document]:
    sys.path.insert(0, str(ROOT / "bench"))
    from generate import generate  # noqa: PLC0415 (bench is not a package)

    content = generate(90, tmp_path_factory.mktemp("gen"), seed=3)
    return [load_document(p) for p in sorted((content / "documents").glob("*.md"))]


def _new(id: str, issued: str, text: str) -> Document:
    return Document(id=id, type="Công văn", title="Về việc hòa giải", issued=issued, body=text,
                    issuer="Văn phòng Ủy ban nhân dân thành phố", signer=Signer(name="Hoàng Văn Thực"),
                    agencies=["Sở Ngoại vụ"], people=["Hoàng Văn Thực"])


def _same_as_full(old: list[Document], new: list[Document]) -> bool | None:
    before = [document_entry(d) for d in old]
    after = [document_entry(d) for d in new]
    files = index_files(before)
    updated = update_index(files.__getitem__, before, after)
    if updated is None:
        return None
    return updated == index_files(after)


def test_adding_the_newest_document(docs):
    newest = _new("2099-1-vp-th", "2099-01-01", "Sở Ngoại vụ hoà giải; sở số sổ; Hòa Bình 576/TB-VP.")
    assert _same_as_full(docs, docs + [newest]) is True


def test_editing_a_document_in_place(docs):
    edited = list(docs)
    edited[10] = Document(**{**edited[10].__dict__, "body": edited[10].body + "\n\nBổ sung: hòa bình, Hoà Bình."})
    assert _same_as_full(docs, edited) is True


def test_removing_the_newest_document(docs):
    ordered = sorted(docs, key=lambda d: (d.issued or "", d.id))
    assert _same_as_full(ordered, ordered[:-1]) is True


def test_an_older_date_shifts_later_ordinals_and_still_matches(docs):
    older = docs + [_new("2000-1-x", "2000-01-01", "Văn bản cũ.")]
    assert _same_as_full(docs, older) is True


def test_a_new_shard_count_declines(docs):
    assert _same_as_full(docs[:20], docs) is None  # 16 → 32 shards: build in full


# Synthetic entries: many documents, words with several spellings, rare keys far apart (gaps
# wider than a byte), facets; then random changes, each patched and compared with a full build.

WORDS = {f"w{i}": [f"w{i}{c}" for c in "aáàả"[: 1 + i % 4]] for i in range(40)}
RARE = [f"r{i}" for i in range(200)]


def _entry(rng: random.Random, id: str, date: str) -> DocEntry:
    words = sorted(set(rng.sample(sorted(WORDS), rng.randint(1, 12)) + rng.sample(RARE, rng.randint(0, 3))))
    forms = [WORDS.get(w, [w]) for w in words]
    spellings = ["|".join(sorted(rng.sample(f, rng.randint(1, min(2, len(f)))))) for f in forms]
    pairs = sorted({f"{a}_{b}" for a, b in pairwise(words) if rng.random() < 0.5})
    facets = tuple(sorted({f"#l:T{rng.randint(0, 3)}", f"#c:A{rng.randint(0, 9)}"}))
    weighted = words + pairs
    return DocEntry(id=id, order=(date, id), facets=facets, keys="\n".join(weighted + list(facets)),
                    words=len(words), weighted=len(weighted), spellings="\n".join(spellings),
                    impacts=bytes(rng.randint(1, 255) for _ in weighted), result=b"{}")


def _date(rng: random.Random) -> str:
    return f"20{rng.randint(10, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _changed(rng: random.Random, entries: list[DocEntry], kind: str) -> list[DocEntry]:
    out = list(entries)
    for n in range(rng.randint(1, 5)):
        op = kind if kind != "mixed" else rng.choice(["append", "backdate", "remove", "edit", "redate"])
        if op in ("append", "backdate"):
            out.append(_entry(rng, f"n{n}-{rng.random()}", "2030-01-01" if op == "append" else _date(rng)))
        elif op == "remove":
            out.pop(rng.randrange(len(out)))
        else:
            i = rng.randrange(len(out))
            out[i] = _entry(rng, out[i].id, out[i].order[0] if op == "edit" else _date(rng))
    return out


@pytest.mark.parametrize("seed", range(60))
def test_random_changes_patch_to_the_bytes_of_a_full_build(seed):
    rng = random.Random(seed)
    before = [_entry(rng, f"d{i}", _date(rng)) for i in range(rng.choice([30, 300, 700]))]
    after = _changed(rng, before, rng.choice(["append", "backdate", "remove", "edit", "redate", "mixed"]))
    files, want = index_files(before), index_files(after)
    ordered = (sorted(before, key=lambda e: e.order), sorted(after, key=lambda e: e.order))
    change = diff(*ordered)
    for moved in (change.moved, None):  # with the moved documents listed, and without: every shard read
        patched = patch_index(files.__getitem__, replace(change, moved=moved), [e.order for e in ordered[1]])
        if shard_count(len(after)) != shard_count(len(before)):
            assert patched is None
            continue
        assert patched is not None
        got = {p: files[p] if data is None else data for p, data in patched.items()}
        assert got == {p: data for p, data in want.items() if "/vb/" not in p}
        assert all(files[p] != data for p, data in patched.items() if data is not None and p.endswith(".bin"))


def test_a_document_moved_to_an_older_date_is_patched_not_rebuilt():
    rng = random.Random(7)
    before = [_entry(rng, f"d{i}", _date(rng)) for i in range(400)]
    newest = max(before, key=lambda e: e.order)
    after = [e for e in before if e is not newest] + [replace(newest, order=("2009-01-01", newest.id))]
    files = index_files(before)
    assert update_index(files.__getitem__, before, after) == index_files(after)


def test_removing_the_first_user_of_a_spelling_renumbers_the_variants():
    a = _entry(random.Random(1), "a", "2020-01-01")
    docs = [replace(a, id=i, order=(d, i), keys="so\n#l:T", words=1, weighted=1, spellings=s, impacts=b"\x05",
                    facets=("#l:T",)) for i, d, s in [("a", "2020-01-01", "số"), ("b", "2020-01-02", "sở"),
                                                     ("c", "2020-01-03", "số|sở"), ("d", "2020-01-04", "so")]]
    files = index_files(docs)
    for after in (docs[1:], [docs[0], docs[2]], docs[:1], docs[1:2] + docs[3:]):  # 3→2→1 variants, order swaps
        assert update_index(files.__getitem__, docs, after) == index_files(after)
    grown = docs + [replace(docs[3], id="e", order=("2019-01-01", "e"), spellings="sổ")]  # new first spelling
    assert update_index(files.__getitem__, docs, grown) == index_files(grown)


def test_previous_files_that_do_not_match_decline():
    rng = random.Random(5)
    before = [_entry(rng, f"d{i}", _date(rng)) for i in range(50)]
    other = [_entry(rng, f"d{i}", _date(rng)) for i in range(50)]
    assert update_index(index_files(other).__getitem__, before, before[:-1]) is None


def test_a_key_with_too_many_spellings_declines():
    base = _entry(random.Random(2), "a", "2020-01-01")
    docs = [replace(base, id=f"d{i:02d}", order=("2020-01-01", f"d{i:02d}"), keys="so\n#l:T", words=1, weighted=1,
                    spellings=f"so{i}", impacts=b"\x05", facets=("#l:T",)) for i in range(32)]
    files = index_files(docs[:31])
    assert update_index(files.__getitem__, docs[:31], docs) is None  # the 32nd spelling: built in full
    assert update_index(files.__getitem__, docs[:31], docs[:30]) is None

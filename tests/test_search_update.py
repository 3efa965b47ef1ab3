"""An incremental index update gives the same bytes as a full build, or declines."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from builder.model import Document, Signer
from builder.search import document_entry, index_files
from builder.search_update import update_index
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

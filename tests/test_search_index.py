"""The search index, built in Python and read the way the browser reads it: Vietnamese
analysis facts, the shard format, determinism, per-document entries, what changes when one
document is added, and the query semantics (every word, phrase first, exact spelling higher)."""

from __future__ import annotations

import json
import pickle
import unicodedata
from array import array
from pathlib import Path

import pytest

from builder.model import Document, Signer
from builder.search import document_entry, index_files, shard_count
from builder.search_format import Postings, decode_shard, encode_shard, shard_of
from builder.searchterms import analyse, canon
from builder.store import load_document
from conftest import CONTENT
from pyquery import search, plan


def _doc(id: str, issued: str, body: str, title: str = "Về việc thử", **kw: object) -> Document:
    return Document(id=id, type=kw.pop("type", "Công văn"), title=title, issued=issued, body=body,  # type: ignore[arg-type]
                    issuer="Văn phòng Ủy ban nhân dân thành phố", signer=Signer(name="Hoàng Văn Thực"), **kw)  # type: ignore[arg-type]


def test_numbers_and_dates_are_found_whole_and_in_parts():
    a = analyse("Quyết định 123/QĐ-UBND; hoàn thành trước ngày 17/10/2025. Số: 09/9/2025")
    assert "123/qd/ubnd" in a["c"] and "123" in a["f"] and "qd" in a["f"]
    assert "17/10/2025" in a["c"] and "2025" in a["f"]  # the trailing period is not part of the date
    assert "9/9/2025" in a["c"]  # leading zeros dropped: 09/9/2025 is 9/9/2025


def test_folding_exact_spellings_and_phrases():
    a = analyse("Đầu tư công: Sở Tài chính, hòa bình")
    assert a["f"] == ["dau", "tu", "cong", "so", "tai", "chinh", "hoa", "binh"]
    assert a["w"][:4] == ["đầu", "tư", "công", "sở"] and a["w"][-2] == "hoà"  # one spelling of hòa/hoà
    assert "tai_chinh" in a["p"] and "cong_so" not in a["p"] and "chinh_hoa" not in a["p"]  # ':' ',' break phrases
    assert analyse(unicodedata.normalize("NFD", "Sở Tài chính")) == analyse("Sở Tài chính")
    assert [canon(w) for w in ("hòa", "thủy", "ủy", "quý", "hoàng")] == ["hoà", "thuỷ", "uỷ", "quý", "hoàng"]


def test_a_lone_hyphen_is_not_syntax():
    assert analyse("kinh tế - xã hội")["f"] == ["kinh", "te", "xa", "hoi"]


def test_shard_format_round_trips_every_width():
    big = Postings(array("I", [3, 300, 70000, 70001]), bytearray([1, 2, 3, 255]), ["sở", "số", "so"], [2, 2, 1],
                   array("I", [1, 2, 3, 4]))
    plain = Postings(array("I", [0, 1, 2]), bytearray(), [], [])
    out = decode_shard(encode_shard({"so": big, "#l:Công văn": plain}))
    assert list(out["so"].ords) == [3, 300, 70000, 70001] and out["so"].impacts == bytearray([1, 2, 3, 255])
    assert out["so"].variants == ["sở", "số", "so"] and list(out["so"].masks) == [1, 2, 3, 4]
    assert list(out["#l:Công văn"].ords) == [0, 1, 2] and not out["#l:Công văn"].impacts
    assert shard_of("tai_chinh", 64) == 27  # crc32(b"tai_chinh") = 1809848539; its low 6 bits
    assert [shard_count(n) for n in (4, 2000, 20000, 10**6)] == [16, 512, 8192, 16384]


@pytest.fixture(scope="module")
def seeds() -> list[Document]:
    return [load_document(p) for p in sorted((CONTENT / "documents").glob("*.md"))]


def test_entries_are_pure_picklable_and_the_index_deterministic(seeds):
    entries = [document_entry(d) for d in seeds]
    assert [document_entry(d) for d in seeds] == entries
    assert pickle.loads(pickle.dumps(entries)) == entries
    files = index_files(entries)
    assert index_files(list(reversed(entries))) == files  # order of the input does not matter
    assert {"tim-kiem/chi-muc.json", "tim-kiem/vb/0.json", "tim-kiem/vb/3.json"} <= set(files)
    assert json.loads(files["tim-kiem/vb/2.json"])["r"][:3] == ["2025-576-tb-vp", seeds[1].title, "Thông báo"]
    assert all(path.startswith("tim-kiem/") and isinstance(data, bytes) for path, data in files.items())


def test_adding_the_newest_document_changes_only_what_the_docstring_says(seeds):
    entries = [document_entry(d) for d in seeds]
    new = document_entry(_doc("2026-99-vp-th", "2026-12-31", "Giao Sở Ngoại vụ tổ chức Hội nghị xúc tiến đầu tư."))
    before, after = index_files(entries), index_files(entries + [new])
    changed = {p for p in after if before.get(p) != after[p]}
    keys = new.keys.split("\n")
    shards = {f"tim-kiem/t/{shard_of(k, 16):04x}.bin" for k in keys}
    assert changed <= shards | {"tim-kiem/chi-muc.json", "tim-kiem/chi-muc.js", "tim-kiem/vb/4.json"}
    assert "tim-kiem/vb/4.json" in changed and "tim-kiem/vb/3.json" not in changed


def _index(docs: list[Document]):
    files = index_files([document_entry(d) for d in docs])
    shards = {int(p[-8:-4], 16): decode_shard(v) for p, v in files.items() if p.startswith("tim-kiem/t/")}
    order = sorted(docs, key=lambda d: (d.issued or "", d.id))

    def query(text: str) -> tuple[list[str], bool, int]:
        hits, exact, phrase = search(plan(analyse(text)), lambda k: shards[shard_of(k, 16)].get(k), len(docs))
        return [order[o].id for o, _ in hits], exact, phrase

    return query


def test_every_word_then_phrase_first_then_any_word():
    query = _index([
        _doc("a", "2025-01-01", "Sở Tài chính chủ trì thẩm định."),
        _doc("b", "2025-01-02", "Tài liệu của Sở Xây dựng, chính sách nhà ở."),
        _doc("c", "2025-01-03", "Số liệu thu ngân sách."),
    ])
    assert query("so tai chinh") == (["a", "b"], True, 1)  # a has the phrase, b the words apart
    ids, exact, _ = query("sở tài chính ngân sách")  # no document has every word: any word
    assert set(ids) == {"a", "b", "c"} and not exact
    assert query("xyzzy") == ([], False, 0)


def test_exact_spelling_ranks_above_the_same_letters():
    query = _index([_doc("so-lieu", "2025-01-01", "Số liệu."), _doc("so-nv", "2025-01-02", "Sở Nội vụ.")])
    assert query("sở")[0] == ["so-nv", "so-lieu"] and query("số")[0] == ["so-lieu", "so-nv"]
    assert set(query("so")[0]) == {"so-nv", "so-lieu"}


def test_titles_and_numbers_rank_higher():
    query = _index([
        _doc("x", "2025-01-01", "Nhắc lại Thông báo số 576/TB-VP và Hội chợ.", title="Hội chợ mùa Thu"),
        _doc("y", "2025-01-02", "Hội chợ mùa Thu năm nay.", title="Kế hoạch", number="576", symbol="TB-VP"),
    ])
    assert query("576/TB-VP")[0][0] == "y" and query("hội chợ mùa thu")[0][0] == "x"


def test_the_index_reads_the_seed_site(built_site: Path):
    files = sorted((built_site / "tim-kiem" / "t").glob("*.bin"))
    assert len(files) == 16 and sum(len(decode_shard(p.read_bytes())) for p in files) > 10000

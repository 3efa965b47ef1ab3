"""The Python-built index gives the same results in JavaScript (Node, the site's own vi.js and
query.js) as in Python (tests/pyquery.py), and both analyses give identical terms."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from builder.searchterms import analyse, canon
from conftest import ROOT, SOURCES
from pyquery import SiteIndex

QUERIES = ["Sở Tài chính", "so tai chinh", "576/TB-VP", "TB-VP 576", "số 576", "17/10/2025", "Lê Anh Quân",
           "le anh quan", "nhà ở xã hội", "nha o xa hoi", "kinh tế - xã hội", "Số: 576", "dau tu cong",
           "126-TB/TU", "đặc khu cát hải", "tai chi", "xyzzy không có", "Hoàng Minh Cường", "quy hoach chung",
           "văn hoá thể thao", "ủy ban nhân dân", "quyết định", "sở số", "Thông báo", "2025", "0"]
TEXTS = ["Số: **576**/TB-VP ngày 09/9/2025; Đồng chí Lê Anh Quân – Sở TC", "Nghị quyết số 226/2025/QH15",
         "ĐẢNG CỘNG SẢN VIỆT NAM 126-TB/TU", "Thuế cơ sở 10, m² 1.671,8 triệu USD ¹⁰ 0¹ ０１",
         "Ǆ ǅ İstanbul ß ﬁ ½", "Hòa bình, hoà bình; (ủy ban) “UỶ BAN” [thủy] tuỳ|tùy khỏe! khoẻ? QUÝ"]
WORDS = ["hòa", "hoà", "ủy", "uỷ", "thủy", "quý", "hoàng", "khỏe", "tùy", "oà", "a", "HÒA", "ngoài", "thuở"]


def _node(site: Path, texts: list[str], queries: list[str]) -> dict:
    node = shutil.which("node")
    assert node, "node is installed by tests/run.sh"
    payload = json.dumps({"site": str(site), "texts": texts, "queries": queries, "words": WORDS})
    proc = subprocess.run([node, str(Path(__file__).with_name("parity.js"))], input=payload, capture_output=True,
                          text=True, timeout=300, check=True)
    return json.loads(proc.stdout)


def _same_results(site: Path, queries: list[str], out: dict) -> None:
    index = SiteIndex(site)
    assert len(out["results"]) == len(queries)
    for query, js in zip(queries, out["results"]):
        hits, exact, phrase = index.query(query)
        assert (exact, phrase) == (js["exact"], js["phrase"]), query
        assert [d for d, _ in hits] == [d for d, _ in js["hits"]], query
        assert [s for _, s in hits] == pytest.approx([s for _, s in js["hits"]], rel=1e-12), query


@pytest.fixture(scope="module")
def node_run(built_site: Path):
    texts = TEXTS + [p.read_text(encoding="utf-8") for p in sorted(SOURCES.glob("*.txt"))]
    return texts, _node(built_site, texts, QUERIES)


def test_same_terms_in_python_and_javascript(node_run):
    texts, out = node_run
    assert len(out["terms"]) == len(texts)
    for text, js_terms in zip(texts, out["terms"]):
        assert analyse(text) == js_terms, text[:60]
    assert [canon(w) for w in WORDS] == out["canon"]


def test_same_results_in_python_and_javascript(node_run, built_site: Path):
    _same_results(built_site, QUERIES, node_run[1])


@pytest.fixture(scope="module")
def generated_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 generated documents: sparse and dense postings, 2-byte gaps, spelling masks."""
    sys.path.insert(0, str(ROOT / "bench"))
    from generate import generate  # noqa: PLC0415 (bench is not a package)

    from builder.search import document_entry, index_files
    from builder.store import load_document

    base = tmp_path_factory.mktemp("generated")
    content = generate(300, base, seed=7)
    entries = [document_entry(load_document(p)) for p in sorted((content / "documents").glob("*.md"))]
    for rel, data in index_files(entries).items():
        (base / "site" / rel).parent.mkdir(parents=True, exist_ok=True)
        (base / "site" / rel).write_bytes(data)
    return base / "site"


def test_same_results_on_a_generated_archive(generated_site: Path):
    queries = QUERIES + ["giải phóng mặt bằng", "Sở Xây dựng", "hoàn thành trước ngày", "tháng 3/2019", "bàn"]
    _same_results(generated_site, queries, _node(generated_site, [], queries))


def test_queries_find_what_a_clerk_expects(built_site: Path):
    index = SiteIndex(built_site)

    def top(q: str) -> list[str]:
        return [d for d, _ in index.query(q)[0]]

    def phrase(q: str) -> set[str]:
        hits, _, n = index.query(q)
        return {d for d, _ in hits[:n]}

    assert top("576/TB-VP")[0] == "2025-576-tb-vp"
    assert top("TB-VP 576")[0] == "2025-576-tb-vp"
    assert top("số 576")[0] == "2025-576-tb-vp"
    assert "2025-576-tb-vp" in top("so tai chinh") and "2025-576-tb-vp" in top("Sở Tài chính")
    assert top("126-TB/TU")[0] == "2025-576-tb-vp"
    # 576 and the 2026 letter print his name; the 2025 letter is his opinion as Phó Chủ tịch Thường trực
    him = {"2025-576-tb-vp", "2026-vp-th-trien-khai-thuc-hien-nghi-quyet", "2025-vp-th-trien-khai-thuc-hien-nghi-quyet"}
    assert phrase("Lê Anh Quân") == him and phrase("le anh quan") == him
    assert top("17/10/2025")[0] == "2025-576-tb-vp"
    assert top("kinh tế - xã hội")  # a lone '-' is not an exclusion operator
    assert top("xyzzy") == []

"""The Python-built index gives the same results in lunr.js (Node) as in lunr.py, and the
Python and JS Vietnamese analyses produce identical terms for the same text."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from lunr.index import Index

from builder.searchterms import analyse
from conftest import SOURCES
from pyquery import search

QUERIES = ["Sở Tài chính", "so tai chinh", "576/TB-VP", "TB-VP 576", "số 576", "17/10/2025", "Lê Anh Quân",
           "le anh quan", "nhà ở xã hội", "nha o xa hoi", "kinh tế - xã hội", "Số: 576", "dau tu cong",
           "126-TB/TU", "đặc khu cát hải", "tai chi", "xyzzy không có", "Hoàng Minh Cường", "quy hoach chung"]
TEXTS = ["Số: **576**/TB-VP ngày 09/9/2025; Đồng chí Lê Anh Quân – Sở TC", "Nghị quyết số 226/2025/QH15",
         "ĐẢNG CỘNG SẢN VIỆT NAM 126-TB/TU", "Thuế cơ sở 10, m² 1.671,8 triệu USD ¹⁰", "Ǆ ǅ İstanbul ß ﬁ ½"]


@pytest.fixture(scope="module")
def node_run(built_site: Path):
    node = shutil.which("node")
    assert node, "node is installed by tests/run.sh"
    texts = TEXTS + [p.read_text(encoding="utf-8") for p in sorted(SOURCES.glob("*.txt"))]
    payload = json.dumps({"index": str(built_site / "tim-kiem/chi-muc.json"), "texts": texts, "queries": QUERIES})
    proc = subprocess.run([node, str(Path(__file__).with_name("parity.js"))], input=payload, capture_output=True,
                          text=True, timeout=120, check=True)
    return texts, json.loads(proc.stdout)


def test_same_terms_in_python_and_javascript(node_run):
    texts, out = node_run
    for text, js_terms in zip(texts, out["terms"]):
        assert analyse(text) == js_terms, text[:60]


def test_same_results_in_lunr_py_and_lunr_js(node_run, built_site: Path):
    _, out = node_run
    index = Index.load(json.loads((built_site / "tim-kiem/chi-muc.json").read_text(encoding="utf-8")))
    for query, js in zip(QUERIES, out["results"]):
        hits, exact, phrase = search(index, analyse(query), not query.endswith(" "))
        assert (exact, phrase) == (js["exact"], js["phrase"]), query
        assert [h["ref"] for h in hits] == [ref for ref, _ in js["hits"]], query
        for h, (_, score) in zip(hits, js["hits"]):
            assert h["score"] == pytest.approx(score, rel=1e-4, abs=1e-6), query


def test_queries_find_what_a_clerk_expects(built_site: Path):
    index = Index.load(json.loads((built_site / "tim-kiem/chi-muc.json").read_text(encoding="utf-8")))

    def top(q: str) -> list[str]:
        return [h["ref"] for h in search(index, analyse(q), False)[0]]

    def phrase(q: str) -> set[str]:
        hits, _, n = search(index, analyse(q), False)
        return {h["ref"] for h in hits[:n]}

    assert top("576/TB-VP")[0] == "2025-576-tb-vp"
    assert top("TB-VP 576")[0] == "2025-576-tb-vp"
    assert "2025-576-tb-vp" in top("so tai chinh") and "2025-576-tb-vp" in top("Sở Tài chính")
    assert top("126-TB/TU")[0] == "2025-576-tb-vp"
    # 576 and the 2026 letter print his name; the 2025 letter is his opinion as Phó Chủ tịch Thường trực
    him = {"2025-576-tb-vp", "2026-vp-th-trien-khai-thuc-hien-nghi-quyet", "2025-vp-th-trien-khai-thuc-hien-nghi-quyet"}
    assert phrase("Lê Anh Quân") == him and phrase("le anh quan") == him
    assert top("17/10/2025")[0] == "2025-576-tb-vp"
    assert top("kinh tế - xã hội")  # a lone '-' is not an exclusion operator
    assert top("xyzzy") == []

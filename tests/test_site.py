"""The built site: a page per document, agency and person; every internal link and anchor
resolves; no inline script or event handler; the same content builds byte-identical output."""

from __future__ import annotations

import logging

import hashlib
import json
import shutil
from pathlib import Path

from builder.build import build
from builder.config import load_config
from builder.corpus import load_corpus
from builder.registry import load_registry
from builder.store import load_document
from conftest import CONTENT, SEED_BC_267
from sitecheck import broken_links, parse


def _docs():
    return [load_document(p) for p in sorted((CONTENT / "documents").glob("*.md"))]


def test_a_page_per_document_agency_and_person(built_site: Path):
    docs = _docs()
    assert len(docs) == 4
    for doc in docs:
        assert (built_site / "van-ban" / doc.id / "index.html").is_file()
    agency_pages = {p.parent.name for p in (built_site / "co-quan").glob("*/index.html")}
    person_pages = {p.parent.name for p in (built_site / "lanh-dao").glob("*/index.html")}
    assert {"so-tai-chinh", "van-phong-ubnd-thanh-pho", "so-xay-dung", "so-noi-vu"} <= agency_pages
    assert {"le-ngoc-chau", "le-anh-quan", "tran-van-quan", "hoang-van-thuc", "nguyen-van-tung"} <= person_pages
    corpus = load_corpus(CONTENT / "documents", load_registry(CONTENT / "registry.yaml"))
    named = {a for d in docs for a in d.agencies} | {a for d in docs for t in d.tasks for a in t.lead + t.support}
    assert {corpus.agency_slug(a) for a in named} <= agency_pages
    assert {corpus.person_slug(p) for d in docs for p in d.people} <= person_pages


def test_every_internal_link_and_anchor_resolves(built_site: Path):
    assert broken_links(built_site) == []


def test_links_work_both_ways(built_site: Path):
    doc_page = (built_site / "van-ban/2025-576-tb-vp/index.html").read_text(encoding="utf-8")
    assert 'href="../../co-quan/so-tai-chinh/"' in doc_page
    assert 'href="../../lanh-dao/le-anh-quan/"' in doc_page
    agency = (built_site / "co-quan/so-tai-chinh/index.html").read_text(encoding="utf-8")
    assert 'href="../../van-ban/2025-576-tb-vp/#muc-4-2-3-b"' in agency  # a task of Sở Tài chính, linked to its item
    person = (built_site / "lanh-dao/le-anh-quan/index.html").read_text(encoding="utf-8")
    assert 'href="../../van-ban/2025-576-tb-vp/"' in person
    assert "Phó Chủ tịch Thường trực" in person


def test_no_inline_scripts_or_handlers(built_site: Path):
    for path in built_site.rglob("*.html"):
        page = parse(path)
        assert page.inline_scripts == 0, path
        assert page.handlers == [], path


def test_search_index_files(built_site: Path):
    manifest = json.loads((built_site / "tim-kiem/chi-muc.json").read_text(encoding="utf-8"))
    assert manifest["n"] == 4 and len(list((built_site / "tim-kiem/t").glob("*.bin"))) == manifest["shards"]
    rows = [json.loads((built_site / f"tim-kiem/vb/{o}.json").read_text(encoding="utf-8"))["r"] for o in range(4)]
    assert {r[0] for r in rows} == {d.id for d in _docs()}


def _digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_builds_are_byte_identical(tmp_path: Path):
    shutil.copytree(CONTENT, tmp_path / "content")
    cfg = load_config(tmp_path / "content", tmp_path / "site")
    build(cfg)
    first = _digest(tmp_path / "site")
    shutil.rmtree(tmp_path / ".site-cache")
    (tmp_path / "site" / ".manifest.json").unlink()  # forces a full render, not reuse
    result = build(cfg)
    assert result.rendered == result.pages
    assert _digest(tmp_path / "site") == first
    assert (tmp_path / "site").is_symlink()
    builds = [p for p in tmp_path.iterdir() if p.name.startswith(".site-") and p.name != ".site-cache"]
    assert len(builds) == 2  # the published folder and the previous one, kept as the next build's spare
    assert (tmp_path / "site").resolve() in [b.resolve() for b in builds]


def test_incremental_build_equals_full_build(tmp_path: Path, caplog):
    shutil.copytree(CONTENT, tmp_path / "content")
    docs = tmp_path / "content" / "documents"
    source = tmp_path / "content" / "sources" / SEED_BC_267
    shutil.move(docs / "2024-267-bqp-ubnd.md", tmp_path / "doc.md")
    shutil.move(source, tmp_path / "source.txt")
    incremental = load_config(tmp_path / "content", tmp_path / "inc" / "site")
    first = build(incremental)
    assert build(incremental).rendered == 0  # nothing changed: every page reused
    shutil.move(tmp_path / "doc.md", docs / "2024-267-bqp-ubnd.md")  # add a document
    shutil.move(tmp_path / "source.txt", source)
    edited = docs / "2025-576-tb-vp.md"  # and edit another by hand
    edited.write_text(edited.read_text(encoding="utf-8").replace("place: Hải Phòng", "place: TP Hải Phòng"), encoding="utf-8")
    caplog.set_level(logging.DEBUG, logger="builder.indexing")
    second = build(incremental)
    assert 0 < second.rendered < second.pages and second.pages > first.pages
    assert "search: 2 entries computed, index patched" in caplog.text
    full = build(load_config(tmp_path / "content", tmp_path / "full" / "site"))
    assert full.rendered == full.pages
    assert _digest(tmp_path / "inc" / "site") == _digest(tmp_path / "full" / "site")

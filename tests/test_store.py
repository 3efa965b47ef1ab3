"""Store round trip, hand edits kept on re-ingest, atomic writes, and the committed
content/documents matching what the parser produces today (the golden check)."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from builder.config import load_config
from builder.errors import SourceError
from builder.ingestion import ingest_all, sha256, PARSER_VERSION
from builder.store import dump_document, is_hand_edited, load_document
from conftest import CONTENT, SEED_576


def test_round_trip(seeds, tmp_path: Path):
    for doc in seeds.values():
        path = tmp_path / f"{doc.id}.md"
        path.write_text(dump_document(doc), encoding="utf-8")
        back = load_document(path)
        assert dump_document(back) == path.read_text(encoding="utf-8")
        assert back.tasks == doc.tasks and back.references == doc.references and back.body.strip() == doc.body.strip()


def test_committed_documents_are_what_the_parser_produces(seeds, registry):
    """Golden check. After an intended parser change, refresh with: python build.py --force"""
    generator = f"{PARSER_VERSION}:{sha256(CONTENT / 'registry.yaml')[:12]}"
    for name, doc in seeds.items():
        doc.ingest = {"source_sha256": sha256(CONTENT / "sources" / name), "generator": generator}
        committed = (CONTENT / "documents" / f"{doc.id}.md").read_text(encoding="utf-8")
        assert dump_document(doc) == committed, f"{doc.id}.md is stale: run python build.py --force"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    shutil.copytree(CONTENT, tmp_path / "content")
    return tmp_path / "content"


def test_hand_edit_survives_reingest(content: Path, registry, caplog):
    doc_file = content / "documents" / "2025-576-tb-vp.md"
    edited = doc_file.read_text(encoding="utf-8").replace("place: Hải Phòng", "place: Thành phố Hải Phòng")
    doc_file.write_text(edited, encoding="utf-8")
    assert is_hand_edited(edited)
    cfg = load_config(content, content.parent / "site")
    ingest_all(cfg, registry)
    assert doc_file.read_text(encoding="utf-8") == edited  # unchanged source: nothing to do
    source = content / "sources" / SEED_576
    source.write_text(source.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        report = ingest_all(cfg, registry)
    assert doc_file.read_text(encoding="utf-8") == edited
    assert report.kept_edits == ["2025-576-tb-vp.md"]
    assert "edited by hand" in caplog.text
    forced = load_config(content, content.parent / "site", force=True)
    ingest_all(forced, registry)
    assert "place: Hải Phòng" in doc_file.read_text(encoding="utf-8")


def test_unedited_document_is_regenerated_when_the_registry_changes(content: Path, registry):
    reg = content / "registry.yaml"
    reg.write_text(reg.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    report = ingest_all(load_config(content, content.parent / "site"), registry)
    assert len(report.written) == 4 and report.kept_edits == []


@pytest.mark.parametrize("text,reason", [
    ("no front matter", "no YAML front matter"),
    ("---\nid: [unclosed\n---\nbody", "malformed YAML"),
    ("---\nid: ../../etc/passwd\n---\n", "invalid id"),
    ("---\nid: ok-id\nissued: 2025-02-31x\n---\n", "issued"),
    ("---\nid: ok-id\nissued: '2025-02-31'\n---\n", "not a real date"),
    ("---\n- a list\n---\n", "not a mapping"),
    ("---\nid: ok-id\ntasks: [3]\n---\n", "task must be a mapping"),
])
def test_bad_document_files_are_reported_with_the_reason(tmp_path: Path, text: str, reason: str):
    path = tmp_path / "bad.md"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourceError) as err:
        load_document(path)
    assert reason in err.value.message and "bad.md" in err.value.message

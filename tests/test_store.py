"""Store round trip, hand edits kept on re-ingest, atomic writes, and the committed
content/documents matching what the parser produces today (the golden check)."""

from __future__ import annotations

import dataclasses
import logging
import shutil
from pathlib import Path
from unittest import mock

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from builder import store
from builder.config import load_config
from builder.errors import SourceError
from builder.ingestion import ingest_all, sha256, PARSER_VERSION
from builder.model import Document, Signer, Task
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


# The fast reader (ryaml) is used only on files as our dumper wrote them; it must read them
# exactly as PyYAML does, whatever the text holds.
_YAML_HOSTILE = st.lists(st.sampled_from(list("aăâđêôơưÁẠẶ0123456789 -:#'\"|>&*!%@`?,[]{}~\\\t\n\u00a0\u2028")
                                         + ["yes", "no", "null", "0x1F", "1e3", "2025-10-17", "0576", ".inf", "- ", ": ",
                                            "True", "NULL", "0o17", "+1", "1_000", ".5", "!!str ", "&a ", "*a",
                                            "---", "...", "12:30:00", "0b101", "=", "<<"]),
                         max_size=12).map("".join)


def _no_fallback(*args: object, **kwargs: object) -> None:
    raise AssertionError("the fast reader was not used: the file went to PyYAML")


@settings(max_examples=300, deadline=None)
@given(title=_YAML_HOSTILE, number=_YAML_HOSTILE, task=_YAML_HOSTILE, due=_YAML_HOSTILE, name=_YAML_HOSTILE)
def test_fast_reader_agrees_with_pyyaml_on_dumped_files(title, number, task, due, name):
    doc = Document(id="2025-1-tb-vp", type="Thông báo", title=title, number=number, signer=Signer(name=name), agencies=[name, title],
                   tasks=[Task(text=task, section="1", anchor="muc-1", due_text=due, lead=[name])], body="x")
    text = dump_document(doc)
    front = store._FRONT.match(text).group(1)
    expected = yaml.load(front, Loader=store._Loader)
    # The checksum is kept as written (PyYAML reads an all-digit one as a number; _document makes it text).
    expected["ingest"]["checksum"] = store._CHECKSUM.search(text).group(2)
    with mock.patch.object(store.yaml, "load", _no_fallback):  # compare ryaml's reading, not PyYAML's twice
        assert store._load_yaml(front, text) == expected


def test_fast_reader_reads_the_seeds_as_pyyaml_does():
    for path in sorted((CONTENT / "documents").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        front = store._FRONT.match(text).group(1)
        assert not is_hand_edited(text)
        assert store.ryaml.loads(front) == yaml.load(front, Loader=store._Loader), path.name


def test_a_hand_edited_file_is_read_by_pyyaml():
    """YAML 1.1 corners a person may write (an unquoted 0-prefixed number) read as PyYAML reads them."""
    text = (CONTENT / "documents" / "2025-576-tb-vp.md").read_text(encoding="utf-8")
    edited = text.replace("number: '576'", "number: 0576", 1)
    assert edited != text and is_hand_edited(edited)
    front = store._FRONT.match(edited).group(1)
    assert store._load_yaml(front, edited)["number"] == yaml.load(front, Loader=store._Loader)["number"] == 382


def test_fast_reader_keeps_a_checksum_that_looks_like_a_number(tmp_path: Path, monkeypatch):
    """The checksum is pasted in after dumping, unquoted: '78935124252540e7' is a float to YAML 1.2."""
    value = "78935124252540e7"
    assert isinstance(store.ryaml.loads(f"x: {value}")["x"], float)  # the case under test
    text = (CONTENT / "documents" / "2025-576-tb-vp.md").read_text(encoding="utf-8")
    text = store._CHECKSUM.sub(lambda m: m.group(1) + value, text, count=1)
    monkeypatch.setattr(store, "checksum", lambda _text: value)  # as if the file hashed to it
    monkeypatch.setattr(store.yaml, "load", _no_fallback)
    path = tmp_path / "2025-576-tb-vp.md"
    path.write_text(text, encoding="utf-8")
    assert not is_hand_edited(text)
    assert load_document(path).ingest["checksum"] == value


def test_a_task_deadline_that_is_not_a_date_is_reported(tmp_path: Path):
    text = (CONTENT / "documents" / "2025-576-tb-vp.md").read_text(encoding="utf-8")
    edited = text.replace("  due: '", "  due: 'Q4-", 1)
    assert edited != text
    path = tmp_path / "2025-576-tb-vp.md"
    path.write_text(edited, encoding="utf-8")
    with pytest.raises(SourceError, match="due 'Q4-"):
        load_document(path)


def test_a_title_line_that_reads_like_the_checksum_is_left_alone(seeds, tmp_path: Path):
    # Untrusted text: a title ending in "checksum: <hex>" that the dumper wraps just before
    # "checksum:" gives a line "  checksum: 1234567890abcdef'" inside the quoted title.
    doc = dataclasses.replace(seeds[SEED_576], title="Về việc " + "rất " * 22 + "checksum: 1234567890abcdef")
    text = dump_document(doc)
    assert "\n  checksum: 1234567890abcdef'\n" in text  # the trap is really in the file
    path = tmp_path / "x.md"
    path.write_text(text, encoding="utf-8")
    assert load_document(path).title == doc.title and not is_hand_edited(text)
    edited = text.replace("Về việc rất", "Về việc rất rất", 1)
    assert is_hand_edited(edited)

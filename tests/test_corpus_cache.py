"""The corpus load cache (base pickle + append-only delta) and the linking: a corpus loaded
through any state of the cache is the corpus a cold load gives, and the linking gives what the
plain one-entity-at-a-time algorithm it replaced gives."""

from __future__ import annotations

import hashlib
import os
import pickle
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder import corpus_cache, store
from builder.corpus import Corpus, Entity, TaskRef, _dedupe_slugs, load_corpus
from builder.corpus_cache import DocumentCache
from builder.model import Document, Reference, Signer, Task
from builder.registry import Registry
from builder.store import dump_document
from builder.text import slugify

AGENCIES = ["Sở Tài chính", "Sở Xây dựng", "Sở Nội vụ", "Sở Y tế", "Ban Quản lý dự án", "Sở Tài Chính"]
PEOPLE = ["Lê Ngọc Châu", "Lê Anh Quân", "Trần Văn Quân", "Người Chưa Biết"]


def _doc(i: int) -> Document:
    """The i-th document of a small archive with ties and corners: equal deadlines, none,
    support agencies, leaders named before or after they sign, citations (one ambiguous)."""
    a = AGENCIES
    tasks = [Task(f"Việc {i}.{k}", f"{k}", f"muc-{k}", lead=[a[(i + k) % len(a)]],
                  support=[a[(i + k + 1) % len(a)]] if k % 2 else [],
                  leader=PEOPLE[(i + k) % len(PEOPLE)] if k != 1 else None,
                  due=[None, "2025-12-31", "2025", f"2025-{1 + i % 12:02d}"][k % 4]) for k in range(4)]
    refs = [Reference(f"Thông báo số {j}/TB-VP", number=str(j), symbol="TB-VP",
                      date="2025-01-01" if j % 3 else None) for j in (i - 1, i - 2, 5) if j > 0]
    return Document(
        id=f"2025-{i}-tb-vp", type="Thông báo", title=f"Văn bản {i}", number=str(i if i != 6 else 5),
        symbol="TB-VP", issued=f"2025-{1 + i % 3:02d}-{1 + i % 5:02d}" if i % 7 else None,
        issuer="Văn phòng UBND thành phố", signer=Signer(PEOPLE[i % 3], "Phó Chủ tịch"),
        people=[PEOPLE[(i + 1) % len(PEOPLE)]], agencies=a[i % 3:i % 3 + 3], references=refs, tasks=tasks,
        body=f"# Văn bản {i}\n\nNội dung.\n")


def _write(folder: Path, i: int, title: str | None = None) -> Path:
    doc = _doc(i)
    if title:
        doc.title = title
    path = folder / f"{doc.id}.md"
    path.write_text(dump_document(doc), encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def small_base(monkeypatch) -> None:
    """20 documents make a small base: let the delta grow to 40% of it (10% at 20,000)."""
    monkeypatch.setattr(corpus_cache, "COMPACT_AT", 0.4)


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    folder = tmp_path / "documents"
    folder.mkdir()
    for i in range(1, 21):
        _write(folder, i)
    (folder / "2025-99-bad.md").write_text("no front matter\n", encoding="utf-8")
    (folder / "copy.md").write_text((folder / "2025-3-tb-vp.md").read_text(encoding="utf-8"), encoding="utf-8")
    return folder


def _signature(c: Corpus) -> object:
    """Everything a Corpus holds, by value, in order."""
    def table(t: dict[str, Entity]) -> list[object]:
        return [(k, e.name, e.slug, e.kind, e.verified, e.agency, e.person, [d.id for d in e.docs],
                 [(r.doc.id, r.task.anchor, r.role) for r in e.tasks], [d.id for d in e.signed],
                 {y: [(r.doc.id, r.task.anchor, r.role) for r in v] for y, v in sorted(e.task_years.items())},
                 [d.id for d in e.issued]) for k, e in t.items()]
    return ([repr(d) for d in c.documents], list(c.by_id), table(c.agencies), table(c.people),
            [(k, [(r, t and t.id) for r, t in v]) for k, v in c.cites.items()],
            [(k, [d.id for d in v]) for k, v in c.cited_by.items()],
            [(p.path, p.reason, p.line) for p in c.problems], c.paths, c.registry_agencies)


def _registry() -> Registry:
    from builder.model import Agency, Person
    return Registry([Agency(n, slugify(n)) for n in AGENCIES[:3]], [Person(n, slugify(n)) for n in PEOPLE[:1]])


def _same_as_cold(folder: Path, cache: Path) -> Corpus:
    warm = load_corpus(folder, _registry(), cache=cache)
    assert _signature(warm) == _signature(load_corpus(folder, _registry()))
    return warm


def _touch_later(path: Path) -> None:
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


def test_a_cold_load_writes_a_base_and_an_unchanged_archive_writes_nothing(archive: Path, tmp_path: Path):
    cache = tmp_path / "cache" / "documents.pickle"
    _same_as_cold(archive, cache)
    base = cache.read_bytes()
    assert not (tmp_path / "cache" / "documents.pickle.delta").exists()
    _same_as_cold(archive, cache)
    assert cache.read_bytes() == base and not cache.with_name("documents.pickle.delta").exists()


def test_an_added_document_goes_to_the_delta_only(archive: Path, tmp_path: Path):
    cache = tmp_path / "documents.pickle"
    load_corpus(archive, _registry(), cache=cache)
    base = cache.read_bytes()
    _write(archive, 21)
    assert "2025-21-tb-vp" in _same_as_cold(archive, cache).by_id
    delta = cache.with_name("documents.pickle.delta")
    assert cache.read_bytes() == base and 0 < delta.stat().st_size < len(base) / 4
    _write(archive, 22)
    _same_as_cold(archive, cache)
    assert len(DocumentCache.read(cache).entries) == 23  # 20 + 2 added + the copy; not the broken file
    assert cache.read_bytes() == base
    assert _signature(load_corpus(archive, _registry(), cache=cache)) == _signature(load_corpus(archive, _registry()))


def test_an_edited_document_is_reloaded_and_a_deleted_one_disappears(archive: Path, tmp_path: Path):
    cache = tmp_path / "documents.pickle"
    load_corpus(archive, _registry(), cache=cache)
    edited = _write(archive, 4, title="Văn bản đã sửa")
    _touch_later(edited)
    (archive / "2025-5-tb-vp.md").unlink()
    corpus = _same_as_cold(archive, cache)
    assert corpus.by_id["2025-4-tb-vp"].title == "Văn bản đã sửa"
    assert "2025-5-tb-vp" not in corpus.by_id
    entries = DocumentCache.read(cache).entries
    assert "2025-5-tb-vp.md" not in entries and entries["2025-4-tb-vp.md"][2].title == "Văn bản đã sửa"
    (archive / "2025-6-tb-vp.md").unlink()  # a second frame on the same delta
    assert "2025-6-tb-vp" not in _same_as_cold(archive, cache).by_id


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "foreign"])
def test_a_damaged_delta_is_ignored_and_folded_away(archive: Path, tmp_path: Path, damage: str):
    cache = tmp_path / "documents.pickle"
    load_corpus(archive, _registry(), cache=cache)
    _write(archive, 21)
    load_corpus(archive, _registry(), cache=cache)
    delta = cache.with_name("documents.pickle.delta")
    raw = delta.read_bytes()
    if damage == "truncate":
        delta.write_bytes(raw[:-7])
    elif damage == "flip":
        delta.write_bytes(raw[:40] + bytes([raw[40] ^ 1]) + raw[41:])
    elif damage == "garbage":
        delta.write_bytes(raw + b"\x00" * 30)
    else:  # a delta written for an earlier base: its entries must not apply to this one
        (archive / "2025-21-tb-vp.md").unlink()
        cache.unlink()
        load_corpus(archive, _registry(), cache=cache)
        delta.write_bytes(raw)
        stale = DocumentCache.read(cache)
        assert "2025-21-tb-vp.md" not in stale.entries and not stale.clean
    cache_before = cache.read_bytes()
    corpus = _same_as_cold(archive, cache)
    assert ("2025-21-tb-vp" in corpus.by_id) is (damage != "foreign")
    assert not delta.exists() and cache.read_bytes() != cache_before  # folded into a new base
    assert DocumentCache.read(cache).clean


def test_a_damaged_base_is_ignored(archive: Path, tmp_path: Path):
    cache = tmp_path / "documents.pickle"
    load_corpus(archive, _registry(), cache=cache)
    cache.write_bytes(cache.read_bytes()[:1000])
    _same_as_cold(archive, cache)
    assert len(DocumentCache.read(cache).entries) == 21


def test_the_delta_is_folded_into_the_base_once_it_grows(archive: Path, tmp_path: Path, monkeypatch):
    cache = tmp_path / "documents.pickle"
    load_corpus(archive, _registry(), cache=cache)
    delta = cache.with_name("documents.pickle.delta")
    _write(archive, 21)
    _same_as_cold(archive, cache)
    assert delta.exists()
    monkeypatch.setattr(corpus_cache, "COMPACT_AT", 0.0001)
    _write(archive, 22)
    _same_as_cold(archive, cache)
    assert not delta.exists()
    with open(cache, "rb") as fh:  # all in the base
        pickle.load(fh)
        assert {"2025-21-tb-vp.md", "2025-22-tb-vp.md"} <= set(pickle.load(fh))


def test_many_changes_at_once_rewrite_the_base(archive: Path, tmp_path: Path):
    cache = tmp_path / "documents.pickle"
    load_corpus(archive, _registry(), cache=cache)
    for i in range(1, 11):  # half the archive
        _touch_later(_write(archive, i, title=f"Sửa {i}"))
    _same_as_cold(archive, cache)
    assert not cache.with_name("documents.pickle.delta").exists()
    assert DocumentCache.read(cache).entries["2025-7-tb-vp.md"][2].title == "Sửa 7"


def test_equal_strings_are_one_object_in_the_base(archive: Path, tmp_path: Path):
    cache = tmp_path / "documents.pickle"
    load_corpus(archive, _registry(), cache=cache)
    entries = DocumentCache.read(cache).entries
    leads = [t.lead[0] for _, _, d in entries.values() for t in d.tasks if t.lead[0] == "Sở Tài chính"]
    assert len(leads) > 2 and all(x is leads[0] for x in leads)


def test_linking_is_what_the_plain_algorithm_gives(archive: Path):
    """Reference: each name looked up one by one, task lists sorted per entity at the end."""
    registry = _registry()
    corpus = load_corpus(archive, registry)
    plain = Corpus(corpus.documents, corpus.by_id, {}, {}, {}, defaultdict(list), corpus.problems, corpus.paths,
                   corpus.registry_agencies)
    _plain_link(plain, registry)
    assert _signature(plain) == _signature(corpus)
    assert any(e.tasks and any(r.role == "chỉ đạo" for r in e.tasks) for e in corpus.people.values())
    assert any(r.role == "phối hợp" for e in corpus.agencies.values() for r in e.tasks)


def _plain_link(corpus: Corpus, registry: Registry) -> None:
    def entity(table: dict[str, Entity], name: str, kind: str) -> Entity:
        if name not in table:
            known = registry.agencies.get(name) if kind == "agency" else registry.people.get(name)
            table[name] = Entity(name, known.slug if known else slugify(name), kind, known is not None,
                                 known if kind == "agency" else None, known if kind == "person" else None)
        return table[name]
    for doc in reversed(corpus.documents):
        for name in doc.agencies:
            entity(corpus.agencies, name, "agency").docs.append(doc)
        for name in doc.people:
            entity(corpus.people, name, "person").docs.append(doc)
        if doc.issuer:
            entity(corpus.agencies, doc.issuer, "agency").issued.append(doc)
        if doc.signer.name:
            entity(corpus.people, doc.signer.name, "person").signed.append(doc)
        for task in doc.tasks:
            for name in task.lead:
                entity(corpus.agencies, name, "agency").tasks.append(TaskRef(doc, task, "chủ trì"))
            for name in task.support:
                entity(corpus.agencies, name, "agency").tasks.append(TaskRef(doc, task, "phối hợp"))
            if task.leader and (task.leader in registry.people or task.leader in corpus.people):
                entity(corpus.people, task.leader, "person").tasks.append(TaskRef(doc, task, "chỉ đạo"))
    for table in (corpus.agencies, corpus.people):
        for e in table.values():
            for lst in (e.docs, e.signed, e.issued):
                lst.reverse()
            e.tasks.sort(key=lambda t: (t.task.due or "9999", t.doc.id))
            for ref in e.tasks:
                e.task_years.setdefault(ref.doc.year or "khong-ro", []).append(ref)
            if e.issued and not e.docs:
                e.docs = list(e.issued)
    _dedupe_slugs(corpus)
    index: dict[tuple[str, str], list[Document]] = defaultdict(list)
    for d in corpus.documents:
        if d.number and d.symbol:
            index[(str(int(d.number)), d.symbol)].append(d)
    for doc in corpus.documents:
        out = []
        for ref in doc.references:
            found = index.get((str(int(ref.number)), ref.symbol), []) if ref.number and ref.number.isdigit() else []
            found = [d for d in found if d.year == ref.date[:4]] if ref.date else found
            target = found[0] if len(found) == 1 else None
            out.append((ref, target))
            if target is not None and target is not doc and doc not in corpus.cited_by[target.id]:
                corpus.cited_by[target.id].append(doc)
        corpus.cites[doc.id] = out


# The store's fast paths, checked against the regular expressions they stand for.
_PIECES = st.sampled_from(["---", "--", "-", " ", "\t", "\n", "\r", "a", "é", ":", "  checksum: ", "ab12", "id: x",
                          "ingest:", "\ningest:\n"])


@settings(max_examples=3000, deadline=None)
@given(st.lists(_PIECES, max_size=24).map("".join), st.booleans())
def test_split_front_is_the_front_regex(text: str, opened: bool):
    text = "---\n" + text if opened else text
    m = store._FRONT.match(text)
    assert store.split_front(text) == (m.groups() if m else None)


@settings(max_examples=3000, deadline=None)
@given(st.lists(_PIECES, max_size=24).map("".join))
def test_checksum_line_is_the_checksum_regex(text: str):
    """The first checksum line inside the ingest: block, or anywhere when there is no block."""
    block = text.find("\ningest:\n")
    m, fast = store._CHECKSUM.search(text, max(block, 0)), store._checksum_line(text)
    assert (m and (m.span(), m.groups())) == (fast and (fast.span(), fast.groups()))
    blank = text if m is None else text[:m.end(1)] + text[m.end():]
    assert store.checksum(text) == hashlib.sha256(blank.encode("utf-8")).hexdigest()[:16]

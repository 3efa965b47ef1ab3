"""Property/fuzz targets shared by tests/test_fuzz.py (a few hundred examples each, in CI)
and `python tests/fuzzing.py N` (N examples per target, counts printed — see docs/reliability.md).

Each target takes generated input and must return without an exception other than the
documented SourceError, within a bounded time, and produce valid output."""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from builder.errors import SourceError  # noqa: E402
from builder.model import RawDocument  # noqa: E402
from builder.parse import parse_document  # noqa: E402
from builder.parse.references import find_references  # noqa: E402
from builder.parse.tables import split_appendices  # noqa: E402
from builder.registry import load_registry  # noqa: E402
from builder.render import markdown_html  # noqa: E402
from builder.searchterms import analyse  # noqa: E402
from builder.store import dump_document, parse_stored  # noqa: E402

REGISTRY = load_registry(ROOT / "content" / "registry.yaml")
SEED_LINES = [line for p in sorted((ROOT / "content" / "sources").glob("*.txt"))
              for line in p.read_text(encoding="utf-8").splitlines()][:3000]
PIECES = ["Số: 576/TB-VP", "Số:     /VP-TH", "V/v", "Kính gửi:", "Nơi nhận:", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH",
          "PHỤ LỤC", "STT\tNhiệm vụ\tĐơn vị chủ trì", "1.", "a)", "(1)", "- ", "¹", "ngày 31/02/2025", "**", "<b>",
          "{: #x }", "|", "---", "Giao Sở Tài chính chủ trì", "hoàn thành trước ngày 17/10/2025", "\t", "\n", "[[TABLE 1]]"]

# Text built from real document lines, structural pieces and arbitrary unicode.
documents = st.lists(st.one_of(st.sampled_from(SEED_LINES), st.sampled_from(PIECES), st.text(max_size=80)),
                     max_size=60).map("\n".join)
SETTINGS = dict(deadline=timedelta(seconds=3), suppress_health_check=list(HealthCheck), derandomize=False)


def parse_target(text: str) -> None:
    doc = parse_document(RawDocument(source=Path("fuzz.txt"), text=text), REGISTRY, "sources/fuzz.txt")
    assert doc.id and all(c.isalnum() or c == "-" for c in doc.id)
    back = parse_stored(dump_document(doc), Path("fuzz.md"))  # what is stored loads back
    assert back.id == doc.id and len(back.tasks) == len(doc.tasks)


def tables_target(text: str) -> None:
    before, appendices = split_appendices(text)
    assert text.startswith(before)
    for a in appendices:
        assert all(r.number for r in a.rows)


def references_target(text: str) -> None:
    for r in find_references(text):
        assert r.number and r.symbol and r.text


def markdown_target(text: str) -> None:
    from sitecheck import _Page

    html = markdown_html(text)
    page = _Page()
    page.feed(html)
    assert page.inline_scripts == 0 and page.handlers == []
    assert not [x for x in page.links if x.strip().lower().startswith(("javascript:", "data:", "vbscript:"))]


def store_target(text: str) -> None:
    try:
        parse_stored(text, Path("fuzz.md"))
    except SourceError as exc:
        assert "\n" not in exc.message


def search_target(text: str) -> None:
    terms = analyse(text)
    assert all(t and " " not in t for field in terms.values() for t in field)


def render_target(text: str) -> None:
    """A document whose every field is the generated text renders on every page kind, as text."""
    import tempfile
    from collections import defaultdict

    from builder.config import load_config
    from builder.corpus import Corpus, _link_entities, _link_references
    from builder.model import Document, Reference, Signer, Task
    from builder.pages import Planner
    from builder.render import Site
    from sitecheck import _Page

    words = text[:200] or "x"
    doc = Document(id="2025-1-tb-vp", type=words, title=words, number="1", symbol="TB-VP", issued="2025-01-02",
                   place=words, issuer=words, signer=Signer(words, words, words, words), presiding=words,
                   recipients=[words], people=[words], agencies=[words], unverified=[words],
                   references=[Reference(words, words, "1", "KH-UBND", "2025-01-01", words)],
                   tasks=[Task(words, words, "muc-1", [words], [words], words, "2025-02-01", words, words)],
                   source="sources/x.txt", body=text, digest="d")
    corpus = Corpus([doc], {doc.id: doc}, {}, {}, {}, defaultdict(list), [], {}, [])
    _link_entities(corpus, REGISTRY)
    _link_references(corpus)
    with tempfile.TemporaryDirectory() as tmp:
        site = Site(load_config(ROOT / "content", Path(tmp) / "site"), Path(tmp))
        site.copy_assets(ROOT / "assets")
        for page in Planner(corpus, [(words, words)]).plan():
            _, html = site.render(page.path, page.template, page.context())
            parsed = _Page()
            parsed.feed(html.decode("utf-8"))
            assert parsed.inline_scripts == 0 and parsed.handlers == []
            assert not [x for x in parsed.links if x.strip().lower().startswith(("javascript:", "data:"))]


front_matter = st.one_of(documents, st.builds(lambda a, b: f"---\n{a}\n---\n{b}", documents, documents),
                         st.builds(lambda k, v: f"---\nid: x-1\n{k}: {v}\n---\n", st.text(max_size=20), st.text(max_size=60)))
TARGETS = {
    "parse_document": (parse_target, documents),
    "split_appendices": (tables_target, documents),
    "find_references": (references_target, documents),
    "markdown_html": (markdown_target, documents),
    "load_document (front matter)": (store_target, front_matter),
    "search terms": (search_target, documents),
    "render pages": (render_target, documents),
}


def run(name: str, n: int) -> int:
    target, strategy = TARGETS[name]
    count = 0

    @settings(max_examples=n, **SETTINGS)
    @given(strategy)
    def prop(text: str) -> None:
        nonlocal count
        count += 1
        target(text)

    prop()
    return count


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    for name in TARGETS:
        print(f"{name}: {run(name, n)} inputs, no failure", flush=True)

"""Page planning: a large year of an agency is split by month without losing or repeating a
row, and a document added in one year leaves the pages of other years untouched (their keys
do not depend on archive-wide counts), so an incremental build re-renders little."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from builder import pages
from builder.build import build
from builder.config import load_config
from builder.corpus import load_corpus
from builder.pages import Planner
from builder.store import load_document
from conftest import CONTENT
from sitecheck import broken_links

ROW_LINK = re.compile(r'href="(?:\.\./)+(van-ban/[^"#]+/#[^"]+)"')


def _task_links(html: str) -> list[str]:
    return ROW_LINK.findall(html)


@pytest.fixture(scope="module")
def split_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds built with a split threshold of 5 items a year (the real one is 300)."""
    base = tmp_path_factory.mktemp("split")
    shutil.copytree(CONTENT, base / "content")
    saved, pages.SPLIT = pages.SPLIT, 5
    try:
        build(load_config(base / "content", base / "site"))
    finally:
        pages.SPLIT = saved
    return base / "site"


def _tasks_of(agency: str, year: str) -> int:
    """Tasks led or supported by `agency` in the documents of `year`, read from the stored files
    (not from the corpus or the planner under test)."""
    docs = [load_document(p) for p in (CONTENT / "documents").glob("*.md")]
    return sum(agency in t.lead or agency in t.support
               for d in docs if (d.issued or "").startswith(year) for t in d.tasks)


def test_a_large_year_is_split_by_month_with_every_row_once(built_site: Path, split_site: Path):
    # Sở Tài chính in 2025: TB 576 (October) and the CV of September, well above 5 items.
    whole = (built_site / "co-quan/so-tai-chinh/2025/index.html").read_text(encoding="utf-8")
    year = (split_site / "co-quan/so-tai-chinh/2025/index.html").read_text(encoding="utf-8")
    assert 'class="months"' in year and not _task_links(year)
    months = sorted(p.parent.name for p in (split_site / "co-quan/so-tai-chinh/2025").glob("*/index.html"))
    assert months and all(re.fullmatch(r"\d\d", m) for m in months)
    rows = [link for m in months
            for link in _task_links((split_site / f"co-quan/so-tai-chinh/2025/{m}/index.html").read_text(encoding="utf-8"))]
    assert len(rows) == _tasks_of("Sở Tài chính", "2025") and sorted(rows) == sorted(_task_links(whole))
    for m in months:  # the year page links each month page
        assert f'href="../../../co-quan/so-tai-chinh/2025/{m}/"' in year


def test_split_site_links_resolve(split_site: Path):
    assert broken_links(split_site) == []


def _keys(folder: Path) -> dict[str, str]:
    from builder.registry import load_registry
    corpus = load_corpus(folder, load_registry(CONTENT / "registry.yaml"))
    return {p.path: p.key for p in Planner(corpus, []).plan()}


def test_a_document_of_2024_leaves_the_pages_of_other_years_unchanged(tmp_path: Path):
    docs = tmp_path / "documents"
    shutil.copytree(CONTENT / "documents", docs)
    before = _keys(docs)
    text = (docs / "2024-267-bqp-ubnd.md").read_text(encoding="utf-8")  # the one 2024 document
    (docs / "2024-999-bqp-ubnd.md").write_text(text.replace("id: 2024-267-bqp-ubnd", "id: 2024-999-bqp-ubnd", 1)
                                               .replace("number: '267'", "number: '999'", 1), encoding="utf-8")
    after = _keys(docs)
    assert len(after) == len(before) + 1  # its own page
    for path, key in before.items():
        if re.search(r"/(2025|2026)/|^nhiem-vu/20(25|26)-|^nam/20(25|26)/", path):
            assert after[path] == key, path
    changed = {p for p in before if after[p] != before[p]}
    assert {"van-ban/", "nam/2024/", "co-quan/cang-hang-khong-quoc-te-cat-bi/"} <= changed

"""Untrusted content: script, event handlers, javascript: links and template syntax pushed
through every field of a document must be shown as text and never run — checked in the
built HTML and in a real browser under a strict CSP."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from browser import chromium, serve
from builder.build import build
from builder.config import load_config
from builder.model import Document, Reference, Signer, Task
from builder.store import dump_document
from conftest import CONTENT
from sitecheck import parse

PAYLOADS = [
    '<script>window.__pwned=1</script>',
    '<img src=x onerror="window.__pwned=2">',
    '<a href="javascript:window.__pwned=3">bấm</a>',
    '{{ 7*7 }}{% for x in range(3) %}X{% endfor %}',
    '"><svg onload=window.__pwned=4>',
    "';window.__pwned=5;//",
]
EVIL = " ".join(PAYLOADS)


def _hostile_document() -> Document:
    return Document(
        id="2025-999-tb-vp", type="Thông báo " + EVIL, title="Trích yếu " + EVIL, number="999", symbol="TB-VP",
        issued="2025-11-01", place=EVIL, issuer="Văn phòng Ủy ban nhân dân thành phố",
        signer=Signer(name="Nguyễn " + EVIL, position=EVIL, authority="KT", on_behalf_of=EVIL),
        presiding=EVIL, recipients=[EVIL], people=["Lê Anh Quân", EVIL], agencies=["Sở Tài chính", EVIL],
        unverified=[EVIL],
        references=[Reference(text="Quyết định số 1/QĐ-UBND " + EVIL, type="Quyết định", number="1", symbol="QĐ-UBND")],
        tasks=[Task(text="Giao Sở Tài chính " + EVIL, section="1", anchor="muc-1", lead=["Sở Tài chính", EVIL],
                    support=[EVIL], leader=EVIL, due="2025-11-30", due_text=EVIL, result=EVIL)],
        source="sources/khong-co.txt",
        body=f"## 1. Mục {EVIL} {{: #muc-1 }}\n\nĐoạn văn {EVIL}\n\n[liên kết](javascript:window.__pwned=6) "
             f"<iframe src=javascript:alert(1)></iframe>\n\n| STT | Nhiệm vụ |\n|---|---|\n| 1 | {EVIL.replace('|', '')} |\n",
    )


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("hostile")
    shutil.copytree(CONTENT, base / "content")
    (base / "content" / "documents" / "2025-999-tb-vp.md").write_text(dump_document(_hostile_document()), encoding="utf-8")
    build(load_config(base / "content", base / "site"))
    return base / "site"


def test_no_markup_from_content_survives_in_any_page(hostile_site: Path):
    pages = list(hostile_site.rglob("*.html"))
    assert len(pages) > 50
    for path in pages:
        html = path.read_text(encoding="utf-8")
        page = parse(path)
        assert page.inline_scripts == 0 and page.handlers == [], path
        assert "<script>window" not in html and "<img src=x" not in html and "<svg" not in html, path
        assert "<iframe" not in html, path
        assert not [x for x in page.links if x.strip().lower().startswith(("javascript:", "data:"))], path


def test_template_syntax_is_shown_literally(hostile_site: Path):
    html = (hostile_site / "van-ban/2025-999-tb-vp/index.html").read_text(encoding="utf-8")
    assert "{{ 7*7 }}" in html and "{% for x in range(3) %}" in html
    assert "XXX" not in html


@pytest.mark.parametrize("path", ["van-ban/2025-999-tb-vp/", "co-quan/so-tai-chinh/", "lanh-dao/le-anh-quan/",
                                  "nhiem-vu/2025-11/", "van-ban/", "", "tim-kiem/?q=pwned"])
def test_nothing_executes_in_the_browser(hostile_site: Path, path: str):
    with serve(hostile_site) as url, chromium() as browser:
        page = browser.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(url + path)
        page.wait_for_timeout(300)
        for link in page.query_selector_all("a[href^='javascript']"):
            link.click()
        assert page.evaluate("window.__pwned") is None
        assert dialogs == []
        if path.startswith("van-ban/2025"):
            assert "<script>window.__pwned=1</script>" in page.inner_text("main")

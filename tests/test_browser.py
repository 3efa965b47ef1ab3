"""In a real browser (Debian chromium via Playwright), under a strict CSP: search with and
without diacritics finds the right document; results link into the document; no errors."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest

from browser import chromium, serve

ARTIFACTS = Path(__file__).resolve().parent / "_artifacts"


@pytest.fixture(scope="module")
def site_url(built_site: Path):
    with serve(built_site) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.errors = errors
    yield page
    page.close()
    assert errors == [], errors  # CSP violations and script errors show up here


def _results(page, url: str, query: str) -> list[str]:
    page.goto(f"{url}tim-kiem/?q={quote(query)}")
    page.wait_for_selector("#search-results li.result, #search-status:has-text('Không tìm thấy')")
    return page.eval_on_selector_all("#search-results a.result-title", "els => els.map(e => e.getAttribute('href'))")


@pytest.mark.parametrize("query", ["so tai chinh", "Sở Tài chính", "576/TB-VP", "576", "SO TAI CHINH"])
def test_search_finds_576_with_and_without_diacritics(page, site_url, query):
    hrefs = _results(page, site_url, query)
    assert any("2025-576-tb-vp" in h for h in hrefs), hrefs
    assert page.input_value("#q") == query


def test_search_for_a_person_lists_his_documents_first(page, site_url):
    hrefs = _results(page, site_url, "Lê Anh Quân")
    phrase = hrefs[: 3]
    assert {h.split("/")[-2] for h in phrase} == {
        "2025-576-tb-vp", "2026-vp-th-trien-khai-thuc-hien-nghi-quyet", "2025-vp-th-trien-khai-thuc-hien-nghi-quyet"}
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "search-le-anh-quan.png"), full_page=True)


def test_typing_updates_the_url_and_keyboard_opens_a_result(page, site_url):
    page.goto(f"{site_url}van-ban/2025-576-tb-vp/")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q-top"
    page.keyboard.type("nha o xa hoi")
    page.keyboard.press("Enter")
    page.wait_for_selector("#search-results li.result")
    assert "q=nha+o+xa+hoi" in page.url or "q=nha%20o%20xa%20hoi" in page.url
    page.keyboard.press("ArrowDown")
    first = page.evaluate("document.activeElement.getAttribute('href')")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(first.replace("../", ""))


def test_result_jumps_to_the_matching_section(page, site_url):
    _results(page, site_url, "Hội chợ mùa Thu")
    jump = page.eval_on_selector("#search-results a.jump", "e => e.getAttribute('href')")
    assert "2025-576-tb-vp/#" in jump
    page.click("#search-results a.jump")
    anchor = page.url.split("#")[1]
    assert page.is_visible(f"[id='{anchor}']")


def test_no_results_is_said_plainly(page, site_url):
    assert _results(page, site_url, "zzqqxx") == []
    assert "Không tìm thấy" in page.inner_text("#search-status")


def test_pages_render_without_errors(page, site_url):
    for path in ("", "van-ban/2025-576-tb-vp/", "co-quan/so-tai-chinh/", "lanh-dao/le-anh-quan/", "nhiem-vu/",
                 "van-ban/", "co-quan/"):
        page.goto(site_url + path)
        assert page.title()

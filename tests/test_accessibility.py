"""axe-core in the browser finds no serious or critical accessibility violation on each page type."""

from __future__ import annotations

from pathlib import Path

import pytest

from browser import chromium, serve

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
PAGES = {
    "home": "", "document": "van-ban/2025-576-tb-vp/", "appendix document": "van-ban/2025-vp-th-trien-khai-thuc-hien-nghi-quyet/",
    "agency": "co-quan/so-tai-chinh/", "agency year": "co-quan/so-tai-chinh/2025/", "person": "lanh-dao/le-anh-quan/",
    "listing": "van-ban/", "year": "nam/2025/", "type": "loai/cong-van/", "agencies": "co-quan/", "tasks": "nhiem-vu/",
    "tasks month": "nhiem-vu/2025-10/", "search": "tim-kiem/?q=so+tai+chinh", "problems": "chua-xu-ly/",
}


@pytest.fixture(scope="module")
def browser_and_url(built_site: Path):
    assert AXE.is_file(), "axe-core is installed by tests/run.sh (npm, tests/package.json)"
    with serve(built_site) as url, chromium() as browser:
        yield browser, url


@pytest.mark.parametrize("kind", sorted(PAGES))
def test_no_serious_accessibility_violations(browser_and_url, kind: str):
    browser, url = browser_and_url
    context = browser.new_context(bypass_csp=True)  # only to inject the axe script itself
    page = context.new_page()
    page.goto(url + PAGES[kind])
    page.wait_for_load_state("networkidle")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
           for v in result["violations"] if v["impact"] in ("serious", "critical")]
    context.close()
    assert bad == [], bad


def test_axe_does_report_a_known_violation(browser_and_url):
    """The check above can fail: a page with an unlabelled image and input is reported."""
    browser, _ = browser_and_url
    page = browser.new_page()
    page.set_content('<html lang="vi"><body><main><img src="x.png"><input type="text"></main></body></html>')
    page.add_script_tag(path=str(AXE))
    ids = page.evaluate("axe.run(document).then(r => r.violations.map(v => v.id))")
    assert "image-alt" in ids and "label" in ids

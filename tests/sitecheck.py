"""Walk a built site: every internal link and #anchor must resolve. Used by the tests."""

from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.inline_scripts = 0
        self.handlers: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"] or "")
        for name in ("href", "src"):
            if a.get(name):
                self.links.append(a[name] or "")
        if tag == "script" and not a.get("src"):
            self.inline_scripts += 1
        self.handlers += [k for k, _ in attrs if k.startswith("on")]


def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def broken_links(site: Path) -> list[str]:
    pages = {p.relative_to(site).as_posix(): parse(p) for p in site.rglob("*.html")}
    problems = []
    for rel, page in sorted(pages.items()):
        if rel == "404.html":
            continue
        for link in page.links:
            target = _resolve(rel, link)
            if target is None:
                continue
            path, fragment = target
            if path.endswith("/") or path == "":
                path += "index.html"
            if not (site / path).is_file():
                problems.append(f"{rel}: {link} → missing {path}")
            elif fragment and path.endswith(".html") and fragment not in pages[path].ids:
                problems.append(f"{rel}: {link} → no #{fragment} in {path}")
    return problems


def _resolve(page: str, link: str) -> tuple[str, str] | None:
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or link.startswith("mailto:"):
        return None
    base = posixpath.dirname(page)
    path = unquote(parts.path)
    joined = posixpath.normpath(posixpath.join(base, path)) if path else page
    if path.endswith("/") and not joined.endswith("/"):
        joined += "/"
    if joined in (".", "./"):
        joined = ""
    return joined, unquote(parts.fragment)

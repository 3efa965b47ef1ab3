"""Render stage, shared machinery: the Jinja environment, Markdown → safe HTML, asset
fingerprinting and the in-memory site that refuses to write one path twice."""

from __future__ import annotations

import gzip
import hashlib
import os
import posixpath
import shutil
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jinja2
import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from .config import BuildConfig
from .errors import BuildError
from .text import slugify, vn_date

ALLOWED_TAGS = {"a", "p", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "strong", "em", "b", "i", "sup", "sub",
                "table", "thead", "tbody", "tr", "th", "td", "div", "hr", "br", "blockquote", "code", "pre", "span"}
ALLOWED_ATTRS = {"*": {"id", "class"}, "a": {"href", "title"}, "th": {"colspan", "rowspan"}, "td": {"colspan", "rowspan"},
                 "ol": {"start"}}


class _AppendixRowIds(Treeprocessor):
    """Give each row of an appendix task table (first column 'STT') the task's anchor, pl-<STT>
    (pl<k>-<STT> when a document has several appendices), so a task link lands on its row."""

    def run(self, root: ET.Element) -> None:
        tables = [t for t in root.iter("table") if _first_header(t) == "STT"]
        for k, table in enumerate(tables, 1):
            prefix = f"pl{k}-" if len(tables) > 1 else "pl-"
            for row in table.iter("tr"):
                cells = list(row)
                number = (cells[0].text or "").strip() if cells else ""
                if cells and cells[0].tag == "td" and re.fullmatch(r"\d{1,4}", number):
                    row.set("id", prefix + number)
            table.set("class", "bang-phu-luc")


def _first_header(table: ET.Element) -> str:
    th = next(table.iter("th"), None)
    return "".join(th.itertext()).strip().upper() if th is not None else ""


class _RowIdExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (markdown's API)
        md.treeprocessors.register(_AppendixRowIds(md), "appendix_row_ids", 5)


def markdown_html(text: str) -> str:
    """Markdown from an untrusted source → HTML: raw HTML is not interpreted (it shows as
    text), and the result is cleaned by an allow-list (nh3) as a second line of defence."""
    md = markdown.Markdown(extensions=["tables", "footnotes", "attr_list", _RowIdExtension()], output_format="html")
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    html = md.convert(text)
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRS, url_schemes={"http", "https", "mailto"},
                     link_rel=None, strip_comments=True)


class Site:
    """The pages and files of one build, written straight into a fresh folder (the build
    publishes it by swapping it in). Refuses to write one path twice or outside the folder."""

    def __init__(self, cfg: BuildConfig, folder: Path):
        self.cfg = cfg
        self.folder = folder
        self.written: set[str] = set()
        self.assets: dict[str, str] = {}  # logical name → fingerprinted path
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(cfg.templates_dir)),
            autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.filters["ngay"] = vn_date
        self.env.filters["slug"] = slugify
        self.env.filters["cap"] = lambda s: s[:1].upper() + s[1:] if s else s
        self.env.globals["site_name"] = cfg.site_name
        self.env.globals["site_owner"] = cfg.site_owner

    def _target(self, path: str) -> Path:
        path = posixpath.normpath(path).lstrip("/")
        if path.startswith("..") or not path or "\x00" in path:
            raise BuildError(f"refusing to write outside the site: {path!r}")
        if path in self.written:
            raise BuildError(f"two pages would be written to {path}")
        self.written.add(path)
        target = self.folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def add(self, path: str, data: str | bytes, gzip_copy: bool = False) -> None:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        self._target(path).write_bytes(raw)
        if gzip_copy:
            self._target(path + ".gz").write_bytes(gzip.compress(raw, compresslevel=9, mtime=0))

    def link(self, previous: Path, path: str) -> None:
        """Reuse an unchanged file of the previous build (a hard link: no copy, no rewrite)."""
        target = self._target(path)
        try:
            os.link(previous / path, target)
        except OSError:
            shutil.copyfile(previous / path, target)

    def add_asset(self, logical: str, data: bytes) -> str:
        """Store an asset under a content-hashed name (long-cacheable); return its site path."""
        stem, dot, ext = logical.rpartition(".")
        digest = hashlib.sha256(data).hexdigest()[:10]
        path = f"assets/{stem}.{digest}.{ext}" if dot else f"assets/{logical}.{digest}"
        self.add(path, data, gzip_copy=ext in TEXT_TYPES)
        self.assets[logical] = path
        return path

    def render(self, url_path: str, template: str, context: dict[str, Any]) -> tuple[str, bytes]:
        """(output path, bytes) of a template rendered at url_path ('van-ban/x/' → van-ban/x/index.html)."""
        out = url_path.rstrip("/") + "/index.html" if url_path.strip("/") else "index.html"
        root = "../" * out.count("/")
        ctx = dict(context, root=root, asset=lambda name: root + self.assets[name], here=url_path)
        return out, self.env.get_template(template).render(**ctx).encode("utf-8")

    def copy_assets(self, folder: Path) -> None:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                self.add_asset(path.relative_to(folder).as_posix(), path.read_bytes())

    def fingerprint(self) -> str:
        """Changes when templates, assets or settings change: every page is then re-rendered."""
        h = hashlib.sha256(repr(sorted(self.assets.items())).encode())
        h.update(repr((self.cfg.site_name, self.cfg.site_owner)).encode())
        for path in sorted(self.cfg.templates_dir.rglob("*")):
            if path.is_file():
                h.update(path.name.encode() + path.read_bytes())
        for code in sorted(Path(__file__).parent.rglob("*.py")):
            h.update(code.read_bytes())
        return h.hexdigest()[:20]


TEXT_TYPES = {"css", "js", "json", "svg", "txt", "html"}

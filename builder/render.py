"""Render stage, shared machinery: the Jinja environment, Markdown → safe HTML, asset
fingerprinting and the in-memory site that refuses to write one path twice."""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import os
import posixpath
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cmarkgfm
import jinja2
import nh3
from cmarkgfm import cmark

from .config import BuildConfig
from .errors import BuildError
from .fragments import link_html, task_rows
from .text import slugify, vn_date

ALLOWED_TAGS = {"a", "p", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "strong", "em", "b", "i", "sup", "sub",
                "table", "thead", "tbody", "tr", "th", "td", "div", "hr", "br", "blockquote", "code", "pre", "span",
                "section", "del"}
ALLOWED_ATTRS = {"*": {"id", "class"}, "a": {"href", "title", "aria-label"}, "th": {"colspan", "rowspan"},
                 "td": {"colspan", "rowspan"}, "ol": {"start"}}

# Markdown is rendered by cmark-gfm (C; GitHub-flavoured: tables, footnotes), about 20× faster
# than Python-Markdown — at 20,000 documents that is most of a build. The body's anchors are
# written with attribute-list syntax ("{: #muc-2-1 }" on the line after a block, at the end
# of a heading, or after the last bar of a table row: "| 12 | … | {: #pl-12 }"); cmark has no
# attributes, so they travel through it as a marker ⟪id⟫ (a row's in its first cell) and are
# put on the block's (or row's) opening tag afterwards. Only the ids the body writes are placed.
_ATTR_ROW = re.compile(r"^(\|)[ \t]*(.*\|)[ \t]*\{: #([\w-]+) \}[ \t]*$", re.M)
_ATTR_LINE = re.compile(r"\n\{: #([\w-]+) \}[ \t]*(?=\n|$)")
_ATTR_INLINE = re.compile(r"[ \t]*\{: #([\w-]+) \}[ \t]*$", re.M)
_MARK = re.compile(r"\s*\u27ea([\w-]+)\u27eb")
_OPENING = re.compile(r"<(p|h[1-6]|li|tr)>")


def markdown_html(text: str) -> str:
    """Markdown from an untrusted source → HTML. Raw HTML in the source is shown as text,
    never interpreted; the result is also cleaned by an allow-list (nh3)."""
    source = text.replace("\u27ea", "\u300a").replace("\u27eb", "\u300b").replace("<", "&lt;")
    source = _ATTR_ROW.sub(lambda m: f"{m.group(1)} \u27ea{m.group(3)}\u27eb{m.group(2)}", source)
    source = _ATTR_LINE.sub(lambda m: f" \u27ea{m.group(1)}\u27eb", source)
    source = _ATTR_INLINE.sub(lambda m: f" \u27ea{m.group(1)}\u27eb", source)
    html = cmarkgfm.github_flavored_markdown_to_html(source, options=cmark.Options.CMARK_OPT_FOOTNOTES)
    html = _place_anchors(html)
    html = html.replace('aria-label="Back to reference ', 'aria-label="Quay lại chỗ chú thích ')
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRS, url_schemes={"http", "https", "mailto"},
                     link_rel=None, strip_comments=True)


def _place_anchors(html: str) -> str:
    """Each marker ⟪id⟫ becomes the id of the last block or table row opened before it."""
    out: list[str] = []
    pos = 0
    for m in _MARK.finditer(html):
        chunk = html[pos : m.start()]
        opening = None
        for opening in _OPENING.finditer(chunk):
            pass
        if opening is None:  # the block started before the previous marker: look back in the output
            out.append(chunk)
        else:
            tag = opening.group(1)
            out.append(chunk[: opening.start()] + f'<{tag} id="{m.group(1)}">' + chunk[opening.end() :])
        pos = m.end()
    out.append(html[pos:])
    return "".join(out)


def page_file(url_path: str) -> str:
    """The file a pretty URL is served from: 'van-ban/x/' → 'van-ban/x/index.html'."""
    return url_path.rstrip("/") + "/index.html" if url_path.strip("/") else "index.html"


def gz(data: bytes) -> bytes:
    """The precompressed copy served beside a file (level 6: as small as 9 within 0.2% on the
    search files, 3× faster to make)."""
    return gzip.compress(data, compresslevel=6, mtime=0)


class Site:
    """The pages and files of one build, written into its build folder (the build publishes it
    by swapping it in). Refuses to write one path twice or outside the folder.

    The folder may start as the spare: a previously published folder, or what a failed build
    left. It is brought up to date in place: a file that is already the very file (same inode)
    it would be linked from in the published folder stays; anything else there is unlinked
    before the new file is made, never written through (unchanged files are hard links shared
    with the served folder); sweep() then removes what this build did not write, link or claim."""

    def __init__(self, cfg: BuildConfig, folder: Path):
        self.cfg = cfg
        self.folder = folder
        self.written: set[str] = set()
        self.assets: dict[str, str] = {}  # logical name → fingerprinted path
        self._have, self._dirs, links = scan(folder)  # what the folder holds before this build
        for link in links:  # a build writes no symlink; writing through one could reach the served folder
            os.unlink(folder / link)
        self._published: dict[Path, dict[str, int]] = {}  # published folder → its files' inodes
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
        self.env.globals["link"] = link_html  # hot fragments in Python: builder/fragments.py
        self.env.globals["task_rows"] = task_rows

    def _record(self, path: str) -> str:
        path = _site_path(path)
        if path in self.written:
            raise BuildError(f"two pages would be written to {path}")
        self.written.add(path)
        return path

    def add(self, path: str, data: str | bytes, gzip_copy: bool = False) -> None:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        self.write(self._record(path), raw)
        if gzip_copy:
            self.write(self._record(path + ".gz"), gz(raw))

    def write(self, path: str, data: bytes) -> str:
        """Put `data` at `path` as a new file; return the path. The only way a file is written
        (worker processes call it too, then report the paths to claim())."""
        path = _site_path(path)
        self._create(path, lambda target: _write_new(target, data))
        return path

    def link(self, previous: Path, path: str, source: str | None = None) -> None:
        """Reuse an unchanged file of the previous build (a hard link: no copy, no rewrite),
        found there at `source` (default: the same path). Nothing to do when the folder
        already holds that very file."""
        path = self._record(path)
        source = _site_path(source) if source else path
        inode = self._inodes(previous).get(source)
        if inode is None or self._have.get(path) != inode:
            self._create(path, lambda target: _hard_link(previous / source, target))

    def has(self, previous: Path, path: str) -> bool:
        """Whether the published folder `previous` holds the file `path` (from one scan)."""
        return path in self._inodes(previous)

    def _inodes(self, previous: Path) -> dict[str, int]:
        if previous not in self._published:
            self._published[previous] = scan(previous)[0]
        return self._published[previous]

    def _create(self, path: str, create: Callable[[Path], None]) -> None:
        """Make a new file at `path` with create(target): what the folder holds there is unlinked
        first, never written through (it may be shared with the served folder); creation is
        exclusive (O_EXCL, link(2)), so a file the scan did not list is caught, not overwritten."""
        target = self.folder / path
        if path in self._have:
            target.unlink(missing_ok=True)
        else:
            self.make_parent(path)
        try:
            create(target)
        except FileExistsError:  # not listed as a file: a folder, say
            _remove(target)
            create(target)

    def make_parent(self, path: str) -> None:
        """The folder of `path` exists (a file of the spare in its way is removed)."""
        parent = posixpath.dirname(path)
        if not parent or parent in self._dirs:
            return
        try:
            (self.folder / parent).mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError):  # a file of the spare is in the way
            parts = parent.split("/")
            for i in range(1, len(parts) + 1):
                above = self.folder.joinpath(*parts[:i])
                if above.is_symlink() or above.is_file():
                    # a worker process may have removed it (and made the folder) meanwhile
                    with contextlib.suppress(FileNotFoundError, IsADirectoryError):
                        above.unlink()
                    self._have.pop("/".join(parts[:i]), None)
            (self.folder / parent).mkdir(parents=True, exist_ok=True)
        self._dirs.add(parent)

    def claim(self, paths: list[str]) -> None:
        """Record files a worker process wrote into the folder (each path once)."""
        for path in paths:
            self._record(path)

    def sweep(self) -> None:
        """Remove what the folder held before this build and this build did not write, link or
        claim, and the folders left without a file: the folder is then this build's, exactly."""
        for path in self._have.keys() - self.written:
            try:
                os.unlink(self.folder / path)
            except (FileNotFoundError, IsADirectoryError, NotADirectoryError):  # gone, or a folder/file took its place
                pass
        needed: set[str] = set()
        for path in self.written:
            parent = posixpath.dirname(path)
            while parent and parent not in needed:
                needed.add(parent)
                parent = posixpath.dirname(parent)
        for folder in sorted(self._dirs - needed - self.written, key=len):  # outermost first: rmtree takes the rest
            shutil.rmtree(self.folder / folder, ignore_errors=True)

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
        out = page_file(url_path)
        root = "../" * out.count("/")
        ctx = dict(context, root=root, asset=lambda name: root + self.assets[name], here=url_path)
        return out, self.env.get_template(template).render(**ctx).encode("utf-8")

    def copy_assets(self, folder: Path) -> None:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                self.add_asset(path.relative_to(folder).as_posix(), path.read_bytes())

    def fingerprint(self) -> str:
        """Changes when templates, assets, settings or the code that makes pages change: every
        page is then re-rendered."""
        h = hashlib.sha256(repr(sorted(self.assets.items())).encode())
        h.update(repr((self.cfg.site_name, self.cfg.site_owner)).encode())
        for path in sorted(self.cfg.templates_dir.rglob("*")):
            if path.is_file():
                h.update(path.name.encode() + path.read_bytes())
        for code in page_code():
            h.update(code.read_bytes())
        return h.hexdigest()[:20]


# The ingest stage (sources → stored documents) does not shape pages: what it changes reaches
# them through the stored files, whose digests are in the page keys. So a parser upgrade
# re-renders the pages of the documents it regenerates, not the whole site.
_INGEST_CODE = {"parse", "ingest", "ingestion.py"}


def page_code() -> list[Path]:
    """The modules whose change may change a page (all of builder/ but the ingest stage)."""
    here = Path(__file__).parent
    return [p for p in sorted(here.rglob("*.py")) if p.relative_to(here).parts[0] not in _INGEST_CODE]


def _site_path(path: str) -> str:
    path = posixpath.normpath(path).lstrip("/")
    if path.startswith("..") or not path or "\x00" in path:
        raise BuildError(f"refusing to write outside the site: {path!r}")
    return path


def scan(folder: Path) -> tuple[dict[str, int], set[str], list[str]]:
    """The files (path → inode), folders and symlinks under `folder`, by one os.scandir walk:
    on Linux the entry types and DirEntry.inode() come with the listing, no stat per file."""
    files: dict[str, int] = {}
    dirs: set[str] = set()
    links: list[str] = []
    todo = [""]
    while todo:
        above = todo.pop()
        try:
            listing = os.scandir(folder / above)
        except FileNotFoundError:
            continue
        with listing:
            for entry in listing:
                path = f"{above}/{entry.name}" if above else entry.name
                if entry.is_symlink():
                    links.append(path)
                elif entry.is_dir():
                    dirs.add(path)
                    todo.append(path)
                else:
                    files[path] = entry.inode()
    return files, dirs, links


def _write_new(target: Path, data: bytes) -> None:
    with open(target, "xb") as out:  # exclusive: never opens an existing file
        out.write(data)


def _hard_link(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except (FileExistsError, FileNotFoundError):
        raise
    except OSError:  # no hard link possible (another file system, too many links): a copy
        with open(source, "rb") as src, open(target, "xb") as out:
            shutil.copyfileobj(src, out)


def _remove(target: Path) -> None:
    if target.is_dir() and not target.is_symlink():
        shutil.rmtree(target)
    else:
        target.unlink(missing_ok=True)


TEXT_TYPES = {"css", "js", "json", "svg", "txt", "html"}

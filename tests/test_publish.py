"""Publishing with two build folders: the one served and a spare that the next build renames
and brings up to date in place. The served folder is never written; the result is the same
as a clean full build whatever the spare holds; no more than two build folders remain."""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
from pathlib import Path

import pytest
from conftest import CONTENT

import builder.build
from builder.build import build
from builder.config import load_config

EDITED = "2025-576-tb-vp.md"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    shutil.copytree(CONTENT, tmp_path / "content")
    return tmp_path / "content"


def _build(content: Path, site: Path):
    return build(load_config(content, site))


def _edit(content: Path, old: str = "place: Hải Phòng", new: str = "place: TP Hải Phòng") -> None:
    doc = content / "documents" / EDITED
    text = doc.read_text(encoding="utf-8")
    assert old in text
    doc.write_text(text.replace(old, new, 1), encoding="utf-8")


def _tree(folder: Path) -> dict[str, str]:
    """Every file (sha256 of its bytes) and every folder ("dir") under `folder`."""
    tree = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        assert not path.is_symlink(), name
        tree[name] = "dir" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
    return tree


def _build_folders(base: Path) -> list[str]:
    return sorted(p.name for p in base.iterdir() if p.name.startswith(".site-") and p.name != ".site-cache")


def _full_build(content: Path, base: Path) -> dict[str, str]:
    result = _build(content, base / "full" / "site")
    assert result.rendered == result.pages
    return _tree(base / "full" / "site")


def test_the_served_folder_is_never_written(tmp_path: Path, content: Path, caplog):
    site = tmp_path / "site"
    _build(content, site)
    _build(content, site)  # the second folder: every file a hard link into the first (the spare)
    served = site.resolve()
    before = _tree(served)
    inodes = {p: p.stat().st_ino for p in served.rglob("*") if p.is_file()}
    assert any(p.stat().st_nlink > 1 for p in inodes)  # the spare shares its files with it
    _edit(content)
    caplog.set_level(logging.DEBUG, logger="builder")
    result = _build(content, site)
    assert 0 < result.rendered < result.pages
    # the spare was renamed and updated in place; the search cache still names the served folder
    assert "spare " + served.name not in caplog.text and "(spare " in caplog.text
    assert "search: 1 entries computed, index patched" in caplog.text
    assert site.resolve() != served and served.is_dir()
    assert _tree(served) == before  # same files, same bytes: nothing written through a link
    assert {p: p.stat().st_ino for p in served.rglob("*") if p.is_file()} == inodes
    assert _tree(site) == _full_build(content, tmp_path)


def _spoil(spare: Path, served: Path) -> None:
    """What a killed build, older code or a person could leave in the spare."""
    (spare / "thua.txt").write_text("không thuộc trang nào", encoding="utf-8")
    (spare / "van-ban" / "khong-co" / "sau").mkdir(parents=True)
    (spare / "van-ban" / "khong-co" / "sau" / "index.html").write_text("<p>cũ</p>", encoding="utf-8")
    page = spare / "van-ban" / "2025-576-tb-vp" / "index.html"  # modified: a new file, other bytes
    page.unlink()
    page.write_text("<p>hỏng</p>", encoding="utf-8")
    (spare / "index.html").unlink()  # missing
    (spare / "404.html").unlink()  # a folder where a file belongs
    (spare / "404.html" / "x").mkdir(parents=True)
    shutil.rmtree(spare / "nhiem-vu")  # a file where a folder belongs
    (spare / "nhiem-vu").write_text("tệp", encoding="utf-8")
    shutil.rmtree(spare / "lanh-dao")  # a symlink into the served folder
    os.symlink(served / "lanh-dao", spare / "lanh-dao")
    vb = next((spare / "tim-kiem" / "vb").glob("*.json"))  # truncated, as by a killed writer
    vb.unlink()
    vb.write_bytes(b"{")


@pytest.mark.parametrize("edit", [False, True])
def test_a_spoilt_spare_still_gives_a_clean_full_build(tmp_path: Path, content: Path, edit: bool):
    site = tmp_path / "site"
    _build(content, site)
    _build(content, site)
    served = site.resolve()
    spare = [tmp_path / n for n in _build_folders(tmp_path) if tmp_path / n != served]
    assert len(spare) == 1
    _spoil(spare[0], served)
    before = _tree(served)
    if edit:
        _edit(content)
    _build(content, site)
    assert _tree(served) == before
    assert _tree(site) == _full_build(content, tmp_path)


def test_only_two_build_folders_remain(tmp_path: Path, content: Path):
    site = tmp_path / "site"
    for i in range(3):
        _build(content, site)
        assert len(_build_folders(tmp_path)) == min(i + 1, 2)
    # leftovers of killed builds (this process's id: its earlier builds are over; a dead one)
    crashed = [tmp_path / f".site-{os.getpid()}-0badf00d", tmp_path / ".site-99999999-deadbeef"]
    for folder in crashed:
        shutil.copytree(site.resolve(), folder)
    _edit(content)
    _build(content, site)
    assert len(_build_folders(tmp_path)) == 2 and not any(f.exists() for f in crashed)
    _edit(content, "place: TP Hải Phòng", "place: Hải Phòng")
    _build(content, site)
    assert len(_build_folders(tmp_path)) == 2
    assert _tree(site) == _full_build(content, tmp_path)


def test_a_failed_build_leaves_the_site_served(tmp_path: Path, content: Path, monkeypatch):
    site = tmp_path / "site"
    _build(content, site)
    _build(content, site)
    served = site.resolve()
    before = _tree(served)

    def fail(*args, **kwargs):
        raise RuntimeError("render failed")

    _edit(content)
    with monkeypatch.context() as patch:
        patch.setattr(builder.build, "_render_pages", fail)
        with pytest.raises(RuntimeError):
            _build(content, site)
    assert site.resolve() == served and _tree(site) == before
    assert len(_build_folders(tmp_path)) == 2  # the half-updated spare is kept for the next build
    _build(content, site)
    assert len(_build_folders(tmp_path)) == 2
    assert _tree(site) == _full_build(content, tmp_path)


def test_a_real_folder_from_an_older_layout_becomes_the_spare(tmp_path: Path, content: Path):
    site = tmp_path / "www" / "site"
    _build(content, site)
    published = site.resolve()
    site.unlink()
    published.rename(site)  # the web root as a plain folder
    _edit(content)
    _build(content, site)
    assert site.is_symlink() and len(_build_folders(tmp_path / "www")) == 2
    assert _tree(site) == _full_build(content, tmp_path)


def test_a_file_where_the_result_folder_belongs(tmp_path: Path, content: Path):
    """The search stage's workers write into tim-kiem/vb/: a file there in the spare must not
    fail every later build (a failed build's folder is the next one's spare)."""
    site = tmp_path / "site"
    _build(content, site)
    _build(content, site)
    served = site.resolve()
    spare = next(tmp_path / n for n in _build_folders(tmp_path) if tmp_path / n != served)
    shutil.rmtree(spare / "tim-kiem" / "vb")
    (spare / "tim-kiem" / "vb").write_text("tệp", encoding="utf-8")
    _edit(content)
    _build(content, site)
    assert _tree(site) == _full_build(content, tmp_path)


def test_page_code_is_everything_but_the_ingest_stage():
    """A parser upgrade reaches pages only through the stored files it regenerates (their
    digests are in the page keys), so it must not re-render the whole site; any module of
    the render path must."""
    from builder.render import page_code
    names = {p.relative_to(Path(__file__).resolve().parents[1] / "builder").as_posix() for p in page_code()}
    assert {"render.py", "pages.py", "fragments.py", "corpus.py", "store.py", "search.py", "build.py"} <= names
    assert not {n for n in names if n.startswith(("parse/", "ingest/")) or n == "ingestion.py"}
    # and nothing on the render path imports the ingest stage
    for name in names - {"build.py", "cli.py", "check.py"}:
        text = (Path(__file__).resolve().parents[1] / "builder" / name).read_text(encoding="utf-8")
        assert "from .parse" not in text and "from .ingest" not in text and "from ..parse" not in text, name

"""Bad input of every kind named in the reliability issue, through a real build: each problem
is one plain line naming the file (and page or line) and the reason; the rest of the archive
is built and published; the exit status is non-zero; --strict also fails on warnings."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CONTENT, ROOT


def _pdf_bytes() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Hello")
    return bytes(pdf.output())


def _encrypted_pdf() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_encryption(owner_password="chu", user_password="mat-khau")
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Secret")
    return bytes(pdf.output())


BAD = {
    "rong.pdf": (b"", "empty"),
    "cut.pdf": (None, "truncat|damaged|cannot|unreadable"),  # filled in below: a PDF cut in half
    "random.pdf": (os.urandom(4000), "not a PDF|damaged|unreadable"),
    "khoa.pdf": (None, "password|encrypt"),
    "anh.pdf": (None, "no text layer|scan"),  # a PDF whose only page has no text
    "gia.docx": (b"This is not a Word file", "not a .docx"),
    "tcvn3.txt": ("Uû ban nh©n d©n tØnh Lµo Cai. Sè: 12/UBND-KT. C¨n cø LuËt Tæ chøc chÝnh quyÒn ".encode() * 5, "TCVN3"),
    "cp1258.txt": ("Số 12/TB-VP".encode("utf-8") + bytes([0xD0, 0xE9, 0xFF]) * 10, "not UTF-8"),
}


@pytest.fixture(scope="module")
def bad_build(tmp_path_factory):
    base = tmp_path_factory.mktemp("bad")
    content = base / "content"
    shutil.copytree(CONTENT, content)
    sources = content / "sources"
    for name, (data, _) in BAD.items():
        if data is not None:
            (sources / name).write_bytes(data)
    good = _pdf_bytes()
    (sources / "cut.pdf").write_bytes(good[: len(good) // 2])
    (sources / "khoa.pdf").write_bytes(_encrypted_pdf())
    from fpdf import FPDF

    blank = FPDF()
    blank.add_page()
    (sources / "anh.pdf").write_bytes(bytes(blank.output()))
    (sources / "utf16.txt").write_bytes((CONTENT / "sources" / "000_fca136c0df1387a6.txt")
                                        .read_text(encoding="utf-8").replace("576", "577").encode("utf-16"))
    with open(sources / "khong-lo.txt", "wb") as fh:  # a 300 MB sparse file: refused by size, never read
        fh.truncate(300 * 2**20)
    impossible = (CONTENT / "sources" / "000_fca136c0df1387a6.txt").read_text(encoding="utf-8")
    (sources / "ngay-sai.txt").write_text(impossible.replace("**576**", "578").replace("ngày **10** tháng 10", "ngày 31 tháng 02"),
                                          encoding="utf-8")
    docs = content / "documents"
    (docs / "yaml-hong.md").write_text("---\nid: yaml-hong\ntitle: [chưa đóng\n---\nNội dung\n", encoding="utf-8")
    shutil.copy(docs / "2025-576-tb-vp.md", docs / "trung-id.md")
    (docs / "thoat.md").write_text("---\nid: ../../etc/passwd\n---\n", encoding="utf-8")
    site = base / "site"
    proc = subprocess.run([sys.executable, str(ROOT / "build.py"), "--content", str(content), "--output", str(site)],
                          capture_output=True, text=True, timeout=600)
    strict = subprocess.run([sys.executable, str(ROOT / "build.py"), "--strict", "check", "--content", str(content)],
                            capture_output=True, text=True, timeout=600)
    return proc, strict, site


def _errors(proc) -> list[str]:
    return [line for line in proc.stderr.splitlines() if line.startswith("ERROR: ")]


@pytest.mark.parametrize("name", sorted(BAD) + ["khong-lo.txt"])
def test_each_bad_source_is_one_line_with_its_reason(bad_build, name):
    proc, _, _ = bad_build
    import re

    lines = [e for e in _errors(proc) if f"{name}:" in e or f"{name} (page" in e]
    assert lines, f"{name} not reported:\n{proc.stderr[-3000:]}"
    reason = BAD[name][1] if name in BAD else "too large"
    assert re.search(reason, lines[0], re.IGNORECASE), lines[0]


def test_bad_document_files_are_reported(bad_build):
    proc, _, _ = bad_build
    errors = "\n".join(_errors(proc))
    assert "yaml-hong.md:3: malformed YAML" in errors
    assert "duplicate id '2025-576-tb-vp'" in errors
    assert "thoat.md:2: invalid id '../../etc/passwd'" in errors


def test_the_rest_is_built_and_the_exit_status_says_so(bad_build):
    proc, _, site = bad_build
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert (site / "van-ban/2025-576-tb-vp/index.html").is_file()
    assert (site / "van-ban/2025-577-tb-vp/index.html").is_file()  # the UTF-16 copy was read
    listed = (site / "chua-xu-ly/index.html").read_text(encoding="utf-8")
    for name in BAD:
        assert name in listed, name
    assert not (site.parent / "etc").exists()


def test_impossible_date_is_a_warning_and_strict_fails(bad_build):
    proc, strict, site = bad_build
    warnings = [line for line in proc.stderr.splitlines() if line.startswith("WARNING: ")]
    assert any("ngay-sai.txt" in w and "impossible date" in w and "31 tháng 02" in w for w in warnings), warnings
    assert (site / "van-ban/khong-ro-nam-578-tb-vp/index.html").is_file() or any(
        p.name.endswith("578-tb-vp") for p in (site / "van-ban").iterdir())
    assert strict.returncode == 1

"""The command line as a user runs it: exit codes, one-line reasons, nothing dropped silently."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from conftest import CONTENT, ROOT, SEED_576, SOURCES


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300, env=dict(os.environ, PYTHONIOENCODING="utf-8"))


def test_parse_prints_front_matter_and_writes_nothing(tmp_path: Path):
    before = sorted(p.name for p in (CONTENT / "documents").iterdir())
    proc = run("parse", str(SOURCES / SEED_576))
    assert proc.returncode == 0, proc.stderr
    docs = list(yaml.safe_load_all(proc.stdout))
    docs = [d for d in docs if d]
    assert len(docs) == 1 and docs[0]["id"] == "2025-576-tb-vp" and docs[0]["symbol"] == "TB-VP"
    assert sorted(p.name for p in (CONTENT / "documents").iterdir()) == before


def test_parse_reports_unreadable_files_in_one_line_each(tmp_path: Path):
    junk = tmp_path / "hong.pdf"
    junk.write_bytes(os.urandom(2048))
    empty = tmp_path / "rong.txt"
    empty.write_bytes(b"")
    proc = run("parse", str(junk), str(SOURCES / SEED_576), str(empty))
    assert proc.returncode == 1
    errors = [line for line in proc.stderr.splitlines() if line.startswith("ERROR")]
    assert len(errors) == 2 and "hong.pdf" in errors[0] and "rong.txt: empty file" in errors[1]
    assert "Traceback" not in proc.stderr
    assert "2025-576-tb-vp" in proc.stdout  # the good file in between is still printed


def test_build_with_a_bad_source_publishes_the_rest_and_exits_1(tmp_path: Path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    (content / "sources" / "scan.pdf").write_bytes(b"%PDF-1.4\n" + os.urandom(500))
    (content / "sources" / "cp1258.txt").write_bytes("Số: 12/TB-VP ".encode("utf-8") + b"\xd0\xe9\xff")
    site = tmp_path / "site"
    proc = run("build", "--content", str(content), "--output", str(site))
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "scan.pdf" in proc.stderr and "cp1258.txt" in proc.stderr and "not UTF-8" in proc.stderr
    assert (site / "van-ban/2025-576-tb-vp/index.html").is_file()
    problems = (site / "chua-xu-ly/index.html").read_text(encoding="utf-8")
    assert "scan.pdf" in problems and "cp1258.txt" in problems
    assert (site / "nguon/scan.pdf").is_file()  # the source is kept and linked


def test_failed_build_keeps_the_previous_site(tmp_path: Path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    site = tmp_path / "site"
    assert run("build", "--content", str(content), "--output", str(site)).returncode == 0
    before = (site / "index.html").read_bytes()
    (content / "registry.yaml").write_text("agencies: [{name: ''}]\n", encoding="utf-8")
    proc = run("build", "--content", str(content), "--output", str(site))
    assert proc.returncode == 2 and "previous site kept" in proc.stderr and "Traceback" not in proc.stderr
    assert (site / "index.html").read_bytes() == before


def test_strict_fails_on_warnings(tmp_path: Path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    doc = content / "documents" / "2025-576-tb-vp.md"
    doc.rename(content / "documents" / "ten-khac.md")  # id no longer matches the file name: a warning
    site = tmp_path / "site"
    assert run("build", "--content", str(content), "--output", str(site)).returncode == 0
    proc = run("build", "--strict", "--content", str(content), "--output", str(site))
    assert proc.returncode == 1 and "--strict" in proc.stderr


def test_check_reports_duplicate_ids(tmp_path: Path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    shutil.copy(content / "documents" / "2025-576-tb-vp.md", content / "documents" / "2025-576-tb-vp-ban-sao.md")
    proc = run("check", "--content", str(content))
    assert proc.returncode == 1
    line = next(x for x in proc.stderr.splitlines() if "duplicate id '2025-576-tb-vp'" in x)
    assert line.startswith("ERROR: ") and "2025-576-tb-vp-ban-sao.md" in line and "2025-576-tb-vp.md" in line


def test_check_reports_file_line_reason_for_each_problem(tmp_path: Path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    doc = content / "documents" / "2025-576-tb-vp.md"
    text = doc.read_text(encoding="utf-8")
    doc.write_text(text.replace("anchor: muc-4-2-3-b\n", "anchor: muc-9-9-9\n", 1), encoding="utf-8")
    (content / "sources" / "hong.docx").write_bytes(b"not a zip at all")
    bad_yaml = content / "documents" / "loi.md"
    bad_yaml.write_text("---\nid: loi\ntitle: [chưa đóng\n---\nNội dung\n", encoding="utf-8")
    proc = run("check", "--content", str(content))
    assert proc.returncode == 1
    errors = [line for line in proc.stderr.splitlines() if line.startswith("ERROR")]
    assert any(e.startswith("ERROR: 2025-576-tb-vp.md:") and "#muc-9-9-9" in e for e in errors), errors
    assert any("hong.docx" in e for e in errors), errors
    assert any("loi.md:3: malformed YAML" in e for e in errors), errors
    assert "Traceback" not in proc.stderr

"""Build benchmark: prints JSON figures for our build and for MkDocs on the same Markdown.

    python bench/run.py [--n 20000] [--seed 1] [--skip-mkdocs]

Figures (wall-clock seconds; CPU seconds of all processes, steadier on a shared machine; peak
RSS in MB of the largest process; sizes in MB):
full build from stored YAML+Markdown with empty caches; rebuild with nothing changed;
rebuild after adding one document dated on the archive's latest day (the usual case) and one
dated in the middle (back-filled: every later search ordinal moves); after editing one; output size; MkDocs
(pip install mkdocs) building the same documents with its built-in search, and the ratio.
The archive is generated once per (n, seed) under bench/out/ (see bench/generate.py).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from bench.generate import generate  # noqa: E402


def measure(cmd: list[str], cwd: Path | None = None, ok: tuple[int, ...] = (0,),
            stdout: IO[bytes] | int = subprocess.DEVNULL) -> dict[str, float]:
    """Run a command: wall seconds, CPU seconds and peak RSS (MB) of the command and every
    process it waited for (wait4 reports the child's usage with its reaped children's)."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=stdout, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode not in ok:
            err.seek(0)
            tail = err.read().decode("utf-8", "replace")[-2000:]
            raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{tail}")
    return {"seconds": round(seconds, 2), "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
            "rss_mb": round(usage.ru_maxrss / 1024)}


def du_mb(path: Path) -> float:
    return round(sum(p.stat().st_size for p in path.resolve().rglob("*") if p.is_file()) / 1e6, 1)


def _issued(path: Path) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("issued: "):
            return line.split(": ", 1)[1].strip("'\"")
    return ""


def _copy_as(doc: Path, new_id: str) -> Path:
    """A new document: a copy of `doc` under another id and number (same date)."""
    text = doc.read_text(encoding="utf-8").replace(f"id: {doc.stem}", f"id: {new_id}", 1)
    text = re.sub(r"^number: .*$", "number: '99999'", text, count=1, flags=re.M)
    added = doc.parent / f"{new_id}.md"
    added.write_text(text, encoding="utf-8")
    return added


def ours(work: Path) -> dict[str, object]:
    content, site = work / "content", work / "site"
    for old in work.glob(".site*"):
        shutil.rmtree(old, ignore_errors=True)
    site.unlink(missing_ok=True)
    cmd = [sys.executable, str(ROOT / "build.py"), "--content", str(content), "--output", str(site), "-q"]
    out: dict[str, object] = {"full_build": measure(cmd)}
    out["rebuild_unchanged"] = measure(cmd)
    docs = sorted((content / "documents").glob("*.md"))
    newest = max(docs, key=lambda p: (_issued(p), p.stem))
    # The usual addition: a document of the archive's latest day (it takes the next ordinal).
    added = _copy_as(newest, f"{_issued(newest)[:4]}-99999-tb-vp")
    out["rebuild_add_newest"] = measure(cmd)
    added.unlink()
    measure(cmd)
    # A back-filled one: dated in the middle of the archive (every later ordinal moves).
    middle = docs[len(docs) // 2]
    added = _copy_as(middle, f"{_issued(middle)[:4]}-99999-tb-vp")
    out["rebuild_add_backdated"] = measure(cmd)
    edited = docs[len(docs) // 3]
    edited.write_text(edited.read_text(encoding="utf-8").replace("title: ", "title: (sửa) ", 1), encoding="utf-8")
    out["rebuild_edit_one"] = measure(cmd)
    added.unlink()
    edited.write_text(edited.read_text(encoding="utf-8").replace("title: (sửa) ", "title: ", 1), encoding="utf-8")
    out["output_mb"] = du_mb(site)
    out["files"] = sum(1 for p in site.resolve().rglob("*") if p.is_file())
    return out


def mkdocs(work: Path) -> dict[str, object]:
    if shutil.which("mkdocs") is None:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "mkdocs"], check=True)
    project = work / "mkdocs"
    if project.exists():
        shutil.rmtree(project)
    shutil.copytree(work / "content" / "documents", project / "docs")
    (project / "mkdocs.yml").write_text("site_name: Kho van ban\nplugins: [search]\n", encoding="utf-8")
    figures = measure(["mkdocs", "build", "-q", "-d", str(project / "site")], cwd=project)
    return {"full_build": figures, "output_mb": du_mb(project / "site")}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--n", type=int, default=20000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--skip-mkdocs", action="store_true")
    args = p.parse_args()
    work = HERE / "out" / f"n{args.n}-s{args.seed}"
    if not (work / "content" / "documents").is_dir():
        t = time.perf_counter()
        generate(args.n, work, args.seed)
        print(f"generated {args.n} documents in {time.perf_counter() - t:.0f} s", file=sys.stderr)
    result: dict[str, object] = {"documents": args.n, "seed": args.seed, "ours": ours(work)}
    if not args.skip_mkdocs:
        result["mkdocs"] = peer = mkdocs(work)
        full = result["ours"]["full_build"]["seconds"]  # type: ignore[index]
        result["mkdocs_over_ours_full_build"] = round(peer["full_build"]["seconds"] / full, 2)  # type: ignore[index]
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()

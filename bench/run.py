"""Build benchmark: prints JSON figures for our build and for MkDocs on the same Markdown.

    python bench/run.py [--n 20000] [--seed 1] [--skip-mkdocs]

Figures (wall-clock seconds, peak RSS in MB of the largest process, sizes in MB):
full build from stored YAML+Markdown with empty caches; rebuild with nothing changed;
rebuild after adding one document; rebuild after editing one; output size; MkDocs
(pip install mkdocs) building the same documents with its built-in search, and the ratio.
The archive is generated once per (n, seed) under bench/out/ (see bench/generate.py).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from bench.generate import generate  # noqa: E402

# Runs a command and reports its wall time and its children's peak RSS (ru_maxrss, KB).
_MEASURE = (
    "import resource, subprocess, sys, time, json\n"
    "t = time.perf_counter(); rc = subprocess.run(sys.argv[1:]).returncode\n"
    "print(json.dumps({'rc': rc, 'seconds': time.perf_counter() - t,\n"
    "  'rss_mb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}), file=sys.stderr)\n"
)


def measure(cmd: list[str], cwd: Path | None = None) -> dict[str, float]:
    proc = subprocess.run([sys.executable, "-c", _MEASURE, *cmd], cwd=cwd, capture_output=True, text=True)
    figures = json.loads(proc.stderr.strip().splitlines()[-1])
    if figures["rc"] not in (0,):
        raise SystemExit(f"{' '.join(cmd)} failed ({figures['rc']}):\n{proc.stderr[-2000:]}")
    return {"seconds": round(figures["seconds"], 2), "rss_mb": round(figures["rss_mb"])}


def du_mb(path: Path) -> float:
    return round(sum(p.stat().st_size for p in path.resolve().rglob("*") if p.is_file()) / 1e6, 1)


def ours(work: Path) -> dict[str, object]:
    content, site = work / "content", work / "site"
    for old in work.glob(".site*"):
        shutil.rmtree(old, ignore_errors=True)
    site.unlink(missing_ok=True)
    cmd = [sys.executable, str(ROOT / "build.py"), "--content", str(content), "--output", str(site), "-q"]
    out: dict[str, object] = {"full_build": measure(cmd)}
    out["rebuild_unchanged"] = measure(cmd)
    docs = sorted((content / "documents").glob("*.md"))
    added = content / "documents" / "2099-1-tb-vp.md"
    added.write_text(docs[len(docs) // 2].read_text(encoding="utf-8")
                     .replace(f"id: {docs[len(docs) // 2].stem}", "id: 2099-1-tb-vp", 1), encoding="utf-8")
    out["rebuild_add_one"] = measure(cmd)
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

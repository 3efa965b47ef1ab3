"""Search benchmark: our term-sharded index against Pagefind 1.5 on the same generated site.

    python bench/search_bench.py [--n 20000] [--work /tmp/search-bench] [--runs 3] [--no-pagefind]
                                 [--server python|nginx]

1. Generates N documents (bench/generate.py, reused when present) and builds our site.
2. Index build: document entries, then the index from the entries — time and peak memory
   (each in its own process). Pagefind indexes the document pages of the same site.
3. Serves the site from a local server that sends gzip (the build's precompressed .gz, or
   compressed on the fly like nginx's gzip) and counts every byte it sends (or, with
   --server nginx, from nginx configured as docs/deploy.md says, counting from its log). Headless
   Chromium opens a cold page (new context, empty cache) per query: bytes fetched and time
   from navigation start to results on screen (titles, metadata and snippets), median of runs.
4. Recall@5 of both engines on tests/fixtures/judged_queries.yaml over the seed site, as
   written and without diacritics.
Prints one JSON object; bench/README.md records the figures.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import pickle
import shutil
import socket
import statistics
import subprocess
import sys
import urllib.request
import multiprocessing
import multiprocessing.context
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator
from urllib.parse import quote, unquote, urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.generate import generate  # noqa: E402
from bench.run import measure  # noqa: E402

QUERIES = ["ủy ban nhân dân", "quyết định", "576/TB-VP", "so tai chinh", "Lê Anh Quân", "17/10/2025",
           "nhà ở xã hội", "dau tu cong"]
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
PF_PAGE = """<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Pagefind</title>
<script type="module" src="bench.js"></script></head><body><ol id="r"></ol></body></html>"""
PF_SCRIPT = """const q = new URLSearchParams(location.search).get("q");
const pf = await import("/pagefind/pagefind.js");
const search = await pf.search(q);
const data = await Promise.all(search.results.slice(0, 10).map((r) => r.data()));
const list = document.getElementById("r");
for (const d of data) {
  const li = document.createElement("li");
  li.innerHTML = "<a href='" + d.url + "'>" + (d.meta.title || d.url) + "</a><p>" + d.excerpt + "</p>";
  list.appendChild(li);
}
performance.mark("search-results");
document.body.dataset.urls = JSON.stringify(data.map((d) => d.url));
document.body.dataset.done = "1";
"""


def phase_entries(content: Path, out: Path) -> None:
    """(Child process) read the stored documents and compute their search entries."""
    from builder.corpus import load_corpus
    from builder.registry import load_registry
    from builder.search import document_entry

    corpus = load_corpus(content / "documents", load_registry(content / "registry.yaml"))
    start = time.perf_counter()
    entries = []
    for doc in corpus.documents:
        corpus.body(doc)
        entries.append(document_entry(doc))
    seconds = time.perf_counter() - start
    with out.open("wb") as f:
        pickle.dump(entries, f, protocol=pickle.HIGHEST_PROTOCOL)
    print(json.dumps({"entries_seconds": round(seconds, 2), "documents": len(entries)}))


def phase_index(entries_file: Path) -> None:
    """(Child process) build every search file from the entries."""
    from builder.search import index_files

    with entries_file.open("rb") as f:
        entries = pickle.load(f)
    start = time.perf_counter()
    files = index_files(entries)
    seconds = time.perf_counter() - start
    shards = [len(v) for k, v in files.items() if k.startswith("tim-kiem/t/")]
    print(json.dumps({"index_seconds": round(seconds, 2), "files": len(files),
                      "shard_mb": round(sum(shards) / 1e6, 1), "largest_shard_kb": round(max(shards) / 1024)}))


def child(args: list[str]) -> dict[str, float]:
    """Run a phase of this script in its own process: the figures it prints, and its peak RSS."""
    with tempfile.TemporaryFile() as out:
        figures = measure([sys.executable, __file__, *args], stdout=out)
        out.seek(0)
        return {**json.loads(out.read()), "rss_mb": figures["rss_mb"]}


def build_site(content: Path, site: Path) -> dict[str, float]:
    """Exit status 1 (a source could not be used, the rest is published) still measures a build."""
    return measure([sys.executable, str(ROOT / "build.py"), "--content", str(content), "--output", str(site), "-q"],
                   ok=(0, 1))


def pagefind(site: Path) -> dict[str, float]:
    shutil.rmtree(site / "pagefind", ignore_errors=True)
    figures = measure([sys.executable, "-m", "pagefind", "--site", str(site), "--glob", "van-ban/*/index.html",
                       "--silent"], ok=(0, 1))
    (site / "pf-bench").mkdir(exist_ok=True)
    (site / "pf-bench" / "index.html").write_text(PF_PAGE, encoding="utf-8")
    (site / "pf-bench" / "bench.js").write_text(PF_SCRIPT, encoding="utf-8")
    size = sum(p.stat().st_size for p in (site / "pagefind").rglob("*") if p.is_file())
    return {**figures, "index_mb": round(size / 1e6, 1)}


class CountingServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, folder: Path, counters: Counters):
        super().__init__(("127.0.0.1", 0), functools.partial(_Handler, directory=str(folder)))
        self.folder = folder
        self.counters = counters
        self.cache: dict[Path, tuple[bytes, bool]] = {}

    def body(self, path: Path) -> tuple[bytes, bool]:
        """The bytes to send and whether they are gzip-encoded (kept in memory once read)."""
        if path not in self.cache:
            self.cache[path] = self._encode(path)
        return self.cache[path]

    @staticmethod
    def _encode(path: Path) -> tuple[bytes, bool]:
        if path.with_name(path.name + ".gz").is_file():
            return path.with_name(path.name + ".gz").read_bytes(), True
        raw = path.read_bytes()
        if raw[:2] == b"\x1f\x8b" or path.suffix in (".png", ".jpg", ".pdf", ".woff2", ".docx"):
            return raw, False  # already compressed (Pagefind's chunks gzip themselves)
        return gzip.compress(raw, compresslevel=6, mtime=0), True


class _Counter:
    def __init__(self, out: object, server: CountingServer):
        self.out, self.server = out, server

    def write(self, data: bytes) -> int:
        self.server.counters.add(len(data), 0)
        return self.out.write(data)  # type: ignore[attr-defined]

    def __getattr__(self, name: str) -> object:
        return getattr(self.out, name)


class _Handler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms delayed-ACK stall
    server: CountingServer

    def setup(self) -> None:
        super().setup()
        self.wfile = _Counter(self.wfile, self.server)  # type: ignore[assignment]

    def do_GET(self) -> None:  # noqa: N802 (http.server's API)
        rel = unquote(urlparse(self.path).path).lstrip("/")
        path = (self.server.folder / rel).resolve()
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file() or ".." in rel:
            self.send_error(404)
            return
        data, zipped = self.server.body(path)
        self.server.counters.add(0, 1)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Length", str(len(data)))
        if zipped:
            self.send_header("Content-Encoding", "gzip")
        if not rel.startswith(("pf-bench", "pagefind")):
            self.send_header("Content-Security-Policy", CSP)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


class Counters:
    """Bytes sent and requests served, shared between the server process and the bench."""

    def __init__(self, ctx: multiprocessing.context.BaseContext):
        self.sent = ctx.Value("q", 0)
        self.requests = ctx.Value("q", 0)

    def add(self, sent: int, requests: int) -> None:
        with self.sent.get_lock():
            self.sent.value += sent
            self.requests.value += requests

    def take(self) -> tuple[int, int]:
        """The counts so far, and start again from zero."""
        with self.sent.get_lock():
            out = (self.sent.value, self.requests.value)
            self.sent.value = self.requests.value = 0
        return out


def _serve(folder: Path, counters: Counters, ports: multiprocessing.Queue) -> None:
    server = CountingServer(folder, counters)
    ports.put(server.server_address[1])
    server.serve_forever()


@contextmanager
def serving(folder: Path, server: str = "python") -> Iterator[tuple[str, Counters | LogCounters]]:
    """A server in its own process (the browser driver in this one would starve its threads):
    ours in Python, or nginx with docs/deploy.md's configuration."""
    if server == "nginx":
        with nginx(folder) as served:
            yield served
        return
    ctx = multiprocessing.get_context("fork")
    counters, ports = Counters(ctx), ctx.Queue()
    proc = ctx.Process(target=_serve, args=(folder, counters, ports), daemon=True)
    proc.start()
    try:
        yield f"http://127.0.0.1:{ports.get(timeout=30)}/", counters
    finally:
        proc.terminate()
        proc.join()


# docs/deploy.md's server block (pretty URLs, gzip_static for assets and the search index,
# gzip on the fly for pages, the strict CSP), on a local port; Pagefind's pages without the
# CSP (it needs WebAssembly): the headers are set per location, as a location with none
# would inherit the server's. $bytes_sent counts headers and body, as CountingServer does
# (requests answered 404 count too; the site has none).
NGINX_CONF = """worker_processes auto;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
daemon off;
events {{ worker_connections 512; }}
http {{
  include /etc/nginx/mime.types;
  log_format sent '$bytes_sent';
  access_log {tmp}/sent.log sent;
  client_body_temp_path {tmp}/body;
  sendfile on;
  tcp_nodelay on;
  keepalive_timeout 65;
  server {{
    listen 127.0.0.1:{port};
    root {root};
    charset utf-8;
    index index.html;
    location / {{ try_files $uri $uri/ =404; {headers} }}
    error_page 404 /404.html;
    location /assets/ {{ gzip_static on; {headers} }}
    location /tim-kiem/ {{ gzip_static on; {headers} }}
    location /pf-bench/ {{ try_files $uri $uri/ =404; }}
    location /pagefind/ {{ }}
    gzip on;
    gzip_types text/html text/css application/javascript application/json image/svg+xml;
  }}
}}
"""
HEADERS = (f'add_header Content-Security-Policy "{CSP}" always; add_header X-Content-Type-Options "nosniff" always; '
           'add_header Referrer-Policy "same-origin" always; add_header Cache-Control "no-cache";')


class LogCounters:
    """Bytes sent and requests served, read from nginx's access log ('$bytes_sent' per line)."""

    def __init__(self, log: Path):
        self.log, self.pos = log, 0

    def take(self) -> tuple[int, int]:
        time.sleep(0.05)  # nginx logs a request once its response is out: let the last line land
        with open(self.log, "rb") as fh:
            fh.seek(self.pos)
            lines = fh.read().splitlines()
            self.pos = fh.tell()
        return sum(int(x) for x in lines if x.strip()), len(lines)


@contextmanager
def nginx(folder: Path) -> Iterator[tuple[str, LogCounters]]:
    """nginx (Debian's package: apt-get install nginx) serving `folder` on a free local port."""
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    with tempfile.TemporaryDirectory() as tmp:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        conf = Path(tmp) / "nginx.conf"
        conf.write_text(NGINX_CONF.format(tmp=tmp, port=port, root=folder.resolve(), headers=HEADERS))
        (Path(tmp) / "sent.log").touch()
        proc = subprocess.Popen([binary, "-p", tmp, "-c", str(conf)], stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}/"
        try:
            _wait_ready(base, proc, Path(tmp) / "error.log")
            yield base, LogCounters(Path(tmp) / "sent.log")
        finally:
            proc.terminate()
            proc.wait()


def _wait_ready(base: str, proc: subprocess.Popen, errors: Path) -> None:
    """Until nginx serves the site's home page (a 404 — say, a folder its workers cannot
    read — or an exit stops the benchmark, with nginx's error log)."""
    for _ in range(100):
        try:
            urllib.request.urlopen(base, timeout=1).read()
            return
        except OSError as exc:
            if proc.poll() is not None or getattr(exc, "code", None):
                break
            time.sleep(0.05)
    log = errors.read_text(errors="replace")[-2000:] if errors.exists() else ""
    raise SystemExit(f"nginx does not serve {base}: {log}")


# Waits in the page for the results without Playwright's wait_for_selector: that injects
# Playwright's selector engine (about 25 ms of script on the page's main thread) while the
# page is still working, which a user's browser does not run. A MutationObserver costs ~1 ms.
WAIT_FOR = """selector => new Promise((resolve, reject) => {
  setTimeout(() => reject(new Error("no results after 120 s: " + selector)), 120000);
  if (document.querySelector(selector)) return resolve();
  new MutationObserver((_, o) => { if (document.querySelector(selector)) { o.disconnect(); resolve(); } })
    .observe(document, {subtree: true, childList: true, attributes: true});
})"""


def cold_query(browser: object, counters: Counters | LogCounters, url: str, done: str) -> dict[str, float]:
    """One query on a cold page: bytes sent, requests, ms from navigation start to results."""
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    counters.take()
    page.goto(url)
    page.evaluate(WAIT_FOR, done)
    marks = page.evaluate("Object.fromEntries(performance.getEntriesByType('mark').map(m => [m.name, m.startTime]))")
    page.wait_for_load_state("networkidle")
    sent, requests = counters.take()
    context.close()
    if errors:
        raise SystemExit(f"{url}: {errors}")
    return {"kb": sent / 1024, "requests": requests, "results_ms": marks.get("search-results", float("nan"))}


ENGINES = {"ours": ("tim-kiem/?q={q}", "#search-results[data-state=done]"),
           "pagefind": ("pf-bench/?q={q}", "body[data-done='1']")}


def latency(site: Path, engines: list[str], runs: int,
            server: str = "python") -> dict[str, dict[str, dict[str, float]]]:
    from playwright.sync_api import sync_playwright

    out: dict[str, dict[str, dict[str, float]]] = {e: {} for e in engines}
    with serving(site, server) as (base, counters), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=FLAGS)
        for q in QUERIES:
            for engine in engines:
                path, done = ENGINES[engine]
                url = base + path.format(q=quote(q))
                cold_query(browser, counters, url, done)  # warm the server's gzip cache, not the browser's
                samples = [cold_query(browser, counters, url, done) for _ in range(runs)]
                out[engine][q] = {k: round(statistics.median(s[k] for s in samples), 1) for k in samples[0]}
        browser.close()
    return out


def recall(site: Path, engines: list[str]) -> dict[str, dict[str, object]]:
    """Recall@5 on the judged queries, as written and without diacritics."""
    import yaml
    from playwright.sync_api import sync_playwright

    from builder.text import fold

    judged = yaml.safe_load((ROOT / "tests/fixtures/judged_queries.yaml").read_text(encoding="utf-8"))
    out: dict[str, dict[str, object]] = {}
    with serving(site) as (base, _), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=FLAGS)
        page = browser.new_page()
        for engine in engines:
            found = {"as_written": 0, "without_diacritics": 0}
            missed: list[str] = []
            for item in judged:
                for form, q in (("as_written", item["q"]), ("without_diacritics", fold(item["q"]))):
                    top = _top5(page, base, engine, q)
                    ok = all(doc in top for doc in item["expect"])
                    found[form] += ok
                    missed += [] if ok else [q]
            out[engine] = {k: round(v / len(judged), 3) for k, v in found.items()}
            out[engine]["queries"] = len(judged)
            out[engine]["missed"] = missed
        browser.close()
    return out


def _top5(page: object, base: str, engine: str, q: str) -> list[str]:
    path, done = ENGINES[engine]
    page.goto(base + path.format(q=quote(q)))  # type: ignore[attr-defined]
    page.wait_for_selector(done, state="attached")  # type: ignore[attr-defined]
    if engine == "ours":
        urls = page.eval_on_selector_all("#search-results a.result-title", "els => els.map(e => e.href)")  # type: ignore[attr-defined]
    else:
        urls = json.loads(page.evaluate("document.body.dataset.urls"))  # type: ignore[attr-defined]
    return [u.rstrip("/").split("/")[-1] for u in urls[:5]]


def seed_site(work: Path) -> Path:
    shutil.rmtree(work / "seed", ignore_errors=True)
    shutil.copytree(ROOT / "content", work / "seed" / "content")
    build_site(work / "seed" / "content", work / "seed" / "site")
    return (work / "seed" / "site").resolve()


def archive(work: Path, n: int) -> Path:
    folder = work / f"g{n}"
    content = folder / "content"
    if not (content / "documents").is_dir() or len(list((content / "documents").glob("*.md"))) != n:
        generate(n, folder)
    return content


def summary(engines: dict[str, dict[str, dict[str, float]]]) -> dict[str, dict[str, float]]:
    return {e: {"max_kb": round(max(v["kb"] for v in qs.values()), 1),
                "max_results_ms": round(max(v["results_ms"] for v in qs.values()), 1)} for e, qs in engines.items()}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--n", type=int, default=20000)
    p.add_argument("--work", type=Path, default=Path("/tmp/search-bench"))
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--no-pagefind", action="store_true")
    p.add_argument("--server", choices=["python", "nginx"], default="python",
                   help="serve with our counting server, or with nginx and docs/deploy.md's configuration")
    args = p.parse_args()
    engines = ["ours"] if args.no_pagefind else ["ours", "pagefind"]
    args.work.mkdir(parents=True, exist_ok=True)
    content = archive(args.work, args.n)
    site = args.work / f"g{args.n}" / "site"
    fig: dict[str, object] = {"documents": args.n, "queries": QUERIES, "load_average_at_start": os.getloadavg()}
    fig["site_build"] = build_site(content, site)
    fig["index_build"] = {"entries": child(["--entries", str(content), str(args.work / "entries.pickle")]),
                          "index": child(["--index", str(args.work / "entries.pickle")])}
    if "pagefind" in engines:
        fig["pagefind_build"] = pagefind(site.resolve())
    fig["server"] = args.server
    fig["cold_query"] = latency(site.resolve(), engines, args.runs, args.server)
    fig["cold_query_worst"] = summary(fig["cold_query"])  # type: ignore[arg-type]
    seed = seed_site(args.work)
    if "pagefind" in engines:
        pagefind(seed)
    fig["recall_at_5_seed"] = recall(seed, engines)
    fig["load_average_at_end"] = os.getloadavg()
    print(json.dumps(fig, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--entries"]:
        phase_entries(Path(sys.argv[2]), Path(sys.argv[3]))
    elif sys.argv[1:2] == ["--index"]:
        phase_index(Path(sys.argv[2]))
    else:
        main()

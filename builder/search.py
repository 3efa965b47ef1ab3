"""Search stage: a term-partitioned index that the browser reads piece by piece, so what a
query fetches grows with the query, not with the archive.

Files (all under tim-kiem/; read by assets/js/search.js and query.js):

- chi-muc.json        manifest: document count, shard count, ordinal ranges per year, the
                      types, agencies and people for the filters (names and counts);
  chi-muc.js          the same as a script (self.VIS_MANIFEST = …) that the page loads.
- t/<hex>.bin         term shards (format in builder/search_format.py): every key whose
                      crc32 falls in the shard, with its postings (ordinals, impacts,
                      exact-spelling masks). Keys: folded words, pairs 'a_b', compounds
                      'a/b/c', filter facets '#l:<type>', '#c:<agency>', '#n:<person>'.
- vb/<ordinal>.json   what a result shows: {"r": [id, title, type, number, date, issuer],
                      "a": [[anchor, heading], …], "p": [[anchor index, passage], …]}
                      (passages for snippets and section links). Named by ordinal, the
                      page fetches it as soon as a query is scored: one round trip.

Ordinals number the documents oldest first (by issued date, then id).

Incremental builds: document_entry(doc) is pure and picklable; cache it per document and
call index_files(entries) (about 10 s and under 1 GB at 20,000 generated documents), or
builder.search_update (update_index(previous files, old entries, new entries), or
patch_index with only the removed and added entries), which gives the same bytes and patches
only the shards that change (about 0.2 s for one document at 20,000).
When one document is added or edited, the files that change are its vb/<ordinal>.json,
chi-muc.json and .js (count, years, facets) and the shards holding any key that the document has or
had (hundreds: a document has hundreds of keys). A document dated after all others (the
usual addition) takes the next ordinal and moves no other; an edit that keeps the date moves
nothing; an older date moves every later document up one ordinal (their vb/ files, and in
nearly every shard a first ordinal or the one gap that spans the new document: patched too,
about 1 s). The shard count doubles as the archive grows (shard_count), and then every shard
changes once (built in full).
"""

from __future__ import annotations

import json
from array import array
from collections import Counter, defaultdict, deque
from collections.abc import Iterator
from itertools import repeat
from dataclasses import dataclass

from .model import Document
from .search_format import MAX_VARIANTS, Postings, encode_shard, shard_of
from .search_text import body, document_text, result_json, title_text
from .searchterms import analyse
from .text import key as sort_key

K1, B, AVG_LENGTH = 1.2, 0.75, 800.0  # BM25 with a fixed reference length: entries stay per-document
TITLE_BONUS, IMPACT_MAX, LEVELS = 1.0, 3.2, 255


@dataclass(frozen=True)
class DocEntry:
    """Everything the index needs from one document, computed from it alone."""

    id: str
    order: tuple[str, str]  # (issued date or "", id): index order
    facets: tuple[str, ...]  # filter keys
    keys: str  # "\n"-joined: folded words, compounds, pairs, facets (each group sorted)
    words: int  # how many of the keys are words
    weighted: int  # how many keys have an impact: all but the facets
    spellings: str  # "\n"-joined, one line per word: its exact spellings in the document, "|"-joined
    impacts: bytes  # one per weighted key
    result: bytes  # tim-kiem/vb/<ordinal>.json: {"r": row, "a": anchors, "p": passages}


def impact(tf: int, length: int, in_title: bool) -> int:
    s = tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / AVG_LENGTH)) + (TITLE_BONUS if in_title else 0.0)
    return max(1, min(LEVELS, round(s * LEVELS / IMPACT_MAX)))


def document_entry(doc: Document) -> DocEntry:
    """Pure: the same document always gives the same entry (its body must be loaded)."""
    plain = body(doc)
    a = analyse(document_text(doc, plain))
    t = analyse(title_text(doc))
    titled = set(t["f"]) | set(t["p"]) | set(t["c"])
    counts = Counter(a["f"])
    counts.update(a["c"])
    counts.update(a["p"])
    spellings: dict[str, set[str]] = {}
    for f, w in set(zip(a["f"], a["w"])):
        spellings.setdefault(f, set()).add(w)
    tfs = set(counts.values())
    weights = {(tf, b): impact(tf, len(a["f"]), b) for tf in tfs for b in (False, True)}
    words = sorted(spellings)
    weighted = words + sorted(set(a["c"])) + sorted(set(a["p"]))
    impacts = bytes([weights[counts[k], k in titled] for k in weighted])
    keys = weighted + list(_facets(doc))
    return DocEntry(
        id=doc.id, order=(doc.issued or "", doc.id),
        facets=_facets(doc), keys="\n".join(keys), words=len(words), weighted=len(weighted),
        spellings="\n".join([_joined(spellings[k]) for k in words]), impacts=impacts,
        result=result_json(doc, plain))


def _joined(forms: set[str]) -> str:
    return "|".join(sorted(forms)) if len(forms) > 1 else next(iter(forms))


def _facets(doc: Document) -> tuple[str, ...]:
    keys = {f"#l:{doc.type}"} if doc.type else set()
    keys |= {f"#c:{a}" for a in [*doc.agencies, doc.issuer] if a}
    keys |= {f"#n:{p}" for p in [*doc.people, doc.signer.name, doc.presiding] if p}
    return tuple(sorted(keys))


def shard_count(n: int) -> int:
    """A power of two near n/4 (16 … 16384): about four documents' worth of keys per shard."""
    s = 16
    while s < n // 4 and s < 16384:
        s *= 2
    return s


def index_files(entries: list[DocEntry], results: bool = True) -> dict[str, bytes]:
    """Shards and manifest, and (unless results=False: the build writes them itself) vb/ files."""
    ordered = sorted(entries, key=lambda e: e.order)
    shards = shard_count(len(ordered))
    postings = _postings(ordered)
    grouped: list[dict[str, Postings]] = [{} for _ in range(shards)]
    for key, p in postings.items():
        grouped[shard_of(key, shards)][key] = p
    files = {f"tim-kiem/t/{i:04x}.bin": encode_shard(g) for i, g in enumerate(grouped)}
    files.update(manifest_files(_manifest(ordered, shards)))
    if results:
        files.update(result_files(ordered))
    return files


def manifest_files(manifest: dict[str, object]) -> dict[str, bytes]:
    """chi-muc.json, and the same as chi-muc.js: a script the search page loads with its own,
    so the first query needs no round trip for the manifest (a script, not inline: strict CSP)."""
    data = _dumps(manifest)
    return {"tim-kiem/chi-muc.json": data, "tim-kiem/chi-muc.js": b"self.VIS_MANIFEST = " + data + b";\n"}


def result_files(ordered: list[DocEntry]) -> dict[str, bytes]:
    """vb/<ordinal>.json: the row a result shows, then the passages."""
    return {f"tim-kiem/vb/{o}.json": e.result for o, e in enumerate(ordered)}


def _postings(ordered: list[DocEntry]) -> dict[str, Postings]:
    """Route every (key, document) posting to its key; the appends run in C (map) because an
    archive of 20,000 documents has tens of millions of postings."""
    ords: defaultdict[str, array] = defaultdict(lambda: array("I"))
    imps: defaultdict[str, bytearray] = defaultdict(bytearray)
    masks: defaultdict[str, array] = defaultdict(lambda: array("I"))
    variants: defaultdict[str, list[str]] = defaultdict(list)
    mask_of: dict[tuple[str, str], int] = {}
    for o, e in enumerate(ordered):
        keys = e.keys.split("\n") if e.keys else []
        _consume(map(array.append, map(ords.__getitem__, keys), repeat(o)))
        _consume(map(bytearray.append, map(imps.__getitem__, keys[: e.weighted]), e.impacts))
        pairs = list(zip(keys[: e.words], e.spellings.split("\n")))
        found = list(map(mask_of.get, pairs))
        if None in found:
            found = [m if m is not None else _mask(mask_of, variants, kf) for m, kf in zip(found, pairs)]
        _consume(map(array.append, map(masks.__getitem__, keys[: e.words]), found))
    table: dict[str, Postings] = {}
    for key, o in ords.items():
        vs = variants.get(key, [])
        m = masks.get(key) if len(vs) > 1 else None
        table[key] = Postings(o, imps.get(key, bytearray()), vs, _variant_df(m, len(vs), len(o)), m)
    return table


def _consume(it: Iterator[object]) -> None:
    deque(it, maxlen=0)


def _mask(mask_of: dict[tuple[str, str], int], variants: defaultdict[str, list[str]], kf: tuple[str, str]) -> int:
    key, forms = kf
    known = variants[key]
    mask = 0
    for form in forms.split("|"):
        if form not in known and len(known) < MAX_VARIANTS:
            known.append(form)
        if form in known:
            mask |= 1 << known.index(form)
    mask_of[kf] = mask
    return mask


def _variant_df(masks: array | None, variants: int, df: int) -> list[int]:
    if masks is None:
        return [df] * variants
    counts = [0] * variants
    for m, n in Counter(masks).items():
        for v in range(variants):
            if m >> v & 1:
                counts[v] += n
    return counts


def _manifest(ordered: list[DocEntry], shards: int) -> dict[str, object]:
    facets: Counter[str] = Counter()
    for e in ordered:
        facets.update(e.facets)
    return manifest(facets, [e.order for e in ordered], shards)


def manifest(facets: Counter[str], orders: list[tuple[str, str]], shards: int) -> dict[str, object]:
    """The manifest of an index: how many documents bear each facet key, and the documents'
    DocEntry.order in index order."""
    years: dict[str, list[int]] = {}
    for o, (issued, _) in enumerate(orders):
        year = issued[:4]
        if year:
            years.setdefault(year, [o, o])[1] = o + 1

    def names(prefix: str) -> list[list[object]]:
        found = [(k[len(prefix):], n) for k, n in facets.items() if k.startswith(prefix)]
        return [[name, n] for name, n in sorted(found, key=lambda x: (sort_key(x[0]), x[0]))]

    return {"v": 1, "n": len(orders), "shards": shards, "years": years,
            **{field: names(prefix) for prefix, field in _FACET_LISTS}}


def manifest_facets(data: dict) -> Counter[str]:
    """The facet counts a manifest lists: what manifest() was given."""
    facets: Counter[str] = Counter()
    for prefix, field in _FACET_LISTS:
        facets.update({prefix + str(name): int(n) for name, n in data[field]})
    return facets


_FACET_LISTS = (("#l:", "types"), ("#c:", "agencies"), ("#n:", "people"))


def _dumps(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


__all__ = ["DocEntry", "document_entry", "index_files", "shard_count"]

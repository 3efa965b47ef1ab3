"""Python twin of plan() and search() in assets/js/query.js, over shards decoded by
builder.search_format: the parity test runs both on the same built site and expects the
same documents in the same order with the same scores."""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path
from typing import Callable

from builder.search_format import PRESENCE, Postings, decode_shard, shard_of
from builder.searchterms import analyse

BOOST = {"word": 2, "exact": 3, "pair": 4, "compound": 10}
MAX_WORDS = 30


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def plan(terms: dict[str, list[str]]) -> dict:
    words: list[dict] = []
    at: dict[str, int] = {}
    for f, form in zip(terms["f"], terms["w"]):
        if f not in at:
            if len(words) >= MAX_WORDS:
                continue
            at[f] = len(words)
            words.append({"key": f, "exact": []})
        w = words[at[f]]
        if form != f and form not in w["exact"]:
            w["exact"].append(form)
    pairs, compounds = _unique(terms["p"]), _unique(terms["c"])
    return {"words": words, "pairs": pairs, "compounds": compounds,
            "keys": _unique([w["key"] for w in words] + pairs + compounds)}


def _impacts(p: Postings) -> bytes | bytearray:
    return p.impacts or bytes([PRESENCE]) * len(p.ords)


def _idf(df: int, n: int) -> float:
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


def _add_word(score: list[float], hit: list[int], word: dict, bit: int, p: Postings, n: int) -> None:
    wf = BOOST["word"] * _idf(len(p.ords), n)
    bits = dfx = 0
    for form in word["exact"]:
        v = p.variants.index(form) if form in p.variants else -1
        if v >= 0 and not bits & (1 << v):
            bits |= 1 << v
            dfx += p.variant_df[v]
    wx = BOOST["exact"] * _idf(min(dfx, len(p.ords)), n) if bits else 0
    imps = _impacts(p)
    for j, d in enumerate(p.ords):
        s = wf * imps[j]
        if bits and (p.masks[j] & bits if p.masks is not None else bits & 1):
            s += wx * imps[j]
        score[d] += s
        hit[d] |= bit


def search(q: dict, get: Callable[[str], Postings | None], n: int) -> tuple[list[tuple[int, float]], bool, int]:
    """(hits as (ordinal, score), every word found, how many hits have the phrase)."""
    if not q["words"]:
        return [], True, 0
    score, hit, pairs = [0.0] * n, [0] * n, [0] * n
    full = found_pairs = 0
    for i, word in enumerate(q["words"]):
        full |= 1 << i
        if (p := get(word["key"])) is not None:
            _add_word(score, hit, word, 1 << i, p, n)
    for kind, keys in (("pair", q["pairs"]), ("compound", q["compounds"])):
        for key in keys:
            if (p := get(key)) is None:
                continue
            found_pairs += kind == "pair"
            w = BOOST[kind] * _idf(len(p.ords), n)
            imps = _impacts(p)
            for j, d in enumerate(p.ords):
                score[d] += w * imps[j]
                pairs[d] += kind == "pair"
    phrase_ok = found_pairs == len(q["pairs"]) and found_pairs > 0
    every = [d for d in range(n) if hit[d] == full]
    phrase = [d for d in every if phrase_ok and pairs[d] == found_pairs]
    rest = [d for d in every if not (phrase_ok and pairs[d] == found_pairs)]

    def ranked(docs: list[int]) -> list[tuple[int, float]]:
        return [(d, score[d]) for d in sorted(docs, key=lambda d: (-score[d], -d))]

    if not every:
        return ranked([d for d in range(n) if hit[d]]), False, 0
    return ranked(phrase) + ranked(rest), True, len(phrase)


class SiteIndex:
    """The search files of a built site, read the way the browser reads them."""

    def __init__(self, site: Path):
        self.base = site / "tim-kiem"
        self.manifest = json.loads((self.base / "chi-muc.json").read_text(encoding="utf-8"))
        self.n = self.manifest["n"]

    @lru_cache(maxsize=None)
    def shard(self, i: int) -> dict[str, Postings]:
        return decode_shard((self.base / "t" / f"{i:04x}.bin").read_bytes())

    def get(self, key: str) -> Postings | None:
        return self.shard(shard_of(key, self.manifest["shards"])).get(key)

    def doc_id(self, ordinal: int) -> str:
        return json.loads((self.base / "vb" / f"{ordinal}.json").read_text(encoding="utf-8"))["r"][0]

    def query(self, text: str) -> tuple[list[tuple[str, float]], bool, int]:
        hits, exact, phrase = search(plan(analyse(text)), self.get, self.n)
        return [(self.doc_id(o), s) for o, s in hits], exact, phrase

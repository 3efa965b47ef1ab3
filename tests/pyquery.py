"""Python twin of assets/js/query.js, with lunr.py: the parity test runs both on the same
index and expects the same documents in the same order."""

from __future__ import annotations

from lunr.index import Index
from lunr.query import Query, QueryPresence


def run(index: Index, terms: dict[str, list[str]], required: bool, prefix_last: bool, phrase: bool = False) -> list[dict]:
    q = index.create_query()
    n = len(terms["f"])
    for i, f in enumerate(terms["f"]):
        last = prefix_last and i == n - 1 and len(f) >= 2
        q.term(f, fields=["f"], boost=2, use_pipeline=False,
               presence=QueryPresence.REQUIRED if required else QueryPresence.OPTIONAL,
               wildcard=Query.WILDCARD_TRAILING if last else Query.WILDCARD_NONE)
        q.term(terms["w"][i], fields=["w"], boost=6, use_pipeline=False)
        q.term(f, fields=["t"], boost=4, use_pipeline=False)
    for c in terms["c"]:
        q.term(c, fields=["c"], boost=20, use_pipeline=False)
    for p in terms["p"]:
        q.term(p, fields=["p"], boost=8, use_pipeline=False,
               presence=QueryPresence.REQUIRED if phrase else QueryPresence.OPTIONAL)
    return index.query(q)


def search(index: Index, terms: dict[str, list[str]], prefix_last: bool) -> tuple[list[dict], bool, int]:
    if not terms["f"]:
        return [], True, 0
    every = run(index, terms, True, prefix_last)
    if not every:
        return run(index, terms, False, False), False, 0
    phrase = run(index, terms, True, False, phrase=True) if terms["p"] else []
    seen = {h["ref"] for h in phrase}
    return phrase + [h for h in every if h["ref"] not in seen], True, len(phrase)

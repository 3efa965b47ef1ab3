"""The site's pages, planned before anything is rendered: each Page knows its URL, its
template, a key (a hash of everything it shows) and how to build its context. The build
renders only pages whose key changed since the last build (incremental rebuilds).

Large collections are split by year so no page grows with the archive: an agency's tasks
per year (/co-quan/<slug>/<year>/), tasks by month of deadline (/nhiem-vu/<yyyy-mm>/),
documents by year and by type and year."""

from __future__ import annotations

import hashlib
import heapq
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from operator import attrgetter, itemgetter
from typing import Any, Callable, Iterable

from .corpus import Corpus, Entity
from .model import Document, Task
from .render import markdown_html
from .text import fold, slugify

_HEADING = re.compile(r"^(#{2,3}) (.+?) \{: #([\w-]+) \}$", re.M)
LATEST = 50  # items shown on an overview page before the per-year pages
SPLIT = 300  # documents + tasks of one agency or person in a year shown on one page; above: by month


@dataclass(frozen=True)
class Link:
    text: str
    href: str | None  # relative to the site root; None when there is no page


@dataclass(frozen=True)
class Page:
    path: str  # URL path, e.g. "van-ban/2025-576-tb-vp/"
    template: str
    key: str  # changes whenever anything the page shows changes
    context: Callable[[], dict[str, Any]]


def _key(*parts: object) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(repr(p).encode("utf-8"))
        h.update(b"\x00")
    return h.hexdigest()[:20]


def _digests(docs: Iterable[Document]) -> str:
    """The digests of `docs` as one string to hash (a list of them is slower to repr)."""
    return " ".join(map(_DIGEST, docs))


_DIGEST = attrgetter("digest")
_DOC = itemgetter(0)  # a TaskRef's document


@dataclass(frozen=True)
class TaskRow:
    doc: Document
    text: str
    section: str
    href: str
    lead: list[Link]
    support: list[Link]
    leader: Link | None
    due: str | None
    due_text: str | None
    result: str | None
    role: str | None = None


class Planner:
    def __init__(self, corpus: Corpus, problems: list[tuple[str, str]]):
        self.corpus = corpus
        self.problems = problems
        # (year, month) of each document by id(): grouping an agency's task refs (hundreds of
        # thousands at 20,000 documents) is then one dict lookup per ref.
        self.when = {id(d): (d.year or "khong-ro", _month(d.issued)) for d in corpus.documents}

    def agency_link(self, name: str) -> Link:
        slug = self.corpus.agency_slug(name)
        return Link(name, f"co-quan/{slug}/" if slug else None)

    def person_link(self, name: str | None) -> Link | None:
        if not name:
            return None
        slug = self.corpus.person_slug(name)
        return Link(name, f"lanh-dao/{slug}/" if slug else None)

    def task_row(self, doc: Document, t: Task, role: str | None = None) -> TaskRow:
        return TaskRow(doc, t.text, t.section, f"van-ban/{doc.id}/#{t.anchor}",
                       [self.agency_link(n) for n in t.lead], [self.agency_link(n) for n in t.support],
                       self.person_link(t.leader), t.due, t.due_text, t.result, role)

    def plan(self) -> list[Page]:
        pages: list[Page] = []
        for doc in self.corpus.documents:
            pages.append(self.document(doc))
        for prefix, table in (("co-quan", self.corpus.agencies), ("lanh-dao", self.corpus.people)):
            for e in table.values():
                pages.extend(self.entity(e, prefix))
        pages.extend(self.listings())
        pages.extend(self.tasks())
        pages.extend(self.fixed())
        return pages

    # -- documents ---------------------------------------------------------------------------
    def document(self, doc: Document) -> Page:
        c = self.corpus
        cites = c.cites.get(doc.id, [])
        cited_by = c.cited_by.get(doc.id, [])
        names = [(n, c.agency_slug(n)) for n in doc.agencies + [doc.issuer or ""]]
        names += [(n, c.person_slug(n)) for n in doc.people + [doc.presiding or "", doc.signer.name or ""]]
        key = _key(doc.digest, [(r.text, t.id if t else None, t.title if t else None) for r, t in cites],
                   [(d.id, d.type, d.number_symbol, d.title) for d in cited_by], names)

        def context() -> dict[str, Any]:
            return dict(
                doc=doc, body=markdown_html(c.body(doc)), toc=_toc(c.body(doc)), cites=cites, cited_by=cited_by,
                agencies=[self.agency_link(n) for n in doc.agencies], people=[self.person_link(n) for n in doc.people],
                issuer=self.agency_link(doc.issuer) if doc.issuer else None,
                signer=self.person_link(doc.signer.name), presiding=self.person_link(doc.presiding),
                tasks=[self.task_row(doc, t) for t in doc.tasks],
                source_href=f"nguon/{doc.source.split('/')[-1]}" if doc.source else None,
            )

        return Page(f"van-ban/{doc.id}/", "document.html", key, context)

    # -- agencies and people -----------------------------------------------------------------
    def entity(self, e: Entity, prefix: str) -> list[Page]:
        """Overview (latest items, counts by year), one page per year, and for a year too large
        for one page (> SPLIT documents and tasks) one page per month of issue. Year and month
        pages show the years without counts, so adding a document changes only its own year's
        (or month's) page and the overview, not every year page of the agency."""
        by_year = e.task_years
        docs_by_year = self._group_docs(e.docs, 0)
        years = sorted(set(by_year) | set(docs_by_year), reverse=True)
        counts = [(y, len(docs_by_year.get(y, [])), len(by_year.get(y, []))) for y in years]
        lineage = self._lineage(e)
        common = dict(e=e, section="Cơ quan, đơn vị" if prefix == "co-quan" else "Lãnh đạo", section_href=f"{prefix}/",
                      lineage=lineage, prefix=prefix, years=years, counts=[], year=None, month=None, months=[],
                      signed=[])
        base = _key(e.name, e.slug, e.verified, e.person, e.agency, lineage, years)
        latest = heapq.nlargest(LATEST, _newest_years(by_year), key=lambda r: (r.doc.issued or "", r.doc.id))
        pages = [Page(f"{prefix}/{e.slug}/", "entity.html",
                      _key(base, counts, _digests(map(_DOC, latest)), _digests(e.docs[:LATEST]),
                           _digests(e.signed[:LATEST]), len(e.docs) + len(e.tasks) + len(e.signed)),
                      lambda: dict(common, counts=counts, docs=e.docs[:LATEST], signed=e.signed[:LATEST],
                                   tasks=self._task_rows(latest)))]
        for y in years:
            pages.extend(self._entity_year(common, base, y, docs_by_year.get(y, []), by_year.get(y, [])))
        return pages

    def _entity_year(self, common: dict, base: str, year: str, docs: list[Document], refs: list) -> list[Page]:
        e, prefix = common["e"], common["prefix"]
        path = f"{prefix}/{e.slug}/{year}/"
        if len(docs) + len(refs) <= SPLIT:
            return [self._entity_page(path, common, base, dict(year=year), docs, refs)]
        months_docs = self._group_docs(docs, 1)
        months_refs = self._group_refs(refs, 1)
        months = [(m, len(months_docs.get(m, [])), len(months_refs.get(m, [])))
                  for m in sorted(set(months_docs) | set(months_refs))]
        pages = [Page(path, "entity.html", _key(base, year, months),
                      lambda: dict(common, year=year, months=months, docs=[], tasks=[]))]
        for m, _, _ in months:
            extra = dict(year=year, month=m, months=[(x, None, None) for x, _, _ in months])
            pages.append(self._entity_page(f"{path}{m}/", common, _key(base, year, [x for x, _, _ in months]),
                                           extra, months_docs.get(m, []), months_refs.get(m, [])))
        return pages

    def _entity_page(self, path: str, common: dict, base: str, extra: dict, docs: list[Document], refs: list) -> Page:
        return Page(path, "entity.html", _key(base, extra.get("year"), extra.get("month"),
                                              _digests(map(_DOC, refs)), _digests(docs)),
                    lambda: dict(common, **extra, docs=docs, tasks=self._task_rows(refs)))

    def _group_refs(self, refs: list, part: int) -> dict[str, list]:
        """Task refs by year (part 0) or month (part 1) of their document, in input order."""
        return self._group_docs(refs, part, map(_DOC, refs))

    def _group_docs(self, items: list, part: int,
                    docs: Iterable[Document] | None = None) -> dict[str, list]:
        """Items by year (part 0) or month (part 1) of their documents (default: the items are
        documents), in input order. Looked up in `when` by C-level maps, no Python step per item."""
        keys = map(itemgetter(part), map(self.when.__getitem__, map(id, items if docs is None else docs)))
        return _partition(items, keys)

    def _task_rows(self, refs: Iterable) -> list[TaskRow]:
        return [self.task_row(r.doc, r.task, r.role) for r in refs]

    def _lineage(self, e: Entity) -> list[tuple[str, Link]]:
        if not e.agency:
            return []
        out = []
        by_slug = {a.slug: a for a in self.corpus.agencies.values()}
        names = {a.slug: a.name for a in self.corpus.registry_agencies}
        for label, slugs in (("Tiền thân", e.agency.predecessors), ("Kế thừa bởi", e.agency.successors)):
            for slug in slugs:
                out.append((label, Link(names.get(slug, slug), f"co-quan/{slug}/" if slug in by_slug else None)))
        return out

    # -- listings ----------------------------------------------------------------------------
    def listings(self) -> list[Page]:
        docs = self.corpus.documents
        facets = {"types": _types(self.corpus), "years": _years(self.corpus)}
        pages = [self._listing("van-ban/", "Văn bản mới nhất", docs[:LATEST], facets, _key(facets), more=True)]
        # The other listings name the years and types without counts: adding a document then
        # changes only the pages it appears on, not every listing of the archive.
        facets = {"types": sorted(((t, slug, None) for t, slug, _ in facets["types"]), key=lambda x: fold(x[0])),
                  "years": [(y, None) for y, _ in facets["years"]]}
        fkey = _key(facets)
        for year, group in self._group_docs(docs, 0).items():
            label = f"Văn bản năm {year}" if year != "khong-ro" else "Văn bản chưa rõ năm"
            pages.append(self._listing(f"nam/{year}/", label, group, facets, fkey))
        for slug, group in _group_by(docs, lambda d: slugify(d.type or "khac")).items():
            name = group[0].type or "Loại khác"
            years = sorted(Counter(d.year or "khong-ro" for d in group).items(), reverse=True)
            pages.append(self._listing(f"loai/{slug}/", name, group[:LATEST], facets, fkey, type_years=(slug, years)))
            for year, ygroup in self._group_docs(group, 0).items():
                pages.append(self._listing(f"loai/{slug}/{year}/", f"{name} năm {year}", ygroup, facets, fkey))
        for prefix, table, title in (("co-quan", self.corpus.agencies, "Cơ quan, đơn vị"),
                                     ("lanh-dao", self.corpus.people, "Lãnh đạo và cá nhân")):
            ents = sorted(table.values(), key=lambda e: (not e.verified, fold(e.name)))
            rows = [(e.name, e.slug, e.verified, len(e.docs), len(e.tasks)) for e in ents]
            pages.append(Page(f"{prefix}/", "entities.html", _key(rows),
                              lambda title=title, rows=rows, prefix=prefix: dict(title=title, rows=rows, prefix=prefix)))
        return pages

    def _listing(self, path: str, title: str, docs: list[Document], facets: dict, fkey: str,
                 more: bool = False, type_years: tuple | None = None) -> Page:
        key = _key(title, _digests(docs), fkey, more, type_years, len(self.corpus.documents) if more else None)
        return Page(path, "listing.html", key, lambda: dict(title=title, docs=docs, facets=facets, more=more,
                                                            type_years=type_years, total=len(self.corpus.documents)))

    def tasks(self) -> list[Page]:
        by_month: dict[str, list[tuple[Document, Task]]] = defaultdict(list)
        undated = 0
        for d in self.corpus.documents:
            for t in d.tasks:
                if t.due:
                    by_month[t.due[:7]].append((d, t))
                else:
                    undated += 1
        months = sorted(((m, len(v)) for m, v in by_month.items()), reverse=True)
        pages = [Page("nhiem-vu/", "tasks.html", _key(months, undated),
                      lambda: dict(months=months, month=None, rows=[], undated=undated))]
        plain = [(m, None) for m, _ in months]  # a month page names the months without counts
        for month, items in by_month.items():
            items.sort(key=lambda x: (x[1].due or "", x[0].id, x[1].anchor))
            pages.append(Page(f"nhiem-vu/{month}/", "tasks.html", _key(plain, month, _digests(d for d, _ in items)),
                              lambda items=items, month=month: dict(
                                  months=plain, month=month, undated=undated,
                                  rows=[self.task_row(d, t) for d, t in items])))
        return pages

    def fixed(self) -> list[Page]:
        c = self.corpus
        home = home_context(c)
        search = dict(types=_types(c), years=_years(c))
        return [
            Page("", "home.html", _key(_digests(home["latest"]), home["counts"], home["types"], home["years"],
                                       [(e.name, len(e.tasks)) for e in home["agencies"]],
                                       [e.name for e in home["people"]], self.problems),
                 lambda: dict(home, problems=self.problems)),
            Page("tim-kiem/", "search.html", _key(search), lambda: search),
            Page("chua-xu-ly/", "problems.html", _key(self.problems), lambda: dict(problems=self.problems)),
        ]


def _toc(body: str) -> list[tuple[int, str, str]]:
    return [(len(h), re.sub(r"[*_]", "", text), anchor) for h, text, anchor in _HEADING.findall(body)]


def _group_by(items: Iterable[Any], keyf: Callable[[Any], str]) -> dict[str, list[Any]]:
    """Items grouped by key, groups in order of first appearance, items in input order."""
    items = list(items)
    return _partition(items, map(keyf, items))


def _partition(items: Iterable[Any], keys: Iterable[str]) -> dict[str, list[Any]]:
    """items[i] into the group of keys[i]; groups in order of first appearance, items in input
    order."""
    groups: dict[str, list[Any]] = defaultdict(list)
    for item, key in zip(items, keys):
        groups[key].append(item)
    return dict(groups)


def _newest_years(by_year: dict[str, list]) -> list:
    """The items of the newest years, enough to hold the LATEST newest (a document of an older
    year, or of none, is older than every document of a newer year), in input order per year."""
    out: list = []
    dated = sorted((y for y in by_year if y != "khong-ro"), reverse=True)
    for y in dated + (["khong-ro"] if "khong-ro" in by_year else []):
        out.extend(by_year[y])
        if len(out) >= LATEST:
            break
    return out


def _month(issued: str | None) -> str:
    """"10" for 2025-10-17; "khong-ro" when the date has no month."""
    return issued[5:7] if issued and len(issued) >= 7 and issued[5:7].isdigit() else "khong-ro"


def _types(corpus: Corpus) -> list[tuple[str, str, int]]:
    counts = Counter(d.type or "Loại khác" for d in corpus.documents)
    return sorted(((t, slugify(t), n) for t, n in counts.items()), key=lambda x: (-x[2], x[0]))


def _years(corpus: Corpus) -> list[tuple[str, int]]:
    counts = Counter(d.year for d in corpus.documents if d.year)
    return sorted(counts.items(), reverse=True)


def home_context(corpus: Corpus) -> dict[str, Any]:
    agencies = sorted((e for e in corpus.agencies.values()
                       if e.verified and e.tasks and not (e.agency and e.agency.level in ("group", "central"))),
                      key=lambda e: (-len(e.tasks), fold(e.name)))[:16]
    people = sorted((e for e in corpus.people.values() if e.verified),
                    key=lambda e: (-len(e.docs) - len(e.tasks), fold(e.name)))
    tasks = sum(len(d.tasks) for d in corpus.documents)
    return {"latest": corpus.documents[:10], "types": _types(corpus), "years": _years(corpus), "agencies": agencies,
            "people": people[:12], "counts": {"docs": len(corpus.documents), "tasks": tasks,
                                              "agencies": len(corpus.agencies), "people": len(corpus.people)}}

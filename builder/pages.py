"""One function per page kind: document, agency, person, listings, home, search, 404."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from .corpus import Corpus, Entity, TaskRef
from .model import Document
from .render import Site, markdown_html
from .text import fold, slugify

_HEADING = re.compile(r"^(#{2,3}) (.+?) \{: #([\w-]+) \}$", re.M)


@dataclass(frozen=True)
class Link:
    text: str
    href: str | None  # relative to the site root; None when there is no page


def render_all(site: Site, corpus: Corpus, problems: list[tuple[str, str]]) -> None:
    for doc in corpus.documents:
        document_page(site, corpus, doc)
    for e in corpus.agencies.values():
        entity_page(site, corpus, e, "co-quan")
    for e in corpus.people.values():
        entity_page(site, corpus, e, "lanh-dao")
    listing_pages(site, corpus)
    site.page("", "home.html", **home_context(corpus), problems=problems)
    site.page("tim-kiem/", "search.html", types=_types(corpus), years=_years(corpus))
    site.page("chua-xu-ly/", "problems.html", problems=problems)
    site.add("404.html", site.env.get_template("404.html").render(root="/", asset=lambda n: "/" + site.assets[n], here="404"))


def agency_link(corpus: Corpus, name: str) -> Link:
    slug = corpus.agency_slug(name)
    return Link(name, f"co-quan/{slug}/" if slug else None)


def person_link(corpus: Corpus, name: str | None) -> Link | None:
    if not name:
        return None
    slug = corpus.person_slug(name)
    return Link(name, f"lanh-dao/{slug}/" if slug else None)


def document_page(site: Site, corpus: Corpus, doc: Document) -> None:
    site.page(
        f"van-ban/{doc.id}/", "document.html", doc=doc, body=markdown_html(doc.body), toc=_toc(doc.body),
        cites=corpus.cites.get(doc.id, []), cited_by=corpus.cited_by.get(doc.id, []),
        agencies=[agency_link(corpus, n) for n in doc.agencies], people=[person_link(corpus, n) for n in doc.people],
        issuer=agency_link(corpus, doc.issuer) if doc.issuer else None,
        signer=person_link(corpus, doc.signer.name), presiding=person_link(corpus, doc.presiding),
        tasks=[_task_row(corpus, doc, t) for t in doc.tasks],
        source_href=f"nguon/{doc.source.split('/')[-1]}" if doc.source else None,
    )


def _toc(body: str) -> list[tuple[int, str, str]]:
    return [(len(h), re.sub(r"[*_]", "", text), anchor) for h, text, anchor in _HEADING.findall(body)]


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


def _task_row(corpus: Corpus, doc: Document, t, role: str | None = None) -> TaskRow:  # type: ignore[no-untyped-def]
    return TaskRow(doc, t.text, t.section, f"van-ban/{doc.id}/#{t.anchor}",
                   [agency_link(corpus, n) for n in t.lead], [agency_link(corpus, n) for n in t.support],
                   person_link(corpus, t.leader), t.due, t.due_text, t.result, role)


def entity_page(site: Site, corpus: Corpus, e: Entity, prefix: str) -> None:
    tasks = [_task_row(corpus, r.doc, r.task, r.role) for r in e.tasks]
    lineage = []
    if e.agency:
        for label, slugs in (("Tiền thân", e.agency.predecessors), ("Kế thừa bởi", e.agency.successors)):
            for slug in slugs:
                other = next((a for a in corpus.agencies.values() if a.slug == slug), None)
                name = next((a.name for a in _registry_agencies(corpus) if a.slug == slug), slug)
                lineage.append((label, Link(name, f"co-quan/{slug}/" if other else None)))
    site.page(f"{prefix}/{e.slug}/", "entity.html", e=e, tasks=tasks, lineage=lineage,
              section=("Cơ quan, đơn vị" if prefix == "co-quan" else "Lãnh đạo"), section_href=f"{prefix}/")


def _registry_agencies(corpus: Corpus) -> list:  # type: ignore[type-arg]
    return [e.agency for e in corpus.agencies.values() if e.agency]


def listing_pages(site: Site, corpus: Corpus) -> None:
    docs = corpus.documents
    site.page("van-ban/", "listing.html", title="Tất cả văn bản", docs=docs, facets=_facets(corpus))
    for year, group in _group(docs, lambda d: d.year or "khong-ro").items():
        label = f"Văn bản năm {year}" if year != "khong-ro" else "Văn bản chưa rõ năm"
        site.page(f"nam/{year}/", "listing.html", title=label, docs=group, facets=_facets(corpus))
    for slug, group in _group(docs, lambda d: slugify(d.type or "khac")).items():
        site.page(f"loai/{slug}/", "listing.html", title=group[0].type or "Loại khác", docs=group, facets=_facets(corpus))
    agencies = sorted(corpus.agencies.values(), key=lambda e: (not e.verified, fold(e.name)))
    people = sorted(corpus.people.values(), key=lambda e: (not e.verified, fold(e.name.split()[-1]), fold(e.name)))
    site.page("co-quan/", "entities.html", title="Cơ quan, đơn vị", entities=agencies, prefix="co-quan")
    site.page("lanh-dao/", "entities.html", title="Lãnh đạo và cá nhân", entities=people, prefix="lanh-dao")
    rows = [_task_row(corpus, d, t) for d in docs for t in d.tasks]
    dated = sorted((r for r in rows if r.due), key=lambda r: (r.due or "", r.doc.id))
    site.page("nhiem-vu/", "tasks.html", dated=dated, total=len(rows), undated=len(rows) - len(dated))


def _group(docs: list[Document], keyf) -> dict[str, list[Document]]:  # type: ignore[no-untyped-def]
    groups: dict[str, list[Document]] = defaultdict(list)
    for d in docs:
        groups[keyf(d)].append(d)
    return dict(groups)


def _types(corpus: Corpus) -> list[tuple[str, str, int]]:
    counts = Counter(d.type or "Loại khác" for d in corpus.documents)
    return sorted(((t, slugify(t), n) for t, n in counts.items()), key=lambda x: (-x[2], x[0]))


def _years(corpus: Corpus) -> list[tuple[str, int]]:
    counts = Counter(d.year for d in corpus.documents if d.year)
    return sorted(counts.items(), reverse=True)


def _facets(corpus: Corpus) -> dict[str, object]:
    return {"types": _types(corpus), "years": _years(corpus)}


def home_context(corpus: Corpus) -> dict[str, object]:
    agencies = sorted((e for e in corpus.agencies.values()
                       if e.verified and e.tasks and not (e.agency and e.agency.level in ("group", "central"))),
                      key=lambda e: (-len(e.tasks), fold(e.name)))[:16]
    people = sorted((e for e in corpus.people.values() if e.verified), key=lambda e: (-len(e.docs) - len(e.tasks), fold(e.name)))
    tasks = sum(len(d.tasks) for d in corpus.documents)
    return {"latest": corpus.documents[:10], "types": _types(corpus), "years": _years(corpus), "agencies": agencies,
            "people": people[:12], "counts": {"docs": len(corpus.documents), "tasks": tasks,
                                              "agencies": len(corpus.agencies), "people": len(corpus.people)}}


__all__ = ["render_all", "TaskRef"]

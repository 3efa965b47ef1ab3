"""The registry of agencies and people (content/registry.yaml), loaded and validated once.

Matching is done on a folded key so 'Ủy ban nhân dân thành phố' and a PDF's
'Uỷ ban nhân dân thành phố' (old-style tone placement) are the same name; the
longest alias wins, so 'Văn phòng Ủy ban nhân dân thành phố' is not read as two bodies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import ConfigError
from .model import Agency, Person, Role
from .text import fold, key, nfc, slugify


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    name: str  # canonical name
    kind: str  # "agency" | "person"


class Registry:
    def __init__(self, agencies: list[Agency], people: list[Person]):
        self.agencies = {a.name: a for a in agencies}
        self.people = {p.name: p for p in people}
        self.by_code = {c: a.name for a in agencies for c in a.codes}
        self.short_names = {key(a.short): a.name for a in agencies if a.short}
        aliases: dict[str, tuple[str, str]] = {}
        for a in agencies:
            for alias in (a.name, *a.aliases):
                aliases.setdefault(_alias_key(alias), (a.name, "agency"))
        for p in people:
            for alias in (p.name, *p.aliases):
                aliases.setdefault(_alias_key(alias), (p.name, "person"))
        self._aliases = aliases
        ordered = sorted(aliases, key=len, reverse=True)
        self._pattern = re.compile(r"(?<![\w])(" + "|".join(re.escape(a) for a in ordered) + r")(?![\w])")

    def find(self, text: str) -> list[Match]:
        """All registry names in text, left to right, longest first, non-overlapping.
        Positions refer to `text` (folding keeps string length for NFC Vietnamese)."""
        folded = _fold_same_length(text)
        found = []
        for m in self._pattern.finditer(folded):
            name, kind = self._aliases[m.group(1)]
            found.append(Match(m.start(), m.end(), name, kind))
        return found

    def agency(self, name: str) -> Agency | None:
        return self.agencies.get(name)

    def resolve_agency(self, text: str) -> str | None:
        """The canonical name when the whole text is one known agency name."""
        hit = self._aliases.get(_alias_key(text))
        return hit[0] if hit and hit[1] == "agency" else None

    def person_in_role(self, title: str, on: str | None) -> str | None:
        """Who held a role (e.g. 'Phó Chủ tịch Thường trực Ủy ban nhân dân thành phố') on a date."""
        if not on:
            return None
        wanted = key(title)
        holders = [
            p.name
            for p in self.people.values()
            for r in p.roles
            if key(r.title) == wanted and (r.start or "") <= on[:10] and (not r.end or on[: len(r.end)] <= r.end)
        ]
        return holders[0] if len(holders) == 1 else None


def _alias_key(alias: str) -> str:
    return _fold_same_length(nfc(alias).strip())


def _fold_same_length(text: str) -> str:
    """Lower-case and strip diacritics character by character, keeping the length."""
    return "".join(fold(c).lower()[:1] or c for c in text)


def load_registry(path: Path) -> Registry:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read registry: {exc}") from None
    problems: list[str] = []
    agencies = [_agency(item, i, problems) for i, item in enumerate(data.get("agencies") or [])]
    people = [_person(item, i, problems) for i, item in enumerate(data.get("people") or [])]
    slugs = [a.slug for a in agencies] + [p.slug for p in people]
    dupes = sorted({s for s in slugs if slugs.count(s) > 1})
    if dupes:
        problems.append(f"duplicate slugs: {', '.join(dupes)}")
    for a in agencies:
        for alias in a.aliases:
            if " " not in alias and not any(c.isupper() for c in alias[1:]):
                problems.append(f"agency '{a.name}': alias '{alias}' is too short to match safely "
                                "(an unquoted comma in a [list] splits a name)")
    known = {a.slug for a in agencies}
    for a in agencies:
        for link in (*a.predecessors, *a.successors):
            if link not in known:
                problems.append(f"agency '{a.name}' links to unknown slug '{link}'")
    if problems:
        raise ConfigError(f"{path}: " + "; ".join(problems))
    return Registry(agencies, people)


def _agency(item: dict, i: int, problems: list[str]) -> Agency:
    name = nfc(str(item.get("name") or "")).strip()
    if not name:
        problems.append(f"agencies[{i}] has no name")
    return Agency(
        name=name,
        slug=str(item.get("slug") or slugify(name)),
        aliases=tuple(nfc(str(a)) for a in item.get("aliases") or ()),
        short=nfc(str(item["short"])) if item.get("short") else None,
        level=item.get("level"),
        valid_from=_date_str(item.get("valid_from")),
        valid_to=_date_str(item.get("valid_to")),
        predecessors=tuple(item.get("predecessors") or ()),
        successors=tuple(item.get("successors") or ()),
        codes=tuple(str(c) for c in item.get("codes") or ()),
    )


def _person(item: dict, i: int, problems: list[str]) -> Person:
    name = nfc(str(item.get("name") or "")).strip()
    if not name:
        problems.append(f"people[{i}] has no name")
    roles = tuple(
        Role(title=nfc(str(r.get("title"))), start=_date_str(r.get("from")), end=_date_str(r.get("to")))
        for r in item.get("roles") or ()
    )
    return Person(name=name, slug=str(item.get("slug") or slugify(name)), roles=roles,
                  aliases=tuple(nfc(str(a)) for a in item.get("aliases") or ()))


def _date_str(value: object) -> str | None:
    return None if value is None else str(value)

"""People and agencies named in a document, by canonical name from the registry;
names that look like people or agencies but are not in the registry are kept as unverified."""

from __future__ import annotations

import re

from ..registry import Registry
from ..text import key

_ENUM = re.compile(r"(?:các|Các)\s+[Ssởỡ]+(?:,\s*ban,\s*ngành)?\s*:\s*(?P<list>[^:;.()]+)")
_NAME_WORD = r"[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴ][a-zđàáảãạâầấẩẫậăằắẳẵặèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]+"
_COMRADE = re.compile(rf"(?:đồng chí|Đồng chí)\s+(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,3}})")
_SO = re.compile(rf"\bSở\s+(?P<name>{_NAME_WORD}(?:\s+(?:và\s+)?{_NAME_WORD}){{0,4}})")


def enumerated_agencies(text: str, registry: Registry) -> list[str]:
    """'các sở, ban, ngành: Tài chính, Xây dựng, Văn hóa, Thể thao và Du lịch' names three Sở."""
    found: list[str] = []
    for m in _ENUM.finditer(text):
        rest = m.group("list")
        while rest:
            rest = rest.lstrip(" ,")
            rest = re.sub(r"^(?:và|cùng)\s+", "", rest)
            name = _longest_short_name(rest, registry)
            if name is None:
                break
            found.append(registry.short_names[key(name)])
            rest = rest[len(name) :]
    return found


def _longest_short_name(text: str, registry: Registry) -> str | None:
    words = text.split(" ")
    for n in range(min(len(words), 8), 0, -1):
        candidate = " ".join(words[:n]).rstrip(",")
        if key(candidate) in registry.short_names:
            return candidate
    return None


def named_entities(text: str, registry: Registry) -> tuple[list[str], list[str], list[str]]:
    """(people, agencies, unverified) in order of first appearance."""
    people: list[str] = []
    agencies: list[str] = []
    spans: list[tuple[int, int]] = []
    for m in registry.find(text):
        target = people if m.kind == "person" else agencies
        if m.name not in target:
            target.append(m.name)
        spans.append((m.start, m.end))
    for name in enumerated_agencies(text, registry):
        if name not in agencies:
            agencies.append(name)
    unverified: list[str] = []
    titles = ("Phó", "Chủ", "Chánh", "Giám", "Bí", "Trưởng", "Lãnh", "Thủ", "Thành", "Ủy", "Văn", "Các")
    for pattern, prefix in ((_COMRADE, ""), (_SO, "Sở ")):
        for m in pattern.finditer(text):
            if any(s <= m.start("name") < e for s, e in spans):
                continue
            name = prefix + m.group("name")
            if not prefix and name.split()[0] in titles:
                continue
            if registry.find(name) or name in unverified:
                continue
            unverified.append(name)
    return people, agencies, unverified

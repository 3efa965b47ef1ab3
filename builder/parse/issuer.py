"""The issuing body (Nghị định 30/2020, Phụ lục I, ô số 2) and the presiding leader.

The header names the issuer in capitals, optionally under its direct parent:
"UBND TỈNH LÀO CAI" / "SỞ CÔNG THƯƠNG". Long names wrap over several lines
("CỤC ĐỔI MỚI SÁNG TẠO," / "CHUYỂN ĐỔI XANH VÀ" / "KHUYẾN CÔNG"). The issuer is the
last body named; it is written in normal Vietnamese case, using the registry's spelling
only when the header names a body the registry knows. Pure functions.
"""

from __future__ import annotations

import re

from ..registry import Registry
from ..text import fold, squash
from .header import TYPE_NAMES, Header

# Words that start the name of a body: a header line starting with one starts a new body.
_BODY_HEADS = (
    "ỦY BAN", "UỶ BAN", "UBND", "HĐND", "HỘI ĐỒNG", "SỞ", "BỘ", "CỤC", "TỔNG CỤC", "CHI CỤC", "VỤ",
    "VĂN PHÒNG", "ĐOÀN", "BAN", "TỔ CÔNG TÁC", "THANH TRA", "CÔNG AN", "TRUNG TÂM", "TỈNH ỦY",
    "TỈNH UỶ", "THÀNH ỦY", "THÀNH UỶ", "HUYỆN ỦY", "ĐẢNG ỦY", "ĐẢNG UỶ", "ĐẢNG BỘ", "CHI BỘ",
    "KHO BẠC", "THUẾ", "VIỆN", "HỌC VIỆN", "TRƯỜNG", "BỆNH VIỆN", "CHÍNH PHỦ", "QUỐC HỘI", "TÒA ÁN",
    "TOÀ ÁN", "NGÂN HÀNG", "BẢO HIỂM XÃ HỘI", "TỔNG CÔNG TY", "CÔNG TY", "TẬP ĐOÀN", "LIÊN ĐOÀN",
    "HỘI", "MẶT TRẬN", "BỘ CHỈ HUY",
)
_HEAD_START = re.compile(r"^(?:" + "|".join(re.escape(h) for h in _BODY_HEADS) + r")(?:\s|$)")
# Bodies whose own name follows the head word and starts with a capital: "Sở Xây dựng".
_NAMED_HEADS = ("sở", "bộ", "cục", "tổng cục", "chi cục", "vụ", "ban", "trung tâm", "học viện", "viện")
# Administrative units: the words after them are a place name ("tỉnh Lào Cai").
_UNITS = ("thành phố", "thị xã", "thị trấn", "đặc khu", "tỉnh", "huyện", "quận", "xã", "phường")
_NOT_PLACE = ("hội",)  # 'xã hội' is not 'xã X'
_FIXED = {"ủy ban nhân dân": "Ủy ban nhân dân", "hội đồng nhân dân": "Hội đồng nhân dân"}
_EXPANDED = {"UBND": "ỦY BAN NHÂN DÂN", "HĐND": "HỘI ĐỒNG NHÂN DÂN"}
_ABBREVIATIONS = re.compile(r"\b(?:UBND|HĐND)\b")
_SYLLABLE = re.compile(r"^(?:ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|[bcdghklmnpqrstvx])?[aeiouy]{1,3}(?:ng|nh|ch|[cmnpt])?$")
# Old-style tone placement in an open syllable ('hoà', 'uỷ'); 'hoàng', 'đoàn' are not affected.
_OLD_TONES = {"oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa", "oè": "òe", "oé": "óe", "oẻ": "ỏe",
              "oẽ": "õe", "oẹ": "ọe", "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy"}
_OLD_TONE = re.compile("(" + "|".join(list(_OLD_TONES) + [k.upper() for k in _OLD_TONES]) + r")(?!\w)")

_PRESIDING_TITLE = re.compile(r"của (?:đồng chí|Đồng chí)\s+(?P<name>[^,–]+?)(?:\s+[-–]\s+|,)")
_PRESIDING_BODY = re.compile(
    r"(?P<role>(?:Phó\s+)?Chủ tịch(?:\s+Thường trực)?\s+(?:Ủy ban nhân dân|Uỷ ban nhân dân|UBND)\s+"
    r"(?:thành phố|tỉnh))\s+(?:có ý kiến|kết luận|chỉ đạo)"
)


def issuer(head: Header, registry: Registry) -> str | None:
    """The issuing body: from the header lines when there are any, else from the symbol's code."""
    if head.issuer_lines:
        return issuer_from_lines(head.issuer_lines, registry)
    if head.symbol:
        parts = head.symbol.split("/")[-1].split("-") if head.party else head.symbol.split("-")
        codes = parts if head.type == "Công văn" or head.party else parts[1:] + parts[:1]
        for code in codes:
            if code in registry.by_code:
                return registry.by_code[code]
    return None


def issuer_from_lines(lines: list[str], registry: Registry) -> str | None:
    """'UBND TỈNH LÀO CAI' / 'SỞ CÔNG THƯƠNG' → 'Sở Công Thương'. The parent helps only to find
    the registry's name of the issuer ('VĂN PHÒNG' under Hải Phòng's UBND)."""
    groups = body_names(lines)
    if not groups:
        return None
    child = normal_case(groups[-1], registry)
    parent = registry.resolve_agency(normal_case(groups[-2], registry)) if len(groups) > 1 else None
    if parent:
        agency = registry.agencies[parent]
        for name in (agency.name, *agency.aliases):
            found = registry.resolve_agency(f"{child} {name}")
            if found:
                return found
    return registry.resolve_agency(child) or child


def body_names(lines: list[str]) -> list[str]:
    """Join the header's lines into body names: a line continues the previous name unless it
    starts with a body word ('SỞ', 'VĂN PHÒNG'...) after a complete line."""
    groups: list[str] = []
    for raw in lines:
        line = squash(raw)
        if not line:
            continue
        continues = groups and (groups[-1].endswith((",", " VÀ", "-")) or not _HEAD_START.match(line))
        if continues:
            groups[-1] = f"{groups[-1]} {line}"
        else:
            groups.append(line)
    return groups


def normal_case(text: str, registry: Registry | None = None) -> str:
    """Capitals to normal Vietnamese case: 'ỦY BAN NHÂN DÂN TỈNH LÀO CAI' → 'Ủy ban nhân dân
    tỉnh Lào Cai'; 'SỞ CÔNG THƯƠNG' → 'Sở Công Thương' (the registry's spelling)."""
    text = _ABBREVIATIONS.sub(lambda m: _EXPANDED[m.group(0)], new_tones(squash(text)))
    if " - " in text:  # joint issuers: 'BỘ CÔNG AN - BỘ QUỐC PHÒNG'
        return " - ".join(normal_case(part, registry) for part in text.split(" - "))
    if registry is not None:
        known = _registry_spelling(text, registry)
        if known:
            return known
    words = text.split(" ")
    out = [w if is_acronym(w) else w.lower() for w in words]
    lowered = " ".join(out)
    for phrase, proper in _FIXED.items():
        lowered = lowered.replace(phrase, proper)
    out = lowered.split(" ")
    _capitalise_names(out)
    return " ".join(out)


def new_tones(text: str) -> str:
    """Old-style tone placement to the new style: 'UỶ BAN' → 'ỦY BAN', 'hoà' → 'hòa'."""

    def swap(m: re.Match[str]) -> str:
        old = m.group(1)
        new = _OLD_TONES[old.lower()]
        return new.upper() if old.isupper() else new

    return _OLD_TONE.sub(swap, text)


def _registry_spelling(text: str, registry: Registry) -> str | None:
    """The registry's name when the text is exactly a known name (case-insensitively), and the
    head word plus a known short name otherwise ('BỘ CÔNG THƯƠNG' → 'Bộ Công Thương')."""
    for name in registry.agencies:
        if name.casefold() == text.casefold():
            return name
    lower = text.casefold()
    for head in _NAMED_HEADS:
        if lower.startswith(head + " "):
            rest = lower[len(head) + 1 :]
            for agency in registry.agencies.values():
                if agency.short and agency.short.casefold() == rest:
                    return f"{head.capitalize()} {agency.short}"
    return None


def is_acronym(word: str) -> bool:
    """Acronyms and symbols keep their capitals: UBND, 1050/QĐ-SCT, VLNCN."""
    core = re.sub(r"[^\w]", "", word)
    if not core or any(c.isdigit() for c in core) or re.search(r"[/&-]", word.strip("-")):
        return True
    return not _SYLLABLE.match(fold(core).lower())


def _capitalise_names(words: list[str]) -> None:
    """In place: the first word; the word after a named head ('Sở Xây dựng'); place names after
    an administrative unit ('tỉnh Lào Cai', 'huyện ủy Bảo Thắng'); a type name before 'số'
    ('Quyết định số 1050/QĐ-SCT')."""
    lower = [w.lower() for w in words]
    words[0] = _cap(words[0])
    head = next((h for h in _NAMED_HEADS if _phrase_at(lower, 0, h)), None)
    if head and len(words) > len(head.split()):
        words[len(head.split())] = _cap(words[len(head.split())])
    for i in range(len(words)):
        unit = next((u for u in _UNITS if _phrase_at(lower, i, u)), None)
        if unit and (i == 0 or lower[i - 1] != "cấp"):
            start = i + len(unit.split())
            start += 1 if start < len(lower) and lower[start] == "ủy" else 0
            if start < len(lower) and lower[start] not in _NOT_PLACE:
                _capitalise_place(words, start)
        if any(_phrase_at(lower, i, f"{name.lower()} số") for name in TYPE_NAMES):
            words[i] = _cap(words[i])


def _phrase_at(lower: list[str], i: int, phrase: str) -> bool:
    parts = phrase.split()
    return lower[i : i + len(parts)] == parts


def _capitalise_place(words: list[str], start: int) -> None:
    for j in range(start, len(words)):
        words[j] = _cap(words[j])
        if words[j].endswith((",", ";", ")")):
            break


def _cap(word: str) -> str:
    return word[:1].upper() + word[1:] if not is_acronym(word) else word


def presiding(head: Header, text: str, registry: Registry) -> str | None:
    """The leader whose conclusions the document conveys: named in the trích yếu ('Kết luận
    của đồng chí …') or by role in the body ('Chủ tịch UBND tỉnh có ý kiến')."""
    m = _PRESIDING_TITLE.search(head.title or "")
    if m:
        hits = [x.name for x in registry.find(m.group("name")) if x.kind == "person"]
        return hits[0] if hits else m.group("name").strip()
    m = _PRESIDING_BODY.search(text)
    if m:
        role = re.sub(r"\b(?:Uỷ ban nhân dân|UBND)\b", "Ủy ban nhân dân", m.group("role"))
        return registry.person_in_role(role, head.issued) or role
    return None

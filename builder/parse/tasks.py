"""Tasks: the instructions in the body that assign work ("Giao Sở X chủ trì…",
"Yêu cầu…", "Đồng chí X … a) Chỉ đạo Sở Y…") with lead, support, leader and deadline."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Task
from ..registry import Match, Registry
from ..text import iso_date
from .body import Block
from .entities import agency_spans

ASSIGN = re.compile(r"(?:^|[:;.)]\s+|\s)([Gg]iao(?! ban\b)|[Yy]êu cầu|[Đđ]ề nghị|[Cc]hỉ đạo|[Đđ]ôn đốc)\s")
LEADER = re.compile(r"^Đồng chí\s+(?P<name>[^,]+),\s*(?P<role>.+)$")
DUE = re.compile(
    r"(?P<text>(?:(?:hoàn thành|báo cáo|trình|xong|gửi)\s+)?(?:trước|chậm nhất(?:\s+là)?(?:\s+(?:đến|vào))?)\s+"
    r"(?:\d{1,2}\s*(?:h|giờ)\s*(?:\d{1,2}\s*(?:phút)?)?\s*,?\s*)?(?:ngày\s+)?"
    r"(?:(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})|(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})\s+năm\s+(?P<y2>\d{4})))",
    re.IGNORECASE,
)
HEADING_VERB = re.compile(r"^(?:Giao|Đối với|Đề nghị|Yêu cầu)\s+", re.IGNORECASE)
_MARKER = re.compile(r"^\W*(?:[IVX]+\.|\d+(?:\.\d+)*\.?|[a-zđ]\)|\(\d+\))\s*")
# In a report, items that open with a paper or a thing checked are findings ('Giấy phép sử dụng
# VLNCN số …', 'Hộ chiếu nổ mìn …', 'Kíp K8 2.509 cái'), whatever heading they sit under (in a
# notice, '- Kế hoạch đầu tư công năm 2026: khẩn trương rà soát …' is an instruction).
_FINDING = re.compile(r"(?:[a-zđ]\.\s+)?(?:Giấy|Phương án|Văn bản|Hộ chiếu|Sổ|Kế hoạch|Thuốc|Kíp|Dây|Biên bản|"
                      r"Nội quy|Nội dung|Hợp đồng|Chứng chỉ|Danh sách|Thông báo số|Quyết định số|Báo cáo số|"
                      r"Báo cáo đánh giá|Biện pháp|Gói thầu|Những|Kho)(?![^\W\d_])")
SUPPORT = re.compile(r"phối hợp(?:\s+với)?|cùng (?:với )?các", re.IGNORECASE)


@dataclass
class _Context:
    lead: list[str] | None = None
    path: tuple[str, ...] = ()
    leader: str | None = None


def body_tasks(blocks: list[Block], registry: Registry, on: str | None, kinh_gui: list[str] | None = None,
               copied: list[str] | None = None, report: bool = False) -> list[Task]:
    """Tasks of the body; `kinh_gui` and `copied` (Nơi nhận) say whom 'Đề nghị Công ty …' means;
    in a `report` (Báo cáo), items listing what was found are no tasks."""
    tasks: list[Task] = []
    leader_ctx: _Context = _Context()
    parent_ctx: _Context = _Context()
    addressees = _addressees(kinh_gui or [], registry)
    copies = _addressees(copied or [], registry)
    for i, b in enumerate(blocks):
        if b.kind in ("footnote", "table"):
            continue
        plain = b.plain
        leader = _leader_heading(b, registry)
        if leader is not None:
            leader_ctx = _Context(path=b.path, leader=leader)
            continue
        heading = agency_heading(b, registry)
        if heading:
            parent_ctx = _Context(lead=heading, path=b.path, leader=leader_ctx.leader)
            continue
        in_leader = bool(leader_ctx.path) and b.path[: len(leader_ctx.path)] == leader_ctx.path
        if not in_leader:
            leader_ctx = _Context()
        inherited = parent_ctx.lead if _under(b, parent_ctx) else None
        lead, support = assignees(plain, registry)
        if inherited and not ASSIGN.match(" " + _MARKER.sub("", plain)):
            lead = []  # under 'N. <agency>', a 'giao …' inside the item delegates; the agency still leads
        if not lead and (lead := subject(plain, registry)):
            support = supporters(plain, registry, lead)  # 'Sở Tài chính chủ trì, phối hợp với Sở Xây dựng …'
        lead = lead or _addressed(plain, addressees, copies)
        dated = bool(DUE.search(plain))
        if not (lead or dated or in_leader or inherited is not None):
            continue
        if report and not (lead or dated or in_leader) and _FINDING.match(_MARKER.sub("", plain)):
            continue  # under 'Đối với Công ty X:' in an inspection report: what was found, not a task
        if _has_children(blocks, i) and plain.endswith(":"):
            parent_ctx = _Context(lead=lead or inherited or [], path=b.path, leader=leader_ctx.leader)
            continue
        lead = lead or inherited or (addressees if dated else [])
        tasks.append(_task(b, lead, support, leader_ctx.leader, len(tasks)))
    return tasks


# 'Đề nghị Công ty hiệu chỉnh …', 'Yêu cầu Quý Sở …', '… đề nghị đơn vị sử dụng đất …': the
# agency named by its kind alone ('đơn vị thi công', 'Công ty tư vấn' name another party)
_BARE = re.compile(r"(?:Quý\s+)?(Tổng công ty|Công ty|Doanh nghiệp|Sở|(?:đơn|Đơn) vị"
                   r"(?!\s+(?:chủ|quản|liên|trực|khác|có|được)(?![^\W\d_])))(?![^\W\d_])(?!\s+[A-ZĐ])"
                   r"(?!\s+(?:thi|tư|giám)(?![^\W\d_]))")  # 'Công ty tư vấn', 'đơn vị thi công': another party
_BUSINESS = ("công ty", "tổng công ty", "doanh nghiệp", "hợp tác xã")


def _addressed(plain: str, addressees: list[str], copies: list[str]) -> list[str]:
    """Whom an assignment to 'Công ty', 'Sở' or 'đơn vị' alone means: the addressees of that
    kind (Kính gửi; else the recipients, Nơi nhận: a notice to three contractors asks each of
    them), or for 'đơn vị' the letter's only addressee."""
    for m in ASSIGN.finditer(plain):
        bare = _BARE.match(plain, m.end())
        if bare:
            kind = bare.group(1).lower()
            if kind == "đơn vị":
                return addressees if len(addressees) == 1 else []
            kinds = ("sở ",) if kind == "sở" else _BUSINESS
            return ([a for a in addressees if a.lower().startswith(kinds)]
                    or [a for a in copies if a.lower().startswith(kinds)])
    return []


def agency_heading(b: Block, registry: Registry) -> list[str]:
    """A numbered heading that only names who the following items are for:
    '2.5. Sở Công Thương', '1. Công an tỉnh, các sở, ban, ngành …', '2. Giao Sở Xây dựng'."""
    if b.kind != "para" or not b.marker or len(b.plain) > 200 or b.plain.endswith((".", ";")):
        return []
    rest = HEADING_VERB.sub("", _MARKER.sub("", b.plain)).rstrip(": ")
    spans = agency_spans(rest, registry)
    covered = sum(e - s for s, e, _ in spans)
    leftover = re.sub(r"[\s,;:.]+|\bvà\b|\bcác\b|\bđoàn thể\b|\btỉnh\b|\bthành phố\b", "", _cut(rest, spans))
    starts_with_agency = bool(spans) and spans[0][0] == 0 and len(rest) <= 120 and not ASSIGN.search(rest)
    if not spans or (not starts_with_agency and (covered < 0.6 * len(rest) or len(leftover) > 12)):
        return []
    return list(dict.fromkeys(name for _, _, name in spans))


def _cut(text: str, spans: list[tuple[int, int, str]]) -> str:
    for s_, e_, _ in sorted(spans, reverse=True):
        text = text[:s_] + text[e_:]
    return text


def subject(text: str, registry: Registry) -> list[str]:
    """An agency opening the sentence is the one acting: '- Sở Nông nghiệp và Môi trường tổng hợp…'."""
    body = _MARKER.sub("", text)
    offset = len(text) - len(body)
    spans = agency_spans(text, registry)
    if spans and spans[0][0] <= offset + 1 and not ASSIGN.match(body):
        return _names_of(_chain(text, [_Span(*x) for x in spans], spans[0][0]))
    return []


def _addressees(kinh_gui: list[str], registry: Registry) -> list[str]:
    names: list[str] = []
    for item in kinh_gui:
        if item.lower().startswith("đồng chí"):
            continue
        found = [n for _, _, n in agency_spans(item, registry)]
        names.extend(found or [item])
    return list(dict.fromkeys(names))


def _task(b: Block, lead: list[str], support: list[str], leader: str | None, n: int) -> Task:
    due, due_text = find_due(b.plain)
    section = ".".join(p.strip("()") for p in b.path) if b.path else "mở đầu"
    if b.kind == "para" and b.marker:
        anchor = b.anchor
    else:
        anchor = b.task_anchor = f"nv-{n + 1}"
    return Task(text=b.plain, section=section, anchor=anchor, lead=lead, support=support,
                leader=leader, due=due, due_text=due_text)


def find_due(text: str) -> tuple[str | None, str | None]:
    m = DUE.search(text)
    if not m:
        return None, None
    due = iso_date(m.group("d") or m.group("d2"), m.group("m") or m.group("m2"), m.group("y") or m.group("y2"))
    return due, m.group("text").rstrip(".")


def assignees(text: str, registry: Registry) -> tuple[list[str], list[str]]:
    """Lead and supporting agencies of the first assignment verb in text."""
    m = ASSIGN.search(text)
    if not m:
        return [], []
    start = m.end()
    spans = [_Span(*x) for x in agency_spans(text, registry)]
    matches = [x for x in spans if x.start >= start]
    if not matches:
        return [], []
    lead = _names_of(_chain(text, matches, start))
    return lead, supporters(text, registry, lead, start, spans)


def supporters(text: str, registry: Registry, lead: list[str], start: int = 0, spans: list | None = None) -> list[str]:
    """The agencies listed after 'phối hợp (với)' from `start`, other than the lead."""
    support_at = SUPPORT.search(text, start)
    if not support_at:
        return []
    if spans is None:
        spans = [_Span(*x) for x in agency_spans(text, registry)]
    support = _names_of(_chain(text, [x for x in spans if x.start >= support_at.end()], support_at.end()))
    return [s for s in support if s not in lead]


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    name: str


def _names_of(spans: list) -> list[str]:  # type: ignore[type-arg]
    return list(dict.fromkeys(x.name for x in spans))


_LINK = re.compile(r"^[\s,;:]*(?:(?:và|cùng|với|hoặc)\s+)?(?:các\s+|với\s+)?$")


def _chain(text: str, matches: list, start: int) -> list:  # type: ignore[type-arg]
    """Agencies listed one after another from `start` ('Giao Sở A, Sở B và Đặc khu C …'):
    the chain stops at the first word that is not a separator."""
    chain: list[Match] = []
    prev_end = start
    for y in matches:
        if y.start < prev_end or not _LINK.match(text[prev_end : y.start]):
            break
        chain.append(y)
        prev_end = y.end
    return chain


def _names(matches: object) -> list[str]:
    out: list[str] = []
    for x in matches:  # type: ignore[attr-defined]
        if x.name not in out:
            out.append(x.name)
    return out


def _leader_heading(b: Block, registry: Registry) -> str | None:
    m = LEADER.match(b.plain.split(". ", 1)[-1] if b.marker else b.plain)
    if not m or not b.marker:
        return None
    hits = [x for x in registry.find(m.group("name")) if x.kind == "person"]
    return hits[0].name if hits else m.group("name").strip()


def _under(b: Block, ctx: _Context) -> bool:
    if ctx.lead is None or not ctx.path:
        return False
    return b.path[: len(ctx.path)] == ctx.path and (len(b.path) > len(ctx.path) or b.kind == "bullet" or not b.marker)


def _has_children(blocks: list[Block], i: int) -> bool:
    if i + 1 >= len(blocks):
        return False
    nxt, cur = blocks[i + 1], blocks[i]
    return nxt.kind == "bullet" or (len(nxt.path) > len(cur.path) and nxt.path[: len(cur.path)] == cur.path)

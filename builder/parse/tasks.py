"""Tasks: the instructions in the body that assign work ("Giao Sở X chủ trì…",
"Yêu cầu…", "Đồng chí X … a) Chỉ đạo Sở Y…") with lead, support, leader and deadline."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Task
from ..registry import Match, Registry
from ..text import iso_date
from .body import Block

ASSIGN = re.compile(r"(?:^|[:;.)]\s+|\s)([Gg]iao(?! ban\b)|[Yy]êu cầu|[Đđ]ề nghị|[Cc]hỉ đạo|[Đđ]ôn đốc)\s")
LEADER = re.compile(r"^Đồng chí\s+(?P<name>[^,]+),\s*(?P<role>.+)$")
DUE = re.compile(
    r"(?P<text>(?:(?:hoàn thành|báo cáo|trình|xong)\s+)?trước ngày\s+"
    r"(?:(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})|(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})\s+năm\s+(?P<y2>\d{4})))",
    re.IGNORECASE,
)
SUPPORT = re.compile(r"phối hợp(?:\s+với)?|cùng (?:với )?các", re.IGNORECASE)


@dataclass
class _Context:
    leader: str | None = None
    lead: list[str] | None = None
    path: tuple[str, ...] = ()


def body_tasks(blocks: list[Block], registry: Registry, on: str | None) -> list[Task]:
    tasks: list[Task] = []
    leader_ctx: _Context = _Context()
    parent_ctx: _Context = _Context()
    for i, b in enumerate(blocks):
        if b.kind == "footnote":
            continue
        plain = b.plain
        leader = _leader_heading(b, registry)
        if leader is not None:
            leader_ctx = _Context(leader=leader, path=b.path)
            continue
        in_leader = bool(leader_ctx.path) and b.path[: len(leader_ctx.path)] == leader_ctx.path
        if not in_leader:
            leader_ctx = _Context()
        inherited = parent_ctx.lead if _under(b, parent_ctx) else None
        lead, support = assignees(plain, registry)
        is_task = bool(lead) or bool(DUE.search(plain)) or in_leader or inherited is not None
        if not is_task:
            continue
        if _has_children(blocks, i) and plain.endswith(":"):
            parent_ctx = _Context(lead=lead or inherited or [], path=b.path)
            parent_ctx.leader = leader_ctx.leader
            continue
        tasks.append(_task(b, lead or inherited or [], support, leader_ctx.leader, len(tasks)))
    return tasks


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
    matches = [x for x in registry.find(text) if x.start >= start and x.kind == "agency"]
    if not matches:
        return [], []
    lead = _names(_chain(text, matches, start))
    support_at = SUPPORT.search(text, start)
    support: list[str] = []
    if support_at:
        after = [x for x in registry.find(text) if x.start >= support_at.end() and x.kind == "agency"]
        support = _names(_chain(text, after, support_at.end()))
    return lead, [s for s in support if s not in lead]


_LINK = re.compile(r"^[\s,;:]*(?:(?:và|cùng|với|hoặc)\s+)?(?:các\s+|với\s+)?$")


def _chain(text: str, matches: list[Match], start: int) -> list[Match]:
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
    return b.path[: len(ctx.path)] == ctx.path and (len(b.path) > len(ctx.path) or b.kind == "bullet")


def _has_children(blocks: list[Block], i: int) -> bool:
    if i + 1 >= len(blocks):
        return False
    nxt, cur = blocks[i + 1], blocks[i]
    return nxt.kind == "bullet" or (len(nxt.path) > len(cur.path) and nxt.path[: len(cur.path)] == cur.path)

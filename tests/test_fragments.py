"""The task rows written in Python (builder/fragments.py) escape and shorten text exactly as
the templates' own filters do."""

from __future__ import annotations

import jinja2

from builder.fragments import TRUNCATE, task_rows
from builder.model import Document
from builder.pages import Link, TaskRow

ENV = jinja2.Environment(autoescape=True)
ENV.globals["task_rows"] = task_rows


def _row(text: str, **kw: object) -> TaskRow:
    fields: dict[str, object] = dict(doc=Document(id="2025-1-tb-vp", type="Thông báo", title="Về việc thử", number="1",
                                                  symbol="TB-VP", issued="2025-10-17"),
                                     text=text, section="Mục 1", href="van-ban/2025-1-tb-vp/#muc-1",
                                     lead=[Link("Sở <A> & B", "co-quan/so-a/")], support=[], leader=None,
                                     due="2025-10-17", due_text="trước ngày 17/10/2025", result=None)
    return TaskRow(**{**fields, **kw})  # type: ignore[arg-type]


def test_a_long_task_is_shortened_and_escaped_as_the_truncate_filter_does():
    text = "Giao <Sở> & các đơn vị " + "thực hiện nhiệm vụ " * 30
    assert len(text) > TRUNCATE + 5
    html = ENV.from_string("{{ task_rows(rows, '/', True) }}").render(rows=[_row(text)])
    shown = ENV.from_string("{{ t | truncate(n) }}").render(t=text, n=TRUNCATE)
    assert shown.endswith("...") and shown.startswith("Giao &lt;Sở&gt; &amp; các")
    assert f'<a class="task-link" href="/van-ban/2025-1-tb-vp/#muc-1">Mục 1</a> {shown}</td>' in html
    assert '<a href="/van-ban/2025-1-tb-vp/">1/TB-VP</a><br><small>17/10/2025</small>' in html
    assert '<a href="/co-quan/so-a/">Sở &lt;A&gt; &amp; B</a>' in html
    assert '<time datetime="2025-10-17">17/10/2025</time><br><small>trước ngày 17/10/2025</small>' in html


def test_a_short_task_and_missing_fields():
    html = str(task_rows(ENV, [_row("Báo cáo kết quả", lead=[], due=None, due_text=None)], "../"))
    assert '#muc-1">Mục 1</a> Báo cáo kết quả</td>' in html
    assert html.count('<span class="muted">—</span>') == 3  # lead, support, leader
    assert '<span class="muted">Không nêu</span>' in html

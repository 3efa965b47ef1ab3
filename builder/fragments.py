"""HTML fragments the templates call thousands of times per page, written in Python.

An agency's page for one year lists thousands of task rows; as a Jinja macro a row cost about
40 µs (macro calls, attribute lookups, an escape per field), here about 6 µs — at 20,000
documents that is half the render time. Everything is escaped here as Jinja's autoescape
would (markupsafe.escape); the result is Markup so the template does not escape it again.
The table around the rows stays in templates/_macros.html."""

from __future__ import annotations

from typing import Any, Iterable

from jinja2 import Environment, pass_environment
from jinja2.filters import do_truncate
from markupsafe import Markup, escape

from .text import vn_date

_NONE = '<span class="muted">—</span>'
TRUNCATE = 320  # characters of a task's text shown in a table (Jinja's truncate filter)


def link_html(link: Any, root: str) -> Markup:
    """A Link (pages.Link: text, href relative to the site root) as an <a>, or a <span> when
    there is no page."""
    if link.href:
        return Markup(f'<a href="{escape(root)}{escape(link.href)}">{escape(link.text)}</a>')
    return Markup(f'<span class="unlinked">{escape(link.text)}</span>')


@pass_environment
def task_rows(env: Environment, rows: Iterable[Any], root: str, show_doc: bool = False,
              show_role: bool = False) -> Markup:
    """The <tr> of each pages.TaskRow: document (optional), task, role (optional), lead,
    support, leader, deadline. A template global: Jinja passes its environment, whose
    truncate filter shortens the task's text exactly as `| truncate(TRUNCATE)` would."""
    raw_root, root = root, str(escape(root))
    out = []
    for r in rows:
        cells = []
        if show_doc:
            label = r.doc.number_symbol or r.doc.type or ""
            cells.append(f'<td class="nowrap"><a href="{root}van-ban/{escape(r.doc.id)}/">{escape(label)}</a>'
                         f'<br><small>{escape(vn_date(r.doc.issued))}</small></td>')
        result = f'<br><small class="result">Kết quả: {escape(r.result)}</small>' if r.result else ""
        cells.append(f'<td><a class="task-link" href="{root}{escape(r.href)}">{escape(r.section)}</a> '
                     f'{escape(do_truncate(env, r.text, TRUNCATE))}{result}</td>')
        if show_role:
            cells.append(f"<td>{escape(r.role)}</td>")
        cells.append(f"<td>{_links(r.lead, raw_root)}</td>")
        cells.append(f'<td class="support">{_links(r.support, raw_root)}</td>')
        cells.append(f"<td>{link_html(r.leader, raw_root) if r.leader else _NONE}</td>")
        cells.append(f'<td class="due">{_due(r.due, r.due_text)}</td>')
        out.append("<tr>\n" + "\n".join(cells) + "\n</tr>\n")
    return Markup("".join(out))


def _links(links: list[Any], root: str) -> str:
    return "; ".join(link_html(l, root) for l in links) if links else _NONE


def _due(due: str | None, due_text: str | None) -> str:
    html = f'<time datetime="{escape(due)}">{escape(vn_date(due))}</time>' if due else ""
    if due_text and (not due or due_text != due):
        html += f"<br><small>{escape(due_text)}</small>"
    return html or '<span class="muted">Không nêu</span>'

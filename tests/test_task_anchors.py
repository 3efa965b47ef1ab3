"""Every task links to an anchor that exists in its document's page.

The parser writes each appendix row's anchor into the Markdown body ('| 12 | … | {: #pl-12 }')
from the same list the row's task takes its anchor from (builder.parse.tables.row_anchors), and
builder.render.markdown_html places exactly the anchors the body writes. Checked on the seeds,
on every Lào Cai sample (../shared/samples/laocai, skipped when absent) and on small documents
built here: a 'TT' header, an empty-number row, repeated numbers, a non-task table with an
'STT' header beside two task tables.
"""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from builder.ingest import read
from builder.model import Document, RawDocument, Table
from builder.parse import parse_document
from builder.render import markdown_html
from conftest import LAOCAI, LAOCAI_USABLE as USABLE



class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids += [value or "" for name, value in attrs if name == "id"]


def page_ids(doc: Document) -> Counter[str]:
    parser = _Ids()
    parser.feed(markdown_html(doc.body))
    return Counter(parser.ids)


def assert_anchors_exist(doc: Document) -> None:
    ids = page_ids(doc)
    missing = [(t.section, t.anchor) for t in doc.tasks if t.anchor not in ids]
    assert missing == [], f"{doc.id}: task links to anchors the page lacks"
    assert [i for i, n in ids.items() if n > 1] == [], f"{doc.id}: an id is used twice"


def test_seed_task_anchors_exist(seeds):
    assert sum(len(d.tasks) for d in seeds.values()) > 200
    for doc in seeds.values():
        assert_anchors_exist(doc)


@pytest.mark.skipif(not USABLE, reason="../shared/samples/laocai not present")
@pytest.mark.parametrize("entry", USABLE, ids=[e["id"] for e in USABLE])
def test_laocai_task_anchors_exist(entry, registry):
    doc = parse_document(read(LAOCAI / entry["file"]), registry, entry["id"])
    assert_anchors_exist(doc)


# ------------------------------------------------------------------ built here

HEAD = """ỦY BAN NHÂN DÂN TỈNH LÀO CAI
SỞ CÔNG THƯƠNG
Số: 12/KH-SCT
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Lào Cai, ngày 05 tháng 3 năm 2026
KẾ HOẠCH
Kiểm tra an toàn vật liệu nổ công nghiệp năm 2026
I. MỤC ĐÍCH
Bảo đảm an toàn trong sử dụng vật liệu nổ công nghiệp.
II. TỔ CHỨC THỰC HIỆN
Danh sách đơn vị được kiểm tra:
[[TABLE 1]]
Nơi nhận:
- Ban Giám đốc Sở;
- Lưu: VT, CN.
KT. GIÁM ĐỐC
PHÓ GIÁM ĐỐC
Nguyễn Văn An
PHỤ LỤC I
CÁC NHIỆM VỤ
(Kèm theo Kế hoạch số 12/KH-SCT ngày 05/3/2026 của Sở Công Thương)
[[TABLE 2]]
PHỤ LỤC II
CÁC NHIỆM VỤ KHÁC
(Kèm theo Kế hoạch số 12/KH-SCT ngày 05/3/2026 của Sở Công Thương)
[[TABLE 3]]
"""
NOT_TASKS = Table(rows=(("STT", "Tên đơn vị", "Địa chỉ"), ("1", "Công ty A", "Xã B"), ("2", "Công ty C", "Xã D")))
TASKS_TT = Table(rows=(
    ("TT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời hạn", "Ghi chú"),
    ("", "(1)", "(2)", "(3)", "(4)"),  # column numbers under the header: not a task
    ("1", "Kiểm tra kho", "Sở Công Thương", "Trước ngày 30/6/2026", ""),
    ("2", "Báo cáo kết quả", "Sở Xây dựng", "Tháng 7/2026", "Gửi bản điện tử"),
))
TASKS_REPEATED = Table(rows=(
    ("STT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời hạn"),
    ("1", "Rà soát hồ sơ", "Sở Công Thương", "Quý II/2026"),
    ("1", "Tập huấn", "Sở Xây dựng", "Quý III/2026"),
))


@pytest.fixture(scope="module")
def built(registry) -> Document:
    raw = RawDocument(source=Path("ke-hoach.docx"), text=HEAD, tables=(NOT_TASKS, TASKS_TT, TASKS_REPEATED),
                      kind="docx")
    return parse_document(raw, registry, "sources/ke-hoach.docx")


def test_rows_of_tt_tables_and_repeated_numbers_have_their_anchor(built):
    rows = [t for t in built.tasks if t.anchor.startswith("pl")]
    assert [(t.section, t.anchor, t.text) for t in rows] == [
        ("Phụ lục 1, TT 1", "pl1-1", "Kiểm tra kho"),
        ("Phụ lục 1, TT 2", "pl1-2", "Báo cáo kết quả"),
        ("Phụ lục 2, STT 1", "pl2-1", "Rà soát hồ sơ"),
        ("Phụ lục 2, STT 1", "pl2-1-2", "Tập huấn"),
    ]
    assert_anchors_exist(built)


def test_a_table_that_is_not_a_task_table_gets_no_row_anchors(built):
    html = markdown_html(built.body)
    assert "<td>Công ty A</td>" in html and "<td>Công ty C</td>" in html
    assert html.count("<tr id=") == 4
    assert "Gửi bản điện tử" in html  # a column the tasks do not use is still shown


def test_render_places_only_the_anchors_the_body_writes():
    body = "| STT | Nhiệm vụ |\n|---|---|\n| 1 | Một |\n| 2 | Hai | {: #pl-2 }\n"
    html = markdown_html(body)
    assert '<tr id="pl-2">\n<td>2</td>\n<td>Hai</td>' in html
    assert "<tr>\n<td>1</td>" in html and html.count(" id=") == 1


def test_a_row_anchor_is_sanitised_like_any_other():
    body = '| STT | Nhiệm vụ |\n|---|---|\n| 1 | <b onclick="x()">Một</b> | {: #pl-1 }\n| 2 | Hai | {: #"x" }\n'
    html = markdown_html(body)
    assert '<tr id="pl-1">' in html and "&lt;b onclick" in html  # shown as text, never a tag
    assert "<b" not in html and html.count(" id=") == 1

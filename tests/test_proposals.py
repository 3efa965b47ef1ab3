"""Dated tasks in tables that are not numbered task tables (builder/parse/proposals.py) and
how reader tables become table sections (builder/parse/readertables.py).

The small tables are written here in the layout of a report's appendix ("Giải pháp, kiến nghị"
column, group rows "I. …", a "Cơ quan phụ trách" column with "Chủ trì: … Phối hợp: …"). The
LC-D05 expectations come from reading its Phụ lục 3 (../shared/samples/laocai)."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.ingest import read
from builder.model import RawDocument, Table
from builder.parse import parse_document
from builder.parse.proposals import (
    clauses,
    column_due,
    column_role,
    proposal_tasks,
    proposals,
)
from builder.parse.readertables import take_reader_tables
from conftest import LAOCAI

SOLUTIONS = Table(rows=(
    ("TT", "Dự án", "Khó khăn, vướng mắc", "Giải pháp, kiến nghị", "Cơ quan phụ trách"),
    ("I. DỰ ÁN ĐANG TRIỂN KHAI", "", "", "", ""),
    ("1", "Đường nối A", "Chậm giải phóng mặt bằng; đã hoàn thành kiểm đếm trước ngày 01/3/2026",
     ("UBND xã Gia Phú và xã Mậu A hoàn thành GPMB trước ngày 15/10/2026; Sở Tài chính bố trí vốn "
      "trong Quý IV/2026."), "Chủ trì: UBND xã Gia Phú"),
    ("2", "Trường B", "Thiếu vốn đối ứng",
     "Đã hoàn thành thẩm định trước ngày 01/3/2026. Bố trí vốn đối ứng chậm nhất ngày 30/11/2026.",
     "Chủ trì: Sở Tài chính. Phối hợp: Sở Xây dựng"),
    ("II. DỰ ÁN MỚI", "", "", "", ""),
    ("1", "Cầu C", "Chưa có thiết kế", "Đề nghị Sở Xây dựng thẩm định thiết kế trước 20/12/2026",
     "Sở Xây dựng"),
    ("2", "Chợ D", "Không có", "Tiếp tục theo dõi", "UBND xã Bảo Ái"),
))

DEADLINES = Table(rows=(
    ("Nội dung", "Đơn vị chủ trì", "Thời hạn hoàn thành"),
    ("Tổng kết mô hình điểm", "Sở Công Thương", "30/9/2026"),
    ("Báo cáo sơ kết", "Sở Tài chính", "Quý III/2026"),
    ("Tập huấn cán bộ", "Sở Nội vụ", "Từ 01/8/2026 đến 15/8/2026"),
))


@pytest.mark.parametrize(("label", "role"), [
    ("Giải pháp, kiến nghị", "task"),
    ("Đề xuất, Kiến nghị cấp thẩm quyền giải quyết", "task"),
    ("Tên nhiệm vụ /Dự án", "task"),
    ("Thời hạn hoàn thành", "due"),
    ("Thời gian thực hiện", "due"),
    ("Tiến độ hiện tại", None),  # how far the work is, not a deadline
    ("Tiến độ (Vượt/ Đạt/ Chậm)", None),
    ("Cơ quan phụ trách", "lead"),
    ("Sở, ngành chủ trì tham mưu", "lead"),
    ("Đơn vị phối hợp thực hiện", "support"),
    ("Vai trò (Chủ trì/ Phối hợp)", "role"),
    ("Khó khăn, vướng mắc", None),
    ("Nguồn lực thực hiện", None),
    ("TT", "number"),
])
def test_column_role(label, role):
    assert column_role(label) == role


def test_clauses_are_cut_at_semicolons_and_sentence_ends():
    assert clauses("A làm việc một; B làm việc hai. C làm việc ba.\nD làm 1.5 ha") == [
        "A làm việc một", "B làm việc hai", "C làm việc ba", "D làm 1.5 ha"]


@pytest.mark.parametrize(("cell", "due"), [
    ("30/9/2026", "2026-09-30"),
    ("Trước ngày 15/10/2026", "2026-10-15"),
    ("ngày 05 tháng 11 năm 2026", "2026-11-05"),
    ("Quý III/2026", None),
    ("Từ 01/8/2026 đến 15/8/2026", None),
    ("Thường xuyên", None),
])
def test_column_due(cell, due):
    assert column_due(cell) == due


def test_only_dated_clauses_of_the_solution_column_are_tasks():
    found = [(p.row, p.due, p.text) for p in proposals(SOLUTIONS)]
    assert found == [
        ("I.1", "2026-10-15", "UBND xã Gia Phú và xã Mậu A hoàn thành GPMB trước ngày 15/10/2026"),
        ("I.2", "2026-11-30", "Bố trí vốn đối ứng chậm nhất ngày 30/11/2026"),
        ("II.1", "2026-12-20", "Đề nghị Sở Xây dựng thẩm định thiết kế trước 20/12/2026"),
    ]  # not: a quarter-only deadline, work already done ('Đã hoàn thành …'), other columns


def test_lead_from_the_clause_else_from_the_lead_column(registry):
    tasks = proposal_tasks(proposals(SOLUTIONS), registry, "Phụ lục 2", "TT", "pl-bang-1")
    assert [(t.section, t.lead, t.support) for t in tasks] == [
        ("Phụ lục 2, TT I.1", ["UBND xã Gia Phú", "UBND xã Mậu A"], []),  # 'UBND xã A và xã B'
        ("Phụ lục 2, TT I.2", ["Sở Tài chính"], ["Sở Xây dựng"]),  # no subject: 'Chủ trì:' column
        ("Phụ lục 2, TT II.1", ["Sở Xây dựng"], []),  # 'Đề nghị Sở Xây dựng …'
    ]
    assert {t.anchor for t in tasks} == {"pl-bang-1"}
    assert [t.due_text for t in tasks] == ["trước ngày 15/10/2026", "chậm nhất ngày 30/11/2026", "trước 20/12/2026"]


def test_a_dated_deadline_column_makes_the_row_one_task(registry):
    items = proposals(DEADLINES)
    assert [(p.row, p.text, p.due, p.due_text) for p in items] == [
        ("dòng 1", "Tổng kết mô hình điểm", "2026-09-30", "30/9/2026")]
    (task,) = proposal_tasks(items, registry, "Phụ lục", "dòng", "pl-bang-1")
    assert task.lead == ["Sở Công Thương"] and task.section == "Phụ lục, dòng 1"


def test_tables_without_a_task_or_deadline_column_give_nothing():
    progress = Table(rows=(
        ("TT", "Cụm công nghiệp", "Tiến độ hiện tại", "Khó khăn, vướng mắc"),
        ("1", "Cụm A", "UBND xã A hoàn thành GPMB trước ngày 01/6/2026", "Thiếu vốn"),
    ))
    assert proposals(progress) == []
    assert proposals(Table(rows=())) == []


def test_a_dated_appendix_table_becomes_a_section_with_its_heading():
    text = "Đoạn cuối./.\nPhụ lục 2\nGIẢI PHÁP THÁO GỠ\n(Kèm theo Báo cáo số 12/BC-VP)\n[[TABLE 1]]"
    out, appendices, sections = take_reader_tables(text, (SOLUTIONS,))
    assert out == "Đoạn cuối./." and appendices == []
    (section,) = sections
    assert section.title == "Phụ lục 2 GIẢI PHÁP THÁO GỠ"
    assert section.caption == "(Kèm theo Báo cáo số 12/BC-VP)"
    assert section.table is SOLUTIONS and len(section.items) == 3


def test_tables_without_dated_tasks_or_without_an_appendix_heading_stay_in_place():
    undated = Table(rows=(("TT", "Giải pháp, kiến nghị"), ("1", "Tiếp tục theo dõi")))
    text = "Phụ lục 1\nDANH SÁCH\n[[TABLE 1]]\nĐoạn giữa.\n[[TABLE 2]]"
    out, appendices, sections = take_reader_tables(text, (undated, SOLUTIONS))
    assert appendices == [] and sections == []
    lines = out.split("\n")
    assert lines[:2] == ["Phụ lục 1", "DANH SÁCH"]
    assert "\n| TT | Giải pháp, kiến nghị |\n|---|---|\n| 1 | Tiếp tục theo dõi |\n" in out
    assert lines.count("Đoạn giữa.") == 1 and sum(x.startswith("| TT | Dự án") for x in lines) == 1


REPORT = """UBND TỈNH LÀO CAI
VĂN PHÒNG
Số:    /BC-VP
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Lào Cai, ngày 10 tháng 6 năm 2026
BÁO CÁO
Tình hình triển khai các dự án
I. TÌNH HÌNH CHUNG
Các dự án cơ bản đúng tiến độ.
Phụ lục 1
DANH SÁCH DỰ ÁN
[[TABLE 1]]
Phụ lục 2
GIẢI PHÁP THÁO GỠ
[[TABLE 2]]"""


def test_report_with_a_solution_table(registry):
    listing = Table(rows=(("TT", "Dự án", "Địa điểm"), ("1", "Đường nối A", "xã Gia Phú")))
    raw = RawDocument(source=Path("bao-cao.docx"), text=REPORT, tables=(listing, SOLUTIONS), kind="docx")
    doc = parse_document(raw, registry, "bao-cao.docx")
    dated = [(t.section, t.due, t.lead) for t in doc.tasks if t.due]
    assert dated == [
        ("Phụ lục 2, TT I.1", "2026-10-15", ["UBND xã Gia Phú", "UBND xã Mậu A"]),
        ("Phụ lục 2, TT I.2", "2026-11-30", ["Sở Tài chính"]),
        ("Phụ lục 2, TT II.1", "2026-12-20", ["Sở Xây dựng"]),
    ]
    assert "## Phụ lục 2 GIẢI PHÁP THÁO GỠ {: #pl-bang-1 }" in doc.body
    assert "| 2 | Chợ D | Không có | Tiếp tục theo dõi | UBND xã Bảo Ái |" in doc.body  # the whole table
    assert "| TT | Dự án | Địa điểm |\n|---|---|---|\n| 1 | Đường nối A | xã Gia Phú |" in doc.body  # in place
    assert doc.body.index("DANH SÁCH DỰ ÁN") < doc.body.index("| 1 | Đường nối A |") < doc.body.index("## Phụ lục 2")


@pytest.mark.skipif(not LAOCAI.is_dir(), reason="../shared/samples/laocai not present")
def test_lc_d05_proposals_in_appendix_3(registry):
    # Phụ lục 3 of LC-D05, column "Giải pháp, kiến nghị": row I.3 (CCN Phú Thịnh 1) "UBND
    # phường Văn Phú và xã Yên Bình hoàn thành GPMB toàn bộ 75 ha trước 30/9/2026" and row III.10
    # (CCN Đông An) "UBND xã Đông Cuông hoàn thiện hồ sơ … trước ngày 31/12/2026". The other
    # deadlines of the column are months, quarters or years.
    doc = parse_document(read(LAOCAI / "docx/LC-D05__bao-cao-vp-ubnd.docx"), registry, "LC-D05")
    table = [(t.section, t.due, t.lead) for t in doc.tasks if t.section.startswith("Phụ lục")]
    assert table == [
        ("Phụ lục 3, TT I.3", "2026-09-30", ["UBND phường Văn Phú", "UBND xã Yên Bình"]),
        ("Phụ lục 3, TT III.10", "2026-12-31", ["UBND xã Đông Cuông"]),
    ]
    assert not any("|" in t.text for t in doc.tasks)  # no table text glued into a body task
    assert doc.body.count("\n|---|") == 3  # Phụ lục 1 and 2 in the body, 3 as a section

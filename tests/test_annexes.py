"""What follows the signature (builder/parse/annexes.py, and the appendix tables cut out by
tables.py / readertables.py): kept in the body as sections with headings and real tables, and
task tables among them give tasks.

Expectations for the Lào Cai samples (../shared/samples/laocai, skipped when absent) come from
reading the documents (SOURCES.md notes; the DOCX/TXT text after the signer block).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.ingest import read
from builder.model import Document, RawDocument
from builder.parse import parse_document
from builder.parse.annexes import annexes
from builder.render import markdown_html
from conftest import LAOCAI, LAOCAI_MANIFEST

FILES = {e["id"]: e["file"] for e in LAOCAI_MANIFEST}
needs_samples = pytest.mark.skipif(not FILES, reason="../shared/samples/laocai not present")

HEAD = """ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG
VĂN PHÒNG
Số: 15/VP-TH
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Hải Phòng, ngày 10 tháng 4 năm 2026
V/v triển khai nhiệm vụ quý II năm 2026

Kính gửi: Các sở, ban, ngành thành phố.

Văn phòng Ủy ban nhân dân thành phố đề nghị các sở thực hiện các nhiệm vụ tại Phụ lục I
và gửi thông tin đầu mối theo Phụ lục II./.

Nơi nhận:
- Như trên;
- Lưu: VT, TH.
KT. CHÁNH VĂN PHÒNG
PHÓ CHÁNH VĂN PHÒNG
Trịnh Nam Hưng
"""
TASK_APPENDIX = """PHỤ LỤC I
CÁC NHIỆM VỤ QUÝ II
(Kèm theo Công văn số 15/VP-TH ngày 10/4/2026 của Văn phòng Ủy ban nhân dân thành phố)
STT\tNhiệm vụ\tĐơn vị chủ trì\tThời gian hoàn thành
1\tRà soát thủ tục hành chính\tSở Tư pháp\tTháng 5/2026
2\tBáo cáo giải ngân vốn đầu tư công\tSở Tài chính\tTháng 6/2026
"""
CONTACTS = """PHỤ LỤC II
DANH SÁCH ĐẦU MỐI LIÊN HỆ
(Kèm theo Công văn số 15/VP-TH ngày 10/4/2026 của Văn phòng Ủy ban nhân dân thành phố)
1. Sở Tư pháp: phòng Kiểm soát thủ tục hành chính.
2. Sở Tài chính: phòng Đầu tư.
"""


def _parse(registry, text: str, tables=()) -> Document:
    kind = "docx" if tables else "text"
    return parse_document(RawDocument(source=Path(f"x.{kind}"), text=text, tables=tables, kind=kind), registry,
                          f"sources/x.{kind}")


def _sample(registry, sid: str) -> Document:
    return parse_document(read(LAOCAI / FILES[sid]), registry, sid)


def test_a_text_appendix_after_the_task_table_is_kept_in_order(registry):
    doc = _parse(registry, HEAD + TASK_APPENDIX + CONTACTS)
    body = doc.body
    first = body.index("## PHỤ LỤC I CÁC NHIỆM VỤ QUÝ II {: #phu-luc-1 }")
    second = body.index("## PHỤ LỤC II DANH SÁCH ĐẦU MỐI LIÊN HỆ {: #phu-luc-2 }")
    assert first < second
    assert "Sở Tư pháp: phòng Kiểm soát thủ tục hành chính" in body[second:]
    assert [(t.section, t.anchor, t.lead) for t in doc.tasks if t.anchor.startswith("pl")] == [
        ("Phụ lục, STT 1", "pl-1", ["Sở Tư pháp"]), ("Phụ lục, STT 2", "pl-2", ["Sở Tài chính"])]


def test_a_prose_appendix_alone_after_the_signature_is_kept(registry):
    doc = _parse(registry, HEAD + CONTACTS)
    html = markdown_html(doc.body)
    assert '<h2 id="phu-luc-1">PHỤ LỤC II DANH SÁCH ĐẦU MỐI LIÊN HỆ</h2>' in html
    assert "<em>(Kèm theo Công văn số 15/VP-TH" in html
    assert "Sở Tài chính: phòng Đầu tư." in html
    assert doc.signer.name == "Trịnh Nam Hưng"


def test_a_title_line_after_the_name_is_not_an_annex(registry):
    doc = _parse(registry, HEAD + "PHÓ CHÁNH VĂN PHÒNG UBND THÀNH PHỐ\n")
    assert doc.body.startswith("Văn phòng Ủy ban nhân dân thành phố đề nghị")  # the body itself is kept
    assert "phu-luc" not in doc.body and "PHÓ CHÁNH VĂN PHÒNG UBND" not in doc.body


def test_a_table_in_layout_text_keeps_its_columns(registry):
    layout = (
        "PHỤ LỤC\nDANH SÁCH ĐƠN VỊ\n\n"
        "TT   Tên đơn vị              Địa chỉ\n"
        "1    Công ty cổ phần A       Xã Văn Chấn\n"
        "2    Công ty TNHH B          Phường Yên Bái\n"
    )
    html = markdown_html(_parse(registry, HEAD + layout).body)
    assert "<pre><code>TT   Tên đơn vị              Địa chỉ\n1    Công ty cổ phần A" in html


def test_a_caption_opens_an_annex_under_the_capitals_above_it():
    lines = ["Nguyễn Văn An", "PHÂN CÔNG NHIỆM VỤ", "CỦA TỔ CÔNG TÁC", "(Kèm theo Kế hoạch số 12/KH-SCT)",
             "1. Tổ trưởng: phụ trách chung."]
    [annex] = annexes(lines, 1)
    assert (annex.title, annex.caption, annex.start_line) == (
        "PHÂN CÔNG NHIỆM VỤ CỦA TỔ CÔNG TÁC", "(Kèm theo Kế hoạch số 12/KH-SCT)", 1)
    assert annex.lines == ("1. Tổ trưởng: phụ trách chung.",)


# ------------------------------------------------------------------ Lào Cai samples


@needs_samples
def test_laocai_plan_keeps_its_outline_appendix_and_two_report_forms(registry):
    """LC-D06: 'Phụ lục số 01: ĐỀ CƯƠNG BÁO CÁO' after the signature, an outline I–IV, then
    'Biểu 01' and 'Biểu 02', each a form (a table with its header and empty rows)."""
    doc = _sample(registry, "LC-D06")
    html = markdown_html(doc.body)
    assert '<h2 id="phu-luc-1">Phụ lục số 01: ĐỀ CƯƠNG BÁO CÁO</h2>' in html
    assert "Đặc điểm, tình hình" in html and "Phương hướng, nhiệm vụ trong thời gian tới" in html
    assert ">Biểu 01: BÁO CÁO TIẾN ĐỘ THỰC HIỆN NHIỆM VỤ TRỌNG TÂM</h3>" in html
    assert ">Biểu 02: BÁO CÁO TIẾN ĐỘ HUY ĐỘNG VÀ GIẢI NGÂN NGUỒN VỐN ĐẦU TƯ</h3>" in html
    assert "<th>Tên nhiệm vụ /Dự án</th>" in html and "<th>Tên Danh mục / Dự án đầu tư</th>" in html
    assert html.index("Biểu 01") < html.index("Tên nhiệm vụ /Dự án") < html.index("Biểu 02")
    assert not [t for t in doc.tasks if t.section.startswith("Phụ lục")]  # the forms are blank


@needs_samples
def test_laocai_assignment_table_after_the_signature_gives_tasks(registry):
    """LC-D11: 'PHÂN CÔNG NHIỆM VỤ CỦA TỔ CÔNG TÁC …' (Kèm theo Kế hoạch …), a table TT |
    Nhiệm vụ thực hiện | Người thực hiện | Ghi chú with nine rows. It names officials, no agency
    and no deadline: the tasks have neither."""
    doc = _sample(registry, "LC-D11")
    rows = [t for t in doc.tasks if t.anchor.startswith("pl")]
    assert [t.text for t in rows] == [
        "Rà soát việc đáp ứng các điều kiện của học viên", "Xây dựng bài kiểm tra, đáp án", "Tổ chức kiểm tra",
        "Tổ chức chấm bài", "Rà soát vào điểm", "Xây dựng quyết định công nhận kết quả kiểm tra",
        "In ấn chứng chỉ", "Rà soát chứng chỉ trước khi trình", "Trình ký chứng chỉ",
    ]
    assert [t.section for t in rows] == [f"Phụ lục, TT {n}" for n in range(1, 10)]
    assert all(not t.lead and not t.due for t in rows)
    html = markdown_html(doc.body)
    assert ">PHÂN CÔNG NHIỆM VỤ CỦA TỔ CÔNG TÁC KIỂM TRA, CẤP GIẤY CHỨNG NHẬN HUẤN LUYỆN" in html
    assert "<th>Người thực hiện</th>" in html and "Nguyễn Thị Loan" in html


@needs_samples
def test_laocai_task_appendix_numbered_tt(registry):
    """LC-D16: 'Phụ lục' with 14 numbered tasks under a 'TT' header and a row of column
    numbers (1)…(5) under it, which is no task."""
    doc = _sample(registry, "LC-D16")
    rows = [t for t in doc.tasks if t.anchor.startswith("pl")]
    assert [t.section for t in rows] == [f"Phụ lục, TT {n}" for n in range(1, 15)]
    assert [t.anchor for t in rows] == [f"pl-{n}" for n in range(1, 15)]


@needs_samples
def test_laocai_two_appendices_in_layout_text(registry):
    """LC-T07: PHỤ LỤC I (a schedule table, in columns) and PHỤ LỤC II (a report outline)."""
    html = markdown_html(_sample(registry, "LC-T07").body)
    assert '<h2 id="phu-luc-1">PHỤ LỤC I KẾ HOẠCH KIỂM TRA</h2>' in html
    assert '<h2 id="phu-luc-2">PHỤ LỤC II ĐỀ CƯƠNG BÁO CÁO PHỤC VỤ CÔNG TÁC KIỂM TRA</h2>' in html
    pre = html[html.index("<pre>") : html.index("</pre>")]
    assert "23/3/2026" in pre and "Hiệp Phú" in pre
    assert "Khó khăn, vướng mắc, kiến nghị" in html


@needs_samples
def test_laocai_decision_annex_table_and_meeting_report_list(registry):
    p06 = markdown_html(_sample(registry, "LC-P06").body)
    assert "<th>CĂN CỨ PHÁP LÝ</th>" in p06 and "Cấp lại chứng chỉ kiểm định viên" in p06
    d08 = markdown_html(_sample(registry, "LC-D08").body)
    assert ">Phụ lục: NỘI DUNG YÊU CẦU BÁO CÁO TẠI CUỘC HỌP</h2>" in d08
    assert "Ủy ban nhân dân xã Quy Mông" in d08 and "Công ty cổ phần Luyện kim hoá chất Tây Bắc" in d08


@needs_samples
@pytest.mark.parametrize("sid", ["LC-D13", "LC-T04"])
def test_laocai_lines_after_the_name_that_open_no_annex_stay_out(registry, sid):
    """LC-D13 repeats the signer's title under the name; LC-T04 ends with a note added to the
    extract. Neither is an appendix."""
    body = _sample(registry, sid).body
    assert len(body) > 500 and "phu-luc" not in body  # the document was read, and no annex opened

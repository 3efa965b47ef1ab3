"""Header fields, tasks and references of the four seeds, against expectations written
from reading each document (content/sources/), not from the program's output."""

from __future__ import annotations

import pytest

from conftest import SEED_576, SEED_BC_267, SEED_CV_2025, SEED_CV_2026

HEADERS = {
    SEED_576: dict(id="2025-576-tb-vp", number="576", symbol="TB-VP", type="Thông báo", issued="2025-10-10",
                   place="Hải Phòng", issuer="Văn phòng Ủy ban nhân dân thành phố",
                   title_start="Kết luận của đồng chí Lê Ngọc Châu", title_end="tuần 41 năm 2025",
                   signer=("Hoàng Văn Thực", "Chánh Văn phòng", None), presiding="Lê Ngọc Châu"),
    SEED_CV_2025: dict(number=None, symbol="VP-TH", type="Công văn", issued="2025-09", place="Hải Phòng",
                       issuer="Văn phòng Ủy ban nhân dân thành phố",
                       title_start="triển khai thực hiện Nghị quyết Phiên họp Chính phủ",
                       title_end="thường kỳ tháng 8 năm 2025",
                       signer=("Hoàng Văn Thực", "Chánh Văn phòng", None), presiding="Lê Anh Quân"),
    SEED_CV_2026: dict(number=None, symbol="VP-TH", type="Công văn", issued="2026-04", place="Hải Phòng",
                       issuer="Văn phòng Ủy ban nhân dân thành phố",
                       title_start="triển khai thực hiện Nghị quyết Phiên họp Chính phủ",
                       title_end="thường kỳ tháng 3/2026",
                       signer=("Trịnh Nam Hưng", "Phó Chánh Văn phòng", "KT"),
                       # the appendix names "Phó Chủ tịch Thường trực UBND thành phố Lê Anh Quân"
                       presiding="Lê Anh Quân"),
    SEED_BC_267: dict(id="2024-267-bqp-ubnd", number="267", symbol="BQP-UBND", type="Báo cáo", issued="2024-08-08",
                      place="Hải Phòng", issuer="Ủy ban nhân dân thành phố Hải Phòng",
                      title_start="Tình hình kinh tế - xã hội thành phố tháng 7 năm 2024",
                      title_end="tháng 7 năm 2024", signer=("Nguyễn Văn Tùng", "Chủ tịch", "TM"), presiding=None),
}


@pytest.mark.parametrize("seed", sorted(HEADERS))
def test_header_fields(seeds, seed):
    doc, want = seeds[seed], HEADERS[seed]
    if "id" in want:
        assert doc.id == want["id"]
    assert doc.number == want["number"]
    assert doc.symbol == want["symbol"]
    assert doc.type == want["type"]
    assert doc.issued == want["issued"]
    assert doc.place == want["place"]
    assert doc.issuer == want["issuer"]
    assert doc.title.startswith(want["title_start"]) and doc.title.endswith(want["title_end"])
    assert "V/v" not in doc.title and "**" not in doc.title
    assert (doc.signer.name, doc.signer.position, doc.signer.authority) == want["signer"]
    assert doc.presiding == want["presiding"]


def test_unnumbered_documents_get_distinct_readable_ids(seeds):
    ids = {seeds[s].id for s in (SEED_CV_2025, SEED_CV_2026)}
    assert ids == {"2025-vp-th-trien-khai-thuc-hien-nghi-quyet", "2026-vp-th-trien-khai-thuc-hien-nghi-quyet"}


def test_kinh_gui_and_noi_nhan(seeds):
    cv = seeds[SEED_CV_2025]
    assert cv.recipients[:2] == ["Các Sở, ban, ngành thành phố", "Ủy ban nhân dân cấp xã"]
    assert "Như trên" in cv.recipients
    tb = seeds[SEED_576]
    assert tb.recipients[0] == "Chủ tịch UBND thành phố"
    assert "UBND các xã, phường, đặc khu" in tb.recipients
    assert seeds[SEED_BC_267].signer.on_behalf_of == "Ủy ban nhân dân"
    assert seeds[SEED_CV_2026].signer.on_behalf_of == "Chánh Văn phòng"


# Every "hoàn thành/báo cáo trước ngày dd/mm/yyyy" in 576/TB-VP, with the agency that must do it
# (read from the document: the item's own "Chỉ đạo <agency>" or its parent's).
DATED_576 = [
    ("2.2.3.1", "Sở Xây dựng", "2025-10-17"),
    ("4.2.1.b", "Văn phòng Ủy ban nhân dân thành phố", "2025-10-14"),
    ("4.2.2.a.1", "Sở Nông nghiệp và Môi trường", "2025-10-13"),
    ("4.2.2.a.2", "Sở Nông nghiệp và Môi trường", "2025-10-13"),
    ("4.2.2.a.3", "Sở Nông nghiệp và Môi trường", "2025-10-14"),
    ("4.2.2.b.1", "Văn phòng Ủy ban nhân dân thành phố", "2025-10-17"),
    ("4.2.2.b.2", "Văn phòng Ủy ban nhân dân thành phố", "2025-10-16"),
    ("4.2.2.c.1", "Sở Tài chính", "2025-11-07"),
    ("4.2.2.d", "Sở Xây dựng", "2025-10-18"),
    ("4.2.2.đ", "Ban Quản lý Khu kinh tế Hải Phòng", "2025-11-20"),
    ("4.2.3.a", "Các sở, ban, ngành thành phố", "2025-10-22"),
    ("4.2.3.b", "Sở Tài chính", "2025-11-05"),
    ("4.2.3.c", "Sở Tài chính", "2025-11-05"),
    ("4.2.3.d", "Sở Tài chính", "2025-10-20"),
    ("4.2.3.e.2", "Sở Tài chính", "2025-10-15"),
    ("4.2.3.g.2", "Văn phòng Ủy ban nhân dân thành phố", "2025-10-17"),
    ("4.2.3.h", "Sở Nông nghiệp và Môi trường", "2025-10-17"),
    ("4.2.3.i", "Sở Xây dựng", "2025-11-30"),
    ("4.2.4.a", "Các sở, ban, ngành thành phố", "2025-10-15"),
    ("4.2.4.b.1", "Sở Nội vụ", "2025-10-31"),
    ("4.2.4.đ", "Văn phòng Ủy ban nhân dân thành phố", "2025-10-17"),
    ("4.2.5.a.1", "Văn phòng Ủy ban nhân dân thành phố", "2025-10-17"),
    ("4.2.5.a.2", "Văn phòng Ủy ban nhân dân thành phố", "2025-10-17"),
    ("4.2.5.a.3", "Văn phòng Ủy ban nhân dân thành phố", "2025-10-17"),
    ("4.2.5.c.1", "Sở Công Thương", "2025-10-15"),
]
LEADERS_576 = {"4.2.1": "Lê Ngọc Châu", "4.2.2": "Lê Anh Quân", "4.2.3": "Trần Văn Quân",
               "4.2.4": "Nguyễn Minh Hùng", "4.2.5": "Hoàng Minh Cường"}


def test_every_dated_task_of_576_with_its_lead(seeds):
    doc = seeds[SEED_576]
    dated = sorted((t.section, t.lead[0] if t.lead else None, t.due) for t in doc.tasks if t.due)
    assert dated == sorted(DATED_576)


def test_tasks_of_576_carry_the_leader_who_directs_them(seeds):
    for t in seeds[SEED_576].tasks:
        prefix = ".".join(t.section.split(".")[:3])
        assert t.leader == LEADERS_576.get(prefix), t.section


def test_task_due_text_as_written_and_support(seeds):
    doc = seeds[SEED_576]
    by_section = {t.section: t for t in doc.tasks}
    assert by_section["4.2.4.b.1"].due_text == "báo cáo trước ngày 31/10/2025"
    assert by_section["2.2.3.1"].due_text == "hoàn thành trước ngày 17/10/2025"
    assert by_section["2.2.2.1"].lead == ["Văn phòng Ủy ban nhân dân thành phố"]
    assert by_section["2.2.2.1"].support == ["Văn phòng Đảng ủy Ủy ban nhân dân thành phố", "Sở Y tế"]
    assert by_section["4.2.2.e"].lead == ["Sở Nông nghiệp và Môi trường", "Sở Xây dựng", "Đặc khu Cát Hải"]
    assert by_section["4.2.1.b"].support == ["Bộ Chỉ huy Quân sự thành phố"]


def test_task_anchors_exist_in_the_body(seeds):
    for doc in seeds.values():
        for t in doc.tasks:
            assert f"#{t.anchor} " in doc.body or f"{{: #{t.anchor} }}" in doc.body or t.anchor.startswith("pl"), (doc.id, t.anchor)
        anchors = [t.anchor for t in doc.tasks]
        assert len(anchors) == len(set(anchors)), doc.id


def test_body_tasks_of_the_2025_cong_van(seeds):
    doc = seeds[SEED_CV_2025]
    body = [t for t in doc.tasks if not t.anchor.startswith("pl")]
    item2 = next(t for t in body if t.section == "2")
    assert item2.lead[:3] == ["Công an thành phố Hải Phòng", "Bộ Chỉ huy Quân sự thành phố", "Cảng hàng không quốc tế Cát Bi"]
    item3 = next(t for t in body if t.section == "3")
    assert item3.lead == ["Sở Tài chính"]
    bullets = [t for t in body if t.section == "1"]
    assert len(bullets) == 7  # the seven "-" items under "1. Yêu cầu các Sở, ban, ngành…"
    assert all(t.lead == ["Các sở, ban, ngành thành phố", "Ủy ban nhân dân cấp xã"] for t in bullets)


REFS_576 = {
    ("126", "TB/TU", "2025-08-26", "Thông báo"), ("09", "NQ/TU", None, "Nghị quyết"),
    ("201", "KH-UBND", "2025-08-18", "Kế hoạch"), ("202", "KH-UBND", "2025-08-18", "Kế hoạch"),
    ("226", "2025/QH15", "2025-06-27", "Nghị quyết"), ("3925", "QĐ-UBND", "2025-10-01", "Quyết định"),
    ("184", "CD-TTg", "2025-10-02", "Công điện"), ("195", "KL/TW", "2025-09-26", "Kết luận"),
    ("72", "NQ/TW", "2025-09-09", "Nghị quyết"), ("59", "NQ/TW", None, "Nghị quyết"),
    ("153", "NQ-CP", None, "Nghị quyết"), ("05", "CTr/TU", None, "Chương trình hành động"),
}


def test_every_reference_of_576(seeds):
    got = {(r.number, r.symbol, r.date, r.type) for r in seeds[SEED_576].references}
    assert got == REFS_576
    by_symbol = {r.symbol: r for r in seeds[SEED_576].references}
    assert by_symbol["NQ/TW"].issuer == "Bộ Chính trị"
    assert by_symbol["TB/TU"].issuer == "Thành ủy"


def test_references_broken_across_lines_in_pdf_text(seeds):
    # 001: "Nghị quyết số \n226/2025/QH15 ngày 27/6/2025 của Quốc hội" is wrapped in the source
    got = {(r.number, r.symbol, r.date) for r in seeds[SEED_CV_2025].references}
    assert {("273", "NQ-CP", "2025-09-09"), ("175", "KH-UBND", "2025-07-28"), ("179", "KH-UBND", "2025-07-30"),
            ("203", "KH-UBND", "2025-08-18"), ("226", "2025/QH15", "2025-06-27")} <= got


def test_people_and_agencies_by_canonical_name(seeds):
    doc = seeds[SEED_576]
    for person in ("Lê Ngọc Châu", "Lê Anh Quân", "Trần Văn Quân", "Nguyễn Minh Hùng", "Hoàng Minh Cường", "Hoàng Văn Thực"):
        assert person in doc.people
    # named in "Thủ trưởng các sở, ban, ngành: Tài chính, Xây dựng, …, Giáo dục và Đào tạo"
    for agency in ("Sở Tài chính", "Sở Xây dựng", "Sở Tư pháp", "Sở Khoa học và Công nghệ", "Sở Giáo dục và Đào tạo",
                   "Sở Văn hóa, Thể thao và Du lịch", "Thuế thành phố Hải Phòng"):
        assert agency in doc.agencies
    assert doc.unverified == []


def test_footnotes_become_markdown_footnotes(seeds):
    body = seeds[SEED_BC_267].body
    assert "[^1]:" in body and "[^19]:" in body
    assert "cùng kỳ[^1]" in body


# Every number-symbol cited in the other seeds, listed from the source text (wrapped lines
# joined by hand): 001 breaks "Kế hoạch số 238/KH-" / "UBND ngày 13/9/2025" across lines.
CITED = {
    SEED_CV_2025: {"273/NQ-CP", "175/KH-UBND", "179/KH-UBND", "203/KH-UBND", "226/2025/QH15", "444/QĐ-TTg",
                   "112/CĐ-TTg", "238/KH-UBND", "12-KH/TU", "57-NQ/TW", "26/2020/QĐ-UBND", "42/2023/QĐ-UBND",
                   "71-NQ/TW", "66-NQ/TW", "2795/2016/QĐ-UBND", "133/KH-UBND", "154/KH-UBND"},
    SEED_CV_2026: {"89/NQ-CP", "101/2026/NĐ-CP", "2092/NQ-UBTVQH15", "09-KL/TW", "431/QĐ-TTg", "270/TTg-KGVX",
                   "18-CTr/TU", "80-NQ/TW"},
    SEED_BC_267: {"08-NQ/TU", "12-NQ/TU", "14-NQ/TU", "178/KH-UBND", "1869/QĐ-UBND", "2117/QĐ-UBND", "2285/QĐ-UBND",
                  "2347/QĐ-UBND", "2863/VP-TL", "31/KH-UBND", "321/KL-TU", "323/QĐ-TTg", "35/2021/QH15", "36-NQ/TW",
                  "39/KH-UBND", "4842/VP-TL", "60/2024/NĐ-CP", "62/2022/QĐ-UBND"},
}


@pytest.mark.parametrize("seed", sorted(CITED))
def test_every_reference_of_the_other_seeds(seeds, seed):
    got = set()
    for r in seeds[seed].references:
        party = "/" in r.symbol and not r.symbol.split("/")[0].isdigit()
        got.add(f"{r.number}-{r.symbol}" if party else f"{r.number}/{r.symbol}")
    assert got == CITED[seed]
    dates = {f"{r.number}/{r.symbol}": r.date for r in seeds[seed].references}
    if seed == SEED_CV_2025:
        assert dates["238/KH-UBND"] == "2025-09-13" and dates["112/CĐ-TTg"] == "2024-11-06"
    if seed == SEED_CV_2026:
        assert dates["09/KL/TW"] == "2026-03-10"  # "ngày 10 tháng 3 năm 2026"


def test_appendix_cells_listing_several_supporting_bodies(seeds):
    """Rows 33, 38 and 57 of the 2025 Công văn's appendix: the 'Cơ quan phối hợp' cell lists
    bodies separated by ';'. Before, the second was lost when the first was in the registry
    (38, 57), or the whole cell became one name (33)."""
    rows = {t.anchor: t for t in seeds[SEED_CV_2025].tasks}
    assert rows["pl-33"].support == ["Các cơ quan, đơn vị liên quan", "các cơ sở giáo dục trên địa bàn thành phố"]
    # 'Ủy ban nhân dân xã, phường, đặc khu' and 'Các xã, phường và đặc khu': the registry's group
    assert rows["pl-38"].support[1:] == rows["pl-57"].support[1:] == ["Ủy ban nhân dân cấp xã"]
    assert rows["pl-38"].support[0] == rows["pl-57"].support[0] == "Các sở, ban, ngành thành phố"


@pytest.mark.parametrize(("text", "addressees", "copies", "expected"), [
    # a letter to one company; the company it copies is not asked
    ("Đề nghị Công ty khẩn trương bổ sung hồ sơ.", ["Công ty cổ phần ABC"], [], ["Công ty cổ phần ABC"]),
    # to a Sở, copied to a company: 'Công ty' is the copied company, not the Sở
    ("Đề nghị Công ty khẩn trương bổ sung hồ sơ.", ["Sở Xây dựng"], ["Công ty cổ phần ABC"], ["Công ty cổ phần ABC"]),
    # 'đơn vị thi công' is another party, whoever the letter goes to
    ("Yêu cầu đơn vị thi công bảo đảm an toàn.", ["Sở Xây dựng"], [], []),
    ("Theo đề nghị của Sở Tài chính, đề nghị Công ty rà soát.", ["Công ty TNHH X"], [], ["Công ty TNHH X"]),
    # the words that make 'đơn vị thi công' another party do not stop 'Công ty chủ động …'
    ("Đề nghị Công ty chủ động phối hợp.", ["Công ty cổ phần Mông Sơn"], [], ["Công ty cổ phần Mông Sơn"]),
    # 'Công ty tư vấn …' is another party, as 'đơn vị thi công' is
    ("Đề nghị Công ty tư vấn thiết kế rà soát.", ["Công ty cổ phần Mông Sơn"], [], []),
    # 'sở' inside 'cơ sở' is no Sở
    ("Đề nghị Sở rà soát.", ["Trung tâm cơ sở dữ liệu"], [], []),
])
def test_agency_named_by_its_kind(text, addressees, copies, expected):
    from builder.parse.tasks import _addressed
    assert _addressed(text, addressees, copies) == expected


@pytest.mark.parametrize(("cell", "expected"), [
    ("Trung tâm Phát triển quỹ đất tỉnh", ["Trung tâm Phát triển quỹ đất tỉnh"]),  # unknown: kept whole
    ("Các Sở, ban, ngành; Ủy ban nhân dân xã, phường, đặc khu", ["Các sở, ban, ngành thành phố", "Ủy ban nhân dân cấp xã"]),
])
def test_appendix_cell_agencies(cell, expected, registry):
    from builder.parse import _agency_list
    assert _agency_list(cell, registry) == expected


NOTICE = """ỦY BAN NHÂN DÂN
THÀNH PHỐ HẢI PHÒNG
Số: 123/UBND-TH
V/v triển khai các nhiệm vụ trọng tâm
CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Hải Phòng, ngày 10 tháng 10 năm 2025
Kính gửi:
- Sở Tài chính;
- Sở Xây dựng.
Ủy ban nhân dân thành phố có ý kiến như sau:
1. Sở Tài chính:
- Kế hoạch đầu tư công năm 2026: khẩn trương rà soát, tham mưu phân bổ chi tiết.
- Văn bản số 456/SXD-QLN ngày 01/10/2025 của Sở Xây dựng: nghiên cứu, tham mưu xử lý theo thẩm quyền.
- Hợp đồng BT Dự án đường Vành đai 2: rà soát, đề xuất phương án thanh toán.
2. Sở Xây dựng:
a) Giấy phép xả thải: hoàn thiện thủ tục đề nghị cấp lại.
b) Danh sách các công trình chậm tiến độ: công khai trên Cổng thông tin điện tử thành phố.
Nơi nhận:
- Như trên;
- Lưu: VT.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Nguyễn Văn A
"""


def test_items_opening_with_a_paper_are_tasks_in_a_notice(registry):
    """'- Kế hoạch …: khẩn trương rà soát' under '1. Sở Tài chính:' is an instruction to that
    Sở; only in a report (LC-D13) does such an item list what was found."""
    from pathlib import Path
    from builder.model import RawDocument
    from builder.parse import parse_document
    doc = parse_document(RawDocument(Path("cv.txt"), NOTICE), registry, "cv.txt")
    leads = [(t.text.split()[0], t.lead) for t in doc.tasks]
    assert leads == [("Kế", ["Sở Tài chính"]), ("Văn", ["Sở Tài chính"]), ("Hợp", ["Sở Tài chính"]),
                     ("a)", ["Sở Xây dựng"]), ("b)", ["Sở Xây dựng"])], leads

"""Tests for builder.parse.tables (appendix task tables).

The expectations for the real documents were compiled by reading the source files.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from builder.model import Table
from builder.parse.tables import (
    Appendix,
    AppendixRow,
    appendix_markdown,
    column_key,
    join_lines,
    rows_from_table,
    split_appendices,
)

SOURCES = Path(__file__).resolve().parents[1] / "content/sources"
FIELDS = ("number", "text", "lead", "support", "due_text", "result", "authority", "leader")

UB = "Ủy ban nhân dân thành phố"
HD = "Hội đồng nhân dân thành phố"


def _read(name: str) -> str:
    return (SOURCES / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def doc001() -> tuple[str, str, list[Appendix]]:
    text = _read("001_f881cb5f2196ceef.txt")
    before, appendices = split_appendices(text)
    return text, before, appendices


@pytest.fixture(scope="module")
def doc003() -> tuple[str, str, list[Appendix]]:
    text = _read("003_cd82417a3351c5a1.txt")
    before, appendices = split_appendices(text)
    return text, before, appendices


def _by_number(appendix: Appendix) -> dict[int, AppendixRow]:
    return {int(row.number): row for row in appendix.rows}


# ------------------------------------------------------------------ 001: PDF text, cell by cell

LEADS_001 = [
    # 1-8
    "Sở Công Thương", "Sở Công Thương", "Sở Công Thương", "Sở Công Thương",
    "Sở Công Thương", "Sở Công Thương", "Sở Công Thương", "Sở Công Thương",
    # 9-14
    "Sở Xây dựng", "Sở Xây dựng", "Sở Xây dựng", "Sở Xây dựng", "Sở Xây dựng", "Sở Xây dựng",
    # 15-18
    "Sở Tài chính", "Sở Tài chính", "Sở Tài chính", "Sở Tài chính",
    # 19-23 (row 20's name is split by a page break: "Sở Khoa học và" | "Công nghệ")
    "Sở Khoa học và Công nghệ", "Sở Khoa học và Công nghệ", "Sở Khoa học và Công nghệ",
    "Sở Khoa học và Công nghệ", "Sở Khoa học và Công nghệ",
    # 24-29
    "Sở Văn hoá, Thể thao và Du lịch", "Sở Văn hoá, Thể thao và Du lịch",
    "Sở Văn hoá, Thể thao và Du lịch", "Sở Văn hoá, Thể thao và Du lịch",
    "Sở Văn hoá, Thể thao và Du lịch", "Sở Văn hoá, Thể thao và Du lịch",
    # 30-33
    "Sở Giáo dục và Đào tạo", "Sở Giáo dục và Đào tạo", "Sở Giáo dục và Đào tạo",
    "Sở Giáo dục và Đào tạo",
    # 34-37
    "Sở Y tế", "Sở Y tế", "Sở Y tế", "Sở Y tế",
    # 38-45
    "Sở Tư pháp", "Sở Tư pháp", "Sở Tư pháp", "Sở Tư pháp",
    "Sở Tư pháp", "Sở Tư pháp", "Sở Tư pháp", "Sở Tư pháp",
    # 46-52
    "Sở Ngoại vụ", "Sở Ngoại vụ", "Sở Ngoại vụ", "Sở Ngoại vụ",
    "Sở Ngoại vụ", "Sở Ngoại vụ", "Sở Ngoại vụ",
    # 53-60
    "Sở Nội vụ", "Sở Nội vụ", "Sở Nội vụ", "Sở Nội vụ",
    "Sở Nội vụ", "Sở Nội vụ", "Sở Nội vụ", "Sở Nội vụ",
    # 61 (the cell ends with a line holding just "6")
    "Ngân hàng Nhà nước Chi nhánh Khu vực 6",
]

DUE_001 = [
    "Tháng 12", "Thường xuyên", "Thường xuyên", "Thường xuyên", "Quý IV/2025",  # 1-5
    "Thực hiện theo tiến độ Kế hoạch", "Quý IV/2025", "Thực hiện theo tiến độ Kế hoạch",  # 6-8
    "Năm 2025",  # 9
    "Đảm bảo điều kiện khởi công vào ngày 19/12/2025",  # 10
    "Tháng 9", "Hàng tháng", "Tháng 11", "Năm 2025",  # 11-14
    "Trước ngày 31/12/2025", "Quý IV/2025", "Tháng 9", "Thường xuyên",  # 15-18
    "Định kỳ theo yêu cầu tại Kế hoạch 238/KH-UBND hoặc đột xuất theo yêu cầu",  # 19
    "Tháng 9/2025 báo cáo Ủy ban nhân dân thành phố",  # 20, continued after a page break
    "Tháng 12", "Tháng 12", "Tháng 12",  # 21-23, printed on the result's line ("Báo cáo Tháng 12")
    "Quý III và Quý IV/2025", "Quý IV/2025", "Quý IV/2025", "Tháng 9, 10",  # 24-27
    "Tháng 8-tháng 11", "Tháng 8-tháng 11",  # 28-29
    "Tháng 9", "Quý IV/2025", "Quý IV/2025",  # 30-32
    "Sau khi Chương trình hành động của Ban Thường vụ Thành ủy ban hành",  # 33
    "Theo Đề án", "Khẩn cấp; thường xuyên", "Đột xuất; thường xuyên",  # 34-36
    "Quý III và Quý IV/2025",  # 37
    "Sau khi Ban Thường vụ Thành ủy ban hành Chương trình hành động",  # 38
    "Thường xuyên", "Tháng 9", "Tháng 9", "Tháng 10", "Tháng 10", "Tháng 12",  # 39-44
    "03 tháng cuối năm 2025 và những năm tiếp theo",  # 45
    "Thường xuyên", "Quý IV/2025", "Thường xuyên", "Thường xuyên", "Thường xuyên",  # 46-50
    "Quý IV/2025 theo tiến độ kế hoạch", "Quý IV/2025",  # 51-52
    "Dự kiến hoàn thành trong tháng 10/2025 (sau khi có hướng dẫn của Bộ Nội vụ)",  # 53
    "Từ tháng 10/2025 đến tháng 02/2026", "Tháng 9", "Thường xuyên",  # 54-56
    "Từ tháng 9/2025 đến tháng 4/2026", "Từ tháng 10/2025",  # 57-58
    "Từ tháng 7 đến hết tháng 12 năm 2025", "Theo lộ trình", "Năm 2025",  # 59-61
]

_CT, _XD, _TC = "Sở Công Thương", "Sở Xây dựng", "Sở Tài chính"
_KH, _VH = "Sở Khoa học và Công nghệ", "Sở Văn hoá, Thể thao và Du lịch"
AUTHORITY_001 = [
    UB, _CT, _CT, _CT, UB, _CT, _CT, _CT,  # 1-8
    UB, UB, _XD, _XD, UB, UB,  # 9-14
    "Theo quy định của Luật Quy hoạch (sửa đổi)", UB, UB, _TC,  # 15-18
    _KH, UB, UB, UB, UB,  # 19-23
    _VH, UB, _VH, UB, UB, UB,  # 24-29
    UB, HD, HD, UB,  # 30-33
    UB, "Sở Y tế", "Sở Y tế", "Sở Y tế",  # 34-37
    UB, UB, UB, UB, UB, UB, UB, "Thành ủy Hải Phòng",  # 38-45
    UB, UB, UB, UB, UB, UB, UB,  # 46-52
    UB, UB, HD, "Sở Nội vụ", UB, HD, UB,  # 53-59
    "Ủy ban nhân dân thành phố, Sở Nội vụ",  # 60: two authorities
    "Ngân hàng Nhà nước Chi nhánh Khu vực 6",  # 61
]

TEXT_001 = {
    1: "Tham mưu Ủy ban nhân dân thành phố thành lập các CCN theo quy hoạch được duyệt: "
    "Quyết Tiến; Kiền Bái - Cao Nhân; Nam Am; An Thọ - Chiến Thắng",
    # continued after the repeated page header
    5: "Xây dựng và triển khai Chương trình bình ổn thị trường các mặt hàng lương thực "
    "thực phẩm thiết yếu các tháng cuối năm 2025 và Tết Nguyên Đán Bính Ngọ 2026",
    19: "Tham mưu cho Ủy ban nhân dân thành phố triển khai thực hiện Kế hoạch số "
    "238/KH-UBND ngày 13/9/2025 thực hiện Kế hoạch hành động số 12-KH/TU ngày 26/8/2025 "
    "của Ban Thường vụ Thành ủy về thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của "
    "Bộ Chính trị về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển "
    "đổi số quốc gia",
    28: "Tiếp tục tham mưu thực hiện xây dựng Quyết định ban hành Quy chế quản lý hoạt động "
    "du lịch và phương tiện thủy nội địa phục vụ khách du lịch trên các vịnh thuộc quần đảo "
    "Cát Bà, Đặc khu Cát Hải, thành phố Hải Phòng (thay thế Quyết định số 26/2020/QĐ-UBND "
    "ngày 02/10/2020 của Ủy ban nhân dân thành phố về việc ban hành Quy chế quản lý hoạt "
    "động du lịch trên các vịnh thuộc quần đảo Cát Bà, huyện Cát Hải, thành phố Hải Phòng "
    "và Quyết định số 42/2023/QĐ-UBND ngày 10/11/2023 sửa đổi, bổ sung một số điều của Quy "
    "chế quản lý hoạt động du lịch trên các vịnh thuộc quần đảo Cát Bà, huyện Cát Hải, "
    "thành phố Hải Phòng ban hành kèm theo Quyết định số 26/2020/QĐ-UBND ngày 02/10/2020 "
    "của Ủy ban nhân dân thành phố)",
    40: "Tham mưu Quyết định thay thế Quyết định số 2795/2016/QĐ-UBND ngày 14/11/2016 ban "
    "hành Quy chế xây dựng và ban hành văn bản quy phạm pháp luật của Ủy ban nhân dân "
    "thành phố Hải Phòng",
    57: "Triển khai thực hiện các nhiệm vụ về công tác bầu cử đại biểu Quốc hội khóa XVI và "
    "đại biểu Hội đồng nhân dân các cấp nhiệm kỳ 2026-2031",
    59: "Theo dõi, đôn đốc triển khai Kế hoạch thực hiện Chương trình tổng thể Cải cách hành "
    "chính giai đoạn 2021-2025; Kế hoạch cải cách hành chính năm 2025 gắn với duy trì, cải "
    "thiện 03 Chỉ số: PAR Index, SIPAS, PAPI",
}

_QD = "Quyết định"
_VB_UB = "Văn bản chỉ đạo của Ủy ban nhân dân thành phố"
RESULT_001 = [
    "Quyết định thành lập CCN",  # 1
    "Đảm bảo tiến độ GPMB và đầu tư xây dựng theo kế hoạch",  # 2
    "Công văn triển khai, hướng dẫn, thực hiện các nhiệm vụ đảm bảo cung ứng đủ điện cho "
    "hoạt động kinh tế - xã hội",  # 3
    "Văn bản hướng dẫn; tổ chức các hội nghị, chương trình kết nối, các đoàn xúc tiến "
    "thương mại",  # 4
    "Kế hoạch thực hiện Chương trình",  # 5
    "Văn bản hướng dẫn, tổ chức các hội nghị, phiên kết nối, tuyên truyền FTAs…",  # 6
    "Tổ chức Hội nghị đối thoại ngành Công Thương",  # 7
    "Các cuộc kiểm tra theo kế hoạch",  # 8
    "Hồ sơ điều chỉnh cục bộ Quy hoạch chung thành phố Hải Phòng và các cấp độ quy hoạch "
    "đô thị và nông thôn trình Ủy ban nhân dân thành phố",  # 9
    "Phối hợp đẩy nhanh tiến độ triển khai các nhiệm vụ để đảm bảo điều kiện khởi công "
    "vào ngày 19/12/2025",  # 10
    "Báo cáo phương án đầu tư xây dựng",  # 11
    "Văn bản công bố giá vật liệu xây dựng, tập chỉ số giá xây dựng",  # 12
    "Đề xuất, báo cáo, tham mưu dự thảo Văn bản của Ủy ban nhân dân thành phố gửi Bộ Xây "
    "dựng",  # 13
    "Hoàn thành 10.694 căn nhà ở xã hội",  # 14
    "Quy hoạch thành phố điều chỉnh",  # 15
    "Phấn đấu đến 31/12/2025 giải ngân hết 100% kế hoạch vốn Thủ tướng Chính phủ giao",  # 16
    "Thành lập Tổ công tác về rà soát, tháo gỡ khó khăn, vướng mắc cho các dự án của thành "
    "phố",  # 17
    "Giải quyết dứt điểm các dự án tồn đọng",  # 18
    "Báo cáo theo yêu cầu tại Kế hoạch số 238/KH-UBND",  # 19
    "Tờ trình kèm theo dự thảo quyết định",  # 20
    "Báo cáo, đề xuất", "Báo cáo", "Dự thảo kế hoạch",  # 21-23
    "Kế hoạch, Báo cáo kết quả thực hiện năm 2025",  # 24
    "Đề án",  # 25
    "Báo cáo kết quả thực hiện năm 2025",  # 26
    "Kế hoạch", "Quyết định ban hành",  # 27-28
    "Bộ tiêu chí Du lịch xanh của thành phố Hải Phòng",  # 29
    "Quyết định của Ủy ban nhân dân thành phố",  # 30
    "Hồ sơ Nghị quyết trình Hội đồng nhân dân thành phố",  # 31
    "Hồ sơ Nghị quyết trình Hội đồng nhân dân thành phố",  # 32
    "Văn bản/Kế hoạch triển khai Ủy ban nhân dân thành phố",  # 33
    "Đề án “Nâng cao năng lực hệ thống y tế thành phố Hải Phòng đến 2030, tầm nhìn đến "
    "năm 2045”",  # 34
    "Các Kế hoạch, Công văn chỉ đạo", "Các Kế hoạch, Công văn chỉ đạo",  # 35-36
    "Triển khai 100% Hồ sơ bệnh án điện tử tại các cơ sở khám bệnh, chữa bệnh trên địa bàn "
    "thành phố Hải Phòng",  # 37
    "Văn bản chỉ đạo, hướng dẫn", "Báo cáo",  # 38-39
    _QD, _QD, _QD, _QD, _QD,  # 40-44
    "Mô hình được phê duyệt",  # 45
    "Thiết lập các quan hệ hợp tác mới tập trung thu hút vốn FDI",  # 46
    "Kế hoạch trình Ủy ban nhân dân thành phố",  # 47
    "- Tổ chức đa dạng các hoạt động đối ngoại trong khuôn khổ các thỏa thuận đã ký kết "
    "theo kế hoạch - Mở rộng hợp tác mới trên các lĩnh vực ưu tiên phát triển của thành "
    "phố",  # 48
    "Bảo đảm đạt được mục tiêu, nội dung trọng tâm của chuyến thăm, góp phần tăng cường "
    "quan hệ hợp tác, xúc tiến đầu tư và quảng bá hình ảnh thành phố",  # 49
    "Đạt mục tiêu duy trì giá trị vận động từ 4-5 triệu USD/năm",  # 50
    "Tổ chức đa dạng các sự kiện văn hóa quốc tế",  # 51
    "Quảng bá về hình ảnh, sự phát triển của thành phố trên các kênh quốc tế",  # 52
    "Quyết định công nhận kết quả phân loại đơn vị hành chính cấp xã",  # 53
    _VB_UB,  # 54
    "Đề án/Nghị quyết thu hút, tuyển dụng, đãi ngộ nhân lực có trình độ cao về khoa học, "
    "công nghệ, đổi mới sáng tạo và chuyển đổi số về làm việc tại các cơ quan nhà nước",  # 55
    "Các lớp tập huấn, bồi dưỡng",  # 56
    _VB_UB, _VB_UB,  # 57-58
    "Các kế hoạch, văn bản chỉ đạo của Ủy ban nhân dân thành phố",  # 59
    "Các văn bản chỉ đạo, triển khai thực hiện",  # 60
    "Tăng trưởng tín dụng phù hợp, hiệu quả, đáp ứng nhu cầu vốn cho nền kinh tế",  # 61
]

SUPPORT_001 = {
    5: "Các Sở, ban, ngành, Ủy ban nhân dân các xã, phường, đặc khu và đơn vị liên quan",
    13: "Các Sở, ngành, địa phương, Chủ đầu tư",
    27: "Sở Tài chính, các sở, ngành, đơn vị, địa phương liên quan",
    56: "Sở Khoa học và Công nghệ, Các cơ quan, đơn vị, địa phương",
    60: "Các sở, ban, ngành",
}


def test_001_one_appendix_with_heading(doc001):
    _, _, appendices = doc001
    assert len(appendices) == 1
    appendix = appendices[0]
    assert appendix.start_line == 171  # line 172 of the file: "PHỤ LỤC "
    assert appendix.title == (
        "PHỤ LỤC CÁC NHIỆM VỤ TRIỂN KHAI NGHỊ QUYẾT SỐ 273/NQ-CP CỦA CHÍNH PHỦ"
    )
    assert appendix.caption == (
        "(Kèm theo Công văn số /VP-TH ngày tháng 9 năm 2025 "
        "của Văn phòng Ủy ban nhân dân thành phố)"
    )
    assert appendix.columns == (
        "STT", "Nhiệm vụ", "Kết quả/Sản phẩm", "Thời hạn", "Cơ quan chủ trì",
        "Cơ quan, đơn vị phối hợp", "Thẩm quyền",
    )


def test_001_text_before_is_untouched(doc001):
    text, before, _ = doc001
    lines = text.split("\n")
    assert before == "\n".join(lines[:171]) + "\n"
    assert text.startswith(before)
    assert "Hoàng Văn Thực" in before and "PHỤ LỤC" not in before


def test_001_all_rows_numbered(doc001):
    rows = doc001[2][0].rows
    assert [row.number for row in rows] == [str(n) for n in range(1, 62)]
    assert all(row.text and row.result and row.due_text for row in rows)
    assert all(row.support and row.authority and row.leader is None for row in rows)


def test_001_lead_of_every_row(doc001):
    assert len(LEADS_001) == 61
    assert [row.lead for row in doc001[2][0].rows] == LEADS_001


def test_001_due_text_of_every_row(doc001):
    assert len(DUE_001) == 61
    assert [row.due_text for row in doc001[2][0].rows] == DUE_001


def test_001_authority_of_every_row(doc001):
    assert len(AUTHORITY_001) == 61
    assert [row.authority for row in doc001[2][0].rows] == AUTHORITY_001


def test_001_result_of_every_row(doc001):
    assert len(RESULT_001) == 61
    assert [row.result for row in doc001[2][0].rows] == RESULT_001


@pytest.mark.parametrize("number", sorted(TEXT_001))
def test_001_task_text(doc001, number):
    assert _by_number(doc001[2][0])[number].text == TEXT_001[number]


@pytest.mark.parametrize("number", sorted(SUPPORT_001))
def test_001_support(doc001, number):
    assert _by_number(doc001[2][0])[number].support == SUPPORT_001[number]


def test_001_no_header_or_page_number_leaks(doc001):
    # page numbers (5 to 11) stand just above a repeated header, after a row's last cell
    for row in doc001[2][0].rows:
        for value in (row.text, row.result, row.due_text, row.lead, row.support, row.authority):
            assert "STT" not in value and "Thẩm" not in value and "chủ trì" not in value
        assert not re.search(r"\d$", row.authority) or row.number == "61"
        assert not re.match(r"\d", row.text)


# ------------------------------------------------------------------ 003: tab-separated rows

LEADS_003 = [
    "Sở Xây dựng", "Sở Xây dựng",  # 1-2
    "Sở Khoa học và Công nghệ", "Sở Khoa học và Công nghệ",  # 3-4
    "Sở Công Thương", "Sở Công Thương", "Sở Công Thương", "Sở Công Thương",  # 5-8
    "Sở Giáo dục và Đào tạo",  # 9
    "Sở Y tế", "Sở Y tế",  # 10-11
    "Sở Tư pháp", "Sở Tư pháp", "Sở Tư pháp", "Sở Tư pháp",  # 12-15
    "Sở Ngoại vụ", "Sở Ngoại vụ", "Sở Ngoại vụ", "Sở Ngoại vụ", "Sở Ngoại vụ",  # 16-20
    "Sở Ngoại vụ", "Sở Ngoại vụ", "Sở Ngoại vụ", "Sở Ngoại vụ", "Sở Ngoại vụ",  # 21-25
    "Ban Quản lý Khu kinh tế, Sở Tài chính",  # 26: two lead agencies
    "Ban Quản lý Khu kinh tế", "Ban Quản lý Khu kinh tế",  # 27-28
    "Sở Nội vụ", "Sở Nội vụ", "Sở Nội vụ",  # 29-31
    "Sở Văn hóa, Thể thao và Du lịch", "Sở Văn hóa, Thể thao và Du lịch",  # 32-33
    "Sở Văn hóa, Thể thao và Du lịch", "Sở Văn hóa, Thể thao và Du lịch",  # 34-35
    "Sở Văn hóa, Thể thao và Du lịch",  # 36
    "Sở Tài chính",  # 37
    "Thanh tra thành phố", "Thanh tra thành phố",  # 38-39
]

_QUAN = "Phó Chủ tịch Thường trực UBND thành phố Lê Anh Quân"
_CUONG = "Phó Chủ tịch UBND thành phố Hoàng Minh Cường"
_PHUNG = "Phó Chủ tịch UBND thành phố Vũ Tiến Phụng"
_HUNG = "Phó Chủ tịch UBND thành phố Nguyễn Minh Hùng"
_KIEN = "Phó Chủ tịch UBND thành phố Lê Trung Kiên"
_TVQ = "Phó Chủ tịch UBND thành phố Trần Văn Quân"
LEADERS_003 = [
    _QUAN, _QUAN,  # 1-2
    _CUONG, _CUONG, _CUONG, _CUONG, _CUONG, _CUONG,  # 3-8
    _PHUNG, _PHUNG, _PHUNG,  # 9-11
    _HUNG, _HUNG, _HUNG, _HUNG,  # 12-15
    _CUONG, _CUONG, _CUONG, _CUONG, _CUONG,  # 16-20 (17 and 20 are wrapped in <p>)
    _CUONG, _CUONG, _CUONG, _CUONG, _CUONG,  # 21-25
    _QUAN,  # 26
    _KIEN, _KIEN,  # 27-28
    _PHUNG, _PHUNG, _PHUNG,  # 29-31
    _HUNG, _HUNG, _HUNG, _HUNG, _HUNG,  # 32-36
    _TVQ,  # 37
    _HUNG, _HUNG,  # 38-39
]

DUE_003 = {
    1: "Thường xuyên",
    2: "Theo đề nghị của chủ đầu tư và tiến độ thực hiện của dự án",
    3: "Tháng 4/2026",
    9: "Tháng 6/2026",
    10: "Khẩn cấp; Đột xuất; thường xuyên",
    15: "Theo Kế hoạch của Ban Chỉ đạo tổng rà soát hệ thống văn bản quy phạm pháp luật",
    19: "Quý II, III/2026",
    24: "Năm 2026",
    29: "Từ tháng 4/2026 đến tháng 7/2026",
    33: "Tháng 4,5/2026",
    38: "Nhiệm vụ thường xuyên",
}


def test_003_one_appendix_with_heading(doc003):
    text, before, appendices = doc003
    assert len(appendices) == 1
    appendix = appendices[0]
    assert appendix.start_line == 58  # "**PHỤ LỤC**  "
    assert appendix.title == "PHỤ LỤC CÁC NHIỆM VỤ TRIỂN KHAI NGHỊ QUYẾT SỐ 89/NQ-CP CỦA CHÍNH PHỦ"
    assert appendix.caption == (
        "(Kèm theo Công văn số /VP-TH ngày /4/2026 của Văn phòng Ủy ban nhân dân thành phố)"
    )
    assert appendix.columns == (
        "STT", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp",
        "Thời gian thực hiện/hoàn thành", "Kết quả/sản phẩm", "Lãnh đạo UBND thành phố chỉ đạo",
    )
    assert before == "\n".join(text.split("\n")[:58]) + "\n"
    assert before.endswith("**Trịnh Nam Hưng**\n\n")


def test_003_all_rows_numbered(doc003):
    rows = doc003[2][0].rows
    assert [row.number for row in rows] == [str(n) for n in range(1, 40)]
    assert all(row.authority is None for row in rows)


def test_003_lead_of_every_row(doc003):
    assert len(LEADS_003) == 39
    assert [row.lead for row in doc003[2][0].rows] == LEADS_003


def test_003_leader_of_every_row(doc003):
    assert len(LEADERS_003) == 39
    assert [row.leader for row in doc003[2][0].rows] == LEADERS_003


@pytest.mark.parametrize("number", sorted(DUE_003))
def test_003_due_text(doc003, number):
    assert _by_number(doc003[2][0])[number].due_text == DUE_003[number]


def test_003_no_html_survives(doc003):
    for row in doc003[2][0].rows:
        for name in FIELDS:
            value = getattr(row, name) or ""
            assert "<" not in value and ">" not in value, (row.number, name, value)
            assert "&amp;" not in value


def test_003_html_cells_become_plain_text(doc003):
    rows = _by_number(doc003[2][0])
    assert rows[17].result.startswith("Tổ chức đa phương thức ngoại giao để tăng cường kết nối")
    assert "tiềm năng, mới nổi. Đăng cai sự kiện quốc tế" in rows[17].result
    assert rows[27].text.endswith(
        "Một số nội dung chính cần triển khai: - Đôn đốc, theo dõi việc đầu tư xây dựng các "
        "KCN, CCN đã thành lập trong KKT ven biển; - Lập quy hoạch, phê duyệt quy hoạch, chấp "
        "thuận chủ trương đầu tư với KCN còn lại trong KKT ven biển; - Lập quy hoạch, phê duyệt "
        "quy hoạch, chấp thuận chủ trương đầu tư với Dự án cảng Nam Đồ Sơn."
    )
    assert "(theo phương án phát triển khu kinh tế" in rows[28].text


def test_003_continuation_row_joins_previous_row(doc003):
    rows = _by_number(doc003[2][0])
    assert rows[23].result == (
        "Mở rộng mạng lưới trí thức, doanh nhân kiều bào gốc Hải Phòng, trẻ hóa nguồn lực kiều "
        "bào. Tổ chức các hoạt động hoạt động gìn giữ tiếng Việt, bản sắc văn hóa. Xây dựng Cơ "
        "sở dữ liệu kiều bào Hải Phòng trong đó có đội ngũ trí thức kiều bào Hải Phòng tại các "
        "nước."
    )
    assert rows[23].lead == "Sở Ngoại vụ" and rows[23].due_text == "Thường xuyên"
    assert rows[24].result == "Thành lập tổ công tác; xây dựng kế hoạch triển khai cụ thể."


# ------------------------------------------------------------------ small inputs

CELL_BY_CELL = """Văn phòng thông báo để các đơn vị thực hiện./.

PHỤ LỤC 

CÁC NHIỆM VỤ TRIỂN KHAI KẾ HOẠCH SỐ 12/KH-UBND 

(Kèm theo Công văn số 100/VP-TH ngày 5 tháng 9 năm 2025 
của Văn phòng Ủy ban nhân dân thành phố) 

STT Nhiệm vụ Kết quả/Sản phẩm Thời hạn 

Cơ 

quan 

chủ trì 

Cơ quan, đơn vị 

phối hợp 

Thẩm 

quyền 

1  

Tham mưu Ủy ban nhân dân thành phố ban hành kế 

hoạch phát triển cụm công nghiệp giai đoạn 2026-
2030 trên địa bàn thành phố 

Kế hoạch của Ủy ban 

nhân dân thành phố 

Tháng 12 

Sở Công 

Thương 

Các Sở, ban, ngành, 

Ủy ban nhân dân các 

xã, phường 

Ủy ban 

nhân dân 

thành phố 

2  
Đôn đốc chủ đầu tư các cụm công nghiệp đẩy 

nhanh tiến độ giải phóng mặt bằng, đầu tư xây 

Báo cáo kết quả thực 

hiện 

Thường 

xuyên 

Sở Xây 

dựng 

Các Sở, ngành, địa 

phương 

Sở Xây 

dựng 

 

2 

 

 STT Nhiệm vụ Kết quả/Sản phẩm Thời hạn 

Cơ 

quan 

chủ trì 

Cơ quan, đơn vị 

phối hợp 

Thẩm 

quyền 

dựng hạ tầng kỹ thuật 
"""


def test_cell_by_cell_small_table():
    before, appendices = split_appendices(CELL_BY_CELL)
    assert before == "Văn phòng thông báo để các đơn vị thực hiện./.\n\n"
    [appendix] = appendices
    assert appendix.start_line == 2
    assert appendix.title == "PHỤ LỤC CÁC NHIỆM VỤ TRIỂN KHAI KẾ HOẠCH SỐ 12/KH-UBND"
    assert appendix.caption == (
        "(Kèm theo Công văn số 100/VP-TH ngày 5 tháng 9 năm 2025 "
        "của Văn phòng Ủy ban nhân dân thành phố)"
    )
    assert appendix.rows == (
        AppendixRow(
            number="1",
            text="Tham mưu Ủy ban nhân dân thành phố ban hành kế hoạch phát triển cụm công "
            "nghiệp giai đoạn 2026-2030 trên địa bàn thành phố",
            result="Kế hoạch của Ủy ban nhân dân thành phố",
            due_text="Tháng 12",
            lead="Sở Công Thương",
            support="Các Sở, ban, ngành, Ủy ban nhân dân các xã, phường",
            authority="Ủy ban nhân dân thành phố",
        ),
        AppendixRow(
            number="2",
            text="Đôn đốc chủ đầu tư các cụm công nghiệp đẩy nhanh tiến độ giải phóng mặt "
            "bằng, đầu tư xây dựng hạ tầng kỹ thuật",
            result="Báo cáo kết quả thực hiện",
            due_text="Thường xuyên",
            lead="Sở Xây dựng",
            support="Các Sở, ngành, địa phương",
            authority="Sở Xây dựng",
        ),
    )


TSV = (
    "Nội dung chính.\n"
    "\n"
    "**PHỤ LỤC II**\n"
    "**DANH MỤC NHIỆM VỤ**\n"
    "*(Kèm theo Thông báo số 5/TB-VP)*\n"
    "\n"
    "STT\tNội dung\tĐơn vị chủ trì\tĐơn vị phối hợp\tThời gian hoàn thành\t"
    "Lãnh đạo UBND thành phố chỉ đạo\n"
    "1\t<p>Rà soát &amp; báo cáo</p>\tSở Tài chính\tCác sở | ngành\tTháng 5/2026\t"
    "Phó Chủ tịch UBND thành phố Trần Văn Quân\n"
    "\n"
    "<b>STT</b>\t<b>Nội dung</b>\t<b>Đơn vị chủ trì</b>\t<b>Đơn vị phối hợp</b>\t"
    "<b>Thời gian hoàn thành</b>\t<b>Lãnh đạo UBND thành phố chỉ đạo</b>\n"
    '\t<ul style="list-style-type: none"><li>- Tổng hợp số liệu</li></ul>\t\t\t\t\n'
    "2\tTổ chức hội nghị ( <i>trực tuyến</i> )\tSở Nội vụ, Sở Tài chính\t\tQuý II/2026\t"
    "<p>Phó Chủ tịch UBND thành phố Vũ Tiến Phụng</p>\n"
)


def test_tsv_small_table_with_continuation_row():
    before, [appendix] = split_appendices(TSV)
    assert before == "Nội dung chính.\n\n"
    assert appendix.title == "PHỤ LỤC II DANH MỤC NHIỆM VỤ"
    assert appendix.caption == "(Kèm theo Thông báo số 5/TB-VP)"
    assert appendix.columns[1] == "Nội dung" and len(appendix.columns) == 6
    assert appendix.rows == (
        AppendixRow(
            number="1",
            text="Rà soát & báo cáo - Tổng hợp số liệu",
            lead="Sở Tài chính",
            support="Các sở | ngành",
            due_text="Tháng 5/2026",
            leader="Phó Chủ tịch UBND thành phố Trần Văn Quân",
        ),
        AppendixRow(
            number="2",
            text="Tổ chức hội nghị (trực tuyến)",
            lead="Sở Nội vụ, Sở Tài chính",
            due_text="Quý II/2026",
            leader="Phó Chủ tịch UBND thành phố Vũ Tiến Phụng",
        ),
    )


def test_rows_from_table_with_two_header_rows_repeated():
    header = ("STT", "Nhiệm vụ", "Cơ quan thực hiện", "Cơ quan thực hiện", "Thời hạn")
    sub = ("STT", "Nhiệm vụ", "Chủ trì", "Phối hợp", "Thời hạn")
    table = Table(
        rows=(
            header,
            sub,
            ("1", "Xây dựng kế hoạch", "Sở Y tế", "Các sở, ngành", "Tháng 6/2026"),
            ("", "năm 2026", "", "", ""),
            header,
            sub,
            ("2", "Kiểm tra <i>an toàn</i> thực phẩm", "Sở Y tế", "", "Quý III/2026"),
        )
    )
    assert rows_from_table(table) == [
        AppendixRow("1", "Xây dựng kế hoạch năm 2026", lead="Sở Y tế",
                    support="Các sở, ngành", due_text="Tháng 6/2026"),
        AppendixRow("2", "Kiểm tra an toàn thực phẩm", lead="Sở Y tế", due_text="Quý III/2026"),
    ]


def test_rows_from_table_other_column_order():
    table = Table(
        rows=(
            ("Thẩm quyền", "Nhiệm vụ", "STT", "Kết quả", "Cơ quan chủ trì"),
            ("UBND thành phố", "Lập quy hoạch", "1", "Quyết định", "Sở Xây dựng"),
        )
    )
    assert rows_from_table(table) == [
        AppendixRow("1", "Lập quy hoạch", lead="Sở Xây dựng", result="Quyết định",
                    authority="UBND thành phố"),
    ]


def test_rows_from_table_without_header():
    assert rows_from_table(Table(rows=(("a", "b"), ("c", "d")))) == []


def test_no_appendix_table_leaves_text_unchanged():
    for text in (
        "Công văn không có phụ lục.\n",
        "Nội dung.\n\nPHỤ LỤC\n\nDanh sách đơn vị nhận văn bản.\n- Sở Tài chính\n",
        _read("000_fca136c0df1387a6.txt"),
        _read("004_7b7e275b88431bdd.txt"),
    ):
        assert split_appendices(text) == (text, [])


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("STT", "number"),
        ("Nhiệm vụ", "text"),
        ("Nội dung công việc", "text"),
        ("Cơ quan chủ trì", "lead"),
        ("ĐƠN VỊ CHỦ TRÌ", "lead"),
        ("Cơ quan, đơn vị phối hợp", "support"),
        ("Thời hạn", "due_text"),
        ("Thời gian thực hiện/hoàn thành", "due_text"),
        ("Kết quả/Sản phẩm", "result"),
        ("Thẩm quyền", "authority"),
        ("Lãnh đạo UBND thành phố chỉ đạo", "leader"),
        ("<b>Lãnh đạo chỉ đạo</b>", "leader"),
        ("Ghi chú", None),
    ],
)
def test_column_key(label, key):
    assert column_key(label) == key


def test_join_lines():
    joined = join_lines(["giai đoạn 2021-", "2025 và", " tiếp theo "])
    assert joined == "giai đoạn 2021-2025 và tiếp theo"
    assert join_lines(["Lào Cai -", "Hà Nội"]) == "Lào Cai - Hà Nội"


def test_appendix_markdown():
    _, [appendix] = split_appendices(TSV)
    markdown = appendix_markdown(appendix)
    lines = markdown.splitlines()
    assert lines[0] == "## PHỤ LỤC II DANH MỤC NHIỆM VỤ"
    assert "*(Kèm theo Thông báo số 5/TB-VP)*" in lines
    header = lines.index("| " + " | ".join(appendix.columns) + " |")
    assert lines[header + 1] == "|---|---|---|---|---|---|"
    assert lines[header + 2] == (  # each row carries the anchor its task links to
        "| 1 | Rà soát & báo cáo - Tổng hợp số liệu | Sở Tài chính | Các sở \\| ngành "
        "| Tháng 5/2026 | Phó Chủ tịch UBND thành phố Trần Văn Quân | {: #pl-1 }"
    )
    assert lines[header + 3].startswith("| 2 | Tổ chức hội nghị (trực tuyến) | ")
    assert lines[header + 3].endswith("| {: #pl-2 }")
    assert len(lines) == header + 4


def test_appendix_markdown_anchors_follow_the_prefix_and_heading():
    _, [appendix] = split_appendices(TSV)
    lines = appendix_markdown(appendix, "pl2-", "phu-luc-3").splitlines()
    assert lines[0] == "## PHỤ LỤC II DANH MỤC NHIỆM VỤ {: #phu-luc-3 }"
    assert [x.rsplit("{: #", 1)[1] for x in lines if x.startswith("| ") and "{: #" in x] == ["pl2-1 }", "pl2-2 }"]


def test_appendix_markdown_renders_as_a_table(doc001):
    markdown = pytest.importorskip("markdown")
    appendix = doc001[2][0]
    html = markdown.markdown(appendix_markdown(appendix), extensions=["tables"])
    assert html.count("<tr>") == 62
    assert html.count("<td>") == 61 * 7
    assert "<h2>PHỤ LỤC CÁC NHIỆM VỤ" in html and "<em>(Kèm theo" in html

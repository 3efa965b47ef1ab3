"""Agency names found in text (builder/parse/entities.py): where a name ends, and local
bodies listed after one 'UBND' ('UBND phường A và xã B')."""

from __future__ import annotations

import pytest

from builder.parse.entities import agency_spans


def names(text: str, registry) -> list[str]:
    return [name for _, _, name in agency_spans(text, registry)]


@pytest.mark.parametrize(("text", "expected"), [
    # a place name is capitalised: the lower-case verb after it is not part of it
    ("UBND xã Đông Cuông hoàn thiện hồ sơ", ["UBND xã Đông Cuông"]),
    ("phối hợp với UBND phường Văn Phú, UBND xã Yên Bình hoàn thành phương án",
     ["UBND phường Văn Phú", "UBND xã Yên Bình"]),
    ("Cục Thuế tỉnh Lào Cai trước ngày sáp nhập", ["Cục Thuế tỉnh Lào Cai"]),
    ("Thanh tra tỉnh Lào Cai và Thanh tra tỉnh Yên Bái (trước sáp nhập)",
     ["Thanh tra tỉnh Lào Cai", "Thanh tra tỉnh Yên Bái"]),
    # one 'UBND' for several units of the same level
    ("UBND phường Văn Phú và xã Yên Bình hoàn thành GPMB", ["UBND phường Văn Phú", "UBND xã Yên Bình"]),
    ("Quản lý: UBND phường Yên Bái và phường Văn Phú.", ["UBND phường Yên Bái", "UBND phường Văn Phú"]),
    ("UBND xã Gia Phú, xã Mậu A và xã Văn Bàn", ["UBND xã Gia Phú", "UBND xã Mậu A", "UBND xã Văn Bàn"]),
    # a unit of another level locates the body, it is not another one
    ("Quản lý: UBND xã Bảo Ái, huyện Yên Bình.", ["UBND xã Bảo Ái"]),
    # lists of kinds of bodies are unchanged
    ("Chỉ đạo UBND các xã, phường có cụm công nghiệp", ["UBND các xã, phường"]),
])
def test_agency_names(text, expected, registry):
    assert names(text, registry) == expected


def test_names_without_a_place_name_keep_their_lower_case_words(registry):
    assert "Sở Nông nghiệp và Môi trường" in names("Giao Sở Nông nghiệp và Môi trường chủ trì", registry)


# Sentences from the Lào Cai samples and the Hải Phòng seeds (../shared/samples/laocai/,
# ../shared/seeds/); the names are the ones the letters address or sign for.
@pytest.mark.parametrize(("text", "expected"), [
    # lower-case words between capitalised ones belong to the name (seed 004, LC-T03, LC-D08)
    # (seed 004 writes 'Công ty TNHH MTV điện lực Hải Phòng', now in the registry; the same shape:)
    ("Chỉ đạo Công ty TNHH MTV thoát nước Hải Phòng và các đơn vị", ["Công ty TNHH MTV thoát nước Hải Phòng"]),
    ("yêu cầu Công ty cổ phần Khai thác và Chế biến kim loại Thủ Đô nghiêm túc thực hiện",
     ["Công ty cổ phần Khai thác và Chế biến kim loại Thủ Đô"]),
    ("Đề nghị UBND xã Quy Mông, Công ty cổ phần Luyện kim hoá chất Tây Bắc chuẩn bị báo cáo",
     ["UBND xã Quy Mông", "Công ty cổ phần Luyện kim hoá chất Tây Bắc"]),
    # … and right after the head, when they lead to the name (LC-D13)
    ("2. Đối với Tổng công ty xây dựng Trường Sơn: Sử dụng và bảo quản", ["Tổng công ty xây dựng Trường Sơn"]),
    # two-word terms that end a name (LC-D06, LC-D03)
    ("6. Chi cục Quản lý thị trường: Tăng cường kiểm tra", ["Chi cục Quản lý thị trường"]),
    ("2. Ban Quản lý các Khu công nghiệp tỉnh báo cáo tình hình",
     ["Ban Quản lý các Khu công nghiệp tỉnh"]),
    # 'Công ty', 'Sở' used for the addressee name no agency (LC-P11, LC-D07, LC-P12, LC-P08)
    ("Đề nghị Công ty hiệu chỉnh thống nhất các thông số nêu trên", []),
    ("đề nghị Công ty nộp lại hồ sơ về Sở Công Thương", ["Sở Công Thương"]),
    ("Sở thường xuyên theo dõi, đôn đốc các đơn vị thực hiện", []),
    ("b) Sở quản lý công trình xây dựng chuyên ngành đối với dự án nhóm B", []),
    ("Đề nghị Công ty mời các đơn vị tư vấn", []),
    # the sentence's verb and what it acts on are not part of the name (LC-D02)
    ("Ủy ban nhân dân tỉnh yêu cầu Thủ trưởng các đơn vị", ["Ủy ban nhân dân tỉnh"]),
    ("Sở Tài chính xây dựng Kế hoạch thực hiện", ["Sở Tài chính"]),
    ("Công ty tổ chức Hội nghị tổng kết", []),
    # a verb and its capitalised object do not join the name; 'nhân dân' starts one
    ("Chi cục Kiểm lâm tuần tra Rừng phòng hộ Đồ Sơn", ["Chi cục Kiểm lâm"]),
    ("Công ty TNHH Hải Long hỗ trợ Nhân dân", ["Công ty TNHH Hải Long"]),
    ("Đề nghị Công ty hoàn thiện Hồ sơ dự án", []),
    ("Giao Tòa án nhân dân thành phố phối hợp", ["Tòa án nhân dân thành phố"]),
    ("Giao Công ty xây dựng hạ tầng Hải Phòng thực hiện", ["Công ty xây dựng hạ tầng Hải Phòng"]),
    # boards and companies describe their trade in lower case after a trade (LC-D01, LC-D05, LC-P08)
    ("Ban Quản lý dự án đầu tư xây dựng số 1 đẩy nhanh tiến độ", ["Ban Quản lý dự án đầu tư xây dựng số 1"]),
    ("Ban Quản lý dự án đầu tư xây dựng công trình giao thông tỉnh đẩy nhanh tiến độ",
     ["Ban Quản lý dự án đầu tư xây dựng công trình giao thông tỉnh"]),
    ("do Ban Quản lý dự án đầu tư xây dựng khu vực Trấn Yên làm chủ đầu tư",
     ["Ban Quản lý dự án đầu tư xây dựng khu vực Trấn Yên"]),
    ("Đề nghị Công ty cổ phần Đầu tư xây dựng hạ tầng cơ sở thông báo cho các chủ thể",
     ["Công ty cổ phần Đầu tư xây dựng hạ tầng cơ sở"]),
    # … but a Sở does not, and 'và' does not join the next agency to an unknown one
    ("Sở Tài chính xây dựng kế hoạch", ["Sở Tài chính"]),
    ("Công ty ABC và Sở Tài chính phối hợp", ["Công ty ABC", "Sở Tài chính"]),
    ("các Ban Quản lý dự án và Ủy ban nhân dân các xã", ["các Ban Quản lý dự án", "Ủy ban nhân dân cấp xã"]),
    # from a review: names with other lower-case terms, and a verb after a board's name
    ("Phối hợp với Tổng công ty Cảng hàng không Việt Nam triển khai", ["Tổng công ty Cảng hàng không Việt Nam"]),
    ("Bộ Chỉ huy quân sự tỉnh Lào Cai chủ trì", ["Bộ Chỉ huy quân sự tỉnh Lào Cai"]),
    ("Giao các Ban Quản lý dự án xây dựng kế hoạch giải ngân", ["các Ban Quản lý dự án"]),
    ("Ban Quản lý dự án đầu tư xây dựng các công trình giao thông thành phố chủ trì",
     ["Ban Quản lý dự án đầu tư xây dựng các công trình giao thông thành phố"]),
    ("Văn phòng Đoàn ĐBQH và HĐND tỉnh tổng hợp", ["Văn phòng Đoàn ĐBQH và HĐND tỉnh"]),
    ("theo Luật Điện lực năm 2024", []),
    # from a third review
    ("Chi nhánh Công ty cổ phần Thương mại và Sản xuất công nghiệp tại Văn bản số 12",
     ["Công ty cổ phần Thương mại và Sản xuất công nghiệp"]),
    ("Giao Văn phòng Thành ủy và HĐND thành phố phối hợp", ["Văn phòng Thành ủy", "Hội đồng nhân dân thành phố Hải Phòng"]),
    ("Giao Văn phòng Đoàn ĐBQH và HĐND thành phố, Sở Nội vụ tổng hợp", ["Văn phòng Đoàn ĐBQH và HĐND thành phố", "Sở Nội vụ"]),
    ("Ban Quản lý dự án đầu tư xây dựng các công trình nông nghiệp và phát triển nông thôn thành phố chủ trì",
     ["Ban Quản lý dự án đầu tư xây dựng các công trình nông nghiệp và phát triển nông thôn thành phố"]),
    # the People's Committee of the special zone is the zone's page; nothing overlaps in a list
    ("Giao Sở Tài chính, Ủy ban nhân dân đặc khu Cát Hải và Sở Xây dựng thực hiện",
     ["Sở Tài chính", "Đặc khu Cát Hải", "Sở Xây dựng"]),
    # after a proper name of two or more capitalised words the sentence goes on
    ("Công ty cổ phần Xây dựng Thành Nam thi công gói thầu", ["Công ty cổ phần Xây dựng Thành Nam"]),
    ("Tổng công ty Cảng hàng không Việt Nam đầu tư xây dựng nhà ga", ["Tổng công ty Cảng hàng không Việt Nam"]),
    ("Công ty TNHH MTV Xổ số kiến thiết Hải Phòng nộp ngân sách", ["Công ty TNHH MTV Xổ số kiến thiết Hải Phòng"]),
    # a place word ends the name before the next agency
    ("Ban Quản lý các Khu công nghiệp tỉnh Sở Công Thương", ["Ban Quản lý các Khu công nghiệp tỉnh", "Sở Công Thương"]),
])
def test_agency_name_extent(text, expected, registry):
    assert names(text, registry) == expected

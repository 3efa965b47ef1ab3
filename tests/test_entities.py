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

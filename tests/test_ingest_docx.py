"""DOCX reader tests.

Real samples are read from ../shared/samples/laocai (never copied into the repository); the
tests that need them skip only when that folder is absent. Synthetic documents are built with
python-docx in tmp_path.
"""

from __future__ import annotations

import functools
import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from builder.errors import SourceError
from builder.ingest.docx import read_docx
from builder.model import RawDocument

from conftest import LAOCAI as SAMPLES, LAOCAI_MANIFEST

needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason="shared/samples/laocai is absent")

# Real (data) tables per sample, checked by opening each file: the letterhead, "Kính gửi" and
# signature tables are layout and must not be among them.
TABLES = {"LC-D05": 3, "LC-D06": 2, "LC-D11": 1, "LC-D16": 1}


def entries(category: str) -> list:
    if not SAMPLES.is_dir():
        return [pytest.param(None, marks=needs_samples, id=f"{category}-absent")]
    return [pytest.param(e, id=e["id"]) for e in LAOCAI_MANIFEST if e["category"] == category]


@functools.lru_cache(maxsize=None)
def read_sample(relative: str) -> RawDocument:
    return read_docx(SAMPLES / relative)


def printed_pattern(printed: str) -> str:
    """'[blank]' stays a visible run of 2+ spaces; '(sic, ...)' comments are dropped."""
    printed = re.sub(r"\s*\(sic[^)]*\)\s*$", "", printed).strip()
    parts = [re.escape(part.strip()) for part in printed.split("[blank]")]
    return r"\s{2,}".join(parts).replace(r"\ ", r"\s+")


def signer_lines(signer: str) -> list[str]:
    titles, _, name = signer.partition(" — ")
    name = re.split(r"[,(]", name)[0].strip()
    return [t.strip() for t in titles.split(" / ")] + [name]


# --- real samples -----------------------------------------------------------------------------


@needs_samples
@pytest.mark.parametrize("entry", entries("docx"))
def test_header_lines_come_first_in_reading_order(entry: dict) -> None:
    doc = read_sample(entry["file"])
    meta = entry["meta"]
    assert doc.kind == "docx" and doc.text_layer_ok and doc.problem is None
    lines = doc.text.splitlines()
    symbol = rf"Số:\s{{2,}}{printed_pattern(meta['symbol_printed'].removeprefix('[blank]'))}"
    date_line = printed_pattern(meta["date_printed"])
    number = next(i for i, ln in enumerate(lines) if re.fullmatch(symbol, ln))
    motto = next(i for i, ln in enumerate(lines) if "XÃ HỘI CHỦ NGHĨA VIỆT NAM" in ln)
    date = next(i for i, ln in enumerate(lines) if re.fullmatch(date_line, ln))
    assert 0 < number < motto < date <= 8  # issuer and number (left), then motto and date (right)
    assert lines[motto + 1] == "Độc lập - Tự do - Hạnh phúc"
    assert not any(line.startswith("Số:") for line in lines[motto:date])


@needs_samples
@pytest.mark.parametrize("entry", entries("docx"))
def test_body_and_signature_follow_the_header(entry: dict) -> None:
    doc = read_sample(entry["file"])
    lines = doc.text.splitlines()
    assert len(lines) > 15 and max(len(line) for line in lines) > 150  # whole paragraphs
    signer = entry["meta"].get("signer")
    if signer:
        expected = signer_lines(signer)
        at = lines.index(expected[0])
        assert lines[at : at + len(expected)] == expected
        assert lines.index("Nơi nhận:") < at


@needs_samples
@pytest.mark.parametrize("entry", entries("docx"))
def test_data_tables_are_tables_and_layout_tables_are_lines(entry: dict) -> None:
    doc = read_sample(entry["file"])
    assert len(doc.tables) == TABLES.get(entry["id"], 0)
    markers = re.findall(r"^\[\[TABLE (\d+)\]\]$", doc.text, re.M)
    assert [int(m) for m in markers] == list(range(1, len(doc.tables) + 1))
    for table in doc.tables:
        assert table.page is None and len(table.rows) >= 6
        assert len({len(row) for row in table.rows}) == 1  # rectangular
        assert table.rows[0][0] in ("TT", "STT")
    if entry["meta"].get("signer"):  # LC-D05 has no signature block; the others do
        assert "Nơi nhận:" in doc.text.splitlines()


@needs_samples
def test_auto_numbered_cells_keep_their_numbers() -> None:
    doc = read_sample("docx/LC-D11__KH-2242_23.4.2026_Kiem-tra-cap-GCN-28-don-vi.docx")
    (table,) = doc.tables
    assert table.rows[0] == ("TT", "Nhiệm vụ thực hiện", "Người thực hiện", "Ghi chú")
    assert [row[0] for row in table.rows[1:]] == [f"{n}." for n in range(1, 10)]
    assert table.rows[2][1:3] == ("Xây dựng bài kiểm tra, đáp án", "Đỗ Mạnh Cường\nVũ Việt Linh")


@needs_samples
def test_text_inside_smart_tags_is_kept() -> None:
    # python-docx's Paragraph.text drops the smart-tagged "NAM" of the motto in this file.
    doc = read_sample("docx/LC-D09__to-trinh-vbqppl-tien-chat-thuoc-no.docx")
    assert "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM" in doc.text.splitlines()


@needs_samples
def test_decomposed_source_is_normalised_and_noted() -> None:
    doc = read_sample("docx/LC-D17__BC-UBND-QLNN-khoang-san-nam-2025.docx")
    assert "normalised the text to Unicode NFC" in doc.notes
    assert doc.text.splitlines()[0] == "UỶ BAN NHÂN DÂN"


# --- synthetic documents --------------------------------------------------------------------


def build_letter(path: Path) -> Path:
    """Letterhead table, a V/v line, a "Kính gửi" table, paragraphs with a tab and a line
    break, a data table with a merged header cell, a signature table."""
    document = docx.Document()
    header = document.add_table(rows=2, cols=2)
    header.cell(0, 0).text = "UBND TỈNH LÀO CAI\nSỞ CÔNG THƯƠNG"
    header.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    header.cell(1, 0).text = "Số:\t/SCT-CN\nV/v kiểm tra kho"
    header.cell(1, 1).text = "Lào Cai, ngày      tháng 7 năm 2026"
    recipients = document.add_table(rows=1, cols=2)
    recipients.cell(0, 0).text = "Kính gửi:"
    recipients.cell(0, 1).text = "- Công ty A;\n- Công ty B."
    document.add_paragraph("")
    body = document.add_paragraph("Đoạn một.")
    body.add_run().add_break()
    body.add_run("Dòng hai của đoạn một.")
    data = document.add_table(rows=3, cols=3)
    data.cell(0, 0).merge(data.cell(0, 1)).text = "Nhiệm vụ"
    data.cell(0, 2).text = "Thời hạn"
    for r, values in enumerate([("1", "Rà soát", "Quý III"), ("2", "Báo cáo", "")], start=1):
        for c, value in enumerate(values):
            data.cell(r, c).text = value
    document.add_paragraph("______")
    signature = document.add_table(rows=1, cols=2)
    signature.cell(0, 0).text = "Nơi nhận:\n- Như trên;"
    signature.cell(0, 1).text = "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n\nHoàng Văn Thuân"
    document.save(str(path))
    return path


def test_synthetic_letter(tmp_path: Path) -> None:
    doc = read_docx(build_letter(tmp_path / "letter.docx"))
    assert doc.text.splitlines() == [
        "UBND TỈNH LÀO CAI", "SỞ CÔNG THƯƠNG", "Số:    /SCT-CN", "V/v kiểm tra kho",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
        "Lào Cai, ngày      tháng 7 năm 2026",
        "Kính gửi:", "- Công ty A;", "- Công ty B.",
        "Đoạn một.", "Dòng hai của đoạn một.",
        "[[TABLE 1]]",
        "Nơi nhận:", "- Như trên;", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Hoàng Văn Thuân",
    ]
    assert doc.tables[0].rows == (("Nhiệm vụ", "", "Thời hạn"), ("1", "Rà soát", "Quý III"),
                                  ("2", "Báo cáo", ""))
    assert doc.text_layer_ok and doc.notes == ()


def test_text_in_smart_tags_is_read(tmp_path: Path) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph()
    paragraph._p.append(parse_xml(
        f'<w:smartTag {nsdecls("w")} w:element="place"><w:r><w:t>VIỆT NAM</w:t></w:r></w:smartTag>'
    ))
    path = tmp_path / "smart.docx"
    document.save(str(path))
    assert read_docx(path).text == "VIỆT NAM"


def test_list_numbering_becomes_labels(tmp_path: Path) -> None:
    document = docx.Document()
    for text, style in [("Mục đích", "List Number"), ("Yêu cầu", "List Number"),
                        ("một ý", "List Bullet"), ("Đoạn thường.", None)]:
        document.add_paragraph(text, style=style)
    document.save(str(tmp_path / "lists.docx"))
    text = read_docx(tmp_path / "lists.docx").text
    assert text.splitlines() == ["1. Mục đích", "2. Yêu cầu", "- một ý", "Đoạn thường."]


def test_merged_cells_are_read_once(tmp_path: Path) -> None:
    """A group row spanning the table (gridSpan) and a lead cell merged down two rows
    (vMerge): Word stores each text once, and so must the Table. python-docx's row.cells
    repeats it in every grid position it covers; the reader must not."""
    document = docx.Document()
    data = document.add_table(rows=5, cols=4)
    for c, label in enumerate(("TT", "Giải pháp, kiến nghị", "Cơ quan phụ trách", "Ghi chú")):
        data.cell(0, c).text = label
    data.cell(1, 0).merge(data.cell(1, 3)).text = "I. NHÓM THỨ NHẤT"
    data.cell(2, 0).text, data.cell(2, 1).text, data.cell(2, 3).text = "1", "Việc một", "a"
    data.cell(3, 0).text, data.cell(3, 1).text, data.cell(3, 3).text = "2", "Việc hai", "b"
    data.cell(2, 2).merge(data.cell(3, 2)).text = "UBND xã Bảo Ái"
    data.cell(4, 0).text = "3"
    data.cell(4, 1).merge(data.cell(4, 3)).text = "Việc ba, trải hết ba cột"
    document.save(str(tmp_path / "merged.docx"))
    doc = read_docx(tmp_path / "merged.docx")
    assert doc.text == "[[TABLE 1]]"
    assert doc.tables[0].rows == (
        ("TT", "Giải pháp, kiến nghị", "Cơ quan phụ trách", "Ghi chú"),
        ("I. NHÓM THỨ NHẤT", "", "", ""),
        ("1", "Việc một", "UBND xã Bảo Ái", "a"),
        ("2", "Việc hai", "", "b"),
        ("3", "Việc ba, trải hết ba cột", "", ""),
    )


def test_merged_cells_of_a_layout_table_are_read_once(tmp_path: Path) -> None:
    document = docx.Document()
    layout = document.add_table(rows=3, cols=2)
    layout.cell(0, 0).merge(layout.cell(1, 0)).text = "UBND TỈNH LÀO CAI\nSỞ CÔNG THƯƠNG"
    layout.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    layout.cell(1, 1).text = "Độc lập - Tự do - Hạnh phúc"
    layout.cell(2, 0).merge(layout.cell(2, 1)).text = "Lào Cai, ngày 02 tháng 6 năm 2026"
    document.save(str(tmp_path / "layout.docx"))
    assert read_docx(tmp_path / "layout.docx").text.splitlines() == [
        "UBND TỈNH LÀO CAI", "SỞ CÔNG THƯƠNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc", "Lào Cai, ngày 02 tháng 6 năm 2026",
    ]


@needs_samples
def test_merged_group_rows_of_a_real_report_are_read_once() -> None:
    # LC-D05, Phụ lục 3: three group rows ("I. CỤM CÔNG NGHIỆP ĐÃ CÓ CHỦ ĐẦU TƯ …") each span
    # the 7 columns; the table has 7 + 4 + 16 clusters under them and one header row.
    doc = read_sample("docx/LC-D05__bao-cao-vp-ubnd.docx")
    table = doc.tables[2]
    assert len(table.rows) == 1 + 3 + 7 + 4 + 16
    groups = [row for row in table.rows if row[0].startswith(("I.", "II.", "III."))]
    assert [row[0].split(".")[0] for row in groups] == ["I", "II", "III"]
    assert all(row[1:] == ("",) * 6 for row in groups)


def test_legacy_font_docx_is_flagged(tmp_path: Path) -> None:
    document = docx.Document()
    for _ in range(6):
        document.add_paragraph("Uû ban nh©n d©n tØnh Lµo Cai yªu cÇu c¸c së, ban, ngµnh t¨ng.")
    document.save(str(tmp_path / "tcvn3.docx"))
    doc = read_docx(tmp_path / "tcvn3.docx")
    assert not doc.text_layer_ok and "TCVN3" in doc.problem


def zip_with(path: Path, members: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return path


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("empty.docx", b"", "empty file"),
        ("notes.docx", "Đây là tệp văn bản đổi tên.\n".encode(), "not a .docx file"),
        ("old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "legacy Word .doc"),
    ],
)
def test_files_that_are_not_docx_raise_source_error(tmp_path: Path, name: str, content: bytes,
                                                    expected: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert_source_error(path, expected)


def test_zip_without_document_raises_source_error(tmp_path: Path) -> None:
    path = zip_with(tmp_path / "archive.docx", {"readme.txt": "hello"})
    assert_source_error(path, "without word/document.xml")


def test_broken_document_xml_raises_source_error(tmp_path: Path) -> None:
    good = build_letter(tmp_path / "good.docx")
    with zipfile.ZipFile(good) as archive:
        members = {n: archive.read(n).decode("utf-8", "replace") for n in archive.namelist()}
    members["word/document.xml"] = members["word/document.xml"][:500]  # cut mid-element
    path = zip_with(tmp_path / "broken.docx", members)
    assert_source_error(path, "damaged Word document")


@pytest.mark.parametrize("keep", [0.3, 0.6, 0.9])
def test_truncated_docx_raises_source_error(tmp_path: Path, keep: float) -> None:
    whole = build_letter(tmp_path / "whole.docx").read_bytes()
    path = tmp_path / "cut.docx"
    path.write_bytes(whole[: int(len(whole) * keep)])
    with pytest.raises(SourceError) as info:
        read_docx(path)
    assert "\n" not in info.value.reason and info.value.path == str(path)


def test_missing_docx_raises_source_error(tmp_path: Path) -> None:
    assert_source_error(tmp_path / "absent.docx", "cannot read the file")


def assert_source_error(path: Path, expected: str) -> None:
    with pytest.raises(SourceError) as info:
        read_docx(path)
    error = info.value
    assert expected in error.reason, error.reason
    assert "\n" not in error.reason and "Traceback" not in error.reason
    assert error.path == str(path) and error.message.startswith(str(path))

"""PDF reader and text-quality tests.

Real samples are read from ../shared/samples/laocai (never copied into the repository); the
tests that need them skip only when that folder is absent. Synthetic PDFs are made with fpdf2
in tmp_path, so the layout and error paths are tested everywhere.
"""

from __future__ import annotations

import functools
import json
import random
import re
import unicodedata
from pathlib import Path

import pytest
from fpdf import FPDF

from builder.errors import SourceError
from builder.ingest.pdf import read_pdf
from builder.ingest.quality import assess_text_layer, repair_text
from builder.model import RawDocument

SAMPLES = Path(__file__).resolve().parents[2] / "shared/samples/laocai"
needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason="shared/samples/laocai is absent")


def entries(category: str) -> list:
    """Manifest entries of one category, as pytest params (one skipped param without samples)."""
    if not SAMPLES.is_dir():
        return [pytest.param(None, marks=needs_samples, id=f"{category}-absent")]
    manifest = json.loads((SAMPLES / "manifest.json").read_text(encoding="utf-8"))
    return [pytest.param(e, id=e["id"]) for e in manifest if e["category"] == category]


@functools.lru_cache(maxsize=None)
def read_sample(relative: str) -> RawDocument:
    """Each sample is parsed once per test session."""
    return read_pdf(SAMPLES / relative)


def printed_pattern(printed: str) -> str:
    """A regex for a line as SOURCES.md prints it: '[blank]' must stay visible as a run of at
    least two spaces, other spaces may be one or more; a trailing '(sic ...)' is dropped."""
    printed = re.sub(r"\s*\(sic[^)]*\)\s*$", "", printed).strip()
    parts = [re.escape(part.strip()) for part in printed.split("[blank]")]
    return r"\s{2,}".join(parts).replace(r"\ ", r"\s+")


def symbol_line(printed: str) -> str:
    """'[blank]/UBND-XD' -> 'Số:' + at least two spaces + '/UBND-XD'; '1074/QĐ-BXD' as is."""
    if printed.startswith("[blank]"):
        return rf"^Số:\s{{2,}}{printed_pattern(printed[len('[blank]'):])}$"
    return rf"^Số:\s*{printed_pattern(printed)}$"


def signer_lines(signer: str) -> list[str]:
    """'KT. CHỦ TỊCH / PHÓ CHỦ TỊCH — Phan Trung Bá (note)' -> the lines as printed."""
    titles, _, name = signer.partition(" — ")
    name = re.split(r"[,(]", name)[0].strip()
    return [t.strip() for t in titles.split(" / ")] + [name]


def assert_consecutive(text: str, expected: list[str]) -> None:
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if line == expected[0]]
    assert any(lines[i : i + len(expected)] == expected for i in starts), expected


# --- real samples -----------------------------------------------------------------------------


@needs_samples
@pytest.mark.parametrize("entry", entries("pdf_text"))
def test_good_text_layer_keeps_symbol_and_date_lines(entry: dict) -> None:
    doc = read_sample(entry["file"])
    meta = entry["meta"]
    assert doc.kind == "pdf" and doc.text_layer_ok and doc.problem is None
    assert doc.text == unicodedata.normalize("NFC", doc.text)
    assert re.search(symbol_line(meta["symbol_printed"]), doc.text, re.M), meta["symbol_printed"]
    assert re.search(rf"^{printed_pattern(meta['date_printed'])}$", doc.text, re.M)


@needs_samples
@pytest.mark.parametrize("entry", entries("pdf_text"))
def test_header_columns_do_not_interleave(entry: dict) -> None:
    lines = read_sample(entry["file"]).text.splitlines()
    number = next(i for i, line in enumerate(lines) if line.startswith("Số:"))
    motto = next(i for i, line in enumerate(lines) if "XÃ HỘI CHỦ NGHĨA VIỆT NAM" in line)
    date = next(i for i, line in enumerate(lines) if re.search(r"ngày.*tháng.*năm \d{4}$", line))
    assert number < motto < date <= 12  # left column first, then the right column
    assert lines[motto + 1] == "Độc lập - Tự do - Hạnh phúc"
    if entry["meta"]["subject"].startswith("V/v"):
        subject = next(i for i, line in enumerate(lines) if line.startswith("V/v"))
        assert number < subject < motto  # the subject lines stay in the left column


@needs_samples
@pytest.mark.parametrize("entry", entries("pdf_text"))
def test_signature_block_follows_recipients(entry: dict) -> None:
    text = read_sample(entry["file"]).text
    expected = signer_lines(entry["meta"]["signer"])
    assert_consecutive(text, expected)
    assert text.index("Nơi nhận:") < text.index("\n".join(expected))


@needs_samples
@pytest.mark.parametrize("entry", entries("pdf_text"))
def test_tables_become_table_objects(entry: dict) -> None:
    doc = read_sample(entry["file"])
    markers = re.findall(r"^\[\[TABLE (\d+)\]\]$", doc.text, re.M)
    assert [int(m) for m in markers] == list(range(1, len(doc.tables) + 1))
    if entry["id"] != "LC-P06":
        assert doc.tables == ()
        return
    (table,) = doc.tables  # the annex on the landscape page 3
    assert table.page == 3 and len(table.rows) == 9 and len(table.rows[0]) == 7
    assert table.rows[0][:3] == ("STT", "NỘI DUNG NHIỆM VỤ ỦY QUYỀN", "CĂN CỨ PHÁP LÝ")
    assert any(row[5] == "1.014967" for row in table.rows)
    assert "1.014967" not in doc.text and "Cấp chứng chỉ kiểm định viên" not in doc.text
    assert doc.text.splitlines()[-1] == "[[TABLE 1]]"


@needs_samples
@pytest.mark.parametrize("entry", entries("pdf_text_defective"))
def test_defective_layers_are_flagged_or_safely_repaired(entry: dict) -> None:
    doc = read_sample(entry["file"])
    if entry["pdf_check"]["cid_tokens"]:
        assert not doc.text_layer_ok
        assert "(cid:N)" in (doc.problem or "")
        return
    # LC-PD01: SOURCES.md says its only defect is 'ƣ' for 'ư'; after that safe repair the
    # layer is usable, and the repair is reported instead of a problem.
    assert doc.text_layer_ok and doc.problem is None
    assert "replaced 17 'ƣ' with 'ư'" in doc.notes
    assert "ƣ" not in doc.text and "Ƣ" not in doc.text
    assert "BỘ CÔNG THƯƠNG" in doc.text.splitlines()[0]
    assert re.search(symbol_line(entry["meta"]["symbol_printed"]), doc.text, re.M)
    assert_consecutive(doc.text, signer_lines(entry["meta"]["signer"]))


@needs_samples
@pytest.mark.parametrize("entry", entries("pdf_scanned"))
def test_scans_are_flagged(entry: dict) -> None:
    doc = read_sample(entry["file"])
    assert not doc.text_layer_ok
    if entry["pdf_check"]["text_chars"]:
        assert "OCR" in (doc.problem or "")  # LC-S01: page images with an OCR layer
        assert "LIÊN NGÀNH" in doc.text
    else:
        assert (doc.problem or "").startswith("no text layer") and doc.text == ""
        assert f"{entry['pdf_check']['pages']} of" in doc.problem


# --- synthetic PDFs -------------------------------------------------------------------------


def make_pdf(path: Path, pages: list, **encryption: str) -> Path:
    """A PDF whose pages are drawn by callables taking the FPDF object (points, A4)."""
    pdf = FPDF(unit="pt", format="A4")
    pdf.set_font("helvetica", size=12)
    for draw in pages:
        pdf.add_page()
        draw(pdf)
    if encryption:
        pdf.set_encryption(**encryption)
    pdf.output(str(path))
    return path


def draw_grid(pdf: FPDF, top: float, rows: list[tuple[str, str]]) -> None:
    for i, (a, b) in enumerate(rows):
        y = top + 20 * i
        pdf.line(80, y, 480, y)
        pdf.text(85, y + 15, a)
        pdf.text(285, y + 15, b)
    bottom = top + 20 * len(rows)
    pdf.line(80, bottom, 480, bottom)
    for x in (80, 280, 480):
        pdf.line(x, top, x, bottom)


def letter_page(pdf: FPDF) -> None:
    pdf.text(70, 60, "UBND TINH LAO CAI")
    pdf.text(300, 60, "CONG HOA XA HOI CHU NGHIA VIET NAM")
    pdf.text(80, 76, "SO CONG THUONG")
    pdf.text(330, 76, "Doc lap - Tu do - Hanh phuc")
    pdf.text(80, 104, "So:")
    pdf.text(140, 104, "/SCT-CN")
    pdf.text(320, 104, "Lao Cai, ngay")
    pdf.text(430, 104, "thang 7 nam 2026")
    pdf.text(75, 122, "V/v kiem tra kho vat lieu no")
    pdf.text(200, 170, "Kinh gui: Cong ty Mong Son")
    for i, line in enumerate(["First body line of the letter that runs across the page,",
                              "and its second line."]):
        pdf.text(70, 210 + 16 * i, line)
    draw_grid(pdf, 300, [("Name", "Value"), ("alpha", "1"), ("beta", "2")])
    pdf.text(70, 400, "After the table.")
    pdf.text(290, 820, "1")  # a page number at the bottom


def test_synthetic_letter_layout(tmp_path: Path) -> None:
    doc = read_pdf(make_pdf(tmp_path / "letter.pdf", [letter_page]))
    lines = doc.text.splitlines()
    assert lines[:8] == [
        "UBND TINH LAO CAI", "SO CONG THUONG", lines[2], "V/v kiem tra kho vat lieu no",
        "CONG HOA XA HOI CHU NGHIA VIET NAM", "Doc lap - Tu do - Hanh phuc",
        lines[6], "Kinh gui: Cong ty Mong Son",
    ]
    assert re.fullmatch(r"So:\s{2,}/SCT-CN", lines[2])  # the blank number stays blank
    assert re.fullmatch(r"Lao Cai, ngay\s{2,}thang 7 nam 2026", lines[6])
    assert lines[-3:] == ["and its second line.", "[[TABLE 1]]", "After the table."]
    assert doc.tables[0].rows == (("Name", "Value"), ("alpha", "1"), ("beta", "2"))
    assert doc.tables[0].page == 1 and "alpha" not in doc.text


def test_table_running_over_a_page_break_is_one_table(tmp_path: Path) -> None:
    first = lambda pdf: (pdf.text(70, 560, "Annex"),  # noqa: E731
                         draw_grid(pdf, 640, [("Name", "Value"), ("a", "1"), ("b", "2")]))
    second = lambda pdf: draw_grid(pdf, 60, [("Name", "Value"), ("c", "3")])  # noqa: E731
    doc = read_pdf(make_pdf(tmp_path / "annex.pdf", [first, second]))
    assert len(doc.tables) == 1
    assert doc.tables[0].rows == (("Name", "Value"), ("a", "1"), ("b", "2"), ("c", "3"))
    assert doc.text.splitlines() == ["Annex", "[[TABLE 1]]"]


def test_image_only_pdf_is_a_scan(tmp_path: Path) -> None:
    png = tmp_path / "page.png"
    from PIL import Image  # fpdf2 depends on Pillow

    Image.new("L", (60, 85), 255).save(png)
    page = lambda pdf: pdf.image(str(png), 0, 0, 595, 842)  # noqa: E731
    doc = read_pdf(make_pdf(tmp_path / "scan.pdf", [page]))
    assert not doc.text_layer_ok and doc.problem.startswith("no text layer")


def test_one_scanned_page_in_a_born_digital_pdf_is_noted(tmp_path: Path) -> None:
    png = tmp_path / "page.png"
    from PIL import Image

    Image.new("L", (60, 85), 255).save(png)
    scan = lambda pdf: pdf.image(str(png), 0, 0, 595, 842)  # noqa: E731
    doc = read_pdf(make_pdf(tmp_path / "mixed.pdf", [letter_page, letter_page, scan]))
    assert doc.notes == ("page 3 is a scanned image without text",)
    assert doc.text.startswith("UBND TINH LAO CAI")


def test_owner_password_only_is_readable(tmp_path: Path) -> None:
    doc = read_pdf(make_pdf(tmp_path / "owner.pdf", [letter_page], owner_password="x"))
    assert doc.text.startswith("UBND TINH LAO CAI")


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("empty.pdf", b"", "empty file"),
        ("random.pdf", random.Random(1).randbytes(4096), "not a PDF file"),
        ("notes.pdf", "Chỉ là văn bản thường\n".encode(), "not a PDF file"),
        ("header-only.pdf", b"%PDF-1.7\n" + random.Random(2).randbytes(4096), "damaged PDF"),
    ],
)
def test_unreadable_files_raise_source_error(tmp_path: Path, name: str, content: bytes,
                                             expected: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(SourceError) as info:
        read_pdf(path)
    assert_plain_reason(info.value, path, expected)


def test_encrypted_pdf_raises_source_error(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "secret.pdf", [letter_page], owner_password="o", user_password="u")
    with pytest.raises(SourceError) as info:
        read_pdf(path)
    assert_plain_reason(info.value, path, "encrypted PDF: a password is required")


@pytest.mark.parametrize("keep", [0.2, 0.5, 0.8])
def test_truncated_pdf_never_leaks_a_library_error(tmp_path: Path, keep: float) -> None:
    whole = make_pdf(tmp_path / "whole.pdf", [letter_page, letter_page, letter_page]).read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(whole[: int(len(whole) * keep)])
    try:
        doc = read_pdf(path)  # pdfminer may recover what precedes the cut
    except SourceError as error:
        assert_plain_reason(error, path, "PDF")
    else:
        assert isinstance(doc, RawDocument)


def test_missing_file_raises_source_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as info:
        read_pdf(tmp_path / "absent.pdf")
    assert_plain_reason(info.value, tmp_path / "absent.pdf", "cannot read the file")


def assert_plain_reason(error: SourceError, path: Path, expected: str) -> None:
    assert error.path == str(path)
    assert expected in error.reason, error.reason
    assert "\n" not in error.reason and "Traceback" not in error.reason
    assert error.message.startswith(str(path))


# --- quality: repair_text and assess_text_layer ---------------------------------------------


def test_repair_text_replaces_broken_font_letters_and_reports_it() -> None:
    text, notes = repair_text("BỘ CÔNG THƢƠNG hƣớng dẫn, đƣợc")
    assert text == "BỘ CÔNG THƯƠNG hướng dẫn, được"
    assert notes == ["replaced 2 'ƣ' with 'ư'", "replaced 1 'Ƣ' with 'Ư'"]


def test_repair_text_normalises_to_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Lào Cai, ngày 21 tháng 7 năm 2026")
    text, notes = repair_text(decomposed)
    assert text == "Lào Cai, ngày 21 tháng 7 năm 2026"
    assert notes == ["normalised the text to Unicode NFC"]


def test_repair_text_leaves_good_text_alone() -> None:
    assert repair_text("Độc lập - Tự do - Hạnh phúc") == ("Độc lập - Tự do - Hạnh phúc", [])


GOOD = ("Ủy ban nhân dân tỉnh yêu cầu các sở, ban, ngành tăng cường công tác quản lý nhà nước "
        "về vật liệu nổ công nghiệp, tiền chất thuốc nổ trên địa bàn tỉnh. ") * 4


def test_assess_accepts_good_vietnamese() -> None:
    assert assess_text_layer(GOOD, 1) is None


def test_assess_flags_missing_text() -> None:
    assert assess_text_layer("", 3).startswith("no text layer")
    assert assess_text_layer("   \n 12 \n", 1).startswith("no text layer")
    assert assess_text_layer("Trang 1", 2).startswith("almost no text")


def test_assess_flags_cid_glyph_codes() -> None:
    garbled = " ".join(["(cid:55)(cid:1228)(cid:49)", "Lào", "Cai"] * 40)
    assert "(cid:N)" in assess_text_layer(garbled, 1)
    # a few bullet glyphs from a symbol font in a good text are tolerated
    assert assess_text_layer(GOOD + "(cid:159) (cid:159)", 1) is None


def test_assess_flags_missing_diacritics() -> None:
    stripped = unicodedata.normalize("NFD", GOOD)
    stripped = "".join(ch for ch in stripped if not unicodedata.combining(ch)).replace("đ", "d")
    assert "too few Vietnamese diacritics" in assess_text_layer(stripped, 1)
    assert assess_text_layer("Short ASCII note of a page, under two hundred letters.", 1) is None


def test_assess_flags_tcvn3_and_vni_mojibake() -> None:
    tcvn3 = "Uû ban nh©n d©n tØnh Lµo Cai yªu cÇu c¸c së, ban, ngµnh t¨ng c­êng qu¶n lý. " * 5
    assert "TCVN3" in assess_text_layer(tcvn3, 1)
    vni = "UÛy ban nhaân daân tænh Laøo Cai yeâu caàu caùc sôû, ban, ngaønh taêng cöôøng. " * 5
    assert "VNI" in assess_text_layer(vni, 1)


def test_assess_tolerates_a_stray_degree_sign() -> None:
    assert assess_text_layer(GOOD + " Nhiệt độ kho không quá 40°C.", 1) is None

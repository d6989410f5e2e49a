"""OCR reader: a table we print, rasterise into an image-only "scan", and read back; the PDF reader
handing its scanned pages to OCR; unsure figures turned into warnings.

The scan is made here: reportlab prints a two-page ruled budget table (codes and amounts in the Vera
font reportlab ships, so they render on any machine; Chinese labels in the built-in STSong-Light CID
font, which pdfium draws only where a CJK system font is installed), pypdfium2 renders it at 200 dpi
and PIL saves the bitmaps as a PDF with no text layer. The expected cells are known exactly.
"""

from __future__ import annotations

import io
import random
import time
from decimal import Decimal
from pathlib import Path

import numpy as np
import pypdfium2
import pytest
from PIL import Image

from extractors.model import DocumentError, Extraction, Line, StagedCell, StagedTable
from extractors.readers import low_confidence_issues, ocr, pdf, reader_for

# one worker sets up the module's fixtures: tests of a module spread over both would build them twice
pytestmark = pytest.mark.xdist_group("ocr")

SCAN_DPI = 200
BODY_ROWS = 60  # 30 a page: enough cells that one misread in a hundred shows
HEADER = ["科目编码", "科目名称", "总计", "基本支出", "项目支出"]
VALUE_COLUMNS = range(2, 5)


def _expected_rows(seed: int = 7) -> list[list[str]]:
    """Body rows: code, name, then 总计 = 基本 + 项目 with blank cells where a part is zero."""
    rng = random.Random(seed)
    names = ["行政运行", "一般行政管理事务", "机关服务", "事业运行", "其他支出"]
    rows = []
    for index in range(BODY_ROWS):
        code = f"2{rng.randint(1, 32):02d}{rng.randint(1, 99):02d}{rng.randint(1, 99):02d}"
        basic = Decimal(rng.randint(0, 9_999_999)) / 100 if index % 4 else Decimal(0)
        project = Decimal(rng.randint(0, 99_999)) / 100 if index % 3 else Decimal(0)
        amounts = [basic + project, basic, project]
        rows.append([code, names[index % len(names)], *(f"{a:,.2f}" if a else "" for a in amounts)])
    return rows


def _print_table(path: Path, rows: list[list[str]], rules: str = "grid") -> None:
    """Print the table ruled as a full grid (``grid``) or as a three-line table (``three_line``)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    title = ParagraphStyle("title", fontName="STSong-Light", fontSize=14, leading=22)
    table = Table([HEADER, *rows], repeatRows=1, colWidths=[70, 150, 90, 90, 90])
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), "STSong-Light", 10),
        ("FONT", (0, 1), (0, -1), "Helvetica", 10),
        ("FONT", (2, 1), (-1, -1), "Helvetica", 10),
        ("ALIGN", (2, 1), (-1, -1), "RIGHT"),
        *([("GRID", (0, 0), (-1, -1), 0.6, colors.black)] if rules == "grid" else [
            ("LINEABOVE", (0, 0), (-1, 0), 1.2, colors.black),
            ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
            ("LINEBELOW", (0, -1), (-1, -1), 1.2, colors.black),
        ]),
    ]))
    doc = SimpleDocTemplate(str(path), pagesize=A4)
    doc.build([Paragraph("一般公共预算财政拨款支出预算表", title), Paragraph("单位：万元", title), table])


def _rasterise(source: Path, target: Path, dpi: int = SCAN_DPI) -> list[Image.Image]:
    """An image-only copy of ``source``: what a publisher's scanner would post."""
    pdf = pypdfium2.PdfDocument(source)
    images = [page.render(scale=dpi / 72, grayscale=True).to_pil() for page in pdf]
    pdf.close()
    images[0].save(target, save_all=True, append_images=images[1:], resolution=dpi)
    return images


@pytest.fixture(scope="module")
def scan(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("scan")
    rows = _expected_rows()
    _print_table(folder / "printed.pdf", rows)
    images = _rasterise(folder / "printed.pdf", folder / "scanned.pdf")
    document = ocr.read(folder / "scanned.pdf")
    return {"folder": folder, "rows": rows, "images": images, "document": document}


def _rows_by_code(lines: list[Line]) -> dict[str, Line]:
    return {line.cells[0].text: line for line in lines if line.is_row and line.cells[0].text.isdigit()}


def _amount_misses(expected_rows: list[list[str]], lines: list[Line]) -> tuple[int, list[tuple]]:
    """How many amount cells were read exactly, and the misses OCR did not flag."""
    found = _rows_by_code(lines)
    exact, unflagged = 0, []
    for expected in expected_rows:
        line = found.get(expected[0])
        for column in VALUE_COLUMNS:
            cell = line.cells[column] if line is not None and len(line.cells) > column else None
            if cell is not None and cell.text == expected[column]:
                exact += 1
            elif cell is None or cell.confidence >= ocr.LOW_CONFIDENCE_THRESHOLD:
                unflagged.append((expected[0], column, expected[column], cell))
    return exact, unflagged


def _degrade(image: Image.Image, angle: float, rng: np.random.Generator) -> Image.Image:
    """What a cheap office scanner does: a slight rotation, sensor noise, JPEG compression."""
    rotated = image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    noisy = np.asarray(rotated, dtype=np.int16) + rng.normal(0, 12, (rotated.height, rotated.width))
    buffer = io.BytesIO()
    Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8)).save(buffer, "JPEG", quality=60)
    buffer.seek(0)
    return Image.open(buffer).convert("L")


def test_scanned_pdf_has_no_text_layer(scan: dict) -> None:
    pdf = pypdfium2.PdfDocument(scan["folder"] / "scanned.pdf")
    assert len(pdf) == 2
    assert all(page.get_textpage().get_text_range() == "" for page in pdf)
    pdf.close()


def test_amounts_read_exactly_or_flagged(scan: dict) -> None:
    """≥ 99 % of the amount cells are exact; every cell that is not is flagged low-confidence."""
    exact, unflagged = _amount_misses(scan["rows"], scan["document"].lines)
    checked = BODY_ROWS * len(VALUE_COLUMNS)
    assert exact / checked >= 0.99, f"{exact}/{checked} exact"
    assert unflagged == []


@pytest.mark.slow
def test_skewed_noisy_scan(scan: dict) -> None:
    """A page scanned 0.8° off square, noisy and JPEG-compressed reads as well as a clean one."""
    rng = np.random.default_rng(3)
    pages = [_degrade(image, 0.8, rng) for image in scan["images"]]
    assert ocr.skew_angle(np.asarray(pages[0])) == pytest.approx(-0.8, abs=0.1)
    path = scan["folder"] / "skewed.pdf"
    pages[0].save(path, save_all=True, append_images=pages[1:], resolution=SCAN_DPI)
    exact, unflagged = _amount_misses(scan["rows"], ocr.read(path).lines)
    checked = BODY_ROWS * len(VALUE_COLUMNS)
    assert exact / checked >= 0.99, f"{exact}/{checked} exact"
    assert unflagged == []


def test_rows_keep_every_column_including_blanks(scan: dict) -> None:
    rows = [line for line in scan["document"].lines if line.is_row]
    assert all(len(line.cells) == len(HEADER) for line in rows)
    found = _rows_by_code(rows)
    assert len(found) == BODY_ROWS
    blanks = [(e[0], c) for e in scan["rows"] for c in VALUE_COLUMNS if e[c] == ""]
    assert len(blanks) > 10
    for code, column in blanks:
        cell = found[code].cells[column]
        assert cell.text == ""
        assert cell.confidence == 1.0  # no ink in it: confidently blank


def test_provenance_in_pdf_points(scan: dict) -> None:
    width, height = 595.28, 841.89  # A4
    lines = scan["document"].lines
    assert {line.page for line in lines} == {1, 2}
    for line in lines:
        for cell in line.cells:
            assert cell.page == line.page
            x0, top, x1, bottom = cell.bbox
            assert 0 <= x0 < x1 <= width and 0 <= top < bottom <= height
            assert 0.0 <= cell.confidence <= 1.0
    # The first body row sits just below the header row, inside the printed table (x from 57 to 557).
    first = _rows_by_code(lines)[scan["rows"][0][0]]
    assert 57 <= first.cells[0].bbox[0] < first.cells[1].bbox[0] < first.cells[2].bbox[0] <= 557


def test_low_confidence_cells_counted_in_metadata(scan: dict) -> None:
    document = scan["document"]
    assert document.file_type == "pdf" and document.page_count == 2
    assert document.metadata["low_confidence_cells"] == str(ocr.low_confidence_count(document.lines))
    assert document.metadata["ocr_pages"] == "2"


def test_ocr_pages_reads_only_the_pages_asked(scan: dict) -> None:
    lines = ocr.ocr_pages(scan["folder"] / "scanned.pdf", [2])
    assert lines and {line.page for line in lines} == {2}
    second_page_codes = set(_rows_by_code(lines))
    assert second_page_codes == {c for c in second_page_codes if c in {r[0] for r in scan["rows"][25:]}}
    with pytest.raises(ValueError, match="page 3 does not exist"):
        ocr.ocr_pages(scan["folder"] / "scanned.pdf", [3])


def test_png_input(scan: dict) -> None:
    path = scan["folder"] / "page1.png"
    scan["images"][0].save(path, dpi=(SCAN_DPI, SCAN_DPI))
    document = ocr.read(path)
    assert document.file_type == "png" and document.page_count == 1
    from_pdf = {c: [cell.text for cell in line.cells] for c, line in _rows_by_code(
        [line for line in scan["document"].lines if line.page == 1]).items()}
    from_png = {c: [cell.text for cell in line.cells] for c, line in _rows_by_code(document.lines).items()}
    assert from_png == from_pdf
    # Same dpi as the PDF render, so the same points.
    first = scan["rows"][0][0]
    pdf_box = _rows_by_code(scan["document"].lines)[first].cells[2].bbox
    png_box = _rows_by_code(document.lines)[first].cells[2].bbox
    assert png_box == pytest.approx(pdf_box, abs=0.5)


def test_three_line_table_without_vertical_rules(tmp_path: Path) -> None:
    """Columns from the gaps between values, rows from the printed lines between the rules."""
    rows = _expected_rows(seed=11)[:12]
    _print_table(tmp_path / "printed.pdf", rows, rules="three_line")
    _rasterise(tmp_path / "printed.pdf", tmp_path / "scanned.pdf")
    lines = ocr.read(tmp_path / "scanned.pdf").lines
    found = _rows_by_code(lines)
    assert set(found) == {r[0] for r in rows}
    exact, unflagged = _amount_misses(rows, lines)
    assert exact == len(rows) * len(VALUE_COLUMNS) and unflagged == []


def test_chinese_labels_when_a_cjk_font_renders(scan: dict) -> None:
    header = next(line for line in scan["document"].lines if line.is_row)
    if all(cell.text == "" for cell in header.cells[:2]):
        pytest.skip("pdfium found no CJK system font to draw STSong-Light (apt: fonts-wqy-microhei)")
    assert [cell.text for cell in header.cells] == HEADER
    text = [line.text for line in scan["document"].lines if not line.is_row]
    assert "一般公共预算财政拨款支出预算表" in text and "单位：万元" in text


def test_ink_that_ocr_cannot_read_is_flagged_not_blank(tmp_path: Path) -> None:
    """A ruled grid whose one cell holds a scribble: the cell stays blank text but confidence 0."""
    image = np.full((400, 1000), 255, dtype=np.uint8)
    for y in (50, 150, 250, 350):
        image[y:y + 3, 50:950] = 0
    for x in (50, 350, 650, 950):
        image[50:353, x:x + 3] = 0
    image[85:115, 400:600:7] = 0  # hatching in the second cell of the first row: ink, but no glyph
    path = tmp_path / "grid.png"
    Image.fromarray(image).save(path)
    # A readable number in the first cell of the same row.
    from PIL import ImageDraw, ImageFont

    with Image.open(path) as img:
        draw = ImageDraw.Draw(img)
        draw.text((80, 75), "1,234.56", fill=0, font=ImageFont.load_default(size=40))
        img.save(path)
    lines = ocr.read(path).lines
    rows = [line for line in lines if line.is_row]
    assert [cell.text for cell in rows[0].cells] == ["1,234.56", "", ""]
    assert rows[0].cells[0].confidence >= ocr.LOW_CONFIDENCE_THRESHOLD
    assert rows[0].cells[1].confidence == 0.0
    assert rows[0].cells[2].confidence == 1.0
    assert ocr.low_confidence_count(lines) == 1


def test_errors_name_the_problem(tmp_path: Path) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\nnot really a pdf")
    with pytest.raises(DocumentError) as corrupt:
        ocr.read(broken)
    assert corrupt.value.code == "corrupt_pdf"
    blank = tmp_path / "blank.png"
    Image.new("L", (800, 600), 255).save(blank)
    with pytest.raises(DocumentError) as empty:
        ocr.read(blank)
    assert empty.value.code == "empty_document"
    other = tmp_path / "table.docx"
    other.write_bytes(b"PK")
    with pytest.raises(DocumentError) as unsupported:
        ocr.read(other)
    assert unsupported.value.code == "unsupported_format"
    not_image = tmp_path / "photo.jpg"
    not_image.write_bytes(b"\xff\xd8 truncated")
    with pytest.raises(DocumentError) as bad_image:
        ocr.read(not_image)
    assert bad_image.value.code == "unsupported_format"


@pytest.mark.slow
@pytest.mark.shared
def test_real_scanned_document(real_dir: Path) -> None:
    """A real image-only publication (a 项目支出绩效评价结果, not a disclosure): six pages of narrative."""
    path = real_dir / "16_市场监督管理局_2026年部门预算.pdf"
    started = time.perf_counter()
    document = ocr.read(path)
    seconds = time.perf_counter() - started
    print(f"{path.name}: {document.page_count} pages in {seconds:.1f} s, "
          f"{document.metadata['low_confidence_cells']} low-confidence cells")
    assert document.page_count == 6
    assert {line.page for line in document.lines} == set(range(1, 7))
    text = [line.text for line in document.lines]
    assert text[:2] == ["2022年度长沙市市场监督管理局", "市场监督专项及部门项目支出绩效评价结果"]
    assert not any(line.is_row for line in document.lines)  # narrative only: no table invented
    # The printed page numbers ("- 1 -") are the shapes OCR is least sure of; they are flagged.
    assert int(document.metadata["low_confidence_cells"]) >= 1


# --- the PDF reader hands its textless pages to OCR; unsure figures become issues ----------------------


def _mixed_pdf(scan: dict, path: Path) -> None:
    """Page 1 as printed (text layer), page 2 as scanned (an image only)."""
    mixed = pypdfium2.PdfDocument.new()
    for source, index in ((scan["folder"] / "printed.pdf", 0), (scan["folder"] / "scanned.pdf", 1)):
        part = pypdfium2.PdfDocument(source)
        mixed.import_pages(part, [index])
        part.close()
    mixed.save(path)
    mixed.close()


def test_pdf_reader_ocrs_only_the_scanned_pages_in_page_order(scan: dict) -> None:
    path = scan["folder"] / "mixed.pdf"
    _mixed_pdf(scan, path)
    document = pdf.read(path)
    assert document.page_count == 2
    assert document.metadata["pages_without_text"] == "2" and document.metadata["ocr_pages"] == "1"
    pages = [line.page for line in document.lines]
    assert pages == sorted(pages) and set(pages) == {1, 2}
    assert all(cell.confidence is None for line in document.lines if line.page == 1 for cell in line.cells)
    assert all(cell.confidence is not None for line in document.lines if line.page == 2
               for cell in line.cells)
    # Every body row of both pages, text-layer and OCR alike, with its amounts.
    exact, unflagged = _amount_misses(scan["rows"], document.lines)
    assert exact / (BODY_ROWS * len(VALUE_COLUMNS)) >= 0.99 and unflagged == []


def test_too_many_scanned_pages_are_refused_before_ocr(scan: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BUDGETWH_MAX_OCR_PAGES", "1")
    with pytest.raises(DocumentError) as raised:
        pdf.read(scan["folder"] / "scanned.pdf")
    assert raised.value.code == "too_large"
    assert "2 scanned pages to OCR, more than the limit of 1" in raised.value.message


def test_images_are_read_by_ocr() -> None:
    assert reader_for(Path("scan.PNG")) is ocr.read
    assert reader_for(Path("photo.jpeg")) is ocr.read


def _cell(row: int, text: str, amount: str | None, confidence: float | None) -> StagedCell:
    return StagedCell(document_id="d", table_index=0, row_index=row, col_index=2, row_kind="subject",
                      row_group=None, row_code=f"20103{row:02d}", row_name="行政运行", column_label="总计",
                      measure="total", fiscal_year=2024, is_prior_year=False, raw_text=text,
                      amount=Decimal(amount) if amount else None, page=3, confidence=confidence)


def test_low_confidence_numeric_cells_become_warnings() -> None:
    table = StagedTable(document_id="d", table_index=0, table_type="general_budget_expenditure",
                        title="一般公共预算财政拨款支出预算表", label="表二", unit_name="万元",
                        page_first=3, page_last=3)
    cells = [
        _cell(1, "1,172.15", "1172.15", 0.99),  # sure
        _cell(2, "1,l72.15", None, 0.61),  # a misread figure that no longer parses
        _cell(3, "677.15", "677.15", 0.85),  # parsed, but unsure
        _cell(4, "", None, 0.0),  # ink OCR did not read
        _cell(5, "行政运行", None, 0.5),  # unsure text, not a figure
        _cell(6, "495.00", "495.00", None),  # from a text layer: nothing to doubt
    ]
    extraction = Extraction(document=None, tables=[table], cells=cells)  # type: ignore[arg-type]
    issues = low_confidence_issues(extraction)
    flagged = [(i.severity, i.code, i.table_index) for i in issues]
    assert flagged == [("warning", "low_confidence_cell", 0)] * 3
    assert issues[0].message == (
        "table 表二 '一般公共预算财政拨款支出预算表', row 2 (2010302), column '总计', page 3: "
        "text '1,l72.15' read with confidence 0.61 (below 0.90); check it against the scan"
    )
    assert "'677.15' read with confidence 0.85" in issues[1].message
    assert "row 4 (2010304)" in issues[2].message and "confidence 0.00" in issues[2].message

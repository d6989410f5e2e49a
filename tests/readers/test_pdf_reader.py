"""The PDF reader on PDFs written here with reportlab (known geometry) and on the real ones in ../shared."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from extractors.model import DocumentError
from extractors.readers.pdf import join_documents, read, read_many

FONT = "STSong-Light"
FONT_SIZE = 9
ROW_HEIGHT = 18
PAD = 3
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

WIDTHS = [60, 170, 70, 70, 70]
HEADER = [
    ["功能分类科目", "", "2024年预算数", "", ""],
    ["科目编码", "科目名称", "总计", "基本支出", "项目支出"],
]
# Merged header cells: (row, first column, last column) spans of the first header row.
HEADER_SPANS = [(0, 0, 1), (0, 2, 4)]
BODY = [
    ["", "合计", "1,172.15", "677.15", "495.00"],
    ["201", "一般公共服务支出", "1,056.45", "561.45", "495.00"],
    ["20103", "政府办公厅（室）及相关机构事务", "1,056.45", "561.45", "495.00"],
    ["2010301", "行政运行", "561.45", "561.45", ""],
    ["2010302", "一般行政管理事务", "495.00", "", "495.00"],
    ["208", "社会保障和就业支出", "60.08", "60.08", ""],
    ["2080505", "机关事业单位基本养老保险缴费支出", "36.65", "36.65", ""],
    ["2080506", "机关事业单位职业年金缴费支出", "18.33", "18.33", ""],
    ["2080599", "其他行政事业单位养老支出", "5.10", "5.10", ""],
]
TITLE = "一般公共预算财政拨款支出预算表"
UNIT = "单位：万元"


def _spanned(row: int, col: int) -> tuple[int, int] | None:
    for r, first, last in HEADER_SPANS:
        if r == row and first <= col <= last:
            return first, last
    return None


def _draw_table(c: canvas.Canvas, top: float, rows: list[list[str]], ruled: bool, header_rows: int,
                wrap_width: int | None = None) -> list[tuple[str, float, float]]:
    """Draw rows from ``top`` (PDF y) down; the first ``header_rows`` rows are ``HEADER``'s, with its spans.

    Returns (text, x, y) of a point inside each drawn string, y measured from the page top.
    """
    height = c._pagesize[1]
    drawn = []
    x_edges = [40 + sum(WIDTHS[:i]) for i in range(len(WIDTHS) + 1)]
    y = top
    for r, row in enumerate(rows):
        row_height = ROW_HEIGHT * max(len(_wrap(t, wrap_width)) for t in row)
        for col, text in enumerate(row):
            span = _spanned(r, col) if r < header_rows else None
            if ruled:
                c.line(x_edges[col], y, x_edges[col + 1], y)
                c.line(x_edges[col], y - row_height, x_edges[col + 1], y - row_height)
                if span is None or col == span[1]:
                    c.line(x_edges[col + 1], y, x_edges[col + 1], y - row_height)
                if col == 0:
                    c.line(x_edges[0], y, x_edges[0], y - row_height)
            for k, part in enumerate(_wrap(text, wrap_width)):
                baseline = y - ROW_HEIGHT * (k + 1) + (ROW_HEIGHT - FONT_SIZE) / 2 + 1
                if r >= header_rows and col >= 2:  # figures are right-aligned
                    x = x_edges[col + 1] - PAD - c.stringWidth(part, FONT, FONT_SIZE)
                else:
                    x = x_edges[col] + PAD
                c.drawString(x, baseline, part)
                drawn.append((part, x + 1, height - baseline - 2))
        y -= row_height
    return drawn


def _wrap(text: str, width: int | None) -> list[str]:
    if width is None or len(text) <= width:
        return [text]
    return [text[i:i + width] for i in range(0, len(text), width)]


def _write(path: Path, ruled: bool = True, wrap_width: int | None = None,
           body_order: list[int] | None = None) -> list[tuple[str, float, float]]:
    """One page: title, unit line, the two-row merged header, then ``BODY``."""
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    c.setFont(FONT, 14)
    c.drawString(200, 790, TITLE)
    c.setFont(FONT, FONT_SIZE)
    c.drawString(480, 770, UNIT)
    drawn = _draw_table(c, 760, HEADER, ruled, header_rows=len(HEADER))
    body_top = 760 - ROW_HEIGHT * len(HEADER)
    if body_order is None:
        drawn += _draw_table(c, body_top, BODY, ruled, header_rows=0, wrap_width=wrap_width)
    else:
        # The content stream's order differs from the printed order.
        for i in body_order:
            drawn += _draw_table(c, body_top - ROW_HEIGHT * i, [BODY[i]], ruled, header_rows=0)
    c.save()
    return drawn


def _rows(doc) -> list[list[str]]:
    return [[cell.text for cell in line.cells] for line in doc.lines if line.is_row]


def _text_lines(doc) -> list[str]:
    return [line.text for line in doc.lines if not line.is_row]


@pytest.mark.parametrize("ruled", [True, False], ids=["ruled", "unruled"])
def test_table_rows_keep_blank_cells_and_merged_header_positions(tmp_path: Path, ruled: bool) -> None:
    path = tmp_path / "table.pdf"
    _write(path, ruled=ruled)
    doc = read(path)
    assert _text_lines(doc) == [TITLE, UNIT]
    assert _rows(doc) == HEADER + BODY
    assert doc.page_count == 1 and doc.file_type == "pdf" and doc.metadata == {}


def test_every_cell_has_page_and_a_bbox_around_its_text(tmp_path: Path) -> None:
    path = tmp_path / "table.pdf"
    drawn = _write(path, ruled=True)
    cells = [cell for line in read(path).lines if line.is_row for cell in line.cells if cell.text]
    assert len(cells) == len([d for d in drawn if d[0]])
    for cell, (text, x, y) in zip(cells, [d for d in drawn if d[0]], strict=True):
        assert cell.text == text and cell.page == 1
        x0, top, x1, bottom = cell.bbox
        assert x0 <= x <= x1 and top <= y <= bottom, (text, cell.bbox, x, y)


@pytest.mark.parametrize("ruled", [True, False], ids=["ruled", "unruled"])
def test_scrambled_content_order_reads_in_print_order(tmp_path: Path, ruled: bool) -> None:
    path = tmp_path / "scrambled.pdf"
    order = list(range(len(BODY)))
    random.Random(3).shuffle(order)
    _write(path, ruled=ruled, body_order=order)
    assert _rows(read(path)) == HEADER + BODY


def test_wrapped_cell_text_is_one_cell(tmp_path: Path) -> None:
    path = tmp_path / "wrapped.pdf"
    _write(path, ruled=True, wrap_width=8)
    assert _rows(read(path)) == HEADER + BODY


def test_wrapped_cell_text_is_one_cell_in_unruled_tables(tmp_path: Path) -> None:
    path = tmp_path / "wrapped.pdf"
    _write(path, ruled=False, wrap_width=8)
    assert _rows(read(path)) == HEADER + BODY


def _write_pages(path: Path, pages: list[str | None]) -> None:
    """One line of text per page; ``None`` draws a page with a picture-like block and no text layer."""
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    for text in pages:
        if text is None:
            c.rect(50, 50, 495, 742, fill=1)
        else:
            c.setFont(FONT, 12)
            c.drawString(60, 780, text)
        c.showPage()
    c.save()


def test_table_continued_on_next_page_keeps_page_numbers(tmp_path: Path) -> None:
    path = tmp_path / "two_pages.pdf"
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    c.setFont(FONT, FONT_SIZE)
    _draw_table(c, 760, HEADER + BODY[:5], True, header_rows=len(HEADER))
    c.showPage()
    c.setFont(FONT, FONT_SIZE)
    _draw_table(c, 760, HEADER + BODY[5:], True, header_rows=len(HEADER))
    c.save()
    doc = read(path)
    assert _rows(doc) == HEADER + BODY[:5] + HEADER + BODY[5:]
    assert [line.page for line in doc.lines] == [1] * 7 + [2] * 6
    assert {cell.page for line in doc.lines for cell in line.cells} == {1, 2}


def test_pages_without_text_are_left_out_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "mixed.pdf"
    _write_pages(path, ["第一页", None, "第三页", None])
    doc = read(path)
    assert _text_lines(doc) == ["第一页", "第三页"]
    assert doc.page_count == 4
    assert doc.metadata["pages_without_text"] == "2,4"


def _encrypted(path: Path) -> None:
    c = canvas.Canvas(str(path), encrypt="user-password")
    c.setFont(FONT, 12)
    c.drawString(60, 780, "加密")
    c.save()


def _zero_pages(path: Path) -> None:
    body = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n")
    second = body.index(b"2 0 obj")
    xref = (b"xref\n0 3\n0000000000 65535 f \n0000000009 00000 n \n%010d 00000 n \n" % second
            + b"trailer<</Size 3/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % len(body))
    path.write_bytes(body + xref)


def _truncated(path: Path) -> None:
    _write_pages(path, ["完整"])
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 2 // 3])


def _garbage(path: Path) -> None:
    path.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 8 + b"\n%%EOF\n")


def _not_a_pdf(path: Path) -> None:
    path.write_bytes("<html>附件</html>".encode())


@pytest.mark.parametrize(("make", "code"), [
    (_encrypted, "encrypted_pdf"),
    (_zero_pages, "empty_document"),
    (lambda p: p.write_bytes(b""), "empty_document"),
    (_truncated, "corrupt_pdf"),
    (_garbage, "corrupt_pdf"),
    (_not_a_pdf, "corrupt_pdf"),
    (lambda p: _write_pages(p, [None, None]), "scanned_no_text"),
], ids=["encrypted", "zero_pages", "empty_file", "truncated", "garbage", "not_a_pdf", "scanned"])
def test_bad_documents_are_rejected_with_their_code(tmp_path: Path, make, code: str) -> None:
    path = tmp_path / "bad.pdf"
    make(path)
    with pytest.raises(DocumentError) as raised:
        read(path)
    assert raised.value.code == code
    assert "bad.pdf" in raised.value.message


def test_join_documents_continues_page_numbers(tmp_path: Path) -> None:
    narrative, tables = tmp_path / "narrative.pdf", tmp_path / "tables.pdf"
    _write_pages(narrative, ["情况说明", "第二页"])
    _write(tables)
    joined = join_documents([read(narrative), read(tables)])
    assert joined.page_count == 3
    assert _text_lines(joined) == ["情况说明", "第二页", TITLE, UNIT]
    assert {cell.page for line in joined.lines if line.is_row for cell in line.cells} == {3}
    assert joined.sha256 == read(narrative).sha256
    assert joined.metadata["parts"].split(";")[1].startswith("tables.pdf|")


def test_read_many_in_processes_equals_reading_one_by_one(tmp_path: Path) -> None:
    paths = []
    for i, ruled in enumerate([True, False, True]):
        paths.append(tmp_path / f"doc{i}.pdf")
        _write(paths[-1], ruled=ruled)
    bad = tmp_path / "bad.pdf"
    _garbage(bad)
    results = list(read_many([*paths, bad], workers=2))
    assert [_rows(r) for r in results[:3]] == [_rows(read(p)) for p in paths]
    assert isinstance(results[3], DocumentError) and results[3].code == "corrupt_pdf"

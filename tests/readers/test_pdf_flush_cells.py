"""Cells printed flush against each other across a ruling (issue 15): a right-aligned amount that fills
its cell ends closer to the next cell's text than the word gap, and used to be read as one word with
it (``193,500.0031,158,000.00``), placed in one cell by its centre. The ruling between them splits it
when the text before it is a complete amount; text run over an empty neighbour stays one word."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from extractors.readers.pdf import read
from extractors.readers.pdf_geometry import page_geometry
from extractors.readers.pdf_layout import page_lines

FONT, SIZE = "Helvetica", 8
ROW_HEIGHT = 14
# Each figure column is just wide enough for its widest amount: printed 0.2 pt from its right ruling,
# the next cell's text starts 0.3 pt after it.
FLUSH = 0.25


def _table(path: Path, rows: list[list[str]], widths: list[float], right_aligned: set[int]) -> None:
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    c.setFont(FONT, SIZE)
    edges = [40 + sum(widths[:i]) for i in range(len(widths) + 1)]
    top = 780
    for r, row in enumerate(rows + [[]]):
        y = top - r * ROW_HEIGHT
        c.line(edges[0], y, edges[-1], y)
        if r == len(rows):
            break
        for x in edges:
            c.line(x, y, x, y - ROW_HEIGHT)
        for col, text in enumerate(row):
            if col in right_aligned:
                x = edges[col + 1] - FLUSH - c.stringWidth(text, FONT, SIZE)
            else:
                x = edges[col] + FLUSH
            c.drawString(x, y - ROW_HEIGHT + 4, text)
    c.save()


def _rows(path: Path) -> list[list[str]]:
    return [[cell.text for cell in line.cells] for line in read(path).lines if line.is_row]


def test_amounts_flush_against_the_next_cell_across_a_ruling_are_two_cells(tmp_path: Path) -> None:
    path = tmp_path / "flush.pdf"
    rows = [
        ["Total", "57,232,550.00", "39,358,500.00", "-8,007,000.00", "36,208.43", "(1) General"],
        ["153", "26,338,050.00", "22,245,000.00", "12.50", "3,030.00", "(2) Education"],
    ]
    widths = [30.0, *(max(stringWidth(row[col], FONT, SIZE) for row in rows) + 2 * FLUSH
                      for col in range(1, 5)), 60.0]
    _table(path, rows, widths, right_aligned={1, 2, 3, 4})
    assert _rows(path) == rows


def test_text_run_over_an_empty_neighbour_stays_in_its_cell(tmp_path: Path) -> None:
    path = tmp_path / "overflow.pdf"
    # ``Expenditures`` is wider than its column and runs on over the empty one beside it; the
    # right-aligned ``1,234,567.89`` is wider than its column and runs back over the empty one before
    # it. The text before either ruling is no complete amount: each stays one word, in its own cell.
    rows = [["Expenditures", "", "", "1,234,567.89"], ["30201", "", "", "2.00"]]
    _table(path, rows, [30.0, 30.0, 30.0, 36.0], right_aligned={3})
    assert _rows(path) == rows


def _page_rows(path: Path, page: int) -> list[list[str]]:
    pdf = pdfium.PdfDocument(path)
    try:
        lines = page_lines(page_geometry(pdf[page - 1], page))
    finally:
        pdf.close()
    return [[cell.text for cell in line.cells] for line in lines if line.is_row]


def _shared_file(shared_dir: Path, prefix: str) -> Path:
    found = sorted((shared_dir / "real-wide").glob(f"{prefix}_*.pdf"))
    if not found:
        pytest.skip(f"{prefix}_*.pdf not in {shared_dir / 'real-wide'}")
    return found[0]


def test_xian_public_security_three_public_table_reads_each_amount(shared_dir: Path) -> None:
    """171 西安市公安局 p.50 (表13, 单位：元): as printed on the rendered page."""
    rows = _page_rows(_shared_file(shared_dir, "171"), 50)
    total = next(row for row in rows if row[0] == "合计")
    # 上年: 合计, 小计, 因公出国（境）, 公务接待费, 公务用车 小计, 购置费, 运行维护费, 会议费,
    # 培训费; then 当年 合计, 小计.
    assert total[2:13] == ["57,232,550.00", "39,358,500.00", "", "183,500.00", "39,175,000.00", "",
                           "39,175,000.00", "558,500.00", "17,315,550.00", "39,969,215.00", "31,351,500.00"]
    assert "193,500.00" in total and "31,158,000.00" in total
    unit = next(row for row in rows if row[0] == "153001")
    assert unit[2:4] == ["26,338,050.00", "22,245,000.00"]
    assert not any(len(text) > 15 and text.count(".") > 1 for row in rows for text in row)


def test_chongqing_commerce_income_total_line_reads_each_source(shared_dir: Path) -> None:
    """132 重庆市商务委员会 p.9 (部门收入总体情况表): the bold 合计 line, and class 215 on p.10."""
    path = _shared_file(shared_dir, "132")
    total = next(row for row in _page_rows(path, 9) if row[0] == "合计")
    assert total[2:] == ["174,900.64", "101,833.84", "41,534.73", "", "22,070.82", "2,461.25", "", "",
                         "6,282.98", "717.01"]
    row_215 = next(row for row in _page_rows(path, 10) if row[0] == "215")
    assert row_215[2:5] == ["41,772.73", "238.00", "41,534.73"]


def test_chongqing_publicity_fiscal_summary_keeps_income_apart_from_expenditure_label(
        shared_dir: Path) -> None:
    """131 重庆市委宣传部 p.15 (财政拨款收支总体情况表): 预算数 and the expenditure item beside it."""
    rows = _page_rows(_shared_file(shared_dir, "131"), 15)
    assert ["一、本年收入", "39,238.43", "一、本年支出", "41,958.18", "37,891.58", "4,066.60", ""] in rows
    assert ["（一）一般公共预算资金", "36,208.43", "（一）一般公共服务支出", "22,006.16", "22,006.16", "",
            ""] in rows
    assert ["（二）政府性基金预算资金", "3,030.00", "（二）教育支出", "9.30", "9.30", "", ""] in rows

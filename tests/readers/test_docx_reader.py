"""DOCX attachments: paragraphs and tables in order, through the interpreter into staging."""

from __future__ import annotations

from decimal import Decimal

import docx
import pytest

from extractors.extract import extract_file
from extractors.model import DocumentError
from extractors.readers.docx import read

ROWS = [("合计", "", "1,172.15", "677.15", "495.00"),
        ("201", "一般公共服务支出", "1,056.45", "561.45", "495.00"),
        ("20103", "政府办公厅（室）及相关机构事务", "1,056.45", "561.45", "495.00"),
        ("208", "社会保障和就业支出", "115.70", "115.70", "")]


@pytest.fixture
def budget_docx(tmp_path):
    document = docx.Document()
    document.add_paragraph("重庆市綦江区样例办公室2024年部门预算")
    document.add_paragraph("表二")
    document.add_paragraph("一般公共预算财政拨款支出预算表")
    document.add_paragraph("单位：万元")
    table = document.add_table(rows=2 + len(ROWS), cols=5)
    header = table.rows[0].cells
    header[0].merge(header[1]).text = "功能分类科目"
    header[2].merge(header[4]).text = "2024年预算数"
    for cell, label in zip(table.rows[1].cells, ("科目编码", "科目名称", "总计", "基本支出", "项目支出"),
                           strict=True):
        cell.text = label
    for row, values in zip(table.rows[2:], ROWS, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    path = tmp_path / "P020240301123.docx"
    document.save(path)
    return path


def test_paragraphs_and_merged_headers_in_order(budget_docx):
    doc = read(budget_docx)
    assert [line.text for line in doc.lines[:4]] == [
        "重庆市綦江区样例办公室2024年部门预算", "表二", "一般公共预算财政拨款支出预算表", "单位：万元"]
    assert doc.lines[4].is_row and [c.text for c in doc.lines[4].cells] == [
        "功能分类科目", "功能分类科目", "2024年预算数", "2024年预算数", "2024年预算数"]


def test_docx_tables_reach_staging(budget_docx):
    extraction = extract_file(budget_docx)
    assert extraction.document.status == "loaded"
    (table,) = [t for t in extraction.tables if t.table_type == "general_budget_expenditure"]
    cells = {(c.row_code, c.measure): c.amount for c in extraction.cells
             if c.table_index == table.table_index and c.amount is not None}
    assert cells[("201", "total")] == Decimal("1056.45")
    assert cells[("20103", "project")] == Decimal("495.00")
    assert cells[("208", "basic")] == Decimal("115.70")
    assert extraction.document.fiscal_year == 2024


def test_legacy_doc_and_broken_docx_are_refused(tmp_path):
    legacy = tmp_path / "P0001.doc"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    assert extract_file(legacy).document.error_code == "unsupported_format"
    broken = tmp_path / "P0002.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(DocumentError):
        read(broken)
    assert extract_file(broken).document.status == "rejected"

"""XLSX reader: merged cells spread, text rows vs table rows, exact numbers, templates and zip bombs."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from extractors.model import DocumentError
from extractors.readers.xlsx import read


def workbook(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表2 一般公共预算支出表"
    ws.append(["2024年一般公共预算财政拨款支出预算表"])
    ws.merge_cells("A1:E1")
    ws.append([None, None, None, None, "单位：万元"])
    ws.append(["科目编码", "科目名称", "一般公共预算支出"])
    ws.append([None, None, "合计", "基本支出", "项目支出"])
    ws.merge_cells("A3:A4")
    ws.merge_cells("B3:B4")
    ws.merge_cells("C3:E3")
    ws.append(["201", "一般公共服务支出", 1234.5, 1000, 234.5])
    ws.append(["20103", "政府办公厅（室）及相关机构事务", 0.1 + 0.2, None, None])
    for row in ws.iter_rows(min_row=5, max_row=5, min_col=3):
        for cell in row:
            cell.number_format = "#,##0.00"
    ws.append([])
    ws.append(["表3 基本支出表"])
    ws.append(["科目", "金额"])
    ws.append(["合计", 12])
    ws.append(["说明：第一行\n第二行"])
    ws.merge_cells("A11:B11")
    ws.column_dimensions["Z"].width = 30  # formatting far right must not widen the table
    hidden = wb.create_sheet("隐藏")
    hidden.sheet_state = "hidden"
    hidden.append(["不应读取", 1.5])
    wb.save(path)
    return path


def test_sheets_merged_headers_and_several_tables(tmp_path):
    doc = read(workbook(tmp_path / "b.xlsx"))
    assert doc.file_type == "xlsx" and doc.page_count == 1
    lines = [(line.is_row, [c.text for c in line.cells]) for line in doc.lines]
    assert lines == [
        (False, ["表2 一般公共预算支出表"]),
        (False, ["2024年一般公共预算财政拨款支出预算表"]),
        (False, ["单位：万元"]),
        (True, ["科目编码", "科目名称", "一般公共预算支出", "一般公共预算支出", "一般公共预算支出"]),
        (True, ["科目编码", "科目名称", "合计", "基本支出", "项目支出"]),
        (True, ["201", "一般公共服务支出", "1234.50", "1000.00", "234.50"]),
        (True, ["20103", "政府办公厅（室）及相关机构事务", "0.3", "", ""]),
        (False, ["表3 基本支出表"]),
        (True, ["科目", "金额"]),
        (True, ["合计", "12"]),
        (False, ["说明：第一行"]),
        (False, ["第二行"]),
    ]
    assert {c.page for line in doc.lines for c in line.cells} == {1}


def test_blank_template_is_rejected(real_dir):
    with pytest.raises(DocumentError) as err:
        read(real_dir / "37_templates_excel_department_budget_template.xlsx")
    assert err.value.code == "template"


def test_zip_bomb_is_refused_before_openpyxl(tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", b"0" * (8 * 1024 * 1024))
    with pytest.raises(DocumentError) as err:
        read(path)
    assert err.value.code == "too_large" and "zip bomb" in err.value.message


def test_not_a_workbook(tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"<html>not a workbook</html>")
    with pytest.raises(DocumentError) as err:
        read(path)
    assert err.value.code == "unsupported_format"
    path.write_bytes(b"PK\x03\x04 truncated")
    with pytest.raises(DocumentError) as err:
        read(path)
    assert err.value.code == "corrupt_xlsx"

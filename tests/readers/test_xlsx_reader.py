"""XLSX reader: merged cells spread, text rows vs table rows, exact numbers, templates and zip bombs."""

from __future__ import annotations

import re
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from extractors.generator.hostile_office import GOOD_ROWS, HEADER, TITLE, write_office_cases
from extractors.model import DocumentError
from extractors.readers import xlsx
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
    path.write_bytes(b"%PDF-1.4 not a workbook")
    with pytest.raises(DocumentError) as err:
        read(path)
    assert err.value.code == "unsupported_format"
    # a web page named as a workbook is read as the page it is: this one has no table
    path.write_bytes(b"<html>not a workbook</html>")
    with pytest.raises(DocumentError) as err:
        read(path)
    assert err.value.code == "no_tables"
    path.write_bytes(b"PK\x03\x04 truncated")
    with pytest.raises(DocumentError) as err:
        read(path)
    assert err.value.code == "corrupt_xlsx"


def _exact(text: str) -> str | Decimal:
    """A figure as its exact value (the generated sheets carry no number format: 1234.5 is 1234.50)."""
    return Decimal(text) if re.fullmatch(r"\d+(\.\d+)?", text) else text


GOOD_TEXTS = [[_exact(t) for t in r] for r in GOOD_ROWS]


def _table_rows(doc) -> list[list[str]]:
    return [[c.text for c in line.cells] for line in doc.lines if line.is_row]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    folder = tmp_path_factory.mktemp("hostile")
    return folder, write_office_cases(folder)


@pytest.mark.parametrize("name", [
    "good.xlsx", "billion_laughs.xlsx", "merge_wide.xlsx", "merge_tall.xlsx", "merge_sheet.xlsx",
    "formulas_uncached.xlsx", "huge_dimension.xlsx", "huge_used_range.xlsx", "zip_bomb.xlsx", "empty.xlsx",
    "html_as.xls",
])
def test_hostile_workbooks(hostile, name):
    """Each hostile workbook gets its own code, or loads with its good table read exactly."""
    folder, expected = hostile
    if expected[name] != "loaded":
        with pytest.raises(DocumentError) as err:
            read(folder / name)
        assert err.value.code == expected[name], err.value.message
        return
    doc = read(folder / name)
    assert [[_exact(t) for t in row] for row in _table_rows(doc)] == [list(HEADER), *GOOD_TEXTS]
    assert TITLE in [line.text for line in doc.lines if not line.is_row]


def test_hostile_messages_say_what_was_found(hostile):
    folder, _ = hostile
    with pytest.raises(DocumentError) as err:
        read(folder / "formulas_uncached.xlsx")
    assert "9 formula cell(s) saved without their computed value (C3, D3, E3, C4, D4 …)" in err.value.message
    with pytest.raises(DocumentError) as err:
        read(folder / "huge_used_range.xlsx")
    assert "1048576 x 16384 cells" in err.value.message
    with pytest.raises(DocumentError) as err:
        read(folder / "billion_laughs.xlsx")
    assert "xl/worksheets/sheet1.xml declares a DTD" in err.value.message


def test_merges_bounded_by_the_used_range_and_a_budget(tmp_path, monkeypatch):
    """A merge over many columns spreads its value only as far as the used range reaches; merges that
    together cover more than the cell budget are refused, not spread."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["标题"])
    ws.append(["科目", "金额", "备注"])
    ws.append(["合计", 12.5, "说明"])
    ws.merge_cells("A1:XFD1")
    wb.save(tmp_path / "m.xlsx")
    doc = read(tmp_path / "m.xlsx")
    assert [line.text for line in doc.lines if not line.is_row] == ["Sheet", "标题"]
    assert _table_rows(doc) == [["科目", "金额", "备注"], ["合计", "12.5", "说明"]]
    monkeypatch.setattr(xlsx, "MAX_CELLS", 5)
    with pytest.raises(DocumentError) as err:
        read(tmp_path / "m.xlsx")
    assert err.value.code == "too_many_cells"

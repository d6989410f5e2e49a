"""Procurement tables (政府采购预算表): every line keyed by its level (category, unit, group, item) with
its amounts in measures, the function and economic codes it prints, its quantity (数量) a count that is
neither staged nor counted as an amount; and Shenzhen 支出总表's procurement columns as measures."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from extractors.extract import extract_file
from extractors.interpret.completeness import numeric_cell_count
from extractors.interpret.grid import GridReader, build_columns
from extractors.interpret.segment import Block
from extractors.model import Cell, Line


def _line(*texts: str) -> Line:
    return Line([Cell(t, page=1) for t in texts], page=1)


def _read(block: Block, factor: str = "1"):
    return GridReader(block, 0, "doc", "procurement", "income", 2026, Decimal(factor), False).read()


def _lines(result) -> dict[int, tuple[str, str | None, str | None, str | None, dict]]:
    """{row_index: (row_kind, row_code, row_name, row_qualifier, {measure: amount})}"""
    lines: dict = {}
    for c in result.cells:
        kind, code, name, qualifier, amounts = lines.setdefault(
            c.row_index, (c.row_kind, c.row_code, c.row_name, c.row_qualifier, {}))
        if c.measure and c.amount is not None:
            amounts[c.measure] = c.amount
    return lines


# Wuxi 教育局 2026 公开13表 政府采购支出表 (p.32 of the file), as printed
WUXI_HEADER = [
    _line("采购品目大类", "专项名称", "经济科目", "采购品目名称", "采购组织形式", "资金来源", "", "", "",
          "总计"),
    _line("", "", "", "", "", "一般公共预算资金", "政府性基金", "其他资金", "上年结转和结余资金", ""),
]
WUXI_BODY = [
    _line("合计", "", "", "", "", "14,353.67", "", "196.10", "", "14,549.77"),
    _line("货物", "", "", "", "", "816.10", "", "58.00", "", "874.10"),
    _line("中国企业管理无锡培训中心", "", "", "", "", "38.06", "", "", "", "38.06"),
    _line("", "教育业务活动费用", "其他商品和服务支出", "台式计算机", "集中采购机构采购", "11.90", "", "", "",
          "11.90"),
    _line("", "教育业务活动费用", "公务用车购置", "小型客车", "集中采购机构采购", "18.00", "", "", "",
          "18.00"),
    _line("无锡市教师发展学院", "", "", "", "", "1.54", "", "", "", "1.54"),
    _line("", "商品和服务支出(公用经费定额)", "办公费", "A4黑白打印机", "集中采购", "1.54", "", "", "",
          "1.54"),
]


def test_a_procurement_tables_lines_are_keyed_by_their_level():
    result = _read(Block("政府采购支出表", None, parts=[WUXI_HEADER + WUXI_BODY]))
    lines = _lines(result)
    d = Decimal
    assert lines[0] == ("total", "total", "合计", None,
                        {"total": d("14549.77"), "general_budget": d("14353.67"), "other": d("196.10")})
    assert lines[1] == ("procurement_category", "goods", "货物", None,
                        {"total": d("874.10"), "general_budget": d("816.10"), "other": d("58.00")})
    assert lines[2][:3] == ("procurement_unit", None, "中国企业管理无锡培训中心")
    assert lines[3] == ("procurement_item", None, "台式计算机", None,
                        {"total": d("11.90"), "general_budget": d("11.90")})
    assert lines[5][:3] == ("procurement_unit", None, "无锡市教师发展学院")
    assert lines[6][:3] == ("procurement_item", None, "A4黑白打印机")
    # every figure lands in a measure of a keyed line: nothing unmapped
    assert not [i for i in result.issues if i.message.startswith("p.")]


# Xi'an 公安局 2026 表12 部门综合预算政府采购（资产配置、购买服务）预算表 (p.44 of the file), 元
XIAN_HEADER = [
    _line("科目编码", "", "", "单位编码", "采购项目", "采购目录", "购买服务内容", "规格型号", "数量",
          "部门预算支出经济科目编码", "", "政府预算支出经济分类科目编码", "", "实施采购时间", "预算金额",
          "说明"),
    _line("类", "款", "项", "", "", "", "", "", "", "类", "款", "类", "款", "", "", ""),
]
XIAN_BODY = [
    _line("", "", "", "", "合计", "", "", "", "882", "", "", "", "", "", "391,328,302.13", ""),
    _line("204", "02", "01", "1", "全额", "", "", "", "31", "", "", "", "", "", "27,731,137.00", ""),
    _line("204", "02", "01", "153001", "西安市公安局", "", "", "", "5", "", "", "", "", "", "7,838,000.00",
          ""),
    _line("204", "02", "01", "", "车辆运行维护费", "C23120301车辆维修和保养服务", "", "车辆维修服务", "1",
          "302", "31", "502", "08", "", "6,500,000.00", ""),
    _line("204", "02", "02", "", "公安其他业务经费（内容涉密）", "", "", "", "", "", "", "", "", "",
          "23,690,000.00", ""),
]


def test_a_procurement_list_by_function_code_keeps_its_codes_and_leaves_quantities_out():
    block = Block("部门综合预算政府采购（资产配置、购买服务）预算表", None,
                  parts=[XIAN_HEADER + XIAN_BODY])
    result = _read(block, "0.0001")
    lines = _lines(result)
    assert lines[0] == ("total", "total", "合计", None, {"total": Decimal("39132.8302130000")})
    assert lines[1] == ("procurement_group", "2040201", "全额", None, {"total": Decimal("2773.1137")})
    assert lines[2] == ("procurement_unit", "2040201", "西安市公安局", None, {"total": Decimal("783.8")})
    # an item: its function code, and the department economic code 302 31 it is bought under
    assert lines[3] == ("procurement_item", "2040201", "C23120301车辆维修和保养服务", "30231",
                        {"total": Decimal("650.0")})
    # no catalogue entry (confidential), no unit code: an item, not a heading
    assert lines[4][:2] == ("procurement_item", "2040202")
    # one list: the economic codes after 数量 start no second half
    assert {c.row_index for c in result.cells} == {0, 1, 2, 3, 4}
    assert not [c for c in result.cells if c.column_label == "数量"]
    assert not [i for i in result.issues if i.message.startswith("p.")]
    # counted: the five amounts; not the quantities (882, 31 …) nor the codes (204, 02, 153001, 302 …)
    assert numeric_cell_count(XIAN_HEADER + XIAN_BODY, [block]) == 5


def test_a_departments_own_line_heads_its_units_in_a_procurement_list():
    """Xi'an 2022 (175 医疗保障局 p.43): 210 15 05 | 245 | 西安市医疗保障局 21,069,995 is the department's
    line over its units 245001 (7,499,000) and 245002: it heads them as a group, so the units alone are the
    next level and the two are never summed together (BW-ROW-015 read 4,214.00 against 2,107.00)."""
    body = [
        _line("", "", "", "", "合计", "", "", "", "15680", "", "", "", "", "", "21069995", ""),
        _line("210", "15", "05", "245", "西安市医疗保障局", "", "", "", "15680", "", "", "", "", "",
              "21069995", ""),
        _line("210", "15", "05", "245001", "西安市医疗保障局", "", "", "", "21", "", "", "", "", "",
              "7499000", ""),
        _line("210", "15", "06", "245002", "西安市医疗保障经办服务中心", "", "", "", "15135", "", "", "", "",
              "", "13570995", ""),
    ]
    lines = _lines(_read(Block("2022年部门综合预算政府采购（资产配置、购买服务）预算表", None,
                               parts=[XIAN_HEADER + body]), "0.0001"))
    assert [lines[i][0] for i in range(4)] == [
        "total", "procurement_group", "procurement_unit", "procurement_unit"]
    assert lines[1][4] == {"total": Decimal("2106.9995")}


def test_a_jiangsu_procurement_table_heads_its_items_by_their_project():
    """Jiangsu 省检察院 2017 十二、政府采购支出预算表 (p.16): 合计, 一、货物A, then a 专项 line (办公、办案
    设备更新购置费 | 办公设备购置) over its items."""
    header = [_line("采购品目大类", "专项名称", "经济科目", "采购物品名称", "采购组织形式", "总计")]
    body = [
        _line("合计", "", "", "", "", "2,889.80"),
        _line("一、货物A", "", "", "", "", "334.00"),
        _line("", "办公、办案设备更新购置费", "办公设备购置", "", "", "120.00"),
        _line("", "", "", "台式计算机（20万以上）", "政府集中采购", "35.00"),
        _line("说明：本表为空", "", "", "", "", ""),
    ]
    lines = _lines(_read(Block("政府采购支出预算表", None, parts=[header + body])))
    assert [lines[i][:3] for i in range(4)] == [
        ("total", "total", "合计"),
        ("procurement_category", "goods", "一、货物A"),
        ("procurement_group", None, "办公、办案设备更新购置费"),
        ("procurement_item", None, "台式计算机（20万以上）"),
    ]
    assert lines[2][4] == {"total": Decimal("120.00")}
    # a line without a figure (running text read after the table) is no procurement line
    assert lines[4][0] == "other"


def test_shenzhen_expenditure_summary_procurement_columns_are_measures():
    """Shenzhen 支出总表 (生态环境局 2026, p.81): 2026年政府采购项目 / 小计, 其中：…预留给中小企业的项目资金
    规模, 其中：…预留给小型、微型企业的项目资金规模 beside 支出总计 … 上缴上级支出."""
    header = [
        ["预算单位", "科目编码", "科目名称", "支出总计", "基本支出", "项目支出", "事业单位经营支出",
         "对附属单位补助支出", "上缴上级支出", "2026年政府采购项目", "", ""],
        ["", "", "", "", "", "", "", "", "", "小计", "其中：2026年政府采购项目中预留给中小企业的项目资金规模",
         "其中：2026年政府采购项目中预留给小型、微型企业的项目资金规模"],
    ]
    columns = build_columns(header, 12, "expenditure", 2026)
    assert [c.measure for c in columns[3:]] == [
        "total", "basic", "project", "business_operation_expenditure", "subsidy_to_subordinate",
        "remittance_to_superior",
        "procurement", "procurement_sme_reserved", "procurement_small_micro_reserved"]


def test_a_real_procurement_table_read_from_its_page(shared_dir: Path) -> None:
    """Wuxi 教育局 2026 公开13表 政府采购支出表, figures read from the rendered pages 32–33 of the file."""
    path = shared_dir / "real-wide" / "158_无锡_教育局_2026年部门预算.pdf"
    if not path.exists():
        pytest.skip(f"{path} not found")
    extraction = extract_file(path)
    table = next(t for t in extraction.tables if t.table_type == "procurement")
    cells = [c for c in extraction.cells if c.table_index == table.table_index and c.measure == "total"]
    # a unit prints a line under each category it buys in: the first page's lines (货物)
    by_line = {(c.row_kind, c.row_name): c.amount for c in reversed(cells) if c.page == 32}
    assert by_line[("total", "合计")] == Decimal("14549.77")
    assert by_line[("procurement_category", "货物")] == Decimal("874.10")
    assert by_line[("procurement_unit", "无锡市教育考试院")] == Decimal("0.50")
    assert by_line[("procurement_item", "小型客车")] == Decimal("18.00")
    # the categories alone sum to the total; so do the units, and the items
    for kind in ("procurement_category", "procurement_unit", "procurement_item"):
        assert sum(c.amount or 0 for c in cells if c.row_kind == kind) == Decimal("14549.77"), kind
    assert not [i for i in extraction.issues
                if i.table_index == table.table_index and i.message.startswith("p.")]

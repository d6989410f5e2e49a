"""Budget units' lines (issue 15, no silent loss): tables printed per unit and unit lines heading their
subject lines are read as row_kind 'unit', their amounts kept; subject and project names named like
organisations stay what they are."""

from __future__ import annotations

from decimal import Decimal

import pytest

from extractors.interpret import interpret
from extractors.interpret.grid import unit_name
from tests.interpret.test_interpret_layouts import by, document


@pytest.mark.parametrize("label, name", [
    ("广州市市长专线电话受理中心", "广州市市长专线电话受理中心"),
    ("深圳市生态环境局（本级）", "深圳市生态环境局"),
    ("杭州市西郊监狱", "杭州市西郊监狱"),
    ("广州市气象台", "广州市气象台"),
    ("一带一路环境技术交流与转移中心（深圳）", "一带一路环境技术交流与转移中心"),
    ("杭州市公安局交通治安分局（水上治安分局）", "杭州市公安局交通治安分局"),
    # subject names ending like an organisation's: the corpora print them with a code
    ("监狱", None), ("法院", None), ("综合医院", None), ("行政运行", None), ("公安", None),
    ("合计", None), ("工资福利支出", None),
])
def test_a_unit_name_is_an_organisation_no_subject_is_named(label: str, name: str | None) -> None:
    assert unit_name(label) == name


def test_a_table_printed_per_unit_stages_each_unit_line() -> None:
    """Guangzhou 收入总体情况表: 合计, then the department's own line and its units' lines."""
    e = interpret(document(
        "广州市商务局2026年部门预算",
        "收入总体情况表",
        "单位：万元",
        ["单位名称", "合计", "一般公共预算", "事业收入"],
        ["合计", "121,393.52", "121,385.74", "7.78"],
        ["广州市商务局", "116,151.07", "116,143.29", "7.78"],
        ["广州市国际投资促进中心", "1,677.20", "1,677.20", "0.00"],
        ["广州商务会展促进服务中心", "1,583.79", "1,583.79", "0.00"],
    ))
    assert e.tables[0].table_type == "department_income"
    units = {(c.row_name, c.measure): c.amount for c in by(e, row_kind="unit")}
    assert units[("广州市商务局", "total")] == Decimal("116151.07")
    assert units[("广州市国际投资促进中心", "general_budget")] == Decimal("1677.20")
    # named without a place, but among unit lines, with amounts and too long for a subject's name
    assert units[("广州商务会展促进服务中心", "business_income")] == Decimal("0.00")
    assert {c.row_code for c in by(e, row_kind="unit")} == {None}
    assert not [i for i in e.issues if i.code == "unmapped_row"]


def test_unit_lines_heading_their_subject_lines_break_none_of_them() -> None:
    """Shenzhen 基本支出总表: the department's name is the total, each unit's line heads its classes."""
    e = interpret(document(
        "基本支出总表",
        "单位：万元",
        ["科目编码", "单位名称/科目名称", "总计", "人员经费", "公用经费"],
        ["", "深圳市生态环境局", "18.00", "13.00", "5.00"],
        ["", "深圳市生态环境局（本级）", "10.00", "7.00", "3.00"],
        ["301", "工资福利支出", "7.00", "7.00", ""],
        ["302", "商品和服务支出", "3.00", "", "3.00"],
        ["", "深圳市生态环境监测站", "8.00", "6.00", "2.00"],
        ["301", "工资福利支出", "6.00", "6.00", ""],
        ["302", "商品和服务支出", "2.00", "", "2.00"],
    ))
    rows = [(c.row_kind, c.row_code, c.row_name) for c in e.cells if c.measure == "total"]
    assert rows == [
        ("total", "total", "深圳市生态环境局"),
        ("unit", None, "深圳市生态环境局（本级）"),
        ("subject", "301", "工资福利支出"),
        ("subject", "302", "商品和服务支出"),
        ("unit", None, "深圳市生态环境监测站"),
        ("subject", "301", "工资福利支出"),
        ("subject", "302", "商品和服务支出"),
    ]
    personnel = [c.amount for c in by(e, row_kind="unit", measure="personnel")]
    assert personnel == [Decimal("7.00"), Decimal("6.00")]


def test_a_subject_named_like_an_organisation_is_no_unit() -> None:
    """Hangzhou 司法局 prints its subjects by name: 监狱 (20407) and 行政运行 under it are subjects."""
    e = interpret(document(
        "部门支出预算总表",
        "单位：万元",
        ["科目名称", "合计", "基本支出", "项目支出"],
        ["合计", "30.00", "20.00", "10.00"],
        ["公共安全支出", "30.00", "20.00", "10.00"],
        ["监狱", "30.00", "20.00", "10.00"],
        ["行政运行", "30.00", "20.00", "10.00"],
    ))
    assert not by(e, row_kind="unit")
    assert [c.row_code for c in e.cells if c.measure == "total" and c.row_kind == "subject"] == [
        "204", "20407", "2040701"]


def test_projects_named_like_organisations_stay_projects_and_three_public_units_are_units() -> None:
    """Guangzhou 项目支出: a unit's line over projects, a site named like an organisation (黄金围货运站) no
    unit; Hangzhou 三公 by unit: each unit's line in the 三公 measures."""
    e = interpret(document(
        "部门预算项目支出及其他支出预算表",
        "单位：万元",
        ["单位名称（项目名称）", "合计", "一般公共预算"],
        ["合计", "12.00", "12.00"],
        ["广州市规划和自然资源局", "12.00", "12.00"],
        ["黄金围货运站", "7.00", "7.00"],
        ["信息化运维服务项目", "5.00", "5.00"],
        "2026年市级部门一般公共预算“三公”经费预算表",
        "单位：万元",
        ["单位名称", "“三公”经费合计", "因公出国（境）费", "公务用车购置及运行费", "公务接待费"],
        ["合计", "4.00", "1.00", "2.00", "1.00"],
        ["杭州市公安局", "3.00", "1.00", "1.00", "1.00"],
        ["杭州市公安局交通管理支队", "1.00", "", "1.00", ""],
    ))
    projects = {(c.row_kind, c.row_name) for c in e.cells if c.table_index == 0 and c.measure == "total"}
    assert ("unit", "广州市规划和自然资源局") in projects
    assert ("unit", "黄金围货运站") not in projects
    assert ("project", "信息化运维服务项目") in projects
    three_public = {(c.row_name, c.measure): c.amount for c in by(e, table_index=1, row_kind="unit")}
    assert three_public[("杭州市公安局交通管理支队", "vehicle_total")] == Decimal("1.00")
    assert three_public[("杭州市公安局", "outbound_travel")] == Decimal("1.00")


def test_a_name_wrapped_over_two_lines_and_a_platform_are_no_units() -> None:
    """Hangzhou 收入预算总表: 杭州市机动 | 车驾驶员考试服务中心 split by a page break (the second half after a
    line of kind other); Guangzhou: 广州市百千万综合信息管理平台 is a project, not a unit (…台)."""
    e = interpret(document(
        "2026年市级部门收入预算总表",
        "单位：万元",
        ["单位名称", "合计", "一般公共预算"],
        ["合计", "20.00", "20.00"],
        ["杭州市公安局", "14.00", "14.00"],
        ["杭州市机动", "5.00", "5.00"],
        ["车驾驶员考试服务中心", "1.00", "1.00"],
    ))
    assert [c.row_name for c in by(e, row_kind="unit", measure="total")] == ["杭州市公安局"]
    assert unit_name("广州市百千万综合信息管理平台") is None


def test_named_unit_lines_heading_their_subject_lines_are_staged_as_units() -> None:
    """Subject lines under unit lines printed without a code: each unit line is staged as a unit line
    (the rules group the lines after it by its name: tests/expectations/test_unit_groups.py), and the
    table carries no doubt."""
    e = interpret(document(
        "一般公共预算支出表（按功能分类）",
        "单位：万元",
        ["科目编码", "单位名称/科目名称", "合计", "基本支出", "项目支出"],
        ["", "深圳市某某局", "10.00", "6.00", "4.00"],
        ["", "深圳市某某局（本级）", "6.00", "6.00", ""],
        ["208", "社会保障和就业支出", "6.00", "6.00", ""],
        ["", "深圳市某某中心", "4.00", "", "4.00"],
        ["208", "社会保障和就业支出", "4.00", "", "4.00"],
    ))
    lines = [(c.row_kind, c.row_code, c.row_name) for c in by(e, measure="total")]
    assert lines == [("total", "total", "深圳市某某局"), ("unit", None, "深圳市某某局（本级）"),
                     ("subject", "208", "社会保障和就业支出"), ("unit", None, "深圳市某某中心"),
                     ("subject", "208", "社会保障和就业支出")]
    assert [i for i in e.issues if i.severity == "warning"] == []

"""Issue 15, rules on templates first seen in Shenzhen: a table whose unit lines head their own subject lines
(一般公共预算支出表: 深圳市生态环境局（本级）, its 208, 20805 …, then the next unit and its 208 … again) is
checked within each unit, whether the unit line prints a six-digit code (Xi'an 125001) or only its name;
a 支出总表 whose 事业单位经营支出 is held within 基本 + 项目 is checked as its total line adds up."""

from __future__ import annotations

from decimal import Decimal

from rule_warehouse import Col, Doc, Warehouse

from expectations.runner import validate

COLUMNS = [Col("合计", "total")]


def _hierarchy_failures(tmp_path, first_unit: tuple, second_unit: tuple) -> set:
    w = Warehouse(tmp_path / "warehouse.duckdb")
    doc = w.document(Doc("units2026", 2026))
    w.table(doc, 0, "general_budget_expenditure", COLUMNS, [
        ("total", "total", "合计", "10.00"),
        (*first_unit, "6.00"),
        ("subject", "208", "社会保障和就业支出", "6.00"),
        ("subject", "20805", "行政事业单位养老支出", "6.00"),
        (*second_unit, "4.00"),
        ("subject", "208", "社会保障和就业支出", "4.00"),
        ("subject", "20805", "行政事业单位养老支出", "3.00"),  # the publisher's defect: 208 prints 4.00
    ])
    w.close()
    results = validate(w.path, run_id="units").results
    failed = results[~results["passed"] & results["rule_id"].str.startswith("BW-HIE")]
    return {(r.subject_code, r.expected_amount, r.actual_amount, r.severity) for r in failed.itertuples()}


def test_named_unit_lines_group_their_subject_lines(tmp_path):
    failures = _hierarchy_failures(tmp_path, ("unit", None, "深圳市某某局（本级）"),
                                   ("unit", None, "深圳市某某监测中心"))
    # the second unit's 208 against its own 20805, the first unit's passing: not 208 = 6 + 3 for either
    assert failures == {("208", Decimal("3.00"), Decimal("4.00"), "error")}


def test_coded_unit_lines_group_their_subject_lines(tmp_path):
    failures = _hierarchy_failures(tmp_path, ("unit", "125001", "西安市某某局"),
                                   ("unit", "125002", "西安市某某中心"))
    assert failures == {("208", Decimal("3.00"), Decimal("4.00"), "error")}


EXPENDITURE = [Col("支出总计", "total"), Col("基本支出", "basic"), Col("项目支出", "project"),
               Col("事业单位经营支出", "business_operation_expenditure")]


def _row_sum_failures(tmp_path, lines: list[tuple]) -> set:
    w = Warehouse(tmp_path / "warehouse.duckdb")
    doc = w.document(Doc("extras2026", 2026))
    w.table(doc, 0, "department_expenditure", EXPENDITURE, lines)
    w.close()
    results = validate(w.path, run_id="extras").results
    failed = results[~results["passed"] & (results["rule_id"] == "BW-ROW-003")]
    return {(r.subject_code, r.expected_amount, r.actual_amount) for r in failed.itertuples()}


def test_business_operation_held_within_basic_and_project(tmp_path):
    """深圳 生态环境局 支出总表 p.78/92: 190,281.97 = 51,374.73 + 138,907.24 with 11,575.59 of
    事业单位经营支出; 211 10,446.03 = 1,043.32 + 9,402.71 with 9,118.50. Only a line that does not add
    up fails."""
    assert _row_sum_failures(tmp_path, [
        ("total", "total", "合计", "10.00", "4.00", "6.00", "3.00"),
        ("subject", "211", "节能环保支出", "8.00", "2.00", "6.00", "3.00"),
        ("subject", "221", "住房保障支出", "2.00", "1.00", "0.00", "0.00"),  # the publisher's defect
    ]) == {("221", Decimal("1.00"), Decimal("2.00"))}


def test_business_operation_added_where_the_total_line_adds_it(tmp_path):
    """湖州 交通运输局 支出总表: 201,286.11 = 26,435.02 + 3,388.68 + 171,262.41 + 200.00 of
    事业单位经营支出."""
    assert _row_sum_failures(tmp_path, [
        ("total", "total", "合计", "13.00", "4.00", "6.00", "3.00"),
        ("subject", "211", "节能环保支出", "8.00", "2.00", "6.00", "0.00"),
        ("subject", "221", "住房保障支出", "5.00", "2.00", "0.00", "2.00"),  # 5 ≠ 2 + 0 + 2
    ]) == {("221", Decimal("4.00"), Decimal("5.00"))}

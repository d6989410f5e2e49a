"""BW-ROW-021 on small warehouses: a 三公 table's printed change is this year's figure less last year's,
whether the years are rows (Shenzhen 财政拨款“三公”经费支出表, 生态环境局 2026 p.232) or columns (Xi'an
上年 | 当年 | 增减变化情况)."""

from __future__ import annotations

from decimal import Decimal as D

from rule_warehouse import Col, Doc, Warehouse

from expectations.runner import validate

# years as rows: each column's measure, the change row's measure with _change (as the interpreter stages it)
BY_ROWS = [Col("总计 / 一般公共预算", "total"), Col("公务接待费 / 一般公共预算", "reception")]
BY_ROWS_CHANGE = [Col("总计 / 一般公共预算", "total_change"),
                  Col("公务接待费 / 一般公共预算", "reception_change")]
BY_COLUMNS = [Col("2025年 / 合计", "total", year=2025), Col("2026年 / 合计", "total"),
              Col("增减变化情况 / 合计", "total_change")]


def _places(summary, document_id):
    r = summary.results
    r = r[(r["document_id"] == document_id) & (r["rule_id"] == "BW-ROW-021")]
    return {(x.subject_code, x.expected_amount, x.actual_amount, x.passed) for x in r.itertuples()}


def test_a_printed_change_is_this_year_less_last_year(warehouse):
    w = Warehouse(warehouse)
    for document_id, change in (("rows", "-0.55"), ("rows_wrong", "0.55")):
        doc = w.document(Doc(document_id, 2026, department=document_id))
        prior = [Col(c.label, c.measure, year=2025) for c in BY_ROWS]
        w.table(doc, 9, "three_public_expenses", prior + BY_ROWS + BY_ROWS_CHANGE, [
            ("total", "total", "深圳市生态环境局", "608.54", "25.74"),
            ("total", "total", "深圳市生态环境局", None, None, "581.59", "25.19"),
            ("total", "total", "深圳市生态环境局", None, None, None, None, "-26.95", change),
        ])
    doc = w.document(Doc("columns", 2026, department="columns"))
    w.table(doc, 13, "three_public_expenses", BY_COLUMNS, [
        ("unit", None, "西安市某某中心", "30.00", "33.00", "3.00"),
        ("unit", None, "西安市某某站", "10.00", "8.00", "-1.00"),  # printed -1.00 for -2.00
    ])
    w.close()
    summary = validate(warehouse, run_id="t")
    assert _places(summary, "rows") == {("total", D("-26.95"), D("-26.95"), True),
                                        ("total", D("-0.55"), D("-0.55"), True)}
    assert ("total", D("-0.55"), D("0.55"), False) in _places(summary, "rows_wrong")
    assert _places(summary, "columns") == {("西安市某某中心", D("3.00"), D("3.00"), True),
                                           ("西安市某某站", D("-2.00"), D("-1.00"), False)}

"""The marts built from the hand-made sample documents: exact values, grain and vocabulary."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from dbt_sample import (
    MAINTENANCE_CODE,
    ORIGINAL_SHA,
    PROJECT_CODE,
    REVISION_SHA,
    TARGET_ONLY_CODE,
    rejected_document,
)

# one worker sets up the module's fixtures: tests of a module spread over both would build them twice
pytestmark = pytest.mark.xdist_group("sample_marts")

ORIGINAL = ORIGINAL_SHA[:16]
REVISION = REVISION_SHA[:16]


@pytest.fixture(scope="module")
def con(sample_warehouse: Path):
    con = duckdb.connect(str(sample_warehouse), read_only=True)
    yield con
    con.close()


def rows(con, sql: str, *params) -> list[tuple]:
    return con.execute(sql, list(params)).fetchall()


def test_schemas_are_named_verbatim(con):
    schemas = {s for (s,) in rows(con, "select distinct table_schema from information_schema.tables")}
    assert {"stg", "intermediate", "marts"} <= schemas
    assert not any(s.startswith("marts_") for s in schemas)


def test_function_expenditure_current_and_prior_year(con):
    got = rows(con, """
        select subject_code, fiscal_year, is_prior_year, total_amount, basic_amount, project_amount
        from marts.fct_expenditure_by_function
        where document_id = ? and table_type = 'general_budget_expenditure' order by fiscal_year, subject_code
    """, ORIGINAL)
    assert got == [
        ("201", 2023, True, Decimal("990.00"), None, None),
        ("221", 2023, True, Decimal("110.00"), None, None),
        ("2210201", 2023, True, Decimal("110.00"), None, None),
        # the printed 合计 line, as printed (CONTRACT.md)
        ("total", 2023, True, Decimal("1100.00"), None, None),
        ("201", 2024, False, Decimal("1056.45"), Decimal("561.45"), Decimal("495.00")),
        ("20103", 2024, False, Decimal("1056.45"), Decimal("561.45"), Decimal("495.00")),
        ("2010301", 2024, False, Decimal("561.45"), Decimal("561.45"), None),
        ("2010302", 2024, False, Decimal("495.00"), None, Decimal("495.00")),
        ("221", 2024, False, Decimal("115.70"), Decimal("115.70"), None),
        ("22102", 2024, False, Decimal("115.70"), Decimal("115.70"), None),
        ("2210201", 2024, False, Decimal("115.70"), Decimal("115.70"), None),
        ("total", 2024, False, Decimal("1172.15"), Decimal("677.15"), Decimal("495.00")),
    ]


def test_summary_class_lines_land_with_their_table_type(con):
    got = rows(con, """
        select table_type, subject_code, total_amount, basic_amount from marts.fct_expenditure_by_function
        where document_id = ? and table_type in ('fiscal_appropriation_summary', 'department_summary')
        order by 1, 2
    """, ORIGINAL)
    assert got == [
        ("department_summary", "201", Decimal("1056.45"), None),
        # 外交支出, printed with blank cells: a row of NULLs, never dropped (CONTRACT.md)
        ("department_summary", "202", None, None),
        ("department_summary", "221", Decimal("115.70"), None),
        ("fiscal_appropriation_summary", "201", Decimal("1056.45"), None),
        ("fiscal_appropriation_summary", "202", None, None),
        ("fiscal_appropriation_summary", "221", Decimal("115.70"), None),
    ]


def test_every_function_table_type_is_pivoted_and_empty_tables_add_their_printed_total(con):
    got = rows(con, """
        select table_type, count(*) from marts.fct_expenditure_by_function where document_id = ?
        group by 1 order by 1
    """, ORIGINAL)
    # codes and the 合计 line; the summaries' blank 202 line; the empty 政府性基金 table's blank 合计
    assert got == [("department_expenditure", 8), ("department_summary", 3),
                   ("fiscal_appropriation_summary", 3), ("general_budget_expenditure", 12),
                   ("government_fund_expenditure", 1)]
    assert rows(con, """
        select subject_code, total_amount, basic_amount, project_amount from marts.fct_expenditure_by_function
        where document_id = ? and table_type = 'government_fund_expenditure'
    """, ORIGINAL) == [("total", None, None, None)]


def test_basic_expenditure_by_economic(con):
    got = rows(con, """
        select subject_code, total_amount, personnel_amount, public_operation_amount
        from marts.fct_basic_expenditure_by_economic where document_id = ? order by subject_code
    """, ORIGINAL)
    assert got[0] == ("301", Decimal("373.24"), Decimal("373.24"), None)
    assert ("302", Decimal("298.91"), Decimal("0.10"), Decimal("298.81")) in got
    assert [r[0] for r in got] == ["301", "30101", "302", "30217", "30231", "30299", "303", "total"]
    assert got[-1] == ("total", Decimal("677.15"), Decimal("378.34"), Decimal("298.81"))


def test_income_by_source(con):
    got = rows(con, """
        select table_type, income_source, amount from marts.fct_income_by_source
        where document_id = ? order by 1, 2
    """, ORIGINAL)
    assert got == [
        # 部门收入总表's 合计 row per source column; the blank 事业收入 column has no row
        ("department_income", "general_budget", Decimal("1172.15")),
        ("department_summary", "business_income", Decimal("0.00")),
        ("department_summary", "general_budget", Decimal("1172.15")),
        # carry-over published only as a total line
        ("department_summary", "prior_year_carryover", Decimal("12.00")),
        ("fiscal_appropriation_summary", "general_budget", Decimal("1172.15")),
        # per-fund carry-over lines summed; the 二、上年结转 total line not counted again
        ("fiscal_appropriation_summary", "prior_year_carryover", Decimal("12.00")),
    ]


def test_three_public_expenses_per_year(con):
    got = rows(con, """
        select fiscal_year, is_prior_year, total_amount, outbound_travel_amount, vehicle_total_amount,
               vehicle_purchase_amount, vehicle_operation_amount, reception_amount
        from marts.fct_three_public_expenses where document_id = ? order by fiscal_year
    """, ORIGINAL)
    assert got == [
        (2023, True, Decimal("7.00"), None, None, None, Decimal("4.00"), Decimal("3.00")),
        (2024, False, Decimal("6.50"), None, Decimal("3.50"), None, Decimal("3.50"), Decimal("3.00")),
    ]


def test_projects_once_each(con):
    got = rows(con, """
        select project_code, project_name, amount, performance_table_index is not null
        from marts.fct_project_expenditure where document_id = ? order by amount desc
    """, ORIGINAL)
    assert got == [
        (None, "大厅运行经费", Decimal("376.00"), False),
        (PROJECT_CODE, "窗口工作人员专项经费", Decimal("110.00"), True),
        # named slightly differently in its performance table; code taken from there
        (MAINTENANCE_CODE, "政务服务中心维修（护）保障经费", Decimal("9.00"), True),
        (TARGET_ONLY_CODE, "档案数字化", Decimal("5.00"), True),
    ]


def test_performance_targets(con):
    got = rows(con, """
        select project_code, indicator_level3, weight, unit, operator, target_value, is_core
        from marts.fct_performance_target where document_id = ? order by project_code nulls first, row_index
    """, ORIGINAL)
    assert got[:2] == [
        (None, "办件量", Decimal("20.00"), "件", ">=", "700000", True),
        (None, "服务对象满意度", Decimal("80.00"), "%", ">=", "98", False),
    ]
    assert got[2:] == [(code, "审批件数", Decimal("90.00"), "件", ">=", "750000", False)
                       for code in sorted([PROJECT_CODE, MAINTENANCE_CODE, TARGET_ONLY_CODE])]


def test_subject_dimensions(con):
    function = dict(((c, (n, lvl, p)) for c, n, lvl, p in rows(
        con, "select subject_code, subject_name, level, parent_code from marts.dim_function_subject")))
    assert function["201"] == ("一般公共服务支出", "class", None)
    assert function["229"] == ("其他支出", "class", None)  # national list, even when unpublished
    assert function["20103"] == ("政府办公厅（室）及相关机构事务", "section", "201")
    assert function["2010301"] == ("行政运行", "item", "20103")
    economic = dict(((c, (n, lvl, p)) for c, n, lvl, p in rows(
        con, "select subject_code, subject_name, level, parent_code from marts.dim_economic_subject")))
    assert economic["302"] == ("商品和服务支出", "class", None)
    assert economic["30217"] == ("公务接待费", "section", "302")
    assert len(economic) == 9 + 4


def test_department_and_years(con):
    departments = rows(con, "select department_name, unit_code, region_name, province_name, document_count "
                            "from marts.dim_department")
    assert departments == [("重庆市綦江区样例服务中心", "201001", "綦江区", "重庆市", 2)]
    assert rows(con, "select fiscal_year, document_count from marts.dim_fiscal_year order by 1") == [
        (2023, 0), (2024, 2)]


def test_documents_revision_and_quality(con):
    got = rows(con, """
        select document_id, document_type, fiscal_year, is_current, quality_status, failed_warning_count,
               load_status
        from marts.dim_document order by document_id
    """)
    rejected = rejected_document().document.document_id
    assert sorted(got) == sorted([
        (ORIGINAL, "budget", 2024, False, "warnings", 1, "loaded"),  # latest run: error fixed, a warning left
        (REVISION, "budget", 2024, True, "passed", 0, "loaded"),  # no rule row, validated after loading
        (rejected, None, None, False, "failed", 0, "rejected"),  # stays visible with its reason
    ])
    assert rows(con, "select error_code from marts.dim_document where load_status = 'rejected'") == [
        (rejected_document().document.error_code,)]


def test_reconciliation_results_from_latest_run(con):
    got = rows(con, "select run_id, document_id, rule_id, passed from marts.fct_reconciliation_result "
                    "order by document_id nulls last, rule_id")
    assert got == [
        ("run-2", ORIGINAL, "BW-ROW-001", True),
        ("run-2", ORIGINAL, "BW-WGT-001", False),
        ("run-2", None, "BW-CMP-001", True),
    ]


def test_every_amount_traces_to_a_cell(con):
    untraced = rows(con, """
        select f.subject_code from marts.fct_expenditure_by_function f
        anti join intermediate.int_table_cells c
            on c.document_id = f.document_id and c.table_type = f.table_type
            and c.row_code = f.subject_code and c.fiscal_year = f.fiscal_year and c.measure = 'total'
            and cast(c.amount as decimal(18, 2)) is not distinct from f.total_amount
    """)
    assert untraced == []
    assert rows(con, "select count(*) from intermediate.int_cell_amounts where amount is null") == [(0,)]


def test_amount_columns_are_decimal(con):
    types = rows(con, """
        select table_name, column_name, data_type from information_schema.columns
        where table_schema = 'marts' and (column_name like '%amount' or column_name = 'weight')
    """)
    assert types and [t for t in types if t[2] != "DECIMAL(18,2)"] == []

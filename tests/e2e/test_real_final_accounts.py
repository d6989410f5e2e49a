"""Issue 7: the real final accounts of ../shared/real load all nine tables and report exactly their
defects, each verified on the printed page.

- 29 上海市普陀区规划和自然资源局 2024 (published with errors): its narrative quotes the basic spending of
  all its money (支出决算表, 5377.64 万元) as the general-budget basic spending, and 人员经费 with it
  (4896.98 万元); the general-budget tables show 5364.75 and 4884.09 (p.15-16). It also gives 9746.50 of
  9759.38 as 99.86 % (99.87 %) and 9746.50 of 10210.34 as 95.45 % (95.46 %) (p.21). Its tables are headed
  上海市规划和自然资源局 2024 年度部门决算表 (p.7), another body's name.
- 28 上海市普陀区财政局 2024: its narrative prints 财政拨款收入支出总计 0.3 万元 (p.21), where
  财政拨款收入支出决算总表 shows 2961.68 (p.13); it gives 一般公共服务支出 2106.66 of 2940.05 as
  71.73 % (71.65 %) (p.21).
- 26 国家信访局 2024: consistent; its 三公 决算 total 46.21 against 4.69 + 40.61 + 0.90 = 46.20 is rounding.

Every amount is read from the published PDF by the real pipeline; the expected values are the printed ones.
"""

from __future__ import annotations

from decimal import Decimal

import duckdb
import pytest

from extractors.pipeline import run

pytestmark = [pytest.mark.xdist_group("e2e"), pytest.mark.shared]

DOCUMENTS = {
    "putuo_planning": "29_上海市普陀区规划和自然资源局_2024_年度部门决算.pdf",
    "putuo_finance": "28_上海市普陀区财政局2024年度部门决算.pdf",
    "petitions": "26_信访局_国家信访局2024年度部门决算公开.pdf",
}
NINE_TABLES = {
    "final_income_expenditure_summary", "final_income", "final_expenditure",
    "final_fiscal_appropriation_summary", "final_general_budget_expenditure",
    "final_general_budget_basic_expenditure", "final_three_public_expenses",
    "final_government_fund_expenditure", "final_state_capital_expenditure",
}


@pytest.fixture(scope="module")
def warehouse(real_dir, tmp_path_factory):
    paths = [real_dir / name for name in DOCUMENTS.values()]
    missing = [p.name for p in paths if not p.exists()]
    if missing:
        pytest.skip(f"not in {real_dir}: {missing}")
    target = tmp_path_factory.mktemp("final_accounts") / "w.duckdb"
    summary = run(paths, target)
    assert summary.documents == len(paths) and not summary.rejected
    con = duckdb.connect(str(target), read_only=True)
    yield con
    con.close()


def _document(con, key: str) -> str:
    stem = DOCUMENTS[key]
    return con.execute(
        "select document_id from staging.documents where source_path like ?", [f"%{stem}"]
    ).fetchone()[0]


def _failures(con, document_id: str) -> set[tuple]:
    return set(con.execute(
        "select rule_id, table_type, subject_code, page, expected_amount, actual_amount "
        "from validation.rule_results where document_id = ? and not passed", [document_id]).fetchall())


def _result(con, document_id: str, rule_id: str, subject_code: str, table_type: str | None = None):
    rows = con.execute(
        "select expected_amount, actual_amount, passed, page, message from validation.rule_results "
        "where document_id = ? and rule_id = ? and subject_code = ? and (? is null or table_type = ?)",
        [document_id, rule_id, subject_code, table_type, table_type]).fetchall()
    assert len(rows) == 1, (rule_id, subject_code, rows)
    return rows[0]


@pytest.mark.parametrize("key", list(DOCUMENTS))
def test_every_final_account_loads_its_nine_tables(warehouse, key):
    document_id = _document(warehouse, key)
    document_type, year, status = warehouse.execute(
        "select document_type, fiscal_year, load_status from marts.dim_document where document_id = ?",
        [document_id]).fetchone()
    assert (document_type, year, status) == ("final_account", 2024, "loaded")
    types = {t for (t,) in warehouse.execute(
        "select table_type from staging.tables where document_id = ?", [document_id]).fetchall()}
    assert NINE_TABLES <= types
    checked = {r for (r,) in warehouse.execute(
        "select distinct rule_id from validation.rule_results where document_id = ?",
        [document_id]).fetchall()}
    # the final-account identities are checked, not skipped for want of a figure
    assert {"BW-ROW-002", "BW-ROW-019", "BW-ROW-020", "BW-XTB-001", "BW-XTB-002", "BW-XTB-003",
            "BW-XTB-004", "BW-XTB-006", "BW-NAR-001", "BW-NAR-002", "BW-NAR-003", "BW-NAR-009",
            "BW-NAR-010"} <= checked


def test_defects_of_the_document_published_with_errors_are_reported(warehouse):
    document_id = _document(warehouse, "putuo_planning")
    assert _failures(warehouse, document_id) == {
        ("BW-NAR-003", "final_general_budget_expenditure", "basic_total", 24,
         Decimal("5364.75"), Decimal("5377.64")),
        ("BW-NAR-009", "final_general_budget_basic_expenditure", "personnel_total", 24,
         Decimal("4884.09"), Decimal("4896.98")),
        # 一般公共预算财政拨款支出 9746.50 万元，占本年支出合计的 99.86% (9759.38 in 收入支出决算总表)
        ("BW-NAR-010", "final_income_expenditure_summary", "share", 21, Decimal("99.87"), Decimal("99.86")),
        # 年初预算为 10210.34 万元，支出决算为 9746.50 万元，完成年初预算的 95.45%
        ("BW-NAR-010", "narrative", "share", 21, Decimal("95.46"), Decimal("95.45")),
        # the tables are headed "上海市规划和自然资源局 2024 年度部门决算表": another body's name
        ("BW-CMP-005", "final_income_expenditure_summary", "department", 7, Decimal(1), Decimal(0)),
    }
    message = _result(warehouse, document_id, "BW-NAR-009", "personnel_total")[4]
    assert "4,896.98" in message and "4,884.09" in message and "12.89" in message
    # the all-money figures of the same narrative are right: only the general-budget quote is wrong
    assert _result(warehouse, document_id, "BW-NAR-003", "all_basic_total")[:3] == (
        Decimal("5377.64"), Decimal("5377.64"), True)


def test_the_side_by_side_basic_table_is_checked(warehouse):
    document_id = _document(warehouse, "putuo_planning")
    # 人员经费合计 4884.09 + 公用经费合计 480.66 against table 5's 基本支出 5364.75 (p.15-16)
    assert _result(warehouse, document_id, "BW-XTB-002", "basic_total",
                   "final_general_budget_basic_expenditure")[:3] == (
        Decimal("5364.75"), Decimal("5364.75"), True)
    # … and against its classes 301 4816.14 + 302 440.90 + 303 67.96 + 310 39.76
    assert _result(warehouse, document_id, "BW-ROW-002", "total")[:3] == (
        Decimal("5364.76"), Decimal("5364.75"), True)
    # 30299 sits under 302 in the right-hand list, not under 303 in the left-hand one
    assert _result(warehouse, document_id, "BW-CMP-003", "30299")[2]


def test_carry_over_and_distribution_lines_are_coded(warehouse):
    document_id = _document(warehouse, "putuo_finance")
    lines = set(warehouse.execute(
        "select t.table_type, c.row_group, c.row_kind, c.row_code, c.amount from staging.cells as c "
        "inner join staging.tables as t using (document_id, table_index) "
        "where c.document_id = ? and c.row_kind in ('total', 'income_source') and c.amount is not null "
        "and c.row_code in ('prior_year_carryover', 'carry_forward')", [document_id]).fetchall())
    assert {
        ("final_income_expenditure_summary", "income", "total", "prior_year_carryover", Decimal("49.14")),
        ("final_income_expenditure_summary", "expenditure", "total", "carry_forward", Decimal("55.34")),
        ("final_fiscal_appropriation_summary", "income", "total", "prior_year_carryover", Decimal("21.63")),
        ("final_fiscal_appropriation_summary", "income", "income_source", "prior_year_carryover",
         Decimal("21.63")),
        ("final_fiscal_appropriation_summary", "expenditure", "total", "carry_forward", Decimal("21.63")),
    } <= lines
    coded = {name: code for name, code in warehouse.execute(
        "select distinct c.row_name, c.row_code from staging.cells as c "
        "inner join staging.tables as t using (document_id, table_index) where c.document_id = ? "
        "and t.table_type = 'final_income_expenditure_summary' and c.row_kind = 'total'",
        [document_id]).fetchall()}
    assert coded["结余分配"] == "balance_distribution"
    assert coded["使用非财政拨款结余（含专用结余）"] == "non_fiscal_balance_used"
    # 收入总计 2961.68 = 本年收入合计 2940.05 + 年初财政拨款结转和结余 21.63, counted once
    assert _result(warehouse, document_id, "BW-ROW-019", "income_total",
                   "final_fiscal_appropriation_summary")[:3] == (
        Decimal("2961.68"), Decimal("2961.68"), True)


def test_the_good_sample_reports_only_its_verified_defects(warehouse):
    document_id = _document(warehouse, "putuo_finance")
    assert _failures(warehouse, document_id) == {
        ("BW-NAR-001", "final_fiscal_appropriation_summary", "fiscal_appropriation_total", 21,
         Decimal("2961.68"), Decimal("0.30")),
        # 一般公共服务支出（类）2106.66 万元，占 71.73% of 一般公共预算财政拨款支出 2940.05 万元
        ("BW-NAR-010", "narrative", "share", 21, Decimal("71.65"), Decimal("71.73")),
    }


def test_the_central_final_account_is_consistent(warehouse):
    document_id = _document(warehouse, "petitions")
    assert _failures(warehouse, document_id) == set()
    # 三公 决算 (p.15): 合计 46.21 vs 4.69 + 40.61 + 0.90 = 46.20, within the rounding of three parts
    assert _result(warehouse, document_id, "BW-ROW-006", "total")[:3] == (
        Decimal("46.20"), Decimal("46.21"), True)


@pytest.mark.parametrize("key", ["petitions", "putuo_planning"])
def test_the_basic_expenditure_mart_has_a_total_for_every_line(warehouse, key):
    """Lists printed side by side give one figure per line (人员经费 or 公用经费): that figure is its
    total."""
    document_id = _document(warehouse, key)
    rows = warehouse.execute(
        "select subject_code, total_amount, personnel_amount, public_operation_amount "
        "from marts.fct_basic_expenditure_by_economic where document_id = ? and not is_prior_year",
        [document_id]).fetchall()
    assert len(rows) >= 10
    # a line printed with a figure has its total; a line printed blank is kept with every measure NULL
    # (CONTRACT.md), e.g. the petitions p.12 30212 因公出国（境）费用 and 30701 国内债务付息
    assert [r for r in rows if r[1] is None and (r[2] is not None or r[3] is not None)] == []
    if key == "petitions":
        blank = {code for code, total, _, _ in rows if total is None}
        assert {"30212", "30701", "31013"} <= blank
        assert "30211" not in blank
    for code, total, personnel, public in rows:
        printed = [a for a in (personnel, public) if a is not None]
        assert total == (printed[0] if len(printed) == 1 else total), code
    by_code = {code: total for code, total, _, _ in rows}
    if key == "putuo_planning":  # p.16: 301 4816.14, 302 440.90 (the classes of BW-ROW-002 above)
        assert (by_code["301"], by_code["302"]) == (Decimal("4816.14"), Decimal("440.90"))

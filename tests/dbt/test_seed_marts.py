"""The marts built from the two real seed documents (../shared/seeds) by the real chain: interpreter →
staging → dbt → rule runner → dbt (post-validation). Exact published figures, the contract checker,
and a rebuild that changes nothing."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from extractors.extract import extract_file
from extractors.load import connect, load_extraction
from extractors.transform import build

pytestmark = [pytest.mark.shared, pytest.mark.slow]

QIJIANG = "重庆市綦江区政务服务管理办公室"
TONGNAN = "重庆市潼南区政务服务管理办公室"
MARTS = ("dim_document", "dim_department", "dim_function_subject", "dim_economic_subject", "dim_fiscal_year",
         "fct_expenditure_by_function", "fct_basic_expenditure_by_economic", "fct_income_by_source",
         "fct_three_public_expenses", "fct_project_expenditure", "fct_performance_target",
         "fct_reconciliation_result")


def build_from_seeds(seeds_dir: Path, warehouse: Path) -> None:
    from expectations.runner import validate

    con = connect(str(warehouse))
    try:
        for path in sorted(seeds_dir.glob("*.txt")):
            load_extraction(con, extract_file(path))
    finally:
        con.close()
    build(warehouse, exclude="tag:post_validation")
    validate(warehouse, run_id="seed-test-run")
    build(warehouse, select="tag:post_validation")


@pytest.fixture(scope="module")
def seed_warehouse(seeds_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    warehouse = tmp_path_factory.mktemp("dbt_seeds") / "warehouse.duckdb"
    build_from_seeds(seeds_dir, warehouse)
    return warehouse


def query(warehouse: Path, sql: str, *params) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def function_row(warehouse: Path, department: str, table_type: str, code: str, year: int) -> list[tuple]:
    return query(warehouse, """
        select f.total_amount, f.basic_amount, f.project_amount, f.is_prior_year
        from marts.fct_expenditure_by_function f join marts.dim_department d using (department_id)
        where d.department_name = ? and f.table_type = ? and f.subject_code = ? and f.fiscal_year = ?
    """, department, table_type, code, year)


def test_function_expenditure_as_published(seed_warehouse):
    assert function_row(seed_warehouse, QIJIANG, "general_budget_expenditure", "2010301", 2024) == [
        (Decimal("561.45"), Decimal("561.45"), None, False)]
    # 2021 comparison column of the 2022 budget: its own year, total only
    assert function_row(seed_warehouse, TONGNAN, "general_budget_expenditure", "2101199", 2021) == [
        (Decimal("27.20"), None, None, True)]
    assert function_row(seed_warehouse, TONGNAN, "fiscal_appropriation_summary", "201", 2022) == [
        (Decimal("1932.10"), None, None, False)]


def test_three_public_expenses_as_published(seed_warehouse):
    got = query(seed_warehouse, """
        select d.department_name, t.fiscal_year, t.is_prior_year, t.total_amount, t.vehicle_total_amount,
               t.vehicle_operation_amount, t.reception_amount
        from marts.fct_three_public_expenses t join marts.dim_department d using (department_id)
        order by t.fiscal_year
    """)
    assert got == [
        (TONGNAN, 2021, True, Decimal("6.00"), None, Decimal("4.00"), Decimal("2.00")),
        (TONGNAN, 2022, False, Decimal("6.00"), Decimal("6.00"), Decimal("4.00"), Decimal("2.00")),
        (QIJIANG, 2024, False, Decimal("6.50"), Decimal("3.50"), Decimal("3.50"), Decimal("3.00")),
    ]


def test_projects_once_each_and_adding_up(seed_warehouse):
    got = query(seed_warehouse, """
        select d.department_name, count(*), count(p.project_code), sum(p.amount)
        from marts.fct_project_expenditure p join marts.dim_department d using (department_id)
        group by 1 order by 1
    """)
    # 潼南 lists 8 projects in 项目支出明细表 and again in its performance tables; 綦江 only in the latter
    assert got == [(TONGNAN, 8, 8, Decimal("1675.45")), (QIJIANG, 7, 7, Decimal("495.00"))]


def test_basic_expenditure_and_income(seed_warehouse):
    assert query(seed_warehouse, """
        select e.total_amount, e.personnel_amount, e.public_operation_amount
        from marts.fct_basic_expenditure_by_economic e join marts.dim_department d using (department_id)
        where d.department_name = ? and e.subject_code = '302'
    """, QIJIANG) == [(Decimal("298.92"), Decimal("0.10"), Decimal("298.82"))]
    assert query(seed_warehouse, """
        select i.table_type, i.amount from marts.fct_income_by_source i
        join marts.dim_department d using (department_id)
        where d.department_name = ? and i.income_source = 'general_budget' order by 1
    """, TONGNAN) == [("department_income", Decimal("1996.06")), ("department_summary", Decimal("1996.06")),
                      ("fiscal_appropriation_summary", Decimal("1996.06"))]


def test_performance_targets_as_published(seed_warehouse):
    weights = query(seed_warehouse, """
        select d.department_name, p.project_code is null, count(*), sum(p.weight), count(p.operator)
        from marts.fct_performance_target p join marts.dim_department d using (department_id)
        group by all order by all
    """)
    # department-wide weights sum to 100; each project's indicators to 90 (预算执行率 holds the other 10)
    assert weights == [(TONGNAN, False, 75, Decimal("720.00"), 75), (TONGNAN, True, 9, Decimal("100.00"), 9),
                       (QIJIANG, False, 45, Decimal("630.00"), 45), (QIJIANG, True, 8, Decimal("100.00"), 8)]
    assert query(seed_warehouse, """
        select weight, unit, operator, target_value, is_core from marts.fct_performance_target
        where project_code is null and indicator_level3 = '提升满意度'
    """) == [(Decimal("20.00"), "百分率", ">=", "好评率≥95", None)]


def test_documents_carry_their_validation(seed_warehouse):
    got = query(seed_warehouse, """
        select department_name, document_type, fiscal_year, is_current, quality_status, failed_error_count
        from marts.dim_document order by fiscal_year
    """)
    assert [row[:4] for row in got] == [(TONGNAN, "budget", 2022, True), (QIJIANG, "budget", 2024, True)]
    # 潼南 2022 publishes real inconsistencies (2101199's 2021 figure exceeds its 款); 綦江 only rounding
    # noise, which no error-level rule may report (warning-level rules are the catalogue's business)
    (_, tongnan), (_, qijiang) = [(row[0], row[4:]) for row in got]
    assert tongnan[0] == "failed" and tongnan[1] > 0
    assert qijiang[0] in ("passed", "warnings") and qijiang[1] == 0
    assert query(seed_warehouse, """
        select count(*) from marts.dim_document d
        where quality_status is distinct from (
            select case when count(*) filter (where not passed and severity = 'error') > 0 then 'failed'
                        when count(*) filter (where not passed) > 0 then 'warnings' else 'passed' end
            from marts.fct_reconciliation_result r where r.document_id = d.document_id)
    """) == [(0,)]
    assert query(seed_warehouse, "select distinct run_id from marts.fct_reconciliation_result") == [
        ("seed-test-run",)]


def test_contract_checker_finds_no_problem(seed_warehouse, shared_dir):
    checker = shared_dir / "tools" / "check_contract.py"
    checked = subprocess.run([sys.executable, str(checker), str(seed_warehouse)],
                             capture_output=True, text=True, timeout=120)
    assert checked.stdout.strip().splitlines()[-1] == "contract: 0 problems", checked.stdout
    assert checked.returncode == 0


def snapshot(warehouse: Path) -> dict[str, list[tuple]]:
    """Every mart's rows; dim_document without loaded_at, which records when staging was (re)loaded."""
    return {t: query(warehouse, f"select * {'exclude (loaded_at)' if t == 'dim_document' else ''} "
                                f"from marts.{t} order by all") for t in MARTS}


def test_rebuilding_changes_nothing(seed_warehouse):
    before = snapshot(seed_warehouse)
    build(seed_warehouse, exclude="tag:post_validation")
    build(seed_warehouse, select="tag:post_validation")
    assert snapshot(seed_warehouse) == before


def test_reloading_the_same_files_changes_nothing(seed_warehouse, seeds_dir):
    before = snapshot(seed_warehouse)
    con = connect(str(seed_warehouse))
    try:
        for path in sorted(seeds_dir.glob("*.txt")):
            load_extraction(con, extract_file(path))
    finally:
        con.close()
    build(seed_warehouse, exclude="tag:post_validation")
    build(seed_warehouse, select="tag:post_validation")
    after = snapshot(seed_warehouse)
    assert {t: len(rows) for t, rows in after.items()} == {t: len(rows) for t, rows in before.items()}
    assert [t for t in MARTS if after[t] != before[t]] == []

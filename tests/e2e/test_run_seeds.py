"""End to end: the two real seed documents through ``budgetwh run`` into contract marts (issue 2)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from support import q

from extractors.cli import main

pytestmark = pytest.mark.xdist_group("e2e")

QIJIANG = "重庆市綦江区政务服务管理办公室"
TONGNAN = "重庆市潼南区政务服务管理办公室"


def test_contract_checker_is_satisfied(seeds_run, shared_dir):
    out = subprocess.run([sys.executable, str(shared_dir / "tools" / "check_contract.py"), str(seeds_run)],
                         capture_output=True, text=True)
    assert out.stdout.strip().splitlines()[-1] == "contract: 0 problems", out.stdout


def test_documents_and_departments(seeds_run):
    rows = q(seeds_run, """select dep.department_name, dep.region_name, dep.province_name, d.fiscal_year,
                              d.document_type, dep.unit_code
                       from marts.dim_document d join marts.dim_department dep using (department_id)
                       order by d.fiscal_year""")
    assert rows == [(TONGNAN, "潼南区", "重庆市", 2022, "budget", "363001"),
                    (QIJIANG, "綦江区", "重庆市", 2024, "budget", "201001")]


def fact(warehouse, table_type, code, year, dept):
    return q(warehouse, """select total_amount, basic_amount, project_amount, is_prior_year
                       from marts.fct_expenditure_by_function f
                       join marts.dim_department d using (department_id)
                       where table_type = ? and subject_code = ? and f.fiscal_year = ?
                         and d.department_name = ?""", (table_type, code, year, dept))


def test_function_facts_exact(seeds_run):
    assert fact(seeds_run, "general_budget_expenditure", "2010301", 2024, QIJIANG) == [
        (Decimal("561.45"), Decimal("561.45"), None, False)]
    assert fact(seeds_run, "general_budget_expenditure", "2010302", 2022, TONGNAN) == [
        (Decimal("1675.45"), None, Decimal("1675.45"), False)]
    # the 2021 comparison column of the 2022 document lands in 2021, as published (27.2, not 2.72)
    assert fact(seeds_run, "general_budget_expenditure", "2101199", 2021, TONGNAN) == [
        (Decimal("27.20"), None, None, True)]
    assert fact(seeds_run, "department_expenditure", "221", 2022, TONGNAN) == [
        (Decimal("12.68"), Decimal("12.68"), None, False)]


def test_printed_totals_land_as_printed(seeds_run):
    # the 合计 lines, as printed, are the rows subject_code 'total' (CONTRACT.md)
    assert fact(seeds_run, "general_budget_expenditure", "total", 2024, QIJIANG) == [
        (Decimal("1172.15"), Decimal("677.15"), Decimal("495.00"), False)]
    # the 2022 document's 2021 comparison column prints only its total
    assert fact(seeds_run, "general_budget_expenditure", "total", 2021, TONGNAN) == [
        (Decimal("1926.37"), None, None, True)]
    # 綦江 prints an empty 政府性基金 table: its 合计 line is a row of NULLs, not dropped
    assert fact(seeds_run, "government_fund_expenditure", "total", 2024, QIJIANG) == [
        (None, None, None, False)]
    assert q(seeds_run, """select total_amount, personnel_amount, public_operation_amount
                       from marts.fct_basic_expenditure_by_economic f join marts.dim_department d
                       using (department_id) where subject_code = 'total' and department_name = ?""",
             (QIJIANG,)) == [(Decimal("677.15"), Decimal("378.34"), Decimal("298.82"))]
    # income summary totals, whose keys are no income_source, in the printed-total mart
    assert q(seeds_run, """select table_type, total_key, amount from marts.fct_printed_total f
                       join marts.dim_department d using (department_id)
                       where row_group = 'income' and department_name = ? order by 1, 2""", (QIJIANG,)) == [
        ("department_summary", "income_total", Decimal("1172.15")),
        ("fiscal_appropriation_summary", "income_current_year", Decimal("1172.15")),
        ("fiscal_appropriation_summary", "income_total", Decimal("1172.15")),
        ("fiscal_appropriation_summary", "prior_year_carryover", None)]


def test_economic_and_three_public_facts_exact(seeds_run):
    assert q(seeds_run, """select total_amount, personnel_amount, public_operation_amount
                       from marts.fct_basic_expenditure_by_economic f join marts.dim_department d
                       using (department_id) where subject_code = '30226' and department_name = ?""",
             (QIJIANG,)) == [(Decimal("217.51"), None, Decimal("217.51"))]
    rows = q(seeds_run, """select f.fiscal_year, is_prior_year, total_amount, vehicle_total_amount,
                              vehicle_operation_amount, reception_amount
                       from marts.fct_three_public_expenses f join marts.dim_department d
                       using (department_id) where department_name = ? order by 1""", (TONGNAN,))
    assert rows == [(2021, True, Decimal("6.00"), None, Decimal("4.00"), Decimal("2.00")),
                    (2022, False, Decimal("6.00"), Decimal("6.00"), Decimal("4.00"), Decimal("2.00"))]


def test_projects_once_each(seeds_run):
    rows = q(seeds_run, """select count(*), sum(amount) from marts.fct_project_expenditure f
                       join marts.dim_department d using (department_id) where department_name = ?""",
             (QIJIANG,))
    assert rows == [(7, Decimal("495.00"))]
    rows = q(seeds_run, """select count(*), sum(amount) from marts.fct_project_expenditure f
                       join marts.dim_department d using (department_id) where department_name = ?""",
             (TONGNAN,))
    assert rows == [(8, Decimal("1675.45"))]


def failed(warehouse, dept):
    return q(warehouse, """select rule_id, table_type, subject_code, r.fiscal_year, expected_amount,
                              actual_amount, hint, suggested_value
                       from marts.fct_reconciliation_result r join marts.dim_department d
                       on d.department_id = r.department_id
                       where not passed and severity = 'error' and department_name = ?""", (dept,))


def test_real_inconsistencies_reported_at_their_place(seeds_run):
    places = {(t, c, y): (e, a, h, s) for _rule, t, c, y, e, a, h, s in failed(seeds_run, TONGNAN)}
    # 2021 comparison column: 2101199 published as 27.2 where 14.37 - 11.65 = 2.72
    expected, actual, hint, suggested = places[("general_budget_expenditure", "210", 2021)]
    assert (expected, actual, suggested) == (Decimal("38.85"), Decimal("14.37"), Decimal("2.72"))
    assert "decimal shift" in hint
    assert places[("general_budget_expenditure", "total", 2021)][:2] == (Decimal("1925.88"),
                                                                         Decimal("1926.37"))
    # 基本支出表 30207 邮电费: 5.37 published against 4.37 + blank
    assert places[("general_budget_basic_expenditure", "30207", 2022)][:2] == (Decimal("4.37"),
                                                                               Decimal("5.37"))
    # 三公 2022: vehicle subtotal 6.00 where purchase + operation = 4.00
    assert places[("three_public_expenses", "total", 2022)][3] == Decimal("4.00")
    # project table: 年初特定目标 小计 1,675.45 vs the projects' 1,661.73 (13.72 sits under 上级专项)
    project_rows = [r for r in failed(seeds_run, TONGNAN) if r[1] == "project_expenditure"]
    assert (Decimal("1661.73"), Decimal("1675.45")) in {(r[4], r[5]) for r in project_rows}


def test_rounding_noise_is_silent(seeds_run):
    # 綦江 表三 677.15 vs 378.34 + 298.82 = 677.16, 302 298.92 vs Σ 298.91; 潼南 301 223.47 vs Σ 223.46
    assert failed(seeds_run, QIJIANG) == []
    assert not [r for r in failed(seeds_run, TONGNAN) if r[2] in ("301", "303")]


RUN_COLUMNS = {"run_id", "validation_run_id", "validated_at", "checked_at"}  # which run, and when


def marts_snapshot(warehouse: Path) -> dict:
    """Every mart's rows, leaving out only the columns that say which validation run produced them."""
    snapshot = {}
    tables = q(warehouse, "select table_name from information_schema.tables where table_schema = 'marts'")
    for (table,) in tables:
        columns = [c for (c,) in q(warehouse, "select column_name from information_schema.columns where "
                                              "table_schema = 'marts' and table_name = ?", (table,))]
        kept = ", ".join(c for c in columns if c not in RUN_COLUMNS)
        snapshot[table] = q(warehouse, f"select {kept} from marts.{table} order by all")
    return snapshot


def test_rerun_changes_nothing(seeds_run, seeds_dir, tmp_path):
    copy = tmp_path / "again.duckdb"
    shutil.copy(seeds_run, copy)
    before = marts_snapshot(copy)
    assert main(["run", "--input", str(seeds_dir), "--warehouse", str(copy), "--workers", "1"]) == 0
    assert marts_snapshot(copy) == before


def test_malformed_file_is_recorded_and_others_load(seeds_dir, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for seed in Path(seeds_dir).glob("*.txt"):
        shutil.copy(seed, inbox / seed.name)
    (inbox / "broken.pdf").write_bytes(b"%PDF-1.7\n this is not really a pdf")
    warehouse = tmp_path / "w.duckdb"
    assert main(["run", "--input", str(inbox), "--warehouse", str(warehouse), "--workers", "1"]) == 0
    rows = q(warehouse, "select status, error_code, count(*) from staging.documents group by all order by 1")
    assert rows == [("loaded", None, 2), ("rejected", "corrupt_pdf", 1)]


def test_missing_input_fails_with_one_line(tmp_path, capsys):
    assert main(["run", "--input", str(tmp_path / "nope"), "--warehouse", str(tmp_path / "w.duckdb")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "input not found" in err[0]


def test_validation_runs_with_the_environment_of_its_call(seeds_run, tmp_path, monkeypatch):
    """Validation's process is forked from a server that an earlier validation of this process started:
    it must run with the environment of the call, not the server's. Here: beyond one document a run is
    checked in batches, and its summary holds only the failed places."""
    from extractors.pipeline import new_run_id, validate_in_own_process

    warehouse = tmp_path / "w.duckdb"
    shutil.copy(seeds_run, warehouse)
    whole = validate_in_own_process(warehouse, new_run_id())
    monkeypatch.setenv("BUDGETWH_VALIDATE_ONE_PASS_DOCUMENTS", "1")
    batched = validate_in_own_process(warehouse, new_run_id())
    assert (whole.checked, whole.failed) == (batched.checked, batched.failed)
    assert len(whole.results) == whole.checked > whole.failed == len(batched.results) > 0

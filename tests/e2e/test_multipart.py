"""A disclosure published as two files (Beijing: 附件1 情况说明, 附件2 报表) becomes one document."""

from __future__ import annotations

import shutil
from decimal import Decimal

import duckdb
import pytest

from extractors.cli import main

pytestmark = [pytest.mark.xdist_group("e2e"), pytest.mark.shared]


def test_narrative_and_tables_files_are_joined(real_dir, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    parts = sorted(real_dir.glob("0[67]_*附件*.pdf"))
    assert len(parts) == 2
    for part in parts:
        shutil.copy(part, inbox / part.name)
    warehouse = tmp_path / "w.duckdb"
    assert main(["run", "--input", str(inbox), "--warehouse", str(warehouse), "--workers", "1"]) == 0
    with duckdb.connect(str(warehouse), read_only=True) as con:
        documents = con.execute("select department_name, fiscal_year, document_type, load_status "
                                "from marts.dim_document").fetchall()
        # the year is printed only in the narrative file, the figures only in the tables file
        assert documents == [("北京市审计局", 2026, "budget", "loaded")]
        narrative, tables, pages = con.execute(
            "select (select count(*) from staging.narrative_figures), (select count(*) from staging.tables),"
            " (select max(page) from staging.cells)").fetchone()
        assert narrative > 0 and tables >= 10
        assert pages > con.execute("select page_count from staging.documents").fetchone()[0] // 2
        # 预算03表 支出总表 is a list of detail lines (function × economic code, 2010801 on 24 lines): a
        # code's figure is the sum of its lines, and no parent line is promised
        assert con.execute(
            "select total_amount, basic_amount, project_amount from marts.fct_expenditure_by_function "
            "where table_type = 'department_expenditure' and subject_code = '2010801'").fetchone() == (
            Decimal("17960.82"), Decimal("17705.01"), Decimal("255.81"))
        assert con.execute("select count(*) from validation.rule_results "
                           "where rule_id = 'BW-CMP-003' and not passed").fetchone()[0] == 0
        # 预算05表: 项目支出 / 扣除基建项目后预算数 is a part of project spending, not a second total column
        # (read as the total, it made every line's total its project figure: 22 false BW-ROW-003)
        assert con.execute("select count(*) from validation.rule_results "
                           "where rule_id = 'BW-ROW-003' and passed").fetchone()[0] >= 20
        assert con.execute("select count(*) from validation.rule_results "
                           "where rule_id = 'BW-ROW-003' and not passed").fetchone()[0] == 0
        # its lines are per budget unit (2050803: 32.80 with 13.20 of projects, and 90.00): summed by code
        assert con.execute(
            "select total_amount, basic_amount, project_amount from marts.fct_expenditure_by_function "
            "where table_type = 'general_budget_expenditure' and subject_code = '2050803'").fetchone() == (
            Decimal("122.80"), Decimal("109.60"), Decimal("13.20"))
        # 预算04表 prints one 预算数 column for all appropriations and no government-fund or state-capital
        # money: its 本年支出合计 is the general budget's, checked against 预算05表's total
        assert con.execute("select passed, expected_amount, actual_amount from validation.rule_results "
                           "where rule_id = 'BW-XTB-003'").fetchall() == [
            (True, Decimal("32801.94"), Decimal("32801.94"))]
        # 基本支出预算25218.54万元，占本年支出预算76.76% (and 项目支出 7633.51): shares of all the money, so
        # compared with 预算03表 支出总表, not read as the expenditure total
        assert con.execute("select subject_code, passed, expected_amount, actual_amount "
                           "from validation.rule_results "
                           "where rule_id = 'BW-NAR-003' order by subject_code").fetchall() == [
            ("all_basic_total", True, Decimal("25218.54"), Decimal("25218.54")),
            ("all_project_total", True, Decimal("7633.52"), Decimal("7633.51"))]
        assert con.execute("select count(*) from staging.narrative_figures where figure_key = "
                           "'expenditure_total' and amount in (25218.54, 7633.51)").fetchone()[0] == 0
        # 上年结转结余 and its fund lines (预算04表 rows, 预算02表 columns) are carry-over, not this year's
        # income: with them, every rule holds on this document
        assert con.execute("select income_source, amount from marts.fct_income_by_source "
                           "where table_type = 'fiscal_appropriation_summary' order by 1").fetchall() == [
            ("general_budget", Decimal("32365.09")), ("prior_year_carryover", Decimal("436.85"))]
        checked, failed = con.execute("select count(*), count(*) filter (where not passed) "
                                      "from validation.rule_results").fetchone()
        assert checked >= 200 and failed == 0

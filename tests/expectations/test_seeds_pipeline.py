"""The ground truth of the two real seed documents, through the real pipeline: extract → load →
dbt build → validate. The published inconsistencies are errors with their hints; rounding is silent."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import duckdb
import pytest

from expectations.report import report
from expectations.runner import validate

# one worker sets up the module's fixtures: tests of a module spread over both would build them twice
pytestmark = [pytest.mark.slow, pytest.mark.shared, pytest.mark.xdist_group("seeds_pipeline")]


@pytest.fixture(scope="module")
def validated(tmp_path_factory, seeds_dir):
    from extractors.extract import extract_file
    from extractors.load import connect, load_extraction
    from extractors.transform import build

    warehouse = tmp_path_factory.mktemp("seeds") / "warehouse.duckdb"
    con = connect(str(warehouse))
    for path in sorted(Path(seeds_dir).glob("*.txt")):
        load_extraction(con, extract_file(path))
    con.close()
    build(warehouse, exclude="tag:post_validation")
    return warehouse, validate(warehouse, run_id="seeds")


def _department_documents(warehouse: Path) -> dict[str, str]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return dict(con.execute("select region_name, document_id from staging.documents").fetchall())
    finally:
        con.close()


def _failures(summary, document_id, severity):
    r = summary.results
    r = r[~r["passed"] & (r["document_id"] == document_id) & (r["severity"] == severity)]
    return {(x.rule_id, x.table_type, x.subject_code, x.fiscal_year, x.expected_amount, x.actual_amount,
             x.suggested_value) for x in r.itertuples()}


def test_tongnan_2022_published_inconsistencies(validated):
    warehouse, summary = validated
    tongnan = _department_documents(warehouse)["潼南区"]
    errors = _failures(summary, tongnan, "error")
    expected = {
        # prior-year 2101199 27.2 where 14.37 − 11.65 = 2.72: a decimal shift
        ("BW-HIE-003", "general_budget_expenditure", "210", 2021, D("38.85"), D("14.37"), D("2.72")),
        ("BW-HIE-002", "general_budget_expenditure", "21011", 2021, D("38.85"), D("14.37"), D("2.72")),
        # 2021 合计 1,926.37 vs Σ classes 1,925.88
        ("BW-ROW-001", "general_budget_expenditure", "total", 2021, D("1925.88"), D("1926.37"), D("1925.88")),
        # 三公 2022 vehicle subtotal 6.00 vs 0 + 4.00, and the total 6.00 vs 0 + 6.00 + 2.00
        ("BW-ROW-005", "three_public_expenses", "total", 2022, D("4.00"), D("6.00"), D("4.00")),
        ("BW-ROW-006", "three_public_expenses", "total", 2022, D("8.00"), D("6.00"), D("4.00")),
        # 项目支出明细表 年初特定目标 小计 1,675.45 vs Σ 1,661.73: the 13.72 上级专项 project
        ("BW-ROW-007", "project_expenditure", "total", 2022, D("1661.73"), D("1675.45"), D("13.72")),
        # 30207 邮电费 5.37 vs 4.37 + blank, and the 日常公用经费 column 78.54 vs 79.53
        ("BW-ROW-004", "general_budget_basic_expenditure", "30207", 2022, D("4.37"), D("5.37"), D("1.00")),
        ("BW-HIE-004", "general_budget_basic_expenditure", "302", 2022, D("78.54"), D("79.53"), D("0.99")),
    }
    assert expected <= errors, expected - errors
    assert {e[:3] for e in errors} - {e[:3] for e in expected} <= {
        ("BW-ROW-005", "three_public_expenses", "363"), ("BW-ROW-006", "three_public_expenses", "363"),
        ("BW-ROW-007", "project_expenditure", "total")}  # the department line repeats 合计; other columns


def test_rounding_noise_is_never_an_error(validated):
    warehouse, summary = validated
    documents = _department_documents(warehouse)
    assert _failures(summary, documents["綦江区"], "error") == set()
    r = summary.results
    tongnan = r[r["document_id"] == documents["潼南区"]]
    for rule_id, code in (("BW-HIE-004", "301"), ("BW-NAR-006", "income_change")):
        rows = tongnan[(tongnan["rule_id"] == rule_id) & (tongnan["subject_code"] == code)]
        assert len(rows) and rows["passed"].all() and any(d != 0 for d in rows["difference"]), (rule_id, code)


def test_qijiang_lacks_two_budget_tables(validated):
    warehouse, summary = validated
    warnings = _failures(summary, _department_documents(warehouse)["綦江区"], "warning")
    assert {(w[0], w[1]) for w in warnings} == {
        ("BW-CMP-001", "department_income"), ("BW-CMP-001", "procurement")}


def test_report_prints_the_findings(validated):
    warehouse, _ = validated
    text = report(warehouse, _department_documents(warehouse)["潼南区"][:6])
    assert "重庆市潼南区政务服务管理办公室 (潼南区) 2022 budget" in text
    assert "[error] BW-HIE-003 general_budget_expenditure (附件 2) 210 2021" in text
    assert "expected 38.85  actual 14.37  difference -24.48  (tolerance 0.02)" in text
    assert "→ suggested value 2.72" in text

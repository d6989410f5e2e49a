"""The catalogue on a warehouse shaped like dbt's: real DuckDB, real Great Expectations."""

from __future__ import annotations

from decimal import Decimal as D

import duckdb
import pytest
from rule_warehouse import Col, Doc, Warehouse

from expectations.runner import ValidationError, data_docs_index, validate

# one worker sets up the module's fixtures: tests of a module spread over both would build them twice
pytestmark = pytest.mark.xdist_group("runner")


def failures(summary, document_id=None, severity=None):
    f = summary.results[~summary.results["passed"]]
    if document_id:
        f = f[f["document_id"] == document_id]
    if severity:
        f = f[f["severity"] == severity]
    return {(r.rule_id, r.table_type, r.subject_code, r.fiscal_year, r.expected_amount, r.actual_amount)
            for r in f.itertuples()}


@pytest.fixture(scope="module")
def validated(tmp_path_factory):
    """The two-document warehouse, validated once for the tests that only read the outcome."""
    from seed_documents import build_qijiang, build_tongnan

    w = Warehouse(tmp_path_factory.mktemp("validated") / "warehouse.duckdb")
    build_tongnan(w)
    build_qijiang(w)
    w.close()
    return w.path, validate(w.path, run_id="t1")


def test_published_inconsistencies_are_errors_with_their_hints(validated):
    _, summary = validated
    assert failures(summary, "tongnan2022", "error") == {
        ("BW-HIE-002", "general_budget_expenditure", "21011", 2021, D("38.85"), D("14.37")),
        ("BW-HIE-003", "general_budget_expenditure", "210", 2021, D("38.85"), D("14.37")),
        ("BW-ROW-001", "general_budget_expenditure", "total", 2021, D("1925.88"), D("1926.37")),
        ("BW-HIE-004", "general_budget_basic_expenditure", "302", 2022, D("78.54"), D("79.53")),
        ("BW-ROW-004", "general_budget_basic_expenditure", "30207", 2022, D("4.37"), D("5.37")),
        ("BW-ROW-005", "three_public_expenses", "total", 2022, D("4.00"), D("6.00")),
        ("BW-ROW-006", "three_public_expenses", "total", 2022, D("8.00"), D("6.00")),
        ("BW-ROW-007", "project_expenditure", "total", 2022, D("1661.73"), D("1675.45")),
        ("BW-ROW-007", "project_expenditure", "total", 2022, D("13.72"), D("0.00")),
    }
    hints = {(r.rule_id, r.subject_code, r.fiscal_year): (r.hint, r.suggested_value)
             for r in summary.results[~summary.results["passed"]].itertuples()}
    assert hints[("BW-HIE-003", "210", 2021)][1] == D("2.72")
    assert hints[("BW-HIE-003", "210", 2021)][0].startswith("decimal shift: 2101199")
    assert hints[("BW-ROW-005", "total", 2022)][1] == D("4.00")
    assert hints[("BW-ROW-006", "total", 2022)][1] == D("4.00")
    assert hints[("BW-ROW-004", "30207", 2022)] == (
        "missing cell: 日常公用经费 is blank; the difference 1.00 is what it would hold", D("1.00"))


def test_rounding_noise_is_silent(validated):
    _, summary = validated
    results = summary.results
    noise = [("BW-ROW-004", "qijiang2024", "total", "合计"),  # 677.15 vs 378.34 + 298.82 = 677.16
             ("BW-HIE-004", "qijiang2024", "302", "总计"),  # 298.92 vs Σ items 298.91
             ("BW-HIE-004", "tongnan2022", "301", "总计"),  # 223.47 vs Σ 223.46
             ("BW-HIE-004", "tongnan2022", "302", "总计"),  # 83.90 vs Σ 83.91
             ("BW-NAR-006", "tongnan2022", "income_change", "")]  # 69.70 vs 1996.06 − 1926.37
    for rule_id, document_id, code, column in noise:
        rows = results[(results["rule_id"] == rule_id) & (results["document_id"] == document_id)
                       & (results["subject_code"] == code) & results["place"].str.contains(column)]
        assert len(rows) == 1, (rule_id, code)
        assert rows["passed"].all() and rows["difference"].iloc[0] != 0, (rule_id, code)
    assert not failures(summary, "qijiang2024", "error")


def test_every_place_is_stored_under_the_run_and_a_rerun_replaces_it(validated):
    warehouse, first = validated
    validate(warehouse, run_id="t1")
    con = duckdb.connect(str(warehouse), read_only=True)
    stored = con.execute("""select count(*), count(*) filter (where not passed),
                                   count(*) filter (where hint is not null)
                            from validation.rule_results where run_id = 't1'""").fetchone()
    row = con.execute("""select expected_amount, actual_amount, difference, tolerance, suggested_value, page,
                                table_index, message
                         from validation.rule_results
                         where run_id = 't1' and rule_id = 'BW-HIE-003' and subject_code = '210'
                           and fiscal_year = 2021""").fetchone()
    con.close()
    assert stored == (first.checked, first.failed, 8)  # 上级专项's blank total: no usual slip
    assert row[:7] == (D("38.85"), D("14.37"), D("-24.48"), D("0.02"), D("2.72"), 5, 2)
    assert "class 210 is 14.37, its items sum to 38.85 (difference -24.48)" in row[7]


def test_summary_counts_and_data_docs(validated):
    warehouse, summary = validated
    assert summary.errors == 9 and summary.failed == summary.errors + summary.warnings
    assert summary.checked == len(summary.results) and summary.rules >= 30
    assert summary.data_docs == data_docs_index(warehouse) == warehouse.parent / (
        "warehouse.duckdb.gx/gx/uncommitted/data_docs/local_site/index.html")
    assert summary.data_docs.exists()


def test_missing_models_are_named(warehouse):
    duckdb.connect(str(warehouse)).close()
    with pytest.raises(ValidationError, match="intermediate.int_cell_amounts.*build the dbt models"):
        validate(warehouse)


def test_cross_document_prior_year_column_and_missing_department_year(warehouse, monkeypatch):
    monkeypatch.setenv("BUDGETWH_GX_PER_DOCUMENT_LIMIT", "3")  # 4 documents: one batch
    w = Warehouse(warehouse)
    cols = [Col("2021 年预算数", "total", 2021), Col("总计", "total")]
    older = w.document(Doc("dept2021", 2021))
    w.table(older, 2, "general_budget_expenditure", [Col("总计", "total")],
            [("total", "total", "合计", "100.00"), ("subject", "201", "一般公共服务支出", "100.00")])
    newer = w.document(Doc("dept2022", 2022))
    w.table(newer, 2, "general_budget_expenditure", cols,
            [("total", "total", "合计", "100.00", "120.00"),
             ("subject", "201", "一般公共服务支出", "10.00", "120.00")])
    gap_before = w.document(Doc("other2021", 2021, department="另一部门"))
    gap_after = w.document(Doc("other2023", 2023, department="另一部门"))
    assert gap_before and gap_after
    w.close()
    summary = validate(warehouse, run_id="x")
    found = failures(summary)
    assert ("BW-XDC-001", "general_budget_expenditure", "201", 2021, D("100.00"), D("10.00")) in found
    assert ("BW-XDC-002", "budget", "另一部门", 2022, D(1), D(0)) in found
    passed = summary.results[summary.results["passed"] & (summary.results["rule_id"] == "BW-XDC-001")]
    assert list(passed["subject_code"]) == ["total"]
    pages = sorted(p.name for p in summary.data_docs.parent.glob("validations/*/x/*/*.html"))
    assert pages == ["budgetwh_rule_results-all_documents.html"] * 2


def test_a_warehouse_without_documents_validates_to_nothing(warehouse):
    Warehouse(warehouse).close()
    summary = validate(warehouse, run_id="empty")
    assert (summary.checked, summary.errors, summary.warnings, summary.rules >= 30) == (0, 0, 0, True)

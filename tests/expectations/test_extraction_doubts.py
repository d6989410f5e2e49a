"""Issue 15: a failed check on a table extraction did not fully recognise is an extraction doubt (judged a
warning, never alerted), not a publisher's inconsistency; the same failure on a recognised table stays an
error."""

from __future__ import annotations

import duckdb
from rule_warehouse import Warehouse

from expectations.runner import validate


def _failed(summary, document_id):
    f = summary.results[~summary.results["passed"] & (summary.results["document_id"] == document_id)]
    return {(r.rule_id, r.subject_code, r.severity, r.rule_severity,
             r.doubt if isinstance(r.doubt, str) else None) for r in f.itertuples()}


def test_a_failure_on_a_table_with_an_unmapped_column_is_a_doubt(tmp_path):
    from seed_documents import build_qijiang, build_tongnan

    w = Warehouse(tmp_path / "warehouse.duckdb")
    build_tongnan(w)
    build_qijiang(w)
    w.close()
    con = duckdb.connect(str(w.path))
    (basic_table,) = con.execute(
        "select table_index from staging.tables where document_id = 'tongnan2022' "
        "and table_type = 'general_budget_basic_expenditure'").fetchone()
    con.execute("insert into staging.extraction_issues (document_id, table_index, severity, code, message) "
                "values ('tongnan2022', ?, 'warning', 'unmapped_column', 'column 4 ''其他'' has no measure')",
                [basic_table])
    con.close()

    summary = validate(w.path, run_id="doubt")

    failed = _failed(summary, "tongnan2022")
    # the basic expenditure table's failures are doubts now, judged as warnings
    assert ("BW-HIE-004", "302", "warning", "error", "unmapped_column") in failed
    assert ("BW-ROW-004", "30207", "warning", "error", "unmapped_column") in failed
    # the function table's failures, on a table read in full, stay errors of the publisher
    assert ("BW-HIE-003", "210", "error", "error", None) in failed
    assert ("BW-ROW-001", "total", "error", "error", None) in failed
    errors = summary.results[~summary.results["passed"] & (summary.results["severity"] == "error")]
    assert summary.errors == len(errors) and "BW-HIE-004" not in set(errors["rule_id"])

    stored = duckdb.connect(str(w.path), read_only=True).execute(
        "select rule_id, severity, rule_severity, doubt from validation.rule_results "
        "where run_id = 'doubt' and not passed and rule_id = 'BW-HIE-004' and subject_code = '302'"
    ).fetchall()
    assert stored == [("BW-HIE-004", "warning", "error", "unmapped_column")]

"""Where a run's places go: ``validation.rule_results`` (``results.sql``), stored under the run id and
pruned of what later runs superseded; dbt conforms it into ``marts.fct_reconciliation_result``."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from expectations.catalogue import RESULTS_SQL
from extractors.load import connect
from extractors.sql_files import named_sql, scalar


def store(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame, run_id: str, replace: bool = True) -> None:
    """Replace (``replace``) or add to the run's rows in validation.rule_results (amounts go through text
    to stay exact)."""
    table = pd.DataFrame({
        "document_id": frame["document_id"], "rule_id": frame["rule_id"], "rule_kind": frame["rule_kind"],
        "severity": frame["severity"], "rule_severity": frame["rule_severity"], "doubt": frame["doubt"],
        "passed": frame["passed"].astype(bool), "table_type": frame["table_type"],
        "table_index": frame["table_index"].astype("Int64"),
        "subject_code": frame["subject_code"], "fiscal_year": frame["fiscal_year"].astype("Int64"),
        "expected_amount": frame["expected_amount"].map(as_text),
        "actual_amount": frame["actual_amount"].map(as_text),
        "difference": frame["difference"].map(as_text), "tolerance": frame["tolerance"].map(as_text),
        "page": frame["page"].astype("Int64"), "message": frame["message"], "hint": frame["hint"],
        "suggested_value": frame["suggested_value"].map(as_text),
    }).astype({c: object for c in ("document_id", "table_type", "subject_code", "message", "hint", "doubt")})
    con.execute("begin transaction")
    try:
        if replace:
            forget_run(con, run_id)
        con.register("places", table)
        con.execute(named_sql(RESULTS_SQL)["insert"], {"run_id": run_id})
        con.unregister("places")
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise


def forget_run(con: duckdb.DuckDBPyConnection, run_id: str) -> None:
    """A rerun of a run id replaces its rows."""
    con.execute("delete from validation.rule_results where run_id = ?", [run_id])


def prune_superseded(warehouse: Path) -> int:
    """Delete the passing places of runs a later run superseded for their document; returns how many.

    Every run's failed places stay (a finding's history: when it appeared, when it went), and every
    place of each document's latest run stays (what ``fct_reconciliation_result`` shows). Without this a
    full re-validation of 1 M documents would add ≈ 420 M rows that no mart reads.
    """
    con = connect(str(warehouse))
    try:
        return scalar(con, named_sql(RESULTS_SQL)["prune"])
    finally:
        con.close()


def as_text(value) -> str | None:
    return None if value is None or (isinstance(value, float) and value != value) else str(value)

"""A document's findings as text: what does not add up, where, by how much, and the likely slip.

``report(warehouse, document_id)`` reads the latest validation run that checked the document (the
``budgetwh report DOCUMENT`` command prints it); ``document_id`` may be given as a unique prefix.
"""

from __future__ import annotations

from pathlib import Path

import duckdb


class ReportError(LookupError):
    """No such document, an ambiguous prefix, or a warehouse never validated."""


def _resolve(con: duckdb.DuckDBPyConnection, document_id: str) -> tuple:
    rows = con.execute(
        """select document_id, department_name, region_name, fiscal_year, document_type, source_path
           from staging.documents where starts_with(document_id, ?) order by document_id""",
        [document_id]).fetchall()
    if not rows:
        raise ReportError(f"no document {document_id!r} in the warehouse")
    if len(rows) > 1:
        raise ReportError(f"{document_id!r} matches {len(rows)} documents: "
                          + ", ".join(r[0] for r in rows[:5]))
    return rows[0]


def report(warehouse: Path, document_id: str) -> str:
    if not Path(warehouse).exists():
        raise ReportError(f"warehouse not found: {warehouse}")
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        doc_id, department, region, year, doc_type, source = _resolve(con, document_id)
        try:
            run = con.execute(
                """select run_id, max(checked_at) from validation.rule_results where document_id = ?
                   group by run_id order by 2 desc limit 1""", [doc_id]).fetchone()
        except duckdb.CatalogException as e:
            raise ReportError("the warehouse has never been validated") from e
        if run is None:
            raise ReportError(f"document {doc_id} has not been validated yet")
        counts = con.execute(
            """select severity, count(*), count(*) filter (where not passed) from validation.rule_results
               where run_id = ? and document_id = ? group by severity order by severity""",
            [run[0], doc_id]).fetchall()
        findings = con.execute(
            """select r.severity, r.rule_id, r.table_type,
                      coalesce(t.label, 'table ' || r.table_index), r.subject_code, r.fiscal_year, r.page,
                      r.expected_amount, r.actual_amount, r.difference, r.tolerance, r.message, r.hint,
                      r.suggested_value
               from validation.rule_results as r
               left join staging.tables as t using (document_id, table_index)
               where r.run_id = ? and r.document_id = ? and not r.passed
               order by r.severity, r.table_index nulls last, r.rule_id, r.subject_code, r.fiscal_year""",
            [run[0], doc_id]).fetchall()
    finally:
        con.close()
    lines = [f"{department or '?'} ({region or '?'}) {year or '?'} {doc_type or ''} — document {doc_id}",
             f"source: {source}", f"validation run {run[0]} at {run[1]:%Y-%m-%d %H:%M:%S}"]
    lines += [f"  {severity}: {checked} places checked, {failed} failed" for severity, checked, failed
              in counts]
    if not findings:
        lines.append("no findings: every checked place adds up within rounding")
    for (severity, rule, table, table_label, code, fiscal_year, page, expected, actual, difference, tolerance,
         message, hint, suggested) in findings:
        place = " ".join(str(x) for x in (
            table, f"({table_label})" if table_label else None, code, fiscal_year,
            f"page {page}" if page else None) if x)
        lines.append(f"\n[{severity}] {rule} {place}")
        lines.append(f"  expected {expected}  actual {actual}  difference {difference}"
                     f"  (tolerance {tolerance})")
        lines.append(f"  {message}")
        if hint:
            suggestion = f" → suggested value {suggested}" if suggested is not None else ""
            lines.append(f"  hint: {hint}{suggestion}")
    return "\n".join(lines)

"""The places a run checks: every rule's query on DuckDB, each row made a place with its difference,
rounding tolerance, message and hint.

The tolerance of a sum of k rounded parts is 0.005·(k+1)·unit_scale (XBRL Calculations 1.1 interval
rule); ``excess`` is how far the difference goes beyond it, so a place fails when its excess is positive.
An error-level check failing where extraction did not fully recognise the table is an extraction doubt
(``doubt`` names the issues): judged and shown as a warning, never alerted.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import duckdb
import pandas as pd

from expectations.catalogue import RESULT_COLUMNS, Rule
from expectations.hints import CENT, Part, infer_hint

HALF_CENT = Decimal("0.005")

PLACE_COLUMNS = ("rule_id", "rule_kind", "severity", "rule_severity", "doubt", "document_id", "table_type",
                 "table_index", "subject_code", "fiscal_year", "page", "expected_amount", "actual_amount",
                 "difference", "tolerance", "excess", "message", "hint", "suggested_value", "place")


class ValidationError(RuntimeError):
    """The catalogue cannot run on this warehouse (models missing, a rule's query broken)."""


def evaluate(con: duckdb.DuckDBPyConnection, rules: tuple[Rule, ...], scoped: bool,
             chunk_places: int) -> pd.DataFrame:
    """Every place of every rule in one frame (a run small enough to hold whole)."""
    return pd.concat(list(place_chunks(con, rules, scoped, chunk_places)), ignore_index=True)


def place_chunks(con: duckdb.DuckDBPyConnection, rules: tuple[Rule, ...], scoped: bool, chunk_places: int,
                 documentless: bool = True, first_row_id: int = 0) -> Iterator[pd.DataFrame]:
    """Every rule's places, as frames of about ``chunk_places`` rows, row ids numbered from ``first_row_id``.

    Each rule's result is fetched a chunk at a time, so nothing may run on ``con`` while a frame is out
    (store through another cursor)."""
    scales = _unit_scales(con)
    doubts = _doubtful_tables(con)
    records: list[dict] = []
    row_id = first_row_id
    for rule in rules:
        try:
            cursor = con.execute(_scoped_query(rule.sql, documentless) if scoped else rule.sql)
        except duckdb.Error as e:
            raise ValidationError(f"{rule.rule_id} ({rule.path.name}) failed: {e}") from e
        columns = [d[0] for d in cursor.description]
        missing = [c for c in RESULT_COLUMNS if c not in columns]
        if missing:
            raise ValidationError(f"{rule.rule_id} returns no {', '.join(missing)}")
        while rows := cursor.fetchmany(chunk_places):
            records += [_place(rule, dict(zip(columns, values, strict=True)), scales, doubts)
                        for values in rows]
            if len(records) >= chunk_places:
                yield _place_frame(records, row_id)
                row_id, records = row_id + len(records), []
    if records or row_id == first_row_id:
        yield _place_frame(records, row_id)


def _unit_scales(con: duckdb.DuckDBPyConnection) -> dict[str, Decimal]:
    return {u: Decimal(s) for u, s in con.execute("select unit_name, unit_scale from ref_units").fetchall()}


def _place_frame(records: list[dict], first_row_id: int) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(records, columns=list(PLACE_COLUMNS))
    frame["row_id"] = range(first_row_id, first_row_id + len(frame))
    return frame


def _scoped_query(sql: str, documentless: bool = True) -> str:
    """The rule's places of the scope's documents and (``documentless``) of no single document: the rules
    read two years either side of a changed document, and the outer year's documents lack their own
    neighbours."""
    nulls = "document_id is null or " if documentless else ""
    return (f"select * from (\n{sql}\n) as places where {nulls}"
            "document_id in (select document_id from scope_documents)")


def _decimal(value) -> Decimal:
    return Decimal(0) if value is None else Decimal(value)


def _parts(values) -> list[Part] | None:
    if values is None:
        return None
    return [Part(str(v["label"]), None if v["amount"] is None else Decimal(v["amount"])) for v in values]


def _doubtful_tables(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, int | None], str]:
    """(document, table index or None for the whole document) → the issue codes that make a failed check
    there an extraction doubt (views.sql ``doubtful_tables``)."""
    return {(d, t): codes for d, t, codes in con.execute(
        "select document_id, table_index, doubt from doubtful_tables").fetchall()}


def _doubt(row: dict, doubts: dict[tuple[str, int | None], str]) -> str | None:
    document = row["document_id"]
    found = [doubts.get((document, row["table_index"])), doubts.get((document, None))]
    return ",".join(sorted({c for codes in found if codes for c in codes.split(",")})) or None


def _place(rule: Rule, row: dict, scales: dict[str, Decimal],
           doubts: dict[tuple[str, int | None], str] | None = None) -> dict:
    expected, actual = _decimal(row["expected_amount"]), _decimal(row["actual_amount"])
    difference = actual - expected
    k = int(row["parts_count"] or 0)
    tolerance = HALF_CENT * (k + 1) * scales.get(row.get("unit_name") or "", Decimal(1))
    shortfall = -difference if rule.comparison == "at_least" else abs(difference)
    excess = shortfall - tolerance
    hint = None
    if excess > 0 and row.get("parts") is not None:
        total_label = f"the published {row.get('total_label') or row['subject_code'] or 'total'}"
        hint = infer_hint(expected, actual, tolerance, _parts(row["parts"]), _parts(row.get("context")),
                          total_label=total_label)
    fmt = _fmt_count if rule.unit == "count" else _fmt
    values = {
        "expected": fmt(expected), "actual": fmt(actual), "difference": fmt(difference),
        "tolerance": _fmt(tolerance), "subject_code": row["subject_code"], "fiscal_year": row["fiscal_year"],
        "table_type": row["table_type"], "detail": row.get("detail"), "parts_count": k,
    }
    # An error-level check failing where extraction did not fully recognise the table is a doubt about
    # our reading, not a defect of the publisher: judged and shown as a warning, never alerted.
    doubt = _doubt(row, doubts or {}) if rule.severity == "error" else None
    return {
        "rule_id": rule.rule_id, "rule_kind": rule.kind, "severity": "warning" if doubt else rule.severity,
        "rule_severity": rule.severity, "doubt": doubt, "document_id": row["document_id"],
        "table_type": row["table_type"], "table_index": row["table_index"],
        "subject_code": row["subject_code"], "fiscal_year": row["fiscal_year"], "page": row["page"],
        "expected_amount": expected, "actual_amount": actual, "difference": difference,
        "tolerance": tolerance, "excess": excess, "message": rule.render_message(**values),
        "hint": hint.text if hint else None, "suggested_value": hint.suggested_value if hint else None,
        "place": _place_name(row),
    }


def _fmt(x: Decimal) -> str:
    return f"{x.quantize(CENT):,}" if abs(x) >= CENT or x == 0 else f"{x.normalize()}"


def _fmt_count(x: Decimal) -> str:
    return f"{x.normalize():f}"


def _place_name(row: dict) -> str:
    table = f"table {row['table_index']}" if row["table_index"] is not None else None
    bits = [row["table_type"] or "document", table,
            row["subject_code"], str(row["fiscal_year"]) if row["fiscal_year"] else None,
            row.get("detail"), f"page {row['page']}" if row["page"] else None]
    return ", ".join(str(b) for b in bits if b)



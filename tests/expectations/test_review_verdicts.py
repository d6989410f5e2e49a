"""Reviewers' verdicts: kept across re-validation, carried to a new version of a document only where the
place printed the same numbers, refused for a place that did not fail; who may review is configured."""

from __future__ import annotations

import duckdb
import pytest
from rule_warehouse import Warehouse
from seed_documents import build_tongnan

from expectations.evidence.locate import finding_key
from expectations.evidence.review import current_verdicts, record_verdict
from expectations.runner import validate
from extractors.serve import reviewers

pytestmark = pytest.mark.slow  # three validations
VEHICLE = ("BW-ROW-005", "three_public_expenses", "total", 2022)


def copy_document(path, source: str, copy: str) -> None:
    """A new version of ``source``: every staged and modelled row again under another document id."""
    con = duckdb.connect(str(path))
    for schema, table in con.execute("""
            select table_schema, table_name from information_schema.columns
            where column_name = 'document_id' and table_schema in ('staging', 'intermediate')""").fetchall():
        columns = [c for (c,) in con.execute(
            "select column_name from information_schema.columns where table_schema = ? and table_name = ? "
            "order by ordinal_position", [schema, table]).fetchall()]
        chosen = ", ".join("? as document_id" if c == "document_id" else c for c in columns)
        con.execute(f"insert into {schema}.{table} select {chosen} from {schema}.{table} "
                    "where document_id = ?", [copy, source])
    con.close()


def vehicle_message(path, document: str) -> str:
    con = duckdb.connect(str(path), read_only=True)
    try:
        ((message,),) = con.execute(
            "select message from validation.rule_results where document_id = ? and not passed "
            "and rule_id = ? and table_type = ? and subject_code = ? and fiscal_year = ? "
            "qualify row_number() over (order by checked_at desc) = 1", [document, *VEHICLE]).fetchall()
        return message
    finally:
        con.close()


def verdicts(path) -> dict:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {k: v["verdict"] for k, v in current_verdicts(con).items()}
    finally:
        con.close()


def test_a_verdict_survives_revalidation_and_follows_a_new_version_only_with_the_same_numbers(warehouse):
    w = Warehouse(warehouse)
    build_tongnan(w)
    w.close()
    validate(warehouse, run_id="first")
    key = finding_key(*VEHICLE, vehicle_message(warehouse, "tongnan2022"))
    record_verdict(warehouse, "tongnan2022", key, "dismissed", "template subtotal", "alice")
    copy_document(warehouse, "tongnan2022", "tongnan2022-v2")  # re-published, same numbers
    copy_document(warehouse, "tongnan2022", "tongnan2022-v3")  # re-published, the subtotal corrected to 5
    con = duckdb.connect(str(warehouse))
    con.execute("update intermediate.int_cell_amounts set amount = 5 "
                "where document_id = 'tongnan2022-v3' and table_type = 'three_public_expenses' "
                "and measure = 'vehicle_total' and fiscal_year = 2022")
    con.close()
    validate(warehouse, run_id="second")
    v3_key = finding_key(*VEHICLE, vehicle_message(warehouse, "tongnan2022-v3"))
    assert v3_key != key  # its place printed other numbers: another finding
    assert verdicts(warehouse) == {("tongnan2022", key): "dismissed", ("tongnan2022-v2", key): "dismissed"}
    record_verdict(warehouse, "tongnan2022-v2", key, "confirmed", "the publisher confirmed the slip", "bob")
    assert verdicts(warehouse) == {("tongnan2022", key): "dismissed", ("tongnan2022-v2", key): "confirmed"}


def test_a_verdict_needs_a_failed_place(seeded):
    validate(seeded, run_id="only")
    with pytest.raises(LookupError):
        record_verdict(seeded, "tongnan2022", "0" * 16, "dismissed", None, "alice")
    with pytest.raises(ValueError, match="confirmed, dismissed"):
        record_verdict(seeded, "tongnan2022", "0" * 16, "ignored", None, "alice")


def test_reviewers_come_from_name_token_pairs():
    assert reviewers("alice:s3cret, bob:other") == {"alice": "s3cret", "bob": "other"}
    assert reviewers("") == {}
    with pytest.raises(ValueError, match="name:token"):
        reviewers("alice")

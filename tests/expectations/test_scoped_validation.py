"""Validation scoped to the documents a load changed (nightly runs): the scope is the changed documents
and their department's adjacent years, its findings equal a full run's, and the rest stay as they were."""

from __future__ import annotations

from collections import Counter

import duckdb
import pytest

import expectations.runner as runner
from expectations.runner import ValidationError, validate
from extractors.generator.render import render
from extractors.generator.synthesize import synthesize
from extractors.pipeline import finalize, run

pytestmark = pytest.mark.slow

SEED = 11
REGION = "綦江区"
# 审计局 publishes every year; 统计局 skips 2021, a gap BW-XDC-002 reports with no document of its own
YEARS = {"审计局": (2020, 2021, 2022, 2023), "统计局": (2020, 2022, 2023)}
COMPARED = ("rule_id", "document_id", "table_type", "table_index", "subject_code", "fiscal_year", "page",
            "expected_amount", "actual_amount", "difference", "tolerance", "message", "hint",
            "suggested_value", "passed")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The warehouse through the real pipeline, a full validation of it, and its documents by
    (department, year)."""
    tmp = tmp_path_factory.mktemp("scoped")
    for department, years in YEARS.items():
        for year in years:
            render(synthesize(SEED, REGION, department, year, "budget"), "text", tmp / "documents")
    warehouse = tmp / "warehouse.duckdb"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("BUDGETWH_GX_PER_DOCUMENT_LIMIT", "0")  # one GX checkpoint per run: faster, same verdicts
        summary = run([tmp / "documents"], warehouse)
        assert summary.documents == sum(map(len, YEARS.values())) and not summary.rejected
        full = validate(warehouse, run_id="full")
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        ids = {(name, year): doc for doc, name, year in con.execute(
            "select document_id, department_name, fiscal_year from staging.documents").fetchall()}
    finally:
        con.close()
    documents = {(department, year): doc for (name, year), doc in ids.items()
                 for department in YEARS if name.endswith(department)}
    assert len(documents) == len(ids)
    return warehouse, full, documents


@pytest.fixture
def one_checkpoint(monkeypatch):
    monkeypatch.setenv("BUDGETWH_GX_PER_DOCUMENT_LIMIT", "0")


def places(results, documents) -> Counter:
    """The places of these documents and of no document, as comparable values."""
    rows = results[results["document_id"].isin(documents) | results["document_id"].isna()]
    return Counter(tuple(str(v) for v in row) for row in rows[list(COMPARED)].itertuples(index=False))


def test_scope_is_the_document_and_its_departments_adjacent_years(corpus, one_checkpoint):
    warehouse, full, doc = corpus

    scoped = validate(warehouse, run_id="scoped_2021", document_ids=[doc["审计局", 2021]])

    assert scoped.scope == {doc["审计局", 2020], doc["审计局", 2021], doc["审计局", 2022]}
    assert set(scoped.results["document_id"].dropna()) == scoped.scope
    assert places(scoped.results, scoped.scope) == places(full.results, scoped.scope)
    # the cross-document rules really ran inside the scope: 2021 and 2022 read the year before
    checked = Counter(scoped.results["rule_id"])
    assert checked["BW-XDC-001"] > 0 and checked["BW-NAR-006"] > 0
    assert scoped.checked < full.checked


def test_the_scope_stops_where_the_department_has_no_document(corpus, one_checkpoint):
    warehouse, full, doc = corpus

    scoped = validate(warehouse, run_id="scoped_gap", document_ids=[doc["统计局", 2022], doc["审计局", 2020]])

    assert scoped.scope == {doc[d, y] for d, y in (("统计局", 2022), ("统计局", 2023), ("审计局", 2020),
                                                   ("审计局", 2021))}
    assert places(scoped.results, scoped.scope) == places(full.results, scoped.scope)


def test_a_gap_of_the_whole_warehouse_is_still_reported(corpus, one_checkpoint):
    warehouse, full, doc = corpus

    scoped = validate(warehouse, run_id="scoped_other", document_ids=[doc["审计局", 2023]])

    gaps = scoped.results[scoped.results["document_id"].isna()]
    assert [(g.rule_id, g.subject_code, g.fiscal_year, g.passed) for g in gaps.itertuples()] == [
        ("BW-XDC-002", "重庆市綦江区统计局", 2021, False)]
    assert places(scoped.results, []) == places(full.results, [])


def test_documents_outside_the_scope_keep_their_findings_in_the_mart(corpus, one_checkpoint):
    warehouse, full, doc = corpus
    validate(warehouse, run_id="full_again")
    scoped = validate(warehouse, run_id="scoped_mart", document_ids=[doc["统计局", 2023]])

    finalize(warehouse)

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        runs = dict(con.execute("select document_id, any_value(run_id) from marts.fct_reconciliation_result "
                                "group by document_id having count(distinct run_id) = 1").fetchall())
        mart_places = con.execute("select count(*) from marts.fct_reconciliation_result").fetchone()[0]
    finally:
        con.close()
    expected = {d: "scoped_mart" if d in scoped.scope else "full_again" for d in doc.values()}
    assert runs == {**expected, None: "scoped_mart"}
    assert mart_places == full.checked


def stored(warehouse, run_id) -> Counter:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return Counter(con.execute("select * exclude (run_id, checked_at) from validation.rule_results "
                                   "where run_id = ?", [run_id]).fetchall())
    finally:
        con.close()


def test_a_run_in_batches_finds_and_stores_what_one_pass_does(corpus, one_checkpoint, monkeypatch):
    """Beyond one_pass_documents documents a run is checked a batch at a time (a department's years
    together, each batch reading its neighbours) and its places are made and stored chunk_places at a
    time (chunks that end within a rule's places and span rules), so its memory is one batch's."""
    warehouse, full, doc = corpus
    # one pass stored afresh: an earlier test's finalize pruned the passing places of "full"
    validate(warehouse, run_id="one_pass")
    monkeypatch.setenv("BUDGETWH_VALIDATE_ONE_PASS_DOCUMENTS", "1")
    monkeypatch.setenv("BUDGETWH_VALIDATE_BATCH_DOCUMENTS", "2")
    monkeypatch.setenv("BUDGETWH_VALIDATE_CHUNK_PLACES", "7")

    batched = validate(warehouse, run_id="batched")
    scoped = validate(warehouse, run_id="batched_scope", document_ids=[doc["审计局", 2021]])

    assert (batched.checked, batched.failed, batched.errors, batched.warnings) == (
        full.checked, full.failed, full.errors, full.warnings)
    assert not batched.results["passed"].any()  # a batched run keeps only its failures in memory
    failed = full.results[~full.results["passed"]]
    assert places(batched.results, doc.values()) == places(failed, doc.values())
    assert stored(warehouse, "batched") == stored(warehouse, "one_pass")
    in_scope = {f for f in stored(warehouse, "one_pass").elements() if f[0] in scoped.scope or f[0] is None}
    assert len(scoped.scope) == 3 and set(stored(warehouse, "batched_scope")) == in_scope


def test_finalize_prunes_only_passing_places_no_mart_reads(corpus, one_checkpoint):
    """Superseded runs keep their failed places (a finding's history); their passing places go, and the
    result mart, which reads each document's latest run, is the same before and after."""
    warehouse, full, doc = corpus
    validate(warehouse, run_id="before_prune")
    validate(warehouse, run_id="latest_scoped", document_ids=[doc["统计局", 2023]])

    def snapshot():
        con = duckdb.connect(str(warehouse), read_only=True)
        try:
            return (
                Counter(con.execute("select * exclude (checked_at) from validation.rule_results "
                                    "where not passed").fetchall()),
                con.execute("select count(*) from validation.rule_results where passed").fetchone()[0],
                Counter(con.execute("select * exclude (checked_at) from marts.fct_reconciliation_result")
                        .fetchall()),
                set(con.execute("select distinct document_id, run_id from validation.rule_results "
                                "where passed").fetchall()),
            )
        finally:
            con.close()

    from extractors.transform import build
    build(warehouse, select="tag:post_validation")  # the mart, before any pruning
    failed_before, passed_before, mart_before, _ = snapshot()
    deleted = runner.prune_superseded(warehouse)
    finalize(warehouse)
    failed_after, passed_after, mart_after, passing_runs = snapshot()

    assert deleted > 0 and passed_after == passed_before - deleted
    assert failed_after == failed_before
    assert mart_after == mart_before and sum(mart_after.values()) > 0
    # the one rule about no single document here (the 2021 gap) fails: no passing place without one
    latest = {d: "latest_scoped" for d in (doc["统计局", 2022], doc["统计局", 2023])}
    assert passing_runs == {(d, latest.get(d, "before_prune")) for d in doc.values()}
    assert runner.prune_superseded(warehouse) == 0


def test_bad_document_ids_are_refused(corpus):
    warehouse, _, _ = corpus
    with pytest.raises(ValidationError, match=r"1 document id\(s\) not in staging.documents: nosuchdocument"):
        validate(warehouse, run_id="bad", document_ids=["nosuchdocument"])
    with pytest.raises(TypeError, match="not the string"):
        validate(warehouse, run_id="bad", document_ids="abc")

"""Replicating staged documents, and the incremental dbt models the marts section measures."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from bench.marts import full_rebuild, replicate, staged_cells
from extractors.load import connect
from extractors.pipeline import InputDocument, extract_all, load_dir, transform

REPO = Path(__file__).resolve().parents[2]


def _stage_two_documents(warehouse: Path) -> None:
    con = connect(str(warehouse))
    for doc_id, department in (("a" * 16, "财政局"), ("b" * 16, "审计局")):
        con.execute("insert into staging.documents (document_id, sha256, department_name, region_name, "
                    "status, extractor_version) values (?, ?, ?, '綦江区', 'loaded', '1')",
                    [doc_id, doc_id * 4, department])
        con.execute("insert into staging.tables (document_id, table_index, table_type, is_empty) "
                    "values (?, 0, 'three_public_expenses', false)", [doc_id])
        for col, amount in enumerate(("1.25", "3.50")):
            con.execute("insert into staging.cells (document_id, table_index, row_index, col_index, "
                        "row_kind, is_prior_year, amount, inferred) "
                        "values (?, 0, 0, ?, 'total', false, ?, false)", [doc_id, col, amount])
    con.execute("insert into staging.documents (document_id, sha256, status, error_code, extractor_version) "
                "values ('cccccccccccccccc', 'c', 'rejected', 'unreadable', '1')")
    con.close()


def test_replicate_stages_copies_of_loaded_documents_under_new_ids(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    _stage_two_documents(warehouse)
    assert replicate(warehouse, 5) == 6  # whole copies of the two loaded documents
    assert replicate(warehouse, 6) == 6  # already there: nothing added
    assert replicate(warehouse, 7) == 8
    assert staged_cells(warehouse) == 16
    con = duckdb.connect(str(warehouse), read_only=True)
    loaded = "from staging.documents where status = 'loaded'"
    ids = [r[0] for r in con.execute(f"select document_id {loaded}").fetchall()]
    names = con.execute(f"select count(distinct department_name), count(distinct sha256) {loaded}").fetchone()
    total = con.execute("select sum(amount) from staging.cells").fetchone()[0]
    rejected = con.execute("select count(*) from staging.documents where status = 'rejected'").fetchone()[0]
    con.close()
    assert len(set(ids)) == 8 and all(len(i) == 16 for i in ids)
    assert names == (8, 8)  # every copy is a department of its own, with bytes of its own
    assert str(total) == "38.000000"  # (1.25 + 3.50) × 8 documents, exact
    assert rejected == 1  # rejected documents are not replicated


# Every model built by document, and the models reading them; compared without built_at (when a row was
# built is the one column an incremental build and a full rebuild must differ in)
BY_DOCUMENT = ("intermediate.int_table_cells", "intermediate.int_cell_amounts",
               "intermediate.int_published_subjects", "intermediate.int_document_fiscal_years",
               "marts.fct_expenditure_by_function", "marts.fct_basic_expenditure_by_economic",
               "marts.fct_income_by_source", "marts.fct_three_public_expenses",
               "marts.fct_project_expenditure", "marts.fct_performance_target")
READING_THEM = ("marts.fct_budget_vs_final", "marts.dim_fiscal_year", "marts.dim_function_subject",
                "marts.dim_economic_subject", "marts.dim_department")


def _contents(warehouse: Path) -> dict[str, list[tuple]]:
    """Each model's rows (all columns but built_at), sorted."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        contents = {}
        for relation in BY_DOCUMENT + READING_THEM:
            schema, name = relation.split(".")
            columns = [c for (c,) in con.execute(
                "select column_name from information_schema.columns where table_schema = ? "
                "and table_name = ? and column_name <> 'built_at' order by ordinal_position",
                [schema, name]).fetchall()]
            rows = con.execute(f"select {', '.join(columns)} from {relation}").fetchall()
            contents[relation] = sorted(rows, key=repr)
        return contents
    finally:
        con.close()


def _loaded_corpus(tmp_path: Path) -> Path:
    """Two generated text documents extracted and staged in a new warehouse (nothing built yet)."""
    corpus, warehouse = tmp_path / "corpus", tmp_path / "w.duckdb"
    subprocess.run([sys.executable, "-m", "extractors.generator", "corpus", "--n", "2", "--seed", "3",
                    "--format", "text", "--out", str(corpus)], check=True, cwd=REPO, capture_output=True)
    documents = [InputDocument(p) for p in sorted(corpus.rglob("*.txt"))]
    load_dir(warehouse, tmp_path / "extracted", extract_all(documents, tmp_path / "extracted", workers=1))
    return warehouse


def _int_table_cells(warehouse: Path) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute("select document_id, table_index, row_index, col_index, raw_text, amount "
                           "from intermediate.int_table_cells order by all").fetchall()
    finally:
        con.close()


@pytest.mark.slow
def test_incremental_build_adds_only_new_documents_and_matches_a_full_rebuild(tmp_path):
    warehouse = _loaded_corpus(tmp_path)
    transform(warehouse)
    con = duckdb.connect(str(warehouse))
    # a mark on a built row: an incremental build leaves built documents alone, a full rebuild redoes them
    con.execute("update intermediate.int_table_cells set raw_text = 'built before' where row_index = 0")
    marked = con.execute("select count(*) from intermediate.int_table_cells where raw_text = 'built before'"
                         ).fetchone()[0]
    con.close()
    assert marked > 0

    replicate(warehouse, 6)
    transform(warehouse)
    incremental = _int_table_cells(warehouse)
    assert sum(1 for row in incremental if row[4] == "built before") == marked
    assert len({row[0] for row in incremental}) == 6

    full_rebuild(warehouse)
    rebuilt = _int_table_cells(warehouse)
    assert not any(row[4] == "built before" for row in rebuilt)
    unmarked = {row[:4] for row in incremental}
    assert {row[:4] for row in rebuilt} == unmarked and len(rebuilt) == len(incremental)
    assert [row[5] for row in rebuilt] == [row[5] for row in incremental]


def _budget_with_expenditure_table(con) -> str:
    """A loaded budget document with a general-budget expenditure table (what fct_budget_vs_final pairs)."""
    return con.execute(
        "select d.document_id from staging.documents d join staging.tables t using (document_id) "
        "where d.status = 'loaded' and d.document_type = 'budget' "
        "and t.table_type = 'general_budget_expenditure' order by d.document_id desc limit 1").fetchone()[0]


@pytest.mark.slow
def test_incremental_build_follows_re_extractions_and_removals_and_equals_a_full_rebuild(tmp_path):
    warehouse = _loaded_corpus(tmp_path)
    replicate(warehouse, 8)
    transform(warehouse)
    replicate(warehouse, 12)  # new documents
    con = duckdb.connect(str(warehouse))
    reextracted, rejected, removed = (r[0] for r in con.execute(
        "select document_id from staging.documents where status = 'loaded' order by document_id limit 3"
    ).fetchall())
    # a new extractor version re-stages a document with other amounts, another is now rejected, a third
    # is gone from staging altogether
    con.execute("update staging.documents set extractor_version = 'next' where document_id = ?",
                [reextracted])
    con.execute("update staging.cells set amount = amount + 1 where document_id = ? and amount is not null",
                [reextracted])
    con.execute("update staging.documents set status = 'rejected', error_code = 'unreadable' "
                "where document_id = ?", [rejected])
    for table in ("cells", "tables", "narrative_figures", "extraction_issues", "documents"):
        con.execute(f"delete from staging.{table} where document_id = ?", [removed])
    # a revised disclosure of a built document (same department, year and type; new bytes, loaded later)
    # supersedes it: fct_budget_vs_final must now pair the revision's figures
    revised, revision = _budget_with_expenditure_table(con), "r" * 16
    con.execute("insert into staging.documents select * replace (? as document_id, ? as sha256, "
                "loaded_at + interval 1 day as loaded_at) from staging.documents where document_id = ?",
                [revision, revision * 4, revised])
    for table in ("cells", "tables", "narrative_figures", "extraction_issues"):
        con.execute(f"insert into staging.{table} select * replace (? as document_id) from staging.{table} "
                    "where document_id = ?", [revision, revised])
    con.execute("update staging.cells set amount = amount * 2 where document_id = ?", [revision])
    built_before = con.execute("select count(*) from build_state.int_table_cells").fetchone()[0]
    con.close()
    assert built_before == 8  # the state the incremental build compares with: one row per document built

    result = transform(warehouse)
    assert result.tests > 0
    incremental = _contents(warehouse)
    con = duckdb.connect(str(warehouse), read_only=True)
    rebuilt = {r[0] for r in con.execute(
        "select document_id from build_state.int_table_cells where built_at = (select max(built_at) "
        "from build_state.int_table_cells)").fetchall()}
    con.close()
    # the 4 new documents, the re-extracted one and the revision
    assert len(rebuilt) == 6 and {reextracted, revision} <= rebuilt

    full_rebuild(warehouse)
    rebuilt_in_full = _contents(warehouse)
    for relation in BY_DOCUMENT + READING_THEM:
        assert incremental[relation] == rebuilt_in_full[relation], relation
    cells = incremental["intermediate.int_table_cells"]
    assert len({row[0] for row in cells}) == 11
    pairs = incremental["marts.fct_budget_vs_final"]
    assert any(revision in row for row in pairs) and not any(revised in row for row in pairs)
    assert rejected not in {row[0] for row in cells} and removed not in {row[0] for row in cells}
    assert all(len(incremental[r]) > 0 for r in BY_DOCUMENT + READING_THEM)


def test_a_step_in_its_own_process_reports_its_own_peak_memory():
    from bench.marts import in_own_process

    held = bytearray(600 * 1024**2)  # the parent is large when it spawns: its child does not inherit that
    seconds, peak = in_own_process(bytearray, 300 * 1024**2)
    assert 300 <= peak < 600 and seconds >= 0
    _, small = in_own_process(bytearray, 1024)
    assert small < 200
    del held

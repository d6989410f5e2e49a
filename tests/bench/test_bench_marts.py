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


def _int_table_cells(warehouse: Path) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute("select document_id, table_index, row_index, col_index, raw_text, amount "
                           "from intermediate.int_table_cells order by all").fetchall()
    finally:
        con.close()


@pytest.mark.slow
def test_incremental_build_adds_only_new_documents_and_matches_a_full_rebuild(tmp_path):
    corpus, warehouse = tmp_path / "corpus", tmp_path / "w.duckdb"
    subprocess.run([sys.executable, "-m", "extractors.generator", "corpus", "--n", "2", "--seed", "3",
                    "--format", "text", "--out", str(corpus)], check=True, cwd=REPO, capture_output=True)
    documents = [InputDocument(p) for p in sorted(corpus.rglob("*.txt"))]
    load_dir(warehouse, tmp_path / "extracted", extract_all(documents, tmp_path / "extracted", workers=1))
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

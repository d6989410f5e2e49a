"""Write–audit–publish on a small real warehouse: refusal rules, atomic replacement, all targets agree."""

from __future__ import annotations

import json
import stat
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from extractors.load import connect
from extractors.publish import PublishRefused, current, prepare_audit, publish

RUN = "run-1"


def _audit(path: Path, amount: str = "12.34", rows: int = 3, with_results: bool = True) -> Path:
    con = connect(str(path))
    con.execute("create schema if not exists marts")
    con.execute("create or replace table marts.fct_demo (document_id varchar, amount decimal(18,2), "
                "note varchar, is_prior_year boolean)")
    con.executemany("insert into marts.fct_demo values (?, ?, ?, ?)",
                    [(f"d{i}", Decimal(amount) + i, "" if i == 0 else None, i % 2 == 0) for i in range(rows)])
    con.execute("insert into staging.documents (document_id, sha256, status, extractor_version) "
                "values ('d0', 'x', 'loaded', '1')")
    if with_results:
        con.execute("insert into validation.rule_results (run_id, rule_id, rule_kind, severity, passed) "
                    "values (?, 'R1', 'row_sum', 'error', false)", [RUN])
    con.close()
    return path


def _amounts(warehouse: Path) -> list[Decimal]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = con.execute("select amount from marts.fct_demo order by document_id").fetchall()
        return [amount for (amount,) in rows]
    finally:
        con.close()


def test_refuses_when_validation_did_not_run(tmp_path):
    audit = _audit(tmp_path / "audit.duckdb")
    with pytest.raises(PublishRefused, match="validation did not run"):
        publish(audit, tmp_path / "pub", run_id=RUN, validation_errors=None)
    assert not (tmp_path / "pub" / "warehouse.duckdb").exists()


def test_refuses_without_rule_results_for_the_run(tmp_path):
    audit = _audit(tmp_path / "audit.duckdb", with_results=False)
    with pytest.raises(PublishRefused, match="no rule results for this run"):
        publish(audit, tmp_path / "pub", run_id=RUN, validation_errors=0)


def test_findings_publish_by_default_but_not_when_clean_is_required(tmp_path):
    audit = _audit(tmp_path / "audit.duckdb")
    with pytest.raises(PublishRefused, match="1 error-level rule"):
        publish(audit, tmp_path / "pub", run_id=RUN, validation_errors=1, requires_clean=True)
    publication = publish(audit, tmp_path / "pub", run_id=RUN, validation_errors=1)
    assert publication.validation_errors == 1
    assert publication.marts == {"fct_demo": 3}


def test_publish_writes_read_only_warehouse_parquet_and_manifest(tmp_path):
    pub = tmp_path / "pub"
    publish(_audit(tmp_path / "audit.duckdb"), pub, run_id=RUN, validation_errors=0)
    published = pub / "warehouse.duckdb"
    assert stat.S_IMODE(published.stat().st_mode) == 0o444
    assert _amounts(published) == [Decimal("12.34"), Decimal("13.34"), Decimal("14.34")]
    assert (pub / "parquet").is_symlink()
    parquet = pub / "parquet" / "fct_demo.parquet"
    con = duckdb.connect()
    rows = con.execute(f"select amount, note from '{parquet}' order by amount").fetchall()
    assert rows == [(Decimal("12.34"), ""), (Decimal("13.34"), None), (Decimal("14.34"), None)]
    assert con.execute(f"describe select amount from '{parquet}'").fetchone()[1] == "DECIMAL(18,2)"
    manifest = json.loads((pub / "publication.json").read_text())
    assert manifest["run_id"] == RUN and manifest["marts"] == {"fct_demo": 3}
    assert current(pub).run_id == RUN


def test_reader_of_old_publication_keeps_reading_it(tmp_path):
    pub = tmp_path / "pub"
    publish(_audit(tmp_path / "a1.duckdb", amount="1.00"), pub, run_id=RUN, validation_errors=0)
    reader = duckdb.connect(str(pub / "warehouse.duckdb"), read_only=True)
    try:
        publish(_audit(tmp_path / "a2.duckdb", amount="5.00", rows=4), pub, run_id=RUN, validation_errors=0)
        assert reader.execute("select sum(amount) from marts.fct_demo").fetchone()[0] == Decimal("6.00")
    finally:
        reader.close()
    assert _amounts(pub / "warehouse.duckdb")[-1] == Decimal("8.00")
    # only the live parquet version is kept
    assert sorted(p.name for p in pub.iterdir() if p.name.startswith("parquet")) == \
        ["parquet", (pub / "parquet").resolve().name]


def test_failed_publication_leaves_the_last_one_untouched_and_the_next_completes(tmp_path):
    pub = tmp_path / "pub"
    publish(_audit(tmp_path / "a1.duckdb", amount="1.00"), pub, run_id=RUN, validation_errors=0)
    before = (pub / "parquet").resolve()
    with pytest.raises(Exception, match="could not connect|connection"):
        publish(_audit(tmp_path / "a2.duckdb", amount="9.00"), pub, run_id=RUN, validation_errors=0,
                postgres_uri="postgresql://nobody@127.0.0.1:1/none?connect_timeout=2")
    assert _amounts(pub / "warehouse.duckdb")[0] == Decimal("1.00")
    assert (pub / "parquet").resolve() == before
    assert not [p for p in pub.iterdir() if p.name.startswith(".incoming-")]
    publish(_audit(tmp_path / "a3.duckdb", amount="7.00"), pub, run_id=RUN, validation_errors=0)
    assert _amounts(pub / "warehouse.duckdb")[0] == Decimal("7.00")


def test_prepare_audit_starts_from_a_writable_copy_of_the_publication(tmp_path):
    pub = tmp_path / "pub"
    assert not prepare_audit(pub / "warehouse.duckdb", tmp_path / "r0" / "audit.duckdb").exists()
    publish(_audit(tmp_path / "a1.duckdb", amount="3.00"), pub, run_id=RUN, validation_errors=0)
    audit = prepare_audit(pub / "warehouse.duckdb", tmp_path / "r1" / "audit.duckdb")
    con = duckdb.connect(str(audit))
    con.execute("update marts.fct_demo set amount = 0")
    con.close()
    assert _amounts(pub / "warehouse.duckdb")[0] == Decimal("3.00")


@pytest.mark.services
def test_postgres_marts_are_swapped_in_whole(tmp_path, bi_postgres):
    import psycopg2

    pub = tmp_path / "pub"
    admin = psycopg2.connect(bi_postgres)
    with admin, admin.cursor() as cur:  # a login like compose's bi_reader, with no rights of its own
        cur.execute("drop role if exists budgetwh_test_reader")
        cur.execute("create role budgetwh_test_reader login")
    admin.close()
    for audit in (_audit(tmp_path / "a1.duckdb", "1.00"), _audit(tmp_path / "a2.duckdb", "2.50", rows=5)):
        publish(audit, pub, run_id=RUN, validation_errors=0, postgres_uri=bi_postgres,
                postgres_reader="budgetwh_test_reader")
    pg = psycopg2.connect(bi_postgres, user="budgetwh_test_reader")
    with pg.cursor() as cur:
        cur.execute("select count(*), sum(amount), count(*) filter (where note = ''), "
                    "count(*) filter (where note is null), count(*) filter (where is_prior_year) "
                    "from marts.fct_demo")
        assert cur.fetchone() == (5, Decimal("22.50"), 1, 4, 3)
        cur.execute("select data_type, numeric_precision, numeric_scale from information_schema.columns "
                    "where table_schema = 'marts' and table_name = 'fct_demo' and column_name = 'amount'")
        assert cur.fetchone() == ("numeric", 18, 2)
        cur.execute("select schema_name from information_schema.schemata where schema_name like 'marts%'")
        assert [r[0] for r in cur.fetchall()] == ["marts"]
    pg.close()


def test_data_docs_of_the_validation_are_published_beside_the_marts(tmp_path):
    from expectations.runner import data_docs_index

    audit = _audit(tmp_path / "audit.duckdb")
    index = data_docs_index(audit)
    index.parent.mkdir(parents=True)
    index.write_text("<html>validation results</html>")
    publication = publish(audit, tmp_path / "pub", run_id=RUN, validation_errors=0)
    published = Path(publication.docs_dir, "data_quality", "index.html")
    assert published.read_text() == "<html>validation results</html>"

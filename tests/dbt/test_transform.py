"""extractors.transform: what a failed or impossible build tells the caller."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from dbt_sample import sample_budget

from extractors.load import connect, load_extraction
from extractors.orchestration_config import dbt_project_dir
from extractors.transform import TransformError, _release_warehouse, build, main


def test_missing_warehouse_is_a_clear_error(tmp_path: Path):
    with pytest.raises(TransformError, match="does not exist: load staging"):
        build(tmp_path / "absent.duckdb")


def test_failing_test_is_named(warehouse: Path):
    con = connect(str(warehouse))
    con.execute("insert into staging.documents (document_id, sha256, status, extractor_version) "
                "values ('baddocument00001', 'ab', 'half-loaded', '1')")
    con.close()
    with pytest.raises(TransformError) as raised:
        build(warehouse, select="stg_staging__documents stg_staging__tables")
    status_test = "accepted_values_stg_staging__documents_status__loaded__rejected"
    assert raised.value.failed_nodes == (status_test,)
    assert f"test {status_test}: Got 1 result" in str(raised.value)


def test_empty_warehouse_builds_and_counts(warehouse: Path, capsys):
    connect(str(warehouse)).close()
    assert main([str(warehouse), "--select", "stg_staging__documents stg_staging__tables"]) == 0
    assert capsys.readouterr().out.startswith("built 2 models, 0 seeds; ")


def test_warnings_are_reported_not_raised(warehouse: Path):
    con = connect(str(warehouse))
    load_extraction(con, sample_budget())
    # the same item printed twice in the function table, with another figure
    con.execute("""
        insert into staging.cells
        select * replace (row_index + 100 as row_index, amount + 1 as amount)
        from staging.cells where table_index = 2 and row_code = '2010301'
    """)
    con.close()
    result = build(warehouse, exclude="tag:post_validation", unit_tests=True)  # as CI runs them
    assert result.warned_tests == ("assert_one_cell_per_pivoted_measure",)
    # every csv of dbt_project/seeds, and the unit tests of the models built before validation
    seeds = len(list((dbt_project_dir() / "seeds").glob("*.csv")))
    assert (seeds, result.seeds, result.unit_tests) == (9, 9, 12)
    assert result.models >= 19 and result.tests > 100


def test_a_cell_staged_twice_fails_the_build(warehouse: Path):
    """staging.cells has no primary key (its index would grow with every cell): the key is dbt's test on
    the cells a build brings in, and a duplicate fails the build by name."""
    con = connect(str(warehouse))
    load_extraction(con, sample_budget())
    con.execute("insert into staging.cells select * from staging.cells "
                "where table_index = 2 and row_code = '2010301' limit 1")
    con.close()
    with pytest.raises(TransformError) as raised:
        build(warehouse, exclude="tag:post_validation")
    assert raised.value.failed_nodes == (
        "unique_combination_of_columns_int_table_cells_document_id__table_index__row_index__col_index",)


def test_a_warehouse_staged_with_keys_keeps_its_rows_without_them(warehouse: Path):
    con = connect(str(warehouse))
    load_extraction(con, sample_budget())
    staged = {table: con.execute(f"select * from staging.{table} order by all").fetchall()
              for table in ("tables", "cells")}
    # the keys the DDL declared before
    con.execute("alter table staging.tables add primary key (document_id, table_index)")
    con.execute("alter table staging.cells add primary key (document_id, table_index, row_index, col_index)")
    con.close()

    con = connect(str(warehouse))
    keys = con.execute("select table_name from duckdb_constraints() where schema_name = 'staging' "
                       "and constraint_type = 'PRIMARY KEY'").fetchall()
    assert keys == [("documents",)]
    assert {table: con.execute(f"select * from staging.{table} order by all").fetchall()
            for table in ("tables", "cells")} == staged
    assert len(staged["cells"]) > 100
    assert con.execute("select count(*) from duckdb_tables() where schema_name = 'staging' "
                       "and table_name like '%_keyed'").fetchone()[0] == 0
    con.close()


def test_nothing_built_before_validation_depends_on_its_results(tmp_path: Path, monkeypatch):
    from dbt.cli.main import dbtRunner

    monkeypatch.setenv("BUDGETWH_WAREHOUSE", str(tmp_path / "unused.duckdb"))

    def models(selector: str) -> set[str]:
        listed = dbtRunner().invoke([
            "ls", "--project-dir", str(dbt_project_dir()), "--profiles-dir", str(dbt_project_dir()),
            "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs"), "--quiet",
            "--resource-type", "model", "--output", "name", "--select", selector,
        ])
        assert listed.success, listed.exception
        return set(listed.result)

    # dim_document carries each document's findings; the analyst layer reads dim_document and the findings
    assert models("tag:post_validation") == {
        "fct_reconciliation_result", "dim_document", "int_analyst_figures", "analyst_figures",
        "analyst_prior_year_figures", "analyst_budget_vs_final", "analyst_three_public_by_year",
        "analyst_findings", "analyst_publisher_scorecard",
    }
    assert models("tag:post_validation+") == models("tag:post_validation")


def test_one_memory_limit_caps_dbt_and_the_loader(warehouse: Path, monkeypatch):
    """BUDGETWH_MEMORY_LIMIT caps DuckDB in the loader and validation (``load.connect``) and in dbt (the
    profile), with the same default in both when unset."""
    from dbt.cli.main import dbtRunner

    from extractors.load import DEFAULT_MEMORY_LIMIT, MEMORY_LIMIT_ENV

    def limits() -> tuple[str, str]:
        con = connect(str(warehouse))
        loader = con.execute("select current_setting('memory_limit')").fetchone()[0]
        con.close()
        shown = dbtRunner().invoke([
            "show", "--inline", "select current_setting('memory_limit') as m", "--project-dir",
            str(dbt_project_dir()), "--profiles-dir", str(dbt_project_dir()), "--target-path",
            str(warehouse.parent / "target"), "--log-path", str(warehouse.parent / "logs"), "--quiet"])
        _release_warehouse()  # as build() does: dbt-duckdb keeps the database open, its settings pinned
        assert shown.success, shown.exception
        return loader, shown.result.results[0].agate_table.rows[0][0]

    monkeypatch.setenv("BUDGETWH_WAREHOUSE", str(warehouse))
    monkeypatch.setenv(MEMORY_LIMIT_ENV, "300MB")
    assert limits() == ("286.1 MiB", "286.1 MiB")
    monkeypatch.delenv(MEMORY_LIMIT_ENV)
    loader, dbt = limits()
    assert loader == dbt == "953.6 MiB"  # 1GB, DEFAULT_MEMORY_LIMIT
    assert DEFAULT_MEMORY_LIMIT == "1GB"


def test_a_runtime_error_keeps_its_cause():
    from extractors.transform import _short_message

    message = ("Runtime Error in model int_table_cells (models/intermediate/int_table_cells.sql)\n"
               "  Out of Memory Error: could not allocate block of size 256.0 KiB\n"
               "  \n  Possible solutions:\n  * Reducing the number of threads")
    assert _short_message(message) == (
        "Runtime Error in model int_table_cells (models/intermediate/int_table_cells.sql) "
        "Out of Memory Error: could not allocate block of size 256.0 KiB")
    assert _short_message("Got 1 result, configured to fail if != 0\n\ncompiled code at …") == (
        "Got 1 result, configured to fail if != 0")
    assert _short_message(None) == _short_message("  ") == "failed"


def test_a_warehouse_connection_writes_no_progress_bar_into_a_log(tmp_path):
    """A process whose output goes to a log (a task's, the bench's), not a terminal: DuckDB would
    otherwise draw its bars there, as it does by default."""
    setting = ".execute(\"select current_setting('enable_progress_bar')\").fetchone()[0]"
    code = (f"import sys, duckdb; from extractors.load import connect\n"
            f"print(duckdb.connect(){setting}); print(connect(sys.argv[1]){setting})")
    shown = subprocess.run([sys.executable, "-c", code, str(tmp_path / "w.duckdb")], capture_output=True,
                           text=True, check=True, cwd=dbt_project_dir().parent).stdout.split()
    assert shown == ["True", "False"]  # DuckDB's default, then the warehouse connection's


def _dbt_test(warehouse: Path, select: str, *extra: str) -> dict[str, str]:
    """``dbt test`` on ``warehouse``: each test's status by name."""
    import os
    import tempfile

    from dbt.cli.main import dbtRunner

    from extractors.transform import WAREHOUSE_ENV, dbt_arguments

    with tempfile.TemporaryDirectory(prefix="budgetwh-dbt-test-") as work_dir:
        os.environ[WAREHOUSE_ENV] = str(warehouse)
        try:
            outcome = dbtRunner().invoke([*dbt_arguments("test", Path(work_dir), select, None), *extra])
        finally:
            _release_warehouse()
            del os.environ[WAREHOUSE_ENV]
    assert outcome.exception is None, outcome.exception
    return {r.node.name: str(r.status) for r in outcome.result.results}


def test_data_tests_of_a_model_built_by_document_check_its_last_build(warehouse: Path):
    """The rows an earlier build wrote are not tested again (a nightly build tests what it wrote);
    ``whole_table_tests`` tests them. A test's own condition (here: printed totals have no subject in
    the dimension) holds within the last build."""
    con = connect(str(warehouse))
    load_extraction(con, sample_budget())
    con.close()
    first = build(warehouse, exclude="tag:post_validation")
    assert first.unit_tests == 0 and first.tests > 100  # the pipeline's builds test data, not SQL
    con = connect(str(warehouse))
    # a row of an earlier build each: a 三公 line without its department, a function line whose code is
    # in no dimension
    for model, broken in (("fct_three_public_expenses", "null as department_id"),
                          ("fct_expenditure_by_function", "'2999999' as subject_code")):
        con.execute(f"insert into marts.{model} select * replace ({broken}, built_at - interval 1 day as "
                    f"built_at) from marts.{model} limit 1")
    assert con.execute("select count(*) from marts.fct_expenditure_by_function where subject_code = 'total' "
                       "and built_at = (select max(built_at) from marts.fct_expenditure_by_function)"
                       ).fetchone()[0] > 0
    con.close()
    select = "fct_three_public_expenses fct_expenditure_by_function"
    not_null = "not_null_fct_three_public_expenses_department_id"

    def subject_test(statuses: dict[str, str]) -> str:
        (name,) = [n for n in statuses if n.startswith("relationships_fct_expenditure_by_function_subject_")]
        return statuses[name]

    last_build = _dbt_test(warehouse, select)
    assert last_build[not_null] == "pass" and subject_test(last_build) == "pass"
    assert set(last_build.values()) <= {"pass", "warn"}
    whole = _dbt_test(warehouse, select, "--vars", "{whole_table_tests: true}")
    assert whole[not_null] == "fail" and subject_test(whole) in {"fail", "warn"}


def test_a_process_parses_the_project_once_per_warehouse_name(warehouse: Path, tmp_path: Path):
    """The second build of a run starts from the manifest the first one parsed, and builds its own rows
    (built_at: that build's start); a warehouse of another name gets a manifest of its own database."""
    from extractors import transform

    def stage_and_build(extraction) -> object:
        with connect(str(warehouse)) as con:
            load_extraction(con, extraction)
        build(warehouse, exclude="tag:post_validation")
        with connect(str(warehouse)) as con:
            return con.execute("select max(built_at) from marts.fct_expenditure_by_function").fetchone()[0]

    first = stage_and_build(sample_budget())
    (parsed,) = [m for k, m in transform._MANIFESTS.items() if k[0] == "warehouse"]
    second = stage_and_build(sample_budget(sha256="b" * 64, department_name="另一个部门"))
    assert [m for k, m in transform._MANIFESTS.items() if k[0] == "warehouse"] == [parsed]
    assert second > first
    assert parsed.nodes["model.budgetwh.fct_expenditure_by_function"].database == "warehouse"

    other = tmp_path / "other.duckdb"
    connect(str(other)).close()
    build(other, select="stg_staging__documents stg_staging__tables")
    (theirs,) = [m for k, m in transform._MANIFESTS.items() if k[0] == "other"]
    assert theirs.nodes["model.budgetwh.stg_staging__documents"].database == "other"

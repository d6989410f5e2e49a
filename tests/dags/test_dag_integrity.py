"""Every DAG imports cleanly and cheaply and is production-shaped; the nightly DAG runs end to end.

DAGs are parsed in a fresh interpreter with its own AIRFLOW_HOME (as the DAG processor would), which
also shows what parsing imported. The end-to-end run is ``airflow dags test`` on the embedded default
(SQLite metadata DB, tasks in-process) with the generator's sample documents as the inbox.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from airflow_run import REPO, airflow

from bench.nightly import airflow_env
from extractors.pipeline import discover

DAG_ID = "budget_disclosures_nightly"
HEAVY = ("duckdb", "pandas", "dbt", "great_expectations", "pdfplumber", "psycopg2", "pyarrow")
# one worker sets up the module's fixtures: tests of a module spread over both would build them twice
pytestmark = pytest.mark.xdist_group("dag_integrity")

PROBE = f"""
import json, sys
from airflow.dag_processing.dagbag import DagBag
bag = DagBag(dag_folder={str(REPO / "dags")!r})
print(json.dumps({{
    "import_errors": {{str(k): str(v) for k, v in bag.import_errors.items()}},
    "heavy_modules": [m for m in {HEAVY!r} if m in sys.modules],
    "dags": {{dag_id: {{
        "tags": sorted(dag.tags), "doc_md": bool(dag.doc_md), "schedule": str(dag.schedule),
        "timezone": str(dag.timezone), "catchup": dag.catchup, "max_active_runs": dag.max_active_runs,
        "tasks": {{t.task_id: {{
            "owner": t.owner, "retries": t.retries, "timeout": bool(t.execution_timeout),
            "exponential_backoff": t.retry_exponential_backoff, "on_failure": bool(t.on_failure_callback),
            "pool": t.pool, "mapped": bool(getattr(t, "is_mapped", False)),
            "upstream": sorted(t.upstream_task_ids),
            "all_upstream": sorted(t.get_flat_relative_ids(upstream=True)),
        }} for t in dag.tasks}},
    }} for dag_id, dag in bag.dags.items()}},
}}))
"""


@pytest.fixture(scope="module")
def parsed(tmp_path_factory) -> dict:
    env = airflow_env(tmp_path_factory.mktemp("airflow-home"))
    del env["BUDGETWH_TASK_RETRIES"]  # production defaults
    airflow(env, "db", "migrate")  # Cosmos keeps its `dbt ls` cache in Airflow Variables
    result = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True,
                            timeout=300, cwd=env["AIRFLOW_HOME"])
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_every_dag_imports_without_errors(parsed):
    assert parsed["import_errors"] == {}
    assert DAG_ID in parsed["dags"]


def test_dag_files_import_no_heavy_modules(parsed):
    """The DAG processor parses every few seconds: heavy imports belong inside tasks."""
    assert parsed["heavy_modules"] == []


def test_every_task_has_owner_retries_timeout_and_alerting(parsed):
    for dag_id, dag in parsed["dags"].items():
        assert dag["tags"] and dag["doc_md"], dag_id
        for task_id, task in dag["tasks"].items():
            where = f"{dag_id}.{task_id}"
            assert task["owner"] not in ("", "airflow"), f"{where}: set an owner"
            assert task["retries"] >= 1 and task["exponential_backoff"], f"{where}: retry with backoff"
            assert task["timeout"], f"{where}: no execution timeout"
            assert task["on_failure"], f"{where}: failures would go unnoticed"


def test_nightly_schedule_and_write_audit_publish_shape(parsed):
    dag = parsed["dags"][DAG_ID]
    assert (dag["schedule"], dag["timezone"]) == ("30 2 * * *", "Asia/Shanghai")
    assert dag["catchup"] is False and dag["max_active_runs"] == 1
    tasks = dag["tasks"]
    assert tasks["extract"]["mapped"], "one extract task per document (dynamic task mapping)"
    dbt_tasks = [t for t in tasks if t.startswith("dbt.")]
    assert len(dbt_tasks) >= 10, "one Cosmos task per dbt model"
    writers = ["collect", "load", "validate", "finalize", "publish", *dbt_tasks]
    assert {tasks[t]["pool"] for t in writers} == {"budgetwh_warehouse"}, "DuckDB has one writer at a time"
    assert set(dbt_tasks) <= set(tasks["validate"]["all_upstream"])
    assert {"load", "extract", "collect", "prepare"} <= set(tasks["validate"]["all_upstream"])
    assert {"validate", "finalize"} <= set(tasks["publish"]["upstream"])
    assert tasks["announce"]["upstream"] == ["publish"]


@pytest.fixture(scope="module")
def sample_inbox(tmp_path_factory) -> Path:
    inbox = tmp_path_factory.mktemp("inbox")
    subprocess.run([sys.executable, "-m", "extractors.generator", "samples", "--out", str(inbox)],
                   check=True, capture_output=True, timeout=120)
    return inbox


def published_counts(published: Path) -> dict[str, tuple[int, int]]:
    """Rows per mart in the published DuckDB file and in its Parquet export."""
    manifest = json.loads((published / "publication.json").read_text())
    con = duckdb.connect(str(published / "warehouse.duckdb"), read_only=True)
    count = lambda relation: con.execute(f"select count(*) from {relation}").fetchone()[0]  # noqa: E731
    try:
        return {mart: (count(f"marts.{mart}"), count(f"'{published / 'parquet' / mart}.parquet'"))
                for mart in manifest["marts"]}
    finally:
        con.close()


@pytest.mark.slow
def test_dags_test_runs_the_whole_pipeline_on_the_sample_inbox(tmp_path, sample_inbox):
    env = airflow_env(tmp_path)
    airflow(env, "db", "migrate")
    airflow(env, "dags", "test", DAG_ID, "-c", json.dumps({"inbox": str(sample_inbox)}), timeout=900)
    published = tmp_path / "data" / "published"
    manifest = json.loads((published / "publication.json").read_text())
    counts = published_counts(published)
    assert {mart: rows for mart, (rows, _) in counts.items()} == manifest["marts"]
    assert all(duck == parquet for duck, parquet in counts.values())
    assert manifest["marts"]["dim_document"] == len(discover([sample_inbox]))
    assert manifest["marts"]["fct_expenditure_by_function"] > 0
    assert manifest["marts"]["fct_reconciliation_result"] > 0
    assert (published / "docs" / "static_index.html").stat().st_size > 10_000
    assert list((tmp_path / "data" / "runs").iterdir()) == [], "a published run removes its working files"

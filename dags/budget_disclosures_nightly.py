"""# budget_disclosures_nightly

Nightly (02:30 Asia/Shanghai) ingestion of department budget / final-account disclosures as
write–audit–publish: **prepare** an AUDIT copy of the published warehouse → **collect** documents (crawl
`BUDGETWH_SOURCES`; else the inbox: param `inbox`, Variable `budgetwh_inbox`, or
`$BUDGETWH_DATA_DIR/inbox`; bytes already staged are skipped) → **extract** (one mapped task per new
document, no database; nothing new: the run ends here, publication unchanged) → **load** → **dbt**
(Cosmos, one task per model) → **validate** (rule catalogue + GE) → **finalize** (prunes the passing
places of superseded runs, then the dbt models on the results, then one alert of the run's new error
findings) → **publish** (DuckDB file, Parquet, PostgreSQL `marts`, dbt docs, the evidence site; each
swapped atomically, a failed run changes nothing) → **announce**. Findings about documents are data and
are published unless `BUDGETWH_PUBLISH_REQUIRES_CLEAN`. Warehouse writers share the one-slot pool
`budgetwh_warehouse`. Backfill: `airflow backfill create --dag-id budget_disclosures_nightly --from-date
A --to-date B`. Without Airflow: `python -m extractors.pipeline …`, `python -m extractors.publish …`
(docs/deploy.md).
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import Param, Variable, dag, task
from cosmos import DbtTaskGroup, ExecutionConfig, ProfileConfig, ProjectConfig, RenderConfig
from cosmos.constants import InvocationMode, LoadMode, TestBehavior, TestIndirectSelection

from extractors import orchestration_config as oc

CONFIG = oc.load()


def alert_failure(context) -> None:
    from expectations.alerts import announce

    ti = context["ti"]
    announce(f"budgetwh: {ti.task_id} failed in {ti.run_id}: {context.get('exception')}",
             CONFIG.alert_webhook_url)


@dag(schedule="30 2 * * *", start_date=pendulum.datetime(2026, 1, 1, tz=oc.DAG_TIMEZONE), catchup=False,
     max_active_runs=1, dagrun_timeout=timedelta(hours=6), doc_md=__doc__,
     tags=["budgetwh", "ingestion", "write-audit-publish"],
     params={"inbox": Param(None, type=["null", "string"], description="folder of documents to ingest")},
     default_args={"owner": "budgetwh", "retries": CONFIG.task_retries, "retry_delay": timedelta(minutes=1),
                   "retry_exponential_backoff": True, "max_retry_delay": timedelta(minutes=30),
                   "execution_timeout": timedelta(hours=1), "on_failure_callback": alert_failure})
def budget_disclosures_nightly():
    @task
    def prepare(run_id=None) -> dict:
        from extractors.publish import start_run
        return start_run(CONFIG, run_id)

    @task(pool=oc.WAREHOUSE_POOL)
    def collect(run: dict, params=None) -> list[dict]:
        from extractors.pipeline import InputDocument, discover, documents_from_paths, split_already_extracted
        if CONFIG.sources_file and not params["inbox"]:
            from extractors.crawl import crawl
            crawled = crawl(CONFIG.sources_file, run["audit"], CONFIG.archive_dir).new_files
            documents = [InputDocument(f.path, f.source_url, f.metadata) for f in crawled]
        else:
            inbox = params["inbox"] or Variable.get("budgetwh_inbox", default=str(CONFIG.inbox_dir))
            documents = documents_from_paths(discover([inbox]))
        pending, _already_staged = split_already_extracted(run["audit"], documents)
        return [{"path": str(d.path), "source_url": d.source_url, "metadata": d.metadata,
                 "parts": [str(p) for p in d.parts]} for d in pending]

    @task(execution_timeout=timedelta(minutes=16))  # the extraction limits' ceiling is 15
    def extract(document: dict, run: dict) -> str:
        from pathlib import Path

        from extractors.pipeline import InputDocument, extract_all  # a supervised worker, as the CLI
        doc = InputDocument(Path(document["path"]), document["source_url"], document["metadata"],
                            tuple(map(Path, document["parts"])))
        return extract_all([doc], Path(run["extracted"]), workers=1)[0]

    @task(pool=oc.WAREHOUSE_POOL)
    def load(document_ids: list[str], run: dict) -> int:
        from extractors.pipeline import load_dir
        return load_dir(run["audit"], run["extracted"], document_ids, discard=True)

    dbt = DbtTaskGroup(
        group_id="dbt",
        project_config=ProjectConfig(CONFIG.dbt_project_dir, install_dbt_deps=False),
        profile_config=ProfileConfig(profile_name="budgetwh", target_name="warehouse",
                                     profiles_yml_filepath=CONFIG.dbt_profiles_dir / "profiles.yml"),
        # One `dbt build` per model; tests spanning models (relationships) run as tasks of their own.
        execution_config=ExecutionConfig(invocation_mode=InvocationMode.DBT_RUNNER,
                                         test_indirect_selection=TestIndirectSelection.CAUTIOUS),
        # `dbt ls` in a subprocess: parsing the DAG never imports dbt.
        render_config=RenderConfig(load_method=LoadMode.DBT_LS, invocation_mode=InvocationMode.SUBPROCESS,
                                   dbt_executable_path=oc.DBT_EXECUTABLE, exclude=["tag:post_validation"],
                                   test_behavior=TestBehavior.BUILD,
                                   should_detach_multiple_parents_tests=True),
        # dbt's unit tests check SQL, not the night's data: CI runs them (extractors/transform.py). No
        # Airflow assets: their names would be the run's audit file, a new asset every night.
        operator_args={"pool": oc.WAREHOUSE_POOL, "install_deps": False, "emit_datasets": False,
                       "dbt_cmd_flags": ["--exclude-resource-type", "unit_test"],
                       "env": {"BUDGETWH_WAREHOUSE": "{{ ti.xcom_pull(task_ids='prepare')['audit'] }}"}})

    @task(pool=oc.WAREHOUSE_POOL)
    def validate(run: dict, document_ids: list[str]) -> int:
        from extractors.pipeline import validate  # scoped to the new documents and their neighbours
        return validate(run["audit"], run["run_id"], list(document_ids)).errors

    @task(pool=oc.WAREHOUSE_POOL)
    def finalize(run: dict) -> None:
        from extractors.pipeline import alert, finalize
        finalize(run["audit"])
        alert(run["audit"], run["run_id"])  # the new error findings, linked to BUDGETWH_EVIDENCE_BASE_URL

    @task(pool=oc.WAREHOUSE_POOL)
    def publish(run: dict, validation_errors: int) -> dict:
        from extractors.publish import publish_run
        return publish_run(CONFIG, run, validation_errors)

    @task
    def announce(publication: dict) -> None:
        from expectations.alerts import announce as alert
        alert(f"budgetwh: published {publication['run_id']} with {publication['validation_errors']} "
              f"error-level finding(s); marts {publication['marts']}", CONFIG.alert_webhook_url)

    run = prepare()
    extracted = extract.partial(run=run).expand(document=collect(run))
    errors = validate(run, extracted)
    published = publish(run, errors)
    loaded = load(extracted, run)
    loaded >> dbt >> errors >> finalize(run) >> published
    announce(published)


budget_disclosures_nightly()

"""The Celery configuration of the deployment (``[celery] celery_config_options``, set in
docker-compose.yml): Airflow's own, with a worker that imports the DAG's libraries once.

Airflow's Celery worker runs each task in a process forked from a pool process, which is forked from the
worker (``airflow.sdk.execution_time.supervisor``). Airflow preloads its own operators in the worker on
Celery's ``import_modules`` signal for that reason; this module does the same for what every task of
``budget_disclosures_nightly`` imports: Cosmos when it parses the DAG file, and dbt with its DuckDB
adapter for the one task per model. Without the preload, each dbt task spends about 1.7 s importing dbt
before it starts (``make bench`` does not cover this; ``tests/dags/test_celery_e2e.py`` runs on it).
Only the worker imports them: the scheduler and api-server read this configuration too, but the signal
is the worker's.
"""

from __future__ import annotations

import importlib

from airflow.providers.celery.executors.default_celery import DEFAULT_CELERY_CONFIG
from celery.signals import import_modules

CELERY_CONFIG = dict(DEFAULT_CELERY_CONFIG)

# Imported by the tasks of the DAG; none starts a thread or opens a connection at import, so a fork after
# them is safe.
WORKER_PRELOAD = (
    "cosmos",
    "cosmos.operators.local",
    "dbt.cli.main",
    "dbt.task.build",
    "dbt.parser.manifest",
    "dbt.adapters.duckdb",
    "dbt.adapters.duckdb.impl",
    "duckdb",
    "extractors.orchestration_config",
)


@import_modules.connect
def preload_task_modules(*_args, **_kwargs) -> None:
    for name in WORKER_PRELOAD:
        importlib.import_module(name)

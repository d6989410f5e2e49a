"""extractors/celery_config.py, as docker-compose.yml names it: Airflow's Celery settings, and a worker that
imports Cosmos and dbt before it forks the processes that run tasks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]

# In a fresh interpreter, as an Airflow process starts: the settings through Airflow's own look-up of
# [celery] celery_config_options, then Celery's import_modules signal, which only a worker sends.
PROBE = """
import json, sys
from airflow.providers.celery.executors import celery_executor_utils as utils
from airflow.providers.celery.executors.default_celery import DEFAULT_CELERY_CONFIG
from celery.signals import import_modules
from extractors.celery_config import WORKER_PRELOAD
config = utils.get_celery_configuration()
before = [name for name in WORKER_PRELOAD if name in sys.modules]
import_modules.send(sender=utils.app)
print(json.dumps({"same_settings": config == DEFAULT_CELERY_CONFIG and config is not DEFAULT_CELERY_CONFIG,
                  "broker": config["broker_url"], "before": before,
                  "after": [name for name in WORKER_PRELOAD if name in sys.modules]}))
"""


def test_the_compose_workers_preload_dbt_and_keep_airflows_celery_settings(tmp_path):
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    option = compose["x-airflow-common"]["environment"]["AIRFLOW__CELERY__CELERY_CONFIG_OPTIONS"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW")}
    env.update({"AIRFLOW_HOME": str(tmp_path), "AIRFLOW__CELERY__CELERY_CONFIG_OPTIONS": option,
                "AIRFLOW__CELERY__BROKER_URL": "redis://broker.invalid:6379/3"})
    result = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True,
                            timeout=120, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert probe["same_settings"] and probe["broker"] == "redis://broker.invalid:6379/3"
    assert "dbt.cli.main" not in probe["before"]  # Airflow itself imports Cosmos, its plugin
    from extractors.celery_config import WORKER_PRELOAD
    assert probe["after"] == list(WORKER_PRELOAD)

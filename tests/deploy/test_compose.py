"""docker-compose.yml checked by construction (no Docker engine here): everything it names exists.

The same configuration also runs without Docker in tests/dags/test_celery_e2e.py.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
COMPOSE = REPO / "docker-compose.yml"
ENV_EXAMPLE = REPO / ".env.example"
DOCKERFILE = REPO / "docker" / "Dockerfile"
SUPERSET_DOCKERFILE = REPO / "docker" / "superset" / "Dockerfile"
SUPERSET_REQUIREMENTS = REPO / "bi" / "superset" / "requirements.txt"
AIRFLOW = Path(sys.executable).with_name("airflow")
# Images pulled from Docker Hub, with the documentation that describes their configuration.
DOCUMENTED_IMAGES = {
    "postgres": "https://hub.docker.com/_/postgres",
    "redis": "https://hub.docker.com/_/redis",
}
AIRFLOW_SERVICES = {"airflow-init", "airflow-apiserver", "airflow-scheduler", "airflow-dag-processor",
                    "airflow-triggerer", "airflow-worker"}
SUPERSET_SERVICES = {"superset", "superset-setup"}


def _compose_env_module():
    spec = importlib.util.spec_from_file_location("compose_env", REPO / "docker" / "compose_env.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


compose_env = _compose_env_module()


@pytest.fixture(scope="module")
def example_env() -> dict[str, str]:
    return compose_env.read_env_file(ENV_EXAMPLE)


@pytest.fixture(scope="module")
def compose(example_env) -> dict:
    return compose_env.load(COMPOSE, example_env)


def test_every_variable_is_documented_in_env_example(example_env):
    used = compose_env.variables_used(COMPOSE.read_text())
    assert used - set(example_env) == set(), "add these to .env.example with a comment"
    required = {m[1] for m in re.finditer(r"\$\{(\w+):\?", COMPOSE.read_text())}
    assert all(example_env[name] for name in required), "required variables need an example value"


def test_required_secrets_fail_loudly_when_missing(example_env):
    without_password = {k: v for k, v in example_env.items() if k != "POSTGRES_PASSWORD"}
    with pytest.raises(compose_env.ComposeError, match="POSTGRES_PASSWORD"):
        compose_env.load(COMPOSE, without_password)


def test_services_are_the_airflow_3_celery_stack_with_bi(compose):
    services = compose["services"]
    assert AIRFLOW_SERVICES | SUPERSET_SERVICES | {"postgres", "redis"} == set(services)
    commands = {name: services[name]["command"] for name in AIRFLOW_SERVICES}
    assert commands["airflow-apiserver"] == "api-server"
    assert commands["airflow-worker"] == "celery worker"
    worker = services["airflow-worker"]
    assert "container_name" not in worker and "ports" not in worker, "workers must scale with --scale"
    assert worker["environment"]["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"


def test_images_are_built_here_or_documented(compose):
    for name, service in compose["services"].items():
        if "build" in service:
            context = REPO / service["build"]["context"]
            assert (context / service["build"]["dockerfile"]).is_file(), name
        else:
            repository = service["image"].rsplit(":", 1)[0]
            assert repository in DOCUMENTED_IMAGES, f"{name}: undocumented image {service['image']}"
            assert ":" in service["image"] and not service["image"].endswith(":latest"), f"{name}: pin a tag"


def test_dockerfile_copies_only_what_exists_and_installs_the_project():
    text = DOCKERFILE.read_text()
    sources = [src for line in re.findall(r"^COPY (?:--\S+ )*(.+)$", text, re.M) for src in line.split()[:-1]]
    assert sources, "the image must contain the project"
    missing = [src for src in sources if not (REPO / src).exists()]
    assert missing == [], f"Dockerfile copies files the repo does not have: {missing}"
    assert re.search(r"pip install .* (-e )?\.$", text, re.M), "the image installs this project (pip install)"
    assert "apache/airflow:${AIRFLOW_VERSION}" in text
    pinned = re.search(r"ARG AIRFLOW_VERSION=(\S+)", text)[1]
    assert f"apache-airflow>={pinned}" in (REPO / "pyproject.toml").read_text()


def test_bind_mounts_exist_and_named_volumes_are_declared(compose):
    for name, service in compose["services"].items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("."):
                assert (REPO / source).exists(), f"{name}: {source} missing"
            else:
                assert source in compose["volumes"], f"{name}: volume {source} not declared"


def test_in_image_paths_exist_in_the_repo(compose):
    """Paths the services use inside the image, mapped back through the Dockerfile's WORKDIR."""
    workdir = re.search(r"^WORKDIR (\S+)", DOCKERFILE.read_text(), re.M)[1]
    dags_folder = re.search(r"AIRFLOW__CORE__DAGS_FOLDER=(\S+)", DOCKERFILE.read_text())[1]
    assert (REPO / Path(dags_folder).relative_to(workdir) / "budget_disclosures_nightly.py").is_file()
    postgres_init = next(v for v in compose["services"]["postgres"]["volumes"] if v.startswith("./"))
    assert subprocess.run(["bash", "-n", REPO / postgres_init.split(":")[0]]).returncode == 0


def test_airflow_settings_exist_in_the_installed_airflow(compose):
    from airflow.configuration import conf

    described = conf.configuration_description  # core and provider options, set or not
    for name in compose["x-airflow-common"]["environment"]:
        if name.startswith("AIRFLOW__"):
            section, key = name.removeprefix("AIRFLOW__").lower().split("__", 1)
            assert key in described.get(section, {}).get("options", {}), f"{name}: no [{section}] {key}"


def test_pipeline_settings_are_read_by_the_config_module(compose):
    source = (REPO / "extractors" / "orchestration_config.py").read_text()
    for name in compose["x-airflow-common"]["environment"]:
        if name.startswith("BUDGETWH_"):
            assert f'"{name}"' in source, f"{name} is set in compose but never read"


def test_airflow_commands_exist_in_the_installed_airflow(compose):
    for name in AIRFLOW_SERVICES:
        command = compose["services"][name]["command"]
        argv = shlex.split(command) if isinstance(command, str) else command
        if argv[0] == "bash":  # airflow-init: every airflow command of the script
            for step in argv[-1].split("&&"):
                words = shlex.split(step)
                assert words[0] == "airflow"
                _assert_airflow_command(words[1:3])
        else:
            _assert_airflow_command(argv)


def _assert_airflow_command(words: list[str]) -> None:
    subcommand = [w for w in words if not w.startswith("-")][:2]
    result = subprocess.run([AIRFLOW, *subcommand, "--help"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"airflow {' '.join(subcommand)}: {result.stderr[-400:]}"


def test_running_without_docker_relocates_only_service_hosts(example_env):
    variables = {**example_env, "POSTGRES_USER": "postgres"}  # a user named like the service
    env = compose_env.service_environment(compose_env.load(COMPOSE, variables), "airflow-worker",
                                          {"postgres": "127.0.0.1", "redis": "10.0.0.9"})
    assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"] == \
        "postgresql+psycopg2://postgres:change-me-postgres@127.0.0.1:5432/airflow"
    assert env["AIRFLOW__CELERY__BROKER_URL"] == "redis://10.0.0.9:6379/0"
    assert env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"] == "http://airflow-apiserver:8080/execution/"
    assert env["DUMB_INIT_SETSID"] == "0" and env["BUDGETWH_PUBLISH_REQUIRES_CLEAN"] == "false"


def test_superset_image_installs_the_pins_the_tests_run(compose):
    text = SUPERSET_DOCKERFILE.read_text()
    sources = [src for line in re.findall(r"^COPY (?:--\S+ )*(.+)$", text, re.M) for src in line.split()[:-1]]
    assert sources and all((REPO / src).exists() for src in sources), sources
    requirements = SUPERSET_REQUIREMENTS.relative_to(REPO).as_posix()
    assert f"pip install --no-cache-dir --no-deps -r {requirements}" in text
    makefile = (REPO / "Makefile").read_text()
    assert f"--no-deps -r {requirements}" in makefile, "make superset-venv installs the same"
    assert re.search(r"^FROM python:3\.11-slim-\w+$", text, re.M), "a pinned official Python base"
    pins = SUPERSET_REQUIREMENTS.read_text().splitlines()
    assert "apache_superset==6.1.0" in pins and all("==" in p for p in pins if p and not p.startswith("#"))
    for name in SUPERSET_SERVICES:
        assert compose["services"][name]["build"]["dockerfile"] == "docker/superset/Dockerfile"


def test_superset_services_run_commands_the_bi_package_has(compose):
    from bi.superset.__main__ import main

    for name in SUPERSET_SERVICES:
        argv = compose["services"][name]["command"]
        assert argv[:3] == ["python", "-m", "bi.superset"], name
        with pytest.raises(SystemExit) as parsed:
            main([*argv[3:], "--help"])
        assert parsed.value.code == 0, name


def test_superset_settings_are_read_by_bi_superset(compose):
    sources = "".join(p.read_text() for p in (REPO / "bi" / "superset").glob("*.py"))
    for name in SUPERSET_SERVICES:
        for variable in compose["services"][name]["environment"]:
            assert f'"{variable}"' in sources, f"{name}: {variable} is set in compose but never read"


def test_superset_reads_the_publication_as_the_read_only_login(compose):
    from urllib.parse import urlsplit

    published = urlsplit(compose["x-airflow-common"]["environment"]["BUDGETWH_PUBLISH_POSTGRES_URI"])
    reader = compose["x-airflow-common"]["environment"]["BUDGETWH_PUBLISH_POSTGRES_READER"]
    read = urlsplit(compose["services"]["superset-setup"]["environment"]["BUDGETWH_SUPERSET_DATABASE_URI"])
    assert (read.hostname, read.port, read.path) == (published.hostname, published.port, published.path)
    assert read.username == reader
    metadata = urlsplit(compose["services"]["superset"]["environment"]["SUPERSET_METADATA_URI"])
    assert metadata.path == "/superset" and metadata.path != published.path, "Superset's own database"
    assert "superset_db" in (REPO / "docker" / "postgres" / "init-databases.sh").read_text()


# A fresh interpreter, as an Airflow process starts: the settings through Airflow's own look-up of
# [celery] celery_config_options, then Celery's import_modules signal, which only a worker sends.
_CELERY_PROBE = """
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


def test_workers_preload_dbt_and_keep_airflows_celery_settings(compose, tmp_path):
    """extractors/celery_config.py, as the worker service names it: Airflow's Celery settings, and a
    worker that imports Cosmos and dbt before it forks the processes that run tasks."""
    from extractors.celery_config import WORKER_PRELOAD

    worker = compose_env.service_environment(compose, "airflow-worker", {})
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW")}
    env.update({"AIRFLOW_HOME": str(tmp_path),
                "AIRFLOW__CELERY__CELERY_CONFIG_OPTIONS": worker["AIRFLOW__CELERY__CELERY_CONFIG_OPTIONS"],
                "AIRFLOW__CELERY__BROKER_URL": "redis://broker.invalid:6379/3"})
    result = subprocess.run([sys.executable, "-c", _CELERY_PROBE], env=env, capture_output=True, text=True,
                            timeout=120, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert probe["same_settings"] and probe["broker"] == "redis://broker.invalid:6379/3"
    assert "dbt.cli.main" not in probe["before"]  # Airflow itself imports Cosmos, its plugin
    assert probe["after"] == list(WORKER_PRELOAD)

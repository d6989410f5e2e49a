"""The compose deployment without Docker: CeleryExecutor on this machine's PostgreSQL and Redis.

The environment is docker-compose.yml's own (``docker/compose_env.py``), with the service host names
pointed at 127.0.0.1 and fresh databases; the databases and the BI login come from compose's
PostgreSQL init script, the pool from its ``airflow-init`` command. Then the real processes run:
api-server (execution API), dag-processor, scheduler and an ``airflow celery worker``. A first
publication is made with the stack's configuration by the command line's pipeline and the publish step
the DAG's task calls. A run of one new document is triggered like any manual run and has its worker
killed mid-way through dbt: it must leave that publication untouched. The next run, of every format's
samples on a new worker, must publish.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import psycopg2
import pytest
from airflow_run import AIRFLOW, REPO, airflow, run
from support import PG_HOST, PG_USER, fresh_database

from extractors.pipeline import discover

pytestmark = [pytest.mark.slow, pytest.mark.services, pytest.mark.xdist_group("celery")]

DAG_ID = "budget_disclosures_nightly"
AIRFLOW_DB, WAREHOUSE_DB, SUPERSET_DB = "budgetwh_airflow_test", "budgetwh_bi_test", "budgetwh_bi_meta_test"
REDIS_DB = 7  # not Redis' default database, which other local tests may use
RUN_TIMEOUT = 900


def _compose_env_module():
    spec = importlib.util.spec_from_file_location("compose_env", REPO / "docker" / "compose_env.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


compose_env = _compose_env_module()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _redis_available() -> None:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=2).close()
    except OSError as exc:
        pytest.skip(f"Redis not reachable at 127.0.0.1:6379: {exc}")


def _prepare_databases(variables: dict[str, str]) -> None:
    """What the postgres container does on first start: create POSTGRES_DB, run init-databases.sh."""
    admin_uri = fresh_database(AIRFLOW_DB)
    admin = psycopg2.connect(admin_uri.rsplit("/", 1)[0] + "/postgres")
    admin.autocommit = True
    with admin.cursor() as cur:
        for name in (WAREHOUSE_DB, SUPERSET_DB):
            cur.execute(f'drop database if exists "{name}" with (force)')
        cur.execute("drop role if exists bi_reader")
    admin.close()
    init = {**os.environ, **variables, "PGHOST": PG_HOST, "POSTGRES_DB": AIRFLOW_DB, "AIRFLOW_HOME": "/tmp"}
    run(["bash", str(REPO / "docker" / "postgres" / "init-databases.sh")], init, timeout=60)


class Stack:
    """The Airflow processes of the compose file, started here; stopped by process group at the end."""

    def __init__(self, home: Path, env: dict[str, str]):
        self.home, self.env, self.processes = home, env, {}

    def start(self, name: str, *args: str) -> subprocess.Popen:
        log = open(self.home / f"{name}.log", "ab")  # the child holds it open; ours closes with the test
        self.processes[name] = subprocess.Popen([str(AIRFLOW), *args], env=self.env, cwd=self.home,
                                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        return self.processes[name]

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        process = self.processes.pop(name)
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            pass
        process.wait(timeout=60)

    def stop(self) -> None:
        for name in list(self.processes):
            process = self.processes[name]
            try:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=30)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                pass
            self.kill(name)

    def log(self, name: str) -> str:
        return (self.home / f"{name}.log").read_text(errors="replace")


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    _redis_available()
    home = tmp_path_factory.mktemp("celery-home")
    variables = {**compose_env.read_env_file(REPO / ".env.example"), "POSTGRES_USER": PG_USER,
                 "AIRFLOW_DB": AIRFLOW_DB, "WAREHOUSE_DB": WAREHOUSE_DB, "SUPERSET_DB": SUPERSET_DB}
    _prepare_databases(variables)
    compose = compose_env.load(REPO / "docker-compose.yml", variables)
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "BUDGETWH_"))}
    hosts = {"postgres": PG_HOST, "redis": "127.0.0.1", "airflow-apiserver": "127.0.0.1"}
    env.update(compose_env.service_environment(compose, "airflow-worker", hosts))
    env.update({
        # What the image and the compose host provide, placed on this machine:
        "PATH": f"{AIRFLOW.parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(REPO / "dags"),
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{port}/execution/",
        "AIRFLOW__CELERY__BROKER_URL": f"redis://127.0.0.1:6379/{REDIS_DB}",
        "BUDGETWH_DATA_DIR": str(home / "data"),
        # Sized for a 2-core test machine, and quick to notice a killed worker's tasks.
        "AIRFLOW__CELERY__WORKER_CONCURRENCY": "4",
        "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT": "30",
        "BUDGETWH_TASK_RETRIES": "0",
    })
    init_script = compose["services"]["airflow-init"]["command"][-1]
    run(["bash", "-c", init_script], env)
    running = Stack(home, env)
    try:
        running.start("api-server", "api-server", "--port", str(port))
        running.start("dag-processor", "dag-processor")
        running.start("scheduler", "scheduler")
        running.start("worker", "celery", "worker", "--celery-hostname", "budgetwh-test@%h")
        _wait(lambda: _query(env, "select 1 from dag where dag_id = %s and not is_paused", DAG_ID), 300,
              lambda: running.log("dag-processor")[-3000:], "the DAG to be parsed")
        yield running
    finally:
        running.stop()


def _metadata(env: dict[str, str]):
    uri = env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
    return psycopg2.connect(uri.replace("postgresql+psycopg2", "postgresql"))


def _query(env: dict[str, str], sql: str, *params) -> list[tuple]:
    con = _metadata(env)
    try:
        with con.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchall() if cur.description else []
    finally:
        con.close()


def _wait(condition, timeout: float, diagnostics, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(2)
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}:\n{diagnostics()}")


def _trigger(stack: Stack, run_id: str, inbox: Path) -> None:
    airflow(stack.env, "dags", "trigger", DAG_ID, "--run-id", run_id, "-c", json.dumps({"inbox": str(inbox)}))


def _run_state(stack: Stack, run_id: str) -> str | None:
    rows = _query(stack.env, "select state from dag_run where dag_id = %s and run_id = %s", DAG_ID, run_id)
    return rows[0][0] if rows else None


def _task_states(stack: Stack, run_id: str) -> dict[str, str]:
    rows = _query(stack.env, "select task_id, map_index, state from task_instance "
                  "where dag_id = %s and run_id = %s", DAG_ID, run_id)
    return {f"{task}[{index}]" if index >= 0 else task: state for task, index, state in rows}


def _wait_for_run(stack: Stack, run_id: str) -> str:
    def diagnostics() -> str:
        failed = {t: s for t, s in _task_states(stack, run_id).items() if s != "success"}
        return f"tasks not successful: {failed}\nworker log:\n{stack.log('worker')[-4000:]}"

    return _wait(lambda: _run_state(stack, run_id) in ("success", "failed") and _run_state(stack, run_id),
                 RUN_TIMEOUT, diagnostics, f"run {run_id}")


def _postgres_marts(env: dict[str, str]) -> dict[str, int]:
    con = psycopg2.connect(host=PG_HOST, user="bi_reader", dbname=WAREHOUSE_DB)  # the BI tool's login
    try:
        with con.cursor() as cur:
            cur.execute("select table_name from information_schema.tables where table_schema = 'marts'")
            names = sorted(name for (name,) in cur.fetchall())
            counts = {}
            for name in names:
                cur.execute(f'select count(*) from marts."{name}"')
                counts[name] = cur.fetchone()[0]
            return counts
    finally:
        con.close()


def _duckdb_marts(warehouse: Path) -> dict[str, int]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        names = [n for (n,) in con.execute("select table_name from information_schema.tables "
                                           "where table_schema = 'marts' order by 1").fetchall()]
        return {name: con.execute(f"select count(*) from marts.{name}").fetchone()[0] for name in names}
    finally:
        con.close()


@dataclass(frozen=True)
class Inboxes:
    text: Path  # the text renditions: the first publication
    one: Path  # one spreadsheet that publication lacks: the run that is killed needs no more
    every_format: Path  # every sample: the run that publishes


@pytest.fixture(scope="module")
def inboxes(tmp_path_factory) -> Inboxes:
    """The generator's samples."""
    samples = tmp_path_factory.mktemp("samples")
    subprocess.run([str(Path(AIRFLOW).with_name("python")), "-m", "extractors.generator", "samples",
                    "--out", str(samples)], check=True, capture_output=True, timeout=120)
    one = tmp_path_factory.mktemp("one-document")
    spreadsheet = next(iter(sorted((samples / "xlsx").glob("*.xlsx"))))
    shutil.copy(spreadsheet, one / spreadsheet.name)
    return Inboxes(samples / "text", one, samples)


NEW_WORKER = "worker-2"  # the worker started after the first is killed; its log is its own


def _start_new_worker(stack: Stack) -> None:
    stack.start(NEW_WORKER, "celery", "worker", "--celery-hostname", "budgetwh-test-2@%h")


@pytest.fixture(scope="module")
def first_publication(stack, inboxes) -> Path:
    """The text renditions through ``budgetwh run``, published by the DAG's publish step with the stack's
    configuration (its data folder, the warehouse database and the BI login): what the DAG runs find."""
    audit = Path(stack.env["BUDGETWH_DATA_DIR"], "cli-run", "warehouse.duckdb")
    audit.parent.mkdir(parents=True)
    python = str(AIRFLOW.with_name("python"))
    command = [python, "-m", "extractors.cli", "run", "--input", str(inboxes.text), "--warehouse", str(audit)]
    output = run(command, stack.env, timeout=600).stdout
    run_id = re.search(r"^run (\S+): ", output, re.MULTILINE).group(1)
    con = duckdb.connect(str(audit), read_only=True)
    try:
        errors = con.execute("select count(*) from marts.fct_reconciliation_result "
                             "where run_id = ? and severity = 'error' and not passed", [run_id]).fetchone()[0]
    finally:
        con.close()
    run([python, "-m", "extractors.publish", "--audit", str(audit), "--run-id", run_id,
         "--validation-errors", str(errors)], stack.env, timeout=600)
    published = Path(stack.env["BUDGETWH_DATA_DIR"], "published")
    manifest = json.loads((published / "publication.json").read_text())
    assert manifest["run_id"] == run_id and manifest["marts"]["dim_document"] == len(discover([inboxes.text]))
    return published


def test_a_killed_run_leaves_the_publication_untouched(stack, inboxes, first_publication):
    published = first_publication
    before_manifest = (published / "publication.json").read_text()
    before_inode = (published / "warehouse.duckdb").stat().st_ino
    before_pg = _postgres_marts(stack.env)
    assert before_pg == json.loads(before_manifest)["marts"]

    killed = "celery_e2e_killed"
    _trigger(stack, killed, inboxes.one)

    def running_dbt_task() -> str | None:
        states = _task_states(stack, killed)
        return next((t for t, s in states.items() if t.startswith("dbt.") and s == "running"), None)

    def states() -> str:
        return str(_task_states(stack, killed))

    victim = _wait(running_dbt_task, RUN_TIMEOUT, states, "a dbt task to run")
    stack.kill("worker")  # SIGKILL to the worker's whole process group, mid-way through dbt
    _wait(lambda: _task_states(stack, killed)[victim] == "failed", 300, states,
          f"the scheduler to fail {victim} for its missing heartbeat")
    assert (published / "publication.json").read_text() == before_manifest
    assert (published / "warehouse.duckdb").stat().st_ino == before_inode
    assert _postgres_marts(stack.env) == before_pg

    # A new worker drains what the killed run had queued; the run fails without publishing.
    _start_new_worker(stack)
    assert _wait_for_run(stack, killed) == "failed"
    assert (published / "publication.json").read_text() == before_manifest
    assert _postgres_marts(stack.env) == before_pg


def test_celery_workers_run_the_dag_and_publish_to_postgres(stack, inboxes, first_publication):
    """The run after the killed one, on the new worker, publishes every format's samples."""
    published = first_publication
    before = json.loads((published / "publication.json").read_text())
    if NEW_WORKER not in stack.processes:  # the kill test did not get as far as starting it
        _start_new_worker(stack)
    succeeded_before = dict(_query(stack.env, "select status, count(*) from celery_taskmeta group by status"))
    started = time.monotonic()
    _trigger(stack, "celery_e2e_after_kill", inboxes.every_format)
    assert _wait_for_run(stack, "celery_e2e_after_kill") == "success"
    elapsed = time.monotonic() - started
    states = _task_states(stack, "celery_e2e_after_kill")
    assert set(states.values()) == {"success"}
    # Every task instance went through Celery: one result per task in the result backend (PostgreSQL),
    # and the new worker's log names each. A worker writes a task's result after the task has told Airflow
    # its state: the last ones may still read STARTED when the run is already a success.
    def succeeded() -> int:
        results = dict(_query(stack.env, "select status, count(*) from celery_taskmeta group by status"))
        return results.get("SUCCESS", 0) - succeeded_before.get("SUCCESS", 0)

    _wait(lambda: succeeded() >= len(states), 60,
          lambda: f"{succeeded()} SUCCESS results for {len(states)} tasks", "a SUCCESS result per task")
    assert stack.log(NEW_WORKER).count("execute_workload") >= len(states)
    manifest = json.loads((published / "publication.json").read_text())
    assert manifest["run_id"] == "celery_e2e_after_kill" and manifest["postgres_schema"] == "marts"
    duck = _duckdb_marts(published / "warehouse.duckdb")
    assert duck == manifest["marts"] == _postgres_marts(stack.env)
    assert duck["dim_document"] == len(discover([inboxes.every_format])) > before["marts"]["dim_document"]
    print(f"\nCelery e2e: {len(states)} task instances in {elapsed:.0f} s")

"""Helpers of the orchestration tests: a fresh PostgreSQL database on this machine's server, commands of
the stack (their isolated Airflow is ``bench.nightly.airflow_env``)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

PG_HOST = os.environ.get("BUDGETWH_TEST_PG_HOST", "127.0.0.1")
PG_USER = os.environ.get("BUDGETWH_TEST_PG_USER", "postgres")


def fresh_database(name: str) -> str:
    """Drop and create ``name``; returns its URI. Skips, saying why, when PostgreSQL is not reachable."""
    import psycopg2

    try:
        admin = psycopg2.connect(host=PG_HOST, user=PG_USER, dbname="postgres", connect_timeout=3)
    except psycopg2.OperationalError as exc:
        pytest.skip(f"PostgreSQL at {PG_HOST}:5432 not reachable as {PG_USER}: {exc}".strip())
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'drop database if exists "{name}" with (force)')
        cur.execute(f'create database "{name}"')
    admin.close()
    return f"postgresql://{PG_USER}@{PG_HOST}:5432/{name}"


REPO = Path(__file__).resolve().parents[2]
AIRFLOW = Path(sys.executable).with_name("airflow")


def run(argv: list[str], env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess:
    """Run a command of the stack in AIRFLOW_HOME; a failure shows the end of its output."""
    result = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=timeout,
                            cwd=env["AIRFLOW_HOME"])
    output = (result.stdout + result.stderr)[-3000:]
    assert result.returncode == 0, f"{' '.join(argv)} failed:\n{output}"
    return result


def airflow(env: dict[str, str], *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return run([str(AIRFLOW), *args], env, timeout)

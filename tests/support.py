"""Helpers shared by tests of several packages (importable as ``support``: pytest puts tests/ on the path
for its conftest): a read-only query on a warehouse, a fresh database on this machine's PostgreSQL."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

PG_HOST = os.environ.get("BUDGETWH_TEST_PG_HOST", "127.0.0.1")
PG_USER = os.environ.get("BUDGETWH_TEST_PG_USER", "postgres")


def q(warehouse: Path, sql: str, params=()) -> list[tuple]:
    """``sql``'s rows on ``warehouse``, opened read-only for this query only."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


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

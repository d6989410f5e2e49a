"""Fixtures for orchestration tests (their helpers: airflow_run.py)."""

from __future__ import annotations

import pytest
from support import fresh_database


@pytest.fixture
def bi_postgres() -> str:
    return fresh_database("budgetwh_publish_test")

"""The rule tests' warehouse of the two seed-figure documents (seed_documents.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rule_warehouse import Warehouse
from seed_documents import build_qijiang, build_tongnan


@pytest.fixture
def seeded(warehouse: Path) -> Path:
    w = Warehouse(warehouse)
    build_tongnan(w)
    build_qijiang(w)
    w.close()
    return warehouse

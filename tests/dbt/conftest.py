"""A warehouse built once per session from the hand-made sample documents (tests/dbt/dbt_sample.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from dbt_sample import ORIGINAL_SHA, REVISION_SHA, rejected_document, sample_budget

from extractors.load import connect, load_extraction
from extractors.transform import build

# Two validation runs by hand (the rule runner is another package's job): the older run found an
# error in the original, the newer run only a warning; the revision has no finding in either run.
RULE_RESULTS = """
insert into validation.rule_results
    (run_id, document_id, rule_id, rule_kind, severity, passed, table_type, subject_code, fiscal_year,
     expected_amount, actual_amount, difference, tolerance, page, message, checked_at)
values
    ('run-1', '5a5a5a5a5a5a5a5a', 'BW-ROW-001', 'row_sum', 'error', false, 'general_budget_expenditure',
     '201', 2024, 1056.45, 1056.55, 0.10, 0.02, 2, 'class 201 ≠ Σ sections', '2026-01-02 00:00:00'),
    ('run-2', '5a5a5a5a5a5a5a5a', 'BW-ROW-001', 'row_sum', 'error', true, 'general_budget_expenditure',
     '201', 2024, 1056.45, 1056.45, 0.00, 0.02, 2, 'class 201 = Σ sections', '2026-01-03 00:00:00'),
    ('run-2', '5a5a5a5a5a5a5a5a', 'BW-WGT-001', 'weights', 'warning', false,
     'department_performance_targets', null, 2024, 100.00, 100.00, 0.00, 0.00, 10,
     'indicator weights sum to 100', '2026-01-03 00:00:00'),
    ('run-2', null, 'BW-CMP-001', 'completeness', 'warning', true, null, null, 2024, null, null, null,
     null, null, 'department list complete', '2026-01-03 00:00:00')
"""


def load_samples(warehouse: Path) -> None:
    con = connect(str(warehouse))
    try:
        for extraction in (sample_budget(ORIGINAL_SHA), sample_budget(REVISION_SHA), rejected_document()):
            load_extraction(con, extraction)
        # the revision was published later (its article's 发布日期) and loaded first: publication decides
        con.execute("update staging.documents set published_date = '2024-02-01', "
                    "loaded_at = '2026-01-01 01:00:00' where sha256 = ?", [ORIGINAL_SHA])
        con.execute("update staging.documents set published_date = '2024-03-01', "
                    "loaded_at = '2026-01-01 00:00:00' where sha256 = ?", [REVISION_SHA])
    finally:
        con.close()


def validate_by_hand(warehouse: Path) -> None:
    con = connect(str(warehouse))
    try:
        con.execute(RULE_RESULTS)
    finally:
        con.close()


@pytest.fixture(scope="session")
def sample_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    warehouse = tmp_path_factory.mktemp("dbt_sample") / "warehouse.duckdb"
    load_samples(warehouse)
    build(warehouse, exclude="tag:post_validation")
    validate_by_hand(warehouse)
    build(warehouse, select="tag:post_validation")
    return warehouse

"""A department with both its budget and its final accounts: planned and spent side by side (issue 7)."""

from __future__ import annotations

from decimal import Decimal

import duckdb
import pytest

from extractors.generator.render import render
from extractors.generator.synthesize import synthesize
from extractors.pipeline import run

pytestmark = pytest.mark.xdist_group("e2e")


def test_budget_and_final_accounts_of_one_year_meet(tmp_path):
    for document_type in ("budget", "final_account"):
        render(synthesize(11, "綦江区", "审计局", 2023, document_type), "text", tmp_path / "docs")
    warehouse = tmp_path / "w.duckdb"
    run([tmp_path / "docs"], warehouse, workers=1)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute("""
            select v.subject_code, v.budget_amount, v.final_amount, v.execution_rate,
                   b.total_amount, f.total_amount
            from marts.fct_budget_vs_final v
            join marts.fct_expenditure_by_function b
              on b.document_id = v.budget_document_id and b.subject_code = v.subject_code
             and b.table_type = 'general_budget_expenditure' and not b.is_prior_year
            join marts.fct_expenditure_by_function f
              on f.document_id = v.final_document_id and f.subject_code = v.subject_code
             and f.table_type = 'final_general_budget_expenditure' and not f.is_prior_year
            where v.fiscal_year = 2023
        """).fetchall()
    assert len(rows) >= 5  # classes, sections and items both documents publish
    for code, budget, final, rate, published_budget, published_final in rows:
        assert (budget, final) == (published_budget, published_final), code
        assert rate == (final / budget).quantize(Decimal("0.0001")), code

"""Synthetic documents: exact internal consistency, determinism, cross-year agreement."""

from __future__ import annotations

from decimal import Decimal

import pytest

from extractors.generator.consistency import violations
from extractors.generator.render.text import document_text
from extractors.generator.spec import SpecError
from extractors.generator.synthesize import corpus_capacity, iter_corpus, iter_corpus_keys, synthesize


def test_corpus_documents_are_exactly_consistent():
    docs = list(iter_corpus(60, seed=11))
    assert len({d.slug for d in docs}) == 60
    assert {d.document_type for d in docs} == {"budget", "final_account"}
    for doc in docs:
        assert violations(doc) == [], doc.slug


@pytest.mark.parametrize("document_type", ["budget", "final_account"])
def test_parent_equals_sum_of_children(document_type):
    doc = synthesize(5, "荣昌区", "财政局", 2023, document_type)
    table = doc.tables[1] if document_type == "budget" else doc.table("final_expenditure")
    rows = {r.code: r for r in table.rows}
    for code, row in rows.items():
        children = [
            r for c, r in rows.items() if c != code and c.startswith(code) and len(c) == len(code) + 2
        ]
        if code != "total" and children:
            assert row.amount("total") == sum(c.amount("total") for c in children)
    classes = [r for c, r in rows.items() if len(c) == 3]
    assert rows["total"].amount("total") == sum(r.amount("total") for r in classes)


def test_final_accounts_have_the_nine_tables():
    doc = synthesize(5, "荣昌区", "审计局", 2023, "final_account")
    assert [t.table_type for t in doc.tables] == [
        "final_income_expenditure_summary",
        "final_income",
        "final_expenditure",
        "final_fiscal_appropriation_summary",
        "final_general_budget_expenditure",
        "final_general_budget_basic_expenditure",
        "final_three_public_expenses",
        "final_government_fund_expenditure",
        "final_state_capital_expenditure",
    ]


def test_deterministic_by_seed():
    a = document_text(synthesize(3, "綦江区", "民政局", 2022, "budget"))
    assert a == document_text(synthesize(3, "綦江区", "民政局", 2022, "budget"))
    assert a != document_text(synthesize(4, "綦江区", "民政局", 2022, "budget"))


def test_prior_year_columns_equal_previous_year_document():
    """The cross-document promise: 2021 年预算数 in a 2022 document = the 2021 document's figures."""
    checked = 0
    for year in range(2016, 2026):
        doc = synthesize(1, "潼南区", "统计局", year, "budget")
        previous = synthesize(1, "潼南区", "统计局", year - 1, "budget")
        for table_type in ("general_budget_expenditure", "three_public_expenses"):
            table = doc.table(table_type)
            prior_keys = [c.key for c in table.columns if c.is_prior_year]
            old = {r.code: r for r in previous.table(table_type).rows}
            for row in table.rows:
                for key in prior_keys:
                    assert row.amount(key) == old[row.code].amount(key.removeprefix("prior_")), (
                        year,
                        row.code,
                    )
                    checked += 1
    assert checked > 20


def test_narrative_quotes_the_tables():
    doc = synthesize(2, "璧山区", "城市管理局", 2021, "budget")
    figures = {f.key: f.amount for f in doc.narrative_figures}
    assert figures["basic_total"] == doc.table("general_budget_basic_expenditure").row("total").amount(
        "total"
    )
    assert figures["income_total"] == doc.table("general_budget_expenditure").row("total").amount("total") + (
        doc.table("government_fund_expenditure").row("total").amount("total") or Decimal(0)
    )
    assert f"{figures['basic_total']}万元" in "".join(doc.narrative)


def test_corpus_scale_and_bad_input():
    assert corpus_capacity() >= 100_000
    keys = list(iter_corpus_keys(corpus_capacity(), seed=1))
    assert len(set(keys)) == len(keys)
    with pytest.raises(SpecError, match="a corpus holds 1"):
        next(iter_corpus_keys(0, seed=1))
    with pytest.raises(SpecError, match="unknown region"):
        synthesize(1, "火星区", "财政局", 2022, "budget")
    with pytest.raises(SpecError, match="unknown document_type"):
        synthesize(1, "綦江区", "财政局", 2022, "forecast")

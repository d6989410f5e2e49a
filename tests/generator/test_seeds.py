"""The seed-figure specs reproduce the published figures, defects included."""

from __future__ import annotations

from decimal import Decimal

import pytest

from extractors.generator.consistency import violations
from extractors.generator.seeds import seed_spec, seed_specs
from extractors.generator.spec import SpecError

QIJIANG = "qijiang_2024_government_services_budget"
TONGNAN = "tongnan_2022_government_services_budget"


def test_known_totals():
    tongnan = seed_spec(TONGNAN)
    assert tongnan.table("general_budget_expenditure").row("total").amount("total") == Decimal("1996.06")
    assert tongnan.table("fiscal_appropriation_summary").row("income_total").amount("amount") == Decimal(
        "1996.06"
    )
    qijiang = seed_spec(QIJIANG)
    assert qijiang.table("general_budget_basic_expenditure").row("total").amount("total") == Decimal("677.15")
    assert qijiang.table("three_public_expenses").row("total").amount("total") == Decimal("6.50")


def test_published_text_is_kept():
    row = seed_spec(TONGNAN).table("general_budget_expenditure").row("201")
    assert row.values == {
        "prior_total": "1,866.11",
        "total": "1932.1",
        "basic": "256.65",
        "project": "1675.45",
    }


def test_prior_year_column_carries_the_earlier_year():
    table = seed_spec(TONGNAN).table("general_budget_expenditure")
    prior = table.column("prior_total")
    assert (prior.fiscal_year, prior.is_prior_year, prior.measure) == (2021, True, "total")
    assert table.column("total").fiscal_year == 2022


def test_published_defects_are_reproduced():
    found = "\n".join(violations(seed_spec(TONGNAN)))
    assert "21011 prior_total: 14.37 ≠ Σ children 38.85" in found  # 2101199 printed 27.2 for 2.72
    assert (
        "three_public_expenses total vehicle_total: 6.00 ≠ vehicle_purchase+vehicle_operation 4.00" in found
    )
    assert "30207 total: 5.37 ≠ personnel+public_operation 4.37" in found
    figures = {f.key: f.amount for f in seed_spec(TONGNAN).narrative_figures}
    assert (figures["income_change"], figures["expenditure_change"]) == (Decimal("69.70"), Decimal("69.69"))


def test_qijiang_rounding_noise_is_kept():
    found = violations(seed_spec(QIJIANG))
    assert "general_budget_basic_expenditure total total: 677.15 ≠ personnel+public_operation 677.16" in found
    projects = [t for t in seed_spec(QIJIANG).tables if t.table_type == "project_performance_targets"]
    amounts = [next(f.amount("value") for f in t.fields if f.code == "project_amount") for t in projects]
    assert (
        sum(amounts)
        == Decimal("495.00")
        == seed_spec(QIJIANG).table("general_budget_expenditure").row("total").amount("project")
    )


def test_seed_figures_match_the_seed_texts(seeds_dir):
    """Every amount of the specs appears in the seed text it was transcribed from."""
    for spec, name in zip(
        seed_specs(), ("000_58d22dd7e52bac32.txt", "002_8b975b95330ebfb5.txt"), strict=True
    ):
        published = set((seeds_dir / name).read_text(encoding="utf-8").replace("\n", "\t").split("\t"))
        printed = {v for t in spec.tables for r in t.rows for v in r.values.values() if v}
        assert printed - published == set()


def test_unknown_seed_is_named():
    with pytest.raises(SpecError, match="no seed document 'nope'"):
        seed_spec("nope")

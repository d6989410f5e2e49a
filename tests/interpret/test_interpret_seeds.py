"""The interpreter on the two real seed documents (read from ../shared, never copied): exact values."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from extractors.extract import extract_file
from extractors.model import Extraction, StagedCell

SEED_QIJIANG = "000_58d22dd7e52bac32.txt"
SEED_TONGNAN = "002_8b975b95330ebfb5.txt"


@pytest.fixture(scope="module")
def qijiang(seeds_dir: Path) -> Extraction:
    return extract_file(seeds_dir / SEED_QIJIANG)


@pytest.fixture(scope="module")
def tongnan(seeds_dir: Path) -> Extraction:
    return extract_file(seeds_dir / SEED_TONGNAN)


def cells(e: Extraction, table_type: str, **where: object) -> list[StagedCell]:
    indexes = {t.table_index for t in e.tables if t.table_type == table_type}
    return [
        c for c in e.cells if c.table_index in indexes and all(getattr(c, k) == v for k, v in where.items())
    ]


def amount(e: Extraction, table_type: str, **where: object) -> Decimal | None:
    found = [c for c in cells(e, table_type, **where) if c.amount is not None]
    assert len(found) == 1, f"{table_type} {where}: {len(found)} cells"
    return found[0].amount


def test_seed_000_table_types_in_order(qijiang: Extraction) -> None:
    assert [t.table_type for t in qijiang.tables] == [
        "fiscal_appropriation_summary",
        "general_budget_expenditure",
        "general_budget_basic_expenditure",
        "three_public_expenses",
        "government_fund_expenditure",
        "department_summary",
        "department_expenditure",
        "department_performance_targets",
    ] + ["project_performance_targets"] * 7
    assert qijiang.issues == []


def test_seed_002_table_types_in_order_with_continuations_joined(tongnan: Extraction) -> None:
    assert [t.table_type for t in tongnan.tables] == [
        "fiscal_appropriation_summary",
        "general_budget_expenditure",
        "general_budget_basic_expenditure",
        "three_public_expenses",
        "government_fund_expenditure",
        "department_summary",
        "department_income",
        "department_expenditure",
        "procurement",
        "project_expenditure",
        "department_performance_targets",
    ] + ["project_performance_targets"] * 8
    assert [t.label for t in tongnan.tables][:3] == ["附件 1", "附件 2", "附件 3"]
    assert tongnan.tables[-1].label == "表 12-8"


def test_seed_000_function_and_economic_tables(qijiang: Extraction) -> None:
    gbe = "general_budget_expenditure"
    assert amount(qijiang, gbe, row_code="2010301", measure="total") == Decimal("561.45")
    assert amount(qijiang, gbe, row_code="2010301", measure="basic") == Decimal("561.45")
    assert cells(qijiang, gbe, row_code="2010301", measure="project")[0].amount is None
    basic = "general_budget_basic_expenditure"
    totals = [
        amount(qijiang, basic, row_kind="total", measure=m)
        for m in ("total", "personnel", "public_operation")
    ]
    assert totals == [Decimal("677.15"), Decimal("378.34"), Decimal("298.82")]


def test_seed_000_three_public_and_empty_fund_table(qijiang: Extraction) -> None:
    tp = "three_public_expenses"
    assert amount(qijiang, tp, row_kind="total", measure="total", fiscal_year=2024) == Decimal("6.50")
    assert amount(qijiang, tp, measure="vehicle_operation") == Decimal("3.50")
    assert amount(qijiang, tp, measure="reception") == Decimal("3.00")
    fund = next(t for t in qijiang.tables if t.table_type == "government_fund_expenditure")
    assert fund.is_empty and "无数据" in fund.note


def test_seed_000_summary_sides(qijiang: Extraction) -> None:
    summary = "fiscal_appropriation_summary"
    income = cells(qijiang, summary, row_group="income", row_kind="income_source", row_code="general_budget")
    assert [c.amount for c in income] == [Decimal("1172.15")]
    assert amount(qijiang, summary, row_kind="expenditure_class", row_code="221", measure="total") == Decimal(
        "31.08"
    )
    carried = cells(qijiang, summary, row_kind="income_source", row_code="prior_year_carryover")
    assert [c.row_name for c in carried] == ["一般公共预算拨款", "政府性基金预算拨款", "国有资本经营收入"]
    assert amount(qijiang, summary, row_code="expenditure_total", measure="general_budget") == Decimal(
        "1172.15"
    )


def test_seed_000_performance_tables(qijiang: Extraction) -> None:
    projects = [(t.project_code, t.project_name) for t in qijiang.tables if t.project_code]
    assert projects[0] == ("50011021T000000047837", "窗口工作人员专项经费")
    assert len(projects) == 7
    first = next(t.table_index for t in qijiang.tables if t.project_code == "50011021T000000047837")
    amount_cell = [c for c in qijiang.cells if c.table_index == first and c.row_code == "project_amount"]
    assert [c.amount for c in amount_cell] == [Decimal("110.00")]
    dept = "department_performance_targets"
    assert amount(qijiang, dept, row_code="department_expenditure_total") == Decimal("1172.15")
    weights = [c.amount for c in cells(qijiang, dept, measure="weight")]
    assert sum(weights) == 100
    # The last indicator row of the 渝快码 project lost its leading blank cell: realigned, marked inferred.
    table = next(t.table_index for t in qijiang.tables if t.project_code == "50011024T000004129326")
    last = [c for c in qijiang.cells if c.table_index == table and c.row_name == "服务体验感"]
    by_measure = {c.measure: c for c in last}
    assert by_measure["indicator_level1"].raw_text == "产出指标"
    assert by_measure["weight"].amount == 20 and by_measure["is_core"].raw_text == "是"
    assert all(c.inferred for c in last)


def test_seed_002_prior_year_column(tongnan: Extraction) -> None:
    prior = cells(tongnan, "general_budget_expenditure", row_code="2101199", fiscal_year=2021)
    assert [(c.amount, c.is_prior_year, c.measure) for c in prior] == [(Decimal("27.2"), True, "total")]
    assert amount(
        tongnan, "general_budget_expenditure", row_code="2101199", fiscal_year=2022, measure="total"
    ) == Decimal("3.24")


def test_seed_002_three_public_both_years(tongnan: Extraction) -> None:
    tp = "three_public_expenses"
    assert amount(tongnan, tp, row_kind="total", measure="vehicle_total", fiscal_year=2022) == Decimal("6.00")
    total_2021 = cells(tongnan, tp, row_kind="total", measure="total", fiscal_year=2021)
    assert [(c.amount, c.is_prior_year) for c in total_2021] == [(Decimal("6.00"), True)]
    assert amount(tongnan, tp, row_kind="total", measure="reception", fiscal_year=2022) == Decimal("2.00")


def test_seed_002_collapsed_rows_are_inferred(tongnan: Extraction) -> None:
    basic = "general_budget_basic_expenditure"
    postage = {c.measure: c for c in cells(tongnan, basic, row_code="30207")}
    assert postage["total"].amount == Decimal("5.37")
    assert postage["personnel"].amount == Decimal("4.37") and postage["personnel"].inferred
    assert "public_operation" not in postage
    electricity = {c.measure: c.amount for c in cells(tongnan, basic, row_code="30206")}
    assert electricity == {"total": Decimal("0.4"), "public_operation": Decimal("0.4")}
    assert amount(tongnan, basic, row_code="303", measure="personnel") == Decimal("13.24")
    assert amount(tongnan, basic, row_code="30399", measure="personnel") == Decimal("10")
    published = cells(tongnan, basic, row_code="30201")
    assert not any(c.inferred for c in published)


def test_seed_002_project_rows_linked_to_codes(tongnan: Extraction) -> None:
    rows = {c.row_name: c.row_code for c in cells(tongnan, "project_expenditure", row_kind="project")}
    assert rows == {
        "购买社会服务专项资金": "50015222T000000135300",
        "日常运行经费": "50015222T000000135339",
        "工作人员培训服务经费": "50015222T000000135401",
        "办公房租金": "50015222T000000135421",
        "工作人员服装购买经费": "50015222T000000135434",
        "“情潼一家”项目建设经费": "50015222T000000135442",
        "电子签名印章系统建设运行": "50015222T000000135452",
        "政务服务工作站建设项目": "50015222T000002147369",
    }
    assert amount(
        tongnan, "project_expenditure", row_code="50015222T000002147369", measure="superior_special_total"
    ) == Decimal("13.72")


def test_seed_002_performance_tables(tongnan: Extraction) -> None:
    operators = {c.raw_text for c in tongnan.cells if c.measure == "operator"}
    assert operators == {"≥", "≤", "="}
    weights = [c.amount for c in cells(tongnan, "department_performance_targets", measure="weight")]
    assert sum(weights) == 100
    first = next(t for t in tongnan.tables if t.label == "附件 12-1")
    assert first.project_code == "50015222T000000135300"
    by_row = {(c.row_code, c.measure): c for c in tongnan.cells if c.table_index == first.table_index}
    assert by_row[("project_amount", "value")].amount == Decimal("206.78")
    assert by_row[("1", "indicator_level3")].raw_text == "劳务派遣工作人员"
    assert by_row[("1", "weight")].amount == 5 and by_row[("1", "target_value")].amount == 35


def test_metadata(qijiang: Extraction, tongnan: Extraction) -> None:
    d = tongnan.document
    assert (d.fiscal_year, d.document_type, d.unit_code) == (2022, "budget", "363001")
    assert (d.department_name, d.province_name, d.region_name) == (
        "重庆市潼南区政务服务管理办公室",
        "重庆市",
        "潼南区",
    )
    d = qijiang.document
    assert (d.fiscal_year, d.document_type, d.unit_code) == (2024, "budget", "201001")
    assert (d.department_name, d.province_name, d.region_name) == (
        "重庆市綦江区政务服务管理办公室",
        "重庆市",
        "綦江区",
    )


def test_narrative_figures(tongnan: Extraction) -> None:
    figures = {(f.figure_key, f.subject_name): f.amount for f in tongnan.narrative}
    expected = {
        "income_total": "1996.06",
        "expenditure_total": "1996.06",
        "basic_total": "320.61",
        "project_total": "1675.45",
        "three_public_total": "6",
        "reception": "2",
        "vehicle_operation": "4",
        "operating_expenses": "79.53",
        "income_change": "69.70",
        "expenditure_change": "69.69",
        "basic_change": "-168.26",
        "project_change": "237.95",
        "operating_expenses_change": "11.33",
        "three_public_change": "0",
        "procurement_total": "0",
        "performance_project_amount": "1661.73",
    }
    for key, value in expected.items():
        assert figures[(key, None)] == Decimal(value), key
    assert figures[("expenditure_by_class", "一般公共服务")] == Decimal("1932.10")
    assert figures[("expenditure_by_class", "卫生健康支出")] == Decimal("15.92")
    income = next(f for f in tongnan.narrative if f.figure_key == "income_total")
    assert "收入预算" in income.sentence and income.fiscal_year == 2022


_NUMERIC = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?$")


def _published_numbers(path: Path) -> int:
    """Numeric cells of tab-separated rows, except a row's leading integer (a code or an ordinal)."""
    count = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if "\t" not in line:
            continue
        fields = [f.strip() for f in line.split("\t")]
        first = next((i for i, f in enumerate(fields) if f), None)
        for i, text in enumerate(fields):
            if _NUMERIC.match(text) and not (i == first and text.isdigit()):
                count += 1
    return count


@pytest.mark.parametrize("seed", [SEED_QIJIANG, SEED_TONGNAN])
def test_every_published_number_is_staged(seeds_dir: Path, seed: str) -> None:
    extraction = extract_file(seeds_dir / seed)
    staged = sum(1 for c in extraction.cells if c.amount is not None)
    assert staged == _published_numbers(seeds_dir / seed)
    keys = [(c.table_index, c.row_index, c.col_index) for c in extraction.cells]
    assert len(keys) == len(set(keys))

"""Narrative figures quoted in 元 or 亿元 (issue 20): read with their unit, staged in 万元 with the unit and
the printed text kept, and compared with the tables in 万元 at the rounding of the coarser unit."""

from __future__ import annotations

from decimal import Decimal as D

from rule_warehouse import Col, Doc, Warehouse

from expectations.runner import validate
from extractors.interpret.narrative import read_figures
from extractors.model import Cell, Line


def _lines(*texts: str) -> list[Line]:
    return [Line(cells=[Cell(t, page=2)], page=2, is_row=False) for t in texts]


def test_figures_are_read_with_their_unit_and_staged_in_wan_yuan():
    figures = read_figures(_lines(
        "2024年政府采购预算总额为74,300.00元。",
        "2024年支出预算总额1.23亿元，其中：一般公共服务12,000.00万元，社会保障和就业3000000.00元。",
        "“三公”经费预算数为25.60万元。",
        "基本支出较上年减少1,000.00元。",
    ), "d", 2024)
    got = {(f.figure_key, f.subject_name): (f.amount, f.unit_name, f.raw_text) for f in figures}
    assert got[("procurement_total", None)] == (D("7.43"), "元", "74,300.00元")
    assert got[("expenditure_total", None)] == (D("12300"), "亿元", "1.23亿元")
    assert got[("expenditure_by_class", "一般公共服务")] == (D("12000.00"), "万元", "12,000.00万元")
    assert got[("expenditure_by_class", "社会保障和就业")] == (D("300"), "元", "3000000.00元")
    assert got[("three_public_total", None)] == (D("25.60"), "万元", "25.60万元")
    assert got[("basic_change", None)] == (D("-0.1"), "元", "1,000.00元")


def test_shares_relate_amounts_of_one_unit():
    """A share whose part and base are printed in one unit is read as printed (a ratio has no unit)."""
    sentence = ("一般公共预算财政拨款支出9746.50元，主要用于以下方面："
                "社会保障和就业支出（类）754.75元，占7.74%。")
    figures = read_figures(_lines(sentence), "d", 2024)
    assert [(f.subject_name, f.amount, f.unit_name) for f in figures if f.figure_key == "share"] == [
        ("754.75/9746.50/7.74", D("7.74"), "%")]


PROCUREMENT = [Col("合计", "total")]
SUMMARY = [Col("收入", "amount", group="income"), Col("支出", "total", group="expenditure")]


def _budget(w: Warehouse, document_id: str) -> Doc:
    doc = w.document(Doc(document_id, 2024, department=document_id))
    w.table(doc, 1, "department_summary", SUMMARY, [
        ("income", "total", "income_total", "收入总计", "12345.67"),
        ("expenditure", "total", "expenditure_total", "支出总计", None, "12345.67"),
    ])
    w.table(doc, 9, "procurement", PROCUREMENT, [("total", "total", "合计", "7.43")])
    return doc


def _places(summary, document_id, rule_id):
    r = summary.results
    r = r[(r["document_id"] == document_id) & (r["rule_id"] == rule_id)]
    return {(x.subject_code, x.expected_amount, x.actual_amount, x.passed) for x in r.itertuples()}


def test_rules_compare_in_wan_yuan_at_the_quote_rounding(warehouse):
    w = Warehouse(warehouse)
    # consistent: 74,300.00 元 is 7.43 万元; 1.23 亿元 is 12,345.67 万元 rounded to 0.01 亿元
    doc = _budget(w, "consistent")
    w.narrative(doc, "procurement_total", "7.43", unit_name="元", raw_text="74,300.00元")
    w.narrative(doc, "expenditure_total", "12300", unit_name="亿元", raw_text="1.23亿元")
    # slipped: 743,000.00 元 is 74.30 万元; 1.25 亿元 is 155 万元 beyond what 1.23 亿元 rounds from
    doc = _budget(w, "slipped")
    w.narrative(doc, "procurement_total", "74.3", unit_name="元", raw_text="743,000.00元")
    w.narrative(doc, "expenditure_total", "12500", unit_name="亿元", raw_text="1.25亿元")
    w.close()
    summary = validate(warehouse, run_id="t")
    assert _places(summary, "consistent", "BW-NAR-007") == {("procurement_total", D("7.43"), D("7.43"), True)}
    assert _places(summary, "consistent", "BW-NAR-001") == {
        ("expenditure_total", D("12345.67"), D("12300.00"), True)}
    assert _places(summary, "slipped", "BW-NAR-007") == {("procurement_total", D("7.43"), D("74.30"), False)}
    assert _places(summary, "slipped", "BW-NAR-001") == {
        ("expenditure_total", D("12345.67"), D("12500.00"), False)}

"""Final-account rules on small warehouses: the side-by-side basic table, 人员经费 quoted in the narrative,
and shares (占 x%) recomputed from the amounts they relate, with the printed precision of each number.

The figures are those of 上海市普陀区规划和自然资源局 2024 (../shared/real/29, pages 7, 14-16, 20-24), whose
real PDF tests/e2e/test_real_final_accounts.py runs through the whole pipeline.
"""

from __future__ import annotations

from decimal import Decimal as D

from rule_warehouse import Col, Doc, Warehouse

from expectations.runner import validate

SUMMARY_COLUMNS = [Col("收入 / 决算数", "amount", group="income"),
                   Col("支出 / 决算数", "total", group="expenditure")]
FUNCTION_COLUMNS = [Col("合计", "total"), Col("基本支出", "basic"), Col("项目支出", "project")]
SIDE_BY_SIDE = [Col("决算数", "total")]  # one amount column per list; the lists share its label


def _final_account(w: Warehouse, document_id: str, public_operation_total: str) -> Doc:
    doc = w.document(Doc(document_id, 2024, department=document_id, document_type="final_account"))
    w.table(doc, 1, "final_income_expenditure_summary", SUMMARY_COLUMNS, [
        ("income", "income_source", "general_budget", "一、一般公共预算财政拨款收入", "9746.50"),
        ("expenditure", "expenditure_class", "208", "八、社会保障和就业支出", None, "754.75"),
        ("expenditure", "expenditure_class", "210", "九、卫生健康支出", None, "236.63"),
        ("expenditure", "expenditure_class", "212", "十一、城乡社区支出", None, "3845.25"),
        ("expenditure", "expenditure_class", "220", "十八、自然资源海洋气象等支出", None, "4461.67"),
        ("expenditure", "expenditure_class", "221", "十九、住房保障支出", None, "461.08"),
        ("income", "total", "income_current_year", "本年收入合计", "9746.50"),
        ("expenditure", "total", "expenditure_current_year", "本年支出合计", None, "9759.38"),
    ], page=7)
    w.table(doc, 5, "final_general_budget_expenditure", FUNCTION_COLUMNS, [
        ("subject", "208", "社会保障和就业支出", "754.75", "754.75", "0.00"),
        ("subject", "210", "卫生健康支出", "236.64", "236.64", "0.00"),
        ("subject", "212", "城乡社区支出", "3832.36", "1572.70", "2259.65"),
        ("subject", "220", "自然资源海洋气象等支出", "4461.67", "2339.58", "2122.09"),
        ("subject", "221", "住房保障支出", "461.08", "461.08", "0.00"),
        ("total", "total", "合计", "9746.50", "5364.75", "4381.74"),
    ], page=14)
    # 301 | 302 printed side by side: each printed line gives one row per list, as the interpreter stages it
    w.table(doc, 6, "final_general_budget_basic_expenditure", SIDE_BY_SIDE, [
        ("subject", "301", "工资福利支出", "4816.14"),
        ("subject", "302", "商品和服务支出", "440.90"),
        ("subject", "303", "对个人和家庭的补助", "67.96"),
        ("subject", "310", "资本性支出", "39.76"),
        ("total", "personnel_total", "人员经费合计", "4884.09"),
        ("total", "public_operation_total", "公用经费合计", public_operation_total),
    ], page=16)
    return doc


def _places(summary, document_id, rule_id):
    r = summary.results
    r = r[(r["document_id"] == document_id) & (r["rule_id"] == rule_id)]
    return {(x.subject_code, x.expected_amount, x.actual_amount, x.passed) for x in r.itertuples()}


def test_side_by_side_basic_table_totals_are_checked(warehouse):
    w = Warehouse(warehouse)
    _final_account(w, "consistent", "480.66")
    _final_account(w, "slipped", "408.66")  # transposed digits in 公用经费合计
    w.close()
    summary = validate(warehouse, run_id="t")
    assert _places(summary, "consistent", "BW-XTB-002") == {("basic_total", D("5364.75"), D("5364.75"), True)}
    assert _places(summary, "consistent", "BW-ROW-002") == {("total", D("5364.76"), D("5364.75"), True)}
    assert _places(summary, "slipped", "BW-XTB-002") == {("basic_total", D("5364.75"), D("5292.75"), False)}
    assert _places(summary, "slipped", "BW-ROW-002") == {("total", D("5364.76"), D("5292.75"), False)}


def test_narrative_personnel_and_shares(warehouse):
    w = Warehouse(warehouse)
    doc = _final_account(w, "putuo", "480.66")
    w.narrative(doc, "personnel_total", "4896.98")
    w.narrative(doc, "public_operation_total", "480.66")
    # 占本年支出合计的 99.86%: 9746.50 / 9759.38 (the summary's 本年支出合计) is 99.868 %
    w.narrative(doc, "share", "99.86", "9746.50/current_expenditure_total/99.86")
    # 完成年初预算的 95.45%: 9746.50 / 10210.34 is 95.457 %
    w.narrative(doc, "share", "95.45", "9746.50/10210.34/95.45")
    # quoted to one decimal (国家信访局: 19572.91 of 20451.35 占 95.7%) and from small amounts (0.39 of
    # 2.85 is 13.68 %, anything from 13.5 % to 13.9 % with those printed amounts): consistent
    w.narrative(doc, "share", "95.7", "19572.91/20451.35/95.7")
    w.narrative(doc, "share", "13.68", "0.39/2.85/13.68")
    w.narrative(doc, "share", "0.8", "4.7/590.53/0.8")
    w.close()
    summary = validate(warehouse, run_id="t")
    assert _places(summary, "putuo", "BW-NAR-009") == {
        ("personnel_total", D("4884.09"), D("4896.98"), False),
        ("public_operation_total", D("480.66"), D("480.66"), True),
    }
    assert _places(summary, "putuo", "BW-NAR-010") == {
        ("share", D("99.87"), D("99.86"), False),
        ("share", D("95.46"), D("95.45"), False),
        ("share", D("95.70"), D("95.70"), True),
        ("share", D("13.68"), D("13.68"), True),
        ("share", D("0.80"), D("0.80"), True),
    }

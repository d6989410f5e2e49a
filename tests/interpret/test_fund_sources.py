"""Spending split by the money paying for it (issue 15 item 2): every fund column of an expenditure,
basic-expenditure or project table takes a measure of its own, and the 小计 under 财政拨款 is all
appropriations, never the line's total. Headers and figures as printed by Yantai, Hangzhou and Xi'an."""

from __future__ import annotations

from decimal import Decimal

from extractors.interpret.grid import GridReader, build_columns
from extractors.interpret.segment import Block
from extractors.model import Cell, Line

# Yantai 基本支出预算情况表 (公开表10), 183 发展和改革委员会 p.22
YANTAI_BASIC = [
    ["科目编码", "", "部门预算支出经济分类科目", "科目编码", "", "政府预算支出经济分类科目", "合计",
     "财政拨款", "", "", "", "财政专户管理资金", "单位资金", "使用非财政拨款结余", "上年结转"],
    ["类", "款", "", "类", "款", "", "", "小计", "一般公共预算", "政府性基金预算", "国有资本经营预算",
     "", "", "", ""],
]
# Yantai 项目支出预算情况表 (公开表11), same document p.25
YANTAI_PROJECTS = [
    ["项目名称", "项目类别", "合计", "财政拨款", "", "", "", "财政专户管理资金", "单位资金",
     "使用非财政拨款结余", "上年结转"],
    ["", "", "", "小计", "一般公共预算", "政府性基金预算", "国有资本经营预算", "", "", "", ""],
]
# Hangzhou 2026年市级部门项目支出预算表, 149 司法局 p.37
HANGZHOU_PROJECTS = [
    ["单位名称", "项目名称", "总计", "财政拨款收入", "", "", "财政专户管理资金", "单位资金"],
    ["", "", "", "一般公共预算", "政府性基金", "国有资本经营预算", "", ""],
    ["**", "**", "1", "2", "3", "4", "5", "6"],
]
# Xi'an 部门综合预算支出总表, 171 公安局 p.24
XIAN_EXPENDITURE = [
    ["单位编码", "单位名称", "部门预算", "", "", "", "", "", "", "", "", ""],
    ["", "", "合计", "一般公共预算拨款", "", "政府性基金拨款", "事业收入", "事业单位经营收入",
     "对附属单位上缴收入", "上年实户资金余额", "其他收入", "上年结转"],
    ["", "", "", "小计", "其中：专项资金列入部门预算的项目", "", "", "", "", "", "", ""],
]


def _measures(header, family):
    columns = build_columns(header, len(header[0]), family, 2026)
    return [c.measure for c in columns if c.role == "value"]


def test_yantai_basic_spending_by_fund_reads_each_fund_and_one_total():
    assert _measures(YANTAI_BASIC, "basic_expenditure") == [
        "total", "fiscal_appropriation", "general_budget", "government_fund", "state_capital",
        "fiscal_special_account", "unit_funds", "non_fiscal_balance_used", "prior_year_carryover"]


def test_project_tables_by_fund_read_each_fund_and_one_total():
    assert _measures(YANTAI_PROJECTS, "projects") == [
        None, "total", "fiscal_appropriation", "general_budget", "government_fund", "state_capital",
        "fiscal_special_account", "unit_funds", "non_fiscal_balance_used", "prior_year_carryover"]
    assert _measures(HANGZHOU_PROJECTS, "projects") == [
        "total", "general_budget", "government_fund", "state_capital", "fiscal_special_account",
        "unit_funds"]


def test_xian_spending_by_source_keeps_the_special_projects_as_a_part_of_the_general_budget():
    assert _measures(XIAN_EXPENDITURE, "expenditure") == [
        "total", "general_budget", "general_budget_special_projects", "government_fund", "business_income",
        "business_operation", "subordinate_remittance", "prior_year_account_balance", "other",
        "prior_year_carryover"]


def test_an_appropriations_subtotal_is_the_total_only_where_nothing_else_is_printed():
    header = [["科目名称", "财政拨款", "", ""], ["", "小计", "一般公共预算", "政府性基金预算"]]
    assert _measures(header, "basic_expenditure") == ["total", "general_budget", "government_fund"]
    header = [["科目名称", "财政拨款", "", "单位资金"], ["", "小计", "一般公共预算", ""]]
    assert _measures(header, "basic_expenditure") == ["fiscal_appropriation", "general_budget", "unit_funds"]


def _line(*texts):
    return Line([Cell(t, page=22) for t in texts], page=22)


def test_yantai_total_line_lands_its_total_and_each_fund():
    """p.22 of 183_烟台: 合计 5,839.90 = 财政拨款 5,835.90 (all 一般公共预算) + 单位资金 4.00: the line's
    total is 5,839.90, never the appropriations' 5,835.90."""
    block = Block("基本支出预算情况表", None, parts=[[
        *(_line(*row) for row in YANTAI_BASIC),
        _line("", "", "合计", "", "", "", "5,839.90", "5,835.90", "5,835.90", "", "", "", "4.00", "", ""),
        _line("301", "", "工资福利支出", "501", "", "机关工资福利支出", "2,640.60", "2,640.60", "2,640.60",
              "", "", "", "", "", ""),
    ]])
    result = GridReader(block, 0, "doc", "department_basic_economic_expenditure", "basic_expenditure", 2026,
                        Decimal(1), False).read()
    staged = {(c.row_code, c.measure): c.amount for c in result.cells if c.amount is not None}
    assert staged == {
        ("total", "total"): Decimal("5839.90"),
        ("total", "fiscal_appropriation"): Decimal("5835.90"),
        ("total", "general_budget"): Decimal("5835.90"),
        ("total", "unit_funds"): Decimal("4.00"),
        ("301", "total"): Decimal("2640.60"),
        ("301", "fiscal_appropriation"): Decimal("2640.60"),
        ("301", "general_budget"): Decimal("2640.60"),
    }
    assert not [i for i in result.issues if i.code in ("unmapped_column", "unmeasured_column")]

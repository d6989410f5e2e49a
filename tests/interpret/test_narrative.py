"""Narrative figures are bound to the subject the text prints them for (issue 15): a figure named by a
transfer, a fund or a part is not the department's total, and a list's parts are its head's."""

from __future__ import annotations

from decimal import Decimal

from extractors.interpret.narrative import read_figures
from extractors.model import Cell, Line


def _figures(*texts: str) -> set[tuple[str, Decimal, str | None]]:
    lines = [Line([Cell(t, page=1)], page=1, is_row=False) for t in texts]
    return {(f.figure_key, f.amount, f.subject_name) for f in read_figures(lines, "doc", 2026)}


def _keys(*texts: str) -> dict[str, set[Decimal]]:
    found: dict[str, set[Decimal]] = {}
    for key, amount, _ in _figures(*texts):
        found.setdefault(key, set()).add(amount)
    return found


def test_a_transfers_expenditure_is_not_the_departments():
    """深圳 宣传部 p.14: 本部门上级专项转移支付支出预算1,610.00万元 is the superior transfer projects'
    (1,100 + 510 carried over), not 支出预算 (149,200.90)."""
    keys = _keys("2026 年本部门上级专项转移支付支出预算 1,610.00 万元（其中 380.00 万元为政府性基金预算、"
                 "1,230.00 万元为一般公共预算），较 2025 年年初预算增加 1,210.00 万元。")
    assert "expenditure_total" not in keys
    # the department's own 支出预算 is read as before
    assert _keys("（二）支出预算：2026 年本单位支出预算 656.73 万元，其中：教育支出 656.73 万元。")[
        "expenditure_total"] == {Decimal("656.73")}


def test_one_funds_income_is_not_the_departments():
    """湖北 (194, 196 …): （2）政府性基金收入预算0万元 is one fund's, not 收入预算 (income_total 0)."""
    keys = _keys("（1）一般公共预算收入预算18330.37万元，与上年相比增加2432.93万元。",
                 "（2）政府性基金收入预算0万元，与上年相比增加（减少）0万元，增长（减少）0%。")
    assert keys["income_total"] == {Decimal("18330.37")}


def test_a_project_lists_classes_are_not_the_departments():
    """长沙 教育局 p.7-8: 项目支出预算270.00万元，…其中：教育支出270.00万元 is the projects' share of
    class 205 (656.73 in all, p.6), not the class; the department's own list is read."""
    projects = _figures("（二）项目支出：2026 年本单位项目支出预算 270.00 万元，主要是单位为完成特定行政工作"
                        "任务或事业发展目标而发生的支出，包括有关事业发展专项、专项业务费、基本建设支出等，"
                        "其中：教育支出 270.00 万元，主要用于增加水费、电费、燃气费等项目支出。")
    assert ("project_total", Decimal("270.00"), None) in projects
    assert not [f for f in projects if f[0] == "expenditure_by_class"]
    department = _figures("（二）支出预算：2026 年本单位支出预算 656.73 万元，其中：教育支出 656.73 万元。")
    assert ("expenditure_by_class", Decimal("656.73"), "教育支出") in department


def test_the_parts_of_operating_expenses_are_not_three_public_figures():
    """西安 人社局 p.25: 机关运行经费预算总计82万元，其中：…公务接待费2万元…公务用车运行维护费12万元 lists
    机关运行经费's parts; the 三公 figures are p.23's (公务接待费 3.30, 公务用车购置及运行维护费 26)."""
    keys = _keys("十、机关运行经费安排情况",
                 "2020 年机关运行经费预算总计82万元，其中：办公经费41.47万元，公务接待费2万元，委托业务费"
                 "7.28万元，工会经费17.25万元，公务用车运行维护费12万元，其他商品和服务支出2万元。")
    assert not {"reception", "vehicle_operation"} & keys.keys()
    three_public = _keys("六、部门预算“三公”经费等预算情况",
                         "2020 年“三公”经费预算合计 29.30万元，其中：因公出国（境）费0万元，"
                         "公务接待费 3.30万元，公务用车购置及运行维护费 26万元（2020年车辆保有量 10辆）。")
    assert three_public["reception"] == {Decimal("3.30")}
    assert three_public["outbound_travel"] == {Decimal("0")}
    # a list of 三公 parts whose head is in the sentence before (潼南 seed) is read as before
    seed = _keys("2022 年“三公”经费预算 6 万元，与 2021 年持平。",
                 "其中：公务接待费 2 万元，公务用车运行维护费 4 万元。")
    assert seed["reception"] == {Decimal("2")} and seed["vehicle_operation"] == {Decimal("4")}
    vehicles = _keys("公务用车购置及运行经费 10 万元，其中：公务用车购置费 6 万元，公务用车运行维护费 4 万元")
    assert vehicles["vehicle_purchase"] == {Decimal("6")} and vehicles["vehicle_operation"] == {Decimal("4")}


def test_the_sections_of_a_narrative_by_unit_quote_no_department_figures():
    """深圳 生态环境局 2026 p.10–35: 第三部分 describes each unit in a section of its own (一、深圳市生态环境
    局（本级） …项目支出54,693.88万元, 二、深圳市饮用水源保护管理办公室 …): their figures are the units', not
    the department's 115,235.54; the part after them (第五部分 “三公”) is the department's again."""
    keys = _keys(
        "第二部分 收支预算总体情况",
        "2026年部门预算支出190,281.97万元，其中项目支出138,907.24万元。",
        "第三部分 部门预算支出具体情况",
        "一、深圳市生态环境局（本级）",
        "深圳市生态环境局（本级）预算63,051.28万元，包括在职人员经费6,011.73万元、项目支出54,693.88万元。",
        "二、深圳市饮用水源保护管理办公室",
        "深圳市饮用水源保护管理办公室预算4,291.51万元，包括在职人员经费1,291.62万元、项目支出",
        "2,611.52万元。",
        "第五部分 财政拨款“三公”经费预算情况",
        "2026年财政拨款“三公”经费预算581.59万元。",
    )
    assert keys["project_total"] == {Decimal("138907.24")}
    assert "personnel_total" not in keys
    assert keys["three_public_total"] == {Decimal("581.59")}
    # one section naming a unit (the department itself) is the department's
    assert _keys("一、深圳市生态环境局", "深圳市生态环境局预算63,051.28万元，包括项目支出54,693.88万元。")[
        "project_total"] == {Decimal("54693.88")}

"""Layouts found by comparing with the hand-checked truth (tests/truth/real_wide)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from extractors.interpret import interpret
from extractors.model import Cell, Extraction, Line, SourceDocument


def document(*lines: str | list[str], page: int = 1) -> SourceDocument:
    """Text lines are given as str, table rows as lists of cell texts."""
    built: list[Line] = []
    for line in lines:
        if isinstance(line, str):
            built.append(Line(cells=[Cell(line, page=page)], page=page, is_row=False))
        else:
            built.append(Line(cells=[Cell(text, page=page) for text in line], page=page))
    return SourceDocument(path=Path("doc.pdf"), sha256="cd" * 32, file_type="pdf", lines=built)


def by(e: Extraction, **where: object) -> list:
    return [c for c in e.cells if all(getattr(c, k) == v for k, v in where.items())]


def test_three_public_with_years_as_rows() -> None:
    """Shenzhen 财政拨款“三公”经费支出表: 预算单位 | 年度 | 总计 …, one row per year, then 增减变化金额."""
    e = interpret(document(
        "2026年财政拨款“三公”经费支出表",
        "单位：万元",
        ["预算单位", "年度", "总计", "因公出国(境)费", "公务接待费", "公务用车购置及运行维护费"],
        ["深圳市某某局", "2025年", "65.75", "52.40", "4.55", "8.80"],
        ["", "2026年", "121.95", "108.60", "4.55", "8.80"],
        ["", "增减变化金额", "56.20", "56.20", "0.00", "0.00"],
    ))
    totals = {(c.fiscal_year, c.measure): c.amount for c in by(e, row_kind="total") if c.measure}
    assert totals[(2025, "total")] == Decimal("65.75")
    assert totals[(2026, "total")] == Decimal("121.95")
    assert totals[(2026, "outbound_travel")] == Decimal("108.60")
    # the 增减变化金额 row: each column's change, as printed
    change = {c.measure: c.amount for c in e.cells if c.row_index == 2}
    assert change == {"total_change": Decimal("56.20"), "outbound_travel_change": Decimal("56.20"),
                      "reception_change": Decimal("0.00"), "vehicle_total_change": Decimal("0.00")}
    assert not [i for i in e.issues if i.code in ("unmapped_column", "unmeasured_column")]


def test_three_public_split_by_fund_keeps_every_fund() -> None:
    """Shenzhen 生态环境局 2026 p.232: each part under 一般公共预算 | 政府性基金预算 | 国有资本经营预算,
    years as rows: the general budget's column is the part; the other funds' are that part's figure of
    their fund, their change too."""
    funds = ["一般公共预算", "政府性基金预算", "国有资本经营预算"]
    e = interpret(document(
        "2026年财政拨款“三公”经费支出表",
        "单位：万元",
        ["预算单位", "年度", "总计", "", "", "公务接待费", "", ""],
        ["", "", *funds, *funds],
        ["深圳市生态环境局", "2025年", "608.54", "1.00", "0.00", "25.74", "1.00", "0.00"],
        ["", "2026年", "581.59", "0.00", "2.00", "25.19", "0.00", "2.00"],
        ["", "增减变化金额", "-26.95", "-1.00", "2.00", "-0.55", "-1.00", "2.00"],
    ))
    got = {(c.fiscal_year, c.measure): c.amount for c in by(e, row_kind="total")}
    assert got[(2025, "total")] == Decimal("608.54")
    assert got[(2025, "total_government_fund")] == Decimal("1.00")
    assert got[(2026, "reception_state_capital")] == Decimal("2.00")
    assert got[(2026, "total_change")] == Decimal("-26.95")
    assert got[(2026, "reception_government_fund_change")] == Decimal("-1.00")
    assert None not in {c.measure for c in e.cells}
    assert not [i for i in e.issues if i.code in ("unmapped_column", "unmeasured_column")]


def test_three_public_change_columns_and_the_total_with_meetings() -> None:
    """Xi'an 2022 三公、会议费、培训费表: 2021年 | 2022年 | 增减变化情况, each a 合计 over a 三公 group's
    小计, 会议费 and 培训费: the change columns are each figure's change; a 合计 that adds 会议费 and 培训费
    is a figure of its own; a rate (增减%) is no amount."""
    groups = ["2021年", "2022年", "增减变化情况"]
    header_top = [g for g in groups for _ in range(4)]
    e = interpret(document(
        "2022年部门综合预算一般公共预算拨款“三公”经费、会议费、培训费表",
        "单位：元",
        ["单位名称", *header_top, "增减%"],
        ["", *(["合计", "一般公共预算拨款安排的“三公”经费预算", "会议费", "培训费"] * 3), ""],
        ["", *(["", "小计", "", ""] * 3), ""],
        ["西安市某某局", "30.00", "20.00", "6.00", "4.00", "33.00", "21.00", "7.00", "5.00",
         "3.00", "1.00", "1.00", "1.00", "10.00"],
    ))
    got = {c.col_index: c.measure for c in e.cells if c.amount is not None}
    assert [got[i] for i in range(1, 13)] == [
        *[f"{m}{s}" for s in ("", "", "_change") for m in
          ("total_with_meeting_training", "total", "meeting", "training")]]
    assert got[13] is None


def test_title_wrapped_inside_a_word() -> None:
    """江苏检察院 2017: 十一、一般公共预算“三公”经费、会议费、培训费支出预 / 算表."""
    e = interpret(document(
        "十一、一般公共预算“三公”经费、会议费、培训费支出预",
        "算表",
        "单位：万元",
        ["合计", "因公出国（境）费", "公务接待费"],
        ["20.00", "10.00", "10.00"],
    ))
    assert [t.table_type for t in e.tables] == ["three_public_expenses"]


def test_current_year_subtotal_and_carryover_split_by_appropriation() -> None:
    """江苏 当年收入小计; Shenzhen 上年结余、结转 split into 财政拨款 / 非财政拨款 lines."""
    e = interpret(document(
        "2026年收支总表",
        "单位：万元",
        ["收入", "", "支出", ""],
        ["项目", "预算数", "项目", "预算数"],
        ["一般公共预算拨款", "100.00", "一般公共服务支出", "130.00"],
        ["当年收入小计", "100.00", "当年支出小计", "130.00"],
        ["上年结余、结转", "30.00", "", ""],
        ["1.财政拨款结余、结转", "20.00", "", ""],
        ["2.非财政拨款结余、结转", "10.00", "", ""],
        ["收入总计", "130.00", "支出总计", "130.00"],
    ))
    assert [c.amount for c in by(e, row_code="income_current_year")] == [Decimal("100.00")]
    parts = by(e, row_kind="income_source", row_code="prior_year_carryover")
    assert [c.amount for c in parts] == [Decimal("20.00"), Decimal("10.00")]


def test_names_coded_by_their_place() -> None:
    """Hangzhou: 其他社会保障缴费 after 30110 is 30112 (30104 comes before); 一般行政管理事务 after 2040701
    is 2040702, the xx02 every 款 prints it as."""
    e = interpret(document(
        "2026年一般公共预算基本支出预算表",
        "单位：万元",
        ["科目名称", "合计"],
        ["工资福利支出", "10.00"],
        ["职工基本医疗保险缴费", "6.00"],
        ["其他社会保障缴费", "4.00"],
    ))
    assert "30112" in {c.row_code for c in e.cells}
    e = interpret(document(
        "2026年一般公共预算支出预算表",
        "单位：万元",
        ["科目名称", "合计"],
        ["公共安全支出", "10.00"],
        ["监狱", "10.00"],
        ["行政运行", "6.00"],
        ["一般行政管理事务", "4.00"],
    ))
    assert "2040702" in {c.row_code for c in e.cells}


def test_a_summarys_economic_lists_are_coded_by_scheme_and_purpose() -> None:
    """Xi'an 2020 部门综合预算收支总表 (人社局 p.29): 收入 | 支出功能分类 | 部门预算支出经济分类 |
    政府预算支出经济分类, each list under one 一、部门预算 heading. The department list's classes are
    coded under their purpose line (basic, project), the government list's in 5xx; a name cut at its
    cell's edge is read whole; the totals reprinted under the lists are their lists' economic_total."""
    e = interpret(document(
        "2020年部门综合预算收支总表",
        "单位：万元",
        ["收 入", "", "支 出", "", "", "", "", ""],
        ["项 目", "预算数", "支出功能分类", "预算数", "部门预算支出经济分类", "预算数",
         "政府预算支出经济分类", "预算数"],
        ["一、部门预算", "", "一、部门预算", "", "一、部门预算", "", "一、部门预算", ""],
        ["1、财政拨款", "", "1、一般公共服务", "56.52", "1、人员经费和公用经费支出", "8563.95",
         "1、机关工资福利支出", "5900.98"],
        ["(1)一般公共预算拨款收入", "181716.56", "2、外交", "0", "(1)工资福利支出", "7804.52",
         "2、机关商品和服务支出", "3423.08"],
        ["5、下级单位上缴收入", "0", "7、文化旅游", "0", "2、专项业务经费支出", "173502.61",
         "9、对个人和家庭的补助", "100151.38"],
        ["", "", "", "", "(5)资本性支出（基本建设", "0", "", ""],
        ["本年收入合计", "182066.56", "本年支出合计", "182066.56", "本年支出合计", "182066.56",
         "本年支出合计", "182066.56"],
    ))
    assert [t.table_type for t in e.tables] == ["department_summary"]
    got = {(c.row_kind, c.row_code, c.row_qualifier): c.amount for c in e.cells if c.amount is not None}
    assert got[("economic_purpose", "basic", None)] == Decimal("8563.95")
    assert got[("economic_class", "301", "basic")] == Decimal("7804.52")
    assert got[("economic_purpose", "project", None)] == Decimal("173502.61")
    assert got[("economic_class", "309", "project")] == Decimal("0")
    assert got[("economic_class", "501", None)] == Decimal("5900.98")
    assert got[("economic_class", "509", None)] == Decimal("100151.38")
    assert got[("expenditure_class", "201", None)] == Decimal("56.52")
    assert got[("expenditure_class", "207", None)] == Decimal("0")  # 文化旅游: 207 as the national list
    assert got[("income_source", "subordinate_remittance", None)] == Decimal("0")
    reprinted = [c.row_qualifier for c in e.cells
                 if c.row_name == "本年支出合计" and c.row_kind == "economic_total"]
    assert sorted(reprinted) == ["department", "government"]
    # the heading 一、部门预算 over the lists prints no figure; nothing else is left unmapped
    assert not [i for i in e.issues if i.code.endswith("_row")]


def test_income_columns_beside_this_years_income() -> None:
    """Xi'an 2022 部门综合预算收入总表 (规划和自然资源局 p.43): 一般公共预算拨款 / 小计 | 其中：专项资金列入
    部门预算项目, and 用事业基金弥补收支差额 and 上年实户资金余额 among the sources the 合计 counts."""
    e = interpret(document(
        "2022年部门综合预算收入总表",
        "金额单位：元",
        ["单位名称", "合计", "一般公共预算拨款", "", "政府性基金拨款", "用事业基金弥补收支差额",
         "上年实户资金余额"],
        ["", "", "小计", "其中：专项资金列入部门预算项目", "", "", ""],
        ["西安市自然资源和规划信息中心", "49053839.28", "1046239.28", "100.00", "0.00", "48007600.00",
         "0.00"],
    ))
    got = {c.measure: c.amount for c in e.cells if c.amount is not None}
    assert got["general_budget_special_projects"] == Decimal("0.0100")
    assert got["business_fund_used"] == Decimal("4800.7600")
    assert got["prior_year_account_balance"] == Decimal("0")
    assert not [i for i in e.issues if i.code in ("unmapped_column", "unmeasured_column")]


def test_a_three_public_list_split_by_fund_beside_its_total() -> None:
    """Guangzhou 财政拨款安排的行政经费及“三公”经费预算表 (商务局 2026 p.20): 项目 | 合计 |
    一般公共预算 | 政府性基金预算 | 国有资本经营预算, one line a part: the 合计 column is the part, each
    fund's column that part's figure of its fund; 行政经费, printed first, is a figure of its own
    (administrative_expenses), no 三公 part, and the list's figures are staged in its 三公 line."""
    e = interpret(document(
        "2026年财政拨款安排的行政经费及“三公”经费预算表",
        "单位：万元",
        ["项目", "合计", "一般公共预算", "政府性基金预算", "国有资本经营预算"],
        ["行政经费", "3,555.29", "3,555.29", "0.00", "0.00"],
        ["“三公”经费", "304.63", "304.63", "0.00", "0.00"],
        ["其中：（一）因公出国（境）支出", "250.00", "250.00", "0.00", "0.00"],
        ["（二）公务用车购置及运行维护支出", "9.73", "9.73", "0.00", "0.00"],
        ["（三）公务接待费支出", "44.90", "44.90", "0.00", "0.00"],
    ))
    got = {c.measure: c.amount for c in e.cells if c.row_kind == "total" and c.measure}
    assert got["total"] == Decimal("304.63")
    assert got["total_general_budget"] == Decimal("304.63")
    assert got["reception"] == Decimal("44.90")
    assert got["reception_state_capital"] == Decimal("0.00")
    assert got["outbound_travel_government_fund"] == Decimal("0.00")
    assert got["administrative_expenses"] == Decimal("3555.29")
    assert got["administrative_expenses_general_budget"] == Decimal("3555.29")
    assert {c.row_name for c in e.cells if c.row_kind == "total"} == {"“三公”经费"}
    assert not [i.message for i in e.issues if i.code in ("unmapped_row", "unmapped_column")]


def test_income_parts_of_a_special_account_and_summary_lines_of_their_own() -> None:
    """Guangzhou 收入总体情况表: 财政专户拨款收入 / 教育收费 | 其他专户收入拨款 (no 小计); Guangzhou's
    and Xi'an's summaries: 一、预算拨款 over its funds, 二十四、对附属单位补助支出 and 二十五、上缴上级支出
    after the classes, 用事业基金弥补收支差额, 未安排支出的实户资金; 江苏's 公共财政拨款(补助)资金; a
    会议费明细表's 人数, a count."""
    income = interpret(document(
        "2026年收入总体情况表",
        "单位：万元",
        ["单位名称", "合计", "财政专户拨款收入", "", "公共财政拨款(补助)资金"],
        ["", "", "教育收费", "其他专户收入拨款", ""],
        ["合计", "30.00", "10.00", "5.00", "15.00"],
    ))
    measures = {c.measure: c.amount for c in income.cells if c.amount is not None}
    assert measures["fiscal_special_account_education_fees"] == Decimal("10.00")
    assert measures["fiscal_special_account_other"] == Decimal("5.00")
    summary = interpret(document(
        "2026年收支总体情况表",
        "单位：万元",
        ["收入", "", "支出", ""],
        ["项目", "预算", "项目", "预算"],
        ["一、预算拨款", "30.00", "一、一般公共服务支出", "30.00"],
        ["一般公共预算", "30.00", "二十四、对附属单位补助支出", "0.00"],
        ["用事业基金弥补收支差额", "0.00", "二十五、上缴上级支出", "0.00"],
        ["本年收入合计", "30.00", "本年支出合计", "30.00"],
        ["", "", "未安排支出的实户资金", "0.00"],
    ))
    lines = {(c.row_group, c.row_kind, c.row_code) for c in summary.cells if c.amount is not None}
    assert {("income", "total", "fiscal_appropriation"), ("income", "income_source", "general_budget"),
            ("income", "total", "business_fund_used"), ("expenditure", "total", "subsidy_to_subordinate"),
            ("expenditure", "total", "remittance_to_superior"),
            ("expenditure", "total", "unspent_account_balance")} <= lines
    assert not [i for i in summary.issues if i.code == "unmapped_row"]
    meetings = interpret(document(
        "会议费明细表",
        "单位：万元",
        ["序号", "会议名称", "时间", "人数", "金额", "备注"],
        ["1", "全市审计业务会", "4月", "100", "2.00", ""],
    ))
    assert [(c.row_kind, c.row_name, c.amount) for c in meetings.cells if c.amount is not None] == [
        ("item", "全市审计业务会", Decimal("2.00"))]
    assert meetings.document.numeric_cell_count == 1
    assert not [i for i in meetings.issues if i.message.startswith("p.")]


def test_a_summarys_income_parts_and_government_class_variants() -> None:
    """Xi'an 2022/2026 部门综合预算收支总表 (自然资源和规划局 p.40, 公安局 p.22): 其中 lines under an income
    line are lines of their own, never another source; the government list's 3、机关资本性支出 and
    4、机关资本性支出（基本建设） are 503 and 504."""
    e = interpret(document(
        "2026年部门综合预算收支总表",
        "单位：元",
        ["收 入", "", "支 出", "", "", ""],
        ["项 目", "预算数", "支出功能分类科目（按大类）", "预算数", "政府预算支出经济科目（按大类）",
         "预算数"],
        ["(1)一般公共预算拨款", "300.00", "1、一般公共服务支出", "300.00", "3、机关资本性支出", "200.00"],
        ["其中：专项资金列入部门预算的项目", "100.00", "", "", "4、机关资本性支出（基本建设）", "100.00"],
        ["其中：纳入财政专户管理的收费", "0.00", "", "", "", ""],
        ["本年收入合计", "300.00", "本年支出合计", "300.00", "本年支出合计", "300.00"],
    ))
    got = {(c.row_kind, c.row_code): c.amount for c in e.cells if c.amount is not None}
    assert got[("total", "general_budget_special_projects")] == Decimal("0.0100")
    assert got[("total", "fiscal_special_account_fees")] == Decimal("0")
    assert got[("income_source", "general_budget")] == Decimal("0.0300")
    assert got[("economic_class", "503")] == Decimal("0.0200")
    assert got[("economic_class", "504")] == Decimal("0.0100")
    assert not [i for i in e.issues if i.message.startswith("p.")]


def test_a_list_of_projects_and_their_goals_by_title() -> None:
    """Hangzhou, Huzhou 2026年市级部门项目支出绩效表 (湖州 退役军人事务局 p.32): 单位名称 | 项目名称 | 金额 |
    项目总体绩效目标, a row of ** marks, its total without a label, then one line a project."""
    e = interpret(document(
        "2026年市级部门项目支出绩效表",
        "万元",
        ["单位名称", "项目名称", "金额", "项目总体绩效目标"],
        ["**", "**", "**", "**"],
        ["", "", "4,651.90", ""],
        ["湖州市军用饮食供应和供水站", "军供保障", "35.00", "面向部队，给过境和训练部队提供饮食。"],
        ["湖州市烈士陵园管理所", "革命烈士纪念及保护", "166.50", "做好陵园内烈士纪念设施设备的修缮维护。"],
    ))
    assert [t.table_type for t in e.tables] == ["project_goals"]
    got = [(c.row_kind, c.row_name, c.measure, c.amount) for c in e.cells if c.amount is not None]
    assert got == [("total", None, "total", Decimal("4651.90")),
                   ("project", "军供保障", "total", Decimal("35.00")),
                   ("project", "革命烈士纪念及保护", "total", Decimal("166.50"))]


def test_an_untitled_table_whose_header_is_printed_as_a_line_of_text() -> None:
    """深圳 司法局 2026: the header of its list of 一级项目 sits at the foot of p.12 as one line of text,
    its rows on p.13."""
    lines = document(
        "第七部分 重点项目预算绩效情况说明",
        "2026年，本单位重点项目绩效目标情况如下：",
        "二级预算单位名称 一级项目名称 预算数（万元） 绩效目标",
        "- 9 -",
        page=12,
    ).lines + document(
        ["深圳市司法局（本级）", "公共法律服务", "3,493.83", "一是开展律师事务所年度检查工作。"],
        ["深圳市司法局（本级）", "机关综合服务", "858.36", "一是提供坚实的物资保障。"],
        page=13,
    ).lines
    e = interpret(SourceDocument(path=Path("doc.pdf"), sha256="cd" * 32, file_type="pdf", lines=lines))
    assert [t.table_type for t in e.tables] == ["project_goals"]
    got = {c.row_name: c.amount for c in e.cells if c.measure == "total"}
    assert got == {"公共法律服务": Decimal("3493.83"), "机关综合服务": Decimal("858.36")}

"""The interpreter on small documents written here, one layout variant each (format-neutral)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from extractors.interpret import interpret
from extractors.model import Cell, DocumentError, Extraction, Line, SourceDocument


def document(*lines: str | list[str], file_type: str = "pdf", page: int = 1) -> SourceDocument:
    """Text lines are given as str, table rows as lists of cell texts; "<page N>" switches page."""
    built: list[Line] = []
    for line in lines:
        if isinstance(line, str) and line.startswith("<page "):
            page = int(line[6:-1])
        elif isinstance(line, str):
            built.append(Line(cells=[Cell(line, page=page)], page=page, is_row=False))
        else:
            built.append(Line(cells=[Cell(text, page=page) for text in line], page=page))
    return SourceDocument(path=Path(f"doc.{file_type}"), sha256="ab" * 32, file_type=file_type, lines=built)


def by(e: Extraction, **where: object) -> list:
    return [c for c in e.cells if all(getattr(c, k) == v for k, v in where.items())]


def test_label_and_title_on_one_line_with_spaced_two_sided_header() -> None:
    e = interpret(
        document(
            "预算01表收支总表",
            "金额单位：万元",
            ["收 入", "", "支 出", ""],
            ["项 目", "预算数", "项 目", "预算数"],
            ["一、一般公共预算拨款收入", "1,200.50", "一、一般公共服务支出", "1,000.50"],
            ["二、事业收入", "", "二、住房保障支出", "200.00"],
            ["收入总计", "1,200.50", "支出总计", "1,200.50"],
        )
    )
    table = e.tables[0]
    assert (table.label, table.table_type, table.unit_name) == ("预算01表", "department_summary", "万元")
    income = by(e, row_kind="income_source", row_code="general_budget")
    assert [(c.row_group, c.measure, c.amount) for c in income] == [("income", "amount", Decimal("1200.50"))]
    housing = by(e, row_kind="expenditure_class", row_code="221")
    assert [(c.row_group, c.measure, c.amount) for c in housing] == [
        ("expenditure", "total", Decimal("200.00"))
    ]
    assert {c.row_code for c in by(e, row_kind="total")} == {"income_total", "expenditure_total"}


def test_label_line_then_title_then_department_line() -> None:
    e = interpret(
        document(
            "公开07表",
            "一般公共预算支出预算表",
            "部门：某省某某办公厅",
            "单位：万元",
            ["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
            ["201", "一般公共服务支出", "30.00", "20.00", "10.00"],
        )
    )
    assert (e.tables[0].label, e.tables[0].table_type) == ("公开07表", "general_budget_expenditure")
    assert e.document.department_name == "某省某某办公厅"
    assert {c.measure: c.amount for c in by(e, row_code="201")} == {
        "total": Decimal("30.00"),
        "basic": Decimal("20.00"),
        "project": Decimal("10.00"),
    }


def test_a_cover_title_wrapped_after_the_year_names_the_department_and_sentences_do_not() -> None:
    """Yantai 2026: the cover prints 2026年烟台市文化和旅游局部门 | 预算 on two lines; the 情况说明's
    sentences (（一）收入预算：2026年收入预算…，其中：…; 纳入烟台市文化和旅游局2026年部门预算编制范围的
    二级预算单位包括, wrapped there) are neither the title nor a heading naming the department."""
    e = interpret(
        document(
            "2026年某市某某局部门",
            "预算",
            "纳入某市某某局2026年部门预算编制范围的二级预算单位包",
            "括：某市某某中心。",
            "（一）收入预算：2026年收入预算45,761.72万元，其中：一般公共预算",
            "公开表3",
            "一般公共预算支出预算表",
            "单位：万元",
            ["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
            ["201", "一般公共服务支出", "30.00", "20.00", "10.00"],
        )
    )
    assert e.document.department_name == "某市某某局"
    assert (e.document.title, e.document.fiscal_year) == ("2026年某市某某局部门预算", 2026)


def test_final_account_with_split_codes_column_numbers_and_yuan() -> None:
    e = interpret(
        document(
            "某某局2024年度部门决算",
            "一般公共预算财政拨款支出决算表",
            "单位：元",
            ["项目", "", "", "", "本年支出", "", ""],
            ["支出功能分类科目编码", "", "", "科目名称", "合计", "基本支出", "项目支出"],
            ["类", "款", "项", "", "", "", ""],
            ["栏次", "", "", "", "1", "2", "3"],
            ["201", "06", "01", "行政运行", "123,456.00", "123,456.00", ""],
        )
    )
    assert (e.document.document_type, e.document.fiscal_year) == ("final_account", 2024)
    assert e.document.department_name == "某某局"
    assert e.tables[0].table_type == "final_general_budget_expenditure"
    cells = {c.measure: c for c in by(e, row_code="2010601")}
    assert cells["total"].amount == Decimal("12.3456") and cells["total"].raw_text == "123,456.00"
    assert cells["project"].amount is None
    assert e.issues == []
    # the 栏次 row numbers the columns: no amounts (Suzhou, Wuxi 2026: 栏次 | 1 | 2 | 3)
    assert e.document.numeric_cell_count == 2


def test_repeated_title_continues_the_table_and_short_rows_are_positional() -> None:
    header = ["科目编码", "科目名称", "总计", "基本支出", "项目支出"]
    e = interpret(
        document(
            "表二",
            "一般公共预算财政拨款支出预算表",
            "单位：万元",
            header,
            ["201", "一般公共服务支出", "5.00", "5.00", ""],
            "<page 2>",
            "一般公共预算财政拨款支出预算表",
            "单位：万元",
            header,
            ["208", "社会保障和就业支出", "3.00", "3.00"],
        )
    )
    assert len(e.tables) == 1
    assert (e.tables[0].page_first, e.tables[0].page_last) == (1, 2)
    social = {c.measure: (c.amount, c.inferred, c.page) for c in by(e, row_code="208")}
    # The row lost its trailing blank: read by position, the missing cell is staged as blank.
    assert social == {
        "total": (Decimal("3.00"), False, 2),
        "basic": (Decimal("3.00"), False, 2),
        "project": (None, False, 2),
    }


def test_repeated_header_without_title_is_dropped() -> None:
    e = interpret(
        document(
            "部门支出总表",
            "单位：万元",
            ["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
            ["201", "一般公共服务支出", "5.00", "5.00", ""],
            "<page 2>",
            ["科目编码", "科目名称", "合计", "基本支出", "项目支"],
            ["208", "社会保障和就业支出", "3.00", "3.00", ""],
        )
    )
    assert [c.row_code for c in e.cells if c.measure == "total"] == ["201", "208"]


def test_note_marks_an_empty_table() -> None:
    e = interpret(
        document(
            "政府性基金预算支出表",
            "单位：万元",
            ["科目编码", "科目名称", "总计", "基本支出", "项目支出"],
            ["", "合计", "", "", ""],
            "注：本表无数据。",
        )
    )
    assert e.tables[0].is_empty and e.tables[0].note == "注：本表无数据。"


def test_unrecognised_table_and_unmapped_column_are_reported_not_dropped() -> None:
    e = interpret(
        document(
            "资产配置明细表",
            "单位：万元",
            ["资产类别", "金额"],
            ["办公设备", "12.00"],
            "部门支出总表",
            "单位：万元",
            ["科目编码", "科目名称", "合计", "神秘列"],
            ["201", "一般公共服务支出", "5.00", "1.00"],
        )
    )
    assert [t.table_type for t in e.tables] == [None, "department_expenditure"]
    table_issues = {i.code for i in e.issues if i.table_index is not None}
    assert table_issues == {"unrecognised_table", "unmapped_column"}
    unknown = [(c.raw_text, c.measure, c.amount) for c in e.cells if c.table_index == 0]
    assert unknown == [("办公设备", None, None), ("12.00", None, Decimal("12.00"))]
    mystery = by(e, column_label="神秘列")
    assert [(c.measure, c.amount) for c in mystery] == [(None, Decimal("1.00"))]


def test_table_of_contents_entries_are_not_tables() -> None:
    e = interpret(
        document(
            "一、收入支出决算总表",
            "二、收入决算表",
            "三、支出决算表",
            "<page 3>",
            ["序号", "单位名称"],
            ["1", "某某局（本级）"],
            "<page 4>",
            "支出决算表",
            "单位：万元",
            ["科目编码", "科目名称", "本年支出合计"],
            ["201", "一般公共服务支出", "5.00"],
        )
    )
    # the rows after the contents are a list of units (序号 | 单位名称), untitled
    assert [t.table_type for t in e.tables] == ["final_reporting_units", "final_expenditure"]
    assert e.tables[0].title == ""


def test_nothing_to_interpret_is_rejected() -> None:
    with pytest.raises(DocumentError) as caught:
        interpret(document("这是一段与预算无关的文字。"))
    assert caught.value.code == "no_tables"


def test_rows_grouped_by_unit_with_two_digit_sections_and_a_row_of_column_numbers() -> None:
    """Xi'an: ** 1 2 3 ** numbers the columns; each unit's rows follow its code; 款 printed as 05."""
    e = interpret(
        document(
            "2019年一般公共预算支出明细表（按支出功能分类科目）",
            "单位：万元",
            ["功能科目编码", "功能科目名称", "合计", "人员经费支出", "公用经费支出", "专项业务经费支出"],
            ["**", "**", "1", "2", "3", "4"],
            ["", "合计", "10.00", "6.00", "1.00", "3.00"],
            ["125001", "西安市某某管理局", "10.00", "6.00", "1.00", "3.00"],
            ["208", "社会保障和就业支出", "7.00", "6.00", "1.00", ""],
            ["05", "行政事业单位养老支出", "7.00", "6.00", "1.00", ""],
            ["2080505", "机关事业单位基本养老保险缴费支出", "7.00", "6.00", "1.00", ""],
        )
    )
    assert e.tables[0].table_type == "general_budget_expenditure"
    assert e.tables[0].header[-1][0] == "**"
    rows = [(c.row_kind, c.row_code) for c in e.cells if c.col_index == 2]
    assert rows == [
        ("total", "total"),
        ("unit", "125001"),
        ("subject", "208"),
        ("subject", "20805"),
        ("subject", "2080505"),
    ]
    measures = [c.measure for c in by(e, row_code="208")]
    assert measures == ["total", "personnel", "public_operation", "project"]


def test_subtotal_under_a_breakdown_group_is_that_group_and_bracketed_codes() -> None:
    e = interpret(
        document(
            "2026年一般公共预算支出情况表",
            "单位：万元",
            ["科目名称", "总计", "基本支出", "", "", "项目支出"],
            ["", "", "小计", "人员经费", "公用经费", ""],
            ["[201]一般公共服务支出", "9.00", "7.00", "5.00", "2.00", "2.00"],
        )
    )
    assert [c.measure for c in e.cells] == ["total", "basic", "personnel", "public_operation", "project"]
    assert {(c.row_kind, c.row_code, c.row_name) for c in e.cells} == {("subject", "201", "一般公共服务支出")}


def test_a_grid_listing_the_tables_is_not_a_table() -> None:
    e = interpret(
        document(
            "2019年部门综合预算公开报表",
            ["报表", "报表名称", "是否空表"],
            ["表1", "2019年部门综合预算收支总表", "否"],
            ["表2", "2019年部门综合预算收入总表", "否"],
            "<page 2>",
            "表2",
            "2019年部门综合预算收入总表",
            "单位：万元",
            ["项目", "合计", "事业收入", "上级补助收入"],
            ["合计", "5.00", "5.00", ""],
        )
    )
    assert [t.table_type for t in e.tables] == ["department_income"]


def test_fiscal_year_from_metadata_when_the_content_has_none_else_an_error() -> None:
    rows = (
        "部门支出总表",
        "单位：万元",
        ["科目编码", "科目名称", "合计"],
        ["201", "一般公共服务支出", "5.00"],
    )
    without = interpret(document(*rows))
    assert without.document.fiscal_year is None
    assert [(i.severity, i.code) for i in without.issues] == [("error", "missing_fiscal_year")]
    given = document(*rows)
    given.metadata["fiscal_year"] = "2026"
    with_year = interpret(given)
    assert with_year.document.fiscal_year == 2026 and not with_year.issues
    assert {c.fiscal_year for c in with_year.cells} == {2026}


# Layout classes seen at publishers the interpreter was not built on (../shared/real-wide).
GRID = [["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
        ["201", "一般公共服务支出", "30.00", "20.00", "10.00"]]


def test_label_gongkaibiao_n_and_page_number_before_title() -> None:
    """公开表1 / 公开表五 labels; a page-number line (— 35 —) is not part of the title under it."""
    e = interpret(document("公开表5", "一般公共预算支出情况表", "单位：万元", *GRID,
                           "— 35 —", "政策和项目预算绩效目标表", ["项目名称", "交通战备专项"],
                           ["绩效指标", "产出指标", "数量指标", "培训人数", "≥100人"]))
    assert [(t.label, t.title, t.table_type) for t in e.tables] == [
        ("公开表5", "一般公共预算支出情况表", "general_budget_expenditure"),
        (None, "政策和项目预算绩效目标表", "project_performance_targets"),
    ]


def test_repeated_title_and_header_on_the_next_page_continue_the_table() -> None:
    """A 项目名称 header printed again under the repeated title is a continuation, not a new form."""
    header = ["项目名称", "项目类别", "合计"]
    e = interpret(document("公开表11", "项目支出预算情况表", "单位：万元", header,
                           ["清理海上漂浮物", "其他运转类", "54.00"],
                           "<page 2>", "公开表11", "项目支出预算情况表", "单位：万元", header,
                           ["实施公车统管", "其他运转类", "4.00"]))
    assert [(t.table_type, t.page_first, t.page_last) for t in e.tables] == [("project_expenditure", 1, 2)]


def test_section_heading_over_the_first_table_is_not_a_table_of_contents() -> None:
    """第二部分 …预算表 then 公开01表：收入预算总表 then rows: the rows are that table's."""
    e = interpret(document("第二部分 2018年度部门预算表", "公开01表：一般公共预算支出预算表",
                           ["部门：某某局", "", "", "", "单位：万元"], *GRID))
    assert [(t.label, t.title, t.table_type) for t in e.tables] == [
        ("公开01表", "一般公共预算支出预算表", "general_budget_expenditure")]


def test_prose_after_the_tables_heading_is_no_note_and_narrative_only_is_rejected() -> None:
    """A 情况说明 sentence saying 本部门无此项收入 is prose, not the note of the heading before it."""
    with pytest.raises(DocumentError) as rejected:
        interpret(document("第二部分 2019年度部门预算表", "2019年部门预算公开表附后",
                           "第三部分 2019年度部门预算情况说明",
                           "政府性基金收入预算0万元，主要原因是本部门无此项收入。"))
    assert rejected.value.code == "no_tables"


def test_tables_of_no_budget_type_are_rejected() -> None:
    """A statistics bulletin, a notice with its allocation list: tables, none of a budget type."""
    with pytest.raises(DocumentError) as rejected:
        interpret(document("2026年1—2月某市国民经济主要指标", ["指标", "单位", "数值", "增长（%）"],
                           ["一、规模以上工业增加值", "亿元", "120.00", "6.8"]))
    assert rejected.value.code == "no_budget_tables"


def test_a_performance_evaluation_report_is_not_a_disclosure() -> None:
    with pytest.raises(DocumentError) as rejected:
        interpret(document("— 1 —", "某市财政项目支出绩效评价报告", "评价项目金额：13,237万元",
                           "项目支出情况表", ["序号", "项目名称", "合计"], ["1", "专项资金", "13,237.00"]))
    assert rejected.value.code == "not_a_disclosure"


@pytest.mark.parametrize(("title", "header", "table_type"), [
    ("基本支出预算情况表", ["科目编码", "科目名称", "合计", "人员经费", "公用经费"],
     "department_basic_economic_expenditure"),
    ("培训费明细表", ["序号", "培训名称", "人数", "金额"], "meeting_training_expenses"),
    ("会议费明细表", ["序号", "会议名称", "人数", "金额"], "meeting_training_expenses"),
    ("部门专项业务经费绩效目标表", ["项目名称", "某专项"], "project_performance_targets"),
    ("专项资金总体绩效目标表", ["项目名称", "某专项"], "project_performance_targets"),
    ("第五部分：部门预算公开报表", ["序号", "单位名称", "拟变动情况"], "reporting_units"),
])
def test_table_types_of_new_publishers(title: str, header: list[str], table_type: str) -> None:
    e = interpret(document("某某局2026年部门预算", "一般公共预算支出情况表", "单位：万元", *GRID,
                           title, "单位：万元", header, ["1", "某项", "2", "3.00", "1.00"][: len(header)]))
    assert e.tables[-1].table_type == table_type


def test_a_total_line_labelled_with_the_unit_name_is_the_total() -> None:
    """Shenzhen: the department's name heads the table as its total; its 本级 line after it is a unit's."""
    e = interpret(
        document(
            "2026年一般公共预算支出表（按功能分类）",
            "单位：万元",
            ["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
            ["", "深圳市某某局", "10.00", "6.00", "4.00"],
            ["", "深圳市某某局（本级）", "10.00", "6.00", "4.00"],
            ["208", "社会保障和就业支出", "10.00", "6.00", "4.00"],
        )
    )
    rows = [(c.row_kind, c.row_code, c.amount) for c in e.cells if c.col_index == 2]
    assert rows == [("total", "total", Decimal("10.00")), ("unit", None, Decimal("10.00")),
                    ("subject", "208", Decimal("10.00"))]


def test_a_performance_form_continued_with_its_own_columns_and_figures_no_field_holds() -> None:
    """Xi'an 公安局 2026 部门整体支出绩效目标表 (pp.75–76): p.75 spans 三级指标 over three columns, p.76
    prints the indicator header again with it in one, so 指标值 and 分值权重 sit two columns left; the
    年度主要任务 lines are the form's task list, each amount in the measure of its column (总额 | 财政拨款 |
    其他资金, fct_performance_task)."""
    e = interpret(
        document(
            "某某局2026年部门预算",
            "部门整体支出绩效目标表",
            ["部门（单位）名称", "", "", "某某局", "", "", "", ""],
            ["年度主要任务", "任务名称", "", "主要内容", "预算金额（万元）", "", "", ""],
            ["", "", "", "", "总额", "财政拨款", "其他资金", ""],
            ["", "保障单位运转", "", "保障人员经费", "229.92", "200.00", "29.92", ""],
            ["年度绩效指标", "一级指标", "二级指标", "三级指标", "", "", "指标值", "分值权重（90分）"],
            ["", "成本指标", "经济成本", "培训费用标准（元/人/天）", "", "", "≤400", "1"],
            "<page 2>",
            ["年度绩效指标", "一级指标", "二级指标", "三级指标", "指标值", "分值权重（90分）"],
            ["", "产出指标", "时效指标", "鉴定结果出具及时率（%）", "100%", "2"],
        )
    )
    assert e.tables[0].table_type == "department_performance_targets"
    on_page_2 = {c.measure: c.amount for c in e.cells if c.page == 2 and c.amount is not None}
    assert on_page_2 == {"target_value": Decimal("100"), "weight": Decimal("2")}
    tasks = {(c.row_name, c.measure): c.amount for c in e.cells if c.row_kind == "task"}
    assert tasks == {("保障单位运转", "total"): Decimal("229.92"), ("保障单位运转", "fiscal_appropriation"):
                     Decimal("200.00"), ("保障单位运转", "other_funds"): Decimal("29.92")}
    assert not [i for i in e.issues if i.code == "unmapped_row"]
    staged = [c for c in e.cells if c.amount is not None]
    assert e.document.numeric_cell_count == len(staged)


def test_a_heading_about_the_department_names_it_without_its_lead() -> None:
    """Huzhou 卫生健康委员会 2026: the title (2026年部门预算) names no department; the 情况说明 headings do,
    after their lead: （七）关于湖州市卫生健康委员会2026年政府性基金预算情况说明."""
    e = interpret(
        document(
            "2026年部门预算",
            "（七）关于某市某某委员会2026年政府性基金预算情况说明",
            "公开表3",
            "一般公共预算支出预算表",
            "单位：万元",
            ["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
            ["201", "一般公共服务支出", "30.00", "20.00", "10.00"],
        )
    )
    assert e.document.department_name == "某市某某委员会"


def test_a_title_followed_by_prose_does_not_name_the_rows_after_it() -> None:
    """北京 交通委 2026 publishes its 情况说明 apart from its tables: the contents' last entry (十三、
    部门整体支出绩效目标表), then pages of prose and a fee schedule. The schedule is no performance
    table, and a file without a budget table is rejected, with its reason."""
    with pytest.raises(DocumentError) as rejected:
        interpret(document(
            "北京市某某委员会2026年度部门预算信息公开",
            "十二、项目支出绩效目标表",
            "十三、部门整体支出绩效目标表",
            "- 2 -",
            "<page 3>",
            "第一部分 2026年度部门预算情况说明",
            "一、部门情况说明",
            "北京市某某委员会是负责本市城乡交通统筹发展的市政府组成部门。",
            "（一）重点行政事业性收费情况说明",
            "项目名称：城市道路挖掘修复费",
            ["序号", "项目名称", "结构内容", "收费标准"],
            ["1", "快速路、主干路沥青路面", "沥青砼15cm", "342元/㎡"],
            ["2", "次干路沥青路面", "沥青砼12cm", "312元/㎡"],
        ))
    assert rejected.value.code == "no_budget_tables"
    # the same title with its table right under it is that table
    e = interpret(document(
        "十三、部门整体支出绩效目标表",
        "- 2 -",
        "<page 3>",
        ["年度绩效指标", "一级指标", "二级指标", "三级指标", "指标值"],
        ["", "产出指标", "时效指标", "鉴定结果出具及时率（%）", "100%"],
    ))
    assert [t.table_type for t in e.tables] == ["department_performance_targets"]
    # prose on the title's own page is a form's text (重庆 2026 部门整体绩效目标表: 当年整体绩效目标, its
    # paragraph over several lines, then the indicators)
    e = interpret(document(
        "2026年部门整体绩效目标表",
        "当年整体绩效目标",
        "一是构建高质量发展国土空间开发保护新格局。",
        "二是加快推进国土空间总体规划优化实施。",
        "三是实施耕地保护和质量提升行动。",
        ["绩效指标", "指标名称", "指标性质", "指标值", "计量单位", "指标权重(%)"],
        ["", "每年开采监测覆盖面积", "≥", "8", "万平方公里", "15"],
    ))
    assert [t.table_type for t in e.tables] == ["department_performance_targets"]



def _boxed(rows: list[list[str]], page: int, top: float = 100.0) -> list[Line]:
    def box(i: int, r: int) -> tuple[float, float, float, float]:
        return (90.0 * i + 40, top + 30.0 * r, 90.0 * i + 120, top + 30.0 * r + 20)

    return [Line(cells=[Cell(t, page=page, bbox=box(i, r)) for i, t in enumerate(row)], page=page)
            for r, row in enumerate(rows)]


def test_every_numeric_cell_of_a_table_page_is_staged_or_an_issue_at_its_place() -> None:
    """重庆 2026 重点专项资金绩效目标表 (规划和自然资源局 p.29): no form field names 市级支出 or 补助区县;
    西安 统计局 2026 p.51 continues its indicators without a header. Each numeric cell counted on those pages
    is a staged cell or an issue at its box (unmapped_row, unstaged_cell …), never dropped unseen."""
    titles = ("2026年重庆市某某局部门预算", "2026年市级重点专项资金绩效目标表（一级项目）", "单位：万元")
    lines = [Line(cells=[Cell(t, page=29)], page=29, is_row=False) for t in titles]
    lines += _boxed([["项目名称", "规划和自然资源专项", "主管部门", "重庆市某某局"],
                     ["当年预算", "88,197.35", "市级支出", "60,192.30"],
                     ["", "", "补助区县", "28,005.05"],
                     ["一级指标", "二级指标", "三级指标", "指标值", "分值"],
                     ["产出指标", "数量指标", "统计调查项目数（个）", "≥20", "10"]], page=29)
    lines += [Line(cells=[Cell("质量指标", page=30)], page=30, is_row=False)]
    lines += _boxed([["", "", "社情民意调查访问覆盖率（%）", "100", "3"],
                     ["", "时效指标", "数据上报及时率（%）", "100", "3"]], page=30)
    e = interpret(SourceDocument(path=Path("doc.pdf"), sha256="ab" * 32, file_type="pdf", lines=lines))
    counted = [(line.page, cell.bbox) for line in lines if line.is_row for cell in line.cells
               if cell.text.replace(",", "").replace(".", "").isdigit()]
    staged = {(c.page, c.bbox) for c in e.cells if c.amount is not None}
    recorded = {(i.page, i.bbox) for i in e.issues}
    assert e.document.numeric_cell_count == len(counted) == 8
    assert [place for place in counted if place not in staged | recorded] == []
    assert all(i.table_index is None and i.message.startswith(f"p.{i.page}: ")
               for i in e.issues if i.code == "unstaged_cell")

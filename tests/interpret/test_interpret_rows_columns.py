"""How rows and columns of grid tables are read, on documents the generator writes (a PDF each):
rows printed with names only, codes split over 类/款/项 columns."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from extractors.extract import extract_file
from extractors.generator.render import render
from extractors.generator.spec import Column, DocumentSpec, Row, TableSpec
from extractors.interpret.mappings import SEEDS_DIR, subject_codes, subject_key

COLUMNS = [
    Column("total", ("合计",), "total", 2026),
    Column("basic", ("基本支出",), "basic", 2026),
    Column("project", ("项目支出",), "project", 2026),
]


def _document(rows: list[Row], label_columns: tuple[tuple[str, ...], ...]) -> DocumentSpec:
    table = TableSpec(
        "general_budget_expenditure",
        "2026年一般公共预算支出预算表",
        label="表三",
        label_columns=label_columns,
        columns=COLUMNS,
        rows=rows,
    )
    return DocumentSpec(
        "某区", "某省", "某省某区某某局", None, 2026, "budget", "某省某区某某局2026年部门预算",
        tables=[table], slug="rows_columns",
    )


def _row(code: str, name: str, total: str, basic: str, project: str, labels=None) -> Row:
    values = {"total": total, "basic": basic, "project": project}
    return Row("subject", code, name, values, labels=labels or (name,))


def _staged(spec: DocumentSpec, tmp_path: Path):
    extraction = extract_file(render(spec, "pdf", tmp_path))
    assert extraction.document.status == "loaded", extraction.document.error_message
    return extraction


def _by_row(extraction) -> dict[tuple[str, str | None], dict[str, Decimal | None]]:
    rows: dict = {}
    for cell in extraction.cells:
        rows.setdefault((cell.row_kind, cell.row_code), {})[cell.measure] = cell.amount
    return rows


def test_the_name_tables_are_seeds_with_their_source():
    for scheme in ("function", "economic"):
        with open(SEEDS_DIR / f"{scheme}_subject_names.csv", encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        assert rows and set(rows[0]) == {"subject_code", "subject_name", "source", "documents"}
        assert all(r["source"].split("/")[0] in {"real", "real-wide", "seeds"} for r in rows)
    # 行政运行 is printed under many 款: the name alone does not single out its code
    assert len(subject_codes("function")[subject_key("行政运行")]) > 5


def test_rows_printed_with_names_only_take_their_code_where_they_sit(tmp_path):
    rows = [
        Row("total", None, "合计", {"total": "60.00", "basic": "50.00", "project": "10.00"}),
        _row("201", "一般公共服务支出", "30.00", "25.00", "5.00"),
        _row("20103", "政府办公厅（室）及相关机构事务", "30.00", "25.00", "5.00"),
        _row("2010301", "行政运行", "25.00", "25.00", ""),
        _row("2010302", "一般行政管理事务", "5.00", "", "5.00"),
        _row("208", "社会保障和就业支出", "20.00", "20.00", ""),
        _row("20805", "行政事业单位养老支出", "20.00", "20.00", ""),
        _row("2080505", "机关事业单位基本养老保险缴费支出", "20.00", "20.00", ""),
        _row("210", "卫生健康支出", "10.00", "5.00", "5.00"),
        _row("21011", "行政事业单位医疗", "10.00", "5.00", "5.00"),
        _row("2101101", "行政单位医疗", "10.00", "5.00", "5.00"),
    ]
    extraction = _staged(_document(rows, (("科目名称",),)), tmp_path)
    staged = _by_row(extraction)
    for row in rows[1:]:
        expected = {k: (Decimal(v) if v else None) for k, v in row.values.items()}
        assert staged[("subject", row.code)] == expected, row.name
    assert staged[("total", "total")]["total"] == Decimal("60.00")
    coded = [i for i in extraction.issues if i.code == "subject_code_from_name"]
    assert len(coded) == len(rows) - 1
    assert "'行政运行' printed without code, coded 2010301 from its name (after 20103)" in "\n".join(
        i.message for i in coded
    )


def test_a_name_no_context_singles_out_is_a_doubt_not_a_guess(tmp_path):
    rows = [_row("", "行政运行", "25.00", "25.00", "")]
    extraction = _staged(_document(rows, (("科目名称",),)), tmp_path)
    assert {c.row_kind for c in extraction.cells} == {"other"}
    assert {c.row_code for c in extraction.cells} == {None}
    doubts = [i for i in extraction.issues if i.code == "ambiguous_subject_name"]
    assert len(doubts) == 1 and "2010101" in doubts[0].message and "2010301" in doubts[0].message


def test_codes_split_over_class_section_item_columns_take_the_parts_left_out(tmp_path):
    """类 | 款 | 项 columns where a 款 line prints only its 款 digits and a 项 line only its 项 digits."""
    rows = [
        _row("201", "一般公共服务支出", "30.00", "25.00", "5.00", ("201", "", "", "一般公共服务支出")),
        _row("20103", "政府办公厅（室）及相关机构事务", "30.00", "25.00", "5.00",
             ("", "03", "", "政府办公厅（室）及相关机构事务")),
        _row("2010301", "行政运行", "25.00", "25.00", "", ("", "", "01", "行政运行")),
        _row("2010302", "一般行政管理事务", "5.00", "", "5.00", ("", "", "02", "一般行政管理事务")),
        _row("208", "社会保障和就业支出", "20.00", "20.00", "", ("208", "", "", "社会保障和就业支出")),
        _row("2080505", "机关事业单位基本养老保险缴费支出", "20.00", "20.00", "",
             ("208", "05", "05", "机关事业单位基本养老保险缴费支出")),
    ]
    labels = (("科目编码", "类"), ("科目编码", "款"), ("科目编码", "项"), ("科目名称",))
    extraction = _staged(_document(rows, labels), tmp_path)
    staged = _by_row(extraction)
    for row in rows:
        expected = {k: (Decimal(v) if v else None) for k, v in row.values.items()}
        assert staged[("subject", row.code)] == expected, row.name
    assert not [i for i in extraction.issues if i.code == "subject_code_from_name"]


@pytest.mark.shared
def test_a_real_table_of_names_only_under_a_grouped_basic_header(shared_dir: Path) -> None:
    """Hangzhou 司法局 2026, 表3 部门支出预算总表 (p.26 of the file): function subjects printed by name
    only, 基本支出 over 人员支出 | 日常公用支出, then 事业单位经营支出, 上缴上级支出, 对附属单位补助支出.
    Figures read from the rendered page."""
    path = shared_dir / "real-wide" / "149_杭州_2026年杭州市司法局部门预算.pdf"
    if not path.exists():
        pytest.skip(f"{path} not found")
    extraction = extract_file(path)
    table = next(t for t in extraction.tables if t.table_type == "department_expenditure")
    cells = [c for c in extraction.cells if c.table_index == table.table_index]
    rows: dict = {}
    for c in cells:
        rows.setdefault((c.row_code, c.row_name), {})[c.measure] = c.amount
    on_page = {
        ("total", "合计"): ("99230.46", "58486.35", "12237.94", "28506.17"),
        ("20406", "司法"): ("12251.39", "7000.77", "1553.03", "3697.59"),
        ("2040601", "行政运行"): ("8553.80", "7000.77", "1553.03", None),
        ("20407", "监狱"): ("59935.35", "38589.84", "9785.43", "11560.08"),
        ("2040701", "行政运行"): ("48375.27", "38589.84", "9785.43", None),
        ("2040706", "狱政设施建设"): ("1673.16", None, None, "1673.16"),
    }
    for key, printed in on_page.items():
        expected = dict(zip(("total", "personnel", "public_operation", "project"), printed, strict=True))
        got = {m: rows[key].get(m) for m in expected}
        assert got == {m: Decimal(v) if v else None for m, v in expected.items()}, key
    extra = {"business_operation_expenditure", "remittance_to_superior", "subsidy_to_subordinate"}
    assert extra <= set(rows[("total", "合计")])
    # 一般行政管理事务 under 监狱 is printed in no coded table of the corpora, but as xx02 under every 款
    # printing it: after 2040701 it is 2040702 (grid._same_item_code)
    coded = [i.message for i in extraction.issues if i.code == "subject_code_from_name"
             and i.table_index == table.table_index]
    assert any("'一般行政管理事务'" in m and "coded 2040702" in m for m in coded)


def test_department_and_government_economic_codes_side_by_side(tmp_path):
    """Xi'an 基本支出明细表: 部门经济科目编码 | 名称 | 政府经济科目编码 | 名称; the row is the department
    code's, named by its own name column."""
    columns = [
        Column("total", ("合计",), "total", 2026),
        Column("personnel", ("人员经费支出",), "personnel", 2026),
        Column("public", ("公用经费支出",), "public_operation", 2026),
    ]
    rows = [
        Row("subject", "301", "工资福利支出", {"total": "17.00", "personnel": "17.00"},
            labels=("301", "工资福利支出", "", "")),
        Row("subject", "30101", "基本工资", {"total": "10.00", "personnel": "10.00"},
            labels=("30101", "基本工资", "50101", "工资奖金津补贴")),
        Row("subject", "30113", "住房公积金", {"total": "7.00", "personnel": "7.00"},
            labels=("30113", "住房公积金", "50103", "住房公积金")),
        Row("subject", "302", "商品和服务支出", {"total": "3.00", "public": "3.00"},
            labels=("302", "商品和服务支出", "", "")),
        Row("subject", "30201", "办公费", {"total": "3.00", "public": "3.00"},
            labels=("30201", "办公费", "50201", "办公经费")),
    ]
    table = TableSpec(
        "general_budget_basic_expenditure", "一般公共预算基本支出明细表（按支出经济分类科目）", label="表8",
        label_columns=(
            ("部门经济科目编码",), ("部门经济科目名称",), ("政府经济科目编码",), ("政府经济科目名称",)
        ),
        columns=columns, rows=rows,
    )
    spec = DocumentSpec("某区", "某省", "某省某区某某局", None, 2026, "budget",
                        "某省某区某某局2026年部门预算", tables=[table], slug="two_schemes")
    extraction = _staged(spec, tmp_path)
    names = {(c.row_code, c.row_name) for c in extraction.cells if c.row_kind == "subject"}
    assert names == {(r.code, r.name) for r in rows}
    staged = _by_row(extraction)
    for row in rows:
        by_measure = {c.measure: c.key for c in columns}
        assert staged[("subject", row.code)] == {
            m: Decimal(row.values[k]) if row.values.get(k) else None for m, k in by_measure.items()
        }, row.code
    # 50101 in the 政府经济科目编码 column is a code: the numeric cells are the ten amounts, all staged
    amounts = [c for c in extraction.cells if c.amount is not None]
    assert len(amounts) == 10 and extraction.document.numeric_cell_count == len(amounts)


def test_department_codes_printed_once_per_government_code_in_whole_code_columns(tmp_path):
    """Xi'an 基本支出明细表（按支出经济分类科目-不含上年结转）: 30101 基本工资 | 50101 工资奖金津补贴, then
    30101 基本工资 | 50501 工资福利支出: two figures of one department code, told apart by the government
    code the line prints; the class line 301 prints none and sums them all."""
    columns = [Column("total", ("合计",), "total", 2026),
               Column("personnel", ("人员经费支出",), "personnel", 2026)]

    def line(dept: str, name: str, gov: str, gov_name: str, amount: str) -> Row:
        return Row("subject", dept, name, {"total": amount, "personnel": amount},
                   labels=(dept, name, gov, gov_name))

    rows = [
        Row("total", None, "合计", {"total": "30.00", "personnel": "30.00"}, labels=("", "合计", "", "")),
        line("301", "工资福利支出", "", "", "30.00"),
        line("30101", "基本工资", "50101", "工资奖金津补贴", "12.00"),
        line("30101", "基本工资", "50501", "工资福利支出", "6.00"),
        line("30102", "津贴补贴", "50101", "工资奖金津补贴", "8.00"),
        line("30102", "津贴补贴", "50501", "工资福利支出", "4.00"),
    ]
    table = TableSpec(
        "general_budget_basic_expenditure", "一般公共预算基本支出明细表（按支出经济分类科目-不含上年结转）",
        label="表8",
        label_columns=(("部门经济科目编码",), ("部门经济科目名称",),
                       ("政府经济科目编码",), ("政府经济科目名称",)),
        columns=columns, rows=rows,
    )
    spec = DocumentSpec("某区", "某省", "某省某区某某局", None, 2026, "budget",
                        "某省某区某某局2026年部门预算", tables=[table], slug="per_government_code")
    extraction = _staged(spec, tmp_path)
    lines = {(c.row_code, c.row_qualifier, c.amount) for c in extraction.cells
             if c.row_kind == "subject" and c.measure == "total"}
    assert lines == {
        ("301", None, Decimal("30.00")), ("30101", "50101", Decimal("12.00")),
        ("30101", "50501", Decimal("6.00")), ("30102", "50101", Decimal("8.00")),
        ("30102", "50501", Decimal("4.00")),
    }
    titles = [t.title for t in extraction.tables]
    assert titles == ["一般公共预算基本支出明细表（按支出经济分类科目-不含上年结转）"], titles


def test_department_codes_printed_once_per_government_class(tmp_path):
    """Yantai 一般公共预算基本支出情况表: 科目编码 (类 | 款) | 部门经济分类名称 | 科目编码 (类 | 款) |
    政府经济分类名称, the same 301 printed under 501 and again under 505: each line keeps its
    department code, and the government class its class line is printed under tells the two 301s apart."""
    columns = [
        Column("total", ("基本支出预算", "小计"), "total", 2026),
        Column("personnel", ("基本支出预算", "人员支出"), "personnel", 2026),
        Column("public", ("基本支出预算", "日常公用支出"), "public_operation", 2026),
    ]

    def line(dept: str, name: str, gov: str, gov_name: str, amount: str) -> Row:
        return Row("subject", dept, name, {"total": amount, "personnel": amount},
                   labels=(dept[:3], dept[3:], name, gov[:3], gov[3:], gov_name))

    rows = [
        Row("total", None, "合计", {"total": "30.00", "personnel": "30.00"},
            labels=("", "", "合计", "", "", "")),
        line("301", "工资福利支出", "501", "机关工资福利支出", "20.00"),
        line("30101", "基本工资", "50101", "工资奖金津补贴", "12.00"),
        line("30113", "住房公积金", "50103", "住房公积金", "8.00"),
        line("301", "工资福利支出", "505", "对事业单位经常性补助", "10.00"),
        line("30101", "基本工资", "50501", "工资福利支出", "6.00"),
        line("30113", "住房公积金", "50501", "工资福利支出", "4.00"),
    ]
    table = TableSpec(
        "general_budget_basic_expenditure", "一般公共预算基本支出情况表", label="公开表6",
        label_columns=(("科目编码", "类"), ("科目编码", "款"), ("部门预算支出经济分类科目名称",),
                       ("科目编码", "类"), ("科目编码", "款"), ("政府预算支出经济分类科目名称",)),
        columns=columns, rows=rows,
    )
    spec = DocumentSpec("某区", "某省", "某省某区某某局", None, 2026, "budget",
                        "某省某区某某局2026年部门预算", tables=[table], slug="per_government_class")
    extraction = _staged(spec, tmp_path)
    lines = {(c.row_code, c.row_qualifier, c.amount) for c in extraction.cells
             if c.row_kind == "subject" and c.measure == "total"}
    assert lines == {
        ("301", "501", Decimal("20.00")), ("30101", "501", Decimal("12.00")),
        ("30113", "501", Decimal("8.00")), ("301", "505", Decimal("10.00")),
        ("30101", "505", Decimal("6.00")), ("30113", "505", Decimal("4.00")),
    }
    assert not [c for c in extraction.cells if c.row_kind == "other" and c.amount is not None]
    # the government codes after the department name (501 | 01) are codes, not numeric cells: every
    # amount printed is staged (14 of them), none is left unaccounted for by completeness
    amounts = [c for c in extraction.cells if c.amount is not None]
    assert len(amounts) == 14 and extraction.document.numeric_cell_count == len(amounts)


def test_a_three_public_table_printed_as_a_list(tmp_path):
    """Fuzhou 一般公共预算“三公”经费支出预算表: 项目 | 预算数, one line per part: each line's figure is the
    total line's figure of the measure the line names."""
    rows = [
        Row("total", None, "合计", {"amount": "84.10"}),
        Row("other", None, "1、因公出国（境）费用", {"amount": "70.00"}),
        Row("other", None, "2、公务接待费", {"amount": "6.10"}),
        Row("other", None, "3、公务用车购置及运行费", {"amount": "8.00"}),
        Row("other", None, "其中：（1）公务用车购置费", {"amount": "0.00"}),
        Row("other", None, "（2）公务用车运行费", {"amount": "8.00"}),
    ]
    table = TableSpec(
        "three_public_expenses", "2026年度一般公共预算“三公”经费支出预算表", label="十",
        label_columns=(("项目",),), columns=[Column("amount", ("预算数",), None, 2026)], rows=rows,
    )
    spec = DocumentSpec("某区", "某省", "某省某区某某局", None, 2026, "budget",
                        "某省某区某某局2026年部门预算", tables=[table], slug="three_public_list")
    extraction = _staged(spec, tmp_path)
    cells = [c for c in extraction.cells if c.amount is not None]
    assert {(c.row_kind, c.row_index) for c in cells} == {("total", cells[0].row_index)}
    assert {c.measure: c.amount for c in cells} == {
        "total": Decimal("84.10"), "outbound_travel": Decimal("70.00"), "reception": Decimal("6.10"),
        "vehicle_total": Decimal("8.00"), "vehicle_purchase": Decimal("0.00"),
        "vehicle_operation": Decimal("8.00"),
    }
    assert len({c.col_index for c in cells}) == len(cells)  # each figure keeps a place of its own
    assert not [i for i in extraction.issues if i.code in ("unmapped_row", "unmapped_column")]


def test_year_groups_named_relative_to_the_document(tmp_path):
    """Xi'an 三公: 上年 | 当年 | 增减变化情况 groups: 上年 is the year before the document's."""
    columns = [
        Column("prior_total", ("上年", "合计"), "total", 2025, True),
        Column("prior_reception", ("上年", "公务接待费"), "reception", 2025, True),
        Column("total", ("当年", "合计"), "total", 2026),
        Column("reception", ("当年", "公务接待费"), "reception", 2026),
    ]
    rows = [Row("total", None, "合计", {"prior_total": "1.80", "prior_reception": "1.80", "total": "1.50",
                                        "reception": "1.50"})]
    table = TableSpec("three_public_expenses", "“三公”经费支出预算表", label="表13",
                      label_columns=(("单位名称",),), columns=columns, rows=rows)
    spec = DocumentSpec("某区", "某省", "某省某区某某局", None, 2026, "budget",
                        "某省某区某某局2026年部门预算", tables=[table], slug="relative_years")
    extraction = _staged(spec, tmp_path)
    got = {(c.measure, c.fiscal_year, c.is_prior_year): c.amount
           for c in extraction.cells if c.amount is not None}
    assert got == {("total", 2025, True): Decimal("1.80"), ("reception", 2025, True): Decimal("1.80"),
                   ("total", 2026, False): Decimal("1.50"), ("reception", 2026, False): Decimal("1.50")}


def test_an_appropriation_line_printed_over_its_fund_lines_is_their_subtotal(tmp_path):
    """Yantai 收支总体情况表: 一、财政拨款收入 11,170.30 above 一般公共预算收入 11,046.30 and
    国有资本经营预算收入 124.00: the parent line is a total of its own, never summed with its parts
    into the general budget."""
    from extractors.generator.catalog import default_layout

    layout = default_layout("budget", "department_summary", 2026)
    income_key = next(c.key for c in layout["columns"] if c.group == "income")
    expenditure_key = next(c.key for c in layout["columns"] if c.group == "expenditure")

    def income(kind, code, name, amount):
        return Row(kind, code, name, {income_key: amount}, group="income")

    rows = [
        income("other", None, "一、财政拨款收入", "111.70"),
        income("income_source", "general_budget", "一般公共预算收入", "110.46"),
        income("income_source", "state_capital", "国有资本经营预算收入", "1.24"),
        income("income_source", "other", "二、其他收入", "0.04"),
        income("total", "income_current_year", "本年收入合计", "111.74"),
        Row("total", "expenditure_current_year", "本年支出合计", {expenditure_key: "111.74"},
            group="expenditure"),
    ]
    table = TableSpec("department_summary", "收支总体情况表", label="公开表1",
                      label_columns=layout["label_columns"], columns=layout["columns"],
                      year_group=layout["year_group"], rows=rows)
    spec = DocumentSpec("某区", "某省", "某省某区某某局", None, 2026, "budget",
                        "某省某区某某局2026年部门预算", tables=[table], slug="appropriation_parent")
    extraction = _staged(spec, tmp_path)
    staged = {(c.row_kind, c.row_code): c.amount for c in extraction.cells
              if c.row_group == "income" and c.amount is not None}
    assert staged[("total", "fiscal_appropriation")] == Decimal("111.70")
    assert staged[("income_source", "general_budget")] == Decimal("110.46")
    assert staged[("income_source", "state_capital")] == Decimal("1.24")
    assert [k for k in staged if k[1] == "general_budget"] == [("income_source", "general_budget")]


def test_basic_spending_by_fund_names_economic_classes_and_lists_projects_under_units(tmp_path):
    """Shenzhen 基本支出总表 prints economic classes by name only, split by fund: 住房公积金 under 301 is the
    economic 30113, not the function item 2210201. Guangzhou 项目支出及其他支出预算表 lists projects by name
    under their unit's line: project lines, the unit's line a unit's."""
    columns = [Column("total", ("总计",), "total", 2026),
               Column("general_budget", ("一般公共预算拨款",), "general_budget", 2026)]

    def line(kind, code, name, amount):
        return Row(kind, code, name, {"total": amount, "general_budget": amount}, labels=(name,))

    basic = TableSpec("department_basic_expenditure", "基本支出总表", label="表4",
                      label_columns=(("支出经济分类科目",),), columns=columns, rows=[
                          line("total", None, "合计", "30.00"),
                          line("subject", "301", "工资福利支出", "30.00"),
                          line("subject", "30101", "基本工资", "20.00"),
                          line("subject", "30113", "住房公积金", "10.00")])
    projects = TableSpec("department_project_expenditure", "部门预算项目支出及其他支出预算表", label="表5",
                         label_columns=(("单位名称（项目名称）",),), columns=columns, rows=[
                             line("total", None, "合计", "12.00"),
                             line("unit", None, "某省某区某某局", "12.00"),
                             line("project", None, "信息化运维服务项目", "7.00"),
                             line("project", None, "基层业务经费", "5.00")])
    spec = DocumentSpec("某区", "某省", "某省某区某某局", None, 2026, "budget",
                        "某省某区某某局2026年部门预算", tables=[basic, projects], slug="by_fund")
    extraction = _staged(spec, tmp_path)
    types = {t.table_index: t.table_type for t in extraction.tables}
    rows = {(types[c.table_index], c.row_kind, c.row_code, c.row_name): c.amount for c in extraction.cells
            if c.measure == "total"}
    assert rows == {
        ("department_basic_expenditure", "total", "total", "合计"): Decimal("30.00"),
        ("department_basic_expenditure", "subject", "301", "工资福利支出"): Decimal("30.00"),
        ("department_basic_expenditure", "subject", "30101", "基本工资"): Decimal("20.00"),
        ("department_basic_expenditure", "subject", "30113", "住房公积金"): Decimal("10.00"),
        ("department_project_expenditure", "total", "total", "合计"): Decimal("12.00"),
        ("department_project_expenditure", "unit", None, "某省某区某某局"): Decimal("12.00"),
        ("department_project_expenditure", "project", None, "信息化运维服务项目"): Decimal("7.00"),
        ("department_project_expenditure", "project", None, "基层业务经费"): Decimal("5.00"),
    }


def test_a_departments_three_digit_code_beside_its_name_is_its_line_not_a_class(tmp_path):
    """Wuxi 收入总表 lists the department and its units: 317 无锡市商务局, 317001 …（本级）. 317 names no
    function class here: the line is the department's, not class 317 (which BW-XTB-005 compared with the
    expenditure table's classes, 0.00 against 3,275.38)."""
    columns = [Column("total", ("合计",), "total", 2026),
               Column("general", ("一般公共预算拨款收入",), "general_budget", 2026)]
    rows = [
        Row("total", None, "合计", {"total": "30.00", "general": "30.00"}, labels=("", "合计")),
        Row("other", "317", "某市商务局", {"total": "30.00", "general": "30.00"},
            labels=("317", "某市商务局")),
        Row("other", "317001", "某市商务局（本级）", {"total": "20.00", "general": "20.00"},
            labels=("317001", "某市商务局（本级）")),
        Row("other", "317002", "某市投资促进中心", {"total": "10.00", "general": "10.00"},
            labels=("317002", "某市投资促进中心")),
    ]
    table = TableSpec("department_income", "收入总表", label="公开02表",
                      label_columns=(("科目编码",), ("单位名称",)), columns=columns, rows=rows)
    spec = DocumentSpec("某市", "某省", "某市商务局", None, 2026, "budget", "某市商务局2026年部门预算",
                        tables=[table], slug="department_lines")
    extraction = _staged(spec, tmp_path)
    kinds = {(c.row_kind, c.row_code) for c in extraction.cells if c.row_code not in (None, "total")}
    assert kinds == {("unit", "317"), ("unit", "317001"), ("unit", "317002")}


@pytest.mark.parametrize("nested", [True, False])
def test_a_project_list_printing_groups_over_projects_is_a_doubt(tmp_path, nested):
    """Xi'an 专项业务经费支出表: 通用项目 30.00 over 物业管理服务 18.00 and 委托咨询业务 12.00,
    printed alike."""
    columns = [Column("total", ("项目金额",), "total", 2026)]
    amounts = [("通用项目", "30.00"), ("物业管理服务", "18.00"), ("委托咨询业务", "12.00"),
               ("专用项目", "7.00")]
    if not nested:
        amounts[0] = ("通用项目", "31.00")
    total = str(sum(Decimal(a) for _, a in amounts))
    rows = [Row("total", None, "合计", {"total": total}, labels=("", "合计"))]
    rows += [Row("project", None, name, {"total": amount}, labels=("", name)) for name, amount in amounts]
    table = TableSpec("project_expenditure", "部门综合预算专项业务经费支出表", label="表10",
                      label_columns=(("单位编码",), ("单位（项目）名称",)), columns=columns, rows=rows)
    spec = DocumentSpec("某市", "某省", "某市某某局", None, 2026, "budget", "某市某某局2026年部门预算",
                        tables=[table], slug=f"nested_{nested}")
    extraction = _staged(spec, tmp_path)
    projects = [c.row_name for c in extraction.cells if c.row_kind == "project"]
    assert projects == [name for name, _ in amounts]
    doubts = [i.message for i in extraction.issues if i.code == "nested_project_list"]
    assert bool(doubts) == nested, doubts
    if nested:
        assert "'通用项目' 30.00 is the sum of the 2 lines after it" in doubts[0]


def test_a_summary_names_sections_and_items_under_its_classes(tmp_path):
    """Hangzhou 市级部门收支预算总表 prints the 款 and 项 under each class by name only (公共安全支出
    76,468.81 / 司法 12,251.39 / 行政运行 8,553.80 …) and 一、财政拨款 over its funds: the names are coded
    under their class, the classes alone stay the parts of 本年支出, and 一、财政拨款 is a subtotal."""
    from extractors.generator.catalog import default_layout

    layout = default_layout("budget", "department_summary", 2026)
    income_key = next(c.key for c in layout["columns"] if c.group == "income")
    expenditure_key = next(c.key for c in layout["columns"] if c.group == "expenditure")

    def income(kind, code, name, amount):
        return Row(kind, code, name, {income_key: amount}, group="income")

    def spent(kind, code, name, amount):
        return Row(kind, code, name, {expenditure_key: amount}, group="expenditure", labels=(name,))

    rows = [
        income("other", None, "一、财政拨款", "40.00"),
        income("income_source", "general_budget", "一般公共预算", "40.00"),
        income("income_source", "government_fund", "政府性基金预算", ""),
        income("total", "income_current_year", "本年收入合计", "40.00"),
        spent("expenditure_class", "204", "公共安全支出", "30.00"),
        spent("subject", "20406", "司法", "30.00"),
        spent("subject", "2040601", "行政运行", "25.00"),
        spent("subject", "2040604", "基层司法业务", "5.00"),
        spent("expenditure_class", "208", "社会保障和就业支出", "10.00"),
        spent("subject", "20805", "行政事业单位养老支出", "10.00"),
        spent("subject", "2080505", "机关事业单位基本养老保险缴费支出", "10.00"),
        spent("total", "expenditure_current_year", "本年支出合计", "40.00"),
        spent("total", "carry_forward", "结转下年支出", "0.00"),
    ]
    table = TableSpec("department_summary", "2026年市级部门收支预算总表", label="表1",
                      label_columns=layout["label_columns"], columns=layout["columns"],
                      year_group=layout["year_group"], rows=rows)
    spec = DocumentSpec("某区", "某省", "某省某区某某局", None, 2026, "budget",
                        "某省某区某某局2026年部门预算", tables=[table], slug="summary_names")
    extraction = _staged(spec, tmp_path)
    staged = {(c.row_group, c.row_kind, c.row_code): c.amount
              for c in extraction.cells if c.amount is not None}
    assert staged == {
        ("income", "total", "fiscal_appropriation"): Decimal("40.00"),
        ("income", "income_source", "general_budget"): Decimal("40.00"),
        ("income", "total", "income_current_year"): Decimal("40.00"),
        ("expenditure", "expenditure_class", "204"): Decimal("30.00"),
        ("expenditure", "subject", "20406"): Decimal("30.00"),
        ("expenditure", "subject", "2040601"): Decimal("25.00"),
        ("expenditure", "subject", "2040604"): Decimal("5.00"),
        ("expenditure", "expenditure_class", "208"): Decimal("10.00"),
        ("expenditure", "subject", "20805"): Decimal("10.00"),
        ("expenditure", "subject", "2080505"): Decimal("10.00"),
        ("expenditure", "total", "expenditure_current_year"): Decimal("40.00"),
        ("expenditure", "total", "carry_forward"): Decimal("0.00"),
    }
    assert not [i for i in extraction.issues if i.code == "unmapped_row"]


def test_a_summary_side_of_lists_by_function_and_economic_class(tmp_path):
    """Xi'an 部门综合预算收支总表 prints three lists on its expenditure side: 支出功能分类科目（按大类）
    | 预算数 | 部门预算支出经济分类科目（按大类） | 预算数 | 政府预算支出经济分类科目（按大类） | 预算数,
    each with 本年支出合计 under it. The function list gives the classes and the totals; the economic
    lists give economic_purpose and economic_class lines (fct_summary_expenditure_by_economic), coded in
    their own scheme, never summed with the function classes; their reprinted totals are economic_total
    lines of their list's scheme, never counted as the summary's totals."""
    from extractors.interpret.grid import GridReader
    from extractors.interpret.segment import Block
    from extractors.model import Cell, Line

    def line(*texts):
        return Line([Cell(t, page=1) for t in texts], page=1)

    block = Block("部门综合预算收支总表", None, parts=[[
        line("收入", "", "支出", "", "", "", "", ""),
        line("项目", "预算数", "支出功能分类科目（按大类）", "预算数", "部门预算支出经济分类科目（按大类）",
             "预算数", "政府预算支出经济分类科目（按大类）", "预算数"),
        line("1、财政拨款", "30.00", "1、一般公共服务支出", "20.00", "1、人员经费和公用经费支出", "30.00",
             "1、机关工资福利支出", "25.00"),
        line("(1)一般公共预算拨款", "30.00", "2、社会保障和就业支出", "10.00", "(1)工资福利支出", "25.00",
             "15、其他支出", "5.00"),
        line("本年收入合计", "30.00", "本年支出合计", "30.00", "本年支出合计", "30.00",
             "本年支出合计", "30.00"),
    ]])
    result = GridReader(block, 0, "doc", "department_summary", "summary", 2026, Decimal(1), False).read()
    mapped = {(c.row_group, c.row_kind, c.row_code): c.amount for c in result.cells
              if c.amount is not None and not (c.row_kind == "other" and c.row_code is None)}
    assert mapped == {
        ("income", "total", "fiscal_appropriation"): Decimal("30.00"),
        ("income", "income_source", "general_budget"): Decimal("30.00"),
        ("income", "total", "income_current_year"): Decimal("30.00"),
        ("expenditure", "expenditure_class", "201"): Decimal("20.00"),
        ("expenditure", "expenditure_class", "208"): Decimal("10.00"),
        ("expenditure", "total", "expenditure_current_year"): Decimal("30.00"),
        ("expenditure", "economic_purpose", "basic"): Decimal("30.00"),
        ("expenditure", "economic_class", "301"): Decimal("25.00"),
        ("expenditure", "economic_class", "501"): Decimal("25.00"),
        ("expenditure", "economic_class", "599"): Decimal("5.00"),  # 15、其他支出 of the government list
        ("expenditure", "economic_total", "expenditure_current_year"): Decimal("30.00"),
    }
    assert {c.row_qualifier for c in result.cells if c.row_code == "301"} == {"basic"}
    reprinted = {(c.row_code, c.row_qualifier): c.amount
                 for c in result.cells if c.row_kind == "economic_total"}
    assert reprinted == {("expenditure_current_year", "department"): Decimal("30.00"),
                         ("expenditure_current_year", "government"): Decimal("30.00")}
    assert not [i for i in result.issues if i.message.startswith("p.")]



def test_a_function_list_headed_without_its_classification_word_is_read_by_its_own_names():
    """Xi'an 2022's text layer reads its function list's header as 支出功能分科目（按大类） and its
    department economic list's as 部门预算支出经济科目（按大类）: both name their lists. The function list's
    amounts are its classes by their own names (15、资源勘探工业信息等支出 → 215), the economic names
    (15、其他支出) never label them as function class 229: the economic list's line is 599 of its own."""
    from extractors.interpret.grid import GridReader
    from extractors.interpret.segment import Block
    from extractors.model import Cell, Line

    def line(*texts):
        return Line([Cell(t, page=1) for t in texts], page=1)

    block = Block("部门综合预算收支总表", None, parts=[[
        line("收入", "", "支出", "", "", ""),
        line("项目", "预算数", "支出功能分科目（按大类）", "预算数", "政府预算支出经济分类科目（按大类）",
             "预算数"),
        line("一般公共预算拨款", "30.00", "15、资源勘探工业信息等支出", "30.00", "15、其他支出", "30.00"),
    ]])
    result = GridReader(block, 0, "doc", "department_summary", "summary", 2026, Decimal(1), False).read()
    classes = [(c.row_code, c.amount) for c in result.cells if c.row_kind == "expenditure_class"]
    assert classes == [("215", Decimal("30.00"))]
    economic = [(c.row_code, c.amount) for c in result.cells if c.row_kind == "economic_class"]
    assert economic == [("599", Decimal("30.00"))]
    assert not [i for i in result.issues if i.message.startswith("p.")]


def test_a_table_titled_by_the_expenses_it_lists_is_a_table_of_its_own(tmp_path):
    """Xi'an 2022 表13 2022年部门综合预算一般公共预算拨款“三公”经费、会议费、培训费表（不含上年结转）, printed
    after the 政府采购预算表: its title ends with the last expense listed, not with 支出/经费 … 表, and its
    lines were read as more procurement lines."""
    first = TableSpec(
        "general_budget_expenditure", "2022年一般公共预算支出预算表", label="表3",
        label_columns=(("科目编码",), ("科目名称",)), columns=COLUMNS,
        rows=[_row("201", "一般公共服务支出", "30.00", "25.00", "5.00")],
    )
    parts = [
        Column("total", ("“三公”经费", "小计"), "total", 2022),
        Column("outbound", ("“三公”经费", "因公出国（境）费用"), "outbound_travel", 2022),
        Column("reception", ("“三公”经费", "公务接待费"), "reception", 2022),
        Column("meeting", ("会议费",), "meeting", 2022),
        Column("training", ("培训费",), "training", 2022),
    ]
    three_public = TableSpec(
        "three_public_expenses",
        "2022年部门综合预算一般公共预算拨款“三公”经费、会议费、培训费表（不含上年结转）", label="表13",
        label_columns=(("单位名称",),), columns=parts,
        rows=[Row("total", None, "合计", {"total": "8.00", "outbound": "3.00", "reception": "5.00",
                                          "meeting": "2.00", "training": "4.00"})],
    )
    spec = DocumentSpec("某区", "某省", "某省某区某某局", None, 2022, "budget",
                        "某省某区某某局2022年部门预算", tables=[first, three_public], slug="expense_title")
    extraction = _staged(spec, tmp_path)
    types = [t.table_type for t in extraction.tables]
    assert types == ["general_budget_expenditure", "three_public_expenses"]
    cells = {c.measure: c.amount for c in extraction.cells if c.table_index == 1 and c.amount is not None}
    assert cells == {"total": Decimal("8.00"), "outbound_travel": Decimal("3.00"),
                     "reception": Decimal("5.00"), "meeting": Decimal("2.00"), "training": Decimal("4.00")}


def test_a_summary_prints_sections_and_items_named_like_their_class():
    """Shenzhen 口岸办 财政拨款收支总表 (p.24-25): 五、其他支出 7,647.43, then its 款 and its 项, both printed
    其他支出 7,647.43 as well: the two lines are 22999 and 2299999 under class 229, not the class twice
    more (the classes summed to 71,179.54 against 本年支出合计 55,884.67, 2 × 7,647.43 too many)."""
    from extractors.interpret.grid import GridReader
    from extractors.interpret.segment import Block
    from extractors.model import Cell, Line

    def line(*texts):
        return Line([Cell(t, page=1) for t in texts], page=1)

    block = Block("财政拨款收支总表", None, parts=[[
        line("收入", "", "支出", ""),
        line("项目", "2026年预算数", "项目", "2026年预算数"),
        line("财政拨款", "60.00", "一、一般公共服务支出", "50.00"),
        line("1.一般公共预算拨款", "60.00", "四、住房保障支出", "0.00"),
        line("", "", "五、其他支出", "10.00"),
        line("", "", "其他支出", "10.00"),
        line("", "", "其他支出", "10.00"),
        line("本年收入合计", "60.00", "本年支出合计", "60.00"),
    ]])
    result = GridReader(block, 0, "doc", "fiscal_appropriation_summary", "summary", 2026, Decimal(1),
                        False).read()
    spent = {(c.row_kind, c.row_code): c.amount for c in result.cells
             if c.row_group == "expenditure" and c.amount is not None}
    assert spent == {
        ("expenditure_class", "201"): Decimal("50.00"),
        ("expenditure_class", "221"): Decimal("0.00"),
        ("expenditure_class", "229"): Decimal("10.00"),
        ("subject", "22999"): Decimal("10.00"),
        ("subject", "2299999"): Decimal("10.00"),
        ("total", "expenditure_current_year"): Decimal("60.00"),
    }

"""A hand-built budget document in staging form, covering every table type's row and column vocabulary
(docs/staging.md), so the dbt models can be built and checked without the interpreter.

The figures are made up but consistent like a real 2024 district budget, with one prior-year (2023)
comparison column in the function table and the 三公 table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from extractors.model import Extraction, StagedCell, StagedDocument, StagedTable

YEAR = 2024
PRIOR = YEAR - 1

_NUMBER = re.compile(r"-?[\d,]+(\.\d+)?")


@dataclass(frozen=True)
class Column:
    measure: str | None
    label: str
    fiscal_year: int = YEAR

    @property
    def is_prior_year(self) -> bool:
        return self.fiscal_year < YEAR


@dataclass(frozen=True)
class Row:
    kind: str
    code: str | None
    name: str | None
    values: tuple[str, ...]
    group: str | None = None


def _amount(text: str) -> Decimal | None:
    text = text.strip()
    return Decimal(text.replace(",", "")) if _NUMBER.fullmatch(text) else None


@dataclass
class DocumentBuilder:
    document: StagedDocument
    extraction: Extraction = field(init=False)

    def __post_init__(self) -> None:
        self.extraction = Extraction(document=self.document)

    def table(self, table_type: str, title: str, columns: list[Column], rows: list[Row], **extra) -> None:
        index = len(self.extraction.tables) + 1
        self.extraction.tables.append(StagedTable(
            document_id=self.document.document_id, table_index=index, table_type=table_type, title=title,
            label=f"表{index}", unit_name="万元", page_first=index, page_last=index, **extra,
        ))
        for row_index, row in enumerate(rows, start=1):
            if len(row.values) != len(columns):
                raise ValueError(f"table {index} row {row_index}: {len(row.values)} values for "
                                 f"{len(columns)} columns")
            for col_index, (column, text) in enumerate(zip(columns, row.values, strict=True), start=1):
                self.extraction.cells.append(StagedCell(
                    document_id=self.document.document_id, table_index=index, row_index=row_index,
                    col_index=col_index, row_kind=row.kind, row_group=row.group, row_code=row.code,
                    row_name=row.name, column_label=column.label, measure=column.measure,
                    fiscal_year=column.fiscal_year, is_prior_year=column.is_prior_year, raw_text=text,
                    amount=_amount(text) if column.measure not in TEXT_MEASURES else None, page=index,
                    bbox=(10.0 * col_index, 20.0 * row_index, 10.0 * col_index + 9, 20.0 * row_index + 9),
                ))


# measures whose cells are text even when they look like numbers (target values such as 98)
TEXT_MEASURES = {"indicator_level1", "indicator_level2", "indicator_level3", "unit", "operator",
                 "target_value", "is_core"}

FUNCTION_COLUMNS = [Column("total", "总计"), Column("basic", "基本支出"), Column("project", "项目支出")]
BLANK4 = ("", "", "", "")
SUMMARY_INCOME = [Column("amount", "收入 / 预算数")]
SUMMARY_EXPENDITURE = [Column("total", "支出 / 合计"), Column("general_budget", "支出 / 一般公共预算"),
                       Column("government_fund", "支出 / 政府性基金预算"),
                       Column("state_capital", "支出 / 国有资本经营预算")]
INDICATOR_COLUMNS = [Column(m, label) for m, label in (
    ("indicator_level1", "一级指标"), ("indicator_level2", "二级指标"), ("indicator_level3", "三级指标"),
    ("weight", "指标权重"), ("unit", "计量单位"), ("operator", "指标性质"), ("target_value", "指标值"),
    ("is_core", "是否核心指标"))]
FIELD_COLUMN = [Column("value", "值")]

FUNCTION_ROWS = [
    Row("total", "total", "合计", ("1,172.15", "677.15", "495.00")),
    Row("subject", "201", "一般公共服务支出", ("1,056.45", "561.45", "495.00")),
    Row("subject", "20103", "政府办公厅（室）及相关机构事务", ("1,056.45", "561.45", "495.00")),
    Row("subject", "2010301", "行政运行", ("561.45", "561.45", "")),
    Row("subject", "2010302", "一般行政管理事务", ("495.00", "", "495.00")),
    Row("subject", "221", "住房保障支出", ("115.70", "115.70", "")),
    Row("subject", "22102", "住房改革支出", ("115.70", "115.70", "")),
    Row("subject", "2210201", "住房公积金", ("115.70", "115.70", "")),
]
CLASS_ROWS = [
    Row("expenditure_class", "201", "一般公共服务支出", ("1,056.45", "1,056.45", "", ""), "expenditure"),
    Row("expenditure_class", "202", "外交支出", ("", "", "", ""), "expenditure"),
    Row("expenditure_class", "221", "住房保障支出", ("115.70", "115.70", "", ""), "expenditure"),
]
ORIGINAL_SHA = "5a" * 32
REVISION_SHA = "5b" * 32
DEPARTMENT = "重庆市綦江区样例服务中心"
PROJECT_CODE = "50011021T000000047837"
MAINTENANCE_CODE = "50011021T000000047845"
TARGET_ONLY_CODE = "50011021T000000047999"


def sample_budget(sha256: str = ORIGINAL_SHA, department_name: str = DEPARTMENT) -> Extraction:
    """The sample 2024 budget; another ``sha256`` makes it a revision of the same department's budget."""
    b = DocumentBuilder(StagedDocument(
        document_id=sha256[:16], sha256=sha256, source_path=f"samples/{sha256[:8]}.txt", source_url=None,
        file_type="txt", document_type="budget", fiscal_year=YEAR, province_name="重庆市",
        region_name="綦江区", department_name=department_name, unit_code="201001",
        title=f"{department_name}{YEAR}年部门预算", page_count=14,
    ))
    b.table("fiscal_appropriation_summary", "财政拨款收支总表", SUMMARY_INCOME + SUMMARY_EXPENDITURE, [
        Row("total", "income_current_year", "一、本年收入", ("1,172.15", "", "", "", ""), "income"),
        Row("income_source", "general_budget", "一般公共预算资金", ("1,172.15", "", "", "", ""), "income"),
        Row("income_source", "government_fund", "政府性基金预算资金", ("", "", "", "", ""), "income"),
        Row("total", "prior_year_carryover", "二、上年结转", ("12.00", "", "", "", ""), "income"),
        Row("income_source", "prior_year_carryover", "一般公共预算拨款", ("10.00", *BLANK4), "income"),
        Row("income_source", "prior_year_carryover", "政府性基金预算拨款", ("2.00", *BLANK4), "income"),
        *[Row(r.kind, r.code, r.name, ("", *r.values), r.group) for r in CLASS_ROWS],
    ])
    b.table("general_budget_expenditure", "一般公共预算财政拨款支出预算表",
            [Column("total", f"{PRIOR}年预算数", PRIOR), *FUNCTION_COLUMNS],
            [Row(r.kind, r.code, r.name, (_prior_total(r.code), *r.values)) for r in FUNCTION_ROWS])
    b.table("general_budget_basic_expenditure", "一般公共预算财政拨款基本支出预算表",
            [Column("total", "总计"), Column("personnel", "人员经费"),
             Column("public_operation", "日常公用经费")], [
        Row("total", "total", "合计", ("677.15", "378.34", "298.81")),
        Row("subject", "301", "工资福利支出", ("373.24", "373.24", "")),
        Row("subject", "30101", "基本工资", ("373.24", "373.24", "")),
        Row("subject", "302", "商品和服务支出", ("298.91", "0.10", "298.81")),
        Row("subject", "30217", "公务接待费", ("3.00", "", "3.00")),
        Row("subject", "30231", "公务用车运行维护费", ("3.50", "", "3.50")),
        Row("subject", "30299", "其他商品和服务支出", ("292.41", "0.10", "292.31")),
        Row("subject", "303", "对个人和家庭的补助", ("5.00", "5.00", "")),
    ])
    # printed as one unlabelled row, the prior year without a vehicle 小计 column
    b.table("three_public_expenses", "一般公共预算“三公”经费支出表", [
        Column("total", f"{PRIOR}年 / 合计", PRIOR),
        Column("vehicle_operation", f"{PRIOR}年 / 运行费", PRIOR),
        Column("reception", f"{PRIOR}年 / 公务接待费", PRIOR),
        Column("total", "合计"), Column("outbound_travel", "因公出国（境）费"),
        Column("vehicle_total", "小计"),
        Column("vehicle_purchase", "公务用车购置费"), Column("vehicle_operation", "公务用车运行费"),
        Column("reception", "公务接待费"),
    ], [Row("other", None, None, ("7.00", "4.00", "3.00", "6.50", "", "3.50", "", "3.50", "3.00"))])
    b.table("government_fund_expenditure", "政府性基金预算支出表", FUNCTION_COLUMNS,
            [Row("total", "total", "合计", ("", "", ""))], is_empty=True, note="本单位无政府性基金收支")
    b.table("department_summary", "部门收支总表", SUMMARY_INCOME + [Column("total", "支出 / 预算数")], [
        Row("income_source", "general_budget", "一般公共预算资金", ("1,172.15", ""), "income"),
        Row("income_source", "fiscal_special_account", "财政专户管理资金", ("", ""), "income"),
        Row("income_source", "business_income", "事业收入资金", ("0.00", ""), "income"),
        Row("total", "prior_year_carryover", "上年结转", ("12.00", ""), "income"),
        *[Row(r.kind, r.code, r.name, ("", r.values[0]), r.group) for r in CLASS_ROWS],
    ])
    b.table("department_income", "部门收入总表",
            [Column("total", "总计"), Column("general_budget", "一般公共预算拨款收入"),
             Column("business_income", "事业收入")],
            [Row(r.kind, r.code, r.name, (r.values[0], r.values[0], "")) for r in FUNCTION_ROWS])
    b.table("department_expenditure", "部门支出总表", FUNCTION_COLUMNS,
            [Row(r.kind, r.code, r.name, r.values) for r in FUNCTION_ROWS])
    b.table("procurement", "政府采购预算明细表",
            [Column("total", "总计"), Column("general_budget", "一般公共预算")],
            [Row("total", "total", "合计", ("12.00", "12.00")),
             Row("other", "1", "货物类", ("12.00", "12.00"))])
    b.table("department_performance_targets", "部门（单位）整体绩效目标表", INDICATOR_COLUMNS, [
        Row("indicator", "1", None, ("产出指标", "数量指标", "办件量", "20", "件", "≥", "700000", "是")),
        Row("indicator", "2", None,
            ("满意度指标", "满意度指标", "服务对象满意度", "80%", "%", "≥", "98", "否")),
    ])
    b.table("project_expenditure", "项目支出明细表",
            [Column("total", "合计"), Column("annual_specific_total", "年初特定目标 / 小计")], [
        Row("total", "total", "合计", ("495.00", "495.00")),
        Row("project", PROJECT_CODE, "窗口工作人员专项经费", ("110.00", "110.00")),
        Row("project", None, "政务服务中心维修（护）保障经费", ("9.00", "9.00")),
        Row("project", None, "大厅运行经费", ("376.00", "376.00")),
    ])
    for code, name, amount in ((PROJECT_CODE, "窗口工作人员专项经费", "110.00"),
                               (MAINTENANCE_CODE, "政务服务中心维修(护)保障经费", "9.00"),
                               (TARGET_ONLY_CODE, "档案数字化", "5.00")):
        b.table("project_performance_targets", "项目支出绩效目标表", FIELD_COLUMN + INDICATOR_COLUMNS, [
            Row("field", "project_amount", "当年预算（万元）", (amount, *[""] * 8)),
            Row("field", "budget_execution_weight", "预算执行率权重", ("10", *[""] * 8)),
            Row("indicator", "1", None,
                ("", "产出指标", "数量指标", "审批件数", "90", "件", "\\geq", "750000", "否")),
        ], project_code=code, project_name=name)
    return b.extraction


def _prior_total(code: str | None) -> str:
    """The 2023 comparison column: 2023's figures, published for totals and classes only."""
    return {"total": "1,100.00", "201": "990.00", "221": "110.00", "2210201": "110.00"}.get(code or "", "")


def rejected_document() -> Extraction:
    sha256 = "ee" * 32
    return Extraction(document=StagedDocument(
        document_id=sha256[:16], sha256=sha256, source_path="samples/locked.pdf", source_url=None,
        file_type="pdf", document_type=None, fiscal_year=None, province_name=None, region_name=None,
        department_name=None, unit_code=None, title=None, page_count=None, status="rejected",
        error_code="encrypted_pdf", error_message="the PDF is password-protected",
    ))

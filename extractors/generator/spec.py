"""The document spec: what one generated disclosure says, independent of how it is rendered.

A spec holds published text, not numbers: every cell is the string a reader would see ("1,172.15",
"1932.1", "" for a blank cell), because the seeds' fixtures must reproduce their published form and
their published defects exactly. ``amount_of`` turns a cell into the exact ``Decimal`` it means.

Tables are typed by CONTRACT ``table_type``; columns carry the staging ``measure`` they hold and the
fiscal year they belong to, so the expected cells of a rendered file follow from the spec alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation

CENT = Decimal("0.01")

# Row kinds are the staging ``row_kind`` vocabulary plus ``blank`` (an empty half-line that keeps the
# two sides of a 收支总表-style table aligned as published).
ROW_KINDS = (
    "total",
    "subject",
    "income_source",
    "expenditure_class",
    "project",
    "indicator",
    "field",
    "other",
    "blank",
)


class SpecError(ValueError):
    """A spec or a spec data file that breaks the model's rules (named in the message)."""


def amount_of(text: str | None) -> Decimal | None:
    """The exact amount a published cell means: thousands separators dropped, blank → None."""
    if text is None:
        return None
    cleaned = text.replace(",", "").replace("，", "").strip()
    if not cleaned:
        return None
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


def format_amount(value: Decimal, grouped: bool = True) -> str:
    """An amount as published: two decimals, optionally with thousands separators."""
    quantized = value.quantize(CENT)
    return f"{quantized:,.2f}" if grouped else f"{quantized:.2f}"


@dataclass(frozen=True)
class Column:
    """One value column: its key within the table, the staging measure and the year it reports.

    ``label`` is the column's header path below the year group, e.g. ("公务用车购置及运行费", "小计").
    ``measure`` is None for a published column with no canonical meaning (label kept).
    """

    key: str
    label: tuple[str, ...]
    measure: str | None
    fiscal_year: int
    is_prior_year: bool = False
    group: str | None = None  # income | expenditure: the side of a two-sided (收支总表-style) table


@dataclass
class Row:
    kind: str
    code: str | None
    name: str
    values: dict[str, str] = field(default_factory=dict)  # column key -> published text
    group: str | None = None  # income | expenditure on two-sided tables
    labels: tuple[str, ...] | None = None  # the row-label cells as printed, when not (code, name)

    def amount(self, key: str) -> Decimal | None:
        return amount_of(self.values.get(key))


@dataclass
class Indicator:
    """One performance indicator line (整体/项目绩效目标表)."""

    level1: str
    level2: str
    level3: str
    weight: str
    unit: str
    operator: str
    target_value: str
    is_core: str = ""


@dataclass
class TableSpec:
    table_type: str
    title: str
    label: str | None = None  # 表二, 附件 2, 表 12-3 ... as published; None when the document prints none
    unit_name: str = "万元"
    label_columns: tuple[tuple[str, ...], ...] = ()  # header paths of the row-label columns
    columns: list[Column] = field(default_factory=list)
    year_group: str | None = None  # header above the value columns of one year, e.g. "{year}年预算数"
    rows: list[Row] = field(default_factory=list)
    note: str | None = None
    subtitle: str | None = None  # e.g. 编制单位：201001-…（本级）
    # Row indices before which a new page starts; ``repeat_header`` says whether the title and header
    # are printed again there (the seeds do both).
    page_breaks: tuple[int, ...] = ()
    repeat_header: bool = True
    total_label_first: bool = False  # 合计 printed in the code column (綦江) rather than the name column
    # Performance-target tables: key-value fields above the indicator lines.
    fields: list[Row] = field(default_factory=list)
    indicator_columns: tuple[tuple[str, str], ...] = ()  # (Indicator attribute, header label) in print order
    indicators: list[Indicator] = field(default_factory=list)
    project_code: str | None = None
    project_name: str | None = None

    @property
    def is_two_sided(self) -> bool:
        return any(r.group for r in self.rows)

    @property
    def is_form(self) -> bool:
        return self.table_type in ("department_performance_targets", "project_performance_targets")

    @property
    def is_empty(self) -> bool:
        return not self.is_form and all(amount_of(v) is None for r in self.rows for v in r.values.values())

    def column(self, key: str) -> Column:
        for c in self.columns:
            if c.key == key:
                return c
        raise SpecError(f"table {self.table_type!r} has no column {key!r}")

    def row(self, code: str) -> Row:
        for r in self.rows:
            if r.code == code:
                return r
        raise SpecError(f"table {self.table_type!r} has no row with code {code!r}")


@dataclass(frozen=True)
class NarrativeFigure:
    """A figure the narrative quotes, keyed as staging ``narrative_figures``."""

    key: str
    amount: Decimal
    fiscal_year: int
    subject_name: str | None = None


@dataclass
class DocumentSpec:
    region: str  # e.g. 綦江区
    province: str  # e.g. 重庆市
    department: str  # full name as published, e.g. 重庆市綦江区政务服务管理办公室
    unit_code: str | None
    fiscal_year: int
    document_type: str  # budget | final_account
    title: str
    narrative: list[str] = field(default_factory=list)
    narrative_figures: list[NarrativeFigure] = field(default_factory=list)
    tables: list[TableSpec] = field(default_factory=list)
    slug: str = ""  # file-name stem for rendered files

    def table(self, table_type: str) -> TableSpec:
        for t in self.tables:
            if t.table_type == table_type:
                return t
        raise SpecError(f"document {self.slug!r} has no {table_type!r} table")

    def copy(self) -> DocumentSpec:
        """A deep copy whose cells can be changed without touching this spec (for mutations)."""
        return replace(
            self,
            narrative=list(self.narrative),
            narrative_figures=list(self.narrative_figures),
            tables=[
                replace(
                    t,
                    rows=[replace(r, values=dict(r.values)) for r in t.rows],
                    fields=[replace(f, values=dict(f.values)) for f in t.fields],
                    indicators=[replace(i) for i in t.indicators],
                )
                for t in self.tables
            ],
        )

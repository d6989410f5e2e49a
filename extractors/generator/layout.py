"""From a typed table to a printable grid: header cells with their spans, body lines, and the exact
cell every body value is expected to be read back as. Renderers only draw grids.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import Decimal

from extractors.generator.spec import (
    CENT,
    Column,
    DocumentSpec,
    Row,
    SpecError,
    TableSpec,
    amount_of,
    format_amount,
)

INDICATOR_HEADING = "绩效指标"
# Units amounts can be printed in without losing a cent (亿元 pages round, so they are not generated).
UNIT_FACTORS = {"万元": Decimal(1), "元": Decimal(10_000)}


@dataclass(frozen=True)
class ExpectedCell:
    """One body cell a reader must find: where it is (table, row, measure) and what it says."""

    table_index: int
    table_type: str
    table_label: str | None
    row_kind: str
    row_group: str | None
    row_code: str | None
    row_name: str
    measure: str | None
    column_label: str
    fiscal_year: int | None
    is_prior_year: bool
    text: str  # as rendered
    amount: str | None  # exact 万元 amount with two decimals; None for text cells (indicators, fields)
    project_code: str | None = None
    page: int | None = None  # PDF only: 1-based page the cell was drawn on
    bbox: tuple[float, float, float, float] | None = None  # PDF only: cell box, points, origin top-left

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class HeaderCell:
    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1


@dataclass
class GridLine:
    cells: list[str]
    expected: list[ExpectedCell | None]
    spans_rest: bool = False  # the second cell runs to the last column (form fields)
    is_heading: bool = False  # an in-body header line (indicator column titles)


@dataclass
class Grid:
    table: TableSpec
    table_index: int
    n_cols: int
    header: list[HeaderCell] = field(default_factory=list)
    header_rows: int = 0
    lines: list[GridLine] = field(default_factory=list)
    page_breaks: tuple[int, ...] = ()

    @property
    def expected(self) -> list[ExpectedCell]:
        return [e for line in self.lines for e in line.expected if e is not None]


@dataclass(frozen=True)
class NumberStyle:
    """How amounts are printed: ``grouped`` re-formats them with (True) or without (False) thousands
    separators, None keeps the spec's published text; ``unit_name`` 元 prints them ×10,000
    (expected amounts stay in 万元)."""

    grouped: bool | None = None
    unit_name: str = "万元"

    def show(self, text: str) -> str:
        value = amount_of(text)
        if value is None or (self.grouped is None and self.unit_name == "万元"):
            return text
        grouped = self.grouped if self.grouped is not None else "," in text
        return format_amount(value * UNIT_FACTORS[self.unit_name], grouped)


PUBLISHED = NumberStyle()


def layout_document(spec: DocumentSpec, style: NumberStyle = PUBLISHED) -> list[Grid]:
    """Grids of all tables, amounts printed in ``style``."""
    if style.unit_name not in UNIT_FACTORS:
        raise SpecError(f"unknown unit {style.unit_name!r}; expected one of {sorted(UNIT_FACTORS)}")
    return [layout_table(t, i, style) for i, t in enumerate(spec.tables)]


def layout_table(table: TableSpec, index: int, style: NumberStyle = PUBLISHED) -> Grid:
    if table.is_form:
        return _form_grid(table, index)
    if table.is_two_sided:
        return _two_sided_grid(table, index, style)
    return _one_sided_grid(table, index, style)


def _value_path(table: TableSpec, column: Column) -> tuple[str, ...]:
    path = column.label or ("",)
    if table.year_group:
        group = table.year_group.format(year=column.fiscal_year)
        return (group,) if not column.label else (group, *column.label)
    return path


def _header(paths: list[tuple[str, ...]]) -> tuple[list[HeaderCell], int]:
    """Merged header cells from one header path per column: equal adjacent prefixes share a cell
    (colspan); a path shorter than the deepest one runs down to the last header row (rowspan)."""
    depth = max((len(p) for p in paths), default=0)
    cells = []
    for level in range(depth):
        col = 0
        while col < len(paths):
            path = paths[col]
            if len(path) <= level:
                col += 1
                continue
            is_leaf = len(path) == level + 1
            end = col + 1
            while (
                end < len(paths)
                and len(paths[end]) > level
                and paths[end][: level + 1] == path[: level + 1]
                and (len(paths[end]) == level + 1) == is_leaf
            ):
                end += 1
            cells.append(HeaderCell(path[level], level, col, depth - level if is_leaf else 1, end - col))
            col = end
    return cells, depth


def _row_labels(table: TableSpec, row: Row, n: int) -> list[str]:
    if n == 0:
        return []
    if row.labels is not None:
        labels = list(row.labels)
    elif n == 1:
        labels = [row.name]
    elif row.kind == "total" and table.total_label_first:
        labels = [row.name, ""]
    elif row.kind in ("subject", "other", "unit") and row.code:
        labels = [row.code, row.name]
    else:
        labels = ["", row.name]
    labels = labels[-n:]
    return [""] * (n - len(labels)) + labels


def _expected(
    table: TableSpec, index: int, row: Row, column: Column, published: str, text: str, column_label: str
) -> ExpectedCell | None:
    amount = amount_of(published)
    if row.kind == "blank" or amount is None:
        return None
    return ExpectedCell(
        table_index=index,
        table_type=table.table_type,
        table_label=table.label,
        row_kind=row.kind,
        row_group=row.group,
        row_code=row.code,
        row_name=row.name,
        measure=column.measure,
        column_label=column_label,
        fiscal_year=column.fiscal_year,
        is_prior_year=column.is_prior_year,
        text=text,
        amount=str(amount.quantize(CENT)),
        project_code=table.project_code,
    )


def _row_part(
    table: TableSpec,
    index: int,
    row: Row | None,
    columns: list[Column],
    n_labels: int,
    paths: dict[str, tuple[str, ...]],
    style: NumberStyle,
) -> tuple[list[str], list]:
    if row is None or row.kind == "blank":
        width = n_labels + len(columns)
        return [""] * width, [None] * width
    cells = _row_labels(table, row, n_labels)
    expected: list[ExpectedCell | None] = [None] * n_labels
    for c in columns:
        published = row.values.get(c.key, "")
        text = style.show(published)
        cells.append(text)
        label = " / ".join(p for p in paths[c.key] if p)
        expected.append(_expected(table, index, row, c, published, text, label))
    return cells, expected


def _one_sided_grid(table: TableSpec, index: int, style: NumberStyle) -> Grid:
    value_paths = {c.key: _value_path(table, c) for c in table.columns}
    header, depth = _header(list(table.label_columns) + list(value_paths.values()))
    n_labels = len(table.label_columns)
    grid = Grid(table, index, n_labels + len(table.columns), header, depth, page_breaks=table.page_breaks)
    for row in table.rows:
        cells, expected = _row_part(table, index, row, table.columns, n_labels, value_paths, style)
        grid.lines.append(GridLine(cells, expected))
    return grid


def _two_sided_grid(table: TableSpec, index: int, style: NumberStyle) -> Grid:
    sides = ("income", "expenditure")
    columns = {s: [c for c in table.columns if c.group == s] for s in sides}
    rows = {s: [r for r in table.rows if r.group == s] for s in sides}
    income_label, expenditure_label = table.label_columns
    paths = {c.key + (c.group or ""): c.label for c in table.columns}
    header, depth = _header(
        [
            income_label,
            *(c.label for c in columns["income"]),
            expenditure_label,
            *(c.label for c in columns["expenditure"]),
        ]
    )
    grid = Grid(table, index, 2 + len(table.columns), header, depth, page_breaks=table.page_breaks)
    for i in range(max(len(rows["income"]), len(rows["expenditure"]))):
        cells: list[str] = []
        expected: list = []
        for side in sides:
            row = rows[side][i] if i < len(rows[side]) else None
            side_paths = {c.key: paths[c.key + side] for c in columns[side]}
            part, part_expected = _row_part(table, index, row, columns[side], 1, side_paths, style)
            cells += part
            expected += part_expected
        grid.lines.append(GridLine(cells, expected))
    return grid


def _form_grid(table: TableSpec, index: int) -> Grid:
    """Performance-target tables: one key–value line per field, then the indicator lines."""
    n_cols = 1 + len(table.indicator_columns)
    grid = Grid(table, index, n_cols)
    for f in table.fields:
        text = f.values.get("value", "")
        value = amount_of(text) if f.code and f.code.endswith(("_amount", "_total")) else None
        expected = ExpectedCell(
            index,
            table.table_type,
            table.label,
            "field",
            None,
            f.code,
            f.name,
            "value",
            f.name,
            None,
            False,
            text,
            None if value is None else str(value.quantize(CENT)),
            table.project_code,
        )
        grid.lines.append(
            GridLine(
                [f.name, text] + [""] * (n_cols - 2),
                [None, expected] + [None] * (n_cols - 2),
                spans_rest=True,
            )
        )
    if table.indicators:
        grid.lines.append(
            GridLine(
                [INDICATOR_HEADING, *(label for _, label in table.indicator_columns)],
                [None] * n_cols,
                is_heading=True,
            )
        )
    for ordinal, ind in enumerate(table.indicators, start=1):
        cells: list[str] = [""]
        indicator_expected: list[ExpectedCell | None] = [None]
        for attr, label in table.indicator_columns:
            text = getattr(ind, attr)
            cells.append(text)
            indicator_expected.append(
                ExpectedCell(
                    index,
                    table.table_type,
                    table.label,
                    "indicator",
                    None,
                    str(ordinal),
                    ind.level3,
                    f"indicator_{attr}" if attr.startswith("level") else attr,
                    label,
                    None,
                    False,
                    text,
                    None,
                    table.project_code,
                )
                if text
                else None
            )
        grid.lines.append(GridLine(cells, indicator_expected))
    return grid

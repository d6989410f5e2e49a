"""Accuracy against the hand-checked truth (tests/truth/README.md): every figure read from a rendered
page, looked up in the marts built from the same file (matched by sha256), exact or not.

Where a figure is looked up: grid tables in ``fct_expenditure_by_function`` /
``fct_basic_expenditure_by_economic`` by code (``total`` for the printed total line) and measure;
三公 in ``fct_three_public_expenses``; income lines in ``fct_income_by_source`` (an income source) or
``fct_printed_total`` (a total key). A measure the fact has no column for, and a line keyed ``-`` (no
key), are looked up among the staged cells of that table type carrying the measure (by row name for
``-``). Values compare in 万元 at two decimals, as the marts hold them: a table printed in 元 is divided
by 10,000 first.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb
import yaml

from extractors.interpret.mappings import norm
from extractors.interpret.numbers import unit_factor

_CENT = Decimal("0.01")
_FUNCTION_MEASURES = ("total", "basic", "project")
_ECONOMIC_MEASURES = ("total", "personnel", "public_operation")
_THREE_PUBLIC_MEASURES = ("total", "outbound_travel", "vehicle_total", "vehicle_purchase",
                          "vehicle_operation", "reception")
_INCOME_SOURCES = ("general_budget", "government_fund", "state_capital", "fiscal_special_account",
                   "business_income", "superior_subsidy", "subordinate_remittance", "business_operation",
                   "other", "prior_year_carryover")
_MISSING = object()  # no place in the marts holds the figure


@dataclass
class Figure:
    table_type: str
    key: str  # code, income source, total key, or '-'
    name: str | None
    measure: str
    fiscal_year: int
    expected: Decimal | None  # in 万元, two decimals; None: printed blank
    printed: str | None
    found: object = _MISSING  # Decimal | None | _MISSING

    @property
    def exact(self) -> bool:
        return self.found is not _MISSING and self.found == self.expected

    def describe(self) -> str:
        found = "missing" if self.found is _MISSING else ("blank" if self.found is None else str(self.found))
        expected = "blank" if self.expected is None else str(self.expected)
        printed = f" (printed {self.printed})" if self.printed not in (None, expected) else ""
        return (f"{self.table_type} {self.key} {self.name or ''} {self.measure}@{self.fiscal_year}: "
                f"expected {expected}{printed}, found {found}")


@dataclass
class DocumentAccuracy:
    truth_file: str
    sha256: str
    label: str
    document_id: str | None
    figures: list[Figure] = field(default_factory=list)

    @property
    def exact(self) -> int:
        return sum(f.exact for f in self.figures)

    @property
    def rate(self) -> Decimal | None:
        return Decimal(self.exact) / Decimal(len(self.figures)) if self.figures else None


@dataclass
class Accuracy:
    documents: list[DocumentAccuracy]

    @property
    def total(self) -> int:
        return sum(len(d.figures) for d in self.documents)

    @property
    def exact(self) -> int:
        return sum(d.exact for d in self.documents)

    @property
    def rate(self) -> Decimal | None:
        return Decimal(self.exact) / Decimal(self.total) if self.total else None


def _column(spec: str, year: int) -> tuple[str, int]:
    measure, _, at = str(spec).partition("@")
    return measure, int(at) if at else year


def _expected(value, factor: Decimal) -> Decimal | None:
    if value is None:
        return None
    return (Decimal(str(value).replace(",", "")) * factor).quantize(_CENT, rounding=ROUND_HALF_UP)


def figures_of(truth: dict) -> list[Figure]:
    """Every figure a truth file holds, expected in 万元."""
    year = int(truth["fiscal_year"])
    out = []
    for table in truth.get("tables") or []:
        table_type = table["table_type"]
        factor = unit_factor(table.get("unit"))
        if "values" in table:
            for spec, value in table["values"].items():
                measure, at = _column(spec, year)
                out.append(Figure(table_type, "total", None, measure, at, _expected(value, factor),
                                  None if value is None else str(value)))
            continue
        columns = [_column(c, year) for c in table["columns"]]
        for row in table.get("rows") or []:
            key, name, values = str(row[0]), row[1], row[2:]
            key = key.strip("()（）")
            for (measure, at), value in zip(columns, values, strict=False):
                if measure == "-":
                    continue
                out.append(Figure(table_type, key, name, measure, at, _expected(value, factor),
                                  None if value is None else str(value)))
    return out


def _fact_table_types() -> dict[str, list[str]]:
    """The table types each fact reads, as dbt's vars say (dbt_project/dbt_project.yml)."""
    from extractors.transform import project_vars

    return project_vars()


def _fact_lookup(figure: Figure, document_id: str, side: str | None):
    """(sql, params) of the mart place holding the figure, or None when no fact column holds it."""
    t, m = figure.table_type, figure.measure
    types = _fact_table_types()
    params = [document_id, t, figure.fiscal_year]
    if figure.key == "-":
        return None
    if t in types["three_public_expenses_table_types"] and m in _THREE_PUBLIC_MEASURES:
        return (f"select {m}_amount from marts.fct_three_public_expenses "
                "where document_id = ? and table_type = ? and fiscal_year = ?", params)
    if t in types["basic_expenditure_table_types"] and m in _ECONOMIC_MEASURES:
        return (f"select {m}_amount from marts.fct_basic_expenditure_by_economic "
                "where document_id = ? and table_type = ? and fiscal_year = ? and subject_code = ?",
                [*params, figure.key])
    if side == "income" or m == "amount":
        if figure.key in _INCOME_SOURCES and figure.key != "prior_year_carryover":
            return ("select amount from marts.fct_income_by_source where document_id = ? and table_type = ? "
                    "and fiscal_year = ? and income_source = ?", [*params, figure.key])
        # a total key (本年收入合计, 收入总计, 上年结转 as a total line …): the printed-total mart, else
        # (上年结转 printed by fund) the income source
        return ("select amount from marts.fct_printed_total where document_id = ? and table_type = ? "
                "and fiscal_year = ? and total_key = ? and measure = 'amount' "
                "union all select amount from marts.fct_income_by_source where document_id = ? "
                "and table_type = ? and fiscal_year = ? and income_source = ?",
                [*params, figure.key, *params, figure.key])
    if t in types["function_expenditure_table_types"] and m in _FUNCTION_MEASURES:
        return (f"select {m}_amount from marts.fct_expenditure_by_function "
                "where document_id = ? and table_type = ? and fiscal_year = ? and subject_code = ?",
                [*params, figure.key])
    return None


def _staged(con, figure: Figure, document_id: str):
    """The figure among the staged cells of its table type with its measure: by key, or (key '-') by name."""
    rows = con.execute(
        "select row_code, row_name, amount from intermediate.int_table_cells where document_id = ? "
        "and table_type = ? and measure = ? and fiscal_year = ?",
        [document_id, figure.table_type, figure.measure, figure.fiscal_year]).fetchall()
    if figure.key == "-":
        name = norm(figure.name or "")
        candidates = [a for _, n, a in rows if norm(n or "") == name]
    else:
        candidates = [a for code, _, a in rows if code == figure.key]
    if not candidates:
        return _MISSING
    values = [None if a is None else Decimal(a).quantize(_CENT, rounding=ROUND_HALF_UP) for a in candidates]
    return figure.expected if figure.expected in values else values[0]


def _locate(con, figure: Figure, document_id: str, side: str | None):
    lookup = _fact_lookup(figure, document_id, side)
    if lookup is None:
        return _staged(con, figure, document_id)
    rows = con.execute(*lookup).fetchall()
    if not rows:
        # a fact keeping figures only (fct_income_by_source) has no row for a blank: the staged line shows
        # it was read, and read blank
        return _staged(con, figure, document_id) if figure.expected is None else _MISSING
    values = [r[0] for r in rows]
    if figure.expected not in values and figure.key == "prior_year_carryover" and figure.name:
        # 上年结转 split into lines (1.财政拨款结余、结转 / 2.非财政拨款结余、结转, Shenzhen): the mart holds
        # their sum; each line is its staged carry-over cell, found by name
        lines = con.execute(
            "select row_name, amount from intermediate.int_table_cells where document_id = ? "
            "and table_type = ? and measure = ? and fiscal_year = ? and row_code = ?",
            [document_id, figure.table_type, figure.measure, figure.fiscal_year, figure.key]).fetchall()
        name = norm(figure.name)
        if any(norm(n or "") == name and a is not None
               and Decimal(a).quantize(_CENT, rounding=ROUND_HALF_UP) == figure.expected for n, a in lines):
            return figure.expected
    return figure.expected if figure.expected in values else values[0]


def measure(truth_dir: Path, warehouse: Path) -> Accuracy:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        documents = dict(con.execute(
            "select sha256, document_id from marts.dim_document where load_status = 'loaded'").fetchall())
        out = []
        for path in sorted(Path(truth_dir).glob("*.yml")):
            truth = yaml.safe_load(path.read_text(encoding="utf-8"))
            document_id = documents.get(truth["sha256"])
            label = " ".join(str(truth.get(k, '?')) for k in ('publisher', 'fiscal_year', 'document_type'))
            doc = DocumentAccuracy(path.name, truth["sha256"], label, document_id)
            sides: dict[str, str | None] = {}
            for table in truth.get("tables") or []:
                sides.setdefault(table["table_type"], table.get("side"))
            for figure in figures_of(truth):
                if document_id is not None:
                    figure.found = _locate(con, figure, document_id, sides.get(figure.table_type))
                doc.figures.append(figure)
            out.append(doc)
    finally:
        con.close()
    return Accuracy(out)


def truth_sources(truth_dir: Path, corpus: Path) -> list[Path]:
    """The files of ``corpus`` some truth file of ``truth_dir`` is about (by sha256: names can lie)."""
    wanted = {str(yaml.safe_load(p.read_text(encoding="utf-8"))["sha256"])
              for p in Path(truth_dir).glob("*.yml")}
    return [p for p in sorted(Path(corpus).iterdir())
            if p.is_file() and hashlib.sha256(p.read_bytes()).hexdigest() in wanted]


def _percent(rate: Decimal | None) -> str:
    return "n/a" if rate is None else f"{rate * 100:.2f} %"


def render(accuracy: Accuracy, verbose: bool = False) -> str:
    lines = []
    for d in accuracy.documents:
        where = d.document_id or "not in the warehouse"
        lines.append(f"{d.truth_file} {d.label} ({where}): {d.exact} / {len(d.figures)} exact, "
                     f"{_percent(d.rate)}")
        if verbose:
            lines += [f"    {f.describe()}" for f in d.figures if not f.exact]
    lines.append(f"overall: {len(accuracy.documents)} document(s), {accuracy.exact} / {accuracy.total} "
                 f"figures exact, {_percent(accuracy.rate)}")
    return "\n".join(lines)

"""Small warehouses for the rule tests, written with plain SQL in the shape dbt builds.

``intermediate.int_cell_amounts`` and the staging tables have exactly the columns the rules read;
a test describes a table as columns (label, measure, year) and lines (kind, code, name, amounts),
which keeps each fixture a few readable lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import duckdb

from extractors.load import connect

INT_CELL_AMOUNTS_DDL = """
create schema if not exists intermediate;
create table if not exists intermediate.int_cell_amounts (
    document_id varchar, department_id varchar, document_type varchar, document_fiscal_year integer,
    fiscal_year integer, is_prior_year boolean, table_index integer, table_type varchar,
    table_title varchar, row_index integer, row_kind varchar, row_group varchar, row_code varchar,
    row_name varchar, measure varchar, column_label varchar, amount decimal(18, 2), raw_text varchar,
    page integer, x0 double, top double, x1 double, bottom double, inferred boolean, unit_name varchar,
    row_qualifier varchar
);
"""


@dataclass(frozen=True)
class Col:
    label: str
    measure: str | None
    year: int | None = None  # None: the document's year
    group: str | None = None  # income | expenditure side of a two-sided table


@dataclass
class Doc:
    document_id: str
    fiscal_year: int
    department: str = "政务服务管理办公室"
    region: str = "某区"
    document_type: str = "budget"
    tables: list[str] = field(default_factory=list)


def _amount(raw) -> Decimal | None:
    return None if raw is None else Decimal(str(raw))


class Warehouse:
    def __init__(self, path: Path):
        self.path = path
        self.con: duckdb.DuckDBPyConnection = connect(str(path))
        self.con.execute(INT_CELL_AMOUNTS_DDL)

    def document(self, doc: Doc) -> Doc:
        self.con.execute(
            """insert into staging.documents (document_id, sha256, file_type, document_type, fiscal_year,
                   province_name, region_name, department_name, status, extractor_version)
               values (?, ?, 'txt', ?, ?, '重庆市', ?, ?, 'loaded', 'test')""",
            [doc.document_id, doc.document_id * 4, doc.document_type, doc.fiscal_year, doc.region,
             doc.department])
        return doc

    def table(self, doc: Doc, table_index: int, table_type: str, columns: list[Col],
              lines: list[tuple], page: int = 1, unit_name: str = "万元", is_empty: bool = False) -> None:
        """lines: (row_kind, row_code, row_name, amount per column...) or with a leading row_group.

        An amount of None is a blank cell, staged as the interpreter stages it (no amount); a line
        shorter than the columns has no cells in the remaining columns.
        """
        self.con.execute(
            "insert into staging.tables (document_id, table_index, table_type, title, unit_name, page_first,"
            " page_last, is_empty) values (?, ?, ?, ?, ?, ?, ?, ?)",
            [doc.document_id, table_index, table_type, table_type, unit_name, page, page, is_empty])
        doc.tables.append(table_type)
        rows = []
        for row_index, line in enumerate(lines):
            group = None
            if line[0] in ("income", "expenditure"):
                group, line = line[0], line[1:]
            kind, code, name, *amounts = line
            for col, raw in zip(columns, amounts, strict=False):
                if col.group is not None and col.group != group:
                    continue
                year = col.year or doc.fiscal_year
                rows.append((
                    doc.document_id, f"dept-{doc.department}", doc.document_type, doc.fiscal_year, year,
                    year < doc.fiscal_year, table_index, table_type, table_type, row_index, kind, group,
                    code, name, col.measure, col.label, _amount(raw), str(raw or ""), page,
                    None, None, None, None, False, unit_name, None))
        if rows:
            self.con.executemany(
                "insert into intermediate.int_cell_amounts values (" + ", ".join("?" * 26) + ")", rows)

    def narrative(self, doc: Doc, figure_key: str, amount: str, subject_name: str | None = None,
                  fiscal_year: int | None = None, unit_name: str = "万元",
                  raw_text: str | None = None) -> None:
        """``amount`` in 万元, as the interpreter stages it; ``unit_name`` and ``raw_text`` as printed."""
        raw_text = raw_text or f"{amount}{unit_name}"
        self.con.execute(
            "insert into staging.narrative_figures values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [doc.document_id, figure_key, fiscal_year or doc.fiscal_year, Decimal(amount),
             f"… {raw_text} …", 1, subject_name, unit_name, raw_text])

    def close(self) -> None:
        self.con.close()

"""Table shapes from ``data/table_types.yml``: the columns, label columns and titles of each table type.

Both the seed specs and the synthesizer build their tables here, so a table type has one default
layout; a seed overrides what its publication printed differently.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from extractors.generator.spec import Column, SpecError

DATA = Path(__file__).parent / "data"


@cache
def load_data(name: str) -> dict[str, Any]:
    with open(DATA / name, encoding="utf-8") as f:
        return yaml.safe_load(f)


def table_defaults(document_type: str, table_type: str) -> dict[str, Any]:
    types = load_data("table_types.yml")
    if document_type not in types:
        raise SpecError(f"unknown document_type {document_type!r}; expected one of {sorted(types)}")
    try:
        return types[document_type][table_type]
    except KeyError:
        known = sorted(types[document_type])
        message = f"unknown {document_type} table_type {table_type!r}; expected one of {known}"
        raise SpecError(message) from None


def header_path(text: str) -> tuple[str, ...]:
    """'公务用车购置及运行费 / 小计' → ('公务用车购置及运行费', '小计'); '' → ()."""
    return tuple(part.strip() for part in text.split(" / ")) if text else ()


def make_columns(entries: list[list[Any]], fiscal_year: int, group: str | None = None) -> list[Column]:
    """Columns from ``[key, measure, header path, year offset]`` entries (offset optional, default 0)."""
    columns = []
    for entry in entries:
        if len(entry) not in (3, 4):
            raise SpecError(f"column entry {entry!r}: expected [key, measure, header path, year offset]")
        key, measure, label = entry[:3]
        offset = int(entry[3]) if len(entry) == 4 else 0
        columns.append(
            Column(
                key=key,
                label=header_path(label or ""),
                measure=measure,
                fiscal_year=fiscal_year + offset,
                is_prior_year=offset < 0,
                group=group,
            )
        )
    return columns


def default_layout(document_type: str, table_type: str, fiscal_year: int) -> dict[str, Any]:
    """Label columns, value columns and year-group template of a table type, ready for a TableSpec."""
    d = table_defaults(document_type, table_type)
    if "income" in d:
        columns = make_columns(d["income"]["columns"], fiscal_year, "income") + make_columns(
            d["expenditure"]["columns"], fiscal_year, "expenditure"
        )
        label_columns: tuple[tuple[str, ...], ...] = (
            header_path(d["income"]["label"]), header_path(d["expenditure"]["label"]))
    else:
        columns = make_columns(d.get("columns", []), fiscal_year)
        label_columns = tuple(header_path(p) for p in d.get("label_columns", []))
    return {
        "name": d["name"],
        "columns": columns,
        "label_columns": label_columns,
        "year_group": d.get("year_group"),
        "indicator_columns": tuple((k, v) for k, v in d.get("indicator_columns", [])),
        "empty_note": d.get("empty_note"),
    }


def default_title(document_type: str, table_type: str, department: str, fiscal_year: int) -> str:
    name = table_defaults(document_type, table_type)["name"]
    if table_type == "project_performance_targets":
        return f"{fiscal_year}年{name}"
    suffix = "年度" if document_type == "final_account" else "年"
    return f"{department}{fiscal_year}{suffix}{name}"

"""SQL kept in ``.sql`` files beside the Python that runs it: groups of statements, each headed by a
``-- name: NAME`` line, and a way to run one group with named parameters (``$name``)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import duckdb

_NAME = re.compile(r"^-- name: (\w+)\s*$", re.MULTILINE)
_PARAMETER = re.compile(r"\$([A-Za-z_]\w*)")
# a statement ends with a semicolon at the end of a line (the files' style; none is inside a literal)
_STATEMENT_END = re.compile(r";\s*$", re.MULTILINE)


@cache
def named_sql(path: Path) -> dict[str, str]:
    """The groups of statements of a SQL file by name (text before the first name describes the file)."""
    pieces = _NAME.split(Path(path).read_text(encoding="utf-8"))
    return {name: body.strip() for name, body in zip(pieces[1::2], pieces[2::2], strict=True)}


def execute(con: duckdb.DuckDBPyConnection, sql: str, parameters: dict | None = None) -> None:
    """Run each statement of ``sql`` with the named parameters it uses (DuckDB binds parameters to one
    statement at a time)."""
    for statement in map(_code, _STATEMENT_END.split(sql)):
        if not statement:
            continue
        named = set(_PARAMETER.findall(statement))
        used = {name: value for name, value in (parameters or {}).items() if name in named}
        con.execute(statement, used) if used else con.execute(statement)


def scalar(con: duckdb.DuckDBPyConnection, sql: str, parameters: object = None):
    """The one value a query returns (``count(*)`` and the like always return a row)."""
    row = con.execute(sql, parameters).fetchone()
    assert row is not None, f"no row from {sql[:60]!r}"
    return row[0]


def _code(statement: str) -> str:
    return "\n".join(line for line in statement.splitlines() if not line.lstrip().startswith("--")).strip()

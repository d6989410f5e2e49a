"""Staging in DuckDB: the loader owns schema ``staging``; dbt reads it as a source.

A document is keyed by the hash of its bytes. Loading a document replaces everything it loaded
before (delete then insert in one transaction), so re-running on the same input changes nothing
and a failure leaves the previous state. A rejected document keeps one row in ``documents`` with
its error: nothing given to the pipeline is ever silently dropped.

Only ``documents`` has a primary key. A key on ``tables`` or ``cells`` would be an ART index over every
row, which DuckDB must hold in memory to check each insert: a commit's memory would grow with the corpus
(10k documents' cells ran out of 4 GB at 800k staged). Their keys are dbt's data tests instead
(``stg_staging__tables``, ``int_table_cells``), run on what each build stages; ``connect`` drops the keys
from a warehouse staged before this.
"""

from __future__ import annotations

import codecs
import json
import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import astuple, fields
from decimal import Decimal
from pathlib import Path

import duckdb

from extractors.model import (
    Extraction,
    ExtractionIssue,
    NarrativeFigure,
    StagedCell,
    StagedDocument,
    StagedTable,
)
from extractors.sql_files import execute, named_sql

# What a document's staging rows were read with: a document staged by another version is extracted again
# (pipeline.split_already_extracted), so raise it whenever the reading of a document changes.
# 2: 三公 changes and fund parts, summaries' economic lists and purposes, Xi'an income columns.
EXTRACTOR_VERSION = "2"
# documents loaded per transaction: one insert per staging table reads the batch's Parquet files
LOAD_BATCH_DOCUMENTS = 1000

SQL = Path(__file__).with_name("load.sql")
DDL = named_sql(SQL)["schema"]
STAGING_TABLES = ("documents", "tables", "cells", "narrative_figures", "extraction_issues")

_CHILD_TABLES = STAGING_TABLES[1:]


# DuckDB's memory per process (its default is 80 % of the machine, and it fills what it is given with
# cached blocks): the loader and validation here, dbt through dbt_project/profiles.yml (same variable,
# same default). Beyond it DuckDB spills to <warehouse>.tmp. 1 GB plus dbt's or validation's own Python
# keeps every step's process under 2 GB (the result marts' build at 3.8 M places: 1.16 GB; at 1.5 GB
# it took 1.8 GB).
MEMORY_LIMIT_ENV = "BUDGETWH_MEMORY_LIMIT"
DEFAULT_MEMORY_LIMIT = "1GB"


def memory_limit() -> str:
    return os.environ.get(MEMORY_LIMIT_ENV) or DEFAULT_MEMORY_LIMIT


def connect(warehouse: str) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(warehouse)
    # set on the open database, not as connect() configuration: a process where dbt-duckdb already holds
    # the file open (Airflow's `dags test`, Cosmos) may only connect with the configuration it has
    con.execute("set memory_limit = $limit", {"limit": memory_limit()})
    # DuckDB's progress bar is for a terminal: in a log (Airflow's, the bench's) it is a screenful of bars
    con.execute("set enable_progress_bar = $shown", {"shown": sys.stdout.isatty()})
    con.execute(DDL)
    _drop_growing_keys(con)
    _add_new_columns(con)
    return con


# columns added to staging after warehouses were built without them: appended in the order ``DDL`` has
# them, so a warehouse staged before loads as it is (inserts from Parquet go by name)
_NEW_COLUMNS = {
    "documents": [("numeric_cell_count", "integer")],
    "cells": [("row_qualifier", "varchar")],
    "narrative_figures": [("unit_name", "varchar"), ("raw_text", "varchar")],
    "extraction_issues": [("page", "integer"), ("x0", "double"), ("top", "double"), ("x1", "double"),
                          ("bottom", "double")],
}


def _add_new_columns(con: duckdb.DuckDBPyConnection) -> None:
    for table, columns in _NEW_COLUMNS.items():
        for name, data_type in columns:
            con.execute(f"alter table staging.{table} add column if not exists {name} {data_type}")


# staging tables whose primary key an earlier DDL declared (see the module's docstring)
_UNKEYED_TABLES = ("tables", "cells")


def _drop_growing_keys(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild, once, a staging table an earlier DDL keyed: DuckDB cannot drop a primary key in place, so
    the rows move to the table as ``DDL`` now makes it, in one transaction (a failure keeps the keyed one)."""
    keyed = [table for (table,) in con.execute(
        "select table_name from duckdb_constraints() where schema_name = 'staging' "
        "and constraint_type = 'PRIMARY KEY' and list_contains($tables, table_name)",
        {"tables": list(_UNKEYED_TABLES)}).fetchall()]
    for table in keyed:
        con.execute("begin transaction")
        try:
            con.execute(f"alter table staging.{table} rename to {table}_keyed")
            con.execute(DDL)
            con.execute(f"insert into staging.{table} select * from staging.{table}_keyed")
            con.execute(f"drop table staging.{table}_keyed")
            con.execute("commit")
        except Exception:
            con.execute("rollback")
            raise


def _document_row(d: StagedDocument) -> tuple:
    return (*astuple(d), EXTRACTOR_VERSION)


def _table_row(t: StagedTable) -> tuple:
    return (
        t.document_id, t.table_index, t.table_type, t.title, t.label, t.unit_name, t.page_first,
        t.page_last, t.project_code, t.project_name, t.is_empty, t.note,
        json.dumps(t.header, ensure_ascii=False),
    )


def _cell_row(c: StagedCell) -> tuple:
    x0, top, x1, bottom = c.bbox if c.bbox else (None, None, None, None)
    return (
        c.document_id, c.table_index, c.row_index, c.col_index, c.row_kind, c.row_group, c.row_code,
        c.row_name, c.column_label, c.measure, c.fiscal_year, c.is_prior_year, c.raw_text, c.amount,
        c.page, x0, top, x1, bottom, c.inferred, c.confidence, c.row_qualifier,
    )


def _issue_row(i: ExtractionIssue) -> tuple:
    x0, top, x1, bottom = i.bbox if i.bbox else (None, None, None, None)
    return (i.document_id, i.table_index, i.severity, i.code, i.message, i.page, x0, top, x1, bottom)


def _placeholders(n: int) -> str:
    return ", ".join("?" * n)


def load_extraction(con: duckdb.DuckDBPyConnection, extraction: Extraction) -> None:
    """Replace one document's staging rows with this extraction, atomically."""
    doc_id = extraction.document.document_id
    doc_cols = [f.name for f in fields(StagedDocument)] + ["extractor_version"]
    con.execute("begin transaction")
    try:
        for table in _CHILD_TABLES:
            con.execute(f"delete from staging.{table} where document_id = ?", [doc_id])
        con.execute("delete from staging.documents where document_id = ?", [doc_id])
        con.execute(
            f"insert into staging.documents ({', '.join(doc_cols)}) values ({_placeholders(len(doc_cols))})",
            _document_row(extraction.document),
        )
        _insert_many(con, "tables", [_table_row(t) for t in extraction.tables], 13)
        _insert_many(con, "cells", [_cell_row(c) for c in extraction.cells], 22)
        _insert_many(con, "narrative_figures", [astuple(n) for n in extraction.narrative], 9)
        _insert_many(con, "extraction_issues", [_issue_row(i) for i in extraction.issues], 10)
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise


def _escape_undecoded_bytes(error: UnicodeError) -> tuple[str, int]:
    r"""A file name whose bytes are not UTF-8 reaches Python as lone surrogates (surrogateescape); in the
    JSON lines each such byte is written as the text ``\xff`` (an escaped backslash), never a failed run."""
    assert isinstance(error, UnicodeEncodeError), "registered for encoding only"
    bad = error.object[error.start:error.end]
    return "".join(f"\\\\x{ord(c) & 0xFF:02x}" for c in bad), error.end


_UNDECODED_BYTES = "budgetwh_undecoded_bytes"
codecs.register_error(_UNDECODED_BYTES, _escape_undecoded_bytes)


def stage(extraction: Extraction, folder: Path) -> None:
    """Write one extraction's staging rows as ``folder/<table>.parquet``, what ``load_staged`` loads."""
    write_parquet(_scratch_connection(), extraction, folder)


def load_staged(warehouse: Path, folders: Sequence[Path],
                batch_documents: int = LOAD_BATCH_DOCUMENTS) -> None:
    """Load staged documents (``stage``'s folders, each named by its document id) into the warehouse,
    ``batch_documents`` a transaction; each document replaces its old rows."""
    con = connect(str(warehouse))
    try:
        for start in range(0, len(folders), batch_documents):
            _load_batch(con, folders[start:start + batch_documents])
    finally:
        con.close()


def _load_batch(con: duckdb.DuckDBPyConnection, folders: Sequence[Path]) -> None:
    """One transaction and one ``insert … select from read_parquet([...])`` per staging table for the
    batch's documents (a statement per document and table cost 11–19 ms a document)."""
    files = {table: [str(folder / f"{table}.parquet") for folder in folders] for table in STAGING_TABLES}
    con.execute("begin transaction")
    try:
        execute(con, named_sql(SQL)["load_batch"], {"ids": [folder.name for folder in folders], **files})
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    finally:
        execute(con, named_sql(SQL)["end_batch"])


_SCRATCH: dict[int, duckdb.DuckDBPyConnection] = {}  # this process's in-memory staging schema, by process id


def _scratch_connection() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the staging schema (the Parquet files' column types), made once per
    (worker) process: connecting and creating the schema cost ~20 ms, a sixth of a text PDF's extraction."""
    con = _SCRATCH.get(os.getpid())
    if con is None:
        con = _SCRATCH[os.getpid()] = duckdb.connect(":memory:")
        con.execute(DDL)
    return con


def write_parquet(con: duckdb.DuckDBPyConnection, extraction: Extraction, folder: Path) -> None:
    """Write one extraction's staging rows as ``folder/<table>.parquet``, the loader's input.

    ``con`` holds the staging schema (``DDL``), whose column names and types the files take. The rows go
    out as JSON lines (Python's C encoder) that DuckDB reads with the table's types and writes as
    Parquet: inserting them into the in-memory table and copying it back out cost ~40 ms a document,
    most of it DuckDB scanning Python objects. Decimals travel as text, cast exactly; floats as their
    shortest exact repr.
    """
    rows = {
        "documents": [_document_row(extraction.document)],
        "tables": [_table_row(t) for t in extraction.tables],
        "cells": [_cell_row(c) for c in extraction.cells],
        "narrative_figures": [astuple(n) for n in extraction.narrative],
        "extraction_issues": [_issue_row(i) for i in extraction.issues],
    }
    for table, table_rows in rows.items():
        target = _sql_text(Path(folder) / f"{table}.parquet")
        if not table_rows:
            con.execute(f"copy (select * from staging.{table} where false) to {target} (format parquet)")
            continue
        columns = _staging_columns(con, table)
        carried, filled = columns[:len(table_rows[0])], columns[len(table_rows[0]):]
        names = [name for name, _ in carried]
        lines = Path(folder) / f".{table}.jsonl"
        with open(lines, "w", encoding="utf-8", errors=_UNDECODED_BYTES) as f:
            for row in table_rows:
                f.write(json.dumps(dict(zip(names, (str(v) if isinstance(v, Decimal) else v for v in row),
                                            strict=True)), ensure_ascii=False))
                f.write("\n")
        types = ", ".join(f"{_sql_text(name)}: {_sql_text(data_type)}" for name, data_type in carried)
        defaults = "".join(f", {_DEFAULTS[name]} as {name}" for name, _ in filled)
        con.execute(f"copy (select *{defaults} from read_json({_sql_text(lines)}, "
                    f"format = 'newline_delimited', columns = {{{types}}})) to {target} (format parquet)")
        lines.unlink()


def _sql_text(value: object) -> str:
    return "'" + str(value).replace("'", "''") + "'"


# staging columns the extraction does not carry, as the table's default would fill them
_DEFAULTS = {"loaded_at": "cast(current_timestamp as timestamp)"}


def _staging_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    """The staging table's (name, type) columns, as ``DDL`` makes them on every connection: asked once
    per process and table (the catalogue query costs ~2.5 ms, a tenth of a document's Parquet writing)."""
    if table not in _COLUMNS:
        _COLUMNS[table] = _catalogue_columns(con, table)
    return _COLUMNS[table]


_COLUMNS: dict[str, list[tuple[str, str]]] = {}


def _catalogue_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    return con.execute("select column_name, data_type from information_schema.columns "
                       "where table_schema = 'staging' and table_name = ? order by ordinal_position",
                       [table]).fetchall()


def _insert_many(con: duckdb.DuckDBPyConnection, table: str, rows: Iterable[tuple], width: int) -> None:
    """One bulk insert (``executemany`` runs a statement per row: most of extraction's time).

    Decimals travel as text and are cast by the table's DECIMAL columns, so amounts stay exact.
    """
    import pandas as pd

    rows = [tuple(str(v) if isinstance(v, Decimal) else v for v in row) for row in rows]
    if not rows:
        return
    frame = pd.DataFrame(rows, columns=[f"c{i}" for i in range(width)], dtype=object)
    con.register("_staged_rows", frame)
    try:
        con.execute(f"insert into staging.{table} select * from _staged_rows")
    finally:
        con.unregister("_staged_rows")


__all__ = ["connect", "load_extraction", "load_staged", "stage", "write_parquet", "DDL", "EXTRACTOR_VERSION",
           "ExtractionIssue", "NarrativeFigure"]

"""What the rule catalogue finds on a folder of real disclosures: loaded or rejected, tables typed, tables
at which every error-level rule holds.

    python -m bench.real_report [FOLDER] [-v]     (default ../shared/real)

The folder goes through the whole pipeline (extract → load → dbt → the rules of ``expectations/``) into
a scratch warehouse. For each file (the parts of one disclosure, ``…附件1…``, ``…附件2…``, joined as
the pipeline joins them): rejected with its code and reason, or loaded with N tables of which T typed,
and the share of its tables at which no error-level rule fails. The sums, their rounding tolerance and
what counts as an extraction doubt are the catalogue's; this report re-checks nothing. A table no rule
checks at is reported as unchecked, not as passed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from extractors.extract import group_parts, iter_input_files
from extractors.model import document_key
from extractors.pipeline import InputDocument, run


@dataclass(frozen=True)
class Table:
    table_index: int
    table_type: str | None
    title: str | None


@dataclass
class TableResult:
    table: Table
    checks: int = 0  # places the rules checked in this table
    failures: list[str] = field(default_factory=list)  # the error-level findings there

    @property
    def passed(self) -> bool:
        return self.checks > 0 and not self.failures


@dataclass
class DocumentResult:
    name: str
    error: str | None = None
    tables: list[TableResult] = field(default_factory=list)

    @property
    def checked(self) -> list[TableResult]:
        return [t for t in self.tables if t.checks]


def evaluate(paths: list[Path]) -> DocumentResult:
    """One disclosure (its parts together)."""
    return evaluate_groups([paths])[0]


def evaluate_folder(paths: list[Path], warehouse: Path | None = None) -> list[DocumentResult]:
    """Every file (PDF, spreadsheet, web page), the parts of one disclosure joined."""
    return evaluate_groups(group_parts(paths), warehouse)


def evaluate_groups(groups: list[list[Path]], warehouse: Path | None = None) -> list[DocumentResult]:
    """Run the pipeline over ``groups`` into ``warehouse`` (kept: the tests read it further), or into a
    temporary one. The report reads rule outcomes from the warehouse: no evidence site is written."""
    if warehouse is None:
        with tempfile.TemporaryDirectory(prefix="budgetwh-real-report-") as tmp:
            return evaluate_groups(groups, Path(tmp) / "warehouse.duckdb")
    documents = [InputDocument(group[0], parts=tuple(group[1:])) for group in groups]
    summary = run(documents, warehouse, site=False)
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return [_result(con, group, summary.run_id) for group in groups]
    finally:
        con.close()


def _result(con: duckdb.DuckDBPyConnection, group: list[Path], run_id: str) -> DocumentResult:
    name = " + ".join(p.name for p in group)
    document_id = document_key(group[0])
    status, code, message = con.execute(
        "select status, error_code, error_message from staging.documents where document_id = ?",
        [document_id]).fetchone()
    if status != "loaded":
        return DocumentResult(name, error=f"{code}: {message}")
    places = {index: (checks, failures) for index, checks, failures in con.execute("""
        select table_index, count(*),
            list(rule_id || ' ' || message order by rule_id, subject_code, fiscal_year)
                filter (where not passed and severity = 'error')
        from validation.rule_results
        where run_id = ? and document_id = ? and table_index is not null
        group by table_index""", [run_id, document_id]).fetchall()}
    tables = con.execute("select table_index, table_type, title from staging.tables where document_id = ? "
                         "order by table_index", [document_id]).fetchall()
    return DocumentResult(name, tables=[
        TableResult(Table(*row), *places.get(row[0], (0, []))) for row in tables])


def pass_share(results: list[DocumentResult]) -> tuple[int, int]:
    """(tables at which every error-level rule holds, tables the rules checked) over the loaded documents."""
    checked = [t for r in results for t in r.checked]
    return sum(t.passed for t in checked), len(checked)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.real_report", description=__doc__.split("\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, default=Path("../shared/real"))
    parser.add_argument("-v", "--verbose", action="store_true", help="list every error-level finding")
    args = parser.parse_args(argv)
    paths = iter_input_files([args.folder])
    if not paths:
        print(f"no disclosure files in {args.folder}", file=sys.stderr)
        return 1
    results = evaluate_folder(paths)
    for result in results:
        if result.error:
            print(f"REJECTED {result.name}: {result.error}")
            continue
        typed = sum(t.table.table_type is not None for t in result.tables)
        print(f"LOADED   {result.name}: {len(result.tables)} tables, {typed} typed; "
              f"{sum(t.passed for t in result.checked)}/{len(result.checked)} checked tables pass the rules")
        for t in result.tables:
            if args.verbose and t.failures:
                print(f"    table {t.table.table_index} {t.table.table_type} {t.table.title!r}: "
                      + "; ".join(t.failures[:5]))
            if args.verbose and t.table.table_type is None:
                print(f"    table {t.table.table_index} untyped: {t.table.title!r}")
    passed, checked = pass_share(results)
    share = 100 * passed / checked if checked else 0.0
    print(f"tables at which every error-level rule holds: {passed}/{checked} = {share:.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())

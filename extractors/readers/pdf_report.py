"""How extraction fares on a folder of real disclosures: loaded or rejected, tables typed, sums that hold.

    python -m extractors.readers.pdf_report [FOLDER]     (default ../shared/real)

For each file (PDF, spreadsheet, web page): rejected with its code and reason, or loaded with N tables
of which T typed, and the share of its tables that pass their own arithmetic. Files published as
parts of one disclosure (``…附件1…``, ``…附件2…`` of one department, as Beijing does) are joined
with ``join_documents`` first. The checks are the within-table ones that need nothing but the
staged cells (the full rule catalogue in ``expectations/`` needs a built warehouse):

* hierarchy: a subject row equals the sum of its child codes (类 = Σ 款, 款 = Σ 项), per column;
* total: the ``total`` row equals the sum of the class (3-digit) rows, per column;
* columns: ``total = basic + project`` and ``total = personnel + public_operation`` per row.

A sum of k rounded parts may differ from the rounded total by 0.005·(k+1) of the published unit
(DOMAIN.md); the tolerance is converted to 万元 with the table's unit. A table none of the checks
applies to is reported as unchecked, not as passed.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from extractors.extract import extract_file, group_parts, iter_input_files
from extractors.model import DocumentError, Extraction, StagedCell, StagedTable

HALF_UNIT = Decimal("0.005")
# One published unit in 万元, for the rounding tolerance.
UNIT_IN_WAN = {"万元": Decimal(1), "元": Decimal("0.0001"), "亿元": Decimal(10000)}
COLUMN_SUMS = {"total": [("basic", "project"), ("personnel", "public_operation")]}
SUBJECT_CODE_LENGTHS = (3, 5, 7)
UNIT_CODE = re.compile(r"^\d{6}$")
# ``[NN_]<stem>附件<n>…`` names one part of a disclosure split over several files; a crawler's
# numeric prefix (06_, 07_) is not part of the publisher's name.
@dataclass
class TableResult:
    table: StagedTable
    checks: int = 0
    failures: list[str] = field(default_factory=list)

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


def extract_group(paths: list[Path]) -> Extraction:
    return extract_file(paths[0], parts=paths[1:])


def check_table(table: StagedTable, cells: list[StagedCell]) -> TableResult:
    result = TableResult(table)
    scale = UNIT_IN_WAN.get(table.unit_name or "万元", Decimal(1))
    by_row: dict[RowKey, dict[str, StagedCell]] = defaultdict(dict)
    for cell in cells:
        if cell.measure and cell.amount is not None:
            by_row[_row(cell)].setdefault(f"{cell.measure}|{cell.fiscal_year}", cell)
    for check in (_hierarchy_checks, _total_checks, _column_checks):
        for label, expected, parts in check(cells, by_row):
            result.checks += 1
            tolerance = HALF_UNIT * (len(parts) + 1) * scale
            actual = sum(parts, Decimal(0))
            if abs(expected - actual) > tolerance:
                result.failures.append(f"{label}: {expected} vs Σ {actual}")
    return result


Check = tuple[str, Decimal, list[Decimal]]
# A staged row: its printed line, and its label, since a line printing lists side by side (基本支出决算表:
# 301 | 302 | 310 lists) stages one row per list under the same row_index.
RowKey = tuple[int, str, str]


def _row(cell: StagedCell) -> RowKey:
    return cell.row_index, cell.row_code or "", cell.row_name or ""


def _unit_rows(cells: list[StagedCell]) -> dict[str, RowKey]:
    """Rows heading one budget unit's rows (an ``other`` row naming an organisation with its 6-digit
    unit code)."""
    from extractors.interpret.metadata import clean_department

    return {c.row_code: _row(c) for c in cells
            if c.row_kind == "other" and c.row_code and UNIT_CODE.match(c.row_code)
            and clean_department(c.row_name or "")}


def _subject_rows(cells: list[StagedCell], by_row) -> dict[tuple[str | None, str], RowKey]:
    """Subject rows by (unit, code): a table grouped by budget unit repeats its codes in each unit."""
    starts = sorted((row, unit) for unit, row in _unit_rows(cells).items())
    rows = {}
    for c in cells:
        if c.row_kind == "subject" and c.row_code and c.row_code.isdigit():
            unit = next((u for start, u in reversed(starts) if start[0] < c.row_index), None)
            rows[(unit, c.row_code)] = _row(c)
    return rows


def _hierarchy_checks(cells: list[StagedCell], by_row) -> Iterator[Check]:
    rows = _subject_rows(cells, by_row)
    for (group, code), row in rows.items():
        printed = {c for g, c in rows if g == group}
        children = [r for (g, c), r in rows.items()
                    if g == group and c.startswith(code) and _is_child(code, c, printed)]
        if not children:
            continue
        for key, cell in by_row[row].items():
            parts = [by_row[r][key].amount for r in children if key in by_row[r]]
            yield f"{code} {key}", cell.amount, parts


def _is_child(parent: str, code: str, printed: set[str]) -> bool:
    """The next level under ``parent``, or a sub-item whose own parent line is not printed (Xi'an:
    3010201 津贴补贴 and 3010202 改革性补贴 under 301, with no 30102 line)."""
    if len(parent) not in SUBJECT_CODE_LENGTHS[:-1]:
        return False
    if len(code) == SUBJECT_CODE_LENGTHS[SUBJECT_CODE_LENGTHS.index(len(parent)) + 1]:
        return True
    return len(code) == len(parent) + 4 and code[:-2] not in printed


def _total_checks(cells: list[StagedCell], by_row) -> Iterator[Check]:
    """The total row equals the sum of the class rows, or of the unit rows where rows are grouped by
    budget unit; each unit row equals the sum of its own class rows."""
    classes: dict[str | None, list[RowKey]] = defaultdict(list)
    for (group, code), row in _subject_rows(cells, by_row).items():
        if len(code) == SUBJECT_CODE_LENGTHS[0]:
            classes[group].append(row)
    units = _unit_rows(cells)
    totals = {_row(c) for c in cells if c.row_kind == "total" and c.row_code == "total"}
    sums = [(row, list(units.values()) or classes[None]) for row in totals]
    sums += [(row, classes[unit]) for unit, row in units.items()]
    for row, parts in sums:
        if not parts:
            continue
        for key, cell in by_row[row].items():
            yield f"total {key}", cell.amount, [by_row[r][key].amount for r in parts if key in by_row[r]]


def _column_checks(cells: list[StagedCell], by_row) -> Iterator[Check]:
    """total = its parts, only where the row has no other figure of that year beside them (a table with
    a third part, e.g. 单位预留机动经费, promises nothing about two of them)."""
    figures: dict[tuple[RowKey, int | None], int] = defaultdict(int)
    for c in cells:
        if c.amount is not None:
            figures[(_row(c), c.fiscal_year)] += 1
    for row, measures in by_row.items():
        for key, cell in measures.items():
            measure, year = key.split("|")
            for part_names in COLUMN_SUMS.get(measure, []):
                parts = [measures.get(f"{p}|{year}") for p in part_names]
                if all(p is not None for p in parts) and figures[(row, cell.fiscal_year)] == len(parts) + 1:
                    yield f"row {row[0]} {key}", cell.amount, [p.amount for p in parts]


def evaluate(paths: list[Path]) -> DocumentResult:
    name = " + ".join(p.name for p in paths)
    try:
        extraction = extract_group(paths)
    except DocumentError as exc:
        return DocumentResult(name, error=f"{exc.code}: {exc.message}")
    doc = extraction.document
    if doc.status != "loaded":
        return DocumentResult(name, error=f"{doc.error_code}: {doc.error_message}")
    cells_by_table: dict[int, list[StagedCell]] = defaultdict(list)
    for cell in extraction.cells:
        cells_by_table[cell.table_index].append(cell)
    return DocumentResult(name, tables=[check_table(t, cells_by_table[t.table_index])
                                        for t in extraction.tables])


def evaluate_folder(paths: list[Path]) -> list[DocumentResult]:
    """Every file (PDF, spreadsheet, web page), the parts of one disclosure joined."""
    return [evaluate(group) for group in group_parts(paths)]


def pass_share(results: list[DocumentResult]) -> tuple[int, int]:
    """(tables passing their sums, tables checked) over the loaded documents."""
    checked = [t for r in results for t in r.checked]
    return sum(t.passed for t in checked), len(checked)


def numeric_cells(expected: list[dict]) -> list[dict]:
    """The generator's expected cells (its sidecar's ``cells``) that print an amount."""
    return [c for c in expected if c["amount"] is not None and c["text"]]


def missing_cells(expected: list[dict], rows: list[list[str]]) -> list[dict]:
    """Expected cells not found, each extracted cell used once: found means the exact printed text in
    a row that also prints the cell's row code or name; a row printed without its label (三公 tables:
    one row of figures under the header) is matched by the text alone."""
    labelled: Counter = Counter()
    unlabelled: Counter = Counter()
    for row in rows:
        texts = [" ".join(t.split()) for t in row]
        unlabelled.update(texts)
        labelled.update((label, text) for text in texts for label in texts if label != text)
    printed = set(unlabelled)
    missing = []
    for cell in expected:
        labels = [label for label in (cell["row_code"], cell["row_name"]) if label in printed]
        keys = [(labelled, (label, cell["text"])) for label in labels] + [(unlabelled, cell["text"])]
        for counter, key in keys:
            if counter[key] > 0:
                counter[key] -= 1
                break
        else:
            missing.append(cell)
    return missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m extractors.readers.pdf_report",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, default=Path("../shared/real"))
    parser.add_argument("-v", "--verbose", action="store_true", help="list every failed sum")
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
              f"{sum(t.passed for t in result.checked)}/{len(result.checked)} checked tables pass their sums")
        for t in result.tables:
            if args.verbose and t.failures:
                print(f"    table {t.table.table_index} {t.table.table_type} {t.table.title!r}: "
                      + "; ".join(t.failures[:5]))
            if args.verbose and t.table.table_type is None:
                print(f"    table {t.table.table_index} untyped: {t.table.title!r}")
    passed, checked = pass_share(results)
    share = 100 * passed / checked if checked else 0.0
    print(f"tables passing their own sums: {passed}/{checked} = {share:.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())

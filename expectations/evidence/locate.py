"""Where a finding is printed: the staged cells of its checked total and of each of its parts.

``validation.rule_results`` keeps a failed place's table, code, year, page and both sides, not the
parts the rule summed. The rules' own queries name them (``parts``: label and amount, as the hints read
them; ``detail``: the column or line of the total), so the failing rules are run again over the failing
documents only, each failed place is matched to its row, and every label is found among the table's
staged cells (page + bbox). A part that was printed blank has no cell: its box is where its row and the
total's column (or the total's row and its column) cross, when both are staged.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

import duckdb

from expectations.catalogue import Rule, load_rules
from expectations.runner import prepare_rules
from extractors.sql_files import scalar

CENT = Decimal("0.01")
TOTAL, PART, SUSPECT = "total", "part", "suspect"  # the box roles, each its own colour


@dataclass
class Cell:
    table_index: int
    row_index: int
    col_index: int
    row_kind: str
    row_code: str | None
    row_name: str | None
    column_label: str | None
    measure: str | None
    raw_text: str | None
    amount: Decimal | None
    page: int | None
    bbox: tuple[float, float, float, float] | None  # x0, top, x1, bottom in PDF points

    @property
    def row_label(self) -> str:
        return " ".join(x for x in (self.row_code, self.row_name) if x)


@dataclass
class Box:
    role: str  # TOTAL, PART or SUSPECT (the part the hint names as the likely slip)
    label: str
    amount: Decimal | None
    page: int | None
    bbox: tuple[float, float, float, float] | None  # None: not a PDF cell (XLSX, HTML, text form)
    cell: tuple[int, int]  # (row_index, col_index): the staged cell, or where a blank part would be


@dataclass
class Finding:
    """One failed place of the latest run of a document, with the cells it is about."""

    document_id: str | None
    rule_id: str
    severity: str
    finding_kind: str | None
    table_type: str | None
    table_index: int | None
    subject_code: str | None
    fiscal_year: int | None
    page: int | None
    expected: Decimal
    actual: Decimal
    difference: Decimal
    tolerance: Decimal
    message: str
    hint: str | None
    suggested_value: Decimal | None
    number: int = 0  # its place in the document's list (notes on the annotated PDF)
    key: str = ""  # finding_key(): the place and its numbers, stable across runs and versions
    boxes: list[Box] = field(default_factory=list)
    detail: str | None = None
    extent: dict[int, tuple[float, float]] = field(default_factory=dict)  # page → the table's x0, x1

    @property
    def anchor(self) -> str:
        return f"f-{self.key}"


def finding_key(
    rule_id: str, table_type: str | None, subject_code: str | None, fiscal_year: int | None, message: str
) -> str:
    """A place and its numbers, without the document: the message names the place's column or line and
    both sides, so the key of a new version's finding is the old one's only where that place printed the
    same numbers. Table index and page are left out (a new version may move the table)."""
    text = "|".join(
        "" if x is None else str(x) for x in (rule_id, table_type, subject_code, fiscal_year, message)
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]  # = review.FINDING_KEY_SQL


FINDINGS_SQL = """
select document_id, rule_id, severity, finding_kind, source_table_type, table_index, subject_code,
    fiscal_year, page, expected_amount, actual_amount, difference, tolerance, message, hint,
    suggested_value
from marts.fct_reconciliation_result
where not passed
order by document_id, severity, rule_id, source_table_type, table_index, subject_code, fiscal_year, page,
    message
"""


def failed_findings(con: duckdb.DuckDBPyConnection) -> list[Finding]:
    """Every failed place of each document's latest run (what the marts show; none before dbt built it)."""
    if not has_relation(con, "marts", "fct_reconciliation_result"):
        return []
    findings = [
        Finding(d, r, s, k, t, i, c, y, p, _q(e), _q(a), _q(x), _q(tol), m, h, None if v is None else _q(v))
        for d, r, s, k, t, i, c, y, p, e, a, x, tol, m, h, v in con.execute(FINDINGS_SQL).fetchall()
    ]
    numbers: dict[str | None, int] = defaultdict(int)
    for f in findings:
        numbers[f.document_id] += 1
        f.number = numbers[f.document_id]
        f.key = finding_key(f.rule_id, f.table_type, f.subject_code, f.fiscal_year, f.message)
    return findings


def locate(con: duckdb.DuckDBPyConnection, findings: list[Finding]) -> None:
    """Fill each finding's boxes from the staged cells (only documents with findings are read)."""
    documents = sorted({f.document_id for f in findings if f.document_id})
    if not documents or not has_relation(con, "intermediate", "int_documents"):
        return
    rows = _rule_rows(con, {f.rule_id for f in findings}, documents)
    cells = _cells(con, sorted({(f.document_id, f.table_index) for f in findings
                                if f.document_id and f.table_index is not None}))
    line_parts = {r.rule_id: _across_columns_parts(r.sql) for r in load_rules()}
    for f in findings:
        if f.document_id is None:  # a rule about no single document: no rows of a document to match
            continue
        row = _matching_row(f, rows.get((f.rule_id, f.document_id), []))
        if row is None:
            continue
        f.detail = row.get("detail")
        # a place of no single table (across tables, narrative figures) has no table cells
        table = cells.get((f.document_id, f.table_index), []) if f.table_index is not None else []
        f.boxes = _boxes(f, row, table, line_parts.get(f.rule_id) or ())
        for page in {b.page for b in f.boxes if b.bbox}:
            assert page is not None, "a staged cell with a bbox has its page"
            on_page = [c.bbox for c in table if c.bbox and c.page == page]
            f.extent[page] = (min(b[0] for b in on_page), max(b[2] for b in on_page))


_ACROSS_COLUMNS = re.compile(r"across_columns\(\s*\[[^\]]*\]\s*,\s*'\w+'\s*,\s*(\[[^\]]*\]|\w+\(\))")


def _across_columns_parts(sql: str) -> tuple[str, ...]:
    """The part measures of a rule summing a line's columns (``across_columns(types, total, [parts])``):
    a part whose column is blank throughout the table is not in the rule's ``parts`` (the grid has no such
    column), yet it is printed, empty, on the total's line."""
    found = _ACROSS_COLUMNS.search(sql)
    return tuple(re.findall(r"'(\w+)'", found.group(1))) if found else ()


def has_relation(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> bool:
    return scalar(con, "select count(*) from information_schema.tables "
                       "where table_schema = ? and table_name = ?", [schema, name]) > 0


def _q(x) -> Decimal:
    return Decimal(x).quantize(CENT)


def _rule_rows(
    con: duckdb.DuckDBPyConnection, rule_ids: set[str], documents: list[str]
) -> dict[tuple[str, str], list[dict]]:
    """The failing rules' rows over the failing documents, as the runner computes them (same scope SQL,
    reference tables and shared views, on a connection of their own temp tables)."""
    prepare_rules(con, documents)
    out: dict[tuple[str, str], list[dict]] = defaultdict(list)
    rules: list[Rule] = [r for r in load_rules() if r.rule_id in rule_ids]
    for rule in rules:
        cursor = con.execute(
            f"select * from (\n{rule.sql}\n) as places where document_id in (select unnest($ids::varchar[]))",
            {"ids": documents},
        )
        columns = [d[0] for d in cursor.description]
        for values in cursor.fetchall():
            row = dict(zip(columns, values, strict=True))
            out[(rule.rule_id, row["document_id"])].append(row)
    return out


def _matching_row(f: Finding, rows: list[dict]) -> dict | None:
    """The rule row of a stored place: same table, code, year, page and both sides; where a code is
    checked in several columns, the one whose column the message names."""
    same = [
        r
        for r in rows
        if r["table_index"] == f.table_index
        and r["subject_code"] == f.subject_code
        and r["fiscal_year"] == f.fiscal_year
        and r["page"] == f.page
        and _q(r["expected_amount"] or 0) == f.expected
        and _q(r["actual_amount"] or 0) == f.actual
    ]
    if len(same) > 1:
        named = [r for r in same if r.get("detail") and str(r["detail"]) in f.message]
        same = named or same
    return same[0] if same else None


def _cells(con: duckdb.DuckDBPyConnection, tables: list[tuple[str, int]]
           ) -> dict[tuple[str, int], list[Cell]]:
    """The staged cells of the tables with findings."""
    out: dict[tuple[str, int], list[Cell]] = defaultdict(list)
    con.execute("create or replace temp table finding_tables as select unnest($d::varchar[]) as document_id, "
                "unnest($t::integer[]) as table_index",
                {"d": [d for d, _ in tables], "t": [t for _, t in tables]})
    for d, t, r, c, kind, code, name, label, measure, raw, amount, page, x0, top, x1, bottom in con.execute(
        """
            select document_id, table_index, row_index, col_index, row_kind, row_code, row_name,
                column_label, measure, raw_text, amount, page, x0, top, x1, bottom
            from staging.cells inner join finding_tables using (document_id, table_index)
            order by document_id, table_index, row_index, col_index"""
    ).fetchall():
        bbox = (x0, top, x1, bottom) if None not in (x0, top, x1, bottom) else None
        out[(d, t)].append(
            Cell(
                t,
                r,
                c,
                kind,
                code,
                name,
                label,
                measure,
                raw,
                None if amount is None else _q(amount),
                page,
                bbox,
            )
        )
    return out


def _boxes(f: Finding, row: dict, table: list[Cell], line_parts: tuple[str, ...] = ()) -> list[Box]:
    """The total's cell and each part's, the part the hint names marked as the suspect."""
    boxes: list[Box] = []
    total = _total_cell(f, row, table)
    if total is not None:
        boxes.append(_box(TOTAL, row.get("total_label") or f.subject_code or "total", f.actual, total))
    for part in row.get("parts") or []:
        label, amount = str(part["label"]), None if part["amount"] is None else _q(part["amount"])
        box = _part_box(label, amount, total, table)
        if box is not None:
            boxes.append(box)
    if total is not None and line_parts:
        boxed = {b.cell for b in boxes}
        group = _column_group(total.column_label)
        boxes += [
            _box(PART, c.column_label or "", None, c)
            for c in table
            if c.row_index == total.row_index
            and c.measure in line_parts
            and c.amount is None
            and _column_group(c.column_label) == group
            and (c.row_index, c.col_index) not in boxed
        ]
    for box in boxes:
        if box.role == PART and f.hint and _named_in(box.label, f.hint):
            box.role = SUSPECT
    return boxes


def _column_group(label: str | None) -> str:
    """views.sql ``column_group``: the budget / actual heading a line's sum stays within."""
    found = re.match(r"^([^/]*(?:预算|决算)[^/]*) / ", label or "")
    return found.group(1) if found else ""


def _box(role: str, label: str, amount: Decimal | None, cell: Cell) -> Box:
    return Box(role, label, amount, cell.page, cell.bbox, (cell.row_index, cell.col_index))


def _total_cell(f: Finding, row: dict, table: list[Cell]) -> Cell | None:
    detail, total_label = row.get("detail"), row.get("total_label")
    best, best_score = None, 0
    for c in table:
        if c.amount is None and f.actual != 0:
            continue
        if c.amount is not None and c.amount != f.actual:
            continue
        score = 1
        score += 4 * (f.subject_code is not None and f.subject_code in (c.row_code, c.row_name))
        score += 3 * (detail is not None and detail in (c.column_label, c.row_name))
        score += 3 * (total_label is not None and total_label == c.column_label)
        score += 1 * (c.page == f.page)
        if score > best_score:
            best, best_score = c, score
    return best if best_score > 1 else None


def _part_box(label: str, amount: Decimal | None, total: Cell | None, table: list[Cell]) -> Box | None:
    """A part is a line (label = code and name) in the total's column, or a column (label = its
    heading) on the total's line."""
    by_row = [c for c in table if _is_row_label(label, c)]
    by_column = [c for c in table if c.column_label == label]
    if total is not None:
        in_column = [c for c in by_row if c.col_index == total.col_index]
        on_line = [c for c in by_column if c.row_index == total.row_index]
        for cell in in_column + on_line:
            if amount is None or cell.amount == amount:
                return _box(PART, label, amount, cell)
        if amount is None:
            return _blank_box(label, total, by_row, by_column)
    for cell in by_row + by_column:
        if amount is not None and cell.amount == amount:
            return _box(PART, label, amount, cell)
    return None


def _blank_box(label: str, total: Cell, by_row: list[Cell], by_column: list[Cell]) -> Box | None:
    """Where a blank part would be printed: its line in the total's column, or its column on the
    total's line (its bbox where both are staged with one)."""
    line = next(iter(by_row), None)
    if line is not None:
        bbox = (
            (total.bbox[0], line.bbox[1], total.bbox[2], line.bbox[3])
            if total.bbox and line.bbox and line.page == total.page
            else None
        )
        return Box(PART, label, None, total.page, bbox, (line.row_index, total.col_index))
    column = next(iter(by_column), None)
    if column is not None:
        bbox = (
            (column.bbox[0], total.bbox[1], column.bbox[2], total.bbox[3])
            if total.bbox and column.bbox and column.page == total.page
            else None
        )
        return Box(PART, label, None, total.page, bbox, (total.row_index, column.col_index))
    return None


def _is_row_label(label: str, c: Cell) -> bool:
    return bool(label) and (
        label == c.row_label
        or label == c.row_name
        or (c.row_code is not None and label.split(" ", 1)[0] == c.row_code)
    )


def _named_in(label: str, hint: str) -> bool:
    """The hint names this part as the slip (hints.py: ``decimal shift: <part> is …``, ``missing cell:
    <part> is blank``, ``value in the wrong column: <part> equals …``)."""
    return f": {label} is " in hint or f": {label} equals " in hint

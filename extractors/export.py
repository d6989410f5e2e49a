"""``budgetwh export``: the analyst figures of a region, department and year as CSV and XLSX, for
people who work in spreadsheets.

Each line is one figure of ``analyst.analyst_figures`` (current document versions, their own year's
columns): its codes, the names as published, the amount in 万元, and where it is printed (the source
document, its title and URL, and the page). Amounts are written as numbers with two decimals; read back,
they are the warehouse's DECIMAL(18,2) amounts exactly.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

# (column of analyst_figures, header in the files)
COLUMNS = (
    ("province", "province"),
    ("region", "region"),
    ("department_name", "department_name"),
    ("fiscal_year", "fiscal_year"),
    ("document_type", "document_type"),
    ("table_type", "table_type"),
    ("table_type_label", "table_type_label"),
    ("subject_code", "subject_code"),
    ("subject_name", "subject_name"),
    ("code_level", "code_level"),
    ("parent_code", "parent_code"),
    ("measure", "measure"),
    ("amount", "amount_10k_yuan"),
    ("is_additive", "is_additive"),
    ("document_id", "document_id"),
    ("document_title", "document_title"),
    ("source_page", "source_page"),
    ("source_url", "source_url"),
)
AMOUNT_HEADER = "amount_10k_yuan"
CSV_NAME, XLSX_NAME = "figures.csv", "figures.xlsx"


@dataclass
class Export:
    csv_path: Path
    xlsx_path: Path
    rows: int


def query(warehouse: Path, region: str | None = None, department: str | None = None,
          year: int | None = None) -> list[tuple]:
    """The figures, ordered as a reader expects them: department, year, document, table, code, measure.
    ``department`` matches a department_id or any part of the published name (城市管理局)."""
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        known = con.execute("select count(*) from information_schema.tables "
                            "where table_schema = 'analyst' and table_name = 'analyst_figures'").fetchone()[0]
        if not known:
            raise RuntimeError(f"{warehouse} has no analyst.analyst_figures; build it with budgetwh run")
        return con.execute(
            f"select {', '.join(c for c, _ in COLUMNS)} from analyst.analyst_figures "
            "where ($region is null or region = $region) "
            "and ($department is null or department_id = $department "
            "     or contains(department_name, $department)) "
            "and ($year is null or fiscal_year = $year) "
            "order by department_name, department_id, fiscal_year, document_type, table_type, "
            "subject_code = 'total' desc, subject_code, measure",
            {"region": region, "department": department, "year": year}).fetchall()
    finally:
        con.close()


def export(warehouse: Path, out_dir: Path, region: str | None = None, department: str | None = None,
           year: int | None = None) -> Export:
    rows = query(warehouse, region, department, year)
    out_dir.mkdir(parents=True, exist_ok=True)
    headers = [h for _, h in COLUMNS]
    csv_path = out_dir / CSV_NAME
    # UTF-8 with a byte-order mark: what Excel needs to open Chinese text from a CSV correctly
    with open(csv_path, "w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(headers)
        writer.writerows(rows)
    xlsx_path = out_dir / XLSX_NAME
    _write_xlsx(xlsx_path, headers, rows)
    return Export(csv_path, xlsx_path, len(rows))


def _write_xlsx(path: Path, headers: list[str], rows: list[tuple]) -> None:
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "figures"
    sheet.append(headers)
    amount = headers.index(AMOUNT_HEADER) + 1
    for row in rows:
        sheet.append(list(row))
        sheet.cell(sheet.max_row, amount).number_format = "#,##0.00"
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(sheet.max_row, 1)}"
    workbook.save(path)


def read_xlsx(path: Path) -> list[dict]:
    """The figures of an exported workbook, amounts as the exact Decimal they were written from."""
    from openpyxl import load_workbook

    sheet = load_workbook(path, read_only=True).active
    lines = sheet.iter_rows(values_only=True)
    headers = next(lines)
    out = []
    for values in lines:
        record = dict(zip(headers, values, strict=True))
        if record[AMOUNT_HEADER] is not None:
            record[AMOUNT_HEADER] = Decimal(str(record[AMOUNT_HEADER])).quantize(Decimal("0.01"))
        out.append(record)
    return out

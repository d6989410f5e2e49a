"""XLSX (openpyxl): a narrative sheet, then one sheet per table with merged header cells and numeric
amount cells, as budget systems export them. Saved byte-for-byte reproducibly (fixed document
timestamps and zip entry dates)."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.xml.functions import tostring

from extractors.generator.layout import ExpectedCell, Grid, layout_document
from extractors.generator.spec import DocumentSpec, amount_of

FIXED_TIME = datetime(2000, 1, 1)
ZIP_TIME = (2000, 1, 1, 0, 0, 0)
CORE_PROPERTIES = "docProps/core.xml"
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
SHEET_NAME_MAX = 31


def _sheet_name(grid: Grid, used: set[str]) -> str:
    base = (grid.table.label or f"表{grid.table_index + 1}").replace(" ", "")[: SHEET_NAME_MAX - 4]
    name, n = base, 2
    while name in used:
        name, n = f"{base}_{n}", n + 1
    used.add(name)
    return name


def _write_table(ws, grid: Grid) -> None:
    t = grid.table
    heading = [t.title.replace("\n", ""), *([t.subtitle] if t.subtitle else []), f"单位：{t.unit_name}"]
    for r, text in enumerate(heading, start=1):
        ws.cell(r, 1, text)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=grid.n_cols)
    ws.cell(1, 1).font = Font(bold=True, size=14)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    top = len(heading) + 1
    for h in grid.header:
        cell = ws.cell(top + h.row, h.col + 1, h.text)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if h.rowspan > 1 or h.colspan > 1:
            ws.merge_cells(
                start_row=top + h.row,
                start_column=h.col + 1,
                end_row=top + h.row + h.rowspan - 1,
                end_column=h.col + h.colspan,
            )
    first_body = top + grid.header_rows
    for i, line in enumerate(grid.lines):
        r = first_body + i
        for c, text in enumerate(line.cells, start=1):
            value = amount_of(text) if line.expected[c - 1] is not None and not line.spans_rest else None
            cell = ws.cell(r, c, value if value is not None else (text or None))
            if value is not None:
                cell.number_format = "#,##0.00" if "," in text else "0.00"
        if line.spans_rest:
            ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=grid.n_cols)
    for row in ws.iter_rows(min_row=top, max_row=first_body + len(grid.lines) - 1, max_col=grid.n_cols):
        for cell in row:
            cell.border = BOX
    for c in range(1, grid.n_cols + 1):
        ws.column_dimensions[get_column_letter(c)].width = 14
    if t.note:
        ws.cell(first_body + len(grid.lines) + 1, 1, t.note)


def _reproducible(data: bytes, replacements: dict[str, bytes]) -> bytes:
    """The same zip with fixed entry dates and some members replaced, so equal workbooks are equal files."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, replacements.get(info.filename) or src.read(info.filename))
    return out.getvalue()


def render(spec: DocumentSpec, path: Path) -> list[ExpectedCell]:
    wb = Workbook()
    wb.properties.created = wb.properties.modified = FIXED_TIME
    wb.properties.creator = "budgetwh generator"
    narrative = wb.active
    narrative.title = "情况说明"
    for r, text in enumerate([spec.title, *spec.narrative], start=1):
        narrative.cell(r, 1, text)
    used = {narrative.title}
    grids = layout_document(spec)
    for grid in grids:
        _write_table(wb.create_sheet(_sheet_name(grid, used)), grid)
    buffer = io.BytesIO()
    wb.save(buffer)
    wb.properties.modified = FIXED_TIME  # saving stamps the current time; put the fixed one back
    core = tostring(wb.properties.to_tree())
    path.write_bytes(_reproducible(buffer.getvalue(), {CORE_PROPERTIES: core}))
    return [c for grid in grids for c in grid.expected]

"""Reader for spreadsheet disclosures (XLSX via openpyxl, legacy XLS via xlrd).

Every visible sheet is read in order; its name opens it as a text line, and each cell's ``page`` is
the sheet's position (1-based), the spreadsheet's unit of provenance. A merged range's value is spread
into every cell it covers, so multi-level headers give each column its full header path. A row with a
single filled cell outside a table (titles, 单位：万元, narrative) is text, split at line breaks; rows
inside a table (from the first row with two or more filled cells to the next blank row) are table
rows with one cell per column up to the table's last used column, blank cells kept. A sheet may hold
several tables one below the other.

Numbers keep the decimals their cell format shows (``#,##0.00`` → ``1234.50``) and are turned to text
through ``Decimal``, never through float formatting. Formulas give their cached value.

XLSX files are zip archives: the declared uncompressed size and compression ratio are checked before
openpyxl sees the file (``too_large``). A blank template (``XX`` placeholders, no figures) is rejected
as ``template``; a workbook without figures as ``no_tables``.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from extractors.model import Cell, DocumentError, Line, SourceDocument, sha256_of

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200  # real sheets compress 5-20x; a bomb compresses thousands of times
MAX_ZIP_ENTRIES = 5000
MAX_CELLS = 2_000_000  # per sheet, after trimming to the used range

OLE_MAGIC = b"\xd0\xcf\x11\xe0"
ZIP_MAGIC = b"PK\x03\x04"
DECIMALS = re.compile(r"0\.(0+)")
PLACEHOLDER = re.compile(r"XX|××")
NUMBER = re.compile(r"^[-−]?\d[\d,]*(\.\d+)?$")


def check_zip_limits(path: Path) -> None:
    """Refuse a zip whose content would be too large or is compressed like a bomb, before opening it."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except zipfile.BadZipFile as e:
        raise DocumentError("corrupt_xlsx", f"{Path(path).name}: not a readable XLSX (zip) file: {e}") from e
    if len(infos) > MAX_ZIP_ENTRIES:
        raise DocumentError(
            "too_large", f"{Path(path).name}: {len(infos)} zip entries, more than {MAX_ZIP_ENTRIES}"
        )
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise DocumentError(
            "too_large", f"{Path(path).name}: unpacks to {total} bytes, more than {MAX_UNCOMPRESSED_BYTES}"
        )
    for info in infos:
        if info.file_size > 1024 * 1024 and info.file_size > MAX_COMPRESSION_RATIO * max(
            info.compress_size, 1
        ):
            raise DocumentError(
                "too_large",
                f"{Path(path).name}: entry {info.filename} expands "
                f"{info.file_size // max(info.compress_size, 1)}x (a zip bomb)",
            )


def cell_text(value: object, number_format: str | None = None) -> str:
    """A cell value as published: numbers exact with the decimals their format shows."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        match = DECIMALS.search((number_format or "").split(";")[0])
        if match:
            return str(number.quantize(Decimal(1).scaleb(-len(match.group(1)))))
        return str(number.to_integral_value()) if number == number.to_integral_value() else str(number)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).replace("\u3000", " ").strip()


@dataclass
class Sheet:
    name: str
    rows: list[list[str]]  # merged values spread, trimmed to the used range
    originals: list[list[bool]]  # True where the cell itself holds the value (not a merged copy)
    wide: list[list[bool]]  # True where the value comes from a range merged over 2+ columns


def _trimmed(rows: list[list[str]]) -> tuple[int, int]:
    height = max((r + 1 for r, row in enumerate(rows) if any(row)), default=0)
    width = max((c + 1 for row in rows for c, v in enumerate(row) if v), default=0)
    return height, width


def _sheet(name: str, grid: list[list[str]], merges: Iterable[tuple[int, int, int, int]]) -> Sheet:
    """``merges``: (first row, last row, first column, last column), 0-based inclusive."""
    height, width = _trimmed(grid)
    rows = [(grid[r] + [""] * width)[:width] for r in range(height)]
    originals = [[bool(v) for v in row] for row in rows]
    wide = [[False] * width for _ in rows]
    for r0, r1, c0, c1 in merges:
        if r0 >= height or c0 >= width:
            continue
        value = rows[r0][c0]
        for r in range(r0, min(r1, height - 1) + 1):
            for c in range(c0, min(c1, width - 1) + 1):
                rows[r][c] = value
                wide[r][c] = c1 > c0
    return Sheet(name, rows, originals, wide)


def _read_xlsx(path: Path) -> list[Sheet]:
    import openpyxl

    check_zip_limits(path)
    try:
        wb = openpyxl.load_workbook(path, data_only=True)
    except Exception as e:  # openpyxl raises many kinds for a broken package
        raise DocumentError("corrupt_xlsx", f"{path.name}: openpyxl cannot open it: {e}") from e
    sheets = []
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        if (ws.max_row or 0) * (ws.max_column or 0) > MAX_CELLS * 10:
            raise DocumentError(
                "too_large", f"{path.name}: sheet {ws.title} spans {ws.max_row}x{ws.max_column}"
            )
        grid = [[cell_text(c.value, c.number_format) for c in row] for row in ws.iter_rows()]
        merges = [
            (m.min_row - 1, m.max_row - 1, m.min_col - 1, m.max_col - 1) for m in ws.merged_cells.ranges
        ]
        sheets.append(_sheet(ws.title, grid, merges))
    wb.close()
    return sheets


def _read_xls(path: Path) -> list[Sheet]:
    import xlrd

    try:
        book = xlrd.open_workbook(path, formatting_info=True, on_demand=True)
    except Exception as e:  # xlrd raises XLRDError, CompDocError, struct errors for broken files
        code = "encrypted_xls" if "encrypt" in str(e).lower() else "corrupt_xls"
        raise DocumentError(code, f"{path.name}: xlrd cannot open it: {e}") from e
    sheets = []
    for index in range(book.nsheets):
        sh = book.sheet_by_index(index)
        if sh.visibility != 0:
            continue
        grid = []
        for r in range(sh.nrows):
            row = []
            for c in range(sh.ncols):
                cell = sh.cell(r, c)
                value: object = cell.value
                if cell.ctype == xlrd.XL_CELL_DATE:
                    value = xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
                elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                    value = None
                elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                    value = bool(cell.value)
                fmt = (
                    book.format_map.get(book.xf_list[cell.xf_index].format_key)
                    if cell.xf_index is not None
                    else None
                )
                row.append(cell_text(value, fmt.format_str if fmt else None))
            grid.append(row)
        merges = [(r0, r1 - 1, c0, c1 - 1) for r0, r1, c0, c1 in sh.merged_cells]
        sheets.append(_sheet(sh.name, grid, merges))
    book.release_resources()
    return sheets


def _table_lines(block: list[list[str]], page: int) -> list[Line]:
    """A table's rows, each cut at the table's last used column (blank cells before it kept)."""
    width = max((c + 1 for row in block for c, v in enumerate(row) if v), default=0)
    return [Line(cells=[Cell(v, page=page) for v in row[:width]], page=page) for row in block]


def _lines(sheets: list[Sheet]) -> list[Line]:
    lines: list[Line] = []
    for page, sheet in enumerate(sheets, 1):
        lines.append(Line(cells=[Cell(sheet.name.strip(), page=page)], page=page, is_row=False))
        block: list[list[str]] = []  # rows of the table being read; empty: not inside a table
        for r, row in enumerate(sheet.rows):
            filled = [c for c, v in enumerate(row) if v]
            sources = [c for c in filled if sheet.originals[r][c]]
            single = bool(filled) and len(sources) <= 1 and len({row[c] for c in filled}) == 1
            if filled and not (single and (not block or sheet.wide[r][filled[0]])):
                block.append(row)
                continue
            lines.extend(_table_lines(block, page))
            block = []
            if filled:
                lines.extend(
                    Line(cells=[Cell(part.strip(), page=page)], page=page, is_row=False)
                    for part in row[filled[0]].splitlines()
                    if part.strip()
                )
        lines.extend(_table_lines(block, page))
    return lines


def _has_figures(lines: list[Line]) -> bool:
    # Columns beyond the first three: the first ones hold 类/款/项 codes, which are numbers too.
    return any(
        NUMBER.match(c.text.replace(" ", "")) for line in lines if line.is_row for c in line.cells[3:]
    ) or any(re.match(r"^[-−]?\d+\.\d+$", c.text) for line in lines if line.is_row for c in line.cells)


def read(path: Path) -> SourceDocument:
    path = Path(path)
    size = path.stat().st_size
    if size == 0:
        raise DocumentError("empty_document", f"{path.name}: the file is empty")
    if size > MAX_FILE_BYTES:
        raise DocumentError("too_large", f"{path.name}: {size} bytes, more than {MAX_FILE_BYTES}")
    with open(path, "rb") as f:
        magic = f.read(4)
    if magic == ZIP_MAGIC:
        sheets, file_type = _read_xlsx(path), "xlsx"
    elif magic == OLE_MAGIC:
        # An OLE file named .xlsx is a password-protected XLSX; named .xls it is a legacy workbook.
        if path.suffix.lower() == ".xlsx":
            raise DocumentError("encrypted_xlsx", f"{path.name}: an encrypted (password-protected) workbook")
        sheets, file_type = _read_xls(path), "xls"
    else:
        raise DocumentError("unsupported_format", f"{path.name}: neither an XLSX (zip) nor an XLS (OLE) file")
    lines = _lines(sheets)
    if not _has_figures(lines):
        placeholders = sum(bool(PLACEHOLDER.search(line.text)) for line in lines)
        if placeholders:
            raise DocumentError(
                "template",
                f"{path.name}: a blank template ({placeholders} line(s) with XX placeholders, no figures)",
            )
        raise DocumentError("no_tables", f"{path.name}: no table with figures in {len(sheets)} sheet(s)")
    return SourceDocument(
        path=path,
        sha256=sha256_of(path),
        file_type=file_type,
        lines=lines,
        page_count=len(sheets),
        metadata={"sheets": "\t".join(s.name for s in sheets)},
    )

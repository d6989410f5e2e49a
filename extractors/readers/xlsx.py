"""Reader for spreadsheet disclosures (XLSX via openpyxl, legacy XLS via xlrd).

Every visible sheet is read in order; its name opens it as a text line, and each cell's ``page`` is
the sheet's position (1-based), the spreadsheet's unit of provenance. A merged range's value is spread
into every cell it covers, so multi-level headers give each column its full header path. A row with a
single filled cell outside a table (titles, 单位：万元, narrative) is text, split at line breaks; rows
inside a table (from the first row with two or more filled cells to the next blank row) are table
rows with one cell per column up to the table's last used column, blank cells kept. A sheet may hold
several tables one below the other.

Numbers keep the decimals their cell format shows (``#,##0.00`` → ``1234.50``) and are turned to text
through ``Decimal``, never through float formatting. Formulas give their cached value; a sheet with
formulas saved without one (written by a tool that does not compute) is ``uncached_formulas``, not
read as blanks.

Hostile workbooks cost seconds, not the run. XLSX files are zip archives: the declared uncompressed
size and compression ratio are checked before openpyxl sees the file (``too_large``); an XML part
declaring a DTD (entity expansion) is ``unsafe_xml``. Cells are streamed (openpyxl read-only) and
merged ranges read by a streaming lxml pass, each bounded by the sheet's used range; a used range or
merges beyond ``MAX_CELLS`` are ``too_many_cells``. An ``.xls`` that is a web page (portals' "Excel"
exports) is read by the HTML reader. A blank template (``XX`` placeholders, no figures) is rejected
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
# The opening of a web page (after a BOM, blanks or a comment), as a .xls export that is HTML starts
HTML_START = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|meta|table|head)\b", re.I | re.S
)


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
    """``merges``: (first row, last row, first column, last column), 0-based inclusive. A merge is bounded
    by the used range (a merge of the whole sheet spreads over the cells that hold something, not over
    17 billion), and the used range and all merges together by ``MAX_CELLS`` (``too_many_cells``)."""
    height, width = _trimmed(grid)
    if height * width > MAX_CELLS:
        raise DocumentError(
            "too_many_cells",
            f"sheet {name}: its used range is {height} x {width} cells, more than {MAX_CELLS}",
        )
    rows = [(grid[r] + [""] * width)[:width] for r in range(height)]
    originals = [[bool(v) for v in row] for row in rows]
    wide = [[False] * width for _ in rows]
    spread = 0
    for r0, r1, c0, c1 in merges:
        if r0 >= height or c0 >= width:
            continue
        r1, c1 = min(r1, height - 1), min(c1, width - 1)
        spread += (r1 - r0 + 1) * (c1 - c0 + 1)
        if spread > MAX_CELLS:
            raise DocumentError(
                "too_many_cells", f"sheet {name}: its merged ranges cover more than {MAX_CELLS} cells"
            )
        value = rows[r0][c0]
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                rows[r][c] = value
                # Excel shows only the range's first cell: what the others hold is hidden by the merge
                originals[r][c] = (r, c) == (r0, c0) and bool(value)
                wide[r][c] = c1 > c0
    return Sheet(name, rows, originals, wide)


_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


@dataclass
class _SheetScan:
    merges: list[tuple[int, int, int, int]]
    uncached: list[str]  # references of formula cells saved without their value


def _refuse_dtd(tree_root, path: Path, part: str) -> None:
    # No part of an OOXML package has a DTD; one that declares entities is an expansion bomb.
    if tree_root.getroottree().docinfo.internalDTD is not None:
        raise DocumentError(
            "unsafe_xml", f"{path.name}: part {part} declares a DTD (XML entity expansion is refused)"
        )


def _iterparse(zf: zipfile.ZipFile, part: str, **options):
    from lxml import etree

    # Entities are never resolved nor DTDs loaded: what a DTD declares is not expanded, only refused.
    return etree.iterparse(
        zf.open(part), resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False, **options
    )


def _check_parts(path: Path, zf: zipfile.ZipFile) -> None:
    """Refuse a DTD in any XML part before openpyxl parses it (its first element is enough to know)."""
    from lxml import etree

    for part in zf.namelist():
        if not part.endswith((".xml", ".rels")):
            continue
        try:
            for _, element in _iterparse(zf, part, events=("start",)):
                _refuse_dtd(element, path, part)
                break
        except etree.XMLSyntaxError as e:
            raise DocumentError("corrupt_xlsx", f"{path.name}: part {part} is not well-formed: {e}") from e


def _scan_sheet(path: Path, zf: zipfile.ZipFile, part: str) -> _SheetScan:
    """One streaming pass over a sheet's XML (lxml, elements cleared as read): its merged ranges and its
    formulas without a cached value, which openpyxl would read as blank cells."""
    from lxml import etree
    from openpyxl.utils.cell import range_boundaries

    scan = _SheetScan([], [])
    try:
        for _, element in _iterparse(zf, part, events=("end",), tag=(f"{_MAIN_NS}c", f"{_MAIN_NS}mergeCell")):
            if element.tag == f"{_MAIN_NS}mergeCell":
                c0, r0, c1, r1 = range_boundaries(element.get("ref", ""))
                scan.merges.append((r0 - 1, r1 - 1, c0 - 1, c1 - 1))
            elif element.find(f"{_MAIN_NS}f") is not None and element.find(f"{_MAIN_NS}v") is None:
                scan.uncached.append(element.get("r", "?"))
            element.clear(keep_tail=False)
    except etree.XMLSyntaxError as e:
        raise DocumentError("corrupt_xlsx", f"{path.name}: sheet {part} is not well-formed XML: {e}") from e
    except (ValueError, TypeError) as e:  # a merge reference that is not a range
        raise DocumentError("corrupt_xlsx", f"{path.name}: sheet {part}: {e}") from e
    return scan


def _read_xlsx(path: Path) -> list[Sheet]:
    import openpyxl

    check_zip_limits(path)
    with zipfile.ZipFile(path) as zf:
        _check_parts(path, zf)
        try:
            # Read-only: openpyxl streams the cells and builds no object per merged cell (a merge of
            # A1:XFD1000 is 16 M of them); merges come from the scan, bounded by the used range.
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as e:  # openpyxl raises many kinds for a broken package
            raise DocumentError("corrupt_xlsx", f"{path.name}: openpyxl cannot open it: {e}") from e
        try:
            sheets = [_read_sheet(path, zf, ws) for ws in wb.worksheets if ws.sheet_state == "visible"]
        finally:
            wb.close()
    return sheets


def _read_sheet(path: Path, zf: zipfile.ZipFile, ws) -> Sheet:
    scan = _scan_sheet(path, zf, ws._worksheet_path)
    if scan.uncached:
        shown = ", ".join(scan.uncached[:5]) + (" …" if len(scan.uncached) > 5 else "")
        raise DocumentError(
            "uncached_formulas",
            f"{path.name}: sheet {ws.title} has {len(scan.uncached)} formula cell(s) saved without their "
            f"computed value ({shown}): its figures cannot be read without recalculating it",
        )
    ws.reset_dimensions()  # the declared used range may be the whole sheet; the rows present decide
    grid: list[list[str]] = []
    filled = 0
    for row in ws.iter_rows():
        texts = [cell_text(c.value, getattr(c, "number_format", None)) for c in row]
        while texts and not texts[-1]:
            texts.pop()
        filled += sum(map(bool, texts))
        if filled > MAX_CELLS:
            raise DocumentError(
                "too_many_cells", f"{path.name}: sheet {ws.title} holds more than {MAX_CELLS} filled cells"
            )
        grid.append(texts)
    try:
        return _sheet(ws.title, grid, scan.merges)
    except DocumentError as e:
        raise DocumentError(e.code, f"{path.name}: {e.message}") from e


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
        head = f.read(1024)
    magic = head[:4]
    if magic == ZIP_MAGIC:
        sheets, file_type = _read_xlsx(path), "xlsx"
    elif magic == OLE_MAGIC:
        # An OLE file named .xlsx is a password-protected XLSX; named .xls it is a legacy workbook.
        if path.suffix.lower() == ".xlsx":
            raise DocumentError("encrypted_xlsx", f"{path.name}: an encrypted (password-protected) workbook")
        sheets, file_type = _read_xls(path), "xls"
    else:
        if HTML_START.search(head):
            # Portals export HTML tables named .xls (an "Excel" download that is a web page)
            from extractors.readers.html import read_html

            return read_html(path.read_bytes(), path, sha256_of(path))
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

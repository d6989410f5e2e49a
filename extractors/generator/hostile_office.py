"""Hostile workbooks and web pages, written by the project itself (issue 20): each is what a crawler may
fetch from a careless or malicious portal, and each must cost one document, never the run.

``write_office_cases(folder)`` writes them and returns file name → the ``error_code`` extraction must
give it, or ``"loaded"`` for a file that must load (its good table read exactly: ``GOOD_ROWS``). The
workbooks are written as raw OOXML parts (zipfile), so a case can say what no library would write: a
merge over the whole sheet, a formula without its cached value, a DTD expanding entities.
"""

from __future__ import annotations

import zipfile
from html import escape
from pathlib import Path

# The one good table every "loaded" case carries: (code, name, total, basic, project) in 万元.
TITLE = "2024年一般公共预算财政拨款支出预算表"
HEADER = ("科目编码", "科目名称", "合计", "基本支出", "项目支出")
GOOD_ROWS = (
    ("", "合计", "1234.50", "1000.00", "234.50"),
    ("201", "一般公共服务支出", "1234.50", "1000.00", "234.50"),
    ("20103", "政府办公厅（室）及相关机构事务", "1234.50", "1000.00", "234.50"),
)
HTML_BYTES = 20 * 1024 * 1024  # the HTML reader's cap: the big page sits just under it

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_NS}" xmlns:r="{_REL}">'
    '<sheets><sheet name="表2 一般公共预算支出表" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)


def _column(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _cell(ref: str, value: str, formula: str | None = None) -> str:
    if formula is not None:  # a formula saved by a tool that does not compute: no <v>
        return f'<c r="{ref}"><f>{escape(formula)}</f></c>'
    try:
        float(value)
    except ValueError:
        return f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'
    return f'<c r="{ref}"><v>{value}</v></c>'


def _table_rows(first_row: int = 1, formulas: bool = False) -> list[str]:
    """The good table as <row>s from ``first_row``; ``formulas``: amounts as uncached formulas."""
    rows = [[TITLE], list(HEADER), *[list(r) for r in GOOD_ROWS]]
    out = []
    for r, values in enumerate(rows, first_row):
        cells = []
        for c, value in enumerate(values):
            if not value:
                continue
            ref = f"{_column(c)}{r}"
            amount = formulas and r >= first_row + 2 and c >= 2
            formula = f"SUM({_column(c)}{r + 1}:{_column(c)}{r + 9})" if amount else None
            cells.append(_cell(ref, value, formula))
        out.append(f'<row r="{r}">{"".join(cells)}</row>')
    return out


def _sheet(
    rows: list[str], merges: tuple[str, ...] = (), dimension: str | None = None, prolog: str = ""
) -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    cells = "".join(f'<mergeCell ref="{m}"/>' for m in merges)
    merged = f'<mergeCells count="{len(merges)}">{cells}</mergeCells>' if merges else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<worksheet xmlns="{_NS}">{dim}'
        f'<sheetData>{"".join(rows)}</sheetData>{merged}</worksheet>'
    )


def _workbook(path: Path, sheet: str | bytes) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        zf.writestr("_rels/.rels", _ROOT_RELS)
        zf.writestr("xl/workbook.xml", _WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        zf.writestr("xl/worksheets/sheet1.xml", sheet)


def _billion_laughs() -> str:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol;" if i == 1 else f"&lol{i - 1};") * 10}">' for i in range(1, 10)
    )
    rows = _table_rows()
    rows.append('<row r="9"><c r="A9" t="inlineStr"><is><t>&lol9;</t></is></c></row>')
    return _sheet(rows, prolog=f"<!DOCTYPE worksheet [{entities}]>")


def _html_page(body: str, charset: str = "utf-8") -> str:
    return (
        f'<!DOCTYPE html><html><head><meta charset="{charset}"><title>{TITLE}</title></head>'
        f'<body><div class="content">{body}</div></body></html>'
    )


def _html_table(rows: tuple[tuple[str, ...], ...] = GOOD_ROWS, close_cells: bool = True) -> str:
    end_cell, end_row = ("</td>", "</tr>") if close_cells else ("", "")
    head = "".join(f"<th>{h}</th>" for h in HEADER)
    body = "".join("<tr>" + "".join(f"<td>{escape(v)}{end_cell}" for v in row) + end_row for row in rows)
    return f"<p>{TITLE}</p><p>单位：万元</p><table border=1><tr>{head}</tr>{body}</table>"


def write_office_cases(folder: Path) -> dict[str, str]:
    """Write every hostile workbook and page into ``folder``; file name → expected error_code or "loaded"."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    expected: dict[str, str] = {}

    def workbook(name: str, sheet: str | bytes, code: str) -> None:
        _workbook(folder / name, sheet)
        expected[name] = code

    workbook("good.xlsx", _sheet(_table_rows()), "loaded")
    workbook("billion_laughs.xlsx", _billion_laughs(), "unsafe_xml")
    # Merges far beyond the data: bounded by the used range, the table still reads exactly.
    workbook("merge_wide.xlsx", _sheet(_table_rows(), ("A10:XFD1000",)), "loaded")
    workbook("merge_tall.xlsx", _sheet(_table_rows(), ("G1:Z100000",)), "loaded")
    # A merge over the whole sheet shows only A1 (the title): no table is left to read.
    workbook("merge_sheet.xlsx", _sheet(_table_rows(), ("A1:XFD1048576",)), "no_tables")
    workbook("formulas_uncached.xlsx", _sheet(_table_rows(formulas=True)), "uncached_formulas")
    # A declared used range of the whole sheet, with nothing out there: it loads.
    workbook("huge_dimension.xlsx", _sheet(_table_rows(), dimension="A1:XFD1048576"), "loaded")
    # One stray value in the last cell makes the used range 16,384 x 1,048,576 cells.
    far = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    workbook("huge_used_range.xlsx", _sheet([*_table_rows(), far]), "too_many_cells")
    # 100 MB of one repeated row: compresses a thousand times, refused before it is unpacked.
    bomb = _sheet(_table_rows()).replace("</sheetData>", " " * (100 * 1024 * 1024) + "</sheetData>")
    workbook("zip_bomb.xlsx", bomb, "too_large")
    (folder / "empty.xlsx").write_bytes(b"")
    expected["empty.xlsx"] = "empty_document"

    # Portals export HTML tables as .xls ("Excel" downloads that are web pages): read as the page.
    (folder / "html_as.xls").write_text(_html_page(_html_table()), encoding="utf-8")
    expected["html_as.xls"] = "loaded"

    (folder / "good.html").write_text(_html_page(_html_table()), encoding="utf-8")
    expected["good.html"] = "loaded"
    # Declared UTF-8, neither UTF-8 nor GB18030 (0xFF never leads a GB18030 character).
    (folder / "wrong_encoding.html").write_bytes(
        _html_page(_html_table(), charset="utf-8").encode("utf-8").replace(b"<p>", b"<p>\xff\xfe\xff", 1)
    )
    expected["wrong_encoding.html"] = "bad_encoding"
    # Cells and rows never closed, the page cut off: parsers recover the table.
    (folder / "broken.html").write_text(
        "<html><body><div class=content>" + _html_table(close_cells=False) + "<table><tr><td>1",
        encoding="utf-8",
    )
    expected["broken.html"] = "loaded"
    (folder / "empty.html").write_bytes(b"  \n")
    expected["empty.html"] = "empty_document"
    # A page just under the 20 MB cap: the good table after ~20 MB of narrative paragraphs.
    paragraph = "<p>" + "部门预算情况说明，本段文字重复以填充页面。" * 20 + "</p>\n"
    filler = paragraph * ((HTML_BYTES - 4096) // len(paragraph.encode("utf-8")))
    (folder / "big.html").write_text(_html_page(filler + _html_table()), encoding="utf-8")
    expected["big.html"] = "loaded"
    # A page just under the cap that is one table of ~1.5 M cells: beyond the table budget.
    row = "<tr>" + "<td>1.00</td>" * 10 + "</tr>"
    rows = row * ((HTML_BYTES - 4096) // len(row))
    (folder / "big_table.html").write_text(_html_page(f"<table>{rows}</table>"), encoding="utf-8")
    expected["big_table.html"] = "too_large"
    return expected

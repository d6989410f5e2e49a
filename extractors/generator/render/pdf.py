"""PDF with reportlab and the built-in CID font STSong-Light (no font file: readers get the text
through the Adobe-GB1 CMap, which pdfplumber/pdfminer decode back to Unicode).

The font is referenced, not embedded, so the files are the same bytes whatever fonts the machine has,
as many published disclosures are; a viewer draws it with an installed CJK font. PDFium, without one,
drops lone characters from its text layer; the PDF reader restores them (``pdf_geometry``), and
``tests/readers/test_pdf_fixtures.py`` reads every fixture both ways.

Layouts reproduce what extraction meets in published PDFs:
``ruled`` full grid (Excel-export look), ``unruled`` whitespace-aligned, ``wrapped`` narrow name
columns so long subject names wrap onto two lines inside a cell, ``page_break`` every long table
broken across pages with title and header repeated, ``no_repeat`` broken without repeating them.
A table's own ``page_breaks`` (the seeds' published page breaks) are honoured in every layout.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from extractors.generator.layout import ExpectedCell, Grid, GridLine, layout_document
from extractors.generator.render import PDF_LAYOUTS
from extractors.generator.spec import DocumentSpec, SpecError, amount_of

FONT = "STSong-Light"
TABLE_FONT_SIZE = 8
MARGIN = 36
AMOUNT_WIDTH = 56  # points; fits "1,234,567.89" at 8 pt
LABEL_WIDTH_CAP = 190
WRAPPED_LABEL_CHARS = 7  # name columns this many characters wide in the ``wrapped`` layout
MIN_LINES_TO_BREAK = 8  # ``page_break``/``no_repeat`` split tables at least this long

pdfmetrics.registerFont(UnicodeCIDFont(FONT))

_STYLES = {
    "title": ParagraphStyle(
        "title", fontName=FONT, fontSize=13, leading=18, alignment=TA_CENTER, spaceAfter=6, wordWrap="CJK"
    ),
    "body": ParagraphStyle("body", fontName=FONT, fontSize=10, leading=15, wordWrap="CJK", spaceAfter=4),
    "heading": ParagraphStyle("heading", fontName=FONT, fontSize=11, leading=16, spaceBefore=4),
    "cell": ParagraphStyle(
        "cell",
        fontName=FONT,
        fontSize=TABLE_FONT_SIZE,
        leading=TABLE_FONT_SIZE + 2,
        alignment=TA_LEFT,
        wordWrap="CJK",
    ),
    "header": ParagraphStyle(
        "header",
        fontName=FONT,
        fontSize=TABLE_FONT_SIZE,
        leading=TABLE_FONT_SIZE + 2,
        alignment=TA_CENTER,
        wordWrap="CJK",
    ),
}


def _text_width(text: str) -> float:
    return pdfmetrics.stringWidth(text, FONT, TABLE_FONT_SIZE) + 8


def _column_widths(grid: Grid, available: float, wrapped: bool) -> list[float]:
    """Amount columns a fixed width; text columns as wide as their longest cell, capped, sharing
    what is left of the page."""
    widths = []
    for col in range(grid.n_cols):
        texts = [line.cells[col] for line in grid.lines if not line.spans_rest or col == 0]
        if texts and all(amount_of(t) is not None or not t for t in texts) and any(texts):
            widths.append(float(AMOUNT_WIDTH))
            continue
        longest = max((_text_width(t) for t in texts), default=AMOUNT_WIDTH)
        cap = _text_width("国" * WRAPPED_LABEL_CHARS) if wrapped else LABEL_WIDTH_CAP
        widths.append(max(min(longest, cap), 30.0))
    scale = min(1.0, available / sum(widths))
    return [w * scale for w in widths]


def _cell(text: str, width: float, header: bool = False) -> str | Paragraph:
    """Plain strings stay one PDF word run; text too wide for its column becomes a wrapping paragraph."""
    if header or _text_width(text) > width:
        return Paragraph(text, _STYLES["header" if header else "cell"])
    return text


def _header_rows(grid: Grid, widths: list[float]) -> tuple[list[list], list[tuple]]:
    rows: list[list] = [[""] * grid.n_cols for _ in range(grid.header_rows)]
    spans = []
    for h in grid.header:
        rows[h.row][h.col] = _cell(h.text, sum(widths[h.col : h.col + h.colspan]), header=True)
        if h.rowspan > 1 or h.colspan > 1:
            spans.append(("SPAN", (h.col, h.row), (h.col + h.colspan - 1, h.row + h.rowspan - 1)))
    return rows, spans


def _body_row(line: GridLine, widths: list[float]) -> list:
    if line.spans_rest:
        return [_cell(line.cells[0], widths[0]), _cell(line.cells[1], sum(widths[1:]))] + [""] * (
            len(widths) - 2
        )
    return [_cell(text, w) for text, w in zip(line.cells, widths, strict=True)]


# Where each grid line was drawn: (table index, line index) → (page, column x positions, top, bottom).
Positions = dict[tuple[int, int], tuple[int, list[float], float, float]]


class TrackedTable(Table):
    """A table that records the page and cell boxes of every grid line it draws, across page splits,
    so expected cells carry the provenance a PDF reader must reproduce."""

    def __init__(self, *args, row_ids: list | None = None, positions: Positions | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.row_ids = row_ids or []
        self.positions = positions if positions is not None else {}

    def split(self, availWidth, availHeight):  # noqa: N803 (reportlab's signature)
        parts = super().split(availWidth, availHeight)
        if len(parts) == 2:
            first, rest = parts
            n = len(first._cellvalues)
            first.row_ids, rest.row_ids = self.row_ids[:n], self.row_ids[: self.repeatRows] + self.row_ids[n:]
            first.positions = rest.positions = self.positions
        return parts

    def drawOn(self, canvas, x, y, _sW=0):  # noqa: N802 (reportlab's name)
        super().drawOn(canvas, x, y, _sW)
        left = self._hAlignAdjust(x, _sW)
        page_height = canvas._pagesize[1]
        columns = [left + c for c in self._colpositions]
        for r, row_id in enumerate(self.row_ids):
            if row_id is not None:
                top, bottom = (
                    page_height - (y + self._rowpositions[r]),
                    page_height - (y + self._rowpositions[r + 1]),
                )
                self.positions[row_id] = (canvas.getPageNumber(), columns, round(top, 2), round(bottom, 2))


def _table(
    grid: Grid,
    lines: list[GridLine],
    first_line: int,
    with_header: bool,
    widths: list[float],
    layout: str,
    positions: Positions,
) -> Table:
    header, spans = _header_rows(grid, widths) if with_header else ([], [])
    offset = len(header)
    data = header + [_body_row(line, widths) for line in lines]
    commands: list[tuple] = [
        ("FONT", (0, 0), (-1, -1), FONT, TABLE_FONT_SIZE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        *spans,
    ]
    for r, line in enumerate(lines, start=offset):
        if line.spans_rest:
            commands.append(("SPAN", (1, r), (-1, r)))
        for c, text in enumerate(line.cells):
            if amount_of(text) is not None and not line.spans_rest:
                commands.append(("ALIGN", (c, r), (c, r), "RIGHT"))
    if layout != "unruled":
        commands.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
    row_ids = [None] * offset + [(grid.table_index, first_line + i) for i in range(len(lines))]
    return TrackedTable(
        data,
        colWidths=widths,
        repeatRows=offset,
        style=TableStyle(commands),
        row_ids=row_ids,
        positions=positions,
    )


def _chunks(grid: Grid, layout: str) -> list[list[GridLine]]:
    breaks = set(grid.page_breaks)
    if layout in ("page_break", "no_repeat") and not breaks and len(grid.lines) >= MIN_LINES_TO_BREAK:
        breaks = {len(grid.lines) // 2}
    chunks: list[list[GridLine]] = [[]]
    for i, line in enumerate(grid.lines):
        if i in breaks and chunks[-1]:
            chunks.append([])
        chunks[-1].append(line)
    return chunks


def _heading(grid: Grid) -> list[Flowable]:
    t = grid.table
    flow: list[Flowable] = []
    if t.label:
        flow.append(Paragraph(t.label, _STYLES["body"]))
    flow += [Paragraph(part, _STYLES["title"]) for part in t.title.split("\n")]
    if t.subtitle:
        flow.append(Paragraph(t.subtitle, _STYLES["body"]))
    flow.append(Paragraph(f"单位：{t.unit_name}", _STYLES["body"]))
    return flow


def document_flowables(
    spec: DocumentSpec, grids: list[Grid], layout: str, available: float, positions: Positions
) -> list[Flowable]:
    flow: list[Flowable] = [Paragraph(spec.title, _STYLES["title"])]
    for i, paragraph in enumerate(spec.narrative):
        flow.append(Paragraph(paragraph, _STYLES["heading" if i % 2 == 0 else "body"]))
    repeat_default = layout != "no_repeat"
    for grid in grids:
        widths = _column_widths(grid, available, wrapped=layout == "wrapped")
        flow.append(PageBreak())
        repeat = repeat_default and grid.table.repeat_header
        first_line = 0
        for n, lines in enumerate(_chunks(grid, layout)):
            if n == 0:
                flow += _heading(grid)
            else:
                flow.append(PageBreak())
                if repeat:
                    flow += _heading(grid)
            flow.append(_table(grid, lines, first_line, n == 0 or repeat, widths, layout, positions))
            first_line += len(lines)
        if grid.table.note:
            flow += [Spacer(1, 4), Paragraph(grid.table.note, _STYLES["body"])]
    return flow


def render(spec: DocumentSpec, path: Path, layout: str = "ruled") -> list[ExpectedCell]:
    if layout not in PDF_LAYOUTS:
        raise SpecError(f"unknown PDF layout {layout!r}; expected one of {PDF_LAYOUTS}")
    pagesize = landscape(A4)
    doc = SimpleDocTemplate(
        str(path),
        pagesize=pagesize,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        invariant=1,
        title=spec.title,
        author=spec.department,
        creator="budgetwh generator",
    )
    positions: Positions = {}
    grids = layout_document(spec)
    doc.build(document_flowables(spec, grids, layout, pagesize[0] - 2 * MARGIN, positions))
    return [
        _placed(cell, positions[(grid.table_index, i)], col, line.spans_rest)
        for grid in grids
        for i, line in enumerate(grid.lines)
        for col, cell in enumerate(line.expected)
        if cell is not None
    ]


def _placed(cell: ExpectedCell, position: tuple, col: int, spans_rest: bool) -> ExpectedCell:
    page, columns, top, bottom = position
    right = columns[-1] if spans_rest else columns[col + 1]
    return replace(cell, page=page, bbox=(round(columns[col], 2), top, round(right, 2), bottom))

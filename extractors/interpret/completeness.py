"""The numeric cells of a document's table pages, as the reader saw them: extraction completeness's
denominator (``StagedDocument.numeric_cell_count``).

Counted from the reader's lines, not from what the grid staged, so a row or a table lost on the way
still counts. Left out: the codes heading a line (201 | 01 | 01 | 行政运行, or a bare 2010301 before its
amounts), a line's ordinal (序号), a merged range's copies, column-number rows (1 2 3 …) and a page
number standing alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from extractors.interpret.grid import is_column_numbers
from extractors.interpret.mappings import norm
from extractors.interpret.numbers import is_number
from extractors.interpret.segment import Block
from extractors.model import Cell, Line

_INTEGER = re.compile(r"^\d+$")
# a code printed alone in its cell: 类 201, 款/项 01, 5/7-digit items, 6-digit unit codes
_CODE = re.compile(r"^\d{2,7}$")


def _unspread(cells: list[Cell]) -> list[Cell]:
    """A spreadsheet's or a web page's range merged to the row's end is read as its value repeated in
    every column (a form's 部门支出预算数 over eight columns): one printed cell. Cells without a box only:
    a PDF prints each repeated figure in a cell of its own."""
    end = len(cells)
    while end > 1 and cells[end - 1].bbox is None and norm(cells[end - 2].text) == norm(cells[end - 1].text):
        end -= 1
    return cells if len(cells) - end < 2 else cells[:end]


def numeric_cell_count(lines: Iterable[Line], tables: list[Block]) -> int:
    """Over the pages holding ``tables`` (a positionless format's lines have no page: all its rows)."""
    pages: set[int | None] = {p for block in tables for p in block.pages}
    pages |= {row.page for block in tables for row in block.rows}  # None: a positionless format
    return sum(_numeric_cells(line) for line in lines if line.is_row and line.page in pages)


def _numeric_cells(line: Line) -> int:
    filled = [t for t in (norm(c.text) for c in _unspread(line.cells)) if t]
    if not filled or is_column_numbers(filled):
        return 0
    if len(filled) == 1 and _INTEGER.match(filled[0]):
        return 0  # a page number
    numeric = [is_number(t) for t in filled]
    lead = next((i for i, n in enumerate(numeric) if not n), len(filled))
    if lead < len(filled):
        # the integers before the line's first label are its codes or its ordinal (序号)
        codes = sum(1 for t in filled[:lead] if _INTEGER.match(t))
    else:
        # a line of numbers only: a code leads it when it is followed by amounts printed with decimals
        codes = 1 if _CODE.match(filled[0]) and any("." in t for t in filled[1:]) else 0
    return sum(numeric) - codes

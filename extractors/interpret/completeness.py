"""The numeric cells of a document's table pages, as the reader saw them: extraction completeness's
denominator (``StagedDocument.numeric_cell_count``).

Counted from the reader's lines, not from what the grid staged, so a row or a table lost on the way
still counts. Left out: the codes heading a line (201 | 01 | 01 | 行政运行, or a bare 2010301 before its
amounts), a line's ordinal (序号), a code printed further along the line in a column its table's
header names a code column, a count in a 数量 column, a merged range's copies, column-number rows
(1 2 3 …) and a page number standing alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from extractors.interpret.grid import build_columns, is_column_numbers, split_header
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
    return len(numeric_cells(lines, tables))


def numeric_cells(lines: Iterable[Line], tables: list[Block]) -> list[tuple[Line, Cell]]:
    """The numeric cells ``numeric_cell_count`` counts, each with its line."""
    pages: set[int | None] = {p for block in tables for p in block.pages}
    pages |= {row.page for block in tables for row in block.rows}  # None: a positionless format
    label_columns = {id(row): columns for block in tables for columns in [_label_columns(block)]
                     for row in block.rows if any(columns)}
    none: tuple[frozenset[int], frozenset[int]] = (frozenset(), frozenset())
    return [(line, cell) for line in lines if line.is_row and line.page in pages
            for cell in _numeric_cells(line, *label_columns.get(id(line), none))]


def _label_columns(block: Block) -> tuple[frozenset[int], frozenset[int]]:
    """The columns of a table whose header names a code (科目编码 | 类 | 款, 单位编码): a line printing a
    second classification beside the first (Yantai 一般公共预算基本支出情况表: 301 | 01 | 基本工资 | 501 |
    01 | 工资奖金津补贴 | 369.90 …; Xi'an 政府经济科目编码 50101 after 30101 基本工资) or the economic
    codes of a procurement line (Xi'an 政府采购预算表: … | 数量 1 | 302 | 31 | 502 | 08 | 6,500,000.00)
    prints codes after its first label, read by the grid as the row's code, never as amounts. Also the
    columns counting what is bought (数量 1, a procurement line's quantity): counts, never amounts.
    (code columns, quantity columns)."""
    header, body = split_header(block)
    width = max([len(r.cells) for r in header + body] or [0])
    texts = [[c.text for c in r.cells] + [""] * (width - len(r.cells)) for r in header]
    columns = build_columns(texts, width, None, None)
    return (frozenset(c.index for c in columns if c.role == "code"),
            frozenset(c.index for c in columns if c.role == "quantity"))


def _numeric_cells(
    line: Line, code_columns: frozenset[int] = frozenset(), quantity_columns: frozenset[int] = frozenset()
) -> list[Cell]:
    cells = _unspread(line.cells)
    filled = [(i, t) for i, t in enumerate(norm(c.text) for c in cells) if t]
    texts = [t for _, t in filled]
    if not filled or is_column_numbers(texts):
        return []
    if len(filled) == 1 and _INTEGER.match(texts[0]):
        return []  # a page number
    numeric = [is_number(t) for t in texts]
    lead = next((i for i, n in enumerate(numeric) if not n), len(filled))
    if lead < len(filled):
        # the integers before the line's first label are its codes or its ordinal (序号)
        codes = {i for i, t in enumerate(texts[:lead]) if _INTEGER.match(t)}
    else:
        # a line of numbers only: a code leads it when it is followed by amounts printed with decimals
        codes = {0} if _CODE.match(texts[0]) and any("." in t for t in texts[1:]) else set()
    codes |= {k for k, (i, t) in enumerate(filled) if i in code_columns and _CODE.match(t)}
    codes |= {k for k, (i, t) in enumerate(filled) if i in quantity_columns and numeric[k]}
    return [cells[i] for k, (i, _) in enumerate(filled) if numeric[k] and k not in codes]

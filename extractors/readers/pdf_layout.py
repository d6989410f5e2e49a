"""From one page's geometry to lines in reading order: running text, and table rows split into cells.

Two kinds of table are found:

* ruled: pdfplumber's ``TableFinder`` with the lines strategy over the page's rulings
  (``RULED_TABLE_SETTINGS``). Merged cells leave ``None`` in the grid, emitted as blank cells so columns
  stay aligned; a cell's text lines are joined (wrapped text is one cell). A first or last row
  printed without its top or bottom ruling, under column rulings that run on, is rebuilt from them.
* unruled: a run of text lines split into segments by wide gaps, at least one of which holds a number.
  Without a header (a continuation page), column bounds come from the rows that carry figures
  (right-aligned numbers and left-aligned names both overlap within their column). With one (the
  run's lines above its body, and lines just above the run in the table's type size), the header's
  lines are first joined into cells: lines of one wrapped cell stack closely on one centre or left
  edge. A header cell that heads a run of cells below it (centred over them, or starting where they
  start, within halfway to its neighbours in its own header row) is a group; the others are leaves,
  and each leaf is a column, so a column blank in every row keeps its place. Header rows are emitted
  one per level, a group printed once in the first column it spans, as a ruled grid's merged cell
  reads. Body segments go to the leaf they lie under; a text-only line continues the row above (a
  wrapped cell) when it sits closer than rows do or the line above filled its column
  (``UNRULED_TABLE_SETTINGS``).

Everything else is running text, one ``Line(is_row=False)`` per printed line; a line made only of
``label：value`` parts (``单位名称：…   单位：万元``) is split into one line per part, since the
interpreter reads units and publishers from lines of their own.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from statistics import median

from pdfplumber.table import TableFinder

from extractors.model import BBox, Cell, Line
from extractors.readers.pdf_geometry import PageGeometry

# pdfplumber's lines strategy over drawn rulings; tolerances in points. Excel and Word exports draw
# each cell border as its own segment a fraction of a point off its neighbours: snapping and joining
# within 3 pt rebuilds the grid.
RULED_TABLE_SETTINGS = {
    "vertical_strategy": "lines",
    "horizontal_strategy": "lines",
    "snap_tolerance": 3,
    "join_tolerance": 3,
    "edge_min_length": 3,
    "intersection_tolerance": 3,
}

# A grid this small is a frame or a box around a note, not a table.
RULED_TABLE_MIN_ROWS = 2
RULED_TABLE_MIN_COLUMNS = 2
# Excel prints titles, 单位 lines and notes inside the table's frame, in a cell merged across the
# table: a row whose only text fills at least this share of the table's width, or is a
# ``label：value`` (金额单位：万元), is running text.
RULED_FRAME_TEXT_SHARE = 0.5
# A grid column blank in every row and narrower than this many character heights is a margin (Excel's
# spacer columns) and is dropped; a wider blank column is a real one with nothing printed on this page
# (the finished side of a table continued without its header), kept so later cells keep their columns.
RULED_MARGIN_COLUMN_MAX_WIDTH = 2.0
# A grid's first or last row printed without its top or bottom ruling, its column rulings drawn (the
# first row of a continuation page, Jiangsu 省法院 2017/2018: 2040504 案件审判 1,833.30 over rulings
# that start at the row's top): TableFinder closes no cell there, so the row is rebuilt from the column
# rulings when it is at most this many times the grid's usual row height.
RULED_OPEN_ROW_MAX_HEIGHT = 1.5

# Characters closer than ``x_tolerance`` (points) belong to one word; words on one printed line whose
# vertical centres differ by less than ``line_tolerance`` of the median character height share a line;
# a horizontal gap wider than ``column_gap`` of that height separates two cells of an unruled row.
TEXT_SETTINGS = {
    "x_tolerance": 1.5,
    "line_tolerance": 0.45,
    "column_gap": 0.8,
}

UNRULED_TABLE_SETTINGS = {
    # An unruled table needs this many lines with figures aligned in one column.
    "min_rows": 2,
    "min_figures_alone": 3,
    # A row's cell may drift this far (points) outside its column's bounds and still belong to it.
    "column_slack": 2.0,
    # A single-cell line inside a table (a wrapped name) sits within this many line heights of its rows.
    "max_line_gap": 1.5,
    # Lines of one wrapped cell are closer than this many line heights (rows are set apart by their
    # cells' padding); in a header they also share their centre or left edge within ``column_slack``.
    "wrap_gap": 0.4,
    # A body line also continues the text above it when that text ends within this many line heights
    # (about one character) of its column's right edge: it wrapped there.
    "wrap_fill_slack": 1.0,
    # A group header is centred over the cells it spans: within this share of their width.
    "group_centre_tolerance": 0.15,
    # A line above a table's first row belongs to its header when its characters are this close in
    # size (points) to the row's: titles and notes above a table are set in other sizes.
    "header_size_tolerance": 0.5,
}

_FIGURE = re.compile(r"^[-−]?[\d,]+(\.\d+)?%?$")
_LABEL_VALUE = re.compile(r"^[^：:]{1,12}[：:]")
# A complete amount as tables print it (two decimals, thousands grouped or not), and what would make
# it a rate instead.
_AMOUNT = re.compile(r"^[-−]?(\d{1,3}(,\d{3})*|\d+)\.\d{2}$")
_AMOUNT_CONTINUES = frozenset("%‰")
# 类 | 款 | 项 as printed when a subject code is split over three columns: 201||, 201|08|, 201|08|01.
_SPLIT_CODE = re.compile(r"^\d{3}\|(\d{2})?\|$|^\d{3}\|\d{2}\|\d{2}$")
SPLIT_CODE_LABELS = ("类", "款", "项")
_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
# Marks a word break inside a segment; never part of geometry (bboxes skip it).
_SPACE = {"text": " "}


GridPosition = tuple[int, int]  # (row, column) of a cell in a ruled grid
Locate = Callable[[float, float], GridPosition | None]  # the grid cell a point (x, y) lies in, if any


@dataclass
class TextLine:
    """Characters printed on one line, left to right, and the cells they form."""

    chars_with_spaces: list[dict]
    top: float
    bottom: float
    chars: list[dict] = field(default_factory=list)  # printed characters, spaces left out
    segments: list[list[dict]] = field(default_factory=list)  # each may hold _SPACE word breaks

    @property
    def text(self) -> str:
        return " ".join(_segment_text(s) for s in self.segments)


def page_lines(page: PageGeometry) -> list[Line]:
    """The page's lines in reading order (top to bottom), tables' rows included."""
    chars = page.chars
    printed = [c for c in chars if not c["text"].isspace()]
    if not printed:
        return []
    unit = median(c["bottom"] - c["top"] for c in printed)
    blocks: list[tuple[float, Line]] = []
    free = chars
    for grid in _ruled_tables(page):
        inside, free = _split_chars(free, _grid_bbox(grid))
        rows, unplaced = _grid_rows(grid, inside, page.page_number, unit)
        blocks.extend(rows)
        free = free + unplaced
    text_lines = _text_lines(free, unit)
    blocks.extend(_text_blocks(text_lines, page.page_number, unit))
    blocks.sort(key=lambda block: block[0])
    return [line for _, line in blocks]


# --- ruled tables ---


def _ruled_tables(page: PageGeometry) -> list[list]:
    if not page.edges:
        return []
    grids = []
    # TableFinder reads only the page's edges, chars and bbox, which PageGeometry has as a pdfplumber Page
    for table in TableFinder(page, RULED_TABLE_SETTINGS).tables:  # type: ignore[arg-type]
        rows = [list(row.cells) for row in table.rows]
        if len(rows) >= RULED_TABLE_MIN_ROWS and len(rows[0]) >= RULED_TABLE_MIN_COLUMNS:
            grids.append(_with_open_rows(rows, page.edges))
    return grids


def _with_open_rows(grid: list[list], edges: list[dict]) -> list[list]:
    """The grid with the row above its top ruling and the row below its bottom ruling where the column
    rulings run on past it (``RULED_OPEN_ROW_MAX_HEIGHT``): each such row's cells span from one ruling
    that runs on to the next, as a merged cell does; ``None`` under a column ruling that stops."""
    cells = [c for row in grid for c in row if c is not None]
    lefts = sorted({c[0] for c in cells})  # pdfplumber's column positions, one per row entry
    right = max(c[2] for c in cells)
    top, bottom = min(c[1] for c in cells), max(c[3] for c in cells)
    row_height = median(min(c[3] - c[1] for c in row if c is not None) for row in grid)
    tolerance = float(RULED_TABLE_SETTINGS["snap_tolerance"])  # type: ignore[arg-type]
    verticals = [e for e in edges if e["orientation"] == "v"]

    def reach(x: float, y: float, up: bool) -> float | None:
        """How far a ruling at ``x`` runs on past ``y`` (up or down), None if it stops there."""
        if up:
            ends = [e["top"] for e in verticals if abs(e["x0"] - x) <= tolerance
                    and e["top"] < y - tolerance and e["bottom"] >= y - tolerance]
            return min(ends) if ends else None
        ends = [e["bottom"] for e in verticals if abs(e["x0"] - x) <= tolerance
                and e["bottom"] > y + tolerance and e["top"] <= y + tolerance]
        return max(ends) if ends else None

    def open_row(y: float, up: bool) -> list | None:
        reaches = [reach(x, y, up) for x in [*lefts, right]]
        found = [r for r in reaches if r is not None]
        if reaches[0] is None or reaches[-1] is None or max(found) - min(found) > tolerance:
            return None
        end = max(found) if up else min(found)  # where the shortest ruling stops
        if not 0 < abs(y - end) <= row_height * RULED_OPEN_ROW_MAX_HEIGHT:
            return None
        y0, y1 = (end, y) if up else (y, end)
        starts = [i for i, r in enumerate(reaches[:-1]) if r is not None]
        row: list = [None] * len(lefts)
        for i, j in zip(starts, [*starts[1:], len(lefts)], strict=True):
            row[i] = (lefts[i], y0, lefts[j] if j < len(lefts) else right, y1)
        return row

    above, below = open_row(top, up=True), open_row(bottom, up=False)
    return ([above] if above else []) + grid + ([below] if below else [])


def _grid_bbox(grid: list[list]) -> BBox:
    cells = [c for row in grid for c in row if c is not None]
    return (min(c[0] for c in cells), min(c[1] for c in cells),
            max(c[2] for c in cells), max(c[3] for c in cells))


def _anchor_words(chars: list[dict], unit: float, locate: Locate) -> None:
    """Give each character of a word (characters printed without a gap) the word's horizontal centre.

    Excel lets text run past its cell's border (``…公用经费支出`` with ``出`` drawn over the next cell);
    placing whole words by their centre keeps them in the cell they were typed in. A word does not run
    on past a ruling after a complete amount, though: a right-aligned figure that fills its cell is
    printed flush against the next cell's text, closer than the word gap (``193,500.00`` and
    ``31,158,000.00`` 0.5 pt apart with the ruling between them, ``36,208.43`` and ``（一）一般公共服务
    支出``); the characters on either side of the ruling lie in two cells (``locate``), and the text up
    to it reads as one amount, so two cells were printed, not one cell's text run over its border.
    """
    for line in _text_lines(chars, unit):
        word = [line.chars[0]]
        for c in [*line.chars[1:], None]:
            if c is not None and c["x0"] - word[-1]["x1"] <= TEXT_SETTINGS["x_tolerance"] \
                    and not _ends_at_ruling(word, c, locate):
                word.append(c)
                continue
            middle = (word[0]["x0"] + word[-1]["x1"]) / 2
            for w in word:
                w["anchor_x"] = middle
            if c is not None:
                word = [c]


def _ends_at_ruling(word: list[dict], following: dict, locate: Locate) -> bool:
    """``word`` is a complete amount whose last character lies in another grid cell than ``following``
    (each placed by its own centre)."""
    if following["text"] in _AMOUNT_CONTINUES:
        return False
    here, there = locate(*_centre(word[-1])), locate(*_centre(following))
    return (here is not None and there is not None and here != there
            and _AMOUNT.match("".join(c["text"] for c in word)) is not None)


def _centre(char: dict) -> tuple[float, float]:
    return (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2


def _grid_locator(grid: list[list]) -> Locate:
    """The grid cell (row, column) a point lies in, ``None`` outside.

    The grid's rulings cut the table into elementary rectangles; each belongs to one cell (merged
    cells cover several), so a character is placed by two bisections instead of a scan of all cells.
    """
    xs = sorted({v for row in grid for b in row if b for v in (b[0], b[2])})
    ys = sorted({v for row in grid for b in row if b for v in (b[1], b[3])})
    owner: dict[tuple[int, int], GridPosition] = {}
    for r, row in enumerate(grid):
        for c, b in enumerate(row):
            if b is None:
                continue
            for i in range(bisect_left(xs, b[0]), bisect_left(xs, b[2])):
                for j in range(bisect_left(ys, b[1]), bisect_left(ys, b[3])):
                    owner[(i, j)] = (r, c)

    def locate(x: float, y: float) -> GridPosition | None:
        return owner.get((bisect_right(xs, x) - 1, bisect_right(ys, y) - 1))

    return locate


def _chars_by_cell(locate: Locate, chars: list[dict]) -> tuple[dict[GridPosition, list[dict]], list[dict]]:
    """Characters of each grid cell (row, column), by their (word-anchored) centre, and those of none."""
    out: dict[GridPosition, list[dict]] = {}
    unplaced = []
    for ch in chars:
        cell = locate(ch.get("anchor_x", (ch["x0"] + ch["x1"]) / 2), (ch["top"] + ch["bottom"]) / 2)
        if cell is None:
            unplaced.append(ch)
        else:
            out.setdefault(cell, []).append(ch)
    return out, unplaced


def _center_in(char: dict, bbox: BBox) -> bool:
    x = char.get("anchor_x", (char["x0"] + char["x1"]) / 2)
    y = (char["top"] + char["bottom"]) / 2
    return bbox[0] <= x < bbox[2] and bbox[1] <= y < bbox[3]


def _split_chars(chars: list[dict], bbox: BBox) -> tuple[list[dict], list[dict]]:
    inside: list[dict] = []
    outside: list[dict] = []
    for c in chars:
        (inside if _center_in(c, bbox) else outside).append(c)
    return inside, outside


def _grid_rows(grid: list[list], chars: list[dict], page_number: int,
               unit: float) -> tuple[list[tuple[float, Line]], list[dict]]:
    """The grid's rows, and the characters inside its frame that fall in none of its cells."""
    rows: list[tuple[float, Line]] = []
    width = _grid_bbox(grid)[2] - _grid_bbox(grid)[0]
    locate = _grid_locator(grid)
    _anchor_words(chars, unit, locate)
    owned, unplaced = _chars_by_cell(locate, chars)
    for r, row in enumerate(grid):
        cells, cell_chars = [], []
        for c, bbox in enumerate(row):
            inside = owned.get((r, c), [])
            cells.append(Cell(_cell_text(inside, unit), page_number, _rounded(bbox) if bbox else None))
            cell_chars.append(inside)
        filled = [i for i, c in enumerate(cells) if c.text]
        if not filled:
            continue
        only = cells[filled[0]]
        wide = only.bbox is not None and only.bbox[2] - only.bbox[0] >= width * RULED_FRAME_TEXT_SHARE
        if len(filled) == 1 and (wide or _LABEL_VALUE.match(only.text)):
            rows.extend(b for line in _text_lines(cell_chars[filled[0]], unit)
                        for b in _running_text(line, page_number))
            continue
        top = min(c.bbox[1] for c in cells if c.bbox)
        rows.append((top, Line(cells, page_number, is_row=True)))
    return _join_split_codes(_without_margin_columns(rows, unit)), unplaced


def _without_margin_columns(rows: list[tuple[float, Line]], unit: float) -> list[tuple[float, Line]]:
    """Drop narrow grid columns blank in every row (Excel's margin columns): they carry no position."""
    table_rows = [line for _, line in rows if line.is_row]
    if not table_rows:
        return rows
    max_width = unit * RULED_MARGIN_COLUMN_MAX_WIDTH
    used = [any(line.cells[i].text for line in table_rows)
            or max((c.bbox[2] - c.bbox[0] for line in table_rows if (c := line.cells[i]).bbox),
                   default=0) > max_width
            for i in range(len(table_rows[0].cells))]
    for line in table_rows:
        line.cells = [c for c, keep in zip(line.cells, used, strict=True) if keep]
    return rows


def _cell_text(chars: list[dict], unit: float) -> str:
    """A cell's text: its printed lines joined (wrapped text is one cell)."""
    return _join_wrapped([line.text for line in _text_lines(chars, unit)])


def _join_wrapped(pieces: list[str]) -> str:
    """Wrapped pieces of one cell: no space where either side is CJK (the break was only the width)."""
    text = ""
    for piece in pieces:
        if text and not (_CJK.match(text[-1]) or _CJK.match(piece[0])):
            text += " "
        text += piece
    return text


def _join_split_codes(rows: list[tuple[float, Line]]) -> list[tuple[float, Line]]:
    """Subject codes printed over three columns 类 | 款 | 项 (201 | 08 | 01, as Shanghai does) become one
    code cell (2010801), so every table has its code in one column; the 类/款/项 header labels, which
    only name the split, are dropped. Detected from the codes themselves, so continuation pages
    without a header are joined too."""
    table_rows = [line for _, line in rows if line.is_row]
    start = _split_code_start(table_rows)
    if start is None:
        return rows
    for line in table_rows:
        parts = line.cells[start:start + 3]
        texts = [c.text for c in parts]
        if _SPLIT_CODE.match("|".join(texts)):
            text = "".join(texts)
        elif texts == list(SPLIT_CODE_LABELS):
            text = ""
        else:
            text = " ".join(t for t in texts if t)
        boxes = [c.bbox for c in parts if c.bbox]
        bbox = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
                max(b[3] for b in boxes)) if boxes else None
        line.cells[start:start + 3] = [Cell(text, parts[0].page, bbox)]
    return [(top, line) for top, line in rows if not line.is_row or any(c.text for c in line.cells)]


def _split_code_start(rows: list[Line]) -> int | None:
    """First column of a 类 | 款 | 项 triple: some row holds a full 3+2+2-digit code there, or the header
    prints 类 | 款 | 项 there (a continuation page holding only the 合计 line, Shanghai 人社局 2026 p.14:
    joined like the first page, so its columns are the first page's), and every row starting with a
    3-digit class code there follows the pattern."""
    width = min((len(line.cells) for line in rows), default=0)
    labels = "|".join(SPLIT_CODE_LABELS)
    for start in range(width - 2):
        triples = ["|".join(c.text for c in line.cells[start:start + 3]) for line in rows]
        coded = [t for t in triples if re.match(r"^\d{3}\|", t)]
        # by its labels only where no line leaves out its leading parts (|05|, ||01: the grid reader
        # takes those from the line above, split)
        labelled = labels in triples and all(t in coded for t in triples if re.search(r"\d", t))
        if ((labelled or any(re.match(r"^\d{3}\|\d{2}\|\d{2}$", t) for t in coded))
                and all(_SPLIT_CODE.match(t) for t in coded)):
            return start
    return None


# --- text lines and unruled tables ---


def _text_lines(chars: list[dict], unit: float) -> list[TextLine]:
    """Group characters into printed lines by vertical centre, then split each into gap-separated cells."""
    lines: list[TextLine] = []
    tolerance = unit * TEXT_SETTINGS["line_tolerance"]
    for c in sorted(chars, key=lambda c: (c["top"] + c["bottom"]) / 2):
        middle = (c["top"] + c["bottom"]) / 2
        if lines and abs(middle - (lines[-1].top + lines[-1].bottom) / 2) <= tolerance:
            line = lines[-1]
            line.chars_with_spaces.append(c)
            line.top, line.bottom = min(line.top, c["top"]), max(line.bottom, c["bottom"])
        else:
            lines.append(TextLine([c], c["top"], c["bottom"]))
    gap = unit * TEXT_SETTINGS["column_gap"]
    for line in lines:
        line.chars = sorted((c for c in line.chars_with_spaces if not c["text"].isspace()),
                            key=lambda c: c["x0"])
        spaced_after = _spaced_after(sorted(line.chars_with_spaces, key=lambda c: c["x0"]))
        segments: list[list[dict]] = []
        for c in line.chars:
            if segments and c["x0"] - segments[-1][-1]["x1"] <= gap:
                if id(segments[-1][-1]) in spaced_after:
                    segments[-1].append(_SPACE)
                segments[-1].append(c)
            else:
                segments.append([c])
        line.segments = segments
    return [line for line in lines if line.segments]


def _spaced_after(chars: list[dict]) -> set[int]:
    """Ids of printed characters followed by a printed space: word breaks however narrow the space."""
    out = set()
    for prev, c in zip(chars, chars[1:], strict=False):
        if c["text"].isspace() and not prev["text"].isspace():
            out.add(id(prev))
    return out


def _segment_text(segment: list[dict]) -> str:
    """Characters of one cell; a space where the print leaves a word gap (Latin text, dates)."""
    out = ""
    prev = None
    spaced = False
    for c in segment:
        if c is _SPACE:
            spaced = True
            continue
        if prev is not None:
            spaced = spaced or c["x0"] - prev["x1"] > TEXT_SETTINGS["x_tolerance"] + (c["x1"] - c["x0"]) / 2
            # Letter-spaced CJK headings (收 入, 项 目) read as the word itself.
            if spaced and not (_CJK.match(prev["text"]) and _CJK.match(c["text"])):
                out += " "
        out += c["text"]
        prev, spaced = c, False
    return out


def _segment_bbox(segment: list[dict]) -> BBox:
    printed = [c for c in segment if c is not _SPACE]
    return _rounded((min(c["x0"] for c in printed), min(c["top"] for c in printed),
                     max(c["x1"] for c in printed), max(c["bottom"] for c in printed)))


def _rounded(bbox: BBox) -> BBox:
    return tuple(round(v, 2) for v in bbox)  # type: ignore[return-value]


def _has_figure(line: TextLine) -> bool:
    return any(_FIGURE.match(_segment_text(s)) for s in line.segments)


def _is_label_values(line: TextLine) -> bool:
    return all(_LABEL_VALUE.match(_segment_text(s)) for s in line.segments)


def _is_row_candidate(line: TextLine) -> bool:
    return len(line.segments) >= 2 and not _is_label_values(line)


def _text_blocks(lines: list[TextLine], page_number: int, unit: float) -> list[tuple[float, Line]]:
    blocks: list[tuple[float, Line]] = []
    emitted: list[int] = []  # blocks made of each running-text line since the last table
    i = 0
    while i < len(lines):
        j = _run_end(lines, i, unit)
        run = lines[i:j]
        if _has_figure_column(run):
            start = _header_start(lines, i, i - len(emitted), unit)
            for _ in range(start, i):
                del blocks[len(blocks) - emitted.pop():]
            blocks.extend(_unruled_rows(lines[start:j], page_number, unit))
            emitted, i = [], j
            continue
        text = _running_text(lines[i], page_number)
        emitted.append(len(text))
        blocks.extend(text)
        i += 1
    return blocks


def _header_start(lines: list[TextLine], start: int, floor: int, unit: float) -> int:
    """First line of the table whose run starts at ``start``: single-cell header lines printed above
    its first multi-cell line (a group label, a wrapped cell's first line) join it when they are close
    and set in the table's type size."""
    size = median(c["size"] for c in lines[start].chars)
    tolerance = UNRULED_TABLE_SETTINGS["header_size_tolerance"]
    max_gap = unit * UNRULED_TABLE_SETTINGS["max_line_gap"]
    while start > floor:
        above = lines[start - 1]
        if (_is_label_values(above) or _has_figure(above) or lines[start].top - above.bottom > max_gap
                or any(abs(c["size"] - size) > tolerance for c in above.chars)):
            break
        start -= 1
    return start


def _has_figure_column(run: list[TextLine]) -> bool:
    """Figures of ``min_rows`` lines aligned on one edge (right or left, within ``column_slack``), or a
    line of ``min_figures_alone`` figures (三公 tables have one body row). Justified prose splits into
    gap-separated pieces too, but its figures neither align nor come in threes."""
    slack = UNRULED_TABLE_SETTINGS["column_slack"]
    figures = [[s for s in line.segments if _FIGURE.match(_segment_text(s))] for line in run]
    if any(len(line) >= UNRULED_TABLE_SETTINGS["min_figures_alone"] for line in figures):
        return True
    for edge in (lambda s: s[-1]["x1"], lambda s: s[0]["x0"]):
        for x in {edge(s) for line in figures for s in line}:
            aligned = sum(any(abs(edge(s) - x) <= slack for s in line) for line in figures)
            if aligned >= UNRULED_TABLE_SETTINGS["min_rows"]:
                return True
    return False


def _run_end(lines: list[TextLine], start: int, unit: float) -> int:
    """End of the run of table-like lines from ``start``: multi-cell lines, and single-cell lines within
    ``max_line_gap`` line heights (a wrapped name's second line) followed by one, or under a text cell."""
    if not _is_row_candidate(lines[start]):
        return start
    end = start + 1
    max_gap = unit * UNRULED_TABLE_SETTINGS["max_line_gap"]
    while end < len(lines):
        if _is_row_candidate(lines[end]):
            end += 1
        elif lines[end].top - lines[end - 1].bottom > max_gap:
            break
        elif end + 1 < len(lines) and _is_row_candidate(lines[end + 1]) \
                and lines[end + 1].top - lines[end].bottom <= max_gap:
            end += 2
        elif _under_text_of(lines[end], lines[end - 1]):
            end += 1
        else:
            break
    return end


def _under_text_of(line: TextLine, above: TextLine) -> bool:
    """Each part of ``line`` lies under a text (non-figure) cell of ``above``: a wrapped row's last line."""
    return all(
        any(s[0]["x0"] < t[-1]["x1"] and s[-1]["x1"] > t[0]["x0"] and not _FIGURE.match(_segment_text(t))
            for t in above.segments)
        for s in line.segments
    )


def _running_text(line: TextLine, page_number: int) -> list[tuple[float, Line]]:
    if len(line.segments) > 1 and _is_label_values(line):
        parts = [(_segment_text(s), s) for s in line.segments]
    else:
        parts = [(line.text, line.chars)]
    return [(line.top, Line([Cell(text, page_number, _segment_bbox(chars))], page_number, is_row=False))
            for text, chars in parts]


def _unruled_rows(run: list[TextLine], page_number: int, unit: float) -> list[tuple[float, Line]]:
    first_body = _body_start(run)
    header: list[tuple[float, Line]] = []
    if first_body:
        header, columns = _unruled_header(run[:first_body], run, page_number, unit)
        run = run[first_body:]
        place = _body_columns_under(columns, _columns(run))
    else:
        columns = _columns([line for line in run if _has_figure(line)])
        place = partial(_column_of, columns=columns)
    placed = [[(place(segment), segment) for segment in line.segments] for line in run]
    right_edges = [max((s[-1]["x1"] for line in placed for i, s in line if i == column), default=0.0)
                   for column in range(len(columns))]
    rows: list[tuple[float, list[list[list[dict]]]]] = []
    seen_figures = False
    wrap_gap = unit * UNRULED_TABLE_SETTINGS["wrap_gap"]
    for k, line in enumerate(run):
        cells: list[list[list[dict]]] = [[] for _ in columns]
        for column, segment in placed[k]:
            cells[column].append(segment)
        # A wrapped cell's next line sits closer than the next row (rows are padded apart), or follows
        # a line that filled its column.
        if seen_figures and _continues(cells, rows[-1][1]) and (
                line.top - run[k - 1].bottom <= wrap_gap or _filled(rows[-1][1], cells, right_edges, unit)):
            for kept, more in zip(rows[-1][1], cells, strict=True):
                kept.extend(more)
            continue
        seen_figures = seen_figures or _has_figure(line)
        rows.append((line.top, cells))
    return _join_split_codes(header + [
        (top, Line([_joined_cell(parts, page_number) for parts in cells], page_number, is_row=True))
        for top, cells in rows])


def _filled(previous: list[list[list[dict]]], cells: list[list[list[dict]]], right_edges: list[float],
            unit: float) -> bool:
    """Every cell ``cells`` continues ended its last line at its column's right edge: it wrapped there."""
    slack = unit * UNRULED_TABLE_SETTINGS["wrap_fill_slack"]
    return all(previous[i][-1][-1]["x1"] >= right_edges[i] - slack for i, parts in enumerate(cells) if parts)


def _body_start(run: list[TextLine]) -> int:
    """First body line: the first line with a figure, or a line above it whose cells all start where
    the names of the figure lines start (rows without figures yet, such as 外交支出 before any amount);
    header labels are centred or otherwise placed."""
    first = next(i for i, line in enumerate(run) if _has_figure(line))
    slack = UNRULED_TABLE_SETTINGS["column_slack"]
    starts = [s[0]["x0"] for line in run[first:] if _has_figure(line) for s in line.segments
              if not _FIGURE.match(_segment_text(s))]
    while first > 0 and all(any(abs(s[0]["x0"] - x) <= slack for x in starts)
                            for s in run[first - 1].segments):
        first -= 1
    return first


@dataclass
class _HeaderCell:
    """One cell of an unruled header: its printed lines (segments), top to bottom."""

    parts: list[list[dict]]

    @property
    def bbox(self) -> BBox:
        return _segment_bbox([c for part in self.parts for c in part])

    @property
    def centre(self) -> float:
        return (self.bbox[0] + self.bbox[2]) / 2


def _header_cells(lines: list[TextLine], unit: float) -> list[_HeaderCell]:
    """The header's segments joined into cells: a segment continues the cell whose last line ends
    just above it, on the same centre or left edge."""
    gap = unit * UNRULED_TABLE_SETTINGS["wrap_gap"]
    slack = UNRULED_TABLE_SETTINGS["column_slack"]
    cells: list[_HeaderCell] = []
    for segment in sorted((s for line in lines for s in line.segments), key=lambda s: _segment_bbox(s)[1]):
        x0, top, x1, _ = _segment_bbox(segment)
        for cell in cells:
            last = _segment_bbox(cell.parts[-1])
            if abs(top - last[3]) <= gap and (abs((x0 + x1) / 2 - (last[0] + last[2]) / 2) <= slack
                                              or abs(x0 - last[0]) <= slack):
                cell.parts.append(segment)
                break
        else:
            cells.append(_HeaderCell([segment]))
    return cells


def _reach(cell: _HeaderCell, cells: list[_HeaderCell], left: float, right: float) -> tuple[float, float]:
    """How far a header cell's label reaches: halfway to its neighbours in its own header row (cells
    beside it whose lines overlap its lines vertically), else to the table's edge."""
    x0, top, x1, bottom = cell.bbox
    for other in cells:
        o = other.bbox
        if other is cell or o[1] >= bottom or o[3] <= top:
            continue
        if o[2] <= x0:
            left = max(left, (o[2] + x0) / 2)
        elif o[0] >= x1:
            right = min(right, (x1 + o[0]) / 2)
    return left, right


def _group_span(cell: _HeaderCell, below: list[_HeaderCell]) -> tuple[float, float] | None:
    """The widest run of the cells below a header cell (within its reach) that it heads, as a group
    header does: centred over them, or starting where they start; ``None`` when there is none (the
    cell is a leaf, even a tall one printed beside the cells under a neighbouring group)."""
    share = UNRULED_TABLE_SETTINGS["group_centre_tolerance"]
    slack = UNRULED_TABLE_SETTINGS["column_slack"]
    best = None
    for i in range(len(below)):
        for j in range(i, len(below)):
            a, b = below[i].bbox[0], max(o.bbox[2] for o in below[i:j + 1])
            heads = abs((a + b) / 2 - cell.centre) <= share * (b - a) or abs(a - cell.bbox[0]) <= slack
            if heads and (best is None or b - a > best[1] - best[0]):
                best = (a, b)
    return best


def _unruled_header(lines: list[TextLine], run: list[TextLine], page_number: int,
                    unit: float) -> tuple[list[tuple[float, Line]], list[tuple[float, float]]]:
    """Header rows of an unruled table, one per level, and its columns (one per leaf header cell)."""
    cells = _header_cells(lines, unit)
    left = min(s[0]["x0"] for line in run for s in line.segments)
    right = max(s[-1]["x1"] for line in run for s in line.segments)
    spans = {}
    for cell in cells:
        lo, hi = _reach(cell, cells, left, right)
        below = sorted((o for o in cells if o.bbox[1] >= cell.bbox[3] and lo <= o.centre <= hi),
                       key=lambda o: o.bbox[0])
        span = _group_span(cell, below)
        if span is not None:
            spans[id(cell)] = span
    groups = [c for c in cells if id(c) in spans]
    leaves = sorted((c for c in cells if id(c) not in spans), key=lambda c: c.bbox[0])
    paths: list[list[_HeaderCell]] = []
    for leaf in leaves:
        top, centre = leaf.bbox[1], leaf.centre
        over = (g for g in groups if top >= g.bbox[3] and spans[id(g)][0] <= centre <= spans[id(g)][1])
        paths.append(sorted(over, key=lambda g: g.bbox[1]) + [leaf])
    rows = []
    for level in range(max(len(path) for path in paths)):
        row = [path[level] if level < len(path) else None for path in paths]
        # A group is printed once, in the first column it spans, as a merged cell reads.
        printed = [c if c is not None and (j == 0 or c is not row[j - 1]) else None
                   for j, c in enumerate(row)]
        top = min(c.bbox[1] for c in row if c is not None)
        rows.append((top, Line([Cell(_join_wrapped([_segment_text(p) for p in c.parts]), page_number, c.bbox)
                                if c is not None else Cell("", page_number, None) for c in printed],
                               page_number, is_row=True)))
    return rows, [(c.bbox[0], c.bbox[2]) for c in leaves]


def _body_columns_under(leaves: list[tuple[float, float]],
                        body: list[tuple[float, float]]) -> Callable[[list[dict]], int]:
    """Where a body segment goes under a header: the body's own columns (spans of its segments that
    overlap, so a short name left-aligned in a wide column sits with the long ones) each go to the leaf
    header they lie under."""
    owner = [_leaf_column_of(span, leaves) for span in body]

    def place(segment: list[dict]) -> int:
        x0, x1 = segment[0]["x0"], segment[-1]["x1"]
        inside = next((i for i, (a, b) in enumerate(body) if a <= x0 and x1 <= b), None)
        return owner[inside] if inside is not None else _leaf_column_of((x0, x1), leaves)

    return place


def _leaf_column_of(span: tuple[float, float], columns: list[tuple[float, float]]) -> int:
    """The column (leaf header span) a body span overlaps most, else the last one whose header starts
    before the span ends (a right-aligned figure ends near its column's right edge, past the start of
    its header however that is aligned), else the first."""
    x0, x1 = span
    overlaps = [min(x1, b) - max(x0, a) for a, b in columns]
    best = max(range(len(columns)), key=lambda i: overlaps[i])
    if overlaps[best] > 0:
        return best
    return max((i for i, (a, _) in enumerate(columns) if a <= x1), default=0)


def _continues(cells: list[list[list[dict]]], previous: list[list[list[dict]]]) -> bool:
    """A line of text only, under a row whose same cells hold text: the wrapped rest of those cells."""
    filled = [i for i, parts in enumerate(cells) if parts]
    return all(
        previous[i] and not any(_FIGURE.match(_segment_text(s)) for s in cells[i] + previous[i])
        for i in filled
    )


def _joined_cell(parts: list[list[dict]], page_number: int) -> Cell:
    if not parts:
        return Cell("", page_number, None)
    return Cell(_join_wrapped([_segment_text(p) for p in parts]), page_number,
                _segment_bbox([c for part in parts for c in part]))


def _columns(body: list[TextLine]) -> list[tuple[float, float]]:
    spans = sorted((s[0]["x0"], s[-1]["x1"]) for line in body for s in line.segments)
    columns = [list(spans[0])]
    for x0, x1 in spans[1:]:
        if x0 <= columns[-1][1]:
            columns[-1][1] = max(columns[-1][1], x1)
        else:
            columns.append([x0, x1])
    return [(a, b) for a, b in columns]


def _column_of(segment: list[dict], columns: list[tuple[float, float]]) -> int:
    x0, x1 = segment[0]["x0"], segment[-1]["x1"]
    slack = UNRULED_TABLE_SETTINGS["column_slack"]
    for i, (a, b) in enumerate(columns):
        if x0 < b + slack and x1 > a - slack:
            return i
    middle = (x0 + x1) / 2
    return min(range(len(columns)), key=lambda i: abs((columns[i][0] + columns[i][1]) / 2 - middle))

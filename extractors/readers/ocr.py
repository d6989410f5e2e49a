"""Reader for scanned pages: rasterise, OCR offline, rebuild the table grid from the text boxes.

Publishers post scanned PDFs (and the odd photo). Their pages have no text layer, so this reader renders
each page with pdfium, reads it with RapidOCR (PP-OCRv4 models shipped inside the
``rapidocr-onnxruntime`` wheel: nothing is downloaded at run time), and turns the recognised text boxes
back into the shape every reader produces (see ``extractors.model``):

- ruled tables: the ruling lines found in the image (OpenCV morphology) give row and column boundaries;
  each text box lands in the grid cell holding its centre, so blank cells keep their column;
- unruled tables: consecutive lines holding several widely spaced text segments; columns are the x-gaps
  shared by the block's lines;
- everything else is running text, one ``Line(is_row=False)`` per text segment.

Every cell carries the OCR confidence (0..1, the lowest of its boxes). A blank cell is 1.0 when its
area holds no ink, 0.0 when it holds ink that OCR did not read (a missed detection, never a trusted
blank). Cells under ``LOW_CONFIDENCE_THRESHOLD`` are counted in
``SourceDocument.metadata['low_confidence_cells']``. Bounding boxes are PDF points, origin top-left
(image inputs: pixels at the image's own dpi, ``RENDER_DPI`` when it states none).

The PDF reader OCRs only the pages of a mixed document that lack a text layer with ``ocr_pages``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from statistics import median
from typing import TYPE_CHECKING

import cv2
import numpy as np

from extractors.model import BBox, Cell, DocumentError, Line, SourceDocument, sha256_of
from extractors.readers import LOW_CONFIDENCE_THRESHOLD

if TYPE_CHECKING:
    import pypdfium2

# 200 dpi reads 9-pt print reliably with the PP-OCRv4 mobile models; more resolution only costs time.
RENDER_DPI = 200
IMAGE_FILE_TYPES = {".png": "png", ".jpg": "jpg", ".jpeg": "jpg"}

# Geometry, in PDF points so that it does not depend on the render resolution.
_INK_LEVEL = 160  # grey level (0 black .. 255 white) below which a pixel is ink
_HORIZONTAL_RULE_MIN_PT = 30.0  # longer than any horizontal stroke of a glyph in body text
_VERTICAL_RULE_MIN_PT = 15.0  # taller than any vertical stroke in table-sized text
_RULE_MERGE_PT = 3.0  # rules closer than this are one (double lines, scan blur)
_TABLE_MIN_WIDTH_PT = 60.0
_CELL_MARGIN_PT = 2.0  # kept clear of the rules when looking for ink in a blank cell
_BLANK_INK_FRACTION = 0.01  # share of dark pixels in a blank cell above which OCR missed something
# A cell border counts as drawn when a rule covers this share of it; below, the two cells are one merged
# cell (a header spanning columns or rows). Not 1.0: scan blur and anti-aliasing break rules into dashes.
_BORDER_DRAWN_FRACTION = 0.6
_SEGMENT_GAP_LINE_HEIGHTS = 1.5  # a gap this wide (in line heights) separates two table columns
# Scans come in slightly rotated; half a degree already slants a rule across two rows of an A4 table.
_MAX_SKEW_DEGREES = 3.0
_SKEW_STEP_DEGREES = 0.1
_SKEW_PROBE_WIDTH_PX = 800  # the angle is searched on a reduced copy: fast, and 0.1° still shows

_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


@dataclass(frozen=True)
class TextBox:
    """One recognised text box, in pixels of the rendered page."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    confidence: float

    @property
    def center_x(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def center_y(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(frozen=True)
class _Page:
    """One page being rebuilt: its text ink (rules removed), its ruling lines, number, and the
    pixel-to-point scale."""

    ink: np.ndarray  # text ink only: rules removed
    horizontal: np.ndarray  # horizontal ruling lines (0/255)
    vertical: np.ndarray  # vertical ruling lines (0/255)
    number: int | None
    points_per_pixel: float

    def px(self, points: float) -> int:
        return max(1, round(points / self.points_per_pixel))

    def bbox(self, x0: float, top: float, x1: float, bottom: float) -> BBox:
        s = self.points_per_pixel
        return (round(x0 * s, 2), round(top * s, 2), round(x1 * s, 2), round(bottom * s, 2))


@dataclass(frozen=True)
class _Grid:
    """A ruled table: its boundaries in pixels (first/last are the table's outer edges)."""

    rows: list[float]
    columns: list[float]
    has_inner_columns: bool

    def contains(self, box: TextBox) -> bool:
        return (self.columns[0] <= box.center_x <= self.columns[-1]
                and self.rows[0] <= box.center_y <= self.rows[-1])


# --- public API -------------------------------------------------------------------------------------


def read(path: Path) -> SourceDocument:
    """OCR a fully scanned PDF (every page) or an image file into a ``SourceDocument``."""
    suffix = path.suffix.lower()
    if suffix in IMAGE_FILE_TYPES:
        gray, dpi = _load_image(path)
        lines = ocr_image(gray, page=1, dpi=dpi)
        page_count, file_type = 1, IMAGE_FILE_TYPES[suffix]
    elif suffix == ".pdf":
        pdf = _open_pdf(path)
        try:
            page_count = len(pdf)
            check_page_budget(path, page_count)
            lines = _ocr_pdf(pdf, range(1, page_count + 1), path)
        finally:
            pdf.close()
        file_type = "pdf"
    else:
        raise DocumentError(
            "unsupported_format",
            f"{path.name}: OCR reads .pdf, {', '.join(IMAGE_FILE_TYPES)}; not {suffix!r}",
        )
    if not lines:
        raise DocumentError("empty_document", f"{path.name}: OCR found no text on {page_count} page(s)")
    return SourceDocument(
        path=path,
        sha256=sha256_of(path),
        file_type=file_type,
        lines=lines,
        page_count=page_count,
        metadata={"ocr_pages": str(page_count), "low_confidence_cells": str(low_confidence_count(lines))},
    )


def check_page_budget(path: Path, pages_to_ocr: int) -> None:
    """``DocumentError('too_large')`` when a document needs more pages OCRed than its budget
    (``ExtractionLimits.max_ocr_pages``: OCR reads 0.1-0.3 pages/s on one core)."""
    from extractors.orchestration_config import extraction_limits

    budget = extraction_limits().max_ocr_pages
    if pages_to_ocr > budget:
        raise DocumentError(
            "too_large",
            f"{path.name}: {pages_to_ocr} scanned pages to OCR, more than the limit of {budget} "
            f"(BUDGETWH_MAX_OCR_PAGES; OCR reads about 0.2 pages/s)",
        )


def ocr_pages(path: Path, page_numbers: Iterable[int]) -> list[Line]:
    """OCR the given pages (1-based, as printed in ``Cell.page``) of a PDF, in the order given.

    ``DocumentError('too_large')`` when they are more than the OCR page budget.
    """
    page_numbers = list(page_numbers)
    check_page_budget(path, len(page_numbers))
    pdf = _open_pdf(path)
    try:
        return _ocr_pdf(pdf, page_numbers, path)
    finally:
        pdf.close()


def ocr_image(gray: np.ndarray, page: int | None, dpi: float = RENDER_DPI) -> list[Line]:
    """The lines of one page image (8-bit greyscale, ``dpi`` pixels per inch), in reading order.

    A skewed scan is straightened first; boxes are then positions on the straightened page.
    """
    gray = deskew(gray)
    boxes = recognise(gray)
    if not boxes:
        return []
    horizontal, vertical = _rule_masks(gray, dpi)
    rules = cv2.dilate(horizontal | vertical, np.ones((3, 3), np.uint8))
    ink = ((gray < _INK_LEVEL) & (rules == 0)).astype(np.uint8)
    context = _Page(ink=ink, horizontal=horizontal, vertical=vertical, number=page,
                    points_per_pixel=72.0 / dpi)
    return _rebuild(context, boxes, _grids(context, horizontal, vertical))


def low_confidence_count(lines: Iterable[Line]) -> int:
    """How many cells OCR is not sure of (confidence below ``LOW_CONFIDENCE_THRESHOLD``)."""
    return sum(
        1
        for line in lines
        for cell in line.cells
        if cell.confidence is not None and cell.confidence < LOW_CONFIDENCE_THRESHOLD
    )


def recognise(gray: np.ndarray) -> list[TextBox]:
    """Raw OCR of one page image: every recognised box, however unsure (flagged later, never dropped)."""
    result, _ = _engine()(gray)
    boxes = []
    for points, text, score in result or []:
        text = text.strip()
        if not text:
            continue
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        boxes.append(TextBox(text, min(xs), min(ys), max(xs), max(ys), float(score)))
    return boxes


# --- input ------------------------------------------------------------------------------------------


@functools.cache
def _engine():
    from rapidocr_onnxruntime import RapidOCR

    # text_score=0 keeps low-confidence recognitions so they are flagged rather than silently lost;
    # max_side_len keeps a 200-dpi A3 page at full resolution.
    return RapidOCR(text_score=0.0, max_side_len=4000)


def _open_pdf(path: Path) -> pypdfium2.PdfDocument:
    import pypdfium2

    try:
        pdf = pypdfium2.PdfDocument(path)
    except pypdfium2.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise DocumentError("encrypted_pdf", f"{path.name}: the PDF is password-protected") from exc
        raise DocumentError("corrupt_pdf", f"{path.name}: pdfium cannot open it ({exc})") from exc
    return pdf


def _ocr_pdf(pdf: pypdfium2.PdfDocument, page_numbers: Iterable[int], path: Path) -> list[Line]:
    lines: list[Line] = []
    for number in page_numbers:
        if not 1 <= number <= len(pdf):
            raise ValueError(f"{path.name}: page {number} does not exist (the PDF has {len(pdf)} pages)")
        page = pdf[number - 1]
        try:
            gray = page.render(scale=RENDER_DPI / 72, grayscale=True).to_numpy()
        finally:
            page.close()
        lines.extend(ocr_image(_as_gray(gray), page=number, dpi=RENDER_DPI))
    return lines


def _load_image(path: Path) -> tuple[np.ndarray, float]:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            dpi = image.info.get("dpi", (RENDER_DPI, RENDER_DPI))[0] or RENDER_DPI
            gray = np.array(image.convert("L"))
    except Image.DecompressionBombError as exc:
        raise DocumentError("too_large", f"{path.name}: {exc}") from exc
    except (UnidentifiedImageError, OSError) as exc:
        raise DocumentError("unsupported_format", f"{path.name}: not a readable image ({exc})") from exc
    return gray, float(dpi)


def _as_gray(array: np.ndarray) -> np.ndarray:
    return array[:, :, 0] if array.ndim == 3 else array


# --- geometry of the scan -------------------------------------------------------------------------


def skew_angle(gray: np.ndarray) -> float:
    """The rotation (degrees, counter-clockwise) that makes the page's lines horizontal.

    Printed lines and rules are horizontal when the row profile of the ink is sharpest: the angle
    maximising the sum of squared differences between neighbouring row sums.
    """
    factor = min(1.0, _SKEW_PROBE_WIDTH_PX / gray.shape[1])
    small = cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    ink = np.where(small < _INK_LEVEL, 1.0, 0.0).astype(np.float32)
    if not ink.any():
        return 0.0
    center = (ink.shape[1] / 2, ink.shape[0] / 2)
    steps = round(_MAX_SKEW_DEGREES / _SKEW_STEP_DEGREES)
    best_angle, best_score = 0.0, -1.0
    for step in range(-steps, steps + 1):
        angle = round(step * _SKEW_STEP_DEGREES, 2)
        rotated = cv2.warpAffine(ink, cv2.getRotationMatrix2D(center, angle, 1.0), ink.shape[::-1])
        score = float(np.square(np.diff(rotated.sum(axis=1))).sum())
        if score > best_score:
            best_angle, best_score = angle, score
    return best_angle


def deskew(gray: np.ndarray) -> np.ndarray:
    angle = skew_angle(gray)
    if angle == 0.0:
        return gray
    center = (gray.shape[1] / 2, gray.shape[0] / 2)
    return cv2.warpAffine(gray, cv2.getRotationMatrix2D(center, angle, 1.0), gray.shape[::-1],
                          flags=cv2.INTER_LINEAR, borderValue=255)


# --- ruling lines -----------------------------------------------------------------------------------


def _rule_masks(gray: np.ndarray, dpi: float) -> tuple[np.ndarray, np.ndarray]:
    """Masks (0/255) of the horizontal and vertical ruling lines: ink runs longer than any glyph stroke."""
    ink = np.where(gray < _INK_LEVEL, 255, 0).astype(np.uint8)
    scale = dpi / 72.0
    h_len = max(2, round(_HORIZONTAL_RULE_MIN_PT * scale))
    v_len = max(2, round(_VERTICAL_RULE_MIN_PT * scale))
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (h_len, 1)))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, v_len)))
    return horizontal, vertical


def _segments(mask: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Connected components of a mask as (x, y, width, height)."""
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    return [(int(x), int(y), int(w), int(h)) for x, y, w, h in (stats[i][:4] for i in range(1, count))]


def _grids(page: _Page, horizontal: np.ndarray, vertical: np.ndarray) -> list[_Grid]:
    """Ruled tables: connected rule structures with at least two horizontal rules."""
    structure = cv2.dilate(horizontal | vertical, np.ones((5, 5), np.uint8))
    h_segments = _segments(horizontal)
    v_segments = _segments(vertical)
    merge = page.px(_RULE_MERGE_PT)
    grids = []
    for x, y, w, h in _segments(structure):
        if w < page.px(_TABLE_MIN_WIDTH_PT):
            continue
        ys = [s[1] + s[3] / 2 for s in h_segments if _centre_within(s, (x, y, w, h))]
        if len(_cluster(ys, merge)) < 2:
            continue
        xs = [s[0] + s[2] / 2 for s in v_segments if _centre_within(s, (x, y, w, h))]
        rows = _cluster([y, *ys, y + h], merge)
        columns = _cluster([x, *xs, x + w], merge)
        grids.append(_Grid(rows=rows, columns=columns, has_inner_columns=len(columns) > 2))
    return grids


def _centre_within(segment: tuple[int, int, int, int], area: tuple[int, int, int, int]) -> bool:
    x, y, w, h = area
    cx, cy = segment[0] + segment[2] / 2, segment[1] + segment[3] / 2
    return x <= cx <= x + w and y <= cy <= y + h


def _cluster(values: Sequence[float], tolerance: float) -> list[float]:
    """Sorted positions with those closer than ``tolerance`` merged into their mean."""
    groups: list[list[float]] = []
    for value in sorted(values):
        if groups and value - groups[-1][-1] <= tolerance:
            groups[-1].append(value)
        else:
            groups.append([value])
    return [sum(g) / len(g) for g in groups]


# --- rebuilding lines and tables --------------------------------------------------------------------


def _rebuild(page: _Page, boxes: list[TextBox], grids: list[_Grid]) -> list[Line]:
    """All lines of the page in reading order: ruled tables and free text blocks sorted by their top."""
    blocks: list[tuple[float, list[Line]]] = []
    free = list(boxes)
    for grid in grids:
        inside = [b for b in free if grid.contains(b)]
        free = [b for b in free if not grid.contains(b)]
        if inside:
            blocks.append((grid.rows[0], _ruled_table(page, grid, inside)))
    blocks.extend(_free_text(page, free))
    blocks.sort(key=lambda block: block[0])
    return [line for _, lines in blocks for line in lines]


def _ruled_table(page: _Page, grid: _Grid, boxes: list[TextBox]) -> list[Line]:
    if not grid.has_inner_columns:
        return _banded_rows(page, grid.rows, _gap_columns(_text_lines(boxes), grid.columns[0],
                                                           grid.columns[-1]), boxes)
    return _merged_cell_rows(page, grid, boxes)


def _banded_rows(page: _Page, rows: list[float], columns: list[float], boxes: list[TextBox]) -> list[Line]:
    """Rows of a table without column rules: each band between two rules is a row, or several."""
    lines: list[Line] = []
    for top, bottom in zip(rows, rows[1:], strict=False):
        band = [b for b in boxes if top <= b.center_y < bottom]
        if not band:
            continue
        text_lines = _text_lines(band)
        if _is_several_rows(text_lines, columns):
            # An unruled body between two rules (三线表 style): each text line is a row.
            lines.extend(_row(page, text_line, columns, _line_top(text_line), _line_bottom(text_line))
                         for text_line in text_lines)
        else:
            lines.append(_row(page, band, columns, top, bottom))
    return lines


def _merged_cell_rows(page: _Page, grid: _Grid, boxes: list[TextBox]) -> list[Line]:
    """Rows of a fully ruled table, merged cells resolved from the borders actually drawn.

    Two neighbouring grid slots without a rule between them are one printed cell (a header spanning
    columns or rows). Its text goes to the cell's top-left slot and the slots it covers stay blank, as
    the PDF reader does for a text layer, so a spanning header names the first of the columns it spans.
    """
    rows, columns = grid.rows, grid.columns
    slots = [(r, c) for r in range(len(rows) - 1) for c in range(len(columns) - 1)]
    anchor = {slot: slot for slot in slots}

    def find(slot: tuple[int, int]) -> tuple[int, int]:
        while anchor[slot] != slot:
            slot = anchor[slot]
        return slot

    def join(a: tuple[int, int], b: tuple[int, int]) -> None:
        first, second = sorted((find(a), find(b)))
        anchor[second] = first

    last_row, last_column = len(rows) - 2, len(columns) - 2
    for r, c in slots:
        if c < last_column and not _vertical_border_drawn(page, columns[c + 1], rows[r], rows[r + 1]):
            join((r, c), (r, c + 1))
        if r < last_row and not _horizontal_border_drawn(page, rows[r + 1], columns[c], columns[c + 1]):
            join((r, c), (r + 1, c))
    members: dict[tuple[int, int], list[TextBox]] = {}
    for box in boxes:
        slot = (_index_of(box.center_y, rows), _index_of(box.center_x, columns))
        members.setdefault(find(slot), []).append(box)
    lines: list[Line] = []
    for r, (top, bottom) in enumerate(zip(rows, rows[1:], strict=False)):
        regions = {find((r, c)) for c in range(len(columns) - 1)}
        if not regions & members.keys():
            continue
        band = [b for region in regions for b in members.get(region, [])]
        if all(region[0] == r for region in regions) and _is_several_rows(_text_lines(band), columns):
            # Column rules but no rules between body rows: each text line is a row.
            lines.extend(_row(page, text_line, columns, _line_top(text_line), _line_bottom(text_line))
                         for text_line in _text_lines(band))
            continue
        cells = []
        for c, (left, right) in enumerate(zip(columns, columns[1:], strict=False)):
            region = find((r, c))
            if region != (r, c):
                # Covered by a merged cell whose text sits in its first slot: known blank.
                cells.append(Cell(text="", page=page.number, bbox=page.bbox(left, top, right, bottom),
                                  confidence=1.0))
            elif region in members:
                cells.append(_filled_cell(page, members[region]))
            else:
                cells.append(_blank_cell(page, left, top, right, bottom))
        lines.append(Line(cells=cells, page=page.number, is_row=True))
    return lines


def _is_several_rows(text_lines: list[list[TextBox]], columns: list[float]) -> bool:
    """A band whose text lines are rows: two or more lines fill two or more columns each, and most
    columns holding text hold it on several lines. A wrapped header (a few long names broken over lines
    beside one-line names) is one row."""
    if len(text_lines) < 2:
        return False
    filled = [{_index_of(b.center_x, columns) for b in line} for line in text_lines]
    if sum(len(columns_of_line) >= 2 for columns_of_line in filled) < 2:
        return False
    used = set().union(*filled)
    return sum(sum(c in f for f in filled) >= 2 for c in used) * 2 > len(used)


def _index_of(position: float, boundaries: list[float]) -> int:
    """The interval of sorted ``boundaries`` holding ``position`` (the first or last when outside)."""
    for index, end in enumerate(boundaries[1:-1]):
        if position < end:
            return index
    return len(boundaries) - 2


def _vertical_border_drawn(page: _Page, x: float, top: float, bottom: float) -> bool:
    reach = page.px(_RULE_MERGE_PT)
    margin = page.px(_CELL_MARGIN_PT)
    strip = page.vertical[int(top) + margin:int(bottom) - margin, max(0, int(x) - reach):int(x) + reach + 1]
    return strip.size > 0 and float(strip.any(axis=1).mean()) >= _BORDER_DRAWN_FRACTION


def _horizontal_border_drawn(page: _Page, y: float, left: float, right: float) -> bool:
    reach = page.px(_RULE_MERGE_PT)
    margin = page.px(_CELL_MARGIN_PT)
    strip = page.horizontal[max(0, int(y) - reach):int(y) + reach + 1, int(left) + margin:int(right) - margin]
    return strip.size > 0 and float(strip.any(axis=0).mean()) >= _BORDER_DRAWN_FRACTION


def _row(page: _Page, boxes: list[TextBox], columns: list[float], top: float, bottom: float) -> Line:
    cells = []
    for index, (left, right) in enumerate(zip(columns, columns[1:], strict=False)):
        members = [b for b in boxes if _index_of(b.center_x, columns) == index]
        if members:
            cells.append(_filled_cell(page, members))
        else:
            cells.append(_blank_cell(page, left, top, right, bottom))
    return Line(cells=cells, page=page.number, is_row=True)


def _filled_cell(page: _Page, boxes: list[TextBox]) -> Cell:
    text = ""
    for line in _text_lines(boxes):
        for index, box in enumerate(line):
            if not text:
                text = box.text
            elif index > 0:
                # Boxes of one printed line: a visible space stays a space.
                text += (" " if box.x0 - line[index - 1].x1 > box.height / 2 else "") + box.text
            else:
                # A wrapped cell: Chinese continues without a space, Latin words and numbers keep one.
                text += ("" if _CJK.match(text[-1]) or _CJK.match(box.text[0]) else " ") + box.text
    return Cell(
        text=text,
        page=page.number,
        bbox=page.bbox(min(b.x0 for b in boxes), min(b.top for b in boxes),
                       max(b.x1 for b in boxes), max(b.bottom for b in boxes)),
        confidence=round(min(b.confidence for b in boxes), 4),
    )


def _blank_cell(page: _Page, left: float, top: float, right: float, bottom: float) -> Cell:
    margin = page.px(_CELL_MARGIN_PT)
    area = page.ink[int(top) + margin:int(bottom) - margin, int(left) + margin:int(right) - margin]
    missed = area.size > 0 and float(area.mean()) > _BLANK_INK_FRACTION
    return Cell(text="", page=page.number, bbox=page.bbox(left, top, right, bottom),
                confidence=0.0 if missed else 1.0)


def _text_lines(boxes: list[TextBox]) -> list[list[TextBox]]:
    """Boxes grouped into printed lines (vertical overlap of at least half the smaller box), top down."""
    lines: list[list[TextBox]] = []
    for box in sorted(boxes, key=lambda b: b.center_y):
        if lines:
            last = lines[-1]
            overlap = min(box.bottom, _line_bottom(last)) - max(box.top, _line_top(last))
            if overlap >= 0.5 * min(box.height, _line_bottom(last) - _line_top(last)):
                last.append(box)
                continue
        lines.append([box])
    return [sorted(line, key=lambda b: b.x0) for line in lines]


def _line_top(line: list[TextBox]) -> float:
    return min(b.top for b in line)


def _line_bottom(line: list[TextBox]) -> float:
    return max(b.bottom for b in line)


def _segments_of(line: list[TextBox], gap: float) -> list[list[TextBox]]:
    """A printed line split where the space between boxes is wide enough to separate columns."""
    segments = [[line[0]]]
    for box in line[1:]:
        if box.x0 - max(b.x1 for b in segments[-1]) > gap:
            segments.append([box])
        else:
            segments[-1].append(box)
    return segments


def _gap_columns(lines: list[list[TextBox]], left: float, right: float) -> list[float]:
    """Column boundaries of an unruled block: x-gaps that (nearly) every line leaves empty.

    A header spanning several columns may bridge a gap in one line; a gap still counts when at most a
    tenth of the lines cross it.
    """
    width = int(right - left) + 1
    crossing = np.zeros(width, dtype=np.int32)
    for line in lines:
        covered = np.zeros(width, dtype=bool)
        for box in line:
            covered[max(0, int(box.x0 - left)):max(0, int(box.x1 - left)) + 1] = True
        crossing += covered
    open_x = crossing <= len(lines) // 10
    heights = [b.height for line in lines for b in line]
    min_gap = _SEGMENT_GAP_LINE_HEIGHTS * median(heights) / 2 if heights else 1
    boundaries = [left]
    start = None
    for x in range(width):
        if open_x[x] and start is None:
            start = x
        elif not open_x[x] and start is not None:
            if x - start >= min_gap and start > 0:
                boundaries.append(left + (start + x) / 2)
            start = None
    boundaries.append(right)
    return boundaries


def _free_text(page: _Page, boxes: list[TextBox]) -> list[tuple[float, list[Line]]]:
    """Text outside ruled tables: unruled table blocks (two or more consecutive multi-segment lines)
    become rows; every other segment is a line of running text."""
    if not boxes:
        return []
    gap = _SEGMENT_GAP_LINE_HEIGHTS * median(b.height for b in boxes)
    blocks: list[tuple[float, list[Line]]] = []
    pending: list[list[TextBox]] = []

    def flush() -> None:
        if len(pending) >= 2:
            left = min(b.x0 for line in pending for b in line)
            right = max(b.x1 for line in pending for b in line)
            columns = _gap_columns(pending, left, right)
            rows = [_row(page, line, columns, _line_top(line), _line_bottom(line)) for line in pending]
            blocks.append((_line_top(pending[0]), rows))
        else:
            for line in pending:
                blocks.extend(_running_text(page, segment) for segment in _segments_of(line, gap))
        pending.clear()

    for line in _text_lines(boxes):
        if len(_segments_of(line, gap)) >= 2:
            pending.append(line)
            continue
        flush()
        blocks.append(_running_text(page, line))
    flush()
    return blocks


def _running_text(page: _Page, boxes: list[TextBox]) -> tuple[float, list[Line]]:
    return _line_top(boxes), [Line(cells=[_filled_cell(page, boxes)], page=page.number, is_row=False)]

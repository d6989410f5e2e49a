"""Page geometry from PDFium: characters and ruling edges, in pdfplumber's coordinates and shapes.

pdfplumber's own parse (pdfminer, pure Python) costs ~30 ms a page, nearly all of a naive
``extract_tables()``; PDFium reads the same page in ~1 ms. So pages are parsed with PDFium and the
results are handed to pdfplumber's algorithms (word building, edge merging, table finding) as the
dicts those algorithms expect: characters with ``text, x0, x1, top, bottom, upright, size``, and edges
with ``orientation, x0, x1, top, bottom``. Coordinates are PDF points with the origin at the top left
of the media box, as pdfplumber has them, so a bbox means the same thing whichever library made it.

PDFium's text layer silently leaves out a text object whose glyphs have no outline: a character in a
font the PDF does not embed, on a machine with no installed font that can stand in for it (a CJK
``STSong-Light`` without any CJK font installed). A lone character then vanishes (the ``算`` wrapped
under ``一般公共预`` in a header cell). Such objects are noted in ``PageGeometry.lost_text`` and
``restore_lost_text`` takes their characters from pdfminer's parse of the page, which reads the font's
CMap and widths from the PDF itself and so does not depend on installed fonts.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from extractors.model import BBox, DocumentError

# A path segment whose ends differ by less than this across its direction is a ruling (points).
RULING_SLOPE_TOLERANCE = 0.5
# Shorter segments are glyph or hatching details, not table rulings (points).
RULING_MIN_LENGTH = 2.0
# A path painted in a colour whose every channel is at least this (0..255) is white on white paper.
INVISIBLE_WHITE = 250
# PDFium's text layer drops a text object narrower than this (its ``kSizeEpsilon``, points): the
# object's glyphs have empty boxes because no font could draw them.
LOST_TEXT_MAX_WIDTH = 1e-4
# A restored character starts this close (points) to where PDFium placed the lost object's origin.
LOST_TEXT_MATCH_TOLERANCE = 1.0

# The keys of a character dict that the layout and pdfplumber's algorithms read.
_CHAR_KEYS = ("text", "x0", "x1", "top", "bottom", "doctop", "width", "height", "size")


@dataclass(frozen=True)
class _Frame:
    """PDF user space -> the page as displayed (its /Rotate applied), origin top left: a landscape table
    printed on a portrait page turned by /Rotate reads left to right only in the displayed frame, as
    pdfplumber (pdfminer) and any renderer show it."""

    left: float
    top: float
    width: float  # of the media box, unrotated
    height: float
    rotation: int  # degrees clockwise, 0/90/180/270

    @property
    def size(self) -> tuple[float, float]:
        return (self.height, self.width) if self.rotation in (90, 270) else (self.width, self.height)

    def point(self, x: float, y: float) -> tuple[float, float]:
        u, v = x - self.left, self.top - y
        if self.rotation == 90:
            return self.height - v, u
        if self.rotation == 180:
            return self.width - u, self.height - v
        if self.rotation == 270:
            return v, self.width - u
        return u, v


@dataclass
class PageGeometry:
    """What the layout needs of one page; quacks enough like ``pdfplumber.Page`` for ``TableFinder``."""

    page_number: int  # 1-based
    width: float
    height: float
    chars: list[dict] = field(default_factory=list)
    edges: list[dict] = field(default_factory=list)
    # Origins (x, baseline) of text objects PDFium's text layer left out (see the module docstring).
    lost_text: list[tuple[float, float]] = field(default_factory=list)
    # Whether the text layer holds anything but whitespace (a scan has none: OCR reads it instead).
    has_text: bool = False

    @property
    def bbox(self) -> BBox:
        return (0.0, 0.0, self.width, self.height)

    def extract_words(self, **settings) -> list[dict]:
        from pdfplumber.utils.text import WordExtractor

        return WordExtractor(**settings).extract_words(self.chars)


def page_geometry(page: pdfium.PdfPage, page_number: int, with_edges: bool = True,
                  max_chars: int | None = None) -> PageGeometry:
    """``DocumentError('too_many_cells')`` when the page draws more than ``max_chars`` characters: a
    character grid, not a table (laying it out would take minutes and find nothing)."""
    left, bottom, right, top = page.get_mediabox()
    frame = _Frame(left, top, right - left, top - bottom, page.get_rotation() % 360)
    geometry = PageGeometry(page_number, *frame.size)
    textpage = page.get_textpage()
    try:
        count = pdfium_c.FPDFText_CountChars(textpage.raw)
        if max_chars is not None and count > max_chars:
            raise DocumentError("too_many_cells", f"page {page_number} draws {count:,} characters, more "
                                f"than the limit of {max_chars:,} a page (BUDGETWH_MAX_CHARS_PER_PAGE)")
        geometry.chars, geometry.has_text = _chars(textpage, frame)
    finally:
        textpage.close()
    edges, geometry.lost_text = _page_objects(page, frame)
    if with_edges:
        geometry.edges = edges
    return geometry


def drop_off_page_text(geometry: PageGeometry) -> int:
    """Remove the characters drawn outside the page (江苏 人大 2017 p.11 prints a second copy of a table
    below the page's bottom edge: no viewer shows it, the page after prints it). Returns how many."""
    def visible(c: dict) -> bool:
        x, y = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
        return 0 <= x <= geometry.width and 0 <= y <= geometry.height

    kept = [c for c in geometry.chars if visible(c)]
    dropped = len(geometry.chars) - len(kept)
    geometry.chars = kept
    return dropped


def restore_lost_text(geometry: PageGeometry, parsed_chars: list[dict]) -> None:
    """Add to ``geometry.chars`` the characters of its lost text objects, taken from pdfplumber's
    ``page.chars`` of the same page (same coordinates, /Rotate applied in both): each printed character
    that starts at a lost object's origin and that PDFium did not already give."""
    tolerance = LOST_TEXT_MATCH_TOLERANCE
    for c in parsed_chars:
        if c["text"].isspace() or not any(
            abs(c["x0"] - x) <= tolerance and c["top"] - tolerance <= y <= c["bottom"] + tolerance
            for x, y in geometry.lost_text
        ):
            continue
        middle_x, middle_y = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
        if any(k["text"] == c["text"] and k["x0"] <= middle_x <= k["x1"]
               and k["top"] <= middle_y <= k["bottom"] for k in geometry.chars):
            continue
        geometry.chars.append({key: c[key] for key in _CHAR_KEYS} | {"upright": True})


def _chars(textpage: pdfium.PdfTextPage, frame: _Frame) -> tuple[list[dict], bool]:
    """The characters the page draws, and whether it draws any text at all (unmapped glyphs included)."""
    raw = textpage.raw
    box = pdfium_c.FS_RECTF()
    chars = []
    has_text = False
    for i in range(pdfium_c.FPDFText_CountChars(raw)):
        # PDFium inserts spaces and line breaks of its own; only what the page draws is kept.
        if pdfium_c.FPDFText_IsGenerated(raw, i) == 1:
            continue
        code = pdfium_c.FPDFText_GetUnicode(raw, i)
        text = chr(code)
        has_text = has_text or not text.isspace()
        if code in (0, 0xFFFE, 0xFFFF) or code < 0x20:
            continue
        if not pdfium_c.FPDFText_GetLooseCharBox(raw, i, box):
            continue
        corners = (frame.point(box.left, box.top), frame.point(box.right, box.bottom))
        x0, x1 = sorted(c[0] for c in corners)
        char_top, char_bottom = sorted(c[1] for c in corners)
        chars.append({
            "text": text,
            "x0": x0,
            "x1": x1,
            "top": char_top,
            "bottom": char_bottom,
            "doctop": char_top,
            "width": x1 - x0,
            "height": char_bottom - char_top,
            "upright": True,
            "size": pdfium_c.FPDFText_GetFontSize(raw, i),
        })
    return chars, has_text


def _page_objects(page: pdfium.PdfPage, frame: _Frame) -> tuple[list[dict], list[tuple[float, float]]]:
    """The page's ruling edges, and the origins of text objects PDFium's text layer leaves out."""
    edges: list[dict] = []
    lost: list[tuple[float, float]] = []
    identity = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    raw_page = page.raw
    for i in range(pdfium_c.FPDFPage_CountObjects(raw_page)):
        _collect_objects(pdfium_c.FPDFPage_GetObject(raw_page, i), identity, frame, edges, lost)
    return edges, lost


def _compose(inner: tuple, outer: tuple) -> tuple:
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _matrix(obj) -> tuple:
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, m):
        return (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _collect_objects(obj, parent: tuple, frame: _Frame, edges: list[dict],
                     lost: list[tuple[float, float]]) -> None:
    kind = pdfium_c.FPDFPageObj_GetType(obj)
    if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
        matrix = _compose(_matrix(obj), parent)
        for i in range(pdfium_c.FPDFFormObj_CountObjects(obj)):
            _collect_objects(pdfium_c.FPDFFormObj_GetObject(obj, i), matrix, frame, edges, lost)
        return
    if kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
        origin = _lost_text_origin(obj, parent)
        if origin is not None:
            lost.append(frame.point(*origin))
        return
    if kind != pdfium_c.FPDF_PAGEOBJ_PATH or not _is_drawn(obj):
        return
    a, b, c, d, e, f = _compose(_matrix(obj), parent)
    start = previous = None
    x = ctypes.c_float()
    y = ctypes.c_float()
    for i in range(pdfium_c.FPDFPath_CountSegments(obj)):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj, i)
        pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
        point = frame.point(a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        if pdfium_c.FPDFPathSegment_GetType(segment) == pdfium_c.FPDF_SEGMENT_MOVETO:
            start = point
        elif previous is not None:
            _add_edge(previous, point, edges)
        if pdfium_c.FPDFPathSegment_GetClose(segment) and start is not None:
            _add_edge(point, start, edges)
        previous = point


def _lost_text_origin(obj, parent: tuple) -> tuple[float, float] | None:
    """Where a text object that PDFium's text layer drops sits (PDF user space), else ``None``: only
    objects in a font the file does not embed, since an embedded font draws whatever it holds."""
    x0, y0, x1, y1 = (ctypes.c_float() for _ in range(4))
    if not pdfium_c.FPDFPageObj_GetBounds(obj, x0, y0, x1, y1) or x1.value - x0.value >= LOST_TEXT_MAX_WIDTH:
        return None
    if pdfium_c.FPDFFont_GetIsEmbedded(pdfium_c.FPDFTextObj_GetFont(obj)) != 0:
        return None
    a, b, c, d, e, f = parent
    return (a * x0.value + c * y0.value + e, b * x0.value + d * y0.value + f)


def _is_drawn(obj) -> bool:
    """Whether a path puts ink on the page: stroked or filled in a colour that shows. A white fill is a
    cell's background, not a ruling (Jiangsu's 检察院 2018 paints each class line's amount cell with a
    white box inset from its borders; its edges split the row in two)."""
    fill_mode = ctypes.c_int()
    stroke = ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(obj, fill_mode, stroke):
        return True
    stroked = bool(stroke.value) and _shows(pdfium_c.FPDFPageObj_GetStrokeColor, obj)
    filled = fill_mode.value != pdfium_c.FPDF_FILLMODE_NONE and _shows(pdfium_c.FPDFPageObj_GetFillColor, obj)
    return stroked or filled


def _shows(get_colour, obj) -> bool:
    """A colour that is neither transparent nor white (the paper); unknown colours show."""
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    if not get_colour(obj, r, g, b, a):
        return True
    return a.value > 0 and min(r.value, g.value, b.value) < INVISIBLE_WHITE


def _add_edge(p: tuple[float, float], q: tuple[float, float], edges: list[dict]) -> None:
    (x0, y0), (x1, y1) = p, q
    if abs(y0 - y1) <= RULING_SLOPE_TOLERANCE and abs(x1 - x0) >= RULING_MIN_LENGTH:
        lo, hi = sorted((x0, x1))
        edges.append({"orientation": "h", "x0": lo, "x1": hi, "top": y0, "bottom": y0,
                      "width": hi - lo, "height": 0.0, "object_type": "line"})
    elif abs(x0 - x1) <= RULING_SLOPE_TOLERANCE and abs(y1 - y0) >= RULING_MIN_LENGTH:
        lo, hi = sorted((y0, y1))
        edges.append({"orientation": "v", "x0": x0, "x1": x0, "top": lo, "bottom": hi,
                      "width": 0.0, "height": hi - lo, "object_type": "line"})

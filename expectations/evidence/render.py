"""Page images of findings: crops with the checked total and its parts boxed, and annotated PDFs.

Pages are rendered from the archived PDF with PDFium (pypdfium2) at ``SCALE`` pixels per PDF point; a
staged bbox (PDF points from the page's top left, as pdfplumber measures) is boxed at bbox × SCALE, in
the crop at that minus the crop's origin. The total is boxed in one colour, its parts in another, the
part the hint names as the likely slip in a third, and the difference is written beside the total.
Only the pages of failing places are rendered, each once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from expectations.evidence.locate import PART, SUSPECT, TOTAL, Box, Finding

SCALE = 2.0  # pixels per PDF point in crops (144 dpi)
MAX_CROP_PAGES = 3  # pages cropped per finding (``crop_pages``)
ANNOTATED_SCALE = SCALE  # the crops' renders serve the annotated pages too
CROP_MARGIN = 28.0  # PDF points around the boxes and the table's amounts
LABEL_ROOM = 320.0  # PDF points left of the table's first amount: its codes and line names
COLOURS = {TOTAL: (214, 39, 40), PART: (31, 119, 180), SUSPECT: (255, 127, 14)}  # red, blue, orange
LINE_WIDTH = 3
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
)


@dataclass
class Crop:
    """A crop of one page: its PNG, and where it sits on the page (PDF points)."""

    page: int
    path: Path
    left: float
    top: float
    scale: float
    boxes: list[Box]


@lru_cache(maxsize=4)
def _font(size: int):
    from PIL import ImageFont

    for candidate in FONT_CANDIDATES:
        if Path(candidate).exists():
            return ImageFont.truetype(candidate, size)
    return ImageFont.load_default(size=size)


class PageRenderer:
    """Renders a PDF's pages on demand, each at most once per scale."""

    def __init__(self, pdf_path: Path):
        import pypdfium2

        self._pdf = pypdfium2.PdfDocument(str(pdf_path))
        self._pages: dict[tuple[int, float], object] = {}

    def close(self) -> None:
        self._pdf.close()

    def page_count(self) -> int:
        return len(self._pdf)

    def image(self, page: int, scale: float):
        key = (page, scale)
        if key not in self._pages:
            self._pages[key] = self._pdf[page - 1].render(scale=scale).to_pil().convert("RGB")
        return self._pages[key]


def crop_pages(finding: Finding) -> list[int]:
    """The pages a finding is cropped on, at most ``MAX_CROP_PAGES``: the printed total's, then the
    likely slip's, then those holding most of its parts (a total whose parts a misread table spreads
    over thirty pages is shown where it is printed; the annotated PDF has every page)."""
    boxes = [b for b in finding.boxes if b.bbox is not None and b.page]
    count = {p: sum(1 for b in boxes if b.page == p) for p in {b.page or 0 for b in boxes}}
    rank = {TOTAL: 0, SUSPECT: 1, PART: 2}

    def priority(page: int) -> tuple[int, int, int]:
        return (min(rank.get(b.role, 2) for b in boxes if b.page == page), -count[page], page)

    return sorted(sorted(count, key=priority)[:MAX_CROP_PAGES])


def crops_for(finding: Finding, renderer: PageRenderer, out_dir: Path) -> list[Crop]:
    """One crop per page of ``crop_pages``: the page's full width (the line labels and column headings
    nearby stay readable), from above the highest box to below the lowest, with the note (printed, sum,
    difference) and the colours' legend in a strip under it, never over the page."""
    from PIL import Image, ImageDraw

    crops = []
    for page in crop_pages(finding):
        if not 1 <= page <= renderer.page_count():
            continue
        boxes = [b for b in finding.boxes if b.page == page and b.bbox is not None]
        image = renderer.image(page, SCALE)
        top = int(max(0.0, min(_bbox(b)[1] for b in boxes) - CROP_MARGIN) * SCALE)
        bottom = int(min(image.height / SCALE, max(_bbox(b)[3] for b in boxes) + CROP_MARGIN) * SCALE)
        # the table's amounts end at its right edge; its line labels (not cells) are left of them
        x0, x1 = finding.extent.get(page, (0.0, image.width / SCALE))
        left = int(max(0.0, min(x0, *(_bbox(b)[0] for b in boxes)) - LABEL_ROOM) * SCALE)
        right = int(min(image.width / SCALE, max(x1, *(_bbox(b)[2] for b in boxes)) + CROP_MARGIN) * SCALE)
        lines = [f"#{finding.number} {finding.rule_id}: {_difference_note(finding)}", LEGEND]
        font = _font(NOTE_SIZE)
        strip = (NOTE_SIZE + 8) * len(lines) + 8
        font_width = max(int(ImageDraw.Draw(image).textlength(line, font=font)) for line in lines) + 16
        crop = Image.new("RGB", (max(right - left, font_width), bottom - top + strip), "white")
        crop.paste(image.crop((left, top, right, bottom)), (0, 0))
        draw = ImageDraw.Draw(crop)
        _draw_boxes(draw, boxes, SCALE, top / SCALE, left / SCALE)
        for i, line in enumerate(lines):
            draw.text(
                (8, bottom - top + 8 + i * (NOTE_SIZE + 8)),
                line,
                font=font,
                fill=COLOURS[TOTAL] if i == 0 else (60, 60, 60),
            )
        path = out_dir / f"{finding.document_id}-{finding.key}-p{page}.png"
        crop.save(path, compress_level=1)
        crops.append(Crop(page, path, left / SCALE, top / SCALE, SCALE, boxes))
    return crops


def annotated_pdf(findings: Iterable[Finding], renderer: PageRenderer, out: Path) -> Path | None:
    """Every page with a boxed finding, its boxes drawn, each total numbered, and the numbered notes in a
    panel to the right of the page; one PDF."""
    from PIL import Image, ImageDraw

    by_page: dict[int, list[Finding]] = {}
    for f in findings:
        for page in sorted({b.page for b in f.boxes if b.bbox is not None and b.page}):
            by_page.setdefault(page, []).append(f)
    font = _font(NOTE_SIZE)
    pages = []
    for page, on_page in sorted(by_page.items()):
        if not 1 <= page <= renderer.page_count():
            continue
        image = renderer.image(page, ANNOTATED_SCALE)
        sheet = Image.new("RGB", (int(image.width * 1.6), image.height), "white")
        sheet.paste(image, (0, 0))
        draw = ImageDraw.Draw(sheet)
        y = 16
        for f in on_page:
            boxes = [b for b in f.boxes if b.page == page and b.bbox is not None]
            _draw_boxes(draw, boxes, ANNOTATED_SCALE, 0.0, 0.0)
            anchor = next((b for b in boxes if b.role == TOTAL), boxes[0])
            number = f"#{f.number}"
            x = max(0.0, _bbox(anchor)[0] * ANNOTATED_SCALE - draw.textlength(number, font=font) - 8)
            draw.text((x, _bbox(anchor)[1] * ANNOTATED_SCALE), number, font=font, fill=COLOURS[TOTAL])
            for line in _wrap(
                draw,
                f"{number} {f.rule_id}: {f.message}" + (f" Hint: {f.hint}" if f.hint else ""),
                font,
                sheet.width - image.width - 24,
            ):
                draw.text((image.width + 12, y), line, font=font, fill=(40, 40, 40))
                y += NOTE_SIZE + 6
            y += NOTE_SIZE
        pages.append(sheet)
    if not pages:
        return None
    pages[0].save(out, "PDF", resolution=72 * ANNOTATED_SCALE, save_all=True, append_images=pages[1:])
    return out


LEGEND = (
    "red: the printed total checked · blue: its parts · orange: the part the hint names as the likely slip"
)
NOTE_SIZE = 18


def _difference_note(f: Finding) -> str:
    return f"printed {f.actual}, parts sum to {f.expected}, difference {f.difference}"


def _draw_boxes(draw, boxes: list[Box], scale: float, top: float, left: float) -> None:
    """Each box on its cell's edges, just inside them (neighbouring cells' boxes do not overlap); ``top``
    and ``left``: the image's origin on the page, in PDF points."""
    for box in boxes:
        x0, y0, x1, y1 = _bbox(box)
        rect = [
            round((x0 - left) * scale) + 1,
            round((y0 - top) * scale) + 1,
            round((x1 - left) * scale) - 2,
            round((y1 - top) * scale) - 2,
        ]
        draw.rectangle(rect, outline=COLOURS[box.role], width=LINE_WIDTH)


def _bbox(box: Box) -> tuple[float, float, float, float]:
    assert box.bbox is not None, "only boxes with a bbox (a PDF cell) are drawn"
    return box.bbox


def _wrap(draw, text: str, font, width: float) -> list[str]:
    """Lines of at most ``width`` pixels, a character's width measured once (a line measured again at
    every character cost half the site's time)."""
    lines, line, used = [], "", 0.0
    for char in text:
        wide = _char_width(font, char)
        if used + wide > width and line:
            lines.append(line)
            line, used = "", 0.0
        line, used = line + char, used + wide
    return [*lines, line] if line else lines


@lru_cache(maxsize=8192)
def _char_width(font, char: str) -> float:
    return font.getlength(char)

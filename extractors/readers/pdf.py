"""Reader for text PDFs: the document's lines in reading order, table rows split into cells.

Pages are parsed with PDFium (``pdf_geometry``) and laid out with pdfplumber's table finder plus a
whitespace-column reader for unruled tables (``pdf_layout``). Every cell carries its page and bbox
(points, origin top-left), so each staged amount traces back to where it is printed.

Pages without a text layer (scans) are read by OCR (``extractors.readers.ocr``), only those pages,
and merged in page order with the others; they are listed in ``metadata['pages_without_text']`` and
their cells carry an OCR confidence. More scanned pages than the OCR page budget are refused.

Bad files are rejected with a ``DocumentError`` whose code says what is wrong: ``corrupt_pdf``
(unparseable or truncated), ``encrypted_pdf`` (needs a password), ``empty_document`` (no pages),
``scanned_no_text`` (no text layer and OCR found no text either), ``too_large`` (too many scanned
pages to OCR), ``too_many_pages`` and ``too_many_cells`` (over ``ExtractionLimits``). Blank pages
(no text, no ink) are never OCRed; a PDF of blank pages only is ``empty_document``.

``read_many`` reads documents in parallel processes; ``join_documents`` merges a disclosure published
as two files (Beijing's 附件1 narrative + 附件2 tables) into one document.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack, nullcontext
from dataclasses import replace
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from extractors.model import Cell, DocumentError, Line, SourceDocument, sha256_of
from extractors.orchestration_config import extraction_limits
from extractors.readers.pdf_geometry import drop_off_page_text, page_geometry, restore_lost_text
from extractors.readers.pdf_layout import page_lines
from extractors.workers import note_pages

# A complete PDF ends with %%EOF (possibly followed by a little whitespace or junk); PDFium quietly
# rebuilds a truncated file from what is left, which would stage a document with pages missing.
EOF_MARKER = b"%%EOF"
EOF_SEARCH_BYTES = 2048
# A textless page is rendered this coarsely to see whether it draws anything at all (dots per inch),
# and a grey level (0 black .. 255 white) darker than this counts as ink.
BLANK_CHECK_DPI = 12
BLANK_INK_LEVEL = 245

_OPEN_ERRORS = {
    pdfium_c.FPDF_ERR_PASSWORD: ("encrypted_pdf", "is encrypted and needs a password to open"),
    pdfium_c.FPDF_ERR_SECURITY: ("encrypted_pdf", "uses an unsupported security handler"),
    pdfium_c.FPDF_ERR_FORMAT: ("corrupt_pdf", "is not a valid PDF (unreadable structure)"),
    pdfium_c.FPDF_ERR_FILE: ("corrupt_pdf", "could not be read"),
}


def read(path: Path) -> SourceDocument:
    path = Path(path)
    limits = extraction_limits()
    pdf = _open(path)
    # pdfminer's parse, opened only for a page whose text PDFium partly lost (pdf_geometry).
    second_parser = None
    blank: list[int] = []
    off_page: dict[int, int] = {}  # page → characters drawn outside it, not read
    try:
        page_count = len(pdf)
        if page_count == 0:
            raise DocumentError("empty_document", f"{path.name}: the PDF has no pages")
        if page_count > limits.max_pages:
            raise DocumentError("too_many_pages", f"{path.name}: {page_count:,} pages, more than the "
                                f"limit of {limits.max_pages:,} (BUDGETWH_MAX_PAGES)")
        note_pages(page_count)
        by_page: dict[int, list[Line]] = {}
        with ExitStack() as stack:
            for index in range(page_count):
                page = _page(pdf, index, path)
                try:
                    try:
                        geometry = page_geometry(page, index + 1, max_chars=limits.max_chars_per_page)
                    except DocumentError as exc:
                        raise DocumentError(exc.code, f"{path.name}: {exc.message}") from exc
                    if not geometry.has_text:
                        if _is_blank(page):
                            blank.append(index + 1)
                        continue
                    if geometry.lost_text:
                        if second_parser is None:
                            import pdfplumber

                            second_parser = stack.enter_context(pdfplumber.open(path))
                        restore_lost_text(geometry, second_parser.pages[index].chars)
                    dropped = drop_off_page_text(geometry)
                    if dropped:
                        off_page[index + 1] = dropped
                    by_page[index + 1] = page_lines(geometry)
                finally:
                    page.close()
    finally:
        pdf.close()
    if len(blank) == page_count:
        raise DocumentError("empty_document", f"{path.name}: none of its {page_count} pages draws anything")
    without_text = [n for n in range(1, page_count + 1) if n not in by_page and n not in blank]
    metadata = {"blank_pages": ",".join(map(str, blank))} if blank else {}
    if off_page:
        metadata["off_page_text"] = ", ".join(f"p.{n}: {k} characters" for n, k in off_page.items())
    if without_text:
        from extractors.readers import ocr  # OpenCV and the OCR models load only for scans

        note_pages(page_count, ocr_pages=len(without_text))
        scanned = ocr.ocr_pages(path, without_text)
        if not by_page and not scanned:
            raise DocumentError(
                "scanned_no_text",
                f"{path.name}: none of its {page_count} pages has a text layer and OCR found no text on them",
            )
        for line in scanned:
            assert line.page is not None, "OCR lines carry their page"
            by_page.setdefault(line.page, []).append(line)
        metadata |= {
            "pages_without_text": ",".join(map(str, without_text)),
            "ocr_pages": str(len(without_text)),
            "low_confidence_cells": str(ocr.low_confidence_count(scanned)),
        }
    lines = [line for number in sorted(by_page) for line in by_page[number]]
    return SourceDocument(path=path, sha256=sha256_of(path), file_type="pdf", lines=lines,
                          page_count=page_count, metadata=metadata)


def _is_blank(page: pdfium.PdfPage) -> bool:
    """A page without a text layer that draws nothing: no objects, or no ink on a thumbnail (a few ms,
    against seconds of OCR). Such pages are not OCRed."""
    if pdfium_c.FPDFPage_CountObjects(page.raw) == 0:
        return True
    thumbnail = page.render(scale=BLANK_CHECK_DPI / 72, grayscale=True).to_numpy()
    return bool(thumbnail.min() >= BLANK_INK_LEVEL)


def _open(path: Path) -> pdfium.PdfDocument:
    with open(path, "rb") as f:
        head = f.read(1024)
        f.seek(0, os.SEEK_END)
        size = f.tell()
        f.seek(max(0, size - EOF_SEARCH_BYTES))
        tail = f.read()
    if size == 0:
        raise DocumentError("empty_document", f"{path.name}: the file is empty (0 bytes)")
    if b"%PDF-" not in head:
        raise DocumentError("corrupt_pdf", f"{path.name}: no %PDF- header; not a PDF file")
    if EOF_MARKER not in tail:
        raise DocumentError(
            "corrupt_pdf", f"{path.name}: ends without %%EOF after {size} bytes; the file is truncated"
        )
    try:
        return pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        # PDFium leaves its last error code unset (stale from an earlier file) for a PDF without pages.
        if _pdfminer_page_count(path) == 0:
            raise DocumentError("empty_document", f"{path.name}: the PDF has no pages") from exc
        code, what = _OPEN_ERRORS.get(exc.err_code, ("corrupt_pdf", f"could not be opened ({exc})"))
        raise DocumentError(code, f"{path.name} {what}") from exc


def _pdfminer_page_count(path: Path) -> int | None:
    """A second opinion on a file PDFium refuses: PDFium fails to load a well-formed PDF with no pages,
    pdfminer reads it and counts zero. ``None`` when pdfminer cannot read it either."""
    import pdfplumber

    try:
        with pdfplumber.open(path) as pdf:
            return len(pdf.pages)
    except Exception:  # any failure of the second parser just means: no second opinion
        return None


def _page(pdf: pdfium.PdfDocument, index: int, path: Path) -> pdfium.PdfPage:
    try:
        return pdf[index]
    except pdfium.PdfiumError as exc:
        raise DocumentError("corrupt_pdf", f"{path.name}: page {index + 1} cannot be loaded ({exc})") from exc


def _read_or_error(path: Path) -> SourceDocument | tuple[str, str]:
    # DocumentError does not survive pickling (its __init__ takes two arguments), so a worker returns
    # its code and message and the parent rebuilds it.
    try:
        return read(path)
    except DocumentError as exc:
        return exc.code, exc.message


def read_many(paths: Sequence[Path], workers: int | None = None) -> Iterator[SourceDocument | DocumentError]:
    """Read documents in ``workers`` processes; yields, in input order, a document or its error."""
    workers = workers or min(len(paths), os.cpu_count() or 1) or 1
    with ProcessPoolExecutor(max_workers=workers) if workers > 1 else nullcontext() as pool:
        results = pool.map(_read_or_error, paths) if pool else map(_read_or_error, paths)
        for result in results:
            yield result if isinstance(result, SourceDocument) else DocumentError(*result)


def join_documents(parts: Sequence[SourceDocument]) -> SourceDocument:
    """One disclosure published as several files (narrative, then tables) read as one document.

    Lines follow in the order given; page numbers continue across parts (part 2's page 1 becomes page
    ``pages of part 1 + 1``) so provenance stays unambiguous, and ``metadata['parts']`` lists each part's
    file, hash and first page. The joined document is keyed by the first part's hash: re-running on the
    same files gives the same document.
    """
    if not parts:
        raise ValueError("join_documents needs at least one document")
    offset = 0
    lines: list[Line] = []
    described = []
    for part in parts:
        described.append(f"{part.path.name}|{part.sha256}|{offset + 1}")
        for line in part.lines:
            cells = [_shift(c, offset) for c in line.cells]
            lines.append(Line(cells, None if line.page is None else line.page + offset, line.is_row))
        offset += part.page_count or 0
    first = parts[0]
    return SourceDocument(path=first.path, sha256=first.sha256, file_type=first.file_type, lines=lines,
                          page_count=offset, source_url=first.source_url,
                          metadata={**first.metadata, "parts": ";".join(described)})


def _shift(cell: Cell, offset: int) -> Cell:
    return cell if cell.page is None else replace(cell, page=cell.page + offset)

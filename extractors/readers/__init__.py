"""Readers turn one published file into a ``SourceDocument`` (see ``extractors.model``).

Each format has one module exposing ``read(path: Path) -> SourceDocument``. The registry maps a file
suffix to that function by dotted name, so a format's heavy dependencies (pdfplumber, openpyxl, lxml)
load only when a file of that format is read.

Readers that recognise text (OCR) give each cell a confidence; ``low_confidence_issues`` turns the
staged numeric cells read with too little of it into warnings, so no unsure figure is trusted silently.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from pathlib import Path

from extractors.model import DocumentError, Extraction, ExtractionIssue, SourceDocument

Reader = Callable[[Path], SourceDocument]

# Recognition confidence below which a cell is flagged for review. Calibrated on rasterised generator
# tables: every misread digit seen scored below it, correct cells almost always above 0.95.
LOW_CONFIDENCE_THRESHOLD = 0.90

READERS: dict[str, str] = {
    ".txt": "extractors.readers.text:read",
    ".pdf": "extractors.readers.pdf:read",
    ".xlsx": "extractors.readers.xlsx:read",
    ".xls": "extractors.readers.xlsx:read",
    ".html": "extractors.readers.html:read",
    ".htm": "extractors.readers.html:read",
    ".docx": "extractors.readers.docx:read",
    ".doc": "extractors.readers.docx:read_legacy_doc",
    ".png": "extractors.readers.ocr:read",
    ".jpg": "extractors.readers.ocr:read",
    ".jpeg": "extractors.readers.ocr:read",
}


def is_supported(path: Path) -> bool:
    return path.suffix.lower() in READERS


def reader_for(path: Path) -> Reader:
    """The ``read`` function for ``path``'s format; ``DocumentError('unsupported_format')`` otherwise."""
    target = READERS.get(path.suffix.lower())
    if target is None:
        supported = ", ".join(sorted(READERS))
        raise DocumentError(
            "unsupported_format", f"{path.name}: suffix {path.suffix or '(none)'!r} is not one of {supported}"
        )
    module_name, _, function_name = target.partition(":")
    try:
        module = import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        raise DocumentError(
            "unsupported_format", f"{path.name}: the reader for {path.suffix} files is not installed"
        ) from exc
    return getattr(module, function_name)


def low_confidence_issues(extraction: Extraction) -> list[ExtractionIssue]:
    """One warning per staged numeric cell read with confidence below ``LOW_CONFIDENCE_THRESHOLD``.

    Numeric: an amount was parsed, or the text has a digit (a misread figure that no longer parses), or
    the cell is blank (an unsure blank is ink OCR did not read, possibly a figure lost).
    """
    tables = {t.table_index: t for t in extraction.tables}
    issues = []
    for cell in extraction.cells:
        if cell.confidence is None or cell.confidence >= LOW_CONFIDENCE_THRESHOLD:
            continue
        text = cell.raw_text.strip()
        if cell.amount is None and text and not any(ch.isdigit() for ch in text):
            continue
        table = tables.get(cell.table_index)
        name = f"{table.label or table.table_index} '{table.title}'" if table else str(cell.table_index)
        issues.append(ExtractionIssue(
            cell.document_id,
            cell.table_index,
            "warning",
            "low_confidence_cell",
            f"table {name}, row {cell.row_index} ({cell.row_code or cell.row_name or '-'}), "
            f"column '{cell.column_label}', page {cell.page}: text '{text}' read with confidence "
            f"{cell.confidence:.2f} (below {LOW_CONFIDENCE_THRESHOLD:.2f}); check it against the scan",
        ))
    return issues

"""DOCX attachments: paragraphs and tables in the order the document shows them.

Paragraphs become running-text lines (titles, 单位 lines, narrative); each table row becomes a row of
cells, a cell merged across columns repeated in each column it covers (as the other readers spread
merged headers). Legacy binary ``.doc`` files are refused with a clear reason: no registry package
reads them without an office suite.
"""

from __future__ import annotations

from pathlib import Path

from extractors.model import Cell, DocumentError, Line, SourceDocument, sha256_of
from extractors.readers.xlsx import check_zip_limits

_PARAGRAPH = "p"
_TABLE = "tbl"


def read(path: Path) -> SourceDocument:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    path = Path(path)
    check_zip_limits(path)
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several types for a broken package
        reason = f"{path.name}: not a readable DOCX ({type(exc).__name__})"
        raise DocumentError("corrupt_docx", reason) from exc
    lines: list[Line] = []
    for child in document.element.body.iterchildren():
        kind = child.tag.rsplit("}", 1)[-1]
        if kind == _PARAGRAPH:
            text = Paragraph(child, document).text.strip()
            if text:
                lines.append(Line([Cell(text)], is_row=False))
        elif kind == _TABLE:
            for row in Table(child, document).rows:
                lines.append(Line([Cell(cell.text.strip()) for cell in row.cells]))
    if not lines:
        raise DocumentError("empty_document", f"{path.name}: the DOCX holds no text")
    return SourceDocument(path=path, sha256=sha256_of(path), file_type="docx", lines=lines)


def read_legacy_doc(path: Path) -> SourceDocument:
    raise DocumentError("unsupported_format", f"{Path(path).name}: a legacy binary .doc; publish or convert "
                        "it to .docx or PDF (no registry package reads .doc without an office suite)")

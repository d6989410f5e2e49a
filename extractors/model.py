"""The format-neutral intermediate every reader produces and the interpreter consumes.

A reader (text, PDF, XLSX, HTML, OCR) turns one published file into a ``SourceDocument``: the
document's lines in reading order, each line either running text (narrative, titles, notes) or a
table row split into cells. Each cell keeps where it came from (page and, for PDFs, the bounding
box). Everything after that (splitting into tables, typing them, reading headers and codes) is
shared by all formats in ``extractors.interpret``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

BBox = tuple[float, float, float, float]  # x0, top, x1, bottom in PDF points, origin top-left


@dataclass(frozen=True)
class Cell:
    text: str
    page: int | None = None
    bbox: BBox | None = None
    confidence: float | None = None  # OCR only: 0..1


@dataclass
class Line:
    """One line of a document: running text (one cell, ``is_row=False``) or a table row."""

    cells: list[Cell]
    page: int | None = None
    is_row: bool = True

    @property
    def text(self) -> str:
        return "\t".join(c.text for c in self.cells)


@dataclass
class SourceDocument:
    path: Path
    sha256: str
    file_type: str  # txt | pdf | xlsx | xls | html | docx
    lines: list[Line] = field(default_factory=list)
    page_count: int | None = None
    source_url: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)  # e.g. crawler's article metadata

    @property
    def document_id(self) -> str:
        return document_id_for(self.sha256)


def document_id_for(sha256: str) -> str:
    return sha256[:16]


def file_sha256(path: Path) -> str:
    """The hash a file's document is keyed by: its bytes; for a symbolic link (never followed: it may
    point anywhere, at a device that never ends) or an unreadable file, its path."""
    path = Path(path)
    if not path.is_symlink():
        try:
            return sha256_of(path)
        except OSError:
            pass
    return hashlib.sha256(str(path).encode(errors="surrogateescape")).hexdigest()


def document_key(path: Path) -> str:
    """The ``document_id`` extraction gives the file (see ``file_sha256``)."""
    return document_id_for(file_sha256(path))


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class DocumentError(Exception):
    """A document that cannot be read; recorded against it, the run goes on.

    ``code`` is a short stable key (``encrypted_pdf``, ``corrupt_pdf``, ``scanned_no_text``,
    ``empty_document``, ``unsupported_format``, ``not_a_disclosure``, ``too_large``, ``bad_encoding``,
    ``no_tables``, ``symlink``; from hostile workbooks ``unsafe_xml``, ``uncached_formulas``; past an
    extraction limit: ``too_many_pages``, ``too_many_cells``, and from the worker supervisor ``timeout``,
    ``memory``, ``worker_crashed``); the message says what was found, in words a user can act on.
    """

    def __init__(self, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message

    def __reduce__(self):  # picklable across worker processes despite the two-argument __init__
        return (type(self), (self.code, self.message))


# --- what the interpreter produces: rows of the staging tables (see extractors/load.py) ---


@dataclass
class StagedDocument:
    document_id: str
    sha256: str
    source_path: str
    source_url: str | None
    file_type: str | None  # None: a file name without an extension
    document_type: str | None  # budget | final_account
    fiscal_year: int | None
    province_name: str | None
    region_name: str | None
    department_name: str | None
    unit_code: str | None
    title: str | None
    page_count: int | None
    status: str = "loaded"  # loaded | rejected
    error_code: str | None = None
    error_message: str | None = None
    # numeric words on the pages holding recognised tables, as the reader saw them: the denominator of
    # extraction completeness (a row lost before staging still counts)
    numeric_cell_count: int | None = None
    # the publisher's date of the article carrying the file (发布日期, crawler metadata), ISO yyyy-mm-dd;
    # None for files given locally: what orders two versions of a document (marts.dim_document.is_current)
    published_date: str | None = None


@dataclass
class StagedTable:
    document_id: str
    table_index: int
    table_type: str | None  # CONTRACT table_type; None = not recognised (an extraction issue is recorded)
    title: str
    label: str | None  # as published: 表二, 附件 2, 表 12-3, 预算01表 ...
    unit_name: str | None  # as published: 万元, 元, 亿元
    page_first: int | None
    page_last: int | None
    project_code: str | None = None
    project_name: str | None = None
    is_empty: bool = False
    note: str | None = None
    header: list[list[str]] = field(default_factory=list)


@dataclass
class StagedCell:
    document_id: str
    table_index: int
    row_index: int
    col_index: int
    # total | subject | income_source | expenditure_class | project | unit | indicator | field |
    # procurement_* | other
    row_kind: str
    row_group: str | None  # income | expenditure (two-sided summary tables), else None
    row_code: str | None  # subject code, project code, income_source key, total key
    row_name: str | None  # the row's label as published
    column_label: str  # header path as published, joined with " / "
    measure: str | None  # canonical key (see extractors/mappings/measures.yml); None = not mapped
    fiscal_year: int | None
    is_prior_year: bool
    raw_text: str
    amount: Decimal | None  # in 万元, exact; None when the cell is blank or not a number
    page: int | None = None
    bbox: BBox | None = None
    inferred: bool = False  # column position inferred (collapsed blank cells), see provenance
    confidence: float | None = None
    # what tells two lines of one code apart: the government economic class a department economic line
    # is printed under (Yantai prints 301 under 501 and again under 505); None elsewhere
    row_qualifier: str | None = None


@dataclass
class NarrativeFigure:
    document_id: str
    figure_key: str  # income_total, expenditure_total, basic_total, project_total, three_public_total, ...
    fiscal_year: int | None
    amount: Decimal
    sentence: str
    page: int | None = None
    subject_name: str | None = None
    unit_name: str | None = None  # as printed after the figure: 万元, 元, 亿元 (amount is in 万元)
    raw_text: str | None = None  # the figure as printed, with its unit: 74,300.00元


@dataclass
class ExtractionIssue:
    document_id: str
    table_index: int | None
    severity: str  # error | warning
    code: str
    message: str
    page: int | None = None
    bbox: BBox | None = None  # of the cell the issue is about, where it is about one


@dataclass
class Extraction:
    """Everything one document contributes to staging."""

    document: StagedDocument
    tables: list[StagedTable] = field(default_factory=list)
    cells: list[StagedCell] = field(default_factory=list)
    narrative: list[NarrativeFigure] = field(default_factory=list)
    issues: list[ExtractionIssue] = field(default_factory=list)

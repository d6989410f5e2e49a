"""The format-neutral interpreter: ``interpret(SourceDocument) -> Extraction``.

Every reader (text, PDF, XLSX, HTML) produces the same ``SourceDocument`` of lines and cells; this
package turns it into staging rows (docs/staging.md):

1. ``segment``: lines -> tables (by titles, whatever the numbering), page continuations joined, plus
   the narrative;
2. ``classify``: each table's CONTRACT ``table_type`` from its title or header, never its position;
3. ``performance`` / ``grid``: form-like performance-target tables, and grid tables whose header rows
   give each column a ``measure`` and year and whose rows become staged cells;
4. ``metadata`` and ``narrative``: document facts and quoted figures from the content;
5. projects listed without codes (项目支出明细表) get the code of the performance form naming them.

Nothing is dropped silently: an unrecognised table is staged with ``table_type`` None and an
``ExtractionIssue``; an unmapped column is staged with ``measure`` None and an issue.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from extractors.interpret.classify import family_of, table_type_for
from extractors.interpret.completeness import numeric_cells
from extractors.interpret.grid import GridReader
from extractors.interpret.mappings import load, norm, pattern
from extractors.interpret.metadata import DocumentFacts, document_title, foreign_headings, read_facts
from extractors.interpret.narrative import read_figures
from extractors.interpret.numbers import unit_factor
from extractors.interpret.performance import PerformanceReader, PerformanceResult
from extractors.interpret.segment import Block, segment
from extractors.model import (
    Cell,
    DocumentError,
    Extraction,
    ExtractionIssue,
    Line,
    SourceDocument,
    StagedCell,
    StagedDocument,
    StagedTable,
)
from extractors.readers import low_confidence_issues

__all__ = ["interpret"]

_FINAL = "决算"
_YEAR = re.compile(r"^(?:19|20)\d{2}$")
_PUBLISHED = re.compile(
    r"(?P<year>(?:19|20)\d{2})\s*[-/.年]\s*(?P<month>\d{1,2})\s*[-/.月]\s*(?P<day>\d{1,2})")
# Formats whose rows carry no column positions, so printed blanks can be lost (see grid).
_POSITIONLESS_FORMATS = frozenset({"txt"})
# How many running-text lines at the start of a document may name what kind of report it is.
_LEADING_HEADINGS = 6


def _header_text(block: Block) -> str:
    return " ".join(c.text for row in block.parts[0][:4] for c in row.cells)


def _is_final_document(text_lines: list[str], blocks: list[Block]) -> bool:
    found = document_title(text_lines)
    if found:
        return _FINAL in norm(found[0])
    titled = [b for b in blocks if b.title]
    return bool(titled) and sum(_FINAL in norm(b.title) for b in titled) * 2 > len(titled)


def interpret(doc: SourceDocument) -> Extraction:
    segmented = segment(doc.lines)
    blocks = segmented.blocks
    text_lines = [line.cells[0].text if line.cells else "" for line in segmented.text_lines]
    is_final = _is_final_document(text_lines, blocks)
    types = [table_type_for(b.title, _header_text(b), is_final) for b in blocks]
    document_id = doc.document_id

    forms: dict[int, PerformanceResult] = {}
    for index, (block, table_type) in enumerate(zip(blocks, types, strict=True)):
        if family_of(table_type) == "performance":
            forms[index] = PerformanceReader(block, index, document_id, unit_factor(block.unit_name)).read()

    facts = read_facts(
        text_lines,
        titles=[b.title for b in blocks if b.title],
        header_texts=[_header_text(b) for b in blocks],
        contexts=[c for b in blocks for c in b.context],
        form_fields=[f.fields for f in forms.values()],
    )
    year_issue = _settle_fiscal_year(facts, doc)
    figures = read_figures(segmented.narrative, document_id, facts.fiscal_year)
    if not blocks:
        # a disclosure publishes its tables; prose alone is another kind of report (an evaluation, a
        # notice) or a narrative part published apart from its tables (joined when given together)
        raise DocumentError("no_tables", f"{doc.path.name}: no budget or final-account table found"
                            + (f" ({len(figures)} figure(s) quoted in prose only)" if figures else ""))

    if not any(types):
        # tables but none a budget or final-account table: a statistics bulletin, a notice allocating
        # funds with its list attached, a scan of a letter
        raise DocumentError("no_budget_tables", f"{doc.path.name}: {len(blocks)} table(s), none of a known "
                            "budget or final-account type: " + "; ".join(
                                (b.title or _header_text(b))[:40] for b in blocks[:3]))
    report = _other_report(text_lines)
    if report:
        raise DocumentError("not_a_disclosure", f"{doc.path.name}: the document is a '{report}', "
                            "not a budget or final-account disclosure")

    extraction = Extraction(
        document=StagedDocument(
            document_id=document_id,
            sha256=doc.sha256,
            source_path=str(doc.path),
            source_url=doc.source_url,
            file_type=doc.file_type,
            document_type=facts.document_type,
            fiscal_year=facts.fiscal_year,
            province_name=facts.province_name,
            region_name=facts.region_name,
            department_name=facts.department_name,
            unit_code=facts.unit_code,
            title=facts.title,
            page_count=doc.page_count,
            numeric_cell_count=len(counted := numeric_cells(
                doc.lines, [b for b, t in zip(blocks, types, strict=True) if t]
            )),
            published_date=published_date(doc.metadata),
        ),
        narrative=figures,
    )
    if year_issue:
        extraction.issues.append(year_issue)
    if doc.metadata.get("off_page_text"):
        # what a page draws outside its edges no viewer shows: not read, and said so (readers/pdf.py)
        extraction.issues.append(ExtractionIssue(
            document_id, None, "warning", "off_page_text",
            f"text drawn outside the page, not read ({doc.metadata['off_page_text']})"))
    headings = [(t, line.page) for t, line in zip(text_lines, segmented.text_lines, strict=True)]
    for heading, named, page in foreign_headings(headings, facts.department_name):
        # BW-CMP-005 reports it at the table printed under the heading
        table_index = next((i for i, b in enumerate(blocks) if page in b.pages), None)
        extraction.issues.append(ExtractionIssue(
            document_id, table_index, "warning", "heading_names_other_department",
            f"p.{page}: the heading '{heading}' names {named}, not {facts.department_name}"))

    projects: list[tuple[int, int, str, Decimal | None]] = []
    for index, (block, table_type) in enumerate(zip(blocks, types, strict=True)):
        table = StagedTable(
            document_id=document_id,
            table_index=index,
            table_type=table_type,
            title=block.title,
            label=block.label,
            unit_name=block.unit_name,
            page_first=min(block.pages, default=None),
            page_last=max(block.pages, default=None),
            note="\n".join(block.notes) or None,
        )
        if table_type is None:
            extraction.issues.append(
                ExtractionIssue(
                    document_id,
                    index,
                    "warning",
                    "unrecognised_table",
                    f"table {block.label or index} '{block.title or _header_text(block)[:60]}' "
                    "has no known type",
                )
            )
        if index in forms:
            form = forms[index]
            table.header, cells, issues = form.header, form.cells, form.issues
            if table_type and table_type.endswith("project_performance_targets"):
                table.project_code, table.project_name = form.project_code, form.project_name
        else:
            grid = GridReader(
                block,
                index,
                document_id,
                table_type,
                family_of(table_type),
                facts.fiscal_year,
                unit_factor(block.unit_name),
                rows_may_collapse=doc.file_type in _POSITIONLESS_FORMATS,
            ).read()
            table.header, cells, issues = grid.header, grid.cells, grid.issues
            projects += [(index, row, name, amount) for row, name, amount in grid.projects]
        for cell in cells:
            if cell.fiscal_year is None:
                cell.fiscal_year = facts.fiscal_year
        table.is_empty = index not in forms and not any(c.amount is not None for c in cells)
        if not table.is_empty and any(
            pattern(load("layout")["empty_note"]).search(norm(n)) for n in block.notes
        ):
            issues.append(
                ExtractionIssue(
                    document_id,
                    index,
                    "warning",
                    "empty_note_with_data",
                    "the table says it has no data but shows amounts",
                )
            )
        extraction.tables.append(table)
        extraction.cells.extend(cells)
        extraction.issues.extend(issues)

    _link_projects(extraction.cells, projects, forms, types)
    extraction.issues.extend(low_confidence_issues(extraction))
    extraction.issues.extend(_unstaged_cells(extraction, counted))
    return extraction


def _unstaged_cells(extraction: Extraction, counted: list[tuple[Line, Cell]]) -> list[ExtractionIssue]:
    """A numeric cell of a table page that no table staged and no issue names (a weight beside an
    indicator the performance reader did not take): an issue at its place, never a cell dropped unseen.
    Cells with a box only: a positionless format's cells are matched by nothing else."""
    staged = {(c.page, c.bbox) for c in extraction.cells if c.bbox is not None}
    staged |= {(i.page, i.bbox) for i in extraction.issues if i.bbox is not None}  # recorded already
    issues = []
    for line, cell in counted:
        page = cell.page if cell.page is not None else line.page
        if cell.bbox is not None and (page, cell.bbox) not in staged:
            issues.append(ExtractionIssue(
                extraction.document.document_id, None, "warning", "unstaged_cell",
                f"p.{page}: {cell.text.strip()} in a line read into no table cell: "
                + " | ".join(c.text.strip()[:20] for c in line.cells if c.text.strip())[:160],
                page=page, bbox=cell.bbox))
    return issues


def _other_report(text_lines: list[str]) -> str | None:
    """The heading of a document that is another kind of report (a performance evaluation), when one
    of its first headings says so."""
    headings = [t for t in text_lines if norm(t)][:_LEADING_HEADINGS]
    other_report = pattern(load("layout")["other_report"])
    return next((t.strip() for t in headings if other_report.search(norm(t))), None)


def published_date(metadata: dict[str, str]) -> str | None:
    """The article's 发布日期 (crawler metadata ``article_publish_date``: "2024-02-13", "2024年2月13日",
    "2024/02/13 10:00") as yyyy-mm-dd; None when absent or not a date."""
    m = _PUBLISHED.search(str(metadata.get("article_publish_date") or ""))
    if not m:
        return None
    try:
        return date(int(m["year"]), int(m["month"]), int(m["day"])).isoformat()
    except ValueError:
        return None


def _settle_fiscal_year(facts: DocumentFacts, doc: SourceDocument) -> ExtractionIssue | None:
    """The year from content wins; else the year the publisher's page gave (crawler metadata); else an
    error issue, so the document is staged but kept out of facts (Beijing's 报表 file names no year:
    only its 情况说明 does)."""
    if facts.fiscal_year is not None:
        return None
    published = str(doc.metadata.get("fiscal_year") or "").strip()
    if _YEAR.match(published):
        facts.fiscal_year = int(published)
        return None
    return ExtractionIssue(
        doc.document_id,
        None,
        "error",
        "missing_fiscal_year",
        f"{doc.path.name}: no fiscal year in the content nor in the document's metadata",
    )


def _link_projects(
    cells: list[StagedCell],
    projects: list[tuple[int, int, str, Decimal | None]],
    forms: dict[int, PerformanceResult],
    types: list[str | None],
) -> None:
    """Give 项目支出明细表 rows (names only) the code of the project form naming the same project."""
    coded = [
        (f.project_code, norm(f.project_name or ""), f.project_amount)
        for i, f in forms.items()
        if f.project_code and (types[i] or "").endswith("project_performance_targets")
    ]
    codes: dict[tuple[int, int], str] = {}
    for table_index, row_index, name, amount in projects:
        n = norm(name)
        if not n:
            continue
        matches = [c for c in coded if c[1] and (n in c[1] or c[1] in n)]
        if len(matches) > 1:
            matches = [c for c in matches if amount is not None and c[2] == amount]
        if len(matches) == 1:
            codes[(table_index, row_index)] = matches[0][0]
    for cell in cells:
        code = codes.get((cell.table_index, cell.row_index))
        if code and cell.row_kind == "project":
            cell.row_code = code

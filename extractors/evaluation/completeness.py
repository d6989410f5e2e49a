"""Extraction completeness per document and over a warehouse's corpus, from ``marts.dim_document``
(mapped_cell_count ÷ numeric_cell_count) and the reasons ``staging.extraction_issues`` records."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import duckdb


@dataclass
class DocumentCompleteness:
    document_id: str
    label: str
    numeric: int
    mapped: int
    missing_core_tables: str | None
    reasons: list[tuple[str, int]] = field(default_factory=list)  # (issue code, cells), most first

    @property
    def rate(self) -> Decimal | None:
        return Decimal(self.mapped) / Decimal(self.numeric) if self.numeric else None


@dataclass
class CorpusCompleteness:
    documents: list[DocumentCompleteness]

    @property
    def numeric(self) -> int:
        return sum(d.numeric for d in self.documents)

    @property
    def mapped(self) -> int:
        # a document's mapped cells beyond what the reader counted say the count is short, not more found
        return sum(min(d.mapped, d.numeric) for d in self.documents)

    @property
    def rate(self) -> Decimal | None:
        return Decimal(self.mapped) / Decimal(self.numeric) if self.numeric else None

    @property
    def incomplete(self) -> list[DocumentCompleteness]:
        return [d for d in self.documents if d.rate is None or d.rate < 1 or d.missing_core_tables]


def measure(warehouse: Path) -> CorpusCompleteness:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = con.execute("""
            select document_id,
                   coalesce(department_name, '?') || ' ' || coalesce(cast(fiscal_year as varchar), '?')
                       || ' ' || coalesce(document_type, '?') || ' (' || file_type || ')',
                   coalesce(numeric_cell_count, 0), mapped_cell_count, missing_core_tables
            from marts.dim_document where load_status = 'loaded' order by document_id""").fetchall()
        reasons: dict[str, list[tuple[str, int]]] = {}
        # the cells' own issues: their message opens with the page (the grid's unmapped_cell), a
        # column's issue with its index
        for document_id, code, cells in con.execute("""
                select document_id, code, count(*) from staging.extraction_issues
                where code in ('unmapped_column', 'unmeasured_column', 'unmapped_row', 'unmeasured_row',
                               'unknown_code',
                               'unreadable_header')
                    and message like 'p.%'
                group by all order by document_id, count(*) desc, code""").fetchall():
            reasons.setdefault(document_id, []).append((code, cells))
    finally:
        con.close()
    return CorpusCompleteness([
        DocumentCompleteness(doc, label, numeric, mapped, missing, reasons.get(doc, []))
        for doc, label, numeric, mapped, missing in rows
    ])


def _percent(rate: Decimal | None) -> str:
    return "n/a" if rate is None else f"{rate * 100:.2f} %"


def render(corpus: CorpusCompleteness, verbose: bool = False) -> str:
    lines = []
    shown = corpus.documents if verbose else corpus.incomplete
    if shown:
        lines.append("documents" + ("" if verbose else " below 100 %") + ":")
    for d in shown:
        lines.append(f"  {d.document_id} {d.label}: {d.mapped} / {d.numeric} cells mapped, "
                     f"{_percent(d.rate)}")
        if d.missing_core_tables:
            lines.append(f"      core table missing: {d.missing_core_tables}")
        if d.reasons:
            lines.append("      issues: " + ", ".join(f"{code} {n}" for code, n in d.reasons[:4]))
        unrecorded = d.numeric - d.mapped - sum(n for _, n in d.reasons)
        if unrecorded > 0:
            lines.append(f"      {unrecorded} numeric cell(s) of the table pages not staged")
    lines.append(f"corpus: {len(corpus.documents)} document(s), {corpus.mapped} / {corpus.numeric} "
                 f"numeric cells mapped, {_percent(corpus.rate)}; {len(corpus.incomplete)} document(s) "
                 "below 100 %")
    return "\n".join(lines)

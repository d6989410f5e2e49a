"""The seeds' text form: title lines, tab-separated table rows, blank lines between blocks."""

from __future__ import annotations

from pathlib import Path

from extractors.generator.layout import ExpectedCell, Grid, layout_document
from extractors.generator.spec import DocumentSpec


def header_lines(grid: Grid) -> list[list[str]]:
    """Header rows as printed flat: each merged cell's text in its first column, blanks elsewhere."""
    rows = [[""] * grid.n_cols for _ in range(grid.header_rows)]
    for cell in grid.header:
        rows[cell.row][cell.col] = cell.text
    return rows


def _table_heading(grid: Grid) -> list[str]:
    """Label, title, unit lines (each its own block) and the header rows (one block)."""
    t = grid.table
    lines = [t.label] if t.label else []
    lines += t.title.split("\n")
    if t.subtitle:
        lines.append(t.subtitle)
    lines.append(f"单位：{t.unit_name}")
    header = header_lines(grid)
    return lines + (["\n".join("\t".join(r) for r in header)] if header else [])


def document_text(spec: DocumentSpec, grids: list[Grid] | None = None) -> str:
    """Blocks separated by a blank line, as in the seeds; the rows of one page of a table are one block."""
    blocks: list[str] = [spec.title, *spec.narrative]
    for grid in grids if grids is not None else layout_document(spec):
        pages: list[list[str]] = [[]]
        for i, line in enumerate(grid.lines):
            if i in grid.page_breaks and grid.table.repeat_header:
                pages.append([])
            pages[-1].append("\t".join(line.cells))
        for rows in pages:
            blocks += _table_heading(grid)
            if grid.header_rows:  # body rows continue the header rows' block
                blocks[-1] += "\n" + "\n".join(rows)
            else:
                blocks.append("\n".join(rows))
        if grid.table.note:
            blocks.append(grid.table.note)
    return "\n\n".join(blocks) + "\n"


def render(spec: DocumentSpec, path: Path) -> list[ExpectedCell]:
    grids = layout_document(spec)
    path.write_text(document_text(spec, grids), encoding="utf-8")
    return [c for grid in grids for c in grid.expected]

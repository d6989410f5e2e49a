"""A page turned by /Rotate (Yantai's, Jiangsu's landscape tables on portrait pages): read as displayed."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.pdfgen import canvas

from extractors.readers.pdf import read

# Base-14 font: the text layer does not depend on installed fonts (see pdf_geometry's lost text).
FONT = "Helvetica"
ROWS = [["Code", "Name", "Total", "Basic", "Project"],
        ["201", "General", "1,172.15", "677.15", "495.00"],
        ["20103", "Office", "1,056.45", "561.45", "495.00"],
        ["208", "Social", "60.08", "60.08", ""]]
WIDTHS = [60, 120, 70, 70, 70]


def _write_turned(path: Path, ruled: bool) -> None:
    """Stored landscape (reportlab swaps the size given with a rotation) and turned by /Rotate 90, its
    content drawn turned so that it displays upright on a portrait page."""
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    c.setPageRotation(90)
    c.transform(0, 1, -1, 0, 842, 0)  # displayed (x, y) -> stored (842 - y, x)
    c.setFont(FONT, 14)
    c.drawString(200, 790, "Budget table")
    c.setFont(FONT, 9)
    edges = [40 + sum(WIDTHS[:i]) for i in range(len(WIDTHS) + 1)]
    top = 760
    for row in ROWS:
        for col, text in enumerate(row):
            c.drawString(edges[col] + 3, top - 13, text)
        if ruled:
            c.line(edges[0], top, edges[-1], top)
            for x in edges:
                c.line(x, top, x, top - 18)
        top -= 18
    if ruled:
        c.line(edges[0], top, edges[-1], top)
    c.save()


@pytest.mark.parametrize("ruled", [True, False], ids=["ruled", "unruled"])
def test_a_page_turned_by_rotate_reads_in_its_displayed_frame(tmp_path: Path, ruled: bool) -> None:
    path = tmp_path / "turned.pdf"
    _write_turned(path, ruled)
    doc = read(path)
    assert [line.text for line in doc.lines if not line.is_row] == ["Budget table"]
    assert [[cell.text for cell in line.cells] for line in doc.lines if line.is_row] == ROWS
    x0, top, x1, bottom = next(line for line in doc.lines if line.is_row).cells[0].bbox
    assert 40 <= x0 < x1 <= 100 and 82 <= top < bottom <= 100  # where the displayed page shows it

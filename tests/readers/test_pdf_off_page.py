"""Text a page draws outside its edges (江苏 人大 2017 p.11: a second copy of a table below the bottom
edge, which no viewer shows and the next page prints): not read, and recorded against the document."""

from __future__ import annotations

from pathlib import Path

from reportlab.pdfgen import canvas

from extractors.interpret import interpret
from extractors.model import Cell, Line, SourceDocument
from extractors.readers.pdf import read

FONT = "Helvetica"  # base-14: the text layer does not depend on installed fonts


def _write(path: Path) -> None:
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    c.setFont(FONT, 9)
    c.drawString(60, 800, "Shown 201 1,172.15")
    c.drawString(60, -40, "Hidden 301 2,928.98")  # below the bottom edge
    c.drawString(640, 400, "Beside 302 1,585.96")  # right of the right edge
    c.showPage()
    c.setFont(FONT, 9)
    c.drawString(60, 800, "Second page 303 3,151.74")
    c.save()


def test_text_outside_the_page_is_not_read_and_is_recorded(tmp_path: Path) -> None:
    path = tmp_path / "off_page.pdf"
    _write(path)
    doc = read(path)
    text = " ".join(cell.text for line in doc.lines for cell in line.cells)
    assert "Shown" in text and "Second page" in text
    assert "Hidden" not in text and "Beside" not in text and "2,928.98" not in text
    dropped = doc.metadata["off_page_text"]
    assert dropped.startswith("p.1: ")
    assert int(dropped.split()[1]) >= len("Hidden3012,928.98Beside3021,585.96")


def test_the_document_records_what_was_not_read() -> None:
    """The reader's record becomes a warning against the document (staging.extraction_issues)."""
    lines = [Line(cells=[Cell(text, page=1)], page=1, is_row=False)
             for text in ("2026年某局部门预算", "一般公共预算支出表", "单位：万元")]
    lines += [Line(cells=[Cell(text, page=1) for text in row], page=1)
              for row in (["科目编码", "科目名称", "合计"], ["201", "一般公共服务支出", "10.00"])]
    doc = SourceDocument(path=Path("doc.pdf"), sha256="ab" * 32, file_type="pdf", lines=lines,
                         metadata={"off_page_text": "p.11: 450 characters"})
    issues = [i for i in interpret(doc).issues if i.code == "off_page_text"]
    assert [(i.severity, i.table_index, i.message) for i in issues] == [
        ("warning", None, "text drawn outside the page, not read (p.11: 450 characters)")]

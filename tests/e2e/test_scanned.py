"""End to end: a scanned disclosure (issue 7). The generator prints the Qijiang seed figures as a ruled PDF,
the test rasterises it into an image-only PDF at 200 dpi (what a publisher's scanner posts), and the
pipeline reads it through OCR: figures staged exactly or flagged low-confidence, then into the marts.

pdfium draws reportlab's STSong-Light text (titles, headers, row names) only with a CJK system font
(``fonts-wqy-microhei``, Makefile ``system-packages``); without one the scan has no Chinese to read.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from decimal import Decimal
from pathlib import Path

import duckdb
import pypdfium2
import pytest

from extractors.evaluation.expected_cells import numeric_cells
from extractors.readers import LOW_CONFIDENCE_THRESHOLD

render_module = pytest.importorskip("extractors.generator.render", reason="the generator is not installed")
seeds_module = pytest.importorskip("extractors.generator.seeds", reason="the generator is not installed")

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("e2e")]

SEED = "qijiang_2024_government_services_budget"
SCAN_DPI = 200
MIN_EXACT_SHARE = Decimal("0.99")


def _has_cjk_font() -> bool:
    fc_list = shutil.which("fc-list")
    return bool(fc_list) and bool(subprocess.run([fc_list, ":lang=zh"], capture_output=True,
                                                 text=True).stdout.strip())


@pytest.fixture(scope="module")
def scan(tmp_path_factory: pytest.TempPathFactory) -> dict:
    if not _has_cjk_font():
        pytest.skip("fc-list :lang=zh finds no CJK font: pdfium cannot draw the Chinese text to scan "
                    "(apt: fonts-wqy-microhei; `make system-packages`)")
    folder = tmp_path_factory.mktemp("scanned")
    spec = next(s for s in seeds_module.seed_specs() if s.slug == SEED)
    printed = render_module.render(spec, "pdf", folder / "printed", layout="ruled")
    scanned = folder / "scanned.pdf"
    document = pypdfium2.PdfDocument(printed)
    images = [page.render(scale=SCAN_DPI / 72, grayscale=True).to_pil() for page in document]
    document.close()
    images[0].save(scanned, save_all=True, append_images=images[1:], resolution=SCAN_DPI)
    return {"scanned": scanned, "pages": len(images), "sidecar": render_module.read_sidecar(printed)}


@pytest.fixture(scope="module")
def extraction(scan: dict):
    from extractors.extract import extract_file

    started = time.perf_counter()
    result = extract_file(scan["scanned"])
    seconds = time.perf_counter() - started
    pages = scan["pages"]
    print(f"\nscanned {SEED}: {pages} pages in {seconds:.0f} s, {pages / seconds:.2f} pages/s")
    return result


def _expected(scan: dict) -> list[dict]:
    # Form fields of performance tables (project amounts) are left to the interpreter's own tests, as
    # for text PDFs (tests/readers/test_pdf_fixtures.py).
    return [c for c in numeric_cells(scan["sidecar"]["cells"]) if c["row_kind"] != "field"]


def test_the_scan_has_no_text_layer(scan: dict) -> None:
    document = pypdfium2.PdfDocument(scan["scanned"])
    assert all(page.get_textpage().get_text_range() == "" for page in document)
    document.close()


def test_document_read_through_ocr(scan: dict, extraction) -> None:
    document = extraction.document
    assert document.status == "loaded", f"{document.error_code}: {document.error_message}"
    assert (document.file_type, document.page_count) == ("pdf", scan["pages"])
    assert (document.document_type, document.fiscal_year) == ("budget", scan["sidecar"]["fiscal_year"])
    assert document.department_name == scan["sidecar"]["department_name"]
    # Every figure read from the scan says how sure OCR was of it.
    assert all(c.confidence is not None for c in extraction.cells if c.amount is not None)


def test_figures_staged_exactly_or_flagged(scan: dict, extraction) -> None:
    """≥ 99 % of the printed figures staged exactly (table type, row code, measure, year, amount); every
    other one sits in a staged cell flagged low-confidence, with its warning."""
    types = {t.table_index: t.table_type for t in extraction.tables}
    staged = {(types[c.table_index], c.row_code, c.measure, c.fiscal_year, c.amount)
              for c in extraction.cells if c.amount is not None}
    expected = _expected(scan)
    missed = [c for c in expected if (c["table_type"], c["row_code"], c["measure"], c["fiscal_year"],
                                      Decimal(c["amount"])) not in staged]
    exact = len(expected) - len(missed)
    print(f"\n{exact}/{len(expected)} figures staged exactly ({exact / len(expected):.2%}), "
          f"{len(missed)} missed")
    assert Decimal(exact) / len(expected) >= MIN_EXACT_SHARE, missed[:5]

    warned = {(i.table_index, i.message) for i in extraction.issues if i.code == "low_confidence_cell"}
    unflagged = []
    for cell in missed:
        printed_at = [s for s in extraction.cells if s.page == cell["page"] and _inside(s.bbox, cell["bbox"])]
        flagged = [s for s in printed_at if _unsure(s) and any(
            t == s.table_index and f"row {s.row_index} " in m for t, m in warned)]
        if not flagged:
            unflagged.append((cell["table_type"], cell["row_code"], cell["measure"], cell["text"],
                              [(s.raw_text, s.confidence) for s in printed_at]))
    assert unflagged == []


def _unsure(cell) -> bool:
    return cell.confidence is not None and cell.confidence < LOW_CONFIDENCE_THRESHOLD


def _inside(staged_bbox, printed_bbox) -> bool:
    """The staged cell's text box has its centre in the printed cell's box."""
    if staged_bbox is None:
        return False
    x0, top, x1, bottom = printed_bbox
    cx, cy = (staged_bbox[0] + staged_bbox[2]) / 2, (staged_bbox[1] + staged_bbox[3]) / 2
    return x0 <= cx <= x1 and top <= cy <= bottom


def test_every_unsure_figure_has_a_warning_naming_it(extraction) -> None:
    warnings = [i for i in extraction.issues if i.code == "low_confidence_cell"]
    assert all(i.severity == "warning" for i in warnings)

    def names(issue, cell) -> bool:
        return (issue.table_index == cell.table_index and f"row {cell.row_index} " in issue.message
                and f"column '{cell.column_label}'" in issue.message
                and f"confidence {cell.confidence:.2f}" in issue.message)

    unsure = [c for c in extraction.cells if _unsure(c)]
    figures = [c for c in unsure if c.amount is not None]
    assert all(any(names(i, c) for i in warnings) for c in figures)
    assert all(any(names(i, c) for c in unsure) for i in warnings)


def test_scanned_document_lands_in_the_marts(scan: dict, extraction, tmp_path: Path) -> None:
    """``pipeline.run`` on the scan. OCR of 16 pages takes minutes, so the extraction above is staged
    first, as the pipeline's extract step would stage it; the run then recognises the bytes as already
    extracted (the pipeline's own incremental rule) and goes on to dbt and validation."""
    from extractors.load import connect, load_extraction
    from extractors.pipeline import run

    warehouse = tmp_path / "warehouse.duckdb"
    con = connect(str(warehouse))
    load_extraction(con, extraction)
    con.close()
    messages: list[str] = []
    summary = run([scan["scanned"]], warehouse, workers=1, progress=messages.append)
    assert summary.rejected == []
    assert "1 document(s) already extracted from the same bytes: not extracted again" in messages
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        documents = con.execute("""select d.fiscal_year, d.document_type, d.file_type, dep.department_name
                                   from marts.dim_document d join marts.dim_department dep
                                   using (department_id)""").fetchall()
        facts = dict(con.execute("""select subject_code, total_amount from marts.fct_expenditure_by_function
                                    where table_type = 'general_budget_expenditure'
                                      and not is_prior_year""").fetchall())
        staged_warnings = con.execute("""select count(*) from staging.extraction_issues
                                         where code = 'low_confidence_cell'""").fetchone()[0]
    finally:
        con.close()
    sidecar = scan["sidecar"]
    assert documents == [(sidecar["fiscal_year"], "budget", "pdf", sidecar["department_name"])]
    printed = {c["row_code"]: Decimal(c["amount"]) for c in _expected(scan)
               if c["table_type"] == "general_budget_expenditure" and c["measure"] == "total"
               and (c["row_kind"] == "subject" or (c["row_kind"], c["row_code"]) == ("total", "total"))
               and not c["is_prior_year"]}
    # the printed 合计 line is the fact row 'total' (CONTRACT), beside the coded lines
    assert printed and "total" in printed and facts == printed
    assert staged_warnings == sum(i.code == "low_confidence_cell" for i in extraction.issues)

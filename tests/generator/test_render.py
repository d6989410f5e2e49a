"""Renderers write what the expected cells say, and read back to it."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pdfplumber
import pytest

from extractors.generator.render import PDF_LAYOUTS, read_sidecar, render
from extractors.generator.seeds import seed_spec
from extractors.generator.spec import SpecError
from extractors.generator.synthesize import synthesize

TONGNAN = "tongnan_2022_government_services_budget"


def _words(path: Path) -> tuple[set[str], int]:
    with pdfplumber.open(path) as pdf:
        return {w["text"] for page in pdf.pages for w in page.extract_words()}, len(pdf.pages)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_text_form_matches_the_seed_layout(tmp_path):
    path = render(seed_spec(TONGNAN), "text", tmp_path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert "2101199\t其他行政事业单位医疗支出\t27.2\t3.24\t3.24\t" in lines
    assert lines.count("附件 2") == 2  # broken across pages, title repeated
    cells = read_sidecar(path)["cells"]
    prior = [c for c in cells if c["row_code"] == "2101199" and c["is_prior_year"]]
    assert [(c["amount"], c["fiscal_year"], c["measure"]) for c in prior] == [("27.20", 2021, "total")]


@pytest.mark.parametrize("layout", PDF_LAYOUTS)
def test_pdf_reads_back_every_amount(tmp_path, layout):
    for spec in (seed_spec(TONGNAN), synthesize(9, "綦江区", "审计局", 2024, "budget")):
        path = render(spec, "pdf", tmp_path, layout=layout)
        words, pages = _words(path)
        cells = read_sidecar(path)["cells"]
        amounts = [c["text"] for c in cells if c["amount"] is not None]
        assert len(amounts) > 100
        assert [a for a in amounts if a not in words] == []
        assert {"行政运行", "合计"} <= words  # the CID font's Chinese text comes back as Unicode
        assert pages >= len(spec.tables)


def test_pdf_page_break_layouts_split_tables(tmp_path):
    spec = synthesize(9, "綦江区", "审计局", 2024, "budget")
    pages = {
        layout: _words(render(spec, "pdf", tmp_path / layout, layout=layout))[1]
        for layout in ("ruled", "page_break", "no_repeat")
    }
    assert pages["page_break"] > pages["ruled"]
    assert pages["no_repeat"] == pages["page_break"]


def test_pdf_wrapped_layout_wraps_long_names(tmp_path):
    path = render(seed_spec(TONGNAN), "pdf", tmp_path, layout="wrapped")
    words, _ = _words(path)
    assert "机关事业单位基本养老保险缴费支出" not in words  # split over two lines inside its cell
    assert "机关事业单位基本养老保险缴费支出" in _words(render(seed_spec(TONGNAN), "pdf", tmp_path / "r"))[0]


def test_determinism(tmp_path):
    spec = synthesize(4, "潼南区", "民政局", 2023, "budget")
    for fmt in ("text", "pdf"):
        a = render(spec, fmt, tmp_path / "a")
        b = render(synthesize(4, "潼南区", "民政局", 2023, "budget"), fmt, tmp_path / "b")
        assert _digest(a) == _digest(b), fmt
        assert read_sidecar(a)["cells"] == read_sidecar(b)["cells"]


def test_bad_format_and_layout_are_named(tmp_path):
    with pytest.raises(SpecError, match="unknown format 'docx'"):
        render(seed_spec(TONGNAN), "docx", tmp_path)
    with pytest.raises(SpecError, match="unknown PDF layout 'fancy'"):
        render(seed_spec(TONGNAN), "pdf", tmp_path, layout="fancy")


@pytest.mark.parametrize("layout", ["page_break", "no_repeat", "wrapped"])
def test_pdf_cells_carry_page_and_box(tmp_path, layout):
    """Each expected cell's box, cropped from its page, holds exactly the cell's text."""
    path = render(seed_spec(TONGNAN), "pdf", tmp_path, layout=layout)
    cells = read_sidecar(path)["cells"]
    with pdfplumber.open(path) as pdf:
        misplaced = [
            c["text"]
            for c in cells
            if pdf.pages[c["page"] - 1].crop(c["bbox"]).extract_text().replace("\n", "") != c["text"]
        ]
    assert misplaced == []
    prior_2101199 = next(c for c in cells if c["row_code"] == "2101199" and c["is_prior_year"])
    assert prior_2101199["text"] == "27.2" and prior_2101199["page"] > 3

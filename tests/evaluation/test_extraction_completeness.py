"""Extraction completeness: the numeric cells the reader saw on the table pages, those a mart measure
holds, and every other one recorded at its place (issue 15, "No silent loss")."""

from __future__ import annotations

import copy
from collections import Counter
from decimal import Decimal

import duckdb
import pytest

from extractors.cli import main
from extractors.extract import extract_file

render_module = pytest.importorskip("extractors.generator.render", reason="the generator is not installed")
seeds_module = pytest.importorskip("extractors.generator.seeds", reason="the generator is not installed")

QIJIANG = "qijiang_2024_government_services_budget"
TONGNAN = "tongnan_2022_government_services_budget"


def _mapped(extraction) -> int:
    types = {t.table_index: t.table_type for t in extraction.tables}
    return sum(1 for c in extraction.cells
               if c.amount is not None and c.measure and types[c.table_index]
               and not (c.row_kind == "other" and c.row_code is None))


@pytest.mark.parametrize("fmt", ["pdf", "xlsx", "text", "html"])
def test_reader_count_is_the_same_in_every_format(fmt, tmp_path):
    # the generator prints the seeds' figures: the same printed cells whatever the format (a merged
    # spreadsheet range, spread over its columns, is one cell)
    counts = {}
    for slug in (QIJIANG, TONGNAN):
        extraction = extract_file(render_module.render(seeds_module.seed_spec(slug), fmt, tmp_path))
        unmapped = [i for i in extraction.issues if i.message.startswith("p.")
                    and i.code in ("unmapped_column", "unmeasured_column", "unmapped_row")]
        counts[slug] = (extraction.document.numeric_cell_count, _mapped(extraction), len(unmapped))
        if fmt == "pdf":
            assert all(i.page is not None and i.bbox is not None for i in unmapped)
    # Tongnan's project table prints 年初特定目标 / 上级专项 sub-columns no CONTRACT measure holds
    assert counts == {QIJIANG: (286, 286, 0), TONGNAN: (431, 422, 9)}


def test_unmapped_cell_is_an_issue_at_its_place(tmp_path):
    extraction = extract_file(render_module.render(seeds_module.seed_spec(TONGNAN), "pdf", tmp_path))
    # columns the mappings know to hold no mart measure: recorded, and no doubt about the table's reading
    issues = [i for i in extraction.issues if i.code == "unmeasured_column" and i.message.startswith("p.")]
    assert Counter(i.message.split(" in row ")[0].split(": ")[1] for i in issues)["1,058.00"] == 1
    (rent,) = [i for i in issues if "1,058.00" in i.message]
    assert "办公房租金" in rent.message and "年初特定目标 / 一般性项目" in rent.message
    assert rent.table_index is not None and rent.page >= 1


def test_dim_document_carries_completeness(seeds_run):
    con = duckdb.connect(str(seeds_run), read_only=True)
    try:
        rows = con.execute("""
            select fiscal_year, numeric_cell_count, staged_numeric_cell_count, mapped_cell_count,
                   extraction_completeness, missing_core_tables, quality_status, quality_reason
            from marts.dim_document order by fiscal_year""").fetchall()
        columns = dict(con.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'staging' and table_name = 'extraction_issues'").fetchall())
    finally:
        con.close()
    # the findings are the rule catalogue's; the reason names them first, then the cells unmapped
    assert [r[:7] for r in rows] == [
        (2022, 431, 431, 422, Decimal("0.979118"), None, "failed"),
        (2024, 286, 286, 286, Decimal("1.000000"), None, "warnings"),
    ]
    assert rows[0][7].endswith(" error finding(s); 9 numeric cell(s) not in a mart measure") or (
        rows[0][7].endswith("warning finding(s); 9 numeric cell(s) not in a mart measure"))
    assert rows[1][7] == "2 warning finding(s)"
    assert columns["page"] == "INTEGER" and columns["x0"] == "DOUBLE"


def test_every_mapped_cell_is_a_published_figure_with_its_source_cell(seeds_run):
    """Completeness counts what a mart holds: each mapped cell is a row of fct_published_figure, its
    amount the staged cell's, at the staged cell's page and bbox."""
    con = duckdb.connect(str(seeds_run), read_only=True)
    try:
        per_document = con.execute("""
            select d.fiscal_year, d.mapped_cell_count, count(f.amount)
            from marts.dim_document as d left join marts.fct_published_figure as f using (document_id)
            group by all order by 1""").fetchall()
        mismatched = con.execute("""
            select count(*) from marts.fct_published_figure as f
            inner join staging.cells as c using (document_id, table_index, row_index, col_index)
            where f.amount is distinct from cast(c.amount as decimal(18, 2)) or f.page is distinct from c.page
                or f.x0 is distinct from c.x0 or f.bottom is distinct from c.bottom""").fetchall()[0][0]
        qijiang_total = con.execute("""
            select amount from marts.fct_published_figure
            where fiscal_year = 2024 and table_type = 'general_budget_expenditure' and row_code = 'total'
                and measure = 'total'""").fetchall()
    finally:
        con.close()
    assert per_document == [(2022, 422, 422), (2024, 286, 286)]
    assert mismatched == 0
    assert qijiang_total == [(Decimal("1172.15"),)]


def test_completeness_command(seeds_run, capsys):
    assert main(["completeness", "--warehouse", str(seeds_run)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == ("corpus: 2 document(s), 708 / 717 numeric cells mapped, 98.74 %; "
                       "1 document(s) below 100 %")
    assert out[1].strip() == ("e742fafbc76c1b9b 重庆市潼南区政务服务管理办公室 2022 budget (txt): "
                              "422 / 431 cells mapped, 97.91 %")
    assert out[2].strip() == "issues: unmeasured_column 9"
    assert main(["completeness", "--warehouse", str(seeds_run), "-v"]) == 0
    assert "286 / 286 cells mapped, 100.00 %" in capsys.readouterr().out


def test_a_missing_core_table_is_never_passed(tmp_path):
    # the Qijiang seed without its 三公 table: loaded, but warnings with the reason
    spec = copy.deepcopy(seeds_module.seed_spec(QIJIANG))
    spec.tables = [t for t in spec.tables if t.table_type != "three_public_expenses"]
    folder = tmp_path / "in"
    render_module.render(spec, "text", folder)
    warehouse = tmp_path / "w.duckdb"
    assert main(["run", "--input", str(folder), "--warehouse", str(warehouse), "--workers", "1"]) == 0
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        (row,) = con.execute("select quality_status, missing_core_tables, quality_reason "
                             "from marts.dim_document").fetchall()
    finally:
        con.close()
    assert row[0] in ("warnings", "failed")
    assert row[1] == "three_public_expenses"
    assert "core table missing: three_public_expenses" in row[2]

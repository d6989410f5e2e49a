"""The embedded default: ``budgetwh demo`` crawls the bundled local portal and builds validated marts."""

from __future__ import annotations

import pytest
from support import q

from extractors.cli import main

pytestmark = pytest.mark.xdist_group("e2e")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    work = tmp_path_factory.mktemp("demo")
    warehouse = work / "warehouse.duckdb"
    code = main(["demo", "--warehouse", str(warehouse), "--archive", str(work / "archive")])
    return code, warehouse, work



def test_demo_crawls_every_format_into_the_marts(demo):
    code, warehouse, work = demo
    assert code == 0
    rows = q(warehouse, "select file_type, count(*) from marts.dim_document group by 1 order by 1")
    assert rows == [("html", 1), ("pdf", 2), ("xlsx", 3)]
    assert q(warehouse, "select count(*) from marts.dim_document where source_url like 'http://127.0.0.1:%'"
             ) == [(6,)]
    # every archived file is kept, content-addressed
    assert len(list((work / "archive").rglob("*.pdf"))) == 2


def test_demo_findings_are_the_seed_documents_defects(demo):
    _code, warehouse, _work = demo
    failing = q(warehouse, """select distinct d.department_name from marts.fct_reconciliation_result r
                              join marts.dim_document d using (document_id)
                              where not r.passed and r.severity = 'error'""")
    assert failing == [("重庆市潼南区政务服务管理办公室",)]


def test_report_names_page_and_hint(demo, capsys):
    _code, warehouse, _work = demo
    (doc,) = q(warehouse, "select document_id from marts.dim_document where quality_status = 'failed'")[0]
    assert main(["report", doc[:8], "--warehouse", str(warehouse)]) == 0
    out = capsys.readouterr().out
    assert "decimal shift" in out and "page" in out and "2.72" in out


def test_strict_exits_non_zero_on_error_findings(seeds_dir, tmp_path, capsys):
    """``budgetwh`` exits with what ``main`` returns (the console script's ``sys.exit(main())``)."""
    code = main(["run", "--input", str(seeds_dir), "--warehouse", str(tmp_path / "w.duckdb"), "--strict",
                 "--workers", "1"])
    err = capsys.readouterr().err
    assert code == 2, err[-2000:]
    assert "--strict: 13 error-level rule failure(s)" in err


def test_demo_publisher_scorecard(demo):
    """Every crawled document carries its article's 发布日期, in the month of the portal's folder
    (…/YYYYMM/P….pdf); the scorecard counts the districts' departments and their publications."""
    _code, warehouse, _work = demo
    for url, published in q(warehouse, "select source_url, published_date from marts.dim_document"):
        assert published is not None and f"/{published:%Y%m}/" in url, url
    # the portal: 潼南区's 政务服务管理办公室 (2022 budget, the seed) and 财政局 (2022 budget, 2021 final
    # account); 綦江区's 政务服务管理办公室 (2024 budget) and 审计局 (2023 and 2024 budgets)
    expected = [("潼南区", 2021, 2, 0, 1, 1, 1), ("潼南区", 2022, 2, 2, 0, 2, 1),
                ("綦江区", 2023, 2, 1, 0, 1, 1), ("綦江区", 2024, 2, 2, 0, 2, 2)]
    got = q(warehouse, """
        select region, fiscal_year, departments_expected, departments_with_budget,
               departments_with_final_account, documents,
               documents_without_error_findings  -- 潼南 2022: the seed's published defects
        from analyst.analyst_publisher_scorecard order by 1, 2""")
    assert got == expected
    assert q(warehouse, "select sum(budgets_on_time), sum(budgets_dated) "
             "from analyst.analyst_publisher_scorecard") == [(5, 5)]

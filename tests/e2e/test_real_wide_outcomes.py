"""Every file of ../shared/real-wide loads with all its tables typed, or is rejected with its reason.

Files are named by their corpus number (MANIFEST.md); names can lie, the numbers do not change. The
rejections asserted by code were checked on the rendered pages: narrative parts published apart from
their tables, a statistics bulletin, notices, performance-evaluation reports.
"""

from __future__ import annotations

import pytest

from bench.real_report import DocumentResult

pytestmark = [pytest.mark.slow, pytest.mark.shared, pytest.mark.xdist_group("real_wide")]

REJECTED = {
    "115": "no_budget_tables",   # 北京: 交通委 情况说明 published apart from its tables, a fee schedule
    "160": "no_tables",          # 长沙: 专项资金绩效评价结果, prose only (scan)
    "162": "not_a_disclosure",   # 长沙: 财政项目支出绩效评价报告
    "163": "no_budget_tables",   # 长沙: 财政局 notice allocating funds, its list attached (scan)
    "181": "no_tables",          # 泉州: 气象局 inspection-plan notice
    "179": "no_budget_tables",   # 泉州: 国民经济主要指标 bulletin
    "180": "no_budget_tables",   # 泉州: 商务局 work-summary notice (scan)
    "194": "no_tables",          # 江苏: 部门预算公开 narrative, "公开表附后"
    "199": "no_tables",
    "200": "no_tables",          # 江苏: 部门预算公开文件, its tables in 201 / 203
    "202": "no_tables",
    "205": "no_tables",          # 江苏: 政协 2017 narrative, 第二部分 lists the tables only
    "206": "no_tables",
    "207": "no_tables",
}
# Rejection codes that name a reason (never a crash, never an unspecific failure).
REASONS = {"no_tables", "no_budget_tables", "not_a_disclosure", "template", "empty_document", "corrupt_pdf",
           "encrypted_pdf", "unsupported_format", "too_large", "too_many_pages", "too_many_cells"}


@pytest.fixture(scope="module")
def outcomes(real_wide) -> dict[str, DocumentResult]:
    return {r.name.split("_", 1)[0]: r for r in real_wide.results}


def test_every_loaded_file_has_all_its_tables_typed(outcomes: dict[str, DocumentResult]) -> None:
    untyped = {number: [t.table.title for t in r.tables if t.table.table_type is None]
               for number, r in outcomes.items() if not r.error}
    assert {n: titles for n, titles in untyped.items() if titles} == {}
    assert all(r.tables for r in outcomes.values() if not r.error)


def test_every_rejection_names_its_reason(outcomes: dict[str, DocumentResult]) -> None:
    codes = {n: r.error.split(":", 1)[0] for n, r in outcomes.items() if r.error}
    assert {n: c for n, c in codes.items() if c not in REASONS} == {}
    assert {n: codes.get(n) for n in REJECTED} == REJECTED

"""The crawler against the local portal: archive all, re-crawl cheaply, version changes, survive faults."""

from __future__ import annotations

import duckdb

from extractors.crawl import crawl
from extractors.portal.site import FAULT_COLUMN
from extractors.readers.xlsx import read as read_xlsx

FAULTS = f"/{FAULT_COLUMN}/202402"

EXPECTED_ERRORS = {
    f"{FAULTS}/t20240201_1.html": "http_404",
    f"{FAULTS}/t20240202_2.html": "http_500",
    f"{FAULTS}/t20240203_3.html": "timeout",
    f"{FAULTS}/t20240204_4.html": "redirect_loop",
    f"{FAULTS}/t20240205_5.html": "redirect_loop",
    f"{FAULTS}/t20240206_6.html": "host_not_allowed",
    f"{FAULTS}/t20240207_7.html": "malformed_html",
    f"{FAULTS}/P020240201999.xlsx": "too_large",
    "/private/202402/t20240210_10.html": "disallowed_by_robots",
}


def _errors(summary, portal) -> dict[str, str]:
    origin = portal.server.origin
    return {
        url.removeprefix(origin) if url.startswith(origin) else "FOREIGN:" + url.split("/", 3)[3]: code
        for url, code in summary.error_codes().items()
    }


def test_first_crawl_archives_every_disclosure_and_records_each_fault(portal):
    summary = crawl(portal.sources, portal.warehouse, portal.archive, portal.variables)

    # 3 departments x 2 years x (budget, final accounts) as XLSX + 2 inline-table summary pages.
    assert sorted(f.file_type for f in summary.new_files) == ["html"] * 2 + ["xlsx"] * 12
    errors = _errors(summary, portal)
    for path, code in EXPECTED_ERRORS.items():
        assert errors.pop(path) == code, path
    # Links to the mirror host are refused without a request: the article and an attachment.
    assert sorted(errors) == ["FOREIGN:P020240201998.pdf", "FOREIGN:zwgk/202402/t20240211_11.html"]
    assert set(errors.values()) == {"host_not_allowed"}

    # Nothing ever reached the other host, not even through the redirect; robots.txt was honoured.
    assert portal.forbidden.requests == []
    paths = [r.path for r in portal.server.requests]
    assert paths[0] == "/robots.txt" and paths.count("/robots.txt") == 1
    assert not [p for p in paths if p.startswith("/private/") or p.endswith("_wap.html")]
    assert {r.user_agent for r in portal.server.requests} == {summary_user_agent()}
    # The flaky article (503 once) was retried and read; the slow one waited for.
    assert portal.server.hits[f"{FAULTS}/t20240208_8.html"] == 2
    assert f"{FAULTS}/t20240209_9.html" not in EXPECTED_ERRORS

    one = next(f for f in summary.new_files if f.file_type == "xlsx")
    assert one.path.is_file() and one.path.parent.parent.name == "sha256"
    assert one.path.name.startswith(one.sha256[2:]) and one.path.parent.name == one.sha256[:2]
    assert one.metadata["department_name"].startswith("重庆市綦江区")
    assert one.metadata["article_index_number"].startswith("11500110MB1234567X/")
    assert one.metadata["article_publish_date"][:4] in {"2023", "2024", "2025"}
    assert read_xlsx(one.path).lines  # what was archived is what extraction reads

    con = duckdb.connect(str(portal.warehouse), read_only=True)
    documents = con.execute(
        "select count(*), count(distinct department), bool_and(is_current), max(version) "
        "from archive.documents"
    ).fetchone()
    assert documents == (14, 4, True, 1)
    # Every fault is a row in archive.fetches with its code; the good requests have hash and validators.
    recorded = dict(
        con.execute("select url, error_code from archive.fetches where error_code is not null").fetchall()
    )
    assert {
        u.removeprefix(portal.server.origin): c
        for u, c in recorded.items()
        if u.startswith(portal.server.origin)
    } == EXPECTED_ERRORS
    assert (
        con.execute(
            "select count(*) from archive.fetches where error_code is null and "
            "(sha256 is null or etag is null)"
        ).fetchone()[0]
        == 0
    )


def summary_user_agent() -> str:
    from extractors.crawl.config import USER_AGENT

    return USER_AGENT


def test_second_crawl_fetches_nothing_new(portal):
    first = crawl(portal.sources, portal.warehouse, portal.archive, portal.variables)
    before = len(portal.server.requests)

    again = crawl(portal.sources, portal.warehouse, portal.archive, portal.variables)

    assert again.new_files == []
    assert again.downloaded == 1  # only the fault page served as 200 garbage, which has no validators
    assert again.not_modified == first.downloaded - 1 and again.known_files == 14
    conditional = [
        r
        for r in portal.server.requests[before:]
        if r.path.endswith((".xlsx", "index.html")) and "gzcs" not in r.path
    ]
    assert conditional and all(r.conditional for r in conditional)
    assert again.seconds < 10
    assert portal.forbidden.requests == []


def test_changed_document_is_refetched_and_versioned(portal):
    first = crawl(portal.sources, portal.warehouse, portal.archive, portal.variables)
    old = next(f for f in first.new_files if f.source_url.endswith(".xlsx"))
    site_file = portal.site / old.source_url.removeprefix(portal.server.origin + "/")
    revised = site_file.read_bytes().replace(b"\x00", b"\x00", 1)
    import openpyxl

    wb = openpyxl.load_workbook(site_file)
    wb.active["E2"] = "单位：万元（更正）"
    wb.save(site_file)
    assert site_file.read_bytes() != revised

    second = crawl(portal.sources, portal.warehouse, portal.archive, portal.variables)

    assert [(f.source_url, f.version, f.supersedes) for f in second.new_files] == [
        (old.source_url, 2, old.sha256)
    ]
    assert old.path.read_bytes() == revised  # the first version is still archived, unchanged
    con = duckdb.connect(str(portal.warehouse), read_only=True)
    rows = con.execute(
        "select version, is_current, superseded_by from archive.documents where first_url = ? "
        "order by version",
        [old.source_url],
    ).fetchall()
    assert rows == [(1, False, second.new_files[0].sha256), (2, True, None)]

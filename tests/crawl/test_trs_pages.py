"""Reading TRS listing and article pages, sources files, and the archive's naming and dedupe rules."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from extractors.crawl import trs
from extractors.crawl.archive import Archive
from extractors.crawl.config import SourcesError, load_sources

BASE = "https://www.cqqj.gov.cn/zwgk_180/fdzdgknr/czyjs/ys/"


def soup(html: str) -> BeautifulSoup:
    return trs.soup_of(html.encode("utf-8"))


def test_wap_twin_and_fragment_map_to_the_article():
    assert (
        trs.canonical_url(BASE + "202402/t20240205_15432101_wap.html#top")
        == BASE + "202402/t20240205_15432101.html"
    )
    assert trs.is_article(BASE + "202402/t20240205_15432101.html")
    assert not trs.is_article(BASE + "202402/P020240205123.pdf")


def test_listing_pages_from_create_page_html_and_subcolumns():
    page = soup("""<ul><li><a href="./202402/t20240205_1.html">a</a></li>
        <li><a href="./202402/t20240205_1_wap.html">a (wap)</a></li>
        <li><a href="./sjj/">审计局</a></li><li><a href="/index.html">首页</a></li></ul>
        <script>createPageHTML(3, 0, "index", "html");</script>""")
    listing = trs.parse_listing(BASE + "index.html", page)
    assert listing.page_count == 3
    assert listing.article_urls == [BASE + "202402/t20240205_1.html"]
    assert listing.listing_urls == [
        BASE + "index.html",
        BASE + "index_1.html",
        BASE + "index_2.html",
        BASE + "sjj/index.html",
    ]


@pytest.mark.parametrize(
    "block",
    [
        "<table><tr><td>[ 索引号 ]</td><td>11500110MB1234567X/2024-00012</td></tr>"
        "<tr><td>[ 发布机构 ]</td><td>重庆市綦江区审计局</td></tr>"
        "<tr><td>[ 发布日期 ]</td><td>2024-02-05</td></tr></table>",
        "<div>[ 索号 ] 11500110MB1234567X/2024-00012 [ 发布机构 ] 重庆市綦江区审计局 [ 有性 ] 有效 "
        "[ 发布日期 ] 2024-02-05</div>",
        "<ul><li><span>[ 索引号 ]</span>11500110MB1234567X/2024-00012</li><li><span>[ 发布机构 ]</span>"
        "重庆市綦江区审计局</li><li><span>[ 发布日期 ]</span>2024-02-05</li></ul>",
    ],
)
def test_metadata_block_as_table_line_or_list_with_garbled_labels(block):
    page = soup(
        f"<html><body><div class='crumbs'>当前位置：<a>首页</a> &gt; <a>政务公开</a> &gt; "
        f"<a>部门预算</a> &gt; <a>重庆市綦江区审计局</a></div><h1>2024年部门预算公开</h1>{block}"
        f"<a href='./P020240205123456.pdf'>附件1：2024年部门预算.pdf</a>"
        f"<a href='../other.html'>其他</a></body></html>"
    )
    article = trs.parse_article(BASE + "202402/t20240205_1.html", page, ("pdf", "xlsx"))
    assert article.metadata["index_number"] == "11500110MB1234567X/2024-00012"
    assert article.metadata["publish_date"] == "2024-02-05"
    assert article.department == "重庆市綦江区审计局"
    assert (article.fiscal_year, article.document_type) == (2024, "budget")
    assert [a.url for a in article.attachments] == [BASE + "202402/P020240205123456.pdf"]
    assert not article.has_inline_tables


def test_garbage_is_malformed_html():
    with pytest.raises(trs.MalformedPage):
        trs.soup_of(b"\x00\xff" * 100)


def test_sources_defaults_placeholders_and_errors(tmp_path):
    path = tmp_path / "s.yml"
    path.write_text(
        "portals:\n  - {name: a, region: 綦江区, start_urls: ['http://127.0.0.1:{port}/ys/'],"
        " allowed_hosts: ['127.0.0.1:{port}']}\n",
        encoding="utf-8",
    )
    (portal,) = load_sources(path, {"port": 8123})
    assert portal.start_urls == ("http://127.0.0.1:8123/ys/",) and portal.min_interval_seconds == 1.0
    assert portal.host_allowed("http://127.0.0.1:8123/x") and not portal.host_allowed(
        "http://127.0.0.1:8124/x"
    )
    assert not portal.host_allowed("http://localhost:8123/x")
    with pytest.raises(SourcesError, match="placeholder"):
        load_sources(path)
    path.write_text(
        "portals:\n  - {name: a, region: r, start_urls: ['https://evil.example/'], "
        "allowed_hosts: [www.cqqj.gov.cn]}\n",
        encoding="utf-8",
    )
    with pytest.raises(SourcesError, match="not on an allowed host"):
        load_sources(path)
    path.write_text(
        "portals:\n  - {name: a, region: r, start_urls: ['https://www.cqqj.gov.cn/'], "
        "allowed_hosts: [www.cqqj.gov.cn], speed: 3}\n",
        encoding="utf-8",
    )
    with pytest.raises(SourcesError, match="unknown setting"):
        load_sources(path)


def test_chongqing_sources_parse(tmp_path):
    from pathlib import Path

    portals = load_sources(Path(__file__).resolve().parents[2] / "sources" / "chongqing.yml")
    assert {p.region for p in portals} >= {"綦江区", "潼南区"}
    assert all(p.host_allowed(u) for p in portals for u in p.start_urls)


def test_archive_names_cannot_escape_and_same_bytes_register_once(tmp_path):
    archive = Archive(tmp_path / "wh.duckdb", tmp_path / "archive")
    sha, path = archive.store(b"%PDF-1.4 sample", "pdf")
    assert path == (tmp_path / "archive" / "sha256" / sha[:2] / f"{sha[2:]}.pdf").resolve()
    with pytest.raises(ValueError):
        archive.path_for("../../etc/passwd", "pdf")
    common = dict(
        sha256=sha,
        path=path,
        file_type="pdf",
        label="附件1",
        metadata={},
        portal="p",
        region="綦江区",
        department="审计局",
        fiscal_year=2024,
        document_type="budget",
        version_key="k",
    )
    first = archive.register(url="http://h/a.pdf", **common)
    again = archive.register(url="http://h/mirror/a.pdf", **common)
    assert (first.is_new, again.is_new) == (True, False)
    urls = archive.con.execute("select urls from archive.documents").fetchone()[0]
    assert urls == ["http://h/a.pdf", "http://h/mirror/a.pdf"]
    archive.close()

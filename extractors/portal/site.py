"""Build a static TRS-structured district portal in a folder.

The layout follows DOMAIN.md "Where documents are published": a central column tree
``zwgk_77/fdzdgknr/czyjs/{ys,js}/<dept>/`` with paginated listings (``index.html``, ``index_1.html``,
page count in ``createPageHTML``), per-department sub-sites ``bm/<dept>/zwgk/ysjs/{ysgk,jsgk}/`` listing
the same articles (duplicate links, ``_wap`` twins), article pages ``<YYYYMM>/t<YYYYMMDD>_<id>.html``
with a metadata block (as a table, one line or a list, some labels garbled) and a breadcrumb naming
the department, attachments ``P0<digits>.xlsx`` beside the article, inline-table summary pages, and a
robots.txt. With ``faults=True`` a column of broken links is added, and ``_faults.json`` tells the
server (``extractors.portal.server``) how to misbehave for them.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from html import escape
from pathlib import Path

CENTRAL = "zwgk_77/fdzdgknr/czyjs"
PAGE_SIZE = 2
FAULTS_FILE = "_faults.json"
ROBOTS = "User-agent: *\nDisallow: /private/\n"
LEAF = {"budget": ("ys", "ysgk", "部门预算"), "final_account": ("js", "jsgk", "部门决算")}
CREDIT_CODE = "11500110MB1234567X"


@dataclass(frozen=True)
class Department:
    slug: str
    name: str


@dataclass
class Disclosure:
    """One article: a department's budget or final accounts of a year, with its files."""

    department: Department
    fiscal_year: int
    document_type: str  # budget | final_account
    attachments: dict[str, bytes] = field(default_factory=dict)  # file name (P0….ext) -> bytes
    inline_table: str | None = None  # HTML of tables shown in the article itself
    narrative: str = ""


DEPARTMENTS = (
    Department("zwfwb", "重庆市綦江区政务服务管理办公室"),
    Department("sjj", "重庆市綦江区审计局"),
    Department("tjj", "重庆市綦江区统计局"),
)


def sample_workbook(department: str, year: int, document_type: str, scale: Decimal) -> bytes:
    """A small general-budget expenditure table whose rows and columns add up."""
    import openpyxl

    basic = {"2010301": Decimal("410.25") * scale, "2080505": Decimal("52.10") * scale}
    project = {"2010301": Decimal("120.00") * scale, "2080505": Decimal("0.00")}
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "一般公共预算支出表"
    kind = "预算" if document_type == "budget" else "决算"
    ws.append([f"{department}{year}年一般公共预算财政拨款支出{kind}表"])
    ws.merge_cells("A1:E1")
    ws.append([None, None, None, None, "单位：万元"])
    ws.append(["科目编码", "科目名称", "一般公共预算支出", None, None])
    ws.append([None, None, "合计", "基本支出", "项目支出"])
    ws.merge_cells("A3:A4")
    ws.merge_cells("B3:B4")
    ws.merge_cells("C3:E3")
    names = {"2010301": "行政运行", "2080505": "机关事业单位基本养老保险缴费支出"}
    total_basic, total_project = sum(basic.values()), sum(project.values())
    ws.append(["合计", None, float(total_basic + total_project), float(total_basic), float(total_project)])
    for code, name in names.items():
        ws.append([code, name, float(basic[code] + project[code]), float(basic[code]), float(project[code])])
    for row in ws.iter_rows(min_row=5, min_col=3):
        for cell in row:
            cell.number_format = "#,##0.00"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def sample_inline_table(year: int, rows: list[tuple[str, Decimal, Decimal]]) -> str:
    """A 三公 summary table with a two-level header, as finance bureaus embed them in article pages."""
    body = "".join(
        f"<tr><td>{escape(name)}</td><td>{a + b:,.2f}</td><td>{a:,.2f}</td><td>{b:,.2f}</td></tr>"
        for name, a, b in rows
    )
    return (
        f"<p>{year}年区级部门\u201c三公\u201d经费预算汇总表（单位：万元）</p>"
        "<table border='1'><tr><td rowspan='2'>单位名称</td><td rowspan='2'>合计</td>"
        "<td colspan='2'>其中</td></tr><tr><td>公务接待费</td><td>公务用车运行费</td></tr>"
        f"{body}</table>"
    )


def sample_disclosures(years: tuple[int, ...] = (2023, 2024)) -> list[Disclosure]:
    out = []
    serial = 0
    for year in years:
        for dept in DEPARTMENTS:
            for document_type in ("budget", "final_account"):
                serial += 1
                scale = Decimal(1) + Decimal(serial) / 10
                name = f"P0{year}0{serial:04d}{7000 + serial}.xlsx"
                kind = "预算" if document_type == "budget" else "决算"
                out.append(
                    Disclosure(
                        dept,
                        year,
                        document_type,
                        attachments={name: sample_workbook(dept.name, year, document_type, scale)},
                        narrative=f"{dept.name}{year}年部门{kind}公开，报表见附件。",
                    )
                )
        summary = Department("czj", "重庆市綦江区财政局")
        rows = [(d.name, Decimal("3.50") + i, Decimal("12.25") + i) for i, d in enumerate(DEPARTMENTS)]
        out.append(
            Disclosure(
                summary,
                year,
                "budget",
                inline_table=sample_inline_table(year, rows),
                narrative=f"现将{year}年区级部门\u201c三公\u201d经费预算汇总情况公开如下。",
            )
        )
    return out


def _metadata_block(style: int, index_number: str, publisher: str, date: str) -> str:
    items = [
        ("索引号", index_number),
        ("发文字号", ""),
        ("主题分类", "财政预决算"),
        ("体裁分类", "预决算"),
        ("发布机构", publisher),
        ("有效性", "有效"),
        ("成文日期", date),
        ("发布日期", date),
    ]
    if style == 1:  # garbled labels, one line
        garbled = {"索引号": "索号", "有效性": "有性"}
        return (
            "<div class='xxgk'>"
            + " ".join(f"[ {garbled.get(k, k)} ] {escape(v)}" for k, v in items)
            + "</div>"
        )
    if style == 2:
        return (
            "<ul class='xxgk'>"
            + "".join(f"<li><span>[ {k} ]</span> {escape(v)}</li>" for k, v in items)
            + "</ul>"
        )
    cells = "".join(f"<tr><td>[ {k} ]</td><td>{escape(v)}</td></tr>" for k, v in items)
    return f"<table class='xxgk'>{cells}</table>"


def _page(title: str, body: str) -> str:
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{escape(title)}</title></head>"
        f"<body><div class='header'><a href='/'>首页</a></div>{body}</body></html>"
    )


def _breadcrumb(*items: str) -> str:
    return (
        "<div class='crumbs'>当前位置："
        + " &gt; ".join(f"<a href='#'>{escape(i)}</a>" for i in items)
        + "</div>"
    )


def _listing(
    title: str,
    crumbs: tuple[str, ...],
    links: list[tuple[str, str, str]],
    page: int,
    pages: int,
    subcolumns: Sequence[tuple[str, str]] = (),
) -> str:
    nav = "".join(f"<li><a href='{href}'>{escape(name)}</a></li>" for href, name in subcolumns)
    items = "".join(
        f"<li><a href='{href}' title='{escape(t)}'>{escape(t)}</a><span>{d}</span></li>"
        for href, t, d in links
    )
    script = f'<script>createPageHTML({pages}, {page}, "index", "html");</script>'
    return _page(
        title,
        f"{_breadcrumb('首页', *crumbs)}<ul class='subcolumns'>{nav}</ul>"
        f"<ul class='list'>{items}</ul>{script}",
    )


def _write(root: Path, rel: str, data: str | bytes) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def _paginate(
    root: Path,
    column: str,
    title: str,
    crumbs: tuple[str, ...],
    links: list[tuple[str, str, str]],
    subcolumns: Sequence[tuple[str, str]] = (),
) -> None:
    pages = max(1, -(-len(links) // PAGE_SIZE))
    for page in range(pages):
        name = "index.html" if page == 0 else f"index_{page}.html"
        chunk = links[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
        _write(
            root,
            f"{column}/{name}",
            _listing(title, crumbs, chunk, page, pages, subcolumns if not page else ()),
        )


def build_site(
    root: Path,
    disclosures: list[Disclosure] | None = None,
    faults: bool = False,
    foreign_origin: str = "http://mirror.example.invalid",
) -> Path:
    """Write the portal into ``root``; returns ``root``. ``foreign_origin``: a host no crawl may reach."""
    root = Path(root)
    disclosures = sample_disclosures() if disclosures is None else disclosures
    _write(root, "robots.txt", ROBOTS)
    columns: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
    subsite: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
    names: dict[str, str] = {}
    for serial, d in enumerate(disclosures, 1):
        leaf, sub_leaf, kind = LEAF[d.document_type]
        column = f"{CENTRAL}/{leaf}/{d.department.slug}"
        month = f"{d.fiscal_year}02" if d.document_type == "budget" else f"{d.fiscal_year + 1}09"
        date = f"{month[:4]}-{month[4:]}-{10 + serial % 18:02d}"
        article = f"{month}/t{date.replace('-', '')}_{15_000_000 + serial}"
        title = f"{d.department.name}{d.fiscal_year}年{kind}公开"
        files = "".join(
            f"<p><a href='./{name}'>附件{i}：{escape(title)}{name[-5:]}</a></p>"
            for i, name in enumerate(d.attachments, 1)
        )
        content = (
            f"<h1>{escape(title)}</h1>"
            + _metadata_block(serial % 3, f"{CREDIT_CODE}/{month[:4]}-{serial:05d}", d.department.name, date)
            + f"<div class='trs_editor_view'><p>{escape(d.narrative)}</p>{d.inline_table or ''}</div>{files}"
        )
        html = _page(title, _breadcrumb("首页", "政务公开", "财政预决算", kind, d.department.name) + content)
        _write(root, f"{column}/{article}.html", html)
        _write(root, f"{column}/{article}_wap.html", html.replace("class='header'", "class='header wap'"))
        for name, data in d.attachments.items():
            _write(root, f"{column}/{month}/{name}", data)
        link = (f"./{article}.html", title, date)
        columns.setdefault((leaf, d.department.slug), []).append(link)
        names[d.department.slug] = d.department.name
        # The department's sub-site lists the same article by absolute path, and its mobile twin.
        sub = f"/{column}/{article}"
        subsite.setdefault((sub_leaf, d.department.slug), []).extend(
            [(f"{sub}.html", title, date), (f"{sub}_wap.html", title, date)]
        )
    for leaf, _, kind in LEAF.values():
        slugs = sorted(s for (lf, s) in columns if lf == leaf)
        _paginate(
            root,
            f"{CENTRAL}/{leaf}",
            kind,
            ("政务公开", "财政预决算", kind),
            [],
            [(f"./{s}/", names[s]) for s in slugs],
        )
        for slug in slugs:
            _paginate(
                root,
                f"{CENTRAL}/{leaf}/{slug}",
                names[slug],
                ("财政预决算", kind, names[slug]),
                columns[(leaf, slug)],
            )
    for (sub_leaf, slug), links in subsite.items():
        _paginate(root, f"bm/{slug}/zwgk/ysjs/{sub_leaf}", names[slug], ("部门", names[slug]), links)
    if faults:
        _write_faults(root, foreign_origin)
    return root


FAULT_COLUMN = f"{CENTRAL}/ys/gzcs"


def _write_faults(root: Path, foreign_origin: str) -> None:
    """A column whose articles each fail in one way; ``_faults.json`` drives the server."""
    base = f"/{FAULT_COLUMN}/202402"
    faults = {
        f"{base}/t20240201_1.html": {"kind": "status", "status": 404},
        f"{base}/t20240202_2.html": {"kind": "status", "status": 500},
        f"{base}/t20240203_3.html": {"kind": "delay", "seconds": 5},
        f"{base}/t20240204_4.html": {"kind": "redirect", "to": f"{base}/t20240205_5.html"},
        f"{base}/t20240205_5.html": {"kind": "redirect", "to": f"{base}/t20240204_4.html"},
        f"{base}/t20240206_6.html": {"kind": "redirect", "to": f"{foreign_origin}/stolen.html"},
        f"{base}/t20240207_7.html": {"kind": "body", "hex": "00ff00fe" * 64, "type": "text/html"},
        f"{base}/t20240208_8.html": {"kind": "flaky", "failures": 1, "status": 503},
        f"{base}/t20240209_9.html": {"kind": "delay", "seconds": 0.3},
        f"{base}/P020240201999.xlsx": {"kind": "oversize", "bytes": 3 * 1024 * 1024},
    }
    dept = "测试部门"
    crumbs = ("政务公开", "财政预决算", "部门预算", dept)
    good = _page(
        "故障测试",
        _breadcrumb("首页", *crumbs)
        + "<h1>重庆市綦江区测试局2024年部门预算公开</h1>"
        + _metadata_block(0, f"{CREDIT_CODE}/2024-9", "重庆市綦江区测试局", "2024-02-08")
        + "<p><a href='./P020240201999.xlsx'>附件：超大文件.xlsx</a></p>"
        + f"<p><a href='{foreign_origin}/P020240201998.pdf'>镜像站附件.pdf</a></p>",
    )
    for n in (8, 9):
        _write(root, f"{FAULT_COLUMN}/202402/t2024020{n}_{n}.html", good)
    links = [(f"./202402/t2024020{n}_{n}.html", f"故障{n}", "2024-02-01") for n in range(1, 10)]
    links += [
        ("/private/202402/t20240210_10.html", "禁止抓取", "2024-02-10"),
        (f"{foreign_origin}/zwgk/202402/t20240211_11.html", "镜像站文章", "2024-02-11"),
    ]
    _write(root, "private/202402/t20240210_10.html", good)
    _paginate(root, FAULT_COLUMN, dept, crumbs, links)
    # The central budget column links the fault column like any department column.
    index = root / CENTRAL / "ys" / "index.html"
    index.write_text(
        index.read_text(encoding="utf-8").replace(
            "<ul class='subcolumns'>", "<ul class='subcolumns'><li><a href='./gzcs/'>测试部门</a></li>"
        ),
        encoding="utf-8",
    )
    _write(root, FAULTS_FILE, json.dumps(faults, indent=1))

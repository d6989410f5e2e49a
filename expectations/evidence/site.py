"""The evidence site: static pages a reviewer opens offline, every asset inline or beside them.

    index.html                  region → department → document, quality status, finding counts, search
    documents/<id>.html         title, year, type, source URL, the archived original, every finding with
                                its crop (PDF) or its table region (XLSX, HTML, text form)
    rules/index.html            every rule that fires, how often
    rules/<rule>.html           where that rule fires across the warehouse
    crops/*.png                 a crop per failing place and page (only failing places are rendered)
    annotated/<id>.pdf          each failing PDF's pages with the boxes and numbered notes
    originals/<id>.<ext>        the archived original (a hard link where the file system allows)

Built beside the warehouse (``<warehouse>.evidence/``) after every run, copied into the publication's
docs. A finding's page is ``documents/<id>.html#f-<key>``; ``evidence_url`` gives its address under
``BUDGETWH_EVIDENCE_BASE_URL`` (default: the site's folder as a file URL).
"""

from __future__ import annotations

import html
import json
import multiprocessing
import os
import shutil
import time
import uuid
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb

from expectations.evidence.locate import (
    PART,
    SUSPECT,
    TOTAL,
    Cell,
    Finding,
    failed_findings,
    has_relation,
    locate,
)
from expectations.evidence.render import COLOURS, Crop, PageRenderer, annotated_pdf, crops_for
from expectations.evidence.review import current_verdicts
from extractors.load import memory_limit

BASE_URL_ENV = "BUDGETWH_EVIDENCE_BASE_URL"
PARALLEL_FROM_DOCUMENTS = 8  # PDFs to render before a process pool pays for its start
TABLE_CONTEXT_ROWS = 2  # lines shown above and below the boxed cells of a table region
REGION_MAX_ROWS = 40  # a table region spanning more shows the lines around its total only
CROPS_PER_DOCUMENT = 100  # findings of a document shown as page crops (``cropped_findings``)


@dataclass
class SiteSummary:
    path: Path
    documents: int
    findings: int
    crops: int
    annotated: int
    seconds: float

    def __str__(self) -> str:
        return (
            f"evidence site {self.path}: {self.documents} document(s), {self.findings} finding(s), "
            f"{self.crops} crop(s), {self.annotated} annotated PDF(s), {self.seconds:.1f} s"
        )


@dataclass
class Document:
    document_id: str
    title: str | None
    region: str | None
    department: str | None
    fiscal_year: int | None
    document_type: str | None
    file_type: str | None
    source_url: str | None
    source_path: str | None
    status: str | None
    error_code: str | None
    error_message: str | None
    quality_status: str | None
    original: str | None = None  # the site's copy, relative to the site


def evidence_dir(warehouse: Path) -> Path:
    return Path(f"{warehouse}.evidence")


def document_page(document_id: str) -> str:
    return f"documents/{document_id}.html"


def evidence_url(
    document_id: str | None, key: str | None, warehouse: Path, base_url: str | None = None
) -> str:
    """The address of a finding's evidence: ``base_url`` (or ``BUDGETWH_EVIDENCE_BASE_URL``, else the
    site's folder as a file URL) + its document's page + its anchor."""
    base = base_url or os.environ.get(BASE_URL_ENV) or evidence_dir(Path(warehouse)).resolve().as_uri()
    page = document_page(document_id) if document_id else "rules/index.html"
    return f"{base.rstrip('/')}/{page}" + (f"#f-{key}" if key and document_id else "")


def build_site(warehouse: Path, out: Path | None = None, data_docs: Path | None = None) -> SiteSummary:
    """Write the site for the warehouse's current findings, replacing the previous one whole; then make
    the GX Data Docs at ``data_docs`` (where given and present) open offline, linking into it."""
    from expectations.evidence.data_docs import make_offline

    started = time.perf_counter()
    warehouse = Path(warehouse)
    out = Path(out) if out else evidence_dir(warehouse)
    building = out.with_name(f".{out.name}.{uuid.uuid4().hex[:8]}")
    for folder in ("documents", "rules", "crops", "annotated", "originals"):
        (building / folder).mkdir(parents=True)
    con = duckdb.connect(str(warehouse), read_only=True)
    con.execute("set memory_limit = $limit", {"limit": memory_limit()})
    try:
        documents = _documents(con)
        findings = failed_findings(con)
        locate(con, findings)
        cells = _table_cells(con, findings)
        verdicts = current_verdicts(con)
    finally:
        con.close()
    by_document: dict[str | None, list[Finding]] = defaultdict(list)
    for f in findings:
        by_document[f.document_id].append(f)
    crops, annotated = _render(documents, by_document, building)
    for doc in documents.values():
        doc.original = _archive_original(doc, building)
        mine = by_document.get(doc.document_id, [])
        _write(
            building / document_page(doc.document_id),
            _document_html(
                doc,
                mine,
                crops,
                cells,
                verdicts,
                (building / "annotated" / f"{doc.document_id}.pdf").exists(),
            ),
        )
    _write(building / "index.html", _index_html(documents, by_document))
    _write_rule_pages(building, documents, findings)
    _swap(building, out)
    if data_docs is not None and Path(data_docs).is_dir():
        make_offline(Path(data_docs), out, findings)
    return SiteSummary(
        out,
        len(documents),
        len(findings),
        sum(len(c) for c in crops.values()),
        annotated,
        time.perf_counter() - started,
    )


def _render(documents: dict[str, Document], by_document: dict[str | None, list[Finding]], building: Path
            ) -> tuple[dict[str, list[Crop]], int]:
    """The crops and annotated PDF of every PDF with boxed findings, a process per core beyond a few
    documents (rendering and PNG encoding are most of the site's time)."""
    work = [(Path(d.source_path), d.document_id, by_document[d.document_id], building)
            for d in documents.values()
            if d.file_type == "pdf" and d.source_path and Path(d.source_path).is_file()
            and any(b.bbox for f in by_document.get(d.document_id, []) for b in f.boxes)]
    crops: dict[str, list[Crop]] = {}
    annotated = 0
    if len(work) < PARALLEL_FROM_DOCUMENTS:
        results = [_render_document(*w) for w in work]
    else:
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=os.cpu_count() or 1, mp_context=context) as pool:
            results = list(pool.map(_render_document, *zip(*work, strict=True), chunksize=8))
    for document_crops, has_annotated in results:
        crops |= document_crops
        annotated += has_annotated
    return crops, annotated


def cropped_findings(findings: list[Finding]) -> list[Finding]:
    """The findings of one document that get page crops, at most ``CROPS_PER_DOCUMENT``: errors first,
    then warnings, extraction doubts last, each in the document's order. The site's cost then grows
    with documents, not with the findings a misread table can raise by the thousand (深圳生态环境局 2026:
    1,650 doubts); the others show their table region and the annotated PDF every boxed page."""
    def priority(f: Finding) -> tuple[int, int, int]:
        return (f.severity != "error", f.finding_kind == "extraction_doubt", f.number)

    return sorted(findings, key=priority)[:CROPS_PER_DOCUMENT]


def _render_document(pdf: Path, document_id: str, findings: list[Finding], building: Path
                     ) -> tuple[dict[str, list[Crop]], bool]:
    renderer = PageRenderer(pdf)
    try:
        crops = {f.key + document_id: crops_for(f, renderer, building / "crops")
                 for f in cropped_findings(findings)}
        annotated = annotated_pdf(findings, renderer, building / "annotated" / f"{document_id}.pdf")
        return crops, annotated is not None
    finally:
        renderer.close()


# --- read ------------------------------------------------------------------------------------------


def _documents(con: duckdb.DuckDBPyConnection) -> dict[str, Document]:
    has_dim = has_relation(con, "marts", "dim_document")
    quality = "d.quality_status" if has_dim else "null"
    join = "left join marts.dim_document as d using (document_id)" if has_dim else ""
    rows = con.execute(f"""
        select s.document_id, s.title, s.region_name, s.department_name, s.fiscal_year, s.document_type,
            s.file_type, s.source_url, s.source_path, s.status, s.error_code, s.error_message, {quality}
        from staging.documents as s {join}
        order by s.region_name, s.department_name, s.fiscal_year, s.document_type, s.document_id"""
    ).fetchall()
    return {r[0]: Document(*r) for r in rows}


def _table_cells(
    con: duckdb.DuckDBPyConnection, findings: list[Finding]
) -> dict[tuple[str, int], list[Cell]]:
    """The cells of the tables whose findings are shown as table regions (no PDF bbox)."""
    wanted = sorted(
        {
            (f.document_id, f.table_index)
            for f in findings
            if f.document_id and f.table_index is not None and f.boxes and not any(b.bbox for b in f.boxes)
        }
    )
    out: dict[tuple[str, int], list[Cell]] = defaultdict(list)
    if not wanted:
        return out
    con.execute(
        "create or replace temp table wanted_tables as select * from "
        "(select unnest($d::varchar[]) as document_id, unnest($t::integer[]) as table_index)",
        {"d": [w[0] for w in wanted], "t": [w[1] for w in wanted]},
    )
    for d, t, r, c, kind, code, name, label, measure, raw, amount, page in con.execute("""
            select c.document_id, c.table_index, c.row_index, c.col_index, c.row_kind, c.row_code, c.row_name,
                c.column_label, c.measure, c.raw_text, c.amount, c.page
            from staging.cells as c inner join wanted_tables using (document_id, table_index)
            order by 1, 2, 3, 4""").fetchall():
        out[(d, t)].append(Cell(t, r, c, kind, code, name, label, measure, raw, amount, page, None))
    return out


def _archive_original(doc: Document, site: Path) -> str | None:
    """The archived file, linked into the site (copied where a hard link cannot be made)."""
    if not doc.source_path or not Path(doc.source_path).is_file():
        return None
    name = f"originals/{doc.document_id}{Path(doc.source_path).suffix.lower()}"
    try:
        os.link(doc.source_path, site / name)
    except OSError:
        shutil.copyfile(doc.source_path, site / name)
    return name


def _swap(building: Path, out: Path) -> None:
    old = out.with_name(f".{out.name}.old-{uuid.uuid4().hex[:8]}")
    if out.exists():
        out.rename(old)
    building.rename(out)
    shutil.rmtree(old, ignore_errors=True)


# --- write -----------------------------------------------------------------------------------------

STYLE = """
body{font-family:system-ui,"Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif;margin:0;color:#222;
background:#fafafa}
header{background:#263238;color:#fff;padding:12px 24px}header a{color:#cfd8dc}
main{padding:16px 24px;max-width:1200px}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;
vertical-align:top}th{background:#eceff1}
.num{text-align:right;font-variant-numeric:tabular-nums}
.failed{color:#b71c1c;font-weight:600}.warnings{color:#e65100}.passed{color:#1b5e20}.rejected{color:#6a1b9a}
.finding{background:#fff;border:1px solid #ddd;border-left:6px solid #b71c1c;margin:16px 0;padding:8px 16px}
.finding.warning{border-left-color:#e65100}
.finding img{max-width:100%;border:1px solid #999}
.meta dt{font-weight:600;float:left;width:9em;clear:left}.meta dd{margin-left:10em}
.meta dd.num{text-align:left}
td.total{outline:3px solid rgb(TOTAL_RGB);background:#ffebee}
td.part{outline:3px solid rgb(PART_RGB);background:#e3f2fd}
td.suspect{outline:3px solid rgb(SUSPECT_RGB);background:#fff3e0}
.legend span{display:inline-block;width:1em;height:1em;vertical-align:middle;margin:0 4px 0 12px}
input#search{font-size:1.1em;padding:4px 8px;width:24em}
.hidden{display:none}.verdict{margin:4px 0}.verdict[data-verdict=dismissed]{color:#555}
.verdict[data-verdict=confirmed]{color:#b71c1c}.session{float:right}
"""
for _role in (TOTAL, PART, SUSPECT):
    STYLE = STYLE.replace(f"{_role.upper()}_RGB", ",".join(map(str, COLOURS[_role])))

SEARCH_JS = """
document.getElementById('search').addEventListener('input', function (e) {
  var q = e.target.value.trim().toLowerCase();
  document.querySelectorAll('[data-department]').forEach(function (row) {
    row.classList.toggle('hidden', q !== '' && row.dataset.department.toLowerCase().indexOf(q) < 0);
  });
  document.querySelectorAll('section[data-region]').forEach(function (s) {
    s.classList.toggle('hidden', !s.querySelector('[data-department]:not(.hidden)'));
  });
});
"""


def _e(x) -> str:
    return "" if x is None else html.escape(str(x))


def _page(title: str, body: str, root: str, script: str = "") -> str:
    scripts = f"<script>{script}</script>" if script else ""
    return (
        f'<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>{_e(title)}</title>'
        f'<meta name="viewport" content="width=device-width"><style>{STYLE}</style></head><body>'
        f'<header><a href="{root}index.html">budgetwh evidence</a> · '
        f'<a href="{root}rules/index.html">rules</a><h1>{_e(title)}</h1></header>'
        f"<main>{body}</main>{scripts}</body></html>"
    )


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def _status(doc: Document) -> str:
    return "rejected" if doc.status == "rejected" else (doc.quality_status or "not validated")


def _index_html(documents: dict[str, Document], by_document: dict[str | None, list[Finding]]) -> str:
    regions: dict[str, dict[str, list[Document]]] = defaultdict(lambda: defaultdict(list))
    for doc in documents.values():
        regions[doc.region or "(region unknown)"][doc.department or "(department unknown)"].append(doc)
    parts = [
        '<p><input id="search" type="search" placeholder="search a department / 搜索部门" '
        'aria-label="search by department name"></p>'
    ]
    for region, departments in sorted(regions.items()):
        rows = []
        for department, docs in sorted(departments.items()):
            for doc in docs:
                found = by_document.get(doc.document_id, [])
                errors = sum(f.severity == "error" for f in found)
                warnings = len(found) - errors
                status = _status(doc)
                rows.append(
                    f'<tr data-department="{_e(department)}"><td>{_e(department)}</td>'
                    f'<td><a href="{document_page(doc.document_id)}">'
                    f"{_e(doc.title or doc.document_id)}</a></td>"
                    f"<td>{_e(doc.fiscal_year)}</td><td>{_e(doc.document_type)}</td><td>{_e(doc.file_type)}</td>"
                    f'<td class="{_e(status)}">{_e(status)}</td><td class="num">{errors}</td>'
                    f'<td class="num">{warnings}</td></tr>'
                )
        parts.append(
            f'<section data-region="{_e(region)}"><h2>{_e(region)}</h2><table><tr><th>department</th>'
            "<th>document</th><th>year</th><th>type</th><th>format</th><th>quality</th>"
            "<th>errors</th><th>warnings</th></tr>" + "".join(rows) + "</table></section>"
        )
    total = sum(len(v) for k, v in by_document.items() if k)
    return _page(f"{len(documents)} documents, {total} findings", "".join(parts), "", SEARCH_JS)


def _document_html(
    doc: Document,
    findings: list[Finding],
    crops: dict[str, list[Crop]],
    cells: dict[tuple[str, int], list[Cell]],
    verdicts: dict[tuple[str, str], dict],
    has_annotated: bool,
) -> str:
    status = _status(doc)
    source = f'<a href="{_e(doc.source_url)}">{_e(doc.source_url)}</a>' if doc.source_url else "—"
    original = (
        f'<a href="../{_e(doc.original)}">{_e(Path(doc.source_path or "").name)}</a>'
        if doc.original
        else "not in the archive"
    )
    meta = [
        ("department", doc.department),
        ("region", doc.region),
        ("year", doc.fiscal_year),
        ("type", doc.document_type),
        ("format", doc.file_type),
    ]
    body = [
        '<dl class="meta">'
        + "".join(f"<dt>{k}</dt><dd>{_e(v)}</dd>" for k, v in meta)
        + f"<dt>source URL</dt><dd>{source}</dd><dt>archived original</dt><dd>{original}</dd>"
        + f"<dt>document id</dt><dd><code>{_e(doc.document_id)}</code></dd>"
        + f'<dt>quality</dt><dd class="{_e(status)}">{_e(status)}</dd>'
        + (
            f"<dt>rejected</dt><dd>{_e(doc.error_code)}: {_e(doc.error_message)}</dd>"
            if doc.status == "rejected"
            else ""
        )
        + (
            f'<dt>annotated PDF</dt><dd><a href="../annotated/{_e(doc.document_id)}.pdf">'
            f"{_e(doc.document_id)}.pdf</a> (every boxed finding, numbered)</dd>"
            if has_annotated
            else ""
        )
        + "</dl>"
    ]
    body.append(
        '<p class="legend">boxes:<span style="background:rgb({})"></span>the printed total checked'
        '<span style="background:rgb({})"></span>its parts<span style="background:rgb({})"></span>'
        "the part the hint names as the likely slip</p>".format(
            *(",".join(map(str, COLOURS[r])) for r in (TOTAL, PART, SUSPECT))
        )
    )
    body.append(f"<h2>{len(findings)} finding(s)</h2>" if findings else "<h2>no findings</h2>")
    for f in findings:
        body.append(
            _finding_html(
                f,
                crops.get(f.key + (doc.document_id or ""), []),
                cells.get((doc.document_id, f.table_index), []) if f.table_index is not None else [],
                verdicts.get((doc.document_id, f.key)),
            )
        )
    return _page(doc.title or doc.document_id, "".join(body), "../")


def verdict_html(verdict: dict | None) -> str:
    """A finding's review state: the verdict in force (review.current_verdicts), or open."""
    if not verdict:
        return '<p class="verdict" data-verdict="open">open: not reviewed</p>'
    note = f": {_e(verdict['note'])}" if verdict["note"] else ""
    return (
        f'<p class="verdict" data-verdict="{_e(verdict["verdict"])}"><b>{_e(verdict["verdict"])}</b> by '
        f"{_e(verdict['reviewer'])}, {verdict['decided_at']:%Y-%m-%d %H:%M}{note}</p>"
    )


def _finding_html(f: Finding, crops: list[Crop], table: list[Cell], verdict: dict | None = None) -> str:
    where = ", ".join(
        str(x)
        for x in (
            f.table_type,
            f"table {f.table_index}" if f.table_index is not None else None,
            f.subject_code,
            f.fiscal_year,
            f.detail,
            f"page {f.page}" if f.page else None,
        )
        if x
    )
    suggested = (
        f'<dt>suggested value</dt><dd class="num">{_e(f.suggested_value)}</dd>'
        if f.suggested_value is not None
        else ""
    )
    kind = (
        " (extraction doubt: judged as a warning, never alerted)"
        if f.finding_kind == "extraction_doubt"
        else ""
    )
    out = [
        f'<section class="finding {_e(f.severity)}" id="{f.anchor}" data-finding-key="{_e(f.key)}" '
        f'data-rule="{_e(f.rule_id)}">'
        f'<h3>#{f.number} <a href="../rules/{_e(f.rule_id)}.html">{_e(f.rule_id)}</a> · '
        f"{_e(f.severity)}{kind}"
        f'</h3>{verdict_html(verdict)}<dl class="meta"><dt>place</dt><dd>{_e(where)}</dd>'
        f'<dt>expected</dt><dd class="num">{_e(f.expected)}</dd>'
        f'<dt>actual</dt><dd class="num">{_e(f.actual)}</dd>'
        f'<dt>difference</dt><dd class="num">{_e(f.difference)}</dd><dt>message</dt><dd>{_e(f.message)}</dd>'
        f"<dt>hint</dt><dd>{_e(f.hint) or '—'}</dd>{suggested}</dl>"
    ]
    for crop in crops:
        boxes = [
            {
                "role": b.role,
                "label": b.label,
                "amount": None if b.amount is None else str(b.amount),
                "page": b.page,
                "bbox": b.bbox,
            }
            for b in crop.boxes
        ]
        out.append(
            f'<figure><img src="../crops/{_e(crop.path.name)}" alt="page {crop.page}, {_e(where)}" '
            f'data-page="{crop.page}" data-scale="{crop.scale}" data-left="{crop.left}" '
            f'data-top="{crop.top}" data-boxes="{_e(json.dumps(boxes, ensure_ascii=False))}">'
            f"<figcaption>page {crop.page}</figcaption></figure>"
        )
    boxed_pages = sorted({b.page for b in f.boxes if b.bbox is not None and b.page})
    uncropped = [p for p in boxed_pages if p not in {c.page for c in crops}]
    if uncropped and crops:
        out.append(f'<p class="more-pages">more of its cells on page(s) {", ".join(map(str, uncropped))}: '
                   "the annotated PDF shows them boxed.</p>")
    if not crops and table and f.boxes:
        if boxed_pages:
            out.append(f'<p class="more-pages">not cropped (this document has more findings than '
                       f'{CROPS_PER_DOCUMENT} crops show): its cells are boxed on page(s) '
                       f'{", ".join(map(str, boxed_pages))} of the annotated PDF.</p>')
        out.append(_table_region(f, table))
    if not f.boxes:
        out.append("<p>the cells of this place could not be located on the page.</p>")
    return "".join(out) + "</section>"


def _table_region(f: Finding, table: list[Cell]) -> str:
    """The lines around the boxed cells as an HTML table, the cells highlighted by role."""
    roles = {b.cell: b.role for b in sorted(f.boxes, key=lambda b: b.role == TOTAL)}
    rows_boxed = [r for r, _ in roles]
    if max(rows_boxed) - min(rows_boxed) >= REGION_MAX_ROWS:
        # parts spread over the table (a misread one): the lines around the printed total
        rows_boxed = [r for (r, _), role in roles.items() if role == TOTAL] or rows_boxed[:1]
    first, last = min(rows_boxed) - TABLE_CONTEXT_ROWS, max(rows_boxed) + TABLE_CONTEXT_ROWS
    columns: dict[int, str | None] = {}
    lines: dict[int, dict[int, Cell]] = defaultdict(dict)
    for c in table:
        columns.setdefault(c.col_index, c.column_label)
        if first <= c.row_index <= last:
            lines[c.row_index][c.col_index] = c
    head = "<tr><th>line</th>" + "".join(f"<th>{_e(columns[i])}</th>" for i in sorted(columns)) + "</tr>"
    body = []
    for r in sorted(lines):
        label = next(iter(lines[r].values())).row_label
        tds = []
        for i in sorted(columns):
            cell = lines[r].get(i)
            role = roles.get((r, i))
            cls = f' class="num {role}" data-role="{role}"' if role else ' class="num"'
            tds.append(f"<td{cls}>{_e(cell.raw_text if cell else '')}</td>")
        body.append(f"<tr><td>{_e(label)}</td>{''.join(tds)}</tr>")
    return f'<table class="region">{head}{"".join(body)}</table>'


def _write_rule_pages(site: Path, documents: dict[str, Document], findings: list[Finding]) -> None:
    from expectations.catalogue import load_rules

    rules = {r.rule_id: r for r in load_rules()}
    by_rule: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        by_rule[f.rule_id].append(f)
    counts = Counter(f.rule_id for f in findings)
    rows = "".join(
        f'<tr><td><a href="{_e(rule_id)}.html">{_e(rule_id)}</a></td><td>{_e(rule.severity)}</td>'
        f'<td>{_e(rule.description)}</td><td class="num">{counts.get(rule_id, 0)}</td></tr>'
        for rule_id, rule in sorted(rules.items())
    )
    _write(
        site / "rules" / "index.html",
        _page(
            "rules",
            "<table><tr><th>rule</th><th>severity</th>"
            "<th>what it checks</th><th>findings</th></tr>" + rows + "</table>",
            "../",
        ),
    )
    for rule_id, rule in rules.items():
        items = []
        for f in by_rule.get(rule_id, []):
            doc = documents.get(f.document_id or "")
            link = (
                f'<a href="../{document_page(f.document_id)}#{f.anchor}">'
                f"{_e(doc.title if doc else f.document_id)}</a>"
                if f.document_id
                else "(the warehouse)"
            )
            items.append(
                f"<tr><td>{_e(doc.region if doc else '')}</td><td>{_e(doc.department if doc else '')}</td>"
                f"<td>{link}</td><td>{_e(f.subject_code)}</td><td>{_e(f.fiscal_year)}</td>"
                f'<td class="num">{_e(f.expected)}</td><td class="num">{_e(f.actual)}</td>'
                f'<td class="num">{_e(f.difference)}</td></tr>'
            )
        body = (
            f"<p>{_e(rule.severity)} · {_e(rule.kind)}</p><p>{_e(rule.description)}</p>"
            f"<h2>{len(items)} finding(s)</h2>"
            + (
                "<table><tr><th>region</th><th>department</th>"
                "<th>document</th><th>code</th><th>year</th>"
                "<th>expected</th><th>actual</th><th>difference</th></tr>" + "".join(items) + "</table>"
                if items
                else ""
            )
        )
        _write(site / "rules" / f"{rule_id}.html", _page(rule_id, body, "../"))

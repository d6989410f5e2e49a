"""The Great Expectations Data Docs, made to open offline and to link each failure to its evidence.

GX writes its pages with jQuery, Bootstrap, bootstrap-table, Font Awesome and Vega from CDNs, and draws
the index's lists in the browser from data inlined in a script. This rewrites every page of the site:
the CDN tags, remote images and CSS urls go (GX's logo: its local copy); each index list
becomes the plain HTML table of its own inlined rows and columns; a
little inline CSS keeps the pages readable and wraps long hints and messages; every failing place's
row gets a link to its finding on the evidence site, relative to the page (the publication keeps the
two sites side by side, ``docs/data_quality`` and ``docs/evidence``). Rewriting again is harmless.
"""

from __future__ import annotations

import ast
import html
import os
import re
from collections import defaultdict
from functools import partial
from pathlib import Path

from expectations.evidence.locate import Finding
from expectations.evidence.site import document_page

_CDN_TAG = re.compile(
    r'<(?:script|link)\b[^>]*\b(?:src|href)="(?:https?:)?//[^"]*"[^>]*>(?:\s*</script>)?', re.S
)
_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.S)
_TABLE_SCRIPT = re.compile(r"\$\('#([\w-]+)'\)\.bootstrapTable\(")
_ROW = re.compile(r"<tr\b[^>]*>(.*?)</tr>", re.S)
_CELL = re.compile(r"<t([hd])\b[^>]*>(.*?)</t[hd]>", re.S)
_TAG = re.compile(r"<[^>]+>")
_EVIDENCE_CELL = re.compile(r'<td class="budgetwh-evidence">.*?</td>', re.S)
_EVIDENCE_HEAD = '<th class="budgetwh-evidence">evidence</th>'
_REMOTE_CSS_URL = re.compile(r"url\(\s*['\"]?https?://[^)]*\)")
_REMOTE_IMAGE = re.compile(r'<img\b([^>]*?)\bsrc="https?://[^"]*?([\w.-]+\.(?:png|svg|gif|jpg))(?:\?[^"]*)?"([^>]*)>')
OFFLINE_STYLE = """<style id="budgetwh-offline">
body{font-family:system-ui,sans-serif;margin:0 16px}table{border-collapse:collapse}
td,th{border:1px solid #ccc;padding:2px 6px;vertical-align:top;white-space:normal;word-break:break-word;
max-width:40em}.cooltip .top{display:none}.hide-succesful-validation-results,.d-none{display:none}
</style>"""


def make_offline(site: Path, evidence: Path, findings: list[Finding]) -> int:
    """Rewrite every page of the Data Docs ``site``; the failing places it lists link to their
    ``findings`` on the ``evidence`` site. Returns the number of pages rewritten."""
    keys: dict[tuple, list[Finding]] = defaultdict(list)
    for f in findings:
        keys[(f.document_id, f.rule_id, f.table_type, f.subject_code, f.fiscal_year)].append(f)
    for sheet in sorted(Path(site).rglob("*.css")):
        css = sheet.read_text(encoding="utf-8")
        if _REMOTE_CSS_URL.search(css):
            sheet.write_text(_REMOTE_CSS_URL.sub("none", css), encoding="utf-8")
    pages = 0
    for page in sorted(Path(site).rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        text = _static_lists(text)
        text = _CDN_TAG.sub("", text)
        text = _REMOTE_CSS_URL.sub("none", text)
        text = _REMOTE_IMAGE.sub(partial(_local_image, site=Path(site), page=page), text)
        text = _SCRIPT.sub(
            lambda m: "" if "$(" in m.group(1) or "vegaEmbed" in m.group(1) else m.group(0), text
        )
        if 'id="budgetwh-offline"' not in text:
            text = text.replace("</head>", OFFLINE_STYLE + "</head>", 1)
        text = _link_failures(text, page, Path(evidence), keys)
        page.write_text(text, encoding="utf-8")
        pages += 1
    return pages


def _literal(text: str, start: int) -> tuple[object, int]:
    """The Python literal (GX writes ``repr``s) opening at ``text[start]`` and where it ends."""
    depth, quote, i = 0, None, start
    while i < len(text):
        c = text[i]
        if quote:
            if c == "\\":
                i += 1
            elif c == quote:
                quote = None
        elif c in "'\"":
            quote = c
        elif c in "[{":
            depth += 1
        elif c in "]}":
            depth -= 1
            if depth == 0:
                return ast.literal_eval(text[start : i + 1]), i + 1
        i += 1
    raise ValueError("unterminated literal")


def _static_lists(text: str) -> str:
    """Each ``$('#id').bootstrapTable({columns: [...], data: [...]})`` becomes table #id's own rows."""
    for found in list(_TABLE_SCRIPT.finditer(text)):
        table_id = found.group(1)
        tail = text[found.end() :]
        columns_at, data_at = tail.find("columns: ["), tail.find("data: [")
        if columns_at < 0 or data_at < 0:
            continue
        columns, _ = _literal(tail, columns_at + len("columns: "))
        rows, _ = _literal(tail, data_at + len("data: "))
        assert isinstance(columns, list) and isinstance(rows, list), "GX writes the table's lists as reprs"
        text = text.replace(
            f'<button class="btn btn-sm btn-secondary ml-1" onclick="clearTableFilters(\'{table_id}\')">'
            "Clear Filters</button>",
            "",
        )
        table = re.search(rf'<table\s+id="{re.escape(table_id)}"[^>]*>.*?</table>', text, flags=re.S)
        if table:
            text = text[: table.start()] + _table(table_id, columns, rows) + text[table.end() :]
    return text


def _table(table_id: str, columns: list[dict], rows: list[dict]) -> str:
    head = "".join(f"<th>{html.escape(str(c.get('title', c['field'])))}</th>" for c in columns)
    body = []
    for row in rows:
        cells = []
        for c in columns:
            field = c["field"]
            value = (
                row.get("_validation_success_text") if field == "validation_success" else row.get(field, "")
            )
            cells.append(f"<td>{value if value is not None else ''}</td>")
        link = row.get("_table_row_link_path")
        if link:
            cells.append(f'<td><a href="{html.escape(link)}">open</a></td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<table id="{table_id}" class="budgetwh-static"><thead><tr>{head}<th></th></tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def _plain(cell: str) -> str:
    return html.unescape(_TAG.sub("", cell)).strip()


def _local_image(match: re.Match, site: Path, page: Path) -> str:
    """GX's logo from its S3 bucket → the copy in the site's static/images; any other remote image goes."""
    local = site / "static" / "images" / match.group(2)
    if not local.is_file():
        return ""
    return f'<img{match.group(1)}src="{os.path.relpath(local, page.parent)}"{match.group(3)}>'


def _link_failures(text: str, page: Path, evidence: Path, keys: dict[tuple, list[Finding]]) -> str:
    """A last column on every table listing failing places (GX's unexpected rows: rule, document,
    table, code, year, message; ``Count`` rows sharing one excess, their fields joined by ", ") linking
    each place to its finding on the evidence site."""
    wanted = ("rule", "document", "table", "code", "year")

    def table(match: re.Match) -> str:
        block = _EVIDENCE_CELL.sub("", match.group(0)).replace(_EVIDENCE_HEAD, "")
        rows = _ROW.findall(block)
        if not rows:
            return block
        header = [_plain(c) for kind, c in _CELL.findall(rows[0]) if kind == "h"]
        if not all(w in header for w in (*wanted, "message")):
            return block

        def row(m: re.Match) -> str:
            cells = [_plain(c) for kind, c in _CELL.findall(m.group(1)) if kind == "d"]
            if len(cells) < len(header):  # the header row
                return m.group(0).replace("</tr>", f"{_EVIDENCE_HEAD}</tr>") if "<th" in m.group(1) \
                    else m.group(0)
            value = dict(zip(header, cells[len(cells) - len(header):], strict=True))
            count = int(value["Count"]) if value.get("Count", "").isdigit() else 1
            places = [v.split(", ") if count > 1 else [v] for v in (value[w] for w in wanted)]
            links, used = [], set()
            if all(len(p) == count for p in places):
                for rule, document, table_type, code, year in zip(*places, strict=True):
                    found = keys.get((document, rule, table_type or None, code or None,
                                      int(year) if year.isdigit() else None), [])
                    chosen = next((f for f in found if f.key not in used and f.message in value["message"]),
                                  None)
                    if chosen is not None:
                        used.add(chosen.key)
                        target = evidence / document_page(document)
                        links.append(f'<a href="{html.escape(os.path.relpath(target, page.parent))}'
                                     f'#{chosen.anchor}">evidence</a>')
            cell = f'<td class="budgetwh-evidence">{" ".join(links)}</td>'
            return m.group(0).replace("</tr>", f"{cell}</tr>")

        return _ROW.sub(row, block)

    return re.sub(r"<table\b(?:(?!<table\b).)*?</table>", table, text, flags=re.S)  # innermost tables

"""The Great Expectations Data Docs, made to open offline and to link each failure to its evidence.

GX writes its pages with jQuery, Bootstrap, bootstrap-table, Font Awesome and Vega from CDNs, and draws
the index's lists in the browser from data inlined in a script. This rewrites every page of the site:
the CDN tags go; each index list becomes the plain HTML table of its own inlined rows and columns; a
little inline CSS keeps the pages readable and wraps long hints and messages; every failing place's
row gets a link to its finding on the evidence site, relative to the page (the publication keeps the
two sites side by side, ``docs/data_quality`` and ``docs/evidence``). Rewriting again is harmless.
"""

from __future__ import annotations

import ast
import html
import os
import re
from pathlib import Path

from expectations.evidence.locate import finding_key
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
OFFLINE_STYLE = """<style id="budgetwh-offline">
body{font-family:system-ui,sans-serif;margin:0 16px}table{border-collapse:collapse}
td,th{border:1px solid #ccc;padding:2px 6px;vertical-align:top;white-space:normal;word-break:break-word;
max-width:40em}.cooltip .top{display:none}.hide-succesful-validation-results,.d-none{display:none}
</style>"""


def make_offline(site: Path, evidence: Path) -> int:
    """Rewrite every page of the Data Docs ``site``; failures link into the ``evidence`` site. Returns the
    number of pages rewritten."""
    pages = 0
    for page in sorted(Path(site).rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        text = _static_lists(text)
        text = _CDN_TAG.sub("", text)
        text = _SCRIPT.sub(
            lambda m: "" if "$(" in m.group(1) or "vegaEmbed" in m.group(1) else m.group(0), text
        )
        if 'id="budgetwh-offline"' not in text:
            text = text.replace("</head>", OFFLINE_STYLE + "</head>", 1)
        text = _link_failures(text, page, Path(evidence))
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
        text = text.replace(
            f'<button class="btn btn-sm btn-secondary ml-1" onclick="clearTableFilters(\'{table_id}\')">'
            "Clear Filters</button>",
            "",
        )
        text = re.sub(
            rf'<table\s+id="{re.escape(table_id)}"[^>]*>.*?</table>',
            lambda _m, c=columns, r=rows, t=table_id: _table(t, c, r),
            text,
            count=1,
            flags=re.S,
        )
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


def _link_failures(text: str, page: Path, evidence: Path) -> str:
    """A last column on every table listing failing places (GX's unexpected rows: rule, document,
    table, code, year, message …) linking each to its finding's evidence."""

    def table(match: re.Match) -> str:
        block = _EVIDENCE_CELL.sub("", match.group(0)).replace(_EVIDENCE_HEAD, "")
        rows = _ROW.findall(block)
        if not rows:
            return block
        header = [_plain(c) for kind, c in _CELL.findall(rows[0]) if kind == "h"]
        wanted = ("rule", "document", "table", "code", "year", "message")
        if not all(w in header for w in wanted):
            return block
        at = {w: header.index(w) for w in wanted}

        def row(m: re.Match) -> str:
            cells = [_plain(c) for kind, c in _CELL.findall(m.group(1)) if kind == "d"]
            if len(cells) < len(header):
                return (
                    m.group(0).replace("</tr>", f"{_EVIDENCE_HEAD}</tr>")
                    if "<th" in m.group(1)
                    else m.group(0)
                )
            offset = len(cells) - len(header)  # leading cells without a header of their own
            value = {w: cells[at[w] + offset] or None for w in wanted}
            if not value["document"] or not value["rule"]:
                return m.group(0).replace("</tr>", '<td class="budgetwh-evidence"></td></tr>')
            year = int(value["year"]) if value["year"] and value["year"].isdigit() else None
            key = finding_key(value["rule"], value["table"], value["code"], year, value["message"] or "")
            target = evidence / document_page(value["document"])
            href = f"{os.path.relpath(target, page.parent)}#f-{key}"
            return m.group(0).replace(
                "</tr>", f'<td class="budgetwh-evidence"><a href="{html.escape(href)}">evidence</a></td></tr>'
            )

        return _ROW.sub(row, block)

    return re.sub(r"<table\b(?:(?!<table\b).)*?</table>", table, text, flags=re.S)  # innermost tables

"""HTML: a district-portal article page (metadata block, narrative, inline ``<table>``s with
multi-level headers via rowspan/colspan and amounts with thousands separators)."""

from __future__ import annotations

import hashlib
from html import escape
from pathlib import Path

from extractors.generator.layout import ExpectedCell, Grid, HeaderCell, NumberStyle, layout_document
from extractors.generator.spec import DocumentSpec


def publication_date(spec: DocumentSpec) -> str:
    """Budgets appear in spring of their year, final accounts in autumn of the next."""
    day = 1 + int(hashlib.sha256(spec.slug.encode()).hexdigest(), 16) % 27
    if spec.document_type == "final_account":
        return f"{spec.fiscal_year + 1}-09-{day:02d}"
    return f"{spec.fiscal_year}-02-{day:02d}"


def index_number(spec: DocumentSpec) -> str:
    """索引号: an 18-character credit code of the department, then year and serial."""
    digest = hashlib.sha256(spec.department.encode()).hexdigest().upper()
    serial = int(hashlib.sha256(spec.slug.encode()).hexdigest(), 16) % 9000 + 1000
    return f"11500{digest[:13]}/{publication_date(spec)[:4]}-{serial:05d}"


def _metadata(spec: DocumentSpec) -> str:
    items = [
        ("索引号", index_number(spec)),
        ("发文字号", ""),
        ("主题分类", "财政、金融、审计"),
        ("体裁分类", "预决算公开"),
        ("发布机构", spec.department),
        ("有效性", ""),
        ("成文日期", publication_date(spec)),
        ("发布日期", publication_date(spec)),
    ]
    cells = "".join(f"<td>[ {escape(k)} ]</td><td>{escape(v)}</td>" for k, v in items)
    return f'<table class="zwxl-table"><tr>{cells}</tr></table>'


def _spans(h: HeaderCell) -> str:
    rowspan = f" rowspan={h.rowspan}" if h.rowspan > 1 else ""
    return rowspan + (f" colspan={h.colspan}" if h.colspan > 1 else "")


def _table(grid: Grid, unit_name: str) -> str:
    t = grid.table
    parts = [f'<p class="table-label">{escape(t.label)}</p>'] if t.label else []
    parts.append(
        f'<p class="table-title" style="text-align:center">{escape(t.title).replace(chr(10), "<br>")}</p>'
    )
    if t.subtitle:
        parts.append(f"<p>{escape(t.subtitle)}</p>")
    parts.append(f'<p style="text-align:right">单位：{escape(unit_name)}</p>')
    parts.append('<table border="1" cellspacing="0" cellpadding="2">')
    if grid.header_rows:
        parts.append("<thead>")
        for r in range(grid.header_rows):
            cells = "".join(f"<th{_spans(h)}>{escape(h.text)}</th>" for h in grid.header if h.row == r)
            parts.append(f"<tr>{cells}</tr>")
        parts.append("</thead>")
    parts.append("<tbody>")
    for line in grid.lines:
        if line.spans_rest:
            cells = (
                f"<td>{escape(line.cells[0])}</td><td colspan={grid.n_cols - 1}>{escape(line.cells[1])}</td>"
            )
        else:
            tag = "th" if line.is_heading else "td"
            cells = "".join(f"<{tag}>{escape(text)}</{tag}>" for text in line.cells)
        parts.append(f"<tr>{cells}</tr>")
    parts.append("</tbody></table>")
    if t.note:
        parts.append(f"<p>{escape(t.note)}</p>")
    return "\n".join(parts)


def render(spec: DocumentSpec, path: Path, unit_name: str = "万元") -> list[ExpectedCell]:
    """``unit_name`` 元 prints every table amount in 元 (summary pages do); sidecar amounts stay 万元."""
    grids = layout_document(spec, NumberStyle(grouped=True, unit_name=unit_name))
    body = "\n".join(f"<p>{escape(p)}</p>" for p in spec.narrative)
    tables = "\n".join(_table(g, unit_name) for g in grids)
    page = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>{escape(spec.title)}</title></head>
<body>
<div class="crumb">首页 &gt; 政务公开 &gt; 财政预决算 &gt; {escape(spec.department)}</div>
{_metadata(spec)}
<div class="article">
<h1 class="title">{escape(spec.title)}</h1>
<div class="info">发布日期：{publication_date(spec)}</div>
<div class="content">
{body}
{tables}
</div>
</div>
</body>
</html>
"""
    path.write_text(page, encoding="utf-8")
    return [c for grid in grids for c in grid.expected]

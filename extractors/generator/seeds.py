"""The two built-in specs carrying the seed documents' figures (``data/seed_documents.yml``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from extractors.generator.catalog import default_layout, header_path, load_data, make_columns
from extractors.generator.narrative import figures_from_tables, narrative_paragraphs
from extractors.generator.spec import (
    ROW_KINDS,
    DocumentSpec,
    Indicator,
    NarrativeFigure,
    Row,
    SpecError,
    TableSpec,
)

INDICATOR_FIELDS = ("level1", "level2", "level3", "weight", "unit", "operator", "target_value", "is_core")


def seed_specs() -> list[DocumentSpec]:
    """Both seed-figure documents, freshly built (callers may change them)."""
    return [_document(d) for d in load_data("seed_documents.yml")["documents"]]


def seed_spec(slug: str) -> DocumentSpec:
    for spec in seed_specs():
        if spec.slug == slug:
            return spec
    raise SpecError(f"no seed document {slug!r}; known: {[s.slug for s in seed_specs()]}")


def _document(d: dict[str, Any]) -> DocumentSpec:
    spec = DocumentSpec(
        region=d["region"],
        province=d["province"],
        department=d["department"],
        unit_code=d.get("unit_code"),
        fiscal_year=int(d["fiscal_year"]),
        document_type=d["document_type"],
        title=d["title"],
        slug=d["slug"],
    )
    spec.tables = [_table(t, spec, d.get("table_title")) for t in d["tables"]]
    if "narrative_figures" in d:
        spec.narrative_figures = [
            NarrativeFigure(
                key=f[0],
                amount=Decimal(f[1]),
                fiscal_year=spec.fiscal_year,
                subject_name=f[2] if len(f) > 2 else None,
            )
            for f in d["narrative_figures"]
        ]
    else:
        spec.narrative_figures = figures_from_tables(spec)
    spec.narrative = narrative_paragraphs(spec)
    return spec


def _table(t: dict[str, Any], doc: DocumentSpec, title_template: str | None) -> TableSpec:
    table_type = t["type"]
    layout = default_layout(doc.document_type, table_type, doc.fiscal_year)
    columns = layout["columns"]
    if "columns" in t:
        columns = make_columns(t["columns"], doc.fiscal_year)
    label_columns = layout["label_columns"]
    if "label_columns" in t:
        label_columns = tuple(header_path(p) for p in t["label_columns"])
    if "title" in t:
        title = t["title"]
    elif title_template:
        title = title_template.format(name=layout["name"])
    else:
        title = layout["name"]
    table = TableSpec(
        table_type=table_type,
        title=title,
        label=t.get("label"),
        label_columns=label_columns,
        columns=columns,
        year_group=t.get("year_group", layout["year_group"]),
        note=t.get("note"),
        subtitle=t.get("subtitle"),
        page_breaks=tuple(t.get("page_breaks", ())),
        total_label_first=bool(t.get("total_label_first", False)),
        indicator_columns=tuple(tuple(c) for c in t.get("indicator_columns", layout["indicator_columns"])),
    )
    if "income" in t:
        table.rows = [_row(r, [c for c in columns if c.group == "income"], "income") for r in t["income"]] + [
            _row(r, [c for c in columns if c.group == "expenditure"], "expenditure") for r in t["expenditure"]
        ]
    else:
        table.rows = [_row(r, columns, None) for r in t.get("rows", [])]
    if table.is_form:
        _form(table, t)
    return table


def _row(r: list[Any] | dict[str, Any], columns: list, group: str | None) -> Row:
    if isinstance(r, dict):
        kind, code, name, values = r["kind"], r.get("code"), r.get("name", ""), r.get("values", [])
        labels = tuple(r["labels"]) if "labels" in r else None
    else:  # [kind, code, name, value...]; a blank half-line is just [blank]
        kind, code, name, *values = [*r, None, ""][: max(len(r), 3)]
        labels = None
    if kind not in ROW_KINDS:
        raise SpecError(f"row {r!r}: kind {kind!r} is not one of {ROW_KINDS}")
    if len(values) > len(columns):
        raise SpecError(f"row {r!r}: {len(values)} values for {len(columns)} columns")
    return Row(
        kind=kind,
        code=None if code is None else str(code),
        name=name,
        values={c.key: str(v) for c, v in zip(columns, values, strict=False)},
        group=group,
        labels=labels,
    )


def _form(table: TableSpec, t: dict[str, Any]) -> None:
    """Fields and indicators of a performance-target table."""
    fields = []
    if "project" in t:
        code, name, amount, *own_level = (str(v) for v in t["project"])
        table.project_code, table.project_name = code, name
        fields.append(Row("field", "project_name", "项目名称", {"value": f"{code}-{name}"}))
        fields.append(
            Row("field", "project_amount", t.get("amount_label", "当年预算（万元）"), {"value": amount})
        )
        if own_level:
            fields.append(Row("field", "own_level_amount", "本级安排（万元）", {"value": own_level[0]}))
            fields.append(Row("field", "superior_subsidy_amount", "上级补助（万元）", {"value": ""}))
    fields += [Row("field", f[1], f[2], {"value": str(f[3])}) for f in t.get("fields", [])]
    table.fields = fields
    table.indicators = [
        Indicator(**dict(zip(INDICATOR_FIELDS, (str(v) for v in ind), strict=False)))
        for ind in t.get("indicators", [])
    ]

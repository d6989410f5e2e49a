"""The narrative (情况说明) of a document: figures computed from its tables, sentences from
``data/narrative.yml``."""

from __future__ import annotations

import re
from decimal import Decimal

from extractors.generator.catalog import load_data
from extractors.generator.spec import DocumentSpec, NarrativeFigure, SpecError, TableSpec

ZERO = Decimal("0")
CHANGE_KEYS = {
    "income_change": "income_total",
    "expenditure_change": "expenditure_total",
    "basic_change": "basic_total",
    "project_change": "project_total",
    "three_public_change": "three_public_total",
    "operating_expenses_change": "operating_expenses",
}
THREE_PUBLIC_PARTS = ("outbound_travel", "vehicle_purchase", "vehicle_operation", "reception")
# Class names as printed in 收支总表 may carry an ordinal prefix: "(一) ", "一、".
_ORDINAL = re.compile(r"^\s*(\(?[一二三四五六七八九十]+[)、]\s*|（[一二三四五六七八九十]+）\s*)")


def _table(spec: DocumentSpec, base: str) -> TableSpec | None:
    """The document's table of a kind, budget or final-account flavour."""
    for t in spec.tables:
        if t.table_type in (base, f"final_{base}"):
            return t
    return None


def _amount(table: TableSpec | None, code: str, key: str) -> Decimal:
    if table is None:
        return ZERO
    try:
        return table.row(code).amount(key) or ZERO
    except SpecError:
        return ZERO


def class_name(printed: str) -> str:
    return _ORDINAL.sub("", printed).strip()


def figures_from_tables(spec: DocumentSpec, prior: DocumentSpec | None = None) -> list[NarrativeFigure]:
    """The figures a narrative quotes, computed from the document's own tables (and the prior year's)."""
    year = spec.fiscal_year
    values = _current_values(spec)
    figures = [NarrativeFigure(key, amount, year) for key, amount in values.items() if key != "by_class"]
    summary = _table(spec, "fiscal_appropriation_summary") or _table(spec, "income_expenditure_summary")
    by_class = [
        NarrativeFigure("expenditure_by_class", amount, year, class_name(r.name))
        for r in (summary.rows if summary else [])
        if r.kind == "expenditure_class" and (amount := r.amount("total"))
    ]
    after_total = next(i for i, f in enumerate(figures) if f.key == "expenditure_total") + 1
    figures[after_total:after_total] = by_class
    if prior is not None:
        before = _current_values(prior)
        figures += [
            NarrativeFigure(change, values[base] - before[base], year) for change, base in CHANGE_KEYS.items()
        ]
    return figures


def _current_values(spec: DocumentSpec) -> dict[str, Decimal]:
    summary = _table(spec, "fiscal_appropriation_summary") or _table(spec, "income_expenditure_summary")
    function = _table(spec, "general_budget_expenditure")
    three = _table(spec, "three_public_expenses")
    basic = _table(spec, "general_budget_basic_expenditure")
    procurement = _table(spec, "procurement")
    values = {
        "income_total": _amount(summary, "income_total", "amount"),
        "general_budget_income": _amount(summary, "general_budget", "amount"),
        "expenditure_total": _amount(summary, "expenditure_total", "total"),
        "basic_total": _amount(function, "total", "basic"),
        "project_total": _amount(function, "total", "project"),
        "three_public_total": _amount(three, "total", "total"),
        **{part: _amount(three, "total", part) for part in THREE_PUBLIC_PARTS},
        "operating_expenses": _amount(basic, "total", "public_operation"),
    }
    if procurement is not None:
        values["procurement_total"] = _amount(procurement, "total", "total")
    projects = [t for t in spec.tables if t.table_type == "project_performance_targets"]
    if projects:
        values["performance_project_amount"] = sum(
            (f.amount("value") or ZERO for t in projects for f in t.fields if f.code == "project_amount"),
            ZERO,
        )
    return values


def _change_phrase(amount: Decimal, words: dict[str, str]) -> str:
    if amount == 0:
        return words["flat"]
    return f"{words['up'] if amount > 0 else words['down']}{abs(amount)}万元"


def narrative_paragraphs(spec: DocumentSpec) -> list[str]:
    """Headings and paragraphs quoting the spec's narrative figures, in the configured order."""
    data = load_data("narrative.yml")
    by_key: dict[str, list[NarrativeFigure]] = {}
    for f in spec.narrative_figures:
        by_key.setdefault(f.key, []).append(f)
    paragraphs = []
    for section in data["paragraphs"][spec.document_type]:
        sentences = [
            data["sentences"][key].format(
                year=f.fiscal_year,
                amount=f.amount,
                subject=f.subject_name or "",
                change=_change_phrase(f.amount, data["change_words"]),
            )
            for key in section["keys"]
            for f in by_key.get(key, [])
        ]
        if sentences:
            paragraphs += [section["heading"], "".join(sentences)]
    return paragraphs

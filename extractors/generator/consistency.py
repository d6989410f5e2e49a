"""Exact arithmetic checks of a spec: what a synthetic document promises and a mutation breaks.

No tolerance: generated documents are exact to the cent. (The reconciliation rules in
``expectations/`` apply the rounding tolerance to published documents; this is the generator's own
guarantee, and the way tests find the seeds' published defects.)
"""

from __future__ import annotations

from decimal import Decimal

from extractors.generator.spec import DocumentSpec, Row, TableSpec, amount_of

ZERO = Decimal("0")
ROW_SUMS = {  # measure = Σ parts within one row
    "total": (
        ("basic", "project"),
        ("personnel", "public_operation"),
        ("outbound_travel", "vehicle_total", "reception"),
    ),
    "vehicle_total": (("vehicle_purchase", "vehicle_operation"),),
}


def _v(row: Row, key: str) -> Decimal:
    return row.amount(key) or ZERO


def _subject_violations(t: TableSpec) -> list[str]:
    out = []
    subjects = [r for r in t.rows if r.kind == "subject"]
    codes = {r.code for r in subjects}
    totals = [r for r in t.rows if r.kind == "total" and r.code == "total"] if subjects else []
    for c in t.columns:
        for parent in subjects + totals:
            if parent.kind == "total":
                children = [r for r in subjects if len(r.code or "") == 3]
            else:
                children = [
                    r
                    for r in subjects
                    if r.code
                    and parent.code
                    and r.code != parent.code
                    and r.code.startswith(parent.code)
                    and len(r.code) == len(parent.code) + 2
                ]
                if not children or not all(ch.code in codes for ch in children):
                    continue
            expected = sum((_v(ch, c.key) for ch in children), ZERO)
            if _v(parent, c.key) != expected:
                out.append(
                    f"{t.table_type} {parent.code} {c.key}: {_v(parent, c.key)} ≠ Σ children {expected}"
                )
    return out


def _row_violations(t: TableSpec) -> list[str]:
    out = []
    keys = {c.key for c in t.columns}
    for r in t.rows:
        if r.kind == "blank":
            continue
        for whole, alternatives in ROW_SUMS.items():
            for parts in alternatives:
                if whole in keys and all(p in keys for p in parts):
                    expected = sum((_v(r, p) for p in parts), ZERO)
                    if _v(r, whole) != expected:
                        out.append(
                            f"{t.table_type} {r.code} {whole}: {_v(r, whole)} ≠ {'+'.join(parts)} {expected}"
                        )
    return out


def _two_sided_violations(t: TableSpec) -> list[str]:
    out = []
    rows = {(r.group, r.code): r for r in t.rows if r.kind == "total"}
    income, spent = rows.get(("income", "income_total")), rows.get(("expenditure", "expenditure_total"))
    if income and spent and _v(income, "amount") != _v(spent, "total"):
        out.append(
            f"{t.table_type}: income total {_v(income, 'amount')} ≠ expenditure total {_v(spent, 'total')}"
        )
    if spent:
        for c in (c for c in t.columns if c.group == "expenditure"):
            classes = sum((_v(r, c.key) for r in t.rows if r.kind == "expenditure_class"), ZERO)
            if classes != _v(spent, c.key):
                out.append(
                    f"{t.table_type} expenditure {c.key}: Σ classes {classes} ≠ total {_v(spent, c.key)}"
                )
    return out


def _find(spec: DocumentSpec, base: str) -> TableSpec | None:
    return next((t for t in spec.tables if t.table_type in (base, f"final_{base}")), None)


def _cross_table_violations(spec: DocumentSpec) -> list[str]:
    out = []
    function, basic = (
        _find(spec, "general_budget_expenditure"),
        _find(spec, "general_budget_basic_expenditure"),
    )
    if function and basic:
        in_function, in_basic = _v(function.row("total"), "basic"), _v(basic.row("total"), "total")
        if in_function != in_basic:
            out.append(f"基本支出 {in_function} ≠ basic table total {in_basic}")
    projects = _find(spec, "project_expenditure")
    if function and projects:
        listed = sum((_v(r, "total") for r in projects.rows if r.kind == "project"), ZERO)
        if listed != _v(projects.row("total"), "total"):
            out.append(f"project list Σ {listed} ≠ its 合计 {_v(projects.row('total'), 'total')}")
    targets = [t for t in spec.tables if t.table_type.endswith("performance_targets")]
    for t in targets:
        weights = sum((amount_of(i.weight.rstrip("%")) or ZERO for i in t.indicators), ZERO)
        execution = next(
            (amount_of(f.values["value"]) or ZERO for f in t.fields if f.code == "budget_execution_weight"),
            ZERO,
        )
        if weights + execution != 100:
            out.append(f"{t.table_type} {t.project_code or ''}: weights {weights} + {execution} ≠ 100")
    return out


def violations(spec: DocumentSpec) -> list[str]:
    """Every broken sum of the spec, as 'where: actual ≠ expected' lines; [] for a consistent document."""
    out: list[str] = []
    for t in spec.tables:
        if t.is_form:
            continue
        if t.is_two_sided:
            out += _two_sided_violations(t)
        else:
            out += _subject_violations(t)
        out += _row_violations(t)
    return out + _cross_table_violations(spec)

"""Arithmetically consistent synthetic documents, deterministic by seed.

Figures are generated as leaves in whole cents (economic lines, projects, 三公 parts) and every
total is summed from them, so each parent equals the sum of its children exactly and every
cross-table promise holds (table 1 classes = table 2 classes, 基本支出 of table 2 = table 3 total,
project total = Σ project amounts, 三公 parts ≥ economic lines 30217/30231 ...). One department's
figures for a year depend only on (seed, region, department, year, document type), so the prior-year
column of year N equals the year N−1 document of the same department.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from extractors.generator.catalog import default_layout, default_title, load_data
from extractors.generator.narrative import figures_from_tables, narrative_paragraphs
from extractors.generator.spec import (
    Column,
    DocumentSpec,
    Indicator,
    Row,
    SpecError,
    TableSpec,
    format_amount,
)

FIRST_YEAR, LAST_YEAR = 2010, 2026
DOCUMENT_TYPES = ("budget", "final_account")
# Corpora take consecutive years of one department first, so cross-document rules have pairs.
YEAR_WINDOWS = ((2020, 2024), (2015, 2019), (2010, 2014), (2025, 2026))
PENSION_ITEMS = {
    "30108": "2080505",
    "30109": "2080506",
    "30112": "2080599",
    "30110": "2101101",
    "30114": "2101103",
    "30113": "2210201",
}
FUND_ITEM = "2296002"
INDICATOR_POOL = (
    ("产出指标", "数量指标", "办件量", "件", "≥"),
    ("产出指标", "数量指标", "服务人次", "人次", "≥"),
    ("产出指标", "质量指标", "任务完成率", "%", "≥"),
    ("产出指标", "时效指标", "按时完成率", "%", "≥"),
    ("成本指标", "经济成本指标", "人均成本", "元/人", "≤"),
    ("效益指标", "社会效益指标", "政策知晓率", "%", "≥"),
    ("效益指标", "可持续影响指标", "制度完善率", "%", "="),
    ("满意度指标", "服务对象满意度指标", "服务对象满意度", "%", "≥"),
)


@dataclass
class Figures:
    """One department's leaves for one year, in cents."""

    economic: dict[str, int]
    function_basic: dict[str, int]
    projects: list[tuple[str, str, str, int]]  # project code, name, function item, cents
    fund_projects: list[tuple[str, str, str, int]]
    three_public: dict[str, int]
    procurement: dict[str, int]
    main_section: str
    grouped: bool
    with_prior_column: bool
    indicator_seed: int = 0

    @property
    def project_total(self) -> int:
        return sum(p[3] for p in self.projects)


@cache
def _subjects() -> dict:
    return load_data("subjects.yml")


@cache
def function_names() -> dict[str, str]:
    names = {}
    for cls, c in _subjects()["function"].items():
        names[cls] = c["name"]
        for sec, s in c["sections"].items():
            names[sec] = s["name"]
            names.update(s["items"])
    return names


@cache
def economic_names() -> dict[str, tuple[str, str]]:
    """code → (name, side), side being the column a basic line belongs to (personnel | public_operation)."""
    names = {}
    for cls, c in _subjects()["economic"].items():
        names[cls] = (c["name"], c["side"])
        names.update({code: (name, c["side"]) for code, name in c["sections"].items()})
    return names


@cache
def regions() -> dict[str, str]:
    """region → province."""
    return {r: province for province, rs in _subjects()["regions"].items() for r in rs}


@cache
def departments_of(region: str) -> list[tuple[str, str, tuple[str, ...]]]:
    """(department short name, main 款, project themes) of a region: offices, then towns."""
    data = _subjects()
    offices = [(name, section, tuple(themes)) for name, section, themes in data["departments"]]
    first, second = data["town_name_parts"]
    names = [a + b for a in first for b in second]
    random.Random(f"towns|{region}").shuffle(names)
    kinds = data["town_kinds"]
    towns = [
        (f"{n}{kinds[i % len(kinds)]}", "20103", ("基层治理经费", "民生实事经费", "公共服务运行经费"))
        for i, n in enumerate(names[: data["towns_per_region"]])
    ]
    return offices + towns


def _department(region: str, department: str) -> tuple[str, str, tuple[str, ...]]:
    for entry in departments_of(region):
        if entry[0] == department:
            return entry
    raise SpecError(
        f"unknown department {department!r} in {region!r}; "
        f"known: {[d for d, _, _ in departments_of(region)][:12]} …"
    )


def full_department_name(province: str, region: str, department: str) -> str:
    if department.endswith(("镇", "街道")):
        suffix = "人民政府" if department.endswith("镇") else "办事处"
        return f"{province}{region}{department}{suffix}"
    return f"{province}{region}{department}"


def _cents(rng: random.Random, low: float, high: float) -> int:
    return int(rng.uniform(low, high) * 100)


def _yuan(cents: int, grouped: bool) -> str:
    return "" if cents == 0 else format_amount(Decimal(cents) / 100, grouped)


def figures(seed: int, region: str, department: str, year: int, document_type: str) -> Figures:
    """The leaves of one department-year (budget plan or final actuals)."""
    if region not in regions():
        raise SpecError(f"unknown region {region!r}; known: {sorted(regions())[:10]} …")
    if not FIRST_YEAR - 1 <= year <= LAST_YEAR:
        raise SpecError(f"fiscal year {year} outside {FIRST_YEAR}–{LAST_YEAR}")
    if document_type not in DOCUMENT_TYPES:
        raise SpecError(f"unknown document_type {document_type!r}; expected one of {DOCUMENT_TYPES}")
    _, main_section, themes = _department(region, department)
    unit = random.Random(f"{seed}|{region}|{department}")
    staff = unit.randint(8, 90)
    has_car = unit.random() < 0.6
    has_fund = unit.random() < 0.15
    region_number = 10 + sorted(regions()).index(region)
    rng = random.Random(f"{seed}|{region}|{department}|{year}|{document_type}")
    growth = 1 + 0.03 * (year - FIRST_YEAR) + rng.uniform(-0.05, 0.05)
    scale = staff * growth

    economic = {
        "30101": _cents(rng, 3.5, 5.0) * staff,
        "30102": _cents(rng, 2.5, 4.0) * staff,
        "30103": _cents(rng, 3.0, 6.0) * staff,
    }
    wages = sum(economic.values())
    for code, share in (("30108", 0.16), ("30109", 0.08), ("30110", 0.09), ("30112", 0.01), ("30113", 0.12)):
        economic[code] = int(wages * share * rng.uniform(0.95, 1.05))
    economic["30114"] = _cents(rng, 0.05, 0.3) * staff
    public_items = [
        "30201",
        "30205",
        "30206",
        "30207",
        "30211",
        "30213",
        "30215",
        "30216",
        "30217",
        "30228",
        "30229",
        "30239",
        "30299",
    ] + (["30231"] if has_car else [])
    for code in public_items:
        economic[code] = int(_cents(rng, 0.05, 0.8) * scale)
    economic["30217"] = _cents(rng, 0.3, 3.0)
    if has_car:
        economic["30231"] = _cents(rng, 1.5, 5.0)
    economic["30307"] = _cents(rng, 0.02, 0.1) * staff

    function_basic = {item: economic[code] for code, item in PENSION_ITEMS.items()}
    section_items = list(function_names_in(main_section))
    # The department's own 行政运行 line takes the basic money the pension/medical/housing lines leave.
    function_basic[section_items[0]] = sum(economic.values()) - sum(function_basic.values())

    project_item = section_items[1] if len(section_items) > 1 else section_items[0]
    n_projects = rng.randint(2, 5)
    projects = [
        (
            f"5001{region_number:02d}{year % 100:02d}T{rng.randrange(10**12):012d}",
            themes[i % len(themes)]
            if i < len(themes)
            else f"{themes[i % len(themes)]}（{i // len(themes) + 1}期）",
            project_item,
            int(_cents(rng, 3, 60) * scale / 10),
        )
        for i in range(n_projects)
    ]
    fund_projects = (
        [
            (
                f"5001{region_number:02d}{year % 100:02d}T{rng.randrange(10**12):012d}",
                "福利彩票公益金项目",
                FUND_ITEM,
                _cents(rng, 10, 200),
            )
        ]
        if has_fund
        else []
    )
    reception_project_part = _cents(rng, 0, 2)
    three_public = {
        "outbound_travel": _cents(rng, 2, 8) if rng.random() < 0.1 else 0,
        "vehicle_purchase": _cents(rng, 15, 25) if has_car and rng.random() < 0.1 else 0,
        "vehicle_operation": economic.get("30231", 0),
        "reception": economic["30217"] + reception_project_part,
    }
    procurement = {
        "goods": int(economic["30201"] * rng.uniform(0.2, 0.6)),
        "services": int(economic["30213"] * rng.uniform(0.2, 0.9)),
        "works": 0,
    }
    return Figures(
        economic=economic,
        function_basic=function_basic,
        projects=projects,
        fund_projects=fund_projects,
        three_public=three_public,
        procurement=procurement,
        main_section=main_section,
        grouped=rng.random() < 0.5,
        with_prior_column=rng.random() < 0.4,
        indicator_seed=rng.randrange(2**31),
    )


def function_names_in(section: str) -> dict[str, str]:
    return _subjects()["function"][section[:3]]["sections"][section]["items"]


# --- tables ------------------------------------------------------------------------------------


def _function_amounts(f: Figures, with_fund: bool) -> dict[str, tuple[int, int, int]]:
    """item → (total, basic, project) cents."""
    items: dict[str, list[int]] = {}
    for item, cents in f.function_basic.items():
        items.setdefault(item, [0, 0, 0])[1] += cents
    for _, _, item, cents in f.projects + (f.fund_projects if with_fund else []):
        items.setdefault(item, [0, 0, 0])[2] += cents
    return {k: (v[1] + v[2], v[1], v[2]) for k, v in items.items() if v[1] + v[2]}


def _fund_amounts(f: Figures) -> dict[str, tuple[int, int, int]]:
    """Government-fund items → (total, basic, project) cents: fund money here is all project money."""
    items: dict[str, int] = {}
    for _, _, item, cents in f.fund_projects:
        items[item] = items.get(item, 0) + cents
    return {item: (cents, 0, cents) for item, cents in items.items()}


def _rollup(
    leaves: Mapping[str, tuple[int, ...]], levels: tuple[int, ...] = (3, 5, 7)
) -> list[tuple[str, tuple[int, ...]]]:
    """Rows of every level (code lengths) in code order, parents summed from their leaves."""
    sums: dict[str, list[int]] = {}
    for item, values in leaves.items():
        for code in {item[:n] for n in levels if n <= len(item)}:
            acc = sums.setdefault(code, [0] * len(values))
            for i, v in enumerate(values):
                acc[i] += v
    return sorted(
        ((c, tuple(v)) for c, v in sums.items()), key=lambda cv: (cv[0][:3], cv[0][:5], len(cv[0]), cv[0])
    )


def _subject_rows(
    rolled: list[tuple[str, tuple[int, ...]]], keys: list[str], names: dict[str, str], grouped: bool
) -> list[Row]:
    total = [sum(v[i] for c, v in rolled if len(c) == 3) for i in range(len(keys))]
    rows = [Row("total", "total", "合计", {k: _yuan(t, grouped) for k, t in zip(keys, total, strict=True)})]
    rows += [
        Row("subject", code, names[code], {k: _yuan(v, grouped) for k, v in zip(keys, values, strict=True)})
        for code, values in rolled
    ]
    return rows


def _table(document_type: str, table_type: str, doc: DocumentSpec, **fields) -> TableSpec:
    layout = default_layout(document_type, table_type, doc.fiscal_year)
    table = TableSpec(
        table_type=table_type,
        title=default_title(document_type, table_type, doc.department, doc.fiscal_year),
        label_columns=layout["label_columns"],
        columns=layout["columns"],
        year_group=layout["year_group"],
        indicator_columns=layout["indicator_columns"],
    )
    for k, v in fields.items():
        setattr(table, k, v)
    if table.is_empty and not table.is_form and layout["empty_note"]:
        table.note = layout["empty_note"]
    return table


def _two_sided_rows(income: list[Row], expenditure: list[Row]) -> list[Row]:
    """Both sides padded to one length; a closing total line stays last, so both totals share a line."""
    n = max(len(income), len(expenditure))
    for side, group in ((income, "income"), (expenditure, "expenditure")):
        at = len(side) - 1 if side[-1].kind == "total" else len(side)
        side[at:at] = [Row("blank", None, "") for _ in range(n - len(side))]
        for r in side:
            r.group = group
    return income + expenditure


def _class_rows(rolled: list[tuple[str, tuple[int, ...]]], keys: list[str], grouped: bool) -> list[Row]:
    names = function_names()
    return [
        Row(
            "expenditure_class",
            c,
            names[c],
            {k: _yuan(v, grouped) for k, v in zip(keys, values, strict=False)},
        )
        for c, values in rolled
        if len(c) == 3
    ]


def _prepend_prior_columns(
    table: TableSpec, prior: DocumentSpec, keys: tuple[str, ...], grouped: bool
) -> None:
    """Prior-year columns before the current ones, holding the same department's previous-year figures;
    a lone prior column prints under its year only, several keep their labels (seed 潼南 附件2/附件4)."""
    prior_rows = {r.code: r for r in prior.table(table.table_type).rows}
    columns = []
    for key in keys:
        current = table.column(key)
        label = current.label if len(keys) > 1 else ()
        columns.append(Column(f"prior_{key}", label, current.measure, current.fiscal_year - 1, True))
    table.columns = columns + table.columns
    for row in table.rows:
        source = prior_rows.get(row.code)
        for key in keys:
            value = source.amount(key) if source else None
            row.values[f"prior_{key}"] = "" if value is None else format_amount(value, grouped)


def _budget_tables(doc: DocumentSpec, f: Figures, prior: DocumentSpec | None) -> list[TableSpec]:
    g = f.grouped
    gb = _function_amounts(f, with_fund=False)
    everything = _function_amounts(f, with_fund=True)
    fund = _fund_amounts(f)
    gb_rolled = _rollup(gb)
    all_rolled = _rollup(everything)
    fund_rolled = _rollup(fund)
    gb_total = sum(v[0] for v in gb.values())
    fund_total = sum(v[0] for v in fund.values())
    total = gb_total + fund_total
    names = function_names()

    by_class = {c: v for c, v in all_rolled if len(c) == 3}
    gb_class = {c: v for c, v in gb_rolled if len(c) == 3}
    fund_class = {c: v for c, v in fund_rolled if len(c) == 3}
    tables = []

    income = [
        Row("total", "income_current_year", "一、本年收入", {"amount": _yuan(total, g)}),
        Row("income_source", "general_budget", "一般公共预算拨款", {"amount": _yuan(gb_total, g)}),
        Row("income_source", "government_fund", "政府性基金预算拨款", {"amount": _yuan(fund_total, g)}),
        Row("income_source", "state_capital", "国有资本经营预算拨款"),
        Row("total", "prior_year_carryover", "二、上年结转"),
        Row("total", "income_total", "收入总计", {"amount": _yuan(total, g)}),
    ]
    expenditure = [
        Row(
            "total",
            "expenditure_current_year",
            "一、本年支出",
            {
                "total": _yuan(total, g),
                "general_budget": _yuan(gb_total, g),
                "government_fund": _yuan(fund_total, g),
            },
        )
    ]
    expenditure += [
        Row(
            "expenditure_class",
            c,
            names[c],
            {
                "total": _yuan(v[0], g),
                "general_budget": _yuan(gb_class.get(c, (0,))[0], g),
                "government_fund": _yuan(fund_class.get(c, (0,))[0], g),
            },
        )
        for c, v in by_class.items()
    ]
    expenditure += [
        Row("total", "carry_forward", "二、结转下年"),
        Row(
            "total",
            "expenditure_total",
            "支出总计",
            {
                "total": _yuan(total, g),
                "general_budget": _yuan(gb_total, g),
                "government_fund": _yuan(fund_total, g),
            },
        ),
    ]
    tables.append(
        _table("budget", "fiscal_appropriation_summary", doc, rows=_two_sided_rows(income, expenditure))
    )

    table2 = _table(
        "budget",
        "general_budget_expenditure",
        doc,
        rows=_subject_rows(gb_rolled, ["total", "basic", "project"], names, g),
    )
    tables.append(table2)

    tables.append(_table("budget", "general_budget_basic_expenditure", doc, rows=_basic_rows(f, g)))
    three_table = _table("budget", "three_public_expenses", doc, rows=_three_public_rows(f, g))
    tables.append(three_table)
    if prior is not None and f.with_prior_column:
        _prepend_prior_columns(table2, prior, ("total",), g)
        _prepend_prior_columns(three_table, prior, tuple(c.key for c in three_table.columns), g)

    fund_rows = (
        _subject_rows(fund_rolled, ["total", "basic", "project"], names, g)
        if fund
        else [Row("total", "total", "合计")]
    )
    tables.append(_table("budget", "government_fund_expenditure", doc, rows=fund_rows))

    income6 = [
        Row("total", "income_total", "收入总计", {"amount": _yuan(total, g)}),
        Row("income_source", "general_budget", "一般公共预算拨款收入", {"amount": _yuan(gb_total, g)}),
        Row("income_source", "government_fund", "政府性基金预算拨款收入", {"amount": _yuan(fund_total, g)}),
    ]
    expenditure6 = [Row("total", "expenditure_total", "支出总计", {"total": _yuan(total, g)})]
    expenditure6 += [
        Row("expenditure_class", c, names[c], {"total": _yuan(v[0], g)}) for c, v in by_class.items()
    ]
    tables.append(_table("budget", "department_summary", doc, rows=_two_sided_rows(income6, expenditure6)))

    income_leaves = {
        item: (v[0], gb.get(item, (0,))[0], fund.get(item, (0,))[0]) for item, v in everything.items()
    }
    tables.append(
        _table(
            "budget",
            "department_income",
            doc,
            rows=_subject_rows(
                _rollup(income_leaves), ["total", "general_budget", "government_fund"], names, g
            ),
        )
    )
    tables.append(
        _table(
            "budget",
            "department_expenditure",
            doc,
            rows=_subject_rows(all_rolled, ["total", "basic", "project"], names, g),
        )
    )

    proc_total = sum(f.procurement.values())
    proc_rows = [
        Row(
            "total",
            "total",
            "合计",
            {"total": _yuan(proc_total, g), "general_budget": _yuan(proc_total, g)},
            labels=("合计", ""),
        )
    ]
    for n, (key, label) in enumerate(
        (("goods", "货物类"), ("services", "服务类"), ("works", "工程类")), start=1
    ):
        cents = f.procurement[key]
        proc_rows.append(
            Row(
                "other",
                key,
                label,
                {"total": _yuan(cents, g), "general_budget": _yuan(cents, g)},
                labels=(str(n), label),
            )
        )
    tables.append(_table("budget", "procurement", doc, rows=proc_rows))

    projects = f.projects + f.fund_projects
    project_rows = [
        Row(
            "total",
            "total",
            "合计",
            {
                k: _yuan(f.project_total + sum(p[3] for p in f.fund_projects), g)
                for k in ("total", "annual_specific_total", "annual_specific_general")
            },
            labels=("", "", "合计"),
        )
    ]
    project_rows += [
        Row(
            "project",
            code,
            name,
            {k: _yuan(cents, g) for k in ("total", "annual_specific_total", "annual_specific_general")},
            labels=(str(n), doc.department, name),
        )
        for n, (code, name, _, cents) in enumerate(projects, start=1)
    ]
    tables.append(_table("budget", "project_expenditure", doc, rows=project_rows))
    tables += _performance_tables(doc, f, total, projects)
    return tables


def _basic_rows(f: Figures, g: bool) -> list[Row]:
    """Economic 类/款 rows of the basic-expenditure table; a 款 is personnel or public money by its 类."""
    classes = economic_names()
    leaves = {
        code: (c, c, 0) if classes[code][1] == "personnel" else (c, 0, c) for code, c in f.economic.items()
    }
    names = {code: name for code, (name, _) in classes.items()}
    return _subject_rows(_rollup(leaves, levels=(3, 5)), ["total", "personnel", "public_operation"], names, g)


def _three_public_rows(f: Figures, g: bool) -> list[Row]:
    parts = dict(f.three_public)
    parts["vehicle_total"] = parts["vehicle_purchase"] + parts["vehicle_operation"]
    parts["total"] = parts["outbound_travel"] + parts["vehicle_total"] + parts["reception"]
    return [Row("total", "total", "合计", {k: _yuan(v, g) for k, v in parts.items()})]


def _weights(rng: random.Random, n: int, total: int) -> list[int]:
    """n weights, multiples of 5, summing to ``total``."""
    units = [1] * n
    for _ in range(total // 5 - n):
        units[rng.randrange(n)] += 1
    return [u * 5 for u in units]


def _indicators(rng: random.Random, n: int, total_weight: int) -> list[Indicator]:
    chosen = rng.sample(INDICATOR_POOL, n)
    weights = _weights(rng, n, total_weight)
    out = []
    for (l1, l2, l3, unit, op), w in zip(chosen, weights, strict=True):
        value = str(rng.choice((90, 95, 98, 100))) if unit == "%" else str(rng.randrange(100, 50000, 50))
        out.append(Indicator(l1, l2, l3, str(w), unit, op, value, "是" if w >= 15 else "否"))
    return out


def _performance_tables(doc: DocumentSpec, f: Figures, total: int, projects: list) -> list[TableSpec]:
    rng = random.Random(f.indicator_seed)
    g = f.grouped
    tables = [
        _table(
            "budget",
            "department_performance_targets",
            doc,
            fields=[
                Row("field", "department_name", "部门(单位)名称", {"value": doc.department}),
                Row("field", "department_expenditure_total", "部门支出预算数", {"value": _yuan(total, g)}),
                Row(
                    "field",
                    "annual_target",
                    "当年整体绩效目标",
                    {"value": "保障机构正常运转，按期完成年度重点工作任务。"},
                ),
            ],
            indicators=_indicators(rng, 6, 100),
        )
    ]
    for code, name, _, cents in projects:
        tables.append(
            _table(
                "budget",
                "project_performance_targets",
                doc,
                project_code=code,
                project_name=name,
                subtitle=f"编制单位：{doc.unit_code}-{doc.department}（本级）",
                fields=[
                    Row("field", "project_name", "项目名称", {"value": f"{code}-{name}"}),
                    Row("field", "budget_execution_weight", "预算执行率权重", {"value": "10"}),
                    Row("field", "project_amount", "当年预算（万元）", {"value": _yuan(cents, g)}),
                    Row("field", "own_level_amount", "本级安排（万元）", {"value": _yuan(cents, g)}),
                    Row("field", "overview", "项目概述", {"value": f"{name}，用于保障年度相关工作开展。"}),
                ],
                indicators=_indicators(rng, 5, 90),
            )
        )
    return tables


def _final_tables(doc: DocumentSpec, f: Figures) -> list[TableSpec]:
    """The nine-table final-account set (财政部 template)."""
    g = f.grouped
    names = function_names()
    gb = _function_amounts(f, with_fund=False)
    everything = _function_amounts(f, with_fund=True)
    fund_cents = sum(p[3] for p in f.fund_projects)
    gb_total = sum(v[0] for v in gb.values())
    total = gb_total + fund_cents
    all_rolled = _rollup(everything)
    gb_rolled = _rollup(gb)
    fund_rolled = _rollup(_fund_amounts(f))
    tables = []

    income = [
        Row("income_source", "general_budget", "一、财政拨款收入", {"amount": _yuan(total, g)}),
        Row("income_source", "business_income", "二、事业收入"),
        Row("income_source", "business_operation", "三、经营收入"),
        Row("income_source", "other", "四、其他收入"),
        Row("total", "income_current_year", "本年收入合计", {"amount": _yuan(total, g)}),
        Row("total", "prior_year_carryover", "年初结转和结余"),
        Row("total", "income_total", "总计", {"amount": _yuan(total, g)}),
    ]
    expenditure = _class_rows(all_rolled, ["total"], g) + [
        Row("total", "expenditure_current_year", "本年支出合计", {"total": _yuan(total, g)}),
        Row("total", "carry_forward", "年末结转和结余"),
        Row("total", "expenditure_total", "总计", {"total": _yuan(total, g)}),
    ]
    tables.append(
        _table(
            "final_account",
            "final_income_expenditure_summary",
            doc,
            rows=_two_sided_rows(income, expenditure),
        )
    )
    tables.append(
        _table(
            "final_account",
            "final_income",
            doc,
            rows=_subject_rows(
                _rollup({k: (v[0], v[0]) for k, v in everything.items()}),
                ["total", "general_budget"],
                names,
                g,
            ),
        )
    )
    tables.append(
        _table(
            "final_account",
            "final_expenditure",
            doc,
            rows=_subject_rows(all_rolled, ["total", "basic", "project"], names, g),
        )
    )

    fiscal_income = [
        Row("income_source", "general_budget", "一般公共预算财政拨款", {"amount": _yuan(gb_total, g)}),
        Row("income_source", "government_fund", "政府性基金预算财政拨款", {"amount": _yuan(fund_cents, g)}),
        Row("income_source", "state_capital", "国有资本经营预算财政拨款"),
        Row("total", "income_total", "收入总计", {"amount": _yuan(total, g)}),
    ]
    gb_class = {c: v for c, v in gb_rolled if len(c) == 3}
    fund_class = {c: v for c, v in fund_rolled if len(c) == 3}
    fiscal_exp = [
        Row(
            "expenditure_class",
            c,
            names[c],
            {
                "total": _yuan(v[0], g),
                "general_budget": _yuan(gb_class.get(c, (0,))[0], g),
                "government_fund": _yuan(fund_class.get(c, (0,))[0], g),
            },
        )
        for c, v in all_rolled
        if len(c) == 3
    ]
    fiscal_exp.append(
        Row(
            "total",
            "expenditure_total",
            "支出总计",
            {
                "total": _yuan(total, g),
                "general_budget": _yuan(gb_total, g),
                "government_fund": _yuan(fund_cents, g),
            },
        )
    )
    tables.append(
        _table(
            "final_account",
            "final_fiscal_appropriation_summary",
            doc,
            rows=_two_sided_rows(fiscal_income, fiscal_exp),
        )
    )
    tables.append(
        _table(
            "final_account",
            "final_general_budget_expenditure",
            doc,
            rows=_subject_rows(gb_rolled, ["total", "basic", "project"], names, g),
        )
    )
    tables.append(
        _table("final_account", "final_general_budget_basic_expenditure", doc, rows=_basic_rows(f, g))
    )
    tables.append(_table("final_account", "final_three_public_expenses", doc, rows=_three_public_rows(f, g)))
    fund_rows = (
        _subject_rows(fund_rolled, ["total", "basic", "project"], names, g)
        if f.fund_projects
        else [Row("total", "total", "合计")]
    )
    tables.append(_table("final_account", "final_government_fund_expenditure", doc, rows=fund_rows))
    tables.append(
        _table("final_account", "final_state_capital_expenditure", doc, rows=[Row("total", "total", "合计")])
    )
    return tables


def synthesize(
    seed: int, region: str, department: str, year: int, document_type: str = "budget"
) -> DocumentSpec:
    """One consistent document of ``department`` (short name, e.g. 审计局 or a town) in ``region``."""
    f = figures(seed, region, department, year, document_type)
    prior = figures(seed, region, department, year - 1, document_type) if year > FIRST_YEAR else None
    province = regions()[region]
    full_name = full_department_name(province, region, department)
    unit_number = [d for d, _, _ in departments_of(region)].index(department) + 1
    kind = "部门决算" if document_type == "final_account" else "部门预算"
    year_word = "年度" if document_type == "final_account" else "年"
    doc = DocumentSpec(
        region=region,
        province=province,
        department=full_name,
        unit_code=f"{100 + unit_number:03d}001",
        fiscal_year=year,
        document_type=document_type,
        title=f"{full_name}{year}{year_word}{kind}公开",
        slug=f"{seed}_{region}_{department}_{year}_{document_type}",
    )
    prior_doc = None
    if prior is not None:
        prior_doc = DocumentSpec(region, province, full_name, doc.unit_code, year - 1, document_type, "")
        prior_doc.tables = (
            _budget_tables(prior_doc, prior, None)
            if document_type == "budget"
            else _final_tables(prior_doc, prior)
        )
    doc.tables = _budget_tables(doc, f, prior_doc) if document_type == "budget" else _final_tables(doc, f)
    doc.narrative_figures = figures_from_tables(doc, prior_doc)
    doc.narrative = narrative_paragraphs(doc)
    return doc


def corpus_capacity() -> int:
    return sum(len(departments_of(r)) for r in regions()) * (LAST_YEAR - FIRST_YEAR + 1) * len(DOCUMENT_TYPES)


def iter_corpus_keys(n_docs: int, seed: int) -> Iterator[tuple[str, str, int, str]]:
    """(region, department, year, document_type) of the first ``n_docs`` documents of a corpus:
    consecutive years of a department first, then more departments, then more regions."""
    capacity = corpus_capacity()
    if not 0 < n_docs <= capacity:
        raise SpecError(f"a corpus holds 1 … {capacity} documents, asked for {n_docs}")
    order = sorted(regions())
    random.Random(f"corpus|{seed}").shuffle(order)
    produced = 0
    for first, last in YEAR_WINDOWS:
        for region in order:
            for department, _, _ in departments_of(region):
                for year in range(first, last + 1):
                    for document_type in DOCUMENT_TYPES:
                        yield region, department, year, document_type
                        produced += 1
                        if produced == n_docs:
                            return


def iter_corpus(n_docs: int, seed: int) -> Iterator[DocumentSpec]:
    """``n_docs`` distinct consistent documents (10 … 100,000), deterministic by seed."""
    for region, department, year, document_type in iter_corpus_keys(n_docs, seed):
        yield synthesize(seed, region, department, year, document_type)

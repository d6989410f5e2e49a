"""Grid tables: header rows to column meanings, body rows to staged cells.

Header: rows before the first body row (a row with a number, a classification code, or a total label
standing alone). Merged header cells are printed once and left blank elsewhere; a blank is filled from
its left neighbour only when both columns sit under the same parent (a horizontally merged group),
otherwise it is the lower part of a vertically merged cell and stays blank. Each column's meaning
(``measure``), its year and whether it is a prior-year comparison come from the header CONTENT.

Two-sided summary tables (收入 | 支出 side by side) are read as two tables sharing rows: each side
has its own name column and amounts, and cells carry ``row_group`` income / expenditure.

Rows whose blank cells were collapsed (fewer cells than columns in a text rendition; the seeds'
continuation pages do this) keep their labels; their first amount is the total and a single
remaining amount goes to the breakdown column where the parent row's remainder equals it, else to
the column its fully published siblings use, else to the parent's only non-empty breakdown column.
Such cells are ``inferred``. Readers that place cells by position (PDF, XLSX, HTML) at most
drop trailing blanks, so their short rows are read by position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cache
from statistics import median

from extractors.interpret.mappings import (
    first_match,
    function_class_code,
    government_economic_class_codes,
    load,
    norm,
    pattern,
    scheme_of,
    strip_enumerator,
    subject_codes,
    subject_key,
)
from extractors.interpret.metadata import clean_department
from extractors.interpret.numbers import is_blank, is_number, parse_number
from extractors.interpret.segment import Block
from extractors.model import BBox, Cell, ExtractionIssue, Line, StagedCell

_CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")
# "2010801-行政运行", "2010801 行政运行", "[2010801]行政运行".
_LEADING_CODE = re.compile(
    r"^(?:\[(?P<bracketed>\d{3}(?:\d{2}){0,2})\]|(?P<code>\d{3}(?:\d{2}){0,2})\s*[-—－\s])\s*(?P<name>\S.*)$"
)
_CODE_PARTS = frozenset({"类", "款", "项"})
# 一、财政拨款(收入); Guangzhou 收支总体情况表 prints 一、预算拨款
_APPROPRIATION = re.compile(r"^(?:本级)?(?:财政|预算)拨款(?:收入)?$")
_LIST_PREFIX = re.compile(r"^其中[:：]?\s*")
# A 款 or 项 printed with its own two digits under the 类 it belongs to (Xi'an: 208, 05, 2080505, 99).
_SHORT_CODE = re.compile(r"^\d{2}$")
# A budget unit's code heading the rows of that unit (Xi'an: "125001 西安市安全生产监督管理局").
_UNIT_CODE = re.compile(r"^\d{6}$")
# a budget department's own three-digit code (Suzhou 024 苏州市审计局): no function class starts with 0 or 1;
# others (Wuxi 317 无锡市商务局) tell themselves apart by their name, which names no subject of that code
_DEPARTMENT_CODE = re.compile(r"^[01]\d{2}$")
_THREE_DIGITS = re.compile(r"^\d{3}$")
# Placeholders some templates print in the row of column numbers ("**", "*").
_COLUMN_NUMBER_MARK = re.compile(r"^\*+$")
# Unmarked, a row reading 1, 2, 3 … numbers columns only when this long: no amount row counts so.
_UNMARKED_COLUMN_NUMBERS = 4
_SUBTOTAL = frozenset({"小计", "合计"})
# A leaf saying only "the figure" of the group above it (基本支出 / 小计, 人员经费 / 决算数).
_GENERIC_LEAF = re.compile(r"^(?:小计|预算数|决算数|金额)$")
# a change column printing a rate, no amount (增减%, 增减比例, 增长率)
_RATE = re.compile(r"%|％|比例|幅度|百分比|率")
# the measures of a 三公 table's change figures (增减变化金额 rows, 增减变化情况 columns): the measure
# changed and this suffix (total_change, reception_change); of its fund parts, the fund's key after the
# measure (reception_government_fund, reception_government_fund_change)
CHANGE_SUFFIX = "_change"
_CHANGE_ROW = re.compile(r"增减|变化|变动")
_FUND_GROUP = re.compile(r"拨款$")
# The figure of a fund group (财政拨款 / 小计, 财政拨款 / 合计): all appropriations, not the line's total.
_FUND_SUBTOTAL = re.compile(r"^(?:小计|合计)$")
# Sources that are appropriations: a table printing only these and their 小计 prints no other money.
_APPROPRIATIONS = frozenset({"fiscal_appropriation", "general_budget", "government_fund", "state_capital"})
# In a final account, columns under 预算数 hold the budget beside the actual (决算数) figures.
_BUDGET_GROUP = re.compile(r"^(?:年初)?(?:全年)?预算数?$")
_ROW_OF_NUMBERS = frozenset({"栏次"})
_YEAR = re.compile(r"(\d{4})年")
# a year group named relative to the document's (Xi'an 三公: 上年 | 当年 | 增减变化情况)
_PREVIOUS_YEAR = re.compile(r"^上(?:一)?年(?:度)?(?:预算数?|决算数?|数)?$")
_CURRENT_YEAR = re.compile(r"^(?:当年|本年)(?:度)?(?:预算数?|数)?$")
_ECONOMIC_LIST = re.compile(r"经济(?:分类)?科目|经济分类$")
# a summary's list of government economic classes (政府预算支出经济分类科目, 政府预算支出经济科目, 2020:
# 政府预算支出经济分类)
_GOVERNMENT_LIST = re.compile(r"政府预算支出经济")
_SUBJECT_GROUP = re.compile(r"科目$")
_ECONOMIC = re.compile(r"经济")
# A budget unit's line (a table printed per unit: 单位名称 | amounts; a unit's line heading its subject
# lines): the name of an organisation, its notes in brackets left out ((本级), (深圳), (广州市气候变化中心)).
_UNIT_NOTE = re.compile(r"\([^()]*\)$")
# organisations metadata's endings do not name (…监狱, 广州市气象台; a 平台 is a project's)
_UNIT_ENDING = re.compile(r"(?:监狱|(?<!平)台)$")
# a place a unit is named after (广州市…, 广东省…, 中共深圳市委…): what tells a unit from a subject or a
# project named like an organisation (综合医院, 档案馆, 黄金围货运站)
_UNIT_PLACE = re.compile(r"省|市|区|县|州|旗|盟|中共")
# a unit named without its place, among unit lines: long enough to be no subject name
_UNIT_NAME_LENGTH = 8
# the code a unit's line prints: the department's (Xi'an 245, 251) or a unit's (245001)
_UNIT_LINE_CODE = re.compile(r"\d{3}|\d{6}")
# families whose tables may list budget units (not the two-sided summaries, meetings or forms)
_UNIT_FAMILIES = frozenset({"expenditure", "basic_expenditure", "income", "three_public", "projects"})
_SUBJECT_FAMILIES = frozenset({"expenditure", "basic_expenditure", "income"})
_BREAKDOWN_FAMILIES = frozenset({"expenditure", "basic_expenditure"})
_PROCUREMENT_KINDS = frozenset({"procurement_category", "procurement_unit", "procurement_group",
                                "procurement_item"})
# the kinds of line staged with a qualifier (a government economic class, an economic code, a purpose)
_QUALIFIED_KINDS = _PROCUREMENT_KINDS | {"subject", "economic_class", "economic_total"}
# A continuation page's cell is ruled on a column ruling of the first page when its edge lies this close
# (points); the first page's cells of one column lie this close to each other.
_ALIGN_TOLERANCE = 3.0


@dataclass
class Column:
    index: int
    path: list[str]
    role: str  # code | ordinal | name | year | quantity | value
    side: str | None = None  # income | expenditure in two-sided tables
    half: int = 0  # which of the lists printed side by side the column belongs to (see _mark_halves)
    measure: str | None = None
    fiscal_year: int | None = None
    is_prior_year: bool = False
    known_unmeasured: bool = False

    @property
    def label(self) -> str:
        return " / ".join(self.path)

    @property
    def leaf(self) -> str:
        return self.levels[-1] if self.levels else ""

    @property
    def levels(self) -> list[str]:
        """Header labels top-down, without the column numbers (栏次 1, 2, 3 …) some templates print."""
        return [n for n in (norm(p) for p in self.path) if n and not n.isdigit()]


@dataclass
class GridResult:
    header: list[list[str]]
    cells: list[StagedCell] = field(default_factory=list)
    issues: list[ExtractionIssue] = field(default_factory=list)
    projects: list[tuple[int, str, Decimal | None]] = field(default_factory=list)  # (row_index, name, amount)


def is_column_numbers(filled: list[str]) -> bool:
    """The row numbering the columns (栏次 1, 2, 3 …; Xi'an prints ** 1 2 3 4 **; the central 三公 决算
    table prints 1 … 12 alone): header, not body. A leading 栏次 labels the row."""
    labelled = bool(filled) and filled[0] in _ROW_OF_NUMBERS
    if labelled:
        filled = filled[1:]
    marks = [v for v in filled if _COLUMN_NUMBER_MARK.match(v)]
    numbers = [v for v in filled if not _COLUMN_NUMBER_MARK.match(v)]
    counted = numbers == [str(i) for i in range(1, len(numbers) + 1)]
    return counted and len(numbers) >= (2 if marks or labelled else _UNMARKED_COLUMN_NUMBERS)


def is_body_row(line: Line) -> bool:
    values = [norm(c.text) for c in line.cells]
    filled = [v for v in values if v]
    if not filled or filled[0] in _ROW_OF_NUMBERS or is_column_numbers(filled):
        return False
    if any(is_number(v) for v in filled) or _CODE.match(filled[0]):
        return True
    if len(filled) > 1 and len(set(filled)) == 1 and strip_enumerator(filled[0]) != filled[0]:
        # one enumerated heading over every list of a side-by-side summary, no amount beside (Xi'an 2020
        # 部门综合预算收支总表: 一、部门预算 | | 一、部门预算 | | 一、部门预算 …): the lists' first line
        return True
    first = strip_enumerator(filled[0])
    return _total_key(first) is not None and len(filled) == 1


@cache
def _known_codes(scheme: str) -> frozenset[str]:
    """Every code the corpora print with some name (``subject_codes``)."""
    return frozenset(c for codes in subject_codes(scheme).values() for c in codes)


def _total_key(name: str) -> str | None:
    return first_match(load("measures")["totals"], name)


def unit_name(label: str) -> str | None:
    """The budget unit a line names, normalised (enumerator, （本级） and bracketed notes left out), or
    None: an organisation's name (metadata's endings: 局, 办公室, 中心, 站, 所, 队, 院, 馆, 学校 …, and 监狱,
    台) that is no subject name the corpora print (综合医院, 监狱 20407, 法院 20405), no class name, no
    total. Whether the line is a unit's is the table's to say (``GridReader._unit_line``)."""
    name = strip_enumerator(norm(label))
    core = name
    while (stripped := _UNIT_NOTE.sub("", core)) != core:
        core = stripped
    if not core or not (clean_department(core) or _UNIT_ENDING.search(core)):
        return None
    for scheme in ("function", "economic"):
        named = subject_codes(scheme)
        if named.get(subject_key(name)) or named.get(core):
            return None
    if function_class_code(name) or _total_key(name) or _total_key(core):
        return None
    return core


def _texts(line: Line, width: int) -> list[str]:
    texts = [c.text.strip() for c in line.cells]
    return texts + [""] * (width - len(texts))


def _side(top_label: str) -> str | None:
    """Which side of a two-sided summary a top header group is (收入 / 本年收入 / 财政拨款收入 …)."""
    if "收入" in top_label and "支出" not in top_label:
        return "income"
    if "支出" in top_label and "收入" not in top_label:
        return "expenditure"
    return None


def _not_a_column_label(text: str) -> bool:
    n = norm(text)
    layout = load("layout")
    return n in _ROW_OF_NUMBERS or bool(
        _COLUMN_NUMBER_MARK.match(n)
        or pattern(layout["unit"]).match(n)
        or pattern(layout["prepared_by"]).match(n)
    )


def _header_paths(rows: list[list[str]], width: int) -> list[list[str]]:
    # "栏次" labels the row of column numbers (1, 2, 3 …), not the column it is printed in.
    # Unit and preparer notes printed in header corners ("单位：元", "编制单位：…") label no column.
    filled = [["" if _not_a_column_label(text) else text for text in r] for r in rows]
    for r, row in enumerate(filled):
        for j in range(1, width):
            if row[j] or not row[j - 1]:
                continue
            if r == 0 or [filled[k][j] for k in range(r)] == [filled[k][j - 1] for k in range(r)]:
                row[j] = row[j - 1]
    paths = []
    for j in range(width):
        path: list[str] = []
        for row in filled:
            label = re.sub(r"\s+", " ", row[j]).strip()
            if label and (not path or norm(path[-1]) != norm(label)):
                path.append(label)
        paths.append(path)
    return paths


def _measure(family: str | None, column: Column) -> tuple[str | None, bool]:
    if family is None:
        return None, False
    config = load("measures")
    rules_key = f"{family}_{column.side}" if family == "summary" and column.side else family
    rules = list(config["measures"].get(rules_key, []))
    by_fund = family in config["fund_source_families"]
    if family == "income" or by_fund:
        # Columns by fund source (部门收入总表; Shenzhen's 基本支出总表, Yantai's 基本支出预算情况表 and
        # 项目支出预算情况表 split spending by source too).
        rules += config["income_sources"]
    if by_fund:
        rules += config["fund_sources"]
    joined = "/".join(column.levels)
    # The most specific label first (leaf), then its groups upwards (合计 / 预算数), then the path. A
    # 小计 or 决算数 under a breakdown group is that group's figure (基本支出 / 小计 is basic spending,
    # not the total); under a fund (一般公共预算支出 / 小计) it is the table's total.
    levels = column.levels
    change = [level for level in levels if pattern(config["change_columns"]).search(level)]
    if change:
        # a 三公 table's year-on-year change in amounts (Xi'an 增减变化情况 / 培训费): the figure of the
        # column it changes, as a measure of its own (training_change); a rate (增减%) has none
        if family == "three_public" and not any(_RATE.search(level) for level in change):
            rest = [level for level in levels if level not in change]
            measure = _measure(family, replace(column, path=rest))[0] if rest else None
            if measure:
                return f"{measure}{CHANGE_SUFFIX}", False
        return None, True
    if levels and pattern(config["part_columns"]).search(levels[-1]):
        return None, True
    if (family == "income" and len(levels) > 1 and not _GENERIC_LEAF.match(levels[-1])
            and any(pattern(config["carryover_parts"]).search(level) for level in levels[:-1])):
        return None, True
    by_source = len(levels) > 1 and (family == "income" or (family == "expenditure"
                                                             and _FUND_GROUP.search(levels[-2])))
    if (by_fund or family == "income") and by_source:
        part = first_match(config["fund_source_parts"], levels[-1])
        if part:
            return part, False
    if by_source and _LIST_PREFIX.match(levels[-1]):
        # 一般公共预算拨款 / 其中：专项资金… (Xi'an): a part of the source's figure, not another source
        return None, True
    if (by_fund and len(levels) > 1 and _FUND_SUBTOTAL.match(levels[-1])
            and pattern(config["fund_group"]).search(levels[-2])):
        # 财政拨款 / 小计 beside 合计 and the other money (Yantai): all appropriations (see
        # _appropriation_totals for a table printing nothing else)
        return "fiscal_appropriation", False
    if len(levels) > 1 and _GENERIC_LEAF.match(levels[-1]):
        # under a fund source (一般公共预算拨款 / 小计, beside the other sources) the 小计 is that source's
        # figure; under a spending group (一般公共预算支出 / 小计) it is the table's total
        group_rules = config["measures"].get(rules_key, [])
        group = first_match(group_rules + (config["income_sources"] if by_source else []), levels[-2])
        if group:
            return group, False
    for text in [*reversed(levels), joined]:
        key = first_match(rules, text)
        if key:
            return key, False
    unmeasured = config["unmeasured"].get(family)
    return None, bool(unmeasured and pattern(unmeasured).search(joined))


def build_columns(
    header: list[list[str]], width: int, family: str | None, doc_year: int | None, is_final: bool = False,
    one_list: bool = False,
) -> list[Column]:
    """The columns of a table's header. ``one_list``: the table prints one list whatever code columns
    follow its amounts (a procurement line's economic codes after its 数量, Xi'an), never halves."""
    label_patterns = load("measures")["label_columns"]
    columns = []
    for j, path in enumerate(_header_paths(header, width)):
        column = Column(index=j, path=path, role="value")
        leaf = column.leaf
        if leaf and pattern(label_patterns["ordinal"]).search(leaf):
            column.role = "ordinal"
        elif leaf and (
            pattern(label_patterns["code"]).search(leaf)
            or (leaf in _CODE_PARTS and any(pattern(label_patterns["code"]).search(n) for n in column.levels))
            # 类 | 款 under 部门经济科目 / 政府经济科目 (Xi'an 人社局 政府采购预算表: 302 | 16 | 502 | 03)
            or (leaf in _CODE_PARTS and any(_SUBJECT_GROUP.search(n) for n in column.levels[:-1]))
        ):
            column.role = "code"
        elif leaf and pattern(label_patterns["quantity"]).search(leaf):
            column.role = "quantity"
        elif leaf and pattern(label_patterns["name"]).search(leaf):
            column.role = "name"
        elif leaf and family == "three_public" and pattern(label_patterns["year"]).search(leaf):
            column.role = "year"
        column.side = _side(column.levels[0]) if column.levels and family == "summary" else None
        years = [int(y) for p in path for y in _YEAR.findall(norm(p))]
        if not years and doc_year:
            years = [doc_year - 1 if _PREVIOUS_YEAR.match(n) else doc_year
                     for n in column.levels if _PREVIOUS_YEAR.match(n) or _CURRENT_YEAR.match(n)][-1:]
        column.fiscal_year = years[-1] if years else doc_year
        column.is_prior_year = bool(years and doc_year and years[-1] < doc_year)
        if column.role == "value":
            column.measure, column.known_unmeasured = _measure(family, column)
            if column.measure and is_final and any(_BUDGET_GROUP.match(n) for n in column.levels):
                column.measure = f"budget_{column.measure}"
        columns.append(column)
    if not {"income", "expenditure"} <= {c.side for c in columns}:
        for column in columns:
            column.side = None
        if not one_list:
            _mark_halves(columns)
        if family == "three_public":
            _three_public_totals(columns)
        _appropriation_totals(columns)
        _measured_once(columns, family)
        return columns
    # A two-sided table: every column belongs to the side whose group it sits under.
    side = None
    for column in columns:
        side = column.side or side
        column.side = side
        if column.role == "value" and column.measure is None:
            column.measure, column.known_unmeasured = _measure(family, column)
    # A side printing lists beside each other (Xi'an 部门综合预算收支总表, 支出: 支出功能分类科目 | 预算数 |
    # 部门预算支出经济分类科目 | 预算数 | 政府预算支出经济分类科目 | 预算数): each list is a half of its own.
    for side in ("income", "expenditure"):
        _mark_halves([c for c in columns if c.side == side], lead="name")
    _measured_once(columns, family)
    return columns


def _measured_once(columns: list[Column], family: str | None) -> None:
    """One measure read from two columns of one row (基本支出 over leaves the vocabulary does not name,
    each taking the group's measure) would be summed: the columns that took it from their group, not
    from their own label, are left without a measure, so an issue says so."""
    same: dict[tuple, list[Column]] = {}
    for c in columns:
        if c.role == "value" and c.measure:
            same.setdefault((c.measure, c.fiscal_year, c.is_prior_year, c.side, c.half), []).append(c)
    for group in same.values():
        if len(group) < 2:
            continue
        by_fund = {first_match(load("measures")["income_sources"], c.leaf): c for c in group}
        if family == "three_public" and len(by_fund) == len(group) and "general_budget" in by_fund:
            # a 三公 part split by fund (Shenzhen: 公务接待费 / 一般公共预算 | 政府性基金预算 | 国有资本
            # 经营预算): the general budget's column is the part, as in the tables of one fund; the
            # others are the part's figure of their fund (reception_government_fund)
            for fund, c in by_fund.items():
                if fund != "general_budget" and c.measure:
                    base, change = _split_change(c.measure)
                    c.measure = f"{base}_{fund}{change}"
            continue
        for c in group:
            own = Column(index=c.index, path=[c.leaf], role="value", side=c.side)
            if _measure(family, own)[0] != _split_change(c.measure or "")[0].removeprefix("budget_"):
                c.measure, c.known_unmeasured = None, False


def _split_change(measure: str) -> tuple[str, str]:
    """A measure and its change suffix ('' for a year's figure): reception_change -> (reception, _change)."""
    if measure.endswith(CHANGE_SUFFIX):
        return measure.removesuffix(CHANGE_SUFFIX), CHANGE_SUFFIX
    return measure, ""


def _appropriation_totals(columns: list[Column]) -> None:
    """A table printing no total and no money besides appropriations (财政拨款 / 小计 | 一般公共预算 |
    政府性基金 …, no 合计, no 单位资金): its 财政拨款 小计 is the line's total."""
    config = load("measures")
    fund_keys = {key for key, _ in config["income_sources"] + config["fund_sources"]}
    places = {(c.fiscal_year, c.is_prior_year, c.half) for c in columns
              if c.measure == "fiscal_appropriation"}
    for place in places:
        same = [c for c in columns if c.role == "value" and (c.fiscal_year, c.is_prior_year, c.half) == place]
        measures = {c.measure for c in same if c.measure}
        if "total" not in measures and not (measures & fund_keys) - _APPROPRIATIONS:
            for column in same:
                if column.measure == "fiscal_appropriation":
                    column.measure = "total"


def _three_public_totals(columns: list[Column]) -> None:
    """A 三公 table that adds 会议费 and 培训费 (Xi'an) prints a 合计 over all of them and a 小计 under its
    三公 group: the 小计 is the 三公 total (合计 = 出国 + 车辆 + 接待, DOMAIN.md); the 合计, which adds the
    other two, is a measure of its own, total_with_meeting_training (of a change group, with its suffix)."""
    measured = [(c, *_split_change(c.measure)) for c in columns if c.measure]
    for year, change in {(c.fiscal_year, change) for c, _, change in measured}:
        of_year = [(c, base) for c, base, ch in measured if c.fiscal_year == year and ch == change]
        totals = [c for c, base in of_year if base == "total"]
        grouped = [c for c in totals if len(c.levels) > min(len(t.levels) for t in totals)]
        if grouped and any(base in ("meeting", "training") for _, base in of_year):
            for column in totals:
                if column not in grouped:
                    # the 合计 of the 三公, 会议费 and 培训费: a figure of its own
                    column.measure = f"total_with_meeting_training{change}"


def _mark_halves(columns: list[Column], lead: str = "code") -> None:
    """A table printing coded lists side by side (基本支出决算表: 301/303 lines | 302 lines | 307/310/399
    lines, each list with its own code, name and amount columns): a code column after the amounts of
    the list before it starts the next half, whose cells make rows of their own. ``lead`` name: lists
    of names only (a summary side's), each started by its name column; amounts before a side's first
    name column are a list of their own, never named by a list printed after them (Xi'an 2022, whose
    text layer reads 支出功能分科目 and 部门预算支出经济科目, headers naming no column, before
    政府预算支出经济分类科目)."""
    half, seen_code, seen_value = 0, False, False
    for i, column in enumerate(columns):
        if column.role == lead and (seen_code or lead == "name") and seen_value and any(
            c.role == "value" for c in columns[i:]
        ):
            half, seen_value = half + 1, False
        seen_code = seen_code or column.role == lead
        seen_value = seen_value or column.role == "value"
        column.half = half


def _row_label(texts: list[str], columns: list[Column]) -> tuple[str | None, str | None]:
    """(code, name) of a row: code columns joined (类/款/项 printed apart), name as published; of two
    classifications printed side by side, the first's code and name.

    A name column may carry its code ("2010801-行政运行"); with several name columns the first coded
    one names the row, else the most specific one unless it only says 小计.
    """
    code_columns = [c for c in columns if c.role == "code"]
    code = "".join(texts[c.index] for c in code_columns if texts[c.index]) or None
    names = [texts[c.index] for c in columns if c.role == "name" and texts[c.index]]
    first = next((c for c in code_columns if norm(texts[c.index])), None)
    if code and not _CODE.match(norm(code)) and first and _CODE.match(norm(texts[first.index])):
        # Two classifications printed side by side (Xi'an: 部门经济科目编码 | 名称 | 政府经济科目编码 |
        # 名称, 30101 beside 50101): the row is the first one's, named by the name column after it.
        following = next((c for c in code_columns if c.index > first.index), None)
        named = [texts[c.index] for c in columns if c.role == "name" and c.index > first.index
                 and (following is None or c.index < following.index) and texts[c.index]]
        return norm(texts[first.index]), next(iter(named or names), None)
    if code and not code.isdigit():
        # A label printed in the code column (合计 spanning both label columns).
        names, code = names or [code], None
    coded = [m for m in (_LEADING_CODE.match(n) for n in names) if m]
    if coded and not code:
        return coded[0].group("bracketed") or coded[0].group("code"), coded[0].group("name")
    if not names:
        return code, None
    name = names[-1] if norm(names[-1]) not in _SUBTOTAL or len(names) == 1 else names[0]
    return code, name


def _code_keyed(header: list[list[str]], width: int) -> bool:
    """A procurement table listing its spending by function code (Yantai 政府采购预算表: 科目编码 类 | 款 |
    项 | 科目名称 | 合计 | 财政拨款 …): its lines are subjects, read as the function tables' are."""
    return any(c.role == "name" and "科目名称" in c.leaf for c in build_columns(header, width, None, None))


def _code_part_groups(columns: list[Column]) -> list[list[Column]]:
    """The split code columns (类 | 款 | 项) of each classification a table prints, in order: a 类 column
    after another classification's parts starts the next (Yantai: 类 款 | name | 类 款 | name)."""
    groups: list[list[Column]] = []
    for column in columns:
        if column.role != "code" or column.leaf not in _CODE_PARTS:
            continue
        if not groups or (column.leaf == "类" and any(c.leaf == "类" for c in groups[-1])):
            groups.append([])
        groups[-1].append(column)
    return groups


def _matches_header(line: Line, header: list[list[str]]) -> bool:
    """A row printed again at a page break: each of its cells equals, or is cut from, the header's."""
    texts = [norm(c.text) for c in line.cells]
    for row in header:
        expected = [norm(t) for t in row]
        if (
            len(texts) <= len(expected) + 1
            and all(not t or (i < len(expected) and expected[i].startswith(t)) for i, t in enumerate(texts))
            and any(texts)
        ):
            return True
    return False


def split_header(block: Block) -> tuple[list[Line], list[Line]]:
    """(header rows, body rows) of a block, dropping the headers repeated on continuation pages."""
    first = block.parts[0]
    start = next((i for i, row in enumerate(first) if is_body_row(row)), len(first))
    header = first[:start]
    header_texts = [[c.text for c in row.cells] for row in header]
    body = list(first[start:])
    for part in block.parts[1:]:
        skip = next((i for i, row in enumerate(part) if is_body_row(row)), len(part))
        body.extend(part[skip:])
    body = _aligned_continuations(header, body)
    body = [row for row in body if not (not is_body_row(row) and (
        _matches_header(row, header_texts) or _names_code_parts(row)))]
    return header, body


def _names_code_parts(line: Line) -> bool:
    """A header row naming only the parts of a split code (类 | 款 | 项), printed again on a continuation
    page where the first page's reader joined the parts and dropped the row."""
    texts = [t for t in (norm(c.text) for c in line.cells) if t]
    return bool(texts) and all(set(t) <= _CODE_PARTS for t in texts)


def _page_of(line: Line) -> int | None:
    return next((c.page for c in line.cells if c.page is not None), line.page)


def _first_page_columns(header: list[Line], body: list[Line]) -> list[tuple[float, float]] | None:
    """Where each column of the table is ruled on its first page: the box its body cells share there,
    each column's cells at one place (``_ALIGN_TOLERANCE``), in every body row of the page. None where
    the page's rows count different cells, a cell has no position (text, XLSX, HTML) or a column's cells
    sit at different places (an unruled table's text boxes, a form)."""
    page = _page_of((header or body)[0]) if header or body else None
    rows = [r for r in body if _page_of(r) == page]
    if not rows or len({len(r.cells) for r in rows}) != 1:
        return None
    spans = []
    for j in range(len(rows[0].cells)):
        boxes = [r.cells[j].bbox for r in rows]
        if any(b is None for b in boxes):
            return None
        lefts = [b[0] for b in boxes if b]
        rights = [b[2] for b in boxes if b]
        if max(lefts) - min(lefts) > _ALIGN_TOLERANCE or max(rights) - min(rights) > _ALIGN_TOLERANCE:
            return None
        spans.append((median(lefts), median(rights)))
    return spans


def _columns_spanned(box: BBox, columns: list[tuple[float, float]]) -> tuple[int, int] | None:
    """(first, last) of the columns a cell is ruled over: its left edge on the first's, its right edge on
    the last's (合计 merged over the code and name columns spans both); None where its edges are on no
    column's."""
    first = next((j for j, (a, _) in enumerate(columns) if abs(box[0] - a) <= _ALIGN_TOLERANCE), None)
    if first is None:
        return None
    last = next((j for j in range(first, len(columns)) if abs(box[2] - columns[j][1]) <= _ALIGN_TOLERANCE),
                None)
    return None if last is None else (first, last)


def _aligned_continuations(header: list[Line], body: list[Line]) -> list[Line]:
    """Rows of a continuation page counting other cells than the first page's (its reader split or
    joined columns the first page did not: 类 | 款 | 项 kept apart on a page printing no code, Shanghai
    人社局 2026 p.14 合计 | | | | 120258,600 | 25829,012 | 94429,588 under 合计 | 基本支出 | 项目支出),
    placed in the first page's columns where every printed cell is ruled on the first page's column
    rulings (``_columns_spanned``). Any other row stays as read, by count."""
    columns = _first_page_columns(header, body)
    if not columns:
        return body
    page = _page_of((header or body)[0])
    aligned = []
    for row in body:
        printed = [c for c in row.cells if c.text.strip()]
        if _page_of(row) == page or len(row.cells) == len(columns) or not printed:
            aligned.append(row)
            continue
        places = [_columns_spanned(c.bbox, columns) if c.bbox else None for c in printed]
        spans = [p for p in places if p is not None]
        if len(spans) < len(places) or any(a[1] >= b[0] for a, b in zip(spans, spans[1:], strict=False)):
            aligned.append(row)  # a cell off the rulings, or cells overlapping: not the first page's grid
            continue
        cells = [Cell("", _page_of(row)) for _ in columns]
        for (first, _), cell in zip(spans, printed, strict=True):
            cells[first] = cell
        aligned.append(Line(cells, row.page, row.is_row))
    return aligned


@dataclass
class _RowState:
    """What earlier rows told us: carry-over context and amounts by row key, for collapsed rows."""

    carryover: bool = False
    year_unit: tuple[str, str | None, str | None] | None = None  # (kind, key, name) of a 三公 unit by year
    class_code: str | None = None  # the last 类 row's code, for 款/项 printed with two digits
    subject: str | None = None  # the last classification row's code: where a row named only sits
    scheme: str | None = None  # function | economic, from the first code the table prints
    code_parts: list[str] = field(default_factory=list)  # the last line's 类, 款, 项 (split columns)
    # the second classification printed beside the first in split columns (Yantai: 部门经济分类 301 01 |
    # 政府经济分类 501 01): the government class of the last department class line, which its lines are
    # printed under (the same 301 is printed again under 505)
    qualifier: str | None = None
    amounts: dict[str, dict[int, Decimal]] = field(default_factory=dict)
    complete_rows: set[str] = field(default_factory=set)  # rows published with every cell
    started: bool = False  # a total or subject row was read: a unit's name is a unit's line from here on
    units: int = 0  # unit lines read so far (see ``GridReader._unit_line``)
    unit_places: set[str] = field(default_factory=set)  # the first two characters of their names (广州)
    after_other: bool = False  # the line before was of kind other (a name wrapped over two lines?)


class GridReader:
    def __init__(
        self,
        block: Block,
        table_index: int,
        document_id: str,
        table_type: str | None,
        family: str | None,
        doc_year: int | None,
        factor: Decimal,
        rows_may_collapse: bool,
    ):
        self.block = block
        self.table_index = table_index
        self.document_id = document_id
        self.table_type = table_type
        self.family = family
        self.doc_year = doc_year
        self.factor = factor
        self.rows_may_collapse = rows_may_collapse
        self.state = _RowState()
        self.result = GridResult(header=[])

    def read(self) -> GridResult:
        header_rows, body = split_header(self.block)
        width = max([len(r.cells) for r in header_rows + body] or [0])
        header = [_texts(r, width) for r in header_rows]
        self.result.header = header
        is_final = (self.table_type or "").startswith("final_")
        if self.family == "expenditure" and len(header) > 1 and {"income", "expenditure"} <= {
                _side(norm(t)) for t in header[0] if t}:
            # a fund's table printed as a two-sided summary (Xi'an 2022 政府性基金收支表: 收入 | 支出 with its
            # function and economic lists): read as a summary, its sides and lists apart
            self.family = "summary"
        self.procurement_list = self.table_type == "procurement" and not _code_keyed(header, width)
        self.columns = build_columns(header, width, self.family, self.doc_year, is_final,
                                     one_list=self.procurement_list)
        self.line_measures = self._three_public_list(body, width) if self.family == "three_public" else {}
        self.one_line = len([r for r in body if any(c.text.strip() for c in r.cells)]) == 1
        # Lists printed beside a summary's function classes by economic class (Xi'an: 部门预算支出经济分类
        # 科目 1、人员经费和公用经费支出 | (1)工资福利支出 17,103,265.51 … 2、专项业务经费支出 …, 政府预算支出
        # 经济分类科目 机关工资福利支出 …): the same spending classified again. Their class lines are
        # economic_class lines (fct_summary_expenditure_by_economic) coded from their names in the list's
        # scheme, under the purpose line they follow (basic, project), and the 本年支出合计 and 支出总计
        # printed once more under each are that mart's economic_total lines, never the summary's total
        # lines (which would count the spending twice).
        self.unmeasured_lists: dict[tuple[str | None, int], bool] = {
            (c.side, c.half): _GOVERNMENT_LIST.search("/".join(c.levels)) is not None
            for c in self.columns
            if self.family == "summary" and c.side and c.half and c.role == "name"
            and (_ECONOMIC_LIST.search("/".join(c.levels)) or _GOVERNMENT_LIST.search("/".join(c.levels)))
        }
        self.list_purpose: dict[tuple[str | None, int], str | None] = {}
        # a list's figures are in its total columns (合计; Guangzhou splits it by fund beside), else in its
        # unnamed ones (预算数)
        values = [c for c in self.columns if c.role == "value"]
        self.list_columns = {c.index for c in values if c.measure == "total"} or {
            c.index for c in values if c.measure is None and not c.known_unmeasured}
        for column in self.columns:
            if (
                column.role == "value"
                and column.measure is None
                and not column.known_unmeasured
                and self.family
                and not self.line_measures
            ):
                self._issue(
                    "warning", "unmapped_column", f"column {column.index} '{column.label}' has no measure"
                )
        for row_index, line in enumerate(body):
            self._read_row(row_index, line)
        self._appropriation_parents()
        if self.family == "projects":
            self._nested_projects()
        return self.result

    def _nested_projects(self) -> None:
        """A project list printing groups over their projects without marking them (Xi'an 专项业务经费支出表:
        通用项目 2,797,300.00, then 办公用房物业管理服务项目 2,207,300.00 = 食堂包厨服务 + 物业管理服务, …):
        a line equal to the sum of two or more lines right after it heads a group. The levels are not
        printed, so the lines stay projects as printed and the table is recorded as a doubt: a sum of its
        projects counts groups with their parts."""
        amounts = [(name, amount) for _, name, amount in self.result.projects]
        for i, (name, amount) in enumerate(amounts):
            if not amount:
                continue
            total, count = Decimal(0), 0
            for _, part in amounts[i + 1:]:
                total, count = total + (part or 0), count + 1
                if total >= amount:
                    break
            if count >= 2 and total == amount:
                self._issue("warning", "nested_project_list",
                            f"project lines nest: '{name}' {amount} is the sum of the {count} lines after "
                            "it; groups and their projects are printed alike")
                return

    def _appropriation_parents(self) -> None:
        """一、财政拨款收入 stands for the general budget where it is the only appropriation line (the
        final-account template); printed above its parts (一般公共预算收入, 政府性基金预算收入 …, Yantai) it
        is their subtotal, a total line of its own (``fiscal_appropriation``), never summed with them."""
        income = [c for c in self.result.cells if c.row_kind == "income_source"]
        # a summary's income line 一、财政拨款 (Hangzhou 市级部门收支预算总表: 一、财政拨款 91,495.48 over
        # 一般公共预算 91,495.48, 政府性基金预算, 国有资本经营预算) names no source of its own: a subtotal
        # where its funds follow, else a line without a mart place (its unmapped_row issues stay)
        unnamed = [c for c in self.result.cells if c.row_kind == "other" and c.row_code is None
                   and c.row_group == "income"
                   and _APPROPRIATION.match(strip_enumerator(norm(c.row_name or "")))]
        converted: set[tuple] = set()
        for parent in {(c.row_group, c.row_index) for c in income + unnamed
                       if c.row_code in ("general_budget", None)
                       and _APPROPRIATION.match(strip_enumerator(norm(c.row_name or "")))}:
            parts = {c.row_index for c in income if c.row_group == parent[0] and c.row_index > parent[1]
                     and c.row_code in ("general_budget", "government_fund", "state_capital")}
            if parts:
                for c in income + unnamed:
                    if (c.row_group, c.row_index) == parent:
                        c.row_kind, c.row_code = "total", "fiscal_appropriation"
                        converted.add((c.page, c.bbox, f"p.{c.page}: {c.raw_text} in row '{c.row_name}',"))
        self.result.issues = [i for i in self.result.issues if not (i.code == "unmapped_row" and any(
            (i.page, i.bbox) == (page, bbox) and i.message.startswith(text)
            for page, bbox, text in converted))]

    def _three_public_list(self, body: list[Line], width: int) -> dict[int, tuple[str, str | None]]:
        """A 三公 table printed as a list (项目 | 预算数: 合计, 1、因公出国（境）费用, 2、公务接待费,
        3、公务用车购置及运行费, 其中：（1）公务用车购置费 …; Fuzhou): no column names a part, each line
        names one. Its lines' figures are the total line's, each in the measure its line names:
        {row index: (measure, name)}. They are staged as that one line (see ``_stage``)."""
        parts = {"outbound_travel", "vehicle_total", "vehicle_purchase", "vehicle_operation", "reception"}
        if any(c.measure in parts for c in self.columns):
            return {}
        rules = load("measures")["measures"]["three_public"]
        named = {}
        for row_index, line in enumerate(body):
            _, name = _row_label(_texts(line, width), self.columns)
            label = _LIST_PREFIX.sub("", norm(name or ""))
            while label != (stripped := strip_enumerator(label)):
                label = _LIST_PREFIX.sub("", stripped)
            measure = first_match(rules, label) if label else None
            if measure:
                named[row_index] = (measure, name)
        return named if len({m for m, _ in named.values()} & parts) >= 2 else {}

    def _list_anchor(self) -> int:
        """The row a 三公 list's figures are staged in: its 合计 line (“三公”经费 under a 行政经费 printed
        first, Guangzhou), else its first line."""
        return min((i for i, (m, _) in self.line_measures.items() if m == "total"),
                   default=min(self.line_measures))

    def _list_measure(self, line_measure: str | None, column: Column) -> str | None:
        """The measure of a 三公 list line's cell (``_three_public_list``): the line's in the list's figure
        columns; in a column of one fund beside its 合计 (Guangzhou 项目 | 合计 | 一般公共预算 |
        政府性基金预算 | 国有资本经营预算), the line's measure of that fund (reception_general_budget)."""
        if not line_measure:
            return None
        if column.index in self.list_columns:
            return line_measure
        if column.measure is not None:
            return None
        fund = first_match(load("measures")["income_sources"], column.leaf)
        return f"{line_measure}_{fund}" if fund else None

    def _issue(self, severity: str, code: str, message: str) -> None:
        self.result.issues.append(
            ExtractionIssue(self.document_id, self.table_index, severity, code, message)
        )

    def _sides(self) -> list[tuple[str | None, int]]:
        """The (side, half) groups of columns, each making its own row of a printed line."""
        sides = []
        for column in self.columns:
            if (column.side, column.half) not in sides:
                sides.append((column.side, column.half))
        return sides

    def _read_row(self, row_index: int, line: Line) -> None:
        width = len(self.columns)
        collapsed = self.rows_may_collapse and len(line.cells) < width and self.family in _BREAKDOWN_FAMILIES
        texts = _texts(line, width)
        groups: list[tuple[str | None, str | None, str | None, str | None, list[Column], bool]] = []
        for side, half in self._sides():
            columns = [c for c in self.columns if c.side == side and c.half == half]
            code, name = _row_label(texts, columns)
            code = self._split_code(texts, columns) or code
            qualifier = self._qualify(texts, columns, code)
            values = [c for c in columns if c.role == "value"]
            blank = all(is_blank(texts[c.index]) for c in values)
            if not code and not name and not blank and groups and groups[-1][0] == side and groups[-1][5]:
                # a label printed across two lists side by side (公用经费合计 over the 302 and the 310
                # lists) with its amount under the second: one row
                code, name, qualifier = groups.pop()[1:4]
            groups.append((side, code, name, qualifier, values, blank and bool(code or name)))
        year_rows = self._year_rows(texts)
        for side, code, name, qualifier, values, _ in groups:
            if not code and not name and all(is_blank(texts[c.index]) for c in values):
                continue
            if year_rows is not None:
                kind, key, name, values = self._year_row(code, name, values, year_rows, row_index, line)
            elif (side, values[0].half if values else 0) in self.unmeasured_lists:
                kind, key, qualifier = self._economic_list_line(side, values[0].half, name)
            elif self.procurement_list:
                kind, key, name, qualifier = self._procurement_line(texts, code, name)
            else:
                kind, key = self._classify(code, name, side, f"row {row_index} p.{line.page}",
                                           blank=all(is_blank(texts[c.index]) for c in values))
            line_measure = self.line_measures.get(row_index, (None, None))[0]
            if line_measure:
                kind, key = "total", "total"
            self.state.started = self.state.started or kind in ("total", "subject")
            self.state.after_other = kind == "other"
            if collapsed:
                placed = self._place_collapsed(line, key, values)
            else:
                placed = [
                    (c, line.cells[c.index] if c.index < len(line.cells) else Cell(""), False) for c in values
                ]
                if key is not None:
                    self.state.complete_rows.add(key)
            for column, cell, inferred in placed:
                self._stage(row_index, line, column, cell, inferred, kind, key, name or code, side,
                            qualifier if kind in _QUALIFIED_KINDS else None,
                            self._list_measure(line_measure, column))
            if kind == "project":
                total = next((c for c in values if c.measure == "total"), None)
                amount = parse_number(texts[total.index]) if total else None
                self.result.projects.append((row_index, name or "", amount))

    def _procurement_line(
        self, texts: list[str], code: str | None, name: str | None
    ) -> tuple[str, str | None, str | None, str | None]:
        """(kind, key, name, economic code) of a line of a procurement list (政府采购预算表 other than one
        keyed by function code alone, ``_code_keyed``). Its lines nest: the 合计, a category's (货物 /
        服务 / 工程), under it a heading line (a budget unit's: Wuxi 无锡市教师发展学院, Xi'an 153001
        西安市公安局; or a group's: Jiangsu's 专项 办公设备购置, Xi'an's 全额 by function code) and the items
        (台式计算机, C1806培训服务), each with its amount: ``procurement_category`` (key goods / services /
        works), ``procurement_unit``, ``procurement_group``, ``procurement_item``, keyed by the function
        code the line prints (Xi'an 2040201), with the economic code it prints (30216) as its qualifier. A
        table with no column naming the item bought lists its items as its lines."""
        config = load("measures")
        names = [c for c in self.columns if c.role == "name"]
        codes = [c for c in self.columns if c.role == "code"]
        item_columns = [c for c in names if pattern(config["procurement_item_columns"]).search(c.leaf)]
        unit_columns = [c for c in codes if pattern(config["procurement_unit_columns"]).search(c.leaf)]
        economic = [c for c in codes if c not in unit_columns and any(_ECONOMIC.search(n) for n in c.levels)]
        functional = [c for c in codes if c not in unit_columns and c not in economic]
        printed = [norm(texts[c.index]) for c in names if norm(texts[c.index])]
        # a function code printed in the name column (Xi'an 人社局: 科目 2080109 | 单位编码 | 采购项目 …)
        subject = "".join(norm(texts[c.index]) for c in functional) or next(
            (t for t in printed if _CODE.match(t)), "")
        labels = [t for t in printed if not _CODE.match(t)]
        key = subject if _CODE.match(subject) else None
        groups = _code_part_groups(economic)
        economic_code = "".join(norm(texts[c.index]) for c in (groups[0] if groups else economic))
        qualifier = economic_code if _CODE.match(economic_code) else None
        label = strip_enumerator(labels[0]) if labels else ""
        # a 合计 printed across the label columns, read into the code column (Xi'an)
        total = _total_key(label) or (
            _total_key(strip_enumerator(norm(name or code or ""))) if not key else None)
        if total:
            return "total", total, labels[0] if labels else name, None
        category = first_match(config["procurement_categories"], label) if label else None
        if category:
            return "procurement_category", category, labels[0], None
        if not any(is_number(norm(texts[c.index])) for c in self.columns if c.role == "value"):
            # a line without a figure: a name wrapped onto a line of its own, or running text printed
            # after the table on its last page (Jiangsu) read as its lines
            return "other", None, name, None
        item = next((texts[c.index].strip() for c in item_columns if norm(texts[c.index])), None)
        own = labels[0] if labels else name
        if item:
            return "procurement_item", key, item, qualifier
        unit_code = [norm(texts[c.index]) for c in unit_columns if norm(texts[c.index])]
        # the first label column of the Jiangsu template (采购品目大类 | 专项名称 | 经济科目 | 采购品目名称)
        # holds the categories and, under them, the units' lines (Wuxi, Suzhou)
        first = names[0] if names and names[0] not in item_columns else None
        in_first = first is not None and bool(norm(texts[first.index])) and "大类" in first.leaf
        if any(_UNIT_LINE_CODE.fullmatch(u) and not _UNIT_CODE.match(u) for u in unit_code):
            # the department's own line over its units (Xi'an 2022: 245 西安市医疗保障局 21,069,995 over
            # 245001 and 245002): it heads them as the 全额 lines do, so they are never summed with it
            return "procurement_group", key, own, None
        if any(_UNIT_CODE.match(u) for u in unit_code) or (label and clean_department(label)) or in_first:
            return "procurement_unit", key, own, None
        if unit_columns:
            # Xi'an: a line heading its units prints a fund code in the unit column (1 全额); a line printing
            # none is an item without a catalogue entry (公安其他业务经费（内容涉密）)
            return ("procurement_group" if unit_code else "procurement_item"), key, own, qualifier
        return ("procurement_group" if item_columns else "procurement_item"), key, own, qualifier

    def _economic_list_line(
        self, side: str | None, half: int, name: str | None
    ) -> tuple[str, str | None, str | None]:
        """A line of a summary's economic list (``unmeasured_lists``): (kind, key, qualifier). A
        purpose line (1、人员经费和公用经费支出, 2、专项业务经费支出) is kind economic_purpose, keyed basic or
        project; a class line named in the list's scheme (工资福利支出 301 in 部门预算支出经济科目,
        机关工资福利支出 501 in 政府预算支出经济分类科目) is kind economic_class with its code, its purpose
        the qualifier; a total line of the list (its 本年支出合计, 支出总计) is kind economic_total, keyed as
        a total line, the list's scheme (department, government) the qualifier; any other stays other,
        unmeasured."""
        label = strip_enumerator(norm(name or ""))
        if label.count("(") > label.count(")"):
            label += ")"  # a name cut at its cell's edge: (5)资本性支出（基本建设
        purpose = first_match(load("measures")["summary_economic_purposes"], label) if label else None
        if purpose:
            self.list_purpose[(side, half)] = purpose
            return "economic_purpose", purpose, None
        total = None
        if label:
            total = _total_key(label) or first_match(load("measures")["summary_purposes"], label)
        if total:
            # the list's own 本年支出合计, 结转下年, 支出总计: its scheme the qualifier
            scheme = "government" if self.unmeasured_lists[(side, half)] else "department"
            return "economic_total", total, scheme
        if self.unmeasured_lists[(side, half)]:
            code = government_economic_class_codes().get(label)
            return ("economic_class", code, None) if code else ("other", None, None)
        codes = {c for c in subject_codes("economic").get(subject_key(label), ()) if len(c) == 3} or {
            c for name, found in subject_codes("economic").items() if name.replace("的", "") == label
            for c in found if len(c) == 3}  # 对个人和家庭补助 (Xi'an 2022) for 对个人和家庭的补助
        if len(codes) != 1:
            return "other", None, None
        return "economic_class", codes.pop(), self.list_purpose.get((side, half))

    def _year_rows(self, texts: list[str]) -> str | None:
        """The 年度 of a row of a 三公 table printing its years as rows, '' where blank; None if none."""
        year = next((c for c in self.columns if c.role == "year"), None)
        return None if year is None else norm(texts[year.index])

    def _year_row(
        self, code: str | None, name: str | None, values: list[Column], year: str, row_index: int, line: Line
    ) -> tuple[str, str | None, str | None, list[Column]]:
        """A 三公 table printing each unit's years as rows (Shenzhen 财政拨款“三公”经费支出表: 预算单位 |
        年度 | 总计 …; 中共深圳市委宣传部（本级） 2025年 65.75 …, then 2026年 121.95 …, then 增减变化金额
        56.20 …, the unit named on its first row only): each row is its unit's line in the year it prints. The
        first unit (the department, above its units) is the table's total; a 增减变化金额 row is its
        unit's change, each column's measure with CHANGE_SUFFIX. (kind, key, name, columns of the row's
        values)."""
        if code or name:
            label = strip_enumerator(norm(name or code or ""))
            total = _total_key(label) or (
                "total" if not self.state.started and clean_department(label) else None)
            # the other lines name the units the table is printed by (its 预算单位 column)
            kind = "unit" if unit_name(label) else "other"
            self.state.year_unit = ("total", "total", name) if total else (kind, None, name)
            self.state.started = True
        elif self.state.year_unit is None:
            self.state.year_unit = ("total", "total", None)
            self.state.started = True
        kind, key, unit = self.state.year_unit
        found = _YEAR.search(year)
        if found:
            fiscal_year = int(found.group(1))
            prior = bool(self.doc_year and fiscal_year < self.doc_year)
            values = [replace(c, fiscal_year=fiscal_year, is_prior_year=prior) for c in values]
        elif year:
            # a 增减变化金额 row: each column's change (total_change, reception_government_fund_change)
            change = bool(_CHANGE_ROW.search(year) and not _RATE.search(year))
            values = [replace(c, measure=f"{c.measure}{CHANGE_SUFFIX}" if change and c.measure else None,
                              known_unmeasured=True) for c in values]
        return kind, key, unit, values

    def _classify(
        self, code: str | None, name: str | None, side: str | None, where: str, blank: bool = False
    ) -> tuple[str, str | None]:
        config = load("measures")
        label = strip_enumerator(norm(name)) if name else ""
        if self.family in _SUBJECT_FAMILIES and code:
            own_code = (_UNIT_CODE.match(code) or _DEPARTMENT_CODE.match(code)
                        or self._department_line(code, label))
            if own_code and clean_department(label):
                # Staged as a `unit` row carrying the unit code: the rows after it, up to the next
                # unit, are that unit's (docs/staging.md).
                self.state.class_code = self.state.subject = None
                self.state.units += 1
                return "unit", code
            if _SHORT_CODE.match(code) and self.state.class_code:
                code = self._short_code(code, label)
            if _CODE.match(code):
                if len(code) == 3:
                    self.state.class_code = code
                self.state.subject = code
                self.state.scheme = self.state.scheme or scheme_of(code)
                return "subject", code
        total = _total_key(label) if label else None
        if total is None and label and not code and self.family == "summary" and side == "expenditure":
            total = first_match(config["summary_purposes"], label)
        if total is None and not code and not label and (self.family == "three_public" or self.one_line):
            # a line of amounts only: a 三公 table's, or the one line of a table (江苏 2019 支出预算总表:
            # 合计 | 基本支出 | 项目支出 … over 18,330.37 | 9,312.90 …) is its total
            total = "total"
        if (
            total is None and not code and label and not self.state.started
            and self.family in _SUBJECT_FAMILIES and side is None and clean_department(label)
        ):
            # a total line labelled with the unit's name (Shenzhen: 深圳市生态环境局 above its 本级 line)
            total = "total"
        if total:
            if total == "total" and side:
                total = config["side_totals"][side]
            if total == "prior_year_carryover":
                self.state.carryover = True
            elif total.startswith("income"):
                self.state.carryover = False
            return "total", total
        if (self.state.carryover and side == "income" and label and not _LIST_PREFIX.match(norm(name or ""))
                and pattern(config["carryover_funds"]).search(label)):
            # the carry-over split by appropriation (Shenzhen 收支总表: 上年结余、结转 12,727.46, then
            # 1.财政拨款结余、结转 10,895.08 and 2.非财政拨款结余、结转 1,832.38): its parts, like the fund
            # lines below. A 其中 line is left alone: it may name one part only.
            return "income_source", "prior_year_carryover"
        if side == "income" or (self.family == "income" and not code and label):
            source = first_match(config["income_sources"], label)
            if source:
                return "income_source", "prior_year_carryover" if self.state.carryover else source
        if label and not code and self.family in _BREAKDOWN_FAMILIES:
            named = self._code_from_name(label, where)
            if named:
                return "subject", named
        if label and (side == "expenditure" or self.family in _SUBJECT_FAMILIES):
            class_code = function_class_code(label)
            if class_code and side == "expenditure" and class_code == self.state.class_code:
                # under the class it names, a 款 or 项 printed with the class's name (Shenzhen 口岸办
                # 财政拨款收支总表: 五、其他支出 7,647.43, then 其他支出 7,647.43 twice, 22999 and
                # 2299999): coded from the name under the class, not the class again
                named = self._code_from_name(label, where)
                if named and len(named) > 3 and named.startswith(class_code):
                    return "subject", named
            if class_code:
                if side == "expenditure":
                    # the class its 款/项 lines below are printed under (see next)
                    self.state.class_code = self.state.subject = class_code
                    self.state.scheme = "function"
                return "expenditure_class", class_code
            if side == "expenditure" and self.state.class_code:
                # A summary's expenditure side printing the 款 and 项 under each class, by name only
                # (Hangzhou 市级部门收支预算总表: 公共安全支出 76,468.81 / 司法 12,251.39 / 行政运行
                # 8,553.80): coded from the name under its class, staged as subject lines beside the
                # class lines (the classes alone sum to 本年支出). Only under a function class line: an
                # economic list (工资福利支出 / 住房公积金) is no place for a function name.
                named = self._code_from_name(label, where)
                if named and len(named) > 3:
                    return "subject", named
        if self.table_type == "project_goals" and not label and not code and not self.state.started:
            # a list of projects and their goals opening with its total, printed without a label (湖州
            # 项目支出绩效表: | | 4,651.90 | , then 军供保障 35.00 …)
            return "total", "total"
        if self.family == "projects" or self.table_type == "department_project_expenditure":
            # a project, listed under its unit's line (Xi'an 专项业务经费支出表: 125 西安市安全生产监督管理局,
            # 125001 …, their projects; Guangzhou 部门预算项目支出及其他支出预算表 by fund source): the
            # department's and units' own lines are subtotals, `other` with their unit code
            if self._unit_line(code, label, side, blank):
                return "unit", code
            unit_code = not code or bool(_UNIT_LINE_CODE.fullmatch(code))
            if label and unit_code and clean_department(label) == label:
                # named like an organisation, but after no place (塞坝口组团, 黄金围货运站): a group of
                # projects or a project, left `other`
                return "other", code
            return "project", None
        if self.table_type == "procurement" and label:
            category = first_match(config["procurement_categories"], label)
            if category:
                return "other", category
        if self.table_type == "meeting_training_expenses" and label and not code:
            # a meeting or training planned (Xi'an 会议费明细表: 全市审计业务会 | 4月 | 100 | 2.00):
            # fct_meeting_training_item
            return "item", None
        if self._unit_line(code, label, side, blank):
            return "unit", code
        return "other", code

    def _unit_line(self, code: str | None, label: str, side: str | None, blank: bool) -> bool:
        """A line naming a budget unit, in a table printed per unit (Guangzhou 收入总体情况表: 合计, then
        广州市商务局, 广州市国际投资促进中心 … with their amounts) or whose unit lines head blocks of their
        subject lines (Shenzhen 基本支出总表: 深圳市生态环境局（本级）, then 301, 30101 …, then the next
        unit): a unit's name (``unit_name``) beside no code or a unit code (Xi'an 251, 251001), named after a
        place (广州市…, 广东省…, or the place an earlier unit line's name opens with: 广州商务会展促进服务
        中心 after 广州市商务局). Without a place, a line among unit lines with amounts and a name too long
        for a subject's (一带一路环境技术交流与转移中心（深圳）), except in project tables, whose
        projects are named like organisations (三号线东延线金光大道站), and after a line of kind
        other (Hangzhou 杭州市机动 | 车驾驶员考试服务中心: one name printed over two lines, split by a
        page break). The subject lines after it start afresh."""
        if side is not None or self.family not in _UNIT_FAMILIES or not label:
            return False
        if code and not _UNIT_LINE_CODE.fullmatch(code):
            return False
        name = unit_name(label)
        if name is None:
            return False
        projects = self.family == "projects" or self.table_type == "department_project_expenditure"
        placed = bool(_UNIT_PLACE.search(label))
        if placed:
            self.state.unit_places.add(name[:2])
        elif name[:2] in self.state.unit_places:
            placed = True
        if not placed and (
            projects or blank or not self.state.units or self.state.after_other
            or len(name) < _UNIT_NAME_LENGTH
        ):
            return False
        self.state.units += 1
        self.state.class_code = self.state.subject = None
        return True

    def _department_line(self, code: str, label: str) -> bool:
        """A three-digit code beside an organisation's name that no subject of that code is printed with
        in our corpora: the department's own line (Wuxi 收入总表: 317 无锡市商务局, then 317001 …)."""
        if not _THREE_DIGITS.match(code) or not clean_department(label):
            return False
        named = subject_codes(self.state.scheme or scheme_of(code)).get(subject_key(label), frozenset())
        return code not in named

    def _short_code(self, digits: str, label: str) -> str:
        """Two digits under a 类 are its 款 (Xi'an: 208, 05); where the line above is a 款, they may be
        a 项 of that 款 (类 | 款 | 项 columns read as one whose 项 lines print only 01): the code printed
        with this name in our corpora decides, else the 款."""
        class_code = self.state.class_code
        assert class_code is not None, "two digits are read as a short code only under a 类"
        section = class_code + digits
        subject = (self.state.subject or "")[:5]
        if len(subject) == 5 and subject.startswith(class_code):
            item = subject + digits
            named = subject_codes(self.state.scheme or scheme_of(item)).get(subject_key(label), frozenset())
            if item in named and section not in named:
                return item
        return section

    def _qualify(self, texts: list[str], columns: list[Column], code: str | None) -> str | None:
        """The government economic class a department economic line is printed under, where the table
        prints both classifications in split columns and the same department code once per government
        class (Yantai 一般公共预算基本支出情况表: 301 under 501 and again under 505): a department class
        line names it (its 政府 class digits, or the line's own where those are left out), its lines
        below inherit it. None for a table printing one classification."""
        groups = _code_part_groups(columns)
        if len(groups) < 2:
            return self._printed_qualifier(texts, columns)
        printed = [norm(texts[c.index]) for c in groups[1]]
        government = printed[0] if printed and printed[0].isdigit() and len(printed[0]) == 3 else None
        if code and _CODE.match(code) and len(code) == 3:
            self.state.qualifier = government
        elif not code:
            return None
        return self.state.qualifier

    @staticmethod
    def _printed_qualifier(texts: list[str], columns: list[Column]) -> str | None:
        """The government economic code printed whole on a department economic line, where the table
        prints both classifications in code columns of their own and each department code once per
        government code (Xi'an 基本支出明细表: 30101 基本工资 | 50101 工资奖金津补贴, then 30101 | 50501
        工资福利支出): the two lines are two figures, told apart by it. None where the line prints none
        (its class line, 301) or the table prints one classification."""
        code_columns = [c for c in columns if c.role == "code"]
        if len(code_columns) < 2:
            return None
        printed = norm(texts[code_columns[1].index])
        return printed if _CODE.match(printed) and len(printed) in (3, 5, 7) else None

    def _split_code(self, texts: list[str], columns: list[Column]) -> str | None:
        """A code printed over 类 | 款 | 项 columns: a line leaving out its leading parts (a 项 line
        without its 款 digits, a 款 line without its 类) takes them from the line above; a full code in
        one of them (a cell merged over the three) stands as printed. Of two classifications printed
        in split columns, the first's (see ``_qualify``)."""
        groups = _code_part_groups(columns)
        parts = [norm(texts[c.index]) for c in (groups[0] if groups else [])]
        printed = [p for p in parts if p]
        if len(parts) < 2 or not printed or not all(p.isdigit() for p in printed):
            return None
        if len(printed) == 1 and _CODE.match(printed[0]) and len(printed[0]) > 3:
            full = printed[0]
            self.state.code_parts = [full[:3], *(full[i : i + 2] for i in range(3, len(full), 2))]
            return full
        last = max(i for i, p in enumerate(parts) if p)
        filled = []
        for i, part in enumerate(parts[: last + 1]):
            if not part:
                if i >= len(self.state.code_parts):
                    return None
                part = self.state.code_parts[i]
            filled.append(part)
        self.state.code_parts = filled
        return "".join(filled)

    def _code_from_name(self, label: str, where: str) -> str | None:
        """The national code of a classification row printed with its name only, from the code–name
        pairs our corpora print (seeds ``function_subject_names`` / ``economic_subject_names``).

        A name is resolved where it sits: of the codes printed with it, those whose parent the last
        classification row lies under (行政运行 after 20101 or 2010102 is 2010101), the deepest parent
        first (a 项 named like its 款 follows that 款); where no parent fits (its 款 line was left
        uncoded), the one code of the name under the current 类, or before any classification row the
        one code printed with the name. Anything else is a doubt recorded as an issue, never a guess.
        """
        table_type = self.table_type or ""
        # basic spending is listed by economic class (Shenzhen 基本支出总表: 工资福利支出, 基本工资 … by fund
        # source, no codes), unless the table says by function
        basic = "basic" in table_type and "function" not in table_type
        economic = self.family == "basic_expenditure" or "economic" in table_type or basic
        scheme = self.state.scheme or ("economic" if economic else "function")
        candidates = subject_codes(scheme).get(subject_key(label))
        if not candidates:
            return None
        context = self.state.subject or ""
        fitting: dict[int, set[str]] = {}
        for code in candidates:
            parent = code[:-2] if len(code) > 3 else ""
            if context.startswith(parent):
                fitting.setdefault(len(parent), set()).add(code)
        if fitting:
            found = fitting[max(fitting)]
            if len(found) > 1 and context:
                # lines are printed in code order: of siblings printed with one name (其他社会保障缴费 is
                # 30104 in older lists, 30112 now), only one may follow the line before (Hangzhou: 30110
                # 职工基本医疗保险缴费, then 其他社会保障缴费 = 30112)
                after = {c for c in found if len(c) == len(context) and c > context}
                found = after if len(after) == 1 else found
        else:
            # no parent fits (a parent line left uncoded): the codes of the class the rows are under
            found = {c for c in candidates if c[:3] == context[:3]} if context else set(candidates)
            inferred = self._same_item_code(candidates, context)
            found = {inferred} if inferred else found
        if len(found) != 1:
            self._issue(
                "warning",
                "ambiguous_subject_name",
                f"{where}: '{label}' is printed with codes {', '.join(sorted(found))}"
                + (f" under {context}" if context else "")
                + "; the row is left without a code",
            )
            return None
        code = found.pop()
        if len(code) == 3:
            self.state.class_code = code
        self.state.subject = code
        self._issue(
            "warning",
            "subject_code_from_name",
            f"{where}: '{label}' printed without code, coded {code} from its name"
            + (f" (after {context})" if context else ""),
        )
        return code

    def _same_item_code(self, candidates: frozenset[str], context: str) -> str | None:
        """The 项 code of a name printed under every 款 with the same last two digits, under the 款 the
        last line lies in when no 款 of it prints the name: 一般行政管理事务 is 2010102, 2040202, 2040602 …
        (xx02 of every 款 beginning 行政运行 xx01), so after 2040701 监狱/行政运行 it is 2040702 (Hangzhou
        司法局; 杭州交通运输局 2140102 after 2140101). Only a code that follows the line before and that no
        other name is printed with; else None."""
        if len(context) < 5 or len(candidates) < 2 or any(len(c) != 7 for c in candidates):
            return None
        suffixes = {c[-2:] for c in candidates}
        if len(suffixes) != 1:
            return None
        code = context[:5] + suffixes.pop()
        if code <= context[:7] or code in _known_codes(self.state.scheme or scheme_of(code)):
            return None
        return code

    def _stage(
        self,
        row_index: int,
        line: Line,
        column: Column,
        cell: Cell,
        inferred: bool,
        kind: str,
        key: str | None,
        row_name: str | None,
        side: str | None,
        qualifier: str | None = None,
        line_measure: str | None = None,
    ) -> None:
        measure = line_measure or column.measure
        column_label, col_index = column.label, column.index
        if line_measure:
            # a 三公 list's line is one figure of its total line: staged in that line (``_list_anchor``),
            # the line's label joining the column's, each figure at a place of its own
            first = self._list_anchor()
            column_label = f"{column.label} / {row_name}" if row_name else column.label
            col_index = row_index * len(self.columns) + column.index
            row_index, row_name = first, self.line_measures[first][1]
        number = parse_number(cell.text)
        amount = number * self.factor if number is not None else None
        if amount is not None and key is not None:
            self.state.amounts.setdefault(key, {})[column.index] = amount
        page = cell.page if cell.page is not None else line.page
        if number is not None and self.table_type:
            self._unmapped_cell(column, measure, cell, page, kind, key, row_name)
        self.result.cells.append(
            StagedCell(
                document_id=self.document_id,
                table_index=self.table_index,
                row_index=row_index,
                col_index=col_index,
                row_kind=kind,
                row_group=side,
                row_code=key,
                row_name=row_name,
                column_label=column_label,
                measure=measure,
                fiscal_year=column.fiscal_year,
                is_prior_year=column.is_prior_year,
                raw_text=cell.text.strip(),
                amount=amount,
                page=page,
                bbox=cell.bbox,
                inferred=inferred,
                confidence=cell.confidence,
                row_qualifier=qualifier,
            )
        )

    def _unmapped_cell(
        self, column: Column, measure: str | None, cell: Cell, page: int | None, kind: str, key: str | None,
        row_name: str | None,
    ) -> None:
        """A numeric cell no mart measure will hold is recorded at its place (nothing lost silently)."""
        if measure is None:
            # a column the mappings know to carry no mart measure (增减%, a project table's sub-columns) is
            # read as published, so a failed check beside it is no doubt about our reading (doubt codes)
            code = "unmeasured_column" if column.known_unmeasured else "unmapped_column"
        elif kind == "other" and key is None:
            code = "unmeasured_row" if (column.side, column.half) in self.unmeasured_lists else "unmapped_row"
        else:
            return
        self.result.issues.append(ExtractionIssue(
            self.document_id, self.table_index, "warning", code,
            f"p.{page}: {cell.text.strip()} in row '{row_name or ''}', column '{column.label}'",
            page=page, bbox=cell.bbox))

    def _place_collapsed(
        self, line: Line, key: str | None, values: list[Column]
    ) -> list[tuple[Column, Cell, bool]]:
        labels = len([c for c in self.columns if c.role != "value"])
        published = [c for c in line.cells[labels:] if not is_blank(c.text)]
        if len(published) == len(values):
            return [(col, cell, True) for col, cell in zip(values, published, strict=True)]
        if not published:
            return []
        placed = [(values[0], published[0], True)]
        rest = published[1:]
        if len(rest) == len(values) - 1:
            return placed + [(col, cell, True) for col, cell in zip(values[1:], rest, strict=True)]
        if len(rest) == 1:
            column = self._infer_column(key, parse_number(rest[0].text), values[1:])
            if column is not None:
                return placed + [(column, rest[0], True)]
        self._issue(
            "warning",
            "collapsed_row_unplaced",
            f"row {key or line.text!r}: cannot tell the columns of {[c.text for c in rest]}",
        )
        return placed

    def _infer_column(self, key: str | None, value: Decimal | None, breakdown: list[Column]) -> Column | None:
        if key is None or value is None or not _CODE.match(key):
            return None
        value = value * self.factor
        parent = key[:-2] if len(key) > 3 else ""
        siblings = [
            k
            for k in self.state.amounts
            if k != key and k.isdigit() and len(k) == len(key) and k.startswith(parent)
        ]
        parent_amounts = self.state.amounts.get(parent or "total", {})
        tolerance = Decimal("0.005") * (len(siblings) + 2)
        best: tuple[Decimal, Column] | None = None
        for column in breakdown:
            remainder = parent_amounts.get(column.index, Decimal(0)) - sum(
                (self.state.amounts[k].get(column.index, Decimal(0)) for k in siblings), Decimal(0)
            )
            difference = abs(remainder - value)
            if difference <= tolerance and (best is None or difference < best[0]):
                best = (difference, column)
        if best is not None:
            return best[1]
        used = {
            idx
            for k in siblings
            if k in self.state.complete_rows
            for idx, amount in self.state.amounts[k].items()
            if amount and idx in {c.index for c in breakdown}
        }
        if len(used) == 1:
            return next(c for c in breakdown if c.index in used)
        parent_used = [c for c in breakdown if parent_amounts.get(c.index)]
        return parent_used[0] if len(parent_used) == 1 else None

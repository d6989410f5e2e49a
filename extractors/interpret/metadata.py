"""Document metadata read from CONTENT: fiscal year, budget or final account, department, unit code,
province and region.

Sources, most specific first: the narrative's title ("重庆市潼南区政务服务管理办公室 2022 年部门预算情况
说明"), preparer lines ("编制单位：201001-…（本级）"), performance forms (部门(单位)名称, 实施单位
"363001-…"), table titles and column headers ("2024年预算数").
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from extractors.interpret.mappings import load, norm, pattern

_YEAR_TITLE = re.compile(r"^(?P<prefix>.*?)(?P<year>(?:19|20)\d{2})年度?(?P<rest>.*)$")
_DOCUMENT_TITLE = re.compile(r"(?:部门|单位)?(?:预算|决算)(?:情况说明|公开说明|公开|报告)?$|情况说明$")
_HEADER_YEAR = re.compile(r"((?:19|20)\d{2})年(?:度)?(?:预算|决算|基本支出|部门预算)")
_UNIT_CODE = re.compile(r"^(?P<code>\d{6,9})\s*[-—－]")
_ORG_PREFIX = re.compile(r"^\d{3,9}\s*[-—－]\s*")
_OWN_LEVEL = re.compile(r"[(（]本级[)）]$")
# What precedes a department's name in headings: "第二部分", "二、部门决算单位构成".
_HEADING_PREFIX = re.compile(r"^.*第[一二三四五六七八九十\d]+部分|^[一二三四五六七八九十\d]+[、.．]")
# A department or unit name ends with the kind of body it is.
_ORGANISATION = re.compile(r"(?:局|厅|室|委|会|院|部|办|署|处|所|站|馆|队|团|社|校|中心|政府|集团|公司)$")
_FINAL = "决算"
_BUDGET = "预算"
# A 情况说明 heading's lead before the department it is about (Huzhou: （七）关于湖州市卫生健康委员会2026年
# 政府性基金预算…).
_ABOUT = re.compile(r"^(?:[(（][一二三四五六七八九十\d]+[)）])?关于")
# Punctuation of running text, never of a title (normalised: full-width marks read as ASCII ones).
_SENTENCE = re.compile(r"[,;:。]")
# A heading over a document's table set: "上海市普陀区规划和自然资源局 2024 年度部门决算表".
_TABLE_SET_HEADING = re.compile(r"(?:预算|决算)表$")
_HEADING_LENGTH = 60  # characters (normalised): longer lines are running text, not headings
# How a heading naming a year's budget or final account ends (部门预算, 决算表, 情况说明, 公开目录 …).
_HEADING_END = re.compile(r"(?:预算|决算|表|说明|公开|报告|目录|[)）])$")


@dataclass
class DocumentFacts:
    fiscal_year: int | None = None
    document_type: str | None = None
    department_name: str | None = None
    unit_code: str | None = None
    province_name: str | None = None
    region_name: str | None = None
    title: str | None = None


def clean_department(name: str) -> str | None:
    """ "201001-重庆市綦江区政务服务管理办公室（本级）" -> "重庆市綦江区政务服务管理办公室".

    None when what remains does not name an organisation (a heading such as "三、" or "上海市").
    """
    cleaned = _OWN_LEVEL.sub("", _ORG_PREFIX.sub("", _HEADING_PREFIX.sub("", norm(name)))).strip()
    return cleaned if _ORGANISATION.search(cleaned) else None


def document_title(text_lines: list[str]) -> tuple[str, int, str] | None:
    """(title, year, department) of the narrative title line, if the document has one: the department
    printed before the year (重庆市潼南区政务服务管理办公室 2022 年部门预算情况说明) or after it (Yantai's
    cover: 2026年烟台市交通运输局 | 部门预算, the title wrapped over two lines, joined here). A sentence
    is no title (Yantai: （一）收入预算：2026年收入预算45,761.72万元，其中：一般公共预算 …)."""
    normalised = [norm(text) for text in text_lines]
    for i, n in enumerate(normalised):
        wrapped = [(n, text_lines[i].strip())]
        if _YEAR_TITLE.match(n) and i + 1 < len(normalised) and normalised[i + 1]:
            wrapped.append((n + normalised[i + 1], f"{text_lines[i].strip()}{text_lines[i + 1].strip()}"))
        for joined, title in wrapped:
            m = _YEAR_TITLE.match(joined)
            if not (m and len(joined) <= 60 and not _SENTENCE.search(joined) and not joined.endswith("表")):
                continue
            ending = _DOCUMENT_TITLE.search(m.group("rest"))
            if ending:
                department = m.group("prefix") or m.group("rest")[: ending.start()]
                return title, int(m.group("year")), department
    return None


def foreign_headings(
    lines: list[tuple[str, int | None]], department: str | None
) -> list[tuple[str, str, int | None]]:
    """(heading, the department it names, page) of the table-set headings naming a department other than
    the document's (上海市规划和自然资源局 over 上海市普陀区规划和自然资源局's tables). A shorter name the
    document's name ends with (普陀区规划和自然资源局) is the same department."""
    if not department:
        return []
    found = []
    for text, page in lines:
        n = norm(text)
        m = _YEAR_TITLE.match(n)
        if not (m and len(n) <= _HEADING_LENGTH and _TABLE_SET_HEADING.search(m.group("rest"))):
            continue
        named = clean_department(m.group("prefix"))
        if named and not norm(department).endswith(named):
            found.append((text.strip(), named, page))
    return found


def place_of(department: str | None) -> tuple[str | None, str | None]:
    """(province_name, region_name) from a department's published name."""
    if not department:
        return None, None
    config = load("regions")
    rest = norm(department)
    province = None
    m = pattern(config["province"]).match(rest)
    if m:
        province = m.group("province")
        rest = rest[m.end() :]
    region = None
    # a municipality (重庆市) has districts directly, no city between
    levels = ("district",) if province in config["municipalities"] else ("city", "district")
    for level in levels:
        if pattern(config["not_place"]).match(rest):
            break
        m = pattern(config[level]).match(rest)
        if m:
            region = m.group(level)
            rest = rest[m.end() :]
    return province, region


def read_facts(
    text_lines: list[str],
    titles: list[str],
    header_texts: list[str],
    contexts: list[str],
    form_fields: list[dict[str, str]],
) -> DocumentFacts:
    facts = DocumentFacts()
    found = document_title(text_lines)
    department_candidates: list[str] = []
    if found:
        facts.title, facts.fiscal_year, prefix = found
        if prefix:
            department_candidates.append(prefix)
    for context in contexts:
        m = pattern(load("layout")["prepared_by"]).match(norm(context))
        if m:
            facts.unit_code = facts.unit_code or m.group("code")
            department_candidates.append(m.group("name"))
    for fields in form_fields:
        if fields.get("department_name"):
            department_candidates.append(fields["department_name"])
        unit = _UNIT_CODE.match(norm(fields.get("implementing_unit", "")))
        if unit and not facts.unit_code:
            facts.unit_code = unit.group("code")
    # Table titles, then any short heading naming a year's budget or final account; a line of running
    # text is no heading (Yantai: 纳入烟台市文化和旅游局2026年部门预算编制范围的二级预算单位包括 …, a
    # sentence wrapped after 包, names the department only as the object of 纳入)
    headings = titles + [t for t in text_lines if len(norm(t)) <= 60 and re.search("预算|决算", t)
                         and _HEADING_END.search(norm(t)) and not _SENTENCE.search(norm(t))]
    for heading in headings:
        m = _YEAR_TITLE.match(norm(heading))
        if m and m.group("prefix"):
            department_candidates.append(m.group("prefix"))
    if facts.fiscal_year is None:
        years = Counter(int(y) for text in titles + header_texts for y in _HEADER_YEAR.findall(norm(text)))
        years += Counter(int(m.group("year")) for m in map(_YEAR_TITLE.match, map(norm, titles)) if m)
        facts.fiscal_year = max(years) if years else None
    cleaned = (clean_department(_ABOUT.sub("", norm(c))) for c in department_candidates)
    facts.department_name = next((c for c in cleaned if c), None)
    facts.title = facts.title or (titles[0] if titles else None)
    everything = norm(" ".join([facts.title or ""] + titles))
    if _FINAL in everything and _BUDGET not in norm(facts.title or ""):
        facts.document_type = "final_account"
    elif _BUDGET in everything or _FINAL not in everything:
        facts.document_type = "budget"
    facts.province_name, facts.region_name = place_of(facts.department_name)
    return facts

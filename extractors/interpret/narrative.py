"""Figures quoted in the narrative (情况说明), with the sentence that states them.

Narrative lines are rejoined into paragraphs first (a printed line that does not end a sentence
continues on the next: "…当年财政拨" / "款 1661.73 万元。"), then split into sentences; each
figure pattern of ``mappings/narrative.yml`` runs over each sentence. Changes are signed by the verb
(增加 +, 减少 −, 持平 0). An amount is read with the unit printed after it (元, 万元, 亿元) and staged in
万元, its unit and printed text kept (``unit_name``, ``raw_text``). An exclusive pattern keeps later
ones from reading its number again; shares (占 7.74%) are staged with the printed part, base and
percent for BW-NAR-010 to recompute. A figure's page is that of the line printing it. A narrative
describing its units one by one (Shenzhen: 一、深圳市生态环境局（本级） …预算63,051.28万元，…项目支出
54,693.88万元, 二、深圳市饮用水源保护管理办公室 …) quotes each unit's figures there, not the department's:
those sections are not read for figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from extractors.interpret.grid import unit_name
from extractors.interpret.mappings import function_class_code, load, norm, pattern
from extractors.model import Line, NarrativeFigure

_SENTENCE_END = re.compile(r"[。！？!?；;:：]$")
# A line ending "…万元，其中：" opens the list printed on the next lines: the sentence goes on.
_LIST_OPENING = re.compile(r"其中[:：]$")
_SENTENCE_SPLIT = re.compile(r"(?<=[。！？!?])")
_MAY_QUOTE = re.compile(r"\d")
# a line heading a part or a numbered section (第三部分 …, 六、深圳市环境科学研究院)
_HEADING = re.compile(r"^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、)\s*(?P<title>.*)$")


def _config() -> dict:
    return load("narrative")


@cache
def _units() -> dict[str, Decimal]:
    """Amount unit → its factor to 万元 (layout.yml, as for table units)."""
    return {unit: Decimal(factor) for unit, factor in load("layout")["units"].items()}


@cache
def _unit_pattern() -> str:
    return "|".join(sorted(_units(), key=len, reverse=True))  # 万元 before 元


@cache  # a long narrative runs every pattern over thousands of sentences
def _regex(template: str) -> re.Pattern[str]:
    config = _config()
    direction = f"{config['increase']}|{config['decrease']}|{config['flat']}"
    return pattern(
        template.replace("NUM", config["number"])
        .replace("DIRECTION", direction)
        .replace("UNIT", f"(?:{_unit_pattern()})")
    )


@dataclass
class Quoted:
    """An amount as the narrative prints it: ``amount`` in 万元, ``unit_name`` and ``raw_text`` as printed."""

    amount: Decimal
    unit_name: str
    raw_text: str


def _quoted(text: str | None, after: str) -> Quoted | None:
    """The number ``text`` in the unit that opens ``after`` (the sentence after the number)."""
    if not text:
        return None
    unit = _regex("UNIT").match(after)
    if unit is None:  # a pattern's number not followed by an amount unit: not an amount
        return None
    name = unit.group(0)
    return Quoted(Decimal(text.replace(",", "")) * _units()[name], name, text + name)


@dataclass
class Paragraph:
    """Printed lines rejoined; ``pages`` gives, for each line, where it starts in ``norm(text)`` and its
    page, so a figure is attributed to the page that prints it (a paragraph may run onto the next)."""

    text: str
    pages: list[tuple[int, int | None]] = field(default_factory=list)
    unit: str | None = None  # the budget unit whose section prints the paragraph (六、深圳市环境科学研究院)

    @property
    def page(self) -> int | None:
        return self.pages[0][1] if self.pages else None

    def page_at(self, offset: int) -> int | None:
        """The page of the line printing the character at ``offset`` of ``norm(text)``."""
        found = self.page
        for start, page in self.pages:
            if start > offset:
                break
            found = page
        return found


def paragraphs(lines: list[Line]) -> list[Paragraph]:
    joined: list[Paragraph] = []
    current = Paragraph("")
    section: str | None = None  # the unit a section heading names, until the next heading
    for line in lines:
        text = line.cells[0].text.strip() if line.cells else ""
        if not text:
            continue
        heading = _HEADING.match(norm(text))
        if heading:
            section = unit_name(heading.group("title")) if heading.group("title") else None
            if current.text and current.unit != section:  # a unit's section ends, or one begins
                joined.append(current)
                current = Paragraph("")
            current.unit = section
        page = line.cells[0].page if line.cells[0].page is not None else line.page
        current.pages.append((len(norm(current.text)), page))
        current.text += text
        if _SENTENCE_END.search(text) and not _LIST_OPENING.search(text):
            joined.append(current)
            current = Paragraph("", unit=section)
    if current.text:
        joined.append(current)
    return joined


def _signed(direction: str | None, quoted: Quoted | None) -> Quoted | None:
    config = _config()
    if direction and pattern(config["flat"]).fullmatch(direction):
        return Quoted(Decimal(0), quoted.unit_name if quoted else "万元", direction)
    if quoted is None:
        return None
    if direction and pattern(config["decrease"]).fullmatch(direction):
        return Quoted(-quoted.amount, quoted.unit_name, quoted.raw_text)
    return quoted


def _list_head(n: str, at: int) -> str:
    """The head of the list the character at ``at`` of sentence ``n`` is printed in: the clause opening
    the nearest 其中/包括 before it (机关运行经费预算总计82万元 of "…,其中:"; "" outside a list)."""
    openers = list(_regex(_config()["list_opener"]).finditer(n, 0, at))
    if not openers:
        return ""
    head = n[:openers[-1].start()].rstrip(",;:")
    return head[max(head.rfind(c) for c in ",;。") + 1:]


def _bound_elsewhere(spec: dict, n: str, start: int) -> bool:
    """Whether the figure ``spec`` matched at ``start`` of sentence ``n`` belongs to another subject: the
    words right before the match name one of ``not_after`` (上级专项转移支付|支出预算…), or the list
    printing it opens on a head naming one of ``not_under`` (机关运行经费…，其中：|公务接待费…)."""
    if spec.get("not_after") and _regex(f"(?:{spec['not_after']})$").search(n, 0, start):
        return True
    return bool(spec.get("not_under")) and _regex(spec["not_under"]).search(_list_head(n, start)) is not None


def read_figures(lines: list[Line], document_id: str, fiscal_year: int | None) -> list[NarrativeFigure]:
    config = _config()
    figures: list[NarrativeFigure] = []
    seen: set[tuple[str, Decimal, str | None]] = set()

    def add(
        key: str, quoted: Quoted | None, sentence: str, page: int | None, subject: str | None = None
    ) -> None:
        if quoted is None or (key, quoted.amount, subject) in seen:
            return
        seen.add((key, quoted.amount, subject))
        figures.append(NarrativeFigure(document_id, key, fiscal_year, quoted.amount, sentence, page, subject,
                                       quoted.unit_name, quoted.raw_text))

    read = paragraphs(lines)
    by_unit = len({p.unit for p in read if p.unit}) >= 2  # one unit's heading may name the department
    for paragraph in read:
        if by_unit and paragraph.unit:
            continue
        offset = 0  # where the sentence starts in the paragraph's normalised text
        for sentence in filter(None, (s.strip() for s in _SENTENCE_SPLIT.split(paragraph.text))):
            n = norm(sentence)
            if not _MAY_QUOTE.search(n) and not _regex(config["flat"]).search(n):
                # no digit and no 持平: no pattern can read a figure here (a page of running text is
                # thousands of such sentences)
                offset += len(n)
                continue
            claimed: set[tuple[int, int]] = set()
            for spec in config["figures"]:
                for m in _regex(spec["pattern"]).finditer(n):
                    groups = m.groupdict()
                    span = m.span("amount") if groups.get("amount") else m.span()
                    if span in claimed or _bound_elsewhere(spec, n, m.start()):
                        continue
                    if spec.get("exclusive"):
                        claimed.add(span)
                    amount = _quoted(groups.get("amount"), n[span[1]:]) if groups.get("amount") else None
                    if "direction" in groups:
                        amount = _signed(groups["direction"], amount)
                    add(spec["key"], amount, sentence, paragraph.page_at(offset + span[0]))
            # the list after the first trigger of the sentence that is the department's
            listing, trigger = next(
                ((c, t.start()) for c in config["class_lists"] for t in _regex(c["trigger"]).finditer(n)
                 if not _bound_elsewhere(c, n, t.start())), (None, 0)
            )
            listed = _regex(listing["list"]).search(n, trigger) if listing else None
            items = listed.group("items") if listed else ""
            for item in _regex(config["class_item"]).finditer(items):
                name = item.group("name")
                if function_class_code(name):
                    assert listed is not None, "items come from the listing"
                    page = paragraph.page_at(offset + listed.start("items") + item.start("amount"))
                    amount = _quoted(item.group("amount"), items[item.end("amount"):])
                    add("expenditure_by_class", amount, sentence, page, name)
            for start, part, base, percent in _shares(n):
                printed = "/".join(x.replace(",", "") for x in (part, base, percent))
                share = Quoted(Decimal(percent.replace(",", "")), "%", percent + "%")
                add("share", share, sentence, paragraph.page_at(offset + start), printed)
            offset += len(n)
    return figures


def _unit_after(n: str, end: int) -> str | None:
    unit = _regex("UNIT").match(n, end)
    return unit.group(0) if unit else None


def _shares(n: str) -> list[tuple[int, str, str, str]]:
    """(where, part, base, percent) as printed, for each share the sentence quotes (``shares``).

    A share is a ratio: its part and base are compared as printed, so only when both are in one unit
    (a base the sentence names comes from the tables, in 万元); a share relating amounts printed in two
    units is not read (its printed precision would not survive the conversion)."""
    found = []
    for spec in _config()["shares"]:
        for m in _regex(spec["pattern"]).finditer(n):
            if spec.get("item"):
                base_unit = _unit_after(n, m.end("base"))
                for item in _regex(spec["item"]).finditer(m.group("items")):
                    at = m.start("items") + item.start("percent")
                    if _unit_after(n, m.start("items") + item.end("part")) == base_unit:
                        found.append((at, item.group("part"), m.group("base"), item.group("percent")))
            else:
                named = "base" not in m.groupdict()
                base_unit = "万元" if named else _unit_after(n, m.end("base"))
                if _unit_after(n, m.end("part")) == base_unit:
                    base = spec["base"] if named else m.group("base")
                    found.append((m.start("percent"), m.group("part"), base, m.group("percent")))
    return found

"""Figures quoted in the narrative (情况说明), with the sentence that states them.

Narrative lines are rejoined into paragraphs first (a printed line that does not end a sentence
continues on the next: "…当年财政拨" / "款 1661.73 万元。"), then split into sentences; each
figure pattern of ``mappings/narrative.yml`` runs over each sentence. Changes are signed by the verb
(增加 +, 减少 −, 持平 0).
"""

from __future__ import annotations

import re
from decimal import Decimal

from extractors.interpret.mappings import function_class_code, load, norm, pattern
from extractors.model import Line, NarrativeFigure

_SENTENCE_END = re.compile(r"[。！？!?；;:：]$")
_SENTENCE_SPLIT = re.compile(r"(?<=[。！？!?])")


def _config() -> dict:
    return load("narrative")


def _regex(template: str) -> re.Pattern[str]:
    config = _config()
    direction = f"{config['increase']}|{config['decrease']}|{config['flat']}"
    return pattern(template.replace("NUM", config["number"]).replace("DIRECTION", direction))


def paragraphs(lines: list[Line]) -> list[tuple[str, int | None]]:
    joined: list[tuple[str, int | None]] = []
    buffer, page = "", None
    for line in lines:
        text = line.cells[0].text.strip() if line.cells else ""
        if not text:
            continue
        if not buffer:
            page = line.cells[0].page if line.cells[0].page is not None else line.page
        buffer += text
        if _SENTENCE_END.search(text):
            joined.append((buffer, page))
            buffer = ""
    if buffer:
        joined.append((buffer, page))
    return joined


def _signed(direction: str | None, amount: Decimal | None) -> Decimal | None:
    config = _config()
    if direction and pattern(config["flat"]).fullmatch(direction):
        return Decimal(0)
    if amount is None:
        return None
    if direction and pattern(config["decrease"]).fullmatch(direction):
        return -amount
    return amount


def _number(text: str | None) -> Decimal | None:
    return Decimal(text.replace(",", "")) if text else None


def read_figures(lines: list[Line], document_id: str, fiscal_year: int | None) -> list[NarrativeFigure]:
    config = _config()
    figures: list[NarrativeFigure] = []
    seen: set[tuple[str, Decimal, str | None]] = set()

    def add(
        key: str, amount: Decimal | None, sentence: str, page: int | None, subject: str | None = None
    ) -> None:
        if amount is None or (key, amount, subject) in seen:
            return
        seen.add((key, amount, subject))
        figures.append(NarrativeFigure(document_id, key, fiscal_year, amount, sentence, page, subject))

    for paragraph, page in paragraphs(lines):
        for sentence in filter(None, (s.strip() for s in _SENTENCE_SPLIT.split(paragraph))):
            n = norm(sentence)
            for spec in config["figures"]:
                for m in _regex(spec["pattern"]).finditer(n):
                    groups = m.groupdict()
                    amount = _number(groups.get("amount"))
                    if "direction" in groups:
                        amount = _signed(groups["direction"], amount)
                    add(spec["key"], amount, sentence, page)
            if pattern(config["class_list_trigger"]).search(n):
                listed = _regex(config["class_list"]).search(n)
                for item in _regex(config["class_item"]).finditer(listed.group("items") if listed else ""):
                    name = item.group("name")
                    if function_class_code(name):
                        add("expenditure_by_class", _number(item.group("amount")), sentence, page, name)
    return figures

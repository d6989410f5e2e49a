"""Figures quoted in the narrative (情况说明), with the sentence that states them.

Narrative lines are rejoined into paragraphs first (a printed line that does not end a sentence
continues on the next: "…当年财政拨" / "款 1661.73 万元。"), then split into sentences; each
figure pattern of ``mappings/narrative.yml`` runs over each sentence. Changes are signed by the verb
(增加 +, 减少 −, 持平 0). An exclusive pattern keeps later ones from reading its number again; shares
(占 7.74%) are staged with the printed part, base and percent for BW-NAR-010 to recompute. A figure's
page is that of the line printing it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from extractors.interpret.mappings import function_class_code, load, norm, pattern
from extractors.model import Line, NarrativeFigure

_SENTENCE_END = re.compile(r"[。！？!?；;:：]$")
# A line ending "…万元，其中：" opens the list printed on the next lines: the sentence goes on.
_LIST_OPENING = re.compile(r"其中[:：]$")
_SENTENCE_SPLIT = re.compile(r"(?<=[。！？!?])")


def _config() -> dict:
    return load("narrative")


def _regex(template: str) -> re.Pattern[str]:
    config = _config()
    direction = f"{config['increase']}|{config['decrease']}|{config['flat']}"
    return pattern(template.replace("NUM", config["number"]).replace("DIRECTION", direction))


@dataclass
class Paragraph:
    """Printed lines rejoined; ``pages`` gives, for each line, where it starts in ``norm(text)`` and its
    page, so a figure is attributed to the page that prints it (a paragraph may run onto the next)."""

    text: str
    pages: list[tuple[int, int | None]] = field(default_factory=list)

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
    for line in lines:
        text = line.cells[0].text.strip() if line.cells else ""
        if not text:
            continue
        page = line.cells[0].page if line.cells[0].page is not None else line.page
        current.pages.append((len(norm(current.text)), page))
        current.text += text
        if _SENTENCE_END.search(text) and not _LIST_OPENING.search(text):
            joined.append(current)
            current = Paragraph("")
    if current.text:
        joined.append(current)
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

    for paragraph in paragraphs(lines):
        offset = 0  # where the sentence starts in the paragraph's normalised text
        for sentence in filter(None, (s.strip() for s in _SENTENCE_SPLIT.split(paragraph.text))):
            n = norm(sentence)
            claimed: set[tuple[int, int]] = set()
            for spec in config["figures"]:
                for m in _regex(spec["pattern"]).finditer(n):
                    groups = m.groupdict()
                    span = m.span("amount") if groups.get("amount") else m.span()
                    if span in claimed:
                        continue
                    if spec.get("exclusive"):
                        claimed.add(span)
                    amount = _number(groups.get("amount"))
                    if "direction" in groups:
                        amount = _signed(groups["direction"], amount)
                    add(spec["key"], amount, sentence, paragraph.page_at(offset + span[0]))
            listing = next(
                (c for c in config["class_lists"] if pattern(c["trigger"]).search(n)), None
            )
            listed = _regex(listing["list"]).search(n) if listing else None
            for item in _regex(config["class_item"]).finditer(listed.group("items") if listed else ""):
                name = item.group("name")
                if function_class_code(name):
                    page = paragraph.page_at(offset + listed.start("items") + item.start("amount"))
                    add("expenditure_by_class", _number(item.group("amount")), sentence, page, name)
            for start, part, base, percent in _shares(n):
                printed = "/".join(x.replace(",", "") for x in (part, base, percent))
                add("share", _number(percent), sentence, paragraph.page_at(offset + start), printed)
            offset += len(n)
    return figures


def _shares(n: str) -> list[tuple[int, str, str, str]]:
    """(where, part, base, percent) as printed, for each share the sentence quotes (``shares``)."""
    found = []
    for spec in _config()["shares"]:
        for m in _regex(spec["pattern"]).finditer(n):
            if spec.get("item"):
                for item in _regex(spec["item"]).finditer(m.group("items")):
                    at = m.start("items") + item.start("percent")
                    found.append((at, item.group("part"), m.group("base"), item.group("percent")))
            else:
                base = m.group("base") if "base" in m.groupdict() else spec["base"]
                found.append((m.start("percent"), m.group("part"), base, m.group("percent")))
    return found

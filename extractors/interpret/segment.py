"""Splits a document's lines into tables, whatever their numbering, and rejoins page continuations.

A table starts at a title line (a line naming a table, see ``layout.yml``), optionally preceded by a
label line (表二, 附件 2, 表 12-3, 预算01表 …) and by a line holding the department's name when the
title wraps. Lines after the title: the unit line (单位：万元), the preparer line (编制单位：…), notes
(本表无数据 …) and the rows. Running text outside tables is the narrative.

A page break inside a table shows up in two ways, both rejoined here:
- the title is printed again (no new label in between): the rows after it continue the same table,
  except in per-project forms, where a repeated title followed by a new 项目名称 row is the next form;
- only the header rows are printed again: the grid reader drops rows repeating the header.
Each stretch of rows after a repeated title is kept as its own ``part`` so the grid reader knows to
skip the repeated header at its start.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractors.interpret.mappings import load, norm, pattern
from extractors.interpret.numbers import is_number, unit_of
from extractors.model import Cell, Line

_SENTENCE_PUNCTUATION = re.compile(r"[。，,；;：:！？]")
_TITLE_PREFIX_MAX = 40
_PROSE_BETWEEN_TITLE_AND_ROWS = 3
_WRAPPED_TAIL_MAX = 6  # the tail of a title wrapped inside a word (…支出预 / 算表)


@dataclass
class Block:
    """One table as printed: its title lines and its rows, continuation pages joined."""

    title: str
    label: str | None
    unit_name: str | None = None
    parts: list[list[Line]] = field(default_factory=lambda: [[]])
    notes: list[str] = field(default_factory=list)
    context: list[str] = field(default_factory=list)  # 编制单位 lines
    title_pages: list[int | None] = field(default_factory=list)
    in_contents: bool = False

    @property
    def rows(self) -> list[Line]:
        return [row for part in self.parts for row in part]

    @property
    def pages(self) -> list[int]:
        found = [c.page for row in self.rows for c in row.cells if c.page is not None]
        found += [p for p in self.title_pages if p is not None]
        return sorted(set(found))


@dataclass
class Segmented:
    blocks: list[Block]
    narrative: list[Line]  # running text outside tables, in order
    text_lines: list[Line]  # every running-text line (titles included), for document metadata


def _layout() -> dict:
    return load("layout")


def split_label(text: str) -> tuple[str | None, str]:
    """(label, rest) when ``text`` starts with a table label, else (None, text)."""
    n = norm(text)
    for regex in _layout()["table_label"]:
        m = pattern(regex).match(n)
        if m:
            label = _published_prefix(text, m.end())
            return label, text[len(label) :].strip().lstrip(":：").strip()
    return None, text


def _published_prefix(text: str, normalized_length: int) -> str:
    """The prefix of ``text`` whose normalised form has ``normalized_length`` characters."""
    consumed = 0
    for i, ch in enumerate(text):
        if consumed >= normalized_length:
            return text[:i].strip()
        consumed += len(norm(ch))
    return text.strip()


def _title_text(text: str) -> str:
    """A title without continuation mark and trailing qualifier, normalised."""
    n = pattern(_layout()["continuation_mark"]).sub("", norm(text))
    return pattern(_layout()["title_qualifier"]).sub("", n)


def is_title(text: str) -> bool:
    n = _title_text(text)
    return bool(n) and len(n) <= 80 and "。" not in n and bool(pattern(_layout()["title"]).search(n))


def title_core(title: str) -> str:
    """What a title says about the table, without department name, year and continuation mark."""
    return re.sub(r"^.*?\d{4}年度?", "", _title_text(title))


def is_form_start(line: Line) -> bool:
    first = next((norm(c.text) for c in line.cells if c.text.strip()), "")
    return bool(pattern(load("performance")["form_start"]).search(first))


def _repeats_header(line: Line, block: Block) -> bool:
    """Whether ``line`` prints the block's first row again: a grid's header repeated on a continuation
    page (项目名称 | 项目类别 | 合计 …), where a new per-project form starts with its own 项目名称 value."""
    first = next((row for row in block.rows), None)
    return first is not None and [norm(c.text) for c in first.cells] == [norm(c.text) for c in line.cells]


def _is_page_number(n: str) -> bool:
    return bool(pattern(_layout()["page_number"]).match(n))


def _may_prefix_title(text: str) -> bool:
    n = norm(text)
    return len(n) <= _TITLE_PREFIX_MAX and not _SENTENCE_PUNCTUATION.search(n) and not _is_page_number(n)


def _as_text(line: Line) -> str | None:
    """A line's text when it is running text, or a row holding only a title, label or unit."""
    if not line.is_row:
        return line.cells[0].text if line.cells else ""
    filled = [c.text for c in line.cells if c.text.strip()]
    if len(filled) == 1:
        only = filled[0]
        if unit_of(only) or split_label(only)[0] or is_title(only):
            return only
    return None


def segment(lines: list[Line]) -> Segmented:
    blocks: list[Block] = []
    narrative: list[Line] = []
    text_lines: list[Line] = []
    current: Block | None = None
    # A repeated title opens a candidate; its first row decides: new form, or continuation of `current`.
    candidate: Block | None = None
    pending_label: str | None = None
    previous_text: Line | None = None
    titles_before = 0  # titles printed one after the other right before this line
    # Running text since the last title or row: a line saying "无…收入" after it is prose (a 情况说明
    # sentence), not the note of the table before.
    detached = False
    # Lines of prose since the last title or row (page numbers aside), on pages after the title's: a
    # title followed by pages of paragraphs before any row does not name the rows after them (北京 交通委
    # 2026, a 情况说明 published apart from its tables: its contents' last entry, 十三、部门整体支出绩效
    # 目标表, then seven pages of prose and a fee schedule, 序号 | 项目名称 | 结构内容 | 收费标准).
    prose = 0

    for line in lines:
        text = _as_text(line)
        titles_in_a_row, titles_before = titles_before, 0
        if text is None:
            if not any(c.text.strip() for c in line.cells):
                continue
            if candidate is not None:
                if current is None or (is_form_start(line) and not _repeats_header(line, current)):
                    blocks.append(candidate)
                    current = candidate
                else:
                    current.parts.append([])
                candidate = None
            if current is None or (current.in_contents and current.unit_name is None) or (
                    prose >= _PROSE_BETWEEN_TITLE_AND_ROWS and not current.rows):
                current = Block(title="", label=pending_label)
                pending_label = None
                blocks.append(current)
                header = _header_printed_as_text(narrative, line)
                if header is not None:
                    narrative.remove(header)
                    current.parts[-1].append(Line(
                        cells=[Cell(word, page=header.page) for word in header.cells[0].text.split()],
                        page=header.page))
            current.parts[-1].append(line)
            detached, prose = False, 0
            # Some layouts print the unit inside the header grid ("单位：元" in a corner cell).
            current.unit_name = current.unit_name or next(
                filter(None, (unit_of(c.text) for c in line.cells)), None
            )
            previous_text = None
            continue

        text_lines.append(line)
        page = line.cells[0].page if line.cells else line.page
        target = candidate or current
        label, rest = split_label(text)
        if label:
            pending_label, previous_text, candidate = label, None, None
            if not rest:
                continue
            text = rest
        unit = unit_of(text)
        if unit:
            if target is not None:
                target.unit_name = unit
            continue
        # A title wrapped inside a word (江苏检察院 2017: 十一、一般公共预算“三公”经费、会议费、培训费支出预 /
        # 算表): the tail names no table alone, the two lines joined do.
        wrapped = (previous_text is not None and not is_title(text) and len(norm(text)) <= _WRAPPED_TAIL_MAX
                   and is_title(previous_text.cells[0].text.strip() + text.strip()))
        if wrapped or is_title(text):
            title = text.strip()
            if previous_text is not None:
                joint = "" if wrapped else " "
                title = f"{previous_text.cells[0].text.strip()}{joint}{title}"
                narrative.remove(previous_text)
            block = Block(title=title, label=pending_label, title_pages=[page])
            # A table of contents: three or more titles printed one after the other, nothing in
            # between. Rows after its last entry belong to whatever follows, unless a unit line showed
            # the entry was a real table after all. One title under another is a section heading
            # (第二部分 …预算表, 1.项目支出绩效目标表) over its first table.
            block.in_contents = titles_in_a_row >= 2
            same_label = current is not None and pending_label in (None, current.label)
            if same_label and current is not None and title_core(title) == title_core(current.title):
                candidate = block
            else:
                blocks.append(block)
                current, candidate = block, None
            pending_label, previous_text, detached, prose = None, None, False, 0
            titles_before = titles_in_a_row + 1
            continue
        n = norm(text)
        if target is not None and pattern(_layout()["prepared_by"]).match(n):
            target.context.append(text.strip())
            continue
        if target is not None and not detached and (
            pattern(_layout()["note"]).search(n) or pattern(_layout()["empty_note"]).search(n)
        ):
            target.notes.append(text.strip())
            continue
        narrative.append(line)
        detached = True
        # prose on the title's own page may be a form's merged text cell (重庆 部门整体绩效目标表: 当年整体
        # 绩效目标, its paragraph, then the indicator grid)
        prose += not _is_page_number(n) and (current is None or page not in current.title_pages)
        previous_text = line if _may_prefix_title(text) else None

    if candidate is not None:
        blocks.append(candidate)
    # A title followed by no row and no note is a table-of-contents entry or a section heading.
    tables = [b for b in blocks if (b.rows or b.notes) and not _is_contents_grid(b)]
    return Segmented(blocks=tables, narrative=narrative, text_lines=text_lines)


def _header_printed_as_text(narrative: list[Line], row: Line) -> Line | None:
    """The header of an untitled table printed as one line of text just before its first row, one word
    a column (深圳 司法局 2026 p.12, at the foot of the page: 二级预算单位名称 一级项目名称 预算数（万元）
    绩效目标, its rows on p.13), page numbers aside: no sentence, no number."""
    for line in reversed(narrative[-3:]):
        text = line.cells[0].text.strip() if line.cells else ""
        if _is_page_number(norm(text)):
            continue
        words = text.split()
        if (len(words) >= 3 and len(words) == len(row.cells) and not _SENTENCE_PUNCTUATION.search(text)
                and not any(is_number(norm(w)) for w in words)):
            return line
        return None
    return None


def _is_contents_grid(block: Block) -> bool:
    """A list of the document's tables printed as a grid (Xi'an: 报表 | 报表名称 | 是否空表 …): most rows
    name a table by its title and none carries an amount."""
    rows = block.rows
    titled = sum(any(is_title(c.text) for c in row.cells) for row in rows)
    return titled * 2 > len(rows) and not any(is_number(norm(c.text)) for row in rows for c in row.cells)

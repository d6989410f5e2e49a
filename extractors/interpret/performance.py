"""Performance-target tables (整体/项目支出绩效目标表, 绩效目标申报表): a form, then an indicator grid.

Form rows hold label/value pairs side by side ("项目名称 | 5001…-名称 | | 业务主管部门 | …"): a cell
whose text is a known field label takes the next non-empty cell as its value, unless that cell is
itself a label (the field is blank). Field labels and their keys live in ``mappings/performance.yml``.

The indicator grid starts at the row naming the indicator columns; columns are mapped by that row's
CONTENT (seed 002 orders 指标值, 指标性质, 度量单位, 权重; others 权重 first). A row printed without its
leading blank cell (its first cell then holds the level-1 indicator and its last cell is empty) is
shifted back into place and marked ``inferred``.

Operators are stored as the canonical symbol (≥ ≤ = < >): text renditions sometimes carry a
conversion artefact (LaTeX ``\\geq``) where the document prints ≥.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from extractors.interpret.mappings import load, norm, pattern
from extractors.interpret.numbers import is_number, parse_number
from extractors.interpret.segment import Block
from extractors.model import Cell, ExtractionIssue, Line, StagedCell


@dataclass
class FormField:
    key: str
    label: str
    value: Cell
    col_index: int


@dataclass
class PerformanceResult:
    header: list[list[str]]
    fields: dict[str, str] = field(default_factory=dict)  # key -> value text, first occurrence
    project_code: str | None = None
    project_name: str | None = None
    project_amount: Decimal | None = None
    cells: list[StagedCell] = field(default_factory=list)
    issues: list[ExtractionIssue] = field(default_factory=list)


def _config() -> dict:
    return load("performance")


def field_key(label: str) -> tuple[str | None, str | None]:
    """(key, kind) of a form label, or (None, None) when it is not a known label."""
    n = norm(label)
    for spec in _config()["fields"]:
        if pattern(spec["label"]).search(n):
            return spec["key"], spec["kind"]
    return None, None


def split_project(text: str) -> tuple[str | None, str]:
    """ "50011021T000000047837-窗口工作人员专项经费" -> (code, name); (None, text) without a code."""
    m = pattern(_config()["project_code"]).match(text.strip())
    if not m:
        return None, text.strip()
    return m.group("code"), m.group("name").strip()


def normalise_operator(text: str) -> str:
    n = norm(text).lower()
    for symbol, spellings in _config()["operators"].items():
        if n in {norm(s).lower() for s in spellings}:
            return symbol
    return text.strip()


def _is_indicator_header(line: Line) -> bool:
    texts = [norm(c.text) for c in line.cells]
    columns = _config()["indicator_columns"]
    level_columns = [rx for key, rx in columns if key.startswith("indicator_level")]
    has_level = any(pattern(rx).search(t) for t in texts for rx in level_columns if t)
    # 权重, or, in a grid printing no weights (Xi'an 2022 部门整体支出绩效目标表: 一级指标 | 二级指标 |
    # 指标内容 | 指标值), the target value's column
    target = next(rx for key, rx in columns if key == "target_value")
    return has_level and any("权重" in t or pattern(target).search(t) for t in texts if t)


def _form_fields(line: Line) -> list[FormField]:
    cells = line.cells
    found: list[FormField] = []
    i = 0
    while i < len(cells):
        label = cells[i].text.strip()
        key, _ = field_key(label) if label else (None, None)
        if key is None:
            i += 1
            continue
        j = i + 1
        while j < len(cells) and not cells[j].text.strip():
            j += 1
        if j < len(cells) and field_key(cells[j].text)[0] is None:
            found.append(FormField(key, label, cells[j], j))
            i = j + 1
        else:
            found.append(FormField(key, label, Cell("", page=cells[i].page), i))
            i = j
    return found


class PerformanceReader:
    def __init__(self, block: Block, table_index: int, document_id: str, factor: Decimal):
        self.block = block
        self.table_index = table_index
        self.document_id = document_id
        self.factor = factor
        self.result = PerformanceResult(header=[])
        self.labels: list[str] = []  # the indicator header last printed
        # the columns of a form's task list (Xi'an 年度主要任务: 任务名称 | 主要内容 | 总额 | 财政拨款 |
        # 其他资金): {column index: measure}, from the row naming them
        self.task_columns: dict[int, str] = {}

    def read(self) -> PerformanceResult:
        columns: list[str | None] | None = None
        ordinal = 0
        for row_index, line in enumerate(self.block.rows):
            if _is_indicator_header(line):
                # printed again on a continuation page, the header maps that page's columns: Xi'an
                # 公安局 部门整体支出绩效目标表 spans 三级指标 over three columns on p.75 (… | 三级指标 |
                # | | 指标值 | 分值权重), over one on p.76 (… | 三级指标 | 指标值 | 分值权重)
                columns = self._indicator_columns(line)
                self.labels = [c.text.strip() for c in line.cells]
                self.result.header = self.result.header or [self.labels]
            elif columns is None:
                self._read_form_row(row_index, line)
            elif any(c.text.strip() for c in line.cells):
                ordinal += 1
                self._read_indicator(row_index, line, columns, ordinal)
        if columns is None:
            self._issue("warning", "no_indicator_grid", "no row names the indicator columns (指标, 权重)")
        return self.result

    def _issue(self, severity: str, code: str, message: str) -> None:
        self.result.issues.append(
            ExtractionIssue(self.document_id, self.table_index, severity, code, message)
        )

    def _indicator_columns(self, line: Line) -> list[str | None]:
        keys: list[str | None] = []
        for cell in line.cells:
            n = norm(cell.text)
            key = next((k for k, rx in _config()["indicator_columns"] if n and pattern(rx).search(n)), None)
            if n and key is None and n not in {norm(t) for t in self.labels}:
                self._issue(
                    "warning", "unmapped_column", f"indicator column '{cell.text.strip()}' has no measure"
                )
            keys.append(key)
        return keys

    def _task_columns(self, line: Line) -> dict[int, str]:
        """The task list's columns a row names (总额 | 财政拨款 | 其他资金), or {}: a row of labels only
        naming 总额 and one more of them (a row printing 资金总额 | 100.00 | 财政拨款 | 80.00 is fields)."""
        names = [(i, norm(c.text)) for i, c in enumerate(line.cells)]
        if any(is_number(n) for _, n in names if n):
            return {}
        found = {i: key for i, n in names if n
                 for key, rx in _config()["task_columns"] if pattern(rx).search(n)}
        return found if "total" in found.values() and len(found) > 1 else {}

    def _read_task(self, row_index: int, line: Line) -> bool:
        """A line of the form's task list (基本履职 | 人员经费及单位运行经费 | 2,480.49 | 2,480.49 | ; its
        金额合计): its figures staged as kind task (total: its 金额合计) in the list's measures. False where
        the line prints no figure in the list's columns (the list has ended)."""
        figures = {i: m for i, m in self.task_columns.items()
                   if i < len(line.cells) and is_number(norm(line.cells[i].text))}
        if not figures:
            return False
        name = next((c.text.strip() for c in line.cells[:min(figures)]
                     if c.text.strip() and not is_number(norm(c.text))), "")
        closing = pattern(_config()["task_total"]).search(norm(name))
        kind, code = ("total", "total") if closing else ("task", None)
        for index, measure in figures.items():
            cell = line.cells[index]
            number = parse_number(cell.text)
            amount = number * self.factor if number is not None else None
            self._stage(row_index, line, index, cell, kind, code, name, measure, measure, amount, False)
        return True

    def _read_form_row(self, row_index: int, line: Line) -> None:
        columns = self._task_columns(line)
        if columns:
            self.task_columns = columns
        elif self.task_columns and self._read_task(row_index, line):
            return
        else:
            self.task_columns = {}
        fields = _form_fields(line)
        held = {found.col_index for found in fields} | {
            i for i, c in enumerate(line.cells) if field_key(c.text)[0]}
        for index, cell in enumerate(line.cells):
            text = norm(cell.text)
            copy = cell.bbox is None and index > 0 and norm(line.cells[index - 1].text) == text
            if index in held or not is_number(text) or copy:
                continue  # a spreadsheet's merged range reads as its value in every column: one cell
            # a figure no form field holds (Yantai 项目资金（万元）| 其中：财政拨款 | 9.00; Xi'an
            # 年度主要任务 | 保障单位运转 | … | 229194.92 of 总额 | 财政拨款 | 其他资金): recorded, placed
            name = next((c.text.strip() for c in reversed(line.cells[:index])
                         if c.text.strip() and not is_number(norm(c.text))), "")
            page = cell.page if cell.page is not None else line.page
            self.result.issues.append(ExtractionIssue(
                self.document_id, self.table_index, "warning", "unmapped_row",
                f"p.{page}: {cell.text.strip()} in form row '{name}', which no form field names",
                page=page, bbox=cell.bbox))
        for found in fields:
            _, kind = field_key(found.label)
            text = found.value.text.strip()
            if found.key == "project_name" and text:
                code, name = split_project(text)
                self.result.project_code = self.result.project_code or code
                self.result.project_name = self.result.project_name or name
            self.result.fields.setdefault(found.key, text)
            number = parse_number(text) if kind in ("money", "number") else None
            amount = number * self.factor if number is not None and kind == "money" else number
            if found.key == "project_amount" and amount is not None and self.result.project_amount is None:
                self.result.project_amount = amount
            self._stage(
                row_index,
                line,
                found.col_index,
                found.value,
                "field",
                found.key,
                found.label,
                found.label,
                "value",
                amount,
                False,
            )

    def _read_indicator(self, row_index: int, line: Line, columns: list[str | None], ordinal: int) -> None:
        cells = list(line.cells)
        shifted = False
        if (
            columns
            and columns[0] == "label"
            and cells
            and cells[0].text.strip()
            and (len(cells) < len(columns) or not cells[-1].text.strip())
        ):
            cells = [Cell("", page=cells[0].page)] + cells[: len(columns) - 1]
            shifted = True
        level3 = next(
            (
                cells[i].text.strip()
                for i, k in enumerate(columns)
                if k == "indicator_level3" and i < len(cells)
            ),
            None,
        )
        for index, key in enumerate(columns):
            if key is None or key == "label" or index >= len(cells):
                continue
            cell = cells[index]
            text = cell.text.strip()
            amount = parse_number(text) if key in ("weight", "target_value") else None
            if key == "operator" and text:
                cell = Cell(normalise_operator(text), cell.page, cell.bbox, cell.confidence)
            self._stage(
                row_index,
                line,
                index,
                cell,
                "indicator",
                str(ordinal),
                level3,
                self.labels[index] if index < len(self.labels) else key,
                key,
                amount,
                shifted,
            )

    def _stage(
        self,
        row_index: int,
        line: Line,
        col_index: int,
        cell: Cell,
        kind: str,
        code: str | None,
        row_name: str | None,
        column_label: str,
        measure: str | None,
        amount: Decimal | None,
        inferred: bool,
    ) -> None:
        self.result.cells.append(
            StagedCell(
                document_id=self.document_id,
                table_index=self.table_index,
                row_index=row_index,
                col_index=col_index,
                row_kind=kind,
                row_group=None,
                row_code=code,
                row_name=row_name,
                column_label=re.sub(r"\s+", " ", column_label).strip(),
                measure=measure,
                fiscal_year=None,
                is_prior_year=False,
                raw_text=cell.text.strip(),
                amount=amount,
                page=cell.page if cell.page is not None else line.page,
                bbox=cell.bbox,
                inferred=inferred,
                confidence=cell.confidence,
            )
        )

"""How rows and columns of grid tables are read, on documents the generator writes (a PDF each):
rows printed with names only, codes split over 类/款/项 columns."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from extractors.extract import extract_file
from extractors.generator.render import render
from extractors.generator.spec import Column, DocumentSpec, Row, TableSpec
from extractors.interpret.mappings import SEEDS_DIR, subject_codes, subject_key

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
COLUMNS = [
    Column("total", ("合计",), "total", 2026),
    Column("basic", ("基本支出",), "basic", 2026),
    Column("project", ("项目支出",), "project", 2026),
]


def _document(rows: list[Row], label_columns: tuple[tuple[str, ...], ...]) -> DocumentSpec:
    table = TableSpec(
        "general_budget_expenditure",
        "2026年一般公共预算支出预算表",
        label="表三",
        label_columns=label_columns,
        columns=COLUMNS,
        rows=rows,
    )
    return DocumentSpec(
        "某区", "某省", "某省某区某某局", None, 2026, "budget", "某省某区某某局2026年部门预算",
        tables=[table], slug="rows_columns",
    )


def _row(code: str, name: str, total: str, basic: str, project: str, labels=None) -> Row:
    values = {"total": total, "basic": basic, "project": project}
    return Row("subject", code, name, values, labels=labels or (name,))


def _staged(spec: DocumentSpec, tmp_path: Path):
    extraction = extract_file(render(spec, "pdf", tmp_path))
    assert extraction.document.status == "loaded", extraction.document.error_message
    return extraction


def _by_row(extraction) -> dict[tuple[str, str | None], dict[str, Decimal | None]]:
    rows: dict = {}
    for cell in extraction.cells:
        rows.setdefault((cell.row_kind, cell.row_code), {})[cell.measure] = cell.amount
    return rows


def test_the_name_tables_are_seeds_with_their_source():
    for scheme in ("function", "economic"):
        with open(SEEDS_DIR / f"{scheme}_subject_names.csv", encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        assert rows and set(rows[0]) == {"subject_code", "subject_name", "source", "documents"}
        assert all(r["source"].split("/")[0] in {"real", "real-wide", "seeds"} for r in rows)
    # 行政运行 is printed under many 款: the name alone does not single out its code
    assert len(subject_codes("function")[subject_key("行政运行")]) > 5


def test_rows_printed_with_names_only_take_their_code_where_they_sit(tmp_path):
    rows = [
        Row("total", None, "合计", {"total": "60.00", "basic": "50.00", "project": "10.00"}),
        _row("201", "一般公共服务支出", "30.00", "25.00", "5.00"),
        _row("20103", "政府办公厅（室）及相关机构事务", "30.00", "25.00", "5.00"),
        _row("2010301", "行政运行", "25.00", "25.00", ""),
        _row("2010302", "一般行政管理事务", "5.00", "", "5.00"),
        _row("208", "社会保障和就业支出", "20.00", "20.00", ""),
        _row("20805", "行政事业单位养老支出", "20.00", "20.00", ""),
        _row("2080505", "机关事业单位基本养老保险缴费支出", "20.00", "20.00", ""),
        _row("210", "卫生健康支出", "10.00", "5.00", "5.00"),
        _row("21011", "行政事业单位医疗", "10.00", "5.00", "5.00"),
        _row("2101101", "行政单位医疗", "10.00", "5.00", "5.00"),
    ]
    extraction = _staged(_document(rows, (("科目名称",),)), tmp_path)
    staged = _by_row(extraction)
    for row in rows[1:]:
        expected = {k: (Decimal(v) if v else None) for k, v in row.values.items()}
        assert staged[("subject", row.code)] == expected, row.name
    assert staged[("total", "total")]["total"] == Decimal("60.00")
    coded = [i for i in extraction.issues if i.code == "subject_code_from_name"]
    assert len(coded) == len(rows) - 1
    assert "'行政运行' printed without code, coded 2010301 from its name (after 20103)" in "\n".join(
        i.message for i in coded
    )


def test_a_name_no_context_singles_out_is_a_doubt_not_a_guess(tmp_path):
    rows = [_row("", "行政运行", "25.00", "25.00", "")]
    extraction = _staged(_document(rows, (("科目名称",),)), tmp_path)
    assert {c.row_kind for c in extraction.cells} == {"other"}
    assert {c.row_code for c in extraction.cells} == {None}
    doubts = [i for i in extraction.issues if i.code == "ambiguous_subject_name"]
    assert len(doubts) == 1 and "2010101" in doubts[0].message and "2010301" in doubts[0].message


def test_codes_split_over_class_section_item_columns_take_the_parts_left_out(tmp_path):
    """类 | 款 | 项 columns where a 款 line prints only its 款 digits and a 项 line only its 项 digits."""
    rows = [
        _row("201", "一般公共服务支出", "30.00", "25.00", "5.00", ("201", "", "", "一般公共服务支出")),
        _row("20103", "政府办公厅（室）及相关机构事务", "30.00", "25.00", "5.00",
             ("", "03", "", "政府办公厅（室）及相关机构事务")),
        _row("2010301", "行政运行", "25.00", "25.00", "", ("", "", "01", "行政运行")),
        _row("2010302", "一般行政管理事务", "5.00", "", "5.00", ("", "", "02", "一般行政管理事务")),
        _row("208", "社会保障和就业支出", "20.00", "20.00", "", ("208", "", "", "社会保障和就业支出")),
        _row("2080505", "机关事业单位基本养老保险缴费支出", "20.00", "20.00", "",
             ("208", "05", "05", "机关事业单位基本养老保险缴费支出")),
    ]
    labels = (("科目编码", "类"), ("科目编码", "款"), ("科目编码", "项"), ("科目名称",))
    extraction = _staged(_document(rows, labels), tmp_path)
    staged = _by_row(extraction)
    for row in rows:
        expected = {k: (Decimal(v) if v else None) for k, v in row.values.items()}
        assert staged[("subject", row.code)] == expected, row.name
    assert not [i for i in extraction.issues if i.code == "subject_code_from_name"]

"""Tables continued on a following page keep their rows and their columns (issue 15)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from extractors.interpret import interpret
from extractors.model import BBox, Cell, Line, SourceDocument

# Shanghai 人社局 2026, 一般公共预算支出功能分类预算表 (单位：元), as its pages print it: p.13 holds the
# header and every subject line, its code columns 类 | 款 | 项 read as one; p.14 prints the header again
# and only the 合计 line, 类 | 款 | 项 kept apart, so each of its rows counts seven cells for five columns.
_CODE, _NAME, _TOTAL, _BASIC, _PROJECT = (57, 177), (177, 423), (423, 553), (553, 659), (659, 778)


def _cell(text: str, x: tuple[float, float] | None, top: float, page: int) -> Cell:
    bbox: BBox | None = (x[0], top, x[1], top + 21) if x else None
    return Cell(text, page, bbox)


def _row(page: int, top: float, *cells: tuple[str, tuple[float, float] | None]) -> Line:
    return Line([_cell(text, x, top, page) for text, x in cells], page)


def _text(page: int, text: str) -> Line:
    return Line([Cell(text, page)], page, is_row=False)


def _shanghai_pages() -> SourceDocument:
    lines = [
        _text(13, "2026年预算单位一般公共预算支出功能分类预算表"),
        _text(13, "单位：元"),
        _row(13, 127, ("项目", (57, 423)), ("", None), ("一般公共预算支出", (423, 778)), ("", None),
             ("", None)),
        _row(13, 147, ("功能分类科目编码", _CODE), ("功能分类科目名称", _NAME), ("合计", _TOTAL),
             ("基本支出", _BASIC), ("项目支出", _PROJECT)),
    ]
    subjects = [
        ("208", "社会保障和就业支出", "117480,898", "23051,310", "94429,588"),
        ("20801", "人力资源和社会保障管理事务", "113868,642", "19439,054", "94429,588"),
        ("2080104", "综合业务管理", "94146,002", "", "94146,002"),
        ("2080108", "信息化建设", "283,586", "", "283,586"),
        ("2080150", "事业运行", "19439,054", "19439,054", ""),
        ("20805", "行政事业单位养老支出", "3612,256", "3612,256", ""),
        ("2080502", "事业单位离退休", "431,340", "431,340", ""),
        ("2080505", "机关事业单位基本养老保险缴费支出", "2116,344", "2116,344", ""),
        ("2080506", "机关事业单位职业年金缴费支出", "1058,172", "1058,172", ""),
        ("2080599", "其他行政事业单位养老支出", "6,400", "6,400", ""),
        ("210", "卫生健康支出", "1851,801", "1851,801", ""),
        ("21011", "行政事业单位医疗", "1851,801", "1851,801", ""),
        ("2101102", "事业单位医疗", "1851,801", "1851,801", ""),
        ("221", "住房保障支出", "925,901", "925,901", ""),
        ("22102", "住房改革支出", "925,901", "925,901", ""),
        ("2210201", "住房公积金", "925,901", "925,901", ""),
    ]
    for k, (code, name, total, basic, project) in enumerate(subjects):
        lines.append(_row(13, 189 + 21 * k, (code, _CODE), (name, _NAME), (total, _TOTAL), (basic, _BASIC),
                          (project, _PROJECT)))
    blank: tuple[str, None] = ("", None)
    lines += [
        _row(14, 57, ("项目", (57, 423)), blank, blank, blank, ("一般公共预算支出", (423, 778)), blank,
             blank),
        _row(14, 78, ("功能分类科目编码", _CODE), blank, blank, ("功能分类科目名称", _NAME), ("合计", _TOTAL),
             ("基本支出", _BASIC), ("项目支出", _PROJECT)),
        _row(14, 99, ("类", (57, 97)), ("款", (97, 137)), ("项", (137, 177)), blank, blank, blank, blank),
        _row(14, 120, ("合计", (57, 423)), blank, blank, blank, ("120258,600", _TOTAL), ("25829,012", _BASIC),
             ("94429,588", _PROJECT)),
    ]
    return SourceDocument(path=Path("doc.pdf"), sha256="cd" * 32, file_type="pdf", lines=lines)


def test_a_continuation_page_of_only_the_total_line_keeps_the_first_pages_columns() -> None:
    extraction = interpret(_shanghai_pages())
    (table,) = [t for t in extraction.tables if t.table_type == "general_budget_expenditure"]
    cells = [c for c in extraction.cells if c.table_index == table.table_index]
    total = {c.measure: c.amount for c in cells if c.row_kind == "total" and c.amount is not None}
    # 合计 120,258,600 = 基本支出 25,829,012 + 项目支出 94,429,588 元, in 万元
    assert total == {"total": Decimal("12025.86"), "basic": Decimal("2582.9012"),
                     "project": Decimal("9442.9588")}
    # the header printed again on p.14 is no row of the table
    assert not [c for c in cells if c.page == 14 and c.row_kind != "total"]
    assert {c.column_label for c in cells} == {
        "一般公共预算支出 / 合计", "一般公共预算支出 / 基本支出", "一般公共预算支出 / 项目支出"}


def _amounts(extraction, table_type: str) -> dict[tuple[str, str | None], tuple[Decimal, int | None]]:
    (table,) = [t for t in extraction.tables if t.table_type == table_type]
    return {(c.row_code, c.measure): (c.amount, c.page) for c in extraction.cells
            if c.table_index == table.table_index and c.amount is not None}


@pytest.mark.shared
@pytest.mark.parametrize(("name", "table_type", "first_row", "parent", "printed"), [
    # 省法院 2018 p.12-13: 20405 法院 26,200.88 = 14,857.61 + 6,049.97 + 1,600.00 (p.12) + 1,833.30 (2040504
    # 案件审判, the first row of p.13, printed without its top ruling) + 950.00 + 910.00
    ("211_江苏_省法院2018年度部门预算公开.pdf", "general_budget_expenditure", ("2040504", "1833.30", 13),
     "20405", ["14857.61", "6049.97", "1600.00", "1833.30", "950.00", "910.00"]),
    # p.13-14: 302 商品和服务支出 3,407.38, its 30231 公务用车运行维护费 266.80 the first row of p.14
    ("211_江苏_省法院2018年度部门预算公开.pdf", "general_budget_basic_expenditure", ("30231", "266.80", 14),
     "302", ["350.00", "34.00", "266.00", "119.00", "305.00", "550.00", "111.54", "45.37", "48.95", "40.00",
             "410.00", "111.00", "266.80", "596.38", "153.34"]),
    # 省法院 2017 p.15-16: 302 3,528.37, its 30206 电费 235.00 the first row of p.16
    ("210_江苏_省法院2017年度部门预算公开.pdf", "general_budget_basic_expenditure", ("30206", "235.00", 16),
     "302", ["380.00", "43.60", "235.00", "105.00", "265.00", "560.00", "97.01", "60.37", "50.72", "48.00",
             "458.00", "110.00", "304.40", "618.27", "193.00"]),
])
def test_the_first_row_of_a_continuation_page_without_its_top_ruling_is_read(
        shared_dir: Path, name: str, table_type: str, first_row: tuple[str, str, int], parent: str,
        printed: list[str]) -> None:
    from extractors.extract import extract_file

    path = shared_dir / "real-wide" / name
    if not path.exists():
        pytest.skip(f"{path} not found")
    amounts = _amounts(extract_file(path), table_type)
    code, amount, page = first_row
    assert amounts[(code, "total")] == (Decimal(amount), page)
    parts = sorted(a for (c, m), (a, _) in amounts.items() if m == "total" and c and len(c) == len(code)
                   and c.startswith(parent))
    assert parts == sorted(Decimal(v) for v in printed)
    assert sum(parts) == amounts[(parent, "total")][0]


@pytest.mark.shared
def test_a_real_continuation_page_of_only_the_total_line(shared_dir: Path) -> None:
    """Shanghai 人社局 2026 p.14 (the page ``_shanghai_pages`` writes out), read from the file."""
    from extractors.extract import extract_file

    path = shared_dir / "real-wide" / "106_上海_2026年上海市人力资源和社会保障局_部门预算.pdf"
    if not path.exists():
        pytest.skip(f"{path} not found")
    amounts = _amounts(extract_file(path), "general_budget_expenditure")
    total = {m: a for (c, m), (a, page) in amounts.items() if c == "total" and page == 14}
    assert total == {"total": Decimal("12025.86"), "basic": Decimal("2582.9012"),
                     "project": Decimal("9442.9588")}

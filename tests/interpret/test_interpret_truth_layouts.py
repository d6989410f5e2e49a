"""Layouts found by comparing with the hand-checked truth (tests/truth/real_wide)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from extractors.interpret import interpret
from extractors.model import Cell, Extraction, Line, SourceDocument


def document(*lines: str | list[str], page: int = 1) -> SourceDocument:
    """Text lines are given as str, table rows as lists of cell texts."""
    built: list[Line] = []
    for line in lines:
        if isinstance(line, str):
            built.append(Line(cells=[Cell(line, page=page)], page=page, is_row=False))
        else:
            built.append(Line(cells=[Cell(text, page=page) for text in line], page=page))
    return SourceDocument(path=Path("doc.pdf"), sha256="cd" * 32, file_type="pdf", lines=built)


def by(e: Extraction, **where: object) -> list:
    return [c for c in e.cells if all(getattr(c, k) == v for k, v in where.items())]


def test_three_public_with_years_as_rows() -> None:
    """Shenzhen 财政拨款“三公”经费支出表: 预算单位 | 年度 | 总计 …, one row per year, then 增减变化金额."""
    e = interpret(document(
        "2026年财政拨款“三公”经费支出表",
        "单位：万元",
        ["预算单位", "年度", "总计", "因公出国(境)费", "公务接待费", "公务用车购置及运行维护费"],
        ["深圳市某某局", "2025年", "65.75", "52.40", "4.55", "8.80"],
        ["", "2026年", "121.95", "108.60", "4.55", "8.80"],
        ["", "增减变化金额", "56.20", "56.20", "0.00", "0.00"],
    ))
    totals = {(c.fiscal_year, c.measure): c.amount for c in by(e, row_kind="total") if c.measure}
    assert totals[(2025, "total")] == Decimal("65.75")
    assert totals[(2026, "total")] == Decimal("121.95")
    assert totals[(2026, "outbound_travel")] == Decimal("108.60")
    change = [c for c in e.cells if c.row_index == 2 and c.raw_text == "56.20"]
    assert change and all(c.measure is None for c in change)


def test_title_wrapped_inside_a_word() -> None:
    """江苏检察院 2017: 十一、一般公共预算“三公”经费、会议费、培训费支出预 / 算表."""
    e = interpret(document(
        "十一、一般公共预算“三公”经费、会议费、培训费支出预",
        "算表",
        "单位：万元",
        ["合计", "因公出国（境）费", "公务接待费"],
        ["20.00", "10.00", "10.00"],
    ))
    assert [t.table_type for t in e.tables] == ["three_public_expenses"]


def test_current_year_subtotal_and_carryover_split_by_appropriation() -> None:
    """江苏 当年收入小计; Shenzhen 上年结余、结转 split into 财政拨款 / 非财政拨款 lines."""
    e = interpret(document(
        "2026年收支总表",
        "单位：万元",
        ["收入", "", "支出", ""],
        ["项目", "预算数", "项目", "预算数"],
        ["一般公共预算拨款", "100.00", "一般公共服务支出", "130.00"],
        ["当年收入小计", "100.00", "当年支出小计", "130.00"],
        ["上年结余、结转", "30.00", "", ""],
        ["1.财政拨款结余、结转", "20.00", "", ""],
        ["2.非财政拨款结余、结转", "10.00", "", ""],
        ["收入总计", "130.00", "支出总计", "130.00"],
    ))
    assert [c.amount for c in by(e, row_code="income_current_year")] == [Decimal("100.00")]
    parts = by(e, row_kind="income_source", row_code="prior_year_carryover")
    assert [c.amount for c in parts] == [Decimal("20.00"), Decimal("10.00")]


def test_names_coded_by_their_place() -> None:
    """Hangzhou: 其他社会保障缴费 after 30110 is 30112 (30104 comes before); 一般行政管理事务 after 2040701
    is 2040702, the xx02 every 款 prints it as."""
    e = interpret(document(
        "2026年一般公共预算基本支出预算表",
        "单位：万元",
        ["科目名称", "合计"],
        ["工资福利支出", "10.00"],
        ["职工基本医疗保险缴费", "6.00"],
        ["其他社会保障缴费", "4.00"],
    ))
    assert "30112" in {c.row_code for c in e.cells}
    e = interpret(document(
        "2026年一般公共预算支出预算表",
        "单位：万元",
        ["科目名称", "合计"],
        ["公共安全支出", "10.00"],
        ["监狱", "10.00"],
        ["行政运行", "6.00"],
        ["一般行政管理事务", "4.00"],
    ))
    assert "2040702" in {c.row_code for c in e.cells}

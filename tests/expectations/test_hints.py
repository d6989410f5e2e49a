"""Hints name the usual slip and the corrected value, and stay silent when nothing usual explains it."""

from __future__ import annotations

from decimal import Decimal as D

from expectations.hints import Part, infer_hint


def test_decimal_shift_of_a_part():
    hint = infer_hint(D("38.85"), D("14.37"), D("0.015"),
                      [Part("2101101 行政单位医疗", D("11.65")),
                       Part("2101199 其他行政事业单位医疗支出", D("27.2"))])
    assert hint.suggested_value == D("2.72")
    assert hint.text.startswith("decimal shift: 2101199")


def test_transposed_digits_of_the_total():
    hint = infer_hint(D("1926.37"), D("1296.37"), D("0.015"),
                      [Part("201", D("1900.00")), Part("208", D("26.37"))])
    assert hint.suggested_value == D("1926.37")
    assert hint.text.startswith("transposed digits")


def test_a_part_equal_to_the_total_was_copied_from_it():
    hint = infer_hint(D("8.00"), D("6.00"), D("0.02"),
                      [Part("因公出国(境)费用", None), Part("小计", D("6.00")),
                       Part("公务接待费", D("2.00"))])
    assert hint.suggested_value == D("4.00")
    assert hint.text.startswith("value in the wrong column: 小计")


def test_a_subtotal_equal_to_its_line_total_was_copied_from_it():
    hint = infer_hint(D("4.00"), D("6.00"), D("0.015"),
                      [Part("公务用车购置", None), Part("公务用车运行维护费", D("4.00"))],
                      context=[Part("总计", D("6.00")), Part("公务接待费", D("2.00"))])
    assert hint.suggested_value == D("4.00")
    assert "equals 总计" in hint.text


def test_missing_cell_beats_a_coincidental_transposition():
    parts = [Part("30201", D("5.5")), Part("30207 邮电费", None), Part("30228", D("1.27")),
             Part("30299", D("71.77"))]
    hint = infer_hint(D("78.54"), D("79.53"), D("0.025"), parts)
    assert hint.suggested_value == D("0.99")
    assert hint.text.startswith("missing cell: 30207 邮电费")


def test_wrong_total_when_all_parts_are_present_and_no_slip_fits():
    hint = infer_hint(D("1925.88"), D("1926.37"), D("0.025"),
                      [Part("201", D("1866.11")), Part("208", D("59.77"))])
    assert hint.suggested_value == D("1925.88")
    assert hint.text.startswith("wrong value")


def test_no_hint_when_several_cells_are_blank():
    parts = [Part("a", D("13.72")), Part("b", None), Part("c", None)]
    assert infer_hint(D("13.72"), D("0"), D("0.05"), parts) is None

"""Published numbers to exact decimals."""

from decimal import Decimal

import pytest

from extractors.interpret.numbers import parse_number


@pytest.mark.parametrize(("printed", "value"), [
    ("1,234.50", Decimal("1234.50")),
    ("113868,642", Decimal("113868642")),  # Shanghai 人社局 2026 (元): only the last separator printed
    ("－", None),
    ("12,34", None),  # a comma not followed by three digits is no thousands separator
    ("1234,5678", None),
    ("7.43%", Decimal("7.43")),
])
def test_printed_numbers(printed: str, value: Decimal | None) -> None:
    assert parse_number(printed) == value

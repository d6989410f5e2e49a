"""Published numbers to exact ``Decimal``: thousands separators, dashes for blanks, percent signs."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from extractors.interpret.mappings import load, norm, pattern

# Thousands separators, every one followed by three digits; some publishers print only the last of them
# (Shanghai 人社局 2026, in 元: 113868,642 = 113,868,642).
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:,\d{3})+|\d+)(?:\.\d+)?%?$")
# Printed in empty cells instead of leaving them blank.
BLANK_MARKS = frozenset({"", "-", "--", "—", "——", "－", "/", "*", "…"})


def is_blank(text: str) -> bool:
    return norm(text) in BLANK_MARKS


def parse_number(text: str) -> Decimal | None:
    """The number a cell shows, or None when the cell is blank or not a plain number."""
    t = norm(unicodedata.normalize("NFKC", text))
    if t in BLANK_MARKS or not _NUMBER.match(t):
        return None
    return Decimal(t.rstrip("%").replace(",", ""))


def is_number(text: str) -> bool:
    return parse_number(text) is not None


def unit_factor(unit_name: str | None) -> Decimal:
    """Multiplier from a table's published unit to 万元 (the warehouse unit)."""
    units = load("layout")["units"]
    return Decimal(units.get(unit_name or "万元", "1"))


def unit_of(text: str) -> str | None:
    m = pattern(load("layout")["unit"]).search(norm(text))
    return m.group(1) if m else None

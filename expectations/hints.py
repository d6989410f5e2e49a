"""Why a sum may not add up: the usual slips of whoever typed the table, tried in order.

A failing place has a published total (``actual``), the sum of its parts (``expected``) and the
parts themselves (label, amount; a blank cell has no amount). A hint is a correction that makes the
place add up within its tolerance; the first one found wins, because the earlier kinds explain a
difference with less change:

1. decimal shift: one part or the total typed with the point in the wrong place (27.2 for 2.72);
2. transposed digits: two neighbouring digits swapped (1,296.37 for 1,926.37);
3. value in the wrong column: a part equals the total, or the total equals another cell of its line
   that is not one of its parts, so it was most likely copied from there;
4. missing cell: exactly one part is blank and the total exceeds the sum by what it would hold;
5. wrong value: every part is present, so the total is the figure to correct.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

CENT = Decimal("0.01")
_SHIFTS = (Decimal(10), Decimal(100), Decimal("0.1"), Decimal("0.01"))


@dataclass(frozen=True)
class Part:
    label: str
    amount: Decimal | None


@dataclass(frozen=True)
class Hint:
    text: str
    suggested_value: Decimal


def _fmt(x: Decimal) -> str:
    return f"{x.quantize(CENT):,}"


def _close(a: Decimal, b: Decimal, tolerance: Decimal) -> bool:
    return abs(a - b) <= tolerance


def _transpositions(x: Decimal) -> Iterator[Decimal]:
    """Every value with two neighbouring digits of x (as printed to 0.01) swapped."""
    text = f"{abs(x.quantize(CENT))}"
    digits = [i for i, ch in enumerate(text) if ch.isdigit()]
    for i, j in zip(digits, digits[1:], strict=False):
        if text[i] != text[j]:
            chars = list(text)
            chars[i], chars[j] = chars[j], chars[i]
            swapped = Decimal("".join(chars))
            yield -swapped if x < 0 else swapped


def _variants(x: Decimal) -> Iterator[tuple[str, Decimal]]:
    for factor in _SHIFTS:
        yield "decimal shift", (x / factor).quantize(CENT)
    for swapped in _transpositions(x):
        yield "transposed digits", swapped


def infer_hint(expected: Decimal, actual: Decimal, tolerance: Decimal,
               parts: Iterable[Part] | None, context: Iterable[Part] | None = None,
               total_label: str = "the total") -> Hint | None:
    """The most likely correction of a failing sum, or None when no usual slip explains it.

    ``context``: the other cells of the total's line that are not its parts (a subtotal's line total).
    Every slip that brings the place within tolerance is a candidate; the one leaving the smallest
    remainder wins (with many parts the tolerance is wide enough for coincidences), ties going to
    the earlier kind in the list above.
    """
    candidates = [c for c in _candidates(expected, actual, tolerance, list(parts or []), list(context or []),
                                         total_label) if c is not None]
    if not candidates:
        return None
    return min(enumerate(candidates), key=lambda ic: (ic[1][0], ic[0]))[1][1]


def _candidates(expected: Decimal, actual: Decimal, tolerance: Decimal, parts: list[Part],
                context: list[Part], total_label: str) -> Iterator[tuple[Decimal, Hint] | None]:
    """(remainder after the correction, hint) for every slip that explains the place."""
    present = [(p, p.amount) for p in parts if p.amount is not None and p.amount != 0]
    for kind in ("decimal shift", "transposed digits"):
        for part, amount in present:
            others = expected - amount
            for variant_kind, value in _variants(amount):
                if variant_kind == kind and value != amount \
                        and _close(others + value, actual, tolerance):
                    yield abs(others + value - actual), Hint(
                        f"{kind}: {part.label} is {_fmt(amount)}; {_fmt(value)} makes the parts add up "
                        f"to {total_label} {_fmt(actual)}", value)
        for variant_kind, value in _variants(actual):
            if variant_kind == kind and actual != 0 and value != actual \
                    and _close(value, expected, tolerance):
                yield abs(value - expected), Hint(
                    f"{kind}: {total_label} is {_fmt(actual)}; the parts add up to {_fmt(expected)}, so it "
                    f"should read {_fmt(value)}", value)
    if len(parts) > 1:
        for part, amount in present:
            if amount == actual:
                value = actual - (expected - amount)
                yield Decimal(0), Hint(
                    f"value in the wrong column: {part.label} equals {total_label} {_fmt(actual)}; with the "
                    f"other parts it should be {_fmt(value)}", value)
        for cell in context:
            if cell.amount == actual and actual != 0:
                yield Decimal(0), Hint(
                    f"value in the wrong column: {total_label} {_fmt(actual)} equals {cell.label} of its "
                    f"line; its parts add up to {_fmt(expected)}, so it should be {_fmt(expected)}", expected)
    blanks = [p for p in parts if p.amount is None]
    difference = actual - expected
    if len(blanks) == 1 and difference > tolerance:
        yield Decimal(0), Hint(f"missing cell: {blanks[0].label} is blank; the difference {_fmt(difference)} "
                               f"is what it would hold", difference)
    if parts and not blanks:
        yield Decimal(0), Hint(f"wrong value: {total_label} {_fmt(actual)} should be {_fmt(expected)} if its "
                               f"parts are right", expected)

"""Single-cell mutations for the rule-catalogue test: each breaks exactly one published figure the
way real documents go wrong (a cent off, a decimal shift, transposed digits, a dropped cell), and
records what it changed so a test can demand that some rule fires at that place."""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass
from decimal import Decimal

from extractors.generator.spec import CENT, DocumentSpec, Indicator, TableSpec, amount_of, format_amount

MUTATION_KINDS = ("cent_drift", "decimal_shift", "transposed_digits", "dropped_cell")
CENT_DRIFTS = (Decimal("0.02"), Decimal("-0.02"), Decimal("0.05"), Decimal("1.00"))
SHIFT_FACTORS = (Decimal(10), Decimal(100), Decimal("0.1"))
WEIGHT_DRIFTS = (Decimal(5), Decimal(-5))


class MutationError(ValueError):
    """The spec has no cell this mutation can change."""


@dataclass(frozen=True)
class MutationRecord:
    kind: str
    table_index: int
    table_type: str
    row_kind: str
    row_code: str | None
    row_name: str
    column_key: str  # the column's key, or "weight" for an indicator, "value" for a form field
    measure: str | None  # staging measure; "weight" / "value" for indicators and form fields
    fiscal_year: int | None
    is_prior_year: bool
    old_text: str
    new_text: str
    old_amount: str
    new_amount: str | None  # None: the cell was dropped

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class _Target:
    """One mutable cell: a value of a table row or form field, or an indicator's weight."""

    table_index: int
    table: TableSpec
    row_kind: str
    row_code: str | None
    row_name: str
    key: str
    holder: dict[str, str] | Indicator

    @property
    def text(self) -> str:
        return self.holder[self.key] if isinstance(self.holder, dict) else getattr(self.holder, self.key)

    @text.setter
    def text(self, value: str) -> None:
        if isinstance(self.holder, dict):
            self.holder[self.key] = value
        else:
            setattr(self.holder, self.key, value)

    @property
    def is_weight(self) -> bool:
        return isinstance(self.holder, Indicator)


def _candidates(spec: DocumentSpec) -> list[_Target]:
    """Every non-blank numeric cell: row values, amount fields of forms, indicator weights."""
    out = []
    for i, t in enumerate(spec.tables):
        for r in t.rows:
            out += [
                _Target(i, t, r.kind, r.code, r.name, key, r.values)
                for key, text in sorted(r.values.items())
                if amount_of(text) is not None
            ]
        out += [
            _Target(i, t, "field", f.code, f.name, "value", f.values)
            for f in t.fields
            if f.code and f.code.endswith(("_amount", "_total")) and amount_of(f.values.get("value"))
        ]
        out += [
            _Target(i, t, "indicator", str(n), ind.level3, "weight", ind)
            for n, ind in enumerate(t.indicators, start=1)
            if amount_of(ind.weight) is not None
        ]
    return out


def _transpose(text: str, rng: random.Random) -> str | None:
    digits = [i for i, ch in enumerate(text) if ch.isdigit()]
    pairs = [(a, b) for a, b in zip(digits, digits[1:], strict=False) if b == a + 1 and text[a] != text[b]]
    if not pairs:
        return None
    a, b = rng.choice(pairs)
    return text[:a] + text[b] + text[a] + text[b + 1 :]


def _new_text(kind: str, text: str, rng: random.Random, whole: bool) -> str | None:
    """The mutated text, or None when this kind cannot change this cell; ``whole`` numbers
    (indicator weights) drift by 5 and stay whole."""
    old = amount_of(text)
    assert old is not None
    if kind == "dropped_cell":
        return ""
    if kind == "transposed_digits":
        return _transpose(text, rng)
    if kind == "cent_drift":
        new = old + (rng.choice(WEIGHT_DRIFTS) if whole else rng.choice(CENT_DRIFTS))
    else:
        new = old * rng.choice(SHIFT_FACTORS)
    if new == old or new < 0 or (whole and new != new.to_integral_value()):
        return None
    return str(int(new)) if whole else format_amount(new.quantize(CENT), "," in text)


def mutate(
    spec: DocumentSpec, rng: random.Random, kind: str | None = None
) -> tuple[DocumentSpec, MutationRecord]:
    """A copy of ``spec`` with one numeric cell changed (``kind`` or a random one), and the record."""
    if kind is not None and kind not in MUTATION_KINDS:
        raise MutationError(f"unknown mutation kind {kind!r}; expected one of {MUTATION_KINDS}")
    mutated = spec.copy()
    candidates = _candidates(mutated)
    if not candidates:
        raise MutationError(f"document {spec.slug!r} has no numeric cell to mutate")
    for _ in range(100):
        target = rng.choice(candidates)
        chosen = kind or rng.choice(MUTATION_KINDS)
        old_text = target.text
        new_text = _new_text(chosen, old_text, rng, whole=target.is_weight)
        if new_text is None:
            continue
        target.text = new_text
        column = next((c for c in target.table.columns if c.key == target.key), None)
        new_amount = amount_of(new_text)
        record = MutationRecord(
            kind=chosen,
            table_index=target.table_index,
            table_type=target.table.table_type,
            row_kind=target.row_kind,
            row_code=target.row_code,
            row_name=target.row_name,
            column_key=target.key,
            measure=column.measure if column else target.key,
            fiscal_year=column.fiscal_year if column else spec.fiscal_year,
            is_prior_year=column.is_prior_year if column else False,
            old_text=old_text,
            new_text=new_text,
            old_amount=str(amount_of(old_text)),
            new_amount=None if new_amount is None else str(new_amount),
        )
        return mutated, record
    raise MutationError(f"no {kind or 'mutation'} applies to the cells of {spec.slug!r}")

"""Mutations change exactly one cell, say where, and break the document's arithmetic."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from extractors.generator.consistency import violations
from extractors.generator.mutate import MUTATION_KINDS, MutationError, mutate
from extractors.generator.synthesize import iter_corpus


def _cells(spec):
    cells = {
        (i, r.code, r.name, key): text
        for i, t in enumerate(spec.tables)
        for r in t.rows + t.fields
        for key, text in r.values.items()
    }
    weights = {
        (i, str(n), ind.level3, "weight"): ind.weight
        for i, t in enumerate(spec.tables)
        for n, ind in enumerate(t.indicators, start=1)
    }
    return cells | weights


@pytest.mark.parametrize("kind", MUTATION_KINDS)
def test_one_cell_changes_and_is_recorded(kind):
    rng = random.Random(3)
    for spec in iter_corpus(12, seed=5):
        before = _cells(spec)
        mutated, record = mutate(spec, rng, kind)
        after = _cells(mutated)
        changed = [k for k in before if before[k] != after[k]]
        assert len(changed) == 1
        ((index, code, _, key),) = changed
        assert (record.kind, record.table_index, record.row_code, record.column_key) == (
            kind,
            index,
            code,
            key,
        )
        assert (record.old_text, record.new_text) == (before[changed[0]], after[changed[0]])
        assert _cells(spec) == before  # the original is untouched


def test_amount_mutations_are_detected():
    rng = random.Random(8)
    kinds = {}
    for spec in iter_corpus(40, seed=2):
        mutated, record = mutate(spec, rng)
        kinds[record.kind] = kinds.get(record.kind, 0) + 1
        if record.row_kind == "field":
            continue  # a form field is checked across tables by the rule catalogue, not here
        assert violations(mutated), record
    assert set(kinds) == set(MUTATION_KINDS)


def test_weight_mutations_break_the_weight_sum():
    rng = random.Random(4)
    seen = 0
    for spec in iter_corpus(200, seed=3):
        mutated, record = mutate(spec, rng)
        if record.row_kind == "indicator":
            seen += 1
            assert record.column_key == "weight" and "." not in record.new_text
            assert any("weights" in v for v in violations(mutated))
    assert seen > 0


def test_decimal_shift_scales_by_a_power_of_ten():
    for spec in iter_corpus(10, seed=1):
        _, record = mutate(spec, random.Random(1), "decimal_shift")
        old, new = Decimal(record.old_amount), Decimal(record.new_amount)
        assert new in {old * 10, old * 100, (old / 10).quantize(Decimal("0.01"))}


def test_unknown_kind_is_named():
    with pytest.raises(MutationError, match="unknown mutation kind 'smudge'"):
        mutate(next(iter_corpus(1, seed=1)), random.Random(1), "smudge")

"""Issue 5: one broken cell per document, ~200 documents across every table type, through the real
pipeline into one warehouse: the catalogue catches at least 99 % of the mutations that change a number.

A mutation is caught when a rule fails in its document. Anywhere in the document counts: each document
carries exactly one mutation and the same documents unmutated make no rule fail
(tests/expectations/test_consistent_corpus.py), so every failure in it is the mutation's doing. The rate
at the mutated table itself is printed beside it.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from decimal import Decimal

import duckdb
import pytest

from extractors.generator import iter_corpus, mutate, render
from extractors.model import document_id_for, sha256_of
from extractors.pipeline import run

pytestmark = pytest.mark.slow

CORPUS_SEED = 2024  # the corpus of test_consistent_corpus, whose originals are proven silent
DOCUMENTS = 210
PDF_EVERY = 35  # every 35th document as PDF (6 of them), the rest in the fast text form
REQUIRED_RATE = Decimal("0.99")


def _changes_a_number(record) -> bool:
    """A dropped 0.00 cell reads as zero again: no arithmetic can tell it was there."""
    old = Decimal(record.old_amount)
    new = Decimal(0) if record.new_amount is None else Decimal(record.new_amount)
    return new != old


def _rate(caught: int, total: int) -> str:
    return f"{caught}/{total} ({100 * caught / total:.1f} %)" if total else "0/0"


def test_the_catalogue_catches_single_cell_mutations(tmp_path):
    rng = random.Random(CORPUS_SEED)
    records = {}
    for i, spec in enumerate(iter_corpus(DOCUMENTS, CORPUS_SEED)):
        mutated, record = mutate(spec, rng)
        fmt = "pdf" if i % PDF_EVERY == 0 else "text"
        path = render(mutated, fmt, tmp_path / "documents", stem=f"{i:04d}_{spec.slug}")
        records[document_id_for(sha256_of(path))] = record
    warehouse = tmp_path / "warehouse.duckdb"

    summary = run([tmp_path / "documents"], warehouse)

    assert summary.documents == DOCUMENTS and not summary.rejected
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        failures = con.execute("select distinct document_id, table_type from validation.rule_results "
                               "where not passed").fetchall()
    finally:
        con.close()
    failed_tables = defaultdict(set)
    for document_id, table_type in failures:
        failed_tables[document_id].add(table_type)

    detectable = {d: r for d, r in records.items() if _changes_a_number(r)}
    caught = {d for d in detectable if failed_tables[d]}
    at_table = {d for d in caught if detectable[d].table_type in failed_tables[d]}
    by_table, by_kind = Counter(), Counter()
    caught_by_table, caught_by_kind = Counter(), Counter()
    for d, r in detectable.items():
        by_table[r.table_type] += 1
        by_kind[r.kind] += 1
        caught_by_table[r.table_type] += d in caught
        caught_by_kind[r.kind] += d in caught
    print(f"\n{len(records)} mutated documents, {len(records) - len(detectable)} change no number "
          f"(a dropped 0.00 cell), {len(detectable)} detectable")
    print(f"caught in the document: {_rate(len(caught), len(detectable))}; "
          f"at the mutated table: {_rate(len(at_table), len(detectable))}")
    for name, total, hit in (("table type", by_table, caught_by_table),
                             ("mutation kind", by_kind, caught_by_kind)):
        print(f"by {name}:")
        for key in sorted(total):
            print(f"  {key:42s} {_rate(hit[key], total[key])}")
    missed = [detectable[d] for d in detectable if d not in caught]
    for r in missed:
        print(f"missed: {r.kind} {r.table_type} {r.row_kind} {r.row_code} {r.row_name} [{r.column_key}] "
              f"{r.old_text!r} -> {r.new_text!r}")

    assert len(by_table) >= 15  # every table type of both document types was mutated
    assert set(by_kind) == {"cent_drift", "decimal_shift", "transposed_digits", "dropped_cell"}
    assert Decimal(len(caught)) >= REQUIRED_RATE * len(detectable), missed

"""Which of a generated document's cells (its sidecar's ``cells``) an extraction found: what the reader
tests and the extraction bench count."""

from __future__ import annotations

from collections import Counter


def numeric_cells(expected: list[dict]) -> list[dict]:
    """The generator's expected cells (its sidecar's ``cells``) that print an amount."""
    return [c for c in expected if c["amount"] is not None and c["text"]]


def missing_cells(expected: list[dict], rows: list[list[str]]) -> list[dict]:
    """Expected cells not found, each extracted cell used once: found means the exact printed text in
    a row that also prints the cell's row code or name; a row printed without its label (三公 tables:
    one row of figures under the header) is matched by the text alone."""
    labelled: Counter = Counter()
    unlabelled: Counter = Counter()
    for row in rows:
        texts = [" ".join(t.split()) for t in row]
        unlabelled.update(texts)
        labelled.update((label, text) for text in texts for label in texts if label != text)
    printed = set(unlabelled)
    missing = []
    for cell in expected:
        labels = [label for label in (cell["row_code"], cell["row_name"]) if label in printed]
        keys = [(labelled, (label, cell["text"])) for label in labels] + [(unlabelled, cell["text"])]
        for counter, key in keys:
            if counter[key] > 0:
                counter[key] -= 1
                break
        else:
            missing.append(cell)
    return missing

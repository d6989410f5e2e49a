"""The document generator: the project's own fixtures, demo samples, mutation and scale corpora.

    spec (spec.py)             what a document says: typed tables of published cell text
      ├─ seeds.py              the two seed documents' figures (data/seed_documents.yml)
      ├─ synthesize.py         consistent synthetic documents, deterministic by seed
      └─ mutate.py             one broken cell, recorded
    layout.py                  spec table → printable grid + the exact expected cells
    render/{text,pdf,xlsx,html}.py   grid → file (+ sidecar <file>.expected.json)
    consistency.py             exact arithmetic checks of a spec
    cli.py                     python -m extractors.generator samples|corpus|mutations

Chinese labels (titles, headers, subject names, narrative wording) live in ``data/*.yml``.
"""

from extractors.generator.consistency import violations
from extractors.generator.layout import ExpectedCell, layout_document
from extractors.generator.mutate import MUTATION_KINDS, MutationRecord, mutate
from extractors.generator.render import FORMATS, PDF_LAYOUTS, read_sidecar, render
from extractors.generator.seeds import seed_spec, seed_specs
from extractors.generator.spec import DocumentSpec, Row, SpecError, TableSpec, amount_of
from extractors.generator.synthesize import iter_corpus, synthesize

__all__ = [
    "DocumentSpec",
    "ExpectedCell",
    "FORMATS",
    "MUTATION_KINDS",
    "MutationRecord",
    "PDF_LAYOUTS",
    "Row",
    "SpecError",
    "TableSpec",
    "amount_of",
    "iter_corpus",
    "layout_document",
    "mutate",
    "read_sidecar",
    "render",
    "seed_spec",
    "seed_specs",
    "synthesize",
    "violations",
]

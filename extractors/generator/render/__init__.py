"""Renderers: each writes one file from a spec and returns the cells a reader must find in it.

``render(spec, fmt, out_dir)`` writes ``<slug>.<ext>`` plus its sidecar ``<slug>.<ext>.expected.json``
(document facts, expected cells, narrative figures), so tests and benchmarks compare extraction
against what was drawn, not against another extraction.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from dataclasses import astuple, fields
from pathlib import Path
from typing import Any

from extractors.generator.layout import ExpectedCell
from extractors.generator.spec import DocumentSpec, SpecError

SIDECAR_SUFFIX = ".expected.json"
CELL_FIELDS = [f.name for f in fields(ExpectedCell)]
PDF_LAYOUTS = ("ruled", "unruled", "wrapped", "page_break", "no_repeat")


# format -> (file extension, module); modules are imported on use, so the text form needs no reportlab.
RENDERERS = {
    "text": ("txt", "text"),
    "pdf": ("pdf", "pdf"),
    "xlsx": ("xlsx", "xlsx"),
    "html": ("html", "html"),
}


FORMATS = tuple(RENDERERS)


def render(
    spec: DocumentSpec,
    fmt: str,
    out_dir: Path,
    stem: str | None = None,
    sidecar_extra: dict[str, Any] | None = None,
    **options: Any,
) -> Path:
    """Write ``spec`` in format ``fmt`` (pdf accepts ``layout=`` one of PDF_LAYOUTS) and its sidecar;
    ``sidecar_extra`` adds keys to the sidecar (e.g. the mutation a document carries)."""
    if fmt not in RENDERERS:
        raise SpecError(f"unknown format {fmt!r}; expected one of {FORMATS}")
    ext, module = RENDERERS[fmt]
    draw: Callable[..., list[ExpectedCell]] = importlib.import_module(f"{__name__}.{module}").render
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{stem or spec.slug}.{ext}"
    cells = draw(spec, path, **options)
    write_sidecar(spec, path, fmt, cells, options, sidecar_extra or {})
    return path


def sidecar_path(path: Path) -> Path:
    return path.with_name(path.name + SIDECAR_SUFFIX)


def write_sidecar(
    spec: DocumentSpec,
    path: Path,
    fmt: str,
    cells: list[ExpectedCell],
    options: dict[str, Any],
    extra: dict[str, Any],
) -> None:
    doc = {
        "file": path.name,
        "format": fmt,
        "options": options,
        "slug": spec.slug,
        "document_type": spec.document_type,
        "fiscal_year": spec.fiscal_year,
        "province_name": spec.province,
        "region_name": spec.region,
        "department_name": spec.department,
        "unit_code": spec.unit_code,
        "title": spec.title,
        "tables": [
            {
                "table_index": i,
                "table_type": t.table_type,
                "label": t.label,
                "title": t.title,
                "is_empty": t.is_empty,
                "project_code": t.project_code,
            }
            for i, t in enumerate(spec.tables)
        ],
        "narrative_figures": [
            {
                "figure_key": f.key,
                "amount": str(f.amount),
                "fiscal_year": f.fiscal_year,
                "subject_name": f.subject_name,
            }
            for f in spec.narrative_figures
        ],
        **extra,
        # Column-wise (field names once, then one list per cell): corpora hold millions of cells.
        "cell_fields": CELL_FIELDS,
        "cells": [list(astuple(c)) for c in cells],
    }
    sidecar_path(path).write_text(
        json.dumps(doc, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )


def read_sidecar(path: Path) -> dict[str, Any]:
    """The sidecar of a rendered file (give the rendered file's path), cells as dicts."""
    doc = json.loads(sidecar_path(path).read_text(encoding="utf-8"))
    doc["cells"] = [dict(zip(doc["cell_fields"], values, strict=True)) for values in doc.pop("cells")]
    del doc["cell_fields"]
    return doc

"""The demo portal's content: the generator's documents published as a district portal publishes them.

The seed-figure documents appear as PDF attachments (one ruled, one broken across pages), synthetic
departments as XLSX attachments, and one department's budget as an article page with its tables
inline — so one crawl exercises every reader the nightly job uses.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from extractors.generator.cli import SAMPLE_SEED, SAMPLE_SYNTHETIC
from extractors.generator.render import render
from extractors.generator.seeds import seed_specs
from extractors.generator.spec import DocumentSpec
from extractors.generator.synthesize import synthesize
from extractors.portal.site import DEPARTMENTS, Department, Disclosure

_KNOWN_SLUGS = {d.name: d.slug for d in DEPARTMENTS}
_TABLES = re.compile(r"<body[^>]*>(.*)</body>", re.S)


def _department(spec: DocumentSpec) -> Department:
    slug = _KNOWN_SLUGS.get(spec.department) or "d" + hashlib.sha256(spec.department.encode()).hexdigest()[:6]
    return Department(slug, spec.department)


def _attachment_name(spec: DocumentSpec, suffix: str) -> str:
    digits = int(hashlib.sha256(spec.slug.encode()).hexdigest(), 16) % 10**12
    return f"P0{digits:012d}.{suffix}"


def generated_disclosures(work_dir: Path) -> list[Disclosure]:
    """Render the demo documents under ``work_dir`` and describe them as portal articles."""
    work_dir = Path(work_dir)
    seeds = seed_specs()
    synthetic = [synthesize(SAMPLE_SEED, *key) for key in SAMPLE_SYNTHETIC]
    out: list[Disclosure] = []
    for spec, layout in zip(seeds, ("ruled", "page_break"), strict=False):
        pdf = render(spec, "pdf", work_dir / "pdf", layout=layout)
        out.append(_disclosure(spec, attachments={_attachment_name(spec, "pdf"): pdf.read_bytes()}))
    inline, *spreadsheets = synthetic
    for spec in spreadsheets:
        xlsx = render(spec, "xlsx", work_dir / "xlsx")
        out.append(_disclosure(spec, attachments={_attachment_name(spec, "xlsx"): xlsx.read_bytes()}))
    page = render(inline, "html", work_dir / "html").read_text(encoding="utf-8")
    body = _TABLES.search(page)
    out.append(_disclosure(inline, inline_table=body.group(1) if body else page))
    return out


def _disclosure(spec: DocumentSpec, **content) -> Disclosure:
    narrative = spec.narrative[0] if spec.narrative else spec.title
    return Disclosure(_department(spec), spec.fiscal_year, spec.document_type, narrative=narrative, **content)

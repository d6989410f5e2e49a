"""PDF extraction benchmark: naive pdfplumber against the project's reader, same PDFs, one run.

    .venv/bin/python -m bench [--workers N] [--real DIR] [--no-generated]

Corpus: the real disclosures in ``../shared/real`` (when present) and the generator's PDF fixtures
(seed-figure documents in every PDF layout, rendered into a temporary folder, each with its sidecar of
expected cells). Each extractor runs in a child process of its own so its time and peak memory
(``ru_maxrss`` of the process and of its worker processes) are its alone:

* naive: ``pdfplumber`` ``page.extract_tables()`` on every page, one process;
* project: ``extractors.readers.pdf.read_many`` with ``--workers`` processes.

Cell accuracy, on the generated fixtures: the share of expected numeric cells found with their exact
printed text in a row that also carries the cell's row code or name. The run ends with one JSON object
per figure on its own line: ``name``, ``value``, ``unit``, ``baseline`` (naive), ``ratio``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from extractors.readers.pdf_report import missing_cells, numeric_cells

REPO = Path(__file__).resolve().parents[1]
REAL_DIR = REPO.parent / "shared" / "real"
EXTRACTORS = ("naive", "project")


def naive_rows(path: Path) -> list[list[str]]:
    import pdfplumber

    rows = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            for table in page.extract_tables():
                rows.extend([cell or "" for cell in row] for row in table)
    return rows


def project_rows(document) -> list[list[str]]:
    return [[cell.text for cell in line.cells] for line in document.lines if line.is_row]


def _peak_rss_mib() -> float:
    # Linux reports ru_maxrss in KiB; the children's figure is the largest single worker.
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, workers) / 1024


def run_child(extractor: str, paths: list[Path], workers: int) -> dict:
    """Extract ``paths`` in this process (and its workers); rows per path, seconds, peak memory."""
    from extractors.model import DocumentError
    from extractors.readers.pdf import read_many

    start = time.perf_counter()
    rows: dict[str, list[list[str]] | str] = {}
    if extractor == "naive":
        for path in paths:
            try:
                rows[str(path)] = naive_rows(path)
            except Exception as exc:  # the naive baseline has no error model: record what broke
                rows[str(path)] = f"{type(exc).__name__}: {exc}"
    else:
        for path, result in zip(paths, read_many(paths, workers), strict=True):
            rows[str(path)] = result.code if isinstance(result, DocumentError) else project_rows(result)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "peak_rss_mib": _peak_rss_mib(), "rows": rows}


def _measure(extractor: str, paths: list[Path], workers: int) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run(
            [sys.executable, "-m", "bench", "--child", extractor, "--workers", str(workers),
             "--out", out.name, *map(str, paths)],
            check=True, cwd=REPO,
        )
        return json.loads(Path(out.name).read_text(encoding="utf-8"))


def page_count(path: Path) -> int:
    import pypdfium2 as pdfium

    try:
        with pdfium.PdfDocument(path) as pdf:
            return len(pdf)
    except pdfium.PdfiumError:
        return 0


def generated_fixtures(out_dir: Path) -> list[Path]:
    """The seed-figure documents rendered in every PDF layout; empty when the renderer is missing."""
    try:
        from extractors.generator.render import PDF_LAYOUTS, render
        from extractors.generator.seeds import seed_specs
    except ImportError as exc:
        print(f"generated fixtures skipped: {exc}", file=sys.stderr)
        return []
    paths = []
    for spec in seed_specs():
        for layout in PDF_LAYOUTS:
            try:
                paths.append(render(spec, "pdf", out_dir, stem=f"{spec.slug}-{layout}", layout=layout))
            except ImportError as exc:
                print(f"generated fixtures skipped: {exc}", file=sys.stderr)
                return []
    return paths


def cell_accuracy(expected: list[dict], rows: list[list[str]]) -> tuple[int, int]:
    """(found, expected) numeric cells; see ``extractors.readers.pdf_report.missing_cells``."""
    wanted = numeric_cells(expected)
    return len(wanted) - len(missing_cells(wanted, rows)), len(wanted)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--real", type=Path, default=REAL_DIR)
    parser.add_argument("--no-generated", action="store_true")
    parser.add_argument("--child", choices=EXTRACTORS, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("paths", nargs="*", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        result = run_child(args.child, args.paths, args.workers)
        args.out.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
        return 0

    real = sorted(args.real.glob("*.pdf")) if args.real.is_dir() else []
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        generated = [] if args.no_generated else generated_fixtures(Path(tmp))
        paths = real + generated
        if not paths:
            print("no PDFs to measure: neither ../shared/real nor the generator's fixtures", file=sys.stderr)
            return 1
        pages = sum(page_count(p) for p in paths)
        results = {name: _measure(name, paths, 1 if name == "naive" else args.workers) for name in EXTRACTORS}
        accuracy = {name: [0, 0] for name in EXTRACTORS}
        for path in generated:
            from extractors.generator.render import read_sidecar

            expected = read_sidecar(path)["cells"]
            for name in EXTRACTORS:
                rows = results[name]["rows"][str(path)]
                found, total = cell_accuracy(expected, rows if isinstance(rows, list) else [])
                accuracy[name][0] += found
                accuracy[name][1] += total

    print(f"{len(real)} real + {len(generated)} generated PDFs, {pages} pages; "
          f"project workers={args.workers}")
    print(f"{'':24}{'naive pdfplumber':>20}{'project':>14}")
    figures = []
    speed = {n: pages / results[n]["seconds"] for n in EXTRACTORS}
    memory = {n: results[n]["peak_rss_mib"] for n in EXTRACTORS}
    figures.append(("pages_per_second", speed, "pages/s"))
    figures.append(("peak_memory", memory, "MiB"))
    if any(total for _, total in accuracy.values()):
        share = {n: 100 * found / total for n, (found, total) in accuracy.items()}
        figures.append(("cell_accuracy", share, "%"))
    for name, values, unit in figures:
        print(f"{name + ' (' + unit + ')':24}{values['naive']:>20.1f}{values['project']:>14.1f}")
    if any(total for _, total in accuracy.values()):
        for name in EXTRACTORS:
            found, total = accuracy[name]
            print(f"  {name}: {found}/{total} expected numeric cells found")
    for name in EXTRACTORS:
        rejected = {Path(p).name: r for p, r in results[name]["rows"].items() if isinstance(r, str)}
        if rejected:
            print(f"  {name} rejected: {rejected}")
    for name, values, unit in figures:
        ratio = values["project"] / values["naive"] if values["naive"] else None
        print(json.dumps({"name": name, "value": round(values["project"], 2), "unit": unit,
                          "baseline": round(values["naive"], 2),
                          "ratio": None if ratio is None else round(ratio, 2)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())

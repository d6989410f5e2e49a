"""PDF extraction: naive pdfplumber against the project's reader, same PDFs, one run.

Corpus: the real disclosures in ``../shared/real`` and ``../shared/real-wide`` (where present; scans and
files that are not PDFs are named and left out) and the generator's PDF fixtures
(seed-figure documents in every PDF layout, rendered into a temporary folder, each with its sidecar of
expected cells). Each extractor runs in a child process of its own so its time and peak memory
(``ru_maxrss`` of the process and of its worker processes) are its alone:

* naive: ``pdfplumber`` ``page.extract_tables()`` on every page, one process;
* project: ``extractors.readers.pdf.read_many`` with ``--workers`` processes.

Cell accuracy, on the generated fixtures: the share of expected numeric cells found with their exact
printed text in a row that also carries the cell's row code or name.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.figures import REPO, Figure, bench_command, peak_rss_mib, say
from extractors.evaluation.expected_cells import missing_cells, numeric_cells

REAL_DIR = REPO.parent / "shared" / "real"
REAL_WIDE_DIR = REPO.parent / "shared" / "real-wide"
REAL_DIRS = (REAL_DIR, REAL_WIDE_DIR)  # the real corpora `make bench` reads, where present
TRUTH_DIR = REPO / "tests" / "truth" / "real_wide"
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
    own, worker = peak_rss_mib()
    return {"seconds": seconds, "peak_rss_mib": own, "worker_peak_rss_mib": worker, "rows": rows}


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
        say(f"generated fixtures skipped: {exc}")
        return []
    paths = []
    for spec in seed_specs():
        for layout in PDF_LAYOUTS:
            try:
                paths.append(render(spec, "pdf", out_dir, stem=f"{spec.slug}-{layout}", layout=layout))
            except ImportError as exc:
                say(f"generated fixtures skipped: {exc}")
                return []
    return paths


def cell_accuracy(expected: list[dict], rows: list[list[str]]) -> tuple[int, int]:
    """(found, expected) numeric cells; see ``extractors.evaluation.expected_cells.missing_cells``."""
    wanted = numeric_cells(expected)
    return len(wanted) - len(missing_cells(wanted, rows)), len(wanted)


def text_layer(path: Path) -> str:
    """``text`` when any page carries text, ``scan`` when none does (scans go to OCR, which naive
    pdfplumber cannot match at all), ``unreadable`` when pdfium cannot open the file at all (a file
    named .pdf that is not one: real-wide's 重庆 127–130 are web pages)."""
    import pypdfium2

    try:
        pdf = pypdfium2.PdfDocument(path)
    except pypdfium2.PdfiumError:
        return "unreadable"
    try:
        return "text" if any(pdf[i].get_textpage().count_chars() for i in range(len(pdf))) else "scan"
    finally:
        pdf.close()


def text_pdfs(real_dirs: tuple[Path, ...] | list[Path]) -> list[Path]:
    """The PDFs of ``real_dirs`` both extractors can read; the others are named, not measured."""
    real = [path for folder in real_dirs if folder.is_dir() for path in sorted(folder.glob("*.pdf"))]
    kinds = {path: text_layer(path) for path in real}
    for kind, why in (("scan", "scans (OCR)"), ("unreadable", "not readable as PDF")):
        left = [path.name for path, k in kinds.items() if k == kind]
        if left:
            say(f"extraction: text PDFs only; left out as {why}: {', '.join(left)}")
    return [path for path, kind in kinds.items() if kind == "text"]


def measure(workers: int, real_dirs: tuple[Path, ...] = REAL_DIRS, generated: bool = True) -> list[Figure]:
    real = text_pdfs(real_dirs)
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        fixtures = generated_fixtures(Path(tmp)) if generated else []
        paths = real + fixtures
        if not paths:
            raise SystemExit("no PDFs to measure: neither ../shared/real nor the generator's fixtures")
        pages = sum(page_count(p) for p in paths)
        say(f"extraction: {len(real)} real + {len(fixtures)} generated PDFs, {pages} pages")
        results = {name: _measure(name, paths, 1 if name == "naive" else workers) for name in EXTRACTORS}
        accuracy = {name: [0, 0] for name in EXTRACTORS}
        for path in fixtures:
            from extractors.generator.render import read_sidecar

            expected = read_sidecar(path)["cells"]
            for name in EXTRACTORS:
                rows = results[name]["rows"][str(path)]
                found, total = cell_accuracy(expected, rows if isinstance(rows, list) else [])
                accuracy[name][0] += found
                accuracy[name][1] += total

    print(f"\n== extraction: {len(real)} real + {len(fixtures)} generated PDFs, {pages} pages; "
          f"project workers={workers}")
    options = [] if tuple(real_dirs) == REAL_DIRS else ["--real", *real_dirs]
    command = bench_command("--only", "extraction", "--workers", workers, *options,
                            *([] if generated else ["--no-generated"]))
    speed = {n: pages / results[n]["seconds"] for n in EXTRACTORS}
    # the naive baseline is one process; the project's reader spreads over ``workers`` processes
    project_memory = max(results["project"]["peak_rss_mib"], results["project"]["worker_peak_rss_mib"])
    figures = [
        Figure("extraction_pages_per_second", speed["project"], "pages/s", command, speed["naive"]),
        Figure("extraction_pages_per_second_per_core", speed["project"] / workers, "pages/s/core", command,
               speed["naive"]),
        Figure("extraction_peak_memory_per_worker", project_memory, "MiB", command,
               results["naive"]["peak_rss_mib"], "< 2048"),
    ]
    if any(total for _, total in accuracy.values()):
        share = {n: 100 * found / total for n, (found, total) in accuracy.items()}
        figures.append(Figure("extraction_cell_accuracy", share["project"], "%", command, share["naive"]))
        for name in EXTRACTORS:
            found, total = accuracy[name]
            print(f"  {name}: {found}/{total} expected numeric cells found")
    for name in EXTRACTORS:
        rejected = {Path(p).name: r for p, r in results[name]["rows"].items() if isinstance(r, str)}
        if rejected:
            print(f"  {name} rejected: {rejected}")
    truth = truth_accuracy(workers)
    if truth is not None:
        figures.append(Figure("extraction_truth_cell_accuracy", truth, "%", command, None, ">= 99.5"))
    return figures


def truth_accuracy(workers: int) -> float | None:
    """Cell accuracy against the hand-checked truth (tests/truth/real_wide): its files of
    ../shared/real-wide through the whole pipeline, each figure looked up in the marts."""
    from extractors.evaluation.accuracy import measure as measure_accuracy
    from extractors.evaluation.accuracy import truth_sources
    from extractors.pipeline import run

    if not REAL_WIDE_DIR.is_dir() or not any(TRUTH_DIR.glob("*.yml")):
        return None
    files = truth_sources(TRUTH_DIR, REAL_WIDE_DIR)
    with tempfile.TemporaryDirectory(prefix="bench-truth-") as tmp:
        warehouse = Path(tmp) / "w.duckdb"
        run(files, warehouse, workers=workers)
        result = measure_accuracy(TRUTH_DIR, warehouse)
    worst = min((d.rate for d in result.documents if d.rate is not None), default=None)
    print(f"  hand-checked truth: {len(result.documents)} documents, {result.exact}/{result.total} figures "
          f"exact ({100 * result.rate:.2f} %), lowest document {100 * worst:.2f} %")
    return float(100 * result.rate)

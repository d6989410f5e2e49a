"""End to end on generated text PDFs: archive folder → extract → load → dbt → validate → result marts.

The corpus is written by the generator before this section's process starts (so the generator's memory is
not counted as a worker's). The baseline is naive single-process pdfplumber ``extract_tables`` on the
first documents of the same corpus, in the same run: what a script without the project would manage,
before loading or checking anything.
"""

from __future__ import annotations

import shlex
import subprocess
import sys
import time
from pathlib import Path

from bench.extraction import naive_rows, page_count
from bench.figures import PYTHON, REPO, Figure, bench_command, cpu_seconds, peak_rss_mib, say

# pipeline.run's progress messages that open each step, and the step's name in the figures
STEPS = (("extracting", "extract"), ("loading", "load"), ("building marts", "transform"),
         ("validating", "validate"), ("building result marts", "finalize"),
         ("writing the evidence site", "evidence"))
EVIDENCE_SHARE_TARGET = 0.10  # the evidence site (and the run's alert) within 10 % of the run's time
FULL_RUN_TARGET_SECONDS = 30 * 60
FULL_RUN_DOCUMENTS = 10_000


def generator_command(documents: int, seed: int, workers: int, out: Path) -> list[str]:
    return [PYTHON, "-m", "extractors.generator", "corpus", "--n", str(documents), "--seed", str(seed),
            "--format", "pdf", "--workers", str(workers), "--out", str(out)]


def write_corpus(documents: int, seed: int, workers: int, out: Path) -> None:
    say(f"end to end: generating {documents} PDF documents: "
        f"{shlex.join(generator_command(documents, seed, workers, out))}")
    # the generator reports progress on stdout; here it is progress, so it goes to stderr
    subprocess.run(generator_command(documents, seed, workers, out), check=True, cwd=REPO,
                   stdout=sys.__stderr__)


def _step(message: str) -> str | None:
    return next((name for prefix, name in STEPS if message.startswith(prefix)), None)


def measure(corpus: Path, work: Path, workers: int, naive_documents: int, documents: int, seed: int
            ) -> list[Figure]:
    from extractors.pipeline import run

    pdfs = sorted(corpus.rglob("*.pdf"))
    pages = sum(page_count(p) for p in pdfs)
    sample = pdfs[:naive_documents]
    sample_pages = sum(page_count(p) for p in sample)
    say(f"end to end: naive pdfplumber on {len(sample)} documents ({sample_pages} pages), one process")
    start = time.perf_counter()
    for path in sample:
        naive_rows(path)
    naive_seconds = time.perf_counter() - start

    warehouse = work / "warehouse.duckdb"
    marks: list[tuple[float, str]] = []
    started, cpu_started = time.perf_counter(), cpu_seconds()

    def progress(message: str) -> None:
        now = time.perf_counter() - started
        if message.startswith("  ["):  # one line per document: show every 50th
            index = message.strip()[1:].split("/")[0]
            if index.isdigit() and int(index) % 50 == 0:
                say(f"end to end {now:7.1f} s {message.strip()}")
            return
        marks.append((now, message))
        say(f"end to end {now:7.1f} s {message}")

    summary = run([corpus], warehouse, work_dir=work / "run", workers=workers, progress=progress)
    seconds = time.perf_counter() - started
    cpu = cpu_seconds() - cpu_started
    own_mib, worker_mib = peak_rss_mib()
    step_seconds: dict[str, float] = {}
    for (at, message), (until, _) in zip(marks, [*marks[1:], (seconds, "")], strict=True):
        if name := _step(message):
            step_seconds[name] = step_seconds.get(name, 0.0) + until - at

    command = bench_command("--only", "e2e", "--documents", documents, "--workers", workers, "--seed", seed)
    naive_pages_per_second = sample_pages / naive_seconds
    naive_documents_per_minute = len(sample) / naive_seconds * 60
    print(f"\n== end to end: {len(pdfs)} generated PDFs, {pages} pages, {workers} workers: {seconds:.1f} s; "
          f"{summary.cells} cells, validation: {summary.validation}")
    print("   steps: " + ", ".join(f"{name} {s:.1f} s" for name, s in step_seconds.items()))
    full = documents >= FULL_RUN_DOCUMENTS
    figures = [
        Figure("e2e_pages_per_second", pages / seconds, "pages/s", command, naive_pages_per_second, ">= 150"),
        Figure("e2e_pages_per_cpu_second", pages / cpu, "pages/cpu-s", command, naive_pages_per_second),
        Figure("e2e_documents_per_minute", len(pdfs) / seconds * 60, "documents/min", command,
               naive_documents_per_minute),
        Figure(f"e2e_seconds_{len(pdfs)}_documents", seconds, "s", command,
               target=f"< {FULL_RUN_TARGET_SECONDS}" if full else None),
        Figure("e2e_peak_memory_per_worker", worker_mib, "MiB", command, target="< 2048"),
        Figure("e2e_peak_memory_main_process", own_mib, "MiB", command, target="< 2048"),
    ]
    if "extract" in step_seconds:
        per_core = pages / step_seconds["extract"] / workers
        figures.append(Figure("e2e_extract_pages_per_second_per_core", per_core, "pages/s/core", command,
                              naive_pages_per_second))
    figures += [Figure(f"e2e_step_seconds_{name}", s, "s", command) for name, s in step_seconds.items()]
    if "evidence" in step_seconds:
        figures.append(Figure("e2e_evidence_share_of_run", step_seconds["evidence"] / seconds, "of the run",
                              command, target=f"<= {EVIDENCE_SHARE_TARGET}"))
    return figures

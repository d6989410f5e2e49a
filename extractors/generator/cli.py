"""Command line: demo samples, scale corpora and mutation corpora, each file with its sidecar.

python -m extractors.generator samples --out DIR
python -m extractors.generator corpus --n 1000 --seed 7 --format pdf --out DIR
python -m extractors.generator mutations --n 200 --seed 7 --out DIR
python -m extractors.generator hostile --out DIR     files crafted to be rejected (expected codes: stdout)
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from extractors.generator.mutate import mutate
from extractors.generator.render import FORMATS, PDF_LAYOUTS, render
from extractors.generator.seeds import seed_specs
from extractors.generator.spec import SpecError
from extractors.generator.synthesize import iter_corpus, iter_corpus_keys, synthesize

SAMPLE_FORMATS = ("text", "pdf", "xlsx", "html")
# Synthetic departments of the seeds' two districts; 审计局 2023 is the prior year of 审计局 2024.
SAMPLE_SYNTHETIC = (
    ("綦江区", "审计局", 2024, "budget"),
    ("綦江区", "审计局", 2023, "budget"),
    ("潼南区", "财政局", 2022, "budget"),
    ("潼南区", "财政局", 2021, "final_account"),
)
SAMPLE_SEED = 2024
FILES_PER_FOLDER = 1000
BATCH = 20  # documents per worker task


def write_samples(out: Path) -> list[Path]:
    """Both seed-figure documents and the synthetic ones, one folder per format."""
    specs = seed_specs() + [synthesize(SAMPLE_SEED, *key) for key in SAMPLE_SYNTHETIC]
    return [render(spec, fmt, out / fmt) for fmt in SAMPLE_FORMATS for spec in specs]


def _pdf_pages(path: Path) -> int:
    import pypdfium2

    with pypdfium2.PdfDocument(path) as pdf:
        return len(pdf)


def _render_batch(
    keys: list[tuple[int, tuple[str, str, int, str]]], seed: int, fmt: str, out: Path, layout: str | None
) -> tuple[int, int]:
    """Render numbered corpus documents; (documents, PDF pages) written. Runs in a worker process."""
    pages = 0
    for i, key in keys:
        spec = synthesize(seed, *key)
        options: dict[str, Any] = {}
        if fmt == "pdf":
            options["layout"] = layout or PDF_LAYOUTS[i % len(PDF_LAYOUTS)]
        path = render(spec, fmt, out / f"{i // FILES_PER_FOLDER:04d}", stem=f"{i:06d}_{spec.slug}", **options)
        if fmt == "pdf":
            pages += _pdf_pages(path)
    return len(keys), pages


def write_corpus(
    n: int, seed: int, fmt: str, out: Path, layout: str | None, every: int, workers: int = 1
) -> dict[str, float]:
    """``n`` synthetic documents rendered by ``workers`` processes (same files whatever the count);
    a progress line to stderr every ``every`` documents."""
    keys = list(enumerate(iter_corpus_keys(n, seed)))
    size = max(1, min(BATCH, every))  # progress is reported per finished batch
    batches = [keys[i : i + size] for i in range(0, n, size)]
    started = time.perf_counter()
    done = pages = reported = 0
    with ProcessPoolExecutor(workers) as pool:
        futures = [pool.submit(_render_batch, b, seed, fmt, out, layout) for b in batches]
        for future in futures:
            count, batch_pages = future.result()
            done, pages = done + count, pages + batch_pages
            if done - reported >= every or done == n:
                reported = done
                elapsed = time.perf_counter() - started
                rate = f", {pages / elapsed:.1f} pages/s" if fmt == "pdf" else ""
                print(
                    f"{done}/{n} documents, {elapsed:.1f} s, {done / elapsed:.1f} docs/s{rate}",
                    file=sys.stderr,
                )
    return {"documents": n, "pages": pages, "seconds": time.perf_counter() - started}


def write_mutations(n: int, seed: int, out: Path, fmt: str) -> list[Path]:
    """``n`` documents each carrying one mutation, recorded under ``mutation`` in its sidecar."""
    rng = random.Random(seed)
    paths = []
    for i, spec in enumerate(iter_corpus(n, seed)):
        mutated, record = mutate(spec, rng)
        paths.append(
            render(
                mutated, fmt, out, stem=f"{i:06d}_{spec.slug}", sidecar_extra={"mutation": record.as_dict()}
            )
        )
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m extractors.generator",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    samples = sub.add_parser(
        "samples", help="demo samples: seed-figure and synthetic documents in all formats"
    )
    samples.add_argument("--out", type=Path, required=True)
    corpus = sub.add_parser("corpus", help="a corpus of consistent synthetic documents")
    corpus.add_argument("--n", type=int, required=True)
    corpus.add_argument("--seed", type=int, default=7)
    corpus.add_argument("--format", choices=FORMATS, default="pdf")
    corpus.add_argument("--layout", choices=PDF_LAYOUTS, help="PDF layout (default: all layouts in turn)")
    corpus.add_argument("--progress-every", type=int, default=100)
    corpus.add_argument("--workers", type=int, default=1, help="processes rendering in parallel")
    corpus.add_argument("--out", type=Path, required=True)
    mutations = sub.add_parser("mutations", help="documents each with one mutated cell")
    mutations.add_argument("--n", type=int, required=True)
    mutations.add_argument("--seed", type=int, default=7)
    mutations.add_argument("--format", choices=FORMATS, default="text")
    mutations.add_argument("--out", type=Path, required=True)
    sub.add_parser("hostile", help="the hostile corpus and the code each file must be rejected with"
                   ).add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    try:
        if args.command == "samples":
            print(f"wrote {len(write_samples(args.out))} files to {args.out}", file=sys.stderr)
        elif args.command == "corpus":
            stats = write_corpus(
                args.n, args.seed, args.format, args.out, args.layout, args.progress_every, args.workers
            )
            summary = f"{stats['documents']:.0f} documents ({stats['pages']:.0f} pages)"
            print(f"wrote {summary} in {stats['seconds']:.1f} s", file=sys.stderr)
        elif args.command == "hostile":
            from extractors.generator.hostile import write_hostile_corpus

            for name, code in sorted(write_hostile_corpus(args.out).items()):
                print(f"{code}\t{name!r}")
        else:
            print(
                f"wrote {len(write_mutations(args.n, args.seed, args.out, args.format))} files",
                file=sys.stderr,
            )
    except SpecError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0

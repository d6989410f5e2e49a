"""Benchmarks: extraction, end to end, marts as they grow, the nightly no-op; one report, one run.

    .venv/bin/python -m bench [--only SECTION,...] [--full] [--workers N] [--documents N]
                              [--sizes N,N,...] [--delta N] [--validate-up-to N] [--keep DIR]

Sections (each in a process of its own, so its time and peak memory are its alone):

* ``extraction``: naive pdfplumber against the project's PDF reader on real and generated PDFs, and the
  cell accuracy against the hand-checked truth (``bench/extraction.py``);
* ``e2e``: generated text PDFs from archive folder to validated marts with ``pipeline.run``
  (``bench/end_to_end.py``);
* ``marts``: dbt full rebuild and validation as staged documents grow, then the incremental rebuild for a
  delta (``bench/marts.py``);
* ``nightly``: the no-op nightly run through ``budgetwh crawl`` and ``airflow dags test``
  (``bench/nightly.py``).

``--full`` is the national-scale run: 10,000 documents end to end, marts at 10k, 100k and 1M documents
and a 10k delta (hours, and tens of GB of disk). Progress goes to stderr; the report to stdout ends with
one JSON object per figure on its own line: ``name``, ``value``, ``unit``, ``baseline`` (the naive way,
same machine, same run; null where there is none), ``ratio`` (value / baseline), ``command``, and
``target`` where the project has one.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench import extraction
from bench.figures import REPO, Figure, read_figures, say, write_figures

SECTIONS = ("extraction", "e2e", "marts", "nightly")
DEFAULTS = {"documents": 500, "sizes": "1000,10000", "delta": 1000, "validate_up_to": 1000}
FULL = {"documents": 10_000, "sizes": "10000,100000,1000000", "delta": 10_000, "validate_up_to": 10_000}
MARTS_BASE_DOCUMENTS = 40


def _sizes(text: str) -> list[int]:
    try:
        sizes = sorted(int(s) for s in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--sizes wants document counts separated by commas, not {text!r}") from None
    if not sizes or sizes[0] < 1:
        raise argparse.ArgumentTypeError(f"--sizes wants positive document counts, not {text!r}")
    return sizes


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--only", default=",".join(SECTIONS),
                        help=f"sections to run, comma-separated (default: all of {', '.join(SECTIONS)})")
    parser.add_argument("--full", action="store_true", help="the national-scale sizes (hours)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--seed", type=int, default=1, help="generator seed of the end-to-end corpus")
    parser.add_argument("--documents", type=int, help=f"end-to-end corpus size (default "
                        f"{DEFAULTS['documents']}; --full {FULL['documents']})")
    parser.add_argument("--corpus", type=Path, help="e2e: keep the generated corpus in this folder and reuse "
                        "it when it already holds PDFs (generating 10,000 takes ~15 min of both cores)")
    parser.add_argument("--naive-documents", type=int, default=10,
                        help="documents of the corpus the naive baseline reads (default 10)")
    parser.add_argument("--sizes", type=_sizes, help="marts sizes in documents "
                        f"(default {DEFAULTS['sizes']}; --full {FULL['sizes']})")
    parser.add_argument("--delta", type=int, help="new documents for the incremental rebuild "
                        f"(default {DEFAULTS['delta']}; --full {FULL['delta']})")
    parser.add_argument("--validate-up-to", type=int, help="validate only marts up to this many documents "
                        f"(default {DEFAULTS['validate_up_to']}; --full {FULL['validate_up_to']})")
    parser.add_argument("--no-airflow", action="store_true", help="nightly: skip the Airflow no-op")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="work in DIR and keep it (corpora, the "
                        "marts' warehouse in DIR/marts/marts.duckdb) instead of a temporary folder")
    parser.add_argument("--real", type=Path, nargs="+", default=list(extraction.REAL_DIRS),
                        help="folders of real PDFs (default ../shared/real and ../shared/real-wide, where "
                        "present)")
    parser.add_argument("--no-generated", action="store_true", help="extraction: real PDFs only")
    parser.add_argument("--child", choices=extraction.EXTRACTORS, help=argparse.SUPPRESS)
    parser.add_argument("--section", choices=SECTIONS, help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("paths", nargs="*", type=Path, help=argparse.SUPPRESS)
    return parser


def resolve(args: argparse.Namespace) -> argparse.Namespace:
    """Fill the size options from the default or ``--full`` set; an explicit option wins."""
    preset = FULL if args.full else DEFAULTS
    for key, value in preset.items():
        if getattr(args, key) is None:
            setattr(args, key, _sizes(value) if key == "sizes" else value)
    unknown = set(args.only.split(",")) - set(SECTIONS)
    if unknown:
        raise SystemExit(f"unknown section(s) {', '.join(sorted(unknown))}; known: {', '.join(SECTIONS)}")
    return args


def run_section(args: argparse.Namespace) -> list[Figure]:
    """One section, in this process."""
    work = args.work / args.section
    work.mkdir(parents=True, exist_ok=True)
    if args.section == "extraction":
        return extraction.measure(args.workers, tuple(args.real), not args.no_generated)
    if args.section == "e2e":
        from bench.end_to_end import measure

        return measure(args.corpus or args.work / "corpus", work, args.workers, args.naive_documents,
                       args.documents, args.seed)
    if args.section == "marts":
        from bench.marts import measure

        return measure(marts_base(args), work, args.sizes, args.delta, args.validate_up_to)
    from bench.nightly import measure_airflow, measure_cli

    figures = measure_cli(work / "cli")
    return figures if args.no_airflow else figures + measure_airflow(work / "airflow")


def marts_base(args: argparse.Namespace) -> Path:
    """The end-to-end section's warehouse, or (that section not run) one built from a small corpus."""
    from bench.end_to_end import write_corpus
    from extractors.pipeline import run

    e2e = args.work / "e2e" / "warehouse.duckdb"
    if e2e.exists():
        return e2e
    corpus, warehouse = args.work / "marts-corpus", args.work / "marts-base.duckdb"
    write_corpus(MARTS_BASE_DOCUMENTS, args.seed, args.workers, corpus)
    say(f"marts: extracting the base of {MARTS_BASE_DOCUMENTS} documents")
    run([corpus], warehouse, work_dir=args.work / "marts-run", workers=args.workers)
    return warehouse


def _child_argv(args: argparse.Namespace, section: str, out: Path) -> list[str]:
    argv = [sys.executable, "-m", "bench", "--section", section, "--work", str(args.work), "--out", str(out),
            "--workers", str(args.workers), "--seed", str(args.seed), "--documents", str(args.documents),
            "--naive-documents", str(args.naive_documents), "--sizes", ",".join(map(str, args.sizes)),
            "--delta", str(args.delta), "--validate-up-to", str(args.validate_up_to),
            "--real", *map(str, args.real)]
    argv += ["--corpus", str(args.corpus)] if args.corpus else []
    return argv + [flag for flag, on in (("--no-generated", args.no_generated),
                                         ("--no-airflow", args.no_airflow)) if on]


@contextmanager
def work_folder(keep: Path | None) -> Iterator[Path]:
    """``keep`` (made if missing, left in place), or a temporary folder removed afterwards."""
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        yield keep
        return
    with tempfile.TemporaryDirectory(prefix="budgetwh-bench-") as tmp:
        yield Path(tmp)


def main(argv: list[str] | None = None) -> int:
    args = resolve(build_parser().parse_args(argv))
    if args.child:
        result = extraction.run_child(args.child, args.paths, args.workers)
        args.out.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
        return 0
    if args.section:
        write_figures(args.out, run_section(args))
        return 0

    figures: list[Figure] = []
    failed: list[str] = []
    load_before = os.getloadavg()[0]
    with work_folder(args.keep) as work:
        args.work = work
        for section in [s for s in SECTIONS if s in args.only.split(",")]:
            if section == "e2e":
                from bench.end_to_end import write_corpus

                if args.corpus and any(args.corpus.rglob("*.pdf")):
                    say(f"end to end: reusing the corpus in {args.corpus}")
                else:
                    write_corpus(args.documents, args.seed, args.workers, args.corpus or args.work / "corpus")
            say(f"section {section}")
            out = args.work / f"{section}.json"
            if subprocess.run(_child_argv(args, section, out), cwd=REPO).returncode != 0:
                failed.append(section)
                continue
            figures += read_figures(out)

    # wall-clock figures are only as good as the machine was quiet: say how busy it was
    print(f"\n== figures (ratio = value / naive baseline measured in this run); {os.cpu_count()} cores, "
          f"1-min load average {load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end")
    for f in figures:
        baseline = "" if f.baseline is None else f"  baseline {f.baseline:.2f}  ratio {f.ratio}"
        target = f"  target {f.target}" if f.target else ""
        print(f"  {f.name:48} {f.value:12.2f} {f.unit:14}{baseline}{target}")
    if failed:
        print(f"sections that failed (see stderr): {', '.join(failed)}", file=sys.stderr)
    for f in figures:
        print(f.as_json())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

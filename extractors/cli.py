"""``budgetwh``: the command line of the warehouse (CONTRACT.md, "Commands").

    budgetwh run    --input PATH... --warehouse FILE [--strict]   local documents → validated marts
    budgetwh crawl  --sources FILE  --warehouse FILE [--strict]   configured portals → validated marts
    budgetwh report DOCUMENT --warehouse FILE                     one document's findings
    budgetwh serve  --warehouse FILE [--host H] [--port N]         evidence + review (BUDGETWH_REVIEWERS)
    budgetwh demo   [--warehouse FILE]                            the embedded default, end to end
    budgetwh export --warehouse FILE --out DIR [--region R] [--department D] [--year Y]
                                                                  analyst figures as CSV and XLSX

Exit 0 when the pipeline ran, whatever the data findings; 1 with a one-line reason on stderr when it
could not run; 2 under ``--strict`` when an error-level rule failed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

EXIT_FINDINGS = 2


def _progress(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


FAILURES_SHOWN_PER_DOCUMENT = 8


def _print_summary(warehouse: Path, summary) -> None:
    """What a user wants to see after a run: what loaded, what was rejected, what does not add up."""
    import duckdb

    print(f"run {summary.run_id}: {summary.documents} document(s), {summary.tables} table(s), "
          f"{summary.cells} amount cell(s) staged")
    for path, code, message in summary.rejected:
        print(f"  rejected {path}: {code}: {message}")
    print("marts: " + ", ".join(f"{name} {count}" for name, count in summary.facts.items()))
    for test in summary.data_warnings:
        print(f"  dbt warned (published data, not the pipeline): {test}")
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        totals = con.execute(
            "select severity, count(*) filter (where passed), count(*) filter (where not passed) "
            "from marts.fct_reconciliation_result where run_id = ? group by severity order by severity",
            [summary.run_id]).fetchall()
        failures = con.execute(
            """select d.document_id, d.department_name, d.fiscal_year, d.document_type, d.file_type,
                      d.quality_status, r.rule_id, r.severity, r.table_type, r.subject_code, r.fiscal_year,
                      r.expected_amount, r.actual_amount, r.difference, r.page, r.message, r.hint
               from marts.fct_reconciliation_result r
               join marts.dim_document d using (document_id)
               where r.run_id = ? and not r.passed
               order by d.department_name, d.fiscal_year, d.document_id, r.severity, r.rule_id,
                        r.table_type, r.subject_code""",
            [summary.run_id]).fetchall()
    finally:
        con.close()
    for severity, passed, failed in totals:
        print(f"rules ({severity}): {passed} passed, {failed} failed")
    if getattr(summary, "evidence", None):
        print(f"evidence: {summary.evidence.path / 'index.html'} ({summary.evidence.seconds:.1f} s)")
    if getattr(summary, "alerts", None):
        print(summary.alerts)
    shown: dict[str, int] = {}
    for (doc_id, dept, doc_year, doc_type, file_type, quality, rule, severity, table, code, year,
         expected, actual, diff, page, message, hint) in failures:
        if doc_id not in shown:
            count = sum(1 for f in failures if f[0] == doc_id)
            print(f"\n{dept} {doc_year} {doc_type} ({file_type}, {doc_id}): {quality}, {count} finding(s)")
            shown[doc_id] = 0
        shown[doc_id] += 1
        if shown[doc_id] > FAILURES_SHOWN_PER_DOCUMENT:
            if shown[doc_id] == FAILURES_SHOWN_PER_DOCUMENT + 1:
                print(f"  … the rest: budgetwh report {doc_id} --warehouse {warehouse}")
            continue
        where = " ".join(str(x) for x in (table, code, year) if x) + (f" p.{page}" if page else "")
        print(f"  {severity:7} {rule} {where}: expected {expected}, actual {actual}, difference {diff}")
        print(f"          {message}")
        if hint:
            print(f"          hint: {hint}")


def _finish(warehouse: Path, summary, strict: bool) -> int:
    _print_summary(warehouse, summary)
    errors = getattr(summary.validation, "errors", 0)
    if strict and errors:
        print(f"--strict: {errors} error-level rule failure(s)", file=sys.stderr)
        return EXIT_FINDINGS
    return 0


def cmd_run(args) -> int:
    from extractors.pipeline import run

    summary = run(args.input, args.warehouse, workers=args.workers, progress=_progress)
    return _finish(args.warehouse, summary, args.strict)


def _crawl_and_run(sources: Path, warehouse: Path, archive: Path, args, variables=None) -> int:
    from extractors.crawl import crawl
    from extractors.pipeline import InputDocument, run

    crawled = crawl(sources, warehouse, archive, variables, progress=_progress)
    print(f"crawl: {crawled}")
    for error in crawled.errors:
        print(f"  {error.code} {error.url}: {error.message}")
    if not crawled.new_files:
        print("crawl: nothing new or changed; marts unchanged")
        return 0
    documents = [InputDocument(f.path, f.source_url, f.metadata) for f in crawled.new_files]
    summary = run(documents, warehouse, workers=args.workers, progress=_progress)
    return _finish(warehouse, summary, args.strict)


def cmd_crawl(args) -> int:
    archive = args.archive or args.warehouse.parent / "archive"
    return _crawl_and_run(args.sources, args.warehouse, archive, args)


def cmd_report(args) -> int:
    from expectations.report import report

    print(report(args.warehouse, args.document))
    return 0


def cmd_demo(args) -> int:
    """The embedded default: the bundled sample portal on 127.0.0.1, crawled and ingested."""
    from extractors.portal import SOURCES, local_sample
    from extractors.portal.generated import generated_disclosures

    archive = args.archive or args.warehouse.parent / "archive"
    with tempfile.TemporaryDirectory(prefix="budgetwh-portal-") as tmp:
        disclosures = generated_disclosures(Path(tmp) / "documents")
        with local_sample(Path(tmp), disclosures=disclosures) as variables:
            _progress(f"sample portal with {len(disclosures)} disclosure(s) on 127.0.0.1:{variables['port']}")
            code = _crawl_and_run(SOURCES, args.warehouse, archive, args, variables)
    print(f"warehouse: {args.warehouse}   archive: {archive}")
    return code


def cmd_serve(args) -> int:
    from expectations.evidence import build_site, evidence_dir
    from extractors.serve import reviewers, serve

    if not (evidence_dir(args.warehouse) / "index.html").exists():
        build_site(args.warehouse)
    names = sorted(reviewers())
    _progress(f"evidence and review on http://{args.host}:{args.port}/ "
              f"(reviewers: {', '.join(names) if names else 'none: set BUDGETWH_REVIEWERS to review'})")
    serve(args.warehouse, args.host, args.port)
    return 0


def cmd_completeness(args) -> int:
    from extractors.evaluation.completeness import measure, render

    print(render(measure(args.warehouse), verbose=args.verbose))
    return 0


def cmd_accuracy(args) -> int:
    from extractors.evaluation.accuracy import measure, render

    print(render(measure(args.truth, args.warehouse), verbose=args.verbose))
    return 0


def cmd_export(args) -> int:
    from extractors.export import export

    done = export(args.warehouse, args.out, region=args.region, department=args.department, year=args.year)
    print(f"{done.rows} figure(s): {done.csv_path}, {done.xlsx_path}")
    if not done.rows:
        _progress("budgetwh export: no figure matches these filters (region, department, year)")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="budgetwh", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser, warehouse_required: bool = True) -> None:
        p.add_argument("--warehouse", type=Path, required=warehouse_required,
                       default=None if warehouse_required else Path("warehouse.duckdb"))
        p.add_argument("--strict", action="store_true", help="exit 2 on any failed error-level rule")
        p.add_argument("--workers", type=int, default=None, help="extraction processes (default: cores)")

    p = sub.add_parser("run", help="ingest local documents (PDF, XLS/XLSX, HTML, text form)")
    p.add_argument("--input", type=Path, nargs="+", required=True)
    common(p)
    p.set_defaults(func=cmd_run)
    p = sub.add_parser("crawl", help="crawl the configured portals, then ingest what is new")
    p.add_argument("--sources", type=Path, required=True)
    p.add_argument("--archive", type=Path, default=None, help="raw archive (default: beside the warehouse)")
    common(p)
    p.set_defaults(func=cmd_crawl)
    p = sub.add_parser("report", help="one document's findings with page and cell references")
    p.add_argument("document", help="document_id (or a unique prefix)")
    p.add_argument("--warehouse", type=Path, required=True)
    p.set_defaults(func=cmd_report)
    p = sub.add_parser("serve", help="the evidence site with review (confirm / dismiss findings)")
    p.add_argument("--warehouse", type=Path, required=True)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.set_defaults(func=cmd_serve)
    p = sub.add_parser("completeness", help="numeric cells of table pages mapped, per document")
    p.add_argument("--warehouse", type=Path, required=True)
    p.add_argument("-v", "--verbose", action="store_true", help="every document, not only those below 100 %%")
    p.set_defaults(func=cmd_completeness)
    p = sub.add_parser("accuracy", help="exact-match rate against hand-checked truth")
    p.add_argument("--truth", type=Path, required=True, help="folder of truth YAML files (tests/truth/…)")
    p.add_argument("--warehouse", type=Path, required=True)
    p.add_argument("-v", "--verbose", action="store_true", help="list every mismatch")
    p.set_defaults(func=cmd_accuracy)
    p = sub.add_parser("demo", help="the embedded default: the bundled sample portal → warehouse.duckdb")
    p.add_argument("--archive", type=Path, default=None, help="raw archive (default: beside the warehouse)")
    common(p, warehouse_required=False)
    p.set_defaults(func=cmd_demo)
    p = sub.add_parser("export", help="analyst figures (codes, names, amounts, source page) as CSV and XLSX")
    p.add_argument("--warehouse", type=Path, required=True)
    p.add_argument("--out", type=Path, required=True, help="folder for figures.csv and figures.xlsx")
    p.add_argument("--region", help="district or county as published, e.g. 綦江区")
    p.add_argument("--department", help="a department_id, or part of the published name (城市管理局)")
    p.add_argument("--year", type=int, help="fiscal year")
    p.set_defaults(func=cmd_export)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("budgetwh: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # the contract: one line on stderr saying why it could not run
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"budgetwh: {args.command} could not run: {type(exc).__name__}: {reason}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

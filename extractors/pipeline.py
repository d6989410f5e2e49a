"""The pipeline's steps, each runnable on its own, shared by the CLI and the Airflow DAG.

    discover → extract (per document, parallel, no database) → load (one writer)
             → transform (dbt, before validation) → validate (rule catalogue + GE)
             → finalize (dbt models that depend on the results)
             → evidence (the static site of every finding, ``<warehouse>.evidence/``)
             → alert (one summary of the run's new error-level findings, linking to the site)

Extraction of one document writes its staging rows as Parquet files into a folder of its own, so many
processes (or Airflow mapped tasks) extract at once while only the loader writes to DuckDB.

``python -m extractors.pipeline STEP ...`` runs one step without Airflow.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import sys
import uuid
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from extractors.load import EXTRACTOR_VERSION, connect, load_staged, stage
from extractors.sql_files import scalar
from extractors.workers import WorkerStats


@dataclass(frozen=True)
class InputDocument:
    """One file to ingest, with where it was published (from the crawler) when known."""

    path: Path
    source_url: str | None = None
    metadata: dict | None = None
    parts: tuple[Path, ...] = ()  # further files of the same disclosure (附件2 after 附件1)


def documents_from_paths(paths: Sequence[Path]) -> list[InputDocument]:
    """Local files as documents: numbered parts of one disclosure (附件1, 附件2) become one document."""
    from extractors.extract import group_parts

    return [InputDocument(group[0], parts=tuple(group[1:])) for group in group_parts(paths)]


@dataclass
class RunSummary:
    run_id: str
    documents: int = 0
    rejected: list[tuple[str, str, str]] = field(default_factory=list)  # (path, code, message)
    tables: int = 0
    cells: int = 0
    facts: dict[str, int] = field(default_factory=dict)
    data_warnings: list[str] = field(default_factory=list)  # dbt tests the published data made warn
    validation: object | None = None  # expectations.runner.ValidationSummary
    workers: WorkerStats = field(default_factory=WorkerStats)  # what the extraction workers cost
    evidence: object | None = None  # expectations.evidence.SiteSummary: the site beside the warehouse
    alerts: object | None = None  # expectations.evidence.notify.AlertSummary: the run's new findings sent


def discover(inputs: Sequence[Path]) -> list[Path]:
    """The supported files under the given files and folders, sorted; a missing path is an error."""
    from extractors.extract import iter_input_files

    missing = [str(p) for p in inputs if not Path(p).exists()]
    if missing:
        raise FileNotFoundError(f"input not found: {', '.join(missing)}")
    return iter_input_files([Path(p) for p in inputs])


def extract_to_dir(path: Path, out_dir: Path, source_url: str | None = None,
                   metadata: dict | None = None, parts: Sequence[Path] = ()) -> str:
    """Extract one document into ``out_dir/<document_id>/*.parquet``, in this process (no limits: the
    pipeline runs it in supervised workers, ``extract_all``).

    Bad documents are recorded (status ``rejected`` with the reason), never raised.
    """
    from extractors.extract import extract_file

    return write_extraction(extract_file(Path(path), source_url=source_url, metadata=metadata,
                                         parts=[Path(p) for p in parts]), Path(out_dir))


def write_extraction(extraction, out_dir: Path) -> str:
    """An extraction's staging rows as ``out_dir/<document_id>/*.parquet``: complete or absent, never
    half-written (a run killed meanwhile leaves only finished documents, which the next run keeps)."""
    doc_id = extraction.document.document_id
    final = Path(out_dir) / doc_id
    partial = Path(out_dir) / f".{doc_id}.{os.getpid()}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    stage(extraction, partial)
    shutil.rmtree(final, ignore_errors=True)
    os.replace(partial, final)
    return doc_id


def extract_all(documents: Sequence[InputDocument], out_dir: Path, workers: int | None = None,
                progress: Callable[[int, int, Path], None] | None = None,
                stats: WorkerStats | None = None) -> list[str]:
    """Extract many documents in supervised worker processes, each document under the extraction
    limits (``extractors.workers``); returns their document ids in input order.

    A document whose folder ``out_dir`` already holds (a run killed or stalled before loading it) is
    not extracted again.
    """
    from extractors.model import document_key
    from extractors.workers import Supervisor

    out_dir.mkdir(parents=True, exist_ok=True)
    ids = [document_key(Path(d.path)) for d in documents]
    todo = [i for i, doc_id in enumerate(ids) if not (out_dir / doc_id).is_dir()]
    if todo and multiprocessing.current_process().daemon:
        # a Celery prefork worker runs the task in a daemonic process, which may start no children: the
        # mapped task extracts its document here, bounded by the task's own execution timeout
        for n, i in enumerate(todo, 1):
            doc = documents[i]
            ids[i] = extract_to_dir(doc.path, out_dir, doc.source_url, doc.metadata, doc.parts)
            if progress:
                progress(n, len(todo), Path(doc.path))
    elif todo:
        supervisor = Supervisor(out_dir, workers or min(len(todo), os.cpu_count() or 1))
        found = supervisor.run([documents[i] for i in todo], progress)
        for i, doc_id in zip(todo, found, strict=True):
            ids[i] = doc_id
        if stats is not None:
            stats.peak_rss_mb += supervisor.stats.peak_rss_mb
            stats.restarted += supervisor.stats.restarted
    return ids


def load_dir(warehouse: Path, out_dir: Path, document_ids: Iterable[str] | None = None,
             discard: bool = False) -> int:
    """Load extracted documents into the warehouse's staging schema; each document replaces its old rows.
    With ``discard``, their folders are removed once committed."""
    folders = sorted(p for p in Path(out_dir).iterdir() if p.is_dir() and not p.name.startswith("."))
    if document_ids is not None:
        wanted = set(document_ids)
        folders = [p for p in folders if p.name in wanted]
    load_staged(Path(warehouse), folders)
    for folder in folders if discard else ():
        shutil.rmtree(folder, ignore_errors=True)
    return len(folders)


def transform(warehouse: Path):
    """dbt: everything that does not depend on validation results."""
    from extractors.transform import build

    return build(Path(warehouse), exclude="tag:post_validation")


def validate(warehouse: Path, run_id: str, document_ids: Sequence[str] | None = None):
    """The rule catalogue; with ``document_ids``, only those documents and the ones their
    cross-document rules touch (the same department's adjacent years) are checked again."""
    from expectations.runner import validate as run_rules

    return run_rules(Path(warehouse), run_id=run_id, document_ids=document_ids)


VALIDATION_PRELOAD = ["great_expectations", "pandas", "duckdb"]  # what the fork server imports first


def validate_in_own_process(warehouse: Path, run_id: str, document_ids: Sequence[str] | None = None):
    """``validate`` in a child process, as an Airflow task runs it: what validation holds (Great
    Expectations, the places in Python, DuckDB's buffers) goes back to the system when it ends, instead of
    staying in this process under the result marts' build (10k documents in one process peaked at 2.4 GB;
    each step alone stays under 1.5 GB).

    The child is forked from multiprocessing's fork server, a clean process that has imported Great
    Expectations (3–4 s) once: a process that validates many times (a test worker, a long-lived service)
    pays that import once, not on every run. The child takes this process's environment and working
    directory of the moment, as a spawned one would, not the server's of when it started."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(VALIDATION_PRELOAD)
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(_validate_as, dict(os.environ), os.getcwd(), warehouse, run_id,
                           document_ids).result()


def _validate_as(environment: dict[str, str], cwd: str, warehouse: Path, run_id: str,
                 document_ids: Sequence[str] | None):
    os.environ.clear()
    os.environ.update(environment)
    os.chdir(cwd)
    return validate(warehouse, run_id, document_ids)


def finalize(warehouse: Path):
    """dbt: the models built from validation results (fct_reconciliation_result, dim_document), after the
    passing places of superseded runs are pruned (``expectations.runner.prune_superseded``)."""
    from expectations.runner import prune_superseded
    from extractors.transform import build

    prune_superseded(Path(warehouse))
    return build(Path(warehouse), select="tag:post_validation")


def evidence(warehouse: Path):
    """The evidence site of the warehouse's findings (``<warehouse>.evidence/``), after finalize; the Data
    Docs made to open offline and link into it."""
    from expectations.evidence import build_site
    from expectations.runner import data_docs_index

    return build_site(Path(warehouse), data_docs=data_docs_index(Path(warehouse)).parent)


def alert(warehouse: Path, run_id: str):
    """One summary of the run's new error-level findings on the configured channels (after evidence: the
    alert links to its pages)."""
    from expectations.evidence.notify import alert_new_findings

    return alert_new_findings(Path(warehouse), run_id)


def split_already_extracted(warehouse: Path, documents: Sequence[InputDocument]
                            ) -> tuple[list[InputDocument], list[str]]:
    """Documents whose bytes this extractor version already staged are not extracted again.

    Returns the documents still to extract and the ids of those already staged (content hash, so a
    file renamed, re-posted under a new URL or copied to another folder is recognised too).
    """
    from extractors.model import document_id_for, file_sha256

    if not Path(warehouse).exists():
        return list(documents), []
    con = connect(str(warehouse))
    try:
        staged = {row[0] for row in con.execute(
            "select sha256 from staging.documents where extractor_version = ? and status = 'loaded'",
            [EXTRACTOR_VERSION]).fetchall()}
    finally:
        con.close()
    pending, known = [], []
    for doc in documents:
        digest = file_sha256(Path(doc.path))
        if digest in staged:
            known.append(document_id_for(digest))
        else:
            pending.append(doc)
    return pending, known


def new_run_id() -> str:
    return uuid.uuid4().hex[:12]


def run(inputs: Sequence[Path | InputDocument], warehouse: Path, work_dir: Path | None = None,
        workers: int | None = None, progress: Callable[[str], None] | None = None,
        site: bool = True) -> RunSummary:
    """The whole pipeline in-process: what ``budgetwh run``/``crawl``/``demo`` and the tests use.

    ``inputs``: files and folders (expanded by ``discover``), or crawled documents with their URLs.
    Extraction writes into ``work_dir`` (default: beside the warehouse), kept until loaded: a run
    killed or stalled before then leaves the documents it finished, and the next run loads them
    instead of extracting them again. ``site=False`` leaves the evidence site out (measuring commands
    that read the warehouse only, such as ``bench.real_report``); a run's alerts are sent either way.
    """
    say = progress or (lambda _msg: None)
    warehouse = Path(warehouse)
    folders = [p for p in inputs if not isinstance(p, InputDocument)]
    documents = [d for d in inputs if isinstance(d, InputDocument)]
    documents += documents_from_paths(discover(folders)) if folders else []
    if not documents:
        raise FileNotFoundError(f"no supported documents under {', '.join(map(str, inputs)) or 'the input'}")
    run_id = new_run_id()
    summary = RunSummary(run_id=run_id)
    work_dir = Path(work_dir) if work_dir else warehouse.parent / f".{warehouse.name}.work"
    extracted = work_dir / f"extracted-v{EXTRACTOR_VERSION}"
    pending, known = split_already_extracted(warehouse, documents)
    if known:
        say(f"{len(known)} document(s) already extracted from the same bytes: not extracted again")
    ids = list(known)
    if pending:
        workers = workers or min(len(pending), os.cpu_count() or 1)
        say(f"extracting {len(pending)} document(s) with {workers} worker(s)")
        ids += extract_all(pending, extracted, workers, progress=lambda i, n, p: say(f"  [{i}/{n}] {p.name}"),
                           stats=summary.workers)
        say("loading staging")
        load_dir(warehouse, extracted, ids)
        shutil.rmtree(work_dir, ignore_errors=True)
    say("building marts (dbt)")
    summary.data_warnings += transform(warehouse).warned_tests
    say("validating (rule catalogue + Great Expectations)")
    summary.validation = validate_in_own_process(warehouse, run_id, ids)
    say("building result marts (dbt)")
    summary.data_warnings += finalize(warehouse).warned_tests
    if site:
        say("writing the evidence site")
        summary.evidence = evidence(warehouse)
    summary.alerts = alert(warehouse, run_id)
    _count(warehouse, ids, summary)
    return summary


def _count(warehouse: Path, ids: list[str], summary: RunSummary) -> None:
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        marks = ", ".join("?" * len(ids))
        summary.documents = len(ids)
        summary.rejected = con.execute(
            f"select source_path, error_code, error_message from staging.documents "
            f"where status = 'rejected' and document_id in ({marks}) order by source_path", ids).fetchall()
        summary.tables = scalar(
            con, f"select count(*) from staging.tables where document_id in ({marks})", ids)
        summary.cells = scalar(
            con, f"select count(*) from staging.cells where amount is not null and document_id in ({marks})",
            ids)
        for (name,) in con.execute("select table_name from information_schema.tables "
                                   "where table_schema = 'marts' order by table_name").fetchall():
            summary.facts[name] = scalar(con, f"select count(*) from marts.{name}")
    finally:
        con.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m extractors.pipeline", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="step", required=True)
    p = sub.add_parser("extract", help="extract documents into a folder of Parquet staging rows")
    p.add_argument("--input", nargs="+", type=Path, required=True)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--workers", type=int)
    p = sub.add_parser("load", help="load an extraction folder into the warehouse")
    p.add_argument("--dir", type=Path, required=True)
    p.add_argument("--warehouse", type=Path, required=True)
    for step in ("transform", "finalize"):
        sub.add_parser(step, help=f"dbt {step}").add_argument("--warehouse", type=Path, required=True)
    p = sub.add_parser("validate", help="run the rule catalogue")
    p.add_argument("--warehouse", type=Path, required=True)
    p.add_argument("--run-id", default=None)
    p.add_argument("--document", action="append", default=None, help="check only these (repeatable)")
    args = parser.parse_args(argv)
    if args.step == "extract":
        ids = extract_all(documents_from_paths(discover(args.input)), args.out, args.workers)
        print(f"extracted {len(ids)} document(s) into {args.out}")
    elif args.step == "load":
        print(f"loaded {load_dir(args.warehouse, args.dir)} document(s)")
    elif args.step == "transform":
        transform(args.warehouse)
    elif args.step == "finalize":
        finalize(args.warehouse)
    else:
        print(validate(args.warehouse, args.run_id or new_run_id(), args.document))
    return 0


if __name__ == "__main__":
    sys.exit(main())

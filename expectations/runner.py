"""Run the rule catalogue on a warehouse: DuckDB computes, Great Expectations judges, reports and alerts.

DuckDB computes every rule (``rules/*.sql`` over the dbt models and staging, ``views.sql``);
``places`` makes each row a place with its difference, rounding tolerance and hint; ``judge`` hands
the compact frame to GX, whose checkpoints rebuild the Data Docs site; ``results`` writes every place to
``validation.rule_results`` under the run id. The run's alert comes after the marts and the evidence site
(``expectations.evidence.notify``).

How much a run holds at once is ``ValidationSettings`` (``extractors.orchestration_config``, from the
environment): beyond ``one_pass_documents`` documents the places are computed a batch of
``batch_documents`` at a time (a department's years together) and made and stored ``chunk_places`` at
a time, so memory is one batch's in DuckDB and one chunk's in Python, however large the run and the
warehouse (10,000 documents at once took 11 GB); there only the failures are kept, a place fails when
its excess is positive, and GX, judging the compact frame, must agree.

A nightly run loads a small delta into a large warehouse: ``validate(..., document_ids=...)`` checks
those documents and the ones whose findings they change, and reads only what those rules read
(``scope.sql``); the other documents keep the findings of their last run.

``python -m expectations.runner WAREHOUSE`` validates without the rest of the pipeline.
"""

from __future__ import annotations

import argparse
import sys
import uuid
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from expectations.catalogue import SCOPE_SQL, VIEWS_SQL, Rule, load_rules
from expectations.judge import compact, data_docs_index, gx_root_for, judge, summary_rows, tally
from expectations.places import PLACE_COLUMNS, ValidationError, evaluate, place_chunks
from expectations.results import forget_run, prune_superseded, store
from extractors.load import connect
from extractors.orchestration_config import ValidationSettings, validation_settings
from extractors.sql_files import execute, named_sql, scalar
from extractors.transform import project_vars

__all__ = ["ValidationError", "ValidationSummary", "data_docs_index", "gx_root_for", "main",
           "prepare_rules", "prune_superseded", "validate"]

REFERENCE_DIR = Path(__file__).with_name("reference")
REQUIRED_RELATIONS = ("intermediate.int_cell_amounts", "staging.documents", "staging.tables",
                      "staging.narrative_figures")
SCOPED_RELATIONS = ("intermediate.int_documents",)


@dataclass
class ValidationSummary:
    run_id: str
    rules: int
    checked: int
    failed: int
    errors: int  # failed places of error-level rules
    warnings: int  # failed places of warning-level rules
    data_docs: Path | None
    results: pd.DataFrame = field(repr=False)
    scope: frozenset[str] | None = None  # the documents checked; None: every document

    def __str__(self) -> str:
        checked = "" if self.scope is None else f" of {len(self.scope)} document(s)"
        return (f"validation {self.run_id}{checked}: {self.rules} rules, {self.checked} places checked, "
                f"{self.errors} error(s), {self.warnings} warning(s)")


def validate(warehouse: Path, run_id: str | None = None,
             document_ids: Collection[str] | None = None) -> ValidationSummary:
    """Check every rule at every place, let GX judge and report, store all places under ``run_id``.

    ``document_ids``: check only these documents and those whose findings they change (``scope.sql``);
    ``None`` checks every document. Rules about no single document are checked in either case.
    """
    warehouse = Path(warehouse)
    run_id = run_id or uuid.uuid4().hex[:12]
    settings = validation_settings()
    rules = load_rules()
    con = connect(str(warehouse))
    try:
        scope = _prepare(con, document_ids)
        batches = _validation_batches(con, scope is not None, settings)
        if batches is None:
            con.execute(VIEWS_SQL.read_text(encoding="utf-8"))
            frame = evaluate(con, rules, scope is not None, settings.chunk_places)
            checked = len(frame)
            per_document = frame["document_id"].nunique() <= settings.per_document_pages_limit
            judged = frame if per_document else compact(frame, frame["excess"] > 0)
            failed_rows = judge(judged, rules, gx_root_for(warehouse), run_id, per_document,
                                settings.per_document_pages_limit)
            frame["passed"] = ~frame["row_id"].isin(failed_rows)
            store(con, frame, run_id)
        else:
            frame, checked = _validate_in_batches(con, rules, batches, gx_root_for(warehouse), run_id,
                                                  settings)
    finally:
        con.close()
    failed = frame[~frame["passed"]]
    return ValidationSummary(
        run_id=run_id, rules=len(rules), checked=checked, failed=len(failed),
        errors=int((failed["severity"] == "error").sum()),
        warnings=int((failed["severity"] == "warning").sum()),
        data_docs=data_docs_index(warehouse) if data_docs_index(warehouse).exists() else None, results=frame,
        scope=scope)


def _validation_batches(con: duckdb.DuckDBPyConnection, scoped: bool,
                        settings: ValidationSettings) -> list[list[str]] | None:
    """The run's documents in batches of ``batch_documents``, a department's years together (their rules
    read each other); None: one pass (up to ``one_pass_documents``, or no ``int_documents`` to batch by)."""
    count = scalar(con, "select count(*) from scope_documents")
    has_documents_model = scalar(con, "select count(*) from information_schema.tables "
                                      "where table_schema = 'intermediate' and table_name = 'int_documents'")
    if count <= settings.one_pass_documents or not has_documents_model:
        return None
    ids = [d for (d,) in con.execute("""
        select s.document_id from scope_documents as s
        left join intermediate.int_documents as d using (document_id)
        order by d.department_id, d.document_type, d.fiscal_year, s.document_id""").fetchall()]
    # the scope's names become the batch's tables: drop the run-wide ones (views for a full run)
    kind = "table" if scoped else "view"
    con.execute(f"drop {kind} if exists scope_documents; drop {kind} if exists input_documents")
    execute(con, named_sql(SCOPE_SQL)["near"])
    size = settings.batch_documents
    return [ids[i:i + size] for i in range(0, len(ids), size)]


def _validate_in_batches(con: duckdb.DuckDBPyConnection, rules: tuple[Rule, ...], batches: list[list[str]],
                         gx_root: Path, run_id: str,
                         settings: ValidationSettings) -> tuple[pd.DataFrame, int]:
    """Check one batch of documents at a time, and store and forget its places a chunk at a time, so
    memory stays that of one batch in DuckDB and of one chunk (``chunk_places``) in Python.

    Each batch reads its documents and their department's neighbours two years either side (what the
    cross-document rules read, ``scope.sql``); rules about no single document run with the first
    batch. A place passes when its excess over the tolerance is not positive; GX then judges the compact
    frame (every failed place, one summary row per rule for the rest) and must agree. Returns the failed
    places and the number of places checked.
    """
    forget_run(con, run_id)
    failures: list[pd.DataFrame] = []
    within: dict[str, list] = {}  # see judge.tally
    checked = 0
    writer = con.cursor()  # stores a chunk while con streams the rule's next one
    try:
        for number, ids in enumerate(batches):
            execute(con, named_sql(SCOPE_SQL)["batch"], {"ids": ids})
            con.execute(VIEWS_SQL.read_text(encoding="utf-8"))
            chunks = place_chunks(con, rules, True, settings.chunk_places, documentless=number == 0,
                                  first_row_id=checked)
            for frame in chunks:
                checked += len(frame)
                over = frame["excess"] > 0
                frame["passed"] = ~over
                store(writer, frame, run_id, replace=False)
                failures.append(frame[over])
                tally(within, frame[~over])
    finally:
        writer.close()
    failed = pd.concat(failures, ignore_index=True) if failures else \
        pd.DataFrame(columns=[*PLACE_COLUMNS, "row_id", "passed"])
    judged = pd.concat([failed.drop(columns="passed"), summary_rows(within)], ignore_index=True)
    failed_rows = judge(judged, rules, gx_root, run_id, False, settings.per_document_pages_limit)
    if failed_rows != set(failed["row_id"]):
        raise ValidationError(f"GX and the tolerance disagree on {len(failed_rows ^ set(failed['row_id']))} "
                              "place(s)")
    return failed, checked


def prepare_rules(con: duckdb.DuckDBPyConnection, document_ids: Collection[str]) -> frozenset[str]:
    """Make ``con`` ready to run the rules' SQL over ``document_ids`` as a validation run does (scope,
    reference tables, shared views): the evidence site re-reads the failing rules' rows this way."""
    scope = _prepare(con, document_ids)
    assert scope is not None, "a run over given documents has a scope"
    con.execute(VIEWS_SQL.read_text(encoding="utf-8"))
    return scope


def _prepare(con: duckdb.DuckDBPyConnection, document_ids: Collection[str] | None) -> frozenset[str] | None:
    """Reference tables, the run's scope and the shared views; returns the documents checked (None: all)."""
    present = {f"{s}.{t}" for s, t in con.execute(
        "select table_schema, table_name from information_schema.tables").fetchall()}
    required = REQUIRED_RELATIONS + (SCOPED_RELATIONS if document_ids is not None else ())
    missing = [r for r in required if r not in present]
    if missing:
        raise ValidationError(f"warehouse lacks {', '.join(missing)}: build the dbt models before validating")
    scope = None if document_ids is None else _scope(con, document_ids)
    if scope is None:
        execute(con, named_sql(SCOPE_SQL)["all"])
    for csv in sorted(REFERENCE_DIR.glob("*.csv")):
        con.execute(f"create or replace temp table ref_{csv.stem} as "
                    "select * from read_csv(?, header = true, all_varchar = true)", [str(csv)])
    _project_references(con)
    return scope


def _project_references(con: duckdb.DuckDBPyConnection) -> None:
    """The facts dbt and the rules share, from the dbt project's vars: ``ref_table_types`` (family,
    table_type: ``<family>_table_types``) and ``ref_income_sources`` (the CONTRACT keys, in order)."""
    project = project_vars()
    families = [(name.removesuffix("_table_types"), table_type) for name, types in project.items()
                if name.endswith("_table_types") for table_type in types]
    con.execute("create or replace temp table ref_table_types as "
                "select unnest($families) as family, unnest($types) as table_type",
                {"families": [f for f, _ in families], "types": [t for _, t in families]})
    con.execute("create or replace temp table ref_income_sources as "
                "select unnest($keys) as income_source, generate_subscripts($keys, 1) as position",
                {"keys": list(project["income_sources"])})


def _scope(con: duckdb.DuckDBPyConnection, document_ids: Collection[str]) -> frozenset[str]:
    if isinstance(document_ids, str):  # a str is a Collection[str] of its characters
        raise TypeError(f"document_ids must be a collection of document ids, not the string {document_ids!r}")
    execute(con, named_sql(SCOPE_SQL)["changed"], {"ids": list(document_ids)})
    unknown = [d for (d,) in con.execute(
        "select document_id from changed_documents where document_id not in "
        "(select document_id from staging.documents) order by document_id").fetchall()]
    if unknown:
        shown = ", ".join(unknown[:5]) + (f" and {len(unknown) - 5} more" if len(unknown) > 5 else "")
        raise ValidationError(f"{len(unknown)} document id(s) not in staging.documents: {shown}")
    execute(con, named_sql(SCOPE_SQL)["near"])
    execute(con, named_sql(SCOPE_SQL)["changed_scope"])
    return frozenset(d for (d,) in con.execute("select document_id from scope_documents").fetchall())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m expectations.runner", description=__doc__.split("\n")[0])
    parser.add_argument("warehouse", type=Path)
    parser.add_argument("--run-id")
    parser.add_argument("--document", action="append", dest="documents", metavar="DOCUMENT_ID",
                        help="check only this document and those whose findings it changes (repeatable)")
    args = parser.parse_args(argv)
    if not args.warehouse.exists():
        print(f"warehouse not found: {args.warehouse}", file=sys.stderr)
        return 1
    try:
        summary = validate(args.warehouse, args.run_id, args.documents)
    except ValidationError as e:
        print(str(e), file=sys.stderr)
        return 1
    print(summary)
    if summary.data_docs:
        print(f"data docs: {summary.data_docs}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

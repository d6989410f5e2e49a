"""Run the rule catalogue on a warehouse; Great Expectations judges, reports and alerts.

DuckDB computes every rule (``rules/*.sql`` over the dbt models and staging); this module adds the
difference, the rounding tolerance 0.005·(k+1)·unit_scale of a sum of k rounded parts (XBRL
Calculations 1.1 interval rule) and a hint, then hands the compact frame (one row per place) to GX's
pandas datasource: one suite per severity, one expectation per rule (``excess_thousandths`` ≤ 0:
how far the difference goes beyond the tolerance), one checkpoint per document whose actions rebuild
the Data Docs site and send the configured alerts. The places GX marks unexpected are the failures;
every place is written to ``validation.rule_results`` under the run id.

Beyond ``BUDGETWH_GX_PER_DOCUMENT_LIMIT`` documents (default 20) one checkpoint judges the whole run,
and GX gets the compact form: every place beyond its tolerance (what its pages list) and one summary row
per rule for the places within it (their count and largest excess), not 400 rows per document. Beyond
``BUDGETWH_VALIDATE_ONE_PASS_DOCUMENTS`` documents (default 200) the places are also computed a batch of
``BUDGETWH_VALIDATE_BATCH_DOCUMENTS`` (default 500) at a time (a department's years together) and made
and stored ``BUDGETWH_VALIDATE_CHUNK_PLACES`` at a time (default 20,000), so memory is one batch's in
DuckDB and one chunk's in Python, however large the run and the warehouse (10,000 documents at once took
11 GB); there only the failures are kept, a place fails when its excess is positive, and GX, judging the
compact frame, must agree.

A nightly run loads a small delta into a large warehouse: ``validate(..., document_ids=...)`` checks
those documents and the ones whose findings they change, and reads only what those rules read
(``SCOPE_SQL``); the other documents keep the findings of their last run.

``python -m expectations.runner WAREHOUSE`` validates without the rest of the pipeline.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import uuid
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")  # no usage reporting from a warehouse job

import duckdb  # noqa: E402
import pandas as pd  # noqa: E402

from expectations.alerts import PAYLOAD_FIELDS  # noqa: E402
from expectations.catalogue import RESULT_COLUMNS, VIEWS_SQL, Rule, load_rules  # noqa: E402
from expectations.hints import CENT, Part, infer_hint  # noqa: E402
from extractors.load import connect  # noqa: E402

REFERENCE_DIR = Path(__file__).with_name("reference")
HALF_CENT = Decimal("0.005")
SEVERITY_IN_GX = {"error": "critical", "warning": "warning"}
DATASOURCE = "budgetwh_rule_results"
PER_DOCUMENT_PAGES_LIMIT = int(os.environ.get("BUDGETWH_GX_PER_DOCUMENT_LIMIT", "20"))
# Up to this many documents a run is checked in one pass and its places are held whole (the summary's
# results list them all): 484 documents' 218k places took such a run on 1 M documents to 1,777 MiB.
ONE_PASS_DOCUMENTS = int(os.environ.get("BUDGETWH_VALIDATE_ONE_PASS_DOCUMENTS", "200"))
# Beyond it, a run is checked in batches of this many documents (a department's years together), so
# DuckDB's work is one batch's, and only its failures are kept.
VALIDATE_BATCH_DOCUMENTS = int(os.environ.get("BUDGETWH_VALIDATE_BATCH_DOCUMENTS", "500"))
# A batch's places are made, stored and forgotten this many at a time: a batch held whole (≈ 230k places
# of 500 documents at ≈ 1.6 KB each as Python objects) took a 10k-document validation of a 1 M-document
# warehouse to 2.2 GB, beside DuckDB's own gigabyte.
CHUNK_PLACES = int(os.environ.get("BUDGETWH_VALIDATE_CHUNK_PLACES", "20000"))
REQUIRED_RELATIONS = ("intermediate.int_cell_amounts", "staging.documents", "staging.tables",
                      "staging.narrative_figures")
SCOPED_RELATIONS = ("intermediate.int_documents",)

# The documents a run checks (scope_documents) and the documents their rules read (input_documents),
# from the documents a load changed (changed_documents). A document's findings change when it changes
# or when the same department's document of the same type a year before or after does: BW-NAR-006 and
# BW-XDC-001 read the prior year's document, so a new year-N document changes year N+1's findings too.
# The year N±1 documents read their own adjacent years in turn, so the rules read two years either
# side. BW-XDC-002 reads every staged document (one row each): its gaps (document_id null) are about
# the whole warehouse, and the latest run that reports any stands for all of them.
SCOPE_SQL = """
create or replace temp macro documents_near_changed(years) as table
select d.document_id
from intermediate.int_documents as d
inner join intermediate.int_documents as c
    on d.department_id = c.department_id and d.document_type = c.document_type
    and d.fiscal_year between c.fiscal_year - years and c.fiscal_year + years
where c.document_id in (select document_id from changed_documents)
union
select document_id from changed_documents;

create or replace temp table scope_documents as select * from documents_near_changed(1);
create or replace temp table input_documents as select * from documents_near_changed(2);
"""
# A batch's inputs: its documents and their department's documents two years either side.
BATCH_INPUT_SQL = """
create or replace temp table input_documents as
select d.document_id
from intermediate.int_documents as d
inner join intermediate.int_documents as c
    on d.department_id = c.department_id and d.document_type = c.document_type
    and d.fiscal_year between c.fiscal_year - 2 and c.fiscal_year + 2
where c.document_id in (select document_id from scope_documents)
union
select document_id from scope_documents;
"""
FULL_SCOPE_SQL = """
create or replace temp view scope_documents as select document_id from staging.documents;
create or replace temp view input_documents as select document_id from staging.documents;
"""


class ValidationError(RuntimeError):
    """The catalogue cannot run on this warehouse (models missing, a rule's query broken)."""


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


def gx_root_for(warehouse: Path) -> Path:
    """The GX file context of a warehouse lives beside it, never in the repository."""
    return Path(f"{warehouse}.gx")


def data_docs_index(warehouse: Path) -> Path:
    return gx_root_for(warehouse) / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html"


def validate(warehouse: Path, run_id: str | None = None,
             document_ids: Collection[str] | None = None) -> ValidationSummary:
    """Check every rule at every place, let GX judge and report, store all places under ``run_id``.

    ``document_ids``: check only these documents and those whose findings they change (``SCOPE_SQL``);
    ``None`` checks every document. Rules about no single document are checked in either case.
    """
    warehouse = Path(warehouse)
    run_id = run_id or uuid.uuid4().hex[:12]
    rules = load_rules()
    con = connect(str(warehouse))
    try:
        scope = _prepare(con, document_ids)
        batches = _validation_batches(con, scope is not None)
        if batches is None:
            con.execute(VIEWS_SQL.read_text(encoding="utf-8"))
            frame = _evaluate(con, rules, scoped=scope is not None)
            checked = len(frame)
            documents = frame["document_id"].nunique()
            judged = frame if documents <= PER_DOCUMENT_PAGES_LIMIT else _compact(frame, frame["excess"] > 0)
            failed_rows = _judge(judged, rules, gx_root_for(warehouse), run_id,
                                 per_document=documents <= PER_DOCUMENT_PAGES_LIMIT)
            frame["passed"] = ~frame["row_id"].isin(failed_rows)
            _store(con, frame, run_id)
        else:
            frame, checked = _validate_in_batches(con, rules, batches, gx_root_for(warehouse), run_id)
    finally:
        con.close()
    failed = frame[~frame["passed"]]
    return ValidationSummary(
        run_id=run_id, rules=len(rules), checked=checked, failed=len(failed),
        errors=int((failed["severity"] == "error").sum()),
        warnings=int((failed["severity"] == "warning").sum()),
        data_docs=data_docs_index(warehouse) if data_docs_index(warehouse).exists() else None, results=frame,
        scope=scope)


def _validation_batches(con: duckdb.DuckDBPyConnection, scoped: bool) -> list[list[str]] | None:
    """The run's documents in batches of ``VALIDATE_BATCH_DOCUMENTS``, a department's years together
    (their rules read each other); None: one pass (up to ``ONE_PASS_DOCUMENTS``, or no ``int_documents``
    to batch by)."""
    count = con.execute("select count(*) from scope_documents").fetchone()[0]
    has_documents_model = con.execute(
        "select count(*) from information_schema.tables "
        "where table_schema = 'intermediate' and table_name = 'int_documents'").fetchone()[0]
    if count <= ONE_PASS_DOCUMENTS or not has_documents_model:
        return None
    ids = [d for (d,) in con.execute("""
        select s.document_id from scope_documents as s
        left join intermediate.int_documents as d using (document_id)
        order by d.department_id, d.document_type, d.fiscal_year, s.document_id""").fetchall()]
    # the scope's names become the batch's tables: drop the run-wide ones (views for a full run)
    kind = "table" if scoped else "view"
    con.execute(f"drop {kind} if exists scope_documents; drop {kind} if exists input_documents")
    return [ids[i:i + VALIDATE_BATCH_DOCUMENTS] for i in range(0, len(ids), VALIDATE_BATCH_DOCUMENTS)]


def _validate_in_batches(con: duckdb.DuckDBPyConnection, rules: tuple[Rule, ...], batches: list[list[str]],
                         gx_root: Path, run_id: str) -> tuple[pd.DataFrame, int]:
    """Check one batch of documents at a time, and store and forget its places a chunk at a time, so
    memory stays that of one batch in DuckDB and of one chunk (``CHUNK_PLACES``) in Python.

    Each batch reads its documents and their department's neighbours two years either side (what the
    cross-document rules read, as in ``SCOPE_SQL``); rules about no single document run with the first
    batch. A place passes when its excess over the tolerance is not positive; GX then judges the compact
    frame (every failed place, one summary row per rule for the rest) and must agree. Returns the failed
    places and the number of places checked.
    """
    con.execute("delete from validation.rule_results where run_id = ?", [run_id])
    failures: list[pd.DataFrame] = []
    within: dict[str, list] = {}  # see _tally
    checked = 0
    writer = con.cursor()  # stores a chunk while con streams the rule's next one
    try:
        for number, ids in enumerate(batches):
            con.execute("create or replace temp table scope_documents as "
                        "select unnest($ids::varchar[]) as document_id", {"ids": ids})
            con.execute(BATCH_INPUT_SQL)
            con.execute(VIEWS_SQL.read_text(encoding="utf-8"))
            chunks = _place_chunks(con, rules, scoped=True, documentless=number == 0, first_row_id=checked)
            for frame in chunks:
                checked += len(frame)
                over = frame["excess"] > 0
                frame["passed"] = ~over
                _store(writer, frame, run_id, replace=False)
                failures.append(frame[over])
                _tally(within, frame[~over])
    finally:
        writer.close()
    failed = pd.concat(failures, ignore_index=True) if failures else \
        pd.DataFrame(columns=[*_PLACE_COLUMNS, "row_id", "passed"])
    judged = pd.concat([failed.drop(columns="passed"), _summary_rows(within)], ignore_index=True)
    failed_rows = _judge(judged, rules, gx_root, run_id, per_document=False)
    if failed_rows != set(failed["row_id"]):
        raise ValidationError(f"GX and the tolerance disagree on {len(failed_rows ^ set(failed['row_id']))} "
                              "place(s)")
    return failed, checked


def _compact(frame: pd.DataFrame, over: pd.Series) -> pd.DataFrame:
    """What GX judges of a large run: every place beyond its tolerance (the failures its pages list) and,
    per rule, one row summarising the places within it (their count and largest excess)."""
    within: dict[str, list] = {}
    _tally(within, frame[~over])
    return pd.concat([frame[over], _summary_rows(within)], ignore_index=True)


def _tally(within: dict[str, list], places: pd.DataFrame) -> None:
    """Add places within tolerance to ``within``: rule_id → [their count, their largest excess, a row]."""
    for rule_id, rows in places.groupby("rule_id", sort=False):
        seen = within.setdefault(rule_id, [0, None, rows.iloc[0]])
        largest = rows["excess"].max()
        seen[0] += len(rows)
        seen[1] = largest if seen[1] is None else max(seen[1], largest)


def _summary_rows(within: dict[str, list]) -> pd.DataFrame:
    """One row per rule for its places within tolerance: negative row ids, so never a place's."""
    rows = []
    for number, (rule_id, (count, largest, example)) in enumerate(sorted(within.items()), 1):
        text = f"{count} place(s) within tolerance"
        rows.append({**dict.fromkeys(_PLACE_COLUMNS), "rule_id": rule_id, "rule_kind": example["rule_kind"],
                     "severity": example["severity"], "excess": largest, "message": text, "place": text,
                     "row_id": -number})
    return pd.DataFrame(rows, columns=[*_PLACE_COLUMNS, "row_id"])


# --- compute: DuckDB ------------------------------------------------------------------------------


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
        con.execute(FULL_SCOPE_SQL)
    for csv in sorted(REFERENCE_DIR.glob("*.csv")):
        con.execute(f"create or replace temp table ref_{csv.stem} as "
                    "select * from read_csv(?, header = true, all_varchar = true)", [str(csv)])
    return scope


def _scope(con: duckdb.DuckDBPyConnection, document_ids: Collection[str]) -> frozenset[str]:
    if isinstance(document_ids, str):  # a str is a Collection[str] of its characters
        raise TypeError(f"document_ids must be a collection of document ids, not the string {document_ids!r}")
    con.execute("create or replace temp table changed_documents as "
                "select distinct unnest($ids::varchar[]) as document_id", {"ids": list(document_ids)})
    unknown = [d for (d,) in con.execute(
        "select document_id from changed_documents where document_id not in "
        "(select document_id from staging.documents) order by document_id").fetchall()]
    if unknown:
        shown = ", ".join(unknown[:5]) + (f" and {len(unknown) - 5} more" if len(unknown) > 5 else "")
        raise ValidationError(f"{len(unknown)} document id(s) not in staging.documents: {shown}")
    con.execute(SCOPE_SQL)
    return frozenset(d for (d,) in con.execute("select document_id from scope_documents").fetchall())


def _unit_scales(con: duckdb.DuckDBPyConnection) -> dict[str, Decimal]:
    return {u: Decimal(s) for u, s in con.execute("select unit_name, unit_scale from ref_units").fetchall()}


def _evaluate(con: duckdb.DuckDBPyConnection, rules: tuple[Rule, ...], scoped: bool) -> pd.DataFrame:
    """Every place of every rule in one frame (a run small enough to hold whole)."""
    return pd.concat(list(_place_chunks(con, rules, scoped)), ignore_index=True)


def _place_chunks(con: duckdb.DuckDBPyConnection, rules: tuple[Rule, ...], scoped: bool,
                  documentless: bool = True, first_row_id: int = 0) -> Iterator[pd.DataFrame]:
    """Every rule's places, as frames of about ``CHUNK_PLACES`` rows, row ids numbered from ``first_row_id``.

    Each rule's result is fetched a chunk at a time, so nothing may run on ``con`` while a frame is out
    (store through another cursor)."""
    scales = _unit_scales(con)
    doubts = _doubtful_tables(con)
    records: list[dict] = []
    row_id = first_row_id
    for rule in rules:
        try:
            cursor = con.execute(_scoped_query(rule.sql, documentless) if scoped else rule.sql)
        except duckdb.Error as e:
            raise ValidationError(f"{rule.rule_id} ({rule.path.name}) failed: {e}") from e
        columns = [d[0] for d in cursor.description]
        missing = [c for c in RESULT_COLUMNS if c not in columns]
        if missing:
            raise ValidationError(f"{rule.rule_id} returns no {', '.join(missing)}")
        while rows := cursor.fetchmany(CHUNK_PLACES):
            records += [_place(rule, dict(zip(columns, values, strict=True)), scales, doubts)
                        for values in rows]
            if len(records) >= CHUNK_PLACES:
                yield _place_frame(records, row_id)
                row_id, records = row_id + len(records), []
    if records or row_id == first_row_id:
        yield _place_frame(records, row_id)


def _place_frame(records: list[dict], first_row_id: int) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(records, columns=list(_PLACE_COLUMNS))
    frame["row_id"] = range(first_row_id, first_row_id + len(frame))
    return frame


def _scoped_query(sql: str, documentless: bool = True) -> str:
    """The rule's places of the scope's documents and (``documentless``) of no single document: the rules
    read two years either side of a changed document, and the outer year's documents lack their own
    neighbours."""
    nulls = "document_id is null or " if documentless else ""
    return (f"select * from (\n{sql}\n) as places where {nulls}"
            "document_id in (select document_id from scope_documents)")


_PLACE_COLUMNS = ("rule_id", "rule_kind", "severity", "rule_severity", "doubt", "document_id", "table_type",
                  "table_index", "subject_code", "fiscal_year", "page", "expected_amount", "actual_amount",
                  "difference", "tolerance", "excess", "message", "hint", "suggested_value", "place")


def _decimal(value) -> Decimal:
    return Decimal(0) if value is None else Decimal(value)


def _parts(values) -> list[Part] | None:
    if values is None:
        return None
    return [Part(str(v["label"]), None if v["amount"] is None else Decimal(v["amount"])) for v in values]


def _doubtful_tables(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, int | None], str]:
    """(document, table index or None for the whole document) → the issue codes that make a failed check
    there an extraction doubt (views.sql ``doubtful_tables``)."""
    return {(d, t): codes for d, t, codes in con.execute(
        "select document_id, table_index, doubt from doubtful_tables").fetchall()}


def _doubt(row: dict, doubts: dict[tuple[str, int | None], str]) -> str | None:
    document = row["document_id"]
    found = [doubts.get((document, row["table_index"])), doubts.get((document, None))]
    return ",".join(sorted({c for codes in found if codes for c in codes.split(",")})) or None


def _place(rule: Rule, row: dict, scales: dict[str, Decimal],
           doubts: dict[tuple[str, int | None], str] | None = None) -> dict:
    expected, actual = _decimal(row["expected_amount"]), _decimal(row["actual_amount"])
    difference = actual - expected
    k = int(row["parts_count"] or 0)
    tolerance = HALF_CENT * (k + 1) * scales.get(row.get("unit_name") or "", Decimal(1))
    shortfall = -difference if rule.comparison == "at_least" else abs(difference)
    excess = shortfall - tolerance
    hint = None
    if excess > 0 and row.get("parts") is not None:
        total_label = f"the published {row.get('total_label') or row['subject_code'] or 'total'}"
        hint = infer_hint(expected, actual, tolerance, _parts(row["parts"]), _parts(row.get("context")),
                          total_label=total_label)
    fmt = _fmt_count if rule.unit == "count" else _fmt
    values = {
        "expected": fmt(expected), "actual": fmt(actual), "difference": fmt(difference),
        "tolerance": _fmt(tolerance), "subject_code": row["subject_code"], "fiscal_year": row["fiscal_year"],
        "table_type": row["table_type"], "detail": row.get("detail"), "parts_count": k,
    }
    # An error-level check failing where extraction did not fully recognise the table is a doubt about
    # our reading, not a defect of the publisher: judged and shown as a warning, never alerted.
    doubt = _doubt(row, doubts or {}) if rule.severity == "error" else None
    return {
        "rule_id": rule.rule_id, "rule_kind": rule.kind, "severity": "warning" if doubt else rule.severity,
        "rule_severity": rule.severity, "doubt": doubt, "document_id": row["document_id"],
        "table_type": row["table_type"], "table_index": row["table_index"],
        "subject_code": row["subject_code"], "fiscal_year": row["fiscal_year"], "page": row["page"],
        "expected_amount": expected, "actual_amount": actual, "difference": difference,
        "tolerance": tolerance, "excess": excess, "message": rule.render_message(**values),
        "hint": hint.text if hint else None, "suggested_value": hint.suggested_value if hint else None,
        "place": _place_name(row),
    }


def _fmt(x: Decimal) -> str:
    return f"{x.quantize(CENT):,}" if abs(x) >= CENT or x == 0 else f"{x.normalize()}"


def _fmt_count(x: Decimal) -> str:
    return f"{x.normalize():f}"


def _place_name(row: dict) -> str:
    table = f"table {row['table_index']}" if row["table_index"] is not None else None
    bits = [row["table_type"] or "document", table,
            row["subject_code"], str(row["fiscal_year"]) if row["fiscal_year"] else None,
            row.get("detail"), f"page {row['page']}" if row["page"] else None]
    return ", ".join(str(b) for b in bits if b)


# --- judge and report: Great Expectations ----------------------------------------------------------


def _judge(frame: pd.DataFrame, rules: tuple[Rule, ...], gx_root: Path, run_id: str,
           per_document: bool = True) -> set[int]:
    """Run one checkpoint per document (``per_document``) or one for the run over the frame; the row
    ids GX reports unexpected."""
    import great_expectations as gx
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.base import ProgressBarsConfig

    _clear_previous_results(gx_root)
    context = gx.get_context(mode="file", project_root_dir=str(gx_root))
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    context.variables.save()
    suites = _suites(context, rules)
    datasource = context.data_sources.add_or_update_pandas(DATASOURCE)
    # alerts are one summary per run of its new findings, after the marts (expectations.evidence.notify)
    actions = [gx.checkpoint.UpdateDataDocsAction(name="update_data_docs")]
    index_columns = ["row_id", "rule_id", *PAYLOAD_FIELDS]
    gx_frame = _gx_frame(frame)
    failed: set[int] = set()
    for asset_name, rows in _batches(gx_frame, per_document):
        asset = _asset(datasource, asset_name)
        batch = _batch_definition(asset)
        definitions = [context.validation_definitions.add_or_update(
            gx.ValidationDefinition(name=f"{asset_name}__{suite.name}", data=batch, suite=suite))
            for suite in suites]
        checkpoint = context.checkpoints.add_or_update(gx.Checkpoint(
            name=f"budgetwh__{asset_name}", validation_definitions=definitions, actions=actions,
            result_format={"result_format": "COMPLETE", "unexpected_index_column_names": index_columns}))
        result = checkpoint.run(batch_parameters={"dataframe": rows.reset_index(drop=True)},
                                run_id=RunIdentifier(run_name=run_id))
        for validation in result.run_results.values():
            for expectation in validation.results:
                for unexpected in expectation.result.get("unexpected_index_list") or []:
                    failed.add(int(unexpected["row_id"]))
    return failed


def _clear_previous_results(gx_root: Path) -> None:
    """Each run's site shows that run: earlier results live on in validation.rule_results, and GX
    rebuilds its index from every stored result, which would grow slower with every nightly run."""
    uncommitted = gx_root / "gx" / "uncommitted"
    for folder in (uncommitted / "validations", uncommitted / "data_docs"):
        shutil.rmtree(folder, ignore_errors=True)


def _batches(gx_frame: pd.DataFrame, per_document: bool = True) -> list[tuple[str, pd.DataFrame]]:
    """One batch (and Data Docs page) per document while that stays cheap, else one for the run.

    GX spends 2–4 s on each checkpoint run whatever its size, so a run over hundreds of documents is
    judged as one batch; its pages still list every failure with its document.
    """
    documents = gx_frame["document"].fillna("")
    if not per_document or documents.nunique() > PER_DOCUMENT_PAGES_LIMIT:
        return [("all_documents", gx_frame)]
    return [(f"document_{doc}" if doc else "no_document", rows)
            for doc, rows in gx_frame.groupby(documents, sort=True)]


def _gx_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame GX sees: payload names (what a webhook receives) and amounts as exact decimal text.

    GX serialises every Decimal it reports through a stack inspection (~20 ms each), so the judged
    column is the excess in integer thousandths of 万元: exact, since amounts have two decimals and
    tolerances are multiples of 0.005.
    """
    amounts = ("expected_amount", "actual_amount", "difference", "tolerance", "suggested_value")
    text = {c: frame[c].map(_text) for c in amounts}
    out = pd.DataFrame({
        "row_id": frame["row_id"], "rule_id": frame["rule_id"],
        "excess_thousandths": frame["excess"].map(lambda x: int(x * 1000)),
        "rule": frame["rule_id"], "severity": frame["severity"], "document": frame["document_id"],
        "table": frame["table_type"], "table_index": frame["table_index"].astype("Int64"),
        "code": frame["subject_code"], "year": frame["fiscal_year"].astype("Int64"),
        "page": frame["page"].astype("Int64"), "place": frame["place"],
        "expected": text["expected_amount"], "actual": text["actual_amount"],
        "difference": text["difference"], "tolerance": text["tolerance"], "hint": frame["hint"],
        "suggested_value": text["suggested_value"], "message": frame["message"],
    })
    return out.astype(object).where(out.notna(), None)


def _suites(context, rules: tuple[Rule, ...]) -> list:
    import great_expectations as gx
    from great_expectations.expectations.row_conditions import Column

    suites = []
    for severity in ("error", "warning"):
        # the expectations go in with the suite: adding them one by one to a suite the store already
        # holds (every run after the first) re-serialises the whole suite each time (~0.2 s a rule)
        # a place is judged at its own severity: an error rule's places on a doubtful table are warnings
        # (_place), so the warning suite holds every rule and the error suite the error rules
        expectations = [gx.expectations.ExpectColumnValuesToBeBetween(
            column="excess_thousandths", max_value=0,
            row_condition=(Column("rule_id") == rule.rule_id) & (Column("severity") == severity),
            severity=SEVERITY_IN_GX[severity], description=f"{rule.rule_id}: {rule.description}",
            meta={"rule_id": rule.rule_id, "rule_kind": rule.kind, "severity": severity,
                  "comparison": rule.comparison})
            for rule in rules if rule.severity == severity or severity == "warning"]
        if expectations:
            suite = gx.ExpectationSuite(name=f"budgetwh_{severity}_rules", expectations=expectations, meta={
                "notes": f"The {severity}-level reconciliation rules of budgetwh, one expectation per rule."})
            suites.append(context.suites.add_or_update(suite))
    return suites


def _asset(datasource, name: str):
    existing = {a.name: a for a in datasource.assets}
    return existing[name] if name in existing else datasource.add_dataframe_asset(name)


def _batch_definition(asset):
    return asset.batch_definitions[0] if asset.batch_definitions else \
        asset.add_batch_definition_whole_dataframe("rule_results")


# --- store -----------------------------------------------------------------------------------------


def _store(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame, run_id: str, replace: bool = True) -> None:
    """Replace (``replace``) or add to the run's rows in validation.rule_results (amounts go through text
    to stay exact)."""
    table = pd.DataFrame({
        "document_id": frame["document_id"], "rule_id": frame["rule_id"], "rule_kind": frame["rule_kind"],
        "severity": frame["severity"], "rule_severity": frame["rule_severity"], "doubt": frame["doubt"],
        "passed": frame["passed"].astype(bool), "table_type": frame["table_type"],
        "table_index": frame["table_index"].astype("Int64"),
        "subject_code": frame["subject_code"], "fiscal_year": frame["fiscal_year"].astype("Int64"),
        "expected_amount": frame["expected_amount"].map(_text),
        "actual_amount": frame["actual_amount"].map(_text),
        "difference": frame["difference"].map(_text), "tolerance": frame["tolerance"].map(_text),
        "page": frame["page"].astype("Int64"), "message": frame["message"], "hint": frame["hint"],
        "suggested_value": frame["suggested_value"].map(_text),
    }).astype({c: object for c in ("document_id", "table_type", "subject_code", "message", "hint", "doubt")})
    con.execute("begin transaction")
    try:
        if replace:
            con.execute("delete from validation.rule_results where run_id = ?", [run_id])
        con.register("places", table)
        con.execute("""
            insert into validation.rule_results (run_id, document_id, rule_id, rule_kind, severity,
                rule_severity, doubt, passed, table_type, table_index, subject_code, fiscal_year,
                expected_amount, actual_amount, difference, tolerance, page, message, hint, suggested_value)
            select ?, document_id, rule_id, rule_kind, severity, rule_severity, doubt, passed, table_type,
                table_index,
                subject_code, fiscal_year, expected_amount::decimal(18, 2), actual_amount::decimal(18, 2),
                difference::decimal(18, 2), tolerance::decimal(18, 2), page, message, hint,
                suggested_value::decimal(18, 2)
            from places""", [run_id])
        con.unregister("places")
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise


# Each document's latest run (by its latest checked_at, as marts.fct_reconciliation_result reads it); rules
# about no single document (document_id null) have theirs. Passing places of any other run go.
PRUNE_SQL = """
delete from validation.rule_results as r
where r.passed and not exists (
    select 1
    from (
        select document_id, run_id
        from validation.rule_results
        group by document_id, run_id
        qualify row_number() over (
            partition by document_id order by max(checked_at) desc, run_id desc) = 1
    ) as latest
    where latest.document_id is not distinct from r.document_id and latest.run_id = r.run_id
)
"""


def prune_superseded(warehouse: Path) -> int:
    """Delete the passing places of runs a later run superseded for their document; returns how many.

    Every run's failed places stay (a finding's history: when it appeared, when it went), and every
    place of each document's latest run stays (what ``fct_reconciliation_result`` shows). Without this a
    full re-validation of 1 M documents would add ≈ 420 M rows that no mart reads.
    """
    con = connect(str(warehouse))
    try:
        return con.execute(PRUNE_SQL).fetchone()[0]
    finally:
        con.close()


def _text(value) -> str | None:
    return None if value is None or (isinstance(value, float) and value != value) else str(value)


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

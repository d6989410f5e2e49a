"""Great Expectations judges a run's places and rebuilds the Data Docs site.

GX gets the compact frame (one row per place) through its pandas datasource: one suite per severity, one
expectation per rule, one checkpoint per document, and the Data Docs site built once when all are judged
(alerts are one summary per run, after the marts: ``expectations.evidence.notify``). A rule's expectation
reads a column of its own, ``excess_thousandths__<severity>__<rule id>``: how far each of its places at
that severity goes beyond the tolerance (≤ 0 passes), empty on the other rules' rows; a row condition per
expectation costs GX more than twice as much. The places GX marks unexpected are the failures. Beyond
``per_document_pages_limit`` documents (``ValidationSettings``) one checkpoint judges the whole run, and
GX gets the compact form: every place beyond its tolerance (what its pages list) and one summary row per
rule for the places within it (their count and largest excess), not 400 rows per document.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")  # no usage reporting from a warehouse job

import pandas as pd  # noqa: E402

from expectations.alerts import PAYLOAD_FIELDS  # noqa: E402
from expectations.catalogue import Rule  # noqa: E402
from expectations.places import PLACE_COLUMNS  # noqa: E402
from expectations.results import as_text  # noqa: E402

SEVERITY_IN_GX = {"error": "critical", "warning": "warning"}
DATASOURCE = "budgetwh_rule_results"


def gx_root_for(warehouse: Path) -> Path:
    """The GX file context of a warehouse lives beside it, never in the repository."""
    return Path(f"{warehouse}.gx")


def data_docs_index(warehouse: Path) -> Path:
    return gx_root_for(warehouse) / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html"


def compact(frame: pd.DataFrame, over: pd.Series) -> pd.DataFrame:
    """What GX judges of a large run: every place beyond its tolerance (the failures its pages list) and,
    per rule, one row summarising the places within it (their count and largest excess)."""
    within: dict[str, list] = {}
    tally(within, frame[~over])
    return pd.concat([frame[over], summary_rows(within)], ignore_index=True)


def tally(within: dict[str, list], places: pd.DataFrame) -> None:
    """Add places within tolerance to ``within``: rule_id → [their count, their largest excess, a row]."""
    for rule_id, rows in places.groupby("rule_id", sort=False):
        seen = within.setdefault(rule_id, [0, None, rows.iloc[0]])
        largest = rows["excess"].max()
        seen[0] += len(rows)
        seen[1] = largest if seen[1] is None else max(seen[1], largest)


def summary_rows(within: dict[str, list]) -> pd.DataFrame:
    """One row per rule for its places within tolerance: negative row ids, so never a place's."""
    rows = []
    for number, (rule_id, (count, largest, example)) in enumerate(sorted(within.items()), 1):
        text = f"{count} place(s) within tolerance"
        rows.append({**dict.fromkeys(PLACE_COLUMNS), "rule_id": rule_id, "rule_kind": example["rule_kind"],
                     "severity": example["severity"], "excess": largest, "message": text, "place": text,
                     "row_id": -number})
    return pd.DataFrame(rows, columns=[*PLACE_COLUMNS, "row_id"])


def judge(frame: pd.DataFrame, rules: tuple[Rule, ...], gx_root: Path, run_id: str,
          per_document: bool, per_document_limit: int) -> set[int]:
    """Run one checkpoint per document (``per_document``, up to ``per_document_limit`` documents) or one
    for the run over the frame; the row ids GX reports unexpected."""
    import great_expectations as gx
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.base import ProgressBarsConfig

    _clear_previous_results(gx_root)
    context = gx.get_context(mode="file", project_root_dir=str(gx_root))
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    context.variables.save()
    suites = _suites(context, rules)
    datasource = context.data_sources.add_or_update_pandas(DATASOURCE)
    index_columns = ["row_id", "rule_id", *PAYLOAD_FIELDS]
    gx_frame = _with_rule_columns(_gx_frame(frame), rules)
    failed: set[int] = set()
    for asset_name, rows in _batches(gx_frame, per_document, per_document_limit):
        asset = _asset(datasource, asset_name)
        batch = _batch_definition(asset)
        definitions = [context.validation_definitions.add(
            gx.ValidationDefinition(name=f"{asset_name}__{suite.name}", data=batch, suite=suite))
            for suite in suites]
        checkpoint = context.checkpoints.add(gx.Checkpoint(
            name=f"budgetwh__{asset_name}", validation_definitions=definitions,
            result_format={"result_format": "COMPLETE", "unexpected_index_column_names": index_columns}))
        result = checkpoint.run(batch_parameters={"dataframe": rows.reset_index(drop=True)},
                                run_id=RunIdentifier(run_name=run_id))
        for validation in result.run_results.values():
            for expectation in validation.results:
                for unexpected in expectation.result.get("unexpected_index_list") or []:
                    failed.add(int(unexpected["row_id"]))
    context.build_data_docs()  # once: a build per checkpoint re-renders every page judged before it
    return failed


def _clear_previous_results(gx_root: Path) -> None:
    """Each run's site shows that run: earlier results live on in validation.rule_results, and GX
    rebuilds its index from every stored result, which would grow slower with every nightly run. The
    suites, validation definitions and checkpoints are made anew from the rule catalogue each run: adding
    them to empty stores costs a write, replacing stored ones costs GX a comparison of every expectation."""
    project = gx_root / "gx"
    for folder in (project / "uncommitted" / "validations", project / "uncommitted" / "data_docs",
                   project / "expectations", project / "validation_definitions", project / "checkpoints"):
        shutil.rmtree(folder, ignore_errors=True)


def _batches(gx_frame: pd.DataFrame, per_document: bool, limit: int) -> list[tuple[str, pd.DataFrame]]:
    """One batch (and Data Docs page) per document while that stays cheap, else one for the run.

    GX spends 2–4 s on each checkpoint run whatever its size, so a run over hundreds of documents is
    judged as one batch; its pages still list every failure with its document.
    """
    documents = gx_frame["document"].fillna("")
    if not per_document or documents.nunique() > limit:
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
    text = {c: frame[c].map(as_text) for c in amounts}
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


def _judged(rules: tuple[Rule, ...], severity: str) -> list[Rule]:
    """The rules a severity's suite judges. A place is judged at its own severity: an error rule's places
    on a doubtful table are warnings (``places._place``), so the warning suite holds every rule and the
    error suite the error rules."""
    return [rule for rule in rules if rule.severity == severity or severity == "warning"]


def _judged_column(rule_id: str, severity: str) -> str:
    return f"excess_thousandths__{severity}__{rule_id}"


def _with_rule_columns(gx_frame: pd.DataFrame, rules: tuple[Rule, ...]) -> pd.DataFrame:
    """One column per expectation: the excess of that rule's places at that severity, None elsewhere
    (GX's column expectations pass over empty values)."""
    columns = {}
    for severity in SEVERITY_IN_GX:
        for rule in _judged(rules, severity):
            mine = (gx_frame["rule_id"] == rule.rule_id) & (gx_frame["severity"] == severity)
            columns[_judged_column(rule.rule_id, severity)] = gx_frame["excess_thousandths"].where(mine, None)
    return pd.concat([gx_frame, pd.DataFrame(columns, index=gx_frame.index)], axis=1)


def _suites(context, rules: tuple[Rule, ...]) -> list:
    import great_expectations as gx
    from great_expectations.expectations.metadata_types import FailureSeverity

    suites = []
    for severity in SEVERITY_IN_GX:
        # the expectations go in with the suite: adding them one by one re-serialises the suite each time
        expectations = [gx.expectations.ExpectColumnValuesToBeBetween(
            column=_judged_column(rule.rule_id, severity), max_value=0,
            severity=FailureSeverity(SEVERITY_IN_GX[severity]),
            description=f"{rule.rule_id}: {rule.description}",
            meta={"rule_id": rule.rule_id, "rule_kind": rule.kind, "severity": severity,
                  "comparison": rule.comparison})
            for rule in _judged(rules, severity)]
        if expectations:
            suite = gx.ExpectationSuite(name=f"budgetwh_{severity}_rules", expectations=expectations, meta={
                "notes": f"The {severity}-level reconciliation rules of budgetwh, one expectation per rule."})
            suites.append(context.suites.add(suite))
    return suites


def _asset(datasource, name: str):
    existing = {a.name: a for a in datasource.assets}
    return existing[name] if name in existing else datasource.add_dataframe_asset(name)


def _batch_definition(asset):
    return asset.batch_definitions[0] if asset.batch_definitions else \
        asset.add_batch_definition_whole_dataframe("rule_results")

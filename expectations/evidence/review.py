"""Reviewers' verdicts on findings and what was alerted, in schema ``review`` (outside ``staging`` and
``validation``: no rerun, reload or re-validation drops them).

A finding is keyed by its document and ``finding_key`` (the rule, table, code, year and message: the
message names the column or line and both sides, so the key holds the place and its numbers). A verdict
applies to the finding of its document, and to a new version of that document (the same region,
department, type and year, other bytes) only where the same place printed the same numbers: same key.
The latest verdict on a key wins; every verdict stays, as its history.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from extractors.load import memory_limit
from extractors.sql_files import scalar

VERDICTS = ("confirmed", "dismissed")

REVIEW_DDL = """
create schema if not exists review;

create table if not exists review.verdicts (
    document_id     varchar not null,
    finding_key     varchar not null,
    rule_id         varchar not null,
    region_name     varchar,
    department_name varchar,
    document_type   varchar,
    fiscal_year     integer,
    verdict         varchar not null,
    note            varchar,
    reviewer        varchar not null,
    decided_at      timestamp not null default current_timestamp
);

create table if not exists review.alerted (
    document_id varchar,
    finding_key varchar not null,
    rule_id     varchar not null,
    run_id      varchar not null,
    alerted_at  timestamp not null default current_timestamp
);
"""

# The key of a stored place (validation.rule_results or marts.fct_reconciliation_result columns);
# locate.finding_key computes the same in Python.
FINDING_KEY_SQL = """left(sha256(concat_ws('|', {p}rule_id, coalesce({p}table_type, ''),
    coalesce({p}subject_code, ''), coalesce({p}fiscal_year::varchar, ''), {p}message)), 16)"""

# The verdict in force for each failed place of the latest runs: its document's, else one given to an
# earlier version of the same document at the same key.
CURRENT_VERDICTS_SQL = """
with findings as (
    select r.document_id, r.rule_id, {key} as finding_key, d.region_name, d.department_name,
        d.document_type, d.fiscal_year
    from validation.rule_results as r
    inner join staging.documents as d using (document_id)
    where not r.passed
    group by all
)

select f.document_id, f.finding_key, v.verdict, v.note, v.reviewer, v.decided_at
from findings as f
inner join review.verdicts as v
    on v.finding_key = f.finding_key and v.rule_id = f.rule_id
    and (v.document_id = f.document_id or (
        v.region_name is not distinct from f.region_name
        and v.department_name is not distinct from f.department_name
        and v.document_type is not distinct from f.document_type
        and v.fiscal_year is not distinct from f.fiscal_year))
qualify row_number() over (
    partition by f.document_id, f.finding_key
    order by (v.document_id = f.document_id) desc, v.decided_at desc) = 1
""".format(key=FINDING_KEY_SQL.format(p="r."))


def ensure_review_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(REVIEW_DDL)


def has_review_tables(con: duckdb.DuckDBPyConnection) -> bool:
    return scalar(con, "select count(*) from information_schema.tables where table_schema = 'review' "
                       "and table_name in ('verdicts', 'alerted')") == 2


def current_verdicts(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], dict]:
    """(document, finding key) → the verdict in force: verdict, note, reviewer, decided_at."""
    if not has_review_tables(con):
        return {}
    return {
        (d, k): {"verdict": v, "note": n, "reviewer": r, "decided_at": t}
        for d, k, v, n, r, t in con.execute(CURRENT_VERDICTS_SQL).fetchall()
    }


def record_verdict(
    warehouse: Path, document_id: str, finding_key: str, verdict: str, note: str | None, reviewer: str
) -> None:
    """Store a reviewer's verdict on a failed place of the document's latest validation."""
    if verdict not in VERDICTS:
        raise ValueError(f"verdict must be one of {', '.join(VERDICTS)}, not {verdict!r}")
    con = duckdb.connect(str(warehouse))
    con.execute("set memory_limit = $limit", {"limit": memory_limit()})
    try:
        ensure_review_tables(con)
        found = con.execute(
            f"""
            select r.rule_id, d.region_name, d.department_name, d.document_type, d.fiscal_year
            from validation.rule_results as r inner join staging.documents as d using (document_id)
            where r.document_id = ? and not r.passed and {FINDING_KEY_SQL.format(p="r.")} = ?
            limit 1""",
            [document_id, finding_key],
        ).fetchone()
        if found is None:
            raise LookupError(f"no finding {finding_key} in document {document_id}")
        con.execute(
            "insert into review.verdicts (document_id, finding_key, rule_id, region_name, "
            "department_name, document_type, fiscal_year, verdict, note, reviewer) "
            "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [document_id, finding_key, *found, verdict, note or None, reviewer],
        )
    finally:
        con.close()

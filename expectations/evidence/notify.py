"""One alert per run: its new error-level findings, each with what a reader needs to act on it.

New: failed at error level in this run (extraction doubts are warnings, never alerted), not alerted
before for the same document and place (``review.alerted``), not dismissed by a reviewer (a verdict on
this document, or on an earlier version where the place printed the same numbers). What was sent is
recorded once a channel delivered it, so an unreachable receiver leaves it to the next run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from expectations.alerts import Channels, alert_variables, channels, delivered, send
from expectations.evidence.review import FINDING_KEY_SQL, current_verdicts, ensure_review_tables
from expectations.evidence.site import evidence_url
from extractors.load import memory_limit

NEW_FINDINGS_SQL = f"""
select r.document_id, {FINDING_KEY_SQL.format(p="r.")} as finding_key, r.rule_id, r.table_type,
    r.table_index, r.subject_code, r.fiscal_year, r.page, r.expected_amount, r.actual_amount, r.difference,
    r.message, r.hint, r.suggested_value, d.title, d.department_name, d.region_name,
    d.fiscal_year as document_year, d.document_type
from validation.rule_results as r
left join staging.documents as d using (document_id)
where r.run_id = ? and not r.passed and r.severity = 'error'
order by d.region_name, d.department_name, d.fiscal_year, r.document_id, r.rule_id, r.subject_code
"""


@dataclass
class AlertSummary:
    new: int = 0
    skipped_alerted: int = 0
    skipped_dismissed: int = 0
    outcomes: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        sent = ", ".join(f"{k} {v}" for k, v in self.outcomes.items()) or "no channel configured"
        return (
            f"alerts: {self.new} new error finding(s) ({sent}); {self.skipped_alerted} alerted before, "
            f"{self.skipped_dismissed} dismissed"
        )


def alert_new_findings(
    warehouse: Path, run_id: str, on: Channels | None = None, base_url: str | None = None
) -> AlertSummary:
    """Send the run's new error-level findings as one summary on every configured channel."""
    from expectations.runner import gx_root_for

    warehouse = Path(warehouse)
    on = on if on is not None else channels(alert_variables(gx_root_for(warehouse)))
    summary = AlertSummary()
    con = duckdb.connect(str(warehouse))
    con.execute("set memory_limit = $limit", {"limit": memory_limit()})
    try:
        ensure_review_tables(con)
        alerted = {
            (d, k) for d, k in con.execute("select document_id, finding_key from review.alerted").fetchall()
        }
        dismissed = {key for key, v in current_verdicts(con).items() if v["verdict"] == "dismissed"}
        findings = []
        for row in con.execute(NEW_FINDINGS_SQL, [run_id]).fetchall():
            (
                document,
                key,
                rule,
                table,
                table_index,
                code,
                year,
                page,
                expected,
                actual,
                difference,
                message,
                hint,
                suggested,
                title,
                department,
                region,
                document_year,
                document_type,
            ) = row
            if (document, key) in dismissed:
                summary.skipped_dismissed += 1
                continue
            if (document, key) in alerted:
                summary.skipped_alerted += 1
                continue
            place = ", ".join(
                str(x)
                for x in (
                    table,
                    f"table {table_index}" if table_index is not None else None,
                    code,
                    year,
                    f"page {page}" if page else None,
                )
                if x
            )
            findings.append(
                {
                    "title": title,
                    "department": department,
                    "region": region,
                    "year": document_year,
                    "document_type": document_type,
                    "document": document,
                    "rule": rule,
                    "place": place,
                    "expected": _text(expected),
                    "actual": _text(actual),
                    "difference": _text(difference),
                    "hint": hint,
                    "suggested_value": _text(suggested),
                    "message": message,
                    "evidence_url": evidence_url(document, key, warehouse, base_url),
                    "finding_key": key,
                }
            )
        summary.new = len(findings)
        if not findings or not on:
            return summary
        subject = f"budgetwh: {len(findings)} new error finding(s) in run {run_id}"
        payload = {
            "source": "budgetwh",
            "run_id": run_id,
            "count": len(findings),
            "evidence": evidence_url(None, None, warehouse, base_url),
            "findings": findings,
        }
        summary.outcomes = send(on, payload, subject, _text_summary(subject, findings))
        if delivered(summary.outcomes):
            con.executemany(
                "insert into review.alerted (document_id, finding_key, rule_id, run_id) values (?, ?, ?, ?)",
                [[f["document"], f["finding_key"], f["rule"], run_id] for f in findings],
            )
    finally:
        con.close()
    return summary


def _text(value) -> str | None:
    return None if value is None else str(value)


def _text_summary(subject: str, findings: list[dict]) -> str:
    lines = [subject, ""]
    for f in findings:
        lines.append(
            f"{f['region'] or ''} {f['department'] or ''} {f['year'] or ''} {f['document_type'] or ''}: "
            f"{f['title'] or f['document'] or 'the warehouse'}"
        )
        lines.append(
            f"  {f['rule']} at {f['place']}: expected {f['expected']}, actual {f['actual']}, "
            f"difference {f['difference']}"
        )
        if f["hint"]:
            lines.append(f"  hint: {f['hint']}")
        lines.append(f"  evidence: {f['evidence_url']}")
    return "\n".join(lines)

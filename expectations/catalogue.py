"""The rule catalogue: one rule = one SQL file in ``rules/`` with a YAML header in its leading comments.

    -- id: BW-ROW-001
    -- severity: error                  (error | warning)
    -- kind: row_sum                     (CONTRACT rule_kind)
    -- comparison: equal                 (optional; at_least: actual may exceed expected)
    -- unit: amount                      (optional; count: expected/actual count things, not 万元)
    -- message: "... {expected} ... {actual} ... {difference}"
    -- description: what the published tables promise

The query returns one row per place checked, passing places too, with the columns in
``RESULT_COLUMNS`` (``unit_name``, ``detail`` and ``parts`` optional). The runner computes the
difference and the rounding tolerance; a rule never decides pass/fail itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

RULES_DIR = Path(__file__).with_name("rules")
VIEWS_SQL = Path(__file__).with_name("views.sql")
SCOPE_SQL = Path(__file__).with_name("scope.sql")
RESULTS_SQL = Path(__file__).with_name("results.sql")

SEVERITIES = ("error", "warning")
RULE_KINDS = ("row_sum", "hierarchy", "cross_table", "narrative", "cross_document", "completeness", "weights")
COMPARISONS = ("equal", "at_least")
UNITS = ("amount", "count")
RESULT_COLUMNS = (
    "document_id", "table_type", "table_index", "subject_code", "fiscal_year",
    "expected_amount", "actual_amount", "parts_count", "page",
)
OPTIONAL_COLUMNS = ("unit_name", "detail", "total_label", "parts", "context")
_ID = re.compile(r"^BW-[A-Z]{3}-\d{3}$")


class RuleDefinitionError(ValueError):
    """A rule file whose header or shape breaks the catalogue's conventions."""


@dataclass(frozen=True)
class Rule:
    rule_id: str
    severity: str
    kind: str
    message: str
    description: str
    sql: str
    path: Path
    comparison: str = "equal"
    unit: str = "amount"

    def render_message(self, **values: object) -> str:
        return self.message.format_map({k: "" if v is None else v for k, v in values.items()})


def parse_rule(path: Path) -> Rule:
    text = path.read_text(encoding="utf-8")
    header_lines: list[str] = []
    body_lines: list[str] = []
    for line in text.splitlines():
        if not body_lines and line.startswith("--"):
            header_lines.append(line[3:] if line.startswith("-- ") else line[2:])
        else:
            body_lines.append(line)
    try:
        header = yaml.safe_load("\n".join(header_lines)) or {}
    except yaml.YAMLError as e:
        raise RuleDefinitionError(f"{path.name}: header is not valid YAML: {e}") from e
    missing = [k for k in ("id", "severity", "kind", "message", "description") if k not in header]
    if missing:
        raise RuleDefinitionError(f"{path.name}: header lacks {', '.join(missing)}")
    rule = Rule(
        rule_id=header["id"], severity=header["severity"], kind=header["kind"],
        message=str(header["message"]), description=str(header["description"]).strip(),
        sql="\n".join(body_lines).strip(), path=path, comparison=header.get("comparison", "equal"),
        unit=header.get("unit", "amount"),
    )
    problems = []
    if not _ID.match(rule.rule_id) or path.stem != rule.rule_id:
        problems.append(f"id {rule.rule_id!r} must look like BW-ROW-001 and match the file name")
    if rule.severity not in SEVERITIES:
        problems.append(f"severity {rule.severity!r} not in {SEVERITIES}")
    if rule.kind not in RULE_KINDS:
        problems.append(f"kind {rule.kind!r} not in {RULE_KINDS}")
    if rule.comparison not in COMPARISONS:
        problems.append(f"comparison {rule.comparison!r} not in {COMPARISONS}")
    if rule.unit not in UNITS:
        problems.append(f"unit {rule.unit!r} not in {UNITS}")
    if not rule.sql:
        problems.append("no query after the header")
    if problems:
        raise RuleDefinitionError(f"{path.name}: " + "; ".join(problems))
    return rule


@cache
def load_rules(rules_dir: Path = RULES_DIR) -> tuple[Rule, ...]:
    """Every rule of the catalogue, ordered by id."""
    return tuple(parse_rule(p) for p in sorted(Path(rules_dir).glob("*.sql")))


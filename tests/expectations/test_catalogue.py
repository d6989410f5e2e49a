"""The catalogue's shape: every rule file parses, ids are unique, every rule kind is covered."""

from __future__ import annotations

from pathlib import Path

import pytest

from expectations.catalogue import RULE_KINDS, RuleDefinitionError, load_rules, parse_rule


def test_catalogue_covers_every_rule_kind_with_at_least_30_rules():
    rules = load_rules()
    assert len(rules) >= 30
    assert len({r.rule_id for r in rules}) == len(rules)
    assert {r.kind for r in rules} == set(RULE_KINDS)
    assert {r.severity for r in rules} == {"error", "warning"}


def test_every_message_names_both_sides_and_the_difference():
    for rule in load_rules():
        assert "{actual}" in rule.message and "{expected}" in rule.message, rule.rule_id
        if rule.unit == "amount":
            assert "{difference}" in rule.message, rule.rule_id


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_header_problems_are_named(tmp_path):
    path = _write(tmp_path, "BW-ROW-900.sql",
                  "-- id: BW-ROW-900\n-- severity: fatal\n-- kind: sums\n-- message: m\n"
                  "-- description: d\nselect 1")
    with pytest.raises(RuleDefinitionError, match=r"BW-ROW-900.sql: severity 'fatal'.*kind 'sums'"):
        parse_rule(path)


def test_missing_header_keys_and_misnamed_file(tmp_path):
    with pytest.raises(RuleDefinitionError, match="header lacks message, description"):
        parse_rule(_write(tmp_path, "BW-ROW-901.sql", "-- id: BW-ROW-901\n-- severity: error\n"
                                                      "-- kind: row_sum\nselect 1"))
    with pytest.raises(RuleDefinitionError, match="match the file name"):
        parse_rule(_write(tmp_path, "other.sql", "-- id: BW-ROW-902\n-- severity: error\n-- kind: row_sum\n"
                                                 "-- message: m\n-- description: d\nselect 1"))


def test_readme_lists_every_rule():
    readme = (Path(__file__).resolve().parents[2] / "expectations" / "README.md").read_text(encoding="utf-8")
    missing = [r.rule_id for r in load_rules() if f"| {r.rule_id} | {r.severity} | {r.kind} |" not in readme]
    assert not missing

"""Hand-adjudicated error-level findings, checked again against a warehouse.

A verdict (tests/truth/findings/*.yml) says of one finding, read on the rendered page, whether the
publisher's printed numbers are inconsistent (``real``) or the finding comes from our reading or from
a rule that does not fit the table (``false``). Against a warehouse built from the same files: a real
finding must still be reported as an error, a false one must not be. ``sample`` draws a seeded random
sample of a warehouse's error-level findings to adjudicate.

    python -m expectations.verdicts W [VERDICTS.yml]      check the kept verdicts, print the share real
    python -m expectations.verdicts W --sample 60 --seed 15   draw a sample (YAML skeletons)
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import yaml

DEFAULT_VERDICTS = (Path(__file__).resolve().parents[1] / "tests" / "truth" / "findings"
                    / "real_wide_verdicts.yml")

# A finding's place: what a verdict names and the warehouse is searched for.
PLACE = ("rule_id", "table_type", "subject_code", "fiscal_year", "page", "message")

_ERROR_FINDINGS = """
    select d.sha256, regexp_extract(d.source_path, '[^/]+$') as file, r.rule_id,
        r.source_table_type as table_type, r.subject_code, r.fiscal_year, r.page, r.message
    from marts.fct_reconciliation_result as r
    inner join staging.documents as d using (document_id)
    where not r.passed and r.severity = 'error'
"""


@dataclass(frozen=True)
class Outcome:
    verdict: dict
    reported: bool

    @property
    def holds(self) -> bool:
        """A real finding is still an error; a false one is no longer one."""
        return self.reported == (self.verdict["verdict"] == "real")


def _key(row: dict) -> tuple:
    return (row["sha256"],) + tuple(None if row.get(c) is None else str(row[c]) for c in PLACE)


def error_findings(con: duckdb.DuckDBPyConnection) -> list[dict]:
    cursor = con.execute(_ERROR_FINDINGS + " order by all")
    columns = [c[0] for c in cursor.description]
    return [dict(zip(columns, values, strict=True)) for values in cursor.fetchall()]


def load_verdicts(path: Path = DEFAULT_VERDICTS) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["verdicts"]


def check(warehouse: Path, verdicts: list[dict]) -> list[Outcome]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        reported = {_key(f) for f in error_findings(con)}
    return [Outcome(v, _key(v) in reported) for v in verdicts]


def sample(warehouse: Path, size: int, seed: int) -> list[dict]:
    """A seeded sample spread over documents and rules: round-robin over (document, rule) groups in a
    shuffled order, one finding of each group per round."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        findings = error_findings(con)
    rng = random.Random(seed)
    groups: dict[tuple, list[dict]] = {}
    for f in findings:
        groups.setdefault((f["sha256"], f["rule_id"]), []).append(f)
    order = sorted(groups)
    rng.shuffle(order)
    for key in order:
        rng.shuffle(groups[key])
    drawn: list[dict] = []
    while len(drawn) < min(size, len(findings)):
        for key in order:
            if groups[key] and len(drawn) < size:
                drawn.append(groups[key].pop())
    return drawn


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m expectations.verdicts",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("warehouse", type=Path)
    parser.add_argument("verdicts", type=Path, nargs="?", default=DEFAULT_VERDICTS)
    parser.add_argument("--sample", type=int, help="draw this many error-level findings instead")
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args(argv)
    if args.sample:
        yaml.safe_dump(sample(args.warehouse, args.sample, args.seed), sys.stdout, allow_unicode=True,
                       sort_keys=False, width=200)
        return 0
    verdicts = load_verdicts(args.verdicts)
    outcomes = check(args.warehouse, verdicts)
    real = sum(v["verdict"] == "real" for v in verdicts)
    for o in outcomes:
        if not o.holds:
            v = o.verdict
            state = "no longer reported" if v["verdict"] == "real" else "still reported as error"
            print(f"{v['verdict']} finding {state}: {v['file']} {v['rule_id']} p{v['page']} {v['message']}")
    print(f"verdicts: {len(verdicts)}, real {real} ({real / len(verdicts):.1%} of the sampled error-level "
          f"findings); holding on {args.warehouse}: {sum(o.holds for o in outcomes)}/{len(outcomes)}")
    return 0 if all(o.holds for o in outcomes) else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""Issue 15 item 5: the error-level findings on ../shared/real-wide, adjudicated on the rendered pages
(tests/truth/findings/real_wide_verdicts.yml), hold on a warehouse built from real-wide by the real
pipeline: every real one is still reported as an error, no false one is."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from expectations.verdicts import check, load_verdicts

# the second sample: every error-level finding of real-wide at 1765a04, 25 real and 44 false
SECOND_SAMPLE = Path(__file__).resolve().parents[1] / "truth" / "findings" / "real_wide_verdicts_2.yml"
# the third: every error-level finding of real-wide at the end of stop 24, 27 real and 7 false
THIRD_SAMPLE = SECOND_SAMPLE.with_name("real_wide_verdicts_3.yml")
# the fourth: the findings the readings of stop 26 brought up from warnings, 6 real and 3 false
FOURTH_SAMPLE = SECOND_SAMPLE.with_name("real_wide_verdicts_4.yml")

pytestmark = [pytest.mark.xdist_group("real_wide"), pytest.mark.shared, pytest.mark.slow]


@pytest.fixture(scope="module")
def verdicts():
    return load_verdicts()


@pytest.fixture(scope="module")
def real_wide_warehouse(shared_dir, real_wide, verdicts):
    """The whole corpus' warehouse (cross-document rules read a department's other years)."""
    source = shared_dir / "real-wide"
    present = {hashlib.sha256(p.read_bytes()).hexdigest() for p in source.glob("*") if p.is_file()}
    missing = sorted({v["file"] for v in verdicts if v["sha256"] not in present})
    if missing:
        pytest.skip(f"not in {source}: {missing}")
    return real_wide.warehouse


def _broken(warehouse, verdicts) -> list[tuple]:
    """The verdicts that do not hold: a real finding no longer reported, a false one still reported."""
    return [(o.verdict["verdict"], o.verdict["file"], o.verdict["rule_id"], o.verdict["message"])
            for o in check(warehouse, verdicts) if not o.holds]


def test_the_verdicts_are_well_formed(verdicts):
    assert len(verdicts) >= 60
    second = load_verdicts(SECOND_SAMPLE)
    assert len(second) >= 60
    third = load_verdicts(THIRD_SAMPLE)
    assert len(third) == 34 and sum(v["verdict"] == "real" for v in third) == 27
    fourth = load_verdicts(FOURTH_SAMPLE)
    assert len(fourth) == 9 and sum(v["verdict"] == "real" for v in fourth) == 6
    for v in verdicts + second + third + fourth:
        assert v["verdict"] in ("real", "false") and v["why"].strip() and len(v["sha256"]) == 64, v


def test_real_findings_are_reported_and_false_ones_are_not(real_wide_warehouse, verdicts):
    assert _broken(real_wide_warehouse, verdicts) == []


def test_the_second_samples_real_findings_are_reported_and_false_ones_are_not(real_wide_warehouse):
    assert _broken(real_wide_warehouse, load_verdicts(SECOND_SAMPLE)) == []


def test_the_third_samples_real_findings_are_reported_and_false_ones_are_not(real_wide_warehouse):
    assert _broken(real_wide_warehouse, load_verdicts(THIRD_SAMPLE)) == []


def test_the_fourth_samples_real_findings_are_reported_and_false_ones_are_not(real_wide_warehouse):
    assert _broken(real_wide_warehouse, load_verdicts(FOURTH_SAMPLE)) == []

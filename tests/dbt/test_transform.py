"""extractors.transform: what a failed or impossible build tells the caller."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.load import connect
from extractors.transform import TransformError, build, main


def test_missing_warehouse_is_a_clear_error(tmp_path: Path):
    with pytest.raises(TransformError, match="does not exist: load staging"):
        build(tmp_path / "absent.duckdb")


def test_failing_test_is_named(warehouse: Path):
    con = connect(str(warehouse))
    con.execute("insert into staging.documents (document_id, sha256, status, extractor_version) "
                "values ('baddocument00001', 'ab', 'half-loaded', '1')")
    con.close()
    with pytest.raises(TransformError) as raised:
        build(warehouse, select="stg_staging__documents stg_staging__tables")
    status_test = "accepted_values_stg_staging__documents_status__loaded__rejected"
    assert raised.value.failed_nodes == (status_test,)
    assert f"test {status_test}: Got 1 result" in str(raised.value)


def test_empty_warehouse_builds_and_counts(warehouse: Path, capsys):
    connect(str(warehouse)).close()
    assert main([str(warehouse), "--select", "stg_staging__documents stg_staging__tables"]) == 0
    assert capsys.readouterr().out.startswith("built 2 models, 0 seeds; ")

"""dbt builds on the real third-party documents (../shared/real) whatever they publish: findings in the
data (an unreadable year, a code printed twice, a table kind outside the contract) warn, never fail."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from extractors.extract import extract_file, iter_input_files
from extractors.load import connect, load_extraction
from extractors.orchestration_config import dbt_project_dir
from extractors.transform import build

pytestmark = [pytest.mark.shared, pytest.mark.slow]


def test_real_documents_build_and_trace(real_dir: Path, warehouse: Path):
    con = connect(str(warehouse))
    try:
        for path in iter_input_files([real_dir]):
            load_extraction(con, extract_file(path))
    finally:
        con.close()
    before = build(warehouse, exclude="tag:post_validation")
    after = build(warehouse, select="tag:post_validation")
    models = len(list((dbt_project_dir() / "models").rglob("*.sql")))
    # post_validation: the two result models and the analyst layer over them (test_transform names them)
    assert (before.models, after.models) == (models - 9, 9)

    with duckdb.connect(str(warehouse), read_only=True) as con:
        loaded, documents, given, rejected_in_dim = con.execute("""
            select (select count(*) from staging.documents where status = 'loaded'),
                   (select count(*) from marts.dim_document where load_status = 'loaded'),
                   (select count(*) from staging.documents),
                   (select count(*) from marts.dim_document where load_status = 'rejected'
                                                              and quality_status = 'failed')
        """).fetchone()
        assert loaded >= 10 and documents == loaded
        assert rejected_in_dim == given - loaded  # every file given stays visible, rejected ones too
        # every function fact's total is a published cell of that document, table type, code and year,
        # or, in a list of detail lines (Beijing 支出总表), the sum of that code's cells
        assert con.execute("""
            with published as (
                select document_id, table_type, row_code, fiscal_year, amount,
                    sum(amount) over (partition by document_id, table_index, row_code, fiscal_year)
                        as code_sum
                from intermediate.int_cell_amounts where measure = 'total'
            )
            select count(*) from marts.fct_expenditure_by_function f
            where f.total_amount is not null and not exists (
                select 1 from published c
                where c.document_id = f.document_id and c.table_type = f.table_type
                    and c.row_code = f.subject_code and c.fiscal_year is not distinct from f.fiscal_year
                    and f.total_amount in (c.amount, c.code_sum))
        """).fetchone() == (0,)
        assert con.execute("select count(*) from marts.fct_expenditure_by_function").fetchone()[0] > 500

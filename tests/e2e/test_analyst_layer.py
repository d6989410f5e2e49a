"""The analyst layer (issue 17) on a generated corpus through the real pipeline: six analyst questions,
each ONE query on ONE analyst table with filters only, equal to the figures computed independently from
the generator's specs (what the documents print); versions ordered by publication date; the scorecard;
the Parquet and PostgreSQL publications; the spreadsheet export.

The corpus: 江津区's 财政局, 城市管理局 (whose name once gave a region "江津区城市") and 审计局, budgets and
final accounts 2023–2024; 綦江区's 财政局, budgets 2023–2024; a second version of one budget arriving in
the same run; one budget whose printed 合计 is ten times its classes (an error-level defect).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from support import fresh_database, q

from extractors.export import export, read_xlsx
from extractors.generator import read_sidecar, render, synthesize
from extractors.generator.spec import DocumentSpec, format_amount
from extractors.pipeline import InputDocument, run

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("e2e")]

SEED = 17
JIANGJIN, QIJIANG = "江津区", "綦江区"
YEARS = (2023, 2024)
LATE = (JIANGJIN, "财政局", 2023, "final_account")  # published after the deadline (end of Sep 2024)
REVISED = (JIANGJIN, "审计局", 2024, "budget")
DEFECT = (JIANGJIN, "城市管理局", 2023, "budget")
EXPORTED = (JIANGJIN, "城市管理局", 2024, "budget")  # rendered as a PDF: its figures have pages
GENERAL_PUBLIC_SERVICES = "201"  # 一般公共服务支出


@dataclass
class Document:
    spec: DocumentSpec
    path: Path
    published: str
    document_id: str = ""
    current: bool = True


def key_of(spec: DocumentSpec) -> tuple:
    """(region, department short name, year, document type), as synthesize takes them."""
    return (
        spec.region,
        spec.department.removeprefix(spec.province + spec.region),
        spec.fiscal_year,
        spec.document_type,
    )


def _published_date(key: tuple, serial: int) -> str:
    region, department, year, document_type = key
    if key == LATE:
        return f"{year + 1}-11-05"
    return (
        f"{year}-02-{10 + serial % 15:02d}"
        if document_type == "budget"
        else f"{year + 1}-09-{10 + serial % 15:02d}"
    )


def _break_total(spec: DocumentSpec) -> DocumentSpec:
    """The general-budget table's printed 合计 ten times the sum of its classes."""
    broken = spec.copy()
    total = broken.table("general_budget_expenditure").row("total")
    total.values["total"] = format_amount(total.amount("total") * 10)
    return broken


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    work = tmp_path_factory.mktemp("analyst")
    keys = [
        (JIANGJIN, d, y, t)
        for d in ("财政局", "城市管理局", "审计局")
        for y in YEARS
        for t in ("budget", "final_account")
    ]
    keys += [(QIJIANG, "财政局", y, "budget") for y in (2023, 2024)]
    documents = []
    for serial, key in enumerate(keys):
        spec = synthesize(SEED, *key)
        if key == DEFECT:
            spec = _break_total(spec)
        path = render(spec, "pdf" if key == EXPORTED else "text", work / "docs")
        documents.append(Document(spec, path, _published_date(key, serial)))
    # a second version of one budget, other figures, arriving in the same run: the version published
    # later is current, whatever its hash and whenever it happens to load
    first = next(d for d in documents if key_of(d.spec) == REVISED)
    revision_spec = synthesize(SEED + 1, *REVISED)
    revision = Document(revision_spec, render(revision_spec, "text", work / "docs", stem="revision"), "")
    for d in (*documents, revision):
        d.document_id = hashlib.sha256(d.path.read_bytes()).hexdigest()[:16]
    older, later = sorted((first, revision), key=lambda d: d.document_id, reverse=True)
    older.published, later.published = f"{REVISED[2]}-02-01", f"{REVISED[2]}-03-01"
    older.current = False
    documents.append(revision)
    warehouse = work / "warehouse.duckdb"
    summary = run(
        [InputDocument(d.path, metadata={"article_publish_date": d.published}) for d in documents], warehouse
    )
    assert summary.documents == len(documents) and not summary.rejected
    return warehouse, documents, work



def _current(documents, document_type=None, region=None):
    return [
        d
        for d in documents
        if d.current and document_type in (None, d.spec.document_type) and region in (None, d.spec.region)
    ]


def _own_columns(table):
    return [c for c in table.columns if not c.is_prior_year]


def _amount(spec: DocumentSpec, table_type: str, code: str, key: str = "total") -> Decimal | None:
    return spec.table(table_type).row(code).amount(key)


def test_version_order_follows_the_published_date(corpus):
    warehouse, documents, _ = corpus
    revisions = [d for d in documents if key_of(d.spec) == REVISED]
    assert len(revisions) == 2
    got = dict(
        q(
            warehouse,
            "select document_id, is_current from marts.dim_document where document_id in (?, ?)",
            [r.document_id for r in revisions],
        )
    )
    assert got == {r.document_id: r.current for r in revisions}
    # the current one is the one with the smaller hash: content alone would have chosen the other
    current = next(r for r in revisions if r.current)
    assert current.document_id < next(r for r in revisions if not r.current).document_id


def test_city_management_bureau_is_filed_under_its_district(corpus):
    warehouse, _, _ = corpus
    assert sorted(q(warehouse, "select distinct region_name from marts.dim_department")) == sorted(
        [(JIANGJIN,), (QIJIANG,)]
    )
    assert q(
        warehouse, "select region_name from marts.dim_department where department_name like '%城市管理局'"
    ) == [(JIANGJIN,)]


def test_q1_a_departments_expenditure_by_function_class_over_the_years(corpus):
    warehouse, documents, _ = corpus
    department = f"重庆市{JIANGJIN}城市管理局"
    got = q(
        warehouse,
        """
        select fiscal_year, subject_code, amount from analyst.analyst_figures
        where department_name = ? and document_type = 'final_account'
          and table_type = 'final_general_budget_expenditure' and code_level = 'class' and measure = 'total'
        order by 1, 2""",
        [department],
    )
    expected = sorted(
        (d.spec.fiscal_year, r.code, r.amount("total"))
        for d in _current(documents, "final_account")
        if d.spec.department == department
        for r in d.spec.table("final_general_budget_expenditure").rows
        if r.kind == "subject" and len(r.code) == 3 and r.amount("total") is not None
    )
    assert got == expected and len({y for y, _, _ in got}) == len(YEARS)
    # and the additive rows of a document sum to its printed 合计, nothing counted twice
    for d in _current(documents, "budget"):
        if key_of(d.spec) == DEFECT:
            continue  # its printed 合计 is the defect
        (additive,) = q(
            warehouse,
            "select sum(amount) from analyst.analyst_figures "
            "where document_id = ? and is_additive and subject_family = 'function'",
            [d.document_id],
        )[0]
        assert additive == _amount(d.spec, "general_budget_expenditure", "total"), d.spec.slug


def test_q2_the_ten_largest_year_over_year_three_public_rises(corpus):
    warehouse, documents, _ = corpus
    got = q(
        warehouse,
        """
        select department_name, fiscal_year, budget_change_amount from analyst.analyst_three_public_by_year
        where item = 'total' and budget_change_amount is not null
        order by budget_change_amount desc, department_name, fiscal_year limit 10""",
    )
    totals = {
        (d.spec.department, d.spec.fiscal_year): _amount(d.spec, "three_public_expenses", "total")
        for d in _current(documents, "budget")
    }
    changes = [
        (name, year, amount - totals[name, year - 1])
        for (name, year), amount in totals.items()
        if (name, year - 1) in totals
    ]
    expected = sorted(changes, key=lambda c: (-c[2], c[0], c[1]))[:10]
    assert got == expected and len(got) == 4  # 江津区: 3 departments, 綦江区: 1, each one rise


def test_q3_a_regions_general_public_services_per_year(corpus):
    warehouse, documents, _ = corpus
    got = q(
        warehouse,
        """
        select fiscal_year, sum(amount) from analyst.analyst_figures
        where region = ? and subject_code = ? and table_type = 'general_budget_expenditure'
          and measure = 'total' and document_type = 'budget'
        group by fiscal_year order by fiscal_year""",
        [JIANGJIN, GENERAL_PUBLIC_SERVICES],
    )
    expected = defaultdict(Decimal)
    for d in _current(documents, "budget", JIANGJIN):
        rows = [
            r for r in d.spec.table("general_budget_expenditure").rows if r.code == GENERAL_PUBLIC_SERVICES
        ]
        for r in rows:
            expected[d.spec.fiscal_year] += r.amount("total")
    assert got == sorted(expected.items()) and len(got) == len(YEARS)


def test_q4_execution_rate_by_department(corpus):
    warehouse, documents, _ = corpus
    got = q(
        warehouse,
        """
        select department_name, fiscal_year, budget_amount, final_amount, execution_rate
        from analyst.analyst_budget_vs_final
        where subject_code = 'total' and execution_rate is not null order by 1, 2""",
    )
    budgets = {
        (d.spec.department, d.spec.fiscal_year): _amount(d.spec, "general_budget_expenditure", "total")
        for d in _current(documents, "budget")
    }
    finals = {
        (d.spec.department, d.spec.fiscal_year): _amount(d.spec, "final_general_budget_expenditure", "total")
        for d in _current(documents, "final_account")
    }
    expected = sorted(
        (name, year, budgets[name, year], final, (final / budgets[name, year]).quantize(Decimal("0.0001")))
        for (name, year), final in finals.items()
        if (name, year) in budgets
    )
    assert got == expected and len(got) == 3 * len(YEARS)


def test_q5_documents_with_error_level_findings(corpus):
    warehouse, documents, _ = corpus
    got = q(
        warehouse,
        """
        select distinct document_id, document_title, department_name, region, evidence_url
        from analyst.analyst_findings where severity = 'error' and is_current""",
    )
    (defect,) = [d for d in documents if key_of(d.spec) == DEFECT]
    assert {row[:4] for row in got} == {
        (defect.document_id, defect.spec.title, defect.spec.department, JIANGJIN)
    }
    assert all(url.startswith(f"evidence/documents/{defect.document_id}.html#finding-") for *_, url in got)


def test_q6_personnel_vs_public_operation_share(corpus):
    warehouse, documents, _ = corpus
    got = q(
        warehouse,
        """
        select department_name, fiscal_year,
               sum(amount) filter (where measure = 'personnel') / sum(amount) as personnel_share
        from analyst.analyst_figures
        where table_type = 'general_budget_basic_expenditure' and subject_code = 'total'
          and measure in ('personnel', 'public_operation')
        group by all order by 1, 2""",
    )
    expected = []
    for d in sorted(_current(documents, "budget"), key=lambda d: (d.spec.department, d.spec.fiscal_year)):
        personnel = _amount(d.spec, "general_budget_basic_expenditure", "total", "personnel")
        public = _amount(d.spec, "general_budget_basic_expenditure", "total", "public_operation")
        expected.append((d.spec.department, d.spec.fiscal_year, personnel / (personnel + public)))
    assert [(n, y) for n, y, _ in got] == [(n, y) for n, y, _ in expected]
    for (_, _, share), (_, _, exact) in zip(got, expected, strict=True):
        assert abs(Decimal(str(share)) - exact) < Decimal("1e-9")


def test_the_scorecard_of_the_generated_corpus(corpus):
    warehouse, documents, _ = corpus
    got = {
        (region, year): rest
        for region, year, *rest in q(
            warehouse,
            """
        select region, fiscal_year, departments_expected, departments_with_budget,
               departments_with_final_account, budgets_on_time, final_accounts_on_time,
               documents_without_error_findings, documents
        from analyst.analyst_publisher_scorecard""",
        )
    }
    expected = {}
    for region in (JIANGJIN, QIJIANG):
        departments = {d.spec.department for d in documents if d.spec.region == region}
        for year in {d.spec.fiscal_year for d in documents if d.spec.region == region}:
            current = [d for d in _current(documents, region=region) if d.spec.fiscal_year == year]
            budgets = [d for d in current if d.spec.document_type == "budget"]
            finals = [d for d in current if d.spec.document_type == "final_account"]
            expected[region, year] = [
                len(departments),
                len({d.spec.department for d in budgets}),
                len({d.spec.department for d in finals}),
                sum(d.published <= f"{year}-03-31" for d in budgets),
                sum(d.published <= f"{year + 1}-09-30" for d in finals),
                sum(key_of(d.spec) != DEFECT for d in current),
                len(current),
            ]
    assert got == expected
    assert got[LATE[0], LATE[2]][4] == 2  # 财政局's 2023 final account came in November


def test_parquet_publication_reads_with_decimal_types(corpus, tmp_path):
    import polars as pl
    import pyarrow as pa
    import pyarrow.parquet as pq

    from extractors.publish import publish

    warehouse, _, _ = corpus
    run_id = q(warehouse, "select max(run_id) from validation.rule_results")[0][0]
    publication = publish(warehouse, tmp_path / "pub", run_id=run_id, validation_errors=1)
    parquet = Path(publication.parquet_dir)
    for name, column in (
        ("fct_expenditure_by_function", "total_amount"),
        ("analyst_figures", "amount"),
        ("analyst_budget_vs_final", "budget_amount"),
    ):
        table = pq.read_table(parquet / f"{name}.parquet")
        assert table.schema.field(column).type == pa.decimal128(18, 2), name
        frame = pl.read_parquet(parquet / f"{name}.parquet")
        assert frame.schema[column] == pl.Decimal(18, 2), name
        expected = q(
            warehouse,
            f"select sum({column}) from {'analyst' if name.startswith('analyst') else 'marts'}.{name}",
        )
        assert frame[column].sum() == expected[0][0] == pa.compute.sum(table[column]).as_py(), name



@pytest.mark.services
def test_postgresql_publication_has_comments_and_keys(corpus, tmp_path):
    import psycopg2

    from extractors.publish import publish

    warehouse, _, _ = corpus
    uri = fresh_database("budgetwh_analyst_publish_test")
    run_id = q(warehouse, "select max(run_id) from validation.rule_results")[0][0]
    publication = publish(warehouse, tmp_path / "pub", run_id=run_id, validation_errors=1, postgres_uri=uri)
    assert set(publication.analyst) == {
        "analyst_figures",
        "analyst_prior_year_figures",
        "analyst_budget_vs_final",
        "analyst_three_public_by_year",
        "analyst_findings",
        "analyst_publisher_scorecard",
    }
    pg = psycopg2.connect(uri)
    with pg.cursor() as cur:
        cur.execute("""
            select c.relnamespace::regnamespace::text, c.relname, obj_description(c.oid, 'pg_class'),
                   count(*) filter (where col_description(c.oid, a.attnum) is null), count(*)
            from pg_class c join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
            where c.relnamespace in ('marts'::regnamespace, 'analyst'::regnamespace) and c.relkind = 'r'
            group by 1, 2, 3""")
        relations = cur.fetchall()
        cur.execute("""
            select conrelid::regclass::text, contype, pg_get_constraintdef(oid) from pg_constraint
            where connamespace in ('marts'::regnamespace, 'analyst'::regnamespace)""")
        constraints = set(cur.fetchall())
        # the keys hold: an analyst figure joins its document and department
        cur.execute("""
            select count(*) from analyst.analyst_figures f
            join marts.dim_document d on d.document_id = f.document_id
            join marts.dim_department p on p.department_id = f.department_id""")
        (joined,) = cur.fetchone()
    pg.close()
    published = {(schema, name) for schema, name, *_ in relations}
    assert published == {("marts", n) for n in publication.marts} | {
        ("analyst", n) for n in publication.analyst
    }
    assert [
        (schema, name) for schema, name, comment, undescribed, _ in relations if not comment or undescribed
    ] == []
    assert (
        "analyst.analyst_figures",
        "p",
        "PRIMARY KEY (document_id, table_type, subject_code, fiscal_year, measure)",
    ) in constraints
    assert (
        "analyst.analyst_figures",
        "f",
        "FOREIGN KEY (document_id) REFERENCES marts.dim_document(document_id)",
    ) in constraints
    assert (
        "marts.fct_expenditure_by_function",
        "f",
        "FOREIGN KEY (department_id) REFERENCES marts.dim_department(department_id)",
    ) in constraints
    assert {name for name, kind, _ in constraints if kind == "p"} >= {
        f"marts.{n}"
        for n in (
            "dim_document",
            "dim_department",
            "fct_expenditure_by_function",
            "fct_three_public_expenses",
        )
    }
    assert joined == publication.analyst["analyst_figures"]


def test_export_round_trips_through_xlsx(corpus, tmp_path):
    warehouse, documents, _ = corpus
    done = export(warehouse, tmp_path / "out", region=JIANGJIN, department="城市管理局", year=2024)
    figures = read_xlsx(done.xlsx_path)
    assert len(figures) == done.rows > 0
    got = {
        (f["document_id"], f["table_type"], f["subject_code"], f["measure"]): f["amount_10k_yuan"]
        for f in figures
    }
    assert got == dict(
        ((d, t, s, m), a)
        for d, t, s, m, a in q(
            warehouse,
            """
        select document_id, table_type, subject_code, measure, amount from analyst.analyst_figures
        where region = ? and department_name like '%城市管理局' and fiscal_year = 2024""",
            [JIANGJIN],
        )
    )
    # the amounts are the published ones, each with the page the PDF printed it on
    (budget,) = [d for d in documents if key_of(d.spec) == EXPORTED]
    pages = {
        (c["table_type"], c["row_code"], c["measure"]): c["page"]
        for c in read_sidecar(budget.path)["cells"]
        if not c["is_prior_year"]
    }
    exported = {
        (f["table_type"], f["subject_code"], f["measure"]): f
        for f in figures
        if f["document_id"] == budget.document_id
    }
    checked = 0
    for row in budget.spec.table("general_budget_expenditure").rows:
        for measure in ("total", "basic", "project"):
            if row.kind == "subject" and row.amount(measure) is not None:
                figure = exported["general_budget_expenditure", row.code, measure]
                assert figure["amount_10k_yuan"] == row.amount(measure)
                assert figure["source_page"] == pages["general_budget_expenditure", row.code, measure]
                checked += 1
    assert checked > 10
    assert done.csv_path.read_text(encoding="utf-8-sig").splitlines()[0].startswith("province,region,")

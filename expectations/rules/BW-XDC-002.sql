-- id: BW-XDC-002
-- severity: warning
-- kind: cross_document
-- unit: count
-- comparison: at_least
-- message: "{detail}: {subject_code} has {table_type} documents the year before and after {fiscal_year}, expected {expected} for {fiscal_year}, found {actual}"
-- description: >
--   A region's department list is complete every year: a department with a document in year N−1 and
--   in year N+1 but none in year N is missing one (two documents of a year, e.g. the same
--   disclosure as PDF and spreadsheet, are not a gap).
with published as (
    -- every staged document, not the run's scope: a gap (document_id null) is about the whole
    -- warehouse, and a run scoped to a few documents still reports all of them
    select
        region_name,
        department_name,
        document_type,
        fiscal_year,
        count(*) as documents,
        min(document_id) as document_id
    from staging.documents
    where status = 'loaded' and department_name is not null and fiscal_year is not null
    group by all
),

surrounded as (
    select
        earlier.region_name,
        earlier.department_name,
        earlier.document_type,
        earlier.fiscal_year + 1 as fiscal_year
    from published as earlier
    inner join published as later
        on
            earlier.region_name is not distinct from later.region_name
            and earlier.department_name = later.department_name
            and earlier.document_type = later.document_type
            and later.fiscal_year = earlier.fiscal_year + 2
)

select
    p.document_id,
    s.document_type as table_type,
    null as table_index,
    s.department_name as subject_code,
    s.fiscal_year,
    1 as expected_amount,
    coalesce(p.documents, 0) as actual_amount,
    0 as parts_count,
    null as page,
    coalesce(s.region_name, 'region unknown') as detail
from surrounded as s
left join published as p
    on
        s.region_name is not distinct from p.region_name
        and s.department_name = p.department_name
        and s.document_type = p.document_type
        and s.fiscal_year = p.fiscal_year

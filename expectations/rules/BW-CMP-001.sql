-- id: BW-CMP-001
-- severity: warning
-- kind: completeness
-- unit: count
-- comparison: at_least
-- message: "{fiscal_year} {detail}: {actual} {table_type} table(s) found, the template requires {expected}"
-- description: Every table the disclosure template requires of a budget or final-account document is present.
with documents as (
    select
        document_id,
        document_type,
        fiscal_year
    from staged_documents
    where status = 'loaded'
),

found as (
    select
        document_id,
        table_type,
        count(*) as table_count,
        min(page_first) as page
    from staged_tables
    where table_type is not null
    group by all
)

select
    d.document_id,
    r.table_type,
    null as table_index,
    null as subject_code,
    d.fiscal_year,
    1 as expected_amount,
    coalesce(f.table_count, 0) as actual_amount,
    0 as parts_count,
    f.page,
    r.table_name as detail
from documents as d
inner join ref_required_tables as r on d.document_type = r.document_type
left join found as f on d.document_id = f.document_id and r.table_type = f.table_type

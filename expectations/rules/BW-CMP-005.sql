-- id: BW-CMP-005
-- severity: warning
-- kind: completeness
-- unit: count
-- message: "{fiscal_year} {detail}: headings naming the document's department {actual}, expected {expected}"
-- description: >
--   A heading over the tables names the document's department (a table set headed 上海市规划和自然资源局
--   in 上海市普陀区规划和自然资源局's final account was published under another body's name). The
--   interpreter records each such heading (extraction issue heading_names_other_department).
with documents as (
    select
        document_id,
        fiscal_year
    from staged_documents
    where status = 'loaded'
),

foreign_headings as (
    select
        i.document_id,
        i.table_index,
        i.message,
        try_cast(regexp_extract(i.message, '^p\.(\d+):', 1) as integer) as page
    from staging.extraction_issues as i
    where
        i.code = 'heading_names_other_department'
        and i.document_id in (select d.document_id from documents as d)
)

select
    d.document_id,
    coalesce(t.table_type, 'document') as table_type,
    h.table_index,
    'department' as subject_code,
    d.fiscal_year,
    1 as expected_amount,
    (h.document_id is null)::integer as actual_amount,
    0 as parts_count,
    coalesce(h.page, t.page_first) as page,
    coalesce(regexp_replace(h.message, '^p\.\d+: ', ''), 'table headings') as detail
from documents as d
left join foreign_headings as h using (document_id)
left join staged_tables as t on h.document_id = t.document_id and h.table_index = t.table_index

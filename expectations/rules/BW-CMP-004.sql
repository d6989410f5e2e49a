-- id: BW-CMP-004
-- severity: warning
-- kind: completeness
-- unit: count
-- message: "table {detail} of the {fiscal_year} document: recognised {actual}, expected {expected}; no rule checks an unrecognised table"
-- description: Every table found in a document is recognised as one of the disclosure tables.
select
    t.document_id,
    coalesce(t.table_type, 'unrecognised') as table_type,
    t.table_index,
    null as subject_code,
    d.fiscal_year,
    1 as expected_amount,
    (t.table_type is not null)::integer as actual_amount,
    0 as parts_count,
    t.page_first as page,
    coalesce(t.label || ' ', '') || coalesce(t.title, '') as detail
from staged_tables as t
inner join staged_documents as d using (document_id)

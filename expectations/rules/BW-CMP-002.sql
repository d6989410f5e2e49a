-- id: BW-CMP-002
-- severity: error
-- kind: completeness
-- unit: count
-- message: "{table_type} line {subject_code} ({detail}): well-formed codes found {actual}, expected {expected} (类/款/项 have 3, 5 or 7 digits)"
-- description: >
--   Function codes have 3, 5 or 7 digits (类/款/项), economic codes 3 or 5, and the seven-digit economic
--   sub-items some publishers print under a 款 (3010201 津贴补贴, Chongqing, Xi'an); anything else is a
--   misread or a misprint.
with lines as (
    select distinct
        document_id,
        table_type,
        table_index,
        row_code,
        row_name,
        fiscal_year,
        min(page) over (
            partition by document_id, table_index, row_index
        ) as page
    from cell_grid
    where
        row_kind = 'subject' and not is_prior_year
        and (
            list_contains(function_table_types(), table_type)
            or list_contains(economic_table_types(), table_type)
        )
)

select
    document_id,
    table_type,
    table_index,
    row_code as subject_code,
    fiscal_year,
    1 as expected_amount,
    regexp_full_match(coalesce(row_code, ''), '[0-9]{3}([0-9]{2}){0,2}')::integer as actual_amount,
    0 as parts_count,
    page,
    row_name as detail
from lines

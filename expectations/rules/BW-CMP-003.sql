-- id: BW-CMP-003
-- severity: error
-- kind: completeness
-- unit: count
-- message: "{table_type} line {subject_code} ({detail}): parent lines found {actual}, expected {expected}"
-- description: >
--   A section or item code starts with a code present as its parent line in the same table, where the
--   table prints a hierarchy (lines of more than one level); a list of detail lines all at one level
--   (Beijing 支出总表: function × economic code) promises no parent lines. A seven-digit economic
--   sub-item may sit directly under its 类.
with hierarchies as (
    select
        document_id,
        table_index
    from cell_grid
    where row_kind = 'subject'
    group by document_id, table_index
    having count(distinct length(row_code)) > 1
),

lines as (
    select
        document_id,
        table_type,
        table_index,
        row_code,
        any_value(row_name) as row_name,
        min(page) as page,
        any_value(document_fiscal_year) as fiscal_year
    from cell_grid
    where
        row_kind = 'subject'
        and (
            list_contains(function_table_types(), table_type)
            or list_contains(economic_table_types(), table_type)
        )
        and regexp_full_match(row_code, '[0-9]{5}|[0-9]{7}')
        and (document_id, table_index) in (select (h.document_id, h.table_index) from hierarchies as h)
    group by all
),

codes as (
    select distinct
        document_id,
        table_index,
        row_code
    from cell_grid
    where row_kind = 'subject'
)

select
    l.document_id,
    l.table_type,
    l.table_index,
    l.row_code as subject_code,
    l.fiscal_year,
    1 as expected_amount,
    exists(
        select 1 from codes as c
        where
            c.document_id = l.document_id and c.table_index = l.table_index
            and (c.row_code = left(l.row_code, length(l.row_code) - 2)
            -- a seven-digit economic sub-item printed under its 类 without the 款 line (Xi'an:
            -- 3010201 津贴补贴 under 301)
            or (
                length(l.row_code) = 7 and list_contains(economic_table_types(), l.table_type)
                and c.row_code = left(l.row_code, 3)
            ))
    )::integer as actual_amount,
    0 as parts_count,
    l.page,
    coalesce(l.row_name, '') || '; parent ' || left(l.row_code, length(l.row_code) - 2) as detail
from lines as l

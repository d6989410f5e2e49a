-- id: BW-ROW-021
-- severity: error
-- kind: row_sum
-- message: "three public expenses {fiscal_year} [{detail}]: printed change {actual} vs this year less last year {expected} (difference {difference})"
-- description: >
--   A 三公 table printing each figure's year-on-year change (Shenzhen's 增减变化金额 rows under each
--   unit's 2025年 and 2026年 rows, Xi'an's 增减变化情况 columns beside 上年 and 当年) prints this year's
--   figure less last year's, in every column: the change of the same line (its unit, the nearest rows
--   above printing the figure) and the same measure.
with lines as (
    select * from cell_grid
    where table_type in ('three_public_expenses', 'final_three_public_expenses') and measure is not null
),

changes as (
    select
        *,
        regexp_replace(measure, '_change$', '') as base
    from lines
    where ends_with(measure, '_change') and amount is not null
),

years as (
    select
        c.document_id,
        c.table_index,
        c.row_index as change_row,
        c.base,
        y.is_prior_year,
        y.amount,
        y.column_label,
        y.fiscal_year
    from changes as c
    inner join lines as y
        on
            c.document_id = y.document_id
            and c.table_index = y.table_index
            and c.row_kind = y.row_kind
            and c.row_code is not distinct from y.row_code
            and c.row_name is not distinct from y.row_name
            and c.base = y.measure
            and y.amount is not null
            and c.row_index >= y.row_index
            and y.row_index >= c.row_index - 2
            and (y.is_prior_year or c.fiscal_year = y.fiscal_year)
    qualify row_number() over (
        partition by c.document_id, c.table_index, c.row_index, c.measure, y.is_prior_year
        order by y.row_index desc
    ) = 1
)

select
    c.document_id,
    c.table_type,
    c.table_index,
    coalesce(c.row_code, c.row_name) as subject_code,
    c.fiscal_year,
    cur.amount - prev.amount as expected_amount,
    c.amount as actual_amount,
    2 as parts_count,
    c.page,
    c.unit_name,
    c.row_name || ' / ' || c.column_label as detail,
    [
        { 'label': cur.fiscal_year || ' ' || cur.column_label, 'amount': cur.amount },
        { 'label': '- ' || prev.fiscal_year || ' ' || prev.column_label, 'amount': prev.amount }
    ] as parts
from changes as c
inner join years as cur
    on
        c.document_id = cur.document_id and c.table_index = cur.table_index
        and c.row_index = cur.change_row and c.base = cur.base and not cur.is_prior_year
inner join years as prev
    on
        c.document_id = prev.document_id and c.table_index = prev.table_index
        and c.row_index = prev.change_row and c.base = prev.base and prev.is_prior_year

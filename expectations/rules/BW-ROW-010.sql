-- id: BW-ROW-010
-- severity: error
-- kind: row_sum
-- message: "{table_type} {fiscal_year}: income total {actual} vs expenditure total {expected} (difference {difference})"
-- description: In the two-sided summaries (收支总表) 收入总计 equals 支出总计.
with income as (
    select * from figures(
        summary_table_types(),
        ['total'], ['amount', 'total'])
    where row_code = 'income_total'
),

expenditure as (
    select * from figures(
        summary_table_types(),
        ['total'], ['total', 'amount'])
    where row_code = 'expenditure_total'
)

select
    i.document_id, i.table_type, i.table_index, 'income_total' as subject_code, i.fiscal_year,
    coalesce(e.amount, 0) as expected_amount, coalesce(i.amount, 0) as actual_amount, 1 as parts_count,
    i.page, i.unit_name
from income as i
inner join expenditure as e
    on i.document_id = e.document_id and i.table_index = e.table_index and i.fiscal_year = e.fiscal_year

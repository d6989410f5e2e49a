-- id: BW-ROW-010
-- severity: error
-- kind: row_sum
-- message: "{table_type} {fiscal_year}: 收入总计 is {actual}, 支出总计 {expected} (difference {difference})"
-- description: >
--   In the two-sided summaries (收支总表) 收入总计 equals 支出总计; a grand total printed on one side only
--   is compared with zero.
with income as (
    select * from figures(summary_table_types(), ['total'], ['amount', 'total'])
    where row_code = 'income_total'
),

expenditure as (
    select * from figures(summary_table_types(), ['total'], ['total', 'amount'])
    where row_code = 'expenditure_total'
)

select
    coalesce(i.document_id, e.document_id) as document_id,
    coalesce(i.table_type, e.table_type) as table_type,
    coalesce(i.table_index, e.table_index) as table_index,
    'income_total' as subject_code,
    coalesce(i.fiscal_year, e.fiscal_year) as fiscal_year,
    coalesce(e.amount, 0) as expected_amount,
    coalesce(i.amount, 0) as actual_amount,
    1 as parts_count,
    coalesce(i.page, e.page) as page,
    coalesce(i.unit_name, e.unit_name) as unit_name
from income as i
full outer join expenditure as e
    on i.document_id = e.document_id and i.table_index = e.table_index and i.fiscal_year = e.fiscal_year

-- id: BW-XTB-007
-- severity: error
-- kind: cross_table
-- message: "{fiscal_year}: 项目支出明细表 total is {actual}, the 项目支出 total of {detail} {expected} (difference {difference})"
-- description: >
--   The 合计 of 项目支出明细表 equals the 项目支出 total of all the department's money: 部门支出总表,
--   or the general budget expenditure table where the department has no other money and no 部门支出总表.
with listed as (
    select * from figures(['project_expenditure'], ['total'], ['total'])
    where row_code = 'total' and not is_prior_year
)

select
    l.document_id,
    l.table_type,
    l.table_index,
    'project_total' as subject_code,
    l.fiscal_year,
    r.amount as expected_amount,
    l.amount as actual_amount,
    1 as parts_count,
    l.page,
    l.unit_name,
    r.table_type as detail
from listed as l
inner join all_money_expenditure_totals as r
    on l.document_id = r.document_id and l.fiscal_year = r.fiscal_year and r.measure = 'project'

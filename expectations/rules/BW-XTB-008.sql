-- id: BW-XTB-008
-- severity: warning
-- kind: cross_table
-- message: "{fiscal_year}: the {parts_count} project performance tables state {actual} in all, the project expenditure total is {expected} (difference {difference})"
-- description: The amounts stated by the project performance-target tables (资金总额 / 当年预算) add up to the 项目支出 total of table 2.
with stated as (
    select document_id, any_value(fiscal_year) as fiscal_year, sum(amount) as amount, count(*) as projects,
        min(page) as page, any_value(unit_name) as unit_name
    from cell_grid
    where table_type = 'project_performance_targets' and row_kind = 'field' and row_code = 'project_amount'
    group by document_id
),

detail as (
    select * from figures(['general_budget_expenditure'], ['total'], ['project'])
    where row_code = 'total' and not is_prior_year
)

select
    s.document_id, 'project_performance_targets' as table_type, null as table_index,
    'project_total' as subject_code, s.fiscal_year, coalesce(d.amount, 0) as expected_amount,
    coalesce(s.amount, 0) as actual_amount, s.projects as parts_count, s.page, s.unit_name
from stated as s
inner join detail as d on s.document_id = d.document_id and s.fiscal_year = d.fiscal_year

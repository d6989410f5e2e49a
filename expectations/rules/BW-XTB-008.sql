-- id: BW-XTB-008
-- severity: warning
-- kind: cross_table
-- message: "{fiscal_year}: the {parts_count} project performance tables state {actual} in all, the 项目支出 total of {detail} is {expected} (difference {difference})"
-- description: >
--   The amounts stated by the project performance-target tables (资金总额 / 当年预算) add up to the
--   项目支出 total of all the department's money (as for BW-XTB-007).
with stated as (
    select
        document_id,
        any_value(fiscal_year) as fiscal_year,
        sum(amount) as amount,
        count(*) as projects,
        min(page) as page,
        any_value(unit_name) as unit_name
    from cell_grid
    where table_type = 'project_performance_targets' and row_kind = 'field' and row_code = 'project_amount'
    group by document_id
)

select
    s.document_id,
    'project_performance_targets' as table_type,
    null as table_index,
    'project_total' as subject_code,
    s.fiscal_year,
    r.amount as expected_amount,
    coalesce(s.amount, 0) as actual_amount,
    s.projects as parts_count,
    s.page,
    s.unit_name,
    r.table_type as detail
from stated as s
inner join all_money_expenditure_totals as r
    on s.document_id = r.document_id and s.fiscal_year = r.fiscal_year and r.measure = 'project'

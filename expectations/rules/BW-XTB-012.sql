-- id: BW-XTB-012
-- severity: warning
-- kind: cross_table
-- message: "{fiscal_year}: 部门(单位)整体绩效目标表 states {actual} of department expenditure, {detail} {expected} (difference {difference})"
-- description: >
--   The 部门支出预算数 of the department performance-target table equals the expenditure total of all the
--   department's money (部门支出总表, or the general budget expenditure table as for BW-XTB-007).
with stated as (
    select
        document_id,
        table_type,
        table_index,
        fiscal_year,
        amount,
        page,
        unit_name
    from cell_grid
    where
        table_type = 'department_performance_targets' and row_kind = 'field'
        and row_code = 'department_expenditure_total' and amount is not null
)

select
    s.document_id,
    s.table_type,
    s.table_index,
    'expenditure_total' as subject_code,
    s.fiscal_year,
    r.amount as expected_amount,
    s.amount as actual_amount,
    1 as parts_count,
    s.page,
    s.unit_name,
    r.table_type as detail
from stated as s
inner join all_money_expenditure_totals as r
    on s.document_id = r.document_id and s.fiscal_year = r.fiscal_year and r.measure = 'total'

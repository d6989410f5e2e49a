-- id: BW-XTB-006
-- severity: error
-- kind: cross_table
-- message: "{fiscal_year}: {table_type} expenditure is {actual}, the expenditure table total {expected} (difference {difference})"
-- description: >
--   The current-year expenditure of 部门收支总表 equals the 合计 of 部门支出总表 (final accounts:
--   收入支出决算总表 against 支出决算表).
select * from
    compare_totals(
        'department_summary', ['expenditure_current_year', 'expenditure_total'], 'total',
        'department_expenditure', ['total'], 'total', 'expenditure_total'
    )
union all
select * from compare_totals(
    'final_income_expenditure_summary', ['expenditure_current_year', 'expenditure_total'], 'total',
    'final_expenditure', ['total'], 'total', 'expenditure_total'
)

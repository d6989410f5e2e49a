-- id: BW-XTB-006
-- severity: error
-- kind: cross_table
-- message: "{fiscal_year}: 部门收支总表 expenditure is {actual}, 部门支出总表 total {expected} (difference {difference})"
-- description: The current-year expenditure of 部门收支总表 equals the 合计 of 部门支出总表.
select * from compare_totals(
    'department_summary', ['expenditure_current_year', 'expenditure_total'], 'total',
    'department_expenditure', ['total'], 'total', 'expenditure_total')

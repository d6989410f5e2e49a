-- id: BW-XTB-007
-- severity: error
-- kind: cross_table
-- message: "{fiscal_year}: 项目支出明细表 total is {actual}, the project expenditure of the general budget expenditure table {expected} (difference {difference})"
-- description: The 合计 of 项目支出明细表 equals the 项目支出 total of table 2.
select * from compare_totals(
    'project_expenditure', ['total'], 'total', 'general_budget_expenditure', ['total'], 'project', 'project_total')

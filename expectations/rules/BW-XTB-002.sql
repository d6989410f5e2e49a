-- id: BW-XTB-002
-- severity: error
-- kind: cross_table
-- message: "{fiscal_year}: basic expenditure total is {expected} in the general budget expenditure table and {actual} in the basic expenditure table (difference {difference})"
-- description: >
--   The 基本支出 total of table 2 equals the 合计 of table 3 (一般公共预算财政拨款基本支出预算表), and
--   likewise between the two general-budget final-account tables.
select * from compare_totals(
    'general_budget_basic_expenditure', ['total'], 'total', 'general_budget_expenditure', ['total'], 'basic',
    'basic_total')
union all
select * from compare_totals(
    'final_general_budget_basic_expenditure', ['total'], 'total', 'final_general_budget_expenditure', ['total'],
    'basic', 'basic_total')

-- id: BW-XTB-003
-- severity: error
-- kind: cross_table
-- message: "{fiscal_year}: general budget expenditure is {actual} in the fiscal appropriation summary and {expected} in the general budget expenditure table (difference {difference})"
-- description: >
--   The general-budget column of table 1's current-year expenditure equals the 合计 of table 2 (final
--   accounts: 财政拨款收入支出决算总表 against 一般公共预算财政拨款支出决算表).
select * from compare_totals(
    'fiscal_appropriation_summary', ['expenditure_current_year', 'expenditure_total'], 'general_budget',
    'general_budget_expenditure', ['total'], 'total', 'general_budget_total')
union all
select * from compare_totals(
    'final_fiscal_appropriation_summary', ['expenditure_current_year', 'expenditure_total'], 'general_budget',
    'final_general_budget_expenditure', ['total'], 'total', 'general_budget_total')

-- id: BW-ROW-003
-- severity: error
-- kind: row_sum
-- message: "{table_type} {fiscal_year} line {subject_code}: total {actual} vs basic + project {expected} (difference {difference})"
-- description: In expenditure tables, every line's 总计 equals 基本支出 + 项目支出.
select * from across_columns(
    ['general_budget_expenditure', 'department_expenditure', 'government_fund_expenditure',
     'state_capital_expenditure', 'final_general_budget_expenditure', 'final_expenditure'],
    'total', ['basic', 'project'])

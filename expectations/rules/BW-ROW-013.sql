-- id: BW-ROW-013
-- severity: error
-- kind: row_sum
-- message: "{table_type} {fiscal_year} line {detail}: total {actual} vs general budget + government fund + state capital {expected} (difference {difference})"
-- description: On the expenditure side of 财政拨款收支总表 every line's 合计 equals the sum of its fund columns.
select * from across_columns(
    ['fiscal_appropriation_summary', 'final_fiscal_appropriation_summary'], 'total',
    ['general_budget', 'government_fund', 'state_capital']
)

-- id: BW-ROW-020
-- severity: error
-- kind: row_sum
-- message: "{table_type} {fiscal_year} [{detail}]: 支出总计 is {actual}, 本年支出 + 结余分配 + carry-forward {expected} (difference {difference})"
-- description: >
--   In the summaries 支出总计 equals 本年支出(合计) + 结余分配 + 结转下年 (final accounts: 年末结转和结余),
--   in every column (Xi'an: + 未安排支出的实户资金).
select *
from side_total(
    'expenditure_total', 'expenditure_current_year',
    ['balance_distribution', 'carry_forward', 'unspent_account_balance']
)

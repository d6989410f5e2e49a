-- id: BW-ROW-019
-- severity: error
-- kind: row_sum
-- message: "{table_type} {fiscal_year} [{detail}]: 收入总计 is {actual}, 本年收入 + carry-over {expected} (difference {difference})"
-- description: >
--   In the summaries 收入总计 equals 本年收入(合计) + 上年结转 (final accounts: 使用非财政拨款结余 +
--   年初结转和结余; Xi'an: + 用事业基金弥补收支差额 + 上年实户资金余额).
select *
from side_total(
    'income_total', 'income_current_year',
    ['prior_year_carryover', 'non_fiscal_balance_used', 'business_fund_used', 'prior_year_account_balance']
)

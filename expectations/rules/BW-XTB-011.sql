-- id: BW-XTB-011
-- severity: error
-- kind: cross_table
-- message: "{fiscal_year}: 财政拨款收支总表 shows {actual} of government-fund expenditure, the 政府性基金 table {expected} (difference {difference})"
-- description: >
--   An empty 政府性基金预算支出表 goes with an empty 政府性基金 column in table 1, and a filled one with
--   the same total there.
select * from compare_totals(
    'fiscal_appropriation_summary', ['expenditure_current_year', 'expenditure_total'], 'government_fund',
    'government_fund_expenditure', ['total'], 'total', 'government_fund_total'
)

-- id: BW-ROW-011
-- severity: error
-- kind: row_sum
-- message: "{table_type} {fiscal_year}: current-year income {actual} vs the income sources {expected} (difference {difference})"
-- description: In the summaries, 本年收入 equals the sum of its sources (carry-over lines are not part of it).
select * from total_rollup(
    summary_table_types(),
    ['income_current_year'], ['income_source'], null, ['prior_year_carryover']
)

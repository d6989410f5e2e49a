-- id: BW-ROW-012
-- severity: error
-- kind: row_sum
-- message: "{table_type} {fiscal_year} [{detail}]: current-year expenditure {actual} vs the function classes {expected} (difference {difference})"
-- description: In the summaries, 本年支出 equals the sum of the expenditure class lines, in every column.
select * from total_rollup(
    summary_table_types(),
    ['expenditure_current_year'], ['expenditure_class'], null, []
)

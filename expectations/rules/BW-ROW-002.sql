-- id: BW-ROW-002
-- severity: error
-- kind: row_sum
-- message: "{table_type} {fiscal_year} [{detail}]: total line is {actual}, the economic classes sum to {expected} (difference {difference})"
-- description: The 合计 line of the basic expenditure table equals the sum of its economic class lines, per column.
select * from total_rollup(
    economic_table_types(), ['total'], ['subject'], 3, [])

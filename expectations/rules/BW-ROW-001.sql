-- id: BW-ROW-001
-- severity: error
-- kind: row_sum
-- message: "{table_type} {fiscal_year} [{detail}]: total line is {actual}, the function classes sum to {expected} (difference {difference})"
-- description: The 合计 line of a function-classified table equals the sum of its class lines (类), per column and year.
select * from total_rollup(
    function_table_types(),
    ['total'], ['subject'], 3, []
)

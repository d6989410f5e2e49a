-- id: BW-ROW-018
-- severity: error
-- kind: row_sum
-- message: "{table_type} {fiscal_year}: 收入总计 is {actual}, the income sources sum to {expected} (difference {difference})"
-- description: >
--   In a summary that prints no 本年收入 line (部门收支总表 of some templates), 收入总计 equals the sum of
--   its income-source lines, carry-over lines included.
select * from total_rollup(summary_table_types(), ['income_total'], ['income_source'], null, [])
where (document_id, table_index) not in (
    select (g.document_id, g.table_index)
    from cell_grid as g
    where g.row_kind = 'total' and g.row_code = 'income_current_year'
)

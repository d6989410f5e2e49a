-- id: BW-ROW-014
-- severity: error
-- kind: row_sum
-- message: "procurement line {detail}: total {actual} vs its funding sources {expected} (difference {difference})"
-- description: In 政府采购预算明细表 every line's 总计 equals the sum of its funding-source columns.
select * from across_columns(
    ['procurement'], 'total',
    income_source_keys()
)

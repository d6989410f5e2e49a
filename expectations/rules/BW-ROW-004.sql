-- id: BW-ROW-004
-- severity: error
-- kind: row_sum
-- message: "{table_type} {fiscal_year} line {subject_code}: total {actual} vs personnel + public operation {expected} (difference {difference})"
-- description: In the basic expenditure table, every line's 总计 equals 人员经费 + 日常公用经费.
select * from across_columns(
    economic_table_types(),
    'total', ['personnel', 'public_operation']
)

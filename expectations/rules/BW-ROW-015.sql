-- id: BW-ROW-015
-- severity: error
-- kind: row_sum
-- message: "procurement [{detail}]: total line is {actual}, the categories sum to {expected} (difference {difference})"
-- description: The 合计 line of 政府采购预算明细表 equals the sum of its goods / services / works lines.
select * from total_rollup(['procurement'], ['total'], ['subject', 'other', 'field'], null, [])

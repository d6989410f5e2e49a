-- id: BW-ROW-015
-- severity: error
-- kind: row_sum
-- message: "procurement [{detail}]: total line is {actual}, the categories sum to {expected} (difference {difference})"
-- description: The 合计 line of 政府采购预算明细表 equals the sum of its goods / services / works lines (of every line where it prints no category line).
with categorised as (
    -- a table printing category lines nests its units and items under them: the categories alone sum
    -- to the total
    select distinct document_id, table_index from cell_grid
    where table_type = 'procurement' and row_code in ('goods', 'services', 'works')
)

select * from total_rollup(['procurement'], ['total'], ['subject', 'other', 'unit', 'field'], null, [],
    part_codes := ['goods', 'services', 'works'])
where (document_id, table_index) in (select (document_id, table_index) from categorised)
union all
-- the units' lines (苏州市公共资源交易中心 …) are parts like any other line
select * from total_rollup(['procurement'], ['total'], ['subject', 'other', 'unit', 'field'], null, [])
where (document_id, table_index) not in (select (document_id, table_index) from categorised)

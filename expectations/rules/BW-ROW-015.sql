-- id: BW-ROW-015
-- severity: error
-- kind: row_sum
-- message: "procurement [{detail}]: total line is {actual}, the categories sum to {expected} (difference {difference})"
-- description: >
--   The 合计 line of 政府采购预算表 equals the sum of the lines of one level: the highest the table prints
--   (categories 货物 / 服务 / 工程, else the groups heading items, else the units, else the items; the 类
--   lines of a table keyed by function code). The levels nest (Wuxi: 货物 874.10 over its units, each over
--   its items): never two of them summed together.
with levels as (
    select
        document_id,
        table_index,
        case
            when bool_or(row_kind = 'procurement_category') then 'procurement_category'
            when bool_or(row_kind = 'procurement_group') then 'procurement_group'
            when bool_or(row_kind = 'procurement_unit') then 'procurement_unit'
            when bool_or(row_kind = 'procurement_item') then 'procurement_item'
            else 'subject'
        end as part_kind
    from cell_grid
    where table_type = 'procurement' and row_kind <> 'total'
    group by all
)

select r.* from total_rollup(['procurement'], ['total'], ['procurement_category'], null, []) as r
inner join levels as l using (document_id, table_index)
where l.part_kind = 'procurement_category'
union all
select r.* from total_rollup(['procurement'], ['total'], ['procurement_group'], null, []) as r
inner join levels as l using (document_id, table_index)
where l.part_kind = 'procurement_group'
union all
select r.* from total_rollup(['procurement'], ['total'], ['procurement_unit'], null, []) as r
inner join levels as l using (document_id, table_index)
where l.part_kind = 'procurement_unit'
union all
select r.* from total_rollup(['procurement'], ['total'], ['procurement_item'], null, []) as r
inner join levels as l using (document_id, table_index)
where l.part_kind = 'procurement_item'
union all
-- a table keyed by function code (Yantai): its 类 lines
select r.* from total_rollup(['procurement'], ['total'], ['subject'], 3, []) as r
inner join levels as l using (document_id, table_index)
where l.part_kind = 'subject'

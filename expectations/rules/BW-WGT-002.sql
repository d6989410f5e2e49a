-- id: BW-WGT-002
-- severity: warning
-- kind: weights
-- unit: count
-- message: "project performance targets {subject_code}: indicator weights {detail} make {actual}, not {expected}"
-- description: >
--   The indicator weights of a project's 绩效目标表 sum to 100, or to 90 where the remaining 10 belong to
--   预算执行率, stated as its own weight or implied (Chongqing templates leave it out of the indicator list).
with tables as (
    select
        document_id,
        table_type,
        table_index,
        table_title
    from cell_grid
    where table_type = 'project_performance_targets'
    group by all
),

weights as (
    select
        t.document_id,
        t.table_type,
        t.table_index,
        any_value(c.fiscal_year) as fiscal_year,
        sum(c.amount) filter (where c.row_kind = 'indicator' and c.measure = 'weight') as indicator_weights,
        max(c.amount) filter (where c.row_kind = 'field' and c.row_code = 'budget_execution_weight')
            as execution_weight,
        min(c.page) as page
    from tables as t
    inner join cell_grid as c using (document_id, table_index)
    group by all
)

select
    w.document_id,
    w.table_type,
    w.table_index,
    coalesce(s.project_code, s.project_name, s.title) as subject_code,
    w.fiscal_year,
    100 as expected_amount,
    coalesce(w.indicator_weights, 0) + coalesce(w.execution_weight, if(w.indicator_weights = 90, 10, 0))
        as actual_amount,
    0 as parts_count,
    w.page,
    coalesce(w.indicator_weights, 0)::varchar || ' + 预算执行率 '
    || coalesce(w.execution_weight, if(w.indicator_weights = 90, 10, 0))::varchar as detail
from weights as w
left join staged_tables as s using (document_id, table_index)

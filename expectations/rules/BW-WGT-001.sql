-- id: BW-WGT-001
-- severity: warning
-- kind: weights
-- unit: count
-- message: "department performance targets (table {detail}): indicator weights sum to {actual}, not {expected}"
-- description: The indicator weights of 部门(单位)整体绩效目标表 sum to 100.
select
    document_id,
    table_type,
    table_index,
    null as subject_code,
    any_value(fiscal_year) as fiscal_year,
    100 as expected_amount,
    coalesce(sum(amount), 0) as actual_amount,
    0 as parts_count,
    min(page) as page,
    table_index::varchar as detail
from cell_grid
where table_type = 'department_performance_targets' and row_kind = 'indicator' and measure = 'weight'
group by document_id, table_type, table_index

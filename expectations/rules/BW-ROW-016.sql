-- id: BW-ROW-016
-- severity: error
-- kind: row_sum
-- message: "project performance targets {subject_code}: 当年预算 {actual} vs 本级安排 + 上级补助 {expected} (difference {difference})"
-- description: The amount of a project's 绩效目标表 (当年预算 / 资金总额) equals 本级安排 + 上级补助.
with forms as (
    select
        document_id,
        table_type,
        table_index,
        any_value(fiscal_year) as fiscal_year,
        min(page) as page,
        any_value(unit_name) as unit_name,
        max(amount) filter (where row_code = 'project_amount') as project_amount,
        list({ 'label': row_name, 'amount': amount } order by row_index)
        filter (where row_code in ('local_arrangement', 'superior_subsidy')) as parts,
        sum(amount) filter (where row_code in ('local_arrangement', 'superior_subsidy')) as parts_amount
    from cell_grid
    where table_type = 'project_performance_targets' and row_kind = 'field'
    group by all
)

select
    f.document_id,
    f.table_type,
    f.table_index,
    coalesce(s.project_code, s.project_name) as subject_code,
    f.fiscal_year,
    coalesce(f.parts_amount, 0) as expected_amount,
    coalesce(f.project_amount, 0) as actual_amount,
    len(f.parts) as parts_count,
    f.page,
    f.unit_name,
    '当年预算' as total_label,
    f.parts
from forms as f
left join staged_tables as s using (document_id, table_index)
where f.parts is not null and (f.project_amount is not null or f.parts_amount <> 0)

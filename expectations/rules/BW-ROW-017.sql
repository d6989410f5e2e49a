-- id: BW-ROW-017
-- severity: error
-- kind: row_sum
-- message: "project table line {subject_code} ({detail}): a 小计 {actual} vs its columns {expected} (difference {difference})"
-- description: >
--   In 项目支出明细表 every 小计 column (年初特定目标 / 小计, 上级专项 / 小计) equals the sum of the columns
--   printed under the same heading (人员性项目, 一般性项目, ...), on every line.
with lines as (
    select * from cell_grid
    where table_type = 'project_expenditure' and row_kind in ('total', 'project')
),

subtotals as (
    select
        *,
        regexp_extract(column_label, '^(.*) / 小计$', 1) || ' / ' as heading
    from lines
    where regexp_full_match(column_label, '.* / 小计')
)

select
    t.document_id,
    t.table_type,
    t.table_index,
    coalesce(t.row_code, t.row_name) as subject_code,
    t.fiscal_year,
    coalesce(sum(p.amount), 0) as expected_amount,
    coalesce(t.amount, 0) as actual_amount,
    count(*) as parts_count,
    t.page,
    t.unit_name,
    t.row_name as detail,
    t.column_label as total_label,
    list({ 'label': p.column_label, 'amount': p.amount } order by p.column_label) as parts
from subtotals as t
inner join lines as p
    on
        t.document_id = p.document_id and t.table_index = p.table_index and t.row_index = p.row_index
        and t.row_kind = p.row_kind and t.fiscal_year is not distinct from p.fiscal_year
        and starts_with(p.column_label, t.heading) and t.column_label <> p.column_label
group by
    t.document_id, t.table_type, t.table_index, t.row_code, t.row_name, t.fiscal_year, t.amount, t.page,
    t.unit_name, t.row_index, t.column_label

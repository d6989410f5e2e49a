-- id: BW-ROW-012
-- severity: error
-- kind: row_sum
-- message: "{table_type} {fiscal_year} [{detail}]: current-year expenditure {actual} vs the function classes {expected} (difference {difference})"
-- description: >
--   In the summaries, 本年支出 equals the sum of the expenditure class lines (and of the lines of 对附属单位
--   补助支出 and 上缴上级支出 Guangzhou prints after them), in every column. A 本年支出
--   printed in a column no class line is printed in (江苏 2017–2019 收支预算总表: 当年支出小计 under 支出用途,
--   the classes under 功能分类) is the total of the side's one class column, whose cell of that line is
--   printed blank.
with lines as (
    select * from cell_grid
    where list_contains(summary_table_types(), table_type)
),

class_columns as (
    select distinct
        document_id,
        table_index,
        row_group,
        measure,
        fiscal_year,
        column_label
    from lines
    where row_kind = 'expenditure_class' and amount is not null
),

side_columns as (
    select
        document_id,
        table_index,
        row_group,
        measure,
        fiscal_year,
        any_value(column_label) as column_label
    from class_columns
    group by all
    having count(*) = 1
),

totals as (
    select * from lines
    where row_kind = 'total' and row_code = 'expenditure_current_year'
),

moved as (
    select t.* replace (s.column_label as column_label)
    from totals as t
    inner join side_columns as s
        on
            t.document_id = s.document_id and t.table_index = s.table_index
            and t.row_group is not distinct from s.row_group and t.measure is not distinct from s.measure
            and t.fiscal_year is not distinct from s.fiscal_year
    where t.amount is not null and not exists (
        select 1 from class_columns as k
        where
            k.document_id = t.document_id and k.table_index = t.table_index
            and k.row_group is not distinct from t.row_group and k.measure is not distinct from t.measure
            and k.fiscal_year is not distinct from t.fiscal_year and k.column_label = t.column_label
    )
    and not exists (
        select 1 from totals as x
        where
            x.document_id = t.document_id and x.table_index = t.table_index
            and x.row_index = t.row_index and x.column_label = s.column_label and x.amount is not null
    )
),

-- a line whose total moved: that figure only (its blank cell of the class column left out)
placed as (  -- noqa: ST03
    select * from moved
    union all
    select t.* from totals as t
    where not exists (
        select 1 from moved as m
        where
            m.document_id = t.document_id and m.table_index = t.table_index and m.row_index = t.row_index
            and m.row_group is not distinct from t.row_group and m.measure is not distinct from t.measure
            and m.fiscal_year is not distinct from t.fiscal_year
    )
),

parts as (  -- noqa: ST03
    select
        *,
        coalesce(row_code || ' ', '') || coalesce(row_name, '') as part_label
    from lines
    where
        row_kind = 'expenditure_class'
        or (row_kind = 'total' and row_code in ('subsidy_to_subordinate', 'remittance_to_superior'))
)

-- placed and parts, read by name (views.sql, line_sums; hence their noqa: ST03)
select * from line_sums(placed, parts)

-- id: BW-ROW-002
-- severity: error
-- kind: row_sum
-- message: "{table_type} {fiscal_year} [{detail}]: total line is {actual}, the economic classes sum to {expected} (difference {difference})"
-- description: >
--   The 合计 line of the basic expenditure table equals the sum of its economic class lines, per column.
--   A side-by-side table (Shanghai 决算: 301/303 | 302/310 lines) prints no 合计 line but 人员经费合计
--   and 公用经费合计, one under each half: together they equal the sum of the class lines.
select * from
    total_rollup(
        economic_table_types(), ['total'], ['subject'], 3, []
    )
union all
select * from (
    with economic as (
        -- printed cells only: a line of one half meets the other halves' columns blank in the grid
        select * from cell_grid
        where
            list_contains(economic_table_types(), table_type)
            and measure in ('total', 'personnel', 'public_operation') and amount is not null
    ),

    halves as (
        select
            document_id,
            table_type,
            table_index,
            fiscal_year,
            sum(amount) as amount,
            min(page) as page,
            any_value(unit_name) as unit_name,
            string_agg(row_name, ' + ' order by row_index asc, row_code desc) as total_label
        from economic
        where
            row_kind = 'total' and row_code in ('personnel_total', 'public_operation_total')
            and (document_id, table_index) not in (
                select (e.document_id, e.table_index)
                from economic as e
                where e.row_kind = 'total' and e.row_code = 'total'
            )
        group by all
    ),

    classes as (
        select
            document_id,
            table_index,
            fiscal_year,
            sum(amount) as amount,
            count(*) as line_count,
            list({ 'label': row_code || ' ' || coalesce(row_name, ''), 'amount': amount } order by row_code)
                as parts
        from economic
        where row_kind = 'subject' and length(row_code) = 3
        group by all
    )

    select
        h.document_id,
        h.table_type,
        h.table_index,
        'total' as subject_code,
        h.fiscal_year,
        coalesce(c.amount, 0) as expected_amount,
        coalesce(h.amount, 0) as actual_amount,
        coalesce(c.line_count, 0) + 1 as parts_count,
        h.page,
        h.unit_name,
        h.total_label as detail,
        h.total_label,
        c.parts
    from halves as h
    left join classes as c using (document_id, table_index, fiscal_year)
) as side_by_side

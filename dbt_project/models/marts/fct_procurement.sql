-- Incremental by document (macros/incremental_by_document.sql): a run reads only the cells of the documents
-- int_table_cells built since this model's last build
{{ incremental_by_document() }}
with

-- every line of a procurement table (政府采购预算表) with its figures: the total, the categories'
-- (货物 / 服务 / 工程), the units' and groups' heading their items, the items', and the function-code
-- lines of a table keyed by code (docs/staging.md), blank cells included (a printed blank is NULL)
procurement_cells as (

    select
        document_id,
        department_id,
        fiscal_year,
        is_prior_year,
        table_index,
        row_index,
        row_kind,
        row_code,
        row_name,
        row_qualifier,
        measure,
        cast(amount as decimal(18, 2)) as amount,
        page

    from {{ ref('int_table_cells') }}
    where
        {{ rows_to_build() }}
        and table_type = 'procurement'
        and measure is not null
        and row_kind in (
            'total', 'subject', 'procurement_category', 'procurement_unit', 'procurement_group',
            'procurement_item'
        )
    -- one figure per line and measure: where a misread header gives two columns one measure (Xi'an 173,
    -- its header run together with the next table's), the first printed column's
    qualify row_number() over (
        partition by document_id, table_index, row_index, fiscal_year, measure order by col_index
    ) = 1

),

lines as (

    select distinct
        document_id,
        table_index,
        row_index,
        row_kind,
        row_code,
        row_name

    from procurement_cells

),

-- the category a line is printed under (its own for a category line), and how many category and group
-- lines come before it: a unit's items run up to the next unit, category or group line
placed as (

    select
        *,
        last_value(case when row_kind = 'procurement_category' then row_code end ignore nulls) over (
            partition by document_id, table_index order by row_index
        ) as category_code,
        count(*) filter (where row_kind in ('procurement_category', 'procurement_group', 'total')) over (
            partition by document_id, table_index order by row_index
        ) as heading_count

    from lines

),

with_unit as (

    select
        *,
        case
            when row_kind in ('procurement_unit', 'procurement_group', 'procurement_item')
                then last_value(case when row_kind = 'procurement_unit' then row_name end ignore nulls) over (
                    partition by document_id, table_index, heading_count order by row_index
                )
        end as budget_unit_name

    from placed

),

final as (

    select
        c.document_id,
        c.department_id,
        c.fiscal_year,
        c.is_prior_year,
        c.table_index,
        c.row_index,
        case
            when c.row_kind = 'total' then 'total'
            when c.row_kind = 'subject' then 'subject'
            else replace(c.row_kind, 'procurement_', '')
        end as line_level,
        c.row_name as line_name,
        case when c.row_kind != 'total' then u.category_code end as category_code,
        u.budget_unit_name,
        case when regexp_full_match(coalesce(c.row_code, ''), '[0-9]{3}([0-9]{2}){0,2}') then c.row_code end
            as subject_code,
        case when c.row_kind = 'procurement_item' then c.row_qualifier end as economic_code,
        c.measure,
        c.amount,
        c.page,
        {{ build_timestamp() }} as built_at

    from procurement_cells as c
    inner join with_unit as u
        on
            c.document_id = u.document_id
            and c.table_index = u.table_index
            and c.row_index = u.row_index
            and c.row_kind = u.row_kind
            and c.row_code is not distinct from u.row_code
            and c.row_name is not distinct from u.row_name

)

select * from final

-- Incremental by document (macros/incremental_by_document.sql): a run reads only the cells of the documents
-- int_table_cells built since this model's last build
{{ incremental_by_document() }}
with

-- every printed total line of every table (合计, 总计, 本年收入合计, 收入总计, 结转下年 …), blank cells
-- included: the totals as published, for the tables whose facts have no place for them (income sides)
total_cells as (

    select
        document_id,
        department_id,
        table_type,
        table_index,
        row_index,
        row_group,
        row_code as total_key,
        row_name,
        fiscal_year,
        is_prior_year,
        measure,
        cast(amount as decimal(18, 2)) as amount,
        page

    from {{ ref('int_table_cells') }}
    where
        {{ rows_to_build() }}
        and row_kind = 'total'
        and measure is not null
        and table_type is not null

),

-- a total reprinted on a continuation page is the same figure: the first printed line of each key
first_printed as (

    select *
    from total_cells
    qualify row_number() over (
        partition by document_id, table_type, row_group, total_key, fiscal_year, is_prior_year, measure
        order by table_index, row_index
    ) = 1

),

final as (

    select
        document_id,
        department_id,
        table_type,
        fiscal_year,
        is_prior_year,
        row_group,
        total_key,
        row_name,
        measure,
        amount,
        page,
        table_index,
        row_index,
        {{ build_timestamp() }} as built_at

    from first_printed

)

select * from final

-- Incremental by document (macros/incremental_by_document.sql): a run reads only the cells of the documents
-- int_table_cells built since this model's last build
{{ incremental_by_document() }}
with

-- every cell of a budget unit's line (row_kind 'unit': 广州市市长专线电话受理中心, 深圳市生态环境局（本级）,
-- 251001 西安市自然资源和规划局 …) in a column with a measure, blank ones too (a printed blank is NULL)
unit_cells as (

    select
        document_id,
        department_id,
        table_type,
        table_index,
        row_index,
        col_index,
        row_code,
        row_name,
        fiscal_year,
        is_prior_year,
        measure,
        column_label,
        cast(amount as decimal(18, 2)) as amount,
        page

    from {{ ref('int_table_cells') }}
    where
        {{ rows_to_build() }}
        and row_kind = 'unit'
        and measure is not null
        and table_type is not null

),

-- one figure a measure and year of each printed line: where two columns of a line carry one measure
-- (总计 beside 基本支出 / 小计 in a table of basic spending), the first printed
first_column as (

    select *
    from unit_cells
    qualify row_number() over (
        partition by document_id, table_index, row_index, fiscal_year, is_prior_year, measure
        order by col_index
    ) = 1

),

final as (

    select
        document_id,
        department_id,
        table_type,
        fiscal_year,
        is_prior_year,
        row_name as unit_name,
        -- the name reduced to what identifies it across tables (brackets and spaces typeset differently)
        {{ normalised_name('row_name') }} as unit_key,
        row_code as unit_code,
        measure,
        amount,
        column_label,
        page,
        table_index,
        row_index,
        {{ build_timestamp() }} as built_at

    from first_column

)

select * from final

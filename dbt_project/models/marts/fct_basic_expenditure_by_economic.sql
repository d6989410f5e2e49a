-- Incremental by document (macros/unbuilt_documents.sql): a run reads only the cells of the documents
-- int_table_cells built since this model's last build
{{ incremental_by_document() }}
with

cell_amounts as (

    select * from {{ ref('int_cell_amounts') }}
    where {{ rows_to_build() }}

),

economic_cells as (

    select *
    from cell_amounts
    where
        table_type in {{ in_list(var('basic_expenditure_table_types')) }}
        and row_kind = 'subject'
        and measure in ('total', 'personnel', 'public_operation')

),

pivoted as (

    select
        document_id,
        department_id,
        fiscal_year,
        row_code as subject_code,
        table_type,
        is_prior_year,
        min(row_name) as subject_name,
        {{ pivot_measures(['total', 'personnel', 'public_operation']) }}

    from economic_cells
    group by document_id, department_id, fiscal_year, row_code, table_type, is_prior_year

),

final as (

    select
        document_id,
        department_id,
        fiscal_year,
        subject_code,
        -- a table printing its economic lines as lists side by side (the central and Shanghai
        -- 基本支出决算表: a 人员经费 list, a 公用经费 list) prints one figure per line, which is its total
        case
            when total_amount is not null then total_amount
            when personnel_amount is null then public_operation_amount
            when public_operation_amount is null then personnel_amount
        end as total_amount,
        personnel_amount,
        public_operation_amount,
        table_type,
        is_prior_year,
        subject_name,
        {{ build_timestamp() }} as built_at

    from pivoted

)

select * from final

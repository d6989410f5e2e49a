-- Incremental by document (macros/unbuilt_documents.sql): a run reads only the cells of the documents
-- int_table_cells built since this model's last build
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='append_new_columns',
    pre_hook="{{ delete_documents_to_rebuild('int_table_cells') }}",
    post_hook="{{ record_built_documents('int_table_cells') }}"
) }}
with

cell_amounts as (

    select * from {{ ref('int_cell_amounts') }}
    where {{ rows_to_build() }}

),

-- 类/款/项 rows of the function-code tables (表二, 政府性基金, 部门支出总表, ...), and the expenditure
-- side of 收支总表-style tables, which names function classes without codes (the interpreter resolved
-- the code from the national class name)
expenditure_cells as (

    select
        document_id,
        department_id,
        table_type,
        row_code as subject_code,
        row_name,
        fiscal_year,
        is_prior_year,
        measure,
        amount

    from cell_amounts
    where
        (
            table_type in {{ in_list(var('function_expenditure_table_types')) }}
            and row_kind = 'subject'
            and measure in ('total', 'basic', 'project')
        )
        or (
            table_type in {{ in_list(var('income_expenditure_summary_table_types')) }}
            and row_kind = 'expenditure_class'
            and row_group = 'expenditure'
            and measure = 'total'
        )

),

pivoted as (

    select
        document_id,
        department_id,
        fiscal_year,
        subject_code,
        table_type,
        is_prior_year,
        min(row_name) as subject_name,
        {{ pivot_measures(['total', 'basic', 'project']) }}

    from expenditure_cells
    group by document_id, department_id, fiscal_year, subject_code, table_type, is_prior_year

),

final as (

    select
        document_id,
        department_id,
        fiscal_year,
        subject_code,
        table_type,
        total_amount,
        basic_amount,
        project_amount,
        is_prior_year,
        subject_name,
        {{ build_timestamp() }} as built_at

    from pivoted

)

select * from final

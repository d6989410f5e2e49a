-- Incremental by document (macros/unbuilt_documents.sql): the fiscal years each document's amounts
-- name (prior-year columns included), so dim_fiscal_year never reads every cell
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

final as (

    select distinct
        document_id,
        fiscal_year,
        {{ build_timestamp() }} as built_at

    from cell_amounts
    where fiscal_year is not null

)

select * from final

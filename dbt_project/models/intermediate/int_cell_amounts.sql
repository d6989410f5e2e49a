-- Incremental (docs/scale.md): a nightly run converts only the documents staged since the last build
{{ config(
    materialized='incremental',
    unique_key='document_id',
    incremental_strategy='delete+insert',
    on_schema_change='append_new_columns'
) }}

with

table_cells as (

    select * from {{ ref('int_table_cells') }}

),

unbuilt_documents as (

    select int_documents.document_id
    from {{ ref('int_documents') }} as int_documents
    {{ unbuilt_documents('int_documents') }}

),

final as (

    select
        document_id,
        department_id,
        document_type,
        extractor_version,
        document_fiscal_year,
        fiscal_year,
        is_prior_year,
        table_index,
        table_type,
        table_title,
        row_index,
        col_index,
        row_kind,
        row_group,
        row_code,
        row_name,
        measure,
        column_label,
        cast(amount as decimal(18, 2)) as amount,
        raw_text,
        page,
        x0,
        top,
        x1,
        bottom,
        inferred,
        unit_name

    from table_cells
    where
        amount is not null
        and document_id in (select unbuilt_documents.document_id from unbuilt_documents)

)

select * from final

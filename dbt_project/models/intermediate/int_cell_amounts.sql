-- A view over int_table_cells (docs/scale.md): the numeric cells, converted on read, stored once
-- (its data tests check the rows of int_table_cells' last build: it carries their built_at)
{{ config(materialized='view', meta={'data_tests_rows': 'last_build'}) }}

with

table_cells as (

    select * from {{ ref('int_table_cells') }}

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
        row_qualifier,
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
        unit_name,
        built_at

    from table_cells
    where amount is not null

)

select * from final

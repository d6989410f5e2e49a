-- Incremental by document (macros/incremental_by_document.sql): a run joins only the documents staged since
-- the last build, deletes first the documents re-extracted or gone, and stamps its rows built_at
{{ incremental_by_document('int_documents') }}

with

cells as (

    select * from {{ ref('stg_staging__cells') }}

),

tables as (

    select * from {{ ref('stg_staging__tables') }}

),

documents as (

    select * from {{ ref('int_documents') }} as int_documents
    {{ unbuilt_documents('int_documents') }}

),

joined as (

    select
        documents.document_id,
        documents.department_id,
        documents.document_type,
        documents.extractor_version,
        documents.fiscal_year as document_fiscal_year,
        -- a cell without a year of its own belongs to the document's year (docs/staging.md)
        coalesce(cells.fiscal_year, documents.fiscal_year) as fiscal_year,
        cells.is_prior_year,
        cells.table_index,
        tables.table_type,
        tables.table_title,
        tables.project_code as table_project_code,
        tables.project_name as table_project_name,
        cells.row_index,
        cells.col_index,
        cells.row_kind,
        cells.row_group,
        cells.row_code,
        cells.row_name,
        cells.row_qualifier,
        cells.measure,
        cells.column_label,
        cells.amount,
        cells.raw_text,
        cells.page,
        cells.x0,
        cells.top,
        cells.x1,
        cells.bottom,
        cells.inferred,
        tables.unit_name,
        {{ build_timestamp() }} as built_at

    from cells
    inner join documents on cells.document_id = documents.document_id
    inner join tables
        on
            cells.document_id = tables.document_id
            and cells.table_index = tables.table_index

),

final as (

    select * from joined

)

select * from final

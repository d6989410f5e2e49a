-- Incremental by document (macros/incremental_by_document.sql): the subject dimensions count published
-- names here, one row per document and name, instead of reading every cell
{{ incremental_by_document() }}

with

table_cells as (

    select * from {{ ref('int_table_cells') }}
    where {{ rows_to_build() }}

),

-- one line per printed row (a row's cells share its code and name)
subject_rows as (

    select distinct
        document_id,
        table_type,
        table_index,
        row_index,
        row_code as subject_code,
        trim(row_name) as subject_name

    from table_cells
    where
        row_kind = 'subject'
        and row_code is not null
        and nullif(trim(row_name), '') is not null

),

final as (

    select
        document_id,
        table_type,
        subject_code,
        subject_name,
        count(*) as times_published,
        {{ build_timestamp() }} as built_at

    from subject_rows
    group by document_id, table_type, subject_code, subject_name

)

select * from final

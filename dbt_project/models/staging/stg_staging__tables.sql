with

source as (

    select * from {{ source('staging', 'tables') }}

),

renamed as (

    select
        document_id,
        table_index,
        table_type,
        title as table_title,
        label as table_label,
        unit_name,
        page_first,
        page_last,
        nullif(trim(project_code), '') as project_code,
        nullif(trim(project_name), '') as project_name,
        is_empty,
        note,
        header_json

    from source

),

final as (

    select * from renamed

)

select * from final

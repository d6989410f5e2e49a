with

source as (

    select * from {{ source('staging', 'extraction_issues') }}

),

renamed as (

    select
        document_id,
        table_index,
        severity,
        code as issue_code,
        message as issue_message,
        page,
        x0,
        top,
        x1,
        bottom

    from source

),

final as (

    select * from renamed

)

select * from final

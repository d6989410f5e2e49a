with

source as (

    select * from {{ source('staging', 'cells') }}

),

renamed as (

    select
        document_id,
        table_index,
        row_index,
        col_index,
        row_kind,
        row_group,
        nullif(trim(row_code), '') as row_code,
        row_name,
        column_label,
        measure,
        fiscal_year,
        is_prior_year,
        raw_text,
        amount,
        page,
        x0,
        top,
        x1,
        bottom,
        inferred,
        confidence,
        row_qualifier

    from source

),

final as (

    select * from renamed

)

select * from final

with

source as (

    select * from {{ source('staging', 'documents') }}

),

renamed as (

    select
        document_id,
        sha256,
        source_path,
        source_url,
        file_type,
        document_type,
        fiscal_year,
        nullif(trim(province_name), '') as province_name,
        nullif(trim(region_name), '') as region_name,
        nullif(trim(department_name), '') as department_name,
        nullif(trim(unit_code), '') as unit_code,
        title,
        page_count,
        status,
        status = 'loaded' as is_loaded,
        error_code,
        error_message,
        numeric_cell_count,
        published_date,
        extractor_version,
        loaded_at

    from source

),

final as (

    select * from renamed

)

select * from final

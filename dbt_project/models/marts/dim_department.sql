with

documents as (

    select * from {{ ref('int_documents') }}

),

-- names as the latest loaded document prints them; the unit code from the latest document giving one
departments as (

    select
        department_id,
        arg_max(department_name, loaded_at) as department_name,
        arg_max(unit_code, loaded_at) filter (where unit_code is not null) as unit_code,
        arg_max(region_name, loaded_at) as region_name,
        arg_max(province_name, loaded_at) as province_name,
        min(fiscal_year) as first_fiscal_year,
        max(fiscal_year) as last_fiscal_year,
        count(*) as document_count

    from documents
    group by department_id

),

final as (

    select * from departments

)

select * from final

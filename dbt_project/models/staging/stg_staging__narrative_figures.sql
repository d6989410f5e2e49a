with

source as (

    select * from {{ source('staging', 'narrative_figures') }}

),

renamed as (

    select
        document_id,
        figure_key,
        fiscal_year,
        amount,
        sentence,
        page,
        subject_name,
        unit_name,
        raw_text

    from source

),

final as (

    select * from renamed

)

select * from final

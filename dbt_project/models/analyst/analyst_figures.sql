with

figures as (

    select * from {{ ref('int_analyst_figures') }}
    where not is_prior_year

),

final as (

    select * exclude (is_prior_year, document_fiscal_year) from figures

)

select * from final

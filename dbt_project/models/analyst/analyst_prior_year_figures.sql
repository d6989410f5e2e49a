with

figures as (

    select * from {{ ref('int_analyst_figures') }}
    where is_prior_year

),

-- the year that printed the comparison column; fiscal_year is the year the figure is about
final as (

    select
        * exclude (is_prior_year, document_fiscal_year),
        document_fiscal_year as reported_in_fiscal_year
    from figures

)

select * from final

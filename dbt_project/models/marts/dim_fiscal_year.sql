with

documents as (

    select * from {{ ref('int_documents') }}

),

document_fiscal_years as (

    select * from {{ ref('int_document_fiscal_years') }}

),

-- prior-year comparison columns bring years no document of its own covers yet
fiscal_years as (

    select fiscal_year from documents
    where fiscal_year is not null
    union
    select fiscal_year from document_fiscal_years

),

final as (

    select
        fiscal_years.fiscal_year,
        count(documents.document_id) as document_count

    from fiscal_years
    left join documents on fiscal_years.fiscal_year = documents.fiscal_year
    group by fiscal_years.fiscal_year

)

select * from final

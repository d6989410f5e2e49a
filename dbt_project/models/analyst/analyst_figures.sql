-- Incremental by department (macros/incremental_by_department.sql): a run rebuilds only the departments
-- with a document new, re-extracted, gone or no longer current since the last build
{{ incremental_by_department() }}

with

figures as (

    select * from {{ ref('int_analyst_figures') }}
    where not is_prior_year and {{ in_departments_to_rebuild('department_id') }}

),

final as (

    select * exclude (is_prior_year, document_fiscal_year) from figures

)

select * from final

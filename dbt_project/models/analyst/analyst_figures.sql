-- Incremental by department (macros/departments_to_rebuild.sql): a run rebuilds only the departments
-- with a document new, re-extracted, gone or no longer current since the last build
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='append_new_columns',
    pre_hook="{{ delete_departments_to_rebuild() }}",
    post_hook="{{ record_department_documents() }}"
) }}

with

figures as (

    select * from {{ ref('int_analyst_figures') }}
    where not is_prior_year and {{ in_departments_to_rebuild('department_id') }}

),

final as (

    select * exclude (is_prior_year, document_fiscal_year) from figures

)

select * from final

-- Incremental by department (macros/incremental_by_department.sql): a run rebuilds only the departments
-- with a document new, re-extracted, gone or no longer current since the last build
{{ incremental_by_department() }}

with

figures as (

    select * from {{ ref('analyst_figures') }}
    where subject_family = 'three_public' and {{ in_departments_to_rebuild('department_id') }}

),

items as (

    select * from {{ ref('three_public_items') }}

),

by_year as (

    select
        department_id,
        any_value(department_name) as department_name,
        any_value(region) as region,
        any_value(province) as province,
        fiscal_year,
        measure as item,
        any_value(amount) filter (where document_type = 'budget') as budget_amount,
        any_value(amount) filter (where document_type = 'final_account') as final_amount,
        any_value(document_id) filter (where document_type = 'budget') as budget_document_id,
        any_value(document_id) filter (where document_type = 'final_account') as final_document_id,
        any_value(source_page) filter (where document_type = 'budget') as budget_source_page,
        any_value(source_page) filter (where document_type = 'final_account') as final_source_page,
        bool_or(is_additive) as is_additive

    from figures
    group by department_id, fiscal_year, measure

),

-- the previous year as that year's own current documents print it
final as (

    select
        by_year.department_id,
        by_year.department_name,
        by_year.region,
        by_year.province,
        by_year.fiscal_year,
        by_year.item,
        items.item_name,
        by_year.is_additive,
        by_year.budget_amount,
        by_year.final_amount,
        previous.budget_amount as previous_budget_amount,
        previous.final_amount as previous_final_amount,
        cast(by_year.budget_amount - previous.budget_amount as decimal(18, 2)) as budget_change_amount,
        cast(by_year.final_amount - previous.final_amount as decimal(18, 2)) as final_change_amount,
        cast(by_year.final_amount / nullif(by_year.budget_amount, 0) as decimal(9, 4)) as execution_rate,
        by_year.budget_document_id,
        by_year.final_document_id,
        by_year.budget_source_page,
        by_year.final_source_page

    from by_year
    left join items on by_year.item = items.item
    left join by_year as previous
        on
            by_year.department_id = previous.department_id
            and by_year.item = previous.item
            and by_year.fiscal_year = previous.fiscal_year + 1

)

select * from final

-- Incremental by department (macros/incremental_by_department.sql): a run rebuilds only the departments
-- with a document new, re-extracted, gone or no longer current since the last build
{{ incremental_by_department() }}

with

figures as (

    select * from {{ ref('analyst_figures') }}
    where
        table_type in ('general_budget_expenditure', 'final_general_budget_expenditure')
        and measure = 'total'
        and {{ in_departments_to_rebuild('department_id') }}

),

budgeted as (

    select * from figures
    where document_type = 'budget'

),

spent as (

    select * from figures
    where document_type = 'final_account'

),

final as (

    select
        coalesce(budgeted.department_id, spent.department_id) as department_id,
        coalesce(budgeted.department_name, spent.department_name) as department_name,
        coalesce(budgeted.region, spent.region) as region,
        coalesce(budgeted.province, spent.province) as province,
        coalesce(budgeted.fiscal_year, spent.fiscal_year) as fiscal_year,
        coalesce(budgeted.subject_code, spent.subject_code) as subject_code,
        coalesce(
            budgeted.standard_subject_name, spent.standard_subject_name,
            budgeted.subject_name, spent.subject_name
        ) as subject_name,
        coalesce(budgeted.code_level, spent.code_level) as code_level,
        coalesce(budgeted.parent_code, spent.parent_code) as parent_code,
        budgeted.amount as budget_amount,
        spent.amount as final_amount,
        cast(spent.amount - budgeted.amount as decimal(18, 2)) as difference_amount,
        -- the share of the budget spent; null where nothing was budgeted (0 or not printed)
        cast(spent.amount / nullif(budgeted.amount, 0) as decimal(9, 4)) as execution_rate,
        budgeted.document_id as budget_document_id,
        spent.document_id as final_document_id,
        budgeted.source_page as budget_source_page,
        spent.source_page as final_source_page

    from budgeted
    full outer join spent
        on
            budgeted.department_id = spent.department_id
            and budgeted.fiscal_year = spent.fiscal_year
            and budgeted.subject_code = spent.subject_code

)

select * from final

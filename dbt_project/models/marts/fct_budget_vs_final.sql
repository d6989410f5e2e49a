-- Incremental by department (macros/incremental_by_department.sql): a run rebuilds only the departments
-- with a document new, re-extracted, gone or no longer current since the last build
{{ incremental_by_department(data_tests_rows='last_build') }}

with

expenditure as (

    select * from {{ ref('fct_expenditure_by_function') }}
    where {{ in_departments_to_rebuild('department_id') }}

),

documents as (

    select * from {{ ref('int_documents') }}

),

-- the current version of each department's budget and final accounts, current-year columns only
current_expenditure as (

    select
        expenditure.table_type,
        expenditure.department_id,
        expenditure.fiscal_year,
        expenditure.subject_code,
        expenditure.document_id,
        expenditure.total_amount,
        expenditure.basic_amount,
        expenditure.project_amount

    from expenditure
    inner join documents on expenditure.document_id = documents.document_id
    where
        expenditure.table_type in ('general_budget_expenditure', 'final_general_budget_expenditure')
        and not expenditure.is_prior_year
        and documents.is_current

),

budgeted as (

    select * from current_expenditure
    where table_type = 'general_budget_expenditure'

),

spent as (

    select * from current_expenditure
    where table_type = 'final_general_budget_expenditure'

),

final as (

    select
        coalesce(budgeted.department_id, spent.department_id) as department_id,
        coalesce(budgeted.fiscal_year, spent.fiscal_year) as fiscal_year,
        coalesce(budgeted.subject_code, spent.subject_code) as subject_code,
        budgeted.document_id as budget_document_id,
        spent.document_id as final_document_id,
        budgeted.total_amount as budget_amount,
        spent.total_amount as final_amount,
        budgeted.basic_amount as budget_basic_amount,
        spent.basic_amount as final_basic_amount,
        budgeted.project_amount as budget_project_amount,
        spent.project_amount as final_project_amount,
        cast(spent.total_amount - budgeted.total_amount as decimal(18, 2)) as difference_amount,
        -- share of the budget spent; null where nothing was budgeted (0 or absent)
        cast(spent.total_amount / nullif(budgeted.total_amount, 0) as decimal(9, 4)) as execution_rate,
        {{ build_timestamp() }} as built_at

    from budgeted
    full outer join spent
        on
            budgeted.department_id = spent.department_id
            and budgeted.fiscal_year = spent.fiscal_year
            and budgeted.subject_code = spent.subject_code

)

select * from final

with

documents as (

    select * from {{ ref('dim_document') }}
    where load_status = 'loaded' and is_current and fiscal_year is not null

),

departments as (

    select * from {{ ref('dim_department') }}

),

deadlines as (

    select * from {{ ref('publication_deadlines') }}

),

-- every region × year some department of the region published for
region_years as (

    select distinct
        departments.region_name as region,
        departments.province_name as province,
        documents.fiscal_year
    from documents
    inner join departments on documents.department_id = departments.department_id

),

-- a region's departments: those seen in any year
expected as (

    select
        region_name as region,
        count(*) as departments_expected
    from departments
    group by region_name

),

published as (

    select
        departments.region_name as region,
        documents.fiscal_year,
        documents.document_type,
        documents.department_id,
        documents.published_date,
        -- the legal deadline is counted from an approval date no portal prints: approximated by a fixed
        -- day (seed publication_deadlines), budgets in their year, final accounts in the next
        make_date(
            documents.fiscal_year + deadlines.year_offset, deadlines.deadline_month, deadlines.deadline_day
        )
            as deadline,
        documents.failed_error_count

    from documents
    inner join departments on documents.department_id = departments.department_id
    left join deadlines on documents.document_type = deadlines.document_type

),

by_region_year as (

    select
        region,
        fiscal_year,
        count(distinct department_id) filter (where document_type = 'budget') as departments_with_budget,
        count(distinct department_id) filter (where document_type = 'final_account')
            as departments_with_final_account,
        count(*) as documents,
        count(*) filter (where failed_error_count = 0) as documents_without_error_findings,
        count(published_date) filter (where document_type = 'budget') as budgets_dated,
        count(*) filter (where document_type = 'budget' and published_date <= deadline) as budgets_on_time,
        max(published_date) filter (where document_type = 'budget') as budget_last_published_date,
        count(published_date) filter (where document_type = 'final_account') as final_accounts_dated,
        count(*) filter (where document_type = 'final_account' and published_date <= deadline)
            as final_accounts_on_time,
        max(published_date) filter (where document_type = 'final_account')
            as final_account_last_published_date,
        max(deadline) filter (where document_type = 'budget') as budget_deadline,
        max(deadline) filter (where document_type = 'final_account') as final_account_deadline

    from published
    group by region, fiscal_year

),

final as (

    select
        region_years.region,
        region_years.province,
        region_years.fiscal_year,
        expected.departments_expected,
        coalesce(by_region_year.departments_with_budget, 0) as departments_with_budget,
        coalesce(by_region_year.departments_with_final_account, 0) as departments_with_final_account,
        cast(
            coalesce(by_region_year.departments_with_budget, 0) / expected.departments_expected
            as decimal(9, 4)
        ) as budget_publication_rate,
        cast(
            coalesce(by_region_year.departments_with_final_account, 0) / expected.departments_expected
            as decimal(9, 4)
        ) as final_account_publication_rate,
        by_region_year.budget_deadline,
        by_region_year.budgets_dated,
        by_region_year.budgets_on_time,
        by_region_year.budget_last_published_date,
        by_region_year.final_account_deadline,
        by_region_year.final_accounts_dated,
        by_region_year.final_accounts_on_time,
        by_region_year.final_account_last_published_date,
        by_region_year.documents,
        by_region_year.documents_without_error_findings,
        cast(by_region_year.documents_without_error_findings / by_region_year.documents as decimal(9, 4))
            as share_without_error_findings

    from region_years
    inner join expected on region_years.region is not distinct from expected.region
    left join by_region_year
        on
            region_years.region is not distinct from by_region_year.region
            and region_years.fiscal_year = by_region_year.fiscal_year

)

select * from final

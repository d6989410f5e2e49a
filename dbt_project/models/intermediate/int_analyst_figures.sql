-- A view (docs/scale.md): the analyst tables read the facts through it, for the departments they rebuild
{{ config(materialized='view', tags=['post_validation']) }}
with

documents as (

    -- a document whose year is printed nowhere (Beijing's 报表 file without its 情况说明) is in no year's
    -- series: it stays in dim_document with its missing_fiscal_year issue
    select * from {{ ref('dim_document') }}
    where load_status = 'loaded' and is_current and fiscal_year is not null

),

departments as (

    select * from {{ ref('dim_department') }}

),

table_types as (

    select * from {{ ref('table_types') }}

),

function_subjects as (

    select * from {{ ref('dim_function_subject') }}

),

economic_subjects as (

    select * from {{ ref('dim_economic_subject') }}

),

three_public_items as (

    select * from {{ ref('three_public_items') }}

),

cells as (

    select * from {{ ref('int_cell_amounts') }}

),

-- the page a figure is printed on: its cell's (a code printed on several lines of a detail list: the
-- first page), else the first page of its table's year (三公 and income columns of one line)
cell_pages as (

    select
        document_id,
        table_type,
        fiscal_year,
        is_prior_year,
        row_code,
        measure,
        min(page) as page
    from cells
    group by all

),

table_pages as (

    select
        document_id,
        table_type,
        fiscal_year,
        is_prior_year,
        min(page) as page
    from cells
    group by all

),

function_figures as (

    select
        document_id,
        table_type,
        fiscal_year,
        is_prior_year,
        subject_code,
        subject_name,
        regexp_replace(measure_column, '_amount$', '') as measure,
        amount
    from (
        unpivot {{ ref('fct_expenditure_by_function') }}
        on total_amount, basic_amount, project_amount
        into name measure_column value amount
    )

),

economic_figures as (

    select
        document_id,
        table_type,
        fiscal_year,
        is_prior_year,
        subject_code,
        subject_name,
        regexp_replace(measure_column, '_amount$', '') as measure,
        amount
    from (
        unpivot {{ ref('fct_basic_expenditure_by_economic') }}
        on total_amount, personnel_amount, public_operation_amount
        into name measure_column value amount
    )

),

-- one 三公 table row per year: the row is 'total', its columns are the measures
three_public_figures as (

    select
        document_id,
        table_type,
        fiscal_year,
        is_prior_year,
        'total' as subject_code,
        cast(null as varchar) as subject_name,
        regexp_replace(measure_column, '_amount$', '') as measure,
        amount
    from (
        unpivot {{ ref('fct_three_public_expenses') }}
        on
        total_amount, outbound_travel_amount, vehicle_total_amount, vehicle_purchase_amount,
        vehicle_operation_amount, reception_amount
        into name measure_column value amount
    )

),

-- income by source: the source is the measure of the table's total line
income_figures as (

    select
        document_id,
        table_type,
        fiscal_year,
        is_prior_year,
        'total' as subject_code,
        cast(null as varchar) as subject_name,
        income_source as measure,
        amount
    from {{ ref('fct_income_by_source') }}
    where amount is not null

),

-- A document's income table that is additive: its income table of all funds where it prints one, else
-- its summary table (one of them, so income by source is counted once)
income_tables as (

    select
        document_id,
        arg_min(table_type, case
            when table_type in ('department_income', 'final_department_income', 'final_income') then 1
            when table_type in (
                'department_summary', 'final_department_summary',
                'final_income_expenditure_summary'
            ) then 2
            else 3
        end) as additive_table_type

    from income_figures
    group by document_id

),

figures as (

    select
        'function' as subject_family,
        *
    from function_figures
    union all
    select
        'economic' as subject_family,
        *
    from economic_figures
    union all
    select
        'three_public' as subject_family,
        *
    from three_public_figures
    union all
    select
        'income' as subject_family,
        *
    from income_figures

),

final as (

    select
        figures.document_id,
        documents.department_id,
        departments.department_name,
        departments.region_name as region,
        departments.province_name as province,
        figures.fiscal_year,
        documents.fiscal_year as document_fiscal_year,
        documents.document_type,
        documents.title as document_title,
        figures.table_type,
        table_types.table_type_label,
        figures.subject_family,
        figures.subject_code,
        case
            when figures.subject_code = 'total' then '合计'
            else
                coalesce(figures.subject_name, function_subjects.subject_name, economic_subjects.subject_name)
        end as subject_name,
        coalesce(function_subjects.subject_name, economic_subjects.subject_name) as standard_subject_name,
        case
            when figures.subject_code = 'total' then 'total'
            else coalesce(function_subjects.level, economic_subjects.level)
        end as code_level,
        coalesce(function_subjects.parent_code, economic_subjects.parent_code) as parent_code,
        figures.measure,
        cast(figures.amount as decimal(18, 2)) as amount,
        -- Rows that add up without double counting, within one subject_family and one document: the
        -- class rows (类) of the general-budget function table, measure total; the class rows of the
        -- basic-expenditure table by economic class, measure total; the four 三公 parts (出国, 车辆购置,
        -- 车辆运行, 接待); every income source of one income table. Never a 'total' row, a 款/项 under a
        -- class, a basic/project part of a total, or a second table of the same money.
        case figures.subject_family
            when 'function'
                then
                    figures.table_type in ('general_budget_expenditure', 'final_general_budget_expenditure')
                    and length(figures.subject_code) = 3 and figures.measure = 'total'
            when 'economic' then length(figures.subject_code) = 3 and figures.measure = 'total'
            when 'three_public' then three_public_items.is_part
            when 'income' then figures.table_type = income_tables.additive_table_type
        end as is_additive,
        figures.is_prior_year,
        coalesce(cell_pages.page, table_pages.page) as source_page,
        documents.source_url

    from figures
    inner join documents on figures.document_id = documents.document_id
    left join departments on documents.department_id = departments.department_id
    left join table_types on figures.table_type = table_types.table_type
    left join function_subjects
        on figures.subject_family = 'function' and figures.subject_code = function_subjects.subject_code
    left join economic_subjects
        on figures.subject_family = 'economic' and figures.subject_code = economic_subjects.subject_code
    left join three_public_items
        on figures.subject_family = 'three_public' and figures.measure = three_public_items.item
    left join income_tables on figures.document_id = income_tables.document_id
    left join cell_pages
        on
            figures.document_id = cell_pages.document_id
            and figures.table_type = cell_pages.table_type
            and figures.fiscal_year = cell_pages.fiscal_year
            and figures.is_prior_year = cell_pages.is_prior_year
            and figures.subject_code = cell_pages.row_code
            and figures.measure = cell_pages.measure
    left join table_pages
        on
            figures.document_id = table_pages.document_id
            and figures.table_type = table_pages.table_type
            and figures.fiscal_year = table_pages.fiscal_year
            and figures.is_prior_year = table_pages.is_prior_year
    where figures.amount is not null

)

select * from final

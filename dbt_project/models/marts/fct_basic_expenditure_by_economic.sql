-- Incremental by document (macros/incremental_by_document.sql): a run reads only the cells of the documents
-- int_table_cells built since this model's last build
{{ incremental_by_document() }}
{%- set fund_measures = var('fund_source_measures') | list %}
with

-- every staged cell, blank ones too: a printed blank is NULL in its row (CONTRACT.md)
cell_amounts as (

    select
        * exclude (amount),
        cast(amount as decimal(18, 2)) as amount
    from {{ ref('int_table_cells') }}
    where {{ rows_to_build() }}

),

basic_cells as (

    select *
    from cell_amounts
    where
        table_type in {{ in_list(var('basic_expenditure_table_types')) }}
        and measure in {{ in_list(['total', 'personnel', 'public_operation'] + fund_measures) }}

),

-- economic code rows, and the table's printed total line as subject_code 'total' (the first printed:
-- a 合计 reprinted on a continuation page is the same figure)
economic_cells as (

    select *
    from basic_cells
    where row_kind = 'subject'

    union all

    select *
    from basic_cells
    where row_kind = 'total' and row_code = 'total'
    qualify dense_rank() over (partition by document_id, table_type order by table_index, row_index) = 1

),

pivoted as (

    select
        document_id,
        department_id,
        fiscal_year,
        row_code as subject_code,
        -- the government economic class a line is printed under, where a table prints its department
        -- codes once per government class (Yantai: 301 under 501 and again under 505)
        row_qualifier as government_economic_class,
        table_type,
        is_prior_year,
        min(row_name) as subject_name,
        {{ pivot_measures(['total', 'personnel', 'public_operation'] + fund_measures) }},
        count(amount) as amount_count

    from economic_cells
    group by document_id, department_id, fiscal_year, row_code, row_qualifier, table_type, is_prior_year

),

-- A printed line is never dropped: a year's row stays when it holds a figure, and a line printed blank
-- in every column stays as the document year's row of NULLs (a comparison year's blank cells are not a
-- row of their own)
kept as (

    select * exclude (amount_count)
    from pivoted
    qualify
        amount_count > 0
        or (not is_prior_year and sum(amount_count) over (
            partition by document_id, table_type, subject_code, government_economic_class
        ) = 0)

),

final as (

    select
        document_id,
        department_id,
        fiscal_year,
        subject_code,
        government_economic_class,
        -- a table printing its economic lines as lists side by side (the central and Shanghai
        -- 基本支出决算表: a 人员经费 list, a 公用经费 list) prints one figure per line, which is its total
        case
            when total_amount is not null then total_amount
            when personnel_amount is null then public_operation_amount
            when public_operation_amount is null then personnel_amount
        end as total_amount,
        personnel_amount,
        public_operation_amount,
        table_type,
        is_prior_year,
        subject_name,
        {%- for measure in fund_measures %}
            {{ measure }}_amount,
        {%- endfor %}
        {{ build_timestamp() }} as built_at

    from kept

)

select * from final

-- Incremental by document (macros/incremental_by_document.sql): a run reads only the cells of the documents
-- int_table_cells built since this model's last build
{{ incremental_by_document() }}
-- 部门支出总表 of Shenzhen prints the year's procurement beside its spending (政府采购项目, of it the
-- shares reserved for small and medium, and for small and micro enterprises): figures of their own
{%- set measures = ['total', 'basic', 'project', 'procurement', 'procurement_sme_reserved',
                    'procurement_small_micro_reserved'] + var('fund_source_measures') | list %}
{%- set fund_measures = var('fund_source_measures') | list %}
with

-- every staged cell, blank ones too: a printed blank is NULL in its row, and a printed line whose
-- cells are all blank is still a row (CONTRACT.md)
cell_amounts as (

    select
        * exclude (amount),
        cast(amount as decimal(18, 2)) as amount
    from {{ ref('int_table_cells') }}
    where {{ rows_to_build() }}

),

-- 类/款/项 rows of the function-code tables (表二, 政府性基金, 部门支出总表, ...), and the expenditure
-- side of 收支总表-style tables, which names function classes without codes (the interpreter resolved
-- the code from the national class name) and, in some, the 款/项 under them (Hangzhou: 司法 / 行政运行,
-- coded from their names under the class)
expenditure_cells as (

    select
        document_id,
        department_id,
        table_type,
        table_index,
        row_index,
        row_kind,
        row_code as subject_code,
        row_name,
        fiscal_year,
        is_prior_year,
        measure,
        amount

    from cell_amounts
    where
        (
            table_type in {{ in_list(var('function_expenditure_table_types')) }}
            and row_kind = 'subject'
            and measure in {{ in_list(measures) }}
        )
        or (
            table_type in {{ in_list(var('income_expenditure_summary_table_types')) }}
            and row_kind in ('expenditure_class', 'subject')
            and row_group = 'expenditure'
            and measure = 'total'
        )
        or (
            table_type in {{ in_list(var('function_expenditure_table_types')) }}
            and row_kind = 'total'
            and row_code = 'total'
            and measure in {{ in_list(measures) }}
        )

),

-- A table's printed total line (合计/总计, or a line labelled with the unit's name) is the row
-- subject_code 'total'; a 合计 reprinted on a continuation page, or a 总计 under a 合计, is the same
-- figure printed again: the first printed line is kept.
expenditure_rows as (

    select *
    from expenditure_cells
    where row_kind != 'total'

    union all

    select *
    from expenditure_cells
    where row_kind = 'total'
    qualify dense_rank() over (partition by document_id, table_type order by table_index, row_index) = 1

),

-- A list of detail lines (Beijing 支出总表: function × economic code, one line each) prints a code on
-- several lines and no line of another level: a code's figure there is the sum of its lines. A table with
-- a hierarchy prints each code once.
detail_lists as (

    select
        document_id,
        table_index

    from expenditure_rows
    where row_kind = 'subject'
    group by document_id, table_index
    having
        count(distinct length(subject_code)) = 1
        and count(distinct row_index) > count(distinct subject_code)

),

code_amounts as (

    select
        c.document_id,
        c.department_id,
        c.table_type,
        c.subject_code,
        min(c.row_name) as row_name,
        c.fiscal_year,
        c.is_prior_year,
        c.measure,
        cast(sum(c.amount) as decimal(18, 2)) as amount

    from expenditure_rows as c
    inner join detail_lists as d
        on c.document_id = d.document_id and c.table_index = d.table_index
    group by
        c.document_id, c.department_id, c.table_type, c.subject_code,
        c.fiscal_year, c.is_prior_year, c.measure

    union all

    select
        c.document_id,
        c.department_id,
        c.table_type,
        c.subject_code,
        c.row_name,
        c.fiscal_year,
        c.is_prior_year,
        c.measure,
        c.amount

    from expenditure_rows as c
    left join detail_lists as d
        on c.document_id = d.document_id and c.table_index = d.table_index
    where d.document_id is null

),

pivoted as (

    select
        document_id,
        department_id,
        fiscal_year,
        subject_code,
        table_type,
        is_prior_year,
        min(row_name) as subject_name,
        {{ pivot_measures(measures) }},
        count(amount) as amount_count

    from code_amounts
    group by document_id, department_id, fiscal_year, subject_code, table_type, is_prior_year

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
            partition by document_id, table_type, subject_code
        ) = 0)

),

final as (

    select
        document_id,
        department_id,
        fiscal_year,
        subject_code,
        table_type,
        total_amount,
        basic_amount,
        project_amount,
        is_prior_year,
        procurement_amount,
        procurement_sme_reserved_amount,
        procurement_small_micro_reserved_amount,
        subject_name,
        {%- for measure in fund_measures %}
            {{ measure }}_amount,
        {%- endfor %}
        {{ build_timestamp() }} as built_at

    from kept

)

select * from final

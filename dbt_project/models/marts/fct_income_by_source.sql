-- Incremental by document (macros/incremental_by_document.sql): a run reads only the cells of the documents
-- int_table_cells built since this model's last build
{{ incremental_by_document() }}
with

cell_amounts as (

    select * from {{ ref('int_cell_amounts') }}
    where {{ rows_to_build() }}

),

-- income side of 收支总表-style tables: one line per source, and carry-over (上年结转) either as one
-- line per fund or as a single total line
summary_income_cells as (

    select
        document_id,
        department_id,
        fiscal_year,
        is_prior_year,
        table_type,
        row_kind,
        row_code as income_source,
        amount

    from cell_amounts
    where
        table_type in {{ in_list(var('income_expenditure_summary_table_types')) }}
        and row_group = 'income'
        and measure = 'amount'
        and (
            row_kind = 'income_source'
            or (row_kind = 'total' and row_code = 'prior_year_carryover')
        )

),

summary_income as (

    select
        document_id,
        department_id,
        fiscal_year,
        is_prior_year,
        table_type,
        income_source,
        -- per-fund carry-over lines add up to the source; the total line stands in only when the
        -- table has no per-fund lines, so carry-over is never counted twice
        coalesce(
            sum(amount) filter (where row_kind = 'income_source'),
            sum(amount) filter (where row_kind = 'total')
        ) as amount

    from summary_income_cells
    group by document_id, department_id, fiscal_year, is_prior_year, table_type, income_source

),

-- 部门收入总表: the 合计 row's column per source
income_table_totals as (

    select
        document_id,
        department_id,
        fiscal_year,
        is_prior_year,
        table_type,
        -- 财政专户拨款收入 printed as its parts (Guangzhou: 教育收费 | 其他专户收入拨款): their sum
        case
            when starts_with(measure, 'fiscal_special_account_') then 'fiscal_special_account' else measure
        end as income_source,
        sum(amount) as amount

    from cell_amounts
    where
        table_type in {{ in_list(var('income_by_function_table_types')) }}
        and row_kind = 'total'
        and row_code = 'total'
        and (
            measure in {{ in_list(var('income_sources')) }}
            or measure in ('fiscal_special_account_education_fees', 'fiscal_special_account_other')
        )
    group by document_id, department_id, fiscal_year, is_prior_year, table_type, income_source

),

income_by_source as (

    select * from summary_income
    union all by name
    select * from income_table_totals

),

final as (

    select
        document_id,
        department_id,
        fiscal_year,
        table_type,
        income_source,
        cast(amount as decimal(18, 2)) as amount,
        is_prior_year,
        {{ build_timestamp() }} as built_at

    from income_by_source

)

select * from final

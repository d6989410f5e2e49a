-- Incremental by document (macros/incremental_by_document.sql): a run reads only the cells of the documents
-- int_table_cells built since this model's last build
{{ incremental_by_document() }}
with

-- the lists a summary prints beside its function classes by economic class (Xi'an 部门综合预算收支总表:
-- 部门预算支出经济科目 1、人员经费和公用经费支出 | (1)工资福利支出 …, 政府预算支出经济分类科目 机关工资福利
-- 支出 …): their purpose lines (economic_purpose, keyed basic / project), class lines (economic_class,
-- the code from the name in the list's scheme, the purpose line above it as qualifier) and total lines
-- (economic_total, the total key, the list's scheme as qualifier), blank ones too
list_cells as (

    select
        document_id,
        department_id,
        table_type,
        table_index,
        row_index,
        row_kind,
        row_code,
        row_qualifier,
        row_name,
        fiscal_year,
        is_prior_year,
        cast(amount as decimal(18, 2)) as amount,
        page

    from {{ ref('int_table_cells') }}
    where
        {{ rows_to_build() }}
        and table_type in {{ in_list(var('income_expenditure_summary_table_types')) }}
        and row_kind in ('economic_purpose', 'economic_class', 'economic_total')
        and measure = 'total'

),

final as (

    select
        document_id,
        department_id,
        table_type,
        fiscal_year,
        is_prior_year,
        -- government: 政府预算支出经济分类 (501 …); department: 部门预算支出经济分类 (301 …)
        case
            when row_kind = 'economic_total' then row_qualifier
            when row_kind = 'economic_class' and starts_with(row_code, '5') then 'government'
            else 'department'
        end as economic_scheme,
        -- basic (人员经费和公用经费支出) or project (专项业务经费支出) spending; null where the list does
        -- not split by purpose (the government list) and on the list's total lines
        case
            when row_kind = 'economic_purpose' then row_code
            when row_kind = 'economic_class' then row_qualifier
        end as purpose,
        -- the purpose line itself is the purpose's printed total; the list's total lines keep their
        -- total key (expenditure_current_year 本年支出合计, expenditure_total 支出总计, carry_forward …)
        case when row_kind = 'economic_purpose' then 'total' else row_code end as economic_code,
        row_name as economic_name,
        amount,
        page,
        table_index,
        row_index,
        {{ build_timestamp() }} as built_at

    from list_cells

)

select * from final

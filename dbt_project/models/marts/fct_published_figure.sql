-- Incremental by document (macros/incremental_by_document.sql): a run reads only the cells of the documents
-- int_table_cells built since this model's last build
{{ incremental_by_document() }}
with

-- every published figure of every recognised table, as printed, blanks too (a printed blank is NULL):
-- the tables the contract's facts conform (their lines are also there) and those no fact conforms
-- (Shenzhen's and Guangzhou's 基本支出总表 and 项目支出总表 by fund, 财政拨款支出表, 机关运行经费 …)
figures as (

    select
        document_id,
        department_id,
        document_type,
        table_type,
        table_title,
        table_index,
        row_index,
        col_index,
        row_kind,
        row_code,
        row_name,
        row_qualifier,
        fiscal_year,
        is_prior_year,
        measure,
        column_label,
        cast(amount as decimal(18, 2)) as amount,
        raw_text,
        page,
        x0,
        top,
        x1,
        bottom

    from {{ ref('int_table_cells') }}
    where
        {{ rows_to_build() }}
        and {{ is_published_figure() }}

),

final as (

    select
        *,
        {{ build_timestamp() }} as built_at

    from figures

)

select * from final

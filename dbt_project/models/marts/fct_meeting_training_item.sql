-- Incremental by document (macros/incremental_by_document.sql): a run reads only the cells of the documents
-- int_table_cells built since this model's last build
{{ incremental_by_document() }}
with

-- the meetings and trainings a 会议费明细表 / 培训费明细表 lists (Xi'an: 序号 | 会议名称 | 时间 | 人数 | 金额 |
-- 备注), each with its amount as printed, and the table's 合计 line as item_name 'total'
item_cells as (

    select
        document_id,
        department_id,
        fiscal_year,
        table_type,
        table_title,
        table_index,
        row_index,
        row_kind,
        row_name,
        cast(amount as decimal(18, 2)) as amount,
        page

    from {{ ref('int_table_cells') }}
    where
        {{ rows_to_build() }}
        and table_type = 'meeting_training_expenses'
        and (row_kind = 'item' or (row_kind = 'total' and row_code = 'total'))
        and measure = 'total'

),

final as (

    select
        document_id,
        department_id,
        fiscal_year,
        table_type,
        -- 会议 or 培训, from the table's title
        case when table_title like '%培训%' then 'training' else 'meeting' end as expense_kind,
        case when row_kind = 'total' then 'total' else row_name end as item_name,
        amount,
        page,
        table_index,
        row_index,
        {{ build_timestamp() }} as built_at

    from item_cells
    qualify row_number() over (partition by document_id, table_index, row_index order by page) = 1

)

select * from final

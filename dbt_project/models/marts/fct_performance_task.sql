-- Incremental by document (macros/incremental_by_document.sql): a run reads only the cells of the documents
-- int_table_cells built since this model's last build
{{ incremental_by_document() }}
with

-- the task list of a performance form (Xi'an 部门整体支出绩效目标表 年度主要任务: 任务名称 | 主要内容 |
-- 总额 | 财政拨款 | 其他资金, closed by 金额合计): its task lines (row_kind task) and its total line, each
-- figure as printed
task_cells as (

    select
        document_id,
        department_id,
        fiscal_year,
        table_type,
        table_index,
        row_index,
        row_kind,
        row_name,
        measure,
        cast(amount as decimal(18, 2)) as amount,
        page

    from {{ ref('int_table_cells') }}
    where
        {{ rows_to_build() }}
        and table_type in {{ in_list(
            var('department_performance_target_table_types')
            + var('project_performance_target_table_types')
        ) }}
        and (row_kind = 'task' or (row_kind = 'total' and row_code = 'total'))
        and measure in ('total', 'fiscal_appropriation', 'other_funds')

),

final as (

    select
        document_id,
        department_id,
        fiscal_year,
        table_type,
        -- the task's name as printed; 'total' on the list's 金额合计 line
        case when any_value(row_kind) = 'total' then 'total' else any_value(row_name) end as task_name,
        max(amount) filter (where measure = 'total') as total_amount,
        max(amount) filter (where measure = 'fiscal_appropriation') as fiscal_appropriation_amount,
        max(amount) filter (where measure = 'other_funds') as other_funds_amount,
        min(page) as page,
        table_index,
        row_index,
        {{ build_timestamp() }} as built_at

    from task_cells
    group by document_id, department_id, fiscal_year, table_type, table_index, row_index

)

select * from final

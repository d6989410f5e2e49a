-- Incremental by document (macros/incremental_by_document.sql): a run reads only the cells of the documents
-- int_table_cells built since this model's last build
{{ incremental_by_document() }}
{%- set fund_measures = var('fund_source_measures') | list %}
with

table_cells as (

    select * from {{ ref('int_table_cells') }}
    where {{ rows_to_build() }}

),

-- 项目支出明细表: one row per project, its 合计 column, and the money paying for it where the table
-- splits each project by fund (Yantai, Hangzhou, Huzhou: 财政拨款 小计, 一般公共预算, 单位资金 …)
listed_projects as (

    select
        document_id,
        department_id,
        fiscal_year,
        table_index,
        row_index,
        row_code as project_code,
        trim(row_name) as project_name,
        {{ normalised_name('row_name') }} as normalised_name,
        {{ pivot_measures(['total'] + fund_measures, value='cast(amount as decimal(18, 2))') }}

    from table_cells
    where
        table_type in {{ in_list(var('project_expenditure_table_types')) }}
        and row_kind = 'project'
        and measure in {{ in_list(['total'] + fund_measures) }}
    group by document_id, department_id, fiscal_year, table_index, row_index, row_code, row_name
    -- a project line is the line of its 合计 cell (a blank 合计 staged too: the row is never dropped)
    having count(*) filter (where measure = 'total') > 0

),

-- 项目支出绩效目标表: one table per project, its amount in the project_amount field
targeted_projects as (

    select
        document_id,
        any_value(department_id) as department_id,
        any_value(document_fiscal_year) as fiscal_year,
        table_index,
        any_value(table_project_code) as project_code,
        any_value(trim(table_project_name)) as project_name,
        any_value({{ normalised_name('table_project_name') }}) as normalised_name,
        cast(max(amount) filter (where row_kind = 'field' and row_code = 'project_amount') as decimal(18, 2))
            as amount

    from table_cells
    where
        table_type in {{ in_list(var('project_performance_target_table_types')) }}
        and (table_project_code is not null or table_project_name is not null)
    group by document_id, table_index

),

-- A project listed in both is the same project when the codes agree, else when the names agree once
-- normalised, else when one name contains the other (performance tables often prefix the district or
-- centre: 潼南区政务中心日常运行经费 vs 日常运行经费) and the amounts agree. Each side matches at most once,
-- strongest evidence first.
candidate_matches as (

    select
        targeted.document_id,
        targeted.table_index as target_table_index,
        listed.table_index as listed_table_index,
        listed.row_index as listed_row_index,
        case
            when targeted.project_code = listed.project_code then 1
            when targeted.normalised_name = listed.normalised_name then 2
            when (
                contains(targeted.normalised_name, listed.normalised_name)
                or contains(listed.normalised_name, targeted.normalised_name)
            ) and targeted.amount = listed.total_amount then 3
        end as match_strength

    from targeted_projects as targeted
    inner join listed_projects as listed on targeted.document_id = listed.document_id

),

matches as (

    select *
    from candidate_matches
    where match_strength is not null
    qualify row_number() over (
        partition by document_id, target_table_index
        order by match_strength, listed_table_index, listed_row_index
    ) = 1
    and row_number() over (
        partition by document_id, listed_table_index, listed_row_index
        order by match_strength, target_table_index
    ) = 1

),

listed_with_targets as (

    select
        listed.document_id,
        listed.department_id,
        listed.fiscal_year,
        coalesce(listed.project_code, targeted.project_code) as project_code,
        listed.project_name,
        listed.normalised_name,
        listed.total_amount as amount,
        listed.table_index,
        listed.row_index,
        {%- for measure in fund_measures %}
            listed.{{ measure }}_amount,
        {%- endfor %}
        targeted.table_index as performance_table_index

    from listed_projects as listed
    left join matches
        on
            listed.document_id = matches.document_id
            and listed.table_index = matches.listed_table_index
            and listed.row_index = matches.listed_row_index
    left join targeted_projects as targeted
        on
            matches.document_id = targeted.document_id
            and matches.target_table_index = targeted.table_index

),

targets_only as (

    select
        targeted.document_id,
        targeted.department_id,
        targeted.fiscal_year,
        targeted.project_code,
        targeted.project_name,
        targeted.normalised_name,
        targeted.amount,
        targeted.table_index,
        cast(null as integer) as row_index,
        targeted.table_index as performance_table_index

    from targeted_projects as targeted
    anti join matches
        on
            targeted.document_id = matches.document_id
            and targeted.table_index = matches.target_table_index

),

projects as (

    select * from listed_with_targets
    union all by name
    select * from targets_only

),

final as (

    select
        document_id,
        department_id,
        fiscal_year,
        project_code,
        project_name,
        amount,
        {%- for measure in fund_measures %}
            {{ measure }}_amount,
        {%- endfor %}
        coalesce(project_code, 'name:' || normalised_name) as project_key,
        table_index,
        row_index,
        performance_table_index,
        {{ build_timestamp() }} as built_at

    from projects

)

select * from final

{%- set text_measures = [
    'indicator_level1', 'indicator_level2', 'indicator_level3', 'unit', 'operator', 'target_value', 'is_core'
] -%}
-- Incremental by document (macros/incremental_by_document.sql): a run reads only the cells of the documents
-- int_table_cells built since this model's last build
{{ incremental_by_document() }}
with

table_cells as (

    select * from {{ ref('int_table_cells') }}
    where {{ rows_to_build() }}

),

operators as (

    select * from {{ ref('indicator_operators') }}

),

boolean_labels as (

    select * from {{ ref('boolean_labels') }}

),

indicator_cells as (

    select
        *,
        nullif(trim(raw_text), '') as cell_text
    from table_cells
    where
        table_type in {{ in_list(
            var('department_performance_target_table_types')
            + var('project_performance_target_table_types')
        ) }}
        and row_kind = 'indicator'

),

pivoted as (

    select
        document_id,
        department_id,
        document_fiscal_year as fiscal_year,
        table_type,
        table_index,
        row_index,
        table_project_code,
        table_project_name,
        {{ pivot_measures(text_measures, value='cell_text', suffix='_text') }},
        max(cell_text) filter (where measure = 'weight') as weight_text,
        max(amount) filter (where measure = 'weight') as weight_amount

    from indicator_cells
    group by all

),

parsed as (

    select
        pivoted.*,
        -- weights print as 10 or 10%; the interpreter reads the former as an amount
        coalesce(
            pivoted.weight_amount,
            try_cast(regexp_replace(pivoted.weight_text, '[%％\s]', '', 'g') as decimal(18, 2))
        ) as weight,
        operators.operator,
        boolean_labels.value as is_core,
        pivoted.table_type in {{ in_list(var('department_performance_target_table_types')) }}
            as is_department_wide

    from pivoted
    left join operators on pivoted.operator_text = operators.label
    left join boolean_labels on pivoted.is_core_text = boolean_labels.label

),

final as (

    select
        document_id,
        department_id,
        fiscal_year,
        case when not is_department_wide then table_project_code end as project_code,
        indicator_level1_text as indicator_level1,
        indicator_level2_text as indicator_level2,
        indicator_level3_text as indicator_level3,
        cast(weight as decimal(18, 2)) as weight,
        unit_text as unit,
        operator,
        target_value_text as target_value,
        is_core,
        is_department_wide,
        case when not is_department_wide then table_project_name end as project_name,
        operator_text,
        weight_text,
        table_type,
        table_index,
        row_index,
        {{ build_timestamp() }} as built_at

    from parsed

)

select * from final

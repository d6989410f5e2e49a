{%- set groups = var('core_table_groups') -%}
-- Incremental by document (macros/unbuilt_documents.sql): a run reads only the cells of the documents
-- int_table_cells built since this model's last build
{{ incremental_by_document() }}
with

cells as (

    select
        document_id,
        document_type,
        table_type,
        row_kind,
        row_code,
        measure,
        amount

    from {{ ref('int_table_cells') }}
    where {{ rows_to_build() }}

),

-- a numeric cell is mapped when a mart measure holds it: a recognised table, a column with a measure,
-- a row with a meaning (a row of kind 'other' without a key is an unmapped row; a budget unit's line,
-- kind 'unit', is held per measure by fct_unit_amount)
per_document as (

    select
        document_id,
        any_value(document_type) as document_type,
        count(*) filter (where amount is not null) as staged_numeric_cell_count,
        count(*) filter (
            where
            amount is not null
            and measure is not null
            and table_type is not null
            and not (row_kind = 'other' and row_code is null)
        ) as mapped_cell_count,
        list(distinct table_type) filter (where table_type is not null) as table_types

    from cells
    group by document_id

),

final as (

    select
        document_id,
        staged_numeric_cell_count,
        mapped_cell_count,
        -- the core table groups this document has no table of, by its document_type
        nullif(array_to_string([
            {%- for document_type in ['budget', 'final_account'] %}
                {%- for group in groups[document_type] %}
                    case
                        when
                            document_type = '{{ document_type }}'
                            and not list_has_any(table_types, {{ group }})
                            then '{{ group | join("|") }}'
                    end,
                {%- endfor %}
            {%- endfor %}
            null
        ], ', '), '') as missing_core_tables,
        {{ build_timestamp() }} as built_at

    from per_document

)

select * from final

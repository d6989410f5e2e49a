{%- set groups = var('core_table_groups') -%}
-- Incremental by document (macros/incremental_by_document.sql): a run reads only the cells of the documents
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

-- a numeric cell is mapped when a mart holds it: every published figure (macros/published_figure.sql)
-- is a row of fct_published_figure, and those of the contract's tables are in its facts too
per_document as (

    select
        document_id,
        any_value(document_type) as document_type,
        count(*) filter (where amount is not null) as staged_numeric_cell_count,
        count(*) filter (
            where amount is not null and {{ is_published_figure() }}
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

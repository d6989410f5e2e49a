{#- A model incremental by department (fct_budget_vs_final, the analyst models): its rows pair documents of
    one department, and which of them is current changes when another document of the department arrives, is
    re-extracted or goes. Its state `build_state.<model>` holds, per document, what the model last built it
    from (when fct_expenditure_by_function built it, and whether it was current) and its department. A run
    rebuilds every department with a document whose version differs from the state or that is gone: it
    deletes those departments' rows first (pre-hook), reads only their facts, and records the state
    (post-hook). A full build, or a run without a state, rebuilds every department. -#}

{% macro department_document_versions() -%}
    select
        documents.document_id,
        documents.department_id,
        coalesce(cast(facts.built_at as varchar), '') || ':' || documents.is_current as source_version
    from {{ ref('int_documents') }} as documents
    left join {{ build_state_relation('fct_expenditure_by_function') }} as facts
        on documents.document_id = facts.document_id
{%- endmacro %}

{% macro departments_to_rebuild() -%}
    {#- a query of the department ids whose documents changed since the model's last build -#}
    select sources.department_id
    from ({{ department_document_versions() }}) as sources
    where not {{ built_in_this_version('sources') }}
    union
    select built.department_id
    from {{ build_state_relation(this.identifier) }} as built
    where not exists (
        select 1
        from ({{ department_document_versions() }}) as sources
        where
            sources.document_id = built.document_id
            and sources.source_version = built.source_version
    )
{%- endmacro %}

{% macro in_departments_to_rebuild(column) -%}
    {#- a condition on `column` (a department id): true on a full build -#}
    {%- if builds_incrementally() -%}
        {{ column }} in ({{ departments_to_rebuild() }})
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{% macro delete_departments_to_rebuild() -%}
    {%- if this is not none and is_incremental() -%}
        {%- if has_build_state(this.identifier) -%}
            delete from {{ this }} where department_id in ({{ departments_to_rebuild() }})
        {%- else -%}
            delete from {{ this }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{% macro record_department_documents() -%}
    create schema if not exists build_state;
    create or replace table {{ build_state_relation(this.identifier) }} as
    select
        sources.document_id,
        sources.department_id,
        sources.source_version,
        {{ build_timestamp() }} as built_at
    from ({{ department_document_versions() }}) as sources
    order by sources.document_id
{%- endmacro %}

{% macro incremental_by_department(data_tests_rows=none) -%}
{#- The config of a model built per department: appended, each run first deleting the rows of the
    departments to rebuild and then recording their documents (the macros above). `data_tests_rows`
    ('last_build') scopes its data tests to the rows of its last build (macros/get_where_subquery.sql);
    without it they check the whole table. -#}
{%- set settings = {
    'materialized': 'incremental',
    'incremental_strategy': 'append',
    'on_schema_change': 'append_new_columns',
    'pre_hook': '{{ delete_departments_to_rebuild() }}',
    'post_hook': '{{ record_department_documents() }}'
} -%}
{%- if data_tests_rows %}{% do settings.update({'meta': {'data_tests_rows': data_tests_rows}}) %}{% endif -%}
{{ config(**settings) }}
{%- endmacro %}

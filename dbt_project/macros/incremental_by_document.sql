{#- Models incremental by document (docs/scale.md, "dbt: incremental by document").

    Each such model keeps a small table `build_state.<model>`, one row per document it reflects:
    (document_id, source_version, built_at). `source_version` is what the model built the document from:
    for int_table_cells, which reads staging, the document's extractor version; for a model reading
    int_table_cells (or the view int_cell_amounts over it), the time int_table_cells built that document,
    taken from `build_state.int_table_cells`. A document's id is the hash of its bytes and the loader
    replaces its rows only when the extractor version changes, so comparing the source's versions with
    the model's state gives, on ~1 row per document and never the big tables:

      - documents to build: in the source, but not in the state with the same version (new documents,
        re-extracted ones, documents int_table_cells rebuilt);
      - documents to delete first: in the state, but not in the source with the same version
        (re-extracted ones, and documents gone: rejected on re-extraction or removed from staging).

    A model then reads only its upstream's rows built at or after the earliest build time of the
    documents it builds (`built_at`, appended in time order, so DuckDB's min/max zone maps skip every
    older row group), deletes in a pre-hook only documents it had built (none for a delta of new
    documents: the delete then reads nothing), appends the new rows, and records its state in a post-hook
    inside the same transaction. A failed build leaves the state as it was, so the next run redoes the
    same documents. A full build (first run, --full-refresh), or an incremental run without a state
    (a warehouse built before the state existed), rebuilds every document.

    The config every such model carries:

        materialized='incremental', incremental_strategy='append', on_schema_change='append_new_columns',
        pre_hook="{{ delete_documents_to_rebuild(<source>) }}",
        post_hook="{{ record_built_documents(<source>) }}", meta={'data_tests_rows': 'last_build'}

    with <source> 'int_documents' for int_table_cells and 'int_table_cells' for the models reading it.
    `adapter` and `execute` are undefined or false under sqlfluff's templater and dbt's parser: the
    macros then render the incremental SQL's shape without querying. -#}

{% macro build_timestamp() -%}
    {#- The run's start (UTC, dbt's run_started_at), the same literal in every model of one dbt call: the
        built_at of every row and state entry a run writes. -#}
    {%- if run_started_at is defined and run_started_at is not string -%}
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as timestamp)
    {%- else -%}
        cast('2000-01-01 00:00:00' as timestamp)
    {%- endif -%}
{%- endmacro %}

{% macro builds_incrementally() -%}
    {#- an incremental run of this model with a state to compare with; false in unit tests (no `this`) -#}
    {{ return(this is not none and is_incremental() and has_build_state(this.identifier)) }}
{%- endmacro %}

{% macro build_state_relation(model_name) -%}
    build_state.{{ model_name }}
{%- endmacro %}

{% macro has_build_state(model_name) -%}
    {%- if adapter is not defined or not execute -%}
        {{ return(true) }}
    {%- endif -%}
    {%- set found = run_query(
        "select count(*) from information_schema.tables where table_schema = 'build_state' "
        ~ "and table_name = '" ~ model_name ~ "'"
    ) -%}
    {{ return(found.columns[0].values()[0] > 0) }}
{%- endmacro %}

{% macro source_versions(source) -%}
    {#- (document_id, source_version, source_built_at) of every document the source holds now -#}
    {%- if source == 'int_documents' -%}
        select
            document_id,
            coalesce(extractor_version, '') as source_version,
            cast(null as timestamp) as source_built_at
        from {{ ref('int_documents') }}
    {%- else -%}
        select
            document_id,
            cast(built_at as varchar) as source_version,
            built_at as source_built_at
        from {{ build_state_relation(source) }}
    {%- endif -%}
{%- endmacro %}

{% macro documents_to_build(source) -%}
    {#- a query of the document ids this model has to (re)build: the source's, minus what its state holds -#}
    select sources.document_id
    from ({{ source_versions(source) }}) as sources
    {%- if builds_incrementally() %}
    where not {{ built_in_this_version('sources') }}
    {%- endif %}
{%- endmacro %}

{% macro built_in_this_version(sources) -%}
    {#- a condition: this model's state holds the document of `sources` (an alias with document_id and
        source_version) in that version -#}
    exists (
        select 1
        from {{ build_state_relation(this.identifier) }} as built
        where
            built.document_id = {{ sources }}.document_id
            and built.source_version = {{ sources }}.source_version
    )
{%- endmacro %}

{% macro unbuilt_documents(documents, source='int_documents') -%}
    {#- A where clause keeping the rows of `documents` (a relation or alias with document_id) that this
        model has to (re)build; nothing on a full build. -#}
    {%- if builds_incrementally() %}
    where {{ documents }}.document_id in ({{ documents_to_build(source) }})
    {%- endif %}
{%- endmacro %}

{% macro rows_to_build(source='int_table_cells') -%}
    {#- A condition on an upstream relation with document_id and built_at (int_table_cells, or the view
        int_cell_amounts): the rows of the documents this model has to (re)build. The earliest build time
        of those documents is read first and written into the query as a literal, so the scan skips
        every row group built before it. `true` on a full build. -#}
    {%- if not builds_incrementally() -%}
        true
    {%- elif adapter is not defined or not execute -%}
        built_at >= {{ build_timestamp() }}
        and document_id in ({{ documents_to_build(source) }})
    {%- else -%}
        {%- set earliest = run_query(
            "select cast(min(source_built_at) as varchar) from (" ~ source_versions(source) ~ ") as sources "
            ~ "where document_id in (" ~ documents_to_build(source) ~ ")"
        ).columns[0].values()[0] -%}
        {%- if earliest is none -%}
            false
        {%- else -%}
            built_at >= cast('{{ earliest }}' as timestamp)
            and document_id in ({{ documents_to_build(source) }})
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{% macro delete_documents_to_rebuild(source) -%}
    {#- pre-hook: delete the rows of documents the state holds in another version, or that are gone; with
        no state, every row (the run rebuilds everything) -#}
    {%- if this is not none and is_incremental() -%}
        {%- if has_build_state(this.identifier) -%}
            delete from {{ this }}
            where document_id in (
                select built.document_id
                from {{ build_state_relation(this.identifier) }} as built
                where not exists (
                    select 1
                    from ({{ source_versions(source) }}) as sources
                    where
                        sources.document_id = built.document_id
                        and sources.source_version = built.source_version
                )
            )
        {%- else -%}
            delete from {{ this }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{% macro record_built_documents(source) -%}
    {#- post-hook: the state now is the source's documents; a document keeps its build time when it kept
        its version and the run was incremental, else it was built now -#}
    {%- set keep = not should_full_refresh() and has_build_state(this.identifier) -%}
    create schema if not exists build_state;
    create or replace table {{ build_state_relation(this.identifier) }} as
    select
        sources.document_id,
        sources.source_version,
        {% if keep -%}
        coalesce(built.built_at, {{ build_timestamp() }}) as built_at
        {%- else -%}
        {{ build_timestamp() }} as built_at
        {%- endif %}
    from ({{ source_versions(source) }}) as sources
    {%- if keep %}
    left join {{ build_state_relation(this.identifier) }} as built
        on
            sources.document_id = built.document_id
            and sources.source_version = built.source_version
    {%- endif %}
    order by built_at, sources.document_id
{%- endmacro %}

{% macro incremental_by_document(source='int_table_cells') -%}
{#- The config of a model built per document from `source`: appended, each run first deleting the rows
    of the documents to rebuild and then recording what it built (the macros above); its data tests
    check the rows of its last build (macros/get_where_subquery.sql). -#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='append_new_columns',
    pre_hook="{{ delete_documents_to_rebuild('" ~ source ~ "') }}",
    post_hook="{{ record_built_documents('" ~ source ~ "') }}",
    meta={'data_tests_rows': 'last_build'}
) }}
{%- endmacro %}

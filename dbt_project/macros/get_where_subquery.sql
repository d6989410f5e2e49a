{#- Data tests check what a build wrote (docs/scale.md). A model declares which of its rows its data tests
    read, once, in its config: `meta: {data_tests_rows: ...}`; dbt's documented override of
    get_where_subquery applies it to every generic test on the model, together with the test's own
    `where` where it has one:

      last_build               the rows of the model's latest build: `built_at` = its largest built_at
                               (rows are appended in build order, so this reads the last row groups
                               only). Taken from the data, not from this dbt call's start, so a test run
                               in a dbt call of its own (the DAG runs tests spanning models as tasks of
                               their own) checks the same rows. After a full build every row has that
                               built_at: the whole table is tested. incremental_by_document() declares it
                               (macros/incremental_by_document.sql);
      staged_since_last_build  staging rows of the documents int_table_cells has yet to build (a staging
                               test runs before int_table_cells in a build).

    Both read the whole table under --full-refresh or with --vars '{whole_table_tests: true}' (a weekly
    full check: `dbt test --vars '{whole_table_tests: true}'`). A model declaring nothing is tested
    whole. -#}
{% macro get_where_subquery(relation) -%}
    {%- set conditions = [] -%}
    {%- set rows = data_tests_rows(relation) -%}
    {%- if rows == 'last_build' -%}
        {%- do conditions.append(built_in_last_build(relation) | trim) -%}
    {%- elif rows == 'staged_since_last_build' -%}
        {%- do conditions.append(staged_since_last_build() | trim) -%}
    {%- elif rows -%}
        {%- do exceptions.raise_compiler_error(
            "meta data_tests_rows of " ~ relation ~ " is " ~ rows
            ~ ": expected last_build or staged_since_last_build") -%}
    {%- endif -%}
    {%- if config.get('where') -%}
        {%- do conditions.append('(' ~ config.get('where') ~ ')') -%}
    {%- endif -%}
    {%- set conditions = conditions | reject('equalto', 'true') | list -%}
    {%- if conditions -%}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ conditions | join(' and ') }}) as dbt_subquery
        {%- endset -%}
        {%- do return(filtered) -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}

{% macro data_tests_rows(relation) -%}
    {#- the `data_tests_rows` a model declares in its meta, found by the relation a test reads -#}
    {%- if execute -%}
        {%- for node in graph.nodes.values() -%}
            {%- if node.resource_type == 'model' and node.alias == relation.identifier
                and node.schema == relation.schema -%}
                {%- do return(node.config.meta.get('data_tests_rows')) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {%- do return(none) -%}
{%- endmacro %}

{% macro whole_table_tests() -%}
    {#- should_full_refresh is undefined only under sqlfluff's templater -#}
    {{ return((should_full_refresh is defined and should_full_refresh()) or var('whole_table_tests', false)) }}
{%- endmacro %}

{% macro built_in_last_build(relation) -%}
    {#- the rows of `relation`'s latest build (a condition on built_at); `true` when testing whole tables -#}
    {%- if whole_table_tests() -%}
        true
    {%- else -%}
        built_at = (select max(built_at) from {{ relation }})
    {%- endif -%}
{%- endmacro %}

{% macro staged_since_last_build() -%}
    {#- staging rows of the documents int_table_cells has yet to build (and rows without a document) -#}
    {%- if whole_table_tests() or not has_build_state('int_table_cells') -%}
        true
    {%- else -%}
    (document_id is null or document_id in (
        select staged.document_id
        from staging.documents as staged
        where not exists (
            select 1
            from {{ build_state_relation('int_table_cells') }} as built
            where
                built.document_id = staged.document_id
                and built.source_version = coalesce(staged.extractor_version, '')
        )
    ))
    {%- endif -%}
{%- endmacro %}

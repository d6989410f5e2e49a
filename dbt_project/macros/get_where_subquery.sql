{#- Data tests on the models incremental by document check what the last build wrote (docs/scale.md). A
    test's `where` config may name one of two placeholders, replaced here at run time (dbt's documented
    override of get_where_subquery):

      __built_in_last_build__      the rows of the tested model's latest build: `built_at` = its largest
                                   built_at (rows are appended in build order, so this reads the last
                                   row groups only). Taken from the data, not from this dbt call's start,
                                   so a test run in a dbt call of its own (the DAG runs tests spanning
                                   models as tasks of their own) checks the same rows. After a full build
                                   every row has that built_at: the whole table is tested;
      __staged_since_last_build__  staging rows of the documents int_table_cells has yet to build (a
                                   staging test runs before int_table_cells in a build).

    Both become `true` (the whole table) under --full-refresh or with --vars '{whole_table_tests: true}'
    (a weekly full check: `dbt test --vars '{whole_table_tests: true}'`). -#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where') -%}
    {%- if where -%}
        {%- if '__built_in_last_build__' in where -%}
            {%- set where = where | replace('__built_in_last_build__', built_in_last_build(relation)) -%}
        {%- endif -%}
        {%- if '__staged_since_last_build__' in where -%}
            {%- set where = where | replace('__staged_since_last_build__', staged_since_last_build()) -%}
        {%- endif -%}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ where }}) as dbt_subquery
        {%- endset -%}
        {%- do return(filtered) -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
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

{#- Reviewers' verdicts on findings (expectations/evidence/review.py writes schema review, which no
    rerun drops), or none before the first review: the table is made by the first verdict. -#}
{% macro review_verdicts() -%}
    {%- set relation = adapter.get_relation(database=this.database, schema='review', identifier='verdicts')
        if adapter is defined else none -%}
    {%- if relation -%}
        select * from {{ relation }}
    {%- else -%}
        select
            cast(null as varchar) as document_id,
            cast(null as varchar) as finding_key,
            cast(null as varchar) as rule_id,
            cast(null as varchar) as region_name,
            cast(null as varchar) as department_name,
            cast(null as varchar) as document_type,
            cast(null as integer) as fiscal_year,
            cast(null as varchar) as verdict,
            cast(null as timestamp) as decided_at
        where false
    {%- endif -%}
{%- endmacro %}

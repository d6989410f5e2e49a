{#- Custom schema names are used verbatim (stg, intermediate, marts) instead of dbt's default
    <target_schema>_<custom>, so the schemas the contract and the rule catalogue name are the real ones. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}

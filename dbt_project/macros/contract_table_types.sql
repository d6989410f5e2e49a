{#- Every CONTRACT table_type: the budget keys, each again with the prefix final_, and the three
    final-account-only keys (vars in dbt_project.yml). -#}
{% macro contract_table_types() -%}
    {%- set table_types = [] -%}
    {%- for budget_type in var('budget_table_types') -%}
        {%- do table_types.extend([budget_type, 'final_' ~ budget_type]) -%}
    {%- endfor -%}
    {{- return(table_types + var('final_account_only_table_types') | list) -}}
{%- endmacro %}

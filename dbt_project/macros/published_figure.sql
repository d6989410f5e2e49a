{#- A staged cell that is a published figure with a meaning: in a recognised table (a table_type), in a
    column with a measure, on a line with a meaning (a line of kind 'other' without a key is an unmapped
    row). fct_published_figure holds exactly these cells; int_document_completeness counts them. -#}
{% macro is_published_figure() -%}
    (measure is not null and table_type is not null and not (row_kind = 'other' and row_code is null))
{%- endmacro %}

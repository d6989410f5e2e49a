{#- A name reduced to what identifies it: lower case, without whitespace, punctuation or symbols
    (quotes, brackets and dashes are typeset differently from one table to the next). -#}
{% macro normalised_name(name) -%}
    nullif(regexp_replace(lower({{ name }}), '[\s\pP\pS]', '', 'g'), '')
{%- endmacro %}

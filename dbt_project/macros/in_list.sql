{#- A SQL list literal from a list of keys: ('a', 'b'). Keys are project vocabulary, never input. -#}
{% macro in_list(values) -%}
    ({% for value in values %}'{{ value }}'{% if not loop.last %}, {% endif %}{% endfor %})
{%- endmacro %}

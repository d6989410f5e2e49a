{#- One column per measure of a cell set grouped by row: `<measure><suffix>` = the value of the row's
    cell carrying that measure. Each (row, measure) has at most one cell, so max() only picks it out. -#}
{% macro pivot_measures(measures, value='amount', suffix='_amount') -%}
    {%- for measure in measures %}
        max({{ value }}) filter (where measure = '{{ measure }}') as {{ measure }}{{ suffix }}
        {%- if not loop.last %},{% endif %}
    {%- endfor %}
{%- endmacro %}

{#- One column per measure of a cell set grouped by row: `<measure><suffix>` = the value of the row's
    cell carrying that measure. A group has one cell per measure (tests/assert_one_cell_per_pivoted_measure
    warns otherwise), so max() only picks it out. -#}
{% macro pivot_measures(measures, value='amount', suffix='_amount') -%}
    {%- for measure in measures %}
        max({{ value }}) filter (where measure = '{{ measure }}') as {{ measure }}{{ suffix }}
        {%- if not loop.last %},{% endif %}
    {%- endfor %}
{%- endmacro %}

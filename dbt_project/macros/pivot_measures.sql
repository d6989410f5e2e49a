{#- One column per measure of a cell set grouped by row: `<measure><suffix>` = the value of the row's
    cell carrying that measure. A group has one cell per measure (tests/assert_one_cell_per_pivoted_measure
    warns otherwise), so max() only picks it out. With `first_by`, a group holding several cells of a
    measure (a 三公 合计 reprinted on a continuation page) takes the one first by that expression. -#}
{% macro pivot_measures(measures, value='amount', suffix='_amount', first_by=none) -%}
    {%- for measure in measures %}
        {% if first_by %}arg_min({{ value }}, {{ first_by }}){% else %}max({{ value }}){% endif %}
        filter (where measure = '{{ measure }}') as {{ measure }}{{ suffix }}
        {%- if not loop.last %},{% endif %}
    {%- endfor %}
{%- endmacro %}

{#- Rows for which `expression` is not true fail the test (dbt_utils.expression_is_true, without the
    hub package: dbt runs here without internet). Narrow the rows checked with the test's `where` config. -#}
{% test expression_is_true(model, expression) %}
select *
from {{ model }}
where not coalesce(({{ expression }}), false)
{% endtest %}

{#- A department's stable key: the same (province, region, department name) gives the same id across
    years and documents. Whitespace inside the name is dropped because text renditions of one name
    differ only there. A document whose department could not be read gets an id of its own, so unknown
    departments are never merged. -#}
{% macro department_id(province_name, region_name, department_name, document_id) -%}
    case
        when {{ department_name }} is null then 'unknown-' || {{ document_id }}
        else left(md5(concat_ws(
            '|',
            coalesce({{ province_name }}, ''),
            coalesce({{ region_name }}, ''),
            regexp_replace({{ department_name }}, '\s', '', 'g')
        )), 16)
    end
{%- endmacro %}

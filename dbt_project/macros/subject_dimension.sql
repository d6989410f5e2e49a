{#- A classification dimension: the national class-level codes and names from a seed, plus the
    section/item codes as the documents publish them (the most frequently published name wins; ties go
    to the alphabetically first so rebuilds are stable). `levels` maps code length to level. -#}
{% macro subject_dimension(classes_seed, table_types, levels) %}
with

classes as (

    select * from {{ ref(classes_seed) }}

),

table_cells as (

    select * from {{ ref('int_table_cells') }}

),

published_names as (

    select
        row_code as subject_code,
        trim(row_name) as subject_name,
        count(distinct (document_id, table_index, row_index)) as times_published

    from table_cells
    where row_kind = 'subject'
        and table_type in {{ in_list(table_types) }}
        and length(row_code) in ({{ levels.keys() | join(', ') }})
        and nullif(trim(row_name), '') is not null
    group by 1, 2

),

most_published_names as (

    select subject_code, subject_name
    from published_names
    qualify row_number() over (
        partition by subject_code order by times_published desc, subject_name
    ) = 1

),

subject_codes as (

    select subject_code from classes
    union
    select subject_code from most_published_names

),

final as (

    select
        subject_codes.subject_code,
        coalesce(classes.subject_name, most_published_names.subject_name) as subject_name,
        case length(subject_codes.subject_code)
            {%- for code_length, level in levels.items() %}
            when {{ code_length }} then '{{ level }}'
            {%- endfor %}
        end as level,
        -- a code's parent is the code two digits shorter (2010301 → 20103 → 201)
        case
            when length(subject_codes.subject_code) > 3
                then left(subject_codes.subject_code, length(subject_codes.subject_code) - 2)
        end as parent_code,
        classes.subject_code is not null as is_national_class,
        most_published_names.subject_name as published_name

    from subject_codes
    left join classes using (subject_code)
    left join most_published_names using (subject_code)

)

select * from final
{% endmacro %}

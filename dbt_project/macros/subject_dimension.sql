{#- A classification dimension: the national class-level codes and names from a seed, plus the
    section/item codes as the documents publish them (counted per document in int_published_subjects;
    the most frequently published name wins; ties go to the alphabetically first so rebuilds are
    stable). `levels` maps code length to level. -#}
{% macro subject_dimension(classes_seed, table_types, levels) %}
with

classes as (

    select * from {{ ref(classes_seed) }}

),

published_subjects as (

    select * from {{ ref('int_published_subjects') }}

),

published_names as (

    select
        subject_code,
        subject_name,
        sum(times_published) as times_published

    from published_subjects
    where
        table_type in {{ in_list(table_types) }}
        and length(subject_code) in ({{ levels.keys() | join(', ') }})
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

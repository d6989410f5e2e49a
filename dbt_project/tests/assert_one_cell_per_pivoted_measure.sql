{{ config(severity='warn') }}
{#- The facts pivot cells by (document, table type, code, year, measure); a code printed twice in tables
    of one type (or twice in one table) would make the pivot pick one of the figures. Warn, naming them.
    Checks the cells of the latest build (macros/get_where_subquery.sql), every cell on a full build. -#}
select
    document_id,
    table_type,
    row_code,
    fiscal_year,
    measure,
    count(*) as cell_count,
    list(amount order by table_index, row_index) as amounts

from {{ ref('int_cell_amounts') }}
where
    {{ built_in_last_build(ref('int_cell_amounts')) }}
    and row_kind = 'subject'
    and table_type in {{ in_list(
        var('function_expenditure_table_types') + var('basic_expenditure_table_types')
    ) }}
group by document_id, table_type, row_code, fiscal_year, measure
having count(*) > 1

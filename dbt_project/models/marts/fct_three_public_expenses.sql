{%- set measures = [
    'total', 'outbound_travel', 'vehicle_total', 'vehicle_purchase', 'vehicle_operation', 'reception'
] -%}
-- Incremental by document (macros/incremental_by_document.sql): a run reads only the cells of the documents
-- int_table_cells built since this model's last build
{{ incremental_by_document() }}
with

cell_amounts as (

    select * from {{ ref('int_cell_amounts') }}
    where {{ rows_to_build() }}

),

three_public_cells as (

    select *
    from cell_amounts
    where
        table_type in {{ in_list(var('three_public_expenses_table_types')) }}
        and measure in {{ in_list(measures) }}

),

-- the table's 合计 line for each year: its total rows; a table printed as a single unlabelled row (as
-- 綦江 does) has no 合计 line, and then its first row is the total. A table printed as a list (Fuzhou:
-- 合计, 1、因公出国（境）费用, 2、公务接待费 …) stages each of its lines as a total row of the measure it
-- names; of a 合计 printed twice (a continuation page), the first
table_rows as (

    select distinct
        document_id,
        table_index,
        fiscal_year,
        row_index,
        row_kind
    from three_public_cells

),

total_rows as (

    select
        document_id,
        table_index,
        fiscal_year,
        row_index
    from table_rows
    qualify
        row_kind = 'total'
        or (
            count(*) filter (where row_kind = 'total') over (
                partition by document_id, table_index, fiscal_year
            ) = 0
            and row_number() over (partition by document_id, table_index, fiscal_year order by row_index) = 1
        )

),

pivoted as (

    select
        three_public_cells.document_id,
        three_public_cells.department_id,
        three_public_cells.fiscal_year,
        three_public_cells.is_prior_year,
        three_public_cells.table_type,
        three_public_cells.table_index,
        {{ pivot_measures(
            measures, value='three_public_cells.amount', first_by='three_public_cells.row_index'
        ) }}

    from three_public_cells
    inner join total_rows
        on
            three_public_cells.document_id = total_rows.document_id
            and three_public_cells.table_index = total_rows.table_index
            and three_public_cells.fiscal_year = total_rows.fiscal_year
            and three_public_cells.row_index = total_rows.row_index
    group by all

),

final as (

    select
        document_id,
        department_id,
        fiscal_year,
        is_prior_year,
        total_amount,
        outbound_travel_amount,
        vehicle_total_amount,
        vehicle_purchase_amount,
        vehicle_operation_amount,
        reception_amount,
        table_type,
        table_index,
        {{ build_timestamp() }} as built_at

    from pivoted

)

select * from final

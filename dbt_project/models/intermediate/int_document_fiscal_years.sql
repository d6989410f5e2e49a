-- Incremental by document (macros/incremental_by_document.sql): the fiscal years each document's amounts
-- name (prior-year columns included), so dim_fiscal_year never reads every cell
{{ incremental_by_document() }}

with

cell_amounts as (

    select * from {{ ref('int_cell_amounts') }}
    where {{ rows_to_build() }}

),

final as (

    select distinct
        document_id,
        fiscal_year,
        {{ build_timestamp() }} as built_at

    from cell_amounts
    where fiscal_year is not null

)

select * from final

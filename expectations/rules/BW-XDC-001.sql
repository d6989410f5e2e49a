-- id: BW-XDC-001
-- severity: warning
-- kind: cross_document
-- message: "{table_type} {subject_code} {fiscal_year}: the comparison column shows {actual}, the {fiscal_year} document itself {expected} (difference {difference}; {detail})"
-- description: >
--   A prior-year comparison column of the year N document equals the same department's year N−1
--   document of the same type, where that document is loaded (a warning: budgets are adjusted during
--   the year and some templates print the adjusted figure).
with prior as (
    select * from cell_grid
    where is_prior_year and amount is not null and row_kind in ('subject', 'total', 'expenditure_class')
),

current_year as (
    select * from cell_grid
    where not is_prior_year
)

select
    p.document_id,
    p.table_type,
    p.table_index,
    p.row_code as subject_code,
    p.fiscal_year,
    coalesce(c.amount, 0) as expected_amount,
    p.amount as actual_amount,
    1 as parts_count,
    p.page,
    p.unit_name,
    'document ' || c.document_id || ' / ' || p.measure as detail
from prior as p
inner join current_year as c
    on
        p.department_id = c.department_id
        and p.document_type = c.document_type
        and p.fiscal_year = c.document_fiscal_year
        and p.fiscal_year = c.fiscal_year
        and p.table_type = c.table_type
        and p.row_kind = c.row_kind
        and p.row_code = c.row_code
        and p.measure = c.measure

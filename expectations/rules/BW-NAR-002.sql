-- id: BW-NAR-002
-- severity: error
-- kind: narrative
-- message: "narrative {fiscal_year}: class {detail} quoted as {actual}, the expenditure table shows {expected} (difference {difference})"
-- description: >
--   Each function class quoted in the narrative's expenditure breakdown (一般公共服务 1932.10 万元, ...)
--   equals that class's line in 部门支出总表, else in the general budget expenditure table. The quote
--   names the class without its 支出 suffix, so it is matched as a prefix of the class name.
with quoted as (
    select
        n.document_id,
        n.subject_name,
        n.amount,
        n.page,
        d.fiscal_year
    from staged_narrative_figures as n
    inner join staged_documents as d using (document_id)
    where n.figure_key = 'expenditure_by_class'
),

classes as (
    select
        *,
        if(table_type = 'department_expenditure', 1, 2) as preference
    from
        figures(
            ['department_expenditure', 'general_budget_expenditure', 'final_general_budget_expenditure'],
            ['subject'],
            ['total']
        )
    where length(row_code) = 3 and not is_prior_year
),

matched as (
    select
        q.*,
        c.row_code,
        c.row_name,
        c.amount as table_amount,
        c.table_type,
        c.table_index,
        c.unit_name
    from quoted as q
    left join classes as c
        on q.document_id = c.document_id and starts_with(c.row_name, q.subject_name)
    qualify row_number() over (partition by q.document_id, q.subject_name, q.amount order by c.preference) = 1
)

select
    document_id,
    coalesce(table_type, 'narrative') as table_type,
    table_index,
    coalesce(row_code, subject_name) as subject_code,
    fiscal_year,
    coalesce(table_amount, 0) as expected_amount,
    amount as actual_amount,
    1 as parts_count,
    page,
    unit_name,
    coalesce(row_name, subject_name) as detail
from matched

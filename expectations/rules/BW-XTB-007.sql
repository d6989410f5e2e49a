-- id: BW-XTB-007
-- severity: error
-- kind: cross_table
-- message: "{fiscal_year}: 项目支出明细表 total is {actual}, the 项目支出 total of {detail} {expected} (difference {difference})"
-- description: >
--   The 合计 of 项目支出明细表 equals the 项目支出 total of all the department's money: 部门支出总表,
--   or the general budget expenditure table where the department has no other money and no 部门支出总表.
--   Two templates put more in the project table than in the 支出总表's 项目支出: the project lines of
--   事业单位经营支出, which the 支出总表 prints apart (湖州 190: 171,462.41 = 171,262.41 + 200.00), and the
--   project table's own 上年结转 column where the 支出总表 counts this year's money only (烟台 184:
--   9,798.66 = 9,744.42 + 54.24). Where the table has such a column, the nearer sum is the one compared.
with listed as (
    select * from figures(['project_expenditure'], ['total'], ['total'])
    where row_code = 'total' and not is_prior_year
),

carried as (
    select
        document_id,
        table_index,
        fiscal_year,
        amount
    from figures(['project_expenditure'], ['total'], ['prior_year_carryover'])
    where row_code = 'total' and not is_prior_year and amount <> 0
),

operations as (
    select
        document_id,
        fiscal_year,
        amount
    from figures(['department_expenditure'], ['total'], ['business_operation_expenditure'])
    where row_code = 'total' and not is_prior_year and amount <> 0
),

candidates as (
    select
        l.*,
        r.amount as project,
        r.table_type as detail,
        r.amount + o.amount as with_operations,
        r.amount + c.amount as with_carried
    from listed as l
    inner join all_money_expenditure_totals as r
        on l.document_id = r.document_id and l.fiscal_year = r.fiscal_year and r.measure = 'project'
    left join operations as o
        on
            l.document_id = o.document_id and l.fiscal_year = o.fiscal_year
            and r.table_type = 'department_expenditure'
    left join carried as c
        on l.document_id = c.document_id and l.table_index = c.table_index and l.fiscal_year = c.fiscal_year
),

chosen as (
    select
        *,
        case
            when
                abs(amount - with_operations) < abs(amount - project)
                and abs(amount - with_operations) <= abs(amount - coalesce(with_carried, project))
                then 'operations'
            when abs(amount - with_carried) < abs(amount - project) then 'carried'
            else 'project'
        end as basis
    from candidates
)

select
    document_id,
    table_type,
    table_index,
    'project_total' as subject_code,
    fiscal_year,
    case basis when 'operations' then with_operations when 'carried' then with_carried else project end
        as expected_amount,
    amount as actual_amount,
    if(basis = 'project', 1, 2) as parts_count,
    page,
    unit_name,
    detail || case basis
        when 'operations' then ' + 事业单位经营支出'
        when 'carried' then ' + the project table''s 上年结转'
        else ''
    end as detail
from chosen

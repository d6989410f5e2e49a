-- id: BW-XTB-003
-- severity: error
-- kind: cross_table
-- message: "{fiscal_year}: general budget expenditure is {actual} in the fiscal appropriation summary and {expected} in the general budget expenditure table (difference {difference})"
-- description: >
--   The general-budget column of table 1's current-year expenditure equals the 合计 of table 2 (final
--   accounts: 财政拨款收入支出决算总表 against 一般公共预算财政拨款支出决算表). A summary printing one
--   amount column for all its appropriations (Beijing's 财政拨款收支总表: 项目 | 预算数) is compared by
--   that column when its income side shows no government-fund or state-capital money, and not at all
--   otherwise. A publisher whose 一般公共预算支出表 counts this year's appropriations only (Xi'an 公安局 2026:
--   p.26 合计 3,246,385,029.74 元; the summary's 本年支出合计 3,377,412,071.47 spends its 上年结转
--   131,027,041.73 too, p.25) is compared with the table plus the summary's 上年结转 where that is nearer.
with split_by_fund as (
    select distinct document_id
    from cell_grid
    where table_type = 'fiscal_appropriation_summary' and measure = 'general_budget'
),

other_funds as (
    select distinct document_id
    from cell_grid
    where
        table_type = 'fiscal_appropriation_summary' and not is_prior_year
        and row_code in ('government_fund', 'state_capital') and coalesce(amount, 0) <> 0
),

compared as (
    select * from
        compare_totals(
            'fiscal_appropriation_summary', ['expenditure_current_year', 'expenditure_total'],
            'general_budget', 'general_budget_expenditure', ['total'], 'total', 'general_budget_total'
        )
    where document_id in (select s.document_id from split_by_fund as s)
    union all
    select * from
        compare_totals(
            'fiscal_appropriation_summary', ['expenditure_current_year', 'expenditure_total'], 'total',
            'general_budget_expenditure', ['total'], 'total', 'general_budget_total'
        )
    where
        document_id not in (select s.document_id from split_by_fund as s)
        and document_id not in (select o.document_id from other_funds as o)
    union all
    select * from compare_totals(
        'final_fiscal_appropriation_summary', ['expenditure_current_year', 'expenditure_total'],
        'general_budget', 'final_general_budget_expenditure', ['total'], 'total', 'general_budget_total'
    )
),

carried as (
    select
        document_id,
        fiscal_year,
        sum(amount) as amount
    from cell_grid
    where
        table_type in ('fiscal_appropriation_summary', 'final_fiscal_appropriation_summary')
        and row_group = 'income' and row_kind = 'total' and row_code = 'prior_year_carryover'
        and not is_prior_year and amount <> 0
    group by all
),

chosen as (
    select
        c.*,
        k.amount is not null
        and abs(c.actual_amount - c.expected_amount - k.amount) < abs(c.actual_amount - c.expected_amount)
            as with_carried,
        k.amount as carried_amount
    from compared as c
    left join carried as k on c.document_id = k.document_id and c.fiscal_year = k.fiscal_year
)

select
    * exclude (with_carried, carried_amount) replace (
        if(with_carried, expected_amount + carried_amount, expected_amount) as expected_amount,
        if(with_carried, parts_count + 1, parts_count) as parts_count
    ),
    if(with_carried, 'the general budget table + the summary''s 上年结转', null) as detail
from chosen

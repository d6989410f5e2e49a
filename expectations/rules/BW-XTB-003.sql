-- id: BW-XTB-003
-- severity: error
-- kind: cross_table
-- message: "{fiscal_year}: general budget expenditure is {actual} in the fiscal appropriation summary and {expected} in the general budget expenditure table (difference {difference})"
-- description: >
--   The general-budget column of table 1's current-year expenditure equals the 合计 of table 2 (final
--   accounts: 财政拨款收入支出决算总表 against 一般公共预算财政拨款支出决算表). A summary printing one
--   amount column for all its appropriations (Beijing's 财政拨款收支总表: 项目 | 预算数) is compared by
--   that column when its income side shows no government-fund or state-capital money, and not at all
--   otherwise.
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
)

select * from
    compare_totals(
        'fiscal_appropriation_summary', ['expenditure_current_year', 'expenditure_total'], 'general_budget',
        'general_budget_expenditure', ['total'], 'total', 'general_budget_total'
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
    'final_fiscal_appropriation_summary', ['expenditure_current_year', 'expenditure_total'], 'general_budget',
    'final_general_budget_expenditure', ['total'], 'total', 'general_budget_total'
)

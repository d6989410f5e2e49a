-- id: BW-XTB-002
-- severity: error
-- kind: cross_table
-- message: "{fiscal_year}: basic expenditure total is {expected} in the general budget expenditure table and {actual} in the basic expenditure table (difference {difference})"
-- description: >
--   The 基本支出 total of table 2 equals the 合计 of table 3 (一般公共预算财政拨款基本支出预算表), and
--   likewise between the two general-budget final-account tables.
select * from
    compare_totals(
        'general_budget_basic_expenditure',
        ['total'],
        'total',
        'general_budget_expenditure',
        ['total'],
        'basic',
        'basic_total'
    )
union all
select * from (
    -- final accounts: the basic table's 合计 line, or where it prints none (side-by-side layout) its
    -- 人员经费合计 + 公用经费合计 lines
    with printed as (
        select
            document_id,
            fiscal_year,
            coalesce(sum(amount) filter (where row_code = 'total'), sum(amount)) as amount,
            if(count(*) filter (where row_code = 'total') > 0, 1, 2) as parts_count,
            min(page) as page,
            any_value(unit_name) as unit_name
        from
            figures(
                ['final_general_budget_basic_expenditure'],
                ['total'],
                ['total', 'personnel', 'public_operation']
            )
        where
            not is_prior_year and (
                (row_code = 'total' and measure = 'total')
                or row_code in ('personnel_total', 'public_operation_total')
            )
        group by all
    ),

    reference as (
        select * from figures(['final_general_budget_expenditure'], ['total'], ['basic'])
        where row_code = 'total' and not is_prior_year
    ),

    both_tables as (
        select
            d.document_id,
            d.fiscal_year,
            min(t.table_index) filter (where t.table_type = 'final_general_budget_basic_expenditure')
                as table_index,
            min(t.page_first) filter (where t.table_type = 'final_general_budget_basic_expenditure') as page
        from staged_documents as d
        inner join staged_tables as t using (document_id)
        group by d.document_id, d.fiscal_year
        having
            count(*) filter (where t.table_type = 'final_general_budget_basic_expenditure') > 0
            and count(*) filter (where t.table_type = 'final_general_budget_expenditure') > 0
    )

    select
        b.document_id,
        'final_general_budget_basic_expenditure' as table_type,
        b.table_index,
        'basic_total' as subject_code,
        b.fiscal_year,
        coalesce(r.amount, 0) as expected_amount,
        coalesce(p.amount, 0) as actual_amount,
        coalesce(p.parts_count, 1) as parts_count,
        coalesce(p.page, b.page) as page,
        coalesce(p.unit_name, r.unit_name) as unit_name
    from both_tables as b
    left join printed as p on b.document_id = p.document_id and b.fiscal_year = p.fiscal_year
    left join reference as r on b.document_id = r.document_id and b.fiscal_year = r.fiscal_year
) as final_accounts

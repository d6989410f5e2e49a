-- id: BW-ROW-003
-- severity: error
-- kind: row_sum
-- message: "{table_type} {fiscal_year} line {subject_code}: total {actual} vs basic + project {expected} (difference {difference})"
-- description: >
--   In expenditure tables, every line's 总计 equals 基本支出 + 项目支出, plus 事业单位经营支出, 上缴上级支出
--   and 对附属单位补助支出 where the table prints them (Huzhou 交通运输局 支出总表: 201,286.11 = 26,435.02 +
--   3,388.68 + 171,262.41 + 200.00 of 事业单位经营支出), and 单位预留机动经费 (江苏 2019 支出预算总表: 18,330.37 =
--   9,312.90 + 6,459.58 + 2,557.89). A table whose total line is 基本 + 项目 alone while those columns
--   print amounts there holds them within its 基本 and 项目 (深圳 生态环境局 支出总表: 190,281.97 =
--   51,374.73 + 138,907.24, 事业单位经营支出 11,575.59): its lines are checked the same way.
with with_basic as (
    select distinct
        document_id,
        table_index
    from cell_grid
    where measure = 'basic'
),

extras_within as (
    select distinct
        document_id,
        table_index
    from (
        select
            document_id,
            table_index,
            sum(amount) filter (where measure = 'total') as total_amount,
            coalesce(sum(amount) filter (where measure in ('basic', 'project', 'reserve')), 0) as main_amount,
            sum(abs(amount)) filter (where measure in (
                'business_operation_expenditure', 'remittance_to_superior', 'subsidy_to_subordinate'
            )) as extra_amount
        from cell_grid
        where row_kind = 'total'
        group by document_id, table_index, row_index, fiscal_year, column_group(column_label)
    ) as total_lines
    where total_amount = main_amount and extra_amount > 0
)

-- 事业单位经营支出 is the measure business_operation_expenditure: the fund source 事业单位经营收入
-- (business_operation) a table of spending by source prints (Xi'an 部门综合预算支出总表) is no part of it.
select * from
    across_columns(
        [
            'general_budget_expenditure', 'department_expenditure', 'government_fund_expenditure',
            'state_capital_expenditure', 'final_general_budget_expenditure', 'final_expenditure'
        ],
        'total',
        [
            'basic', 'project', 'business_operation_expenditure', 'remittance_to_superior',
            'subsidy_to_subordinate', 'reserve'
        ]
    )
where
    (document_id, table_index) in (select (w.document_id, w.table_index) from with_basic as w)
    and (document_id, table_index) not in (select (x.document_id, x.table_index) from extras_within as x)
union all
select * from
    across_columns(
        [
            'general_budget_expenditure', 'department_expenditure', 'government_fund_expenditure',
            'state_capital_expenditure', 'final_general_budget_expenditure', 'final_expenditure'
        ],
        'total',
        ['basic', 'project', 'reserve']
    )
where (document_id, table_index) in (select (x.document_id, x.table_index) from extras_within as x)
union all
-- a table printing 人员经费支出 | 公用经费支出 | 专项业务经费支出 without a 基本支出 column (Xi'an): its two
-- parts stand for the basic spending
select * from
    across_columns(
        [
            'general_budget_expenditure', 'department_expenditure', 'government_fund_expenditure',
            'state_capital_expenditure', 'final_general_budget_expenditure', 'final_expenditure'
        ],
        'total', [
            'personnel', 'public_operation', 'project', 'business_operation_expenditure',
            'remittance_to_superior', 'subsidy_to_subordinate'
        ]
    )
where (document_id, table_index) not in (select (w.document_id, w.table_index) from with_basic as w)

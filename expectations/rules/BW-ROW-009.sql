-- id: BW-ROW-009
-- severity: error
-- kind: row_sum
-- message: "{table_type} {fiscal_year} line {subject_code}: total {actual} vs the income sources {expected} (difference {difference})"
-- description: >
--   In 部门收入总表 every line's 总计 equals the sum of its income-source columns (final accounts print
--   财政拨款收入 as one column, fiscal_appropriation; Xi'an adds 用事业基金弥补收支差额 and 上年实户资金余额;
--   Guangzhou prints 财政专户拨款收入 as 教育收费 and 其他专户收入拨款).
select * from across_columns(
    ['department_income', 'final_income'], 'total',
    list_concat(
        income_source_keys(), [
            'fiscal_appropriation', 'business_fund_used', 'prior_year_account_balance',
            'fiscal_special_account_education_fees', 'fiscal_special_account_other'
        ]
    )
)

-- id: BW-XTB-001
-- severity: error
-- kind: cross_table
-- message: "class {subject_code} {detail} {fiscal_year}: the fiscal appropriation summary (general budget) shows {actual}, the general budget expenditure table {expected} (difference {difference})"
-- description: >
--   Each function class of table 1 (general budget column) equals the class line of table 2; in final
--   accounts, 财政拨款收入支出决算总表 against 一般公共预算财政拨款支出决算表.
select * from
    compare_classes(
        'fiscal_appropriation_summary',
        'expenditure_class',
        'general_budget',
        'general_budget_expenditure',
        'total'
    )
union all
select * from compare_classes(
    'final_fiscal_appropriation_summary', 'expenditure_class', 'general_budget',
    'final_general_budget_expenditure', 'total'
)

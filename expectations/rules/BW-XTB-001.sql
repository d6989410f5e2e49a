-- id: BW-XTB-001
-- severity: error
-- kind: cross_table
-- message: "class {subject_code} {detail} {fiscal_year}: 财政拨款收支总表 (general budget) shows {actual}, the general budget expenditure table {expected} (difference {difference})"
-- description: Each function class of table 1 (general budget column) equals the class line of table 2.
select * from compare_classes(
    'fiscal_appropriation_summary', 'expenditure_class', 'general_budget', 'general_budget_expenditure', 'total')

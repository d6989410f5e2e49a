-- id: BW-XTB-004
-- severity: error
-- kind: cross_table
-- message: "class {subject_code} {detail} {fiscal_year}: {table_type} shows {actual}, the expenditure table {expected} (difference {difference})"
-- description: >
--   Each function class of 部门收支总表 equals the class line of 部门支出总表 (final accounts:
--   收入支出决算总表 against 支出决算表).
select *
from compare_classes('department_summary', 'expenditure_class', 'total', 'department_expenditure', 'total')
union all
select * from compare_classes(
    'final_income_expenditure_summary', 'expenditure_class', 'total', 'final_expenditure', 'total'
)

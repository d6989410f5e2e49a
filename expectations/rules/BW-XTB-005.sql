-- id: BW-XTB-005
-- severity: error
-- kind: cross_table
-- message: "class {subject_code} {detail} {fiscal_year}: {table_type} shows {actual}, the expenditure table {expected} (difference {difference})"
-- description: >
--   Each function class of 部门收入总表 (总计) equals the class line of 部门支出总表 (a budget only: in final
--   accounts 收入决算表 and 支出决算表 differ by the carry-over balances).
select * from compare_classes('department_income', 'subject', 'total', 'department_expenditure', 'total')

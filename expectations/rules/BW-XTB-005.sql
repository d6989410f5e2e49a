-- id: BW-XTB-005
-- severity: error
-- kind: cross_table
-- message: "class {subject_code} {detail} {fiscal_year}: 部门收入总表 shows {actual}, 部门支出总表 {expected} (difference {difference})"
-- description: Each function class of 部门收入总表 (总计) equals the class line of 部门支出总表.
select * from compare_classes('department_income', 'subject', 'total', 'department_expenditure', 'total')

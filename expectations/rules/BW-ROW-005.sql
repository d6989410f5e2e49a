-- id: BW-ROW-005
-- severity: error
-- kind: row_sum
-- message: "three public expenses {fiscal_year} ({subject_code}): vehicle subtotal {actual} vs purchase + operation {expected} (difference {difference})"
-- description: >
--   公务用车购置及运行费 小计 equals 购置费 + 运行费, for every year shown (the template always prints
--   both parts, so a subtotal over two blank parts is compared with zero).
select * from across_columns(
    ['three_public_expenses', 'final_three_public_expenses'], 'vehicle_total',
    ['vehicle_purchase', 'vehicle_operation'], blank_parts_are_zero := true
)

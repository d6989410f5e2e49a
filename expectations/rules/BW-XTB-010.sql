-- id: BW-XTB-010
-- severity: error
-- kind: cross_table
-- comparison: at_least
-- message: "{fiscal_year}: 三公 vehicle operation {actual} must cover the basic expenditure line 30231 公务用车运行维护费 {expected} (difference {difference})"
-- description: The 三公 公务用车运行维护费 is at least the economic line 30231 of the basic expenditure table, in budgets and final accounts.
select * from three_public_covers('vehicle_operation', '30231')

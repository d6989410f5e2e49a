-- id: BW-XTB-009
-- severity: error
-- kind: cross_table
-- comparison: at_least
-- message: "{fiscal_year}: 三公 reception {actual} must cover the basic expenditure line 30217 公务接待费 {expected} (difference {difference})"
-- description: The 三公 公务接待费 is at least the economic line 30217 of the basic expenditure table (projects may add to it), in budgets and final accounts.
select * from three_public_covers('reception', '30217')

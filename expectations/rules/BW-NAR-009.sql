-- id: BW-NAR-009
-- severity: error
-- kind: narrative
-- message: "narrative {fiscal_year}: {subject_code} quoted as {actual}, the tables show {expected} ({detail}; difference {difference})"
-- description: >
--   The 人员经费 and 公用经费 totals a final account's narrative quotes for its general-budget basic spending
--   equal the 人员经费合计 and 公用经费合计 of 一般公共预算财政拨款基本支出决算表.
select * from narrative_check(['personnel_total', 'public_operation_total'])

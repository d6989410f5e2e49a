-- id: BW-NAR-005
-- severity: error
-- kind: narrative
-- message: "narrative {fiscal_year}: {subject_code} quoted as {actual}, the tables show {expected} ({detail}; difference {difference})"
-- description: >
--   机关运行经费 quoted in the narrative equals the 机关运行经费 table's total. The 日常公用经费 of the basic
--   expenditure table is no measure of it: it also holds the public units' (Chongqing 规划和自然资源局:
--   机关运行经费 5,590.43 beside 公用经费 15,052.63).
select * from narrative_check(['operating_expenses'])

-- id: BW-NAR-003
-- severity: error
-- kind: narrative
-- message: "narrative {fiscal_year}: {subject_code} quoted as {actual}, the tables show {expected} ({detail}; difference {difference})"
-- description: >
--   The 基本支出 and 项目支出 totals quoted in the narrative equal table 2 (final accounts: 一般公共预算财政拨款
--   支出决算表; those of all the department's money, 本年支出合计 …其中：基本支出, equal 支出决算表).
select * from narrative_check(['basic_total', 'project_total', 'all_basic_total', 'all_project_total'])

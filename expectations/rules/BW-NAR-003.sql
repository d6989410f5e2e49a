-- id: BW-NAR-003
-- severity: error
-- kind: narrative
-- message: "narrative {fiscal_year}: {subject_code} quoted as {actual}, the tables show {expected} ({detail}; difference {difference})"
-- description: The 基本支出 and 项目支出 totals quoted in the narrative equal table 2.
select * from narrative_check(['basic_total', 'project_total'])

-- id: BW-NAR-005
-- severity: error
-- kind: narrative
-- message: "narrative {fiscal_year}: {subject_code} quoted as {actual}, the tables show {expected} ({detail}; difference {difference})"
-- description: 机关运行经费 quoted in the narrative equals the 日常公用经费 total of the basic expenditure table.
select * from narrative_check(['operating_expenses'])

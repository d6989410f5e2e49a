-- id: BW-NAR-008
-- severity: warning
-- kind: narrative
-- message: "narrative {fiscal_year}: {subject_code} quoted as {actual}, the tables show {expected} ({detail}; difference {difference})"
-- description: The project amount under performance management quoted in the narrative equals the project expenditure total.
select * from narrative_check(['performance_project_amount'])

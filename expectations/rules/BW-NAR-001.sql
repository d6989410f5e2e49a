-- id: BW-NAR-001
-- severity: error
-- kind: narrative
-- message: "narrative {fiscal_year}: {subject_code} quoted as {actual}, the tables show {expected} ({detail}; difference {difference})"
-- description: The income and expenditure totals quoted in the narrative (收入/支出预算总额, 一般公共预算拨款) equal the summaries.
select * from narrative_check(['income_total', 'expenditure_total', 'general_budget_income'])

-- id: BW-NAR-001
-- severity: error
-- kind: narrative
-- message: "narrative {fiscal_year}: {subject_code} quoted as {actual}, the tables show {expected} ({detail}; difference {difference})"
-- description: >
--   The income and expenditure totals quoted in the narrative (收入/支出预算总额, 一般公共预算拨款) equal the
--   summaries; in final accounts 收入支出总计, 本年收入合计, 本年支出合计 equal 收入支出决算总表 and
--   财政拨款收入支出总计 and 财政拨款收入 equal 财政拨款收入支出决算总表.
select * from narrative_check([
    'income_total', 'expenditure_total', 'general_budget_income', 'final_total', 'fiscal_appropriation_total',
    'current_income_total', 'fiscal_appropriation_income', 'current_expenditure_total'
])

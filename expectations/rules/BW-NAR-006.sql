-- id: BW-NAR-006
-- severity: error
-- kind: narrative
-- message: "narrative {fiscal_year}: {subject_code} quoted as {actual}, the tables show {expected} ({detail}; difference {difference})"
-- description: Year-on-year changes quoted in the narrative (增加/减少) equal the current year minus the prior-year column of the same line, where the tables print one.
select *
from
    narrative_check(
        [
            'income_change',
            'expenditure_change',
            'basic_change',
            'project_change',
            'three_public_change',
            'operating_expenses_change'
        ]
    )

-- id: BW-NAR-004
-- severity: error
-- kind: narrative
-- message: "narrative {fiscal_year}: {subject_code} quoted as {actual}, the tables show {expected} ({detail}; difference {difference})"
-- description: The 三公 total and parts quoted in the narrative equal the 三公 table's current year.
select *
from
    narrative_check(
        ['three_public_total', 'outbound_travel', 'vehicle_purchase', 'vehicle_operation', 'reception']
    )

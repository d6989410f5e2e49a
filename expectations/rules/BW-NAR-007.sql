-- id: BW-NAR-007
-- severity: warning
-- kind: narrative
-- message: "narrative {fiscal_year}: {subject_code} quoted as {actual}, the tables show {expected} ({detail}; difference {difference})"
-- description: The procurement total quoted in the narrative equals the 合计 of 政府采购预算明细表.
select * from narrative_check(['procurement_total'])

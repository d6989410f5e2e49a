-- id: BW-HIE-002
-- severity: error
-- kind: hierarchy
-- message: "{table_type} {fiscal_year} [{detail}]: section {subject_code} is {actual}, its items sum to {expected} (difference {difference})"
-- description: A function section (款, 5 digits) equals the sum of its items (项, 7 digits), per column and year.
select * from subject_rollup(
    function_table_types(),
    5, 7
)

-- id: BW-HIE-001
-- severity: error
-- kind: hierarchy
-- message: "{table_type} {fiscal_year} [{detail}]: class {subject_code} is {actual}, its sections sum to {expected} (difference {difference})"
-- description: A function class (类, 3 digits) equals the sum of its sections (款, 5 digits), per column and year.
select * from subject_rollup(
    function_table_types(),
    3, 5
)

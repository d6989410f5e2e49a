-- id: BW-HIE-004
-- severity: error
-- kind: hierarchy
-- message: "{table_type} {fiscal_year} [{detail}]: economic class {subject_code} is {actual}, its sections sum to {expected} (difference {difference})"
-- description: An economic class (类, 3 digits, e.g. 302) equals the sum of its sections (款, 5 digits), per column.
select * from subject_rollup(economic_table_types(), 3, 5)

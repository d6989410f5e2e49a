-- id: BW-HIE-003
-- severity: error
-- kind: hierarchy
-- message: "{table_type} {fiscal_year} [{detail}]: class {subject_code} is {actual}, its items sum to {expected} (difference {difference})"
-- description: >
--   A function class (类) equals the sum of all its items (项), checked besides 类 = Σ 款 and 款 = Σ 项 so
--   that an item error is reported at class level even where the section line repeats the wrong sum.
select * from subject_rollup(
    function_table_types(),
    3, 7
)

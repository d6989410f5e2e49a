-- id: BW-ROW-007
-- severity: error
-- kind: row_sum
-- message: "project table [{detail}]: total line is {actual}, the projects sum to {expected} (difference {difference})"
-- description: The 合计 line of 项目支出明细表 equals the sum of the project lines, in every column.
select * from total_rollup(['project_expenditure'], ['total'], ['project'], null, [])

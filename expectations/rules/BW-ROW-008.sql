-- id: BW-ROW-008
-- severity: error
-- kind: row_sum
-- message: "project table line {detail}: total {actual} vs annual specific + superior special {expected} (difference {difference})"
-- description: In 项目支出明细表 every line's 合计 equals 年初特定目标 小计 + 上级专项 小计.
select *
from across_columns(['project_expenditure'], 'total', ['annual_specific_total', 'superior_special_total'])

"""Two documents built with plain SQL in the dbt models' shape, carrying the seeds' figures where the
rules have something to say: the published inconsistencies of 潼南 2022 and the rounding noise of
綦江 2024 that must stay silent."""

from __future__ import annotations

from rule_warehouse import Col, Doc, Warehouse

FUNCTION_COLUMNS = [Col("2021 年预算数", "total", 2021), Col("总计", "total"), Col("基本支出", "basic"),
                    Col("项目支出", "project")]
BASIC_COLUMNS = [Col("总计", "total"), Col("人员经费", "personnel"), Col("日常公用经费", "public_operation")]
THREE_PUBLIC_COLUMNS = [
    Col("2021 / 总计", "total", 2021), Col("2021 / 因公出国(境)费用", "outbound_travel", 2021),
    Col("2021 / 公务用车购置", "vehicle_purchase", 2021),
    Col("2021 / 公务用车运行维护费", "vehicle_operation", 2021),
    Col("2021 / 公务接待费", "reception", 2021),
    Col("总计", "total"), Col("因公出国(境)费用", "outbound_travel"), Col("小计", "vehicle_total"),
    Col("公务用车购置", "vehicle_purchase"), Col("公务用车运行维护费", "vehicle_operation"),
    Col("公务接待费", "reception")]
PROJECT_COLUMNS = [Col("合计", "total"), Col("年初特定目标 / 小计", "annual_specific_total"),
                   Col("上级专项 / 小计", "superior_special_total")]


def build_tongnan(w: Warehouse) -> Doc:
    doc = w.document(Doc("tongnan2022", 2022, department="潼南区政务服务管理办公室", region="潼南区"))
    w.table(doc, 2, "general_budget_expenditure", FUNCTION_COLUMNS, [
        ("total", "total", "合计", "1926.37", "1996.06", "320.61", "1675.45"),
        ("subject", "201", "一般公共服务支出", "1866.11", "1932.1", "256.65", "1675.45"),
        ("subject", "20103", "政府办公厅（室）及相关机构事务", "1866.11", "1932.1", "256.65", "1675.45"),
        ("subject", "2010301", "行政运行", "428.61", "256.65", "256.65", None),
        ("subject", "2010302", "一般行政管理事务", "1437.50", "1675.45", None, "1675.45"),
        ("subject", "208", "社会保障和就业支出", "33.75", "35.36", "35.36", None),
        ("subject", "20805", "行政事业单位养老支出", "33.75", "35.36", "35.36", None),
        ("subject", "2080505", "机关事业单位基本养老保险缴费支出", "15.83", "16.91", "16.91", None),
        ("subject", "2080506", "机关事业单位职业年金缴费支出", "7.92", "8.45", "8.45", None),
        ("subject", "2080599", "其他行政事业单位养老支出", "10", "10", "10", None),
        ("subject", "210", "卫生健康支出", "14.37", "15.92", "15.92", None),
        ("subject", "21011", "行政事业单位医疗", "14.37", "15.92", "15.92", None),
        ("subject", "2101101", "行政单位医疗", "11.65", "12.68", "12.68", None),
        ("subject", "2101199", "其他行政事业单位医疗支出", "27.2", "3.24", "3.24", None),
        ("subject", "221", "住房保障支出", "11.65", "12.68", "12.68", None),
        ("subject", "22102", "住房改革支出", "11.65", "12.68", "12.68", None),
        ("subject", "2210201", "住房公积金", "11.65", "12.68", "12.68", None),
    ], page=5)
    w.table(doc, 3, "general_budget_basic_expenditure", BASIC_COLUMNS, [
        ("total", "total", "合计", "320.61", "241.08", "79.53"),
        ("subject", "301", "工资福利支出", "223.47", "223.47", None),
        ("subject", "30101", "基本工资", "52.82", "52.82", None),
        ("subject", "30102", "津贴补贴", "44.9", "44.9", None),
        ("subject", "30103", "奖金", "74.71", "74.71", None),
        ("subject", "30108", "机关事业单位基本养老保险缴费", "16.91", "16.91", None),
        ("subject", "30109", "职业年金缴费", "8.45", "8.45", None),
        ("subject", "30110", "职工基本医疗保险缴费", "8.98", "8.98", None),
        ("subject", "30112", "其他社会保障缴费", "1.9", "1.9", None),
        ("subject", "30113", "住房公积金", "12.68", "12.68", None),
        ("subject", "30114", "医疗费", "2.11", "2.11", None),
        ("subject", "302", "商品和服务支出", "83.9", "4.37", "79.53"),
        ("subject", "30201", "办公费", "5.5", None, "5.5"),
        ("subject", "30202", "印刷费", "1.1", None, "1.1"),
        ("subject", "30205", "水费", "0.2", None, "0.2"),
        ("subject", "30206", "电费", "0.4", None, "0.4"),
        ("subject", "30207", "邮电费", "5.37", "4.37", None),
        ("subject", "30211", "差旅费", "17", None, "17"),
        ("subject", "30213", "维修（护）费", "3", None, "3"),
        ("subject", "30214", "租赁费", "0.23", None, "0.23"),
        ("subject", "30215", "会议费", "0.3", None, "0.3"),
        ("subject", "30216", "培训费", "1.04", None, "1.04"),
        ("subject", "30217", "公务接待费", "2", None, "2"),
        ("subject", "30226", "劳务费", "7", None, "7"),
        ("subject", "30227", "委托业务费", "3", None, "3"),
        ("subject", "30228", "工会经费", "1.27", None, "1.27"),
        ("subject", "30229", "福利费", "1.85", None, "1.85"),
        ("subject", "30231", "公务用车运行维护费", "4", None, "4"),
        ("subject", "30239", "其他交通费用", "12.69", None, "12.69"),
        ("subject", "30299", "其他商品和服务支出", "17.96", None, "17.96"),
        ("subject", "303", "对个人和家庭的补助", "13.24", "13.24", None),
        ("subject", "30307", "医疗费补助", "3.24", "3.24", None),
        ("subject", "30399", "其他对个人和家庭的补助", "10", "10", None),
    ], page=7)
    w.table(doc, 4, "three_public_expenses", THREE_PUBLIC_COLUMNS, [
        ("total", "total", "合计", "6.00", None, None, "4.00", "2.00",
         "6.00", None, "6.00", None, "4.00", "2.00"),
    ], page=9)
    w.table(doc, 10, "project_expenditure", PROJECT_COLUMNS, [
        ("total", "total", "合计", "1675.45", "1675.45", None),
        ("project", None, "购买社会服务专项资金", "206.78", "206.78", None),
        ("project", None, "日常运行经费", "175.00", "175.00", None),
        ("project", None, "工作人员培训服务经费", "4.50", "4.50", None),
        ("project", None, "办公房租金", "1058.00", "1058.00", None),
        ("project", None, "工作人员服装购买经费", "65.00", "65.00", None),
        ("project", None, "“情潼一家”项目建设经费", "60.00", "60.00", None),
        ("project", None, "电子签名印章系统建设运行", "92.45", "92.45", None),
        ("project", None, "政务服务工作站建设项目", "13.72", None, "13.72"),
    ], page=15)
    w.narrative(doc, "income_total", "1996.06")
    w.narrative(doc, "income_change", "69.70")
    w.narrative(doc, "expenditure_change", "69.69")
    w.narrative(doc, "basic_total", "320.61")
    w.narrative(doc, "project_total", "1675.45")
    w.narrative(doc, "three_public_total", "6")
    w.narrative(doc, "reception", "2")
    w.narrative(doc, "vehicle_operation", "4")
    w.narrative(doc, "operating_expenses", "79.53")
    w.narrative(doc, "expenditure_by_class", "1932.10", subject_name="一般公共服务")
    return doc


def build_qijiang(w: Warehouse) -> Doc:
    doc = w.document(Doc("qijiang2024", 2024, department="綦江区政务服务管理办公室", region="綦江区"))
    w.table(doc, 3, "general_budget_basic_expenditure", BASIC_COLUMNS, [
        ("total", "total", "合计", "677.15", "378.34", "298.82"),
        ("subject", "301", "工资福利支出", "373.24", "373.24", None),
        ("subject", "30101", "基本工资", "86.91", "86.91", None),
        ("subject", "30102", "津贴补贴", "57.35", "57.35", None),
        ("subject", "30103", "奖金", "113.38", "113.38", None),
        ("subject", "30108", "机关事业单位基本养老保险缴费", "36.65", "36.65", None),
        ("subject", "30109", "职业年金缴费", "18.33", "18.33", None),
        ("subject", "30110", "职工基本医疗保险缴费", "21.98", "21.98", None),
        ("subject", "30112", "其他社会保障缴费", "3.62", "3.62", None),
        ("subject", "30113", "住房公积金", "31.08", "31.08", None),
        ("subject", "30114", "医疗费", "2.56", "2.56", None),
        ("subject", "30199", "其他工资福利支出", "1.38", "1.38", None),
        ("subject", "302", "商品和服务支出", "298.92", "0.10", "298.82"),
        ("subject", "30201", "办公费", "18.90", None, "18.90"),
        ("subject", "30207", "邮电费", "4.99", None, "4.99"),
        ("subject", "30215", "会议费", "2.00", None, "2.00"),
        ("subject", "30216", "培训费", "4.18", None, "4.18"),
        ("subject", "30217", "公务接待费", "0.70", None, "0.70"),
        ("subject", "30226", "劳务费", "217.51", None, "217.51"),
        ("subject", "30227", "委托业务费", "5.00", None, "5.00"),
        ("subject", "30228", "工会经费", "22.91", None, "22.91"),
        ("subject", "30229", "福利费", "2.61", None, "2.61"),
        ("subject", "30231", "公务用车运行维护费", "3.50", None, "3.50"),
        ("subject", "30239", "其他交通费用", "16.51", None, "16.51"),
        ("subject", "30299", "其他商品和服务支出", "0.10", "0.10", None),
        ("subject", "303", "对个人和家庭的补助", "5.00", "5.00", None),
        ("subject", "30307", "医疗费补助", "0.40", "0.40", None),
        ("subject", "30399", "其他对个人和家庭的补助", "4.60", "4.60", None),
    ], page=3)
    return doc

"""Every finding code: severity, ledger, meaning and message template, declared once."""

from __future__ import annotations

from dataclasses import dataclass

from wuhai_zs.findings import Severity


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    ledgers: str  # which ledgers it applies to ("*" for all)
    title: str  # what it means, for `wuhai-zs rules`
    template: str  # the finding's message; {column} and {value} and named extras


RULES: tuple[Rule, ...] = (
    # Structure of a sheet or file
    Rule(
        "missing-column",
        "error",
        "*",
        "缺少必填列",
        "缺少必填列：{missing}。应有列：{expected}；找到的表头：{found}",
    ),
    Rule(
        "duplicate-column",
        "warning",
        "*",
        "同一列在表头中重复出现",
        "列“{column}”在表头中重复出现，仅使用第一次出现的列",
    ),
    Rule(
        "unit-missing",
        "warning",
        "*",
        "金额列未注明单位",
        "金额列“{column}”未注明单位（表头或“单位：”行），按{unit}计",
    ),
    # Cell values
    Rule("required-cell", "error", "*", "必填项为空", "{column}为必填项，不能为空"),
    Rule(
        "required-one-of",
        "error",
        "arrivals",
        "到位日期与到位月份至少填一项",
        "{column}至少填写一项",
    ),
    Rule("bad-number", "error", "*", "不是有效的数字", "{column}“{value}”不是有效的数字"),
    Rule("bad-integer", "error", "*", "不是整数", "{column}“{value}”不是整数"),
    Rule(
        "bad-date",
        "error",
        "*",
        "不是有效的日期",
        "{column}“{value}”不是有效的日期（可用 2025-03-05、2025/3/5、2025年3月5日 等，"
        "年份应在 1990—2100 之间）",
    ),
    Rule(
        "bad-month",
        "error",
        "*",
        "不是有效的月份",
        "{column}“{value}”不是有效的月份（可用 2025-03 或 2025年3月）",
    ),
    Rule("bad-year", "error", "*", "不是有效的年度", "{column}“{value}”不是有效的年度（如 2025）"),
    Rule(
        "bad-yes-no",
        "error",
        "*",
        "不是有效的是/否",
        "{column}“{value}”应为 是/否（也可用 Y/N、√/×、1/0）",
    ),
    Rule("bad-share", "error", "*", "不是有效的比例", "{column}“{value}”应为 0—1 的小数或百分数"),
    Rule(
        "not-allowed",
        "error",
        "*",
        "取值不在规定范围内",
        "{column}“{value}”不在规定范围内（应为：{allowed}）",
    ),
    Rule("not-positive", "error", "*", "应大于 0", "{column}应大于 0，当前为 {value}"),
    Rule("negative", "error", "*", "不能为负数", "{column}不能为负数，当前为 {value}"),
    Rule("month-range", "error", "output", "月份应为 1—12", "{column}应为 1—12，当前为 {value}"),
    Rule(
        "future-date",
        "error",
        "*",
        "日期晚于今天（将来的日期）",
        "{column} {value} 晚于今天 {today}，不可能已经发生，请检查是否笔误（如 2052 应为 2025）",
    ),
    # Projects
    Rule(
        "duplicate-id", "error", "projects", "项目编号重复", "项目编号“{value}”重复，另见 {others}"
    ),
    Rule(
        "stage-date-missing",
        "error",
        "projects",
        "项目阶段所需的日期未填",
        "项目阶段为“{stage}”，{column}不能为空",
    ),
    Rule(
        "date-order",
        "error",
        "projects",
        "日期先后顺序不对",
        "{column} {value} 早于{other_column} {other_value}",
    ),
    Rule(
        "permits-exceed",
        "error",
        "projects",
        "已办手续数大于应办手续数",
        "已办手续数 {value} 大于应办手续数 {required}",
    ),
    Rule(
        "enclave-incomplete",
        "error",
        "projects",
        "飞地项目信息不全",
        "飞地项目（{enclave}）须填写{column}",
    ),
    Rule(
        "share-range",
        "error",
        "projects",
        "飞出地分成比例超出 0—1",
        "{column} {value} 应在 0—1 之间（或 0%—100%）",
    ),
    Rule(
        "foreign-country-missing",
        "error",
        "projects",
        "境外项目未填来源国别",
        "来源地区为境外，{column}不能为空",
    ),
    Rule(
        "five-ones",
        "warning",
        "projects",
        "重大项目“五个一”不全",
        "重大项目（总投资 {investment} 万元）未落实“五个一”：缺{column}",
    ),
    # Arrivals
    Rule(
        "unknown-project",
        "error",
        "arrivals",
        "项目编号不在项目台账中",
        "项目编号“{value}”在项目台账中不存在",
    ),
    Rule(
        "project-rejected",
        "error",
        "arrivals",
        "所属项目在项目台账中有错误",
        "项目“{value}”在项目台账中的行有错误（{where}），本行暂不计入",
    ),
    Rule(
        "not-signed",
        "error",
        "arrivals",
        "项目尚未签约即有资金到位",
        "项目“{value}”阶段为“{stage}”，尚未签约，不应有到位资金",
    ),
    Rule(
        "before-signing",
        "error",
        "arrivals",
        "到位日期早于签约日期",
        "{column} {value} 早于项目签约日期 {signed_on}",
    ),
    Rule(
        "fdi-missing",
        "error",
        "arrivals",
        "境外项目未填外资金额",
        "项目“{value}”来源地区为境外，须填写{column}",
    ),
    Rule(
        "probable-duplicate",
        "warning",
        "arrivals",
        "疑似重复录入",
        "项目“{value}”在 {date} 有相同金额 {amount} 万元的到位记录 {count} 条，疑似重复录入",
    ),
    Rule(
        "ytd-mismatch",
        "warning",
        "arrivals",
        "本年累计与各月合计不符",
        "本年累计到位资金 {value} 万元与 1—{month} 月本月到位资金合计 {expected} 万元不符",
    ),
    # Parks and output
    Rule(
        "duplicate-period",
        "error",
        "parks,output",
        "同一统计对象同一期重复填报",
        "“{value}”在同一期重复填报，另见 {others}",
    ),
    # Activities
    Rule(
        "leader-missing",
        "error",
        "activities",
        "带队招商未填带队领导",
        "活动类型为带队招商，{column}不能为空",
    ),
)

BY_CODE: dict[str, Rule] = {r.code: r for r in RULES}

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
    # The finding's message: {column}, {value} and named extras. `{x:,}` marks a number, shown
    # with thousands separators and its decimals as typed (emit.message); every amount, count
    # and multiple in a message is marked so, never formatted by hand in a check.
    template: str


RULES: tuple[Rule, ...] = (
    # Files and ledgers as a whole
    Rule(
        "unreadable-file",
        "error",
        "*",
        "文件或工作表无法读取",
        "{reason}（其他文件照常读取）",
    ),
    Rule(
        "ledger-missing",
        "warning",
        "*",
        "未找到必需的台账",
        "未找到{stem}（文件或工作表名称中应含“{stem}”或“{english}”），{needs}将显示为无数据",
    ),
    Rule(
        "ledger-empty",
        "warning",
        "*",
        "台账没有数据行",
        "{stem}只有表头、没有数据行（未填写的模板？），{needs}将显示为无数据",
    ),
    Rule(
        "line-count",
        "error",
        "*",
        "CSV 的记录数与行数对不上",
        "{problem}",
    ),
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
        "error",
        "*",
        "同一含义的列出现了不止一列",
        "“{column}”这一列出现了不止一次（{where}），同一含义的列只能保留一列；读取第一列，"
        "两列的值不同的行不计入。请删除多余的列",
    ),
    Rule(
        "hidden-duplicate-column",
        "warning",
        "*",
        "同一含义的列另有隐藏的一列",
        "“{column}”这一列另有隐藏的同名列（{where}），读取的是可见的一列；如隐藏列已作废，请删除",
    ),
    Rule(
        "column-conflict",
        "error",
        "*",
        "同一含义的两列取值不同",
        "{column}“{value}”与同一含义的另一列（{where}）“{other}”不同，无法确定用哪一个，本行不计入",
    ),
    Rule(
        "cell-outside-table",
        "warning",
        "*",
        "表头以外的列有内容",
        "{column}没有表头，但第 {rows} 行有内容（共 {count:,} 个单元格，如“{value}”），未读取；"
        "如是台账数据请补上表头，否则请删除",
    ),
    Rule(
        "extra-cells",
        "error",
        "*",
        "一行的单元格比表头多",
        "本行比表头多出 {count:,} 个单元格（{value}），可能是未加引号的数字中的逗号（如 1,234.56）"
        "使后面的列错位；本行不计入，请检查本行",
    ),
    Rule(
        "unclosed-quote",
        "error",
        "*",
        "CSV 引号不成对",
        '本行的引号（"）没有正确结束，无法确定单元格从哪里结束；本行不计入（其后各行照常读取），'
        "请检查本行的引号：{value}",
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
    Rule(
        "bad-number",
        "error",
        "*",
        "不是有效的数字",
        "{column}“{value}”不是有效的数字（千分位逗号须每三位一组，如 1,234.56）",
    ),
    Rule(
        "too-large",
        "error",
        "*",
        "数值过大，不可能是有效数值",
        "{column}“{value:,}”数值过大（超过 1 亿），不可能是金额、面积或个数，"
        "疑似误粘贴了银行卡号、身份证号等长数字，请核对",
    ),
    Rule(
        "cell-error",
        "error",
        "*",
        "单元格是公式错误值",
        "{column}的单元格是错误值“{value}”（公式没有算出结果），不能当作空白或 0；"
        "请在 Excel 或 WPS 中修正公式（或直接填写数值）后保存",
    ),
    Rule(
        "formula-no-value",
        "error",
        "*",
        "公式没有保存计算结果",
        "{column}的单元格是公式“{value}”，但文件中没有保存它的计算结果（文件可能由程序生成）；"
        "请用 Excel 或 WPS 打开此文件、保存后再校验",
    ),
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
    Rule("not-positive", "error", "*", "应大于 0", "{column}应大于 0，当前为 {value:,}"),
    Rule("negative", "error", "*", "不能为负数", "{column}不能为负数，当前为 {value:,}"),
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
        "{column} {value:,} 大于{other_column} {other_value:,}",
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
        "重大项目（总投资 {investment:,} 万元）未落实“五个一”：缺{column}",
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
        "implausible-amount",
        "error",
        "arrivals",
        "单笔到位资金达到项目总投资的十倍以上",
        "{column} {value:,} 万元是项目总投资 {investment:,} 万元的 {times:,} 倍，"
        "疑似把“元”填进了“万元”列，请核对金额和单位",
    ),
    Rule(
        "implausible-total",
        "error",
        "arrivals",
        "项目到位资金合计达到总投资的十倍以上",
        "该项目到位资金合计 {total:,} 万元是项目总投资 {investment:,} 万元的 {times:,} 倍，"
        "疑似有金额把“元”填进了“万元”列，该项目各笔到位资金暂不计入，请核对",
    ),
    Rule(
        "exceeds-investment",
        "warning",
        "arrivals",
        "项目到位资金合计超过总投资",
        "到本笔为止，该项目到位资金合计超过总投资 {investment:,} 万元（全部到位合计 {total:,} 万元），请核对",
    ),
    Rule(
        "repeated-row",
        "error",
        "arrivals,activities",
        "同一行数据出现在两个来源中",
        "本行与 {others} 完全相同，同一数据不能从两个来源重复计入；请删除多余的一份（两处均暂不计入）",
    ),
    Rule(
        "probable-duplicate",
        "warning",
        "arrivals",
        "疑似重复录入",
        "项目“{value}”在 {date} 有相同金额 {amount:,} 万元的到位记录 {count:,} 条，疑似重复录入",
    ),
    Rule(
        "ytd-mismatch",
        "warning",
        "arrivals",
        "本年累计与各月合计不符",
        "本年累计到位资金 {value:,} 万元与 1—{month} 月本月到位资金合计 {expected:,} 万元不符",
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

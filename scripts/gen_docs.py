"""Regenerate docs/rules.md and docs/ledgers.md from the catalogue and the contract (tests check)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from wuhai_zs.findings.catalog import RULES
from wuhai_zs.ledgers.columns import (
    FIRST_YEAR,
    FIVE_ONES,
    LAST_YEAR,
    LEDGERS,
    PROJECTS,
    SKIP_COLUMNS,
    STAGES,
    TERMINATED,
    Column,
    Form,
    Ledger,
)
from wuhai_zs.ledgers.values import MISSING_TOKENS, TAG_SPLIT, YES_NO
from wuhai_zs.plan.model import Plan, load_plan

SEVERITY = {"error": "错误 error", "warning": "警告 warning"}
ROOT = Path(__file__).resolve().parents[1]


def ledgers_zh(spec: str) -> str:
    if spec == "*":
        return "全部"
    return "、".join(LEDGERS[k].stem_zh for k in spec.split(","))


def rules_markdown() -> str:
    lines = [
        "# 校验规则 / Validation rules",
        "",
        "由 `scripts/gen_docs.py` 从 `src/wuhai_zs/findings/catalog.py` 生成，请勿手改。",
        "Generated from the rule catalogue; `wuhai-zs rules` prints the same list.",
        "",
        "错误（error）使该行被拒绝、不计入任何指标，`validate` 以退出码 1 结束；"
        "警告（warning）保留该行。",
        "An error sets the row aside (rejected, left out of every figure; `validate` exits 1); "
        "a warning keeps it.",
        "",
        "| 代码 code | 级别 severity | 台账 ledgers | 含义 meaning | 提示模板 message |",
        "| --- | --- | --- | --- | --- |",
    ]
    for r in RULES:
        template = r.template.replace(":,}", "}").replace("|", "\\|")  # {x:,}: a number
        lines.append(
            f"| `{r.code}` | {SEVERITY[r.severity]} | {ledgers_zh(r.ledgers)} | "
            f"{r.title} | {template} |"
        )
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- docs/ledgers.md
KIND_WORDS = {
    "date": "日期",
    "month": "月份",
    "year": "年度",
    "int": "整数",
    "bool": "是/否",
    "share": "小数或百分数（如 `60%`）",
}
SIGN_WORDS = {"positive": "> 0", "non-negative": "≥ 0"}


def _code(text: str) -> str:
    return "`" + text.replace("`", "") + "`"


def _tag_separators() -> str:
    found = re.fullmatch(r"\[(.*)\]", TAG_SPLIT)
    assert found is not None, TAG_SPLIT
    return " ".join(_code(ch) for ch in found.group(1))


def _values(spec: Ledger, column: Column, plan: Plan) -> str:
    parts: list[str] = []
    if column.unique:
        parts.append("唯一")
    if column.refers:
        target = LEDGERS[column.refers]
        parts.append(f"须为{target.stem_zh}中的{target.by_key[column.key].header}")
    if column.kind in KIND_WORDS:
        parts.append(KIND_WORDS[column.kind])
    if column.values is not None:
        vocab = column.values
        if vocab.plan:
            listed = "、".join(getattr(plan, vocab.plan))
            values = f"{listed}（计划文件 `{vocab.plan}`）"
            values += f"及 {'、'.join(vocab.fixed)}" if vocab.fixed else ""
        else:
            values = "、".join(vocab.fixed)
        parts.append(values if vocab.strict else f"如 {values}，也可填写其他")
    if column.kind == "tags":
        parts.append(f"可填多个，用 {_tag_separators()} 分隔")
    if column.sign:
        parts.append(SIGN_WORDS[column.sign])
    if column.bounds:
        parts.append(f"{column.bounds.low:g}—{column.bounds.high:g}")
    if column.not_before:
        parts.append(f"不早于{spec.by_key[column.not_before].header}")
    if column.not_above:
        parts.append(f"不大于{spec.by_key[column.not_above].header}")
    if column.event:
        parts.append("不晚于今天" if column.kind != "year" else "不晚于今年")
    if column.note:
        parts.append(column.note)
    return "；".join(parts)


def _required(spec: Ledger, form: Form, column: Column) -> str:
    if column.key in spec.required(form):
        return "是"
    for group in form.one_of:
        if column.key in group:
            others = "、".join(spec.by_key[k].header for k in group if k != column.key)
            return f"是*（与{others}至少填一项）"
    if column.when is not None:
        return f"是*（{column.when.label()}）"
    return ""


def _columns_table(spec: Ledger, form: Form, plan: Plan) -> list[str]:
    lines = ["| 列 | alias | 必填 | 取值 |", "| --- | --- | --- | --- |"]
    for key in form.columns:
        column = spec.by_key[key]
        row = [
            column.display,
            _code(column.key),
            _required(spec, form, column),
            _values(spec, column, plan).replace("|", "\\|"),
        ]
        lines.append("| " + " | ".join(row) + " |")
    return lines


def _yes_no() -> str:
    yes = "、".join(_code(k) for k, v in YES_NO.items() if v)
    no = "、".join(_code(k) for k, v in YES_NO.items() if not v)
    return f"是：{yes}；否：{no}（不分大小写）"


INTRO = """\
# 台账格式 / Ledger format

由 `scripts/gen_docs.py` 从 `src/wuhai_zs/ledgers/columns.py`（台账约定的唯一声明）和内置计划生成，
请勿手改。

这是报送台账的人和 wuhai-zs 之间的约定（与 `spec/ledgers.md` 一致）。wuhai-zs 读取按此约定填写的每一份台账，
并逐行说明哪里不符合。用 `wuhai-zs template --output 台账模板.xlsx` 可得到带下拉选项的空白模板，
`wuhai-zs sample --output 示例/` 可得到一套示例台账。

## 放在哪里 / Where ledgers live

`--data 路径` 可以是：

- 一个文件夹：每个台账一个文件（`.csv`、`.xlsx`、`.xlsm`、`.xls`、`.ods`），文件名中含台账名；
- 一个工作簿：每个台账一个工作表，工作表名中含台账名；
- 一个以台账名命名的 `.csv` 文件（如 `项目台账.csv`）；
- 汇总的情形：文件夹里同时放各区的工作簿（`乌达区台账.xlsx`、`海南区台账.xlsx`，每个台账一个工作表）、
  单独的台账文件，以及下一层每区一个子文件夹。所有台账表都会读取，同一台账的行合并。
"""

READING = """\
## 能读懂的写法 / What is read

- CSV：UTF-8（带或不带 BOM）、GB18030/GBK，由文件内容判断；无法判断编码的文件报错并说明怎样另存。
- 表头之上的标题行、`单位：亿元`、`填报单位：…  填报时间：…` 行；两行合并表头（如 `投资情况` 下的
  `总投资（亿元）`）；{skip} 列；表头单元格里多余的空格和换行；标必填列的 `*`（`*项目编号`、`项目编号*`）；
  英文列名（见下表的 alias）。
- 非数据行：合计行（`合计`、`合  计`、`小计`、`2024年小计`、`总计`，在任一列）、空行、表尾（`填报人：`、
  `审核人：`、`联系电话：`、`注：` 等）。这些行计为“跳过”，并按原因计数，绝不计入数据。
- 金额单位：表头里的 `（元）`、`（万元）`、`（亿元）`（全角或半角括号），或表头之上的 `单位：亿元` 行；
  一律换算为万元（外资换算为万美元）。金额列哪里都没有单位时按万元计，并给出警告 `unit-missing`。
- 日期：Excel 日期、Excel 序列号、`2025-03-05`、`2025/3/5`、`2025.03.05`、`2025年3月5日`；
  月份：`2025-03`、`2025年3月`。年份须在 {first}—{last} 之间。
- 数字：千分位逗号、全角数字、多余空格；{missing}和空单元格表示“缺失”。
- 是/否：{yes_no}。
- 行号：与填表人看到的一致——Excel 的行号，CSV 的行号（表头在第 1 行时数据从第 2 行起）。
"""


def ledgers_markdown(plan: Plan | None = None) -> str:
    plan = plan or load_plan()
    lines = [INTRO]
    lines += [
        "| 台账 | 中文名 | 英文名 | 用于 |",
        "| --- | --- | --- | --- |",
    ]
    for spec in LEDGERS.values():
        needs = spec.needs + ("（可选）" if spec.optional else "")
        lines.append(
            f"| {spec.stem_zh.removesuffix('台账')} | {spec.stem_zh} | {spec.key} | {needs} |"
        )
    optional = "、".join(s.stem_zh for s in LEDGERS.values() if s.optional)
    lines += [
        "",
        "名称中不含台账名的工作表（`说明`、`Sheet3`）会被忽略，并在 `validate` 的输出中列出。缺少某个台账时，"
        "依赖它的指标显示“无数据”，从不显示为 0"
        + (f"（{optional}可不提供）" if optional else "")
        + "。同一个项目编号出现在两个来源里，两行都报错（`duplicate-id`）。",
        "",
        READING.format(
            skip="、".join(_code(s) for s in SKIP_COLUMNS),
            first=FIRST_YEAR,
            last=LAST_YEAR,
            missing="、".join(_code(t) for t in MISSING_TOKENS if t),
            yes_no=_yes_no(),
        ),
        "## 各台账的列 / Columns",
        "",
        "必填：“是”为必填；“是*”为特定情形下必填（括号内说明）。取值中的“计划文件 `districts`”等"
        "表示取自计划文件（这里列出的是内置计划的取值，`wuhai-zs plan show` 显示当前计划的取值）。",
    ]
    for spec in LEDGERS.values():
        lines += ["", f"### {spec.stem_zh} ({spec.key}{'，可选' if spec.optional else ''})", ""]
        forms = spec.forms or (spec.default_form,)
        for form in forms:
            if spec.forms:
                lines += [f"{form.title}：", ""]
            lines += _columns_table(spec, form, plan)
            if form.stands_for:
                stands = "、".join(
                    f"{spec.by_key[src].header}即{spec.by_key[key].header}"
                    for key, src in form.stands_for
                )
                lines += ["", f"每行按当月的一笔到位读取（{stands}）。"]
            lines.append("")
        if spec.period:
            keys = "、".join(spec.by_key[k].header for k in spec.period)
            lines.append(f"每个（{keys}）只能有一行（`duplicate-period`）。")
            lines.append("")
        lines += _ledger_notes(spec, plan)
        while lines[-1] == "":
            lines.pop()
    return "\n".join(lines) + "\n"


def _ledger_notes(spec: Ledger, plan: Plan) -> list[str]:
    """What a table cannot say: the rules that join a ledger to another."""
    if spec.key == "projects":
        threshold = plan.major_project.threshold / 10_000
        five = "、".join(PROJECTS.by_key[k].header for k in FIVE_ONES)
        stages = " → ".join(s for s in STAGES if s != TERMINATED)
        return [
            f"项目阶段依次为 {stages}，{TERMINATED}可在任一阶段之后。"
            f"重大项目：总投资达到计划文件中的门槛（内置计划 {threshold:g} 亿元），"
            f"须落实“五个一”（{five}），缺少时给出警告 `five-ones`。",
            "",
        ]
    if spec.key == "arrivals":
        return [
            "资金只能到位于已签约（或终止前已签约）的项目（`not-signed`），且不早于签约日期"
            "（`before-signing`）；同一项目的到位资金合计超过总投资时警告，单笔或合计达到总投资十倍时报错。",
            "",
        ]
    return []


def main() -> None:
    docs = ROOT / "docs"
    docs.mkdir(exist_ok=True)
    for name, text in (("rules.md", rules_markdown()), ("ledgers.md", ledgers_markdown())):
        (docs / name).write_text(text, encoding="utf-8")
        print(f"wrote {docs / name}", file=sys.stderr)


if __name__ == "__main__":
    main()

"""`wuhai-zs dispatch`: the monthly 调度表 per unit, month and year to date."""

from __future__ import annotations

from wuhai_zs.cli.options import (
    AsOfOption,
    DataOption,
    JsonOption,
    MonthOption,
    PlanOption,
    load_inputs,
)

HELP = (
    "月度调度表：各区本月、本年累计、较上月变化和同比，以及各区年度目标的完成率和序时进度。\n\n"
    "调度表（方案“强化工作落实”）：各区本月、本年累计的主要领导带队招商次数（招商活动台账中"
    "带队招商且是否主要领导为是）、签约项目数和总投资、开工项目数、投产项目数、到位资金"
    "（纳统与未纳统），以及月末竣工率（已竣工 ÷ 已开工）、投产率（已投产 ÷ 已开工）和亩均投资"
    "（各区对应园区：海勃湾区—海勃湾区产业园、乌达区—乌达产业园、海南区—海南产业园、"
    "高新区—乌海高新技术产业开发区；取园区台账中不晚于该月所在年度的最近一年），并与上月比较。"
    "飞地项目按分成计入（见 districts）。没有招商活动台账时带队招商显示为无数据，不是 0。"
    "金额单位为亿元。\n\n"
    "同比：本月与上年同月、本年累计与上年同期（上年 1 月 1 日至上年的同一天）相比的增长率；上年同期早于台账的"
    "最早数据时为无数据。竣工率、投产率、亩均投资为时点值，列出与上年同月末之差（比率为个百分点）。\n\n"
    "本年目标：计划文件 [assessment.units] 中各区的年度目标（到位资金、签约、开工、投产项目数），"
    "完成率 = 本年累计 ÷ 本年目标，序时进度 = 本年已过月数 ÷ 12；全市为各区之和；计划未设某区目标时写明，不当作 0。"
)


def command(
    data: DataOption = None,
    plan: PlanOption = None,
    as_of: AsOfOption = None,
    month: MonthOption = None,
    as_json: JsonOption = False,
) -> None:
    from wuhai_zs.cli.options import parse_month
    from wuhai_zs.metrics.dispatch import compute
    from wuhai_zs.render import console, tracking

    first = parse_month(month) if month is not None else None  # a bad month exits 2 first
    result = compute(load_inputs(data, plan, as_of, first), first)
    if as_json:
        console.print_json(result, "dispatch")
    else:
        tracking.dispatch_view(result)

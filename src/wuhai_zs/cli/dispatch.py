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
    "月度调度表：各区本月、本年累计及较上月变化。\n\n"
    "调度表（方案“强化工作落实”）：各区本月、本年累计的主要领导带队招商次数（招商活动台账中"
    "带队招商且是否主要领导为是）、签约项目数和总投资、开工项目数、投产项目数、到位资金"
    "（纳统与未纳统），以及月末竣工率（已竣工 ÷ 已开工）、投产率（已投产 ÷ 已开工）和亩均投资"
    "（各区对应园区：海勃湾区—海勃湾区产业园、乌达区—乌达产业园、海南区—海南产业园、"
    "高新区—乌海高新技术产业开发区；取园区台账中不晚于该月所在年度的最近一年），并与上月比较。"
    "飞地项目按分成计入（见 districts）。没有招商活动台账时带队招商显示为无数据，不是 0。"
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

"""`wuhai-zs districts`: per-unit figures with 飞地 shares, and the assessment ranking."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from wuhai_zs.cli.options import AsOfOption, DataOption, JsonOption, PlanOption, load_inputs

HELP = (
    "各区指标（飞地按分成计入）与考评排名。\n\n"
    "各考评单位（计划文件中的区：海勃湾区、乌达区、海南区、高新区）的签约、开工、投产项目数，"
    "签约项目总投资，到位资金（纳统与未纳统）和项目预警数。项目数和金额按日期落在期内计算。"
    "飞地项目按分成计入：飞出地得“飞出地分成比例”，飞入地得其余部分（不看所属区）；"
    "一方在市外（如集宁先进制造业集中区）时只计市内一方的份额，市外份额不计入任何区，"
    "另行列出（自治区：跨盟市飞地项目按飞地模式核算）。预警按项目所属区计数。金额单位为亿元。"
)
RANK_HELP = (
    "加上考评排名：得分 = 100 × Σ 权重 × min(完成率, 封顶值)，完成率 = 截止日期所在年度的"
    "实际 ÷ 计划文件 [assessment.units] 中的年度目标，考评项为到位资金（纳统）、签约项目数、"
    "开工项目数、投产项目数，权重和封顶值见 [assessment]。内置计划的目标是示意数据。"
)


class PeriodChoice(StrEnum):
    year = "year"
    plan = "plan"


PeriodOption = Annotated[
    PeriodChoice,
    typer.Option(
        "--period",
        metavar="year|plan",
        help="统计期：year 为截止日期所在年度 1 月 1 日至截止日期（默认）；"
        "plan 为计划期开始至截止日期。",
    ),
]
RankFlag = Annotated[bool, typer.Option("--rank", help=RANK_HELP)]


def command(
    data: DataOption = None,
    plan: PlanOption = None,
    as_of: AsOfOption = None,
    period: PeriodOption = PeriodChoice.year,
    rank: RankFlag = False,
    as_json: JsonOption = False,
) -> None:
    from wuhai_zs.metrics.districts import compute
    from wuhai_zs.render import console, tracking

    result = compute(load_inputs(data, plan, as_of), period.value, rank)
    if as_json:
        console.print_json(result, "districts")
    else:
        tracking.districts_view(result)

"""`wuhai-zs tasks`: the plan's fourteen key tasks, or one unit's share of them."""

from __future__ import annotations

from typing import Annotated

import typer

from wuhai_zs.cli.options import JsonOption, PlanOption

HELP = (
    "方案的十四项重点任务及牵头、责任单位。\n\n"
    "用 --unit 查看某单位牵头或参与的任务；"
    "区名同时匹配“各区”，可省略“市”字（如 工信局），高新区也匹配高新技术产业开发区管委会。"
)
UnitOption = Annotated[
    str | None,
    typer.Option(
        "--unit",
        metavar="单位",
        help="单位名称，如 市工信局、海南区、高新区；不认识的名称以退出码 2 结束，并给出相近的名称。",
        show_default=False,
    ),
]


def command(unit: UnitOption = None, plan: PlanOption = None, as_json: JsonOption = False) -> None:
    from wuhai_zs.plan.model import load_plan
    from wuhai_zs.plan.tasks import tasks_for
    from wuhai_zs.render import console, tracking

    districts = load_plan(plan).districts
    result = tasks_for(unit, districts)
    if result.unknown:
        from wuhai_zs.errors import unknown_value
        from wuhai_zs.plan.tasks import known_units, load_tasks

        allowed = known_units(load_tasks(), districts)
        raise unknown_value("--unit", str(unit), allowed, result.suggestions)
    if as_json:
        console.print_json(result, "tasks")
    else:
        tracking.tasks_view(result)

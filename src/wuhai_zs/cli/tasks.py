"""`wuhai-zs tasks`: the plan's key tasks (its [[tasks]]), or one unit's share of them."""

from __future__ import annotations

from typing import Annotated

import typer

from wuhai_zs.cli.options import JsonOption, PlanOption

HELP = (
    "计划文件中方案的重点任务（内置计划：十四项）及牵头、责任单位。\n\n"
    "用 --unit 查看某单位牵头或参与的任务；"
    "区名同时匹配“各区”，可省略“市”字（如 工信局），也可用计划文件 [unit_aliases] 中的简称（如 高新区）。"
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

    loaded = load_plan(plan)
    result = tasks_for(unit, loaded)
    if result.unknown:
        from wuhai_zs.errors import unknown_value
        from wuhai_zs.plan.tasks import known_units

        allowed = known_units(loaded.tasks, loaded.districts)
        raise unknown_value("--unit", str(unit), allowed, result.suggestions)
    if as_json:
        console.print_json(result, "tasks")
    else:
        tracking.tasks_view(result)

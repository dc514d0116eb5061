"""`wuhai-zs targets`: where the city stands against every goal of the plan."""

from __future__ import annotations

from wuhai_zs.cli.options import AsOfOption, DataOption, JsonOption, PlanOption, load_inputs

HELP = (
    "按统计口径计算方案的每项目标：目标值、实际、完成率、序时进度、差距和状态。"
    "有错误的台账行不计入任何数字。"
)


def command(
    data: DataOption = None,
    plan: PlanOption = None,
    as_of: AsOfOption = None,
    as_json: JsonOption = False,
) -> None:
    from wuhai_zs.metrics.targets import compute
    from wuhai_zs.render import console

    result = compute(load_inputs(data, plan, as_of))
    if as_json:
        console.print_json(result.to_dict())
    else:
        console.targets_view(result)

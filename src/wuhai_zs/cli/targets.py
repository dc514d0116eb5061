"""`wuhai-zs targets`: where the city stands against every goal of the plan."""

from __future__ import annotations

from wuhai_zs.cli.options import AsOfOption, DataOption, JsonOption, PlanOption, load_inputs

HELP = (
    "按统计口径计算方案的每项目标：目标值、应达值、实际、完成率、差距、状态和判断所依据的数据，"
    "以及到位资金的口径行。状态：已完成、符合序时、落后序时、未完成、待数据、无数据（规则见 docs/targets.md）。"
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
        console.print_json(result, "targets")
    else:
        console.targets_view(result)

"""`wuhai-zs projects`: the project library's funnel, rates, breakdowns and early warnings."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from wuhai_zs.cli.options import AsOfOption, DataOption, JsonOption, PlanOption, load_inputs

if TYPE_CHECKING:
    from wuhai_zs.metrics.projects import Filters
    from wuhai_zs.pipeline import Checked

# Rate definitions repeat metrics.projects.RATES (kept out of this module so that --help does
# not load pandas); tests/test_projects.py checks that every definition appears here.
HELP = (
    "项目库：阶段漏斗、各项比率、分组统计和项目预警。\n\n"
    "按阶段（储备、在谈、签约、开工、竣工、投产、终止）的项目数和总投资，"
    "各项比率，按来源地区（五个重点区域、其他区外、区内、市内、境外分国别）、企业标签、"
    "产业和产业集群的分组。加 --warnings 列出项目预警。\n\n"
    "比率定义（“已签约/已开工/已竣工/已投产”指填有该阶段日期的项目，"
    "终止项目按其已填日期计入所达到的阶段）：\n\n"
    "签约项目落地成功率 = 已开工项目数 ÷ 已签约项目数；\n\n"
    "开工率 = 已开工项目数 ÷（已开工项目数 + 计划开工日期已过仍未开工的已签约项目数）；\n\n"
    "竣工率 = 已竣工项目数 ÷ 已开工项目数；\n\n"
    "投产率 = 已投产项目数 ÷ 已开工项目数；\n\n"
    "到位率 = 已签约项目的到位资金（含未纳统）÷ 已签约项目的总投资；\n\n"
    "手续办结率 = Σ已办手续数 ÷ Σ应办手续数（两项都填写的项目）。\n\n"
    "加 --list 逐个列出这些数字背后的项目（同样的筛选条件），--id 项目编号 查看一个项目。"
)
WARNINGS_HELP = (
    "\n\n预警规则（--warnings；阈值取自计划文件 [warnings]，逾期天数 = 截止日期 − 起算日；"
    "终止项目不预警）：\n\n"
    "start-overdue 黄色：已签约未开工，计划开工日期已过（起算：计划开工日期）；\n\n"
    "start-overdue-long 红色：计划开工日期已过 not_started_red_months 个月以上仍未开工"
    "（起算：计划开工日期）；\n\n"
    "start-unplanned 红色：未填计划开工日期，签约满 not_started_red_months 个月仍未开工"
    "（起算：签约日期 + 规定月数）；\n\n"
    "no-money 红色：签约满 no_money_months 个月仍无到位资金（起算：签约日期 + 规定月数）；\n\n"
    "five-ones 黄色：重大项目（总投资达到 major_project.threshold）缺包联领导、工作专班或推进方案"
    "（起算：签约日期）；\n\n"
    "construction-overdue 黄色：开工满 construction_months 个月仍未竣工（起算：开工日期 + 规定月数）；\n\n"
    "production-overdue 黄色：竣工满 production_months 个月仍未投产（起算：竣工日期 + 规定月数）；\n\n"
    "permits-low 黄色：已开工项目手续办结率低于 min_permit_rate（起算：开工日期）。"
)
HELP += WARNINGS_HELP


def _complete(values: Any) -> Any:
    """Shell completion of a filter from the built-in plan's vocabulary."""

    def complete(incomplete: str) -> list[str]:
        from wuhai_zs.plan.model import load_plan

        return [v for v in values(load_plan(None)) if v.startswith(incomplete)]

    return complete


def _stages() -> list[str]:
    from wuhai_zs.ledgers.columns import STAGES

    return list(STAGES)


DistrictFilter = Annotated[
    str | None,
    typer.Option(
        "--district",
        metavar="区",
        help="只看该所属区的项目（飞地项目按所属区，不拆分）。",
        show_default=False,
        autocompletion=_complete(lambda plan: plan.districts),
    ),
]
IndustryFilter = Annotated[
    str | None,
    typer.Option(
        "--industry",
        metavar="产业",
        help="只看该产业类别的项目（取值见 wuhai-zs plan show）。",
        show_default=False,
        autocompletion=_complete(lambda plan: plan.industries),
    ),
]
StageFilter = Annotated[
    str | None,
    typer.Option(
        "--stage",
        metavar="阶段",
        help="只看处于该阶段的项目：储备、在谈、签约、开工、竣工、投产、终止。",
        show_default=False,
        autocompletion=_complete(lambda plan: _stages()),
    ),
]
RegionFilter = Annotated[
    str | None,
    typer.Option(
        "--region",
        metavar="地区",
        help="只看该来源地区的项目；也可用分组名“区外”。",
        show_default=False,
        autocompletion=_complete(lambda plan: list(plan.region_group) + list(plan.regions)),
    ),
]
WarningsFlag = Annotated[
    bool,
    typer.Option(
        "--warnings",
        help="改为列出项目预警：每条写明所属区、包联领导、逾期情况和逾期天数（规则见上文）。",
    ),
]
ListFlag = Annotated[
    bool,
    typer.Option(
        "--list",
        help="改为逐个列出项目（受筛选条件限制）：编号、名称、所属区、产业、阶段、来源地区、"
        "总投资和到位资金（万元）、签约和开工日期、包联领导。",
    ),
]
IdOption = Annotated[
    str | None,
    typer.Option(
        "--id",
        metavar="项目编号",
        help="只看一个项目：台账中的全部字段、每笔到位资金（是否纳统）和该项目的预警。",
        show_default=False,
    ),
]


def command(
    data: DataOption = None,
    plan: PlanOption = None,
    as_of: AsOfOption = None,
    district: DistrictFilter = None,
    industry: IndustryFilter = None,
    stage: StageFilter = None,
    region: RegionFilter = None,
    warnings: WarningsFlag = False,
    list_: ListFlag = False,
    project_id: IdOption = None,
    as_json: JsonOption = False,
) -> None:
    from wuhai_zs.errors import UsageError
    from wuhai_zs.metrics.projects import Filters
    from wuhai_zs.plan.model import load_plan
    from wuhai_zs.render import console, tracking

    filters = Filters(district, industry, stage, region)
    if project_id is not None and (filters.label or warnings or list_):
        raise UsageError("--id 只看一个项目，不能与筛选条件、--list 或 --warnings 同用")
    if warnings and list_:
        raise UsageError("--warnings 与 --list 只能选一个")
    filters.check(load_plan(plan))  # a bad value fails before any ledger is read
    checked = load_inputs(data, plan, as_of)
    if project_id is not None:
        from wuhai_zs.metrics.listing import project_detail

        detail = project_detail(checked, project_id)
        if as_json:
            console.print_json(detail, "projects --id")
        else:
            tracking.project_view(detail)
        return
    _say_if_empty(checked, filters)
    if list_:
        from wuhai_zs.metrics.listing import project_list

        listing = project_list(checked, filters)
        if as_json:
            console.print_json(listing, "projects --list")
        else:
            tracking.project_list_view(listing)
        return
    if warnings:
        from wuhai_zs.metrics.warnings import check

        warning_result = check(checked, filters)
        if as_json:
            console.print_json(warning_result, "projects --warnings")
        else:
            tracking.warnings_view(warning_result)
        return
    from wuhai_zs.metrics.projects import compute

    result = compute(checked, filters)
    if as_json:
        console.print_json(result, "projects")
    else:
        tracking.projects_view(result)


def _say_if_empty(checked: Checked, filters: Filters) -> None:
    """Valid filter values that match no project: the command runs (every count is 0) and
    says so on stderr, so an empty table is never mistaken for missing data."""
    if not filters.label:
        return
    from wuhai_zs.cli.options import note
    from wuhai_zs.metrics.projects import require_projects

    if filters.apply(require_projects(checked), checked.plan).empty:
        note(f"没有符合筛选条件（{filters.label}）的项目，以下数字均为 0")

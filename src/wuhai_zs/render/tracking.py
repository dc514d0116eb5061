"""Rich tables for project tracking: projects, warnings, districts, dispatch and tasks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from wuhai_zs.render.console import Col, fmt_pct, fmt_wan, fmt_yi, say, show_table

if TYPE_CHECKING:
    from wuhai_zs.metrics.dispatch import DispatchResult
    from wuhai_zs.metrics.districts import DistrictsResult
    from wuhai_zs.metrics.listing import ProjectDetail, ProjectListResult
    from wuhai_zs.metrics.projects import ProjectsResult
    from wuhai_zs.metrics.warnings import WarningsResult
    from wuhai_zs.plan.tasks import TasksResult

NO_DATA = "无数据"
LEVEL_STYLE = {"red": "bold red", "yellow": "yellow"}
LEVEL_ZH = {"red": "红色", "yellow": "黄色"}
ROLE_ZH = {"lead": "牵头", "responsible": "责任"}


def _plain(text: object) -> str:
    """Ledger text shown as typed: brackets in a project name are not rich markup."""
    from rich.markup import escape

    return escape(str(text))


def fmt_count(value: float | None) -> str:
    """A count that may be fractional (飞地 shares): 3, 2.5, 0.6."""
    if value is None:
        return NO_DATA
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def fmt_money(value: float | None) -> str:
    """A city or district amount in 亿元."""
    return fmt_yi(value, NO_DATA)


def fmt_rate(value: float | None) -> str:
    return NO_DATA if value is None else fmt_pct(value)


def fmt_change(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    if unit == "比率":
        return f"{value * 100:+.1f} 个百分点"
    if unit in ("个", "次"):
        return fmt_count(value) if value < 0 else "+" + fmt_count(value)
    text = fmt_yi(value)
    return text if text.startswith("-") else "+" + text


Row = list[str]


def _notes(notes: list[str]) -> None:
    from rich.markup import escape

    for note in notes:
        say(f"[dim]注：{escape(note)}[/]")


# ---------------------------------------------------------------- projects
def _group_cells(item: dict[str, Any]) -> Row:
    return [
        fmt_count(item["count"]),
        fmt_count(item["signed"]),
        fmt_money(item["investment_yi"]),
        fmt_money(item["capital_yi"]),
    ]


GROUP_COLUMNS = (
    Col("项目数", "right"),
    Col("已签约", "right"),
    Col("总投资（亿元）", "right"),
    Col("到位资金 含未纳统（亿元）", "right"),
)


def projects_view(result: ProjectsResult) -> None:
    say(
        f"[bold]项目库[/]（截止日期 {result.as_of}）：{result.projects:,} 个项目，"
        f"总投资 {fmt_money(result.investment_yi)} 亿元"
    )
    show_table(
        "按阶段",
        [
            Col("阶段"),
            Col("项目数", "right"),
            Col("总投资（亿元）", "right"),
            Col("累计达到该阶段", "right"),
        ],
        [
            [
                row["stage"],
                fmt_count(row["count"]),
                fmt_money(row["investment_yi"]),
                "—" if row["reached"] is None else fmt_count(row["reached"]),
            ]
            for row in result.funnel
        ],
    )
    rates: list[Row | None] = []
    for r in result.rates:
        if r.key == "funding":
            parts = (
                "—"
                if r.numerator_yi is None
                else f"{fmt_money(r.numerator_yi)} / {fmt_money(r.denominator_yi)} 亿元"
            )
        else:
            parts = (
                "—"
                if r.numerator is None
                else f"{fmt_count(r.numerator)} / {fmt_count(r.denominator)}"
            )
        rates.append([r.name, fmt_rate(r.value), parts, r.definition])
    show_table(
        "比率",
        [Col("比率"), Col("值", "right"), Col("分子 / 分母", "right"), Col("定义", wrap=True)],
        rates,
    )
    regions: list[Row | None] = []
    for item in result.by_region:
        label = item["region"] + ("（重点区域）" if item["key_region"] else "")
        regions.append([label, item["group"], *_group_cells(item)])
        for c in item["countries"]:
            regions.append([f"  └ {_plain(c['country'])}", "", *_group_cells(c)])
    show_table("按来源地区", [Col("来源地区"), Col("分组", drop=1), *GROUP_COLUMNS], regions)
    show_table(
        "按企业标签（一个项目可有多个标签）",
        [Col("企业标签"), *GROUP_COLUMNS],
        [[_plain(item["tag"]), *_group_cells(item)] for item in result.by_tag],
    )
    show_table(
        "按产业集群",
        [Col("产业集群"), Col("包含产业", wrap=True, drop=1), *GROUP_COLUMNS],
        [
            [item["cluster"], "、".join(item["industries"]) or "—", *_group_cells(item)]
            for item in result.by_cluster
        ],
    )
    show_table(
        "按产业（不列项目数为 0 的产业）",
        [Col("产业"), *GROUP_COLUMNS],
        [[item["industry"], *_group_cells(item)] for item in result.by_industry if item["count"]],
    )
    _notes(result.notes)


def _threshold(rule: dict[str, Any]) -> str:
    """A warning rule's threshold as the plan file means it: months, 万元 or a rate."""
    if rule["threshold_months"] is not None:
        return f"{rule['threshold_months']} 个月"
    if rule["threshold_wan"] is not None:
        return f"{fmt_wan(rule['threshold_wan'])} 万元"
    if rule["threshold_rate"] is not None:
        return fmt_pct(rule["threshold_rate"])
    return "—"


def warnings_view(result: WarningsResult) -> None:
    total = len(result.warnings)
    say(
        f"[bold]项目预警[/]（截止日期 {result.as_of}）：共 {total} 条，"
        f"[bold red]红色 {result.levels['red']}[/]，"
        f"[yellow]黄色 {result.levels['yellow']}[/]"
    )
    rules: list[Row | None] = []
    for r in result.rules:
        style = LEVEL_STYLE[r["level"]]
        threshold = f"{r['threshold']} = {_threshold(r)}" if r["threshold"] else "—"
        rules.append(
            [
                r["code"],
                f"[{style}]{LEVEL_ZH[r['level']]}[/]",
                r["title"],
                threshold,
                r["days_late_from"],
                fmt_count(result.counts[r["code"]]),
            ]
        )
    show_table(
        "预警规则",
        [
            Col("代码"),
            Col("级别"),
            Col("含义", wrap=True),
            Col("阈值（计划文件）", wrap=True, drop=1),
            Col("逾期天数起算", wrap=True, drop=2),
            Col("条数", "right"),
        ],
        rules,
    )
    if result.warnings:
        listing: list[Row | None] = []
        for w in result.warnings:
            style = LEVEL_STYLE[w.level]
            listing.append(
                [
                    f"[{style}]{LEVEL_ZH[w.level]}[/]",
                    w.code,
                    _plain(w.project_id),
                    _plain(w.name),
                    _plain(w.district),
                    _plain(w.leader or "—"),
                    _plain(w.what),
                    "—" if w.days_late is None else f"{w.days_late:,}",
                ]
            )
        show_table(
            "预警项目（红色在前，逾期久的在前）",
            [
                Col("级别"),
                Col("代码", drop=2),
                Col("项目编号"),
                Col("项目名称"),
                Col("所属区"),
                Col("包联领导", drop=1),
                Col("情况", wrap=True),
                Col("逾期天数", "right"),
            ],
            listing,
            key=4,
        )
    else:
        say("[green]没有预警项目[/]")
    _notes(result.notes)


# ---------------------------------------------------------------- districts
def districts_view(result: DistrictsResult) -> None:
    label = "年度" if result.period["kind"] == "year" else "计划期"
    say(
        f"[bold]各区指标[/]（{label} {result.period['start']} 至 {result.period['end']}；"
        f"截止日期 {result.as_of}）"
    )
    rows: list[Row | None] = []
    for u in [*result.units, result.total]:
        warn = NO_DATA if u.warnings is None else f"{u.warnings}（{u.warnings_red}）"
        name = f"[bold]{u.unit}[/]" if u is result.total else u.unit
        rows.append(
            [
                name,
                fmt_count(u.signed),
                fmt_count(u.started),
                fmt_count(u.producing),
                fmt_money(u.investment_yi),
                fmt_money(u.capital_counted_yi),
                fmt_money(u.capital_not_counted_yi),
                warn,
                fmt_count(u.enclave_projects),
            ]
        )
    o = result.outside
    whole = "—"  # projects count whole in their 所属区: no part of a count lies outside
    rows.append(
        [
            f"[dim]{o['unit']}[/]",
            whole if o["signed"] is None else fmt_count(o["signed"]),
            whole if o["started"] is None else fmt_count(o["started"]),
            whole if o["producing"] is None else fmt_count(o["producing"]),
            fmt_money(o["investment_yi"]),
            fmt_money(o["capital_counted_yi"]),
            fmt_money(o["capital_not_counted_yi"]),
            "",
            "",
        ]
    )
    show_table(
        "",
        [
            Col("单位"),
            Col("签约项目", "right"),
            Col("开工项目", "right"),
            Col("投产项目", "right"),
            Col("签约项目总投资\n（亿元）", "right"),
            Col("到位资金 纳统\n（亿元）", "right"),
            Col("到位资金 未纳统\n（亿元）", "right"),
            Col("预警\n（其中红色）", "right"),
            Col("涉及飞地\n项目", "right"),
        ],
        rows,
    )
    if result.rank is not None:
        _ranking(result)
    _notes(result.notes)


def _ranking(result: DistrictsResult) -> None:
    rank = result.rank
    assert rank is not None
    weights = (
        "、".join(f"{c.name} {c.weight:g}" for c in rank.units[0].components) if rank.units else ""
    )
    title = (
        f"{rank.year}年考评排名（得分 = 100 × Σ 权重 × min(完成率, {rank.cap:g})；"
        f"权重：{weights}；年度已过 {rank.year_elapsed:.0%}）"
    )
    names = [
        c.name + ("（亿元）" if c.unit == "亿元" else "")
        for c in (rank.units[0].components if rank.units else [])
    ]
    rows: list[Row | None] = []
    for u in rank.units:
        cells = []
        for c in u.components:
            actual = fmt_money(c.actual) if c.unit == "亿元" else fmt_count(c.actual)
            target = fmt_money(c.target) if c.unit == "亿元" else fmt_count(c.target)
            cells.append(f"{actual} / {target}（{fmt_rate(c.completion)}）{c.points:.2f}")
        rows.append([str(u.rank), u.unit, f"{u.score:.2f}", *cells])
    show_table(
        title,
        [
            Col("名次", "right"),
            Col("单位"),
            Col("得分", "right"),
            *[Col(f"{n}\n实际 / 目标（完成率）得分", "right") for n in names],
        ],
        rows,
        key=2,
    )
    if rank.unranked:
        say(f"[dim]未设考评目标、不参加排名：{'、'.join(rank.unranked)}[/]")


# ---------------------------------------------------------------- dispatch
def _figure(value: float | None, unit: str) -> str:
    if unit == "比率":
        return fmt_rate(value)
    if unit in ("个", "次"):
        return fmt_count(value)
    return fmt_money(value)


def _yoy(growth: float | None) -> str:
    return "" if growth is None else f"同比 {growth:+.1%}"


def _dispatch_cell(value: Any, indicator: Any, period: str) -> str:
    """本月: the figure, its change on the month before and its 同比; 本年累计: the figure and
    its 同比; 月末 (a stock): the figure, its change on the month before and on a year before."""
    unit = indicator.unit
    if period == "year":
        text = _figure(value.year_to_date, unit)
        return text + (
            f"\n{_yoy(value.yoy_year_to_date)}" if value.yoy_year_to_date is not None else ""
        )
    text = _figure(value.month, unit)
    if value.month is not None and value.change is not None:
        text += f"\n（{fmt_change(value.change, unit)}）"
    if indicator.kind == "flow" and value.yoy_month is not None:
        text += f"\n{_yoy(value.yoy_month)}"
    if indicator.kind == "stock" and value.change_last_year is not None:
        text += f"\n较上年 {fmt_change(value.change_last_year, unit)}"
    return text


def _target_cell(target: Any) -> str:
    figure = fmt_money if target.unit == "亿元" else fmt_count
    return f"{figure(target.actual)} / {figure(target.target)}\n（{fmt_rate(target.completion)}）"


def dispatch_view(result: DispatchResult) -> None:
    w = result.window
    say(
        f"[bold]调度表 {result.month}[/]（本月 {w['month_start']} 至 {w['month_end']}；"
        f"本年累计 {w['year_start']} 起；截止日期 {result.as_of}；金额单位：亿元）"
    )
    flows = [i for i in result.indicators if i.kind == "flow"]
    stocks = [i for i in result.indicators if i.kind == "stock"]
    units = [*result.units, result.total]

    def name(row: Any) -> str:
        return f"[bold]{row.unit}[/]" if row is result.total else row.unit

    for title, period in (
        (
            f"本月（括号内为较上月增减；同比为较上年同月，{w['last_year_month_start'][:7]}）",
            "month",
        ),
        (
            f"本年累计（同比为较上年同期，{w['last_year_start']} 至 {w['last_year_month_end']}）",
            "year",
        ),
    ):
        show_table(
            title,
            [Col("单位"), *[Col(f"{i.name}\n（{i.unit}）", "right") for i in flows]],
            [
                [name(row), *[_dispatch_cell(row.values[i.key], i, period) for i in flows]]
                for row in units
            ],
        )
    rows: list[Row | None] = []
    for row in units:
        parks = "全部园区" if row is result.total else ("、".join(row.parks) or "—")
        if row.park_year is not None:
            parks += f"（{row.park_year}年）"
        rows.append(
            [name(row), *[_dispatch_cell(row.values[i.key], i, "month") for i in stocks], parks]
        )
    show_table(
        "月末情况（括号内为较上月末；较上年为较上年同月末，比率之差为个百分点）",
        [
            Col("单位"),
            *[
                Col(f"{i.name}" + ("" if i.unit == "比率" else f"（{i.unit}）"), "right")
                for i in stocks
            ],
            Col("亩均投资所据园区", wrap=True, drop=1),
        ],
        rows,
    )
    first = next((row.targets for row in units if row.targets), None)
    if first is not None:
        show_table(
            f"本年目标（计划文件 \\[assessment.units]；各格为 本年累计 / 本年目标（完成率）；"
            f"序时进度 {fmt_pct(result.year_elapsed)}）"
            + ("：示意数据" if result.targets_illustrative else ""),
            [
                Col("单位"),
                *[
                    Col(f"{t.name}" + ("\n（亿元）" if t.unit == "亿元" else ""), "right")
                    for t in first
                ],
            ],
            [
                [
                    name(row),
                    *(
                        [_target_cell(t) for t in row.targets]
                        if row.targets
                        else ["未设目标"] + [""] * (len(first) - 1)
                    ),
                ]
                for row in units
            ],
        )
    _notes(result.notes)


# ---------------------------------------------------------------- tasks
def tasks_view(result: TasksResult) -> None:
    if result.total == 0:
        say("[yellow]计划文件中没有重点任务（tasks），未列出任何任务。[/]")
        return
    if result.unit is None:
        title = f"方案的 {result.total} 项重点任务"
    else:
        title = (
            f"{result.unit}牵头或参与的任务：{len(result.tasks)} 项（共 {result.total} 项；"
            f"按名称 {'、'.join(result.matched)} 匹配）"
        )
    columns = [
        Col("序号", "right"),
        Col("任务", wrap=True, min_width=16),
        Col("牵头单位", wrap=True, min_width=16),
        Col("责任单位", wrap=True, min_width=16),
    ]
    if result.unit is not None:
        columns.insert(2, Col("角色", wrap=True, min_width=8))
    rows: list[Row | None] = []
    group = None
    for item in result.tasks:
        t = item.task
        if t.group != group:
            group = t.group
            if rows:
                rows.append(None)
            rows.append(["", f"[bold]{group}[/]", *([""] * (len(columns) - 2))])
        cells = [str(t.number), t.title, "、".join(t.lead), "、".join(t.responsible)]
        if result.unit is not None:
            cells.insert(2, f"{ROLE_ZH[item.role] if item.role else ''}（{item.via}）")
        rows.append(cells)
    show_table(title, columns, rows, key=2)


# ---------------------------------------------------------------- single projects
def project_list_view(result: ProjectListResult) -> None:
    say(
        f"[bold]项目清单[/]（截止日期 {result.as_of}）：{len(result.projects):,} 个项目"
        "；金额单位：万元"
    )
    show_table(
        "",
        [
            Col("项目编号"),
            Col("项目名称"),
            Col("所属区"),
            Col("产业", drop=1),
            Col("阶段"),
            Col("来源地区", drop=2),
            Col("总投资（万元）", "right"),
            Col("到位资金（万元）", "right"),
            Col("签约日期", drop=3),
            Col("开工日期", drop=4),
            Col("包联领导", drop=5),
        ],
        [
            [
                _plain(p["project_id"]),
                _plain(p["name"]),
                _plain(p["district"]),
                _plain(p["industry"]),
                _plain(p["stage"]),
                _plain(p["source_region"]),
                fmt_wan(p["total_investment_wan"], NO_DATA),
                fmt_wan(p["capital_wan"], NO_DATA),
                p["signed_on"] or "—",
                p["started_on"] or "—",
                _plain(p["leader"] or "—"),
            ]
            for p in result.projects
        ],
        key=2,
    )
    _notes(result.notes)


def _field(value: Any, key: str) -> str:
    if value is None:
        return "—"
    if key.endswith("_wan"):
        return f"{fmt_wan(value)} 万元"
    if key.endswith("_wan_usd"):
        return f"{fmt_wan(value)} 万美元"
    if key.endswith("_mu"):
        return f"{value:,g} 亩"
    if key == "enclave_share":
        return fmt_pct(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return _plain(value)


def project_view(detail: ProjectDetail) -> None:
    from wuhai_zs.ledgers.columns import LEDGERS
    from wuhai_zs.metrics.listing import json_key

    p = detail.project
    say(
        f"[bold]{_plain(p['project_id'])} {_plain(p['name'])}[/]"
        f"（截止日期 {detail.as_of}；{_plain(detail.where)}）"
    )
    show_table(
        "台账字段",
        [Col("字段"), Col("内容", wrap=True)],
        [
            [column.header, _field(p.get(json_key(column)), json_key(column))]
            for column in LEDGERS["projects"].columns
        ],
    )
    say(
        f"到位资金（截至 {detail.as_of}）：{_field(detail.capital_wan, 'capital_wan')}，"
        f"其中纳统 {_field(detail.capital_counted_wan, 'capital_wan')}"
    )
    if detail.arrivals:
        show_table(
            "到位资金明细",
            [
                Col("到位日期/月份"),
                Col("金额（万元）", "right"),
                Col("外资（万美元）", "right", drop=2),
                Col("纳统", wrap=True),
                Col("位置", wrap=True, drop=1),
            ],
            [
                [
                    a["date"] or (a["month"] or "")[:7],
                    fmt_wan(a["amount_wan"]),
                    "—" if a["fdi_wan_usd"] is None else fmt_wan(a["fdi_wan_usd"]),
                    "是" if a["counted"] else f"否（{_plain(a['not_counted'])}）",
                    _plain(a["where"]),
                ]
                for a in detail.arrivals
            ],
        )
    if detail.warnings:
        show_table(
            "预警",
            [Col("级别"), Col("代码", drop=1), Col("情况", wrap=True), Col("逾期天数", "right")],
            [
                [
                    f"[{LEVEL_STYLE[w['level']]}]{LEVEL_ZH[w['level']]}[/]",
                    w["code"],
                    _plain(w["what"]),
                    "—" if w["days_late"] is None else f"{w['days_late']:,}",
                ]
                for w in detail.warnings
            ],
        )
    else:
        say("[green]该项目没有预警[/]")
    _notes(detail.notes)
